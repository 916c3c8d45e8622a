//! In-process tier for tailscale_key: the resource against the emulator, no Terraform.

mod common;

use common::*;
use paasform::framework::Value;
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, paasform::framework::Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "tailscale",
        &[
            ("api_key", Value::string("tskey-api-test")),
            ("base_url", Value::string(emu.url("tailscale"))),
        ],
    )
    .await;
    (emu, host)
}

fn tags(t: &[&str]) -> Value {
    Value::set(t.iter().map(|s| Value::string(*s)).collect())
}

#[tokio::test]
async fn key_lifecycle_is_stable_and_import_has_no_diff() {
    let (emu, host) = setup().await;
    let cfg = resource_config(
        &host,
        "tailscale_key",
        &[
            ("reusable", Value::Bool(true)),
            ("tags", tags(&["tag:server"])),
            ("expiry", Value::int(3600)),
            ("description", Value::string("ci key")),
        ],
    );
    let (state, _) = apply(&host, "tailscale_key", &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert!(
        state
            .attr("key")
            .as_str()
            .is_some_and(|k| k.starts_with("tskey-")),
        "secret known at create"
    );
    assert!(state.attr("expires_at").as_str().is_some());
    let state = assert_stable(&host, "tailscale_key", &state, &cfg).await;
    assert!(
        state.attr("key").as_str().is_some(),
        "secret survives refresh"
    );

    // A changed tag replaces the key (keys cannot be edited).
    let cfg2 = resource_config(
        &host,
        "tailscale_key",
        &[
            ("reusable", Value::Bool(true)),
            ("tags", tags(&["tag:other"])),
            ("expiry", Value::int(3600)),
            ("description", Value::string("ci key")),
        ],
    );
    let plan = host.plan_resource_change(
        "tailscale_key",
        &state,
        &proposed(&host, "tailscale_key", &state, &cfg2),
        &cfg2,
    );
    assert_eq!(
        plan.requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["tags"]
    );

    // Import into fresh state: no diff, key stays null.
    let (imported, diags) = host.import_resource_state("tailscale_key", &id).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(imported.attr("key").is_null());
    let plan = host.plan_resource_change(
        "tailscale_key",
        &imported,
        &proposed(&host, "tailscale_key", &imported, &cfg),
        &cfg,
    );
    assert!(
        plan.requires_replace.is_empty(),
        "import then plan must not replace: {:?}",
        plan.requires_replace
    );
    assert_eq!(plan.planned, imported);

    // Delete (Tailscale revokes), then read drops it, and a second delete succeeds.
    let (gone, diags) = host
        .apply_resource_change("tailscale_key", &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, diags) = host.read_resource("tailscale_key", &state).await;
    assert!(after.is_null() && !diags.has_errors());
    let (_, diags) = host
        .apply_resource_change("tailscale_key", &state, &Value::Null, &Value::Null)
        .await;
    assert!(
        !diags.has_errors(),
        "deleting something already gone succeeds: {diags}"
    );
    drop(emu);
}

#[tokio::test]
async fn expired_key_is_recreated_only_when_asked() {
    let (emu, host) = setup().await;
    for (policy, expect_gone) in [("always", true), ("never", false)] {
        let cfg = resource_config(
            &host,
            "tailscale_key",
            &[("recreate_if_invalid", Value::string(policy))],
        );
        let (state, _) = apply(&host, "tailscale_key", &Value::Null, &cfg).await;
        let id = state.attr("id").as_str().expect("id").to_string();
        let resp = reqwest::Client::new()
            .post(format!(
                "http://{}/_emulator/tailscale/expire/{id}",
                emu.addr
            ))
            .send()
            .await
            .expect("expire");
        assert!(resp.status().is_success());
        let (after, diags) = host.read_resource("tailscale_key", &state).await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(after.is_null(), expect_gone, "policy {policy}");
        if !expect_gone {
            assert_eq!(after.attr("invalid"), &Value::Bool(true));
        }
    }
}

#[tokio::test]
async fn key_revoked_outside_terraform_leaves_state() {
    let (emu, host) = setup().await;
    let cfg = resource_config(&host, "tailscale_key", &[]);
    let (state, _) = apply(&host, "tailscale_key", &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    let resp = reqwest::Client::new()
        .post(format!(
            "http://{}/_emulator/tailscale/revoke/{id}",
            emu.addr
        ))
        .send()
        .await
        .expect("revoke");
    assert!(resp.status().is_success());
    let (after, diags) = host.read_resource("tailscale_key", &state).await;
    assert!(after.is_null() && !diags.has_errors(), "{diags}");
}

#[tokio::test]
async fn invalid_configs_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("tags", vec![("tags", tags(&["server"]))]),
        ("expiry", vec![("expiry", Value::int(0))]),
        ("expiry", vec![("expiry", Value::int(7_776_001))]),
        (
            "description",
            vec![("description", Value::string("no_underscores!"))],
        ),
        (
            "recreate_if_invalid",
            vec![("recreate_if_invalid", Value::string("sometimes"))],
        ),
    ];
    for (path, pairs) in cases {
        let cfg = resource_config(&host, "tailscale_key", &pairs);
        let diags = host.validate_resource_config("tailscale_key", &cfg);
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "case {path}: {diags}"
        );
    }
    assert_eq!(
        emu.request_total().await,
        0,
        "validation makes no HTTP request"
    );
    let bad = host.import_resource_state("tailscale_key", "../etc").await;
    assert!(bad.1.has_errors());
    assert_eq!(
        emu.request_total().await,
        0,
        "a malformed import id makes no HTTP request"
    );
}

/// Issue 19: a create whose answer is lost (the emulator commits, then drops the connection)
/// leaves no valid key behind: the key it made cannot be adopted without its secret, so it is
/// revoked and the error says so.
#[tokio::test]
async fn a_lost_create_answer_leaves_no_live_key() {
    let emu = TestEmulator::start(Config {
        drop_after_commit_rate: 1.0,
        ..Config::default()
    })
    .await;
    let host = host(
        "tailscale",
        &[
            ("api_key", Value::string("tskey-api-test")),
            ("base_url", Value::string(emu.url("tailscale"))),
        ],
    )
    .await;
    let cfg = resource_config(
        &host,
        "tailscale_key",
        &[
            ("tags", tags(&["tag:server"])),
            ("description", Value::string("orphan check")),
        ],
    );
    let plan = host.plan_resource_change("tailscale_key", &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change("tailscale_key", &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(diags.has_errors() && state.is_null(), "{diags}");
    assert!(diags.to_string().contains("Revoked the key"), "{diags}");
    let world = emu.state().await;
    let live: Vec<_> = world["tailscale"]["tailnets"]
        .as_object()
        .expect("tailnets")
        .values()
        .flat_map(|t| t["keys"].as_object().cloned().unwrap_or_default())
        .filter(|(_, k)| k["revoked"].is_null())
        .collect();
    assert!(live.is_empty(), "orphaned live keys: {live:?}");
}
