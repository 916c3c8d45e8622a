//! `railway_project`: a project (name, description, workspace, visibility) and the id of its
//! default environment, so a module can create everything it deploys into.

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use super::client::models::Project;
use super::client::RailwayClient;
use super::{api_diag, known_str, opt_string, split_import_id};
use crate::framework::rules::length_between;
use crate::framework::{ApplyResult, Attribute, Ctx, Diagnostics, Resource, Schema, Value};

pub struct ProjectResource;

fn schema() -> Schema {
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

/// The state for a project as the API reports it; the configured form where the API is vague.
async fn to_state(
    client: &RailwayClient,
    mut state: Value,
    p: &Project,
) -> Result<Value, crate::clouds::http::ApiError> {
    state.set_attr("id", Value::string(&p.id));
    state.set_attr("name", Value::string(&p.name));
    let prior_desc = state.attr("description").clone();
    state.set_attr(
        "description",
        opt_string(p.description.as_deref(), &prior_desc),
    );
    state.set_attr("private", Value::Bool(!p.is_public));
    if let Some(w) = p.workspace_id.as_deref().filter(|w| !w.is_empty()) {
        state.set_attr("team_id", Value::string(w));
    } else if state.attr("team_id").is_unknown() {
        state.set_attr("team_id", Value::Null);
    }
    let env = match p
        .primary_environment_id
        .clone()
        .or_else(|| p.base_environment_id.clone())
        .filter(|s| !s.is_empty())
    {
        Some(e) => e,
        None => client.default_environment_id(&p.id).await?,
    };
    state.set_attr("default_environment_id", Value::string(env));
    Ok(state)
}

#[async_trait]
impl Resource for ProjectResource {
    fn type_name(&self) -> &'static str {
        "railway_project"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let mut input = Map::new();
        input.insert("name".into(), json!(known_str(plan, "name")));
        if let Some(d) = known_str(plan, "description") {
            input.insert("description".into(), json!(d));
        }
        input.insert(
            "isPublic".into(),
            json!(plan.attr("private").as_bool() == Some(false)),
        );
        if let Some(t) = known_str(plan, "team_id") {
            input.insert("workspaceId".into(), json!(t));
        }
        // Project names are not unique, so an ambiguous failure cannot be resolved by a lookup:
        // the create is not retried and the error is reported as is.
        let p = match client.create_project(Json::Object(input)).await {
            Ok(p) => p,
            Err(e) => {
                return ApplyResult::failed(
                    Value::Null,
                    api_diag("Failed to create Railway project", &e),
                )
            }
        };
        tracing::info!(id = %p.id, "created Railway project");
        let mut partial = plan.clone();
        partial.set_attr("id", Value::string(&p.id));
        match to_state(client, plan.clone(), &p).await {
            Ok(s) => ApplyResult::ok(s),
            Err(e) => ApplyResult::failed(
                partial,
                api_diag(
                    "Created the Railway project but could not read its default environment",
                    &e,
                ),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<RailwayClient>()?;
        let id = known_str(state, "id").unwrap_or_default();
        let p = match client.project(&id).await {
            Ok(p) => p,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read Railway project", &e)),
        };
        to_state(client, state.clone(), &p)
            .await
            .map_err(|e| api_diag("Failed to read Railway project", &e))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let id = known_str(prior, "id").unwrap_or_default();
        let mut input = Map::new();
        if prior.attr("name") != plan.attr("name") {
            input.insert("name".into(), json!(known_str(plan, "name")));
        }
        if prior.attr("description") != plan.attr("description") {
            // An empty description clears it (null would mean "unchanged").
            input.insert(
                "description".into(),
                json!(known_str(plan, "description").unwrap_or_default()),
            );
        }
        if prior.attr("private") != plan.attr("private") {
            input.insert(
                "isPublic".into(),
                json!(plan.attr("private").as_bool() == Some(false)),
            );
        }
        let p = if input.is_empty() {
            client.project(&id).await
        } else {
            client.update_project(&id, Json::Object(input)).await
        };
        let result = match p {
            Ok(p) => to_state(client, plan.clone(), &p).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(s) => ApplyResult::ok(s),
            Err(e) => ApplyResult::failed(
                prior.clone(),
                api_diag("Failed to update Railway project", &e),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        match client
            .delete_project(&known_str(state, "id").unwrap_or_default())
            .await
        {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Railway project", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let parts = split_import_id(id, 1, "\"<project_id>\"")?;
        Ok(Value::object([
            ("id", Value::string(parts[0])),
            ("description", Value::Null),
            ("team_id", Value::Unknown),
        ]))
    }
}
