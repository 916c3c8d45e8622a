//! Data source `vercel_project`: one project looked up by id or by name, team-scoped like the
//! resource (its `team_id`, else the provider's team). Its schema is the resource's without the
//! environment variables, every setting computed; the mapping is the resource's `with_api`.
//! Must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::model::{GitRepository, ProjectModel};
use super::schema::project_schema;
use super::team;
use crate::clouds::support::api_diag;
use crate::clouds::vercel::client::{Project, VercelClient};
use crate::framework::data_source::exactly_one;
use crate::framework::{
    ApplyCx, Attribute, Diagnostics, Mode, Path, Schema, TypedDataSource, Val, Value,
};

pub struct ProjectDataSource;

/// What the data source reads: the lookup keys and the project's settings.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectDataModel {
    pub id: Val<String>,
    pub name: Val<String>,
    pub team_id: Val<String>,
    pub framework: Val<String>,
    pub root_directory: Option<String>,
    pub build_command: Option<String>,
    pub output_directory: Option<String>,
    pub install_command: Option<String>,
    pub dev_command: Option<String>,
    pub ignore_command: Option<String>,
    pub node_version: Val<String>,
    pub serverless_function_region: Val<String>,
    pub public_source: Val<bool>,
    pub preview_deployments_disabled: Val<bool>,
    pub automatically_expose_system_environment_variables: Val<bool>,
    pub auto_assign_custom_domains: Val<bool>,
    pub directory_listing: Val<bool>,
    pub git_fork_protection: Val<bool>,
    pub git_repository: Option<GitRepository>,
}

impl ProjectDataModel {
    fn from_api(p: &Project, team: Option<String>) -> Self {
        let m = ProjectModel::default().with_api(p, team);
        ProjectDataModel {
            id: m.id,
            name: Val::Known(m.name),
            team_id: m.team_id,
            framework: m.framework,
            root_directory: m.root_directory,
            build_command: m.build_command,
            output_directory: m.output_directory,
            install_command: m.install_command,
            dev_command: m.dev_command,
            ignore_command: m.ignore_command,
            node_version: m.node_version,
            serverless_function_region: m.serverless_function_region,
            public_source: m.public_source,
            preview_deployments_disabled: m.preview_deployments_disabled,
            automatically_expose_system_environment_variables: m
                .automatically_expose_system_environment_variables,
            auto_assign_custom_domains: m.auto_assign_custom_domains,
            directory_listing: m.directory_listing,
            git_fork_protection: m.git_fork_protection,
            git_repository: m.git_repository,
        }
    }
}

/// A resource attribute as a read-only one: computed, no defaults, modifiers or validators.
fn read_only(mut a: Attribute) -> Attribute {
    a.mode = Mode::Computed;
    a.default = None;
    a.modifiers.clear();
    a.validators.clear();
    if let Some((_, inner)) = a.nested.as_mut() {
        *inner = std::mem::take(inner).into_iter().map(read_only).collect();
    }
    a
}

pub fn project_data_schema() -> Schema {
    let attributes = project_schema()
        .block
        .attributes
        .into_iter()
        // Variables and deployment protection are the resource's to manage (a password is
        // write-only); the data source reads build settings and the Git connection.
        .filter(|a| {
            !matches!(
                a.name.as_str(),
                "environment"
                    | "vercel_authentication"
                    | "password_protection"
                    | "trusted_ips"
                    | "options_allowlist"
                    | "resource_config"
                    | "skew_protection"
                    | "git_lfs"
                    | "function_failover"
                    | "oidc_token_config"
                    | "customer_success_code_visibility"
                    | "enable_preview_feedback"
                    | "enable_production_feedback"
                    | "enable_affected_projects_deployments"
            )
        })
        .map(|a| match a.name.as_str() {
            // The lookup keys keep their validators (a bad name fails at plan, not as a 404).
            "id" | "name" | "team_id" => {
                let mut a = a;
                a.mode = Mode::OptionalComputed;
                a.modifiers.clear();
                a.description = match a.name.as_str() {
                    "id" => "The project id (`prj_…`) to look up; exactly one of `id` and `name`."
                        .into(),
                    "name" => "The project name to look up; exactly one of `id` and `name`.".into(),
                    _ => "The team owning the project (defaults to the provider's team).".into(),
                };
                a
            }
            _ => read_only(a),
        })
        .collect();
    Schema::new(
        "Reads one Vercel project, by id or by name, with its build settings and Git connection (not its environment variables).",
        attributes,
    )
}

#[async_trait]
impl TypedDataSource for ProjectDataSource {
    type Model = ProjectDataModel;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project";

    fn schema(&self) -> Schema {
        project_data_schema()
    }

    /// Exactly one of `id` and `name` (unknown counts as set: it will be known at apply).
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let set = |k: &str| !config.attr(k).is_null();
        match (set("id"), set("name")) {
            (true, true) => diags.error_at(
                Path::root("name"),
                "Conflicting lookup keys",
                "Set either `id` or `name`, not both.",
            ),
            (false, false) => diags.error_at(
                Path::root("id"),
                "Missing lookup key",
                "Set `id` or `name` to say which Vercel project to read.",
            ),
            _ => {}
        }
    }

    async fn read(
        &self,
        c: &VercelClient,
        config: ProjectDataModel,
        _cx: &ApplyCx,
    ) -> Result<ProjectDataModel, Diagnostics> {
        let team = team(c, &config.team_id);
        // GET /v9/projects/{idOrName} takes either; the answer must match the key asked for.
        let (key, what, by_id) = match (config.id.non_empty(), config.name.non_empty()) {
            (Some(id), _) => (id, format!("Vercel project with id {id:?}"), true),
            (None, Some(name)) => (name, format!("Vercel project named {name:?}"), false),
            (None, None) => return exactly_one(Vec::new(), "Vercel project (no id or name given)"),
        };
        let found = match c.get_project(team.as_deref(), key).await {
            Ok(p) if (if by_id { &p.id } else { &p.name }) == key => vec![p],
            Ok(_) => Vec::new(),
            Err(e) if e.is_not_found() => Vec::new(),
            Err(e) => return Err(api_diag("Failed to read Vercel project", &e)),
        };
        let what = match &team {
            Some(t) => format!("{what} in team {t:?}"),
            None => what,
        };
        let p = exactly_one(found, &what)?;
        Ok(ProjectDataModel::from_api(&p, team))
    }
}
