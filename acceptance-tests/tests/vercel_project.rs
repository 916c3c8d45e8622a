//! vercel_project through real Terraform against the emulator: apply → no-change plan → update
//! (env var added, edited, removed; rename) → import (CLI, block and identity) → destroy → emulator
//! empty; the data source read by id and by name.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

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
    // Issue 18: an update shows only what it alters (no production_branch, team_id, …).
    assert!(
        !plan.stdout.contains("known after apply"),
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

const DATA_SOURCES: &str = r#"
data "vercel_project" "by_id" {
  id = vercel_project.web.id
}

data "vercel_project" "by_name" {
  name = vercel_project.web.name
}

"#;

/// The same attributes of the resource and of both data sources, as three outputs.
fn outputs() -> String {
    let mut out = String::new();
    for (name, src) in [
        ("resource", "vercel_project.web"),
        ("by_id", "data.vercel_project.by_id"),
        ("by_name", "data.vercel_project.by_name"),
    ] {
        let attrs = ["id", "name", "framework", "build_command", "node_version"]
            .map(|a| format!("    {a} = {src}.{a}\n"))
            .concat();
        out += &format!(
            "output \"{name}\" {{\n  value = {{\n{attrs}    repo = {src}.git_repository.repo\n  }}\n}}\n"
        );
    }
    out
}

#[test]
fn data_source_reads_the_project_by_id_and_by_name() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_data_source").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            "{}\n{DATA_SOURCES}{}",
            config("infra402-data", ENV_V1),
            outputs()
        ),
    );
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    let resource = &out["resource"]["value"];
    assert!(
        resource["id"].as_str().is_some_and(|i| !i.is_empty()),
        "{out}"
    );
    assert_eq!(resource["framework"], "vite", "{out}");
    assert_eq!(resource["repo"], "acme/infra402", "{out}");
    for key in ["by_id", "by_name"] {
        assert_eq!(&out[key]["value"], resource, "{key} differs: {out}");
    }

    // A project nobody made: a clear not-found error naming what was searched.
    ws.write_file(
        "main.tf",
        &format!(
            "{}\n{DATA_SOURCES}{}\ndata \"vercel_project\" \"missing\" {{\n  name = \"no-such-project\"\n}}\n",
            config("infra402-data", ENV_V1),
            outputs()
        ),
    );
    let plan = ws.run(&["plan", "-no-color"]);
    assert_ne!(plan.code, Some(0));
    let text = format!("{}{}", plan.stdout, plan.stderr);
    assert!(text.contains("no-such-project"), "{text}");

    ws.write_file("main.tf", &config("infra402-data", ENV_V1));
    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn data_source_needs_exactly_one_lookup_key() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_data_source_invalid").with_emulator(&emulator);
    for (body, needle) in [("", "id"), ("id = \"prj_1\"\n  name = \"web\"", "name")] {
        ws.write_file(
            "main.tf",
            &format!("{PROVIDERS}\ndata \"vercel_project\" \"x\" {{\n  {body}\n}}\n"),
        );
        let out = ws.run(&["validate", "-no-color"]);
        assert_ne!(out.code, Some(0), "{body:?} must be rejected");
        let text = format!("{}{}", out.stdout, out.stderr);
        assert!(text.contains(needle), "{body:?}: {text}");
    }
    assert!(emulator.requests().is_empty());
}

