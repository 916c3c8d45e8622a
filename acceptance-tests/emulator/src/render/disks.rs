//! Render persistent disks: one per server-type service (web, private, worker), created with the
//! service (`serviceDetails.disk`) or through `/disks`. Disks cannot shrink, and a service with a
//! disk runs a single instance, as on Render.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{body_object, empty, opt_int, opt_str, reply, req_str};
use super::api::{ApiError, ApiResult, Authed, ListQuery, Object};
use super::details::is_server;
use super::{list_page, read, write};
use crate::world::{new_id, now_rfc3339, Emulator};

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
    pub id: String,
    pub name: String,
    pub size_gb: i64,
    pub mount_path: String,
    pub service_id: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Disk {
    /// The `disk` object of `/disks`.
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "sizeGB": self.size_gb,
            "mountPath": self.mount_path,
            "serviceId": self.service_id,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }

    /// The `disk` inside `serviceDetails`.
    pub fn summary(&self) -> Value {
        json!({"id": self.id, "name": self.name, "sizeGB": self.size_gb, "mountPath": self.mount_path})
    }
}

fn check_size(size: i64) -> Result<i64, ApiError> {
    if size < 1 {
        return Err(ApiError::bad_request("sizeGB must be at least 1"));
    }
    Ok(size)
}

fn check_mount_path(path: String) -> Result<String, ApiError> {
    if !path.starts_with('/') || path == "/" {
        return Err(ApiError::bad_request(format!(
            "invalid mountPath {path:?}: must be an absolute path other than /"
        )));
    }
    Ok(path)
}

fn build(name: String, size_gb: i64, mount_path: String, service_id: &str) -> Disk {
    let now = now_rfc3339();
    Disk {
        id: new_id("dsk-"),
        name,
        size_gb,
        mount_path,
        service_id: service_id.to_string(),
        created_at: now.clone(),
        updated_at: now,
    }
}

/// A disk from a create-service body's `serviceDisk` (`sizeGB` defaults to 1).
pub fn from_service_spec(spec: &Object, service_id: &str) -> Result<Disk, ApiError> {
    let name = req_str(spec, "name")?;
    let mount = check_mount_path(req_str(spec, "mountPath")?)?;
    let size = check_size(opt_int(spec, "sizeGB")?.unwrap_or(1))?;
    Ok(build(name, size, mount, service_id))
}

/// GET /disks — filters ownerId, diskId, name, serviceId.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "disk", |r, _, q| {
        let owner_of = |d: &Disk| {
            r.services
                .iter()
                .find(|s| s.id == d.service_id)
                .map(|s| s.owner_id.clone())
                .unwrap_or_default()
        };
        r.disks
            .iter()
            .filter(|d| {
                q.allows("diskId", &d.id)
                    && q.allows("name", &d.name)
                    && q.allows("serviceId", &d.service_id)
                    && q.allows("ownerId", &owner_of(d))
            })
            .map(|d| (d.id.clone(), d.json()))
            .collect()
    })
}

/// POST /disks — `{name, sizeGB, mountPath, serviceId}` → 201.
pub async fn create(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let body = body_object(&body)?;
    let name = req_str(&body, "name")?;
    let size =
        opt_int(&body, "sizeGB")?.ok_or_else(|| ApiError::bad_request("sizeGB is required"))?;
    let size = check_size(size)?;
    let mount = check_mount_path(req_str(&body, "mountPath")?)?;
    let service_id = req_str(&body, "serviceId")?;
    write(&emu, |r, _| {
        let s = r.service(&service_id)?;
        if !is_server(&s.kind) {
            return Err(ApiError::bad_request(
                "disks can only be attached to web services, private services and background workers",
            ));
        }
        if s.details
            .get("numInstances")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            > 1
        {
            return Err(ApiError::bad_request(
                "a service with more than one instance cannot have a disk",
            ));
        }
        if r.disks.iter().any(|d| d.service_id == service_id) {
            return Err(ApiError::conflict("the service already has a disk"));
        }
        let disk = build(name, size, mount, &service_id);
        let out = disk.json();
        r.disks.push(disk);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /disks/{diskId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, _| {
        let d = r
            .disks
            .iter()
            .find(|d| d.id == id)
            .ok_or_else(|| ApiError::not_found("disk"))?;
        Ok(reply(StatusCode::OK, d.json()))
    })
}

/// PATCH /disks/{diskId} — `{name, sizeGB, mountPath}`; shrinking is refused.
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    let name = opt_str(&body, "name")?;
    let size = opt_int(&body, "sizeGB")?.map(check_size).transpose()?;
    let mount = opt_str(&body, "mountPath")?
        .map(check_mount_path)
        .transpose()?;
    write(&emu, |r, _| {
        let d = r
            .disks
            .iter_mut()
            .find(|d| d.id == id)
            .ok_or_else(|| ApiError::not_found("disk"))?;
        if let Some(size) = size {
            if size < d.size_gb {
                return Err(ApiError::bad_request(format!(
                    "disk size cannot be decreased (from {} GB to {size} GB)",
                    d.size_gb
                )));
            }
            d.size_gb = size;
        }
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            d.name = n;
        }
        if let Some(m) = mount {
            d.mount_path = m;
        }
        d.updated_at = now_rfc3339();
        Ok(reply(StatusCode::OK, d.json()))
    })
}

/// DELETE /disks/{diskId}
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        let before = r.disks.len();
        r.disks.retain(|d| d.id != id);
        if r.disks.len() == before {
            return Err(ApiError::not_found("disk"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
