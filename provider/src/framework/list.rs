//! List resources (plugin protocol 6.10, Terraform ≥ 1.14 `terraform query`): a kind beside
//! resources and data sources. A vendor writes `impl TypedList` — a config schema (the filters)
//! and one call that pages the vendor API and names each object by its resource identity; the
//! erased `ListResource` is what the host holds (`NamedList` is the shared name-prefix-only
//! shape, given a fetch fn). The full object (`include_resource`) is not the
//! lister's business: the host reads it through the managed resource's own import-by-identity
//! path, so a listed object, an imported one and a refreshed one are the same state.
//! Must not import protocol or clouds.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::diagnostics::Diagnostics;
use super::model::decode;
use super::resource::Ctx;
use super::rules::Validator;
use super::schema::{Attribute, Schema};
use super::typed::ApplyCx;
use super::value::Value;

/// One object a lister found: what `terraform query` prints and the identity that imports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub display_name: String,
    /// Identity attribute → value (every attribute the resource's identity requires).
    pub identity: Vec<(&'static str, String)>,
}

impl Listed {
    pub fn new(display_name: impl Into<String>, identity: &[(&'static str, &str)]) -> Self {
        Listed {
            display_name: display_name.into(),
            identity: identity.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        }
    }
    /// The identity as a framework value (an object of strings).
    pub fn identity_value(&self) -> Value {
        Value::object(
            self.identity
                .iter()
                .map(|(k, v)| (k.to_string(), Value::string(v))),
        )
    }
}

/// What Terraform asked for besides the filters.
#[derive(Clone, Copy, Debug)]
pub struct ListRequest {
    /// Terraform stops reading after this many results; a lister may stop paging there.
    pub limit: usize,
    pub include_resource: bool,
}

#[async_trait]
pub trait ListResource: Send + Sync {
    /// The managed resource type this lists (`render_service`).
    fn type_name(&self) -> &'static str;
    /// The schema of the `config { … }` block.
    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a config that may hold unknowns; no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    async fn list(
        &self,
        ctx: &Ctx,
        config: &Value,
        req: ListRequest,
    ) -> Result<Vec<Listed>, Diagnostics>;
}

#[async_trait]
pub trait TypedList: Send + Sync + 'static {
    /// The filters as a plain struct (`#[serde(deny_unknown_fields)]`, all `Option`).
    type Config: DeserializeOwned + Send + Sync + 'static;
    type Client: Any + Send + Sync;
    const TYPE_NAME: &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Every matching object (all pages, or at least `req.limit` of them), in the API's order.
    async fn list(
        &self,
        c: &Self::Client,
        config: Self::Config,
        req: ListRequest,
        cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics>;
}

struct TypedLister<L>(L);

/// Register a typed list resource with a provider.
pub fn typed_list<L: TypedList>(l: L) -> Arc<dyn ListResource> {
    Arc::new(TypedLister(l))
}

#[async_trait]
impl<L: TypedList> ListResource for TypedLister<L> {
    fn type_name(&self) -> &'static str {
        L::TYPE_NAME
    }
    fn schema(&self) -> Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
    async fn list(
        &self,
        ctx: &Ctx,
        config: &Value,
        req: ListRequest,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let c = ctx.client::<L::Client>()?;
        // A list block without `config { }` arrives as null: no filters.
        let config = if config.is_null() {
            Value::object(Vec::<(String, Value)>::new())
        } else {
            config.clone()
        };
        let m = decode(&config, "list configuration")?;
        let cx = ApplyCx {
            stop: ctx.stop.clone(),
        };
        let mut found = self.0.list(c, m, req, &cx).await?;
        found.truncate(req.limit);
        Ok(found)
    }
}

/// Keeps the objects whose `name` starts with `prefix` (when set): most vendor APIs filter by
/// exact name only, so prefixes are matched here, after paging.
pub fn name_prefix_matches(prefix: Option<&str>, name: &str) -> bool {
    prefix.is_none_or(|p| name.starts_with(p))
}

/// The `name_prefix` filter every list offers: a non-empty, case-sensitive name prefix.
pub fn name_prefix_attribute() -> Attribute {
    Attribute::string("name_prefix")
        .optional()
        .validate(Validator::string("Not empty.", |s| {
            s.is_empty()
                .then(|| "an empty prefix matches everything: leave name_prefix out".to_string())
        }))
        .description("Only objects whose name starts with this (case-sensitive).")
}

/// The filters of a [`NamedList`]: the name prefix only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamePrefixConfig {
    pub name_prefix: Option<String>,
}

/// What a [`NamedList`]'s fetch returns: every object of the kind (all pages), named by identity.
pub type Fetched<'a> = Pin<Box<dyn Future<Output = Result<Vec<Listed>, Diagnostics>> + Send + 'a>>;

/// The simplest list shape, shared by every vendor: one fetch of all objects of a kind, narrowed
/// here by `name_prefix` on the display name (the vendor APIs these serve filter by exact name
/// at most). Lists with filters of their own write `impl TypedList` instead.
pub struct NamedList<C: 'static> {
    pub type_name: &'static str,
    pub description: &'static str,
    pub fetch: for<'a> fn(&'a C) -> Fetched<'a>,
}

/// Register a [`NamedList`] with a provider.
pub fn named_list<C: Any + Send + Sync>(
    type_name: &'static str,
    description: &'static str,
    fetch: for<'a> fn(&'a C) -> Fetched<'a>,
) -> Arc<dyn ListResource> {
    Arc::new(NamedList {
        type_name,
        description,
        fetch,
    })
}

#[async_trait]
impl<C: Any + Send + Sync> ListResource for NamedList<C> {
    fn type_name(&self) -> &'static str {
        self.type_name
    }
    fn schema(&self) -> Schema {
        Schema::new(self.description, vec![name_prefix_attribute()])
    }
    async fn list(
        &self,
        ctx: &Ctx,
        config: &Value,
        req: ListRequest,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let c = ctx.client::<C>()?;
        let config: NamePrefixConfig = if config.is_null() {
            NamePrefixConfig { name_prefix: None }
        } else {
            decode(config, "list configuration")?
        };
        let mut found: Vec<Listed> = (self.fetch)(c)
            .await?
            .into_iter()
            .filter(|l| name_prefix_matches(config.name_prefix.as_deref(), &l.display_name))
            .collect();
        found.truncate(req.limit);
        Ok(found)
    }
}
