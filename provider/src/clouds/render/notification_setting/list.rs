//! `list "render_notification_setting"` (`terraform query`): the provider workspace's settings,
//! its one object (read once so a key that cannot see them fails here, not in the import).
//! Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use crate::clouds::render::client::RenderClient;
use crate::clouds::support::api_diag;
use crate::framework::{ApplyCx, Diagnostics, ListRequest, Listed, Schema, TypedList};

/// No filters: there is one object.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingListConfig {}

pub struct NotificationSettingList;

#[async_trait]
impl TypedList for NotificationSettingList {
    type Config = NotificationSettingListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_notification_setting";

    fn schema(&self) -> Schema {
        Schema::new(
            "The notification settings of the provider's workspace (a singleton: one object).",
            vec![],
        )
    }

    async fn list(
        &self,
        c: &RenderClient,
        _config: NotificationSettingListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let owner = c.owner_id();
        c.get_notification_settings(owner)
            .await
            .map_err(|e| api_diag("Failed to read Render notification settings", &e))?;
        Ok(vec![Listed::new(
            format!("notification settings of {owner}"),
            &[("owner_id", owner)],
        )])
    }
}
