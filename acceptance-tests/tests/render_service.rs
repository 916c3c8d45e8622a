//! render_service through real Terraform against the emulator, all five types wired like the
//! kirby-gen Blueprint (static site + API + private service + worker, plus a cron job): apply →
//! no-change plan (generated secrets stay put) → in-place update → replace → import (CLI and
//! `import {}`) with no diff → destroy → emulator empty. Invalid configs fail at validate with no
//! request.

use paasform_acceptance_tests::{Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}
"#;

/// `jwt`: None = `generate_value = true`; Some(v) = that literal value (for import workspaces).
fn config(start: &str, schedule: &str, cron_region: &str, jwt: Option<&str>) -> String {
    let jwt = match jwt {
        None => "{ generate_value = true }".to_string(),
        Some(v) => format!("{{ value = \"{v}\" }}"),
    };
    format!(
        r#"{PROVIDERS}
resource "render_service" "skills" {{
  type              = "private_service"
  name              = "kirby-gen-skills"
  runtime           = "python"
  repo              = "https://github.com/example/kirby-gen"
  build_command     = "cd packages/skills && pip install -r requirements.txt"
  start_command     = "cd packages/skills && uvicorn src.main:app --host 0.0.0.0 --port $PORT"
}}

resource "render_service" "api" {{
  type              = "web_service"
  name              = "kirby-gen-api"
  runtime           = "node"
  repo              = "https://github.com/example/kirby-gen"
  build_command     = "cd packages/api && npm install && npm run build"
  start_command     = "{start}"
  health_check_path = "/api/health"
  autoscaling       = {{ enabled = true, min = 1, max = 3, cpu_percent = 70 }}
  custom_domains    = ["api.kirby.example.com"]
  env_vars = {{
    NODE_ENV        = {{ value = "production" }}
    SKILLS_BASE_URL = {{ value = render_service.skills.url }}
    JWT_SECRET      = {jwt}
  }}
}}

resource "render_service" "web" {{
  type          = "static_site"
  name          = "kirby-gen-web"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "cd packages/web && npm install && npm run build"
  publish_path  = "packages/web/dist"
  env_vars = {{
    VITE_API_URL = {{ value = "https://${{render_service.api.host}}" }}
  }}
}}

resource "render_service" "worker" {{
  type    = "background_worker"
  name    = "kirby-gen-worker"
  runtime = "docker"
  repo    = "https://github.com/example/kirby-gen"
  docker  = {{ dockerfile_path = "./Dockerfile.worker" }}
}}

resource "render_service" "cron" {{
  type          = "cron_job"
  name          = "kirby-gen-cleanup"
  runtime       = "node"
  region        = "{cron_region}"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "npm ci"
  start_command = "node cleanup.js"
  schedule      = "{schedule}"
}}
"#
    )
}

const ADDRS: &[&str] = &["skills", "api", "web", "worker", "cron"];

fn id_of(ws: &Workspace, name: &str) -> String {
    ws.resource_values(&format!("render_service.{name}"))
        .expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[test]
fn render_services_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_service_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("npm start", "0 3 * * *", "oregon", None));
    ws.apply();
    ws.assert_no_changes();
    let api = ws.resource_values("render_service.api").expect("api");
    let jwt = api["env_vars"]["JWT_SECRET"]["value"]
        .as_str()
        .expect("generated secret in state")
        .to_string();
    assert!(!jwt.is_empty());
    assert_eq!(api["host"], "kirby-gen-api.onrender.com");
    let web = ws.resource_values("render_service.web").expect("web");
    assert_eq!(
        web["env_vars"]["VITE_API_URL"]["value"],
        "https://kirby-gen-api.onrender.com"
    );

    // In place: a start command and a schedule; only PATCHes, no env var PUT, secret unchanged.
    emulator.reset_requests();
    ws.write_file(
        "main.tf",
        &config("node dist/server.js", "30 4 * * 1-5", "oregon", None),
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        emulator.request_count("PATCH /render/v1/services/{serviceId}"),
        2
    );
    assert_eq!(
        emulator.request_count("PUT /render/v1/services/{serviceId}/env-vars"),
        0
    );
    assert_eq!(emulator.request_count("POST /render/v1/services"), 0);
    let api = ws.resource_values("render_service.api").expect("api");
    assert_eq!(api["env_vars"]["JWT_SECRET"]["value"], jwt.as_str());

    // Replace: the cron job moves region.
    let cron_before = id_of(&ws, "cron");
    ws.write_file(
        "main.tf",
        &config("node dist/server.js", "30 4 * * 1-5", "frankfurt", None),
    );
    ws.apply();
    ws.assert_no_changes();
    assert_ne!(id_of(&ws, "cron"), cron_before);

    let final_cfg = config(
        "node dist/server.js",
        "30 4 * * 1-5",
        "frankfurt",
        Some(&jwt),
    );

    // CLI import of every service into fresh state: no changes afterwards.
    let cli = Workspace::new("render_service_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &final_cfg);
    for name in ADDRS {
        cli.import(&format!("render_service.{name}"), &id_of(&ws, name));
    }
    cli.assert_no_changes();

    // `import {}` blocks.
    let block = Workspace::new("render_service_import_block").with_emulator(&emulator);
    let imports: String = ADDRS
        .iter()
        .map(|n| {
            format!(
                "import {{\n  to = render_service.{n}\n  id = \"{}\"\n}}\n",
                id_of(&ws, n)
            )
        })
        .collect();
    block.write_file("main.tf", &format!("{final_cfg}\n{imports}"));
    block.apply();
    block.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

#[test]
fn render_service_bad_input_is_rejected_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("render_service_invalid").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "render_service" "bad" {{
  type     = "web_service"
  name     = "bad"
  runtime  = "node"
  schedule = "0 * * * *"
  env_vars = {{
    "1BAD" = {{ value = "x" }}
  }}
}}
"#
        ),
    );
    let out = ws.run(&["validate", "-no-color"]);
    assert_ne!(out.code, Some(0), "validate must fail:\n{}", out.stdout);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(
        text.contains("schedule") && text.contains("cron_job"),
        "{text}"
    );
    assert!(text.contains("1BAD"), "{text}");
    assert!(
        emulator.requests().is_empty(),
        "validate makes no HTTP request: {:?}",
        emulator.requests()
    );
}
