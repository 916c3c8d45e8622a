//! `terraform-provider-paasform blueprint` through real Terraform: the module generated from each
//! documented architecture's Blueprint (examples/architectures/<name>/render.yaml), from a
//! Blueprint using every mapped field and from a multi-environment project with env groups is
//! `fmt`-clean, `init`s through the filesystem mirror, `validate`s, applies against the emulator
//! with the example inputs it writes, plans no changes, and destroys to an empty emulator.

use std::process::Command;

use paasform_acceptance_tests::{provider_binary, workspace_root, Emulator, Workspace};

fn blueprint_path(name: &str) -> std::path::PathBuf {
    let beside_module = workspace_root()
        .join("examples/architectures")
        .join(name)
        .join("render.yaml");
    if beside_module.exists() {
        return beside_module;
    }
    workspace_root()
        .join("provider/tests/fixtures/blueprints")
        .join(format!("{name}.render.yaml"))
}

/// Runs the converter into the workspace; returns its stderr (the warnings).
fn convert_into(ws: &Workspace, name: &str) -> String {
    let out = Command::new(provider_binary())
        .arg("blueprint")
        .arg(blueprint_path(name))
        .arg("--out")
        .arg(ws.dir())
        .output()
        .expect("run the provider binary");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "blueprint {name} failed: {stderr}");
    for file in ["main.tf", "variables.tf", "outputs.tf", "versions.tf"] {
        assert!(ws.dir().join(file).exists(), "{file} not written: {stderr}");
    }
    // The example inputs become the demo values (terraform.tfvars is loaded automatically).
    let example = std::fs::read_to_string(ws.dir().join("terraform.tfvars.example"))
        .expect("terraform.tfvars.example");
    ws.write_file("terraform.tfvars", &example);
    stderr
}

#[track_caller]
fn ok(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.run(args);
    assert!(
        out.success(),
        "`terraform {}` failed\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        out.stdout,
        out.stderr
    );
    out.stdout
}

fn lifecycle(name: &str, services: &[&str], databases: &[&str]) -> String {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::with_mirror(&format!("blueprint_{name}")).with_emulator(&emulator);
    let warnings = convert_into(&ws, name);
    ok(&ws, &["fmt", "-check", "-diff"]);
    ws.init();
    assert!(ws.dir().join(".terraform.lock.hcl").exists());
    ok(&ws, &["validate"]);
    ws.apply();
    ws.assert_no_changes();
    for s in services {
        let v = ws
            .resource_values(&format!("render_service.{s}"))
            .unwrap_or_else(|| panic!("render_service.{s} not in state"));
        assert!(
            v["id"].as_str().is_some_and(|id| id.starts_with("srv-")),
            "{v}"
        );
    }
    for d in databases {
        let v = ws
            .resource_values(&format!("render_database.{d}"))
            .unwrap_or_else(|| panic!("render_database.{d} not in state"));
        assert!(v["id"].as_str().is_some_and(|id| !id.is_empty()), "{v}");
    }
    let outputs = ws.output_json();
    assert_eq!(
        outputs.as_object().map(|o| o.len()),
        Some(services.len() + databases.len()),
        "{outputs}"
    );
    ws.destroy();
    emulator.assert_empty();
    warnings
}

#[test]
fn vulcan_blueprint_applies() {
    let warnings = lifecycle("vulcan", &["vulcan_web", "vulcan_orchestrator"], &[]);
    assert!(!warnings.contains("warning:"), "{warnings}");
}

#[test]
fn kirby_gen_blueprint_applies() {
    let warnings = lifecycle(
        "kirby-gen",
        &[
            "kirby_gen_web",
            "kirby_gen_api",
            "kirby_gen_skills",
            "kirby_gen_worker",
        ],
        &["kirby_gen_db", "kirby_gen_redis"],
    );
    assert!(
        warnings.contains("warning: services[2].healthCheckPath:"),
        "{warnings}"
    );
}

