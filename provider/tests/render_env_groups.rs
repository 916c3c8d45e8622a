//! In-process tier for `render_env_group`, `render_env_group_link` and the `render_env_group`
//! data source against the emulator in strict-spec mode: create with a value, a generated value,
//! a write-only value and a secret file → re-plan stable (the generated value is kept) → update
//! writes only the changed keys and moves the group into an environment in place → the link
//! follows its set → import → the data source by id and by name → destroy leaves nothing.

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const GROUP: &str = "render_env_group";
const LINK: &str = "render_env_group_link";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config::default()).await
}

fn vars(items: &[(&str, Option<&str>)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| {
                let e = match v {
                    Some(v) => Value::object([
                        ("value", Value::string(*v)),
                        ("generate_value", Value::Null),
                    ]),
                    None => Value::object([
                        ("value", Value::Null),
                        ("generate_value", Value::Bool(true)),
                    ]),
                };
                (k.to_string(), e)
            })
            .collect::<BTreeMap<_, _>>(),
    )
}

fn smap(items: &[(&str, &str)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| (k.to_string(), Value::string(*v)))
            .collect(),
    )
}

async fn service(host: &Host, name: &str) -> Value {
    let cfg = resource_config(
        host,
        "render_service",
        &[
            ("type", Value::string("background_worker")),
            ("name", Value::string(name)),
            ("runtime", Value::string("python")),
            ("repo", Value::string("https://github.com/acme/kirby")),
            ("plan", Value::string("starter")),
            ("build_command", Value::string("pip install .")),
            ("start_command", Value::string("python worker.py")),
        ],
    );
    apply(host, "render_service", &Value::Null, &cfg).await.0
}

