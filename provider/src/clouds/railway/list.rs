//! Railway's list resources (`terraform query`): `railway_project`, `railway_environment`,
//! `railway_service` and `railway_shared_variable`. Projects page the `projects` connection (the
//! workspace filter is the API's own); environments, services and shared variables are listed per
//! project — the one `project_id` names, else every project the token sees — through the paged
//! `project { environments / services }` connections; name prefixes are matched here. Must not
//! import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use super::client::models::Named;
use super::client::RailwayClient;
use super::environment::id_validator;
use crate::clouds::support::api_diag;
use crate::framework::list::{name_prefix_attribute, name_prefix_matches};
use crate::framework::{ApplyCx, Attribute, Diagnostics, ListRequest, Listed, Schema, TypedList};

fn id_filter(name: &str, what: &str) -> Attribute {
    Attribute::string(name)
        .optional()
        .validate(id_validator())
        .description(what)
}

/// The filters of `list "railway_project"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectListConfig {
    team_id: Option<String>,
    name_prefix: Option<String>,
}

pub struct ProjectList;

#[async_trait]
impl TypedList for ProjectList {
    type Config = ProjectListConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_project";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every project the token can see (all pages), optionally only one workspace's, filtered by name prefix.",
            vec![
                id_filter("team_id", "Only projects of this workspace (team), filtered by the API."),
                name_prefix_attribute(),
            ],
        )
    }

    async fn list(
        &self,
        c: &RailwayClient,
        config: ProjectListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let all = c
            .projects(config.team_id.as_deref())
            .await
            .map_err(|e| api_diag("Failed to list Railway projects", &e))?;
        Ok(all
            .into_iter()
            .filter(|p| name_prefix_matches(config.name_prefix.as_deref(), &p.name))
            .map(|p| Listed::new(p.name, &[("id", &p.id)]))
            .collect())
    }
}

/// The filters of the per-project lists.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerProjectConfig {
    project_id: Option<String>,
    name_prefix: Option<String>,
}

fn per_project_schema(what: &str) -> Schema {
    Schema::new(
        what,
        vec![
            id_filter(
                "project_id",
                "Only this project's; default: every project the token sees.",
            ),
            name_prefix_attribute(),
        ],
    )
}

/// The projects a per-project list covers.
async fn scope(c: &RailwayClient, project_id: Option<&str>) -> Result<Vec<Named>, Diagnostics> {
    match project_id {
        Some(p) => {
            let p = c
                .project(p)
                .await
                .map_err(|e| api_diag(&format!("Failed to read Railway project {p:?}"), &e))?;
            Ok(vec![Named {
                id: p.id,
                name: p.name,
            }])
        }
        None => Ok(c
            .projects(None)
            .await
            .map_err(|e| api_diag("Failed to list Railway projects", &e))?
            .into_iter()
            .map(|p| Named {
                id: p.id,
                name: p.name,
            })
            .collect()),
    }
}

async fn environments(c: &RailwayClient, p: &Named) -> Result<Vec<Named>, Diagnostics> {
    c.project_environments(&p.id).await.map_err(|e| {
        api_diag(
            &format!("Failed to list the environments of {:?}", p.name),
            &e,
        )
    })
}

pub struct EnvironmentList;

#[async_trait]
impl TypedList for EnvironmentList {
    type Config = PerProjectConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_environment";

    fn schema(&self) -> Schema {
        per_project_schema("Every environment of one project or of every project (all pages), optionally filtered by name prefix.")
    }

    async fn list(
        &self,
        c: &RailwayClient,
        config: PerProjectConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for p in scope(c, config.project_id.as_deref()).await? {
            out.extend(
                environments(c, &p)
                    .await?
                    .into_iter()
                    .filter(|e| name_prefix_matches(config.name_prefix.as_deref(), &e.name))
                    .map(|e| Listed::new(format!("{} {}", p.name, e.name), &[("id", &e.id)])),
            );
        }
        Ok(out)
    }
}

pub struct ServiceList;

#[async_trait]
impl TypedList for ServiceList {
    type Config = PerProjectConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_service";

    fn schema(&self) -> Schema {
        per_project_schema("Every service of one project or of every project (all pages), optionally filtered by name prefix.")
    }

    async fn list(
        &self,
        c: &RailwayClient,
        config: PerProjectConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for p in scope(c, config.project_id.as_deref()).await? {
            let services = c.project_services(&p.id).await.map_err(|e| {
                api_diag(&format!("Failed to list the services of {:?}", p.name), &e)
            })?;
            out.extend(
                services
                    .into_iter()
                    .filter(|s| name_prefix_matches(config.name_prefix.as_deref(), &s.name))
                    .map(|s| Listed::new(s.name, &[("id", &s.id)])),
            );
        }
        Ok(out)
    }
}

/// The filters of `list "railway_shared_variable"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedVariableListConfig {
    project_id: Option<String>,
    environment_id: Option<String>,
    name_prefix: Option<String>,
}

pub struct SharedVariableList;

#[async_trait]
impl TypedList for SharedVariableList {
    type Config = SharedVariableListConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_shared_variable";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every shared variable of every environment of one project or of every project, optionally only one environment's, filtered by name prefix. Values are sensitive: a generated configuration has them as `null # sensitive`, to be supplied (`value_wo` or a variable).",
            vec![
                id_filter("project_id", "Only this project's; default: every project the token sees."),
                id_filter("environment_id", "Only this environment's."),
                name_prefix_attribute(),
            ],
        )
    }

    async fn list(
        &self,
        c: &RailwayClient,
        config: SharedVariableListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for p in scope(c, config.project_id.as_deref()).await? {
            for e in environments(c, &p).await? {
                if config
                    .environment_id
                    .as_ref()
                    .is_some_and(|want| *want != e.id)
                {
                    continue;
                }
                let vars = c.shared_variables(&p.id, &e.id).await.map_err(|err| {
                    api_diag(
                        &format!(
                            "Failed to list the shared variables of {:?} {:?}",
                            p.name, e.name
                        ),
                        &err,
                    )
                })?;
                out.extend(
                    vars.into_keys()
                        .filter(|n| name_prefix_matches(config.name_prefix.as_deref(), n))
                        .map(|n| {
                            Listed::new(
                                format!("{} {} {n}", p.name, e.name),
                                &[
                                    ("project_id", &p.id),
                                    ("environment_id", &e.id),
                                    ("name", &n),
                                ],
                            )
                        }),
                );
            }
        }
        Ok(out)
    }
}
