//! In-process tier for `railway_volume` and `railway_tcp_proxy` against the emulator, no
//! Terraform: create (request counts) → stable re-plan → in-place rename and re-mount → a second
//! volume at the same mount refused → import by `<environment_id>/<id>` reads what apply stored →
//! delete → read gone, delete again succeeds; a TCP proxy likewise, import by
//! `<environment_id>/<service_id>/<id>`, and a changed port replaces it; railway_service's target
//! ports and its generated domain's name; railway_service_instance configuring a second
//! environment.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const V: &str = "railway_volume";
const P: &str = "railway_tcp_proxy";

/// A project with one image service: (emulator, host, project id, environment id, service id).
async fn setup() -> (TestEmulator, Host, String, String, String) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", Value::string("railway-test-token")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    let pcfg = resource_config(&host, "railway_project", &[("name", Value::string("vols"))]);
    let (project, _) = apply(&host, "railway_project", &Value::Null, &pcfg).await;
    let pid = project.attr("id").as_str().expect("id").to_string();
    let env = project
        .attr("default_environment_id")
        .as_str()
        .expect("env")
        .to_string();
    let scfg = resource_config(
        &host,
        "railway_service",
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("postgres")),
            ("source_image", Value::string("postgres:17")),
        ],
    );
    let (service, _) = apply(&host, "railway_service", &Value::Null, &scfg).await;
    let sid = service.attr("id").as_str().expect("id").to_string();
    (emu, host, pid, env, sid)
}

fn volume(host: &Host, pid: &str, env: &str, sid: &str, extra: &[(&str, Value)]) -> Value {
    let mut pairs = vec![
        ("project_id", Value::string(pid)),
        ("environment_id", Value::string(env)),
        ("service_id", Value::string(sid)),
        ("mount_path", Value::string("/var/lib/postgresql/data")),
    ];
    for (k, v) in extra {
        pairs.retain(|(n, _)| n != k);
        pairs.push((k, v.clone()));
    }
    resource_config(host, V, &pairs)
}

