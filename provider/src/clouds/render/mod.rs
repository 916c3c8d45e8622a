//! Provider `render`: configuration (API key, workspace, base URL, each with an environment
//! fallback; the workspace is discovered when the key sees exactly one) and the registry of its
//! resources (`render_service`, `render_database`, `render_project`, `render_env_group`,
//! `render_env_group_link`, `render_registry_credential`, `render_notification_setting`, `render_log_stream`) and its
//! action (`render_deploy`).

pub mod client;
pub mod database;
pub mod deploy_action;
pub mod enums;
pub mod env_group;
pub mod env_group_link;
pub mod list;
pub mod log_stream;
pub mod lookup;
pub mod moves;
pub mod notification_setting;
pub mod overrides;
pub mod owner;
pub mod project;
pub mod registry_credential;
pub mod service;

use std::sync::Arc;

use async_trait::async_trait;

use self::client::{RenderClient, DEFAULT_BASE_URL};
use crate::clouds::http::Secret;
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::{
    named_list, typed, typed_action, typed_data_source, typed_list, Action, Attribute,
    ClientHandle, DataSource, Diagnostic, Diagnostics, ListResource, Path, Provider, Resource,
    Schema, Value,
};
use crate::stop::StopSignal;

/// `srv-…`, `crn-…`: a short lowercase prefix, a dash, then letters, digits, `-` or `_`.
pub fn is_render_id(id: &str) -> bool {
    let Some((prefix, rest)) = id.split_once('-') else {
        return false;
    };
    (2..=5).contains(&prefix.len())
        && prefix.chars().all(|c| c.is_ascii_lowercase())
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub struct RenderProvider;

#[async_trait]
impl Provider for RenderProvider {
    fn name(&self) -> &'static str {
        "render"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Render: web services, static sites, private services, background workers, cron jobs, Postgres and Key Value.",
            vec![
                Attribute::string("api_key").optional().sensitive().description("Render API key (env RENDER_API_KEY)."),
                Attribute::string("owner_id").optional().description(
                    "Workspace (owner) id, `tea-…` or `usr-…` (env RENDER_OWNER_ID). When unset and the API key sees exactly one workspace, that one is used.",
                ),
                Attribute::string("base_url").optional().description("API base URL (env RENDER_BASE_URL; default https://api.render.com/v1)."),
            ],
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        let base = config_or_env(config, "base_url", &["RENDER_BASE_URL"])
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let Some(key) = config_or_env(config, "api_key", &["RENDER_API_KEY"]) else {
            return Err(missing_credentials("render", "api_key", "RENDER_API_KEY"));
        };
        let client = RenderClient::unbound(&base, Secret::new(key), stop)
            .map_err(|e| api_diag("Failed to build the Render client", &e))?;
        let owner = match config_or_env(config, "owner_id", &["RENDER_OWNER_ID"]) {
            Some(o) => o,
            None => discover_owner(&client).await?,
        };
        Ok(Arc::new(client.with_owner(&owner)))
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            typed(service::ServiceResource),
            typed(database::DatabaseResource),
            typed(project::ProjectResource),
            typed(env_group::EnvGroupResource),
            typed(env_group_link::EnvGroupLinkResource),
            typed(registry_credential::RegistryCredentialResource),
            typed(notification_setting::NotificationSettingResource),
            typed(log_stream::LogStreamResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            typed_data_source(service::data::ServiceDataSource),
            typed_data_source(database::DatabaseDataSource),
            typed_data_source(project::ProjectDataSource),
            typed_data_source(env_group::EnvGroupDataSource),
            typed_data_source(owner::OwnerDataSource),
            typed_data_source(registry_credential::data::RegistryCredentialDataSource),
        ]
    }

    fn actions(&self) -> Vec<Arc<dyn Action>> {
        vec![typed_action(deploy_action::DeployAction)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![
            typed_list(list::ServiceList),
            typed_list(list::DatabaseList),
            named_list(
                "render_project",
                "Every project of the workspace (all pages), optionally filtered.",
                list::projects,
            ),
            typed_list(list::EnvGroupList),
            typed_list(list::EnvGroupLinkList),
            named_list(
                "render_registry_credential",
                "Every registry credential of the workspace (all pages), optionally filtered. Render never returns the token: a generated configuration needs it supplied (`auth_token_wo`).",
                list::registry_credentials,
            ),
            typed_list(notification_setting::list::NotificationSettingList),
            typed_list(log_stream::list::LogStreamList),
        ]
    }
}

/// The only workspace the key can see, or a diagnostic listing the choices.
async fn discover_owner(client: &RenderClient) -> Result<String, Diagnostics> {
    let owners = client
        .list_owners()
        .await
        .map_err(|e| api_diag("Failed to list Render workspaces (GET /owners)", &e))?;
    match owners.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(Diagnostic::error(
            "No Render workspace",
            "The API key sees no workspace. Set `owner_id` (or RENDER_OWNER_ID) to the workspace to use.",
        )
        .at(Path::root("owner_id"))
        .into()),
        many => {
            let list = many.iter().map(|o| format!("{} ({})", o.id, o.name)).collect::<Vec<_>>().join(", ");
            Err(Diagnostic::error(
                "Several Render workspaces",
                format!("The API key sees {} workspaces: {list}. Set `owner_id` (or RENDER_OWNER_ID) to one of them.", many.len()),
            )
            .at(Path::root("owner_id"))
            .into())
        }
    }
}
