//! Actions in process (no Terraform): a table of invalid action configurations, each refused at
//! validate and at plan with an error on the expected attribute path and zero requests; and each
//! action invoked against the emulator — a deploy that goes live (with a progress line per
//! status) and one the emulator fails (`Config::fail_deploys`), which fails the action with the
//! vendor's status. Imports only the crate's public API and the shared set-up in `common`.

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
    emu.reset_requests().await;
    for (type_name, pairs, path) in &cases {
        let config = action_config(&host, type_name, pairs);
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
        let (_, diags) = invoke(&host, type_name, &config).await;
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
