//! Render log streams (`/logs/streams/…`): the workspace's stream (endpoint, optional token,
//! whether preview resources' logs are sent or dropped; 404 until one is set, DELETE removes
//! it) and per-resource overrides (`send` to an endpoint of their own, or `drop`). The token is
//! stored but never answered. Imports only the shared plumbing, the owners and the state.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{body_object, check_enum, empty, opt_str, reply, req_str, ApiError, ApiResult};
use super::api::{Authed, ListQuery, Object};
use super::{owners, read, write, RenderState};
use crate::world::Emulator;

const SETTINGS: &[&str] = &["send", "drop"];

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerLogStream {
    owner_id: String,
    endpoint: String,
    /// Kept so the state shows what was sent; never part of an answer.
    token: Option<String>,
    preview: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLogStream {
    resource_id: String,
    owner_id: String,
    setting: String,
    endpoint: Option<String>,
    token: Option<String>,
}

impl ResourceLogStream {
    fn json(&self) -> Value {
        let mut out = json!({"resourceId": self.resource_id, "setting": self.setting});
        if let Some(e) = &self.endpoint {
            out["endpoint"] = json!(e);
        }
        out
    }
}

fn owner_json(s: &OwnerLogStream) -> Value {
    json!({"ownerId": s.owner_id, "endpoint": s.endpoint, "preview": s.preview})
}

fn check_owner(owner_id: &str) -> Result<(), ApiError> {
    if owners::exists(owner_id) {
        Ok(())
    } else {
        Err(ApiError::not_found("owner"))
    }
}

/// An optional string that, when present, is not blank.
fn opt_filled(body: &Object, key: &str) -> Result<Option<String>, ApiError> {
    match opt_str(body, key)? {
        Some(v) if v.trim().is_empty() => {
            Err(ApiError::bad_request(format!("{key} must not be empty")))
        }
        v => Ok(v),
    }
}

/// The owner of a server, cron job, Postgres or Key Value instance (the resources a log stream
/// override may name).
fn resource_owner(r: &RenderState, id: &str) -> Result<String, ApiError> {
    r.services
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.owner_id.clone())
        .or_else(|| {
            r.postgres
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.owner_id.clone())
        })
        .or_else(|| {
            r.key_values
                .iter()
                .find(|k| k.id == id)
                .map(|k| k.owner_id.clone())
        })
        .ok_or_else(|| ApiError::not_found("resource"))
}

/// A deleted resource takes its override with it.
pub fn forget_resource(r: &mut RenderState, resource_id: &str) {
    r.resource_log_streams
        .retain(|s| s.resource_id != resource_id);
}

/// GET /logs/streams/owner/{ownerId} — 404 while the workspace has no stream.
pub async fn get_owner(
    _: Authed,
    State(emu): State<Emulator>,
    Path(owner_id): Path<String>,
) -> ApiResult {
    check_owner(&owner_id)?;
    read(&emu, |r, _| {
        r.owner_log_streams
            .iter()
            .find(|s| s.owner_id == owner_id)
            .map(|s| reply(StatusCode::OK, owner_json(s)))
            .ok_or_else(|| ApiError::not_found("log stream setting"))
    })
}

/// PUT /logs/streams/owner/{ownerId} — `preview` required; the body replaces the setting (a
/// token left out is removed). A workspace's first stream needs an endpoint.
pub async fn put_owner(
    _: Authed,
    State(emu): State<Emulator>,
    Path(owner_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    check_owner(&owner_id)?;
    let body = body_object(&body)?;
    let preview = req_str(&body, "preview")?;
    check_enum("preview", &preview, SETTINGS)?;
    let endpoint = opt_filled(&body, "endpoint")?;
    let token = opt_filled(&body, "token")?;
    write(&emu, |r, _| {
        let prior = r.owner_log_streams.iter().find(|s| s.owner_id == owner_id);
        let endpoint = endpoint
            .or_else(|| prior.map(|p| p.endpoint.clone()))
            .ok_or_else(|| ApiError::bad_request("endpoint is required"))?;
        let s = OwnerLogStream {
            owner_id: owner_id.clone(),
            endpoint,
            token,
            preview,
        };
        let out = owner_json(&s);
        r.owner_log_streams.retain(|o| o.owner_id != owner_id);
        r.owner_log_streams.push(s);
        Ok(reply(StatusCode::OK, out))
    })
}

/// DELETE /logs/streams/owner/{ownerId} — 204; 404 when there is none.
pub async fn delete_owner(
    _: Authed,
    State(emu): State<Emulator>,
    Path(owner_id): Path<String>,
) -> ApiResult {
    check_owner(&owner_id)?;
    write(&emu, |r, _| {
        let before = r.owner_log_streams.len();
        r.owner_log_streams.retain(|o| o.owner_id != owner_id);
        if r.owner_log_streams.len() == before {
            return Err(ApiError::not_found("log stream setting"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /logs/streams/resource — filters ownerId, resourceId, setting; a bare array.
pub async fn list_resources(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    let limit = q.limit()?;
    read(&emu, |r, _| {
        let out: Vec<Value> = r
            .resource_log_streams
            .iter()
            .filter(|s| {
                q.allows("ownerId", &s.owner_id)
                    && q.allows("resourceId", &s.resource_id)
                    && q.allows("setting", &s.setting)
            })
            .take(limit)
            .map(ResourceLogStream::json)
            .collect();
        Ok(reply(StatusCode::OK, Value::Array(out)))
    })
}

/// GET /logs/streams/resource/{resourceId} — 404 while the resource has no override.
pub async fn get_resource(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        resource_owner(r, &id)?;
        r.resource_log_streams
            .iter()
            .find(|s| s.resource_id == id)
            .map(|s| reply(StatusCode::OK, s.json()))
            .ok_or_else(|| ApiError::not_found("log stream override"))
    })
}

/// PUT /logs/streams/resource/{resourceId} — `setting` required; `send` needs an endpoint,
/// `drop` refuses one.
pub async fn put_resource(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    let setting = req_str(&body, "setting")?;
    check_enum("setting", &setting, SETTINGS)?;
    let endpoint = opt_filled(&body, "endpoint")?;
    let token = opt_filled(&body, "token")?;
    match (setting.as_str(), &endpoint) {
        ("send", None) => {
            return Err(ApiError::bad_request(
                "endpoint must be present if setting is send",
            ))
        }
        ("drop", Some(_)) => {
            return Err(ApiError::bad_request(
                "endpoint cannot be present if setting is drop",
            ))
        }
        _ => {}
    }
    write(&emu, |r, _| {
        let owner_id = resource_owner(r, &id)?;
        let s = ResourceLogStream {
            resource_id: id.clone(),
            owner_id,
            setting,
            endpoint,
            token,
        };
        let out = s.json();
        forget_resource(r, &id);
        r.resource_log_streams.push(s);
        Ok(reply(StatusCode::OK, out))
    })
}

/// DELETE /logs/streams/resource/{resourceId} — 204; 404 when there is no override.
pub async fn delete_resource(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    write(&emu, |r, _| {
        let before = r.resource_log_streams.len();
        forget_resource(r, &id);
        if r.resource_log_streams.len() == before {
            return Err(ApiError::not_found("log stream override"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
