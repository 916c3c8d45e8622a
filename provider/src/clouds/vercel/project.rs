//! `vercel_project`: a project, its Git link and its environment variables. Env vars are
//! reconciled by identity (key + targets + git branch): one batch create for new ones, one batch
//! delete for removed ones, an edit only for those that changed. Sensitive values cannot be read
//! back, so the configured value is kept.

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use super::client::{EnvVar, Project, VercelClient};
use super::schema::{project_schema, validate_environment};
use crate::clouds::support::api_diag;
use crate::framework::{ApplyResult, Ctx, Diagnostic, Diagnostics, Path, Resource, Schema, Value};

pub struct ProjectResource;

/// Terraform attribute ↔ API field for the plain string settings.
const STRING_FIELDS: &[(&str, &str)] = &[
    ("framework", "framework"),
    ("root_directory", "rootDirectory"),
    ("build_command", "buildCommand"),
    ("output_directory", "outputDirectory"),
    ("install_command", "installCommand"),
    ("dev_command", "devCommand"),
    ("ignore_command", "commandForIgnoringBuildStep"),
    ("serverless_function_region", "serverlessFunctionRegion"),
];
const PATCH_ONLY: &[(&str, &str)] = &[
    ("node_version", "nodeVersion"),
    (
        "automatically_expose_system_environment_variables",
        "autoExposeSystemEnvs",
    ),
];
const BOOL_FIELDS: &[(&str, &str)] = &[
    ("public_source", "publicSource"),
    ("preview_deployments_disabled", "previewDeploymentsDisabled"),
];

fn team(client: &VercelClient, v: &Value) -> Option<String> {
    v.attr("team_id")
        .as_str()
        .map(str::to_string)
        .or_else(|| client.default_team.clone())
}

fn to_json(v: &Value) -> Option<Json> {
    (!v.is_null() && !v.is_unknown()).then(|| v.to_plain_json())
}

/// The JSON fields for `fields` whose planned value is set (create) or changed (update).
fn fields(prior: &Value, plan: &Value, map: &[(&str, &str)], out: &mut Map<String, Json>) {
    for (attr, api) in map {
        let p = plan.attr(attr);
        if p.is_unknown()
            || (!prior.is_null() && prior.attr(attr) == p)
            || (prior.is_null() && p.is_null())
        {
            continue;
        }
        out.insert(api.to_string(), to_json(p).unwrap_or(Json::Null));
    }
}

fn identity(e: &EnvVar) -> (String, Vec<String>, Option<String>) {
    let mut t = e.target.clone();
    t.sort();
    (e.key.clone(), t, e.git_branch.clone())
}

fn env_from_value(v: &Value) -> Vec<EnvVar> {
    v.elements()
        .unwrap_or_default()
        .iter()
        .map(|e| EnvVar {
            id: None,
            key: e.attr("key").as_str().unwrap_or_default().to_string(),
            value: e.attr("value").as_str().map(str::to_string),
            target: e
                .attr("target")
                .elements()
                .unwrap_or_default()
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            kind: e.attr("type").as_str().unwrap_or("encrypted").to_string(),
            git_branch: e.attr("git_branch").as_str().map(str::to_string),
            comment: e.attr("comment").as_str().map(str::to_string),
        })
        .collect()
}

/// The API's env vars as the attribute value, in the configured form where the API cannot tell.
fn env_to_value(api: &[EnvVar], prior: &Value) -> Value {
    if api.is_empty() {
        return Value::Null;
    }
    let prior_elems = prior.elements().unwrap_or_default();
    let prior_vars = env_from_value(prior);
    let elems = api
        .iter()
        .map(|e| {
            let matched = prior_vars
                .iter()
                .position(|p| identity(p) == identity(e))
                .and_then(|i| prior_elems.get(i));
            let value = match (&e.value, e.kind.as_str(), matched) {
                (_, "sensitive", Some(m)) => m.attr("value").clone(),
                (Some(v), _, _) => Value::string(v),
                (None, _, Some(m)) => m.attr("value").clone(),
                (None, _, None) => Value::Null,
            };
            let kind = Value::string(if e.kind.is_empty() {
                "encrypted"
            } else {
                &e.kind
            });
            Value::object([
                ("key", Value::string(&e.key)),
                ("value", value),
                (
                    "target",
                    Value::set(e.target.iter().map(Value::string).collect()),
                ),
                (
                    "git_branch",
                    e.git_branch.clone().map_or(Value::Null, Value::String),
                ),
                ("type", kind),
                (
                    "comment",
                    e.comment
                        .clone()
                        .filter(|c| !c.is_empty())
                        .map_or(Value::Null, Value::String),
                ),
            ])
        })
        .collect();
    Value::set(elems)
}

