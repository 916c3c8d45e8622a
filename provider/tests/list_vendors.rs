//! In-process tier for the list resources of Cloudflare (R2 and `cloudflare`), Vercel, Railway
//! and Tailscale against the emulator: objects exist in the vendor (created through the provider
//! or the vendor API), every type lists them — all pages, the filters the API applies and those
//! applied here — and each listed object, read with `include_resource` the way import reads it,
//! generates a configuration that plans no change against that state.

mod common;

use common::*;
use paasform::framework::{Host, ListRequest, Listed, Value};
use paasform_emulator::Config;

const ALL: ListRequest = ListRequest {
    limit: 1000,
    include_resource: false,
};

fn list_config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let names: Vec<String> = host
        .list_schema(type_name)
        .expect("list schema")
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs)
}

async fn listed(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Vec<Listed> {
    host.list_objects(type_name, &list_config(host, type_name, pairs), ALL)
        .await
        .unwrap_or_else(|d| panic!("list {type_name}: {d}"))
}

fn display_names(found: &[Listed]) -> Vec<&str> {
    let mut v: Vec<&str> = found.iter().map(|l| l.display_name.as_str()).collect();
    v.sort();
    v
}

/// `include_resource` → the state import-by-identity reads → the generated configuration, which
/// validates and plans no change against that state. Returns the generated configuration.
async fn adopts(host: &Host, type_name: &str, l: &Listed) -> Value {
    let (identity, state, diags) = host.listed_object(type_name, l, true).await;
    assert!(
        !diags.has_errors(),
        "{type_name} {}: {diags}",
        l.display_name
    );
    let state = state.expect("full object");
    let (imported, diags) = host.import_resource_identity(type_name, &identity).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported, state, "{type_name}: listed ≠ imported");
    let generated = host.generate_config(type_name, &state).expect("config");
    let diags = host.validate_resource_config(type_name, &generated);
    assert!(
        !diags.has_errors(),
        "{type_name}: generated config invalid: {diags}"
    );
    assert_stable(host, type_name, &state, &generated).await;
    generated
}

const ACCT: &str = "acct123";

async fn cloudflare_hosts(emu: &TestEmulator) -> (Host, Host) {
    let cfg = [
        ("api_token", Value::string("cf-test-token")),
        ("account_id", Value::string(ACCT)),
        ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
    ];
    (host("r2", &cfg).await, host("cloudflare", &cfg).await)
}

fn rule(hostname: Option<&str>, service: &str) -> Value {
    Value::object([
        ("hostname", hostname.map_or(Value::Null, Value::string)),
        ("path", Value::Null),
        ("service", Value::string(service)),
        ("origin_request", Value::Null),
    ])
}

