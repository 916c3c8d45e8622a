//! Provider `railway`: the token (account/team token as a bearer, or a project token in the
//! `Project-Access-Token` header), the GraphQL endpoint with environment fallbacks, the registry
//! of its resources and of the `railway_redeploy` action, and the helpers its resources share (diagnostics, import ids).

pub mod client;
pub mod data_sources;
pub mod environment;
pub mod list;
pub mod moves;
pub mod project;
pub mod redeploy_action;
pub mod service;
pub mod service_instance;
pub mod shared_variable;
pub mod tcp_proxy;
pub mod volume;

/// The GraphQL documents moved under `client/`; the old path stays for callers outside.
pub use client::queries;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use self::client::{RailwayClient, DEFAULT_BASE_URL};
use crate::clouds::http::{Auth, Secret};
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::rules::one_of;
use crate::framework::{
    typed, typed_data_source, Attribute, ClientHandle, DataSource, Diagnostics, Provider, Resource,
    Schema, Value,
};
use crate::stop::StopSignal;

pub const TOKEN_TYPES: &[&str] = &["account", "team", "project"];
/// The header a project token travels in.
pub const PROJECT_TOKEN_HEADER: &str = "Project-Access-Token";

pub struct RailwayProvider;

#[async_trait]
impl Provider for RailwayProvider {
    fn name(&self) -> &'static str {
        "railway"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Railway: projects, environments and services (with their variables and domains), over Railway's public GraphQL API. \
             An account or team token can do everything. A project token is scoped to one environment of one project: it can read and \
             update that project's services, their settings, variables and domains, but cannot create or delete projects or environments.",
            vec![
                Attribute::string("token").optional().sensitive().description(
                    "Railway API token (env RAILWAY_TOKEN; a project token may come from RAILWAY_PROJECT_TOKEN). Account and team tokens are sent as `Authorization: Bearer`, project tokens as the `Project-Access-Token` header.",
                ),
                Attribute::string("token_type").optional().validate(one_of(TOKEN_TYPES)).description(
                    "What kind of token `token` is: `account` or `team` (bearer) or `project` (Project-Access-Token header). Default: `project` when the token came from RAILWAY_PROJECT_TOKEN, else `account`.",
                ),
                Attribute::string("base_url").optional().description("GraphQL endpoint (env RAILWAY_BASE_URL; default https://backboard.railway.com/graphql/v2)."),
            ],
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        let base = config_or_env(config, "base_url", &["RAILWAY_BASE_URL"])
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let declared = config.attr("token_type").as_str().map(str::to_string);
        let (token, inferred) = match config_or_env(config, "token", &["RAILWAY_TOKEN"]) {
            Some(t) => (t, "account"),
            None => match std::env::var("RAILWAY_PROJECT_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
            {
                Some(t) => (t, "project"),
                None => {
                    return Err(missing_credentials(
                        "railway",
                        "token",
                        "RAILWAY_TOKEN (or RAILWAY_PROJECT_TOKEN)",
                    ))
                }
            },
        };
        let auth = match declared.as_deref().unwrap_or(inferred) {
            "project" => Auth::Header(PROJECT_TOKEN_HEADER, Secret::new(token)),
            _ => Auth::Bearer(Secret::new(token)),
        };
        let client = RailwayClient::new(&base, auth, stop)
            .map_err(|e| api_diag("Failed to build the Railway client", &e))?;
        Ok(Arc::new(client))
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            typed(project::ProjectResource),
            typed(environment::EnvironmentResource),
            typed(service::ServiceResource),
            typed(shared_variable::SharedVariableResource),
            typed(volume::VolumeResource),
            typed(tcp_proxy::TcpProxyResource),
            typed(service_instance::ServiceInstanceResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            typed_data_source(data_sources::ProjectData),
            typed_data_source(data_sources::ServiceData),
        ]
    }

    fn actions(&self) -> Vec<Arc<dyn crate::framework::Action>> {
        vec![crate::framework::typed_action(
            redeploy_action::RedeployAction,
        )]
    }

    fn list_resources(&self) -> Vec<Arc<dyn crate::framework::ListResource>> {
        vec![
            crate::framework::typed_list(list::ProjectList),
            crate::framework::typed_list(list::EnvironmentList),
            crate::framework::typed_list(list::ServiceList),
            crate::framework::typed_list(list::SharedVariableList),
            crate::framework::typed_list(list::VolumeList),
            crate::framework::typed_list(list::TcpProxyList),
            crate::framework::typed_list(list::ServiceInstanceList),
        ]
    }
}

/// Railway ids are UUIDs; accept any run of letters, digits, `-` and `_` so a future id format
/// still imports, but nothing with spaces, slashes or other punctuation.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The import-table check every Railway resource shares: each part is a Railway id.
pub(crate) fn railway_ids(fields: &BTreeMap<String, String>) -> Option<String> {
    fields
        .iter()
        .find(|(_, v)| !valid_id(v))
        .map(|(k, v)| format!("{k} {v:?} is not a Railway id"))
}
