//! Drift in collections (issue 18): for every collection a resource owns, an item added outside
//! Terraform (through the vendor API, as a dashboard would) is either read back — authoritative
//! collections, so the next plan shows it as a deletion and the apply removes it — or left alone
//! (non-authoritative collections: not in state, untouched by the next apply). In process against
//! the emulator, no Terraform.

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;
use serde_json::{json, Value as Json};

fn s(v: &str) -> Value {
    Value::string(v)
}

fn smap(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), s(v)))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// One request through the vendor API with `token`, asserting success; the answer's JSON.
async fn send(method: reqwest::Method, url: String, token: &str, body: Option<Json>) -> Json {
    let mut r = reqwest::Client::new()
        .request(method.clone(), &url)
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.expect("emulator reachable");
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "{method} {url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Json::Null)
}

/// Refresh `state`: the read must show `changed` (so `plan -refresh-only` shows it), and the plan
/// with the unchanged configuration must differ from the refreshed state (the plan shows the
/// deletion). Returns the refreshed state.
async fn read_shows_drift(host: &Host, ty: &str, state: &Value, config: &Value) -> Value {
    let (refreshed, diags) = host.read_resource(ty, state).await;
    assert!(!diags.has_errors(), "read failed: {diags}");
    assert_ne!(
        &refreshed, state,
        "{ty}: the read shows the item added outside"
    );
    let plan = host.plan_resource_change(
        ty,
        &refreshed,
        &proposed(host, ty, &refreshed, config),
        config,
    );
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    assert_ne!(
        plan.planned, refreshed,
        "{ty}: the plan shows the item's deletion"
    );
    refreshed
}

// ---- Render -----------------------------------------------------------------------------

async fn render_put(emu: &TestEmulator, path: &str, body: Json) {
    send(
        reqwest::Method::PUT,
        format!("http://{}/render/v1{path}", emu.addr),
        "rnd_test",
        Some(body),
    )
    .await;
}

fn render_env(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Value::object([("value", s(v)), ("generate_value", Value::Null)]),
                )
            })
            .collect(),
    )
}

