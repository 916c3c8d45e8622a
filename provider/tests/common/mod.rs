//! Shared set-up for the in-process test tier: an emulator on a loopback port, a configured host
//! for one identity, and helpers to run a create → read → re-plan cycle like Terraform does.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use paasform::clouds;
use paasform::framework::{Diagnostics, Host, Path, Value};
use paasform_emulator::{Config, Emulator};

pub struct TestEmulator {
    pub addr: SocketAddr,
    handle: tokio::task::JoinHandle<()>,
    /// In strict-spec mode: the test fails at drop when it recorded violations (the contract tier).
    emulator: Emulator,
}

impl Drop for TestEmulator {
    fn drop(&mut self) {
        self.handle.abort();
        if !std::thread::panicking() {
            let v = self.emulator.violations();
            assert!(
                v.is_empty(),
                "{} request(s)/answer(s) off the vendor spec:\n{}",
                v.len(),
                v.join("\n")
            );
        }
    }
}

impl TestEmulator {
    /// An emulator in strict-spec mode: every request the provider sends and every answer the
    /// emulator gives is checked against the vendor spec, and the test fails at drop on any
    /// violation (see `paasform_emulator::contract`).
    pub async fn start(config: Config) -> TestEmulator {
        let emulator = Emulator::new(Config {
            strict_spec: true,
            ..config
        });
        let server = emulator.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let handle = tokio::spawn(async move {
            let _ = server
                .serve("127.0.0.1:0".parse().expect("addr"), move |a| {
                    let _ = tx.send(a);
                })
                .await;
        });
        let addr = rx.await.expect("emulator bound");
        TestEmulator {
            addr,
            handle,
            emulator,
        }
    }
    /// Spec violations recorded so far (the list is also asserted empty at drop).
    pub fn violations(&self) -> Vec<String> {
        self.emulator.violations()
    }
    /// How many request/answer pairs the strict-spec check has looked at.
    pub fn spec_checked(&self) -> u64 {
        self.emulator.violations.checked()
    }
    pub fn url(&self, prefix: &str) -> String {
        format!("http://{}/{prefix}", self.addr)
    }
    pub async fn get(&self, path: &str) -> serde_json::Value {
        reqwest::get(format!("http://{}{path}", self.addr))
            .await
            .expect("emulator reachable")
            .json()
            .await
            .expect("json")
    }
    /// Total requests the emulator has answered on vendor routes.
    pub async fn request_total(&self) -> u64 {
        let counts = self.get("/_emulator/requests").await;
        counts
            .as_object()
            .map(|m| m.values().filter_map(|v| v.as_u64()).sum())
            .unwrap_or(0)
    }
    pub async fn state(&self) -> serde_json::Value {
        self.get("/_emulator/state").await
    }
    /// Mutating requests (method + route) since the last reset, with counts.
    pub async fn writes(&self) -> BTreeMap<String, u64> {
        let all = self.get("/_emulator/requests").await;
        all.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !k.starts_with("GET "))
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
            .collect()
    }
    /// Forget the request counts recorded so far.
    pub async fn reset_requests(&self) {
        let r = reqwest::Client::new()
            .delete(format!("http://{}/_emulator/requests", self.addr))
            .send()
            .await
            .expect("reset");
        assert!(r.status().is_success());
    }
}

/// An emulator with `config` and a render host on it. No owner_id: the emulator's only workspace
/// is discovered, as a user without one configured would have it.
pub async fn render_setup(config: Config) -> (TestEmulator, Host) {
    let emu = TestEmulator::start(config).await;
    let host = host(
        "render",
        &[
            ("api_key", Value::string("rnd_test")),
            ("base_url", Value::string(emu.url("render/v1"))),
        ],
    )
    .await;
    (emu, host)
}

/// A configured host for `identity`; `config` is the provider block (all other attributes null).
pub async fn host(identity: &str, config: &[(&str, Value)]) -> Host {
    let provider = clouds::provider(identity).expect("known identity");
    let host = Host::new(provider);
    let cfg = object_of(
        &host
            .provider_schema()
            .block
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>(),
        config,
    );
    let diags = host.configure(&cfg).await;
    assert!(!diags.has_errors(), "configure failed: {diags}");
    host
}

