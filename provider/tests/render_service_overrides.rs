//! In-process tier for `render_service`'s `notification_override` and `log_stream_override`
//! against the emulator in strict-spec mode: a service without them never calls their endpoints
//! (its request counts stay); set → empty re-plan → change (only the changed override's endpoint
//! is written; a new `token_wo_version` sends the write-only token again) → import reads them →
//! remove (the notification override back to `default`, the log stream override deleted) →
//! nothing left in the emulator. And `render_database`'s write-only Datadog key (issue 12).

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;
use serde_json::json;

const SVC: &str = "render_service";
const NOTIFY_ROUTE: &str = "/render/v1/notification-settings/overrides/services/{serviceId}";
const STREAM_ROUTE: &str = "/render/v1/logs/streams/resource/{resourceId}";

fn s(v: &str) -> Value {
    Value::string(v)
}

fn worker(host: &Host, extra: &[(&str, Value)]) -> Value {
    let mut pairs = vec![
        ("type", s("background_worker")),
        ("name", s("kirby-worker")),
        ("runtime", s("node")),
        ("repo", s("https://github.com/example/kirby-gen")),
        ("build_command", s("npm ci")),
        ("start_command", s("node worker.js")),
    ];
    pairs.extend(extra.iter().cloned());
    resource_config(host, SVC, &pairs)
}

fn notify(previews: &str, to_send: &str) -> (&'static str, Value) {
    (
        "notification_override",
        Value::object([
            ("preview_notifications_enabled", s(previews)),
            ("notifications_to_send", s(to_send)),
        ]),
    )
}

fn stream(token: &str, version: i64) -> (&'static str, Value) {
    (
        "log_stream_override",
        Value::object([
            ("setting", s("send")),
            ("endpoint", s("logs.example.com:6514")),
            ("token", Value::Null),
            ("token_wo", s(token)),
            ("token_wo_version", Value::int(version)),
        ]),
    )
}

/// Requests on the two override routes since the last reset.
async fn override_calls(emu: &TestEmulator) -> BTreeMap<String, u64> {
    let all = emu.get("/_emulator/requests").await;
    all.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.ends_with(NOTIFY_ROUTE) || k.ends_with(STREAM_ROUTE))
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
        .collect()
}

