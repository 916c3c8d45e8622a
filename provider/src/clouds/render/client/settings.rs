//! Render workspace settings: notification settings (`/notification-settings/owners/{ownerId}`,
//! a singleton every workspace has) and the workspace log stream (`/logs/streams/owner/{ownerId}`,
//! absent until set). Shapes from render.openapi.json. The log stream token goes out in request
//! bodies only (marked secret so no error echoes it); answers never carry it. HTTP/JSON only; no
//! wire name leaves this module.

use serde::{Deserialize, Serialize};

use super::projects::body;
use super::{seg, RenderClient};
use crate::clouds::http::{ApiError, Call, GoneOk};

/// The answer of `retrieve-owner-notification-settings` / `patch-owner-notification-settings`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub slack_enabled: bool,
    #[serde(default)]
    pub email_enabled: bool,
    #[serde(default)]
    pub preview_notifications_enabled: bool,
    #[serde(default)]
    pub notifications_to_send: String,
}

/// The PATCH body: only the fields to change.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettingsPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_notifications_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications_to_send: Option<String>,
}

/// The answer of `get-owner-log-stream` / `update-owner-log-stream` (no token).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LogStream {
    #[serde(default)]
    pub owner_id: String,
    pub endpoint: Option<String>,
    #[serde(default)]
    pub preview: String,
}

/// The PUT body: it replaces the setting, so the token is sent whenever there is one.
#[derive(Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LogStreamRequest {
    pub endpoint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub preview: String,
}

/// The token stays out of `Debug` output (a logged request must not carry it).
impl std::fmt::Debug for LogStreamRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogStreamRequest")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("preview", &self.preview)
            .finish()
    }
}

impl RenderClient {
    fn notifications_path(owner_id: &str) -> String {
        format!("/notification-settings/owners/{}", seg(owner_id))
    }

    fn log_stream_path(owner_id: &str) -> String {
        format!("/logs/streams/owner/{}", seg(owner_id))
    }

    pub async fn get_notification_settings(
        &self,
        owner_id: &str,
    ) -> Result<NotificationSettings, ApiError> {
        self.http
            .send(Call::get(Self::notifications_path(owner_id)))
            .await
    }

    /// PATCH (setting the same values twice is harmless: retried).
    pub async fn patch_notification_settings(
        &self,
        owner_id: &str,
        patch: &NotificationSettingsPatch,
    ) -> Result<NotificationSettings, ApiError> {
        let call = Call::patch(
            Self::notifications_path(owner_id),
            body("notification settings", patch)?,
        );
        self.http.send(call.idempotent(true)).await
    }

    pub async fn get_log_stream(&self, owner_id: &str) -> Result<LogStream, ApiError> {
        self.http
            .send(Call::get(Self::log_stream_path(owner_id)))
            .await
    }

    /// PUT (a replacement: retried).
    pub async fn put_log_stream(
        &self,
        owner_id: &str,
        req: &LogStreamRequest,
    ) -> Result<LogStream, ApiError> {
        let mut call = Call::put(Self::log_stream_path(owner_id), body("log stream", req)?);
        if let Some(t) = &req.token {
            call = call.secret(t.clone());
        }
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE; a stream already gone counts as deleted.
    pub async fn delete_log_stream(&self, owner_id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(Self::log_stream_path(owner_id)))
            .await
            .gone_ok()
    }
}

/// A service's notification override (`retrieve-service-notification-overrides` /
/// `patch-service-notification-overrides`): every service has one; `default` in both fields is
/// the same as none.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NotificationOverride {
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub preview_notifications_enabled: String,
    #[serde(default)]
    pub notifications_to_send: String,
}

/// The override's PATCH body (`default | false | true`, `default | none | failure | all`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NotificationOverridePatch {
    pub preview_notifications_enabled: String,
    pub notifications_to_send: String,
}

/// A resource's log stream override (`get-resource-log-stream` / `update-resource-log-stream`;
/// no token in an answer).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLogStream {
    #[serde(default)]
    pub resource_id: String,
    pub endpoint: Option<String>,
    #[serde(default)]
    pub setting: String,
}

/// The override's PUT body (a replacement: the token goes with every one that has one).
#[derive(Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLogStreamRequest {
    pub setting: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The token stays out of `Debug` output (a logged request must not carry it).
impl std::fmt::Debug for ResourceLogStreamRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceLogStreamRequest")
            .field("setting", &self.setting)
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl RenderClient {
    fn notification_override_path(service_id: &str) -> String {
        format!(
            "/notification-settings/overrides/services/{}",
            seg(service_id)
        )
    }

    fn resource_log_stream_path(resource_id: &str) -> String {
        format!("/logs/streams/resource/{}", seg(resource_id))
    }

    pub async fn get_notification_override(
        &self,
        service_id: &str,
    ) -> Result<NotificationOverride, ApiError> {
        self.http
            .send(Call::get(Self::notification_override_path(service_id)))
            .await
    }

    /// PATCH both fields (setting the same values twice is harmless: retried).
    pub async fn patch_notification_override(
        &self,
        service_id: &str,
        patch: &NotificationOverridePatch,
    ) -> Result<NotificationOverride, ApiError> {
        let call = Call::patch(
            Self::notification_override_path(service_id),
            body("notification override", patch)?,
        );
        self.http.send(call.idempotent(true)).await
    }

    /// The resource's override; `None` while it has none (Render answers 404).
    pub async fn get_resource_log_stream(
        &self,
        resource_id: &str,
    ) -> Result<Option<ResourceLogStream>, ApiError> {
        match self
            .http
            .send(Call::get(Self::resource_log_stream_path(resource_id)))
            .await
        {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// PUT (a replacement: retried).
    pub async fn put_resource_log_stream(
        &self,
        resource_id: &str,
        req: &ResourceLogStreamRequest,
    ) -> Result<ResourceLogStream, ApiError> {
        let mut call = Call::put(
            Self::resource_log_stream_path(resource_id),
            body("log stream override", req)?,
        );
        if let Some(t) = &req.token {
            call = call.secret(t.clone());
        }
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE: the resource streams where its workspace does again; none left counts as done.
    pub async fn delete_resource_log_stream(&self, resource_id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(Self::resource_log_stream_path(resource_id)))
            .await
            .gone_ok()
    }
}
