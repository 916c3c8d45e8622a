//! `railway_volume` and `railway_tcp_proxy` through real Terraform against the emulator: a
//! Postgres service (generated domain with a target port) with a volume and a TCP proxy → apply →
//! no-change plan → update (rename and re-mount in place, the same volume id; a new target port
//! and a new name for the generated domain)
//! → CLI import and `import {}` (and, on Terraform ≥ 1.12, `import { identity = {…} }`) into
//! fresh state with no changes → destroy → emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    railway = { source = "paasform/railway" }
  }
}
"#;

fn config(mount: &str, name: &str, port: u32) -> String {
    // The first apply and the update differ in the start command and the generated domain's name.
    let (start, subdomain) = if port == 8080 {
        ("postgres", "pg-volumes")
    } else {
        ("postgres -c fsync=off", "pg-volumes-2")
    };
    format!(
        r#"{PROVIDERS}
resource "railway_project" "p" {{
  name = "volumes"
}}

resource "railway_service" "pg" {{
  project_id                 = railway_project.p.id
  name                       = "postgres"
  source_image               = "postgres:17"
  service_domain             = true
  service_domain_target_port = {port}
  service_domain_subdomain   = "{subdomain}"
}}

resource "railway_volume" "data" {{
  project_id     = railway_project.p.id
  environment_id = railway_project.p.default_environment_id
  service_id     = railway_service.pg.id
  mount_path     = "{mount}"
  name           = "{name}"
}}

resource "railway_tcp_proxy" "pg" {{
  environment_id   = railway_project.p.default_environment_id
  service_id       = railway_service.pg.id
  application_port = 5432
}}

resource "railway_environment" "staging" {{
  project_id = railway_project.p.id
  name       = "staging"
}}

# The same service configured differently in staging.
resource "railway_service_instance" "pg_staging" {{
  service_id     = railway_service.pg.id
  environment_id = railway_environment.staging.id
  start_command  = "{start}"
  num_replicas   = 1
}}
"#
    )
}

/// A workspace that manages only the volume and the proxy of an existing service, plus `extra`.
fn adopting(pid: &str, env: &str, sid: &str, extra: &str) -> String {
    format!(
        r#"{PROVIDERS}
resource "railway_volume" "data" {{
  project_id     = "{pid}"
  environment_id = "{env}"
  service_id     = "{sid}"
  mount_path     = "/pgdata"
  name           = "pg-data"
}}

resource "railway_tcp_proxy" "pg" {{
  environment_id   = "{env}"
  service_id       = "{sid}"
  application_port = 5432
}}
{extra}"#
    )
}

