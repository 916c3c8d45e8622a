//! Vercel's list resources (`terraform query`): `vercel_project`, `vercel_project_domain` and
//! `vercel_custom_environment`, in the provider's team. Projects page `GET /v10/projects` with the
//! name prefix passed to the API's `search` (a substring match, so the prefix is checked here
//! too); domains and custom environments are listed per project — of the one `project_id` names,
//! else of every project — and named by their resource identity. Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use super::client::{Project, VercelClient};
use super::project_domain::schema::project_ref_validator;
use crate::clouds::support::api_diag;
use crate::framework::list::{name_prefix_attribute, name_prefix_matches};
use crate::framework::{ApplyCx, Attribute, Diagnostics, ListRequest, Listed, Schema, TypedList};

/// The filters of `list "vercel_project"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectListConfig {
    name_prefix: Option<String>,
}

async fn projects(c: &VercelClient, prefix: Option<&str>) -> Result<Vec<Project>, Diagnostics> {
    let all = c
        .list_projects(None, prefix)
        .await
        .map_err(|e| api_diag("Failed to list Vercel projects", &e))?;
    Ok(all
        .into_iter()
        .filter(|p| name_prefix_matches(prefix, &p.name))
        .collect())
}

pub struct ProjectList;

#[async_trait]
impl TypedList for ProjectList {
    type Config = ProjectListConfig;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every project of the provider's team (all pages), optionally filtered by name prefix (sent to the API as `search`).",
            vec![name_prefix_attribute()],
        )
    }

    async fn list(
        &self,
        c: &VercelClient,
        config: ProjectListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        Ok(projects(c, config.name_prefix.as_deref())
            .await?
            .into_iter()
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

fn per_project_schema(what: &str, prefix_of: &str) -> Schema {
    Schema::new(
        what,
        vec![
            Attribute::string("project_id")
                .optional()
                .validate(project_ref_validator())
                .description(
                    "Only this project's (id or name); default: every project of the team.",
                ),
            name_prefix_attribute().description(prefix_of),
        ],
    )
}

/// The projects a per-project list covers: (id, name).
async fn scope(c: &VercelClient, config: &PerProjectConfig) -> Result<Vec<Project>, Diagnostics> {
    match &config.project_id {
        Some(p) => Ok(vec![c.get_project(None, p).await.map_err(|e| {
            api_diag(&format!("Failed to read Vercel project {p:?}"), &e)
        })?]),
        None => projects(c, None).await,
    }
}

pub struct ProjectDomainList;

#[async_trait]
impl TypedList for ProjectDomainList {
    type Config = PerProjectConfig;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project_domain";

    fn schema(&self) -> Schema {
        per_project_schema(
            "Every domain of one project or of every project of the team (all pages), optionally filtered.",
            "Only domains whose name starts with this.",
        )
    }

    async fn list(
        &self,
        c: &VercelClient,
        config: PerProjectConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for p in scope(c, &config).await? {
            let domains = c.list_project_domains(None, &p.id).await.map_err(|e| {
                api_diag(&format!("Failed to list the domains of {:?}", p.name), &e)
            })?;
            out.extend(
                domains
                    .into_iter()
                    .filter(|d| name_prefix_matches(config.name_prefix.as_deref(), &d.name))
                    .map(|d| {
                        Listed::new(
                            d.name.clone(),
                            &[("project_id", &p.id), ("domain", &d.name)],
                        )
                    }),
            );
        }
        Ok(out)
    }
}

pub struct CustomEnvironmentList;

#[async_trait]
impl TypedList for CustomEnvironmentList {
    type Config = PerProjectConfig;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_custom_environment";

    fn schema(&self) -> Schema {
        per_project_schema(
            "Every custom environment of one project or of every project of the team, optionally filtered.",
            "Only environments whose slug starts with this.",
        )
    }

    async fn list(
        &self,
        c: &VercelClient,
        config: PerProjectConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let mut out = Vec::new();
        for p in scope(c, &config).await? {
            let envs = c.list_custom_environments(None, &p.id).await.map_err(|e| {
                api_diag(
                    &format!("Failed to list the custom environments of {:?}", p.name),
                    &e,
                )
            })?;
            out.extend(
                envs.into_iter()
                    .filter(|e| name_prefix_matches(config.name_prefix.as_deref(), &e.slug))
                    .map(|e| {
                        Listed::new(
                            format!("{} {}", p.name, e.slug),
                            &[("project_id", &p.id), ("id", &e.id)],
                        )
                    }),
            );
        }
        Ok(out)
    }
}
