//! In-process tier for vercel_project's deployment protection against the emulator (strict spec
//! checking on): Vercel Authentication, a write-only password (never in state, sent again only
//! when its version changes), trusted IPs and the OPTIONS allowlist — created with the project in
//! one extra PATCH, stable on refresh, changed and removed in place.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const P: &str = "vercel_project";

async fn host_for(emu: &TestEmulator) -> Host {
    host(
        "vercel",
        &[
            ("api_token", Value::string("vercel-test-token")),
            ("team", Value::string("team_paasform")),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await
}

fn protected(host: &Host, sso: &str, version: i64, with_password: bool) -> Value {
    let mut pairs = vec![
        ("name", Value::string("docs-site")),
        (
            "vercel_authentication",
            Value::object([("deployment_type", Value::string(sso))]),
        ),
        (
            "trusted_ips",
            Value::object([
                ("deployment_type", Value::string("production")),
                ("protection_mode", Value::string("exclusive")),
                (
                    "addresses",
                    Value::List(vec![Value::object([
                        ("value", Value::string("10.0.0.0/8")),
                        ("note", Value::string("office")),
                    ])]),
                ),
            ]),
        ),
        (
            "options_allowlist",
            Value::object([("paths", Value::List(vec![Value::string("/api/.*")]))]),
        ),
    ];
    if with_password {
        pairs.push((
            "password_protection",
            Value::object([
                ("deployment_type", Value::string("preview")),
                ("password_wo", Value::string("correct-horse-battery")),
                ("password_wo_version", Value::int(version)),
            ]),
        ));
    }
    resource_config(host, P, &pairs)
}

fn stored(world: &serde_json::Value) -> serde_json::Value {
    world["vercel"]["projects"]
        .as_object()
        .and_then(|m| m.values().next())
        .map(|p| p["settings"].clone())
        .expect("one project")
}

#[tokio::test]
async fn protection_is_set_kept_and_removed_without_a_stored_password() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host_for(&emu).await;

    let cfg = protected(&host, "all", 1, true);
    let before = emu.request_total().await;
    let (state, _) = apply(&host, P, &Value::Null, &cfg).await;
    assert_eq!(
        emu.request_total().await - before,
        2,
        "createProject (with ssoProtection) and one PATCH for the rest"
    );
    let s = stored(&emu.state().await);
    assert_eq!(s["ssoProtection"]["deploymentType"], "all");
    assert_eq!(s["passwordProtection"]["deploymentType"], "preview");
    assert!(s["passwordProtection"].get("password").is_none());
    assert_eq!(s["trustedIps"]["addresses"][0]["value"], "10.0.0.0/8");
    assert_eq!(s["optionsAllowlist"]["paths"][0]["value"], "/api/.*");
    let pw = state.attr("password_protection");
    assert!(pw.attr("password_wo").is_null(), "write-only: {pw:?}");
    assert_eq!(pw.attr("password_wo_version"), &Value::int(1));
    assert!(
        !format!("{state:?}").contains("correct-horse-battery"),
        "the password must not reach state"
    );
    let state = assert_stable(&host, P, &state, &cfg).await;

    // A new password version: one PATCH; Vercel Authentication off: null at Vercel.
    let cfg = protected(&host, "none", 2, true);
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, P, &state, &cfg).await;
    assert!(replace.is_empty());
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    assert!(stored(&emu.state().await)["ssoProtection"].is_null());
    assert_eq!(
        state.attr("vercel_authentication").attr("deployment_type"),
        &Value::string("none")
    );
    let state = assert_stable(&host, P, &state, &cfg).await;

    // Dropping the password block turns password protection off.
    let cfg = protected(&host, "none", 2, false);
    let (state, _) = apply(&host, P, &state, &cfg).await;
    assert!(stored(&emu.state().await)["passwordProtection"].is_null());
    assert!(state.attr("password_protection").is_null());
    assert_stable(&host, P, &state, &cfg).await;
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

#[tokio::test]
async fn an_unconfigured_project_keeps_vercels_default_protection() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host_for(&emu).await;
    let cfg = resource_config(&host, P, &[("name", Value::string("plain-site"))]);
    let (state, _) = apply(&host, P, &Value::Null, &cfg).await;
    assert_eq!(
        state.attr("vercel_authentication").attr("deployment_type"),
        &Value::string("preview")
    );
    assert!(state.attr("password_protection").is_null());
    assert!(state.attr("trusted_ips").is_null());
    assert_stable(&host, P, &state, &cfg).await;
}
