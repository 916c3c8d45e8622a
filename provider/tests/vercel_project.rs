//! In-process tier for vercel_project: the resource against the emulator, no Terraform.

mod common;

use common::*;
use paasform::framework::Value;
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, paasform::framework::Host) {
    setup_with(Config::default()).await
}

async fn setup_with(config: Config) -> (TestEmulator, paasform::framework::Host) {
    let emu = TestEmulator::start(config).await;
    let host = host(
        "vercel",
        &[
            ("api_token", Value::string("vercel-test-token")),
            ("team", Value::string("team_paasform")),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await;
    (emu, host)
}

fn env(key: &str, value: &str, targets: &[&str], kind: Option<&str>) -> Value {
    Value::object([
        ("key", Value::string(key)),
        ("value", Value::string(value)),
        (
            "target",
            Value::set(targets.iter().map(|t| Value::string(*t)).collect()),
        ),
        ("custom_environment_ids", Value::Null),
        ("git_branch", Value::Null),
        ("type", kind.map_or(Value::Null, Value::string)),
        ("comment", Value::Null),
    ])
}

fn git() -> Value {
    Value::object([
        ("type", Value::string("github")),
        ("repo", Value::string("acme/infra402")),
        ("production_branch", Value::Null),
    ])
}

#[tokio::test]
async fn project_lifecycle_with_env_reconciliation() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let base = |envs: Vec<Value>, name: &str| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string(name)),
                ("framework", Value::string("vite")),
                ("root_directory", Value::string("frontend")),
                ("build_command", Value::string("pnpm build")),
                ("output_directory", Value::string("dist")),
                ("node_version", Value::string("18.x")),
                ("git_repository", git()),
                ("environment", Value::set(envs)),
            ],
        )
    };
    let cfg = base(
        vec![
            env(
                "VITE_CHAT_API_BASE",
                "https://tunnel.example.com",
                &["production", "preview"],
                None,
            ),
            env("SECRET_TOKEN", "s3cret", &["production"], Some("sensitive")),
        ],
        "infra402-web",
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    assert!(state.attr("id").as_str().is_some_and(|i| !i.is_empty()));
    let state = assert_stable(&host, t, &state, &cfg).await;

    // Edit one, remove one, add one; rename in place.
    let cfg2 = base(
        vec![
            env(
                "VITE_CHAT_API_BASE",
                "https://tunnel2.example.com",
                &["production", "preview"],
                None,
            ),
            env("NEW_FLAG", "1", &["development"], Some("plain")),
        ],
        "infra402-frontend",
    );
    let (state2, replace) = apply(&host, t, &state, &cfg2).await;
    assert!(replace.is_empty(), "{replace:?}");
    let state2 = assert_stable(&host, t, &state2, &cfg2).await;
    assert_eq!(
        state2.attr("environment").elements().map(|e| e.len()),
        Some(2)
    );

    // Import by team/id: no diff (no sensitive values left in this config).
    let id = state2.attr("id").as_str().expect("id").to_string();
    let (imported, diags) = host
        .import_resource_state(t, &format!("team_paasform/{id}"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let plan =
        host.plan_resource_change(t, &imported, &proposed(&host, t, &imported, &cfg2), &cfg2);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    assert_eq!(plan.planned, imported, "import then plan shows no change");

    let (gone, diags) = host
        .apply_resource_change(t, &state2, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, _) = host.read_resource(t, &state2).await;
    assert!(after.is_null(), "deleted outside: dropped on read");
    let (_, diags) = host
        .apply_resource_change(t, &state2, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "already gone is success: {diags}");
    drop(emu);
}

#[tokio::test]
async fn invalid_configs_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let mut branch_env = env("K", "v", &["production"], None);
    branch_env.set_attr("git_branch", Value::string("feature-1"));
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("name", vec![("name", Value::string("Has-Caps"))]),
        ("name", vec![("name", Value::string("a---b"))]),
        (
            "framework",
            vec![
                ("name", Value::string("ok")),
                ("framework", Value::string("rails")),
            ],
        ),
        (
            "environment.git_branch",
            vec![
                ("name", Value::string("ok")),
                ("environment", Value::set(vec![branch_env])),
            ],
        ),
        (
            "environment.target",
            vec![
                ("name", Value::string("ok")),
                (
                    "environment",
                    Value::set(vec![env("K", "v", &["staging"], None)]),
                ),
            ],
        ),
        (
            "environment.key",
            vec![
                ("name", Value::string("ok")),
                (
                    "environment",
                    Value::set(vec![env("1BAD", "v", &["preview"], None)]),
                ),
            ],
        ),
        (
            "git_repository.type",
            vec![
                ("name", Value::string("ok")),
                (
                    "git_repository",
                    Value::object([
                        ("type", Value::string("svn")),
                        ("repo", Value::string("a/b")),
                        ("production_branch", Value::Null),
                    ]),
                ),
            ],
        ),
    ];
    for (path, pairs) in cases {
        let cfg = resource_config(&host, t, &pairs);
        let diags = host.validate_resource_config(t, &cfg);
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "case {path}: {diags}"
        );
    }
    for bad in ["", "a/b/c", "bad id", "/x"] {
        assert!(
            host.import_resource_state(t, bad).await.1.has_errors(),
            "import id {bad:?}"
        );
    }
    assert_eq!(
        emu.request_total().await,
        0,
        "no HTTP request for invalid input"
    );
}

