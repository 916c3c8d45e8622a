//! Render deploys. A deploy's status is computed on every read from its creation time and
//! `render_deploy_ms` (no background tasks): `created` for the first quarter, `build_in_progress`
//! until three quarters, `update_in_progress` until the end, then `live`. A live deploy turns
//! `deactivated` once a later deploy of the same service is live.
//!
//! Failure hook for tests: a deploy whose build command (static site `buildCommand` or native
//! `envSpecificDetails.buildCommand`, as it was when the deploy was created) contains `exit 1`
//! ends `build_failed` instead of `live`; so does a deploy triggered through the API whose
//! service id or commit id is listed in `Config::fail_deploys` (`--fail-deploy`).
//!
//! Imports the shared plumbing and the service record only.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::api::{body_object, opt_enum, opt_str, page, reply, rfc3339_at, ApiError, ApiResult};
use super::api::{random_hex, Authed, ListQuery};
use super::details::build_command;
use super::enums::CLEAR_CACHE;
use super::services::Service;
use super::{read, write, Clock};
use crate::world::{new_id, Emulator};

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deploy {
    pub id: String,
    pub created_ms: u64,
    pub trigger: String,
    /// Decided at creation from the build command (see the module header).
    pub fails: bool,
    pub commit: Option<Value>,
    pub image: Option<Value>,
    #[serde(default)]
    pub canceled_ms: Option<u64>,
}

impl Deploy {
    /// A new deploy of `service` as it is now.
    pub fn start(service: &Service, trigger: &str, now_ms: u64, commit_id: Option<String>) -> Self {
        let fails = build_command(&service.details).is_some_and(|c| c.contains("exit 1"));
        let image = service
            .top
            .get("imagePath")
            .and_then(Value::as_str)
            .map(|path| json!({"ref": path, "sha": format!("sha256:{}", random_hex(64))}));
        let commit = if image.is_some() {
            None
        } else {
            Some(json!({
                "id": commit_id.unwrap_or_else(|| random_hex(40)),
                "message": "Emulated commit",
                "createdAt": rfc3339_at(now_ms),
            }))
        };
        Deploy {
            id: new_id("dep-"),
            created_ms: now_ms,
            trigger: trigger.to_string(),
            fails,
            commit,
            image,
            canceled_ms: None,
        }
    }

    /// Whether the deploy has reached a terminal status at `clock.now_ms`.
    fn finished(&self, clock: &Clock) -> bool {
        self.canceled_ms.is_some() || clock.now_ms >= self.created_ms + clock.deploy_ms
    }

    fn went_live(&self, clock: &Clock) -> bool {
        self.canceled_ms.is_none() && !self.fails && self.finished(clock)
    }
}

/// The status and timestamps of deploy `index` of `deploys` (oldest first) at `clock.now_ms`.
pub fn deploy_json(deploys: &[Deploy], index: usize, clock: &Clock) -> Value {
    let Some(d) = deploys.get(index) else {
        return Value::Null;
    };
    let total = clock.deploy_ms;
    let elapsed = clock.now_ms.saturating_sub(d.created_ms);
    let started_ms = d.created_ms + total / 4;
    let (status, updated_ms, started, finished) = if let Some(at) = d.canceled_ms {
        (
            "canceled",
            at,
            (at >= started_ms).then_some(started_ms),
            Some(at),
        )
    } else if d.finished(clock) {
        let end = d.created_ms + total;
        let status = if d.fails {
            "build_failed"
        } else if deploys[index + 1..]
            .iter()
            .any(|later| later.went_live(clock))
        {
            "deactivated"
        } else {
            "live"
        };
        (status, end, Some(started_ms), Some(end))
    } else if elapsed < total / 4 {
        ("created", d.created_ms, None, None)
    } else if d.fails || elapsed < total / 4 * 3 {
        ("build_in_progress", started_ms, Some(started_ms), None)
    } else {
        let at = d.created_ms + total / 4 * 3;
        ("update_in_progress", at, Some(started_ms), None)
    };
    let mut out = Map::new();
    out.insert("id".into(), json!(d.id));
    if let Some(c) = &d.commit {
        out.insert("commit".into(), c.clone());
    }
    if let Some(i) = &d.image {
        out.insert("image".into(), i.clone());
    }
    out.insert("status".into(), json!(status));
    out.insert("trigger".into(), json!(d.trigger));
    if let Some(ms) = started {
        out.insert("startedAt".into(), json!(rfc3339_at(ms)));
    }
    if let Some(ms) = finished {
        out.insert("finishedAt".into(), json!(rfc3339_at(ms)));
    }
    out.insert("createdAt".into(), json!(rfc3339_at(d.created_ms)));
    out.insert("updatedAt".into(), json!(rfc3339_at(updated_ms)));
    Value::Object(out)
}

