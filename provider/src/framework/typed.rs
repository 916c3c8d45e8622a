//! Typed resources: a vendor writes `impl TypedResource for BucketResource` against its own model
//! struct and client type; `Typed<R>` is the one bridge to the erased `Resource` the host holds.
//! It downcasts the client once, decodes planned/prior/config values into the model once (errors
//! carry the attribute path), turns import ids
//! and identities into partial states through the resource's import table, and encodes the model
//! back into state once — a half-done create keeps its partial state. Must not import protocol or
//! clouds.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::apply::{Applied, Failed};
use super::diagnostics::Diagnostics;
use super::identity::{Identity, IdentitySchema};
use super::import::ImportId;
use super::model::{decode, encode};
use super::moves::MoveSource;
use super::resource::{ApplyResult, Ctx, PlanContext, Resource};
use super::schema::Schema;
use super::value::Value;
use crate::stop::StopSignal;

/// What every typed CRUD call gets besides the client.
#[derive(Clone)]
pub struct ApplyCx {
    pub stop: StopSignal,
}

/// A create: the plan (unknowns only in computed attributes) and the configuration (where the
/// write-only values are: the plan holds them as null).
pub struct Create<M> {
    pub plan: M,
    pub config: M,
}

/// An update: the prior state, the plan and the configuration.
pub struct Update<M> {
    pub prior: M,
    pub plan: M,
    pub config: M,
}

#[async_trait]
pub trait TypedResource: Send + Sync + 'static {
    /// The resource's state as a plain struct (`#[serde(deny_unknown_fields)]`).
    type Model: Serialize + DeserializeOwned + Send + Sync + Clone + 'static;
    /// The vendor client the provider's `configure` built.
    type Client: Any + Send + Sync;
    const TYPE_NAME: &'static str;

    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a configuration that may hold unknowns; no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Resource-specific planning after the generic pipeline.
    fn modify_plan(&self, _ctx: &mut PlanContext<'_>) {}
    /// Plan-time checks against the configured client's settings (e.g. a default account id the
    /// resource needs); no network call.
    fn check_configured(&self, _client: &Self::Client, _config: &Value, _diags: &mut Diagnostics) {}
    /// Accepted import ids (default: the object's own `id`).
    fn import_id(&self) -> ImportId {
        ImportId::default()
    }
    /// The attributes that name the object for good (default: `id`).
    fn identity(&self) -> Identity {
        Identity::new(&["id"])
    }
    /// The other providers' types whose state may be moved into this one (default: none).
    fn move_sources(&self) -> Vec<MoveSource> {
        Vec::new()
    }
    /// Upgrade raw JSON state written by schema `version` (default: as is).
    fn upgrade_state(
        &self,
        _version: i64,
        raw: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        Ok(raw)
    }

    async fn create(
        &self,
        c: &Self::Client,
        op: Create<Self::Model>,
        cx: &ApplyCx,
    ) -> Applied<Self::Model>;
    /// Refresh; `Ok(None)` when the object is gone (it leaves the state).
    async fn read(
        &self,
        c: &Self::Client,
        state: Self::Model,
        cx: &ApplyCx,
    ) -> Result<Option<Self::Model>, Diagnostics>;
    async fn update(
        &self,
        c: &Self::Client,
        op: Update<Self::Model>,
        cx: &ApplyCx,
    ) -> Applied<Self::Model>;
    /// Delete; an object already gone is success.
    async fn delete(
        &self,
        c: &Self::Client,
        state: Self::Model,
        cx: &ApplyCx,
    ) -> Result<(), Diagnostics>;
}

/// The erased face of a typed resource, as `Host` holds it.
pub struct Typed<R>(pub R);

/// Register a typed resource with a provider.
pub fn typed<R: TypedResource>(r: R) -> Arc<dyn Resource> {
    Arc::new(Typed(r))
}

impl<R: TypedResource> Typed<R> {
    fn cx(ctx: &Ctx) -> ApplyCx {
        ApplyCx {
            stop: ctx.stop.clone(),
        }
    }
    fn encode(&self, m: &R::Model) -> Result<Value, Diagnostics> {
        encode(m, &self.0.schema().value_type())
    }
    fn finish(&self, out: Applied<R::Model>) -> ApplyResult {
        match out {
            Ok(m) => match self.encode(&m) {
                Ok(v) => ApplyResult::ok(v),
                Err(d) => ApplyResult::failed(Value::Null, d),
            },
            Err(Failed { partial, mut diags }) => {
                let state = match partial.map(|m| self.encode(&m)) {
                    Some(Ok(v)) => v,
                    Some(Err(d)) => {
                        diags.extend(d);
                        Value::Null
                    }
                    None => Value::Null,
                };
                ApplyResult::failed(state, diags)
            }
        }
    }
}

#[async_trait]
impl<R: TypedResource> Resource for Typed<R> {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }
    fn schema(&self) -> Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        self.0.modify_plan(ctx)
    }
    fn check_configured(&self, ctx: &Ctx, config: &Value, diags: &mut Diagnostics) {
        if let Ok(c) = ctx.client::<R::Client>() {
            self.0.check_configured(c, config, diags)
        }
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, config: &Value) -> ApplyResult {
        let op = (|| {
            Ok::<_, Diagnostics>((
                ctx.client::<R::Client>()?,
                Create {
                    plan: decode(plan, "planned state")?,
                    config: decode(config, "configuration")?,
                },
            ))
        })();
        match op {
            Ok((c, op)) => self.finish(self.0.create(c, op, &Self::cx(ctx)).await),
            Err(d) => ApplyResult::failed(Value::Null, d),
        }
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let c = ctx.client::<R::Client>()?;
        let m = decode(state, "stored state")?;
        match self.0.read(c, m, &Self::cx(ctx)).await? {
            Some(m) => self.encode(&m),
            None => Ok(Value::Null),
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, config: &Value) -> ApplyResult {
        let op = (|| {
            Ok::<_, Diagnostics>((
                ctx.client::<R::Client>()?,
                Update {
                    prior: decode(prior, "prior state")?,
                    plan: decode(plan, "planned state")?,
                    config: decode(config, "configuration")?,
                },
            ))
        })();
        match op {
            Ok((c, op)) => self.finish(self.0.update(c, op, &Self::cx(ctx)).await),
            // Nothing was called: the host keeps the prior state.
            Err(d) => ApplyResult::failed(Value::Null, d),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let run = async {
            let c = ctx.client::<R::Client>()?;
            let m = decode(state, "stored state")?;
            self.0.delete(c, m, &Self::cx(ctx)).await
        };
        run.await.err().unwrap_or_default()
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let table = self.0.import_id();
        let fields = table.parse(&self.0.schema(), id)?;
        Ok(table.partial_state(&fields))
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(self.0.identity().schema(&self.0.schema()))
    }

    fn import_identity(&self, identity: &Value) -> Result<Value, Diagnostics> {
        let table = self.0.import_id();
        let fields = table.fields_from_identity(&self.0.schema(), identity)?;
        Ok(table.partial_state(&fields))
    }

    fn upgrade_state(
        &self,
        version: i64,
        raw: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.0.upgrade_state(version, raw)
    }

    fn move_sources(&self) -> Vec<MoveSource> {
        self.0.move_sources()
    }
}
