//! `terraform query` and adopting a whole Render workspace through real Terraform (≥ 1.14; the
//! CI shim is 1.15): a kirby-gen-like stack is created through the emulator's vendor API with
//! plain HTTP (as a dashboard would, not through Terraform) → `terraform query` lists every object
//! → `-generate-config-out` writes import and resource blocks → `plan` shows only imports, no
//! change → apply the imports → plan empty → destroy → emulator empty. One workspace per vendor
//! (Render, Vercel, Cloudflare, Tailscale, Railway), so CI stays fast. With an older CLI (the
//! 1.11 on a developer's PATH) the shim is used when installed, else the test skips and says why.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use paasform_acceptance_tests::{target_dir, terraform, Emulator, Workspace};
use serde_json::{json, Value};

const OWNER: &str = "tea-paasformemulator0001";

/// Prefer a query-capable CLI: when none is chosen explicitly, the shim (Terraform 1.15) if it
/// is installed. Must run before the first `terraform()` call of this process.
fn query_capable() -> bool {
    static PICK: std::sync::Once = std::sync::Once::new();
    PICK.call_once(|| {
        let shim = target_dir().join("terraform-shim").join("terraform");
        if std::env::var_os("TF_ACC_TERRAFORM_PATH").is_none() && shim.exists() {
            std::env::set_var("TF_ACC_TERRAFORM_PATH", &shim);
        }
    });
    let cli = terraform();
    let ok = cli.terraform_at_least(1, 14);
    if !ok {
        let line = format!(
            "paasform-acceptance-tests: skipping terraform query: needs Terraform >= 1.14, this is {} {} (install the shim: see .ci/run)\n",
            if cli.is_tofu { "OpenTofu" } else { "Terraform" },
            cli.version
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
    ok
}

/// One JSON POST to the emulator's Render API over a plain TCP connection.
fn post(emulator: &Emulator, path: &str, body: Value) -> Value {
    post_to(emulator, &format!("/render/v1{path}"), body)
}

/// One JSON POST to any of the emulator's vendor APIs (`path` from the root, e.g. `/vercel/…`).
fn post_to(emulator: &Emulator, path: &str, body: Value) -> Value {
    let body = body.to_string();
    let mut s = TcpStream::connect(emulator.addr).expect("emulator reachable");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        emulator.addr,
        token(emulator),
        body.len()
    );
    s.write_all(head.as_bytes()).expect("write");
    s.write_all(body.as_bytes()).expect("write");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let (status_line, rest) = raw.split_once("\r\n").expect("status line");
    assert!(
        status_line.contains(" 200 ") || status_line.contains(" 201 "),
        "POST {path}: {raw}"
    );
    let payload = rest.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    // The emulator answers with a Content-Length body (no chunking) on these routes.
    serde_json::from_str(payload).unwrap_or_else(|e| panic!("POST {path}: {e}: {payload}"))
}

fn token(emulator: &Emulator) -> String {
    emulator
        .env()
        .into_iter()
        .find(|(k, _)| k == "RENDER_API_KEY")
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// A kirby-gen-like stack: a project with one environment, a web service and a worker in it, a
/// Postgres, a Key Value and an env group. (No env var holds the Postgres's connection string:
/// Terraform generates a secret as `null # sensitive`, which render_service's "exactly one of
/// value or generate_value" refuses before any plan; the rewrite of such a value is covered by
/// the unit table in provider/src/adopt.rs.)
fn seed(emulator: &Emulator) {
    let p = post(
        emulator,
        "/projects",
        json!({"name": "kirby", "ownerId": OWNER, "environments": [{"name": "production"}]}),
    );
    let env = p["environmentIds"][0].as_str().expect("env id").to_string();
    post(
        emulator,
        "/postgres",
        json!({"name": "kirby-db", "ownerId": OWNER, "plan": "free", "version": "16", "environmentId": env}),
    );
    for (name, kind) in [
        ("kirby-api", "web_service"),
        ("kirby-worker", "background_worker"),
    ] {
        post(
            emulator,
            "/services",
            json!({
                "type": kind, "name": name, "ownerId": OWNER, "environmentId": env,
                "image": {"ownerId": OWNER, "imagePath": "docker.io/library/nginx:latest"},
                "serviceDetails": {"runtime": "image"},
            }),
        );
    }
    post(
        emulator,
        "/key-value",
        json!({"name": "kirby-cache", "ownerId": OWNER, "plan": "starter"}),
    );
    post(
        emulator,
        "/env-groups",
        json!({"name": "kirby-shared", "ownerId": OWNER, "environmentId": env, "envVars": []}),
    );
}

const MAIN: &str = r#"
terraform {
  required_providers {
    render = { source = "paasform/render" }
  }
}

provider "render" {}
"#;

const QUERY: &str = r#"
list "render_project" "all" {
  provider         = render
  include_resource = true
}

list "render_service" "all" {
  provider         = render
  include_resource = true
  config {
    name_prefix = "kirby-"
  }
}

list "render_database" "all" {
  provider         = render
  include_resource = true
}

list "render_env_group" "all" {
  provider         = render
  include_resource = true
}
"#;

#[test]
fn query_generates_config_that_imports_with_an_empty_plan() {
    if !query_capable() {
        return;
    }
    let emulator = Emulator::start(&[]);
    seed(&emulator);
    let ws = Workspace::new("query_adopt").with_emulator(&emulator);
    ws.write_file("main.tf", MAIN);
    ws.write_file("adopt.tfquery.hcl", QUERY);

    let listed = ws.run(&["query", "-no-color"]).assert_success();
    for name in [
        "kirby",
        "kirby-api",
        "kirby-worker",
        "kirby-db",
        "kirby-cache",
        "kirby-shared",
    ] {
        assert!(
            listed.stdout.contains(name),
            "query did not list {name}:\n{}",
            listed.combined()
        );
    }

    emulator.reset_requests();
    ws.run(&["query", "-no-color", "-generate-config-out=generated.tf"])
        .assert_success();
    let generated =
        std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated.tf written");
    assert_eq!(generated.matches("import {").count(), 6, "{generated}");
    assert_eq!(generated.matches("resource \"").count(), 6, "{generated}");
    // Idiomatic: no computed-only attributes restated.
    for computed in ["created_at", "dashboard_url", "internal_connection_string"] {
        assert!(
            !generated.contains(computed),
            "{computed} in generated config:\n{generated}"
        );
    }
    // Listing and generating wrote nothing.
    let writes: u64 = emulator
        .requests()
        .iter()
        .filter(|(route, _)| !route.starts_with("GET "))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(writes, 0, "{:?}", emulator.requests());

    // The import blocks sit in the query's output file; plan with them as configuration.
    let plan = ws
        .run(&["plan", "-no-color", "-input=false"])
        .assert_success();
    assert!(
        plan.stdout
            .contains("6 to import, 0 to add, 0 to change, 0 to destroy"),
        "plan after generation is not imports only:\n{}",
        plan.combined()
    );
    // The recipe's reference step: ids of objects in the same result become references.
    let refs = squash(&references(&ws));
    // The services (and the Postgres and env group) sit in the project's environment.
    let n = refs
        .matches(".environments[\"production\"].id")
        .filter(|_| refs.contains("environment_id = render_project."))
        .count();
    assert!(n >= 2, "environment_id references missing:\n{refs}");
    let plan = ws
        .run(&["plan", "-no-color", "-input=false"])
        .assert_success();
    assert!(
        plan.stdout
            .contains("6 to import, 0 to add, 0 to change, 0 to destroy"),
        "plan after the reference rewrite is not imports only:\n{}\n{refs}",
        plan.combined()
    );
    ws.apply();
    ws.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

/// The text with runs of spaces as one (Terraform aligns the `=` of neighbouring lines).
fn squash(s: &str) -> String {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// docs/adopting.md's reference step: a saved plan of the imports, its JSON, and
/// `terraform-provider-paasform adopt references` over generated.tf. The rewritten file.
fn references(ws: &Workspace) -> String {
    ws.run(&["plan", "-no-color", "-input=false", "-out=adopt.tfplan"])
        .assert_success();
    let json = ws.run(&["show", "-json", "adopt.tfplan"]).assert_success();
    std::fs::write(ws.dir().join("adopt.plan.json"), &json.stdout).expect("plan json written");
    let out = std::process::Command::new(paasform_acceptance_tests::provider_binary())
        .args([
            "adopt",
            "references",
            "--plan",
            "adopt.plan.json",
            "generated.tf",
        ])
        .current_dir(ws.dir())
        .output()
        .expect("run adopt references");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "adopt references failed: {stderr}");
    // The report names addresses and paths, never a value (they may be secrets).
    assert!(!stderr.contains("://"), "{stderr}");
    std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated.tf")
}

/// Plans, applies, re-plans and destroys what `query -generate-config-out` wrote for `imports`
/// objects: only imports, then nothing to change, then an empty emulator.
fn adopt_generated(ws: &Workspace, emulator: &Emulator, imports: usize) -> String {
    emulator.reset_requests();
    ws.run(&["query", "-no-color", "-generate-config-out=generated.tf"])
        .assert_success();
    let generated =
        std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated.tf written");
    assert_eq!(
        generated.matches("import {").count(),
        imports,
        "{generated}"
    );
    // Railway's GraphQL reads are POSTs too: its route cannot tell a read from a write here.
    let writes: u64 = emulator
        .requests()
        .iter()
        .filter(|(route, _)| !route.starts_with("GET ") && !route.contains("/graphql"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(writes, 0, "{:?}", emulator.requests());
    let plan = ws
        .run(&["plan", "-no-color", "-input=false"])
        .assert_success();
    let want = format!("{imports} to import, 0 to add, 0 to change, 0 to destroy");
    assert!(
        plan.stdout.contains(&want),
        "plan after generation is not imports only:\n{}\n{generated}",
        plan.combined()
    );
    let generated = references(ws);
    let plan = ws
        .run(&["plan", "-no-color", "-input=false"])
        .assert_success();
    assert!(
        plan.stdout.contains(&want),
        "plan after the reference rewrite is not imports only:\n{}\n{generated}",
        plan.combined()
    );
    ws.apply();
    ws.assert_no_changes();
    ws.destroy();
    emulator.assert_empty();
    generated
}

/// The documented example is the query the test runs.
const VERCEL_QUERY: &str = include_str!("../../examples/list-resources/vercel.tfquery.hcl");

#[test]
fn query_adopts_a_vercel_team() {
    if !query_capable() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let p = post_to(
        &emulator,
        "/vercel/v11/projects",
        json!({"name": "shop-web"}),
    );
    let id = p["id"].as_str().expect("project id").to_string();
    post_to(
        &emulator,
        &format!("/vercel/v10/projects/{id}/domains"),
        json!({"name": "shop.example.com"}),
    );
    post_to(
        &emulator,
        &format!("/vercel/v9/projects/{id}/custom-environments"),
        json!({"slug": "staging"}),
    );
    let ws = Workspace::new("query_vercel").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        "terraform {\n  required_providers {\n    vercel = { source = \"paasform/vercel\" }\n  }\n}\n\nprovider \"vercel\" {}\n",
    );
    ws.write_file("adopt.tfquery.hcl", VERCEL_QUERY);
    let listed = ws.run(&["query", "-no-color"]).assert_success();
    for name in ["shop-web", "shop.example.com", "staging"] {
        assert!(
            listed.stdout.contains(name),
            "{name}:\n{}",
            listed.combined()
        );
    }
    let generated = adopt_generated(&ws, &emulator, 3);
    // The domain (and the custom environment, where it holds the id) name their project by
    // reference.
    assert!(
        squash(&generated).contains("project_id = vercel_project."),
        "{generated}"
    );
}

#[test]
fn query_adopts_a_cloudflare_account() {
    if !query_capable() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let account = paasform_acceptance_tests::TEST_ACCOUNT_ID;
    post_to(
        &emulator,
        &format!("/cloudflare/client/v4/accounts/{account}/cfd_tunnel"),
        json!({"name": "edge", "config_src": "local",
               "tunnel_secret": "AQIDBAUGBwgBAgMEBQYHCAECAwQFBgcIAQIDBAUGBwg="}),
    );
    post_to(
        &emulator,
        &format!("/cloudflare/client/v4/accounts/{account}/r2/buckets"),
        json!({"name": "edge-logs"}),
    );
    let ws = Workspace::new("query_cloudflare").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        "terraform {\n  required_providers {\n    cloudflare = { source = \"paasform/cloudflare\" }\n    r2 = { source = \"paasform/r2\" }\n  }\n}\n\nprovider \"cloudflare\" {}\nprovider \"r2\" {}\n",
    );
    ws.write_file(
        "adopt.tfquery.hcl",
        r#"
list "cloudflare_tunnel" "all" {
  provider         = cloudflare
  include_resource = true
}

# A locally managed tunnel has no remote configuration: nothing listed.
list "cloudflare_tunnel_config" "all" {
  provider         = cloudflare
  include_resource = true
}

list "r2_bucket" "all" {
  provider         = r2
  include_resource = true
  config {
    name_prefix = "edge-"
  }
}
"#,
    );
    let listed = ws.run(&["query", "-no-color"]).assert_success();
    for name in ["edge", "edge-logs"] {
        assert!(
            listed.stdout.contains(name),
            "{name}:\n{}",
            listed.combined()
        );
    }
    adopt_generated(&ws, &emulator, 2);
}

#[test]
fn query_adopts_a_tailnets_keys() {
    if !query_capable() {
        return;
    }
    let emulator = Emulator::start(&[]);
    post_to(
        &emulator,
        "/tailscale/api/v2/tailnet/-/keys",
        json!({"description": "ci runners",
               "capabilities": {"devices": {"create": {"reusable": true, "tags": []}}}}),
    );
    let ws = Workspace::new("query_tailscale").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        "terraform {\n  required_providers {\n    tailscale = { source = \"paasform/tailscale\" }\n  }\n}\n\nprovider \"tailscale\" {}\n",
    );
    ws.write_file(
        "adopt.tfquery.hcl",
        "list \"tailscale_key\" \"all\" {\n  provider         = tailscale\n  include_resource = true\n}\n",
    );
    let listed = ws.run(&["query", "-no-color"]).assert_success();
    assert!(
        listed.stdout.contains("ci runners"),
        "{}",
        listed.combined()
    );
    adopt_generated(&ws, &emulator, 1);
}

/// One GraphQL document to the emulator's Railway API; the `data` of the answer.
fn railway(emulator: &Emulator, query: &str) -> Value {
    let answer = post_to(emulator, "/railway/graphql/v2", json!({ "query": query }));
    assert!(answer.get("errors").is_none(), "{query}: {answer}");
    answer["data"].clone()
}

#[test]
fn query_adopts_railway_projects() {
    if !query_capable() {
        return;
    }
    let emulator = Emulator::start(&[]);
    let p = railway(
        &emulator,
        r#"mutation { projectCreate(input: { name: "kirby" }) { id } }"#,
    );
    let pid = p["projectCreate"]["id"].as_str().expect("project id");
    railway(
        &emulator,
        &format!(
            r#"mutation {{ serviceCreate(input: {{ projectId: "{pid}", name: "api", source: {{ image: "nginx:latest" }} }}) {{ id }} }}"#
        ),
    );
    let ws = Workspace::new("query_railway").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        "terraform {\n  required_providers {\n    railway = { source = \"paasform/railway\" }\n  }\n}\n\nprovider \"railway\" {}\n",
    );
    ws.write_file(
        "adopt.tfquery.hcl",
        "list \"railway_project\" \"all\" {\n  provider         = railway\n  include_resource = true\n}\n\nlist \"railway_service\" \"all\" {\n  provider         = railway\n  include_resource = true\n}\n",
    );
    let listed = ws.run(&["query", "-no-color"]).assert_success();
    for name in ["kirby", "api"] {
        assert!(
            listed.stdout.contains(name),
            "{name}:\n{}",
            listed.combined()
        );
    }
    let generated = adopt_generated(&ws, &emulator, 2);
    assert!(
        squash(&generated).contains("project_id = railway_project."),
        "{generated}"
    );
}
