//! In-process tier for the orphan rules of issue #19 beyond render_database (which has its own
//! file): a create killed after the API made the object, then re-applied, meets the object that
//! holds its name. `render_service` adopts it when it is its own trace (fresh, same type and
//! source) and otherwise stops with the id, the age and the import command; `vercel_project`
//! always stops with them. Nothing is created twice.

mod common;

use common::*;
use paasform::framework::{Diagnostics, Host, Value};
use paasform_emulator::Config;
use serde_json::Value as Json;

async fn create(host: &Host, ty: &str, config: &Value) -> (Value, Diagnostics) {
    let plan = host.plan_resource_change(
        ty,
        &Value::Null,
        &proposed(host, ty, &Value::Null, config),
        config,
    );
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    host.apply_resource_change(ty, &Value::Null, &plan.planned, config)
        .await
}

fn ids(world: &Json, vendor: &str, collection: &str) -> Vec<String> {
    let c = &world[vendor][collection];
    let records: Vec<&Json> = match c {
        Json::Array(a) => a.iter().collect(),
        Json::Object(m) => m.values().collect(),
        _ => Vec::new(),
    };
    records
        .into_iter()
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect()
}

fn service(host: &Host, repo: &str) -> Value {
    resource_config(
        host,
        "render_service",
        &[
            ("type", Value::string("web_service")),
            ("name", Value::string("orphan-api")),
            ("runtime", Value::string("node")),
            ("repo", Value::string(repo)),
            ("plan", Value::string("starter")),
            ("build_command", Value::string("npm ci")),
            ("start_command", Value::string("npm start")),
            (
                "custom_domains",
                Value::set(vec![Value::string("api.orphan.example")]),
            ),
            ("wait_for_deploy", Value::Bool(true)),
        ],
    )
}

#[tokio::test]
async fn a_killed_render_service_create_is_adopted_and_a_stranger_is_named() {
    let (emu, host) = render_setup(Config {
        render_deploy_ms: 100,
        ..Default::default()
    })
    .await;
    let cfg = service(&host, "https://github.com/acme/api");
    // The killed apply: the service exists (with its domain), its id never reached state.
    let (first, diags) = create(&host, "render_service", &cfg).await;
    assert!(!diags.has_errors(), "{diags}");
    let made = first.attr("id").as_str().expect("id").to_string();

    let (state, diags) = create(&host, "render_service", &cfg).await;
    assert!(!diags.has_errors(), "the re-apply adopts: {diags}");
    assert_eq!(state.attr("id").as_str(), Some(made.as_str()), "adopted");
    assert_eq!(
        ids(&emu.state().await, "render", "services"),
        vec![made.clone()]
    );
    assert_stable(&host, "render_service", &state, &cfg).await;

    // Same name, another repository: not this configuration's trace. Stop and name it.
    let other = service(&host, "https://github.com/acme/other");
    let (_, diags) = create(&host, "render_service", &other).await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "refused");
    assert!(
        text.contains(&format!(
            "render_service `orphan-api` already exists as {made}, created 0 min ago: `terraform import <address> {made}`"
        )),
        "{text}"
    );
    assert!(
        text.contains("paasform adopts an existing service only when"),
        "{text}"
    );
    assert_eq!(ids(&emu.state().await, "render", "services").len(), 1);
}

#[tokio::test]
async fn a_vercel_project_whose_name_is_taken_is_named_with_its_import_command() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "vercel",
        &[
            ("api_token", Value::string("vercel-test-token")),
            ("team", Value::string("team_paasform")),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await;
    let cfg = resource_config(
        &host,
        "vercel_project",
        &[("name", Value::string("orphan-site"))],
    );
    let (first, diags) = create(&host, "vercel_project", &cfg).await;
    assert!(!diags.has_errors(), "{diags}");
    let made = first.attr("id").as_str().expect("id").to_string();
    emu.reset_requests().await;
    let (_, diags) = create(&host, "vercel_project", &cfg).await;
    let text = diags.to_string();
    assert!(
        text.contains(&format!(
            "vercel_project `orphan-site` already exists as {made}, created 0 min ago: `terraform import <address> {made}`"
        )),
        "{text}"
    );
    assert_eq!(ids(&emu.state().await, "vercel", "projects").len(), 1);
}
