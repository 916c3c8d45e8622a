//! Actions through real Terraform ≥ 1.14 against the emulator (older CLIs and OpenTofu do not
//! know `action` blocks: each test skips with a printed reason). `terraform apply
//! -invoke=action.render_deploy.x` deploys the service (the emulator records the API-triggered
//! deploy); a `lifecycle { action_trigger { events = [after_update] } }` on a render_service runs
//! the deploy on update and not on create; a deploy the emulator fails (`--fail-deploy`) fails
//! the apply with Render's status. The same for `vercel_deploy` (a Git ref to production, a
//! failure quoting Vercel's error message and code) and `railway_redeploy` (a failure quoting
//! Railway's status), one workspace each to keep the number of Terraform runs small.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};
use serde_json::Value;

const FAILING_COMMIT: &str = "badc0ffee";

fn supports_actions() -> bool {
    terraform().supports_actions()
}

/// A web service, optionally deployed by `action.render_deploy.x` after each update, and the
/// action itself (deploying `commit`, when given).
fn config(start: &str, trigger: bool, commit: Option<&str>) -> String {
    let lifecycle = if trigger {
        r#"
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.render_deploy.x]
    }
  }"#
    } else {
        ""
    };
    let commit = commit
        .map(|c| format!("\n    commit_id  = \"{c}\""))
        .unwrap_or_default();
    format!(
        r#"
terraform {{
  required_providers {{
    render = {{ source = "paasform/render" }}
  }}
}}

resource "render_service" "api" {{
  type          = "web_service"
  name          = "actions-api"
  runtime       = "node"
  repo          = "https://github.com/example/actions-api"
  build_command = "npm ci"
  start_command = "{start}"{lifecycle}
}}

action "render_deploy" "x" {{
  config {{
    service_id  = render_service.api.id
    clear_cache = true{commit}
  }}
}}
"#
    )
}

/// Every deploy of the services the emulator holds, oldest first (a create starts the first).
fn deploys(emulator: &Emulator) -> Vec<Value> {
    let state = emulator.state();
    state["render"]["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["deploys"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn invoke_deploys_the_service_and_reports_progress() {
    if !supports_actions() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("actions_render_invoke").with_emulator(&emulator);
    ws.write_file("main.tf", &config("npm start", false, None));
    ws.apply();
    assert_eq!(
        deploys(&emulator).len(),
        1,
        "only the create's first deploy"
    );
    let out = ws.checked_invoke("action.render_deploy.x");
    let all = deploys(&emulator);
    assert_eq!(all.len(), 2, "{all:?}");
    let id = all[1]["id"].as_str().unwrap_or_default();
    assert!(
        out.stdout.contains(&format!("Deploy {id}: live")),
        "no progress line for the live deploy:\n{out}"
    );
    ws.assert_no_changes();
    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn an_after_update_trigger_deploys_on_update_only() {
    if !supports_actions() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("actions_render_trigger").with_emulator(&emulator);
    ws.write_file("main.tf", &config("npm start", true, None));
    ws.apply();
    assert_eq!(deploys(&emulator).len(), 1, "the create ran the action");
    ws.assert_no_changes();
    ws.write_file("main.tf", &config("node server.js", true, None));
    ws.apply();
    assert_eq!(deploys(&emulator).len(), 2, "the update did not deploy");
    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn a_failing_deploy_fails_apply_with_renders_status() {
    if !supports_actions() {
        return;
    }
    let emulator = Emulator::start(&["--fail-deploy", FAILING_COMMIT]);
    let ws = Workspace::new("actions_render_fails").with_emulator(&emulator);
    ws.write_file("main.tf", &config("npm start", false, Some(FAILING_COMMIT)));
    ws.apply();
    let out = ws.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-invoke=action.render_deploy.x",
    ]);
    assert!(
        !out.success(),
        "the failed deploy did not fail apply:\n{out}"
    );
    let text = out.combined();
    assert!(
        text.contains("Render deploy failed") && text.contains("build_failed"),
        "{out}"
    );
    let all = deploys(&emulator);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["commit"]["id"], FAILING_COMMIT);
    ws.destroy();
    emulator.assert_empty();
}

trait Invoke {
    fn checked_invoke(&self, address: &str) -> paasform_acceptance_tests::Output;
}

impl Invoke for Workspace {
    /// `apply -invoke=ADDRESS`; asserts success.
    #[track_caller]
    fn checked_invoke(&self, address: &str) -> paasform_acceptance_tests::Output {
        let flag = format!("-invoke={address}");
        let out = self.run(&["apply", "-auto-approve", "-input=false", &flag]);
        assert!(
            out.success(),
            "invoke failed (workspace {})\n{out}",
            self.dir().display()
        );
        out
    }
}

const FAILING_REF: &str = "broken-build";

/// A Vercel project linked to GitHub (`build` is an in-place setting), deployed by
/// `action.vercel_deploy.main` after each update; `action.vercel_deploy.broken` deploys a ref the
/// emulator fails.
fn vercel_config(build: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    vercel = {{ source = "paasform/vercel" }}
  }}
}}

