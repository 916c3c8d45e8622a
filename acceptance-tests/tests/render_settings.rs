//! Issue 12 through real Terraform against the emulator: the workspace settings.
//! `render_notification_setting`: apply → no-change plan → update in place (one PATCH) → import
//! (CLI, `import {}`, and by identity on Terraform ≥ 1.12) → destroy → the emulator holds
//! nothing (a new workspace's values are back). `render_log_stream` with a write-only token:
//! apply (the token never in state) → no-change plan → rotate the token in place (one PUT) →
//! import → a worker and a Key Value instance with their own log stream (and notification)
//! overrides → no-change plan → overrides removed (Render's defaults back) → destroy → no stream. The `render_registry_credential` data source by id and by name.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#;

const OWNER: &str = "tea-paasformemulator0001";

fn notifications(to_send: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "render_notification_setting" "n" {{
  email_enabled                 = false
  preview_notifications_enabled = true
  notifications_to_send         = "{to_send}"
}}
"#
    )
}

fn stream(token: &str, version: i64) -> String {
    format!(
        r#"{PROVIDERS}
resource "render_log_stream" "s" {{
  endpoint         = "logs.example.com:6514"
  preview          = "drop"
  token_wo         = "{token}"
  token_wo_version = {version}
}}
"#
    )
}

/// The workspace stream plus a worker and a Key Value instance with overrides of their own
/// (`overrides = false`: the same objects with the blocks removed).
fn with_overrides(overrides: bool) -> String {
    let (svc, kv) = if overrides {
        (
            r#"
  notification_override = { notifications_to_send = "failure" }
  log_stream_override = {
    setting          = "send"
    endpoint         = "worker-logs.example.com:6514"
    token_wo         = "w0rker-s3cret"
    token_wo_version = 1
  }"#,
            r#"
  log_stream_override = { setting = "drop" }"#,
        )
    } else {
        ("", "")
    };
    format!(
        r#"{}
resource "render_service" "worker" {{
  type          = "background_worker"
  name          = "overlord-worker"
  runtime       = "node"
  repo          = "https://github.com/example/robot-overlord"
  build_command = "npm ci"
  start_command = "node worker.js"{svc}
}}

resource "render_database" "cache" {{
  engine = "key_value"
  name   = "overlord-cache"
  plan   = "starter"{kv}
}}
"#,
        stream("second-s3cret", 2)
    )
}

/// Import the resource at `addr` (whose whole configuration is `cfg`) by CLI, by `import {}`
/// and, where Terraform has it, by identity; each plans no change afterwards except `cli_diff`
/// (the CLI import cannot know a write-only version, so its first plan sends the token once).
fn import_three_ways(emulator: &Emulator, name: &str, cfg: &str, addr: &str, cli_diff: bool) {
    let cli = Workspace::new(&format!("{name}_import_cli")).with_emulator(emulator);
    cli.write_file("main.tf", cfg);
    cli.import(addr, OWNER);
    if cli_diff {
        assert_eq!(cli.plan_exit_code(), 2);
        cli.apply();
    }
    cli.assert_no_changes();
    let block = Workspace::new(&format!("{name}_import_block")).with_emulator(emulator);
    block.write_file(
        "main.tf",
        &format!("{cfg}\nimport {{\n  to = {addr}\n  id = \"{OWNER}\"\n}}\n"),
    );
    block.apply();
    block.assert_no_changes();
    if terraform().supports_import_identity() {
        let ident = Workspace::new(&format!("{name}_import_identity")).with_emulator(emulator);
        ident.write_file(
            "main.tf",
            &format!(
                "{cfg}\nimport {{\n  to       = {addr}\n  identity = {{ owner_id = \"{OWNER}\" }}\n}}\n"
            ),
        );
        ident.apply();
        ident.assert_no_changes();
    } else {
        eprintln!("skipping the identity import: Terraform < 1.12 has no `import {{ identity }}`");
    }
}

