//! `render_notification_setting`: the workspace's notification settings (email on or off, which
//! events, preview environments), a singleton every Render workspace has. Create and update
//! PATCH the configured values; destroy PATCHes Render's new-workspace defaults back
//! ([`DEFAULTS`]: the spec documents no defaults, so these are the values a new workspace
//! answers). Per-service overrides are not a resource: the anchor provider has them as
//! `notification_override` on its service resources. Import by workspace id. Must not import
//! the other Render resources.

pub mod list;

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::settings::{NotificationSettings, NotificationSettingsPatch};
use super::client::RenderClient;
use super::is_render_id;
use crate::clouds::support::api_diag;
use crate::framework::rules::one_of;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Schema, TypedResource,
    Update, Val, Validator,
};

pub struct NotificationSettingResource;

const TYPE: &str = "render_notification_setting";

/// The spec's `notificationsToSend`.
pub const TO_SEND: &[&str] = &["none", "failure", "all"];

/// What a new Render workspace answers, restored on destroy: email on, failures only, no
/// preview notifications.
pub const DEFAULTS: NotificationDefaults = NotificationDefaults {
    email_enabled: true,
    preview_notifications_enabled: false,
    notifications_to_send: "failure",
};

pub struct NotificationDefaults {
    pub email_enabled: bool,
    pub preview_notifications_enabled: bool,
    pub notifications_to_send: &'static str,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationSettingModel {
    pub owner_id: Val<String>,
    pub email_enabled: Val<bool>,
    pub preview_notifications_enabled: Val<bool>,
    pub notifications_to_send: Val<String>,
    pub slack_enabled: Val<bool>,
    pub id: Val<String>,
}

impl NotificationSettingModel {
    /// The PATCH of the values the plan knows (an unset one is left as Render has it).
    pub fn to_patch(&self) -> NotificationSettingsPatch {
        NotificationSettingsPatch {
            email_enabled: self.email_enabled.known().copied(),
            preview_notifications_enabled: self.preview_notifications_enabled.known().copied(),
            notifications_to_send: self.notifications_to_send.known().cloned(),
        }
    }

    /// The PATCH that puts a workspace back as a new one is.
    pub fn defaults_patch() -> NotificationSettingsPatch {
        NotificationSettingsPatch {
            email_enabled: Some(DEFAULTS.email_enabled),
            preview_notifications_enabled: Some(DEFAULTS.preview_notifications_enabled),
            notifications_to_send: Some(DEFAULTS.notifications_to_send.to_string()),
        }
    }

    /// The state of `owner_id`'s settings as Render answered them.
    pub fn from_api(api: &NotificationSettings, owner_id: &str) -> Self {
        NotificationSettingModel {
            owner_id: Val::Known(owner_id.to_string()),
            email_enabled: Val::Known(api.email_enabled),
            preview_notifications_enabled: Val::Known(api.preview_notifications_enabled),
            notifications_to_send: Val::Known(api.notifications_to_send.clone()),
            slack_enabled: Val::Known(api.slack_enabled),
            id: Val::Known(owner_id.to_string()),
        }
    }
}

/// The workspace-id check shared by the schema and the import table.
pub fn owner_id_validator() -> Validator {
    Validator::string("A Render workspace id (`tea-…` or `usr-…`).", |s| {
        owner_id_error(s)
    })
}

fn owner_id_error(s: &str) -> Option<String> {
    let ok = (s.starts_with("tea-") || s.starts_with("usr-")) && is_render_id(s);
    (!ok).then(|| format!("{s:?} is not a Render workspace id (`tea-…` or `usr-…`)"))
}

fn import_check(f: &BTreeMap<String, String>) -> Option<String> {
    owner_id_error(f.get("owner_id").map(String::as_str).unwrap_or_default())
}

/// The import table of a workspace singleton: the workspace id, which is also `id`.
pub fn owner_import_id() -> ImportId {
    ImportId::formats(&["<owner_id>"])
        .trimmed()
        .id_from("owner_id")
        .check(import_check)
}

