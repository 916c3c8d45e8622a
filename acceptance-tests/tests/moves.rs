//! `moved` blocks from the official providers through real Terraform: objects exist at the
//! (emulated) vendor, the state holds them in the official provider's shape (fixtures from
//! provider/tests/fixtures/moves/, written from the official schemas), and the configuration says
//! `moved { from = render_web_service.api to = render_service.api }`. The plan must show only the
//! moves, send no write request, and the apply must leave a clean plan.
//!
//! Terraform needs the source provider to be available for a state that names it (it refuses
//! with "Missing required provider" otherwise), though it never calls it for a cross-provider
//! move: the target provider gets the raw state. The official binaries cannot be installed here,
//! so the CLI configuration points the official address at paasform's binary of the same type
//! name (dev_overrides) — a stand-in Terraform starts and asks for its schema, nothing else. Users
//! keep the official provider installed for the migration run (`terraform init` installs it from
//! the state).

use paasform_acceptance_tests::{workspace_root, Emulator, Workspace};
use serde_json::{json, Value};

/// Makes `official` (e.g. `render-oss/render`) resolve to paasform's binary of the same type.
fn with_official(ws: Workspace, official: &[&str]) -> Workspace {
    let root = ws.dir().parent().expect("workspace root").to_path_buf();
    let file = root.join("terraform.tfrc");
    let config = std::fs::read_to_string(&file).expect("cli config");
    let plugins = serde_json::to_string(&root.join("plugins").display().to_string()).expect("path");
    let mut lines = String::new();
    for host in ["registry.terraform.io", "registry.opentofu.org"] {
        if config.contains(host) {
            for o in official {
                lines.push_str(&format!("    \"{host}/{o}\" = {plugins}\n"));
            }
        }
    }
    let patched = config.replacen(
        "dev_overrides {\n",
        &format!("dev_overrides {{\n{lines}"),
        1,
    );
    assert_ne!(patched, config, "dev_overrides block not found in {config}");
    ws.with_cli_config(&patched)
}

/// A state instance in the official shape: the fixture's attributes, placeholders filled.
fn official(fixture: &str, name: &str, vars: &[(&str, String)]) -> Value {
    let path = workspace_root()
        .join("provider/tests/fixtures/moves")
        .join(fixture);
    let mut text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (k, v) in vars {
        // Inside JSON strings: escape as JSON does.
        let esc = serde_json::to_string(v).expect("string");
        text = text.replace(&format!("${{{k}}}"), &esc[1..esc.len() - 1]);
    }
    let f: Value = serde_json::from_str(&text).expect("fixture json");
    json!({
        "mode": "managed",
        "type": f["type"],
        "name": name,
        "provider": format!("provider[\"{}\"]", f["provider"].as_str().expect("provider")),
        "instances": [{
            "schema_version": f["schema_version"],
            "attributes": f["attributes"],
            "sensitive_attributes": [],
        }],
    })
}

fn state_file(resources: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "0b5e1a5c-6d1f-4c59-9d55-6a1e0c5f0a11",
        "outputs": {},
        "resources": resources,
        "check_results": null,
    }))
    .expect("state json")
}

/// Requests that change something at a vendor (anything but GET/HEAD).
fn writes(emulator: &Emulator) -> Vec<String> {
    emulator
        .requests()
        .into_iter()
        .filter(|(route, n)| *n > 0 && !route.starts_with("GET ") && !route.starts_with("HEAD "))
        .map(|(route, n)| format!("{route} ×{n}"))
        .collect()
}

fn attr(ws: &Workspace, addr: &str, key: &str) -> String {
    let v = ws
        .resource_values(addr)
        .unwrap_or_else(|| panic!("{addr} in state"));
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{addr}.{key}: {v}"))
        .to_string()
}

/// Plan: only the listed moves, no change; zero writes. Then apply; then a clean plan.
#[track_caller]
fn assert_moves_only(ws: &Workspace, emulator: &Emulator, moves: &[(&str, &str)]) {
    emulator.reset_requests();
    let plan = ws.run(&["plan", "-no-color", "-input=false"]);
    assert!(
        plan.success(),
        "plan failed:\n{}\n{}",
        plan.stdout,
        plan.stderr
    );
    for (from, to) in moves {
        assert!(
            plan.stdout.contains(&format!("# {from} has moved to {to}")),
            "missing move {from} → {to}:\n{}",
            plan.stdout
        );
    }
    // With no `moved` block (a swap of same-named types only) the plan has nothing to show.
    let clean = if moves.is_empty() {
        "No changes."
    } else {
        "0 to add, 0 to change, 0 to destroy"
    };
    assert!(
        plan.stdout.contains(clean),
        "the move planned changes:\n{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("will be updated"), "{}", plan.stdout);
    assert_eq!(
        writes(emulator),
        Vec::<String>::new(),
        "plan wrote to the vendor"
    );
    ws.apply();
    assert_eq!(
        writes(emulator),
        Vec::<String>::new(),
        "applying a move wrote to the vendor"
    );
    ws.assert_no_changes();
    for (from, to) in moves {
        assert!(ws.resource_values(from).is_none(), "{from} still in state");
        assert!(ws.resource_values(to).is_some(), "{to} not in state");
    }
}

const RENDER: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}

