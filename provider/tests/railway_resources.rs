//! In-process tier for Railway: railway_project, railway_environment and two railway_service
//! (a FastAPI API and an arq worker from one monorepo, sharing variables) against the emulator,
//! no Terraform: create → stable re-plan → update → import → delete → read gone; and invalid
//! configurations that fail validation without a request.

mod common;

use common::*;
use paasform::framework::{Host, Severity, Value};
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", Value::string("railway-test-token")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    (emu, host)
}

fn vars(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::string(*v)))
            .collect(),
    )
}

const SHARED: &[(&str, &str)] = &[
    ("SUPABASE_URL", "https://xyz.supabase.co"),
    ("OPENAI_API_KEY", "sk-test"),
    ("LITELLM_MASTER_KEY", "sk-litellm"),
    ("REDIS_URL", "rediss://default:pw@upstash.io:6379"),
];

fn api_config(
    host: &Host,
    project: &str,
    start: &str,
    replicas: i64,
    variables: &[(&str, &str)],
) -> Value {
    resource_config(
        host,
        "railway_service",
        &[
            ("project_id", Value::string(project)),
            ("name", Value::string("api")),
            ("source_repo", Value::string("acme/codewarden")),
            ("branch", Value::string("main")),
            ("root_directory", Value::string("/api")),
            (
                "build_command",
                Value::string("pip install -r requirements.txt"),
            ),
            ("start_command", Value::string(start)),
            ("healthcheck_path", Value::string("/healthz")),
            ("num_replicas", Value::int(replicas)),
            ("variables", vars(variables)),
            ("service_domain", Value::Bool(true)),
            (
                "custom_domains",
                Value::set(vec![Value::string("api.codewarden.io")]),
            ),
        ],
    )
}

fn worker_config(
    host: &Host,
    project: &str,
    environment: &str,
    variables: &[(&str, &str)],
    extra: &[(&str, Value)],
) -> Value {
    let mut pairs = vec![
        ("project_id", Value::string(project)),
        ("environment_id", Value::string(environment)),
        ("name", Value::string("worker")),
        ("source_repo", Value::string("acme/codewarden")),
        ("root_directory", Value::string("/api")),
        ("start_command", Value::string("arq worker.WorkerSettings")),
        ("restart_policy_type", Value::string("ALWAYS")),
        ("variables", vars(variables)),
    ];
    pairs.extend(extra.iter().cloned());
    resource_config(host, "railway_service", &pairs)
}

fn id(v: &Value) -> String {
    v.attr("id").as_str().expect("an id").to_string()
}