resource "vercel_project" "web" {{
  name          = "actions-web"
  build_command = "{build}"
  git_repository = {{
    type = "github"
    repo = "acme/actions-web"
  }}

  lifecycle {{
    action_trigger {{
      events  = [after_update]
      actions = [action.vercel_deploy.main]
    }}
  }}
}}

action "vercel_deploy" "main" {{
  config {{
    project_id = vercel_project.web.id
    ref        = "main"
  }}
}}

action "vercel_deploy" "broken" {{
  config {{
    project_id = vercel_project.web.id
    ref        = "{FAILING_REF}"
  }}
}}
"#
    )
}

fn vercel_deployments(emulator: &Emulator) -> Vec<Value> {
    let state = emulator.state();
    state["vercel"]["projects"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .flat_map(|p| p["deployments"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn vercel_deploy_invokes_triggers_on_update_and_fails_with_vercels_reason() {
    if !supports_actions() {
        return;
    }
    let emulator = Emulator::start(&["--fail-deploy", FAILING_REF]);
    let ws = Workspace::new("actions_vercel").with_emulator(&emulator);
    ws.write_file("main.tf", &vercel_config("npm run build"));
    ws.apply();
    assert_eq!(
        vercel_deployments(&emulator).len(),
        0,
        "the create ran the action"
    );
    let out = ws.checked_invoke("action.vercel_deploy.main");
    let all = vercel_deployments(&emulator);
    assert_eq!(all.len(), 1, "{all:?}");
    let id = all[0]["id"].as_str().unwrap_or_default();
    assert_eq!(all[0]["target"], "production");
    assert!(
        out.stdout.contains(&format!("Deployment {id}: READY")),
        "no progress line for the ready deployment:\n{out}"
    );
    ws.assert_no_changes();
    ws.write_file("main.tf", &vercel_config("pnpm build"));
    ws.apply();
    assert_eq!(
        vercel_deployments(&emulator).len(),
        2,
        "the update did not deploy"
    );
    let out = ws.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-invoke=action.vercel_deploy.broken",
    ]);
    assert!(
        !out.success(),
        "the failed deployment did not fail apply:\n{out}"
    );
    let text = out.combined();
    assert!(
        text.contains("Vercel deployment failed") && text.contains("BUILD_UTILS_SPAWN_1"),
        "{out}"
    );
    ws.destroy();
    emulator.assert_empty();
}

/// A Railway service built from a repository, redeployed by `action.railway_redeploy.api` after
/// each update; `commit` pins the commit the action deploys.
fn railway_config(start: &str, commit: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    railway = {{ source = "paasform/railway" }}
  }}
}}

resource "railway_project" "p" {{
  name = "actions-railway"
}}

resource "railway_service" "api" {{
  project_id    = railway_project.p.id
  name          = "api"
  source_repo   = "acme/api"
  start_command = "{start}"

  lifecycle {{
    action_trigger {{
      events  = [after_update]
      actions = [action.railway_redeploy.api]
    }}
  }}
}}

action "railway_redeploy" "api" {{
  config {{
    service_id     = railway_service.api.id
    environment_id = railway_service.api.environment_id
    commit_sha     = "{commit}"
  }}
}}
"#
    )
}

fn railway_deployments(emulator: &Emulator) -> Vec<Value> {
    let state = emulator.state();
    let mut all: Vec<Value> = state["railway"]["deployments"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values().cloned())
        .collect();
    all.sort_by_key(|d| d["seq"].as_u64());
    all
}

#[test]
fn railway_redeploy_invokes_triggers_on_update_and_fails_with_railways_status() {
    if !supports_actions() {
        return;
    }
    let emulator = Emulator::start(&["--fail-deploy", FAILING_COMMIT]);
    let ws = Workspace::new("actions_railway").with_emulator(&emulator);
    ws.write_file("main.tf", &railway_config("npm start", "0123abcd"));
    ws.apply();
    let created = railway_deployments(&emulator).len();
    let out = ws.checked_invoke("action.railway_redeploy.api");
    let all = railway_deployments(&emulator);
    assert_eq!(all.len(), created + 1, "{all:?}");
    let id = all[created]["id"].as_str().unwrap_or_default();
    assert!(
        out.stdout.contains(&format!("Deployment {id}: SUCCESS")),
        "no progress line for the successful deployment:\n{out}"
    );
    ws.assert_no_changes();
    ws.write_file("main.tf", &railway_config("node server.js", FAILING_COMMIT));
    let out = ws.run(&["apply", "-auto-approve", "-input=false"]);
    assert!(
        !out.success(),
        "the failed redeploy did not fail apply:\n{out}"
    );
    let text = out.combined();
    assert!(
        text.contains("Railway deployment failed") && text.contains("status FAILED"),
        "{out}"
    );
    assert_eq!(
        railway_deployments(&emulator).len(),
        created + 2,
        "the update did not deploy"
    );
    ws.destroy();
    emulator.assert_empty();
}