resource "render_service" "api" {
  type              = "web_service"
  name              = "api"
  runtime           = "node"
  repo              = "https://github.com/acme/api"
  build_command     = "npm ci"
  start_command     = "npm start"
  health_check_path = "/healthz"
  plan              = "starter"
  env_vars = {
    NODE_ENV   = { value = "production" }
    API_SECRET = { value = "s3cr3t-value" }
  }
}

resource "render_database" "db" {
  name          = "db"
  plan          = "basic_256mb"
  version       = "16"
  database_name = "app"
}

resource "render_env_group" "shared" {
  name     = "shared"
  env_vars = { LOG_LEVEL = { value = "info" } }
}
"#;

const RENDER_MOVES: &str = r#"
moved {
  from = render_web_service.api
  to   = render_service.api
}
moved {
  from = render_postgres.db
  to   = render_database.db
}
"#;

#[test]
fn render_official_states_move_without_a_change_or_a_write() {
    let emulator = Emulator::start(&[]);
    // The objects, as the official provider would have left them at Render.
    let seed = Workspace::new("moves_render_seed").with_emulator(&emulator);
    seed.write_file("main.tf", RENDER);
    seed.apply();
    let svc = |k| attr(&seed, "render_service.api", k);
    let db = |k| attr(&seed, "render_database.db", k);
    let resources = vec![
        official(
            "render/web_service.json",
            "api",
            &[("ID", svc("id")), ("URL", svc("url"))],
        ),
        official(
            "render/postgres.json",
            "db",
            &[
                ("ID", db("id")),
                ("PASSWORD", db("password")),
                ("INTERNAL", db("internal_connection_string")),
                ("EXTERNAL", db("external_connection_string")),
            ],
        ),
        official(
            "render/env_group.json",
            "shared",
            &[("ID", attr(&seed, "render_env_group.shared", "id"))],
        ),
    ];

    let ws = with_official(
        Workspace::new("moves_render").with_emulator(&emulator),
        &["render-oss/render"],
    );
    ws.write_file("main.tf", &format!("{RENDER}{RENDER_MOVES}"));
    ws.write_file("terraform.tfstate", &state_file(resources));
    assert_moves_only(
        &ws,
        &emulator,
        &[
            ("render_web_service.api", "render_service.api"),
            ("render_postgres.db", "render_database.db"),
        ],
    );
    // A type of the same name needs no `moved` block: Terraform hands the official state to
    // paasform's type of that name (UpgradeResourceState), and the plan above was clean for it.
    // `show -json`: the resources sit under values.root_module, each with its provider_name.
    let state = ws.state_json();
    let group = state["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["type"] == "render_env_group"))
        .expect("env group in state");
    assert!(
        group["provider_name"]
            .as_str()
            .is_some_and(|p| p.contains("paasform/render")),
        "{group}"
    );
    // The secret came over with the move (not re-sent: no write above).
    let api = ws.resource_values("render_service.api").expect("moved");
    assert_eq!(api["env_vars"]["API_SECRET"]["value"], "s3cr3t-value");
    ws.destroy();
    emulator.assert_empty();
}

/// Sets `attrs` on the official state's only instance (a fixture value the test's config spells
/// differently).
fn patched(mut resource: Value, attrs: &[(&str, Value)]) -> Value {
    for (k, v) in attrs {
        resource["instances"][0]["attributes"][*k] = v.clone();
    }
    resource
}

const TAILSCALE: &str = r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
  }
}

data "tailscale_device" "desktop" {
  hostname = "desktop"
}

resource "tailscale_acl" "policy" {
  acl = jsonencode({
    tagOwners = {
      "tag:ci"      = ["autogroup:admin"]
      "tag:desktop" = ["autogroup:admin"]
    }
  })
  reset_acl_on_destroy = true
}

