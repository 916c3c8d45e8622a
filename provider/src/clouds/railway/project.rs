//! `railway_project`: a project (name, description, workspace, visibility) and the id of its
//! default environment, so a module can create everything it deploys into. The model and its
//! pure mappings (`from_api`, `to_create_input`, `to_update_input`) live here; CRUD calls the
//! client and maps the answer. Must not import protocol.
//!
//! Adoption after a lost create answer (issue #19): none. Project names are not unique in a
//! workspace and Railway's `Project` carries no field paasform could mark, so a project found by
//! name after an ambiguous failure may be someone else's. The create is never retried blindly
//! (`projectCreate` is a non-idempotent operation) and the error says what to check.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{Project, ProjectCreateInput, ProjectUpdateInput};
use super::client::RailwayClient;
use super::railway_ids;
use crate::clouds::http::{ApiError, GoneOk};
use crate::clouds::support::api_diag;
use crate::framework::rules::length_between;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Failed, ImportId, Schema,
    TypedResource, Update, Val, Value,
};

pub struct ProjectResource;

/// `railway_project` state. `name` is a `Val` only because an import's partial state lacks it
/// until Read fills it.
// `default`: an import's partial state names only some attributes; the rest start null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectModel {
    pub id: Val<String>,
    pub name: Val<String>,
    pub description: Option<String>,
    pub team_id: Val<String>,
    pub private: Val<bool>,
    pub default_environment_id: Val<String>,
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        "A Railway project. Creating one also creates its default (`production`) environment, whose id is exported.",
        vec![
            Attribute::string("id").computed().keep_state().description("The project id."),
            Attribute::string("name").required().validate(length_between(1, 100)).description("The project name (renaming is in place)."),
            Attribute::string("description").optional().description("A description of the project."),
            Attribute::string("team_id")
                .optional_computed()
                .keep_state()
                .replace()
                .description("The workspace (team) owning the project; default: the token's personal workspace."),
            Attribute::bool("private").default(Value::Bool(true)).description("Whether the project is private (default true); false makes it public."),
            Attribute::string("default_environment_id").computed().keep_state().description("The id of the project's default environment (usually `production`)."),
        ],
    )
}

impl ProjectModel {
    /// The state for a project as the API reports it; the configured form where the API is
    /// vague (an empty description stays `""` when that is what the prior value said).
    /// `default_environment` is the answer's own, or what the client looked up.
    pub fn from_api(p: &Project, default_environment: String, prior: &ProjectModel) -> Self {
        let description = match p.description.as_deref() {
            Some(s) if !s.is_empty() => Some(s.to_string()),
            _ if prior.description.as_deref() == Some("") => Some(String::new()),
            _ => None,
        };
        let team_id = match p.workspace_id.as_deref().filter(|w| !w.is_empty()) {
            Some(w) => Val::Known(w.to_string()),
            None => prior.team_id.clone().settle(),
        };
        ProjectModel {
            id: Val::Known(p.id.clone()),
            name: Val::Known(p.name.clone()),
            description,
            team_id,
            private: Val::Known(!p.is_public),
            default_environment_id: Val::Known(default_environment),
        }
    }

    pub fn to_create_input(&self) -> ProjectCreateInput {
        ProjectCreateInput {
            name: self.name.as_deref().unwrap_or_default().to_string(),
            description: self.description.clone(),
            is_public: self.private.known() == Some(&false),
            workspace_id: self.team_id.known().cloned(),
        }
    }

    /// Only what changed; an empty description clears it (null would mean "unchanged").
    pub fn to_update_input(&self, prior: &ProjectModel) -> ProjectUpdateInput {
        ProjectUpdateInput {
            name: (self.name != prior.name)
                .then(|| self.name.as_deref().unwrap_or_default().into()),
            description: (self.description != prior.description)
                .then(|| self.description.clone().unwrap_or_default()),
            is_public: (self.private != prior.private)
                .then(|| self.private.known() == Some(&false)),
        }
    }
}

/// The answer's default environment, else the one the client finds (one more call).
async fn default_environment(c: &RailwayClient, p: &Project) -> Result<String, ApiError> {
    match p.named_default_environment() {
        Some(e) => Ok(e.to_string()),
        None => c.default_environment_id(&p.id).await,
    }
}

async fn mapped(
    c: &RailwayClient,
    p: &Project,
    prior: &ProjectModel,
) -> Result<ProjectModel, ApiError> {
    let env = default_environment(c, p).await?;
    Ok(ProjectModel::from_api(p, env, prior))
}

#[async_trait]
impl TypedResource for ProjectResource {
    type Model = ProjectModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_project";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::project_sources()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .read_in_full(&["team_id"])
            .check(railway_ids)
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let p = match c.create_project(&op.plan.to_create_input()).await {
            Ok(p) => p,
            Err(e) if e.is_ambiguous() => {
                return Err(Diagnostic::error(
                    "Failed to create Railway project",
                    format!(
                        "{e}. The answer was lost, so the project may exist anyway; Railway project names are not unique, \
                         so paasform does not adopt one by name nor retry. Check the workspace for a project named {:?} \
                         and `terraform import` it (id), or delete it, before applying again.",
                        op.plan.name.as_deref().unwrap_or_default()
                    ),
                )
                .into())
            }
            Err(e) => return Err(api_diag("Failed to create Railway project", &e).into()),
        };
        tracing::info!(id = %p.id, "created Railway project");
        let mut partial = op.plan.clone();
        partial.id = Val::Known(p.id.clone());
        mapped(c, &p, &op.plan).await.map_err(|e| {
            Failed::partial(
                partial,
                api_diag(
                    "Created the Railway project but could not read its default environment",
                    &e,
                ),
            )
        })
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ProjectModel>, Diagnostics> {
        let id = state.id.required("id")?;
        let p = match c.project(id).await {
            Ok(p) => p,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read Railway project", &e)),
        };
        mapped(c, &p, &state)
            .await
            .map(Some)
            .map_err(|e| api_diag("Failed to read Railway project", &e))
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let id = op.prior.id.required("id")?;
        let input = op.plan.to_update_input(&op.prior);
        let p = if input.is_empty() {
            c.project(id).await
        } else {
            c.update_project(id, &input).await
        };
        let result = match p {
            Ok(p) => mapped(c, &p, &op.plan).await,
            Err(e) => Err(e),
        };
        result.map_err(|e| {
            Failed::partial(
                op.prior.clone(),
                api_diag("Failed to update Railway project", &e),
            )
        })
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_project(state.id.required("id")?)
            .await
            .gone_ok()
            .map_err(|e| api_diag("Failed to delete Railway project", &e))
    }
}
