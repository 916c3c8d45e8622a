//! Provider `vercel`: API token, team (id or slug) and base URL with environment fallbacks, and
//! the registry of its resources, data sources, list resources and the `vercel_deploy` action.

pub mod client;
pub mod custom_environment;
pub mod deploy_action;
pub mod list;
pub mod moves;
pub mod project;
pub mod project_domain;

use std::sync::Arc;

use async_trait::async_trait;

use self::client::{VercelClient, DEFAULT_BASE_URL};
use crate::clouds::http::Secret;
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::{
    typed, typed_data_source, Attribute, ClientHandle, DataSource, Diagnostics, Provider, Resource,
    Schema, Value,
};
use crate::stop::StopSignal;

pub struct VercelProvider;

#[async_trait]
impl Provider for VercelProvider {
    fn name(&self) -> &'static str {
        "vercel"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Vercel: projects, their environment variables, domains and custom environments.",
            vec![
                Attribute::string("api_token").optional().sensitive().description("Vercel access token (env VERCEL_API_TOKEN)."),
                Attribute::string("team").optional().description("Team id (`team_…`) or slug used for every call (env VERCEL_TEAM); empty for a personal account."),
                Attribute::string("base_url").optional().description("API base URL (env VERCEL_BASE_URL; default https://api.vercel.com)."),
            ],
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        let token = config_or_env(config, "api_token", &["VERCEL_API_TOKEN"])
            .ok_or_else(|| missing_credentials("vercel", "api_token", "VERCEL_API_TOKEN"))?;
        let base = config_or_env(config, "base_url", &["VERCEL_BASE_URL"])
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let team = config_or_env(config, "team", &["VERCEL_TEAM"]);
        let client = VercelClient::new(&base, Secret::new(token), team, stop)
            .map_err(|e| api_diag("Failed to build the Vercel client", &e))?;
        Ok(Arc::new(client))
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            typed(project::ProjectResource),
            typed(project_domain::ProjectDomainResource),
            typed(custom_environment::CustomEnvironmentResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            typed_data_source(project::data_source::ProjectDataSource),
            typed_data_source(project_domain::data_source::ProjectDomainDataSource),
        ]
    }

    fn actions(&self) -> Vec<Arc<dyn crate::framework::Action>> {
        vec![crate::framework::typed_action(
            deploy_action::VercelDeployAction,
        )]
    }

    fn list_resources(&self) -> Vec<Arc<dyn crate::framework::ListResource>> {
        vec![
            crate::framework::typed_list(list::ProjectList),
            crate::framework::typed_list(list::ProjectDomainList),
            crate::framework::typed_list(list::CustomEnvironmentList),
        ]
    }
}
