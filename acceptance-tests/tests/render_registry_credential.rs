//! Issue 12 through real Terraform against the emulator.
//! `render_registry_credential` with a write-only token, used by an image-backed private service:
//! apply → no-change plan (the token never in state; Render holds it) → rotate the token and
//! rename the user in place (one PATCH, no create) → import (CLI, `import {}`, and by identity on
//! Terraform ≥ 1.12) → destroy → emulator empty.
//! In-place environment moves: a web service and a Postgres database move from `staging` to
//! `production` of a `render_project` with no DELETE and the same ids.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#;

fn credential(user: &str, token: &str, version: i64) -> String {
    format!(
        r#"{PROVIDERS}
resource "render_registry_credential" "ghcr" {{
  name                  = "ghcr"
  registry              = "GITHUB"
  username              = "{user}"
  auth_token_wo         = "{token}"
  auth_token_wo_version = {version}
}}
"#
    )
}

fn with_service(cred: &str) -> String {
    format!(
        r#"{cred}
resource "render_service" "app" {{
  type    = "private_service"
  name    = "private-image"
  runtime = "image"
  image = {{
    url                    = "ghcr.io/acme/app:1"
    registry_credential_id = render_registry_credential.ghcr.id
  }}
}}
"#
    )
}

fn id_of(ws: &Workspace, addr: &str) -> String {
    ws.resource_values(addr).expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// The tokens the emulator holds (what Render received).
fn tokens(emulator: &Emulator) -> Vec<String> {
    emulator.state()["render"]["registry_credentials"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["authToken"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn render_registry_credential_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_registry_credential").with_emulator(&emulator);
    ws.write_file("main.tf", &with_service(&credential("bot", "ghp_first", 1)));
    ws.apply();
    let state = ws.state_json().to_string();
    assert!(!state.contains("ghp_first"), "write-only token in state");
    assert_eq!(tokens(&emulator), ["ghp_first"]);
    let cid = id_of(&ws, "render_registry_credential.ghcr");
    assert!(cid.starts_with("rgc-"), "{cid}");
    let svc = ws.resource_values("render_service.app").expect("service");
    assert_eq!(svc["image"]["registry_credential_id"], cid.as_str());
    ws.assert_no_changes();

    // Rotate the token (new version) and rename the user: one PATCH, nothing re-created.
    emulator.reset_requests();
    ws.write_file(
        "main.tf",
        &with_service(&credential("deploy", "ghp_second", 2)),
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("PATCH /render/v1/registrycredentials/{registryCredentialId}"),
        1
    );
    assert_eq!(
        emulator.request_count("POST /render/v1/registrycredentials"),
        0
    );
    assert_eq!(
        emulator.request_count("PATCH /render/v1/services/{serviceId}"),
        0
    );
    assert_eq!(tokens(&emulator), ["ghp_second"]);
    assert_eq!(id_of(&ws, "render_registry_credential.ghcr"), cid);

    // Import by CLI: Render never answers the token, so the first apply sends it once (the
    // version is not known to the import); then the plan is empty.
    let cfg = with_service(&credential("deploy", "ghp_second", 2));
    let cli = Workspace::new("render_registry_credential_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &cfg);
    cli.import("render_registry_credential.ghcr", &cid);
    cli.import("render_service.app", &id_of(&ws, "render_service.app"));
    assert_eq!(cli.plan_exit_code(), 2);
    cli.apply();
    cli.assert_no_changes();

    // `import {}` (the credential alone) and, on Terraform ≥ 1.12, by identity.
    let alone = credential("deploy", "ghp_second", 2);
    let block = Workspace::new("render_registry_credential_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{alone}\nimport {{\n  to = render_registry_credential.ghcr\n  id = \"{cid}\"\n}}\n"
        ),
    );
    block.apply();
    block.assert_no_changes();
    if terraform().supports_import_identity() {
        let ident =
            Workspace::new("render_registry_credential_import_identity").with_emulator(&emulator);
        ident.write_file(
            "main.tf",
            &format!(
                "{alone}\nimport {{\n  to       = render_registry_credential.ghcr\n  identity = {{ id = \"{cid}\" }}\n}}\n"
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    } else {
        eprintln!("skipping the identity import: Terraform < 1.12 has no `import {{ identity }}`");
    }
    assert_eq!(tokens(&emulator), ["ghp_second"]);

    ws.destroy();
    emulator.assert_empty();
}

fn placed(env: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "render_project" "p" {{
  name = "overlord"
  environments = {{
    staging    = {{ name = "staging" }}
    production = {{ name = "production" }}
  }}
}}

resource "render_service" "api" {{
  type           = "web_service"
  name           = "overlord-api"
  runtime        = "node"
  repo           = "https://github.com/acme/robot-overlord"
  build_command  = "npm ci"
  start_command  = "npm start"
  environment_id = render_project.p.environments["{env}"].id
}}

resource "render_database" "db" {{
  name           = "overlord-db"
  plan           = "basic_256mb"
  environment_id = render_project.p.environments["{env}"].id
}}
"#
    )
}

#[test]
fn render_environment_moves_are_in_place() {
    let emulator = Emulator::start(&["--render-db-ready-ms", "0"]);
    let ws = Workspace::new("render_environment_moves").with_emulator(&emulator);
    ws.write_file("main.tf", &placed("staging"));
    ws.apply();
    ws.assert_no_changes();
    let (svc, db) = (
        id_of(&ws, "render_service.api"),
        id_of(&ws, "render_database.db"),
    );

    emulator.reset_requests();
    ws.write_file("main.tf", &placed("production"));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("POST /render/v1/environments/{environmentId}/resources"),
        2,
        "{:?}",
        emulator.requests()
    );
    for route in [
        "DELETE /render/v1/services/{serviceId}",
        "DELETE /render/v1/postgres/{postgresId}",
        "POST /render/v1/services",
        "POST /render/v1/postgres",
    ] {
        assert_eq!(emulator.request_count(route), 0, "{route}");
    }
    assert_eq!(id_of(&ws, "render_service.api"), svc);
    assert_eq!(id_of(&ws, "render_database.db"), db);
    let production = ws.resource_values("render_project.p").expect("project")["environments"]
        ["production"]["id"]
        .clone();
    assert_eq!(
        ws.resource_values("render_database.db").expect("db")["environment_id"],
        production
    );

    ws.destroy();
    emulator.assert_empty();
}
