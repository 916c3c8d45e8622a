//! render_database through real Terraform against the emulator: Postgres 17 and Key Value, with a
//! worker whose env vars reference their connection strings (Blueprint `fromDatabase`). Create
//! waits for `available` before the dependent service is created; apply → no-change plan →
//! in-place update → replace (version downgrade) → import (CLI and `import {}`) → destroy → empty.

use paasform_acceptance_tests::{Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#;

fn config(pg_plan: &str, version: &str, policy: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "render_database" "db" {{
  name          = "robot-db"
  plan          = "{pg_plan}"
  version       = "{version}"
  database_name = "robot"
  ip_allow_list = [{{ cidr_block = "10.0.0.0/8", description = "vpn" }}]
}}

resource "render_database" "redis" {{
  engine           = "key_value"
  name             = "robot-redis"
  plan             = "starter"
  maxmemory_policy = "{policy}"
}}

resource "render_service" "worker" {{
  type          = "background_worker"
  name          = "robot-arq-worker"
  runtime       = "python"
  repo          = "https://github.com/example/robot-overlord"
  build_command = "pip install -r requirements.txt"
  start_command = "arq app.worker.WorkerSettings"
  env_vars = {{
    DATABASE_URL = {{ value = render_database.db.internal_connection_string }}
    REDIS_URL    = {{ value = render_database.redis.internal_connection_string }}
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

#[test]
fn render_databases_lifecycle() {
    let emulator = Emulator::start(&["--render-db-ready-ms", "1200"]);
    let ws = Workspace::new("render_database_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("basic_1gb", "17", "allkeys_lru"));
    ws.apply();

    // The databases were polled until available before the worker was created with their URLs.
    assert!(
        emulator.request_count("GET /render/v1/postgres/{postgresId}") >= 2,
        "{:?}",
        emulator.requests()
    );
    assert!(
        emulator.request_count("GET /render/v1/key-value/{keyValueId}") >= 2,
        "{:?}",
        emulator.requests()
    );
    let db = ws.resource_values("render_database.db").expect("db");
    let redis = ws.resource_values("render_database.redis").expect("redis");
    assert_eq!(db["status"], "available");
    assert!(db["id"].as_str().is_some_and(|i| i.starts_with("dpg-")));
    assert!(redis["id"].as_str().is_some_and(|i| i.starts_with("red-")));
    let worker = ws.resource_values("render_service.worker").expect("worker");
    assert_eq!(
        worker["env_vars"]["DATABASE_URL"]["value"],
        db["internal_connection_string"]
    );
    assert_eq!(
        worker["env_vars"]["REDIS_URL"]["value"],
        redis["internal_connection_string"]
    );
    ws.assert_no_changes();

    // In place: Postgres plan and Key Value eviction policy, one PATCH each.
    emulator.reset_requests();
    ws.write_file("main.tf", &config("basic_4gb", "17", "noeviction"));
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("PATCH /render/v1/postgres/{postgresId}"),
        1
    );
    assert_eq!(
        emulator.request_count("PATCH /render/v1/key-value/{keyValueId}"),
        1
    );
    assert_eq!(emulator.request_count("POST /render/v1/postgres"), 0);

    // A version downgrade replaces the database (and the worker's URL follows).
    let before = id_of(&ws, "render_database.db");
    ws.write_file("main.tf", &config("basic_4gb", "16", "noeviction"));
    ws.apply();
    ws.assert_no_changes();
    assert_ne!(id_of(&ws, "render_database.db"), before);
    let cfg = config("basic_4gb", "16", "noeviction");

    let cli = Workspace::new("render_database_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &cfg);
    for addr in [
        "render_database.db",
        "render_database.redis",
        "render_service.worker",
    ] {
        cli.import(addr, &id_of(&ws, addr));
    }
    cli.assert_no_changes();

    let block = Workspace::new("render_database_import_block").with_emulator(&emulator);
    let imports: String = [
        "render_database.db",
        "render_database.redis",
        "render_service.worker",
    ]
    .iter()
    .map(|a| format!("import {{\n  to = {a}\n  id = \"{}\"\n}}\n", id_of(&ws, a)))
    .collect();
    block.write_file("main.tf", &format!("{cfg}\n{imports}"));
    block.apply();
    block.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

const LOOKUP_DBS: &str = r#"
resource "render_database" "pg" {
  name          = "lookup-db"
  plan          = "basic_1gb"
  version       = "16"
  database_name = "lookup"
}

resource "render_database" "kv" {
  engine = "key_value"
  name   = "lookup-cache"
  plan   = "starter"
}

data "render_database" "pg_by_id" {
  id = render_database.pg.id
}

data "render_database" "pg_by_name" {
  name       = "lookup-db"
  depends_on = [render_database.pg]
}

data "render_database" "kv_by_id" {
  id = render_database.kv.id
}

data "render_database" "kv_by_name" {
  name       = "lookup-cache"
  engine     = "key_value"
  depends_on = [render_database.kv]
}

locals {
  pick = ["id", "engine", "name", "plan", "region", "version", "status", "host", "port"]
}

output "pg" {
  value = { for k in local.pick : k => render_database.pg[k] }
}
output "pg_by_id" {
  value = { for k in local.pick : k => data.render_database.pg_by_id[k] }
}
output "pg_by_name" {
  value = { for k in local.pick : k => data.render_database.pg_by_name[k] }
}
output "pg_url_matches" {
  value = nonsensitive(data.render_database.pg_by_name.internal_connection_string == render_database.pg.internal_connection_string)
}
output "kv" {
  value = { for k in local.pick : k => render_database.kv[k] }
}
output "kv_by_id" {
  value = { for k in local.pick : k => data.render_database.kv_by_id[k] }
}
output "kv_by_name" {
  value = { for k in local.pick : k => data.render_database.kv_by_name[k] }
}
"#;

/// Data source `render_database` through real Terraform: a Postgres and a Key Value instance,
/// each read back by id and by name (and engine); the outputs match the resources, the
/// connection string matches, and a second plan changes nothing.
#[test]
fn render_database_data_source_by_id_and_name() {
    let emulator = Emulator::start(&["--render-db-ready-ms", "200"]);
    let ws = Workspace::new("render_database_data").with_emulator(&emulator);
    ws.write_file("main.tf", &format!("{PROVIDERS}\n{LOOKUP_DBS}"));
    ws.apply();
    let out = ws.output_json();
    for (resource, engine, prefix) in [("pg", "postgres", "dpg-"), ("kv", "key_value", "red-")] {
        let want = &out[resource]["value"];
        assert!(
            want["id"].as_str().is_some_and(|id| id.starts_with(prefix)),
            "{out}"
        );
        assert_eq!(want["engine"], engine, "{out}");
        assert_eq!(want["status"], "available", "{out}");
        for lookup in ["by_id", "by_name"] {
            let got = &out[format!("{resource}_{lookup}")]["value"];
            assert_eq!(got, want, "{resource} {lookup}: {out}");
        }
    }
    assert_eq!(out["pg_url_matches"]["value"], true, "{out}");
    ws.assert_no_changes();
    ws.destroy();
    emulator.assert_empty();
}
