//! render_env_group, render_env_group_link and the render_env_group data source through real
//! Terraform against the emulator: a group with a value, a generated value, a write-only value and
//! a secret file, linked to two workers. apply → no-change plan → change a value, move the group
//! into a project environment and unlink one worker, all in place → import (CLI, `import {}`, and
//! by identity on Terraform ≥ 1.12) → destroy → emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

fn config(value: &str, in_env: bool, linked: &str) -> String {
    let env = if in_env {
        "environment_id = render_project.p.environments[\"prod\"].id"
    } else {
        ""
    };
    format!(
        r#"
terraform {{
  required_providers {{
    render = {{ source = "paasform/render" }}
  }}
}}

resource "render_project" "p" {{
  name         = "shared-env"
  environments = {{ prod = {{ name = "prod" }} }}
}}

resource "render_service" "w" {{
  for_each      = toset(["a", "b"])
  type          = "background_worker"
  name          = "worker-${{each.key}}"
  runtime       = "python"
  repo          = "https://github.com/acme/kirby"
  build_command = "pip install ."
  start_command = "python worker.py"
}}

resource "render_env_group" "g" {{
  name = "shared"
  {env}
  env_vars = {{
    MODE   = {{ value = "{value}" }}
    SECRET = {{ generate_value = true }}
  }}
  env_vars_wo         = {{ TOKEN = "t0ps3cret" }}
  env_vars_wo_version = 1
  secret_files        = {{ ".npmrc" = "registry=x" }}
}}

resource "render_env_group_link" "g" {{
  env_group_id = render_env_group.g.id
  service_ids  = [{linked}]
}}

data "render_env_group" "by_name" {{
  name = render_env_group.g.name
}}

output "mode" {{
  value     = data.render_env_group.by_name.env_vars["MODE"]
  sensitive = true
}}
"#
    )
}

const BOTH: &str = "render_service.w[\"a\"].id, render_service.w[\"b\"].id";
const ONE: &str = "render_service.w[\"a\"].id";

fn id_of(ws: &Workspace, addr: &str) -> String {
    ws.resource_values(addr).expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn render_env_group_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_env_group_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("a", false, BOTH));
    ws.apply();
    let g = ws.resource_values("render_env_group.g").expect("group");
    assert!(g["env_vars_wo"].is_null(), "write-only never in state");
    // The resource never stores it (the data source reads every value, as documented).
    assert!(!g.to_string().contains("t0ps3cret"), "{g}");
    assert_eq!(ws.output_json()["mode"]["value"], "a");
    ws.assert_no_changes();

    emulator.reset_requests();
    ws.write_file("main.tf", &config("b", true, ONE));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(ws.output_json()["mode"]["value"], "b");
    assert_eq!(
        emulator.request_count("POST /render/v1/environments/{environmentId}/resources"),
        1
    );
    assert_eq!(
        emulator.request_count("DELETE /render/v1/env-groups/{envGroupId}/services/{serviceId}"),
        1
    );
    assert_eq!(emulator.request_count("POST /render/v1/env-groups"), 0);
    assert_eq!(
        emulator.request_count("PUT /render/v1/env-groups/{envGroupId}/env-vars/{envVarKey}"),
        1,
        "only MODE is written"
    );

    let gid = id_of(&ws, "render_env_group.g");
    let cfg = config("b", true, ONE);
    let cli = Workspace::new("render_env_group_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &cfg);
    for (addr, id) in [
        ("render_project.p", id_of(&ws, "render_project.p")),
        (
            "render_service.w[\"a\"]",
            id_of(&ws, "render_service.w[\"a\"]"),
        ),
        (
            "render_service.w[\"b\"]",
            id_of(&ws, "render_service.w[\"b\"]"),
        ),
        ("render_env_group_link.g", gid.clone()),
    ] {
        cli.import(addr, &id);
    }
    // An import reads every key, the write-only TOKEN too: one in-place update moves it out of
    // `env_vars` without deleting it in Render, then the plan is empty.
    cli.import("render_env_group.g", &gid);
    assert_eq!(cli.plan_exit_code(), 2);
    emulator.reset_requests();
    cli.apply();
    cli.assert_no_changes();
    assert_eq!(
        emulator.request_count("DELETE /render/v1/env-groups/{envGroupId}/env-vars/{envVarKey}"),
        0,
        "TOKEN stays in Render"
    );
    let block = Workspace::new("render_env_group_import_block").with_emulator(&emulator);
    let link_only = format!(
        "{}\nimport {{\n  to = render_env_group_link.g\n  id = \"{gid}\"\n}}\n",
        r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#
    ) + &format!(
        "resource \"render_env_group_link\" \"g\" {{\n  env_group_id = \"{gid}\"\n  service_ids  = [\"{}\"]\n}}\n",
        id_of(&ws, "render_service.w[\"a\"]")
    );
    block.write_file("main.tf", &link_only);
    // Only the link here: the `import {}` block adopts it with no diff.
    block.apply();
    block.assert_no_changes();
    if terraform().supports_import_identity() {
        let ident = Workspace::new("render_env_group_import_identity").with_emulator(&emulator);
        ident.write_file(
            "main.tf",
            &link_only.replace(
                // The import block's own line only (`env_group_id = …` contains `id = …` too).
                &format!("\n  id = \"{gid}\""),
                &format!("\n  identity = {{ env_group_id = \"{gid}\" }}"),
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    }

    ws.destroy();
    emulator.assert_empty();
}
