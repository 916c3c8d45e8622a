//! The tfplugin6 action RPCs (Terraform ≥ 1.14): ValidateActionConfig, PlanAction and the
//! server-streaming InvokeAction, plus the action entries of GetMetadata / GetProviderSchema.
//! InvokeAction runs the action on its own task and streams a `progress` event per line the
//! action reports, then exactly one `completed` event carrying the diagnostics (a vendor failure
//! travels there, never as a gRPC status). Must not import clouds.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tokio_stream::StreamExt;
use tonic::codegen::BoxStream;

use super::convert::{self, decode_value};
use super::proto::tfplugin6 as pb;
use crate::framework::{Diagnostic, Diagnostics, Host, Value};

use pb::invoke_action::event::{Completed, Progress, Type as EventType};

fn unknown_action(name: &str) -> Diagnostics {
    Diagnostic::error(
        "Unknown action type",
        format!("This provider has no action named {name:?}."),
    )
    .into()
}

/// The configuration of an action request, decoded against its schema.
fn config(
    host: &Host,
    type_name: &str,
    raw: Option<&pb::DynamicValue>,
) -> Result<Value, Diagnostics> {
    let schema = host
        .action_schema(type_name)
        .ok_or_else(|| unknown_action(type_name))?;
    decode_value(raw, &schema.value_type(), "action configuration").map_err(Diagnostics::from)
}

pub fn metadata(host: &Host) -> Vec<pb::get_metadata::ActionMetadata> {
    host.action_schemas()
        .map(|(name, _)| pb::get_metadata::ActionMetadata {
            type_name: name.to_string(),
        })
        .collect()
}

pub fn schemas(host: &Host) -> HashMap<String, pb::ActionSchema> {
    host.action_schemas()
        .map(|(name, s)| {
            (
                name.to_string(),
                pb::ActionSchema {
                    schema: Some(convert::schema(s)),
                },
            )
        })
        .collect()
}

pub fn validate(
    host: &Host,
    req: pb::validate_action_config::Request,
) -> pb::validate_action_config::Response {
    let diags = match config(host, &req.type_name, req.config.as_ref()) {
        Ok(c) => host.validate_action_config(&req.type_name, &c),
        Err(d) => d,
    };
    pb::validate_action_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

pub fn plan(host: &Host, req: pb::plan_action::Request) -> pb::plan_action::Response {
    let diags = match config(host, &req.action_type, req.config.as_ref()) {
        Ok(c) => host.plan_action(&req.action_type, &c),
        Err(d) => d,
    };
    pb::plan_action::Response {
        diagnostics: convert::diagnostics(diags),
        deferred: None,
    }
}

fn event(t: EventType) -> pb::invoke_action::Event {
    pb::invoke_action::Event { r#type: Some(t) }
}

fn completed(diags: Diagnostics) -> pb::invoke_action::Event {
    event(EventType::Completed(Completed {
        diagnostics: convert::diagnostics(diags),
    }))
}

/// Start the action and hand back its event stream. Progress lines are sent as they come; when
/// Terraform hangs up early the action still runs to its end (a deploy it triggered is not
/// abandoned half-watched), its events are dropped.
pub fn invoke(
    host: Arc<Host>,
    req: pb::invoke_action::Request,
) -> BoxStream<pb::invoke_action::Event> {
    let (tx, rx) = mpsc::unbounded_channel();
    match config(&host, &req.action_type, req.config.as_ref()) {
        Err(d) => {
            let _ = tx.send(completed(d));
        }
        Ok(cfg) => {
            tracing::debug!(rpc = "InvokeAction", action_type = %req.action_type, "invoking");
            tokio::spawn(async move {
                let progress_tx = tx.clone();
                let mut progress = move |message: String| {
                    let _ = progress_tx.send(event(EventType::Progress(Progress { message })));
                };
                let diags = host
                    .invoke_action(&req.action_type, &cfg, &mut progress)
                    .await;
                let _ = tx.send(completed(diags));
            });
        }
    }
    Box::pin(UnboundedReceiverStream::new(rx).map(Ok))
}
