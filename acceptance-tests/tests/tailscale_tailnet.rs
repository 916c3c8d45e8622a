//! The tailnet-wide Tailscale types through real Terraform against the emulator (seeded with the
//! device `desktop`): data `tailscale_device` → `tailscale_acl` + device authorization, tags and
//! key expiry + DNS preferences: apply → no-change plan → update → CLI import of the policy file →
//! (Terraform ≥ 1.12) `import { identity = {…} }` of all five into fresh state → destroy →
//! emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

fn config(grant_port: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    tailscale = {{ source = "paasform/tailscale" }}
  }}
}}

data "tailscale_device" "desktop" {{
  hostname = "desktop"
}}

resource "tailscale_acl" "policy" {{
  acl = jsonencode({{
    tagOwners = {{
      "tag:orchestrator" = ["autogroup:admin"]
      "tag:desktop"      = ["autogroup:admin"]
    }}
    grants = [{{ src = ["tag:orchestrator"], dst = ["tag:desktop"], ip = ["{grant_port}"] }}]
  }})
  reset_acl_on_destroy = true
}}

resource "tailscale_device_authorization" "desktop" {{
  device_id  = data.tailscale_device.desktop.id
  authorized = true
}}

resource "tailscale_device_tags" "desktop" {{
  device_id  = data.tailscale_device.desktop.id
  tags       = ["tag:desktop"]
  depends_on = [tailscale_acl.policy]
}}

resource "tailscale_device_key" "desktop" {{
  device_id           = data.tailscale_device.desktop.id
  key_expiry_disabled = true
}}

resource "tailscale_dns_preferences" "dns" {{
  magic_dns = false
}}

output "desktop_url" {{
  value = "http://${{data.tailscale_device.desktop.addresses[0]}}:8080"
}}
"#
    )
}

#[test]
fn tailnet_policy_and_device_lifecycle() {
    let emulator = Emulator::start(&["--tailscale-device", "desktop:100.64.0.7"]);
    let ws = Workspace::new("tailscale_tailnet").with_emulator(&emulator);
    ws.write_file("main.tf", &config("tcp:8080"));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        ws.output_json()["desktop_url"]["value"],
        "http://100.64.0.7:8080"
    );
    let tags = ws
        .resource_values("tailscale_device_tags.desktop")
        .expect("tags in state");
    assert_eq!(tags["tags"], serde_json::json!(["tag:desktop"]));

    // Update the grant in place.
    ws.write_file("main.tf", &config("tcp:443"));
    assert_eq!(ws.plan_exit_code(), 2);
    ws.apply();
    ws.assert_no_changes();
    let state = emulator.state();
    let policy = state["tailscale"]["tailnets"]
        .as_object()
        .expect("tailnets")
        .values()
        .find_map(|t| t["policy"]["text"].as_str())
        .expect("a managed policy")
        .to_string();
    assert!(policy.contains("tcp:443"), "{policy}");

    // CLI import of the one policy file into fresh state: no changes afterwards.
    let imported = Workspace::new("tailscale_tailnet_import").with_emulator(&emulator);
    imported.write_file(
        "main.tf",
        &format!(
            "{}\n",
            config("tcp:443")
                .split("resource \"tailscale_device_authorization\"")
                .next()
                .expect("head")
                // An import cannot know this state-only flag: it starts at its default.
                .replace("reset_acl_on_destroy = true", "")
        ),
    );
    imported.import("tailscale_acl.policy", "acl");
    imported.assert_no_changes();
    imported.run(&["state", "rm", "tailscale_acl.policy"]);

    if terraform().supports_import_identity() {
        import_by_identity(&emulator, &ws);
    }

    ws.destroy();
    emulator.assert_empty();
}

/// Every tailnet resource imported by its identity into fresh state (the policy file and DNS
/// preferences by their one fixed id, the device settings by `device_id`): no changes after.
fn import_by_identity(emulator: &Emulator, ws: &Workspace) {
    let device = ws
        .resource_values("tailscale_device_key.desktop")
        .expect("key in state")["device_id"]
        .as_str()
        .expect("device id")
        .to_string();
    let imports: String = [
        ("tailscale_acl.policy", r#"id = "acl""#.to_string()),
        (
            "tailscale_dns_preferences.dns",
            r#"id = "dns_preferences""#.to_string(),
        ),
        (
            "tailscale_device_authorization.desktop",
            format!("device_id = \"{device}\""),
        ),
        (
            "tailscale_device_tags.desktop",
            format!("device_id = \"{device}\""),
        ),
        (
            "tailscale_device_key.desktop",
            format!("device_id = \"{device}\""),
        ),
    ]
    .iter()
    .map(|(to, identity)| {
        format!("import {{\n  to       = {to}\n  identity = {{ {identity} }}\n}}\n")
    })
    .collect();
    let block = Workspace::new("tailscale_tailnet_identity").with_emulator(emulator);
    // An import cannot know the state-only destroy flag: it starts at its default.
    let cfg = config("tcp:443").replace("reset_acl_on_destroy = true", "");
    block.write_file("main.tf", &format!("{cfg}\n{imports}"));
    let out = block.apply();
    assert!(
        out.stdout
            .contains("5 imported, 0 added, 0 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    block.assert_no_changes();
    let tags = block
        .resource_values("tailscale_device_tags.desktop")
        .expect("imported tags");
    assert_eq!(tags["id"], device.as_str(), "{tags}");
    for address in [
        "tailscale_acl.policy",
        "tailscale_dns_preferences.dns",
        "tailscale_device_authorization.desktop",
        "tailscale_device_tags.desktop",
        "tailscale_device_key.desktop",
    ] {
        block.run(&["state", "rm", address]);
    }
}