resource "tailscale_key" "ci" {
  reusable      = true
  preauthorized = true
  tags          = ["tag:ci"]
  expiry        = 3600
  depends_on    = [tailscale_acl.policy]
}

resource "tailscale_device_authorization" "desktop" {
  device_id  = data.tailscale_device.desktop.id
  authorized = true
}

resource "tailscale_device_tags" "desktop" {
  device_id  = data.tailscale_device.desktop.id
  tags       = ["tag:desktop"]
  depends_on = [tailscale_acl.policy]
}

resource "tailscale_device_key" "desktop" {
  device_id           = data.tailscale_device.desktop.id
  key_expiry_disabled = true
}

resource "tailscale_dns_preferences" "dns" {
  magic_dns = false
}
"#;

#[test]
fn tailscale_official_states_move_and_swap_without_a_change_or_a_write() {
    let emulator = Emulator::start(&["--tailscale-device", "desktop:100.64.0.7"]);
    let seed = Workspace::new("moves_tailscale_seed").with_emulator(&emulator);
    seed.write_file("main.tf", TAILSCALE);
    seed.apply();
    let key = |k| attr(&seed, "tailscale_key.ci", k);
    let device = attr(&seed, "tailscale_device_tags.desktop", "device_id");
    let dev = [("DEVICE", device.clone())];
    let resources = vec![
        official(
            "tailscale/tailnet_key.json",
            "ci",
            &[
                ("ID", key("id")),
                ("KEY", key("key")),
                ("CREATED", key("created_at")),
                ("EXPIRES", key("expires_at")),
                ("USER", key("user_id")),
            ],
        ),
        // Same-named types: the official state is handed over on the provider swap.
        patched(
            official(
                "tailscale/acl.json",
                "policy",
                &[("ACL", attr(&seed, "tailscale_acl.policy", "acl"))],
            ),
            &[
                ("overwrite_existing_content", Value::Null),
                ("reset_acl_on_destroy", json!(true)),
            ],
        ),
        official("tailscale/device_authorization.json", "desktop", &dev),
        patched(
            official("tailscale/device_tags.json", "desktop", &dev),
            &[("tags", json!(["tag:desktop"]))],
        ),
        official("tailscale/device_key.json", "desktop", &dev),
        patched(
            official("tailscale/dns_preferences.json", "dns", &[]),
            &[("magic_dns", json!(false))],
        ),
    ];
    let ws = with_official(
        Workspace::new("moves_tailscale").with_emulator(&emulator),
        &["tailscale/tailscale"],
    );
    let moves = "\nmoved {\n  from = tailscale_tailnet_key.ci\n  to   = tailscale_key.ci\n}\n";
    ws.write_file("main.tf", &format!("{TAILSCALE}{moves}"));
    ws.write_file("terraform.tfstate", &state_file(resources));
    assert_moves_only(
        &ws,
        &emulator,
        &[("tailscale_tailnet_key.ci", "tailscale_key.ci")],
    );
    // The key secret came over; the policy's ETag was read by the refresh, so the next write is
    // conditional; the singletons carry our ids.
    assert_eq!(attr(&ws, "tailscale_key.ci", "key"), key("key"));
    assert!(!attr(&ws, "tailscale_acl.policy", "etag").is_empty());
    assert_eq!(attr(&ws, "tailscale_acl.policy", "id"), "acl");
    assert_eq!(
        attr(&ws, "tailscale_dns_preferences.dns", "id"),
        "dns_preferences"
    );
    ws.destroy();
    emulator.assert_empty();
}

const CLOUDFLARE: &str = r#"
terraform {
  required_providers {
    cloudflare = { source = "paasform/cloudflare" }
  }
}

data "cloudflare_zone" "main" {
  name = "example.test"
}

resource "cloudflare_tunnel" "edge" {
  name = "edge"
}

resource "cloudflare_dns_record" "app" {
  zone_id = data.cloudflare_zone.main.id
  name    = "app.example.test"
  type    = "CNAME"
  content = cloudflare_tunnel.edge.cname
}
"#;