fn data_config(host: &paasform::framework::Host, pairs: &[(&str, Value)]) -> Value {
    let schema = host
        .data_source_schema("vercel_project")
        .expect("data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs).conform(&schema.value_type())
}

#[tokio::test]
async fn data_source_reads_by_id_and_by_name_with_one_request_each() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("infra402-data")),
            ("framework", Value::string("vite")),
            ("build_command", Value::string("pnpm build")),
            ("git_repository", git()),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();

    for key in [
        ("id", Value::string(&id)),
        ("name", Value::string("infra402-data")),
    ] {
        let before = emu.request_total().await;
        let (got, diags) = host
            .read_data_source(t, &data_config(&host, std::slice::from_ref(&key)))
            .await;
        assert!(!diags.has_errors(), "{}: {diags}", key.0);
        assert_eq!(emu.request_total().await - before, 1, "{}: one GET", key.0);
        for attr in [
            "id",
            "name",
            "team_id",
            "framework",
            "build_command",
            "node_version",
        ] {
            assert_eq!(got.attr(attr), state.attr(attr), "{} lookup: {attr}", key.0);
        }
        assert_eq!(
            got.attr("git_repository").attr("repo").as_str(),
            Some("acme/infra402")
        );
    }

    // The name of one project is not the id of another, and nothing found is a clear error.
    for key in [
        ("id", Value::string("infra402-data")),
        ("name", Value::string(&id)),
        ("name", Value::string("no-such-project")),
    ] {
        let (got, diags) = host
            .read_data_source(t, &data_config(&host, std::slice::from_ref(&key)))
            .await;
        assert!(got.is_null(), "{key:?}");
        let text = diags.to_string();
        assert!(text.contains("No Vercel project"), "{key:?}: {text}");
        assert!(text.contains(key.1.as_str().unwrap_or_default()), "{text}");
    }

    // Exactly one lookup key, checked without a request.
    let before = emu.request_total().await;
    for (pairs, path) in [
        (vec![], "id"),
        (
            vec![("id", Value::string(&id)), ("name", Value::string("x"))],
            "name",
        ),
    ] {
        let diags = host.validate_data_source_config(t, &data_config(&host, &pairs));
        assert_eq!(errors_at(&diags), vec![path.to_string()], "{diags}");
    }
    assert_eq!(emu.request_total().await, before);
    drop(emu);
}

