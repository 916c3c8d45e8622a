//! Actions (Terraform ≥ 1.14 `action` blocks): an imperative operation a configuration invokes
//! (`terraform apply -invoke=action.<type>.<name>`, or a resource's `lifecycle { action_trigger }`)
//! that leaves nothing in state. A vendor writes `impl TypedAction for DeployAction` against its
//! own config struct and client type; `TypedAct<A>` is the one bridge to the erased `Action` the
//! host holds: it downcasts the client once and decodes the configuration into the model once.
//! Progress lines go to a callback (the protocol streams them to Terraform as they come).
//! Must not import protocol or clouds.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;

use super::diagnostics::Diagnostics;
use super::model::decode;
use super::resource::Ctx;
use super::schema::Schema;
use super::typed::ApplyCx;
use super::value::Value;

/// Where an action reports what it is doing while it runs ("deploy dep-1: build_in_progress").
pub type Progress<'a> = &'a mut (dyn FnMut(String) + Send);

/// An action's progress while it waits on a vendor object: a line each time the object's status
/// changes (the first status too), shareable by the probe closures of `poll_until`.
pub struct StatusLines<'a> {
    last: std::sync::Mutex<Option<String>>,
    progress: std::sync::Mutex<Progress<'a>>,
}

impl<'a> StatusLines<'a> {
    pub fn new(progress: Progress<'a>) -> Self {
        StatusLines {
            last: std::sync::Mutex::new(None),
            progress: std::sync::Mutex::new(progress),
        }
    }

    /// `"{what}: {status}"`, unless `status` is the one seen last.
    pub fn saw(&self, what: &str, status: &str) {
        let changed = self
            .last
            .lock()
            .map(|mut l| l.replace(status.to_string()).as_deref() != Some(status))
            .unwrap_or(false);
        if changed {
            self.line(format!("{what}: {status}"));
        }
    }

    /// Any other line.
    pub fn line(&self, text: String) {
        if let Ok(mut p) = self.progress.lock() {
            (*p)(text);
        }
    }
}

/// The erased action, as `Host` holds it.
#[async_trait]
pub trait Action: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a configuration that may hold unknowns; no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Plan-time checks (PlanAction): the configuration may still hold unknowns; no network call.
    fn plan(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Run the action to its end; progress lines go to `progress`.
    async fn invoke(&self, ctx: &Ctx, config: &Value, progress: Progress<'_>) -> Diagnostics;
}

#[async_trait]
pub trait TypedAction: Send + Sync + 'static {
    /// The action's configuration as a plain struct (`#[serde(deny_unknown_fields)]`).
    type Model: DeserializeOwned + Send + Sync + 'static;
    /// The vendor client the provider's `configure` built.
    type Client: Any + Send + Sync;
    const TYPE_NAME: &'static str;

    fn schema(&self) -> Schema;
    /// Cross-attribute checks of a configuration that may hold unknowns; no network call.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Plan-time checks; the configuration may still hold unknowns; no network call.
    fn plan(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Run the action; a vendor failure is an error diagnostic carrying the vendor's reason.
    async fn invoke(
        &self,
        c: &Self::Client,
        config: Self::Model,
        cx: &ApplyCx,
        progress: Progress<'_>,
    ) -> Result<(), Diagnostics>;
}

/// The erased face of a typed action.
pub struct TypedAct<A>(pub A);

/// Register a typed action with a provider.
pub fn typed_action<A: TypedAction>(a: A) -> Arc<dyn Action> {
    Arc::new(TypedAct(a))
}

#[async_trait]
impl<A: TypedAction> Action for TypedAct<A> {
    fn type_name(&self) -> &'static str {
        A::TYPE_NAME
    }
    fn schema(&self) -> Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
    fn plan(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.plan(config, diags)
    }
    async fn invoke(&self, ctx: &Ctx, config: &Value, progress: Progress<'_>) -> Diagnostics {
        let run = async {
            let c = ctx.client::<A::Client>()?;
            let m = decode(config, "action configuration")?;
            let cx = ApplyCx {
                stop: ctx.stop.clone(),
            };
            self.0.invoke(c, m, &cx, progress).await
        };
        run.await.err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, Diagnostic};
    use crate::stop::StopSignal;
    use serde::Deserialize;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PingModel {
        target: String,
    }

    #[derive(Default)]
    struct Pinger {
        calls: AtomicU32,
    }

    struct Ping;

    #[async_trait]
    impl TypedAction for Ping {
        type Model = PingModel;
        type Client = Pinger;
        const TYPE_NAME: &'static str = "test_ping";
        fn schema(&self) -> Schema {
            Schema::new("", vec![Attribute::string("target").required()])
        }
        async fn invoke(
            &self,
            c: &Pinger,
            m: PingModel,
            _cx: &ApplyCx,
            progress: Progress<'_>,
        ) -> Result<(), Diagnostics> {
            c.calls.fetch_add(1, Ordering::SeqCst);
            progress(format!("pinging {}", m.target));
            if m.target == "down" {
                return Err(Diagnostic::error("Ping failed", "down is down").into());
            }
            Ok(())
        }
    }

    fn config(target: &str) -> Value {
        Value::object([("target", Value::string(target))])
    }

    #[tokio::test]
    async fn invoke_decodes_the_config_reports_progress_and_returns_the_failure() {
        let client: Arc<Pinger> = Arc::default();
        let ctx = Ctx {
            client: Some(client.clone()),
            stop: StopSignal::default(),
        };
        let act = typed_action(Ping);
        let mut lines = Vec::new();
        let diags = act
            .invoke(&ctx, &config("up"), &mut |l| lines.push(l))
            .await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(lines, ["pinging up"]);
        let diags = act.invoke(&ctx, &config("down"), &mut |_| {}).await;
        assert!(diags.to_string().contains("down is down"), "{diags}");
        assert_eq!(client.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn status_lines_report_each_change_once() {
        let mut lines = Vec::new();
        {
            let mut sink = |l: String| lines.push(l);
            let s = StatusLines::new(&mut sink);
            for st in ["QUEUED", "QUEUED", "BUILDING", "READY", "READY"] {
                s.saw("Deployment d1", st);
            }
            s.line("done".into());
        }
        assert_eq!(
            lines,
            [
                "Deployment d1: QUEUED",
                "Deployment d1: BUILDING",
                "Deployment d1: READY",
                "done"
            ]
        );
    }

    #[tokio::test]
    async fn an_unconfigured_provider_is_a_diagnostic_not_a_panic() {
        let ctx = Ctx {
            client: None,
            stop: StopSignal::default(),
        };
        let diags = typed_action(Ping)
            .invoke(&ctx, &config("up"), &mut |_| {})
            .await;
        assert!(diags.has_errors());
    }
}
