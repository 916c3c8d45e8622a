//! tailscale_key through real Terraform against the emulator: apply → no-change plan → replace →
//! import (CLI and `import {}`) → destroy; the ephemeral twin never touches state.

use paasform_acceptance_tests::{Emulator, Workspace};
use serde_json::Value;

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
  }
}
"#;

fn config(tag: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "tailscale_key" "ci" {{
  reusable      = true
  preauthorized = true
  tags          = ["{tag}"]
  expiry        = 3600
  description   = "ci key"
}}

output "key_id" {{
  value = tailscale_key.ci.id
}}
"#
    )
}

/// Every key the emulator ever minted, revoked ones included (a deleted key stays listed).
fn all_keys(emulator: &Emulator) -> Vec<Value> {
    let state = emulator.state();
    let tailnets = state["tailscale"]["tailnets"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    tailnets
        .values()
        .flat_map(|t| t["keys"].as_object().cloned().unwrap_or_default())
        .map(|(_, k)| k)
        .collect()
}

/// Keys at the emulator that are still valid.
fn live_keys(emulator: &Emulator) -> usize {
    all_keys(emulator)
        .iter()
        .filter(|k| k["revoked"].is_null())
        .count()
}

#[test]
fn tailscale_key_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("tailscale_key_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("tag:server"));
    ws.apply();
    ws.assert_no_changes();
    let first = ws.resource_values("tailscale_key.ci").expect("in state");
    assert!(first["key"]
        .as_str()
        .is_some_and(|k| k.starts_with("tskey-auth-")));
    assert_eq!(live_keys(&emulator), 1);

    // Tags cannot be edited: a new key replaces the old one.
    ws.write_file("main.tf", &config("tag:web"));
    assert_eq!(ws.plan_exit_code(), 2);
    ws.apply();
    ws.assert_no_changes();
    let second = ws.resource_values("tailscale_key.ci").expect("in state");
    assert_ne!(first["id"], second["id"]);
    assert_eq!(live_keys(&emulator), 1, "the replaced key was deleted");
    let id = second["id"].as_str().expect("id").to_string();

    // CLI import into fresh state: no changes afterwards, and the secret stays unknown to state.
    let imported = Workspace::new("tailscale_key_import_cli").with_emulator(&emulator);
    imported.write_file("main.tf", &config("tag:web"));
    imported.import("tailscale_key.ci", &id);
    imported.assert_no_changes();
    assert_eq!(
        imported
            .resource_values("tailscale_key.ci")
            .expect("imported")["key"],
        Value::Null
    );

    // `import {}` block into fresh state.
    let block = Workspace::new("tailscale_key_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = tailscale_key.ci\n  id = \"{id}\"\n}}\n",
            config("tag:web")
        ),
    );
    block.apply();
    block.assert_no_changes();

    ws.destroy();
    assert_eq!(live_keys(&emulator), 0);
    // The other workspaces' state now points at a deleted key: a refresh drops it.
    assert_eq!(
        imported.plan_exit_code(),
        2,
        "deleted outside Terraform: planned for creation again"
    );
}

#[test]
fn bad_input_is_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("tailscale_key_invalid").with_emulator(&emulator);
    ws.write_file("main.tf", &format!("{PROVIDERS}\nresource \"tailscale_key\" \"bad\" {{\n  tags = [\"server\"]\n  expiry = 0\n}}\n"));
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0), "validate must fail:\n{}", out.stdout);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(text.contains("tags") && text.contains("tag:name"), "{text}");
    assert!(text.contains("expiry"), "{text}");
    assert!(
        emulator.requests().is_empty(),
        "validate makes no HTTP request: {:?}",
        emulator.requests()
    );
}

/// An ephemeral key with `args`, and a resource whose precondition reads it (so it is opened).
fn ephemeral_config(args: &str) -> String {
    format!(
        r#"{PROVIDERS}
ephemeral "tailscale_key" "k" {{
  {args}
}}

resource "terraform_data" "uses_it" {{
  input = "configured"
  lifecycle {{
    precondition {{
      condition     = startswith(ephemeral.tailscale_key.k.key, "tskey-auth-")
      error_message = "no key"
    }}
  }}
}}
"#
    )
}

#[test]
fn ephemeral_key_never_reaches_state() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("tailscale_key_ephemeral").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &ephemeral_config("reusable = false\n  expiry   = 600"),
    );
    ws.run(&["plan", "-input=false"]).assert_success();
    assert_eq!(all_keys(&emulator).len(), 1, "the plan minted a key");
    assert_eq!(live_keys(&emulator), 0, "…and revoked it on Close");
    ws.apply();
    let state = std::fs::read_to_string(ws.dir().join("terraform.tfstate")).expect("state file");
    assert!(
        !state.contains("tskey-auth-"),
        "an ephemeral key must never be written to state"
    );
    assert!(all_keys(&emulator).len() >= 2, "the apply minted keys");
    assert_eq!(
        live_keys(&emulator),
        0,
        "every key the runs minted is revoked"
    );
}

/// `keep_after_run = terraform.applying`: the plan's key is revoked, the apply's stays valid
/// (for a consumer that reads it after the run), with the short default expiry.
#[test]
fn ephemeral_key_kept_after_apply_only_when_asked() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("tailscale_key_ephemeral_kept").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &ephemeral_config("reusable       = true\n  keep_after_run = terraform.applying"),
    );
    ws.run(&["plan", "-input=false"]).assert_success();
    let after_plan = live_keys(&emulator);
    ws.apply();
    let after_apply = live_keys(&emulator);
    ws.destroy();
    let after_destroy = live_keys(&emulator);
    let minted = all_keys(&emulator);
    eprintln!(
        "keep_after_run = terraform.applying: {} minted; live after plan {after_plan}, apply {after_apply}, destroy {after_destroy}",
        minted.len()
    );
    assert_eq!(after_plan, 0, "a plan keeps no key");
    assert_eq!(after_apply, 1, "the apply keeps the one key it handed out");
    assert!(
        after_destroy <= 1,
        "destroy keeps at most the apply's key (nothing records it)"
    );
    let kept: Vec<&Value> = minted.iter().filter(|k| k["revoked"].is_null()).collect();
    for key in kept {
        assert_eq!(
            key["expiry_seconds"], 3600,
            "a key with no configured expiry lives one hour, not 90 days: {key}"
        );
    }
}