/// Changing `git_repository` relinks in place: the project keeps its id (and so its deployments
/// and domains); removing it unlinks, adding it back links. One call each way.
#[tokio::test]
async fn changing_the_repository_relinks_in_place() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let repo = |r: Option<&str>| {
        let git = r.map_or(Value::Null, |r| {
            Value::object([
                ("type", Value::string("github")),
                ("repo", Value::string(r)),
                ("production_branch", Value::Null),
            ])
        });
        resource_config(
            &host,
            t,
            &[("name", Value::string("relinked")), ("git_repository", git)],
        )
    };
    let (state, _) = apply(&host, t, &Value::Null, &repo(Some("acme/first"))).await;
    let id = state.attr("id").clone();
    let state = assert_stable(&host, t, &state, &repo(Some("acme/first"))).await;

    let cfg = repo(Some("acme/second"));
    let plan = host.plan_resource_change(t, &state, &proposed(&host, t, &state, &cfg), &cfg);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    assert!(
        plan.planned
            .attr("git_repository")
            .attr("production_branch")
            .is_unknown(),
        "the new repository's production branch is known after apply"
    );
    let before = emu.request_total().await;
    let (state, _) = apply(&host, t, &state, &cfg).await;
    assert_eq!(emu.request_total().await - before, 2, "unlink + link");
    assert_eq!(state.attr("id"), &id, "the project survives a relink");
    assert_eq!(
        state.attr("git_repository").attr("repo").as_str(),
        Some("acme/second")
    );
    let state = assert_stable(&host, t, &state, &cfg).await;
    let project = emu
        .state()
        .await
        .pointer(&format!(
            "/vercel/projects/{}/settings/link/repo",
            id.as_str().unwrap_or("")
        ))
        .cloned();
    assert_eq!(project, Some(serde_json::json!("second")));

    let (state, _) = apply(&host, t, &state, &repo(None)).await;
    assert_eq!(state.attr("id"), &id);
    assert!(state.attr("git_repository").is_null());
    let state = assert_stable(&host, t, &state, &repo(None)).await;
    let (state, _) = apply(&host, t, &state, &repo(Some("acme/third"))).await;
    assert_eq!(state.attr("id"), &id);
    assert_stable(&host, t, &state, &repo(Some("acme/third"))).await;
}

/// An unrelated update (the build command) plans nothing else as unknown: not the production
/// branch, not an unset framework or public_source, not a personal account's null team.
#[tokio::test]
async fn an_unrelated_update_plans_no_unknowns() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "vercel",
        &[
            ("api_token", Value::string("vercel-test-token")),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await;
    let t = "vercel_project";
    let cfg = |build: &str| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string("quiet-plans")),
                ("build_command", Value::string(build)),
                ("git_repository", git()),
            ],
        )
    };
    let (state, _) = apply(&host, t, &Value::Null, &cfg("npm run build")).await;
    let state = assert_stable(&host, t, &state, &cfg("npm run build")).await;
    assert!(state.attr("team_id").is_null() && state.attr("framework").is_null());
    let next = cfg("pnpm build");
    let plan = host.plan_resource_change(t, &state, &proposed(&host, t, &state, &next), &next);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    for attr in ["team_id", "framework", "public_source"] {
        assert_eq!(
            plan.planned.attr(attr),
            state.attr(attr),
            "{attr} must not change"
        );
    }
    assert_eq!(
        plan.planned
            .attr("git_repository")
            .attr("production_branch"),
        &Value::string("main")
    );
    let mut expected = state.clone();
    expected.set_attr("build_command", Value::string("pnpm build"));
    assert_eq!(plan.planned, expected, "only build_command changes");
    let (state, _) = apply(&host, t, &state, &next).await;
    assert_stable(&host, t, &state, &next).await;
}

/// Changing one plain variable writes only that one: the sensitive ones, unchanged since the last
/// apply, are not PATCHed again (one list + one edit).
#[tokio::test]
async fn only_changed_variables_are_written() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let cfg = |flag: &str| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string("few-writes")),
                (
                    "environment",
                    Value::set(vec![
                        env("SECRET_A", "a-secret", &["production"], Some("sensitive")),
                        env("SECRET_B", "b-secret", &["production"], Some("sensitive")),
                        env("FLAG", flag, &["production"], Some("plain")),
                    ]),
                ),
            ],
        )
    };
    let (state, _) = apply(&host, t, &Value::Null, &cfg("1")).await;
    let state = assert_stable(&host, t, &state, &cfg("1")).await;
    let before = emu.request_total().await;
    let (state, _) = apply(&host, t, &state, &cfg("2")).await;
    assert_eq!(
        emu.request_total().await - before,
        2,
        "one env list and one PATCH of FLAG, no sensitive rewrites"
    );
    let state = assert_stable(&host, t, &state, &cfg("2")).await;

    // A changed sensitive value is written (and only it).
    let changed = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("few-writes")),
            (
                "environment",
                Value::set(vec![
                    env("SECRET_A", "a-rotated", &["production"], Some("sensitive")),
                    env("SECRET_B", "b-secret", &["production"], Some("sensitive")),
                    env("FLAG", "2", &["production"], Some("plain")),
                ]),
            ),
        ],
    );
    let before = emu.request_total().await;
    let (_, _) = apply(&host, t, &state, &changed).await;
    assert_eq!(
        emu.request_total().await - before,
        2,
        "list + PATCH SECRET_A"
    );
}

