//! In-process tier for render_database's orphan rule (issue #19) and its data source: a create
//! whose answer is lost (the emulator commits, then drops the connection) adopts what it made; a
//! database left by a killed create is adopted on the re-apply; a recent namesake with other
//! settings stops the create with its id and an import command; the data source finds one
//! instance by id or by name and refuses two namesakes; invalid lookups cost no request.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;
use serde_json::{json, Value as Json};

const DB: &str = "render_database";

async fn setup(config: Config) -> (TestEmulator, Host) {
    render_setup(Config {
        render_db_ready_ms: 200,
        ..config
    })
    .await
}

fn cfg(host: &Host, plan: &str) -> Value {
    resource_config(
        host,
        DB,
        &[
            ("name", Value::string("kirby-gen-db")),
            ("plan", Value::string(plan)),
            ("region", Value::string("oregon")),
        ],
    )
}

async fn postgres_ids(emu: &TestEmulator) -> Vec<String> {
    let st: Json = emu.state().await;
    st["render"]["postgres"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// What a killed create leaves behind: a database the API made whose id never reached state.
async fn orphan(emu: &TestEmulator, plan: &str) -> String {
    let owner = reqwest::Client::new()
        .get(emu.url("render/v1/owners"))
        .bearer_auth("rnd_test")
        .send()
        .await
        .expect("owners")
        .json::<Json>()
        .await
        .expect("owners json")[0]["owner"]["id"]
        .as_str()
        .expect("owner id")
        .to_string();
    let made: Json = reqwest::Client::new()
        .post(emu.url("render/v1/postgres"))
        .bearer_auth("rnd_test")
        .json(&json!({"name": "kirby-gen-db", "ownerId": owner, "plan": plan, "region": "oregon", "version": "17"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("create json");
    made["id"].as_str().expect("id").to_string()
}

async fn create(host: &Host, config: &Value) -> (Value, paasform::framework::Diagnostics) {
    let plan = host.plan_resource_change(
        DB,
        &Value::Null,
        &proposed(host, DB, &Value::Null, config),
        config,
    );
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    host.apply_resource_change(DB, &Value::Null, &plan.planned, config)
        .await
}

#[tokio::test]
async fn a_lost_create_answer_adopts_instead_of_duplicating() {
    let (emu, host) = setup(Config {
        drop_after_commit_rate: 1.0,
        ..Default::default()
    })
    .await;
    let (state, diags) = create(&host, &cfg(&host, "basic_1gb")).await;
    assert!(!diags.has_errors(), "{diags}");
    let ids = postgres_ids(&emu).await;
    assert_eq!(ids.len(), 1, "one database, not two: {ids:?}");
    assert_eq!(state.attr("id").as_str(), Some(ids[0].as_str()));
    assert_eq!(state.attr("status").as_str(), Some("available"));
}

#[tokio::test]
async fn a_killed_create_is_adopted_on_re_apply_and_a_stranger_stops_it() {
    let (emu, host) = setup(Config::default()).await;
    let left = orphan(&emu, "basic_1gb").await;
    let (state, diags) = create(&host, &cfg(&host, "basic_1gb")).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("id").as_str(), Some(left.as_str()), "adopted");
    assert_eq!(postgres_ids(&emu).await.len(), 1);
    assert!(state.attr("password").as_str().is_some());

    // A fresh namesake with another plan is not safely ours: stop, name it, create nothing.
    let (_, diags) = create(&host, &cfg(&host, "basic_4gb")).await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "refused");
    assert!(
        text.contains(&format!(
            "render_database `kirby-gen-db` already exists as {left}, created 0 min ago"
        )) && text.contains("terraform import"),
        "{text}"
    );
    assert_eq!(postgres_ids(&emu).await.len(), 1, "nothing created");
}

fn ds(host: &Host, pairs: &[(&str, Value)]) -> Value {
    let schema = host.data_source_schema(DB).expect("data source");
    let mut v = Value::object(
        schema
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null)),
    );
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v.conform(&schema.value_type())
}

#[tokio::test]
async fn data_source_by_id_and_by_name() {
    let (emu, host) = setup(Config::default()).await;
    let (state, diags) = create(&host, &cfg(&host, "basic_1gb")).await;
    assert!(!diags.has_errors(), "{diags}");
    let id = state.attr("id").clone();
    let (by_id, diags) = host
        .read_data_source(DB, &ds(&host, &[("id", id.clone())]))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (by_name, diags) = host
        .read_data_source(DB, &ds(&host, &[("name", Value::string("kirby-gen-db"))]))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    for attr in [
        "id",
        "name",
        "engine",
        "plan",
        "region",
        "internal_connection_string",
        "password",
        "port",
    ] {
        assert_eq!(by_id.attr(attr), state.attr(attr), "{attr} by id");
        assert_eq!(by_name.attr(attr), state.attr(attr), "{attr} by name");
    }
    // Render names are not unique: a second namesake makes the name lookup ambiguous.
    orphan(&emu, "basic_4gb").await;
    let (_, diags) = host
        .read_data_source(DB, &ds(&host, &[("name", Value::string("kirby-gen-db"))]))
        .await;
    assert!(diags.to_string().contains("2 objects match"), "{diags}");
    let (_, diags) = host
        .read_data_source(DB, &ds(&host, &[("name", Value::string("nope"))]))
        .await;
    assert!(
        diags
            .to_string()
            .contains("No Render postgres database named"),
        "{diags}"
    );
}

#[tokio::test]
async fn invalid_lookups_fail_validation_without_requests() {
    let (emu, host) = setup(Config::default()).await;
    let before = emu.request_total().await;
    let cases: Vec<(Vec<(&str, Value)>, &str)> = vec![
        (vec![], "id"),
        (
            vec![("id", Value::string("dpg-a")), ("name", Value::string("x"))],
            "name",
        ),
        (vec![("id", Value::string("srv-abc"))], "id"),
        (
            vec![
                ("id", Value::string("dpg-a")),
                ("engine", Value::string("key_value")),
            ],
            "engine",
        ),
        (vec![("name", Value::string(""))], "name"),
        (
            vec![
                ("name", Value::string("x")),
                ("engine", Value::string("mysql")),
            ],
            "engine",
        ),
    ];
    for (pairs, path) in cases {
        let d = host.validate_data_source_config(DB, &ds(&host, &pairs));
        assert_eq!(errors_at(&d), vec![path.to_string()], "{pairs:?}: {d}");
    }
    assert_eq!(
        emu.request_total().await,
        before,
        "validation makes no request"
    );
}
