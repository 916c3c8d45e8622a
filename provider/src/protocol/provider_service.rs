//! The tfplugin6 `Provider` gRPC service: decodes each request against the right schema type,
//! calls the `framework::Host`, and encodes the result. User-facing problems always travel as
//! diagnostics inside an OK response, never as a gRPC error status. The list-resource RPCs and
//! GenerateResourceConfig live in `list_rpc`, the action RPCs in `actions`. RPCs we do not serve
//! (state stores, functions calls) fall through to the generated `Unimplemented` stubs. Request
//! and response bodies are never logged.
//! Must not import clouds.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::convert::{self, decode_all, decode_value, encode_value};
use super::list_rpc;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider;
use crate::framework::{Block, Diagnostic, Diagnostics, Host, Nesting, Path, Schema, Value};

type Rpc<T> = Result<Response<T>, Status>;

pub struct ProviderService {
    host: Arc<Host>,
}

impl ProviderService {
    pub fn new(host: Arc<Host>) -> Self {
        ProviderService { host }
    }

    fn resource_schema(&self, type_name: &str) -> Result<&Schema, Diagnostics> {
        self.host
            .resource_schema(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    /// The identity of a state on the wire (`None` when the resource declares none).
    fn identity(
        &self,
        type_name: &str,
        state: &Value,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
        let schema = self.host.identity_schema(type_name);
        convert::identity_data(&self.host.identity_of(type_name, state), schema)
    }

    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            // Destroy plans need nothing from us: Terraform plans them itself.
            plan_destroy: false,
            // Every RPC works without a prior GetProviderSchema: the host holds all schemas
            // from process start, so Terraform may use its cached copy.
            get_provider_schema_optional: true,
            move_resource_state: true,
            // The framework writes the configuration (no computed or default values).
            generate_resource_config: true,
        }
    }
}

fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} named {name:?}."),
    )
    .into()
}

fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

/// Write-only attributes need Terraform ≥ 1.11; an older client would store them in state. Checked
/// at every depth: a write-only token inside a nested attribute or block is as secret as one at
/// the top.
fn check_write_only(schema: &Schema, config: &Value, allowed: bool, diags: &mut Diagnostics) {
    if !allowed {
        check_write_only_in(&schema.block, config, &Path::empty(), diags);
    }
}

fn check_write_only_in(block: &Block, obj: &Value, at: &Path, diags: &mut Diagnostics) {
    for a in &block.attributes {
        let v = obj.attr(&a.name);
        if v.is_null() {
            continue;
        }
        let path = at.clone().attr(&a.name);
        if a.write_only {
            diags.error_at(
                path,
                "Write-only attribute not supported by this client",
                format!("{:?} is write-only, which needs Terraform 1.11 or later. Upgrade Terraform or leave it unset.", a.name),
            );
        } else if let Some((nesting, inner)) = &a.nested {
            let inner = Block {
                attributes: inner.clone(),
                ..Block::default()
            };
            each_nested(*nesting, v, &path, |o, p| {
                check_write_only_in(&inner, o, p, diags)
            });
        }
    }
    for b in &block.blocks {
        let path = at.clone().attr(&b.name);
        each_nested(b.nesting, obj.attr(&b.name), &path, |o, p| {
            check_write_only_in(&b.block, o, p, diags)
        });
    }
}

