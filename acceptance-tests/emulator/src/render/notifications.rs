//! Render notification settings (`/notification-settings/…`): the workspace's settings (one per
//! owner, always readable: a new workspace answers Render's defaults) and per-service overrides
//! (`default` means "follow the workspace"). Only what differs from the defaults is remembered,
//! so a world whose settings were restored is empty again. Imports only the shared plumbing,
//! the owners and the state.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{body_object, opt_bool, opt_enum, reply, ApiError, ApiResult, Authed, ListQuery};
use super::{list_page, owners, read, write, RenderState};
use crate::world::Emulator;

/// `notificationsToSend` of the workspace.
const TO_SEND: &[&str] = &["none", "failure", "all"];
/// A service override's `notificationsToSend` and `previewNotificationsEnabled`.
const OVERRIDE_TO_SEND: &[&str] = &["default", "none", "failure", "all"];
const OVERRIDE_PREVIEWS: &[&str] = &["default", "false", "true"];

/// A workspace's settings. A new Render workspace emails on failures and skips previews.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerNotifications {
    owner_id: String,
    email_enabled: bool,
    preview_notifications_enabled: bool,
    notifications_to_send: String,
}

impl OwnerNotifications {
    fn defaults(owner_id: &str) -> Self {
        OwnerNotifications {
            owner_id: owner_id.to_string(),
            email_enabled: true,
            preview_notifications_enabled: false,
            notifications_to_send: "failure".into(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "ownerId": self.owner_id,
            // No Slack workspace is ever connected in the emulator.
            "slackEnabled": false,
            "emailEnabled": self.email_enabled,
            "previewNotificationsEnabled": self.preview_notifications_enabled,
            "notificationsToSend": self.notifications_to_send,
        })
    }
}

/// A service's override; both fields `default` is the same as no override.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceNotifications {
    service_id: String,
    preview_notifications_enabled: String,
    notifications_to_send: String,
}

impl ServiceNotifications {
    fn defaults(service_id: &str) -> Self {
        ServiceNotifications {
            service_id: service_id.to_string(),
            preview_notifications_enabled: "default".into(),
            notifications_to_send: "default".into(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "serviceId": self.service_id,
            "previewNotificationsEnabled": self.preview_notifications_enabled,
            "notificationsToSend": self.notifications_to_send,
        })
    }
}

fn owner_settings(r: &RenderState, owner_id: &str) -> Result<OwnerNotifications, ApiError> {
    if !owners::exists(owner_id) {
        return Err(ApiError::not_found("owner"));
    }
    Ok(r.owner_notifications
        .iter()
        .find(|n| n.owner_id == owner_id)
        .cloned()
        .unwrap_or_else(|| OwnerNotifications::defaults(owner_id)))
}

fn service_settings(r: &RenderState, service_id: &str) -> Result<ServiceNotifications, ApiError> {
    r.service(service_id)?;
    Ok(r.service_notifications
        .iter()
        .find(|n| n.service_id == service_id)
        .cloned()
        .unwrap_or_else(|| ServiceNotifications::defaults(service_id)))
}

/// A deleted service takes its override with it.
pub fn forget_service(r: &mut RenderState, service_id: &str) {
    r.service_notifications
        .retain(|n| n.service_id != service_id);
}

/// GET /notification-settings/owners/{ownerId}
pub async fn get_owner(
    _: Authed,
    State(emu): State<Emulator>,
    Path(owner_id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(StatusCode::OK, owner_settings(r, &owner_id)?.json()))
    })
}

/// PATCH /notification-settings/owners/{ownerId} — any of the three fields; answers the result.
pub async fn patch_owner(
    _: Authed,
    State(emu): State<Emulator>,
    Path(owner_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let mut n = owner_settings(r, &owner_id)?;
        if let Some(v) = opt_bool(&body, "emailEnabled")? {
            n.email_enabled = v;
        }
        if let Some(v) = opt_bool(&body, "previewNotificationsEnabled")? {
            n.preview_notifications_enabled = v;
        }
        if let Some(v) = opt_enum(&body, "notificationsToSend", TO_SEND)? {
            n.notifications_to_send = v;
        }
        let out = n.json();
        r.owner_notifications.retain(|o| o.owner_id != owner_id);
        if n != OwnerNotifications::defaults(&owner_id) {
            r.owner_notifications.push(n);
        }
        Ok(reply(StatusCode::OK, out))
    })
}

/// GET /notification-settings/overrides — filters ownerId, serviceId; overrides that differ
/// from `default` only.
pub async fn list_overrides(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "override", |r, _, q| {
        r.service_notifications
            .iter()
            .filter(|n| {
                let owner = r.service(&n.service_id).map(|s| s.owner_id.as_str());
                q.allows("serviceId", &n.service_id)
                    && q.allows("ownerId", owner.unwrap_or_default())
            })
            .map(|n| {
                let mut item = n.json();
                item["type"] = json!("service");
                (n.service_id.clone(), item)
            })
            .collect()
    })
}

/// GET /notification-settings/overrides/services/{serviceId}
pub async fn get_service(
    _: Authed,
    State(emu): State<Emulator>,
    Path(service_id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(
            StatusCode::OK,
            service_settings(r, &service_id)?.json(),
        ))
    })
}

/// PATCH /notification-settings/overrides/services/{serviceId}
pub async fn patch_service(
    _: Authed,
    State(emu): State<Emulator>,
    Path(service_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let mut n = service_settings(r, &service_id)?;
        if let Some(v) = opt_enum(&body, "previewNotificationsEnabled", OVERRIDE_PREVIEWS)? {
            n.preview_notifications_enabled = v;
        }
        if let Some(v) = opt_enum(&body, "notificationsToSend", OVERRIDE_TO_SEND)? {
            n.notifications_to_send = v;
        }
        let out = n.json();
        forget_service(r, &service_id);
        if n != ServiceNotifications::defaults(&service_id) {
            r.service_notifications.push(n);
        }
        Ok(reply(StatusCode::OK, out))
    })
}