#[tokio::test]
async fn env_group_and_link_lifecycle() {
    let (emu, host) = setup().await;
    let cfg = |a: &str, env: Value| {
        resource_config(
            &host,
            GROUP,
            &[
                ("name", Value::string("shared")),
                ("environment_id", env),
                ("env_vars", vars(&[("A", Some(a)), ("SECRET", None)])),
                ("env_vars_wo", smap(&[("TOKEN", "t0ps3cret")])),
                ("env_vars_wo_version", Value::int(1)),
                ("secret_files", smap(&[(".npmrc", "registry=x")])),
            ],
        )
    };
    let (state, _) = apply(&host, GROUP, &Value::Null, &cfg("1", Value::Null)).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    let generated = state.attr("env_vars").attr("SECRET").attr("value").clone();
    assert_eq!(generated.as_str().map(str::len), Some(32), "{state:?}");
    assert!(
        state.attr("env_vars_wo").is_null(),
        "write-only never in state"
    );
    assert!(!format!("{state:?}").contains("t0ps3cret"));
    let state = assert_stable(&host, GROUP, &state, &cfg("1", Value::Null)).await;

    // A project environment to move into; only A and the placement are written.
    let (project, _) = apply(
        &host,
        "render_project",
        &Value::Null,
        &resource_config(
            &host,
            "render_project",
            &[
                ("name", Value::string("kirby")),
                (
                    "environments",
                    Value::Map(
                        [(
                            "prod".to_string(),
                            Value::object([
                                ("name", Value::string("prod")),
                                ("protected_status", Value::Null),
                                ("network_isolated", Value::Null),
                                ("id", Value::Null),
                            ]),
                        )]
                        .into(),
                    ),
                ),
            ],
        ),
    )
    .await;
    let env_id = project.attr("environments").attr("prod").attr("id").clone();
    let before = emu.writes().await;
    let cfg2 = cfg("2", env_id.clone());
    let plan =
        host.plan_resource_change(GROUP, &state, &proposed(&host, GROUP, &state, &cfg2), &cfg2);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    assert_eq!(
        plan.planned.attr("env_vars").attr("SECRET").attr("value"),
        &generated
    );
    let (state, _) = apply(&host, GROUP, &state, &cfg2).await;
    let after = emu.writes().await;
    let delta: BTreeMap<&String, u64> = after
        .iter()
        .map(|(k, v)| (k, v - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        delta.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        [
            "POST /render/v1/environments/{environmentId}/resources",
            "PUT /render/v1/env-groups/{envGroupId}/env-vars/{envVarKey}",
        ],
        "{delta:?}"
    );
    assert_eq!(state.attr("environment_id"), &env_id);
    assert_eq!(
        state.attr("env_vars").attr("SECRET").attr("value"),
        &generated
    );
    let state = assert_stable(&host, GROUP, &state, &cfg2).await;

    // Link two services, then one.
    let (a, b) = (
        service(&host, "kirby-api").await,
        service(&host, "kirby-worker").await,
    );
    let ids = |items: &[&Value]| Value::set(items.iter().map(|s| s.attr("id").clone()).collect());
    let link_cfg = |items: &[&Value]| {
        resource_config(
            &host,
            LINK,
            &[
                ("env_group_id", Value::string(&id)),
                ("service_ids", ids(items)),
            ],
        )
    };
    let (link, _) = apply(&host, LINK, &Value::Null, &link_cfg(&[&a, &b])).await;
    let link = assert_stable(&host, LINK, &link, &link_cfg(&[&a, &b])).await;
    let (link, _) = apply(&host, LINK, &link, &link_cfg(&[&a])).await;
    let link = assert_stable(&host, LINK, &link, &link_cfg(&[&a])).await;

    // Data source by id and by name; import by id.
    let schema = host.data_source_schema(GROUP).expect("data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|x| x.name.clone())
        .collect();
    for lookup in [
        ("id", Value::string(&id)),
        ("name", Value::string("shared")),
    ] {
        let (got, diags) = host
            .read_data_source(GROUP, &object_of(&names, std::slice::from_ref(&lookup)))
            .await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(got.attr("env_vars").attr("A").as_str(), Some("2"));
        assert_eq!(
            got.attr("env_vars").attr("TOKEN").as_str(),
            Some("t0ps3cret")
        );
        assert_eq!(got.attr("service_ids"), &ids(&[&a]));
    }
    let (imported, diags) = host.import_resource_state(GROUP, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    let keys: Vec<&String> = imported
        .attr("env_vars")
        .entries()
        .expect("map")
        .keys()
        .collect();
    assert_eq!(keys, ["A", "SECRET", "TOKEN"], "an import reads every key");
    let (imported, diags) = host.import_resource_state(LINK, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported.attr("service_ids"), &ids(&[&a]));

    // Destroy all: link, group, services, project; nothing left.
    for (ty, st) in [
        (LINK, &link),
        (GROUP, &state),
        ("render_service", &a),
        ("render_service", &b),
        ("render_project", &project),
    ] {
        let (gone, diags) = host
            .apply_resource_change(ty, st, &Value::Null, &Value::Null)
            .await;
        assert!(gone.is_null() && !diags.has_errors(), "{ty}: {diags}");
    }
    let (after, diags) = host.read_resource(GROUP, &state).await;
    assert!(after.is_null() && !diags.has_errors(), "{diags}");
}

#[tokio::test]
async fn render_owner_by_name_and_by_email() {
    let (_emu, host) = setup().await;
    let schema = host
        .data_source_schema("render_owner")
        .expect("data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|x| x.name.clone())
        .collect();
    for lookup in [
        ("name", Value::string("Emulated Workspace")),
        ("email", Value::string("owner@example.com")),
    ] {
        let (got, diags) = host
            .read_data_source(
                "render_owner",
                &object_of(&names, std::slice::from_ref(&lookup)),
            )
            .await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(got.attr("id").as_str(), Some("tea-paasformemulator0001"));
        assert_eq!(got.attr("type").as_str(), Some("team"));
    }
    let (_, diags) = host
        .read_data_source(
            "render_owner",
            &object_of(&names, &[("name", Value::string("nobody"))]),
        )
        .await;
    assert!(diags.to_string().contains("nobody"), "{diags}");
}
