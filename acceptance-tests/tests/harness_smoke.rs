//! Smoke tests of the harness itself, using only Terraform built-ins (`terraform_data`) and the
//! emulator's introspection: if these fail, no resource test can be trusted. Imports only the
//! harness's public API.

use paasform_acceptance_tests::{Emulator, Workspace};

const TERRAFORM_DATA: &str = r#"
variable "greeting" {
  type    = string
  default = "hello"
}

resource "terraform_data" "probe" {
  input = var.greeting
}

output "echo" {
  value = terraform_data.probe.output
}
"#;

#[test]
fn apply_then_plan_is_empty_then_destroy() {
    let ws = Workspace::new("smoke_lifecycle");
    ws.write_file("main.tf", TERRAFORM_DATA);

    // Before the first apply there is something to do.
    assert_eq!(ws.plan_exit_code(), 2);
    ws.apply();
    assert_eq!(ws.plan_exit_code(), 0);
    ws.assert_no_changes();

    let probe = ws
        .resource_values("terraform_data.probe")
        .expect("probe in state");
    assert_eq!(probe["input"], "hello");
    assert_eq!(ws.output_json()["echo"]["value"], "hello");

    // A changed variable is a change; the harness passes extra environment through.
    let changed = Workspace::new("smoke_env").with_env("TF_VAR_greeting", "bye");
    changed.write_file("main.tf", TERRAFORM_DATA);
    changed.apply();
    assert_eq!(changed.output_json()["echo"]["value"], "bye");

    ws.destroy();
    assert_eq!(ws.resource_values("terraform_data.probe"), None);
    assert_eq!(ws.plan_exit_code(), 2);
}

#[test]
fn import_of_terraform_data_and_failures_show_output() {
    let ws = Workspace::new("smoke_import");
    ws.write_file("main.tf", "resource \"terraform_data\" \"imported\" {}\n");
    ws.import("terraform_data.imported", "some-id");
    let imported = ws
        .resource_values("terraform_data.imported")
        .expect("imported");
    assert_eq!(imported["id"], "some-id");

    // A broken configuration fails, and the failure carries Terraform's diagnostic.
    ws.write_file(
        "main.tf",
        "resource \"terraform_data\" \"x\" {\n  nope = 1\n}\n",
    );
    ws.try_apply()
        .assert_failure()
        .assert_contains("Unsupported argument");
}

#[test]
fn mirror_workspace_inits_and_writes_a_lock_file_only_when_needed() {
    let ws = Workspace::with_mirror("smoke_mirror");
    ws.write_file("main.tf", TERRAFORM_DATA);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    // Built-ins need no provider, so there is nothing to lock.
    assert!(!ws.dir().join(".terraform.lock.hcl").exists());
}

#[test]
fn a_fresh_emulator_is_empty_and_counts_requests() {
    let emulator = Emulator::start(&[]);
    assert!(emulator.is_empty(), "leftovers: {:?}", emulator.leftovers());
    emulator.assert_empty();
    let state = emulator.state();
    for vendor in ["tailscale", "render", "railway", "vercel", "r2"] {
        assert!(state.get(vendor).is_some(), "no {vendor} in {state}");
    }
    emulator.reset_requests();
    assert!(emulator.requests().is_empty());

    let env = emulator.env();
    let render_url = env
        .iter()
        .find(|(k, _)| k == "RENDER_BASE_URL")
        .map(|(_, v)| v.clone())
        .expect("RENDER_BASE_URL");
    assert_eq!(render_url, format!("http://{}/render/v1", emulator.addr));
}
