//! The per-resource settings that live at endpoints of their own: a service's notification
//! override (`/notification-settings/overrides/services/{serviceId}`) and a service's or
//! database's log stream override (`/logs/streams/resource/{resourceId}`). Schema attributes,
//! pure mappings, validation and the two write calls, shared by `render_service` (both) and
//! `render_database` (the log stream). Rules: they are read only when the configuration manages
//! them (a plain service keeps its request counts), removing a block puts Render's default back
//! (the notification override PATCHed to `default`/`default`, the log stream override DELETEd),
//! and an import reads them in full (an override is kept when it exists: a notification override
//! of `default`/`default` is the same as none). The log stream token is plain or write-only
//! (`framework::WriteOnlySecret`, the same rule as `render_log_stream`'s token, whose two
//! constants it shares); Render never answers it. Must not import the other resource modules.

use serde::{Deserialize, Serialize};

use super::client::settings::{
    NotificationOverride, NotificationOverridePatch, ResourceLogStream, ResourceLogStreamRequest,
};
use super::client::RenderClient;
use super::log_stream::{SETTINGS, TOKEN};
use crate::clouds::http::ApiError;
use crate::framework::rules::one_of;
use crate::framework::{Attribute, Diagnostics, Nesting, Path, Val, Value, WriteOnlySecret};

/// `previewNotificationsEnabled` of the override.
pub const PREVIEWS: &[&str] = &["default", "false", "true"];
/// `notificationsToSend` of the override.
pub const TO_SEND: &[&str] = &["default", "none", "failure", "all"];
const DEFAULT: &str = "default";