#[tokio::test]
async fn render_service_env_vars_secret_files_and_domains_added_outside_show_and_are_removed() {
    let (emu, host) = render_setup(Config::default()).await;
    let t = "render_service";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("type", s("web_service")),
            ("name", s("api")),
            ("runtime", s("node")),
            ("repo", s("https://github.com/example/api")),
            ("build_command", s("npm ci")),
            ("start_command", s("node server.js")),
            ("env_vars", render_env(&[("NODE_ENV", "production")])),
            ("env_vars_wo", smap(&[("API_KEY", "s3cret")])),
            ("env_vars_wo_version", Value::int(1)),
            ("secret_files", smap(&[(".npmrc", "token=x")])),
            ("secret_files_wo", smap(&[("key.pem", "pem")])),
            ("custom_domains", Value::set(vec![s("api.example.com")])),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    // Write-only keys are in Render but are not drift.
    let state = assert_stable(&host, t, &state, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();

    render_put(
        &emu,
        &format!("/services/{id}/env-vars/DASHBOARD_VAR"),
        json!({"value": "1"}),
    )
    .await;
    render_put(
        &emu,
        &format!("/services/{id}/secret-files/extra.txt"),
        json!({"content": "x"}),
    )
    .await;
    send(
        reqwest::Method::POST,
        format!("http://{}/render/v1/services/{id}/custom-domains", emu.addr),
        "rnd_test",
        Some(json!({"name": "other.example.org"})),
    )
    .await;

    let refreshed = read_shows_drift(&host, t, &state, &cfg).await;
    assert!(
        refreshed.attr("env_vars").attr("DASHBOARD_VAR").is_known()
            && !refreshed.attr("env_vars").attr("DASHBOARD_VAR").is_null()
    );
    assert!(!refreshed.attr("secret_files").attr("extra.txt").is_null());
    let domains = format!("{:?}", refreshed.attr("custom_domains"));
    assert!(domains.contains("other.example.org"), "{domains}");
    assert!(
        refreshed.attr("env_vars").attr("API_KEY").is_null(),
        "write-only keys stay out"
    );

    let (after, _) = apply(&host, t, &refreshed, &cfg).await;
    assert_stable(&host, t, &after, &cfg).await;
    let world = emu.state().await;
    let svc = &world["render"]["services"][0];
    let keys: Vec<&str> = svc["envVars"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["key"].as_str())
        .collect();
    assert_eq!(
        keys.len(),
        2,
        "NODE_ENV and the write-only API_KEY remain: {keys:?}"
    );
    assert!(!keys.contains(&"DASHBOARD_VAR"));
    let files: Vec<&str> = svc["secretFiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(
        !files.contains(&"extra.txt") && files.contains(&"key.pem"),
        "{files:?}"
    );
    let listed = send(
        reqwest::Method::GET,
        format!("http://{}/render/v1/services/{id}/custom-domains", emu.addr),
        "rnd_test",
        None,
    )
    .await;
    assert!(
        !listed.to_string().contains("other.example.org"),
        "{listed}"
    );
}

#[tokio::test]
async fn render_env_group_vars_added_outside_are_left_alone() {
    let (emu, host) = render_setup(Config::default()).await;
    let t = "render_env_group";
    let cfg = |v: &str| {
        resource_config(
            &host,
            t,
            &[
                ("name", s("shared")),
                ("env_vars", render_env(&[("A", v)])),
                ("secret_files", smap(&[(".npmrc", "x")])),
            ],
        )
    };
    let (state, _) = apply(&host, t, &Value::Null, &cfg("1")).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    render_put(
        &emu,
        &format!("/env-groups/{id}/env-vars/OUTSIDE"),
        json!({"value": "o"}),
    )
    .await;
    render_put(
        &emu,
        &format!("/env-groups/{id}/secret-files/outside.txt"),
        json!({"content": "o"}),
    )
    .await;
    // Non-authoritative: the outside items are not in state and the plan is empty ...
    let state = assert_stable(&host, t, &state, &cfg("1")).await;
    assert!(state.attr("env_vars").attr("OUTSIDE").is_null());
    // ... and an update writes only the managed key.
    apply(&host, t, &state, &cfg("2")).await;
    let group = send(
        reqwest::Method::GET,
        format!("http://{}/render/v1/env-groups/{id}", emu.addr),
        "rnd_test",
        None,
    )
    .await;
    let text = group.to_string();
    assert!(
        text.contains("OUTSIDE") && text.contains("outside.txt"),
        "{text}"
    );
}

// ---- Vercel -----------------------------------------------------------------------------

#[tokio::test]
async fn vercel_project_environment_added_outside_shows_and_is_removed() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "vercel",
        &[
            ("api_token", s("vercel-test-token")),
            ("team", s("team_paasform")),
            ("base_url", s(&emu.url("vercel"))),
        ],
    )
    .await;
    let t = "vercel_project";
    let var = Value::object([
        ("key", s("NEXT_PUBLIC_API")),
        ("value", s("https://api.example.com")),
        ("target", Value::set(vec![s("production")])),
        ("custom_environment_ids", Value::Null),
        ("git_branch", Value::Null),
        ("type", s("plain")),
        ("comment", Value::Null),
    ]);
    let cfg = resource_config(
        &host,
        t,
        &[("name", s("site")), ("environment", Value::set(vec![var]))],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let state = assert_stable(&host, t, &state, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    send(
        reqwest::Method::POST,
        format!(
            "http://{}/vercel/v10/projects/{id}/env?teamId=team_paasform",
            emu.addr
        ),
        "vercel-test-token",
        Some(json!({"key": "DASHBOARD_VAR", "value": "1", "type": "plain", "target": ["preview"]})),
    )
    .await;
    let refreshed = read_shows_drift(&host, t, &state, &cfg).await;
    assert!(format!("{:?}", refreshed.attr("environment")).contains("DASHBOARD_VAR"));
    let (after, _) = apply(&host, t, &refreshed, &cfg).await;
    assert_stable(&host, t, &after, &cfg).await;
    let listed = send(
        reqwest::Method::GET,
        format!(
            "http://{}/vercel/v10/projects/{id}/env?teamId=team_paasform",
            emu.addr
        ),
        "vercel-test-token",
        None,
    )
    .await;
    assert!(!listed.to_string().contains("DASHBOARD_VAR"), "{listed}");
}

// ---- Cloudflare R2 ----------------------------------------------------------------------

#[tokio::test]
async fn r2_bucket_cors_and_lifecycle_rules_added_outside_show_and_are_removed() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "r2",
        &[
            ("api_token", s("cf-test-token")),
            ("account_id", s("acct123")),
            ("base_url", s(&emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    let t = "r2_bucket";
    let strings = |v: &[&str]| Value::List(v.iter().map(|x| s(x)).collect());
    let cors = Value::List(vec![Value::object([
        (
            "allowed",
            Value::object([
                ("origins", strings(&["https://example.com"])),
                ("methods", strings(&["GET"])),
                ("headers", Value::Null),
            ]),
        ),
        ("id", Value::Null),
        ("expose_headers", Value::Null),
        ("max_age_seconds", Value::int(3600)),
    ])]);
    let lifecycle = Value::List(vec![Value::object([
        ("id", s("expire")),
        ("enabled", Value::Null),
        ("prefix", s("tmp/")),
        ("delete_objects_after_days", Value::int(7)),
        ("delete_objects_on_date", Value::Null),
        ("abort_multipart_uploads_after_days", Value::Null),
        ("storage_class_transitions", Value::Null),
    ])]);
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", s("drift-bucket")),
            ("cors", cors),
            ("lifecycle_rules", lifecycle),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let state = assert_stable(&host, t, &state, &cfg).await;
    let base = format!(
        "http://{}/cloudflare/client/v4/accounts/acct123/r2/buckets/drift-bucket",
        emu.addr
    );
    let token = "cf-test-token";
    for (part, extra) in [
        (
            "cors",
            json!({"allowed": {"origins": ["https://dashboard.example"], "methods": ["PUT"]}}),
        ),
        (
            "lifecycle",
            json!({"id": "dashboard-rule", "enabled": true, "conditions": {"prefix": "logs/"},
                   "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 86400}}}),
        ),
    ] {
        let now = send(reqwest::Method::GET, format!("{base}/{part}"), token, None).await;
        let mut rules = now["result"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(rules.len(), 1, "{part}: {now}");
        rules.push(extra);
        send(
            reqwest::Method::PUT,
            format!("{base}/{part}"),
            token,
            Some(json!({ "rules": rules })),
        )
        .await;
    }
    let refreshed = read_shows_drift(&host, t, &state, &cfg).await;
    assert!(format!("{:?}", refreshed.attr("cors")).contains("dashboard.example"));
    assert!(format!("{:?}", refreshed.attr("lifecycle_rules")).contains("dashboard-rule"));
    let (after, _) = apply(&host, t, &refreshed, &cfg).await;
    assert_stable(&host, t, &after, &cfg).await;
    for part in ["cors", "lifecycle"] {
        let now = send(reqwest::Method::GET, format!("{base}/{part}"), token, None).await;
        assert_eq!(
            now["result"]["rules"].as_array().map(Vec::len),
            Some(1),
            "{part}: {now}"
        );
    }
}

// ---- Railway ----------------------------------------------------------------------------

#[tokio::test]
async fn railway_service_variables_added_outside_show_and_are_removed() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", s("railway-test-token")),
            ("base_url", s(&emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    let pcfg = resource_config(&host, "railway_project", &[("name", s("drift"))]);
    let (project, _) = apply(&host, "railway_project", &Value::Null, &pcfg).await;
    let pid = project.attr("id").as_str().expect("id").to_string();
    let env = project
        .attr("default_environment_id")
        .as_str()
        .expect("environment")
        .to_string();
    let t = "railway_service";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("project_id", s(&pid)),
            ("environment_id", s(&env)),
            ("name", s("api")),
            ("source_repo", s("acme/api")),
            ("variables", smap(&[("MODE", "prod")])),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let state = assert_stable(&host, t, &state, &cfg).await;
    let sid = state.attr("id").as_str().expect("id").to_string();
    send(
        reqwest::Method::POST,
        emu.url("railway/graphql/v2"),
        "railway-test-token",
        Some(json!({
            "query": "mutation VariableUpsert($input: VariableUpsertInput!) { variableUpsert(input: $input) }",
            "variables": {"input": {"projectId": pid, "environmentId": env, "serviceId": sid,
                                    "name": "DASHBOARD_VAR", "value": "1"}}
        })),
    )
    .await;
    let refreshed = read_shows_drift(&host, t, &state, &cfg).await;
    assert!(!refreshed.attr("variables").attr("DASHBOARD_VAR").is_null());
    let (after, _) = apply(&host, t, &refreshed, &cfg).await;
    let after = assert_stable(&host, t, &after, &cfg).await;
    assert!(after.attr("variables").attr("DASHBOARD_VAR").is_null());
}
