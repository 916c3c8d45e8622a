//! Strict-spec mode over HTTP: off-spec requests and answers are recorded (never refused) and
//! listed by `GET /_emulator/violations`; conforming traffic records nothing; off by default.

use paasform_emulator::{Config, Emulator};
use serde_json::{json, Value};

const TOKEN: &str = "cf-test-token";

async fn start(strict_spec: bool) -> (String, tokio::task::JoinHandle<()>) {
    let config = Config {
        strict_spec,
        ..Config::default()
    };
    let (addr, task) = Emulator::new(config).spawn().await.expect("bind");
    (format!("http://{addr}"), task)
}

async fn violations(base: &str) -> Value {
    reqwest::get(format!("{base}/_emulator/violations"))
        .await
        .expect("reachable")
        .json()
        .await
        .expect("json")
}

async fn traffic(base: &str) {
    let c = reqwest::Client::new();
    let buckets = format!("{base}/cloudflare/client/v4/accounts/acct1/r2/buckets");
    let r = c
        .post(&buckets)
        .bearer_auth(TOKEN)
        .json(&json!({"name": "logs", "locationHint": "weur"}))
        .send()
        .await
        .expect("create");
    assert!(r.status().is_success());
    // Off-spec: a body on the storage-class PATCH, whose spec defines none.
    let r = c
        .patch(format!("{buckets}/logs"))
        .bearer_auth(TOKEN)
        .header("cf-r2-storage-class", "InfrequentAccess")
        .json(&json!({}))
        .send()
        .await
        .expect("patch");
    assert!(r.status().is_success(), "observed, not refused");
    // Off-spec: a GraphQL field Railway's schema does not have.
    let r = c
        .post(format!("{base}/railway/graphql/v2"))
        .bearer_auth(TOKEN)
        .json(&json!({"query": "{ me { noSuchField } }"}))
        .send()
        .await
        .expect("graphql");
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn strict_mode_records_what_breaks_the_specs() {
    let (base, task) = start(true).await;
    traffic(&base).await;
    let v = violations(&base).await;
    assert_eq!(v["checked"], 3, "{v}");
    let list: Vec<&str> = v["violations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(
        list[0].starts_with(
            "PATCH /accounts/{account_id}/r2/buckets/{bucket_name}: sent a 2-byte body"
        ),
        "{list:?}"
    );
    assert!(list[1].contains("noSuchField"), "{list:?}");
    let cleared = reqwest::Client::new()
        .delete(format!("{base}/_emulator/violations"))
        .send()
        .await
        .expect("clear");
    assert_eq!(cleared.status(), 204);
    assert_eq!(violations(&base).await["violations"], json!([]));
    task.abort();
}

#[tokio::test]
async fn without_strict_mode_nothing_is_checked() {
    let (base, task) = start(false).await;
    traffic(&base).await;
    assert_eq!(
        violations(&base).await,
        json!({"checked": 0, "violations": []})
    );
    task.abort();
}
