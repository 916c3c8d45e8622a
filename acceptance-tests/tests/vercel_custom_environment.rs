//! vercel_custom_environment through real Terraform against the emulator: apply (with a domain
//! serving it and a variable targeting it) → no-change plan → rename in place → import (CLI by
//! name, block by id with the team, identity) → destroy → emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    vercel = { source = "paasform/vercel" }
  }
}
"#;

fn config(name: &str, pattern: &str, import: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "vercel_project" "shop" {{
  name = "shop"
}}

resource "vercel_custom_environment" "staging" {{
  project_id  = vercel_project.shop.id
  name        = "{name}"
  description = "Release candidates"
  branch_tracking = {{
    type    = "startsWith"
    pattern = "{pattern}"
  }}
}}

resource "vercel_project_domain" "staging" {{
  project_id            = vercel_project.shop.id
  domain                = "staging.shop.dev"
  custom_environment_id = vercel_custom_environment.staging.id
}}

output "env_id" {{
  value = vercel_custom_environment.staging.id
}}
{import}"#
    )
}

#[test]
fn vercel_custom_environment_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_custom_environment_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("staging", "release/", ""));
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    let id = out["env_id"]["value"].as_str().expect("id").to_string();
    assert!(id.starts_with("env_"), "{out}");

    // A rename and a new pattern change the environment in place.
    ws.write_file("main.tf", &config("qa", "qa/", ""));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws
        .resource_values("vercel_custom_environment.staging")
        .expect("in state");
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["name"], "qa");
    let project = v["project_id"].as_str().expect("project id").to_string();
    let team = v["team_id"]
        .as_str()
        .map(|t| format!("{t}/"))
        .unwrap_or_default();

    // Import by CLI with the environment's name.
    let cli = Workspace::new("vercel_custom_environment_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &config("qa", "qa/", ""));
    cli.import("vercel_project.shop", &project);
    cli.import(
        "vercel_custom_environment.staging",
        &format!("{project}/qa"),
    );
    cli.import(
        "vercel_project_domain.staging",
        &format!("{project}/staging.shop.dev"),
    );
    cli.assert_no_changes();

    // Import by block with the team and the id.
    let block = Workspace::new("vercel_custom_environment_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &config(
            "qa",
            "qa/",
            &format!(
                "import {{\n  to = vercel_project.shop\n  id = \"{project}\"\n}}\nimport {{\n  to = vercel_custom_environment.staging\n  id = \"{team}{project}/{id}\"\n}}\nimport {{\n  to = vercel_project_domain.staging\n  id = \"{project}/staging.shop.dev\"\n}}\n"
            ),
        ),
    );
    block.apply();
    block.assert_no_changes();

    if terraform().supports_import_identity() {
        let ident =
            Workspace::new("vercel_custom_environment_import_identity").with_emulator(&emulator);
        ident.write_file(
            "main.tf",
            &config(
                "qa",
                "qa/",
                &format!(
                    "import {{\n  to = vercel_project.shop\n  id = \"{project}\"\n}}\nimport {{\n  to       = vercel_custom_environment.staging\n  identity = {{ project_id = \"{project}\", id = \"{id}\" }}\n}}\nimport {{\n  to = vercel_project_domain.staging\n  id = \"{project}/staging.shop.dev\"\n}}\n"
                ),
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    } else {
        println!("skipping the identity import: Terraform < 1.12 has no import identity");
    }

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn reserved_names_are_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_custom_environment_invalid").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!("{PROVIDERS}\nresource \"vercel_custom_environment\" \"bad\" {{\n  project_id = \"prj_1\"\n  name = \"preview\"\n  branch_tracking = {{\n    type = \"contains\"\n    pattern = \"x\"\n  }}\n}}\n"),
    );
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0));
    let text = format!("{}{}", out.stdout, out.stderr);
    for needle in ["standard environments", "\"contains\" is not one of"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
    assert!(emulator.requests().is_empty());
}
