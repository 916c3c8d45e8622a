//! Actions through real Terraform ≥ 1.14 against the emulator (older CLIs and OpenTofu do not
//! know `action` blocks: each test skips with a printed reason). `terraform apply
//! -invoke=action.render_deploy.x` deploys the service (the emulator records the API-triggered
//! deploy); a `lifecycle { action_trigger { events = [after_update] } }` on a render_service runs
//! the deploy on update and not on create; a deploy the emulator fails (`--fail-deploy`) fails
//! the apply with Render's status.

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
