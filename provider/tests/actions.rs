//! Actions in process (no Terraform): a table of invalid action configurations, each refused at
//! validate and at plan with an error on the expected attribute path and zero requests; and each
//! action invoked against the emulator — a deploy that goes live (with a progress line per
//! status) and one the emulator fails (`Config::fail_deploys`), which fails the action with the
//! vendor's status (Render), the vendor's error message and code (Vercel). Also Vercel's promotion
//! of an existing deployment. Imports only the crate's public API and the shared set-up in `common`.

mod common;

use common::*;
use paasform::framework::{Diagnostics, Host, Value};
use paasform_emulator::Config;
use serde_json::Value as Json;

const FAILING_COMMIT: &str = "badc0ffee";

fn s(v: &str) -> Value {
    Value::string(v)
}

/// `deploy_ms`: how long a deploy takes (long enough to see its statuses go by, or short).
async fn render(deploy_ms: u64) -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config {
        render_deploy_ms: deploy_ms,
        fail_deploys: vec![FAILING_COMMIT.to_string()],
        ..Default::default()
    })
    .await;
    let host = host(
        "render",
        &[
            ("api_key", s("rnd_test")),
            ("base_url", s(&emu.url("render/v1"))),
        ],
    )
    .await;
    (emu, host)
}

/// An action config: every schema attribute null except the given ones.
fn action_config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = host.action_schema(type_name).expect("action type");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs).conform(&schema.value_type())
}

/// Invoke, collecting the progress lines.
async fn invoke(host: &Host, type_name: &str, config: &Value) -> (Vec<String>, Diagnostics) {
    let mut lines = Vec::new();
    let diags = host
        .invoke_action(type_name, config, &mut |l| lines.push(l))
        .await;
    (lines, diags)
}

/// A live web service to deploy.
async fn web_service(host: &Host) -> String {
    let config = resource_config(
        host,
        "render_service",
        &[
            ("type", s("web_service")),
            ("name", s("deploy-me")),
            ("runtime", s("node")),
            ("repo", s("https://github.com/example/deploy-me")),
            ("build_command", s("npm ci")),
            ("start_command", s("npm start")),
        ],
    );
    let (state, _) = apply(host, "render_service", &Value::Null, &config).await;
    state.attr("id").as_str().expect("service id").to_string()
}

