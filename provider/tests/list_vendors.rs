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
    let s = |v: &str| Value::string(v);
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

#[tokio::test]
async fn vercel_lists_projects_domains_and_custom_environments() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "vercel",
        &[
            ("api_token", Value::string("v-test")),
            ("team", Value::string("team_paasform")),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await;
    let s = |v: &str| Value::string(v);
    // 105 projects: two pages of 100.
    let mut web_id = String::new();
    for i in 0..105 {
        let name = if i == 0 {
            "shop-web".to_string()
        } else {
            format!("p{i:03}")
        };
        let cfg = resource_config(&host, "vercel_project", &[("name", Value::string(name))]);
        let (st, _) = apply(&host, "vercel_project", &Value::Null, &cfg).await;
        if i == 0 {
            web_id = st.attr("id").as_str().expect("id").to_string();
        }
    }
    let domain = resource_config(
        &host,
        "vercel_project_domain",
        &[
            ("project_id", s(&web_id)),
            ("domain", s("shop.example.com")),
        ],
    );
    apply(&host, "vercel_project_domain", &Value::Null, &domain).await;
    let env = resource_config(
        &host,
        "vercel_custom_environment",
        &[("project_id", s(&web_id)), ("name", s("staging"))],
    );
    apply(&host, "vercel_custom_environment", &Value::Null, &env).await;

    emu.reset_requests().await;
    assert_eq!(listed(&host, "vercel_project", &[]).await.len(), 105);
    assert_eq!(emu.request_total().await, 2, "two pages of 100");
    let shop = listed(&host, "vercel_project", &[("name_prefix", s("shop-"))]).await;
    assert_eq!(display_names(&shop), ["shop-web"]);
    adopts(&host, "vercel_project", &shop[0]).await;

    let domains = listed(
        &host,
        "vercel_project_domain",
        &[("project_id", s("shop-web"))],
    )
    .await;
    assert_eq!(display_names(&domains), ["shop.example.com"]);
    let g = adopts(&host, "vercel_project_domain", &domains[0]).await;
    assert_eq!(g.attr("project_id"), &s(&web_id));
    // Without project_id: every project's domains.
    assert_eq!(listed(&host, "vercel_project_domain", &[]).await.len(), 1);

    let envs = listed(&host, "vercel_custom_environment", &[]).await;
    assert_eq!(display_names(&envs), ["shop-web staging"]);
    adopts(&host, "vercel_custom_environment", &envs[0]).await;
    assert!(listed(
        &host,
        "vercel_custom_environment",
        &[("project_id", s(&web_id)), ("name_prefix", s("prod"))]
    )
    .await
    .is_empty());
}

