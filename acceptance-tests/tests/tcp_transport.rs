//! The Linux build on go-plugin's TCP transport (the one Windows always uses) through real
//! Terraform: with `PAASFORM_PLUGIN_TRANSPORT=tcp` the provider announces
//! `…|tcp|127.0.0.1:PORT|grpc|<cert>`, and Terraform's go-plugin client — which picks the
//! transport from that line alone — connects over TCP with AutoMTLS for apply, plan and destroy.
//! Imports only the harness's public API.

use paasform_acceptance_tests::{Emulator, Workspace};

const CONFIG: &str = r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
  }
}

resource "tailscale_key" "tcp" {
  reusable    = false
  tags        = ["tag:server"]
  expiry      = 3600
  description = "over tcp"
}
"#;

#[test]
fn terraform_drives_the_provider_over_tcp() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("tcp_transport")
        .with_emulator(&emulator)
        .with_env("PAASFORM_PLUGIN_TRANSPORT", "tcp")
        // go-plugin logs the address it dialled at debug level; the log goes to a file so the
        // commands' own output stays readable.
        .with_env("TF_LOG", "debug");
    let log = ws.dir().join("terraform.log");
    let ws = ws.with_env("TF_LOG_PATH", &log.display().to_string());
    ws.write_file("main.tf", CONFIG);

    ws.apply();
    ws.assert_no_changes();
    let key = ws.resource_values("tailscale_key.tcp").expect("in state");
    assert_eq!(key["description"], "over tcp");

    let text = std::fs::read_to_string(&log).expect("terraform log");
    // Older go-plugin clients log the address they dialled ("plugin address: address=… network=…");
    // Terraform 1.15's does not, but it relays the provider's own "plugin serving: network=…" line
    // from the handshake it just accepted. Either way every provider process must have served TCP.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("plugin address") || l.contains("plugin serving"))
        .collect();
    assert!(
        !lines.is_empty(),
        "the log names no plugin transport; log at {}",
        log.display()
    );
    for line in &lines {
        assert!(
            line.contains("network=tcp"),
            "the provider must be reached over TCP, the log says: {line}"
        );
        if line.contains("plugin address") {
            assert!(line.contains("address=127.0.0.1:"), "{line}");
        }
    }
    assert!(
        !text.contains("network=unix"),
        "no plugin may have been reached over a unix socket"
    );

    ws.destroy();
    emulator.assert_empty();
}