fn deploys_of(state: &Json, service_id: &str) -> Vec<Json> {
    state["render"]["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|svc| svc["id"] == service_id)
        .flat_map(|svc| svc["deploys"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// One invalid-config row: action type, the attributes set, the attribute the error must name.
type Case<'a> = (&'a str, Vec<(&'a str, Value)>, &'a str);

#[tokio::test]
async fn invalid_action_configs_name_their_attribute_without_a_request() {
    let (emu, host) = render(200).await;
    let cases: Vec<Case> = vec![
        (
            "render_deploy",
            vec![("service_id", s("api"))],
            "service_id",
        ),
        (
            "render_deploy",
            vec![("service_id", s("srv-1")), ("commit_id", s(" "))],
            "commit_id",
        ),
        (
            "render_deploy",
            vec![("service_id", s("srv-1")), ("image_url", s(""))],
            "image_url",
        ),
        (
            "render_deploy",
            vec![
                ("service_id", s("srv-1")),
                ("commit_id", s("abc")),
                ("image_url", s("docker.io/acme/api:1")),
            ],
            "image_url",
        ),
        (
            "render_deploy",
            vec![("service_id", s("srv-1")), ("timeout", s("soon"))],
            "timeout",
        ),
    ];
    assert_refused_without_a_request(&emu, &host, &cases).await;
}

/// Each case is refused at validate, plan and invoke with one error on its attribute path, and
/// none reaches the API.
async fn assert_refused_without_a_request(emu: &TestEmulator, host: &Host, cases: &[Case<'_>]) {
    emu.reset_requests().await;
    for (type_name, pairs, path) in cases {
        let config = action_config(host, type_name, pairs);
        for (when, diags) in [
            ("validate", host.validate_action_config(type_name, &config)),
            ("plan", host.plan_action(type_name, &config)),
        ] {
            assert_eq!(
                errors_at(&diags),
                vec![path.to_string()],
                "{type_name} {pairs:?} at {when}: {diags}"
            );
        }
        let (_, diags) = invoke(host, type_name, &config).await;
        assert_eq!(errors_at(&diags), vec![path.to_string()], "invoke: {diags}");
    }
    assert_eq!(emu.request_total().await, 0, "bad configs reached the API");
}

#[tokio::test]
async fn plan_accepts_a_service_id_not_known_yet() {
    let (_emu, host) = render(200).await;
    let config = action_config(&host, "render_deploy", &[("service_id", Value::Unknown)]);
    let diags = host.plan_action("render_deploy", &config);
    assert!(!diags.has_errors(), "{diags}");
}

#[tokio::test]
async fn render_deploy_waits_until_live_and_reports_each_status() {
    let (emu, host) = render(1200).await;
    let id = web_service(&host).await;
    let before = deploys_of(&emu.state().await, &id).len();
    let config = action_config(
        &host,
        "render_deploy",
        &[
            ("service_id", s(&id)),
            ("commit_id", s("0123abcd")),
            ("clear_cache", Value::Bool(true)),
        ],
    );
    let (lines, diags) = invoke(&host, "render_deploy", &config).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(lines[0].contains(&id), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.ends_with(": build_in_progress")),
        "{lines:?}"
    );
    assert!(
        lines.last().is_some_and(|l| l.ends_with(": live")),
        "{lines:?}"
    );
    let deploys = deploys_of(&emu.state().await, &id);
    assert_eq!(deploys.len(), before + 1, "{deploys:?}");
    let last = deploys.last().cloned().unwrap_or_default();
    assert_eq!(last["trigger"], "api");
    assert_eq!(last["commit"]["id"], "0123abcd");
}

#[tokio::test]
async fn a_failed_render_deploy_fails_the_action_with_renders_status() {
    let (_emu, host) = render(200).await;
    let id = web_service(&host).await;
    let config = action_config(
        &host,
        "render_deploy",
        &[("service_id", s(&id)), ("commit_id", s(FAILING_COMMIT))],
    );
    let (lines, diags) = invoke(&host, "render_deploy", &config).await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "the action succeeded: {lines:?}");
    assert!(
        text.contains("build_failed") && text.contains(&id),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.ends_with(": build_failed")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn render_deploy_of_a_missing_service_names_renders_answer() {
    let (_emu, host) = render(200).await;
    let config = action_config(&host, "render_deploy", &[("service_id", s("srv-nope"))]);
    let (_, diags) = invoke(&host, "render_deploy", &config).await;
    assert!(
        diags
            .to_string()
            .contains("Failed to deploy Render service srv-nope"),
        "{diags}"
    );
}

// ---- vercel_deploy ----

/// Writes to `route` ("POST /vercel/v13/deployments") since the last reset.
async fn writes_to(emu: &TestEmulator, route: &str) -> u64 {
    let writes = emu.writes().await;
    writes.get(route).copied().unwrap_or(0)
}

const FAILING_REF: &str = "broken-build";

async fn vercel(deploy_ms: u64) -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config {
        deploy_ms,
        fail_deploys: vec![FAILING_REF.to_string()],
        ..Default::default()
    })
    .await;
    let host = host(
        "vercel",
        &[
            ("api_token", s("vercel-test-token")),
            ("team", s("team_paasform")),
            ("base_url", s(&emu.url("vercel"))),
        ],
    )
    .await;
    (emu, host)
}

/// A Vercel project linked to a GitHub repository; its id.
async fn vercel_project(host: &Host) -> String {
    let git = Value::object([
        ("type", s("github")),
        ("repo", s("acme/web")),
        ("production_branch", Value::Null),
    ]);
    let config = resource_config(
        host,
        "vercel_project",
        &[("name", s("deploy-me")), ("git_repository", git)],
    );
    let (state, _) = apply(host, "vercel_project", &Value::Null, &config).await;
    state.attr("id").as_str().expect("project id").to_string()
}

fn vercel_deployments(state: &Json) -> Vec<Json> {
    state["vercel"]["projects"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .flat_map(|p| p["deployments"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn invalid_vercel_deploy_configs_name_their_attribute_without_a_request() {
    let (emu, host) = vercel(0).await;
    let t = "vercel_deploy";
    let p = ("project_id", s("prj_1"));
    let cases: Vec<Case> = vec![
        (t, vec![p.clone()], "ref"),
        (
            t,
            vec![("project_id", s(" ")), ("ref", s("main"))],
            "project_id",
        ),
        (t, vec![p.clone(), ("ref", s(""))], "ref"),
        (
            t,
            vec![p.clone(), ("ref", s("main")), ("deployment_id", s("dpl_1"))],
            "deployment_id",
        ),
        (
            t,
            vec![p.clone(), ("deployment_id", s("build-42"))],
            "deployment_id",
        ),
        (
            t,
            vec![p.clone(), ("deployment_id", s("dpl_1")), ("sha", s("abc"))],
            "sha",
        ),
        (
            t,
            vec![p.clone(), ("ref", s("main")), ("timeout", s("soon"))],
            "timeout",
        ),
    ];
    assert_refused_without_a_request(&emu, &host, &cases).await;
    let unknown = action_config(
        &host,
        t,
        &[("project_id", Value::Unknown), ("ref", Value::Unknown)],
    );
    let diags = host.plan_action(t, &unknown);
    assert!(!diags.has_errors(), "{diags}");
}

#[tokio::test]
async fn vercel_deploy_builds_the_ref_for_production_and_reports_each_state() {
    let (emu, host) = vercel(1200).await;
    let pid = vercel_project(&host).await;
    let config = action_config(
        &host,
        "vercel_deploy",
        &[
            ("project_id", s(&pid)),
            ("ref", s("main")),
            ("sha", s("0123abcd")),
        ],
    );
    emu.reset_requests().await;
    let (lines, diags) = invoke(&host, "vercel_deploy", &config).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(
        lines[0].contains(&pid) && lines[0].contains("main"),
        "{lines:?}"
    );
    for state in ["QUEUED", "BUILDING", "READY"] {
        assert!(
            lines.iter().any(|l| l.ends_with(&format!(": {state}"))),
            "{state}: {lines:?}"
        );
    }
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("is live at https://")),
        "{lines:?}"
    );
    let state = emu.state().await;
    let all = vercel_deployments(&state);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["target"], "production");
    assert_eq!(all[0]["git_source"]["ref"], "main");
    assert_eq!(all[0]["git_source"]["sha"], "0123abcd");
    assert_eq!(all[0]["git_source"]["type"], "github");
    assert_eq!(writes_to(&emu, "POST /vercel/v13/deployments").await, 1);
}

#[tokio::test]
async fn a_failed_vercel_deployment_fails_the_action_with_vercels_reason() {
    let (_emu, host) = vercel(200).await;
    let pid = vercel_project(&host).await;
    let config = action_config(
        &host,
        "vercel_deploy",
        &[("project_id", s(&pid)), ("ref", s(FAILING_REF))],
    );
    let (lines, diags) = invoke(&host, "vercel_deploy", &config).await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "the action succeeded: {lines:?}");
    assert!(
        text.contains("Vercel deployment failed")
            && text.contains("ended ERROR")
            && text.contains("exited with 1")
            && text.contains("BUILD_UTILS_SPAWN_1"),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.ends_with(": ERROR")), "{lines:?}");
}

#[tokio::test]
async fn vercel_deploy_promotes_an_earlier_deployment_back_to_production() {
    let (emu, host) = vercel(0).await;
    let pid = vercel_project(&host).await;
    let build = |r: &str| {
        action_config(
            &host,
            "vercel_deploy",
            &[("project_id", s(&pid)), ("ref", s(r))],
        )
    };
    for r in ["v1", "v2"] {
        let (_, diags) = invoke(&host, "vercel_deploy", &build(r)).await;
        assert!(!diags.has_errors(), "{diags}");
    }
    let state = emu.state().await;
    let first = vercel_deployments(&state)[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let production = |state: &Json| {
        state["vercel"]["projects"][&pid]["settings"]["targets"]["production"]["id"].clone()
    };
    assert_ne!(production(&state), first.as_str(), "v2 is not production");
    let promote = action_config(
        &host,
        "vercel_deploy",
        &[("project_id", s(&pid)), ("deployment_id", s(&first))],
    );
    let (lines, diags) = invoke(&host, "vercel_deploy", &promote).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(production(&emu.state().await), first.as_str());
    assert!(
        lines.last().is_some_and(|l| l.ends_with("is production")),
        "{lines:?}"
    );
    assert_eq!(
        vercel_deployments(&emu.state().await).len(),
        2,
        "a promotion rebuilt"
    );
    let missing = action_config(
        &host,
        "vercel_deploy",
        &[("project_id", s(&pid)), ("deployment_id", s("dpl_nope"))],
    );
    let (_, diags) = invoke(&host, "vercel_deploy", &missing).await;
    assert!(
        diags
            .to_string()
            .contains("Failed to promote deployment dpl_nope"),
        "{diags}"
    );
}

#[tokio::test]
async fn vercel_deploy_of_a_project_without_git_says_so() {
    let (emu, host) = vercel(0).await;
    let config = resource_config(&host, "vercel_project", &[("name", s("no-git"))]);
    let (state, _) = apply(&host, "vercel_project", &Value::Null, &config).await;
    let pid = state.attr("id").as_str().unwrap_or_default().to_string();
    let config = action_config(
        &host,
        "vercel_deploy",
        &[("project_id", s(&pid)), ("ref", s("main"))],
    );
    emu.reset_requests().await;
    let (_, diags) = invoke(&host, "vercel_deploy", &config).await;
    assert!(
        diags
            .to_string()
            .contains("not connected to a Git repository"),
        "{diags}"
    );
    assert_eq!(writes_to(&emu, "POST /vercel/v13/deployments").await, 0);
}

// ---- railway_redeploy ----

async fn railway(deploy_ms: u64, fail: &[&str]) -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config {
        deploy_ms,
        fail_deploys: fail.iter().map(|f| f.to_string()).collect(),
        ..Default::default()
    })
    .await;
    let host = host(
        "railway",
        &[
            ("token", s("railway-test-token")),
            ("base_url", s(&emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    (emu, host)
}

/// A Railway service built from a repository; (service id, environment id).
async fn railway_service(host: &Host) -> (String, String) {
    let config = resource_config(host, "railway_project", &[("name", s("redeploy"))]);
    let (project, _) = apply(host, "railway_project", &Value::Null, &config).await;
    let pid = project.attr("id").as_str().expect("project id").to_string();
    let config = resource_config(
        host,
        "railway_service",
        &[
            ("project_id", s(&pid)),
            ("name", s("api")),
            ("source_repo", s("acme/api")),
        ],
    );
    let (svc, _) = apply(host, "railway_service", &Value::Null, &config).await;
    let id = |a: &str| svc.attr(a).as_str().expect(a).to_string();
    (id("id"), id("environment_id"))
}

fn railway_deployments(state: &Json, service_id: &str) -> Vec<Json> {
    state["railway"]["deployments"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter(|d| d["service_id"] == service_id)
        .cloned()
        .collect()
}

const UUID: &str = "2f0b6f7e-4c7e-4d7e-9d7e-0b6f7e4c7e4d";

#[tokio::test]
async fn invalid_railway_redeploy_configs_name_their_attribute_without_a_request() {
    let (emu, host) = railway(0, &[]).await;
    let t = "railway_redeploy";
    let (sv, en) = (("service_id", s(UUID)), ("environment_id", s(UUID)));
    let cases: Vec<Case> = vec![
        (
            t,
            vec![("service_id", s("../api")), en.clone()],
            "service_id",
        ),
        (
            t,
            vec![sv.clone(), ("environment_id", s("../prod"))],
            "environment_id",
        ),
        (
            t,
            vec![sv.clone(), en.clone(), ("commit_sha", s("main"))],
            "commit_sha",
        ),
        (
            t,
            vec![sv.clone(), en.clone(), ("timeout", s("soon"))],
            "timeout",
        ),
    ];
    assert_refused_without_a_request(&emu, &host, &cases).await;
}

#[tokio::test]
async fn railway_redeploy_waits_for_success_and_reports_each_status() {
    let (emu, host) = railway(1200, &[]).await;
    let (sid, eid) = railway_service(&host).await;
    let before = railway_deployments(&emu.state().await, &sid).len();
    let config = action_config(
        &host,
        "railway_redeploy",
        &[
            ("service_id", s(&sid)),
            ("environment_id", s(&eid)),
            ("commit_sha", s("0123abcd")),
        ],
    );
    let (lines, diags) = invoke(&host, "railway_redeploy", &config).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(
        lines[0].contains(&sid) && lines[0].contains(&eid),
        "{lines:?}"
    );
    // Polls back off, so which of the in-between statuses are seen depends on timing.
    let between = ["INITIALIZING", "BUILDING", "DEPLOYING"];
    assert!(
        lines
            .iter()
            .any(|l| between.iter().any(|b| l.ends_with(&format!(": {b}")))),
        "{lines:?}"
    );
    assert!(
        lines.last().is_some_and(|l| l.ends_with(": SUCCESS")),
        "{lines:?}"
    );
    let all = railway_deployments(&emu.state().await, &sid);
    assert_eq!(all.len(), before + 1, "{all:?}");
    assert!(all.iter().any(|d| d["commit_sha"] == "0123abcd"), "{all:?}");
}

#[tokio::test]
async fn a_failed_railway_deploy_fails_the_action_with_railways_status() {
    let (_emu, host) = railway(200, &["badc0ffee"]).await;
    let (sid, eid) = railway_service(&host).await;
    let config = action_config(
        &host,
        "railway_redeploy",
        &[
            ("service_id", s(&sid)),
            ("environment_id", s(&eid)),
            ("commit_sha", s("badc0ffee")),
        ],
    );
    let (lines, diags) = invoke(&host, "railway_redeploy", &config).await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "the action succeeded: {lines:?}");
    assert!(
        text.contains("Railway deployment failed") && text.contains("status FAILED"),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.ends_with(": FAILED")), "{lines:?}");
    let missing = action_config(
        &host,
        "railway_redeploy",
        &[("service_id", s(UUID)), ("environment_id", s(&eid))],
    );
    let (_, diags) = invoke(&host, "railway_redeploy", &missing).await;
    assert!(
        diags
            .to_string()
            .contains(&format!("Failed to deploy Railway service {UUID}")),
        "{diags}"
    );
}