/// Make the project's env vars equal `plan` with the fewest calls.
async fn sync_env(
    client: &VercelClient,
    team: Option<&str>,
    id: &str,
    plan: &Value,
) -> Result<(), Diagnostics> {
    let want = env_from_value(plan);
    let have = client
        .list_env(team, id)
        .await
        .map_err(|e| api_diag("Failed to read Vercel environment variables", &e))?;
    let stale: Vec<String> = have
        .iter()
        .filter(|h| !want.iter().any(|w| identity(w) == identity(h)))
        .filter_map(|h| h.id.clone())
        .collect();
    client
        .delete_envs(team, id, &stale)
        .await
        .map_err(|e| api_diag("Failed to remove Vercel environment variables", &e))?;
    let mut new = Vec::new();
    for w in &want {
        match have.iter().find(|h| identity(h) == identity(w)) {
            None => new.push(w.clone()),
            Some(h) => {
                let same = h.kind == w.kind
                    && h.comment.as_deref().unwrap_or("") == w.comment.as_deref().unwrap_or("")
                    && (h.value.is_none() || h.value == w.value);
                // A sensitive value cannot be compared: edit only when the plan says it changed.
                if !same || h.value.is_none() {
                    if let Some(env_id) = &h.id {
                        client.edit_env(team, id, env_id, w).await.map_err(|e| {
                            api_diag(
                                &format!("Failed to update Vercel environment variable {}", w.key),
                                &e,
                            )
                        })?;
                    }
                }
            }
        }
    }
    if !new.is_empty() {
        client
            .create_env(team, id, &new)
            .await
            .map_err(|e| api_diag("Failed to create Vercel environment variables", &e))?;
    }
    Ok(())
}

/// Fill computed attributes from the API's project.
fn merge_project(mut state: Value, p: &Project, team: Option<String>) -> Value {
    state.set_attr("id", Value::string(&p.id));
    state.set_attr("name", Value::string(&p.name));
    // Only a team the user named scopes later calls; a personal account has none (its account id
    // is not a team and would not resolve as one).
    state.set_attr("team_id", team.map_or(Value::Null, Value::String));
    let s = |o: &Option<String>| o.clone().map_or(Value::Null, Value::String);
    let b = |o: &Option<bool>| o.map_or(Value::Null, Value::Bool);
    for (attr, val) in [
        ("framework", s(&p.framework)),
        ("root_directory", s(&p.root_directory)),
        ("build_command", s(&p.build_command)),
        ("output_directory", s(&p.output_directory)),
        ("install_command", s(&p.install_command)),
        ("dev_command", s(&p.dev_command)),
        ("ignore_command", s(&p.command_for_ignoring_build_step)),
        ("node_version", s(&p.node_version)),
        (
            "serverless_function_region",
            s(&p.serverless_function_region),
        ),
        ("public_source", b(&p.public_source)),
        (
            "preview_deployments_disabled",
            b(&p.preview_deployments_disabled),
        ),
        (
            "automatically_expose_system_environment_variables",
            b(&p.auto_expose_system_envs),
        ),
    ] {
        state.set_attr(attr, val);
    }
    let git = match p.git() {
        Some((kind, repo, branch)) => {
            // Keep the configured spelling when the link names the same repository.
            let prior = state.attr("git_repository");
            let repo = match prior.attr("repo").as_str() {
                Some(r) if r.eq_ignore_ascii_case(&repo) => r.to_string(),
                _ => repo,
            };
            Value::object([
                ("type", Value::string(kind)),
                ("repo", Value::string(repo)),
                (
                    "production_branch",
                    branch.map_or(Value::Null, Value::String),
                ),
            ])
        }
        None => Value::Null,
    };
    state.set_attr("git_repository", git);
    state
}

fn failed(state: Value, d: Diagnostics) -> ApplyResult {
    ApplyResult::failed(state, d)
}