fn id_of(ws: &Workspace, address: &str) -> String {
    ws.resource_values(address).expect(address)["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn volume_and_tcp_proxy_lifecycle_and_import() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("railway_volume").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &config("/var/lib/postgresql/data", "pgdata", 8080),
    );
    ws.apply();
    ws.assert_no_changes();
    let project = ws.resource_values("railway_project.p").expect("project");
    let pid = project["id"].as_str().expect("id").to_string();
    let env = project["default_environment_id"]
        .as_str()
        .expect("env")
        .to_string();
    let sid = id_of(&ws, "railway_service.pg");
    let vid = id_of(&ws, "railway_volume.data");
    let tid = id_of(&ws, "railway_tcp_proxy.pg");
    let volume = ws.resource_values("railway_volume.data").expect("volume");
    assert_eq!(volume["size_mb"], 5000, "{volume}");
    let proxy = ws.resource_values("railway_tcp_proxy.pg").expect("proxy");
    assert!(
        proxy["proxy_port"].as_i64().is_some_and(|p| p > 0),
        "{proxy}"
    );

    let domains = emulator.state()["railway"]["service_domains"].clone();
    assert!(
        domains.to_string().contains("\"target_port\":8080"),
        "{domains}"
    );
    assert!(
        domains
            .to_string()
            .contains("\"domain\":\"pg-volumes.up.railway.app\""),
        "{domains}"
    );

    // Rename and re-mount, and a new target port: in place, same volume.
    ws.write_file("main.tf", &config("/pgdata", "pg-data", 9090));
    let plan = ws.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("3 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(id_of(&ws, "railway_volume.data"), vid);
    let instances = emulator.state()["railway"]["volume_instances"].clone();
    let instance = instances
        .as_object()
        .and_then(|m| m.values().next())
        .cloned()
        .unwrap_or_default();
    assert_eq!(instance["mount_path"], "/pgdata", "{instances}");
    let domains = emulator.state()["railway"]["service_domains"].clone();
    assert!(
        domains.to_string().contains("\"target_port\":9090"),
        "{domains}"
    );
    let pg = ws.resource_values("railway_service.pg").expect("service");
    assert_eq!(
        pg["service_domain_name"], "pg-volumes-2.up.railway.app",
        "renamed in place: {domains}"
    );

    // CLI import into fresh state: no changes afterwards.
    let cli = Workspace::new("railway_volume_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &adopting(&pid, &env, &sid, ""));
    cli.import("railway_volume.data", &format!("{env}/{vid}"));
    cli.import("railway_tcp_proxy.pg", &format!("{env}/{sid}/{tid}"));
    cli.assert_no_changes();
    cli.run(&["state", "rm", "railway_volume.data", "railway_tcp_proxy.pg"]);
    let staging = id_of(&ws, "railway_environment.staging");
    let instance_ws = Workspace::new("railway_service_instance_cli").with_emulator(&emulator);
    instance_ws.write_file(
        "main.tf",
        &format!(
            "{PROVIDERS}\nresource \"railway_service_instance\" \"pg_staging\" {{\n  service_id     = \"{sid}\"\n  environment_id = \"{staging}\"\n  start_command  = \"postgres -c fsync=off\"\n  num_replicas   = 1\n}}\n"
        ),
    );
    instance_ws.import(
        "railway_service_instance.pg_staging",
        &format!("{staging}/{sid}"),
    );
    instance_ws.assert_no_changes();
    instance_ws.run(&["state", "rm", "railway_service_instance.pg_staging"]);

    // `import {}` by id.
    let block = Workspace::new("railway_volume_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &adopting(
            &pid,
            &env,
            &sid,
            &format!(
                "import {{\n  to = railway_volume.data\n  id = \"{env}/{vid}\"\n}}\nimport {{\n  to = railway_tcp_proxy.pg\n  id = \"{env}/{sid}/{tid}\"\n}}\n"
            ),
        ),
    );
    block.apply();
    block.assert_no_changes();
    block.run(&["state", "rm", "railway_volume.data", "railway_tcp_proxy.pg"]);

    // `import { identity = {…} }` (Terraform ≥ 1.12).
    if terraform().supports_import_identity() {
        let by_identity = Workspace::new("railway_volume_identity").with_emulator(&emulator);
        by_identity.write_file(
            "main.tf",
            &adopting(
                &pid,
                &env,
                &sid,
                &format!(
                    "import {{\n  to = railway_volume.data\n  identity = {{\n    environment_id = \"{env}\"\n    id             = \"{vid}\"\n  }}\n}}\nimport {{\n  to = railway_tcp_proxy.pg\n  identity = {{\n    environment_id = \"{env}\"\n    service_id     = \"{sid}\"\n    id             = \"{tid}\"\n  }}\n}}\n"
                ),
            ),
        );
        by_identity.apply();
        by_identity.assert_no_changes();
        let imported = by_identity
            .resource_values("railway_volume.data")
            .expect("imported");
        assert_eq!(imported["mount_path"], "/pgdata", "{imported}");
        by_identity.run(&["state", "rm", "railway_volume.data", "railway_tcp_proxy.pg"]);
    } else {
        eprintln!("skipping import {{ identity }}: Terraform < 1.12");
    }

    ws.destroy();
    emulator.assert_empty();
}
