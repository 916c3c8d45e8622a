//! In-process tier for issue 12's `render_service` arguments and in-place environment moves,
//! against the emulator in strict-spec mode: `auto_deploy_trigger` (and its pairing with
//! `auto_deploy`), `previews_generation`, `render_subdomain_policy` round-trip with an empty
//! re-plan; a service and a database whose `environment_id` changes are moved through the
//! environment resources endpoints — no replacement, no DELETE, the same ids.

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const SVC: &str = "render_service";
const DB: &str = "render_database";
const PROJECT: &str = "render_project";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config {
        render_db_ready_ms: 100,
        render_deploy_ms: 100,
        ..Default::default()
    })
    .await
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn web(host: &Host, extra: &[(&str, Value)]) -> Value {
    let mut pairs = vec![
        ("type", s("web_service")),
        ("name", s("overlord-api")),
        ("runtime", s("node")),
        ("repo", s("https://github.com/example/robot-overlord")),
        ("build_command", s("npm ci")),
        ("start_command", s("npm start")),
    ];
    pairs.extend(extra.iter().cloned());
    resource_config(host, SVC, &pairs)
}

#[tokio::test]
async fn deploy_gating_previews_and_subdomain_round_trip() {
    let (emu, host) = setup().await;
    let cfg = web(
        &host,
        &[
            ("auto_deploy_trigger", s("checksPass")),
            ("previews_generation", s("manual")),
            ("render_subdomain_policy", s("disabled")),
        ],
    );
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
    assert_eq!(state.attr("auto_deploy_trigger"), &s("checksPass"));
    assert_eq!(
        state.attr("auto_deploy"),
        &Value::Bool(true),
        "Render keeps the two in step"
    );
    assert_eq!(state.attr("previews_generation"), &s("manual"));
    assert_eq!(state.attr("render_subdomain_policy"), &s("disabled"));
    let state = assert_stable(&host, SVC, &state, &cfg).await;

    // Turning the trigger off moves `auto_deploy` (unset in the configuration) with it: planned
    // unknown, then false, and the next plan is empty.
    emu.reset_requests().await;
    let off = web(
        &host,
        &[
            ("auto_deploy_trigger", s("off")),
            ("previews_generation", s("automatic")),
            ("render_subdomain_policy", s("disabled")),
        ],
    );
    let p = host.plan_resource_change(SVC, &state, &proposed(&host, SVC, &state, &off), &off);
    assert!(!p.diags.has_errors(), "{}", p.diags);
    assert!(
        p.planned.attr("auto_deploy").is_unknown(),
        "{:?}",
        p.planned
    );
    let (state, replace) = apply(&host, SVC, &state, &off).await;
    assert!(replace.is_empty());
    assert_eq!(
        emu.writes().await.keys().cloned().collect::<Vec<_>>(),
        ["PATCH /render/v1/services/{serviceId}"],
        "one PATCH carries the trigger and the previews"
    );
    assert_eq!(state.attr("auto_deploy"), &Value::Bool(false));
    assert_eq!(state.attr("previews_generation"), &s("automatic"));
    let state = assert_stable(&host, SVC, &state, &off).await;

    // The older form alone: `auto_deploy = true` moves the unset trigger to `commit`.
    let on = web(
        &host,
        &[
            ("auto_deploy", Value::Bool(true)),
            ("previews_generation", s("automatic")),
            ("render_subdomain_policy", s("disabled")),
        ],
    );
    let (state, _) = apply(&host, SVC, &state, &on).await;
    assert_eq!(state.attr("auto_deploy_trigger"), &s("commit"));
    let state = assert_stable(&host, SVC, &state, &on).await;

    // An unrelated change keeps both (no "(known after apply)").
    let renamed = web(
        &host,
        &[
            ("auto_deploy", Value::Bool(true)),
            ("previews_generation", s("automatic")),
            ("render_subdomain_policy", s("disabled")),
            ("health_check_path", s("/healthz")),
        ],
    );
    let p = host.plan_resource_change(
        SVC,
        &state,
        &proposed(&host, SVC, &state, &renamed),
        &renamed,
    );
    assert_eq!(p.planned.attr("auto_deploy_trigger"), &s("commit"));
    assert_eq!(p.planned.attr("auto_deploy"), &Value::Bool(true));
    let (state, _) = apply(&host, SVC, &state, &renamed).await;

    let (gone, diags) = host
        .apply_resource_change(SVC, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

#[tokio::test]
async fn contradicting_auto_deploy_settings_fail_at_plan_without_requests() {
    let (emu, host) = setup().await;
    // Configuring looked the workspace up (GET /owners); count only what validation sends.
    emu.reset_requests().await;
    let cfg = web(
        &host,
        &[
            ("auto_deploy", Value::Bool(false)),
            ("auto_deploy_trigger", s("commit")),
        ],
    );
    let diags = host.validate_resource_config(SVC, &cfg);
    assert_eq!(errors_at(&diags), ["auto_deploy_trigger"], "{diags}");
    assert_eq!(emu.request_total().await, 0);
}

fn env_id(project: &Value, key: &str) -> String {
    project
        .attr("environments")
        .attr(key)
        .attr("id")
        .as_str()
        .unwrap_or_else(|| panic!("no id for {key}: {project:?}"))
        .to_string()
}

#[tokio::test]
async fn environment_moves_are_in_place_and_never_delete() {
    let (emu, host) = setup().await;
    let env = |name: &str| {
        Value::object([
            ("name", s(name)),
            ("protected_status", s("unprotected")),
            ("network_isolated", Value::Null),
            ("id", Value::Null),
        ])
    };
    let project_cfg = resource_config(
        &host,
        PROJECT,
        &[
            ("name", s("robot-overlord")),
            (
                "environments",
                Value::Map(BTreeMap::from([
                    ("staging".to_string(), env("staging")),
                    ("production".to_string(), env("production")),
                ])),
            ),
        ],
    );
    let (project, _) = apply(&host, PROJECT, &Value::Null, &project_cfg).await;
    let (staging, production) = (env_id(&project, "staging"), env_id(&project, "production"));

    // A service created outside any environment, then placed, then moved.
    let svc_cfg = |env: Option<&str>| {
        let extra: Vec<(&str, Value)> = env
            .map(|e| vec![("environment_id", s(e))])
            .unwrap_or_default();
        web(&host, &extra)
    };
    let db_cfg = |env: &str| {
        resource_config(
            &host,
            DB,
            &[
                ("name", s("overlord-db")),
                ("plan", s("basic_256mb")),
                ("environment_id", s(env)),
            ],
        )
    };
    let (svc, _) = apply(&host, SVC, &Value::Null, &svc_cfg(None)).await;
    let (db, _) = apply(&host, DB, &Value::Null, &db_cfg(&staging)).await;
    let (svc_id, db_id) = (svc.attr("id").clone(), db.attr("id").clone());

    emu.reset_requests().await;
    let mut states = Vec::new();
    for (ty, prior, cfg) in [
        (SVC, &svc, svc_cfg(Some(&staging))),
        (SVC, &svc, svc_cfg(Some(&production))),
        (DB, &db, db_cfg(&production)),
    ] {
        // Each move starts from the state the previous apply left (the service moves twice).
        let prior = if ty == SVC && !states.is_empty() {
            states.pop().unwrap_or_else(|| prior.clone())
        } else {
            prior.clone()
        };
        let p = host.plan_resource_change(ty, &prior, &proposed(&host, ty, &prior, &cfg), &cfg);
        assert!(!p.diags.has_errors(), "{}", p.diags);
        assert!(
            p.requires_replace.is_empty(),
            "{ty}: {:?}",
            p.requires_replace
        );
        let (next, _) = apply(&host, ty, &prior, &cfg).await;
        let next = assert_stable(&host, ty, &next, &cfg).await;
        states.push(next);
    }
    let (db_after, svc_after) = (states.pop().expect("db"), states.pop().expect("svc"));
    assert_eq!(svc_after.attr("id"), &svc_id, "the service keeps its id");
    assert_eq!(db_after.attr("id"), &db_id, "the database keeps its id");
    assert_eq!(svc_after.attr("environment_id"), &s(&production));
    assert_eq!(db_after.attr("environment_id"), &s(&production));
    let w = emu.writes().await;
    assert_eq!(
        w,
        BTreeMap::from([(
            "POST /render/v1/environments/{environmentId}/resources".to_string(),
            3
        )]),
        "moves only: no DELETE, no create, no PATCH"
    );
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());

    for (ty, state) in [(SVC, &svc_after), (DB, &db_after)] {
        let (gone, diags) = host
            .apply_resource_change(ty, state, &Value::Null, &Value::Null)
            .await;
        assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    }
}