#[tokio::test]
async fn a_plain_service_never_calls_the_override_endpoints() {
    let (emu, host) = render_setup(Config::default()).await;
    let cfg = worker(&host, &[]);
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
    assert!(state.attr("notification_override").is_null());
    assert!(state.attr("log_stream_override").is_null());
    let state = assert_stable(&host, SVC, &state, &cfg).await;
    assert_eq!(override_calls(&emu).await, BTreeMap::new());
    let (gone, diags) = host
        .apply_resource_change(SVC, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
}

#[tokio::test]
async fn override_lifecycle_set_change_import_remove() {
    let (emu, host) = render_setup(Config::default()).await;
    let cfg = |to_send: &str, token: &str, version: i64| {
        worker(&host, &[notify("false", to_send), stream(token, version)])
    };
    let world = |w: serde_json::Value| w["render"].clone();

    let (state, _) = apply(&host, SVC, &Value::Null, &cfg("failure", "t0k3n", 1)).await;
    let id = state.attr("id").as_str().expect("an id").to_string();
    let n = state.attr("notification_override");
    assert_eq!(n.attr("notifications_to_send"), &s("failure"));
    assert_eq!(n.attr("preview_notifications_enabled"), &s("false"));
    let l = state.attr("log_stream_override");
    assert_eq!(l.attr("setting"), &s("send"));
    assert_eq!(l.attr("endpoint"), &s("logs.example.com:6514"));
    assert!(l.attr("token_wo").is_null(), "write-only never in state");
    assert_eq!(l.attr("token_wo_version"), &Value::int(1));
    assert!(!format!("{state:?}").contains("t0k3n"));
    let w = world(emu.state().await);
    assert_eq!(
        w["service_notifications"][0]["notificationsToSend"],
        "failure"
    );
    assert_eq!(w["resource_log_streams"][0]["token"], "t0k3n");
    let state = assert_stable(&host, SVC, &state, &cfg("failure", "t0k3n", 1)).await;

    // Only the notification override changed: one PATCH there, nothing to the log stream.
    emu.reset_requests().await;
    let (state, replaced) = apply(&host, SVC, &state, &cfg("all", "t0k3n", 1)).await;
    assert!(replaced.is_empty());
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([(format!("PATCH {NOTIFY_ROUTE}"), 1)])
    );
    assert_eq!(
        state
            .attr("notification_override")
            .attr("notifications_to_send"),
        &s("all")
    );

    // A new token version: one PUT carrying the new write-only token.
    emu.reset_requests().await;
    let (state, _) = apply(&host, SVC, &state, &cfg("all", "n3w", 2)).await;
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([(format!("PUT {STREAM_ROUTE}"), 1)])
    );
    assert_eq!(
        world(emu.state().await)["resource_log_streams"][0]["token"],
        "n3w"
    );
    let state = assert_stable(&host, SVC, &state, &cfg("all", "n3w", 2)).await;

    // Import reads both blocks (Render never answers the token).
    let (imported, diags) = host.import_resource_state(SVC, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        imported
            .attr("notification_override")
            .attr("notifications_to_send"),
        &s("all")
    );
    assert_eq!(
        imported.attr("log_stream_override").attr("setting"),
        &s("send")
    );
    assert!(imported.attr("log_stream_override").attr("token").is_null());

    // Removing both blocks restores Render's defaults: PATCH to `default`, DELETE the stream.
    emu.reset_requests().await;
    let plain = worker(&host, &[]);
    let (state, _) = apply(&host, SVC, &state, &plain).await;
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([
            (format!("DELETE {STREAM_ROUTE}"), 1),
            (format!("PATCH {NOTIFY_ROUTE}"), 1),
        ])
    );
    assert!(state.attr("notification_override").is_null());
    assert!(state.attr("log_stream_override").is_null());
    let w = world(emu.state().await);
    assert_eq!(w["service_notifications"], serde_json::json!([]));
    assert_eq!(w["resource_log_streams"], serde_json::json!([]));
    emu.reset_requests().await;
    let state = assert_stable(&host, SVC, &state, &plain).await;
    assert_eq!(
        override_calls(&emu).await,
        BTreeMap::new(),
        "no longer read"
    );

    let (gone, diags) = host
        .apply_resource_change(SVC, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

/// Postgres' Datadog key, write-only: sent at create, never in state, sent again only when its
/// version moves (one PATCH), removed with `""` when the configuration drops it.
#[tokio::test]
async fn postgres_datadog_key_is_write_only_and_rotates_by_version() {
    let (emu, host) = render_setup(Config {
        render_db_ready_ms: 100,
        ..Default::default()
    })
    .await;
    const DB: &str = "render_database";
    let cfg = |extra: &[(&str, Value)]| {
        let mut pairs = vec![
            ("name", s("overlord-db")),
            ("plan", s("basic_1gb")),
            ("version", s("17")),
        ];
        pairs.extend(extra.iter().cloned());
        resource_config(&host, DB, &pairs)
    };
    let dd = |key: &str, version: i64| {
        cfg(&[
            ("datadog_api_key_wo", s(key)),
            ("datadog_api_key_wo_version", Value::int(version)),
            ("datadog_site", s("EU1")),
        ])
    };
    let sent = |w: &serde_json::Value| {
        let db = &w["render"]["postgres"][0];
        (db["datadogApiKey"].clone(), db["datadogSite"].clone())
    };
    let (state, _) = apply(&host, DB, &Value::Null, &dd("dd-0ne", 1)).await;
    assert!(state.attr("datadog_api_key_wo").is_null());
    assert_eq!(state.attr("datadog_api_key_wo_version"), &Value::int(1));
    assert!(!format!("{state:?}").contains("dd-0ne"));
    assert_eq!(sent(&emu.state().await), (json!("dd-0ne"), json!("EU1")));
    let state = assert_stable(&host, DB, &state, &dd("dd-0ne", 1)).await;

    emu.reset_requests().await;
    let (state, replaced) = apply(&host, DB, &state, &dd("dd-tw0", 2)).await;
    assert!(replaced.is_empty(), "in place");
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([("PATCH /render/v1/postgres/{postgresId}".to_string(), 1)])
    );
    assert_eq!(sent(&emu.state().await).0, json!("dd-tw0"));
    let state = assert_stable(&host, DB, &state, &dd("dd-tw0", 2)).await;

    // Dropped from the configuration: `""` removes the key, the site goes back to `US1`.
    emu.reset_requests().await;
    let (state, _) = apply(&host, DB, &state, &cfg(&[])).await;
    assert_eq!(emu.writes().await.len(), 1);
    assert_eq!(sent(&emu.state().await), (json!(null), json!("US1")));
    let state = assert_stable(&host, DB, &state, &cfg(&[])).await;

    let (gone, diags) = host
        .apply_resource_change(DB, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

/// A Key Value instance's log stream override (the spec's resource ids cover Postgres and Key
/// Value): `drop` → `send` with a plain token (one PUT) → import reads it → removed (one DELETE).
#[tokio::test]
async fn key_value_log_stream_override_lifecycle() {
    let (emu, host) = render_setup(Config {
        render_db_ready_ms: 100,
        ..Default::default()
    })
    .await;
    const DB: &str = "render_database";
    let cfg = |block: Value| {
        resource_config(
            &host,
            DB,
            &[
                ("engine", s("key_value")),
                ("name", s("overlord-redis")),
                ("plan", s("starter")),
                ("log_stream_override", block),
            ],
        )
    };
    let dropped = || {
        Value::object([
            ("setting", s("drop")),
            ("endpoint", Value::Null),
            ("token", Value::Null),
            ("token_wo", Value::Null),
            ("token_wo_version", Value::Null),
        ])
    };
    let send = || {
        Value::object([
            ("setting", s("send")),
            ("endpoint", s("logs.example.com:6514")),
            ("token", s("plain-t0k")),
            ("token_wo", Value::Null),
            ("token_wo_version", Value::Null),
        ])
    };
    let streams = |w: serde_json::Value| w["render"]["resource_log_streams"].clone();
    let (state, _) = apply(&host, DB, &Value::Null, &cfg(dropped())).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert_eq!(
        state.attr("log_stream_override").attr("setting"),
        &s("drop")
    );
    assert_eq!(streams(emu.state().await)[0]["setting"], "drop");
    let state = assert_stable(&host, DB, &state, &cfg(dropped())).await;

    emu.reset_requests().await;
    let (state, replaced) = apply(&host, DB, &state, &cfg(send())).await;
    assert!(replaced.is_empty());
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([(format!("PUT {STREAM_ROUTE}"), 1)])
    );
    assert_eq!(streams(emu.state().await)[0]["token"], "plain-t0k");
    let state = assert_stable(&host, DB, &state, &cfg(send())).await;

    let (imported, diags) = host.import_resource_state(DB, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    let got = imported.attr("log_stream_override");
    assert_eq!(got.attr("endpoint"), &s("logs.example.com:6514"));
    assert!(
        got.attr("token").is_null(),
        "Render never answers the token"
    );

    emu.reset_requests().await;
    let (state, _) = apply(&host, DB, &state, &cfg(Value::Null)).await;
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([(format!("DELETE {STREAM_ROUTE}"), 1)])
    );
    assert!(state.attr("log_stream_override").is_null());
    assert_eq!(streams(emu.state().await), json!([]));
    let (gone, diags) = host
        .apply_resource_change(DB, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}
