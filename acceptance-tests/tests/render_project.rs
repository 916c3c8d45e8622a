//! render_project (and its data source) through real Terraform against the emulator: a project
//! with staging and production and a Key Value instance placed in staging by
//! `render_project.p.environments["staging"].id`. apply → no-change plan → rename staging and
//! protect production in place (the instance is not touched) → removing the environment that
//! holds the instance fails clearly and deletes nothing → import (CLI, `import {}`, and by
//! identity on Terraform ≥ 1.12) → destroy → emulator empty. The data source reads the project
//! by id and by name with the same environment ids.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#;

fn project(name: &str, staging: &str, prod_status: &str, with_staging: bool) -> String {
    let staging_env = if with_staging {
        format!("    staging    = {{ name = \"{staging}\" }}\n")
    } else {
        String::new()
    };
    format!(
        r#"{PROVIDERS}
resource "render_project" "p" {{
  name = "{name}"
  environments = {{
{staging_env}    production = {{ name = "production", protected_status = "{prod_status}", network_isolated = true }}
  }}
}}
"#
    )
}

fn config(name: &str, staging: &str, prod_status: &str) -> String {
    format!(
        r#"{}
resource "render_database" "cache" {{
  engine         = "key_value"
  name           = "shop-cache"
  plan           = "starter"
  environment_id = render_project.p.environments["staging"].id
}}

data "render_project" "by_id" {{
  id = render_project.p.id
}}

data "render_project" "by_name" {{
  name = render_project.p.name
}}

output "staging" {{ value = render_project.p.environments["staging"].id }}
output "by_id" {{ value = data.render_project.by_id.environments["{staging}"].id }}
output "by_name" {{ value = data.render_project.by_name.environments["{staging}"].id }}
"#,
        project(name, staging, prod_status, true)
    )
}

fn id_of(ws: &Workspace, addr: &str) -> String {
    ws.resource_values(addr).expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn render_project_lifecycle() {
    let emulator = Emulator::start(&["--render-db-ready-ms", "0"]);
    let ws = Workspace::new("render_project_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("shop", "staging", "unprotected"));
    ws.apply();
    let out = ws.output_json();
    let staging = out["staging"]["value"]
        .as_str()
        .expect("staging id")
        .to_string();
    assert!(staging.starts_with("evm-"), "{out}");
    assert_eq!(out["by_id"]["value"], staging.as_str());
    assert_eq!(out["by_name"]["value"], staging.as_str());
    let cache = ws.resource_values("render_database.cache").expect("cache");
    assert_eq!(cache["environment_id"], staging.as_str());
    ws.assert_no_changes();

    // Rename staging and protect production, in place: the instance is not touched.
    emulator.reset_requests();
    ws.write_file("main.tf", &config("shop-2", "preview", "protected"));
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    assert_eq!(
        out["staging"]["value"],
        staging.as_str(),
        "same environment"
    );
    assert_eq!(out["by_name"]["value"], staging.as_str());
    assert_eq!(
        emulator.request_count("PATCH /render/v1/environments/{environmentId}"),
        2
    );
    assert_eq!(
        emulator.request_count("PATCH /render/v1/projects/{projectId}"),
        1
    );
    for route in [
        "POST /render/v1/key-value",
        "DELETE /render/v1/key-value/{keyValueId}",
        "PATCH /render/v1/key-value/{keyValueId}",
        "DELETE /render/v1/environments/{environmentId}",
    ] {
        assert_eq!(emulator.request_count(route), 0, "{route}");
    }

    // Removing the environment that holds the instance is refused; nothing is deleted.
    let broken = Workspace::new("render_project_refused").with_emulator(&emulator);
    broken.write_file("main.tf", &project("shop-2", "preview", "protected", false));
    broken.import("render_project.p", &id_of(&ws, "render_project.p"));
    emulator.reset_requests();
    let refused = broken.try_apply();
    assert_ne!(refused.code, Some(0));
    let text = format!("{}{}", refused.stdout, refused.stderr);
    assert!(
        text.contains("not empty") && text.contains(&id_of(&ws, "render_database.cache")),
        "{text}"
    );
    assert_eq!(
        emulator.request_count("DELETE /render/v1/environments/{environmentId}"),
        0
    );
    ws.assert_no_changes();

    // Import: CLI, `import {}` and, on Terraform >= 1.12, by identity; all plan no diff.
    let pid = id_of(&ws, "render_project.p");
    let cfg =
        project("shop-2", "preview", "protected", true).replace("staging    =", "preview    =");
    let cli = Workspace::new("render_project_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &cfg);
    cli.import("render_project.p", &pid);
    cli.assert_no_changes();
    let block = Workspace::new("render_project_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!("{cfg}\nimport {{\n  to = render_project.p\n  id = \"{pid}\"\n}}\n"),
    );
    block.apply();
    block.assert_no_changes();
    if terraform().supports_import_identity() {
        let ident = Workspace::new("render_project_import_identity").with_emulator(&emulator);
        ident.write_file(
            "main.tf",
            &format!(
                "{cfg}\nimport {{\n  to       = render_project.p\n  identity = {{ id = \"{pid}\" }}\n}}\n"
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    }

    ws.destroy();
    emulator.assert_empty();
}
