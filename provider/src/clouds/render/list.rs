//! Render's list resources (`terraform query`): `render_service`, `render_database`,
//! `render_project`, `render_env_group`, `render_env_group_link`, `render_registry_credential`
//! (projects and registry credentials through the shared `NamedList` shape). Each pages the workspace's list
//! endpoint completely (client/listing.rs), applies the filters Render does not (name prefix),
//! and names every object by its resource identity; the framework reads full objects through
//! the managed resources' import path. Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use super::client::databases::Engine;
use super::client::listing::ListFilter;
use super::client::RenderClient;
use super::enums::SERVICE_TYPES;
use super::is_render_id;
use crate::clouds::support::api_diag;
use crate::framework::list::{name_prefix_attribute, name_prefix_matches};
use crate::framework::rules::one_of;
use crate::framework::{
    ApplyCx, Attribute, Diagnostics, Fetched, ListRequest, Listed, Schema, TypedList, Validator,
};

fn environment_id() -> Attribute {
    Attribute::string("environment_id")
        .optional()
        .validate(Validator::string("A Render environment id (`evm-…`).", |s| {
            (!(s.starts_with("evm-") && is_render_id(s))).then(|| {
                format!("{s:?} is not a Render environment id (`evm-…`, e.g. render_project.p.environments[\"prod\"].id)")
            })
        }))
        .description("Only objects in this Render environment (`evm-…`).")
}

/// The filters of `list "render_service"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceListConfig {
    name_prefix: Option<String>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    environment_id: Option<String>,
}

pub struct ServiceList;

#[async_trait]
impl TypedList for ServiceList {
    type Config = ServiceListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_service";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every service of the workspace (all pages), optionally filtered.",
            vec![
                name_prefix_attribute(),
                Attribute::string("type")
                    .optional()
                    .validate(one_of(SERVICE_TYPES))
                    .description("Only services of this type (`web_service`, `static_site`, `private_service`, `background_worker`, `cron_job`)."),
                environment_id(),
            ],
        )
    }

    async fn list(
        &self,
        c: &RenderClient,
        config: ServiceListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let filter = ListFilter {
            service_type: config.service_type,
            environment_id: config.environment_id,
        };
        let all = c
            .list_services(&filter)
            .await
            .map_err(|e| api_diag("Failed to list Render services", &e))?;
        Ok(all
            .into_iter()
            .filter(|s| name_prefix_matches(config.name_prefix.as_deref(), &s.name))
            .map(|s| Listed::new(s.name, &[("id", &s.id)]))
            .collect())
    }
}

/// The filters of `list "render_database"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseListConfig {
    name_prefix: Option<String>,
    #[serde(rename = "type")]
    engine: Option<String>,
    environment_id: Option<String>,
}

pub struct DatabaseList;

#[async_trait]
impl TypedList for DatabaseList {
    type Config = DatabaseListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_database";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every Postgres and Key Value instance of the workspace (all pages), optionally filtered.",
            vec![
                name_prefix_attribute(),
                Attribute::string("type")
                    .optional()
                    .validate(one_of(&["postgres", "key_value"]))
                    .description("Only `postgres` or only `key_value` instances (default: both)."),
                environment_id(),
            ],
        )
    }

    async fn list(
        &self,
        c: &RenderClient,
        config: DatabaseListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let filter = ListFilter {
            service_type: None,
            environment_id: config.environment_id.clone(),
        };
        // Also matched here: not every instance list honours `environmentId` on the server.
        let in_env = |d: &super::client::databases::Database| {
            config
                .environment_id
                .as_deref()
                .is_none_or(|e| d.environment_id.as_deref() == Some(e))
        };
        let engines = match config.engine.as_deref().and_then(Engine::parse) {
            Some(e) => vec![e],
            None => vec![Engine::Postgres, Engine::KeyValue],
        };
        let mut out = Vec::new();
        for engine in engines {
            let all = c.list_databases(engine, &filter).await.map_err(|e| {
                api_diag(
                    &format!("Failed to list Render {} instances", engine.name()),
                    &e,
                )
            })?;
            out.extend(
                all.into_iter()
                    .filter(|d| name_prefix_matches(config.name_prefix.as_deref(), &d.name))
                    .filter(in_env)
                    .map(|d| Listed::new(d.name, &[("id", &d.id)])),
            );
        }
        Ok(out)
    }
}

/// The filters of `list "render_env_group"` and `list "render_env_group_link"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvGroupListConfig {
    name_prefix: Option<String>,
    environment_id: Option<String>,
}

fn env_group_schema(what: &str) -> Schema {
    Schema::new(what, vec![name_prefix_attribute(), environment_id()])
}

async fn env_groups(
    c: &RenderClient,
    config: &EnvGroupListConfig,
) -> Result<Vec<super::client::projects::EnvGroup>, Diagnostics> {
    let filter = ListFilter {
        service_type: None,
        environment_id: config.environment_id.clone(),
    };
    let all = c
        .list_env_groups(&filter)
        .await
        .map_err(|e| api_diag("Failed to list Render env groups", &e))?;
    Ok(all
        .into_iter()
        .filter(|g| name_prefix_matches(config.name_prefix.as_deref(), &g.name))
        .collect())
}

pub struct EnvGroupList;

#[async_trait]
impl TypedList for EnvGroupList {
    type Config = EnvGroupListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_env_group";

    fn schema(&self) -> Schema {
        env_group_schema("Every env group of the workspace (all pages), optionally filtered.")
    }

    async fn list(
        &self,
        c: &RenderClient,
        config: EnvGroupListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        Ok(env_groups(c, &config)
            .await?
            .into_iter()
            .map(|g| Listed::new(g.name, &[("id", &g.id)]))
            .collect())
    }
}

/// An env group's service links are one `render_env_group_link`: listed for the groups that
/// have at least one linked service.
pub struct EnvGroupLinkList;

#[async_trait]
impl TypedList for EnvGroupLinkList {
    type Config = EnvGroupListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_env_group_link";

    fn schema(&self) -> Schema {
        env_group_schema(
            "The service links of every env group that has any (all pages), optionally filtered by the group.",
        )
    }

    async fn list(
        &self,
        c: &RenderClient,
        config: EnvGroupListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        Ok(env_groups(c, &config)
            .await?
            .into_iter()
            .filter(|g| !g.service_links.is_empty())
            .map(|g| Listed::new(format!("{} links", g.name), &[("env_group_id", &g.id)]))
            .collect())
    }
}

/// `list "render_project"`: every project of the workspace.
pub fn projects(c: &RenderClient) -> Fetched<'_> {
    Box::pin(async move {
        let all = c
            .list_projects()
            .await
            .map_err(|e| api_diag("Failed to list Render projects", &e))?;
        Ok(all
            .into_iter()
            .map(|p| Listed::new(p.name, &[("id", &p.id)]))
            .collect())
    })
}

/// `list "render_registry_credential"`: every registry credential of the workspace.
pub fn registry_credentials(c: &RenderClient) -> Fetched<'_> {
    Box::pin(async move {
        let all = c
            .list_registry_credentials()
            .await
            .map_err(|e| api_diag("Failed to list Render registry credentials", &e))?;
        Ok(all
            .into_iter()
            .map(|r| Listed::new(r.name, &[("id", &r.id)]))
            .collect())
    })
}