#[tokio::test]
async fn project_environment_and_two_services_lifecycle() {
    let (emu, host) = setup().await;
    let (tp, te, ts) = ("railway_project", "railway_environment", "railway_service");

    // Project and a staging environment.
    let pcfg = resource_config(
        &host,
        tp,
        &[
            ("name", Value::string("codewarden")),
            ("description", Value::string("CodeWarden backend")),
        ],
    );
    let (project, _) = apply(&host, tp, &Value::Null, &pcfg).await;
    let project = assert_stable(&host, tp, &project, &pcfg).await;
    let pid = id(&project);
    let production = project
        .attr("default_environment_id")
        .as_str()
        .expect("default environment")
        .to_string();
    assert_eq!(project.attr("private"), &Value::Bool(true));

    let ecfg = resource_config(
        &host,
        te,
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("staging")),
        ],
    );
    let (env, _) = apply(&host, te, &Value::Null, &ecfg).await;
    let env = assert_stable(&host, te, &env, &ecfg).await;
    let ecfg2 = resource_config(
        &host,
        te,
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("staging-eu")),
        ],
    );
    let (env, replace) = apply(&host, te, &env, &ecfg2).await;
    assert!(replace.is_empty(), "rename is in place: {replace:?}");
    let env = assert_stable(&host, te, &env, &ecfg2).await;

    // Two services from one repository, different start commands, the same variables.
    let api_cfg = api_config(
        &host,
        &pid,
        "uvicorn main:app --host 0.0.0.0 --port $PORT",
        2,
        SHARED,
    );
    let (api, _) = apply(&host, ts, &Value::Null, &api_cfg).await;
    let api = assert_stable(&host, ts, &api, &api_cfg).await;
    assert_eq!(
        api.attr("environment_id"),
        &Value::string(&production),
        "defaults to production"
    );
    assert!(
        api.attr("service_domain_name")
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{api:?}"
    );
    let records = api
        .attr("custom_domain_records")
        .elements()
        .expect("records")
        .to_vec();
    assert!(
        !records.is_empty()
            && records
                .iter()
                .all(|r| r.attr("domain") == &Value::string("api.codewarden.io")),
        "{records:?}"
    );

    let worker_cfg = worker_config(&host, &pid, &production, SHARED, &[]);
    let (worker, _) = apply(&host, ts, &Value::Null, &worker_cfg).await;
    let worker = assert_stable(&host, ts, &worker, &worker_cfg).await;
    assert_eq!(
        worker.attr("branch"),
        &Value::string("main"),
        "the repository's branch is read back"
    );
    assert_eq!(worker.attr("service_domain"), &Value::Bool(false));
    assert_eq!(worker.attr("variables"), &vars(SHARED));

    // Update: the API's start command and replicas; a variable removed from the worker; a
    // write-only secret added to the worker.
    let api_cfg2 = api_config(
        &host,
        &pid,
        "gunicorn -k uvicorn.workers.UvicornWorker main:app",
        3,
        SHARED,
    );
    let (api2, replace) = apply(&host, ts, &api, &api_cfg2).await;
    assert!(replace.is_empty(), "{replace:?}");
    let api2 = assert_stable(&host, ts, &api2, &api_cfg2).await;
    assert_eq!(api2.attr("num_replicas"), &Value::int(3));
    assert_eq!(api2.attr("id"), api.attr("id"));
    assert_eq!(
        api2.attr("service_domain_name"),
        api.attr("service_domain_name"),
        "the domain survives unrelated updates"
    );

    let fewer: Vec<(&str, &str)> = SHARED
        .iter()
        .copied()
        .filter(|(k, _)| *k != "LITELLM_MASTER_KEY")
        .collect();
    let secret = [
        ("variables_wo", vars(&[("STRIPE_SECRET", "sk_live_x")])),
        ("variables_wo_version", Value::int(1)),
    ];
    let worker_cfg2 = worker_config(&host, &pid, &production, &fewer, &secret);
    let (worker2, _) = apply(&host, ts, &worker, &worker_cfg2).await;
    assert!(
        worker2.attr("variables_wo").is_null(),
        "write-only values are never stored"
    );
    let worker2 = assert_stable(&host, ts, &worker2, &worker_cfg2).await;
    assert_eq!(
        worker2.attr("variables"),
        &vars(&fewer),
        "removed variable is gone, the write-only one is not drift"
    );
    let world = emu.state().await;
    let remote = &world["railway"]["variables"][format!("{production}/{}", id(&worker2))];
    assert_eq!(
        remote["STRIPE_SECRET"], "sk_live_x",
        "the write-only secret reached Railway: {remote}"
    );
    assert!(
        remote.get("LITELLM_MASTER_KEY").is_none(),
        "the removed variable is gone from Railway: {remote}"
    );
    assert_eq!(
        world["railway"]["variables"][format!("{production}/{}", id(&api2))]["LITELLM_MASTER_KEY"],
        "sk-litellm",
        "the API keeps its own"
    );

    // Import the API by its three forms: no diff against the configuration.
    let api_id = id(&api2);
    for import_id in [
        format!("{pid}/{production}/{api_id}"),
        format!("{pid}/{api_id}"),
        api_id.clone(),
    ] {
        let (imported, diags) = host.import_resource_state(ts, &import_id).await;
        assert!(!diags.has_errors(), "{import_id}: {diags}");
        let plan = host.plan_resource_change(
            ts,
            &imported,
            &proposed(&host, ts, &imported, &api_cfg2),
            &api_cfg2,
        );
        assert!(
            plan.requires_replace.is_empty(),
            "{import_id}: {:?}",
            plan.requires_replace
        );
        assert_eq!(
            plan.planned, imported,
            "{import_id}: import then plan shows no change"
        );
    }
    let (imported_env, diags) = host.import_resource_state(te, &id(&env)).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported_env.attr("project_id"), &Value::string(&pid));
    let (imported_project, diags) = host.import_resource_state(tp, &pid).await;
    assert!(!diags.has_errors(), "{diags}");
    let plan = host.plan_resource_change(
        tp,
        &imported_project,
        &proposed(&host, tp, &imported_project, &pcfg),
        &pcfg,
    );
    assert_eq!(
        plan.planned, imported_project,
        "project import then plan shows no change"
    );

    // Delete everything; reads then say gone, and deleting again succeeds.
    for (t, state) in [(ts, &api2), (ts, &worker2), (te, &env), (tp, &project)] {
        let (gone, diags) = host
            .apply_resource_change(t, state, &Value::Null, &Value::Null)
            .await;
        assert!(gone.is_null() && !diags.has_errors(), "{t}: {diags}");
        let (after, diags) = host.read_resource(t, state).await;
        assert!(
            after.is_null() && !diags.has_errors(),
            "{t}: deleted outside = gone from state: {diags}"
        );
        let (_, diags) = host
            .apply_resource_change(t, state, &Value::Null, &Value::Null)
            .await;
        assert!(!diags.has_errors(), "{t}: already gone is success: {diags}");
    }
    let world = emu.state().await;
    let projects = &world["railway"]["projects"];
    assert!(
        projects.as_object().is_none_or(|m| m.is_empty()),
        "emulator empty: {projects}"
    );
}

