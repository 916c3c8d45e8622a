//! Cloudflare Tunnel routes over HTTP in strict-spec mode: the lifecycle (create, name conflicts,
//! patch, versioned configuration, token, connections blocking delete until cleaned up, soft
//! delete) with every exchange checked against the tunnels spec copy.

use base64::Engine;
use paasform_emulator::{Config, Emulator};
use serde_json::{json, Value};

const ACCT: &str = "acct1";

struct Api {
    base: String,
    c: reqwest::Client,
    emu: Emulator,
}

impl Api {
    async fn start() -> (Api, tokio::task::JoinHandle<()>) {
        let emu = Emulator::new(Config {
            strict_spec: true,
            ..Config::default()
        });
        let (addr, task) = emu.clone().spawn().await.expect("bind");
        let api = Api {
            base: format!("http://{addr}/cloudflare/client/v4/accounts/{ACCT}/cfd_tunnel"),
            c: reqwest::Client::new(),
            emu,
        };
        (api, task)
    }
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .c
            .request(method, format!("{}{path}", self.base))
            .bearer_auth("t");
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.expect("json envelope"))
    }
}

fn code(v: &Value) -> i64 {
    v["errors"][0]["code"].as_i64().unwrap_or(0)
}

#[tokio::test]
async fn a_tunnel_lives_and_dies_as_the_api_says() {
    use reqwest::Method as M;
    let (api, task) = Api::start().await;
    let (s, t) = api
        .call(
            M::POST,
            "",
            Some(json!({"name": "mac", "config_src": "cloudflare"})),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let id = t["result"]["id"].as_str().expect("id").to_string();
    assert_eq!(t["result"]["status"], "inactive");
    let (s, dup) = api.call(M::POST, "", Some(json!({"name": "mac"}))).await;
    assert_eq!((s, code(&dup)), (409, 1013));
    let (s, bad) = api
        .call(
            M::POST,
            "",
            Some(json!({"name": "x", "tunnel_secret": "c2hvcnQ="})),
        )
        .await;
    assert_eq!(s, 400, "{bad}");

    let (s, _) = api
        .call(M::PATCH, &format!("/{id}"), Some(json!({"name": "mac2"})))
        .await;
    assert_eq!(s, 200);
    let (_, listed) = api.call(M::GET, "?name=mac2&is_deleted=false", None).await;
    assert_eq!(listed["result"].as_array().map(Vec::len), Some(1));

    let cfg = json!({"config": {"ingress": [
        {"hostname": "api.example.com", "service": "http://localhost:8000"},
        {"service": "http_status:404"}
    ]}});
    let (s, put) = api
        .call(M::PUT, &format!("/{id}/configurations"), Some(cfg.clone()))
        .await;
    assert_eq!(
        (s, put["result"]["version"].as_i64()),
        (200, Some(1)),
        "{put}"
    );
    let (_, put2) = api
        .call(M::PUT, &format!("/{id}/configurations"), Some(cfg))
        .await;
    assert_eq!(put2["result"]["version"].as_i64(), Some(2));
    let no_catch_all =
        json!({"config": {"ingress": [{"hostname": "a.example.com", "service": "http://x"}]}});
    let (s, refused) = api
        .call(M::PUT, &format!("/{id}/configurations"), Some(no_catch_all))
        .await;
    assert_eq!((s, code(&refused)), (400, 1056));

    let (_, tok) = api.call(M::GET, &format!("/{id}/token"), None).await;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(tok["result"].as_str().expect("token"))
        .expect("base64");
    let parsed: Value = serde_json::from_slice(&raw).expect("json token");
    assert_eq!(
        (parsed["a"].as_str(), parsed["t"].as_str()),
        (Some(ACCT), Some(id.as_str()))
    );

    let hook = api.base.replace(
        &format!("/accounts/{ACCT}/cfd_tunnel"),
        &format!("/_emulator/tunnels/{ACCT}/{id}/connections?count=2"),
    );
    assert!(api
        .c
        .post(hook)
        .send()
        .await
        .expect("hook")
        .status()
        .is_success());
    let (s, busy) = api
        .call(M::DELETE, &format!("/{id}"), Some(json!({})))
        .await;
    assert_eq!((s, code(&busy)), (400, 1022));
    let (s, _) = api
        .call(M::DELETE, &format!("/{id}/connections"), None)
        .await;
    assert_eq!(s, 200);
    let (s, gone) = api
        .call(M::DELETE, &format!("/{id}"), Some(json!({})))
        .await;
    assert_eq!(s, 200, "{gone}");
    let (s, soft) = api.call(M::GET, &format!("/{id}"), None).await;
    assert_eq!(s, 200);
    assert!(
        soft["result"]["deleted_at"].is_string(),
        "soft delete: {soft}"
    );
    let (_, live) = api.call(M::GET, "?is_deleted=false", None).await;
    assert_eq!(live["result"].as_array().map(Vec::len), Some(0));
    // The name is free again.
    let (s, _) = api.call(M::POST, "", Some(json!({"name": "mac2"}))).await;
    assert_eq!(s, 200);

    assert_eq!(api.emu.violations(), Vec::<String>::new());
    task.abort();
}
