//! Render owners (workspaces). Every credential sees the same single workspace, with a fixed id
//! so configurations and tests can name it. Imports only the shared plumbing.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::api::{page, reply, ApiError, ApiResult, Authed, ListQuery};

/// The one workspace: `tea-` and 20 lowercase alphanumerics, like Render's team ids.
pub const DEFAULT_OWNER_ID: &str = "tea-paasformemulator0001";
const DEFAULT_OWNER_NAME: &str = "Emulated Workspace";
const DEFAULT_OWNER_EMAIL: &str = "owner@example.com";

/// The `owner` object of the spec.
pub fn owner_json() -> Value {
    json!({
        "id": DEFAULT_OWNER_ID,
        "name": DEFAULT_OWNER_NAME,
        "email": DEFAULT_OWNER_EMAIL,
        "type": "team",
    })
}

/// Whether `id` names a workspace the caller can use.
pub fn exists(id: &str) -> bool {
    id == DEFAULT_OWNER_ID
}

pub async fn list(_: Authed, Query(q): Query<Vec<(String, String)>>) -> ApiResult {
    let q = ListQuery(q);
    let items = if q.allows("name", DEFAULT_OWNER_NAME) && q.allows("email", DEFAULT_OWNER_EMAIL) {
        vec![(DEFAULT_OWNER_ID.to_string(), owner_json())]
    } else {
        Vec::new()
    };
    page(items, "owner", &q)
}

pub async fn get(_: Authed, Path(owner_id): Path<String>) -> ApiResult {
    if exists(&owner_id) {
        Ok(reply(StatusCode::OK, owner_json()))
    } else {
        Err(ApiError::not_found("owner"))
    }
}
