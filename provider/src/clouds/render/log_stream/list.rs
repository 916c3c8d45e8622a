//! `list "render_log_stream"` (`terraform query`): the provider workspace's log stream, its
//! one object when the workspace has one, none otherwise. Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use crate::clouds::render::client::RenderClient;
use crate::clouds::support::api_diag;
use crate::framework::{ApplyCx, Diagnostics, ListRequest, Listed, Schema, TypedList};

/// No filters: there is at most one object.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogStreamListConfig {}

pub struct LogStreamList;

#[async_trait]
impl TypedList for LogStreamList {
    type Config = LogStreamListConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_log_stream";

    fn schema(&self) -> Schema {
        Schema::new(
            "The log stream of the provider's workspace (at most one object). Render never returns the token: a generated configuration needs it supplied (`token_wo`).",
            vec![],
        )
    }

    async fn list(
        &self,
        c: &RenderClient,
        _config: LogStreamListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let owner = c.owner_id();
        match c.get_log_stream(owner).await {
            Ok(s) => Ok(vec![Listed::new(
                format!(
                    "log stream of {owner} to {}",
                    s.endpoint.unwrap_or_default()
                ),
                &[("owner_id", owner)],
            )]),
            Err(e) if e.is_not_found() => Ok(Vec::new()),
            Err(e) => Err(api_diag("Failed to read the Render log stream", &e)),
        }
    }
}
