//! `railway_environment`: an environment of a project, optionally forked from another one
//! (its services, settings and variables are copied at creation). Names are unique in a project,
//! so an ambiguous create adopts the environment of that name. Model, pure mapping and CRUD in
//! one file; must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{Environment, EnvironmentCreateInput};
use super::client::RailwayClient;
use super::{railway_ids, valid_id};
use crate::clouds::http::GoneOk;
use crate::clouds::support::api_diag;
use crate::framework::rules::{length_between, Validator};
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostics, Failed, ImportId, Schema,
    TypedResource, Update, Val,
};

pub struct EnvironmentResource;

/// `railway_environment` state. `project_id` and `name` are `Val`s only because an import's
/// partial state may lack them until Read fills them.
// `default`: an import's partial state names only some attributes; the rest start null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnvironmentModel {
    pub id: Val<String>,
    pub project_id: Val<String>,
    pub name: Val<String>,
    pub source_environment_id: Val<String>,
}

pub(crate) fn id_validator() -> Validator {
    Validator::string("A Railway id.", |s| {
        (!valid_id(s)).then(|| format!("{s:?} is not a Railway id."))
    })
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        "An environment of a Railway project (e.g. `staging`), optionally forked from an existing environment.",
        vec![
            Attribute::string("id").computed().keep_state().description("The environment id."),
            Attribute::string("project_id").required().replace().validate(id_validator()).description("The project the environment belongs to."),
            Attribute::string("name").required().validate(length_between(1, 100)).description("The environment name, unique in the project (renaming is in place)."),
            Attribute::string("source_environment_id")
                .optional()
                .replace()
                .validate(id_validator())
                .description("Fork this environment at creation: its services, settings and variables are copied."),
        ],
    )
}

impl EnvironmentModel {
    /// The state for an environment as the API reports it. The source only matters at creation:
    /// the configured value stays, an import (unknown) takes the API's.
    pub fn from_api(e: &Environment, prior: &EnvironmentModel) -> Self {
        let source_environment_id = if prior.source_environment_id.is_unknown() {
            e.source_environment
                .as_ref()
                .map_or(Val::Null, |s| Val::Known(s.id.clone()))
        } else {
            prior.source_environment_id.clone()
        };
        EnvironmentModel {
            id: Val::Known(e.id.clone()),
            project_id: if e.project_id.is_empty() {
                prior.project_id.clone()
            } else {
                Val::Known(e.project_id.clone())
            },
            name: Val::Known(e.name.clone()),
            source_environment_id,
        }
    }

    /// `project_id` comes from `Val::required` (never "" in a request).
    pub fn to_create_input(&self, project_id: &str) -> EnvironmentCreateInput {
        EnvironmentCreateInput {
            project_id: project_id.into(),
            name: self.name.as_deref().unwrap_or_default().into(),
            source_environment_id: self.source_environment_id.known().cloned(),
        }
    }
}

#[async_trait]
impl TypedResource for EnvironmentResource {
    type Model = EnvironmentModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_environment";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::environment_sources()
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>", "<project_id>/<id>"])
            .read_in_full(&["source_environment_id"])
            .check(railway_ids)
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<EnvironmentModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvironmentModel> {
        let input = op
            .plan
            .to_create_input(op.plan.project_id.required("project_id")?);
        let (project, name) = (input.project_id.clone(), input.name.clone());
        let env = create_or_adopt(
            "Failed to create Railway environment",
            c.create_environment(&input),
            // Names are unique in a project: the one of that name is what the lost create made.
            || async {
                let found = c.project_environments(&project).await?;
                Ok(found
                    .into_iter()
                    .find(|x| x.name == name)
                    .map(|f| Environment {
                        id: f.id,
                        name: f.name,
                        project_id: project.clone(),
                        source_environment: None,
                    }))
            },
        )
        .await?;
        tracing::info!(id = %env.id, "created Railway environment");
        Ok(EnvironmentModel::from_api(&env, &op.plan))
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: EnvironmentModel,
        _cx: &ApplyCx,
    ) -> Result<Option<EnvironmentModel>, Diagnostics> {
        let id = state.id.required("id")?;
        match c.environment(id, state.project_id.as_deref()).await {
            Ok(e) => Ok(Some(EnvironmentModel::from_api(&e, &state))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Railway environment", &e)),
        }
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<EnvironmentModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvironmentModel> {
        if op.prior.name == op.plan.name {
            return Ok(op.plan);
        }
        let id = op.prior.id.required("id")?;
        match c
            .rename_environment(id, op.plan.name.as_deref().unwrap_or_default())
            .await
        {
            Ok(e) => Ok(EnvironmentModel::from_api(&e, &op.plan)),
            Err(e) => Err(Failed::partial(
                op.prior,
                api_diag("Failed to rename Railway environment", &e),
            )),
        }
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: EnvironmentModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_environment(state.id.required("id")?)
            .await
            .gone_ok()
            .map_err(|e| api_diag("Failed to delete Railway environment", &e))
    }
}
