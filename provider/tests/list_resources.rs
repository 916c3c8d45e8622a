//! In-process tier for the list resources (`terraform query`) against the emulator in
//! strict-spec mode: objects created through Render's HTTP API (not the provider), listed through
//! the host — every page (more objects than one page of 100), the filters (name prefix, type,
//! environment), `include_resource` reading each object the way import does, the identities
//! importing by identity, and GenerateResourceConfig leaving out computed and default values.

mod common;

use common::*;
use paasform::framework::{Host, ListRequest, Value};
use paasform_emulator::Config;
use serde_json::json;

const OWNER: &str = "tea-paasformemulator0001";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config::default()).await
}

/// POST through the vendor API, as a dashboard would.
async fn post(emu: &TestEmulator, path: &str, body: serde_json::Value) -> serde_json::Value {
    let r = reqwest::Client::new()
        .post(format!("http://{}/render/v1{path}", emu.addr))
        .bearer_auth("rnd_test")
        .json(&body)
        .send()
        .await
        .expect("emulator reachable");
    let status = r.status();
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(status.is_success(), "POST {path}: {status} {body}");
    body
}

async fn project(emu: &TestEmulator, name: &str) -> (String, String) {
    let p = post(
        emu,
        "/projects",
        json!({"name": name, "ownerId": OWNER, "environments": [{"name": "production"}]}),
    )
    .await;
    let id = p["id"].as_str().expect("project id").to_string();
    let env = p["environmentIds"][0].as_str().expect("env id").to_string();
    (id, env)
}

fn service(name: &str, kind: &str, env: Option<&str>) -> serde_json::Value {
    let mut body = json!({
        "type": kind, "name": name, "ownerId": OWNER,
        "image": {"ownerId": OWNER, "imagePath": "docker.io/library/nginx:latest"},
        "serviceDetails": {"runtime": "image"},
    });
    if let Some(env) = env {
        body["environmentId"] = json!(env);
    }
    body
}

fn config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let names: Vec<String> = host
        .list_schema(type_name)
        .expect("list schema")
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs)
}

const ALL: ListRequest = ListRequest {
    limit: 1000,
    include_resource: false,
};

async fn names(
    host: &Host,
    type_name: &str,
    pairs: &[(&str, Value)],
) -> Vec<paasform::framework::Listed> {
    host.list_objects(type_name, &config(host, type_name, pairs), ALL)
        .await
        .expect("list")
}

#[tokio::test]
async fn lists_every_page_and_filters_by_name_prefix() {
    let (emu, host) = setup().await;
    for i in 0..105 {
        project(&emu, &format!("app-{i:03}")).await;
    }
    project(&emu, "other").await;
    emu.reset_requests().await;

    let all = names(&host, "render_project", &[]).await;
    assert_eq!(all.len(), 106, "all pages");
    // Two pages of 100, no per-object reads without include_resource.
    assert_eq!(emu.request_total().await, 2);

    let apps = names(
        &host,
        "render_project",
        &[("name_prefix", Value::string("app-"))],
    )
    .await;
    assert_eq!(apps.len(), 105);
    assert!(apps.iter().all(|l| l.display_name.starts_with("app-")));
    assert!(apps
        .iter()
        .all(|l| l.identity[0].0 == "id" && l.identity[0].1.starts_with("prj-")));

    // The limit stops the result (Terraform's default is 100).
    let ten = host
        .list_objects(
            "render_project",
            &config(&host, "render_project", &[]),
            ListRequest {
                limit: 10,
                include_resource: false,
            },
        )
        .await
        .expect("list");
    assert_eq!(ten.len(), 10);
}

#[tokio::test]
async fn include_resource_reads_like_import_and_generates_plain_config() {
    let (emu, host) = setup().await;
    let (_, env) = project(&emu, "shop").await;
    post(&emu, "/services", service("api", "web_service", Some(&env))).await;
    post(
        &emu,
        "/services",
        service("worker", "background_worker", Some(&env)),
    )
    .await;
    post(&emu, "/services", service("loose", "web_service", None)).await;

    assert_eq!(names(&host, "render_service", &[]).await.len(), 3);
    let web = names(
        &host,
        "render_service",
        &[("type", Value::string("web_service"))],
    )
    .await;
    let mut got: Vec<_> = web.iter().map(|l| l.display_name.as_str()).collect();
    got.sort();
    assert_eq!(got, ["api", "loose"]);
    let in_env = names(
        &host,
        "render_service",
        &[("environment_id", Value::string(&env))],
    )
    .await;
    assert_eq!(in_env.len(), 2);

    // include_resource: the state is what import-by-identity reads.
    let api = web.iter().find(|l| l.display_name == "api").expect("api");
    let (identity, state, diags) = host.listed_object("render_service", api, true).await;
    assert!(!diags.has_errors(), "{diags}");
    let state = state.expect("full object");
    assert_eq!(identity.attr("id"), state.attr("id"));
    let (imported, diags) = host
        .import_resource_identity("render_service", &identity)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported, state);
    assert_eq!(state.attr("name"), &Value::string("api"));

    // The generated configuration plans no change against that state.
    let generated = host
        .generate_config("render_service", &state)
        .expect("config");
    assert_eq!(generated.attr("id"), &Value::Null, "computed-only left out");
    assert_eq!(generated.attr("name"), &Value::string("api"));
    assert_stable(&host, "render_service", &state, &generated).await;
}

#[tokio::test]
async fn databases_and_env_groups_list_with_their_filters() {
    let (emu, host) = setup().await;
    let (_, env) = project(&emu, "data").await;
    post(
        &emu,
        "/postgres",
        json!({"name": "db-main", "ownerId": OWNER, "plan": "free", "version": "16", "environmentId": env}),
    )
    .await;
    post(
        &emu,
        "/key-value",
        json!({"name": "cache", "ownerId": OWNER, "plan": "starter"}),
    )
    .await;
    post(
        &emu,
        "/env-groups",
        json!({"name": "shared", "ownerId": OWNER, "envVars": [{"key": "A", "value": "1"}]}),
    )
    .await;

    assert_eq!(names(&host, "render_database", &[]).await.len(), 2);
    let kv = names(
        &host,
        "render_database",
        &[("type", Value::string("key_value"))],
    )
    .await;
    assert_eq!(kv.len(), 1);
    assert_eq!(kv[0].display_name, "cache");
    assert!(kv[0].identity[0].1.starts_with("red-"));
    let in_env = names(
        &host,
        "render_database",
        &[("environment_id", Value::string(&env))],
    )
    .await;
    assert_eq!(in_env.len(), 1);

    let groups = names(&host, "render_env_group", &[]).await;
    assert_eq!(groups.len(), 1);
    let (_, state, diags) = host
        .listed_object("render_env_group", &groups[0], true)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let state = state.expect("state");
    let generated = host
        .generate_config("render_env_group", &state)
        .expect("config");
    assert_stable(&host, "render_env_group", &state, &generated).await;
}