/// Calls `f` on each object of a nested attribute or block value, with its path.
fn each_nested(nesting: Nesting, v: &Value, at: &Path, mut f: impl FnMut(&Value, &Path)) {
    match nesting {
        Nesting::Single => f(v, at),
        Nesting::List | Nesting::Set => {
            for (i, o) in v.elements().unwrap_or_default().iter().enumerate() {
                f(o, &at.clone().index(i));
            }
        }
        Nesting::Map => {
            for (k, o) in v.entries().into_iter().flatten() {
                f(o, &at.clone().key(k));
            }
        }
    }
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        ok(pb::get_metadata::Response {
            server_capabilities: Some(Self::capabilities()),
            resources: self
                .host
                .resource_schemas()
                .map(|(name, _)| pb::get_metadata::ResourceMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            ephemeral_resources: self
                .host
                .ephemeral_schemas()
                .map(|(name, _)| pb::get_metadata::EphemeralMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            data_sources: self
                .host
                .data_source_schemas()
                .map(|(name, _)| pb::get_metadata::DataSourceMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            actions: super::actions::metadata(&self.host),
            list_resources: self
                .host
                .list_schemas()
                .map(|(name, _)| pb::get_metadata::ListResourceMetadata {
                    type_name: name.to_string(),
                })
                .collect(),
            ..Default::default()
        })
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        tracing::debug!(rpc = "GetProviderSchema", "serving schema");
        ok(pb::get_provider_schema::Response {
            provider: Some(convert::schema(self.host.provider_schema())),
            resource_schemas: self
                .host
                .resource_schemas()
                .map(|(n, s)| (n.to_string(), convert::schema(s)))
                .collect(),
            ephemeral_resource_schemas: self
                .host
                .ephemeral_schemas()
                .map(|(n, s)| (n.to_string(), convert::schema(s)))
                .collect(),
            data_source_schemas: self
                .host
                .data_source_schemas()
                .map(|(n, s)| (n.to_string(), convert::schema(s)))
                .collect(),
            action_schemas: super::actions::schemas(&self.host),
            list_resource_schemas: self
                .host
                .list_schemas()
                .map(|(n, s)| (n.to_string(), convert::schema(s)))
                .collect(),
            provider_meta: Some(convert::schema(&Schema::default())),
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        })
    }

    async fn get_resource_identity_schemas(
        &self,
        _req: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Rpc<pb::get_resource_identity_schemas::Response> {
        ok(pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .host
                .identity_schemas()
                .map(|(n, s)| (n.to_string(), convert::identity_schema(s)))
                .collect(),
            diagnostics: Vec::new(),
        })
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        let req = req.into_inner();
        let (upgraded_identity, diags) = match upgrade_identity(self, &req) {
            Ok(v) => (v, Diagnostics::new()),
            Err(d) => (None, d),
        };
        ok(pb::upgrade_resource_identity::Response {
            upgraded_identity,
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        let req = req.into_inner();
        let diags = match decode_value(
            req.config.as_ref(),
            &self.host.provider_schema().value_type(),
            "provider configuration",
        ) {
            Ok(config) => self.host.validate_provider_config(&config),
            Err(d) => d.into(),
        };
        ok(pb::validate_provider_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        let req = req.into_inner();
        tracing::debug!(rpc = "ConfigureProvider", terraform_version = %req.terraform_version, "configuring");
        let diags = match decode_value(
            req.config.as_ref(),
            &self.host.provider_schema().value_type(),
            "provider configuration",
        ) {
            Ok(config) => self.host.configure(&config).await,
            Err(d) => d.into(),
        };
        ok(pb::configure_provider::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        let req = req.into_inner();
        let wo_allowed = req
            .client_capabilities
            .as_ref()
            .is_some_and(|c| c.write_only_attributes_allowed);
        let diags = match self.resource_schema(&req.type_name) {
            Err(d) => d,
            Ok(schema) => match decode_value(
                req.config.as_ref(),
                &schema.value_type(),
                "resource configuration",
            ) {
                Err(d) => d.into(),
                Ok(config) => {
                    let mut diags = self.host.validate_resource_config(&req.type_name, &config);
                    check_write_only(schema, &config, wo_allowed, &mut diags);
                    diags
                }
            },
        };
        ok(pb::validate_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        let req = req.into_inner();
        let diags = match self.host.data_source_schema(&req.type_name) {
            None => unknown_type("data source", &req.type_name),
            Some(schema) => match decode_value(
                req.config.as_ref(),
                &schema.value_type(),
                "data source configuration",
            ) {
                Ok(config) => self
                    .host
                    .validate_data_source_config(&req.type_name, &config),
                Err(d) => d.into(),
            },
        };
        ok(pb::validate_data_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        let req = req.into_inner();
        let (state, mut diags) = match upgrade(self, &req) {
            Ok(v) => v,
            Err(d) => (Value::Null, d),
        };
        let upgraded_state = self
            .resource_schema(&req.type_name)
            .ok()
            .and_then(|schema| {
                encode_value(&state, &schema.value_type(), "upgraded state")
                    .map_err(|d| diags.push(d))
                    .ok()
            });
        ok(pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        let req = req.into_inner();
        let ty = match self.resource_schema(&req.type_name) {
            Ok(s) => s.value_type(),
            Err(d) => {
                return ok(pb::read_resource::Response {
                    diagnostics: convert::diagnostics(d),
                    ..Default::default()
                })
            }
        };
        let current = req.current_state.clone();
        let (state, mut diags) =
            match decode_value(req.current_state.as_ref(), &ty, "current state") {
                Ok(state) => self.host.read_resource(&req.type_name, &state).await,
                Err(d) => {
                    return ok(pb::read_resource::Response {
                        new_state: current,
                        diagnostics: convert::diagnostics(d.into()),
                        private: req.private,
                        ..Default::default()
                    })
                }
            };
        let new_state = match encode_value(&state, &ty, "refreshed state") {
            Ok(v) => Some(v),
            Err(d) => {
                diags.push(d);
                current
            }
        };
        let new_identity = self
            .identity(&req.type_name, &state)
            .map_err(|d| diags.push(d))
            .ok()
            .flatten()
            .or(req.current_identity);
        ok(pb::read_resource::Response {
            new_state,
            diagnostics: convert::diagnostics(diags),
            private: req.private,
            new_identity,
            ..Default::default()
        })
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        let req = req.into_inner();
        let fail = |d: Diagnostics| {
            ok(pb::plan_resource_change::Response {
                diagnostics: convert::diagnostics(d),
                ..Default::default()
            })
        };
        let ty = match self.resource_schema(&req.type_name) {
            Ok(s) => s.value_type(),
            Err(d) => return fail(d),
        };
        let [prior, proposed, config] = match decode_all(
            [
                (req.prior_state.as_ref(), "prior state"),
                (req.proposed_new_state.as_ref(), "proposed new state"),
                (req.config.as_ref(), "configuration"),
            ],
            &ty,
        ) {
            Ok(v) => v,
            Err(d) => return fail(d),
        };
        let outcome = self
            .host
            .plan_resource_change(&req.type_name, &prior, &proposed, &config);
        let mut diags = outcome.diags;
        let planned_state = encode_value(&outcome.planned, &ty, "planned state")
            .map_err(|d| diags.push(d))
            .ok();
        // An in-place update keeps the identity it had; a create or replacement plans the
        // identity of the new object only when it is already known (Terraform cannot render a
        // planned identity holding unknowns: "Failed to marshal plan to json"), else none.
        let in_place = !prior.is_null() && outcome.requires_replace.is_empty();
        let planned_identity = match (in_place, req.prior_identity) {
            (true, Some(prior_identity)) => Ok(Some(prior_identity)),
            (true, None) => self.identity(&req.type_name, &prior),
            (false, _) => {
                let next = self.host.identity_of(&req.type_name, &outcome.planned);
                if next.contains_unknown() {
                    Ok(None)
                } else {
                    self.identity(&req.type_name, &outcome.planned)
                }
            }
        }
        .unwrap_or_else(|d| {
            diags.push(d);
            None
        });
        ok(pb::plan_resource_change::Response {
            planned_state,
            planned_identity,
            requires_replace: outcome
                .requires_replace
                .iter()
                .map(convert::attribute_path)
                .collect(),
            planned_private: req.prior_private,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        let req = req.into_inner();
        let fail = |d: Diagnostics| {
            ok(pb::apply_resource_change::Response {
                diagnostics: convert::diagnostics(d),
                ..Default::default()
            })
        };
        let ty = match self.resource_schema(&req.type_name) {
            Ok(s) => s.value_type(),
            Err(d) => return fail(d),
        };
        let [prior, planned, config] = match decode_all(
            [
                (req.prior_state.as_ref(), "prior state"),
                (req.planned_state.as_ref(), "planned state"),
                (req.config.as_ref(), "configuration"),
            ],
            &ty,
        ) {
            Ok(v) => v,
            Err(d) => return fail(d),
        };
        tracing::debug!(rpc = "ApplyResourceChange", type_name = %req.type_name, "applying");
        let (state, mut diags) = self
            .host
            .apply_resource_change(&req.type_name, &prior, &planned, &config)
            .await;
        let new_state = encode_value(&state, &ty, "new state")
            .map_err(|d| diags.push(d))
            .ok();
        let new_identity = self
            .identity(&req.type_name, &state)
            .map_err(|d| diags.push(d))
            .ok()
            .flatten();
        ok(pb::apply_resource_change::Response {
            new_state,
            new_identity,
            private: req.planned_private,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        let req = req.into_inner();
        let ty = match self.resource_schema(&req.type_name) {
            Ok(s) => s.value_type(),
            Err(d) => {
                return ok(pb::import_resource_state::Response {
                    diagnostics: convert::diagnostics(d),
                    ..Default::default()
                })
            }
        };
        let identity_in = match (&req.identity, self.host.identity_schema(&req.type_name)) {
            (Some(data), Some(schema)) if req.id.is_empty() => {
                match decode_value(
                    data.identity_data.as_ref(),
                    &schema.value_type(),
                    "import identity",
                ) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        return ok(pb::import_resource_state::Response {
                            diagnostics: convert::diagnostics(d.into()),
                            ..Default::default()
                        })
                    }
                }
            }
            _ => None,
        };
        let (state, mut diags) = match &identity_in {
            Some(identity) => {
                self.host
                    .import_resource_identity(&req.type_name, identity)
                    .await
            }
            None => {
                self.host
                    .import_resource_state(&req.type_name, &req.id)
                    .await
            }
        };
        let mut imported_resources = Vec::new();
        if !diags.has_errors() && !state.is_null() {
            let encoded = encode_value(&state, &ty, "imported state")
                .and_then(|v| Ok((v, self.identity(&req.type_name, &state)?)));
            match encoded {
                Ok((v, identity)) => {
                    imported_resources.push(pb::import_resource_state::ImportedResource {
                        type_name: req.type_name.clone(),
                        state: Some(v),
                        identity,
                        ..Default::default()
                    })
                }
                Err(d) => diags.push(d),
            }
        }
        ok(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        let req = req.into_inner();
        let fail = |d: Diagnostics| {
            ok(pb::move_resource_state::Response {
                diagnostics: convert::diagnostics(d),
                ..Default::default()
            })
        };
        let ty = match self.resource_schema(&req.target_type_name) {
            Ok(s) => s.value_type(),
            Err(d) => return fail(d),
        };
        let json = req
            .source_state
            .as_ref()
            .map(|r| r.json.as_slice())
            .unwrap_or_default();
        let raw: serde_json::Value = match serde_json::from_slice(json) {
            Ok(v) => v,
            Err(e) => {
                return fail(
                    Diagnostic::error(
                        "Failed to read moved state",
                        format!("The {} state is not JSON: {e}.", req.source_type_name),
                    )
                    .into(),
                )
            }
        };
        tracing::debug!(rpc = "MoveResourceState", source = %req.source_type_name, target = %req.target_type_name, "moving");
        let (state, mut diags) = self.host.move_resource_state(
            &req.source_provider_address,
            &req.source_type_name,
            req.source_schema_version,
            &raw,
            &req.target_type_name,
        );
        if diags.has_errors() {
            return fail(diags);
        }
        let target_state = encode_value(&state, &ty, "moved state")
            .map_err(|d| diags.push(d))
            .ok();
        let target_identity = self
            .identity(&req.target_type_name, &state)
            .map_err(|d| diags.push(d))
            .ok()
            .flatten();
        ok(pb::move_resource_state::Response {
            target_state,
            target_identity,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        let req = req.into_inner();
        let fail = |d: Diagnostics| {
            ok(pb::read_data_source::Response {
                diagnostics: convert::diagnostics(d),
                ..Default::default()
            })
        };
        let Some(ty) = self
            .host
            .data_source_schema(&req.type_name)
            .map(Schema::value_type)
        else {
            return fail(unknown_type("data source", &req.type_name));
        };
        let config = match decode_value(req.config.as_ref(), &ty, "data source configuration") {
            Ok(c) => c,
            Err(d) => return fail(d.into()),
        };
        let (state, mut diags) = self.host.read_data_source(&req.type_name, &config).await;
        let state = if diags.has_errors() {
            None
        } else {
            encode_value(&state, &ty, "data source state")
                .map_err(|d| diags.push(d))
                .ok()
        };
        ok(pb::read_data_source::Response {
            state,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        let req = req.into_inner();
        let diags = match self.host.ephemeral_schema(&req.type_name) {
            None => unknown_type("ephemeral resource", &req.type_name),
            Some(schema) => match decode_value(
                req.config.as_ref(),
                &schema.value_type(),
                "ephemeral resource configuration",
            ) {
                Ok(config) => self.host.validate_ephemeral_config(&req.type_name, &config),
                Err(d) => d.into(),
            },
        };
        ok(pb::validate_ephemeral_resource_config::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        let req = req.into_inner();
        let fail = |d: Diagnostics| {
            ok(pb::open_ephemeral_resource::Response {
                diagnostics: convert::diagnostics(d),
                ..Default::default()
            })
        };
        let Some(ty) = self
            .host
            .ephemeral_schema(&req.type_name)
            .map(Schema::value_type)
        else {
            return fail(unknown_type("ephemeral resource", &req.type_name));
        };
        let config =
            match decode_value(req.config.as_ref(), &ty, "ephemeral resource configuration") {
                Ok(c) => c,
                Err(d) => return fail(d.into()),
            };
        let (value, mut diags) = self.host.open_ephemeral(&req.type_name, &config).await;
        // Terraform hands the private bytes of Open back to Close (never those of a Renew).
        let private = if value.is_null() {
            None
        } else {
            self.host.ephemeral_private(&req.type_name, &config, &value)
        };
        let result = encode_value(&value, &ty, "ephemeral result")
            .map_err(|d| diags.push(d))
            .ok();
        ok(pb::open_ephemeral_resource::Response {
            result,
            private,
            diagnostics: convert::diagnostics(diags),
            ..Default::default()
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        // We never ask for renewal (no renew_at): should Terraform call anyway, keep what Close
        // needs and ask for no further renewal.
        ok(pb::renew_ephemeral_resource::Response {
            private: req.into_inner().private,
            ..Default::default()
        })
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        let req = req.into_inner();
        let diags = match req.private.as_deref() {
            // Nothing to release: the open result kept no handle.
            None | Some([]) => Diagnostics::new(),
            Some(private) => self.host.close_ephemeral(&req.type_name, private).await,
        };
        ok(pb::close_ephemeral_resource::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Rpc<pb::validate_list_resource_config::Response> {
        ok(list_rpc::validate_list_config(&self.host, req.into_inner()))
    }

    async fn list_resource(
        &self,
        req: Request<pb::list_resource::Request>,
    ) -> Rpc<tonic::codegen::BoxStream<pb::list_resource::Event>> {
        ok(list_rpc::list(self.host.clone(), req.into_inner()))
    }

    async fn generate_resource_config(
        &self,
        req: Request<pb::generate_resource_config::Request>,
    ) -> Rpc<pb::generate_resource_config::Response> {
        ok(list_rpc::generate_config(&self.host, req.into_inner()))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        ok(pb::get_functions::Response::default())
    }

    async fn validate_action_config(
        &self,
        req: Request<pb::validate_action_config::Request>,
    ) -> Rpc<pb::validate_action_config::Response> {
        ok(super::actions::validate(&self.host, req.into_inner()))
    }

    async fn plan_action(
        &self,
        req: Request<pb::plan_action::Request>,
    ) -> Rpc<pb::plan_action::Response> {
        ok(super::actions::plan(&self.host, req.into_inner()))
    }

    async fn invoke_action(
        &self,
        req: Request<pb::invoke_action::Request>,
    ) -> Rpc<tonic::codegen::BoxStream<pb::invoke_action::Event>> {
        ok(super::actions::invoke(self.host.clone(), req.into_inner()))
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Rpc<pb::stop_provider::Response> {
        tracing::info!(
            rpc = "StopProvider",
            "stop requested: cancelling in-flight work"
        );
        self.host.stop();
        ok(pb::stop_provider::Response {
            error: String::new(),
        })
    }
}

/// UpgradeResourceState: raw JSON state (any older schema version) → the current type.
fn upgrade(
    svc: &ProviderService,
    req: &pb::upgrade_resource_state::Request,
) -> Result<(Value, Diagnostics), Diagnostics> {
    svc.resource_schema(&req.type_name)?;
    let raw = req
        .raw_state
        .as_ref()
        .map(|r| (r.json.as_slice(), r.flatmap.is_empty()));
    let json = match raw {
        None | Some((&[], true)) => return Ok((Value::Null, Diagnostics::new())),
        Some((&[], false)) => {
            return Err(Diagnostic::error(
                "Unsupported state format",
                "This state was written in the legacy flatmap format, which paasform never used. Remove the resource from state and import it again.",
            )
            .into())
        }
        Some((bytes, _)) => bytes,
    };
    let raw: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            "Failed to read resource state",
            format!("The stored state is not valid JSON: {e}."),
        ))
    })?;
    Ok(svc
        .host
        .upgrade_resource_state(&req.type_name, req.version, raw))
}

/// UpgradeResourceIdentity: every identity schema is still at its first version, so a stored
/// identity is read as is (JSON against the current type); a newer version is refused.
fn upgrade_identity(
    svc: &ProviderService,
    req: &pb::upgrade_resource_identity::Request,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
    let Some(schema) = svc.host.identity_schema(&req.type_name) else {
        return Err(unknown_type("resource", &req.type_name));
    };
    if req.version > schema.version {
        return Err(Diagnostic::error(
            "Unsupported identity version",
            format!("The stored identity of this {} was written by a newer paasform (identity version {}, this one knows {}). Upgrade the provider.", req.type_name, req.version, schema.version),
        )
        .into());
    }
    let json = req
        .raw_identity
        .as_ref()
        .map(|r| r.json.as_slice())
        .unwrap_or_default();
    if json.is_empty() {
        return Ok(None);
    }
    let raw: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            "Failed to read resource identity",
            format!("The stored identity is not valid JSON: {e}."),
        ))
    })?;
    let v = Value::from_plain_json(&raw, &schema.value_type())
        .map_err(|e| Diagnostics::from(Diagnostic::error("Failed to read resource identity", e)))?;
    convert::identity_data(&v, Some(schema)).map_err(Diagnostics::from)
}
