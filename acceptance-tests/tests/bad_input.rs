//! Bad input through real Terraform, a sample of the in-process table
//! (provider/tests/bad_input_table.rs): `terraform validate` fails on each invalid configuration
//! with a diagnostic naming the attribute, without a single HTTP request; malformed import ids
//! are refused before any call for the object. Wrong types are Terraform's own conversion errors
//! and are included to show the provider's schema types reach it.

use paasform_acceptance_tests::{Emulator, Workspace};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
    r2        = { source = "paasform/r2" }
    vercel    = { source = "paasform/vercel" }
    render    = { source = "paasform/render" }
    railway   = { source = "paasform/railway" }
  }
}
"#;

/// (what is wrong, the resource block, text the diagnostics must contain)
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "wrong type",
        r#"resource "tailscale_key" "k" { expiry = "soon" }"#,
        &["expiry", "number"],
    ),
    (
        "out of range",
        r#"resource "tailscale_key" "k" { expiry = 0 }"#,
        &["expiry"],
    ),
    (
        "bad tag",
        r#"resource "tailscale_key" "k" { tags = ["server"] }"#,
        &["tags", "tag:"],
    ),
    (
        "bad bucket name",
        r#"resource "r2_bucket" "b" { name = "Bad_Name" }"#,
        &["name"],
    ),
    (
        "unknown jurisdiction",
        r#"resource "r2_bucket" "b" {
  name         = "ok-bucket"
  jurisdiction = "us"
}"#,
        &["jurisdiction"],
    ),
    (
        "bad project name",
        r#"resource "vercel_project" "p" { name = "Has Space" }"#,
        &["name"],
    ),
    (
        "git_branch on a production variable",
        r#"resource "vercel_project" "p" {
  name        = "site"
  environment = [{ key = "A", value = "1", target = ["production"], git_branch = "feat" }]
}"#,
        &["environment", "preview"],
    ),
    (
        "attribute for another service type",
        r#"resource "render_service" "s" {
  type         = "background_worker"
  name         = "worker"
  runtime      = "python"
  publish_path = "dist"
}"#,
        &["publish_path", "static_site"],
    ),
    (
        "env var with both value and generate_value",
        r#"resource "render_service" "s" {
  type     = "web_service"
  name     = "api"
  runtime  = "node"
  env_vars = { TOKEN = { value = "x", generate_value = true } }
}"#,
        &["generate_value"],
    ),
    (
        "key value attribute on postgres",
        r#"resource "render_database" "db" {
  name             = "db"
  plan             = "basic_1gb"
  maxmemory_policy = "allkeys_lru"
}"#,
        &["maxmemory_policy"],
    ),
    (
        "conflicting sources",
        r#"resource "railway_service" "s" {
  project_id   = "prj-1"
  name         = "api"
  source_repo  = "acme/api"
  source_image = "redis:7"
}"#,
        &["source_image"],
    ),
    (
        "bad cron schedule",
        r#"resource "railway_service" "s" {
  project_id    = "prj-1"
  name          = "api"
  source_image  = "redis:7"
  cron_schedule = "0 25 * * *"
}"#,
        &["cron_schedule"],
    ),
    (
        "missing required attribute",
        r#"resource "railway_project" "p" { description = "no name" }"#,
        &["name"],
    ),
    (
        "conflicting provider credentials",
        r#"provider "tailscale" {
  api_key         = "tskey-api-x"
  oauth_client_id = "id"
}
resource "tailscale_key" "k" {}"#,
        &["oauth_client_id"],
    ),
];

#[test]
fn invalid_configurations_fail_validate_naming_the_attribute_without_requests() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("bad_input_validate").with_emulator(&emulator);
    for (what, block, needles) in CASES {
        ws.write_file("main.tf", &format!("{PROVIDERS}\n{block}\n"));
        let out = ws.run(&["validate"]);
        assert_eq!(out.code, Some(1), "{what}: validate must fail\n{out}");
        let text = out.combined();
        assert!(text.contains("Error"), "{what}: no error\n{out}");
        for needle in *needles {
            assert!(
                text.contains(needle),
                "{what}: the error does not mention {needle:?}\n{out}"
            );
        }
        assert!(!text.contains("panicked"), "{what}\n{out}");
    }
    assert!(
        emulator.requests().is_empty(),
        "validate made HTTP requests: {:?}",
        emulator.requests()
    );
}

#[test]
fn malformed_import_ids_are_refused_before_any_call_for_the_object() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("bad_input_import").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "tailscale_key" "k" {{}}
resource "vercel_project" "p" {{ name = "site" }}
resource "r2_bucket" "b" {{ name = "ok-bucket" }}
"#
        ),
    );
    for (address, id) in [
        ("tailscale_key.k", "../etc/passwd"),
        ("tailscale_key.k", "k 1"),
        ("vercel_project.p", "team/prj/extra"),
        ("r2_bucket.b", "acct/us/ok-bucket"),
        ("r2_bucket.b", "acct/Bad_Name"),
    ] {
        let out = ws.run(&["import", "-input=false", address, id]);
        assert_eq!(out.code, Some(1), "{address} {id:?} must be refused\n{out}");
        assert!(
            out.combined().contains("Invalid import id"),
            "{address} {id:?}\n{out}"
        );
    }
    let requests = emulator.requests();
    let object_calls: Vec<&String> = requests
        .keys()
        .filter(|route| {
            route.contains("/keys") || route.contains("/projects") || route.contains("/buckets")
        })
        .collect();
    assert!(
        object_calls.is_empty(),
        "calls for the object: {requests:?}"
    );
}