#[tokio::test]
async fn invalid_configs_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    let t = "railway_service";
    let base = |extra: Vec<(&str, Value)>| {
        let mut pairs = vec![
            ("project_id", Value::string("p")),
            ("name", Value::string("api")),
        ];
        pairs.extend(extra);
        resource_config(&host, t, &pairs)
    };
    let repo = || ("source_repo", Value::string("acme/codewarden"));
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        (
            "source_image",
            vec![repo(), ("source_image", Value::string("redis:7"))],
        ),
        ("source_repo", vec![]),
        (
            "cron_schedule",
            vec![repo(), ("cron_schedule", Value::string("*/5 * * *"))],
        ),
        (
            "cron_schedule",
            vec![repo(), ("cron_schedule", Value::string("0 25 * * *"))],
        ),
        (
            "variables[\"1BAD\"]",
            vec![repo(), ("variables", vars(&[("1BAD", "x")]))],
        ),
        (
            "variables_wo[\"OPENAI API KEY\"]",
            vec![
                repo(),
                ("variables_wo", vars(&[("OPENAI API KEY", "x")])),
                ("variables_wo_version", Value::int(1)),
            ],
        ),
        (
            "variables_wo_version",
            vec![repo(), ("variables_wo", vars(&[("SECRET", "x")]))],
        ),
        (
            "branch",
            vec![
                ("source_image", Value::string("redis:7")),
                ("branch", Value::string("main")),
            ],
        ),
        (
            "region",
            vec![
                repo(),
                (
                    "multi_region_replicas",
                    Value::Map(
                        [("us-west2".to_string(), Value::int(2))]
                            .into_iter()
                            .collect(),
                    ),
                ),
                ("region", Value::string("us-west2")),
            ],
        ),
        (
            "restart_policy_type",
            vec![repo(), ("restart_policy_type", Value::string("SOMETIMES"))],
        ),
        (
            "custom_domains",
            vec![
                repo(),
                (
                    "custom_domains",
                    Value::set(vec![Value::string("not a domain")]),
                ),
            ],
        ),
        (
            "source_repo",
            vec![("source_repo", Value::string("codewarden"))],
        ),
    ];
    for (path, pairs) in cases {
        let diags = host.validate_resource_config(t, &base(pairs));
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "case {path}: {diags}"
        );
    }

    // An unknown region is a warning on `region`, not an error.
    let diags = host.validate_resource_config(
        t,
        &base(vec![repo(), ("region", Value::string("mars-north1"))]),
    );
    assert!(!diags.has_errors(), "{diags}");
    let warnings: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(warnings, vec!["region".to_string()]);

    // Unknown values are not judged at validate time.
    let diags = host.validate_resource_config(
        t,
        &base(vec![
            ("source_repo", Value::Unknown),
            ("source_image", Value::string("redis:7")),
        ]),
    );
    assert!(!diags.has_errors(), "{diags}");

    for (ty, bad) in [
        (t, ""),
        (t, "a/b/c/d"),
        (t, "has space"),
        (t, "/x"),
        ("railway_environment", "p/e/x"),
        ("railway_project", "p/x"),
    ] {
        assert!(
            host.import_resource_state(ty, bad).await.1.has_errors(),
            "{ty} import id {bad:?}"
        );
    }
    assert_eq!(
        emu.request_total().await,
        0,
        "no HTTP request for invalid input"
    );
}

