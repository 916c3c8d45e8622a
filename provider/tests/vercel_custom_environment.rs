//! In-process tier for vercel_custom_environment: the resource against the emulator (strict spec
//! checking on), no Terraform — create, no-change plan, rename and matcher changes in place with
//! request counts, import by id and by name, a domain serving the environment, delete and gone.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const E: &str = "vercel_custom_environment";

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

fn env_cfg(host: &Host, project: &str, name: &str, matcher: Option<(&str, &str)>) -> Value {
    let mut pairs = vec![
        ("project_id", Value::string(project)),
        ("name", Value::string(name)),
    ];
    if let Some((kind, pattern)) = matcher {
        pairs.push((
            "branch_tracking",
            Value::object([
                ("type", Value::string(kind)),
                ("pattern", Value::string(pattern)),
            ]),
        ));
    }
    resource_config(host, E, &pairs)
}

/// The emulator's stored project named `name`.
fn project_in<'a>(world: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    world["vercel"]["projects"]
        .as_object()
        .and_then(|m| m.values().find(|p| p["name"] == name))
        .expect("project in the emulator")
}

#[tokio::test]
async fn custom_environment_lifecycle_rename_import_and_delete() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host_for(&emu).await;
    let pcfg = resource_config(&host, "vercel_project", &[("name", Value::string("shop"))]);
    let (_, _) = apply(&host, "vercel_project", &Value::Null, &pcfg).await;

    // By project name: Vercel takes either.
    let cfg = env_cfg(&host, "shop", "staging", Some(("startsWith", "release/")));
    let before = emu.request_total().await;
    let (state, _) = apply(&host, E, &Value::Null, &cfg).await;
    assert_eq!(emu.request_total().await - before, 1, "one POST");
    let id = state.attr("id").as_str().expect("id").to_string();
    assert!(id.starts_with("env_"), "{id}");
    assert_eq!(state.attr("team_id").as_str(), Some("team_paasform"));
    assert_eq!(state.attr("description"), &Value::Null);
    let state = assert_stable(&host, E, &state, &cfg).await;

    // The environment is usable: a domain can serve it.
    let dcfg = resource_config(
        &host,
        "vercel_project_domain",
        &[
            ("project_id", Value::string("shop")),
            ("domain", Value::string("staging.shop.dev")),
            ("custom_environment_id", Value::string(&id)),
        ],
    );
    let (domain, _) = apply(&host, "vercel_project_domain", &Value::Null, &dcfg).await;
    let world = emu.state().await;
    let shop = project_in(&world, "shop");
    assert_eq!(shop["domains"][0]["custom_environment_id"], id.as_str());

    // Rename and a new matcher: one PATCH, same id, in place.
    let renamed = env_cfg(&host, "shop", "qa", Some(("equals", "qa")));
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, E, &state, &renamed).await;
    assert!(replace.is_empty(), "a rename is in place: {replace:?}");
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    assert_eq!(state.attr("id").as_str(), Some(id.as_str()));
    assert_eq!(state.attr("name").as_str(), Some("qa"));
    let state = assert_stable(&host, E, &state, &renamed).await;

    // Dropping the matcher clears it at Vercel.
    let plain = env_cfg(&host, "shop", "qa", None);
    let (state, _) = apply(&host, E, &state, &plain).await;
    assert!(state.attr("branch_tracking").is_null(), "{state:?}");
    let world = emu.state().await;
    let got = &project_in(&world, "shop")["settings"]["customEnvironments"][0];
    assert_eq!(got["slug"], "qa", "{got}");
    assert!(got.get("branchMatcher").is_none(), "{got}");
    let state = assert_stable(&host, E, &state, &plain).await;

    // Import by id and by name, with and without the team: the same state.
    for import in [
        format!("shop/{id}"),
        "shop/qa".to_string(),
        format!("team_paasform/shop/{id}"),
    ] {
        let (imported, diags) = host.import_resource_state(E, &import).await;
        assert!(!diags.has_errors(), "{import}: {diags}");
        let (read, diags) = host.read_resource(E, &imported).await;
        assert!(!diags.has_errors(), "{import}: {diags}");
        assert_eq!(read.attr("id").as_str(), Some(id.as_str()), "{import}");
        assert_stable(&host, E, &read, &plain).await;
    }

    // Delete: gone on refresh, and a second delete is still a success; the domain stays,
    // serving production again.
    let (gone, diags) = host
        .apply_resource_change(E, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(gone.is_null());
    let (read, diags) = host.read_resource(E, &state).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(read.is_null(), "a deleted environment reads as gone");
    let (_, diags) = host
        .apply_resource_change(E, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (domain, diags) = host.read_resource("vercel_project_domain", &domain).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(domain.attr("custom_environment_id").is_null(), "{domain:?}");
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

#[tokio::test]
async fn a_taken_name_fails_with_vercels_reason() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host_for(&emu).await;
    let pcfg = resource_config(&host, "vercel_project", &[("name", Value::string("shop"))]);
    apply(&host, "vercel_project", &Value::Null, &pcfg).await;
    let cfg = env_cfg(&host, "shop", "staging", None);
    apply(&host, E, &Value::Null, &cfg).await;
    let plan = host.plan_resource_change(E, &Value::Null, &cfg, &cfg);
    let (_, diags) = host
        .apply_resource_change(E, &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(diags.has_errors(), "a second `staging` must fail");
    assert!(diags.to_string().contains("already exists"), "{diags}");
}
