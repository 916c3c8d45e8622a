//! Render registry credentials (`rgc-…`): a named username + token for a container registry,
//! used by image-backed services (`image.registryCredentialId`) and Docker builds
//! (`envSpecificDetails.registryCredentialId`). Routes: list (bare array, filters), create, get,
//! PATCH (all four fields required, as the spec says) and delete. The token is stored but never
//! answered. Imports only the shared plumbing and the state.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{body_object, empty, reply, req_str, ApiError, ApiResult, Authed, ListQuery};
use super::api::{check_enum, Object};
use super::{owners, read, write, RenderState};
use crate::world::{new_id, now_rfc3339, Emulator};

/// `registryCredentialRegistry`.
const REGISTRIES: &[&str] = &["GITHUB", "GITLAB", "DOCKER", "GOOGLE_ARTIFACT", "AWS_ECR"];

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryCredential {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub registry: String,
    pub username: String,
    /// Kept so the state shows what was sent; never part of an answer.
    pub auth_token: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The spec's `registryCredential` (no token).
fn credential_json(c: &RegistryCredential) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "registry": c.registry,
        "username": c.username,
        "updatedAt": c.updated_at,
    })
}

fn credential<'a>(r: &'a RenderState, id: &str) -> Result<&'a RegistryCredential, ApiError> {
    r.registry_credentials
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| ApiError::not_found("registry credential"))
}

/// `registryCredentialSummary` of the credential a service body names, checked to exist.
pub fn summary(r: &RenderState, id: &str) -> Result<Value, ApiError> {
    let c = credential(r, id)
        .map_err(|_| ApiError::bad_request(format!("registry credential {id:?} does not exist")))?;
    Ok(json!({"id": c.id, "name": c.name}))
}

/// The full `registryCredential` (a Docker build's `envSpecificDetails.registryCredential`).
pub fn full(r: &RenderState, id: &str) -> Result<Value, ApiError> {
    summary(r, id)?;
    credential(r, id).map(credential_json)
}

/// The four required fields of a create or PATCH body.
fn fields(body: &Object) -> Result<(String, String, String, String), ApiError> {
    let name = req_str(body, "name")?;
    if name.trim().is_empty() {
        return Err(ApiError::bad_request("name must not be empty"));
    }
    let registry = req_str(body, "registry")?;
    check_enum("registry", &registry, REGISTRIES)?;
    let username = req_str(body, "username")?;
    let token = req_str(body, "authToken")?;
    if token.is_empty() {
        return Err(ApiError::bad_request("authToken must not be empty"));
    }
    Ok((name, registry, username, token))
}

/// GET /registrycredentials — filters name, username, type, ownerId; a bare array.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    let limit = q.limit()?;
    read(&emu, |r, _| {
        let out: Vec<Value> = r
            .registry_credentials
            .iter()
            .filter(|c| {
                q.allows("name", &c.name)
                    && q.allows("username", &c.username)
                    && q.allows("type", &c.registry)
                    && q.allows("ownerId", &c.owner_id)
            })
            .take(limit)
            .map(credential_json)
            .collect();
        Ok(reply(StatusCode::OK, Value::Array(out)))
    })
}

/// POST /registrycredentials — 200 `registryCredential`; a second credential of the same name
/// in a workspace is a 409.
pub async fn create(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let (name, registry, username, auth_token) = fields(&body)?;
        let owner_id = req_str(&body, "ownerId")?;
        if !owners::exists(&owner_id) {
            return Err(ApiError::bad_request(format!(
                "owner {owner_id:?} does not exist"
            )));
        }
        if r.registry_credentials
            .iter()
            .any(|c| c.owner_id == owner_id && c.name == name)
        {
            return Err(ApiError::conflict(format!(
                "a registry credential named {name:?} already exists"
            )));
        }
        let now = now_rfc3339();
        let c = RegistryCredential {
            id: new_id("rgc-"),
            name,
            owner_id,
            registry,
            username,
            auth_token,
            created_at: now.clone(),
            updated_at: now,
        };
        let out = credential_json(&c);
        r.registry_credentials.push(c);
        Ok(reply(StatusCode::OK, out))
    })
}

/// GET /registrycredentials/{registryCredentialId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(StatusCode::OK, credential_json(credential(r, &id)?)))
    })
}

/// PATCH /registrycredentials/{registryCredentialId} — every field required (a full update).
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let (name, registry, username, auth_token) = fields(&body)?;
        let owner = credential(r, &id)?.owner_id.clone();
        if r.registry_credentials
            .iter()
            .any(|c| c.owner_id == owner && c.name == name && c.id != id)
        {
            return Err(ApiError::conflict(format!(
                "a registry credential named {name:?} already exists"
            )));
        }
        let c = r
            .registry_credentials
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::not_found("registry credential"))?;
        c.name = name;
        c.registry = registry;
        c.username = username;
        c.auth_token = auth_token;
        c.updated_at = now_rfc3339();
        Ok(reply(StatusCode::OK, credential_json(c)))
    })
}

/// DELETE /registrycredentials/{registryCredentialId} — 204.
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        credential(r, &id)?;
        r.registry_credentials.retain(|c| c.id != id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
