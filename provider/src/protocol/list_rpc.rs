//! The list-resource RPCs of the tfplugin6 service (Terraform ≥ 1.14 `terraform query`):
//! ValidateListResourceConfig, the server-streaming ListResource (one event per object, in the
//! lister's order; a failed list or a failed object read travels as a diagnostic event, never as
//! a gRPC error) and GenerateResourceConfig. `provider_service` forwards to these so the service
//! file stays one line per RPC. Must not import clouds.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::codegen::BoxStream;
use tonic::Status;

use super::convert::{self, decode_value, encode_value};
use super::proto::tfplugin6 as pb;
use crate::framework::{Diagnostic, Diagnostics, Host, ListRequest};

/// How many listed objects are read at once for `include_resource` (each read is one or a few
/// vendor calls; the clients pace and retry on their own).
const READ_AHEAD: usize = 4;

fn unknown_list(name: &str) -> Diagnostics {
    Diagnostic::error(
        "Unknown list resource type",
        format!("This provider has no list resource named {name:?}."),
    )
    .into()
}

pub fn validate_list_config(
    host: &Host,
    req: pb::validate_list_resource_config::Request,
) -> pb::validate_list_resource_config::Response {
    let diags = match host.list_schema(&req.type_name) {
        None => unknown_list(&req.type_name),
        Some(schema) => match decode_value(
            req.config.as_ref(),
            &schema.value_type(),
            "list configuration",
        ) {
            Ok(config) => host.validate_list_config(&req.type_name, &config),
            Err(d) => d.into(),
        },
    };
    pb::validate_list_resource_config::Response {
        diagnostics: convert::diagnostics(diags),
    }
}

fn diag_event(diags: Diagnostics) -> pb::list_resource::Event {
    pb::list_resource::Event {
        diagnostic: convert::diagnostics(diags),
        ..Default::default()
    }
}

/// ListResource: starts the listing on its own task and streams events as they are ready.
/// Terraform hanging up (it stops reading at `limit`) ends the task at the next send.
pub fn list(
    host: Arc<Host>,
    req: pb::list_resource::Request,
) -> BoxStream<pb::list_resource::Event> {
    let (tx, rx) = mpsc::channel::<Result<pb::list_resource::Event, Status>>(READ_AHEAD * 2);
    tokio::spawn(async move {
        run_list(&host, req, &tx).await;
    });
    Box::pin(ReceiverStream::new(rx))
}

async fn run_list(
    host: &Host,
    req: pb::list_resource::Request,
    tx: &mpsc::Sender<Result<pb::list_resource::Event, Status>>,
) {
    use futures::StreamExt;

    let send = |ev| async move { tx.send(Ok(ev)).await.is_ok() };
    let Some(schema) = host.list_schema(&req.type_name) else {
        send(diag_event(unknown_list(&req.type_name))).await;
        return;
    };
    let config = match decode_value(
        req.config.as_ref(),
        &schema.value_type(),
        "list configuration",
    ) {
        Ok(c) => c,
        Err(d) => {
            send(diag_event(d.into())).await;
            return;
        }
    };
    let list_req = ListRequest {
        // Terraform always sends a limit (default 100); 0 or less would mean "none".
        limit: usize::try_from(req.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(usize::MAX),
        include_resource: req.include_resource_object,
    };
    tracing::debug!(rpc = "ListResource", type_name = %req.type_name, limit = req.limit, include_resource = list_req.include_resource, "listing");
    let found = match host.list_objects(&req.type_name, &config, list_req).await {
        Ok(found) => found,
        Err(d) => {
            send(diag_event(d)).await;
            return;
        }
    };
    let type_name = req.type_name.as_str();
    let resource_ty = host.resource_schema(type_name).map(|s| s.value_type());
    let identity_schema = host.identity_schema(type_name);
    let mut events = futures::stream::iter(found)
        .map(|listed| async move {
            let (identity, state, diags) = host
                .listed_object(type_name, &listed, list_req.include_resource)
                .await;
            (listed, identity, state, diags)
        })
        .buffered(READ_AHEAD);
    while let Some((listed, identity, state, mut diags)) = events.next().await {
        if diags.has_errors() {
            // One unreadable object (deleted meanwhile, say) must not end the whole listing:
            // Terraform stops at the first error, so it comes as a warning without identity.
            let detail = diags
                .into_vec()
                .into_iter()
                .map(|d| format!("{}: {}", d.summary, d.detail))
                .collect::<Vec<_>>()
                .join("; ");
            let warning = Diagnostic::warning(
                format!("Skipped {type_name} {:?}", listed.display_name),
                format!("It was listed but could not be read: {detail}"),
            );
            if !send(diag_event(warning.into())).await {
                return;
            }
            continue;
        }
        let identity = match convert::identity_data(&identity, identity_schema) {
            Ok(i) => i,
            Err(d) => {
                diags.push(d);
                None
            }
        };
        let resource_object = match (state, &resource_ty) {
            (Some(s), Some(ty)) => encode_value(&s, ty, "listed object")
                .map_err(|d| diags.push(d))
                .ok(),
            _ => None,
        };
        let ev = pb::list_resource::Event {
            identity,
            display_name: listed.display_name,
            resource_object,
            diagnostic: convert::diagnostics(diags),
        };
        if !send(ev).await {
            return;
        }
    }
}

pub fn generate_config(
    host: &Host,
    req: pb::generate_resource_config::Request,
) -> pb::generate_resource_config::Response {
    let fail = |d: Diagnostics| pb::generate_resource_config::Response {
        config: None,
        diagnostics: convert::diagnostics(d),
    };
    let Some(ty) = host.resource_schema(&req.type_name).map(|s| s.value_type()) else {
        return fail(
            Diagnostic::error(
                "Unknown resource type",
                format!("This provider has no resource named {:?}.", req.type_name),
            )
            .into(),
        );
    };
    let state = match decode_value(req.state.as_ref(), &ty, "state") {
        Ok(s) => s,
        Err(d) => return fail(d.into()),
    };
    let config = match host.generate_config(&req.type_name, &state) {
        Ok(c) => c,
        Err(d) => return fail(d),
    };
    match encode_value(&config, &ty, "generated configuration") {
        Ok(v) => pb::generate_resource_config::Response {
            config: Some(v),
            diagnostics: Vec::new(),
        },
        Err(d) => fail(d.into()),
    }
}