pub const NOTIFICATION_OVERRIDE: &str = "notification_override";
pub const LOG_STREAM_OVERRIDE: &str = "log_stream_override";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationOverrideModel {
    /// `Option`: the configuration leaves an unset field null (the plan fills in `default`).
    pub preview_notifications_enabled: Option<String>,
    pub notifications_to_send: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogStreamOverrideModel {
    pub setting: String,
    pub endpoint: Option<String>,
    pub token: Option<String>,
    pub token_wo: Option<String>,
    pub token_wo_version: Option<i64>,
}

pub fn notification_override_attribute() -> Attribute {
    Attribute::nested(
        NOTIFICATION_OVERRIDE,
        Nesting::Single,
        vec![
            Attribute::string("preview_notifications_enabled")
                .default(Value::string(DEFAULT))
                .validate(one_of(PREVIEWS))
                .description("Whether this service's preview notifications are sent: `true`, `false`, or `default` (the workspace's setting)."),
            Attribute::string("notifications_to_send")
                .default(Value::string(DEFAULT))
                .validate(one_of(TO_SEND))
                .description("Which of this service's notifications are sent: `none`, `failure`, `all`, or `default` (the workspace's setting)."),
        ],
    )
    .optional()
    .description("This service's notification override (the workspace's settings are `render_notification_setting`). Read only when set here; removing the block puts both fields back to `default`. An import reads it when it differs from the defaults.")
}

pub fn log_stream_override_attribute() -> Attribute {
    Attribute::nested(
        LOG_STREAM_OVERRIDE,
        Nesting::Single,
        vec![
            Attribute::string("setting")
                .required()
                .validate(one_of(SETTINGS))
                .description("`send` this resource's logs to `endpoint`, or `drop` them."),
            Attribute::string("endpoint")
                .optional()
                .description("Syslog endpoint `host:port` (required with `send`, refused with `drop`)."),
            Attribute::string("token")
                .optional()
                .sensitive()
                .description("Token the endpoint authenticates with (stored in state, sensitive; with `send`)."),
            Attribute::string("token_wo")
                .optional()
                .write_only()
                .sensitive()
                .description("Write-only token (Terraform ≥ 1.11): never stored; sent with every write of the override."),
            Attribute::int("token_wo_version")
                .optional()
                .description("Change it to send a new `token_wo` (required with `token_wo`)."),
        ],
    )
    .optional()
    .description("This resource's log stream override: it takes precedence over the workspace's `render_log_stream`. Read only when set here; removing the block deletes the override (the logs then go where the workspace's go). Render never returns the token: after an import the first apply sends it once.")
}

/// Configuration checks of a `log_stream_override` block (zero requests).
pub fn validate_log_stream_override(config: &Value, diags: &mut Diagnostics) {
    let block = config.attr(LOG_STREAM_OVERRIDE);
    if block.is_null() || block.is_unknown() {
        return;
    }
    let at = Path::root(LOG_STREAM_OVERRIDE);
    TOKEN.validate(block, &at, diags);
    let endpoint = block.attr("endpoint");
    match block.attr("setting").as_str() {
        Some("send") if endpoint.is_null() => diags.error_at(
            at.attr("endpoint"),
            "Missing endpoint",
            "`setting = \"send\"` needs an `endpoint` to send the logs to.",
        ),
        Some("send") if endpoint.as_str().is_some_and(|e| e.trim().is_empty()) => diags.error_at(
            at.attr("endpoint"),
            "Empty endpoint",
            "`endpoint` must not be blank.",
        ),
        Some("drop") => {
            let set = ["endpoint", "token", "token_wo"]
                .into_iter()
                .find(|a| !block.attr(a).is_null());
            if let Some(attr) = set {
                diags.error_at(
                    at.attr(attr),
                    "Nothing to send with drop",
                    "`setting = \"drop\"` sends the logs nowhere: remove `endpoint` and the token.",
                );
            }
        }
        _ => {}
    }
}

impl NotificationOverrideModel {
    pub fn to_patch(&self) -> NotificationOverridePatch {
        let or_default = |v: &Option<String>| v.clone().unwrap_or_else(|| DEFAULT.into());
        NotificationOverridePatch {
            preview_notifications_enabled: or_default(&self.preview_notifications_enabled),
            notifications_to_send: or_default(&self.notifications_to_send),
        }
    }

    /// Render's default: no override.
    pub fn defaults() -> Self {
        NotificationOverrideModel {
            preview_notifications_enabled: Some(DEFAULT.into()),
            notifications_to_send: Some(DEFAULT.into()),
        }
    }

    /// The block after a read: a managed block takes what Render answered; after an import
    /// (unknown) an all-default answer is no override.
    pub fn from_api(api: &NotificationOverride, prior: &Val<Self>) -> Val<Self> {
        let m = NotificationOverrideModel {
            preview_notifications_enabled: Some(api.preview_notifications_enabled.clone()),
            notifications_to_send: Some(api.notifications_to_send.clone()),
        };
        match prior {
            Val::Unknown if m == Self::defaults() => Val::Null,
            _ => Val::Known(m),
        }
    }
}

impl LogStreamOverrideModel {
    /// The PUT body: the token from the plan (`token`) or, write-only, from the configuration.
    pub fn to_request(&self, config: Option<&LogStreamOverrideModel>) -> ResourceLogStreamRequest {
        let wo = config.and_then(|c| c.token_wo.as_ref());
        ResourceLogStreamRequest {
            setting: self.setting.clone(),
            endpoint: self.endpoint.clone(),
            token: WriteOnlySecret::pick(self.token.as_ref(), wo),
        }
    }

    /// The block after a read: Render's answer (`None`: no override) with the token and its
    /// version as `prior` has them (never answered); the write-only value is never stored.
    pub fn from_api(api: Option<&ResourceLogStream>, prior: &Val<Self>) -> Val<Self> {
        let Some(api) = api else {
            return Val::Null;
        };
        let kept = prior.known().cloned().unwrap_or_default();
        Val::Known(LogStreamOverrideModel {
            setting: api.setting.clone(),
            endpoint: api.endpoint.clone(),
            token: kept.token,
            token_wo: None,
            token_wo_version: kept.token_wo_version,
        })
    }
}

/// Write the notification override when it changed: PATCH the planned values, or `default` in
/// both fields when the block was removed.
pub async fn apply_notification_override(
    c: &RenderClient,
    service_id: &str,
    prior: &Val<NotificationOverrideModel>,
    plan: &Val<NotificationOverrideModel>,
) -> Result<(), ApiError> {
    if prior == plan {
        return Ok(());
    }
    let target = match plan.known() {
        Some(m) => m.clone(),
        None if prior.is_null() => return Ok(()),
        None => NotificationOverrideModel::defaults(),
    };
    c.patch_notification_override(service_id, &target.to_patch())
        .await
        .map(|_| ())
}

/// Write the log stream override when it changed (a new write-only version counts): PUT the
/// planned one, or DELETE it when the block was removed.
pub async fn apply_log_stream_override(
    c: &RenderClient,
    resource_id: &str,
    prior: &Val<LogStreamOverrideModel>,
    plan: &Val<LogStreamOverrideModel>,
    config: &Val<LogStreamOverrideModel>,
) -> Result<(), ApiError> {
    if prior == plan {
        return Ok(());
    }
    match plan.known() {
        Some(m) => c
            .put_resource_log_stream(resource_id, &m.to_request(config.known()))
            .await
            .map(|_| ()),
        None if prior.is_null() => Ok(()),
        None => c.delete_resource_log_stream(resource_id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_only_token_goes_out_from_the_configuration_and_is_never_kept() {
        let plan = LogStreamOverrideModel {
            setting: "send".into(),
            endpoint: Some("logs.example.com:6514".into()),
            token_wo_version: Some(1),
            ..Default::default()
        };
        let config = LogStreamOverrideModel {
            token_wo: Some("s3cret".into()),
            ..plan.clone()
        };
        let body = plan.to_request(Some(&config));
        assert_eq!(body.token.as_deref(), Some("s3cret"));
        assert!(!format!("{body:?}").contains("s3cret"), "Debug hides it");
        let api = ResourceLogStream {
            resource_id: "srv-1".into(),
            endpoint: Some("logs.example.com:6514".into()),
            setting: "send".into(),
        };
        let Val::Known(state) = LogStreamOverrideModel::from_api(Some(&api), &Val::Known(config))
        else {
            panic!("an answer is a block");
        };
        assert_eq!(state.token_wo, None);
        assert_eq!(state.token_wo_version, Some(1));
        assert_eq!(
            LogStreamOverrideModel::from_api(None, &Val::Known(plan)),
            Val::Null,
            "no override answered: the block is gone (drift)"
        );
    }

    #[test]
    fn an_all_default_notification_override_is_none_after_an_import_but_kept_when_managed() {
        let api = NotificationOverride {
            service_id: "srv-1".into(),
            preview_notifications_enabled: "default".into(),
            notifications_to_send: "default".into(),
        };
        assert_eq!(
            NotificationOverrideModel::from_api(&api, &Val::Unknown),
            Val::Null
        );
        let managed = Val::Known(NotificationOverrideModel::defaults());
        assert_eq!(NotificationOverrideModel::from_api(&api, &managed), managed);
    }
}
