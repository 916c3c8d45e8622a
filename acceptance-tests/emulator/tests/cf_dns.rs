//! Cloudflare zones, DNS records and account API tokens: zone seeding and lookup-creation, the
//! per-type record rules and duplicate rules, token create / verify / roll / delete with
//! permission groups — all in strict-spec mode, which must record no violation. In-process.

use paasform_emulator::{Config, Emulator};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ACCOUNT: &str = "acct1";

struct Running {
    base: String,
    emu: Emulator,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start() -> Running {
    let emu = Emulator::new(Config {
        strict_spec: true,
        cloudflare_zones: vec![format!("seeded.com@{ACCOUNT}")],
        ..Config::default()
    });
    let (addr, task) = emu.clone().spawn().await.expect("bind");
    Running {
        base: format!("http://{addr}/cloudflare/client/v4"),
        emu,
        client: reqwest::Client::new(),
        task,
    }
}

impl Running {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: &str,
    ) -> (StatusCode, Value) {
        let mut r = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.expect("send");
        let status = resp.status();
        (status, resp.json().await.expect("json"))
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call(method, path, body, "dev").await
    }

    async fn zone_id(&self, name: &str) -> String {
        let (s, v) = self
            .send(Method::GET, &format!("/zones?name={name}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["result"][0]["id"].as_str().expect("zone id").to_string()
    }
}

fn code(v: &Value) -> u64 {
    v["errors"][0]["code"].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn zones_are_seeded_or_created_on_lookup_and_listed_by_name() {
    let r = start().await;
    let (_, v) = r
        .send(
            Method::GET,
            &format!("/zones?name=seeded.com&account.id={ACCOUNT}"),
            None,
        )
        .await;
    assert_eq!(v["result"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["result"][0]["account"]["id"], ACCOUNT);
    assert_eq!(v["result"][0]["status"], "active");
    // Not under .example/.test and not seeded: no zone.
    let (_, v) = r.send(Method::GET, "/zones?name=other.com", None).await;
    assert_eq!(v["result"].as_array().map(Vec::len), Some(0));
    let id = r.zone_id("kirby.test").await;
    assert_eq!(id, r.zone_id("kirby.test").await, "one zone per name");
    let (s, v) = r.send(Method::GET, &format!("/zones/{id}"), None).await;
    assert_eq!(
        (s, v["result"]["name"].clone()),
        (StatusCode::OK, json!("kirby.test"))
    );
    let (s, v) = r
        .send(Method::GET, "/zones/ffffffffffffffffffffffffffffffff", None)
        .await;
    assert_eq!((s, code(&v)), (StatusCode::NOT_FOUND, 1001));
    assert!(r.emu.violations().is_empty(), "{:?}", r.emu.violations());
}

#[tokio::test]
async fn dns_records_follow_the_per_type_and_duplicate_rules() {
    let r = start().await;
    let z = r.zone_id("app.test").await;
    let records = format!("/zones/{z}/dns_records");
    let bad = [
        (json!({"type": "A", "name": "www", "content": "::1"}), 9005),
        (
            json!({"type": "AAAA", "name": "www", "content": "1.2.3.4"}),
            9005,
        ),
        (
            json!({"type": "CNAME", "name": "www", "content": "not a host"}),
            9005,
        ),
        (
            json!({"type": "TXT", "name": "t", "content": "x", "proxied": true}),
            9004,
        ),
        (
            json!({"type": "MX", "name": "@", "content": "mx.app.test"}),
            1004,
        ),
        (
            json!({"type": "A", "name": "www", "content": "1.2.3.4", "ttl": 5}),
            9021,
        ),
    ];
    for (body, want) in bad {
        let (s, v) = r.send(Method::POST, &records, Some(body.clone())).await;
        assert_eq!(
            (s, code(&v)),
            (StatusCode::BAD_REQUEST, want),
            "{body} → {v}"
        );
    }
    // The TTL of 5 is off-spec as a request too (the emulator answers it anyway); start clean.
    assert_eq!(r.emu.violations().len(), 1, "{:?}", r.emu.violations());
    r.emu.violations.clear();
    let (s, a) = r
        .send(Method::POST, &records, Some(json!({"type": "A", "name": "www", "content": "1.2.3.4", "proxied": true, "ttl": 300, "tags": ["env:prod"]})))
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["result"]["name"], "www.app.test");
    assert_eq!(a["result"]["ttl"], 1, "a proxied record's TTL is automatic");
    let (_, v) = r
        .send(
            Method::POST,
            &records,
            Some(json!({"type": "A", "name": "www.app.test", "content": "1.2.3.4"})),
        )
        .await;
    assert_eq!(code(&v), 81058, "identical record");
    let (_, v) = r
        .send(
            Method::POST,
            &records,
            Some(json!({"type": "CNAME", "name": "www", "content": "x.app.test"})),
        )
        .await;
    assert_eq!(code(&v), 81053, "a CNAME shares no name");
    let (s, _) = r
        .send(
            Method::POST,
            &records,
            Some(json!({"type": "A", "name": "www", "content": "1.2.3.5"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "two A records on one name are fine");
    let (s, mx) = r
        .send(
            Method::POST,
            &records,
            Some(json!({"type": "MX", "name": "@", "content": "mx.app.test", "priority": 10})),
        )
        .await;
    assert_eq!(
        (s, mx["result"]["name"].clone()),
        (StatusCode::OK, json!("app.test"))
    );
    let (s, caa) = r
        .send(Method::POST, &records, Some(json!({"type": "CAA", "name": "@", "data": {"flags": 0, "tag": "issue", "value": "letsencrypt.org"}})))
        .await;
    assert_eq!(
        (s, caa["result"]["content"].clone()),
        (StatusCode::OK, json!("0 issue \"letsencrypt.org\""))
    );
    let (_, v) = r
        .send(
            Method::GET,
            &format!("{records}?name=www.app.test&type=A"),
            None,
        )
        .await;
    assert_eq!(v["result"].as_array().map(Vec::len), Some(2), "{v}");
    let id = a["result"]["id"].as_str().expect("id");
    let (_, v) = r
        .send(
            Method::PATCH,
            &format!("{records}/{id}"),
            Some(json!({"proxied": false, "ttl": 600, "comment": "c"})),
        )
        .await;
    assert_eq!(
        (v["result"]["ttl"].clone(), v["result"]["content"].clone()),
        (json!(600), json!("1.2.3.4")),
        "{v}"
    );
    let (_, v) = r
        .send(
            Method::PUT,
            &format!("{records}/{id}"),
            Some(json!({"type": "A", "name": "www", "content": "1.2.3.6"})),
        )
        .await;
    assert_eq!(
        (v["result"]["ttl"].clone(), v["result"]["comment"].clone()),
        (json!(1), json!("")),
        "PUT overwrites"
    );
    let (s, v) = r
        .send(Method::DELETE, &format!("{records}/{id}"), Some(json!({})))
        .await;
    assert_eq!((s, v["result"]["id"].clone()), (StatusCode::OK, json!(id)));
    let (s, v) = r.send(Method::GET, &format!("{records}/{id}"), None).await;
    assert_eq!((s, code(&v)), (StatusCode::NOT_FOUND, 81044));
    assert!(r.emu.violations().is_empty(), "{:?}", r.emu.violations());
}

#[tokio::test]
async fn account_tokens_mint_verify_roll_and_revoke() {
    let r = start().await;
    let (_, groups) = r
        .send(
            Method::GET,
            &format!("/accounts/{ACCOUNT}/tokens/permission_groups"),
            None,
        )
        .await;
    let write = groups["result"]
        .as_array()
        .and_then(|g| {
            g.iter()
                .find(|g| g["name"] == "Workers R2 Storage Bucket Item Write")
        })
        .map(|g| g["id"].clone())
        .expect("group");
    let tokens = format!("/accounts/{ACCOUNT}/tokens");
    let policy = |group: Value| json!([{"effect": "allow", "permission_groups": [{"id": group}], "resources": {"com.cloudflare.edge.r2.bucket.acct1_default_b": "*"}}]);
    let (s, v) = r
        .send(
            Method::POST,
            &tokens,
            Some(json!({"name": "x", "policies": policy(json!("nope"))})),
        )
        .await;
    assert_eq!((s, code(&v)), (StatusCode::BAD_REQUEST, 1002));
    let (s, t) = r.send(Method::POST, &tokens, Some(json!({"name": "r2", "policies": policy(write), "expires_on": "2099-01-01T00:00:00Z"}))).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let (id, value) = (
        t["result"]["id"].as_str().expect("id"),
        t["result"]["value"].as_str().expect("value"),
    );
    let verify = format!("{tokens}/verify");
    let (s, v) = r.call(Method::GET, &verify, None, value).await;
    assert_eq!((s, v["result"]["id"].clone()), (StatusCode::OK, json!(id)));
    let (_, v) = r.send(Method::GET, &format!("{tokens}/{id}"), None).await;
    assert!(
        v["result"].get("value").is_none(),
        "the value is answered once: {v}"
    );
    let (_, rolled) = r
        .send(
            Method::PUT,
            &format!("{tokens}/{id}/value"),
            Some(json!({})),
        )
        .await;
    let new_value = rolled["result"].as_str().expect("new value");
    assert_eq!(
        r.call(Method::GET, &verify, None, value).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        r.call(Method::GET, &verify, None, new_value).await.0,
        StatusCode::OK
    );
    let (s, _) = r
        .send(Method::DELETE, &format!("{tokens}/{id}"), Some(json!({})))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        r.call(Method::GET, &verify, None, new_value).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, v) = r.send(Method::GET, &tokens, None).await;
    assert_eq!(v["result"], json!([]));
    assert!(r.emu.violations().is_empty(), "{:?}", r.emu.violations());
}
