//! In-process tier for cloudflare_tunnel, cloudflare_tunnel_config and the ephemeral
//! cloudflare_tunnel_token: the resources against the emulator (strict-spec), no Terraform.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const ACCT: &str = "acct123";
const SECRET: &str = "AQIDBAUGBwgBAgMEBQYHCAECAwQFBgcIAQIDBAUGBwg=";

async fn setup() -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "cloudflare",
        &[
            ("api_token", Value::string("cf-test-token")),
            ("account_id", Value::string(ACCT)),
            ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    (emu, host)
}

fn rule(hostname: Option<&str>, service: &str) -> Value {
    Value::object([
        ("hostname", hostname.map_or(Value::Null, Value::string)),
        ("path", Value::Null),
        ("service", Value::string(service)),
        ("origin_request", Value::Null),
    ])
}

fn token_secret(token: &str) -> String {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .expect("token is base64");
    let v: serde_json::Value = serde_json::from_slice(&raw).expect("token is JSON");
    v["s"].as_str().expect("secret in token").to_string()
}

#[tokio::test]
async fn tunnel_lifecycle_rename_rotate_import_and_delete_with_connections() {
    let (emu, host) = setup().await;
    let t = "cloudflare_tunnel";
    let cfg = resource_config(&host, t, &[("name", Value::string("macbook"))]);
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert_eq!(
        state.attr("cname"),
        &Value::string(format!("{id}.cfargotunnel.com"))
    );
    assert_eq!(state.attr("config_src"), &Value::string("cloudflare"));
    assert_eq!(state.attr("status"), &Value::string("inactive"));
    let token = state.attr("token").as_str().expect("token").to_string();
    let generated = token_secret(&token);
    assert!(generated.len() >= 44, "a provider-made 32-byte secret");
    assert!(state.attr("tunnel_secret_wo").is_null());
    let state = assert_stable(&host, t, &state, &cfg).await;

    // Rename in place; then rotate to a given secret: write-only, never in state.
    let cfg2 = resource_config(&host, t, &[("name", Value::string("macbook-2"))]);
    let (state, replace) = apply(&host, t, &state, &cfg2).await;
    assert!(replace.is_empty());
    assert_eq!(state.attr("id"), &Value::string(&id));
    assert_eq!(
        state.attr("token"),
        &Value::string(&token),
        "a rename keeps the token"
    );
    let cfg3 = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("macbook-2")),
            ("tunnel_secret_wo", Value::string(SECRET)),
            ("tunnel_secret_wo_version", Value::int(1)),
        ],
    );
    let (state, _) = apply(&host, t, &state, &cfg3).await;
    assert!(state.attr("tunnel_secret_wo").is_null());
    let rotated = state.attr("token").as_str().expect("token").to_string();
    assert_eq!(token_secret(&rotated), SECRET);
    assert!(!format!("{state:?}").contains(SECRET));
    let state = assert_stable(&host, t, &state, &cfg3).await;

    // The ephemeral token is the same token.
    let eph = host
        .ephemeral_schema("cloudflare_tunnel_token")
        .expect("ephemeral");
    let econfig = object_of(
        &eph.block
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>(),
        &[("tunnel_id", Value::string(&id))],
    );
    let (opened, diags) = host
        .open_ephemeral("cloudflare_tunnel_token", &econfig)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(opened.attr("token"), &Value::string(&rotated));
    assert_eq!(opened.attr("account_id"), &Value::string(ACCT));

    // Import by <account_id>/<tunnel_id>: no diff against the configuration without the
    // write-only secret version (import cannot know it) but with the name.
    let (imported, diags) = host.import_resource_state(t, &format!("{ACCT}/{id}")).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported.attr("name"), &Value::string("macbook-2"));
    assert_eq!(imported.attr("token"), &Value::string(&rotated));
    let bad = host.import_resource_state(t, "just-an-id").await;
    assert_eq!(errors_at(&bad.1), vec!["id".to_string()]);

    // cloudflared is connected: delete cleans its connections up, then deletes.
    let hook = emu.url(&format!(
        "cloudflare/client/v4/_emulator/tunnels/{ACCT}/{id}/connections?count=2"
    ));
    let r = reqwest::Client::new()
        .post(hook)
        .send()
        .await
        .expect("hook");
    assert!(r.status().is_success());
    let (refreshed, _) = host.read_resource(t, &state).await;
    assert_eq!(refreshed.attr("status"), &Value::string("healthy"));
    let (gone, diags) = host
        .apply_resource_change(t, &refreshed, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "delete: {diags}");
    assert!(gone.is_null());
    // A deleted tunnel (still answered by GET, with deleted_at) reads as gone.
    let (after, diags) = host.read_resource(t, &refreshed).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(after.is_null(), "a deleted tunnel leaves the state");
    let world = emu.state().await;
    assert!(world["tunnels"]["tunnels"][&id]["deleted_at"].is_string());
}

