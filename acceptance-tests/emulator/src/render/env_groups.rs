//! Render env groups (`evg-…`): a named set of env vars and secret files in a workspace (and
//! optionally an environment), linked to services. Routes: list/create/get/patch/delete, one env
//! var or secret file at a time (`PUT` creates or replaces), and the service links. A link to a
//! deleted service disappears from `serviceLinks`. The list answers bare `envGroupMeta` objects
//! (no cursor wrapper), as the spec says. Imports only the shared plumbing, env var parsing and
//! the state.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{body_object, empty, opt_array, opt_bool, opt_str, reply, req_str};
use super::api::{random_secret, ApiError, ApiResult, Authed, ListQuery};
use super::env::{parse_env_vars, parse_secret_files, EnvVar, SecretFile};
use super::{owners, projects, read, write, RenderState};
use crate::world::{new_id, now_rfc3339, Emulator};

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvGroup {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub environment_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub env_vars: Vec<EnvVar>,
    pub secret_files: Vec<SecretFile>,
    pub service_ids: Vec<String>,
}

fn short_type(kind: &str) -> &'static str {
    match kind {
        "static_site" => "static",
        "private_service" => "pserv",
        "background_worker" => "worker",
        "cron_job" => "cron",
        _ => "web",
    }
}

/// `envGroupMeta`: without the variables.
fn meta_json(r: &RenderState, g: &EnvGroup) -> Value {
    let links: Vec<Value> = g
        .service_ids
        .iter()
        .filter_map(|id| r.services.iter().find(|s| &s.id == id))
        .map(|s| json!({"id": s.id, "name": s.name, "type": short_type(&s.kind)}))
        .collect();
    let mut out = json!({
        "id": g.id,
        "name": g.name,
        "ownerId": g.owner_id,
        "createdAt": g.created_at,
        "updatedAt": g.updated_at,
        "serviceLinks": links,
    });
    if let Some(e) = &g.environment_id {
        out["environmentId"] = json!(e);
    }
    out
}

/// `envGroup`: the meta and every variable and file.
fn group_json(r: &RenderState, g: &EnvGroup) -> Value {
    let mut out = meta_json(r, g);
    out["envVars"] = json!(g
        .env_vars
        .iter()
        .map(|e| json!({"key": e.key, "value": e.value}))
        .collect::<Vec<_>>());
    out["secretFiles"] = json!(g
        .secret_files
        .iter()
        .map(|f| json!({"name": f.name, "content": f.content}))
        .collect::<Vec<_>>());
    out
}

fn group<'a>(r: &'a RenderState, id: &str) -> Result<&'a EnvGroup, ApiError> {
    r.env_groups
        .iter()
        .find(|g| g.id == id)
        .ok_or_else(|| ApiError::not_found("env group"))
}

fn group_mut<'a>(r: &'a mut RenderState, id: &str) -> Result<&'a mut EnvGroup, ApiError> {
    r.env_groups
        .iter_mut()
        .find(|g| g.id == id)
        .ok_or_else(|| ApiError::not_found("env group"))
}

/// Answer the group after a change.
fn changed(r: &mut RenderState, id: &str) -> ApiResult {
    let g = group_mut(r, id)?;
    g.updated_at = now_rfc3339();
    let g = g.clone();
    Ok(reply(StatusCode::OK, group_json(r, &g)))
}

/// GET /env-groups — filters name, ownerId, environmentId; `cursor` is an env group id.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    let limit = q.limit()?;
    let cursor = q.values("cursor").into_iter().next();
    read(&emu, |r, _| {
        let all: Vec<&EnvGroup> = r
            .env_groups
            .iter()
            .filter(|g| {
                q.allows("name", &g.name)
                    && q.allows("ownerId", &g.owner_id)
                    && q.allows(
                        "environmentId",
                        g.environment_id.as_deref().unwrap_or_default(),
                    )
            })
            .collect();
        let start = match &cursor {
            None => 0,
            Some(c) => all
                .iter()
                .position(|g| &g.id == c)
                .map_or(all.len(), |i| i + 1),
        };
        let out: Vec<Value> = all
            .into_iter()
            .skip(start)
            .take(limit)
            .map(|g| meta_json(r, g))
            .collect();
        Ok(reply(StatusCode::OK, Value::Array(out)))
    })
}

