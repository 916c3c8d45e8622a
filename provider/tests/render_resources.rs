//! In-process tier for render_service and render_database: the resources against the emulator
//! (no Terraform). Every service type and both engines: create → read → re-plan stable → update
//! (only the changed endpoints are called) → import → delete → read gives null; invalid configs
//! fail validation with one diagnostic on the right path and no request.

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;
use serde_json::Value as Json;

const SVC: &str = "render_service";
const DB: &str = "render_database";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config {
        render_db_ready_ms: 200,
        render_deploy_ms: 200,
        ..Default::default()
    })
    .await
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn env(pairs: &[(&str, Option<&str>)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| {
                let entry = match v {
                    Some(v) => Value::object([("value", s(v)), ("generate_value", Value::Null)]),
                    None => Value::object([
                        ("value", Value::Null),
                        ("generate_value", Value::Bool(true)),
                    ]),
                };
                (k.to_string(), entry)
            })
            .collect(),
    )
}

fn smap(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), s(v)))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn strset(items: &[&str]) -> Value {
    Value::set(items.iter().map(|i| s(i)).collect())
}

fn plan(
    host: &Host,
    ty: &str,
    prior: &Value,
    cfg: &Value,
) -> paasform::framework::plan::PlanOutcome {
    host.plan_resource_change(ty, prior, &proposed(host, ty, prior, cfg), cfg)
}

/// Delete, then read gives null and a second delete is still a success.
async fn delete_and_confirm(host: &Host, ty: &str, state: &Value) {
    let (gone, diags) = host
        .apply_resource_change(ty, state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, diags) = host.read_resource(ty, state).await;
    assert!(
        after.is_null() && !diags.has_errors(),
        "read after delete: {diags}"
    );
    let (_, diags) = host
        .apply_resource_change(ty, state, &Value::Null, &Value::Null)
        .await;
    assert!(
        !diags.has_errors(),
        "deleting what is gone succeeds: {diags}"
    );
}

fn web_config(
    host: &Host,
    start: &str,
    envs: Value,
    domains: &[&str],
    disk_gb: i64,
    autoscaling: bool,
) -> Value {
    let mut pairs = vec![
        ("type", s("web_service")),
        ("name", s("kirby-gen-api")),
        ("runtime", s("node")),
        ("repo", s("https://github.com/example/kirby-gen")),
        (
            "build_command",
            s("cd packages/api && npm install && npm run build"),
        ),
        ("start_command", s(start)),
        ("health_check_path", s("/api/health")),
        ("env_vars", envs),
        (
            "secret_files",
            smap(&[(".npmrc", "//registry.npmjs.org/:_authToken=x")]),
        ),
        ("custom_domains", strset(domains)),
        (
            "disk",
            Value::object([
                ("name", s("data")),
                ("mount_path", s("/var/data")),
                ("size_gb", Value::int(disk_gb)),
            ]),
        ),
        ("wait_for_deploy", Value::Bool(true)),
    ];
    if autoscaling {
        pairs.push((
            "autoscaling",
            Value::object([
                ("enabled", Value::Bool(true)),
                ("min", Value::int(1)),
                ("max", Value::int(3)),
                ("cpu_percent", Value::int(70)),
                ("memory_percent", Value::Null),
            ]),
        ));
    }
    resource_config(host, SVC, &pairs)
}