#[test]
fn cloudflare_official_states_move_and_swap_without_a_change_or_a_write() {
    let emulator = Emulator::start(&[]);
    let seed = Workspace::new("moves_cloudflare_seed").with_emulator(&emulator);
    seed.write_file("main.tf", CLOUDFLARE);
    seed.apply();
    let tunnel = |k| attr(&seed, "cloudflare_tunnel.edge", k);
    let record = |k| attr(&seed, "cloudflare_dns_record.app", k);
    let resources = vec![
        official(
            "cloudflare/zero_trust_tunnel_cloudflared.json",
            "edge",
            &[
                ("ID", tunnel("id")),
                ("ACCOUNT", tunnel("account_id")),
                ("CREATED", tunnel("created_at")),
            ],
        ),
        official(
            "cloudflare/dns_record.json",
            "app",
            &[
                ("ID", record("id")),
                ("ZONE", record("zone_id")),
                ("TYPE", "CNAME".into()),
                ("NAME", "app.example.test".into()),
                ("CONTENT", tunnel("cname")),
            ],
        ),
    ];
    let ws = with_official(
        Workspace::new("moves_cloudflare").with_emulator(&emulator),
        &["cloudflare/cloudflare"],
    );
    let moves = "\nmoved {\n  from = cloudflare_zero_trust_tunnel_cloudflared.edge\n  to   = cloudflare_tunnel.edge\n}\n";
    ws.write_file("main.tf", &format!("{CLOUDFLARE}{moves}"));
    ws.write_file("terraform.tfstate", &state_file(resources));
    assert_moves_only(
        &ws,
        &emulator,
        &[(
            "cloudflare_zero_trust_tunnel_cloudflared.edge",
            "cloudflare_tunnel.edge",
        )],
    );
    assert_eq!(
        attr(&ws, "cloudflare_dns_record.app", "hostname"),
        "app.example.test",
        "the refresh filled our computed hostname"
    );
    ws.destroy();
    emulator.assert_empty();
}

const VERCEL: &str = r#"
terraform {
  required_providers {
    vercel = { source = "paasform/vercel" }
  }
}

resource "vercel_project" "web" {
  name          = "web"
  framework     = "nextjs"
  build_command = "npm run build"
  environment = [
    { key = "API_URL", value = "https://api.example.com", target = ["production", "preview"] },
    { key = "SECRET", value = "s3cr3t-value", target = ["production"], type = "sensitive", comment = "signing key" },
  ]
  vercel_authentication = { deployment_type = "all_except_custom_domains" }
  options_allowlist     = { paths = ["/api/health"] }
  skew_protection       = "1 day"
}

resource "vercel_project_domain" "www" {
  project_id = vercel_project.web.id
  domain     = "www.example.com"
}
"#;

#[test]
fn vercel_official_states_swap_without_a_change_or_a_write() {
    let emulator = Emulator::start(&[]);
    let seed = Workspace::new("moves_vercel_seed").with_emulator(&emulator);
    seed.write_file("main.tf", VERCEL);
    seed.apply();
    let project = |k| attr(&seed, "vercel_project.web", k);
    // No team configured: the official provider stores "" there, ours null.
    let team = seed
        .resource_values("vercel_project.web")
        .and_then(|v| v["team_id"].as_str().map(str::to_string))
        .unwrap_or_default();
    let resources = vec![
        // Both types keep their names: Terraform hands the official states to paasform's types
        // of the same name on the provider swap (UpgradeResourceState), no `moved` block.
        official(
            "vercel/project.json",
            "web",
            &[
                ("ID", project("id")),
                ("TEAM", team.clone()),
                ("ENV1", "env_official_1".into()),
                ("ENV2", "env_official_2".into()),
            ],
        ),
        official(
            "vercel/project_domain.json",
            "www",
            &[
                ("PROJECT", project("id")),
                ("TEAM", team),
                ("DOMAIN", "www.example.com".into()),
            ],
        ),
    ];
    let ws = with_official(
        Workspace::new("moves_vercel").with_emulator(&emulator),
        &["vercel/vercel"],
    );
    ws.write_file("main.tf", VERCEL);
    ws.write_file("terraform.tfstate", &state_file(resources));
    assert_moves_only(&ws, &emulator, &[]);
    let web = ws.resource_values("vercel_project.web").expect("swapped");
    assert_eq!(
        web["vercel_authentication"]["deployment_type"], "all_except_custom_domains",
        "{web}"
    );
    // The sensitive value Vercel never returns came over from the official state.
    let secret = web["environment"]
        .as_array()
        .and_then(|e| e.iter().find(|v| v["key"] == "SECRET"))
        .unwrap_or_else(|| panic!("SECRET in {web}"));
    assert_eq!(secret["value"], "s3cr3t-value");
    let state = ws.state_json();
    let providers: Vec<&str> = state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["provider_name"].as_str())
        .collect();
    assert!(
        providers.len() == 2 && providers.iter().all(|p| p.contains("paasform/vercel")),
        "{providers:?}"
    );
    ws.destroy();
    emulator.assert_empty();
}
