//! Data source `render_service` and import by identity through real Terraform against the
//! emulator: apply a service, read it back by id and by name (the outputs match the resource),
//! plan no change; then (Terraform ≥ 1.12) `import { identity = { id = … } }` into fresh state and
//! plan no change.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const SERVICE: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}

resource "render_service" "api" {
  type          = "web_service"
  name          = "lookup-api"
  runtime       = "node"
  repo          = "https://github.com/example/api"
  build_command = "npm ci"
  start_command = "npm start"
}
"#;

const LOOKUPS: &str = r#"
data "render_service" "by_id" {
  id = render_service.api.id
}

data "render_service" "by_name" {
  name       = "lookup-api"
  depends_on = [render_service.api]
}

output "resource" {
  value = { id = render_service.api.id, host = render_service.api.host, url = render_service.api.url, region = render_service.api.region }
}
output "by_id" {
  value = { id = data.render_service.by_id.id, host = data.render_service.by_id.host, url = data.render_service.by_id.url, region = data.render_service.by_id.region }
}
output "by_name" {
  value = { id = data.render_service.by_name.id, host = data.render_service.by_name.host, url = data.render_service.by_name.url, region = data.render_service.by_name.region }
}
"#;

/// Terraform 1.12 added `import { identity = … }`.
fn supports_identity(version: &str) -> bool {
    let mut parts = version.trim_start_matches('v').split('.');
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let minor: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    (major, minor) >= (1, 12)
}

#[test]
fn render_service_data_source_and_identity_import() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_service_data").with_emulator(&emulator);
    ws.write_file("main.tf", &format!("{SERVICE}\n{LOOKUPS}"));
    ws.apply();
    let out = ws.output_json();
    let resource = &out["resource"]["value"];
    assert!(
        resource["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("srv-")),
        "{out}"
    );
    assert_eq!(&out["by_id"]["value"], resource, "{out}");
    assert_eq!(&out["by_name"]["value"], resource, "{out}");
    ws.assert_no_changes();

    let tf = terraform();
    if tf.is_tofu || !supports_identity(&tf.version) {
        eprintln!(
            "skipping import by identity: {} {} has no `import {{ identity }}` (needs Terraform 1.12+)",
            if tf.is_tofu { "OpenTofu" } else { "Terraform" },
            tf.version
        );
    } else {
        let id = resource["id"].as_str().unwrap_or_default();
        let imp = Workspace::new("render_service_identity").with_emulator(&emulator);
        imp.write_file(
            "main.tf",
            &format!("{SERVICE}\nimport {{\n  to       = render_service.api\n  identity = {{ id = \"{id}\" }}\n}}\n"),
        );
        imp.apply();
        imp.assert_no_changes();
        assert_eq!(
            imp.resource_values("render_service.api")
                .map(|v| v["id"].clone()),
            Some(serde_json::json!(id))
        );
    }

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn identity_needs_terraform_1_12() {
    assert!(
        supports_identity("1.12.0") && supports_identity("1.15.2") && supports_identity("2.0.0")
    );
    assert!(!supports_identity("1.11.4") && !supports_identity("garbage"));
}
