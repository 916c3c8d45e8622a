//! Provider configuration through real Terraform: a credential that is unknown at plan time (it
//! comes from a resource created in the same apply) still validates, plans and applies; a
//! missing credential is a clear error that names the attribute and the environment variable.

use paasform_acceptance_tests::{Emulator, Workspace, TEST_TOKEN};

#[test]
fn unknown_provider_config_defers_until_apply() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("provider_config_unknown").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"
terraform {{
  required_providers {{
    tailscale = {{ source = "paasform/tailscale" }}
  }}
}}

resource "terraform_data" "token" {{
  input = "{TEST_TOKEN}"
}}

provider "tailscale" {{
  api_key = terraform_data.token.output
}}

resource "tailscale_key" "k" {{
  reusable = true
}}
"#
        ),
    );
    ws.run(&["validate"]).assert_success();
    assert_eq!(
        ws.plan_exit_code(),
        2,
        "a plan with an unknown api_key works and shows the creates"
    );
    ws.apply();
    ws.assert_no_changes();
    ws.destroy();
}

#[test]
fn missing_credentials_name_the_attribute_and_variable() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("provider_config_missing")
        .with_emulator(&emulator)
        .with_env("RENDER_API_KEY", "");
    ws.write_file(
        "main.tf",
        r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}

resource "render_service" "w" {
  type          = "background_worker"
  name          = "w"
  runtime       = "node"
  repo          = "https://github.com/acme/app"
  build_command = "npm ci"
  start_command = "node worker.js"
}
"#,
    );
    let out = ws.run(&["plan"]);
    assert_ne!(out.code, Some(0));
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(
        text.contains("api_key") && text.contains("RENDER_API_KEY"),
        "{text}"
    );
    assert!(
        emulator.requests().is_empty(),
        "no request without credentials: {:?}",
        emulator.requests()
    );
}
