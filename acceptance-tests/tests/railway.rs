//! Railway through real Terraform against the emulator: a project, a staging environment and two
//! services from one monorepo (the FastAPI API and the arq worker: different start commands, the
//! same variables) apply → no-change plan → update (start command, a variable removed, replicas)
//! → import (CLI and `import {}` block) → no-change plan → destroy → emulator empty. And invalid
//! configurations rejected by `terraform validate` without a request.

use paasform_acceptance_tests::{Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    railway = { source = "paasform/railway" }
  }
}
"#;

/// The two services; `project` is an HCL expression (a reference or a quoted id).
fn services(project: &str, api_start: &str, replicas: u32, worker_vars: &str) -> String {
    format!(
        r#"
locals {{
  shared = {{
    SUPABASE_URL       = "https://xyz.supabase.co"
    OPENAI_API_KEY     = "sk-test"
    LITELLM_MASTER_KEY = "sk-litellm"
  }}
}}

resource "railway_service" "api" {{
  project_id       = {project}
  name             = "api"
  source_repo      = "acme/codewarden"
  branch           = "main"
  root_directory   = "/api"
  build_command    = "pip install -r requirements.txt"
  start_command    = "{api_start}"
  healthcheck_path = "/healthz"
  num_replicas     = {replicas}
  variables        = local.shared
  service_domain   = true
  custom_domains   = ["api.codewarden.io"]
}}

resource "railway_service" "worker" {{
  project_id     = {project}
  name           = "worker"
  source_repo    = "acme/codewarden"
  branch         = "main"
  root_directory = "/api"
  start_command  = "arq worker.WorkerSettings"
  restart_policy_type = "ALWAYS"
  variables      = {worker_vars}
}}
"#
    )
}

fn full(api_start: &str, replicas: u32, worker_vars: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "railway_project" "cw" {{
  name        = "codewarden"
  description = "CodeWarden backend"
}}

resource "railway_environment" "staging" {{
  project_id = railway_project.cw.id
  name       = "staging"
}}
{}"#,
        services("railway_project.cw.id", api_start, replicas, worker_vars)
    )
}

const API_V1: &str = "uvicorn main:app --host 0.0.0.0 --port $PORT";
const API_V2: &str = "gunicorn -k uvicorn.workers.UvicornWorker main:app";
const WORKER_V2_VARS: &str =
    r#"{ for k, v in local.shared : k => v if k != "LITELLM_MASTER_KEY" }"#;

#[test]
fn railway_project_environment_and_services_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("railway_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &full(API_V1, 2, "local.shared"));
    ws.apply();
    ws.assert_no_changes();
    let api = ws
        .resource_values("railway_service.api")
        .expect("api in state");
    assert!(
        api["service_domain_name"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{api}"
    );
    assert!(
        api["custom_domain_records"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "{api}"
    );

    ws.write_file("main.tf", &full(API_V2, 3, WORKER_V2_VARS));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 2 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let api = ws
        .resource_values("railway_service.api")
        .expect("api in state");
    let worker = ws
        .resource_values("railway_service.worker")
        .expect("worker in state");
    assert_eq!(api["start_command"], API_V2);
    assert_eq!(api["num_replicas"], 3);
    assert!(
        worker["variables"].get("LITELLM_MASTER_KEY").is_none(),
        "{worker}"
    );
    let project = ws
        .resource_values("railway_project.cw")
        .expect("project in state");
    let pid = project["id"].as_str().expect("project id").to_string();
    let env = project["default_environment_id"]
        .as_str()
        .expect("environment id")
        .to_string();
    let api_id = api["id"].as_str().expect("api id").to_string();
    let worker_id = worker["id"].as_str().expect("worker id").to_string();

    // Import the services into fresh workspaces: by CLI and by an `import {}` block.
    let literal = format!("\"{pid}\"");
    let cli = Workspace::new("railway_import_cli").with_emulator(&emulator);
    cli.write_file(
        "main.tf",
        &format!(
            "{PROVIDERS}{}",
            services(&literal, API_V2, 3, WORKER_V2_VARS)
        ),
    );
    cli.import("railway_service.api", &format!("{pid}/{env}/{api_id}"));
    cli.import("railway_service.worker", &format!("{pid}/{worker_id}"));
    cli.assert_no_changes();

    let block = Workspace::new("railway_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{PROVIDERS}{}\nimport {{\n  to = railway_service.api\n  id = \"{api_id}\"\n}}\nimport {{\n  to = railway_service.worker\n  id = \"{pid}/{env}/{worker_id}\"\n}}\n",
            services(&literal, API_V2, 3, WORKER_V2_VARS)
        ),
    );
    block.apply();
    block.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn railway_bad_input_is_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("railway_invalid").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "railway_service" "both" {{
  project_id   = "p"
  name         = "api"
  source_repo  = "acme/codewarden"
  source_image = "redis:7"
}}

resource "railway_service" "cron" {{
  project_id    = "p"
  name          = "nightly"
  source_image  = "ghcr.io/acme/jobs:1"
  cron_schedule = "0 25 * * *"
  variables     = {{ "1BAD" = "x" }}
}}
"#
        ),
    );
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0));
    let text = format!("{}{}", out.stdout, out.stderr);
    for needle in ["source_image", "cron_schedule", "1BAD"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}