#[tokio::test]
async fn railway_lists_projects_environments_services_and_shared_variables() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", Value::string("rw-test")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    let s = |v: &str| Value::string(v);
    let cfg = resource_config(&host, "railway_project", &[("name", s("kirby"))]);
    let (p, _) = apply(&host, "railway_project", &Value::Null, &cfg).await;
    let pid = p.attr("id").as_str().expect("id").to_string();
    let prod = p
        .attr("default_environment_id")
        .as_str()
        .expect("env")
        .to_string();
    let other = resource_config(&host, "railway_project", &[("name", s("other"))]);
    apply(&host, "railway_project", &Value::Null, &other).await;
    let env = resource_config(
        &host,
        "railway_environment",
        &[("project_id", s(&pid)), ("name", s("staging"))],
    );
    apply(&host, "railway_environment", &Value::Null, &env).await;
    let svc = resource_config(
        &host,
        "railway_service",
        &[
            ("project_id", s(&pid)),
            ("name", s("api")),
            ("source_image", s("nginx:latest")),
        ],
    );
    apply(&host, "railway_service", &Value::Null, &svc).await;
    let var = resource_config(
        &host,
        "railway_shared_variable",
        &[
            ("project_id", s(&pid)),
            ("environment_id", s(&prod)),
            ("name", s("LOG_LEVEL")),
            ("value", s("info")),
        ],
    );
    apply(&host, "railway_shared_variable", &Value::Null, &var).await;

    assert_eq!(
        display_names(&listed(&host, "railway_project", &[]).await),
        ["kirby", "other"]
    );
    let kirby = listed(&host, "railway_project", &[("name_prefix", s("kir"))]).await;
    assert_eq!(display_names(&kirby), ["kirby"]);
    adopts(&host, "railway_project", &kirby[0]).await;

    let envs = listed(&host, "railway_environment", &[("project_id", s(&pid))]).await;
    assert_eq!(display_names(&envs), ["kirby production", "kirby staging"]);
    let staging = envs
        .iter()
        .find(|l| l.display_name.ends_with("staging"))
        .expect("staging");
    adopts(&host, "railway_environment", staging).await;
    // Every project's environments: the other project's production too.
    assert_eq!(listed(&host, "railway_environment", &[]).await.len(), 3);

    let services = listed(&host, "railway_service", &[]).await;
    assert_eq!(display_names(&services), ["api"]);
    adopts(&host, "railway_service", &services[0]).await;

    let vars = listed(
        &host,
        "railway_shared_variable",
        &[("project_id", s(&pid)), ("environment_id", s(&prod))],
    )
    .await;
    assert_eq!(display_names(&vars), ["kirby production LOG_LEVEL"]);
    let g = adopts(&host, "railway_shared_variable", &vars[0]).await;
    assert_eq!(g.attr("name"), &s("LOG_LEVEL"));
    assert!(listed(
        &host,
        "railway_shared_variable",
        &[("name_prefix", s("DB_"))]
    )
    .await
    .is_empty());

    // A volume and a TCP proxy on the service in production; the service's settings in each
    // environment.
    let sid = services[0]
        .identity
        .iter()
        .find(|(k, _)| *k == "id")
        .map(|(_, v)| v.clone())
        .expect("service id");
    let vol = resource_config(
        &host,
        "railway_volume",
        &[
            ("project_id", s(&pid)),
            ("environment_id", s(&prod)),
            ("service_id", s(&sid)),
            ("mount_path", s("/data")),
        ],
    );
    apply(&host, "railway_volume", &Value::Null, &vol).await;
    let proxy = resource_config(
        &host,
        "railway_tcp_proxy",
        &[
            ("environment_id", s(&prod)),
            ("service_id", s(&sid)),
            ("application_port", Value::int(5432)),
        ],
    );
    apply(&host, "railway_tcp_proxy", &Value::Null, &proxy).await;
    let volumes = listed(&host, "railway_volume", &[("project_id", s(&pid))]).await;
    assert_eq!(volumes.len(), 1);
    adopts(&host, "railway_volume", &volumes[0]).await;
    let proxies = listed(&host, "railway_tcp_proxy", &[]).await;
    assert_eq!(display_names(&proxies), ["kirby production api :5432"]);
    adopts(&host, "railway_tcp_proxy", &proxies[0]).await;
    let instances = listed(
        &host,
        "railway_service_instance",
        &[("project_id", s(&pid))],
    )
    .await;
    assert_eq!(
        display_names(&instances),
        ["kirby production api", "kirby staging api"]
    );
    adopts(&host, "railway_service_instance", &instances[1]).await;
    assert!(listed(
        &host,
        "railway_service_instance",
        &[("name_prefix", s("db"))]
    )
    .await
    .is_empty());
}

#[tokio::test]
async fn tailscale_lists_keys_devices_and_the_tailnet_singletons() {
    let emu = TestEmulator::start(Config {
        tailscale_devices: vec!["laptop".into(), "server-1".into()],
        ..Config::default()
    })
    .await;
    let host = host(
        "tailscale",
        &[
            ("api_key", Value::string("tskey-api-test")),
            ("base_url", Value::string(emu.url("tailscale"))),
        ],
    )
    .await;
    let s = |v: &str| Value::string(v);
    let key = resource_config(
        &host,
        "tailscale_key",
        &[
            ("reusable", Value::Bool(true)),
            ("description", s("ci runners")),
        ],
    );
    apply(&host, "tailscale_key", &Value::Null, &key).await;
    let keys = listed(&host, "tailscale_key", &[]).await;
    assert_eq!(display_names(&keys), ["ci runners"]);
    adopts(&host, "tailscale_key", &keys[0]).await;
    assert!(listed(&host, "tailscale_key", &[("name_prefix", s("x"))])
        .await
        .is_empty());

    for t in [
        "tailscale_device_authorization",
        "tailscale_device_tags",
        "tailscale_device_key",
    ] {
        let all = listed(&host, t, &[]).await;
        assert_eq!(all.len(), 2, "{t}");
        let server = listed(&host, t, &[("name_prefix", s("server"))]).await;
        assert_eq!(server.len(), 1, "{t}");
        assert_eq!(server[0].identity[0].0, "device_id");
        assert!(listed(&host, t, &[("tag", s("tag:none"))]).await.is_empty());
    }
    let server = listed(
        &host,
        "tailscale_device_authorization",
        &[("name_prefix", s("server"))],
    )
    .await;
    adopts(&host, "tailscale_device_authorization", &server[0]).await;

    for (t, id) in [
        ("tailscale_acl", "acl"),
        ("tailscale_dns_preferences", "dns_preferences"),
    ] {
        let one = listed(&host, t, &[]).await;
        assert_eq!(one.len(), 1, "{t}");
        assert_eq!(one[0].identity, vec![("id", id.to_string())]);
        adopts(&host, t, &one[0]).await;
    }
}
