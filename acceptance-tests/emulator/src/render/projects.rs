//! Render projects (`prj-…`) and their environments (`evm-…`), and the environment resources
//! endpoints that move services, Postgres, Key Value and env groups into or out of an
//! environment. Membership has one source of truth: each resource's own `environmentId`; an
//! environment's `serviceIds`/`databasesIds`/`redisIds`/`envGroupIds` are derived from it.
//! Deleting an environment (or a project) that still holds resources is refused with a 409
//! (the spec does not say what Render does; refusing is the conservative reading, and it keeps a
//! test from losing resources silently). Imports only the shared plumbing and the state.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{as_object, body_object, empty, opt_array, opt_bool, opt_enum};
use super::api::{opt_str, reply, req_str, ApiError, ApiResult, Authed, ListQuery};
use super::{list_page, owners, read, write, RenderState};
use crate::world::{new_id, now_rfc3339, Emulator};

const PROTECTED_STATUSES: &[&str] = &["unprotected", "protected"];

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub protected_status: String,
    pub network_isolation_enabled: bool,
}

/// What kind of resource an id names, by its prefix.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Service,
    Postgres,
    KeyValue,
    EnvGroup,
}

fn kind_of(id: &str) -> Option<Kind> {
    match id.split_once('-')?.0 {
        "srv" | "crn" => Some(Kind::Service),
        "dpg" => Some(Kind::Postgres),
        "red" => Some(Kind::KeyValue),
        "evg" => Some(Kind::EnvGroup),
        _ => None,
    }
}

/// The ids of each kind placed in `env_id`.
fn members(r: &RenderState, env_id: &str) -> [Vec<String>; 4] {
    let here = |e: Option<&str>| e == Some(env_id);
    [
        r.services
            .iter()
            .filter(|s| here(s.top.get("environmentId").and_then(Value::as_str)))
            .map(|s| s.id.clone())
            .collect(),
        r.postgres
            .iter()
            .filter(|p| here(p.environment_id.as_deref()))
            .map(|p| p.id.clone())
            .collect(),
        r.key_values
            .iter()
            .filter(|k| here(k.environment_id.as_deref()))
            .map(|k| k.id.clone())
            .collect(),
        r.env_groups
            .iter()
            .filter(|g| here(g.environment_id.as_deref()))
            .map(|g| g.id.clone())
            .collect(),
    ]
}

/// The spec's `environment` object.
fn environment_json(r: &RenderState, e: &Environment) -> Value {
    let [services, databases, redis, groups] = members(r, &e.id);
    json!({
        "id": e.id,
        "name": e.name,
        "projectId": e.project_id,
        "databasesIds": databases,
        "redisIds": redis,
        "serviceIds": services,
        "envGroupIds": groups,
        "protectedStatus": e.protected_status,
        "networkIsolationEnabled": e.network_isolation_enabled,
    })
}

/// The spec's `project` object.
fn project_json(r: &RenderState, p: &Project) -> Value {
    let env_ids: Vec<&str> = r
        .environments
        .iter()
        .filter(|e| e.project_id == p.id)
        .map(|e| e.id.as_str())
        .collect();
    json!({
        "id": p.id,
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
        "name": p.name,
        "owner": owners::owner_json(),
        "environmentIds": env_ids,
    })
}

fn project<'a>(r: &'a RenderState, id: &str) -> Result<&'a Project, ApiError> {
    r.projects
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("project"))
}

fn environment<'a>(r: &'a RenderState, id: &str) -> Result<&'a Environment, ApiError> {
    r.environments
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| ApiError::not_found("environment"))
}

fn check_env_name_free(
    r: &RenderState,
    project_id: &str,
    name: &str,
    except: &str,
) -> Result<(), ApiError> {
    if r.environments
        .iter()
        .any(|e| e.project_id == project_id && e.name == name && e.id != except)
    {
        return Err(ApiError::conflict(format!(
            "an environment named {name:?} already exists in this project"
        )));
    }
    Ok(())
}

/// Refuse to delete an environment that still holds resources.
fn check_empty(r: &RenderState, e: &Environment) -> Result<(), ApiError> {
    let n: usize = members(r, &e.id).iter().map(Vec::len).sum();
    if n > 0 {
        return Err(ApiError::conflict(format!(
            "environment {:?} ({}) still holds {n} resource(s); move or delete them first",
            e.name, e.id
        )));
    }
    Ok(())
}