/// Every mapped field (docker, image, static site headers/routes, cron, Key Value, Postgres
/// replicas, groups, hostport/envVarKey references): the provider accepts what is generated.
#[test]
fn every_mapped_field_validates_and_applies() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::with_mirror("blueprint_everything").with_emulator(&emulator);
    convert_into(&ws, "everything");
    ok(&ws, &["fmt", "-check", "-diff"]);
    ws.init();
    ok(&ws, &["validate"]);
    // Two emulator gaps, so these lines are checked by `fmt` and `validate` only: it does not
    // serve GET /services/{id}/headers and /routes (Render's spec has them), and it accepts a
    // registry credential id without echoing `registryCredential` back (a perpetual diff).
    let main = std::fs::read_to_string(ws.dir().join("main.tf")).expect("main.tf");
    let skipped = |l: &str| {
        let l = l.trim_start();
        l.starts_with("headers ")
            || l.starts_with("routes ")
            || l.starts_with("registry_credential_id ")
    };
    let without: Vec<&str> = main.lines().filter(|l| !skipped(l)).collect();
    assert_eq!(
        main.lines().count() - without.len(),
        4,
        "headers, routes and two registry credentials, one line each"
    );
    ws.write_file("main.tf", &(without.join("\n") + "\n"));
    ws.apply();
    ws.assert_no_changes();
    let jobs = ws
        .resource_values("render_service.jobs")
        .expect("jobs in state");
    assert!(
        jobs["env_vars"]["API_HOSTPORT"]["value"]
            .as_str()
            .is_some_and(|v| v.ends_with(":8080") && !v.starts_with(':')),
        "{jobs}"
    );
    let shared = ws
        .resource_values("render_env_group.shared")
        .expect("the env group in state");
    assert!(
        jobs["env_vars"]["API_SECRET"]["value"]
            .as_str()
            .is_some_and(|v| !v.is_empty()),
        "{jobs}"
    );
    assert_eq!(
        jobs["env_vars"]["API_SECRET"]["value"], shared["env_vars"]["SHARED_SECRET"]["value"],
        "envVarKey of a grouped key reads the group's one generated value"
    );
    let staging = ws
        .resource_values("render_service.staging_worker")
        .expect("staging_worker in state");
    let project = ws
        .resource_values("render_project.extra")
        .expect("the project in state");
    assert_eq!(
        staging["environment_id"], project["environments"]["staging"]["id"],
        "placed in its environment"
    );
    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn broken_blueprint_is_a_clear_error() {
    let ws = Workspace::new("blueprint_broken");
    ws.write_file(
        "render.yaml",
        "services:\n  - type: web\n    numInstances: many\n",
    );
    let out = Command::new(provider_binary())
        .arg("blueprint")
        .arg(ws.dir().join("render.yaml"))
        .output()
        .expect("run the provider binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("services[0].numInstances: invalid type"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// A project with staging and production (the same service and database names in both), env
/// groups at the top level, the project and each environment, and an ungrouped cron job: every
/// resource lands in its environment, every group is linked to the services using it and shares
/// one generated value, and the whole module plans clean and destroys to an empty emulator.
#[test]
fn projects_blueprint_applies_with_environments_and_env_groups() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::with_mirror("blueprint_projects").with_emulator(&emulator);
    let warnings = convert_into(&ws, "projects");
    assert!(
        warnings.contains("warning: projects[0].environments[1].services[0].name:"),
        "{warnings}"
    );
    ok(&ws, &["fmt", "-check", "-diff"]);
    ws.init();
    ok(&ws, &["validate"]);
    ws.apply();
    ws.assert_no_changes();
    let value = |address: &str| {
        ws.resource_values(address)
            .unwrap_or_else(|| panic!("{address} not in state"))
    };
    let project = value("render_project.robot");
    let env_id = |name: &str| {
        let id = project["environments"][name]["id"].clone();
        assert!(id.as_str().is_some_and(|i| !i.is_empty()), "{project}");
        id
    };
    assert_eq!(
        project["environments"]["production"]["protected_status"],
        "protected"
    );
    assert_eq!(
        project["environments"]["production"]["network_isolated"],
        true
    );
    for (address, env) in [
        ("render_service.api_staging", Some("staging")),
        ("render_service.jobs", Some("staging")),
        ("render_database.db_staging", Some("staging")),
        ("render_env_group.env_config_staging", Some("staging")),
        ("render_service.api_production", Some("production")),
        ("render_database.db_production", Some("production")),
        ("render_database.cache", Some("production")),
        ("render_env_group.env_config_production", Some("production")),
        ("render_service.report", None),
        ("render_env_group.shared", None),
        ("render_env_group.global", None),
    ] {
        let got = value(address)["environment_id"].clone();
        let want = env.map(env_id).unwrap_or(serde_json::Value::Null);
        assert_eq!(got, want, "{address}");
    }
    // Each api reads its own environment's database.
    for (service, db) in [
        ("render_service.api_staging", "render_database.db_staging"),
        (
            "render_service.api_production",
            "render_database.db_production",
        ),
    ] {
        assert_eq!(
            value(service)["env_vars"]["DATABASE_URL"]["value"],
            value(db)["internal_connection_string"],
            "{service}"
        );
    }
    // One generated value in the group, read by the worker through envVarKey.
    let shared = value("render_env_group.shared");
    let secret = shared["env_vars"]["SESSION_SECRET"]["value"].clone();
    assert!(secret.as_str().is_some_and(|v| !v.is_empty()), "{shared}");
    assert_eq!(
        value("render_service.jobs")["env_vars"]["SECRET_COPY"]["value"],
        secret
    );
    // The links, as the emulator holds them.
    let id = |address: &str| {
        value(address)["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let state = emulator.state();
    let linked = |group: &str| -> Vec<String> {
        let gid = id(group);
        let mut ids: Vec<String> = state["render"]["env_groups"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["id"] == gid.as_str())
            .unwrap_or_else(|| panic!("{group} not in the emulator: {state}"))["serviceIds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        ids.sort();
        ids
    };
    let sorted = |addresses: &[&str]| {
        let mut v: Vec<String> = addresses.iter().map(|a| id(a)).collect();
        v.sort();
        v
    };
    assert_eq!(
        linked("render_env_group.shared"),
        sorted(&[
            "render_service.api_staging",
            "render_service.jobs",
            "render_service.api_production"
        ])
    );
    assert_eq!(
        linked("render_env_group.env_config_staging"),
        sorted(&["render_service.api_staging"])
    );
    assert_eq!(
        linked("render_env_group.global"),
        sorted(&["render_service.api_staging"])
    );
    ws.destroy();
    emulator.assert_empty();
}