/// The project flags: set at create (in the patch after createProject, which does not take
/// them), read back, changed in place with one PATCH.
#[tokio::test]
async fn project_flags_are_set_read_and_changed_in_place() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let cfg = |auto: bool| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string("flagged")),
                ("directory_listing", Value::Bool(true)),
                ("git_fork_protection", Value::Bool(false)),
                ("auto_assign_custom_domains", Value::Bool(auto)),
            ],
        )
    };
    let (state, _) = apply(&host, t, &Value::Null, &cfg(true)).await;
    let state = assert_stable(&host, t, &state, &cfg(true)).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    let settings =
        |w: &serde_json::Value, k: &str| w["vercel"]["projects"][&id]["settings"][k].clone();
    let world = emu.state().await;
    assert_eq!(settings(&world, "directoryListing"), true);
    assert_eq!(settings(&world, "gitForkProtection"), false);
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, t, &state, &cfg(false)).await;
    assert!(replace.is_empty());
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    assert_eq!(
        state.attr("auto_assign_custom_domains"),
        &Value::Bool(false)
    );
    assert_eq!(
        settings(&emu.state().await, "autoAssignCustomDomains"),
        false
    );
    assert_stable(&host, t, &state, &cfg(false)).await;
}

/// Issue 16: a refresh reads the project and its variables in one concurrent wave, and the
/// follow-ups after the create (the settings createProject does not take, the first variables)
/// overlap too. The emulator's high-water mark of requests in flight is the proof (a small added
/// latency keeps the requests open long enough to meet); the request counts show nothing extra.
#[tokio::test]
async fn sub_reads_and_follow_up_writes_run_concurrently() {
    let (emu, host) = setup_with(Config {
        latency_ms: 100,
        ..Default::default()
    })
    .await;
    let t = "vercel_project";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("wave-project")),
            ("node_version", Value::string("20.x")),
            (
                "environment",
                Value::set(vec![env(
                    "API_URL",
                    "https://api.example.com",
                    &["production"],
                    None,
                )]),
            ),
        ],
    );
    emu.reset_requests().await;
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let create_peak = emu.get("/_emulator/concurrency").await["peak"].as_u64();
    assert_eq!(
        create_peak,
        Some(2),
        "the settings PATCH and the variables' create overlap"
    );

    emu.reset_requests().await;
    let (read, diags) = host.read_resource(t, &state).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        read, state,
        "a refresh right after the create changes nothing"
    );
    let peak = emu.get("/_emulator/concurrency").await["peak"].as_u64();
    assert_eq!(emu.request_total().await, 2, "project + variables");
    assert_eq!(peak, Some(2), "both reads are in flight at once");
}