#[tokio::test]
async fn cloudflare_lists_records_tunnels_buckets_and_credentials() {
    let emu = TestEmulator::start(Config {
        cloudflare_zones: vec![format!("example.test@{ACCT}")],
        ..Config::default()
    })
    .await;
    let (r2, cf) = cloudflare_hosts(&emu).await;
    let s = Value::string;
    let zone_cfg = data_source_config(&cf, "cloudflare_zone", &[("name", s("example.test"))]);
    let (zone, diags) = cf.read_data_source("cloudflare_zone", &zone_cfg).await;
    assert!(!diags.has_errors(), "{diags}");
    let zone = zone.attr("id").as_str().expect("zone id").to_string();

    // 105 records over the vendor API: more than one page of 100.
    let http = reqwest::Client::new();
    for i in 0..105 {
        let r = http
            .post(emu.url(&format!("cloudflare/client/v4/zones/{zone}/dns_records")))
            .bearer_auth("cf-test-token")
            .json(&serde_json::json!({"type": "A", "name": format!("h{i:03}"), "content": "192.0.2.1", "ttl": 1}))
            .send()
            .await
            .expect("emulator");
        assert!(
            r.status().is_success(),
            "{}",
            r.text().await.unwrap_or_default()
        );
    }
    let txt = resource_config(
        &cf,
        "cloudflare_dns_record",
        &[
            ("zone_id", s(&zone)),
            ("name", s("www")),
            ("type", s("TXT")),
            ("content", s("hello")),
        ],
    );
    apply(&cf, "cloudflare_dns_record", &Value::Null, &txt).await;
    emu.reset_requests().await;
    let records = listed(&cf, "cloudflare_dns_record", &[("zone_id", s(&zone))]).await;
    assert_eq!(records.len(), 106, "all pages");
    assert_eq!(emu.request_total().await, 2, "two pages of 100");
    let only_txt = listed(
        &cf,
        "cloudflare_dns_record",
        &[("zone_id", s(&zone)), ("type", s("TXT"))],
    )
    .await;
    assert_eq!(display_names(&only_txt), ["www.example.test TXT"]);
    let by_name = listed(
        &cf,
        "cloudflare_dns_record",
        &[("zone_id", s(&zone)), ("name", s("h007.example.test"))],
    )
    .await;
    assert_eq!(by_name.len(), 1);
    let g = adopts(&cf, "cloudflare_dns_record", &only_txt[0]).await;
    assert_eq!(g.attr("content"), &s("hello"));
    adopts(&cf, "cloudflare_dns_record", &by_name[0]).await;

    // Tunnels: a remotely managed one with ingress rules, and one more.
    let mut tunnel_ids = Vec::new();
    for name in ["edge-api", "other"] {
        let cfg = resource_config(&cf, "cloudflare_tunnel", &[("name", s(name))]);
        let (t, _) = apply(&cf, "cloudflare_tunnel", &Value::Null, &cfg).await;
        tunnel_ids.push(t.attr("id").as_str().expect("id").to_string());
    }
    let ingress = resource_config(
        &cf,
        "cloudflare_tunnel_config",
        &[
            ("tunnel_id", s(&tunnel_ids[0])),
            (
                "ingress",
                Value::List(vec![
                    rule(Some("api.example.test"), "http://localhost:8000"),
                    rule(None, "http_status:404"),
                ]),
            ),
        ],
    );
    apply(&cf, "cloudflare_tunnel_config", &Value::Null, &ingress).await;
    let tunnels = listed(&cf, "cloudflare_tunnel", &[]).await;
    assert_eq!(display_names(&tunnels), ["edge-api", "other"]);
    let edge = listed(&cf, "cloudflare_tunnel", &[("name_prefix", s("edge-"))]).await;
    assert_eq!(display_names(&edge), ["edge-api"]);
    adopts(&cf, "cloudflare_tunnel", &edge[0]).await;
    let configs = listed(
        &cf,
        "cloudflare_tunnel_config",
        &[("name_prefix", s("edge-"))],
    )
    .await;
    assert_eq!(display_names(&configs), ["edge-api config"]);
    let g = adopts(&cf, "cloudflare_tunnel_config", &configs[0]).await;
    assert_eq!(g.attr("ingress").elements().map(<[Value]>::len), Some(2));

    // R2: buckets in two jurisdictions, credentials scoped to one.
    for (name, j) in [
        ("logs-a", None),
        ("logs-b", None),
        ("media", None),
        ("eu-data", Some("eu")),
    ] {
        let mut pairs = vec![("name", s(name))];
        if let Some(j) = j {
            pairs.push(("jurisdiction", s(j)));
        }
        let cfg = resource_config(&r2, "r2_bucket", &pairs);
        apply(&r2, "r2_bucket", &Value::Null, &cfg).await;
    }
    assert_eq!(
        display_names(&listed(&r2, "r2_bucket", &[]).await),
        ["logs-a", "logs-b", "media"]
    );
    let logs = listed(&r2, "r2_bucket", &[("name_prefix", s("logs-"))]).await;
    assert_eq!(display_names(&logs), ["logs-a", "logs-b"]);
    adopts(&r2, "r2_bucket", &logs[0]).await;
    let eu = listed(&r2, "r2_bucket", &[("jurisdiction", s("eu"))]).await;
    assert_eq!(display_names(&eu), ["eu-data"]);
    let g = adopts(&r2, "r2_bucket", &eu[0]).await;
    assert_eq!(g.attr("jurisdiction"), &s("eu"));

    let creds = resource_config(
        &r2,
        "r2_credentials",
        &[
            ("buckets", Value::List(vec![s("logs-a")])),
            ("permission", s("read")),
            ("name", s("logs reader")),
        ],
    );
    apply(&r2, "r2_credentials", &Value::Null, &creds).await;
    let found = listed(&r2, "r2_credentials", &[]).await;
    assert_eq!(display_names(&found), ["logs reader"]);
    let g = adopts(&r2, "r2_credentials", &found[0]).await;
    assert_eq!(g.attr("permission"), &s("read"));
    assert!(listed(&r2, "r2_credentials", &[("name_prefix", s("x"))])
        .await
        .is_empty());
}
