//! `render_log_stream`: the workspace's log stream (where Render sends every service's logs: a
//! syslog endpoint and an optional token; whether preview resources' logs are sent or dropped).
//! Create and update PUT the whole setting (a PUT replaces, so the token goes with every one);
//! destroy DELETEs it, which puts the workspace back to no stream. The token is `token`
//! (sensitive, in state) or `token_wo` (write-only, with `token_wo_version`); Render never
//! answers it, so a read keeps what the state has. Per-resource overrides are not this resource:
//! the anchor provider has them as `log_stream_override` on its service and database resources.
//! Import by workspace id. Must not import the other Render resources.

pub mod list;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::settings::{LogStream, LogStreamRequest};
use super::client::RenderClient;
use super::notification_setting::{owner_id_validator, owner_import_id, planned_owner};
use crate::clouds::support::api_diag;
use crate::framework::rules::one_of;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Path, Schema,
    TypedResource, Update, Val, Value, WriteOnlySecret,
};

pub struct LogStreamResource;

const TYPE: &str = "render_log_stream";

/// The token: at most one of the plain and the write-only one (shared with the per-resource
/// overrides on `render_service` and `render_database`).
pub const TOKEN: WriteOnlySecret =
    WriteOnlySecret::optional("token", "token_wo", "token_wo_version");

/// The spec's send-or-drop setting (`preview`).
pub const SETTINGS: &[&str] = &["send", "drop"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogStreamModel {
    pub owner_id: Val<String>,
    pub endpoint: String,
    pub preview: String,
    pub token: Option<String>,
    pub token_wo: Option<String>,
    pub token_wo_version: Option<i64>,
    pub id: Val<String>,
}

impl LogStreamModel {
    /// The PUT body; the token from the plan (`token`) or, write-only, from the configuration.
    pub fn to_request(&self, config: &LogStreamModel) -> LogStreamRequest {
        LogStreamRequest {
            endpoint: self.endpoint.clone(),
            token: WriteOnlySecret::pick(self.token.as_ref(), config.token_wo.as_ref()),
            preview: self.preview.clone(),
        }
    }

    /// `base` (a plan or the prior state) with what Render answered; the token and its version
    /// are never answered, so they stay as `base` has them; the write-only value is never stored.
    pub fn from_api(api: &LogStream, owner_id: &str, base: &LogStreamModel) -> Self {
        LogStreamModel {
            owner_id: Val::Known(owner_id.to_string()),
            endpoint: api.endpoint.clone().unwrap_or_default(),
            preview: api.preview.clone(),
            token: base.token.clone(),
            token_wo: None,
            token_wo_version: base.token_wo_version,
            id: Val::Known(owner_id.to_string()),
        }
    }
}

fn schema() -> Schema {
    Schema::new(
        "The log stream of a Render workspace: Render sends the logs of every service and database to this syslog endpoint. Destroy removes the stream (the workspace then streams nowhere, as a new one). Set at most one of `token` (stored in state, sensitive) and `token_wo` (write-only, Terraform ≥ 1.11, with `token_wo_version`); Render never returns the token. Per-resource overrides belong to the service or database (the official provider's `log_stream_override`), not to this resource.",
        vec![
            Attribute::string("owner_id").optional_computed().replace().keep_state().validate(owner_id_validator()).description(
                "Workspace id; default: the provider's workspace.",
            ),
            Attribute::string("endpoint").required().description(
                "Where logs go: a syslog endpoint `host:port` (e.g. `logs.example.com:6514`).",
            ),
            Attribute::string("preview").required().validate(one_of(SETTINGS)).description(
                "Whether preview resources' logs are streamed too (`send`) or not (`drop`).",
            ),
            Attribute::string("token").optional().sensitive().description(
                "Token the endpoint authenticates with (stored in state, sensitive).",
            ),
            Attribute::string("token_wo").optional().write_only().sensitive().description(
                "Write-only token (Terraform ≥ 1.11): never stored; sent with every create and update.",
            ),
            Attribute::int("token_wo_version").optional().description(
                "Change it to send a new `token_wo` (required with `token_wo`).",
            ),
            Attribute::string("id").computed().keep_state().description("The workspace id (as `owner_id`)."),
        ],
    )
}

fn validate(config: &Value, diags: &mut Diagnostics) {
    if config
        .attr("endpoint")
        .as_str()
        .is_some_and(|e| e.trim().is_empty())
    {
        diags.error_at(
            Path::root("endpoint"),
            "Empty endpoint",
            "`endpoint` must not be blank.",
        );
    }
    TOKEN.validate(config, &Path::empty(), diags);
}

#[async_trait]
impl TypedResource for LogStreamResource {
    type Model = LogStreamModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate(config, diags);
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
        op: Create<LogStreamModel>,
        _cx: &ApplyCx,
    ) -> Applied<LogStreamModel> {
        let owner = planned_owner(&op.plan.owner_id, c);
        let api = c
            .put_log_stream(&owner, &op.plan.to_request(&op.config))
            .await
            .map_err(|e| api_diag("Failed to set the Render log stream", &e))?;
        Ok(LogStreamModel::from_api(&api, &owner, &op.plan))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: LogStreamModel,
        _cx: &ApplyCx,
    ) -> Result<Option<LogStreamModel>, Diagnostics> {
        let owner = state.owner_id.required("owner_id")?;
        match c.get_log_stream(owner).await {
            Ok(api) => Ok(Some(LogStreamModel::from_api(&api, owner, &state))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read the Render log stream", &e)),
        }
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<LogStreamModel>,
        _cx: &ApplyCx,
    ) -> Applied<LogStreamModel> {
        let owner = op.prior.owner_id.required("owner_id")?.to_string();
        let api = c
            .put_log_stream(&owner, &op.plan.to_request(&op.config))
            .await
            .map_err(|e| api_diag("Failed to update the Render log stream", &e))?;
        Ok(LogStreamModel::from_api(&api, &owner, &op.plan))
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: LogStreamModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_log_stream(state.owner_id.required("owner_id")?)
            .await
            .map_err(|e| api_diag("Failed to delete the Render log stream", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_only_token_is_sent_from_the_configuration_and_never_kept() {
        let plan = LogStreamModel {
            endpoint: "logs.example.com:6514".into(),
            preview: "drop".into(),
            token_wo_version: Some(2),
            ..Default::default()
        };
        let config = LogStreamModel {
            token_wo: Some("s3cret".into()),
            ..plan.clone()
        };
        let body = plan.to_request(&config);
        assert_eq!(body.token.as_deref(), Some("s3cret"));
        assert!(!format!("{body:?}").contains("s3cret"), "Debug hides it");
        let api = LogStream {
            owner_id: "tea-1".into(),
            endpoint: Some("logs.example.com:6514".into()),
            preview: "drop".into(),
        };
        let state = LogStreamModel::from_api(&api, "tea-1", &config);
        assert_eq!(state.token_wo, None);
        assert_eq!(state.token_wo_version, Some(2));
        assert_eq!(state.id, Val::Known("tea-1".to_string()));
    }
}