/// GET /services/{serviceId}/deploys — newest first, filterable by `status`.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Path(service_id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    read(&emu, |r, clock| {
        let s = r.service(&service_id)?;
        let items: Vec<(String, Value)> = (0..s.deploys.len())
            .rev()
            .map(|i| (s.deploys[i].id.clone(), deploy_json(&s.deploys, i, clock)))
            .filter(|(_, d)| q.allows("status", d["status"].as_str().unwrap_or_default()))
            .collect();
        page(items, "deploy", &q)
    })
}

/// POST /services/{serviceId}/deploys — `{clearCache, commitId, imageUrl}` → 201 deploy.
pub async fn create(
    _: Authed,
    State(emu): State<Emulator>,
    Path(service_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    opt_enum(&body, "clearCache", CLEAR_CACHE)?;
    let commit_id = opt_str(&body, "commitId")?;
    let image_url = opt_str(&body, "imageUrl")?;
    write(&emu, |r, clock| {
        let s = r.service_mut(&service_id)?;
        if let Some(url) = image_url {
            if !s.top.contains_key("imagePath") {
                return Err(ApiError::bad_request(
                    "imageUrl can only be given for an image-backed service",
                ));
            }
            s.top.insert("imagePath".into(), json!(url));
        }
        let mut deploy = Deploy::start(s, "api", clock.now_ms, commit_id);
        let commit = deploy.commit.as_ref().and_then(|c| c["id"].as_str());
        deploy.fails |= emu
            .config
            .deploy_fails(&[service_id.as_str(), commit.unwrap_or_default()]);
        s.deploys.push(deploy);
        let last = s.deploys.len() - 1;
        Ok(reply(
            StatusCode::CREATED,
            deploy_json(&s.deploys, last, clock),
        ))
    })
}

/// GET /services/{serviceId}/deploys/{deployId}
pub async fn get(
    _: Authed,
    State(emu): State<Emulator>,
    Path((service_id, deploy_id)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, clock| {
        let s = r.service(&service_id)?;
        let i = position(s, &deploy_id)?;
        Ok(reply(StatusCode::OK, deploy_json(&s.deploys, i, clock)))
    })
}

/// POST /services/{serviceId}/deploys/{deployId}/cancel — only while the deploy is running.
pub async fn cancel(
    _: Authed,
    State(emu): State<Emulator>,
    Path((service_id, deploy_id)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, clock| {
        let s = r.service_mut(&service_id)?;
        let i = position(s, &deploy_id)?;
        if s.deploys[i].finished(clock) {
            return Err(ApiError::conflict("deploy has already finished"));
        }
        s.deploys[i].canceled_ms = Some(clock.now_ms);
        Ok(reply(StatusCode::OK, deploy_json(&s.deploys, i, clock)))
    })
}

fn position(s: &Service, deploy_id: &str) -> Result<usize, ApiError> {
    s.deploys
        .iter()
        .position(|d| d.id == deploy_id)
        .ok_or_else(|| ApiError::not_found("deploy"))
}
