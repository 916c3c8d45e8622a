//! `railway_shared_variable` through real Terraform against the emulator: a plain and a
//! write-only shared variable → apply → no-change plan → update (value change, version bump) →
//! the write-only value nowhere in state or plan output → CLI import and `import {}` (and, on
//! Terraform ≥ 1.12, `import { identity = {…} }`) into fresh state with no changes → destroy →
//! emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    railway = { source = "paasform/railway" }
  }
}
"#;

fn config(level: &str, secret: &str, version: u32) -> String {
    format!(
        r#"{PROVIDERS}
resource "railway_project" "p" {{
  name = "shared-vars"
}}

resource "railway_shared_variable" "log_level" {{
  project_id     = railway_project.p.id
  environment_id = railway_project.p.default_environment_id
  name           = "LOG_LEVEL"
  value          = "{level}"
}}

resource "railway_shared_variable" "openai" {{
  project_id       = railway_project.p.id
  environment_id   = railway_project.p.default_environment_id
  name             = "OPENAI_API_KEY"
  value_wo         = "{secret}"
  value_wo_version = {version}
}}
"#
    )
}

/// The environment's shared variables as the emulator holds them.
fn shared(emulator: &Emulator, env: &str) -> serde_json::Value {
    emulator.state()["railway"]["variables"][format!("{env}/shared")].clone()
}

/// A workspace that manages only `LOG_LEVEL` of an existing project, with `import` appended.
fn adopting(pid: &str, env: &str, import: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "railway_shared_variable" "log_level" {{
  project_id     = "{pid}"
  environment_id = "{env}"
  name           = "LOG_LEVEL"
  value          = "debug"
}}
{import}"#
    )
}

#[test]
fn shared_variable_lifecycle_import_and_write_only_value() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("railway_shared_variable").with_emulator(&emulator);
    ws.write_file("main.tf", &config("info", "sk-wo-first-1111", 1));
    ws.apply();
    ws.assert_no_changes();
    let project = ws.resource_values("railway_project.p").expect("project");
    let pid = project["id"].as_str().expect("id").to_string();
    let env = project["default_environment_id"]
        .as_str()
        .expect("env")
        .to_string();
    assert_eq!(
        shared(&emulator, &env)["OPENAI_API_KEY"],
        "sk-wo-first-1111"
    );
    assert_eq!(shared(&emulator, &env)["LOG_LEVEL"], "info");

    // Update: a new value in place; a new secret with a version bump is sent again.
    ws.write_file("main.tf", &config("debug", "sk-wo-second-2222", 2));
    let plan = ws.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("2 to change") && !plan.stdout.contains("sk-wo-second-2222"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        shared(&emulator, &env)["OPENAI_API_KEY"],
        "sk-wo-second-2222"
    );
    assert_eq!(shared(&emulator, &env)["LOG_LEVEL"], "debug");
    let state = ws.state_json().to_string();
    let file = std::fs::read_to_string(ws.dir().join("terraform.tfstate")).expect("state file");
    for secret in ["sk-wo-first-1111", "sk-wo-second-2222"] {
        assert!(
            !state.contains(secret) && !file.contains(secret),
            "{secret} in state"
        );
    }

    // CLI import into fresh state: no changes afterwards.
    let cli = Workspace::new("railway_shared_variable_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &adopting(&pid, &env, ""));
    cli.import(
        "railway_shared_variable.log_level",
        &format!("{pid}/{env}/LOG_LEVEL"),
    );
    cli.assert_no_changes();
    cli.run(&["state", "rm", "railway_shared_variable.log_level"]);

    // `import {}` by id.
    let block = Workspace::new("railway_shared_variable_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &adopting(
            &pid,
            &env,
            &format!(
                "import {{\n  to = railway_shared_variable.log_level\n  id = \"{pid}/{env}/LOG_LEVEL\"\n}}\n"
            ),
        ),
    );
    block.apply();
    block.assert_no_changes();
    block.run(&["state", "rm", "railway_shared_variable.log_level"]);

    // `import { identity = {…} }` (Terraform ≥ 1.12).
    if terraform().supports_import_identity() {
        let by_identity =
            Workspace::new("railway_shared_variable_identity").with_emulator(&emulator);
        by_identity.write_file(
            "main.tf",
            &adopting(
                &pid,
                &env,
                &format!(
                    "import {{\n  to = railway_shared_variable.log_level\n  identity = {{\n    project_id     = \"{pid}\"\n    environment_id = \"{env}\"\n    name           = \"LOG_LEVEL\"\n  }}\n}}\n"
                ),
            ),
        );
        by_identity.apply();
        by_identity.assert_no_changes();
        let imported = by_identity
            .resource_values("railway_shared_variable.log_level")
            .expect("imported");
        assert_eq!(imported["id"], "LOG_LEVEL", "{imported}");
        by_identity.run(&["state", "rm", "railway_shared_variable.log_level"]);
    }

    ws.destroy();
    emulator.assert_empty();
}