/// An `environmentPOSTInput`-like object (name, protectedStatus, networkIsolationEnabled).
fn new_environment(obj: &super::api::Object, project_id: &str) -> Result<Environment, ApiError> {
    let name = req_str(obj, "name")?;
    let protected_status = opt_enum(obj, "protectedStatus", PROTECTED_STATUSES)?
        .unwrap_or_else(|| "unprotected".into());
    let network_isolation_enabled = opt_bool(obj, "networkIsolationEnabled")?.unwrap_or(false);
    Ok(Environment {
        id: new_id("evm-"),
        name,
        project_id: project_id.to_string(),
        protected_status,
        network_isolation_enabled,
    })
}

/// GET /projects — filters name, ownerId.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "project", |r, _, q| {
        r.projects
            .iter()
            .filter(|p| q.allows("name", &p.name) && q.allows("ownerId", &p.owner_id))
            .map(|p| (p.id.clone(), project_json(r, p)))
            .collect()
    })
}

/// POST /projects — 201 `project`; the environments are created with it (at least one).
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
        let items = opt_array(&body, "environments")?
            .ok_or_else(|| ApiError::bad_request("environments is required"))?;
        if items.is_empty() {
            return Err(ApiError::bad_request(
                "a project needs at least one environment",
            ));
        }
        let id = new_id("prj-");
        let mut envs: Vec<Environment> = Vec::new();
        for item in items {
            let e = new_environment(as_object(item, "environment")?, &id)?;
            if envs.iter().any(|x| x.name == e.name) {
                return Err(ApiError::bad_request(format!(
                    "duplicate environment name {:?}",
                    e.name
                )));
            }
            envs.push(e);
        }
        let now = now_rfc3339();
        let p = Project {
            id,
            name,
            owner_id,
            created_at: now.clone(),
            updated_at: now,
        };
        r.environments.extend(envs);
        let out = project_json(r, &p);
        r.projects.push(p);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /projects/{projectId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(StatusCode::OK, project_json(r, project(r, &id)?)))
    })
}

/// PATCH /projects/{projectId} — `projectPATCHInput` (name).
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        project(r, &id)?;
        let name = match opt_str(&body, "name")? {
            Some(n) if n.trim().is_empty() => {
                return Err(ApiError::bad_request("name must not be empty"))
            }
            n => n,
        };
        let p = r
            .projects
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found("project"))?;
        if let Some(n) = name {
            p.name = n;
        }
        p.updated_at = now_rfc3339();
        let p = p.clone();
        Ok(reply(StatusCode::OK, project_json(r, &p)))
    })
}

/// DELETE /projects/{projectId} — 204 with its environments, which must be empty.
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        project(r, &id)?;
        for e in r.environments.iter().filter(|e| e.project_id == id) {
            check_empty(r, e)?;
        }
        r.environments.retain(|e| e.project_id != id);
        r.projects.retain(|p| p.id != id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /environments — `projectId` is required; filters name, environmentId.
pub async fn list_environments(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    if q.values("projectId").is_empty() {
        return Err(ApiError::bad_request("projectId is required"));
    }
    list_page(&emu, q, "environment", |r, _, q| {
        r.environments
            .iter()
            .filter(|e| {
                q.allows("projectId", &e.project_id)
                    && q.allows("name", &e.name)
                    && q.allows("environmentId", &e.id)
            })
            .map(|e| (e.id.clone(), environment_json(r, e)))
            .collect()
    })
}

/// POST /environments — 201 `environment` in an existing project.
pub async fn create_environment(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let project_id = req_str(&body, "projectId")?;
        project(r, &project_id)?;
        let e = new_environment(&body, &project_id)?;
        check_env_name_free(r, &project_id, &e.name, "")?;
        let out = environment_json(r, &e);
        r.environments.push(e);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /environments/{environmentId}
pub async fn get_environment(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(
            StatusCode::OK,
            environment_json(r, environment(r, &id)?),
        ))
    })
}