/// A variable can apply to a custom environment (with or without a target): written with its
/// `customEnvironmentIds`, read back without a diff, and moving it off the custom environment
/// replaces it (identity is key, targets, branch and custom environments).
#[tokio::test]
async fn variables_for_custom_environments() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let cfg = |envs: Vec<Value>| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string("custom-vars")),
                ("environment", Value::set(envs)),
            ],
        )
    };
    let (project, _) = apply(&host, t, &Value::Null, &cfg(vec![])).await;
    let pid = project.attr("id").as_str().expect("project id").to_string();
    let ce_cfg = resource_config(
        &host,
        "vercel_custom_environment",
        &[
            ("project_id", Value::string(&pid)),
            ("name", Value::string("staging")),
        ],
    );
    let (ce, _) = apply(&host, "vercel_custom_environment", &Value::Null, &ce_cfg).await;
    let env_id = ce.attr("id").as_str().expect("custom env id").to_string();
    let custom = |key: &str, value: &str, targets: &[&str]| {
        let mut e = env(key, value, targets, None);
        e.set_attr(
            "custom_environment_ids",
            Value::set(vec![Value::string(&env_id)]),
        );
        if targets.is_empty() {
            e.set_attr("target", Value::Null);
        }
        e
    };
    let stored = |w: &serde_json::Value| -> Vec<(String, serde_json::Value, serde_json::Value)> {
        let mut v: Vec<_> = w["vercel"]["projects"][&pid]["env"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|v| {
                (
                    v["key"].as_str().unwrap_or_default().to_string(),
                    v["target"].clone(),
                    v["custom_environment_ids"].clone(),
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let vars = vec![
        custom("STAGING_ONLY", "1", &[]),
        custom("BOTH", "2", &["preview"]),
        env("PROD_ONLY", "3", &["production"], None),
    ];
    let (state, _) = apply(&host, t, &project, &cfg(vars.clone())).await;
    let state = assert_stable(&host, t, &state, &cfg(vars)).await;
    let ce = serde_json::json!([env_id]);
    assert_eq!(
        stored(&emu.state().await),
        vec![
            ("BOTH".into(), serde_json::json!(["preview"]), ce.clone()),
            (
                "PROD_ONLY".into(),
                serde_json::json!(["production"]),
                serde_json::json!([])
            ),
            ("STAGING_ONLY".into(), serde_json::json!([]), ce.clone()),
        ]
    );

    let moved = vec![
        env("STAGING_ONLY", "1", &["preview"], None),
        custom("BOTH", "2", &["preview"]),
        env("PROD_ONLY", "3", &["production"], None),
    ];
    let (state, replace) = apply(&host, t, &state, &cfg(moved.clone())).await;
    assert!(replace.is_empty());
    assert_stable(&host, t, &state, &cfg(moved)).await;
    let after = stored(&emu.state().await);
    assert_eq!(
        after[2],
        (
            "STAGING_ONLY".into(),
            serde_json::json!(["preview"]),
            serde_json::json!([])
        )
    );
    assert_eq!(after.len(), 3);
}

/// Function defaults, Skew Protection and the remaining flags: set at create, read back, changed
/// in place with one PATCH carrying only what changed, and left alone when unset.
#[tokio::test]
async fn function_defaults_and_flags_are_set_and_changed_in_place() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let rc = |timeout: i64, regions: &[&str]| {
        Value::object([
            ("function_default_cpu_type", Value::string("performance")),
            ("function_default_timeout", Value::int(timeout)),
            ("fluid", Value::Null),
            (
                "function_default_regions",
                Value::set(regions.iter().map(|r| Value::string(*r)).collect()),
            ),
        ])
    };
    let cfg = |rc: Value, skew: &str, lfs: bool, failover: bool| {
        resource_config(
            &host,
            t,
            &[
                ("name", Value::string("functions")),
                ("resource_config", rc),
                ("skew_protection", Value::string(skew)),
                ("git_lfs", Value::Bool(lfs)),
                ("function_failover", Value::Bool(failover)),
                ("customer_success_code_visibility", Value::Bool(true)),
                ("enable_preview_feedback", Value::Bool(false)),
                ("enable_affected_projects_deployments", Value::Bool(true)),
            ],
        )
    };
    let first = cfg(rc(60, &["iad1", "fra1"]), "12 hours", true, true);
    let (state, _) = apply(&host, t, &Value::Null, &first).await;
    let state = assert_stable(&host, t, &state, &first).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    let settings =
        |w: &serde_json::Value, k: &str| w["vercel"]["projects"][&id]["settings"][k].clone();
    let world = emu.state().await;
    let stored = settings(&world, "resourceConfig");
    assert_eq!(stored["functionDefaultMemoryType"], "performance");
    assert_eq!(stored["functionDefaultTimeout"], 60);
    assert_eq!(stored["fluid"], true, "an unset member keeps the default");
    assert_eq!(settings(&world, "skewProtectionMaxAge"), 43_200);
    assert_eq!(settings(&world, "gitLFS"), true);
    assert_eq!(
        settings(&world, "serverlessFunctionZeroConfigFailover"),
        true
    );
    assert_eq!(settings(&world, "customerSupportCodeVisibility"), true);
    assert_eq!(settings(&world, "enablePreviewFeedback"), false);
    assert_eq!(settings(&world, "enableAffectedProjectsDeployments"), true);
    assert_eq!(
        state.attr("resource_config").attr("fluid"),
        &Value::Bool(true),
        "computed from the API"
    );

    let second = cfg(rc(120, &["iad1", "fra1"]), "1 day", true, false);
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, t, &state, &second).await;
    assert!(replace.is_empty());
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    let state = assert_stable(&host, t, &state, &second).await;
    let world = emu.state().await;
    assert_eq!(
        settings(&world, "resourceConfig")["functionDefaultTimeout"],
        120
    );
    assert_eq!(settings(&world, "skewProtectionMaxAge"), 86_400);
    assert_eq!(
        settings(&world, "serverlessFunctionZeroConfigFailover"),
        false
    );

    // Removing Skew Protection turns it off; an unset resource_config keeps what the project has.
    let third = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("functions")),
            ("git_lfs", Value::Bool(true)),
            ("customer_success_code_visibility", Value::Bool(true)),
            ("enable_preview_feedback", Value::Bool(false)),
            ("enable_affected_projects_deployments", Value::Bool(true)),
        ],
    );
    let (state, _) = apply(&host, t, &state, &third).await;
    let state = assert_stable(&host, t, &state, &third).await;
    assert!(state.attr("skew_protection").is_null());
    assert_eq!(
        state
            .attr("resource_config")
            .attr("function_default_timeout"),
        &Value::int(120)
    );
    assert_eq!(settings(&emu.state().await, "skewProtectionMaxAge"), 0);
}

