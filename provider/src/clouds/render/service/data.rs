//! Data source `render_service`: one service of the provider's workspace, looked up by `id` or by
//! `name` (exactly one of them). Render service names are not unique in a workspace, so a name that
//! matches two services is an error that says to look it up by id. Read-only: the mapping from the
//! API's `service` is `ServiceData::from_api`, pure. Imports the client and the framework only.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::super::client::services::Service;
use super::super::client::RenderClient;
use super::model::host_of;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::{
    ApplyCx, Attribute, Diagnostics, Path, Schema, TypedDataSource, Val, Value,
};

pub struct ServiceDataSource;

/// What the data source exposes: the service's identity and settings, never env vars or secrets.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceData {
    pub id: Val<String>,
    pub name: Val<String>,
    #[serde(rename = "type")]
    pub service_type: Val<String>,
    pub slug: Val<String>,
    pub url: Val<String>,
    pub host: Val<String>,
    pub region: Val<String>,
    pub plan: Val<String>,
    pub runtime: Val<String>,
    pub repo: Val<String>,
    pub branch: Val<String>,
    pub root_dir: Val<String>,
    pub auto_deploy: Val<bool>,
    pub environment_id: Val<String>,
    pub suspended: Val<bool>,
    pub created_at: Val<String>,
    pub updated_at: Val<String>,
}

fn opt(x: &Option<String>) -> Val<String> {
    x.clone().filter(|s| !s.is_empty()).into()
}

impl ServiceData {
    /// The data source's view of a `service` answer (the same readings `render_service` makes).
    pub fn from_api(svc: &Service) -> ServiceData {
        let d = &svc.service_details;
        let url = d.url.clone().filter(|u| !u.is_empty());
        ServiceData {
            id: Val::Known(svc.id.clone()),
            name: Val::Known(svc.name.clone()),
            service_type: Val::Known(svc.service_type.clone()),
            slug: opt(&svc.slug),
            host: host_of(&svc.service_type, url.as_deref(), svc.slug.as_deref()).into(),
            url: url.into(),
            region: opt(&d.region),
            plan: opt(&d.plan),
            runtime: opt(&d.runtime.clone().or_else(|| d.env.clone())),
            repo: opt(&svc.repo),
            branch: opt(&svc.branch),
            root_dir: Val::Known(svc.root_dir.clone().unwrap_or_default()),
            auto_deploy: svc.auto_deploy.as_deref().map(|a| a == "yes").into(),
            environment_id: opt(&svc.environment_id),
            suspended: Val::Known(svc.suspended.as_deref() == Some("suspended")),
            created_at: opt(&svc.created_at),
            updated_at: opt(&svc.updated_at),
        }
    }
}

fn computed(a: Attribute, what: &str) -> Attribute {
    a.computed().description(what)
}

#[async_trait]
impl TypedDataSource for ServiceDataSource {
    type Model = ServiceData;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_service";

    fn schema(&self) -> Schema {
        Schema::new(
            "One Render service of the provider's workspace, looked up by `id` or by `name` (exactly one). \
             Render does not keep service names unique: a name that matches more than one service is an error; \
             look such a service up by id. Env vars and secret files are not exposed.",
            vec![
                Attribute::string("id").optional_computed().description("Service id (`srv-…`). Set this or `name`."),
                Attribute::string("name").optional_computed().description("Service name. Set this or `id`; it must match exactly one service."),
                computed(Attribute::string("type"), "Service type: `web_service`, `private_service`, `background_worker`, `static_site` or `cron_job`."),
                computed(Attribute::string("slug"), "Service slug."),
                computed(Attribute::string("url"), "Public URL (web services and static sites)."),
                computed(Attribute::string("host"), "Host name: `<slug>.onrender.com` for public services; the internal host for private services."),
                computed(Attribute::string("region"), "Region (not for static sites)."),
                computed(Attribute::string("plan"), "Instance type (not for static sites)."),
                computed(Attribute::string("runtime"), "Runtime (not for static sites)."),
                computed(Attribute::string("repo"), "Git repository URL."),
                computed(Attribute::string("branch"), "Branch deployed."),
                computed(Attribute::string("root_dir"), "Directory inside the repository built from."),
                computed(Attribute::bool("auto_deploy"), "Whether every push to `branch` deploys."),
                computed(Attribute::string("environment_id"), "Render environment holding the service."),
                computed(Attribute::bool("suspended"), "Whether the service is suspended."),
                computed(Attribute::string("created_at"), "Creation time (RFC 3339)."),
                computed(Attribute::string("updated_at"), "Last update time (RFC 3339)."),
            ],
        )
    }

    /// Exactly one of `id` and `name`; an unknown one (from another resource) counts as set.
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let id = config.attr("id");
        let name = config.attr("name");
        match (id.is_null(), name.is_null()) {
            (true, true) => diags.error_at(
                Path::root("id"),
                "Missing lookup key",
                "Set `id` or `name` to say which Render service to read.",
            ),
            (false, false) => diags.error_at(
                Path::root("name"),
                "Conflicting lookup keys",
                "Set either `id` or `name`, not both.",
            ),
            _ => {}
        }
        for (attr, v) in [("id", id), ("name", name)] {
            if v.as_str().is_some_and(|s| s.trim().is_empty()) {
                diags.error_at(
                    Path::root(attr),
                    "Empty lookup key",
                    format!("`{attr}` is empty."),
                );
            }
        }
        if let Some(id) = id.as_str().filter(|s| !s.trim().is_empty()) {
            if !super::is_render_id(id) {
                diags.error_at(
                    Path::root("id"),
                    "Invalid service id",
                    format!("Expected a Render service id such as \"srv-abc123\", got {id:?}."),
                );
            }
        }
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: ServiceData,
        _cx: &ApplyCx,
    ) -> Result<ServiceData, Diagnostics> {
        let found = match (config.id.non_empty(), config.name.non_empty()) {
            (Some(id), _) => {
                let what = format!("Render service with id {id:?}");
                let one = match c.get_service(id).await {
                    Ok(svc) => vec![svc],
                    Err(e) if e.is_not_found() => Vec::new(),
                    Err(e) => return Err(api_diag("Failed to read Render service", &e)),
                };
                exactly_one(one, &what)?
            }
            (None, Some(name)) => {
                let what = format!(
                    "Render service named {name:?} in workspace {}",
                    c.owner_id()
                );
                let all = c
                    .find_services_by_name(name)
                    .await
                    .map_err(|e| api_diag("Failed to list Render services", &e))?;
                exactly_one(all, &what)?
            }
            // validate() refused this configuration already; say so again rather than guess.
            (None, None) => {
                let mut d = Diagnostics::new();
                self.validate(&Value::Null, &mut d);
                return Err(d);
            }
        };
        Ok(ServiceData::from_api(&found))
    }
}