/// PATCH /environments/{environmentId} — name, protectedStatus, networkIsolationEnabled.
pub async fn update_environment(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let current = environment(r, &id)?.clone();
        let name = opt_str(&body, "name")?;
        if let Some(n) = &name {
            if n.trim().is_empty() {
                return Err(ApiError::bad_request("name must not be empty"));
            }
            check_env_name_free(r, &current.project_id, n, &id)?;
        }
        let status = opt_enum(&body, "protectedStatus", PROTECTED_STATUSES)?;
        let isolation = opt_bool(&body, "networkIsolationEnabled")?;
        let e = r
            .environments
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| ApiError::not_found("environment"))?;
        if let Some(n) = name {
            e.name = n;
        }
        if let Some(s) = status {
            e.protected_status = s;
        }
        if let Some(i) = isolation {
            e.network_isolation_enabled = i;
        }
        let e = e.clone();
        Ok(reply(StatusCode::OK, environment_json(r, &e)))
    })
}

/// DELETE /environments/{environmentId} — 204; refused while it holds resources.
pub async fn delete_environment(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    write(&emu, |r, _| {
        check_empty(r, environment(r, &id)?)?;
        r.environments.retain(|e| e.id != id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// Every id exists and is of a kind an environment can hold.
fn check_resources(r: &RenderState, ids: &[String]) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Err(ApiError::bad_request("resourceIds must not be empty"));
    }
    for id in ids {
        let found = match kind_of(id) {
            Some(Kind::Service) => r.services.iter().any(|s| &s.id == id),
            Some(Kind::Postgres) => r.postgres.iter().any(|p| &p.id == id),
            Some(Kind::KeyValue) => r.key_values.iter().any(|k| &k.id == id),
            Some(Kind::EnvGroup) => r.env_groups.iter().any(|g| &g.id == id),
            None => {
                return Err(ApiError::bad_request(format!(
                    "{id:?} is not the id of an env group, a service, a Postgres database or a Redis instance"
                )))
            }
        };
        if !found {
            return Err(ApiError::not_found(&format!("resource {id}")));
        }
    }
    Ok(())
}

/// Place (`Some(env)`) or remove (`None`) one resource.
fn set_environment(r: &mut RenderState, id: &str, env: Option<&str>) {
    let env = env.map(str::to_string);
    match kind_of(id) {
        Some(Kind::Service) => {
            for s in r.services.iter_mut().filter(|s| s.id == id) {
                match &env {
                    Some(e) => s.top.insert("environmentId".into(), json!(e)),
                    None => s.top.remove("environmentId"),
                };
            }
        }
        Some(Kind::Postgres) => {
            for p in r.postgres.iter_mut().filter(|p| p.id == id) {
                p.environment_id = env.clone();
            }
        }
        Some(Kind::KeyValue) => {
            for k in r.key_values.iter_mut().filter(|k| k.id == id) {
                k.environment_id = env.clone();
            }
        }
        Some(Kind::EnvGroup) => {
            for g in r.env_groups.iter_mut().filter(|g| g.id == id) {
                g.environment_id = env.clone();
            }
        }
        None => {}
    }
}

/// POST /environments/{environmentId}/resources — move resources into it (from anywhere).
pub async fn add_resources(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        environment(r, &id)?;
        let items = opt_array(&body, "resourceIds")?
            .ok_or_else(|| ApiError::bad_request("resourceIds is required"))?;
        let mut ids = Vec::new();
        for v in items {
            let s = v
                .as_str()
                .ok_or_else(|| ApiError::bad_request("resourceIds must be strings"))?;
            ids.push(s.to_string());
        }
        check_resources(r, &ids)?;
        for rid in &ids {
            set_environment(r, rid, Some(&id));
        }
        let e = environment(r, &id)?.clone();
        Ok(reply(StatusCode::OK, environment_json(r, &e)))
    })
}

/// DELETE /environments/{environmentId}/resources?resourceIds=… — take resources out of it.
pub async fn remove_resources(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    let ids = q.values("resourceIds");
    write(&emu, |r, _| {
        environment(r, &id)?;
        check_resources(r, &ids)?;
        let [s, d, k, g] = members(r, &id);
        for rid in &ids {
            if ![&s, &d, &k, &g].iter().any(|m| m.contains(rid)) {
                return Err(ApiError::bad_request(format!(
                    "{rid} is not in environment {id}"
                )));
            }
        }
        for rid in &ids {
            set_environment(r, rid, None);
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// Whether `id` names an environment (an env group created into one checks it).
pub fn environment_exists(r: &RenderState, id: &str) -> bool {
    r.environments.iter().any(|e| e.id == id)
}