/// The attributes whose change the plan from `state` to `config` says replace the object.
fn replaced_by(host: &Host, t: &str, state: &Value, config: &Value) -> Vec<String> {
    let plan = host.plan_resource_change(t, state, &proposed(host, t, state, config), config);
    plan.requires_replace
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// Import by `id` reads exactly `state`.
async fn assert_imports_as(host: &Host, t: &str, id: &str, state: &Value) {
    let (imported, diags) = host.import_resource_state(t, id).await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource(t, &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(&imported, state, "import reads what apply stored");
}

/// Delete; a read then says gone, and a second delete succeeds.
async fn assert_deleted(host: &Host, t: &str, state: &Value) {
    let (gone, diags) = host
        .apply_resource_change(t, state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, diags) = host.read_resource(t, state).await;
    assert!(after.is_null() && !diags.has_errors(), "{diags}");
    let (_, diags) = host
        .apply_resource_change(t, state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "already gone is success: {diags}");
}

async fn volumes(emu: &TestEmulator) -> serde_json::Value {
    emu.state().await["railway"]["volume_instances"].clone()
}

#[tokio::test]
async fn volume_lifecycle_in_place_changes_import_and_delete() {
    let (emu, host, pid, env, sid) = setup().await;

    // Create with Railway's name: create + one read of the environment's volumes.
    let cfg = volume(&host, &pid, &env, &sid, &[]);
    emu.reset_requests().await;
    let (state, _) = apply(&host, V, &Value::Null, &cfg).await;
    assert_eq!(emu.request_total().await, 2, "volumeCreate + one read");
    assert_eq!(state.attr("size_mb"), &Value::int(5000));
    assert_eq!(state.attr("region"), &Value::string("us-west2"));
    assert!(state.attr("name").as_str().is_some_and(|n| !n.is_empty()));
    let state = assert_stable(&host, V, &state, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();

    // Rename and re-mount in place: one volumeUpdate + one volumeInstanceUpdate.
    let moved = volume(
        &host,
        &pid,
        &env,
        &sid,
        &[
            ("mount_path", Value::string("/data")),
            ("name", Value::string("pg-data")),
        ],
    );
    emu.reset_requests().await;
    let (state, replace) = apply(&host, V, &state, &moved).await;
    assert!(replace.is_empty(), "rename and re-mount are in place");
    assert_eq!(emu.request_total().await, 2, "one rename + one re-mount");
    assert_eq!(state.attr("id"), &Value::string(&id));
    let state = assert_stable(&host, V, &state, &moved).await;
    let inst = volumes(&emu).await;
    let inst = inst
        .as_object()
        .and_then(|m| m.values().next())
        .cloned()
        .unwrap_or_default();
    assert_eq!(inst["mount_path"], "/data");

    // A second volume at the same mount of the same service is refused by Railway.
    let plan = host.plan_resource_change(V, &Value::Null, &moved, &moved);
    let (_, diags) = host
        .apply_resource_change(V, &Value::Null, &plan.planned, &moved)
        .await;
    assert!(diags.to_string().contains("already mounted"), "{diags}");

    // Import by environment/id: the same state.
    assert_imports_as(&host, V, &format!("{env}/{id}"), &state).await;

    // A region change replaces.
    let elsewhere = volume(
        &host,
        &pid,
        &env,
        &sid,
        &[
            ("mount_path", Value::string("/data")),
            ("name", Value::string("pg-data")),
            ("region", Value::string("europe-west4-drams3a")),
        ],
    );
    assert_eq!(replaced_by(&host, V, &state, &elsewhere), vec!["region"]);

    assert_deleted(&host, V, &state).await;
    assert!(volumes(&emu).await.as_object().is_none_or(|m| m.is_empty()));
}

#[tokio::test]
async fn tcp_proxy_lifecycle_import_and_replace_on_port_change() {
    let (emu, host, _pid, env, sid) = setup().await;
    let cfg = |port: i64| {
        resource_config(
            &host,
            P,
            &[
                ("environment_id", Value::string(&env)),
                ("service_id", Value::string(&sid)),
                ("application_port", Value::int(port)),
            ],
        )
    };
    emu.reset_requests().await;
    let (state, _) = apply(&host, P, &Value::Null, &cfg(5432)).await;
    assert_eq!(emu.request_total().await, 1, "one tcpProxyCreate");
    let domain = state.attr("domain").as_str().expect("domain").to_string();
    assert!(domain.ends_with(".proxy.rlwy.net"), "{domain}");
    assert!(state
        .attr("proxy_port")
        .as_i64()
        .is_some_and(|p| p >= 10000));
    let state = assert_stable(&host, P, &state, &cfg(5432)).await;
    let id = state.attr("id").as_str().expect("id").to_string();

    assert_imports_as(&host, P, &format!("{env}/{sid}/{id}"), &state).await;
    assert_eq!(
        replaced_by(&host, P, &state, &cfg(6379)),
        vec!["application_port"]
    );
    assert_deleted(&host, P, &state).await;
    let left = emu.state().await["railway"]["tcp_proxies"].clone();
    assert!(left.as_object().is_none_or(|m| m.is_empty()), "{left}");
}

/// `railway_service`'s target ports: set at create (one domain create each, no extra request),
/// changed in place with one serviceDomainUpdate + one customDomainUpdate, stable, imported.
#[tokio::test]
async fn service_and_custom_domain_target_ports_change_in_place() {
    let (emu, host, pid, env, _sid) = setup().await;
    const S: &str = "railway_service";
    let cfg = |web: i64, api: i64| {
        resource_config(
            &host,
            S,
            &[
                ("project_id", Value::string(&pid)),
                ("name", Value::string("web")),
                ("source_image", Value::string("nginx:1")),
                ("service_domain", Value::Bool(true)),
                ("service_domain_target_port", Value::int(web)),
                (
                    "custom_domains",
                    Value::set(vec![Value::string("api.example.com")]),
                ),
                (
                    "custom_domain_target_ports",
                    Value::Map(
                        [("api.example.com".to_string(), Value::int(api))]
                            .into_iter()
                            .collect(),
                    ),
                ),
            ],
        )
    };
    let (state, _) = apply(&host, S, &Value::Null, &cfg(8080, 3000)).await;
    let state = assert_stable(&host, S, &state, &cfg(8080, 3000)).await;
    let rw = emu.state().await["railway"].clone();
    let port_of = |rw: &serde_json::Value, kind: &str| {
        rw[kind]
            .as_object()
            .and_then(|m| m.values().next())
            .map(|d| d["target_port"].clone())
            .unwrap_or_default()
    };
    assert_eq!(port_of(&rw, "service_domains"), 8080);
    assert_eq!(port_of(&rw, "custom_domains"), 3000);

    emu.reset_requests().await;
    let (state, replace) = apply(&host, S, &state, &cfg(9090, 4000)).await;
    assert!(replace.is_empty());
    assert_eq!(
        emu.request_total().await,
        4,
        "one domains read + serviceDomainUpdate + customDomainUpdate + the read-back"
    );
    let state = assert_stable(&host, S, &state, &cfg(9090, 4000)).await;
    let rw = emu.state().await["railway"].clone();
    assert_eq!(port_of(&rw, "service_domains"), 9090);
    assert_eq!(port_of(&rw, "custom_domains"), 4000);

    let id = state.attr("id").as_str().expect("id").to_string();
    let (imported, diags) = host
        .import_resource_state(S, &format!("{pid}/{env}/{id}"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource(S, &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        imported.attr("service_domain_target_port"),
        &Value::int(9090)
    );
    assert_eq!(
        imported.attr("custom_domain_target_ports"),
        &Value::Map(
            [("api.example.com".to_string(), Value::int(4000))]
                .into_iter()
                .collect()
        )
    );
}

/// `railway_service_instance`: the service configured differently in a second environment (one
/// serviceInstanceUpdate scoped to it + one read), the first environment untouched; in-place
/// change, stable, import, and destroy leaves the instance.
#[tokio::test]
async fn a_service_instance_configures_a_second_environment() {
    let (emu, host, pid, env, sid) = setup().await;
    const I: &str = "railway_service_instance";
    let ecfg = resource_config(
        &host,
        "railway_environment",
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("staging")),
        ],
    );
    let (staging, _) = apply(&host, "railway_environment", &Value::Null, &ecfg).await;
    let staging = staging.attr("id").as_str().expect("id").to_string();
    let cfg = |start: &str, replicas: i64| {
        resource_config(
            &host,
            I,
            &[
                ("service_id", Value::string(&sid)),
                ("environment_id", Value::string(&staging)),
                ("start_command", Value::string(start)),
                ("num_replicas", Value::int(replicas)),
                ("cron_schedule", Value::string("0 3 * * *")),
            ],
        )
    };
    emu.reset_requests().await;
    let (state, _) = apply(&host, I, &Value::Null, &cfg("postgres -c fsync=off", 1)).await;
    assert_eq!(emu.request_total().await, 2, "one scoped update + one read");
    let state = assert_stable(&host, I, &state, &cfg("postgres -c fsync=off", 1)).await;
    assert_eq!(state.attr("id"), &Value::string(&sid));
    let settings = |rw: &serde_json::Value, e: &str| {
        rw["instances"]
            .as_object()
            .and_then(|m| m.values().find(|i| i["environment_id"] == e))
            .map(|i| i["settings"].clone())
            .unwrap_or_default()
    };
    let rw = emu.state().await["railway"].clone();
    assert_eq!(
        settings(&rw, &staging)["startCommand"],
        "postgres -c fsync=off"
    );
    assert_eq!(settings(&rw, &staging)["cronSchedule"], "0 3 * * *");
    assert!(
        settings(&rw, &env).get("startCommand").is_none(),
        "the service's own environment is untouched: {}",
        settings(&rw, &env)
    );

    let (state, replace) = apply(&host, I, &state, &cfg("postgres", 2)).await;
    assert!(replace.is_empty());
    let state = assert_stable(&host, I, &state, &cfg("postgres", 2)).await;
    assert_eq!(state.attr("num_replicas"), &Value::int(2));
    assert_imports_as(&host, I, &format!("{staging}/{sid}"), &state).await;

    // Destroy forgets the settings; the instance stays with the service.
    let (gone, diags) = host
        .apply_resource_change(I, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let rw = emu.state().await["railway"].clone();
    assert_eq!(settings(&rw, &staging)["startCommand"], "postgres");
}

/// `railway_service.service_domain_subdomain`: named at create (serviceDomainCreate, then one
/// serviceDomainUpdate carrying the target port), the new name known at plan, renamed in place
/// with one update, a name another service has refused with Railway's answer, and imported.
#[tokio::test]
async fn the_generated_domain_is_named_and_renamed_in_place() {
    let (emu, host, pid, env, _sid) = setup().await;
    const S: &str = "railway_service";
    let cfg = |name: &str, sub: &str| {
        resource_config(
            &host,
            S,
            &[
                ("project_id", Value::string(&pid)),
                ("name", Value::string(name)),
                ("source_image", Value::string("nginx:1")),
                ("service_domain", Value::Bool(true)),
                ("service_domain_target_port", Value::int(8080)),
                ("service_domain_subdomain", Value::string(sub)),
            ],
        )
    };
    let domain_of = |rw: &serde_json::Value, sid: &str| {
        rw["service_domains"]
            .as_object()
            .and_then(|m| m.values().find(|d| d["service_id"] == sid))
            .map(|d| (d["domain"].clone(), d["target_port"].clone()))
    };
    let (state, _) = apply(&host, S, &Value::Null, &cfg("web", "acme-shop")).await;
    let state = assert_stable(&host, S, &state, &cfg("web", "acme-shop")).await;
    let sid = state.attr("id").as_str().expect("id").to_string();
    assert_eq!(
        state.attr("service_domain_name"),
        &Value::string("acme-shop.up.railway.app")
    );
    assert_eq!(
        domain_of(&emu.state().await["railway"], &sid),
        Some((
            serde_json::json!("acme-shop.up.railway.app"),
            serde_json::json!(8080)
        )),
        "the port survives the rename"
    );
    let domains = emu.state().await["railway"]["service_domains"].clone();
    assert_eq!(
        domains.as_object().map(|m| m.len()),
        Some(1),
        "renamed, not a second domain: {domains}"
    );

    // A rename is planned with the new name known, and is one update.
    let renamed = cfg("web", "acme-store");
    let plan =
        host.plan_resource_change(S, &state, &proposed(&host, S, &state, &renamed), &renamed);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    assert_eq!(
        plan.planned.attr("service_domain_name"),
        &Value::string("acme-store.up.railway.app")
    );
    assert!(plan.requires_replace.is_empty());
    emu.reset_requests().await;
    let (state, _) = apply(&host, S, &state, &renamed).await;
    assert_eq!(
        emu.request_total().await,
        3,
        "one domains read + serviceDomainUpdate + the read-back"
    );
    let state = assert_stable(&host, S, &state, &renamed).await;

    // Another service cannot take the name: Railway's error, on the apply.
    let other = cfg("shop", "acme-store");
    let plan = host.plan_resource_change(
        S,
        &Value::Null,
        &proposed(&host, S, &Value::Null, &other),
        &other,
    );
    let (_, diags) = host
        .apply_resource_change(S, &Value::Null, &plan.planned, &other)
        .await;
    assert!(diags.has_errors(), "the name is taken");
    assert!(diags.to_string().contains("is not available"), "{diags}");

    let id = state.attr("id").as_str().expect("id").to_string();
    let (imported, diags) = host
        .import_resource_state(S, &format!("{pid}/{env}/{id}"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource(S, &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    // Not read in: unset means "leave Railway's name alone", so importing a configuration
    // without it plans no change; the name itself is in `service_domain_name`.
    assert!(imported.attr("service_domain_subdomain").is_null());
    assert!(imported
        .attr("service_domain_name")
        .as_str()
        .is_some_and(|n| n.starts_with("acme-store.")));
}
