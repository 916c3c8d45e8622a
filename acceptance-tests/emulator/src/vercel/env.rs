//! Vercel environment-variable routes: list (`decrypt`, `gitBranch` filters), create (one or many,
//! `upsert=true`), get one, edit, remove, batch remove. The model and its validation live in
//! `env_model`. Must not import other vendor modules.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::env_model::{parse_input, strings, EnvInput, EnvVar, Reveal};
use super::projects::Project;
use super::{bad_request, caller, error, parse_body, parse_object, Reply};
use crate::world::Emulator;

const EDIT_FIELDS: [&str; 7] = [
    "key",
    "target",
    "gitBranch",
    "type",
    "value",
    "customEnvironmentIds",
    "comment",
];

/// Run `f` on the variables of the project `id_or_name` names in `account`.
fn with_project<R>(
    emu: &Emulator,
    account: &str,
    id_or_name: &str,
    f: impl FnOnce(&mut Vec<EnvVar>, u64) -> Result<R, Response>,
) -> Result<R, Response> {
    super::with_project(emu, account, id_or_name, |p, now| f(&mut p.env, now))
}

/// A variable may only name custom environments of its project.
fn unknown_custom_environment(project: &Project, inputs: &[EnvInput]) -> Result<(), Response> {
    let missing = inputs
        .iter()
        .flat_map(|i| i.custom_environment_ids.iter())
        .find(|id| !project.has_custom_environment(id));
    match missing {
        Some(id) => Err(bad_request(format!(
            "The custom environment \"{id}\" does not exist in this project."
        ))),
        None => Ok(()),
    }
}

fn env_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Environment Variable not found.",
    )
}

fn already_exists(existing: &EnvVar) -> Value {
    json!({"error": {
        "code": "ENV_ALREADY_EXISTS",
        "message": format!(
            "A variable with the name `{}` already exists for the target {} on branch {}.",
            existing.key,
            existing.target.join(", "),
            existing.git_branch.as_deref().unwrap_or("undefined")
        ),
        "key": existing.key,
        "envVarId": existing.id,
        "envVarKey": existing.key,
        "target": existing.target,
        "gitBranch": existing.git_branch,
    }})
}

pub async fn list(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let reveal = match query.get("decrypt").map(String::as_str) {
        None | Some("false") => Reveal::Stored,
        Some("true") => Reveal::Decrypted,
        Some(_) => {
            return Err(bad_request(
                "Invalid request: `decrypt` should be \"true\" or \"false\".",
            ))
        }
    };
    let branch = query.get("gitBranch");
    let custom = query.get("customEnvironmentId");
    let envs = with_project(&emu, &account, &id_or_name, |env, _| {
        Ok(env
            .iter()
            .filter(|v| branch.is_none_or(|b| v.git_branch.as_ref() == Some(b)))
            .filter(|v| custom.is_none_or(|c| v.custom_environment_ids.contains(c)))
            .map(|v| v.render(reveal))
            .collect::<Vec<_>>())
    })?;
    let count = envs.len();
    Ok(
        Json(json!({"envs": envs, "pagination": {"count": count, "next": null, "prev": null}}))
            .into_response(),
    )
}