#[test]
fn render_notification_setting_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_notification_setting").with_emulator(&emulator);
    ws.write_file("main.tf", &notifications("all"));
    ws.apply();
    let n = ws
        .resource_values("render_notification_setting.n")
        .expect("in state");
    assert_eq!(n["owner_id"], OWNER);
    assert_eq!(n["email_enabled"], false);
    ws.assert_no_changes();

    emulator.reset_requests();
    ws.write_file("main.tf", &notifications("none"));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("PATCH /render/v1/notification-settings/owners/{ownerId}"),
        1
    );
    assert_eq!(
        emulator.state()["render"]["owner_notifications"][0]["notificationsToSend"],
        "none"
    );

    import_three_ways(
        &emulator,
        "render_notification_setting",
        &notifications("none"),
        "render_notification_setting.n",
        false,
    );

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn render_log_stream_lifecycle() {
    let emulator = Emulator::start(&[]);
    let token = |e: &Emulator| e.state()["render"]["owner_log_streams"][0]["token"].clone();
    let ws = Workspace::new("render_log_stream").with_emulator(&emulator);
    ws.write_file("main.tf", &stream("first-s3cret", 1));
    ws.apply();
    assert!(!ws.state_json().to_string().contains("first-s3cret"));
    assert_eq!(token(&emulator), "first-s3cret");
    ws.assert_no_changes();

    emulator.reset_requests();
    ws.write_file("main.tf", &stream("second-s3cret", 2));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("PUT /render/v1/logs/streams/owner/{ownerId}"),
        1
    );
    assert_eq!(
        emulator.request_count("DELETE /render/v1/logs/streams/owner/{ownerId}"),
        0
    );
    assert_eq!(token(&emulator), "second-s3cret");

    import_three_ways(
        &emulator,
        "render_log_stream",
        &stream("second-s3cret", 2),
        "render_log_stream.s",
        true,
    );
    assert_eq!(token(&emulator), "second-s3cret");

    // Per-resource overrides on a service and a Key Value instance (issue 12): set with the
    // objects, an empty plan, then removed — Render's defaults back (PATCH `default`, DELETE).
    ws.write_file("main.tf", &with_overrides(true));
    ws.apply();
    assert!(!ws.state_json().to_string().contains("w0rker-s3cret"));
    let world = emulator.state();
    let streams = world["render"]["resource_log_streams"].as_array().cloned();
    assert_eq!(streams.map(|s| s.len()), Some(2), "{world}");
    assert_eq!(
        world["render"]["service_notifications"][0]["notificationsToSend"],
        "failure"
    );
    ws.assert_no_changes();
    emulator.reset_requests();
    ws.write_file("main.tf", &with_overrides(false));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("DELETE /render/v1/logs/streams/resource/{resourceId}"),
        2
    );
    assert_eq!(
        emulator
            .request_count("PATCH /render/v1/notification-settings/overrides/services/{serviceId}"),
        1
    );
    let world = emulator.state();
    assert_eq!(
        world["render"]["resource_log_streams"],
        serde_json::json!([])
    );
    assert_eq!(
        world["render"]["service_notifications"],
        serde_json::json!([])
    );

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn render_registry_credential_data_source() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_registry_credential_data").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "render_registry_credential" "ghcr" {{
  name                  = "ghcr"
  registry              = "GITHUB"
  username              = "bot"
  auth_token_wo         = "ghp_token"
  auth_token_wo_version = 1
}}

data "render_registry_credential" "by_id" {{
  id = render_registry_credential.ghcr.id
}}

data "render_registry_credential" "by_name" {{
  name       = "ghcr"
  depends_on = [render_registry_credential.ghcr]
}}

output "by_id" {{ value = data.render_registry_credential.by_id }}
output "by_name" {{ value = data.render_registry_credential.by_name }}
"#
        ),
    );
    ws.apply();
    let outputs = ws.output_json();
    let (by_id, by_name) = (&outputs["by_id"]["value"], &outputs["by_name"]["value"]);
    assert!(
        by_id["id"].as_str().is_some_and(|i| i.starts_with("rgc-")),
        "{by_id}"
    );
    assert_eq!(by_id, by_name);
    assert_eq!(by_name["username"], "bot");
    assert_eq!(by_name["registry"], "GITHUB");
    ws.assert_no_changes();
    ws.destroy();
    emulator.assert_empty();
}
