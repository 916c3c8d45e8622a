//! In-process tier for `render_project` and its data source, against the emulator in strict-spec
//! mode: create with two environments → re-plan stable → rename an environment in place (its id
//! kept in the plan), change its protection, add one → removing an environment that holds a
//! database is an error that deletes nothing → import by id → destroy (refused while a database
//! is inside, then done) → read gives null. The data source finds the project by id and by name.

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const TY: &str = "render_project";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config::default()).await
}

fn envs(items: &[(&str, &str, &str)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(key, name, status)| {
                (
                    key.to_string(),
                    Value::object([
                        ("name", Value::string(*name)),
                        ("protected_status", Value::string(*status)),
                        ("network_isolated", Value::Null),
                        ("id", Value::Null),
                    ]),
                )
            })
            .collect::<BTreeMap<_, _>>(),
    )
}

fn config(host: &Host, name: &str, e: Value) -> Value {
    resource_config(
        host,
        TY,
        &[("name", Value::string(name)), ("environments", e)],
    )
}

fn env_id(state: &Value, key: &str) -> String {
    state
        .attr("environments")
        .attr(key)
        .attr("id")
        .as_str()
        .unwrap_or_else(|| panic!("no id for {key}: {state:?}"))
        .to_string()
}

#[tokio::test]
async fn project_lifecycle_renames_in_place_and_never_cascades() {
    let (emu, host) = setup().await;
    let cfg = config(
        &host,
        "shop",
        envs(&[
            ("staging", "staging", "unprotected"),
            ("production", "production", "protected"),
        ]),
    );
    let (state, _) = apply(&host, TY, &Value::Null, &cfg).await;
    let (staging, production) = (env_id(&state, "staging"), env_id(&state, "production"));
    assert!(staging.starts_with("evm-") && production.starts_with("evm-"));
    assert_eq!(
        state
            .attr("environments")
            .attr("staging")
            .attr("network_isolated"),
        &Value::Bool(false),
        "the default is planned and stored"
    );
    let state = assert_stable(&host, TY, &state, &cfg).await;

    // Rename staging in place, protect it, add qa: existing ids stay known in the plan.
    let cfg2 = config(
        &host,
        "shop-2",
        envs(&[
            ("staging", "preview", "protected"),
            ("production", "production", "protected"),
            ("qa", "qa", "unprotected"),
        ]),
    );
    let plan = host.plan_resource_change(TY, &state, &proposed(&host, TY, &state, &cfg2), &cfg2);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    let planned_envs = plan.planned.attr("environments");
    assert_eq!(
        planned_envs.attr("staging").attr("id").as_str(),
        Some(staging.as_str())
    );
    assert!(planned_envs.attr("qa").attr("id").is_unknown());
    let (state, _) = apply(&host, TY, &state, &cfg2).await;
    assert_eq!(env_id(&state, "staging"), staging, "renamed in place");
    assert_eq!(state.attr("name").as_str(), Some("shop-2"));
    let e: serde_json::Value = reqwest::Client::new()
        .get(emu.url(&format!("render/v1/environments/{staging}")))
        .bearer_auth("rnd_test")
        .send()
        .await
        .expect("get environment")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (e["name"].as_str(), e["protectedStatus"].as_str()),
        (Some("preview"), Some("protected"))
    );
    let state = assert_stable(&host, TY, &state, &cfg2).await;

    // A database in staging: removing staging is refused before anything changes.
    let db = reqwest::Client::new()
        .post(emu.url("render/v1/postgres"))
        .bearer_auth("rnd_test")
        .json(
            &serde_json::json!({"name": "db", "ownerId": "tea-paasformemulator0001",
            "plan": "basic_1gb", "version": "16", "environmentId": staging}),
        )
        .send()
        .await
        .expect("create db")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    let db_id = db["id"].as_str().expect("db id").to_string();
    let before = emu.writes().await;
    let cfg3 = config(
        &host,
        "shop-3",
        envs(&[("production", "production", "protected")]),
    );
    let plan = host.plan_resource_change(TY, &state, &proposed(&host, TY, &state, &cfg3), &cfg3);
    let (_, diags) = host
        .apply_resource_change(TY, &state, &plan.planned, &cfg3)
        .await;
    let text = diags.to_string();
    assert!(
        diags.has_errors() && text.contains(&db_id) && text.contains("preview"),
        "{text}"
    );
    assert_eq!(
        emu.writes().await,
        before,
        "a refused removal changes nothing (not even the name)"
    );

    // Import by id: environments keyed by name.
    let (imported, diags) = host
        .import_resource_state(TY, state.attr("id").as_str().unwrap_or_default())
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let keys: Vec<&String> = imported
        .attr("environments")
        .entries()
        .expect("map")
        .keys()
        .collect();
    assert_eq!(keys, ["preview", "production", "qa"]);
    let (_, diags) = host.import_resource_state(TY, "srv-123").await;
    assert!(diags.to_string().contains("prj-"), "{diags}");

    // Data source by id and by name.
    let schema = host.data_source_schema(TY).expect("data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let id = state.attr("id").clone();
    for lookup in [("id", id.clone()), ("name", Value::string("shop-2"))] {
        let (got, diags) = host
            .read_data_source(TY, &object_of(&names, std::slice::from_ref(&lookup)))
            .await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(got.attr("id"), &id);
        assert_eq!(
            got.attr("environments").attr("preview").attr("id").as_str(),
            Some(staging.as_str())
        );
    }
    let diags = host.validate_data_source_config(TY, &object_of(&names, &[]));
    assert_eq!(errors_at(&diags), ["id"]);

    // Destroy: refused while the database is inside; done once it is gone.
    let (_, diags) = host
        .apply_resource_change(TY, &state, &Value::Null, &Value::Null)
        .await;
    assert!(
        diags.has_errors() && diags.to_string().contains(&db_id),
        "{diags}"
    );
    let r = reqwest::Client::new()
        .delete(emu.url(&format!("render/v1/postgres/{db_id}")))
        .bearer_auth("rnd_test")
        .send()
        .await
        .expect("delete db");
    assert_eq!(r.status().as_u16(), 204);
    let (gone, diags) = host
        .apply_resource_change(TY, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, diags) = host.read_resource(TY, &state).await;
    assert!(after.is_null() && !diags.has_errors(), "{diags}");
    assert!(emu.spec_checked() > 0);
}

#[tokio::test]
async fn invalid_projects_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    let before = emu.request_total().await;
    let cases = [
        (
            config(&host, "p", Value::Map(BTreeMap::new())),
            "environments",
        ),
        (
            config(
                &host,
                "p",
                envs(&[("a", "same", "unprotected"), ("b", "same", "unprotected")]),
            ),
            "environments[\"b\"].name",
        ),
        (
            config(&host, "p", envs(&[("a", "a", "locked")])),
            "environments[\"a\"].protected_status",
        ),
    ];
    for (cfg, path) in cases {
        let diags = host.validate_resource_config(TY, &cfg);
        assert_eq!(errors_at(&diags), [path], "{diags}");
    }
    assert_eq!(emu.request_total().await, before);
}
