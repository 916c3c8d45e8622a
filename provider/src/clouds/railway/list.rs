//! Railway's list resources (`terraform query`): `railway_project`, `railway_environment`,
//! `railway_service`, `railway_shared_variable`, `railway_volume`, `railway_tcp_proxy` and
//! `railway_service_instance`. Projects page the `projects` connection (the
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
            out.extend(
                services_named(c, &p, config.name_prefix.as_deref())
                    .await?
                    .into_iter()
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

/// Every (project, environment) pair a per-project list covers.
async fn project_environments(
    c: &RailwayClient,
    project_id: Option<&str>,
) -> Result<Vec<(Named, Named)>, Diagnostics> {
    let mut out = Vec::new();
    for p in scope(c, project_id).await? {
        for e in environments(c, &p).await? {
            out.push((p.clone(), e));
        }
    }
    Ok(out)
}

/// The project's services whose name starts with `prefix` (all when unset).
async fn services_named(
    c: &RailwayClient,
    p: &Named,
    prefix: Option<&str>,
) -> Result<Vec<Named>, Diagnostics> {
    let all = c
        .project_services(&p.id)
        .await
        .map_err(|e| api_diag(&format!("Failed to list the services of {:?}", p.name), &e))?;
    Ok(all
        .into_iter()
        .filter(|s| name_prefix_matches(prefix, &s.name))
        .collect())
}

pub struct VolumeList;

#[async_trait]
impl TypedList for VolumeList {
    type Config = PerProjectConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_volume";

    fn schema(&self) -> Schema {
        per_project_schema("Every volume of every environment of one project or of every project, optionally filtered by the volume's name prefix; one entry per environment the volume is mounted in.")
    }

    async fn list(
        &self,
        c: &RailwayClient,
        config: PerProjectConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for (p, e) in project_environments(c, config.project_id.as_deref()).await? {
            let volumes = c.environment_volume_instances(&e.id).await.map_err(|err| {
                api_diag(
                    &format!("Failed to list the volumes of {:?} {:?}", p.name, e.name),
                    &err,
                )
            })?;
            out.extend(
                volumes
                    .into_iter()
                    .filter(|v| name_prefix_matches(config.name_prefix.as_deref(), &v.volume.name))
                    .map(|v| {
                        Listed::new(
                            format!("{} {} {}", p.name, e.name, v.volume.name),
                            &[("environment_id", &e.id), ("id", &v.volume_id)],
                        )
                    }),
            );
        }
        Ok(out)
    }
}

pub struct TcpProxyList;

#[async_trait]
impl TypedList for TcpProxyList {
    type Config = PerProjectConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_tcp_proxy";

    fn schema(&self) -> Schema {
        per_project_schema("Every TCP proxy of every service in every environment of one project or of every project, optionally filtered by the service's name prefix (one request per service and environment: Railway lists proxies per service).")
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
            let wanted = services_named(c, &p, config.name_prefix.as_deref()).await?;
            if wanted.is_empty() {
                continue;
            }
            for e in environments(c, &p).await? {
                for s in &wanted {
                    let proxies = c.tcp_proxies(&e.id, &s.id).await.map_err(|err| {
                        api_diag(
                            &format!(
                                "Failed to list the TCP proxies of {:?} in {:?}",
                                s.name, e.name
                            ),
                            &err,
                        )
                    })?;
                    out.extend(proxies.into_iter().map(|t| {
                        Listed::new(
                            format!("{} {} {} :{}", p.name, e.name, s.name, t.application_port),
                            &[
                                ("environment_id", &e.id),
                                ("service_id", &s.id),
                                ("id", &t.id),
                            ],
                        )
                    }));
                }
            }
        }
        Ok(out)
    }
}

pub struct ServiceInstanceList;

#[async_trait]
impl TypedList for ServiceInstanceList {
    type Config = PerProjectConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_service_instance";

    fn schema(&self) -> Schema {
        per_project_schema("Every service in every environment of one project or of every project (a service's settings in one environment), optionally filtered by the service's name prefix.")
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
            let wanted = services_named(c, &p, config.name_prefix.as_deref()).await?;
            if wanted.is_empty() {
                continue;
            }
            for e in environments(c, &p).await? {
                out.extend(wanted.iter().map(|s| {
                    Listed::new(
                        format!("{} {} {}", p.name, e.name, s.name),
                        &[("environment_id", &e.id), ("service_id", &s.id)],
                    )
                }));
            }
        }
        Ok(out)
    }
}