/// Terraform ≥ 1.12 imports by resource identity (`import { identity = … }`); older ones and
/// OpenTofu do not. `None` means "supported", else the reason to skip.
fn identity_import_unsupported() -> Option<String> {
    let tf = paasform_acceptance_tests::terraform();
    let mut parts = tf.version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if tf.is_tofu || (major, minor) < (1, 12) {
        Some(format!(
            "skipped: import by identity needs Terraform >= 1.12, this is {} {}",
            if tf.is_tofu { "OpenTofu" } else { "Terraform" },
            tf.version
        ))
    } else {
        None
    }
}

/// The project both workspaces of the data-source test manage (the second one by import).
const DS_PROJECT: &str = r#"
resource "railway_project" "cw" {
  name        = "codewarden-ds"
  description = "looked up"
}
"#;

#[test]
fn railway_data_sources_by_id_and_by_name_and_import_by_identity() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("railway_data_sources").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
{DS_PROJECT}
resource "railway_environment" "staging" {{
  project_id = railway_project.cw.id
  name       = "staging"
}}

resource "railway_service" "web" {{
  project_id   = railway_project.cw.id
  name         = "web"
  source_image = "nginx:1.27"
}}

data "railway_project" "by_id" {{
  id = railway_project.cw.id
}}

data "railway_project" "by_name" {{
  name       = railway_project.cw.name
  depends_on = [railway_project.cw]
}}

data "railway_service" "by_id" {{
  id = railway_service.web.id
}}

data "railway_service" "by_name" {{
  project_id = railway_project.cw.id
  name       = railway_service.web.name
  depends_on = [railway_service.web]
}}

output "project" {{ value = railway_project.cw }}
output "project_by_id" {{ value = data.railway_project.by_id }}
output "project_by_name" {{ value = data.railway_project.by_name }}
output "service_id" {{ value = railway_service.web.id }}
output "service_by_id" {{ value = data.railway_service.by_id }}
output "service_by_name" {{ value = data.railway_service.by_name }}
"#
        ),
    );
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    let v = |k: &str| out[k]["value"].clone();
    for ds in ["project_by_id", "project_by_name"] {
        for attr in [
            "id",
            "name",
            "description",
            "team_id",
            "private",
            "default_environment_id",
        ] {
            assert_eq!(v(ds)[attr], v("project")[attr], "{ds}.{attr}: {out}");
        }
    }
    for ds in ["service_by_id", "service_by_name"] {
        assert_eq!(v(ds)["id"], v("service_id"), "{ds}: {out}");
        assert_eq!(v(ds)["name"], "web", "{ds}: {out}");
        assert_eq!(v(ds)["project_id"], v("project")["id"], "{ds}: {out}");
    }

    if let Some(reason) = identity_import_unsupported() {
        println!("{reason}");
    } else {
        let pid = v("project")["id"].as_str().expect("project id").to_string();
        let env = ws
            .resource_values("railway_environment.staging")
            .expect("environment in state");
        let env_id = env["id"].as_str().expect("environment id").to_string();
        let sid = ws
            .resource_values("railway_service.web")
            .expect("service in state")["id"]
            .as_str()
            .expect("service id")
            .to_string();
        let block = Workspace::new("railway_import_identity").with_emulator(&emulator);
        block.write_file(
            "main.tf",
            &format!(
                r#"{PROVIDERS}
{DS_PROJECT}
resource "railway_environment" "staging" {{
  project_id = "{pid}"
  name       = "staging"
}}

import {{
  to       = railway_project.cw
  identity = {{ id = "{pid}" }}
}}

import {{
  to       = railway_environment.staging
  identity = {{ id = "{env_id}" }}
}}

resource "railway_service" "web" {{
  project_id   = "{pid}"
  name         = "web"
  source_image = "nginx:1.27"
}}

import {{
  to       = railway_service.web
  identity = {{ id = "{sid}" }}
}}
"#
            ),
        );
        block.apply();
        block.assert_no_changes();
        let imported = block
            .resource_values("railway_environment.staging")
            .expect("imported environment");
        assert_eq!(imported["project_id"], pid.as_str(), "{imported}");
        let service = block
            .resource_values("railway_service.web")
            .expect("imported service");
        assert_eq!(service["id"], sid.as_str(), "{service}");
    }

    ws.destroy();
    emulator.assert_empty();
}