/// POST /env-groups — 201 `envGroup`.
pub async fn create(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let name = req_str(&body, "name")?;
        let owner_id = req_str(&body, "ownerId")?;
        if !owners::exists(&owner_id) {
            return Err(ApiError::bad_request(format!(
                "owner {owner_id:?} does not exist"
            )));
        }
        let env_vars = parse_env_vars(Some(
            opt_array(&body, "envVars")?
                .ok_or_else(|| ApiError::bad_request("envVars is required"))?,
        ))?;
        let secret_files = parse_secret_files(opt_array(&body, "secretFiles")?)?;
        let environment_id = opt_str(&body, "environmentId")?;
        if let Some(e) = &environment_id {
            if !projects::environment_exists(r, e) {
                return Err(ApiError::not_found("environment"));
            }
        }
        let mut service_ids = Vec::new();
        for v in opt_array(&body, "serviceIds")?.into_iter().flatten() {
            let id = v
                .as_str()
                .ok_or_else(|| ApiError::bad_request("serviceIds must be strings"))?;
            r.service(id)?;
            if !service_ids.iter().any(|s| s == id) {
                service_ids.push(id.to_string());
            }
        }
        let now = now_rfc3339();
        let g = EnvGroup {
            id: new_id("evg-"),
            name,
            owner_id,
            environment_id,
            created_at: now.clone(),
            updated_at: now,
            env_vars,
            secret_files,
            service_ids,
        };
        let out = group_json(r, &g);
        r.env_groups.push(g);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /env-groups/{envGroupId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(StatusCode::OK, group_json(r, group(r, &id)?)))
    })
}

/// PATCH /env-groups/{envGroupId} — `envGroupPATCHInput` (name, required).
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    let name = req_str(&body, "name")?;
    write(&emu, |r, _| {
        group_mut(r, &id)?.name = name;
        changed(r, &id)
    })
}

/// DELETE /env-groups/{envGroupId} — 204.
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        group(r, &id)?;
        r.env_groups.retain(|g| g.id != id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /env-groups/{envGroupId}/env-vars/{envVarKey}
pub async fn get_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, _| {
        let e = group(r, &id)?
            .env_vars
            .iter()
            .find(|e| e.key == key)
            .ok_or_else(|| ApiError::not_found("environment variable"))?;
        Ok(reply(
            StatusCode::OK,
            json!({"key": e.key, "value": e.value}),
        ))
    })
}

/// PUT /env-groups/{envGroupId}/env-vars/{envVarKey} — `{value}` or `{generateValue: true}`.
pub async fn put_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    let value = match (opt_str(&body, "value")?, opt_bool(&body, "generateValue")?) {
        (Some(v), _) => v,
        (None, Some(true)) => random_secret(32),
        _ => {
            return Err(ApiError::bad_request(
                "the env var needs a value or generateValue: true",
            ))
        }
    };
    write(&emu, |r, _| {
        let g = group_mut(r, &id)?;
        match g.env_vars.iter_mut().find(|e| e.key == key) {
            Some(e) => e.value = value,
            None => g.env_vars.push(EnvVar { key, value }),
        }
        changed(r, &id)
    })
}

/// DELETE /env-groups/{envGroupId}/env-vars/{envVarKey} — 204.
pub async fn delete_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let g = group_mut(r, &id)?;
        if !g.env_vars.iter().any(|e| e.key == key) {
            return Err(ApiError::not_found("environment variable"));
        }
        g.env_vars.retain(|e| e.key != key);
        g.updated_at = now_rfc3339();
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /env-groups/{envGroupId}/secret-files/{secretFileName}
pub async fn get_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, _| {
        let f = group(r, &id)?
            .secret_files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ApiError::not_found("secret file"))?;
        Ok(reply(
            StatusCode::OK,
            json!({"name": f.name, "content": f.content}),
        ))
    })
}

/// PUT /env-groups/{envGroupId}/secret-files/{secretFileName} — `{content}`.
pub async fn put_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    let content =
        opt_str(&body, "content")?.ok_or_else(|| ApiError::bad_request("content is required"))?;
    write(&emu, |r, _| {
        let g = group_mut(r, &id)?;
        match g.secret_files.iter_mut().find(|f| f.name == name) {
            Some(f) => f.content = content,
            None => g.secret_files.push(SecretFile { name, content }),
        }
        changed(r, &id)
    })
}

/// DELETE /env-groups/{envGroupId}/secret-files/{secretFileName} — 204.
pub async fn delete_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let g = group_mut(r, &id)?;
        if !g.secret_files.iter().any(|f| f.name == name) {
            return Err(ApiError::not_found("secret file"));
        }
        g.secret_files.retain(|f| f.name != name);
        g.updated_at = now_rfc3339();
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// POST /env-groups/{envGroupId}/services/{serviceId} — link; 200 `envGroup`.
pub async fn link(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, service_id)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        r.service(&service_id)?;
        let g = group_mut(r, &id)?;
        if !g.service_ids.contains(&service_id) {
            g.service_ids.push(service_id);
        }
        changed(r, &id)
    })
}

/// DELETE /env-groups/{envGroupId}/services/{serviceId} — unlink; 204.
pub async fn unlink(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, service_id)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let g = group_mut(r, &id)?;
        if !g.service_ids.contains(&service_id) {
            return Err(ApiError::not_found("service link"));
        }
        g.service_ids.retain(|s| s != &service_id);
        g.updated_at = now_rfc3339();
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