#[async_trait]
impl Resource for ProjectResource {
    fn type_name(&self) -> &'static str {
        "vercel_project"
    }

    fn schema(&self) -> Schema {
        project_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_environment(config, diags);
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<VercelClient>() {
            Ok(c) => c,
            Err(d) => return failed(Value::Null, d),
        };
        let team = team(client, plan);
        let mut body = Map::new();
        body.insert("name".into(), json!(plan.attr("name").as_str()));
        fields(&Value::Null, plan, STRING_FIELDS, &mut body);
        fields(&Value::Null, plan, BOOL_FIELDS, &mut body);
        if let Some(g) = to_json(plan.attr("git_repository")) {
            body.insert(
                "gitRepository".into(),
                json!({"type": g["type"], "repo": g["repo"]}),
            );
        }
        let name = plan.attr("name").as_str().unwrap_or_default().to_string();
        let project = match client
            .create_project(team.as_deref(), Json::Object(body))
            .await
        {
            Ok(p) => p,
            // Names are unique per team: after an ambiguous failure, adopt the project if it exists.
            Err(e) if e.is_ambiguous() => match client.get_project(team.as_deref(), &name).await {
                Ok(p) => p,
                Err(_) => {
                    return failed(Value::Null, api_diag("Failed to create Vercel project", &e))
                }
            },
            Err(e) => return failed(Value::Null, api_diag("Failed to create Vercel project", &e)),
        };
        let mut state = merge_project(plan.clone(), &project, team.clone());
        let mut patch = Map::new();
        fields(&Value::Null, plan, PATCH_ONLY, &mut patch);
        let project = if patch.is_empty() {
            project
        } else {
            match client
                .update_project(team.as_deref(), &project.id, Json::Object(patch))
                .await
            {
                Ok(p) => p,
                Err(e) => {
                    return failed(
                        state,
                        api_diag("Failed to configure the new Vercel project", &e),
                    )
                }
            }
        };
        state = merge_project(state, &project, team.clone());
        // A new project has no variables yet: one batch create, nothing to reconcile.
        let vars = env_from_value(plan.attr("environment"));
        if !vars.is_empty() {
            if let Err(e) = client.create_env(team.as_deref(), &project.id, &vars).await {
                return failed(
                    state,
                    api_diag("Failed to create Vercel environment variables", &e),
                );
            }
        }
        state.set_attr("environment", plan.attr("environment").clone());
        ApplyResult::ok(state)
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<VercelClient>()?;
        let team = team(client, state);
        let id = state.attr("id").as_str().unwrap_or_default();
        let project = match client.get_project(team.as_deref(), id).await {
            Ok(p) => p,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read Vercel project", &e)),
        };
        let mut next = merge_project(state.clone(), &project, team.clone());
        if !state.attr("environment").is_null() {
            let env = client
                .list_env(team.as_deref(), &project.id)
                .await
                .map_err(|e| api_diag("Failed to read Vercel environment variables", &e))?;
            let prior = if state.attr("environment").is_unknown() {
                Value::Null
            } else {
                state.attr("environment").clone()
            };
            next.set_attr("environment", env_to_value(&env, &prior));
        }
        Ok(next)
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<VercelClient>() {
            Ok(c) => c,
            Err(d) => return failed(prior.clone(), d),
        };
        let team = team(client, plan);
        let id = prior.attr("id").as_str().unwrap_or_default().to_string();
        let mut body = Map::new();
        if prior.attr("name") != plan.attr("name") {
            body.insert("name".into(), plan.attr("name").to_plain_json());
        }
        fields(prior, plan, STRING_FIELDS, &mut body);
        fields(prior, plan, BOOL_FIELDS, &mut body);
        fields(prior, plan, PATCH_ONLY, &mut body);
        let mut state = plan.clone();
        if !body.is_empty() {
            match client
                .update_project(team.as_deref(), &id, Json::Object(body))
                .await
            {
                Ok(p) => state = merge_project(state, &p, team.clone()),
                Err(e) => {
                    return failed(
                        prior.clone(),
                        api_diag("Failed to update Vercel project", &e),
                    )
                }
            }
        }
        if prior.attr("environment") != plan.attr("environment") {
            if let Err(d) = sync_env(client, team.as_deref(), &id, plan.attr("environment")).await {
                let mut partial = state.clone();
                partial.set_attr("environment", prior.attr("environment").clone());
                return failed(partial, d);
            }
        }
        state.set_attr("environment", plan.attr("environment").clone());
        ApplyResult::ok(state)
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<VercelClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let team = team(client, state);
        match client
            .delete_project(
                team.as_deref(),
                state.attr("id").as_str().unwrap_or_default(),
            )
            .await
        {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Vercel project", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        };
        let (team, project) = match id.split_once('/') {
            Some((t, p)) if ok(t) && ok(p) => (Value::string(t), p),
            None if ok(id) => (Value::Null, id),
            _ => {
                return Err(Diagnostic::error("Invalid import id", format!("Expected \"<project_id>\", \"<team_id>/<project_id>\" or a project name, got {id:?}."))
                    .at(Path::root("id"))
                    .into())
            }
        };
        Ok(Value::object([
            ("id", Value::string(project)),
            ("team_id", team),
            ("environment", Value::Unknown),
        ]))
    }
}