#[tokio::test]
async fn tunnel_config_lifecycle_import_and_reset_on_destroy() {
    let (emu, host) = setup().await;
    let tcfg = resource_config(
        &host,
        "cloudflare_tunnel",
        &[("name", Value::string("api"))],
    );
    let (tunnel, _) = apply(&host, "cloudflare_tunnel", &Value::Null, &tcfg).await;
    let id = tunnel.attr("id").as_str().expect("id").to_string();
    let t = "cloudflare_tunnel_config";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("tunnel_id", Value::string(&id)),
            (
                "ingress",
                Value::List(vec![
                    rule(Some("api.example.com"), "http://localhost:8000"),
                    rule(None, "http_status:404"),
                ]),
            ),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("id"), &Value::string(&id));
    assert_eq!(state.attr("version"), &Value::int(1));
    let state = assert_stable(&host, t, &state, &cfg).await;

    let with_origin = Value::object([
        ("hostname", Value::string("ssh.example.com")),
        ("path", Value::Null),
        ("service", Value::string("ssh://localhost:22")),
        (
            "origin_request",
            Value::object([
                ("connect_timeout", Value::int(10)),
                ("no_tls_verify", Value::Bool(true)),
                ("http_host_header", Value::Null),
                ("access", Value::Null),
            ]),
        ),
    ]);
    let cfg2 = resource_config(
        &host,
        t,
        &[
            ("tunnel_id", Value::string(&id)),
            (
                "ingress",
                Value::List(vec![
                    rule(Some("api.example.com"), "http://localhost:8000"),
                    with_origin,
                    rule(None, "http_status:404"),
                ]),
            ),
        ],
    );
    let (state, replace) = apply(&host, t, &state, &cfg2).await;
    assert!(replace.is_empty());
    assert_eq!(state.attr("version"), &Value::int(2));
    let state = assert_stable(&host, t, &state, &cfg2).await;

    let (imported, diags) = host.import_resource_state(t, &format!("{ACCT}/{id}")).await;
    assert!(!diags.has_errors(), "{diags}");
    let plan =
        host.plan_resource_change(t, &imported, &proposed(&host, t, &imported, &cfg2), &cfg2);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    assert_eq!(plan.planned, imported, "import then plan shows no change");

    let (gone, diags) = host
        .apply_resource_change(t, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors() && gone.is_null(), "{diags}");
    let world = emu.state().await;
    let ingress = &world["tunnels"]["tunnels"][&id]["config"]["ingress"];
    assert_eq!(
        ingress,
        &serde_json::json!([{"service": "http_status:404"}]),
        "destroy resets"
    );
}

#[tokio::test]
async fn bad_ingress_is_refused_at_plan_with_no_request() {
    let (emu, host) = setup().await;
    let t = "cloudflare_tunnel_config";
    let before = emu.request_total().await;
    let cfg = resource_config(
        &host,
        t,
        &[
            (
                "tunnel_id",
                Value::string("f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"),
            ),
            (
                "ingress",
                Value::List(vec![
                    rule(Some("api.example.com"), "localhost:8000"),
                    rule(Some("other.example.com"), "http_status:404"),
                ]),
            ),
        ],
    );
    let diags = host.validate_resource_config(t, &cfg);
    let mut at = errors_at(&diags);
    at.sort();
    assert_eq!(
        at,
        vec![
            "ingress[0].service".to_string(),
            "ingress[1].hostname".to_string()
        ]
    );
    assert_eq!(emu.request_total().await, before);
}