/// A host on `emu` and a project made there (its create may lose its answer: the id comes from
/// the emulator's world then).
async fn project_on(emu: &TestEmulator) -> (Host, String) {
    let host = host(
        "railway",
        &[
            ("token", Value::string("railway-test-token")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    let t = "railway_project";
    let cfg = resource_config(&host, t, &[("name", Value::string("followups"))]);
    let plan = host.plan_resource_change(t, &Value::Null, &cfg, &cfg);
    let _ = host
        .apply_resource_change(t, &Value::Null, &plan.planned, &cfg)
        .await;
    let world = emu.state().await;
    let projects = world["railway"]["projects"]
        .as_object()
        .expect("projects")
        .clone();
    assert_eq!(projects.len(), 1, "{projects:?}");
    let pid = projects.keys().next().expect("one").clone();
    (host, pid)
}

fn count(world: &serde_json::Value, collection: &str) -> usize {
    world["railway"][collection]
        .as_object()
        .map_or(0, |m| m.len())
}

/// Issue 19: every create commits and then loses its answer. The service is adopted by name,
/// and the domain step, retried, looks before it creates: one service domain, one custom
/// domain, no error, no warning, and the next plan is empty.
#[tokio::test]
async fn follow_up_creates_that_lose_their_answer_are_found_not_repeated() {
    let emu = TestEmulator::start(Config {
        drop_after_commit_rate: 1.0,
        ..Config::default()
    })
    .await;
    let (host, pid) = project_on(&emu).await;
    let t = "railway_service";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("api")),
            ("source_image", Value::string("ghcr.io/acme/api:1")),
            ("variables", vars(&[("MODE", "api")])),
            ("service_domain", Value::Bool(true)),
            (
                "custom_domains",
                Value::set(vec![Value::string("api.followups.example.com")]),
            ),
        ],
    );
    let plan = host.plan_resource_change(t, &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change(t, &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(diags.is_empty(), "no error and no warning: {diags}");
    let state = assert_stable(&host, t, &state, &cfg).await;
    assert!(
        state.attr("service_domain_name").as_str().is_some(),
        "{state:?}"
    );
    let world = emu.state().await;
    for (collection, n) in [
        ("services", 1),
        ("service_domains", 1),
        ("custom_domains", 1),
    ] {
        assert_eq!(
            count(&world, collection),
            n,
            "{collection}: {}",
            world["railway"][collection]
        );
    }
}

/// Issue 19: a follow-up that fails twice (Railway's INTERNAL_SERVER_ERROR in a 200 answer) is
/// retried and done; one that fails every attempt leaves the new service in state with a
/// warning, not an error (Terraform does not taint it). The next read reports what is missing,
/// so the next plan is an in-place update that writes the variables, write-only one included.
#[tokio::test]
async fn a_failing_follow_up_warns_and_the_next_apply_finishes_it() {
    let emu = TestEmulator::start(Config {
        fail_operations: vec![
            ("ServiceInstanceUpdate".to_string(), 2),
            ("VariableCollectionUpsert".to_string(), 3),
        ],
        ..Config::default()
    })
    .await;
    let (host, pid) = project_on(&emu).await;
    let t = "railway_service";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("worker")),
            ("source_image", Value::string("ghcr.io/acme/worker:1")),
            ("start_command", Value::string("arq worker.WorkerSettings")),
            ("variables", vars(&[("MODE", "worker")])),
            (
                "variables_wo",
                vars(&[("STRIPE_SECRET", "sk_live_followup")]),
            ),
            ("variables_wo_version", Value::int(1)),
        ],
    );
    let plan = host.plan_resource_change(t, &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change(t, &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(!diags.has_errors(), "a warning, not an error: {diags}");
    let warnings: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.summary.clone())
        .collect();
    assert_eq!(
        warnings,
        vec!["Failed to write the Railway service's variables".to_string()],
        "{diags}"
    );
    assert!(!diags.to_string().contains("sk_live_followup"), "{diags}");
    let sid = id(&state);
    let world = emu.state().await;
    assert_eq!(count(&world, "services"), 1);
    let env = state
        .attr("environment_id")
        .as_str()
        .expect("env")
        .to_string();
    let instances = world["railway"]["instances"]
        .as_object()
        .expect("instances");
    let instance = instances
        .values()
        .find(|i| i["service_id"] == sid.as_str() && i["environment_id"] == env.as_str())
        .expect("the service's instance");
    assert_eq!(
        instance["settings"]["startCommand"], "arq worker.WorkerSettings",
        "the settings step was retried and done: {instance}"
    );
    assert!(
        world["railway"]["variables"][format!("{env}/{sid}")]
            .as_object()
            .is_none_or(|m| m.is_empty()),
        "no variables yet: {}",
        world["railway"]["variables"]
    );

    // The next plan shows what is left, in place; the apply finishes it.
    let (refreshed, diags) = host.read_resource(t, &state).await;
    assert!(!diags.has_errors(), "{diags}");
    let plan =
        host.plan_resource_change(t, &refreshed, &proposed(&host, t, &refreshed, &cfg), &cfg);
    assert_ne!(
        plan.planned, refreshed,
        "the pending variables are a change"
    );
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    let (done, _) = apply(&host, t, &refreshed, &cfg).await;
    let done = assert_stable(&host, t, &done, &cfg).await;
    assert_eq!(done.attr("id"), &Value::string(&sid), "the same service");
    let world = emu.state().await;
    let remote = &world["railway"]["variables"][format!("{env}/{sid}")];
    assert_eq!(remote["MODE"], "worker", "{remote}");
    assert_eq!(remote["STRIPE_SECRET"], "sk_live_followup", "{remote}");
}
