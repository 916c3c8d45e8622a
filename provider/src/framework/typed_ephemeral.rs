//! Typed ephemeral resources: a vendor writes `impl TypedEphemeral for KeyEphemeral` against its
//! own model struct and client type; `TypedEph<E>` is the one bridge to the erased
//! `EphemeralResource` the host holds (the ephemeral twin of `typed.rs`). It downcasts the client
//! once, decodes the configuration (and, for `private`, the opened result) into the model and
//! encodes the opened model back into a value. Must not import protocol or clouds.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diagnostics::Diagnostics;
use super::model::{decode, encode};
use super::resource::{Ctx, EphemeralResource};
use super::schema::Schema;
use super::typed::ApplyCx;
use super::value::Value;

#[async_trait]
pub trait TypedEphemeral: Send + Sync + 'static {
    /// The configuration and the opened result as one plain struct.
    type Model: Serialize + DeserializeOwned + Send + Sync + 'static;
    /// The vendor client the provider's `configure` built.
    type Client: Any + Send + Sync;
    const TYPE_NAME: &'static str;

    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a configuration that may hold unknowns; no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Acquire the object for this run: the configuration with its computed attributes filled.
    async fn open(
        &self,
        c: &Self::Client,
        config: Self::Model,
        cx: &ApplyCx,
    ) -> Result<Self::Model, Diagnostics>;
    /// What `close` must undo for this opened result (`None`: nothing). Pure.
    fn private(&self, _config: &Self::Model, _result: &Self::Model) -> Option<Vec<u8>> {
        None
    }
    /// Release what `open` acquired; `private` is what [`TypedEphemeral::private`] returned.
    async fn close(&self, _c: &Self::Client, _private: &[u8], _cx: &ApplyCx) -> Diagnostics {
        Diagnostics::new()
    }
}

/// The erased face of a typed ephemeral resource, as `Host` holds it.
pub struct TypedEph<E>(pub E);

/// Register a typed ephemeral resource with a provider.
pub fn typed_ephemeral<E: TypedEphemeral>(e: E) -> Arc<dyn EphemeralResource> {
    Arc::new(TypedEph(e))
}

fn cx(ctx: &Ctx) -> ApplyCx {
    ApplyCx {
        stop: ctx.stop.clone(),
    }
}

#[async_trait]
impl<E: TypedEphemeral> EphemeralResource for TypedEph<E> {
    fn type_name(&self) -> &'static str {
        E::TYPE_NAME
    }
    fn schema(&self) -> Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }

    async fn open(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diagnostics> {
        let c = ctx.client::<E::Client>()?;
        let m = decode(config, "ephemeral resource configuration")?;
        let out = self.0.open(c, m, &cx(ctx)).await?;
        encode(&out, &self.0.schema().value_type())
    }

    fn private(&self, config: &Value, result: &Value) -> Option<Vec<u8>> {
        // Both decoded fine in `open` (the result is what it encoded); a failure here would be a
        // bug, and then there is nothing we can name to undo.
        let config = decode(config, "ephemeral resource configuration").ok()?;
        let result = decode(result, "ephemeral resource result").ok()?;
        self.0.private(&config, &result)
    }

    async fn close(&self, ctx: &Ctx, private: &[u8]) -> Diagnostics {
        match ctx.client::<E::Client>() {
            Ok(c) => self.0.close(c, private, &cx(ctx)).await,
            Err(d) => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, Val};
    use crate::stop::StopSignal;
    use serde::Deserialize;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TokenModel {
        name: String,
        id: Val<String>,
    }

    #[derive(Default)]
    struct Vault {
        closed: AtomicU32,
    }

    struct Token;

    #[async_trait]
    impl TypedEphemeral for Token {
        type Model = TokenModel;
        type Client = Vault;
        const TYPE_NAME: &'static str = "test_token";
        fn schema(&self) -> Schema {
            Schema::new(
                "",
                vec![
                    Attribute::string("name").required(),
                    Attribute::string("id").computed(),
                ],
            )
        }
        async fn open(
            &self,
            _c: &Vault,
            mut m: TokenModel,
            _cx: &ApplyCx,
        ) -> Result<TokenModel, Diagnostics> {
            m.id = Val::Known(format!("t-{}", m.name));
            Ok(m)
        }
        fn private(&self, _config: &TokenModel, result: &TokenModel) -> Option<Vec<u8>> {
            result.id.known().map(|id| id.clone().into_bytes())
        }
        async fn close(&self, c: &Vault, private: &[u8], _cx: &ApplyCx) -> Diagnostics {
            assert_eq!(private, b"t-a");
            c.closed.fetch_add(1, Ordering::SeqCst);
            Diagnostics::new()
        }
    }

    #[tokio::test]
    async fn the_bridge_decodes_opens_names_and_closes() {
        let vault: Arc<Vault> = Arc::default();
        let ctx = Ctx {
            client: Some(vault.clone()),
            stop: StopSignal::default(),
        };
        let e = typed_ephemeral(Token);
        let config = Value::object([("name", Value::string("a")), ("id", Value::Null)]);
        let opened = e.open(&ctx, &config).await.expect("opens");
        assert_eq!(opened.attr("id").as_str(), Some("t-a"));
        let private = e.private(&config, &opened).expect("names what to undo");
        assert!(e.close(&ctx, &private).await.is_empty());
        assert_eq!(vault.closed.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_unconfigured_provider_is_a_diagnostic_not_a_panic() {
        let ctx = Ctx {
            client: None,
            stop: StopSignal::default(),
        };
        let e = typed_ephemeral(Token);
        let config = Value::object([("name", Value::string("a")), ("id", Value::Null)]);
        assert!(e.open(&ctx, &config).await.is_err());
        assert!(!e.close(&ctx, b"t-a").await.is_empty());
    }
}
