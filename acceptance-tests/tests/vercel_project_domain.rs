//! vercel_project_domain and its data source through real Terraform against the emulator:
//! apply → no-change plan → update in place → import (CLI, block, identity) → destroy → emulator
//! empty; the data source's DNS records as outputs.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    vercel = { source = "paasform/vercel" }
  }
}
"#;

fn config(code: u16) -> String {
    format!(
        r#"{PROVIDERS}
resource "vercel_project" "web" {{
  name = "codewarden-web"
}}

resource "vercel_project_domain" "app" {{
  project_id            = vercel_project.web.id
  domain                = "app.codewarden.io"
  wait_for_verification = true
}}

resource "vercel_project_domain" "apex" {{
  project_id           = vercel_project.web.id
  domain               = "codewarden.io"
  redirect             = vercel_project_domain.app.domain
  redirect_status_code = {code}
}}

data "vercel_project_domain" "app" {{
  project_id = vercel_project_domain.app.project_id
  domain     = vercel_project_domain.app.domain
}}

data "vercel_project_domain" "apex" {{
  project_id = vercel_project_domain.apex.project_id
  domain     = vercel_project_domain.apex.domain
}}

output "records" {{
  value = {{
    app  = data.vercel_project_domain.app.dns_records
    apex = data.vercel_project_domain.apex.dns_records
  }}
}}

output "verified" {{
  value = vercel_project_domain.app.verified
}}
"#
    )
}

/// Only the project and the domains, for the import workspaces. `wait_for_verification` only
/// steers a create and is not imported (it would show as a no-op in-place change), so these
/// configurations leave it at its default.
fn import_config(code: u16, import: &str) -> String {
    let full = config(code).replace("wait_for_verification = true", "");
    let resources = full
        .split("data \"vercel_project_domain\"")
        .next()
        .unwrap_or_default();
    format!("{resources}\n{import}")
}

#[test]
fn vercel_project_domain_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_domain_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config(308));
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    assert_eq!(out["verified"]["value"], true, "{out}");
    let app = &out["records"]["value"]["app"];
    assert_eq!(app[0]["type"], "CNAME", "{out}");
    assert_eq!(app[0]["name"], "app.codewarden.io", "{out}");
    assert_eq!(app[0]["value"], "cname.vercel-dns.com", "{out}");
    let apex = &out["records"]["value"]["apex"];
    assert_eq!(apex[0]["type"], "A", "{out}");
    assert_eq!(apex[0]["value"], "76.76.21.21", "{out}");

    ws.write_file("main.tf", &config(301));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws
        .resource_values("vercel_project_domain.apex")
        .expect("in state");
    assert_eq!(v["redirect_status_code"], 301);
    let project = v["project_id"].as_str().expect("project id").to_string();

    // Import by CLI (project/domain) and by block (team/project/domain), with the project too.
    let cli = Workspace::new("vercel_project_domain_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &import_config(301, ""));
    cli.import("vercel_project.web", &project);
    cli.import(
        "vercel_project_domain.app",
        &format!("{project}/app.codewarden.io"),
    );
    cli.import(
        "vercel_project_domain.apex",
        &format!("{project}/codewarden.io"),
    );
    cli.assert_no_changes();

    let block = Workspace::new("vercel_project_domain_import_block").with_emulator(&emulator);
    let team = v["team_id"]
        .as_str()
        .map(|t| format!("{t}/"))
        .unwrap_or_default();
    block.write_file(
        "main.tf",
        &import_config(
            301,
            &format!(
                "import {{\n  to = vercel_project.web\n  id = \"{project}\"\n}}\nimport {{\n  to = vercel_project_domain.app\n  id = \"{team}{project}/app.codewarden.io\"\n}}\nimport {{\n  to = vercel_project_domain.apex\n  id = \"{project}/codewarden.io\"\n}}\n"
            ),
        ),
    );
    block.apply();
    block.assert_no_changes();

    if terraform().supports_import_identity() {
        let ident =
            Workspace::new("vercel_project_domain_import_identity").with_emulator(&emulator);
        ident.write_file(
            "main.tf",
            &import_config(
                301,
                &format!(
                    "import {{\n  to = vercel_project.web\n  id = \"{project}\"\n}}\nimport {{\n  to       = vercel_project_domain.app\n  identity = {{ project_id = \"{project}\", domain = \"app.codewarden.io\" }}\n}}\nimport {{\n  to       = vercel_project_domain.apex\n  identity = {{ project_id = \"{project}\", domain = \"codewarden.io\" }}\n}}\n"
                ),
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    } else {
        println!("skipping the identity import: Terraform < 1.12 has no import identity");
    }

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn bad_domains_are_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("vercel_project_domain_invalid").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!("{PROVIDERS}\nresource \"vercel_project_domain\" \"bad\" {{\n  project_id = \"prj_1\"\n  domain = \"App.Example.com\"\n  redirect_status_code = 303\n}}\n"),
    );
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0));
    let text = format!("{}{}", out.stdout, out.stderr);
    for needle in ["domain", "redirect_status_code"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
    assert!(emulator.requests().is_empty());
}
