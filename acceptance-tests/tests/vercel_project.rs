//! vercel_project through real Terraform against the emulator: apply → no-change plan → update
//! (env var added, edited, removed; rename) → import (CLI and block) → destroy → emulator empty.

use paasform_acceptance_tests::{Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    vercel = { source = "paasform/vercel" }
  }
}
"#;

fn config(name: &str, envs: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "vercel_project" "web" {{
  name             = "{name}"
  framework        = "vite"
  root_directory   = "frontend"
  build_command    = "pnpm build"
  output_directory = "dist"
  node_version     = "18.x"
  git_repository = {{
    type = "github"
    repo = "acme/infra402"
  }}
  environment = [{envs}]
}}
"#
    )
}

const ENV_V1: &str = r#"
    { key = "VITE_CHAT_API_BASE", value = "https://tunnel.example.com", target = ["production", "preview"] },
    { key = "OLD_FLAG", value = "1", target = ["development"], type = "plain" },
"#;
const ENV_V2: &str = r#"
    { key = "VITE_CHAT_API_BASE", value = "https://tunnel2.example.com", target = ["production", "preview"] },
    { key = "NEW_FLAG", value = "yes", target = ["preview"], git_branch = "staging", comment = "branch flag" },
"#;

#[test]
fn vercel_project_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("infra402-web", ENV_V1));
    ws.apply();
    ws.assert_no_changes();

    ws.write_file("main.tf", &config("infra402-frontend", ENV_V2));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws.resource_values("vercel_project.web").expect("in state");
    let id = v["id"].as_str().expect("id").to_string();
    assert_eq!(v["name"], "infra402-frontend");

    let cli = Workspace::new("vercel_project_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &config("infra402-frontend", ENV_V2));
    cli.import("vercel_project.web", &id);
    cli.assert_no_changes();

    let block = Workspace::new("vercel_project_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = vercel_project.web\n  id = \"{id}\"\n}}\n",
            config("infra402-frontend", ENV_V2)
        ),
    );
    block.apply();
    block.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn bad_input_is_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_invalid").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!("{PROVIDERS}\nresource \"vercel_project\" \"bad\" {{\n  name = \"Bad Name\"\n  framework = \"rails\"\n  environment = [{{ key = \"K\", value = \"v\", target = [\"production\"], git_branch = \"main\" }}]\n}}\n"),
    );
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0));
    let text = format!("{}{}", out.stdout, out.stderr);
    for needle in ["name", "framework", "git_branch"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
    assert!(emulator.requests().is_empty());
}