/// `resource_config.build_machine_type` and `oidc_token_config.issuer_mode`: sent with the
/// create (both are createProject fields; the strict-spec check sees the body), read back,
/// changed in place with one PATCH, kept when unset; unset at create, they are computed from the
/// API (`team`, the spec's default; no build machine type).
#[tokio::test]
async fn build_machine_and_oidc_issuer_are_set_at_create_and_changed_in_place() {
    let (emu, host) = setup().await;
    let t = "vercel_project";
    let cfg = |machine: Option<&str>, issuer: Option<&str>| {
        let mut pairs = vec![("name", Value::string("builds"))];
        if let Some(m) = machine {
            pairs.push((
                "resource_config",
                Value::object([("build_machine_type", Value::string(m))]),
            ));
        }
        if let Some(i) = issuer {
            pairs.push((
                "oidc_token_config",
                Value::object([("issuer_mode", Value::string(i))]),
            ));
        }
        resource_config(&host, t, &pairs)
    };
    let first = cfg(Some("enhanced"), Some("global"));
    let (state, _) = apply(&host, t, &Value::Null, &first).await;
    let state = assert_stable(&host, t, &state, &first).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    let settings =
        |w: &serde_json::Value, k: &str| w["vercel"]["projects"][&id]["settings"][k].clone();
    let world = emu.state().await;
    assert_eq!(
        settings(&world, "resourceConfig")["buildMachineType"],
        "enhanced"
    );
    assert_eq!(
        settings(&world, "resourceConfig")["fluid"],
        true,
        "the other members keep their defaults"
    );
    assert_eq!(
        settings(&world, "oidcTokenConfig"),
        serde_json::json!({"enabled": true, "issuerMode": "global"})
    );
    assert_eq!(
        state
            .attr("resource_config")
            .attr("function_default_timeout"),
        &Value::int(300),
        "computed from the API"
    );

    let second = cfg(Some("turbo"), Some("team"));
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, t, &state, &second).await;
    assert!(replace.is_empty());
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    let state = assert_stable(&host, t, &state, &second).await;
    let world = emu.state().await;
    assert_eq!(
        settings(&world, "resourceConfig")["buildMachineType"],
        "turbo"
    );
    assert_eq!(settings(&world, "oidcTokenConfig")["issuerMode"], "team");

    // Unset keeps what the project has: the plan is empty.
    let third = cfg(None, None);
    let state = assert_stable(&host, t, &state, &third).await;
    assert_eq!(
        state.attr("resource_config").attr("build_machine_type"),
        &Value::string("turbo")
    );

    // A project that never set them reports the API's values.
    let plain = resource_config(&host, t, &[("name", Value::string("plain-builds"))]);
    let (other, _) = apply(&host, t, &Value::Null, &plain).await;
    let other = assert_stable(&host, t, &other, &plain).await;
    assert_eq!(
        other.attr("oidc_token_config").attr("issuer_mode"),
        &Value::string("team")
    );
    assert!(other
        .attr("resource_config")
        .attr("build_machine_type")
        .is_null());
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}