#[test]
fn import_by_identity_plans_no_diff() {
    if !terraform().supports_import_identity() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_identity_source").with_emulator(&emulator);
    ws.write_file("main.tf", &config("infra402-identity", ENV_V2));
    ws.apply();
    let id = ws.resource_values("vercel_project.web").expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string();

    let block = Workspace::new("vercel_project_import_identity").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to       = vercel_project.web\n  identity = {{ id = \"{id}\" }}\n}}\n",
            config("infra402-identity", ENV_V2)
        ),
    );
    block.apply();
    block.assert_no_changes();
    assert_eq!(
        block
            .resource_values("vercel_project.web")
            .expect("imported")["id"],
        id.as_str()
    );
    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn changing_the_repository_relinks_without_replacing() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_relink").with_emulator(&emulator);
    ws.write_file("main.tf", &config("infra402-relink", ENV_V1));
    ws.apply();
    let id = ws.resource_values("vercel_project.web").expect("in state")["id"].clone();

    ws.write_file(
        "main.tf",
        &config("infra402-relink", ENV_V1).replace("acme/infra402", "acme/infra402-next"),
    );
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws.resource_values("vercel_project.web").expect("in state");
    assert_eq!(v["id"], id, "the project survives the relink");
    assert_eq!(v["git_repository"]["repo"], "acme/infra402-next");
    ws.destroy();
    emulator.assert_empty();
}

/// Function defaults (build machine included), the OIDC issuer, Skew Protection and the remaining
/// flags, and a variable for a custom environment only (no target): apply → no-change plan →
/// update (timeout, build machine, issuer, window, the custom environment's variable; its id literal, as a project cannot reference its own custom
/// environment without a cycle) → import → destroy → emulator empty.
fn functions_config(timeout: u32, skew: &str, builds: (&str, &str), envs: &str) -> String {
    let (machine, issuer) = builds;
    format!(
        r#"{PROVIDERS}
resource "vercel_project" "web" {{
  name            = "functions-web"
  skew_protection = "{skew}"
  git_lfs         = true
  customer_success_code_visibility     = true
  enable_preview_feedback              = false
  enable_affected_projects_deployments = true
  resource_config = {{
    function_default_cpu_type = "performance"
    function_default_timeout  = {timeout}
    function_default_regions  = ["iad1", "fra1"]
    build_machine_type        = "{machine}"
  }}
  oidc_token_config = {{
    issuer_mode = "{issuer}"
  }}
  environment = [
    {{ key = "API_URL", value = "https://api.example.com", target = ["production"] }},
    {envs}
  ]
}}
"#
    )
}

fn custom_environment() -> &'static str {
    r#"
resource "vercel_custom_environment" "staging" {
  project_id = vercel_project.web.id
  name       = "staging"
}
"#
}

#[test]
fn function_defaults_flags_and_custom_environment_variables() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_functions").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &(functions_config(60, "12 hours", ("enhanced", "global"), "") + custom_environment()),
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws.resource_values("vercel_project.web").expect("in state");
    assert_eq!(v["resource_config"]["fluid"], true, "computed from the API");
    assert_eq!(v["resource_config"]["build_machine_type"], "enhanced");
    assert_eq!(v["oidc_token_config"]["issuer_mode"], "global");
    let env_id = ws
        .resource_values("vercel_custom_environment.staging")
        .expect("custom environment")["id"]
        .as_str()
        .expect("id")
        .to_string();

    let staging_var = format!(
        r#"{{ key = "STAGING_ONLY", value = "s", custom_environment_ids = ["{env_id}"] }},"#
    );
    let updated = functions_config(120, "1 day", ("turbo", "team"), &staging_var);
    ws.write_file("main.tf", &(updated.clone() + custom_environment()));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws.resource_values("vercel_project.web").expect("in state");
    assert_eq!(v["resource_config"]["function_default_timeout"], 120);
    assert_eq!(v["skew_protection"], "1 day");
    assert_eq!(v["resource_config"]["build_machine_type"], "turbo");
    assert_eq!(v["oidc_token_config"]["issuer_mode"], "team");
    let vars = v["environment"].as_array().cloned().unwrap_or_default();
    let staging = vars.iter().find(|e| e["key"] == "STAGING_ONLY");
    assert_eq!(
        staging.map(|e| (e["target"].clone(), e["custom_environment_ids"].clone())),
        Some((serde_json::Value::Null, serde_json::json!([env_id])))
    );
    let id = v["id"].as_str().expect("id").to_string();

    let cli = Workspace::new("vercel_project_functions_import").with_emulator(&emulator);
    cli.write_file("main.tf", &updated);
    cli.import("vercel_project.web", &id);
    cli.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}
