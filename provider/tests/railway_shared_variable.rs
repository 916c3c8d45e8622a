//! In-process tier for `railway_shared_variable` against the emulator, no Terraform: a plain and
//! a write-only shared variable → stable re-plan → value change and version bump (sent again) →
//! a variable someone else set is refused, not taken over → import → delete → read gone, and the
//! write-only value never in plan or state.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const T: &str = "railway_shared_variable";

async fn setup() -> (TestEmulator, Host, String, String) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", Value::string("railway-test-token")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    let pcfg = resource_config(
        &host,
        "railway_project",
        &[("name", Value::string("shared-vars"))],
    );
    let (project, _) = apply(&host, "railway_project", &Value::Null, &pcfg).await;
    let pid = project.attr("id").as_str().expect("id").to_string();
    let env = project
        .attr("default_environment_id")
        .as_str()
        .expect("env")
        .to_string();
    (emu, host, pid, env)
}

fn config(host: &Host, pid: &str, env: &str, name: &str, extra: &[(&str, Value)]) -> Value {
    let mut pairs = vec![
        ("project_id", Value::string(pid)),
        ("environment_id", Value::string(env)),
        ("name", Value::string(name)),
    ];
    pairs.extend(extra.iter().cloned());
    resource_config(host, T, &pairs)
}

async fn shared(emu: &TestEmulator, env: &str) -> serde_json::Value {
    emu.state().await["railway"]["variables"][format!("{env}/shared")].clone()
}

#[tokio::test]
async fn shared_variables_lifecycle_with_a_write_only_value() {
    let (emu, host, pid, env) = setup().await;

    // A plain one: the value is in state (sensitive) and drift is seen.
    let plain = config(
        &host,
        &pid,
        &env,
        "LOG_LEVEL",
        &[("value", Value::string("info"))],
    );
    let (state, _) = apply(&host, T, &Value::Null, &plain).await;
    let state = assert_stable(&host, T, &state, &plain).await;
    assert_eq!(state.attr("id"), &Value::string("LOG_LEVEL"));
    let plain2 = config(
        &host,
        &pid,
        &env,
        "LOG_LEVEL",
        &[("value", Value::string("debug"))],
    );
    let (state, replace) = apply(&host, T, &state, &plain2).await;
    assert!(replace.is_empty(), "a value change is in place");
    let plain_state = assert_stable(&host, T, &state, &plain2).await;
    assert_eq!(shared(&emu, &env).await["LOG_LEVEL"], "debug");

    // A write-only one: sent at create, never in state; a version bump sends it again.
    let wo = |secret: &str, version: i64| {
        config(
            &host,
            &pid,
            &env,
            "OPENAI_API_KEY",
            &[
                ("value_wo", Value::string(secret)),
                ("value_wo_version", Value::int(version)),
            ],
        )
    };
    emu.reset_requests().await;
    let (state, _) = apply(&host, T, &Value::Null, &wo("sk-wo-first-1111", 1)).await;
    assert_eq!(
        emu.request_total().await,
        2,
        "create = one look for an existing variable + one upsert"
    );
    assert!(
        !format!("{state:?}").contains("sk-wo-first-1111"),
        "{state:?}"
    );
    assert_eq!(state.attr("value"), &Value::Null);
    let state = assert_stable(&host, T, &state, &wo("sk-wo-first-1111", 1)).await;
    assert_eq!(
        shared(&emu, &env).await["OPENAI_API_KEY"],
        "sk-wo-first-1111"
    );
    // A new secret alone is invisible to the plan (write-only); the version bump sends it.
    let plan = host.plan_resource_change(
        T,
        &state,
        &proposed(&host, T, &state, &wo("sk-wo-second-2222", 1)),
        &wo("sk-wo-second-2222", 1),
    );
    assert_eq!(plan.planned, state, "same version: no change");
    let (state, replace) = apply(&host, T, &state, &wo("sk-wo-second-2222", 2)).await;
    assert!(replace.is_empty());
    assert!(!format!("{state:?}").contains("sk-wo-second-2222"));
    assert_eq!(
        shared(&emu, &env).await["OPENAI_API_KEY"],
        "sk-wo-second-2222"
    );
    let wo_state = assert_stable(&host, T, &state, &wo("sk-wo-second-2222", 2)).await;

    // The same name again is refused (never silently taken over), and nothing changes.
    let taken = config(
        &host,
        &pid,
        &env,
        "LOG_LEVEL",
        &[("value", Value::string("trace"))],
    );
    let plan = host.plan_resource_change(T, &Value::Null, &taken, &taken);
    let (_, diags) = host
        .apply_resource_change(T, &Value::Null, &plan.planned, &taken)
        .await;
    assert!(diags.to_string().contains("already exists"), "{diags}");
    assert_eq!(shared(&emu, &env).await["LOG_LEVEL"], "debug");

    // Import by project/environment/name: the plain one plans no change.
    let (imported, diags) = host
        .import_resource_state(T, &format!("{pid}/{env}/LOG_LEVEL"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource(T, &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported, plain_state, "import reads what apply stored");

    // Delete both; reads then say gone, and deleting again succeeds.
    for state in [&plain_state, &wo_state] {
        let (gone, diags) = host
            .apply_resource_change(T, state, &Value::Null, &Value::Null)
            .await;
        assert!(gone.is_null() && !diags.has_errors(), "{diags}");
        let (after, diags) = host.read_resource(T, state).await;
        assert!(after.is_null() && !diags.has_errors(), "{diags}");
        let (_, diags) = host
            .apply_resource_change(T, state, &Value::Null, &Value::Null)
            .await;
        assert!(!diags.has_errors(), "already gone is success: {diags}");
    }
    let left = shared(&emu, &env).await;
    assert!(left.as_object().is_none_or(|m| m.is_empty()), "{left}");
}
