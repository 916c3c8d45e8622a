//! Railway's data sources: `railway_project` (by id, or by name among the projects the token
//! sees) and `railway_service` (by id, or by name within `project_id`). Exactly one of the keys is
//! required, checked at validate on the attribute path with no request; a name that matches no
//! object or several is an error naming what was searched. Must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::Project;
use super::client::RailwayClient;
use super::environment::id_validator;
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::rules::length_between;
use crate::framework::{
    ApplyCx, Attribute, Diagnostic, Diagnostics, Path, Schema, TypedDataSource, Val, Value,
};

/// "Exactly one of `id` and `name`": an error on `name` when both are set, on `id` when neither.
/// Unknown values (known only at apply) pass.
fn id_xor_name(config: &Value, type_name: &str, diags: &mut Diagnostics) {
    let (id, name) = (config.attr("id"), config.attr("name"));
    if id.is_unknown() || name.is_unknown() {
        return;
    }
    match (id.is_null(), name.is_null()) {
        (false, false) => diags.push(
            Diagnostic::error(
                "Conflicting lookup keys",
                format!("Set either `id` or `name` of data source {type_name}, not both."),
            )
            .at(Path::root("name")),
        ),
        (true, true) => diags.push(
            Diagnostic::error(
                "Missing lookup key",
                format!("Data source {type_name} needs `id` or `name`."),
            )
            .at(Path::root("id")),
        ),
        _ => {}
    }
}

// ------------------------------------------------------------------ railway_project

pub struct ProjectData;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectDataModel {
    pub id: Val<String>,
    pub name: Val<String>,
    pub description: Val<String>,
    pub team_id: Val<String>,
    pub private: Val<bool>,
    pub default_environment_id: Val<String>,
}

impl ProjectDataModel {
    fn from_api(p: &Project, default_environment: String) -> Self {
        let text = |s: &Option<String>| Val::from(s.clone().filter(|s| !s.is_empty()));
        ProjectDataModel {
            id: Val::Known(p.id.clone()),
            name: Val::Known(p.name.clone()),
            description: text(&p.description),
            team_id: text(&p.workspace_id),
            private: Val::Known(!p.is_public),
            default_environment_id: Val::Known(default_environment),
        }
    }
}

#[async_trait]
impl TypedDataSource for ProjectData {
    type Model = ProjectDataModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_project";

    fn schema(&self) -> Schema {
        Schema::new(
            "Look up a Railway project by id, or by name among the projects the token can see (exactly one must match).",
            vec![
                Attribute::string("id").optional_computed().validate(id_validator()).description("The project id. Set exactly one of `id` and `name`."),
                Attribute::string("name").optional_computed().validate(length_between(1, 100)).description("The project name. Set exactly one of `id` and `name`."),
                Attribute::string("description").computed().description("The project's description."),
                Attribute::string("team_id").computed().description("The workspace (team) owning the project."),
                Attribute::bool("private").computed().description("Whether the project is private."),
                Attribute::string("default_environment_id").computed().description("The id of the project's default environment (usually `production`)."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        id_xor_name(config, Self::TYPE_NAME, diags)
    }

    async fn read(
        &self,
        c: &RailwayClient,
        config: ProjectDataModel,
        _cx: &ApplyCx,
    ) -> Result<ProjectDataModel, Diagnostics> {
        let fail = |e: ApiError| api_diag("Failed to look up Railway project", &e);
        let p = match (config.id.known(), config.name.known()) {
            (Some(id), _) => match c.project(id).await {
                Err(e) if e.is_not_found() => exactly_one(
                    Vec::<Project>::new(),
                    &format!("Railway project with id {id:?}"),
                )?,
                other => other.map_err(fail)?,
            },
            (None, Some(name)) => {
                let all = c.projects(None).await.map_err(fail)?;
                let found = all.into_iter().filter(|p| &p.name == name).collect();
                exactly_one(found, &format!("Railway project named {name:?}"))?
            }
            (None, None) => {
                return Err(Diagnostic::error(
                    "Missing lookup key",
                    "Data source railway_project needs `id` or `name`.",
                )
                .at(Path::root("id"))
                .into())
            }
        };
        let env = match p.named_default_environment() {
            Some(e) => e.to_string(),
            None => c.default_environment_id(&p.id).await.map_err(fail)?,
        };
        Ok(ProjectDataModel::from_api(&p, env))
    }
}

// ------------------------------------------------------------------ railway_service

pub struct ServiceData;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDataModel {
    pub id: Val<String>,
    pub name: Val<String>,
    pub project_id: Val<String>,
    pub icon: Val<String>,
}

#[async_trait]
impl TypedDataSource for ServiceData {
    type Model = ServiceDataModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_service";

    fn schema(&self) -> Schema {
        Schema::new(
            "Look up a Railway service by id, or by name within a project (`project_id` is then required).",
            vec![
                Attribute::string("id").optional_computed().validate(id_validator()).description("The service id. Set exactly one of `id` and `name`."),
                Attribute::string("name").optional_computed().validate(length_between(1, 100)).description("The service name, unique in its project. Set exactly one of `id` and `name`."),
                Attribute::string("project_id").optional_computed().validate(id_validator()).description("The project the service belongs to; required with `name`."),
                Attribute::string("icon").computed().description("The service's icon, when it has one."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        id_xor_name(config, Self::TYPE_NAME, diags);
        if config.attr("name").as_str().is_some() && config.attr("project_id").is_null() {
            diags.push(
                Diagnostic::error(
                    "Missing project_id",
                    "Service names are unique only within a project: set `project_id` with `name`.",
                )
                .at(Path::root("project_id")),
            );
        }
    }

    async fn read(
        &self,
        c: &RailwayClient,
        config: ServiceDataModel,
        _cx: &ApplyCx,
    ) -> Result<ServiceDataModel, Diagnostics> {
        let fail = |e: ApiError| api_diag("Failed to look up Railway service", &e);
        let id = match (
            config.id.known(),
            config.name.known(),
            config.project_id.known(),
        ) {
            (Some(id), _, _) => id.clone(),
            (None, Some(name), Some(project)) => {
                let all = c.project_services(project).await.map_err(fail)?;
                let found = all.into_iter().filter(|s| &s.name == name).collect();
                let what = format!("Railway service named {name:?} in project {project}");
                exactly_one(found, &what)?.id
            }
            _ => {
                return Err(Diagnostic::error(
                    "Missing lookup key",
                    "Data source railway_service needs `id`, or `name` with `project_id`.",
                )
                .at(Path::root("id"))
                .into())
            }
        };
        let s = match c.service(&id).await {
            Err(e) if e.is_not_found() => {
                exactly_one(Vec::new(), &format!("Railway service with id {id:?}"))?
            }
            other => other.map_err(fail)?,
        };
        if let Some(project) = config.project_id.known().filter(|p| **p != s.project_id) {
            return Err(Diagnostic::error(
                "Not found",
                format!(
                    "Railway service {id} belongs to project {}, not {project}.",
                    s.project_id
                ),
            )
            .at(Path::root("project_id"))
            .into());
        }
        Ok(ServiceDataModel {
            id: Val::Known(s.id),
            name: Val::Known(s.name),
            project_id: Val::Known(s.project_id),
            icon: Val::from(s.icon.filter(|i| !i.is_empty())),
        })
    }
}
