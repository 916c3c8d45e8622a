//! The contracts a vendor implements: `Provider` (schema + configure + registry), `Resource` (schema,
//! validation, plan hook, CRUD, import), `EphemeralResource`. CRUD takes and returns `Value`s; the
//! host does everything Terraform-specific around them. Must not import protocol or clouds.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::path::Path;
use super::schema::Schema;
use super::value::Value;
use crate::stop::StopSignal;

/// A configured vendor client, type-erased so the host can hold any vendor's.
pub type ClientHandle = Arc<dyn Any + Send + Sync>;

/// What every CRUD call gets: the configured client and the stop signal.
#[derive(Clone)]
pub struct Ctx {
    pub client: Option<ClientHandle>,
    pub stop: StopSignal,
}

impl Ctx {
    /// The vendor client, or a diagnostic when the provider was not configured.
    pub fn client<T: Any + Send + Sync>(&self) -> Result<&T, Diagnostics> {
        self.client
            .as_ref()
            .and_then(|c| c.downcast_ref::<T>())
            .ok_or_else(|| {
                Diagnostic::error(
                    "Provider not configured",
                    "The provider's client is missing; this is a bug in paasform if the provider block was valid.",
                )
                .into()
            })
    }
}

/// The outcome of create/update: the state to record (possibly partial) and diagnostics.
/// A create that half-succeeded returns the state it has together with the error, so Terraform
/// records the object instead of losing it.
pub struct ApplyResult {
    pub state: Value,
    pub diags: Diagnostics,
}

impl ApplyResult {
    pub fn ok(state: Value) -> Self {
        ApplyResult {
            state,
            diags: Diagnostics::new(),
        }
    }
    pub fn failed(state: Value, diags: Diagnostics) -> Self {
        ApplyResult { state, diags }
    }
}

/// The context of the resource's own plan hook.
pub struct PlanContext<'a> {
    /// Prior state; null on create.
    pub prior: &'a Value,
    pub config: &'a Value,
    /// The plan so far (after defaults, unknown-marking and attribute modifiers); may be edited.
    pub planned: &'a mut Value,
    pub requires_replace: &'a mut Vec<Path>,
    pub diags: &'a mut Diagnostics,
}

#[async_trait]
pub trait Resource: Send + Sync {
    /// `render_service`, `tailscale_key`, …
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a configuration (which may hold unknowns). Attribute validators
    /// have already run. Must make no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Resource-specific planning after the generic pipeline.
    fn modify_plan(&self, _ctx: &mut PlanContext<'_>) {}
    /// Plan-time checks that need the configured provider (a provider setting the resource
    /// depends on, which ValidateResourceConfig cannot see). No network call; skipped when the
    /// provider is not configured.
    fn check_configured(&self, _ctx: &Ctx, _config: &Value, _diags: &mut Diagnostics) {}
    async fn create(&self, ctx: &Ctx, plan: &Value, config: &Value) -> ApplyResult;
    /// Refresh. Return `Ok(Value::Null)` when the object no longer exists (it leaves the state).
    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics>;
    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, config: &Value) -> ApplyResult;
    /// Delete. An object already gone is success.
    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics;
    /// Turn an import id into a partial state for `read` (validated, no network call).
    fn import(&self, id: &str) -> Result<Value, Diagnostics>;
    /// The resource identity schema (Terraform 1.12+), if the resource declares one.
    fn identity_schema(&self) -> Option<super::identity::IdentitySchema> {
        None
    }
    /// Turn an identity (`import { identity = {…} }`) into a partial state for `read`.
    fn import_identity(&self, _identity: &Value) -> Result<Value, Diagnostics> {
        Err(Diagnostic::error(
            "Import by identity not supported",
            format!("{} can only be imported by id.", self.type_name()),
        )
        .into())
    }
    /// The other providers' types whose state may be moved into this one (`moved {}` blocks).
    fn move_sources(&self) -> Vec<super::moves::MoveSource> {
        Vec::new()
    }
    /// Upgrade raw JSON state written by schema `version` to the current schema (default: as is).
    fn upgrade_state(
        &self,
        _version: i64,
        raw: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        Ok(raw)
    }
}

/// An ephemeral resource (Terraform ≥ 1.10): opened for one run, never stored in state.
#[async_trait]
pub trait EphemeralResource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    async fn open(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diagnostics>;
    /// Private bytes Terraform keeps for one opened result and hands back to `close`: what close
    /// needs to undo (e.g. the id of a credential `open` minted). `None`: nothing to undo.
    fn private(&self, _config: &Value, _result: &Value) -> Option<Vec<u8>> {
        None
    }
    /// Terraform is done with the result (end of the plan or apply walk): release what `open`
    /// acquired. `private` is what [`EphemeralResource::private`] returned.
    async fn close(&self, _ctx: &Ctx, _private: &[u8]) -> Diagnostics {
        Diagnostics::new()
    }
}

#[async_trait]
pub trait Provider: Send + Sync {
    /// The identity: `render`, `railway`, `vercel`, `tailscale`, `r2`.
    fn name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Build the vendor client from the provider block (attributes may be null: env fallbacks).
    /// `stop` is the host's stop signal: give it to the HTTP client so StopProvider cancels calls.
    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics>;
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        Vec::new()
    }
    fn data_sources(&self) -> Vec<Arc<dyn super::data_source::DataSource>> {
        Vec::new()
    }
    /// Actions (Terraform ≥ 1.14 `action` blocks).
    fn actions(&self) -> Vec<Arc<dyn super::action::Action>> {
        Vec::new()
    }

    /// List resources (`terraform query`), one per managed resource type that can be listed.
    fn list_resources(&self) -> Vec<Arc<dyn super::list::ListResource>> {
        Vec::new()
    }
}