/// An object with every listed attribute null except the given ones.
pub fn object_of(names: &[String], pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::object(
        names
            .iter()
            .map(|n| (n.clone(), Value::Null))
            .collect::<Vec<_>>(),
    );
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

/// A resource config: every schema attribute null except the given ones.
pub fn resource_config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = host.resource_schema(type_name).expect("resource type");
    object_of(
        &schema
            .block
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .chain(schema.block.blocks.iter().map(|b| b.name.clone()))
            .collect::<Vec<_>>(),
        pairs,
    )
    .conform(&schema.value_type())
}

/// A data source config: every schema attribute null except the given ones.
pub fn data_source_config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = host
        .data_source_schema(type_name)
        .expect("data source type");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs)
}

/// Terraform's proposed new state: config, with computed attributes kept from prior where the
/// config is null, recursing into single, list (by index) and map (by key) nested attributes —
/// what Terraform core sends to PlanResourceChange.
pub fn proposed(host: &Host, type_name: &str, prior: &Value, config: &Value) -> Value {
    let schema = host.resource_schema(type_name).expect("resource type");
    if prior.is_null() {
        return config.clone();
    }
    proposed_attrs(&schema.block.attributes, prior, config)
}

fn proposed_attrs(
    attrs: &[paasform::framework::Attribute],
    prior: &Value,
    config: &Value,
) -> Value {
    use paasform::framework::Nesting;
    let mut p = config.clone();
    for a in attrs {
        let cfg = config.attr(&a.name);
        let pri = prior.attr(&a.name);
        if a.mode.is_computed() && cfg.is_null() {
            // Terraform core proposes the prior value for an unset computed attribute, except
            // for nested attributes, where it proposes null (observed with Terraform 1.11).
            let v = if a.nested.is_some() {
                Value::Null
            } else {
                pri.clone()
            };
            p.set_attr(&a.name, v);
            continue;
        }
        let Some((nesting, inner)) = &a.nested else {
            continue;
        };
        let merged = match (nesting, cfg, pri) {
            (Nesting::Single, Value::Object(_), Value::Object(_)) => {
                proposed_attrs(inner, pri, cfg)
            }
            (Nesting::List, Value::List(c), Value::List(pe)) => Value::List(
                c.iter()
                    .enumerate()
                    .map(|(i, e)| {
                        pe.get(i)
                            .map_or(e.clone(), |pv| proposed_attrs(inner, pv, e))
                    })
                    .collect(),
            ),
            (Nesting::Map, Value::Map(c), Value::Map(pm)) => Value::Map(
                c.iter()
                    .map(|(k, e)| {
                        (
                            k.clone(),
                            pm.get(k)
                                .map_or(e.clone(), |pv| proposed_attrs(inner, pv, e)),
                        )
                    })
                    .collect(),
            ),
            _ => cfg.clone(),
        };
        p.set_attr(&a.name, merged);
    }
    p
}

/// Plan + apply one change, asserting no error; returns the new state.
pub async fn apply(
    host: &Host,
    type_name: &str,
    prior: &Value,
    config: &Value,
) -> (Value, Vec<Path>) {
    let plan = host.plan_resource_change(
        type_name,
        prior,
        &proposed(host, type_name, prior, config),
        config,
    );
    assert!(!plan.diags.has_errors(), "plan failed: {}", plan.diags);
    let (state, diags) = host
        .apply_resource_change(type_name, prior, &plan.planned, config)
        .await;
    assert!(!diags.has_errors(), "apply failed: {diags}");
    (state, plan.requires_replace)
}

/// Refresh then re-plan with the same config: must be a no-op (the stability rule).
pub async fn assert_stable(host: &Host, type_name: &str, state: &Value, config: &Value) -> Value {
    let (refreshed, diags) = host.read_resource(type_name, state).await;
    assert!(!diags.has_errors(), "read failed: {diags}");
    assert!(!refreshed.is_null(), "object vanished on read");
    let plan = host.plan_resource_change(
        type_name,
        &refreshed,
        &proposed(host, type_name, &refreshed, config),
        config,
    );
    assert!(!plan.diags.has_errors(), "re-plan failed: {}", plan.diags);
    assert_eq!(plan.planned, refreshed, "re-plan after apply is not empty");
    assert!(plan.requires_replace.is_empty());
    refreshed
}

pub fn errors_at(diags: &Diagnostics) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == paasform::framework::Severity::Error)
        .map(|d| d.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
        .collect()
}