/// The workspace a create applies to: the planned `owner_id`, else the provider's.
pub fn planned_owner(owner_id: &Val<String>, c: &RenderClient) -> String {
    owner_id
        .known()
        .cloned()
        .unwrap_or_else(|| c.owner_id().to_string())
}

fn schema() -> Schema {
    Schema::new(
        "The notification settings of a Render workspace (one per workspace; it always exists). Create and update set the configured values; an unset value is left as Render has it. Destroy restores a new workspace's values: `email_enabled = true`, `notifications_to_send = \"failure\"`, `preview_notifications_enabled = false` (Render's spec documents no defaults; these are what a new workspace answers). Per-service overrides belong to the service (the official provider's `notification_override`), not to this resource.",
        vec![
            Attribute::string("owner_id").optional_computed().replace().keep_state().validate(owner_id_validator()).description(
                "Workspace id; default: the provider's workspace.",
            ),
            Attribute::bool("email_enabled").optional_computed().keep_state().description(
                "Whether Render emails the workspace's members about events.",
            ),
            Attribute::bool("preview_notifications_enabled").optional_computed().keep_state().description(
                "Whether preview environments (and pull request previews) notify too.",
            ),
            Attribute::string("notifications_to_send").optional_computed().keep_state().validate(one_of(TO_SEND)).description(
                "Which events notify (all of them, failures only, or none).",
            ),
            Attribute::bool("slack_enabled").computed().description(
                "Whether a Slack workspace is connected (set in the dashboard, not through the API).",
            ),
            Attribute::string("id").computed().keep_state().description("The workspace id (as `owner_id`)."),
        ],
    )
}

#[async_trait]
impl TypedResource for NotificationSettingResource {
    type Model = NotificationSettingModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema()
    }

    fn import_id(&self) -> ImportId {
        owner_import_id()
    }

    fn identity(&self) -> Identity {
        Identity::new(&["owner_id"])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<NotificationSettingModel>,
        _cx: &ApplyCx,
    ) -> Applied<NotificationSettingModel> {
        let owner = planned_owner(&op.plan.owner_id, c);
        let api = c
            .patch_notification_settings(&owner, &op.plan.to_patch())
            .await
            .map_err(|e| api_diag("Failed to set Render notification settings", &e))?;
        Ok(NotificationSettingModel::from_api(&api, &owner))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: NotificationSettingModel,
        _cx: &ApplyCx,
    ) -> Result<Option<NotificationSettingModel>, Diagnostics> {
        let owner = state.owner_id.required("owner_id")?;
        match c.get_notification_settings(owner).await {
            Ok(api) => Ok(Some(NotificationSettingModel::from_api(&api, owner))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Render notification settings", &e)),
        }
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<NotificationSettingModel>,
        _cx: &ApplyCx,
    ) -> Applied<NotificationSettingModel> {
        let owner = op.prior.owner_id.required("owner_id")?.to_string();
        let api = c
            .patch_notification_settings(&owner, &op.plan.to_patch())
            .await
            .map_err(|e| api_diag("Failed to update Render notification settings", &e))?;
        Ok(NotificationSettingModel::from_api(&api, &owner))
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: NotificationSettingModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let owner = state.owner_id.required("owner_id")?;
        c.patch_notification_settings(owner, &NotificationSettingModel::defaults_patch())
            .await
            .map(|_| ())
            .map_err(|e| api_diag("Failed to restore Render notification settings", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_values_are_patched_and_destroy_patches_every_default() {
        let plan = NotificationSettingModel {
            email_enabled: Val::Known(false),
            preview_notifications_enabled: Val::Unknown,
            ..Default::default()
        };
        assert_eq!(
            plan.to_patch(),
            NotificationSettingsPatch {
                email_enabled: Some(false),
                ..Default::default()
            }
        );
        let d = NotificationSettingModel::defaults_patch();
        assert_eq!(d.email_enabled, Some(true));
        assert_eq!(d.preview_notifications_enabled, Some(false));
        assert_eq!(d.notifications_to_send.as_deref(), Some("failure"));
        assert!(owner_id_error("tea-abc").is_none());
        assert!(owner_id_error("srv-abc").is_some());
    }
}
