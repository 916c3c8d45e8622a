//! Data sources as a first-class kind beside resources: the erased `DataSource` the host holds,
//! the `TypedDataSource` a vendor writes against its model and client, and the lookup rule every
//! "by id or by name" data source shares (nothing found and two found are both clear errors).
//! Must not import protocol or clouds.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::model::{decode, encode};
use super::resource::Ctx;
use super::schema::Schema;
use super::typed::ApplyCx;
use super::value::Value;

#[async_trait]
pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Cross-attribute checks (the config may hold unknowns); no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Look the object up; the result is the configuration with the computed attributes filled.
    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diagnostics>;
}

#[async_trait]
pub trait TypedDataSource: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Send + Sync + 'static;
    type Client: Any + Send + Sync;
    const TYPE_NAME: &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    async fn read(
        &self,
        c: &Self::Client,
        config: Self::Model,
        cx: &ApplyCx,
    ) -> Result<Self::Model, Diagnostics>;
}

struct TypedData<D>(D);

/// Register a typed data source with a provider.
pub fn typed_data_source<D: TypedDataSource>(d: D) -> Arc<dyn DataSource> {
    Arc::new(TypedData(d))
}

#[async_trait]
impl<D: TypedDataSource> DataSource for TypedData<D> {
    fn type_name(&self) -> &'static str {
        D::TYPE_NAME
    }
    fn schema(&self) -> Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diagnostics> {
        let c = ctx.client::<D::Client>()?;
        let m = decode(config, "data source configuration")?;
        let cx = ApplyCx {
            stop: ctx.stop.clone(),
        };
        let out = self.0.read(c, m, &cx).await?;
        encode(&out, &self.0.schema().value_type())
    }
}

/// The one match of a lookup. `what` says what was searched ("Render service named \"api\"").
pub fn exactly_one<T>(mut found: Vec<T>, what: &str) -> Result<T, Diagnostics> {
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Diagnostic::error(
            "Not found",
            format!("No {what} exists (or the credentials cannot see it)."),
        )
        .into()),
        n => Err(Diagnostic::error(
            "More than one match",
            format!("{n} objects match {what}; look it up by id instead."),
        )
        .into()),
    }
}