/// One variable or an array; with `upsert=true` a clashing variable is overwritten, otherwise it
/// is reported under `failed` (and the call fails with 403 when nothing was created).
pub async fn create(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let upsert = query.get("upsert").is_some_and(|u| u == "true" || u == "1");
    let body = parse_body(&body)?;
    let (items, single) = match &body {
        Value::Array(items) if !items.is_empty() => (items.clone(), false),
        Value::Object(_) => (vec![body.clone()], true),
        _ => return Err(bad_request("Invalid request: the body should be an environment variable or a non-empty array of them.")),
    };
    let inputs = items
        .iter()
        .map(|i| parse_input(i, None))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad_request)?;
    let (created, failed) = super::with_project(&emu, &account, &id_or_name, |project, now| {
        unknown_custom_environment(project, &inputs)?;
        let env = &mut project.env;
        let (mut created, mut failed) = (Vec::new(), Vec::new());
        for input in inputs {
            match env.iter_mut().find(|v| v.clashes_with(&input)) {
                Some(existing) if upsert => {
                    input.apply_to(existing, now);
                    created.push(existing.render(Reveal::Stored));
                }
                Some(existing) => failed.push(already_exists(existing)),
                None => {
                    let var = input.into_var(now);
                    created.push(var.render(Reveal::Stored));
                    env.push(var);
                }
            }
        }
        Ok((created, failed))
    })?;
    if created.is_empty() {
        let first = failed.into_iter().next().unwrap_or(Value::Null);
        return Ok((StatusCode::FORBIDDEN, Json(first)).into_response());
    }
    let created = match (single, created.len()) {
        (true, 1) => created.into_iter().next().unwrap_or(Value::Null),
        _ => Value::Array(created),
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({"created": created, "failed": failed})),
    )
        .into_response())
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((id_or_name, env_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let var = with_project(&emu, &account, &id_or_name, |env, _| {
        env.iter()
            .find(|v| v.id == env_id)
            .map(|v| v.render(Reveal::Single))
            .ok_or_else(env_not_found)
    })?;
    Ok(Json(var).into_response())
}

/// Fields left out keep their value; `gitBranch: null` removes the branch.
pub async fn edit(
    State(emu): State<Emulator>,
    Path((id_or_name, env_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    if let Some(extra) = body.keys().find(|k| !EDIT_FIELDS.contains(&k.as_str())) {
        return Err(bad_request(format!(
            "Invalid request: should NOT have additional property `{extra}`."
        )));
    }
    let var = with_project(&emu, &account, &id_or_name, |env, now| {
        let index = env
            .iter()
            .position(|v| v.id == env_id)
            .ok_or_else(env_not_found)?;
        let mut merged = EnvInput::from_var(&env[index]).to_body();
        merged.extend(body);
        let input = parse_input(&Value::Object(merged), None).map_err(bad_request)?;
        if let Some(other) = env
            .iter()
            .enumerate()
            .find(|(i, v)| *i != index && v.clashes_with(&input))
        {
            return Err((StatusCode::FORBIDDEN, Json(already_exists(other.1))).into_response());
        }
        input.apply_to(&mut env[index], now);
        Ok(env[index].render(Reveal::Stored))
    })?;
    Ok(Json(var).into_response())
}

pub async fn remove(
    State(emu): State<Emulator>,
    Path((id_or_name, env_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let var = with_project(&emu, &account, &id_or_name, |env, _| {
        let index = env
            .iter()
            .position(|v| v.id == env_id)
            .ok_or_else(env_not_found)?;
        Ok(env.remove(index).render(Reveal::Stored))
    })?;
    Ok(Json(var).into_response())
}

/// `DELETE /v1/projects/{idOrName}/env` with `{"ids": [...]}` (1 to 1000); unknown ids are skipped.
pub async fn batch_remove(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    if let Some(extra) = body.keys().find(|k| *k != "ids") {
        return Err(bad_request(format!(
            "Invalid request: should NOT have additional property `{extra}`."
        )));
    }
    let ids = body
        .get("ids")
        .ok_or_else(|| "Invalid request: missing required property `ids`.".to_string())
        .and_then(|v| strings(v, "ids"))
        .and_then(|ids| match ids.len() {
            1..=1000 => Ok(ids),
            _ => Err("Invalid request: `ids` should have from 1 to 1000 items.".into()),
        })
        .map_err(bad_request)?;
    let deleted = with_project(&emu, &account, &id_or_name, |env, _| {
        let before: Vec<String> = env.iter().map(|v| v.id.clone()).collect();
        env.retain(|v| !ids.contains(&v.id));
        Ok(before
            .into_iter()
            .filter(|id| ids.contains(id))
            .collect::<Vec<_>>())
    })?;
    Ok(Json(json!({"deleted": deleted.len(), "ids": deleted})).into_response())
}
