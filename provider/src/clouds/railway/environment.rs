//! `railway_environment`: an environment of a project, optionally forked from another one
//! (its services, settings and variables are copied at creation).

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use super::client::models::Environment;
use super::client::RailwayClient;
use super::{api_diag, known_str, split_import_id, valid_id};
use crate::framework::rules::{length_between, Validator};
use crate::framework::{ApplyResult, Attribute, Ctx, Diagnostics, Resource, Schema, Value};

pub struct EnvironmentResource;

fn id_validator() -> Validator {
    Validator::string("A Railway id.", |s| {
        (!valid_id(s)).then(|| format!("{s:?} is not a Railway id."))
    })
}

fn schema() -> Schema {
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

fn to_state(mut state: Value, e: &Environment) -> Value {
    state.set_attr("id", Value::string(&e.id));
    state.set_attr("name", Value::string(&e.name));
    if !e.project_id.is_empty() {
        state.set_attr("project_id", Value::string(&e.project_id));
    }
    // The source only matters at creation; keep the configured value, fill it after an import.
    if state.attr("source_environment_id").is_unknown() {
        state.set_attr(
            "source_environment_id",
            e.source_environment
                .as_ref()
                .map_or(Value::Null, |s| Value::string(&s.id)),
        );
    }
    state
}

#[async_trait]
impl Resource for EnvironmentResource {
    fn type_name(&self) -> &'static str {
        "railway_environment"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let project = known_str(plan, "project_id").unwrap_or_default();
        let name = known_str(plan, "name").unwrap_or_default();
        let mut input = Map::new();
        input.insert("projectId".into(), json!(project));
        input.insert("name".into(), json!(name));
        if let Some(src) = known_str(plan, "source_environment_id") {
            input.insert("sourceEnvironmentId".into(), json!(src));
        }
        let env = match client.create_environment(Json::Object(input)).await {
            Ok(e) => e,
            // Names are unique in a project: after an ambiguous failure, adopt the one that exists.
            Err(e) if e.is_ambiguous() => match client
                .project_environments(&project)
                .await
                .map(|l| l.into_iter().find(|x| x.name == name))
            {
                Ok(Some(found)) => Environment {
                    id: found.id,
                    name: found.name,
                    project_id: project.clone(),
                    source_environment: None,
                },
                _ => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag("Failed to create Railway environment", &e),
                    )
                }
            },
            Err(e) => {
                return ApplyResult::failed(
                    Value::Null,
                    api_diag("Failed to create Railway environment", &e),
                )
            }
        };
        tracing::info!(id = %env.id, "created Railway environment");
        ApplyResult::ok(to_state(plan.clone(), &env))
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<RailwayClient>()?;
        let id = known_str(state, "id").unwrap_or_default();
        let project = known_str(state, "project_id");
        match client.environment(&id, project.as_deref()).await {
            Ok(e) => Ok(to_state(state.clone(), &e)),
            Err(e) if e.is_not_found() => Ok(Value::Null),
            Err(e) => Err(api_diag("Failed to read Railway environment", &e)),
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let id = known_str(prior, "id").unwrap_or_default();
        if prior.attr("name") == plan.attr("name") {
            return ApplyResult::ok(plan.clone());
        }
        match client
            .rename_environment(&id, &known_str(plan, "name").unwrap_or_default())
            .await
        {
            Ok(e) => ApplyResult::ok(to_state(plan.clone(), &e)),
            Err(e) => ApplyResult::failed(
                prior.clone(),
                api_diag("Failed to rename Railway environment", &e),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        match client
            .delete_environment(&known_str(state, "id").unwrap_or_default())
            .await
        {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Railway environment", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let parts = split_import_id(
            id,
            2,
            "\"<environment_id>\" or \"<project_id>/<environment_id>\"",
        )?;
        let (project, env) = match parts.as_slice() {
            [p, e] => (Value::string(*p), *e),
            _ => (Value::Unknown, id),
        };
        Ok(Value::object([
            ("id", Value::string(env)),
            ("project_id", project),
            ("source_environment_id", Value::Unknown),
        ]))
    }
}