#[tokio::test]
async fn web_service_lifecycle_touches_only_what_changed() {
    let (emu, host) = setup().await;
    let envs = env(&[("NODE_ENV", Some("production")), ("JWT_SECRET", None)]);
    let cfg = web_config(
        &host,
        "npm start",
        envs.clone(),
        &["api.example.com"],
        10,
        true,
    );
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert!(id.starts_with("srv-"));
    assert_eq!(state.attr("host"), &s("kirby-gen-api.onrender.com"));
    assert_eq!(state.attr("url"), &s("https://kirby-gen-api.onrender.com"));
    let generated = state
        .attr("env_vars")
        .attr("JWT_SECRET")
        .attr("value")
        .as_str()
        .expect("generated value in state")
        .to_string();
    assert!(!generated.is_empty());
    assert_eq!(
        state.attr("custom_domain_status").attr("api.example.com"),
        &s("unverified")
    );
    assert_eq!(
        state.attr("autoscaling").attr("cpu_percent"),
        &Value::int(70)
    );
    let state = assert_stable(&host, SVC, &state, &cfg).await;
    assert_eq!(
        state.attr("env_vars").attr("JWT_SECRET").attr("value"),
        &s(&generated),
        "generated value survives refresh"
    );

    // Only an env var changes: one PUT of the set, no PATCH, the generated secret is kept.
    emu.reset_requests().await;
    let envs2 = env(&[("NODE_ENV", Some("staging")), ("JWT_SECRET", None)]);
    let cfg2 = web_config(&host, "npm start", envs2, &["api.example.com"], 10, true);
    let (state2, replace) = apply(&host, SVC, &state, &cfg2).await;
    assert!(replace.is_empty());
    let w = emu.writes().await;
    assert_eq!(
        w.keys().cloned().collect::<Vec<_>>(),
        vec!["PUT /render/v1/services/{serviceId}/env-vars".to_string()],
        "{w:?}"
    );
    assert_eq!(
        state2.attr("env_vars").attr("JWT_SECRET").attr("value"),
        &s(&generated)
    );
    let state2 = assert_stable(&host, SVC, &state2, &cfg2).await;

    // Service fields, domains, disk and autoscaling change: PATCH, domain add/remove, disk, autoscaling DELETE.
    emu.reset_requests().await;
    let cfg3 = web_config(
        &host,
        "node server.js",
        env(&[("NODE_ENV", Some("staging")), ("JWT_SECRET", None)]),
        &["www.example.com"],
        20,
        false,
    );
    let (state3, _) = apply(&host, SVC, &state2, &cfg3).await;
    let w = emu.writes().await;
    for route in [
        "PATCH /render/v1/services/{serviceId}",
        "POST /render/v1/services/{serviceId}/custom-domains",
        "DELETE /render/v1/services/{serviceId}/custom-domains/{customDomainIdOrName}",
        "PATCH /render/v1/disks/{diskId}",
        "DELETE /render/v1/services/{serviceId}/autoscaling",
    ] {
        assert_eq!(w.get(route), Some(&1), "{route} in {w:?}");
    }
    assert!(
        !w.contains_key("PUT /render/v1/services/{serviceId}/env-vars"),
        "env vars unchanged: {w:?}"
    );
    let all = emu.get("/_emulator/requests").await;
    for unchanged in [
        "GET /render/v1/services/{serviceId}/env-vars",
        "GET /render/v1/services/{serviceId}/secret-files",
    ] {
        assert!(
            all.get(unchanged).is_none(),
            "no read-back of an unchanged sub-object ({unchanged}): {all}"
        );
    }
    assert_eq!(state3.attr("start_command"), &s("node server.js"));
    assert_eq!(state3.attr("disk").attr("size_gb"), &Value::int(20));
    assert!(state3.attr("autoscaling").is_null());
    let state3 = assert_stable(&host, SVC, &state3, &cfg3).await;

    // Import: no replacement; the only difference is `generate_value`, which the API cannot report.
    let (imported, diags) = host.import_resource_state(SVC, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    let p = plan(&host, SVC, &imported, &cfg3);
    assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
    let mut expected = imported.clone();
    let mut envs = imported.attr("env_vars").clone();
    if let Some(m) = envs.entries_mut() {
        if let Some(e) = m.get_mut("JWT_SECRET") {
            e.set_attr("generate_value", Value::Bool(true));
        }
    }
    expected.set_attr("env_vars", envs);
    expected.set_attr("wait_for_deploy", Value::Bool(true));
    assert_eq!(p.planned, expected);

    delete_and_confirm(&host, SVC, &state3).await;
}

#[tokio::test]
async fn every_service_type_round_trips() {
    let (emu, host) = setup().await;
    let docker = Value::object([
        ("dockerfile_path", s("./Dockerfile")),
        ("context", Value::Null),
        ("command", Value::Null),
        ("registry_credential_id", Value::Null),
    ]);
    let image = Value::object([
        ("url", s("docker.io/library/redis:8")),
        ("registry_credential_id", Value::Null),
    ]);
    type Case<'a> = (&'a str, Vec<(&'a str, Value)>, (&'a str, Value));
    let cases: Vec<Case> = vec![
        (
            "static_site",
            vec![
                ("name", s("kirby-gen-web")),
                ("repo", s("https://github.com/example/kirby-gen")),
                ("build_command", s("npm run build")),
                ("publish_path", s("packages/web/dist")),
                (
                    "env_vars",
                    env(&[("VITE_API_URL", Some("https://kirby-gen-api.onrender.com"))]),
                ),
            ],
            ("publish_path", s("dist")),
        ),
        (
            "private_service",
            vec![
                ("name", s("kirby-gen-skills")),
                ("runtime", s("python")),
                ("repo", s("https://github.com/example/kirby-gen")),
                ("build_command", s("pip install -r requirements.txt")),
                ("start_command", s("uvicorn src.main:app")),
            ],
            ("start_command", s("uvicorn src.main:app --port 10000")),
        ),
        (
            "background_worker",
            vec![
                ("name", s("arq-worker")),
                ("runtime", s("docker")),
                ("repo", s("https://github.com/example/robot")),
                ("docker", docker.clone()),
                ("num_instances", Value::int(1)),
            ],
            ("num_instances", Value::int(2)),
        ),
        (
            "private_service",
            vec![
                ("name", s("redis")),
                ("runtime", s("image")),
                ("image", image),
                (
                    "disk",
                    Value::object([
                        ("name", s("redis-data")),
                        ("mount_path", s("/data")),
                        ("size_gb", Value::int(5)),
                    ]),
                ),
            ],
            ("plan", s("standard")),
        ),
        (
            "cron_job",
            vec![
                ("name", s("nightly")),
                ("runtime", s("node")),
                ("repo", s("https://github.com/example/kirby-gen")),
                ("build_command", s("npm ci")),
                ("start_command", s("node cron.js")),
                ("schedule", s("0 3 * * *")),
            ],
            ("schedule", s("30 4 * * 1-5")),
        ),
    ];
    for (ty, pairs, (attr, new_value)) in cases {
        let mut pairs = pairs;
        pairs.push(("type", s(ty)));
        let cfg = resource_config(&host, SVC, &pairs);
        let diags = host.validate_resource_config(SVC, &cfg);
        assert!(!diags.has_errors(), "{ty}: {diags}");
        let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
        let id = state.attr("id").as_str().expect("id").to_string();
        let state = assert_stable(&host, SVC, &state, &cfg).await;

        let mut updated = pairs.clone();
        updated.retain(|(k, _)| *k != attr);
        updated.push((attr, new_value.clone()));
        let cfg2 = resource_config(&host, SVC, &updated);
        emu.reset_requests().await;
        let (state2, replace) = apply(&host, SVC, &state, &cfg2).await;
        assert!(replace.is_empty(), "{ty}: {attr} updates in place");
        assert!(
            !emu.writes().await.is_empty(),
            "{ty}: the update called the API"
        );
        assert_eq!(state2.attr(attr), &new_value, "{ty}");
        let state2 = assert_stable(&host, SVC, &state2, &cfg2).await;

        let (imported, diags) = host.import_resource_state(SVC, &id).await;
        assert!(!diags.has_errors(), "{ty}: {diags}");
        let p = plan(&host, SVC, &imported, &cfg2);
        assert!(
            p.requires_replace.is_empty(),
            "{ty}: {:?}",
            p.requires_replace
        );
        let mut expected = imported.clone();
        expected.set_attr("wait_for_deploy", Value::Bool(false));
        assert_eq!(p.planned, expected, "{ty}: import then plan shows no diff");

        delete_and_confirm(&host, SVC, &state2).await;
    }
    assert_eq!(
        emu.state().await["render"]["services"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn type_and_region_changes_replace_and_noop_plans_call_nothing() {
    let (emu, host) = setup().await;
    let base = [
        ("name", s("svc")),
        ("runtime", s("node")),
        ("build_command", s("b")),
        ("start_command", s("c")),
    ];
    let cfg = resource_config(
        &host,
        SVC,
        &[
            &base[..],
            &[("type", s("web_service")), ("region", s("oregon"))],
        ]
        .concat(),
    );
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
    for (attr, v) in [("type", s("private_service")), ("region", s("frankfurt"))] {
        let mut pairs = vec![("type", s("web_service")), ("region", s("oregon"))];
        pairs.retain(|(k, _)| *k != attr);
        pairs.push((attr, v));
        let cfg2 = resource_config(&host, SVC, &[&base[..], &pairs[..]].concat());
        let p = plan(&host, SVC, &state, &cfg2);
        assert_eq!(
            p.requires_replace
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>(),
            vec![attr.to_string()]
        );
    }
    // Same config: the plan is the prior state, so Terraform calls nothing.
    emu.reset_requests().await;
    let p = plan(&host, SVC, &state, &cfg);
    assert_eq!(p.planned, state);
    assert!(emu.writes().await.is_empty());
}

fn pg_config(host: &Host, plan_name: &str, version: &str) -> Value {
    resource_config(
        host,
        DB,
        &[
            ("name", s("kirby-gen-db")),
            ("plan", s(plan_name)),
            ("version", s(version)),
            ("database_name", s("kirby_gen")),
            (
                "ip_allow_list",
                Value::List(vec![Value::object([
                    ("cidr_block", s("10.0.0.0/8")),
                    ("description", s("office")),
                ])]),
            ),
        ],
    )
}

#[tokio::test]
async fn postgres_waits_until_available_and_exposes_connection_info() {
    let (emu, host) = setup().await;
    let cfg = pg_config(&host, "basic_1gb", "16");
    assert!(!host.validate_resource_config(DB, &cfg).has_errors());
    let (state, _) = apply(&host, DB, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert!(id.starts_with("dpg-"), "{id}");
    assert_eq!(
        state.attr("status"),
        &s("available"),
        "create waited for the database"
    );
    assert_eq!(state.attr("engine"), &s("postgres"));
    let internal = state
        .attr("internal_connection_string")
        .as_str()
        .expect("connection string")
        .to_string();
    assert!(internal.starts_with("postgres"), "{internal}");
    assert!(state
        .attr("password")
        .as_str()
        .is_some_and(|p| !p.is_empty()));
    assert!(state.attr("host").as_str().is_some() && state.attr("port").as_i64().is_some());
    let state = assert_stable(&host, DB, &state, &cfg).await;

    // Plan change: one PATCH, in place.
    emu.reset_requests().await;
    let cfg2 = pg_config(&host, "basic_4gb", "16");
    let (state2, replace) = apply(&host, DB, &state, &cfg2).await;
    assert!(replace.is_empty());
    assert_eq!(
        emu.writes().await.keys().cloned().collect::<Vec<_>>(),
        vec!["PATCH /render/v1/postgres/{postgresId}".to_string()]
    );
    assert_eq!(state2.attr("plan"), &s("basic_4gb"));
    let state2 = assert_stable(&host, DB, &state2, &cfg2).await;

    // Downgrade replaces; database_name replaces; an upgrade is refused at plan time.
    let p = plan(&host, DB, &state2, &pg_config(&host, "basic_4gb", "15"));
    assert_eq!(
        p.requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["version"]
    );
    let p = plan(&host, DB, &state2, &pg_config(&host, "basic_4gb", "17"));
    assert_eq!(errors_at(&p.diags), vec!["version".to_string()]);

    let (imported, diags) = host.import_resource_state(DB, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    let p = plan(&host, DB, &imported, &cfg2);
    assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
    assert_eq!(p.planned, imported, "import then plan shows no diff");

    delete_and_confirm(&host, DB, &state2).await;
}

#[tokio::test]
async fn key_value_round_trips() {
    let (emu, host) = setup().await;
    let kv = |policy: &str| {
        resource_config(
            &host,
            DB,
            &[
                ("engine", s("key_value")),
                ("name", s("kirby-gen-redis")),
                ("plan", s("starter")),
                ("maxmemory_policy", s(policy)),
            ],
        )
    };
    let cfg = kv("allkeys_lru");
    let (state, _) = apply(&host, DB, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert!(id.starts_with("red-"), "{id}");
    assert_eq!(state.attr("status"), &s("available"));
    assert!(state
        .attr("internal_connection_string")
        .as_str()
        .is_some_and(|c| c.starts_with("redis")));
    let state = assert_stable(&host, DB, &state, &cfg).await;

    let cfg2 = kv("noeviction");
    let (state2, replace) = apply(&host, DB, &state, &cfg2).await;
    assert!(replace.is_empty());
    assert_eq!(state2.attr("maxmemory_policy"), &s("noeviction"));
    let state2 = assert_stable(&host, DB, &state2, &cfg2).await;

    let p = plan(
        &host,
        DB,
        &state2,
        &resource_config(
            &host,
            DB,
            &[
                ("engine", s("postgres")),
                ("name", s("kirby-gen-redis")),
                ("plan", s("starter")),
            ],
        ),
    );
    assert!(
        p.requires_replace.iter().any(|p| p.to_string() == "engine"),
        "engine change replaces"
    );

    let (imported, diags) = host.import_resource_state(DB, &id).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported.attr("engine"), &s("key_value"));
    let p = plan(&host, DB, &imported, &cfg2);
    assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
    assert_eq!(p.planned, imported);

    delete_and_confirm(&host, DB, &state2).await;
    let st: Json = emu.state().await;
    assert_eq!(
        st["render"]["key_values"].as_array().map(Vec::len),
        Some(0),
        "{}",
        st["render"]
    );
}

#[tokio::test]
async fn invalid_configs_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    emu.reset_requests().await;
    let web = |extra: Vec<(&'static str, Value)>| {
        let mut pairs = vec![
            ("type", s("web_service")),
            ("name", s("api")),
            ("runtime", s("node")),
            ("build_command", s("npm ci")),
            ("start_command", s("npm start")),
        ];
        pairs.extend(extra);
        resource_config(&host, SVC, &pairs)
    };
    let cases: Vec<(&str, Value)> = vec![
        ("schedule", web(vec![("schedule", s("0 * * * *"))])),
        (
            "disk",
            resource_config(
                &host,
                SVC,
                &[
                    ("type", s("static_site")),
                    ("name", s("site")),
                    (
                        "disk",
                        Value::object([
                            ("name", s("d")),
                            ("mount_path", s("/d")),
                            ("size_gb", Value::Null),
                        ]),
                    ),
                ],
            ),
        ),
        (
            "schedule",
            resource_config(
                &host,
                SVC,
                &[
                    ("type", s("cron_job")),
                    ("name", s("c")),
                    ("runtime", s("node")),
                    ("build_command", s("npm ci")),
                    ("start_command", s("node job.js")),
                    ("schedule", s("0 25 * * *")),
                ],
            ),
        ),
        (
            "env_vars[\"1BAD\"]",
            web(vec![("env_vars", env(&[("1BAD", Some("x"))]))]),
        ),
        (
            "env_vars[\"BOTH\"].generate_value",
            web(vec![(
                "env_vars",
                Value::Map(
                    [(
                        "BOTH".to_string(),
                        Value::object([("value", s("x")), ("generate_value", Value::Bool(true))]),
                    )]
                    .into(),
                ),
            )]),
        ),
        (
            "docker",
            web(vec![(
                "docker",
                Value::object([
                    ("dockerfile_path", s("./Dockerfile")),
                    ("context", Value::Null),
                    ("command", Value::Null),
                    ("registry_credential_id", Value::Null),
                ]),
            )]),
        ),
        (
            "runtime",
            resource_config(
                &host,
                SVC,
                &[("type", s("background_worker")), ("name", s("w"))],
            ),
        ),
        (
            "maxmemory_policy",
            resource_config(
                &host,
                DB,
                &[
                    ("name", s("db")),
                    ("plan", s("basic_1gb")),
                    ("maxmemory_policy", s("noeviction")),
                ],
            ),
        ),
        (
            "version",
            resource_config(
                &host,
                DB,
                &[
                    ("engine", s("key_value")),
                    ("name", s("kv")),
                    ("plan", s("starter")),
                    ("version", s("16")),
                ],
            ),
        ),
    ];
    for (path, cfg) in cases {
        let ty = if cfg.attr("type").is_null() { DB } else { SVC };
        let diags = host.validate_resource_config(ty, &cfg);
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "case {path}: {diags}"
        );
    }
    // Unknown plan and region are warnings (vendors add values), not errors.
    let diags = host.validate_resource_config(
        SVC,
        &web(vec![("plan", s("mega_plus")), ("region", s("mars"))]),
    );
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.severity == paasform::framework::Severity::Warning)
            .count(),
        2,
        "{diags}"
    );
    assert_eq!(
        emu.request_total().await,
        0,
        "validation makes no HTTP request"
    );
    for bad in ["../etc", "srv_x", ""] {
        assert!(
            host.import_resource_state(SVC, bad).await.1.has_errors(),
            "{bad:?}"
        );
    }
    assert!(
        host.import_resource_state(DB, "srv-abc")
            .await
            .1
            .has_errors(),
        "a service id is not a database id"
    );
    assert_eq!(
        emu.request_total().await,
        0,
        "a malformed import id makes no HTTP request"
    );
}

/// Name → value pairs of the emulator's only service, from its `field` list (`envVars` with
/// key/value, `secretFiles` with name/content).
async fn emulator_pairs(
    emu: &TestEmulator,
    field: &str,
    name: &str,
    value: &str,
) -> BTreeMap<String, String> {
    let st: Json = emu.state().await;
    st["render"]["services"][0][field]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| {
                    Some((
                        e[name].as_str()?.to_string(),
                        e[value].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn emulator_env(emu: &TestEmulator) -> BTreeMap<String, String> {
    emulator_pairs(emu, "envVars", "key", "value").await
}

async fn emulator_files(emu: &TestEmulator) -> BTreeMap<String, String> {
    emulator_pairs(emu, "secretFiles", "name", "content").await
}

/// A node background worker with the given extra attributes (the write-only tests' base).
fn worker_config(host: &Host, extra: Vec<(&'static str, Value)>) -> Value {
    let mut pairs = vec![
        ("type", s("background_worker")),
        ("name", s("worker")),
        ("runtime", s("node")),
        ("build_command", s("npm ci")),
        ("start_command", s("node worker.js")),
    ];
    pairs.extend(extra);
    resource_config(host, SVC, &pairs)
}

#[tokio::test]
async fn write_only_env_vars_are_sent_with_every_put_and_never_stored() {
    let (emu, host) = setup().await;
    let cfg = |plain: &str, secret: &str, version: i64| {
        worker_config(
            &host,
            vec![
                ("env_vars", env(&[("MODE", Some(plain))])),
                ("env_vars_wo", smap(&[("API_KEY", secret)])),
                ("env_vars_wo_version", Value::int(version)),
            ],
        )
    };
    let c1 = cfg("a", "secret-1", 1);
    let (state, _) = apply(&host, SVC, &Value::Null, &c1).await;
    assert!(
        state.attr("env_vars_wo").is_null(),
        "write-only values never reach state"
    );
    assert!(
        state.attr("env_vars").attr("API_KEY").is_null(),
        "write-only keys are not managed by env_vars"
    );
    assert_eq!(
        emulator_env(&emu).await.get("API_KEY").map(String::as_str),
        Some("secret-1")
    );
    let state = assert_stable(&host, SVC, &state, &c1).await;

    // A plain change re-sends the write-only value (the PUT replaces the whole set).
    let c2 = cfg("b", "secret-1", 1);
    let (state, _) = apply(&host, SVC, &state, &c2).await;
    let e = emulator_env(&emu).await;
    assert_eq!(
        (
            e.get("MODE").map(String::as_str),
            e.get("API_KEY").map(String::as_str)
        ),
        (Some("b"), Some("secret-1"))
    );

    // A new write-only value alone is not a change; bumping the version sends it.
    let c3 = cfg("b", "secret-2", 1);
    let p = plan(&host, SVC, &state, &c3);
    assert_eq!(
        p.planned, state,
        "write-only values are invisible to the plan"
    );
    let c4 = cfg("b", "secret-2", 2);
    apply(&host, SVC, &state, &c4).await;
    assert_eq!(
        emulator_env(&emu).await.get("API_KEY").map(String::as_str),
        Some("secret-2")
    );
}

#[tokio::test]
async fn write_only_secret_files_are_sent_and_never_stored() {
    let (emu, host) = setup().await;
    let cfg = |stored: &str, secret: &str, version: i64| {
        worker_config(
            &host,
            vec![
                ("secret_files", smap(&[("app.toml", stored)])),
                ("secret_files_wo", smap(&[("key.pem", secret)])),
                ("secret_files_wo_version", Value::int(version)),
            ],
        )
    };
    let c1 = cfg("a = 1", "PEM-1", 1);
    let (state, _) = apply(&host, SVC, &Value::Null, &c1).await;
    assert!(
        state.attr("secret_files_wo").is_null(),
        "write-only contents never reach state"
    );
    assert!(state.attr("secret_files").attr("key.pem").is_null());
    assert_eq!(
        emulator_files(&emu)
            .await
            .get("key.pem")
            .map(String::as_str),
        Some("PEM-1")
    );
    let state = assert_stable(&host, SVC, &state, &c1).await;

    // A stored-file change re-sends the write-only file (the PUT replaces the whole set).
    let c2 = cfg("a = 2", "PEM-1", 1);
    let (state, _) = apply(&host, SVC, &state, &c2).await;
    let f = emulator_files(&emu).await;
    assert_eq!(
        (
            f.get("app.toml").map(String::as_str),
            f.get("key.pem").map(String::as_str)
        ),
        (Some("a = 2"), Some("PEM-1"))
    );

    // Only a version bump sends new write-only content.
    let c3 = cfg("a = 2", "PEM-2", 2);
    apply(&host, SVC, &state, &c3).await;
    assert_eq!(
        emulator_files(&emu)
            .await
            .get("key.pem")
            .map(String::as_str),
        Some("PEM-2")
    );

    // The same name in both is a validate-time error on the write-only entry.
    let mut both = cfg("x", "y", 1);
    both.set_attr("secret_files_wo", smap(&[("app.toml", "y")]));
    let diags = host.validate_resource_config(SVC, &both);
    assert_eq!(
        errors_at(&diags),
        vec!["secret_files_wo[\"app.toml\"]".to_string()],
        "{diags}"
    );
}
