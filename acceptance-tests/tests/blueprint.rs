//! `terraform-provider-paasform blueprint` through real Terraform: the module generated from each
//! documented architecture's Blueprint (examples/architectures/<name>/render.yaml) is `fmt`-clean,
//! `init`s through the filesystem mirror, `validate`s, applies against the emulator with the
//! example inputs it writes, plans no changes, and destroys to an empty emulator.

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
    let api = ws
        .resource_values("render_service.api")
        .expect("api in state");
    assert_eq!(
        jobs["env_vars"]["API_SECRET"]["value"], api["env_vars"]["SHARED_SECRET"]["value"],
        "envVarKey reads the other service's generated value"
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
