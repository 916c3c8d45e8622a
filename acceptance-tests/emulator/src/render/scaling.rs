//! Instance operations on a Render service: manual scale, autoscaling config, suspend and resume.
//! Scaling applies to web services, private services and background workers only.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::api::{body_object, empty, opt_int, reply, ApiError, ApiResult, Authed};
use super::deploys::Deploy;
use super::details::{autoscaling, is_server};
use super::services::Service;
use super::write;
use crate::world::{now_rfc3339, Emulator};

fn require_server(s: &Service) -> Result<(), ApiError> {
    if is_server(&s.kind) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "scaling is not supported for services of type {}",
            s.kind
        )))
    }
}

/// POST /services/{serviceId}/scale — `{numInstances}` → 202.
pub async fn scale(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let n = opt_int(&body_object(&body)?, "numInstances")?
        .ok_or_else(|| ApiError::bad_request("numInstances is required"))?;
    if n < 1 {
        return Err(ApiError::bad_request("numInstances must be at least 1"));
    }
    write(&emu, |r, _| {
        let has_disk = r.disks.iter().any(|d| d.service_id == id);
        let s = r.service_mut(&id)?;
        require_server(s)?;
        if has_disk && n > 1 {
            return Err(ApiError::bad_request(
                "a service with a disk cannot run more than one instance",
            ));
        }
        s.details.insert("numInstances".into(), n.into());
        s.updated_at = now_rfc3339();
        Ok(empty(StatusCode::ACCEPTED))
    })
}

/// PUT /services/{serviceId}/autoscaling — the `autoscaling` object → 200 with it.
pub async fn put_autoscaling(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let config = autoscaling(&body_object(&body)?)?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        require_server(s)?;
        s.details.insert("autoscaling".into(), config.clone());
        s.updated_at = now_rfc3339();
        Ok(reply(StatusCode::OK, config))
    })
}

/// DELETE /services/{serviceId}/autoscaling — 204.
pub async fn delete_autoscaling(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        require_server(s)?;
        s.details.remove("autoscaling");
        s.updated_at = now_rfc3339();
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// POST /services/{serviceId}/suspend — 202.
pub async fn suspend(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        s.suspended = true;
        s.updated_at = now_rfc3339();
        Ok(empty(StatusCode::ACCEPTED))
    })
}

/// POST /services/{serviceId}/resume — 202; resuming starts a deploy (trigger `service_resumed`).
pub async fn resume(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, clock| {
        let s = r.service_mut(&id)?;
        if s.suspended {
            s.suspended = false;
            s.updated_at = now_rfc3339();
            let deploy = Deploy::start(s, "service_resumed", clock.now_ms, None);
            s.deploys.push(deploy);
        }
        Ok(empty(StatusCode::ACCEPTED))
    })
}
