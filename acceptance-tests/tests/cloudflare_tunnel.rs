//! cloudflare_tunnel + cloudflare_tunnel_config (+ the ephemeral cloudflare_tunnel_token) through
//! real Terraform against the emulator: apply → no-change plan → in-place update (rename, new
//! ingress rule) → import by `<account_id>/<tunnel_id>` (CLI) and `import { identity }` (Terraform
//! ≥ 1.12) with no diff → destroy → emulator empty.

use paasform_acceptance_tests::{Emulator, Workspace, TEST_ACCOUNT_ID};

fn config(name: &str, extra_rule: bool) -> String {
    let extra = if extra_rule {
        r#"
    { hostname = "ssh.example.com", service = "ssh://localhost:22" },"#
    } else {
        ""
    };
    format!(
        r#"
terraform {{
  required_providers {{
    cloudflare = {{ source = "paasform/cloudflare" }}
  }}
}}

resource "cloudflare_tunnel" "mac" {{
  name = "{name}"
}}

resource "cloudflare_tunnel_config" "mac" {{
  tunnel_id = cloudflare_tunnel.mac.id
  ingress = [
    {{ hostname = "api.example.com", service = "http://localhost:8000" }},{extra}
    {{ service = "http_status:404" }},
  ]
}}

ephemeral "cloudflare_tunnel_token" "mac" {{
  tunnel_id = cloudflare_tunnel.mac.id
}}

output "cname" {{ value = cloudflare_tunnel.mac.cname }}
"#
    )
}

#[test]
fn cloudflare_tunnel_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("cloudflare_tunnel_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("macbook", false));
    ws.apply();
    ws.assert_no_changes();
    let t = ws
        .resource_values("cloudflare_tunnel.mac")
        .expect("in state");
    let id = t["id"].as_str().expect("id").to_string();
    assert_eq!(
        ws.output_json()["cname"]["value"],
        format!("{id}.cfargotunnel.com")
    );
    assert!(t["tunnel_secret_wo"].is_null(), "write-only never in state");

    ws.write_file("main.tf", &config("macbook-2", true));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("2 to change, 0 to destroy"),
        "{}",
        plan.combined()
    );
    ws.apply();
    ws.assert_no_changes();
    let c = ws
        .resource_values("cloudflare_tunnel_config.mac")
        .expect("in state");
    assert_eq!(c["version"], 2, "{c}");

    let import_id = format!("{TEST_ACCOUNT_ID}/{id}");
    let cli = Workspace::new("cloudflare_tunnel_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &config("macbook-2", true));
    cli.import("cloudflare_tunnel.mac", &import_id);
    cli.import("cloudflare_tunnel_config.mac", &import_id);
    cli.assert_no_changes();

    if paasform_acceptance_tests::terraform().supports_import_identity() {
        let adopt = Workspace::new("cloudflare_tunnel_import_identity").with_emulator(&emulator);
        adopt.write_file(
            "main.tf",
            &format!(
                "{}\nimport {{\n  to = cloudflare_tunnel.mac\n  identity = {{\n    account_id = \"{TEST_ACCOUNT_ID}\"\n    id         = \"{id}\"\n  }}\n}}\nimport {{\n  to = cloudflare_tunnel_config.mac\n  identity = {{\n    account_id = \"{TEST_ACCOUNT_ID}\"\n    tunnel_id  = \"{id}\"\n  }}\n}}\n",
                config("macbook-2", true)
            ),
        );
        let plan = adopt.run(&["plan", "-no-color"]);
        assert!(
            plan.stdout
                .contains("2 to import, 0 to add, 0 to change, 0 to destroy"),
            "{}",
            plan.combined()
        );
        adopt.apply();
        adopt.assert_no_changes();
    }

    ws.destroy();
    emulator.assert_empty();
}
