//! Tailscale API emulation: tailnet keys (create/get/list/delete), validation, auth, the OAuth
//! client-credentials flow and the `/_emulator/tailscale/*` hooks. In-process on 127.0.0.1:0.

use paasform_emulator::{Config, Emulator};
use reqwest::StatusCode;
use serde_json::{json, Value};

const TOKEN: &str = "tskey-api-secret";

struct Running {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Running {
    fn api(&self, path: &str) -> String {
        format!("{}/tailscale/api/v2{path}", self.base)
    }
}

/// An emulator that accepts only `TOKEN` (and the access tokens it mints).
async fn start() -> Running {
    let config = Config {
        token: Some(TOKEN.to_string()),
        ..Config::default()
    };
    let (addr, task) = Emulator::new(config).spawn().await.expect("bind");
    Running {
        base: format!("http://{addr}"),
        task,
    }
}

fn auth_key(tags: &[&str]) -> Value {
    json!({ "capabilities": { "devices": { "create": { "tags": tags } } } })
}

/// Send and return the status and the JSON body (Null when the body is empty).
async fn call(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON body")
    };
    (status, body)
}

async fn create(emu: &Running, body: Value) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    call(
        client
            .post(emu.api("/tailnet/-/keys"))
            .bearer_auth(TOKEN)
            .json(&body),
    )
    .await
}

async fn get(emu: &Running, path: &str) -> (StatusCode, Value) {
    call(reqwest::Client::new().get(emu.api(path)).bearer_auth(TOKEN)).await
}

fn listed_ids(list: &Value) -> Vec<String> {
    list["keys"]
        .as_array()
        .expect("keys array")
        .iter()
        .map(|k| k["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn key_lifecycle_create_get_list_delete() {
    let emu = start().await;
    let (status, created) = create(
        &emu,
        json!({
            "description": "dev access",
            "expirySeconds": 86400,
            "capabilities": { "devices": { "create": {
                "reusable": true, "ephemeral": false, "preauthorized": true, "tags": ["tag:example"]
            } } }
        }),
    )
    .await;
    assert_eq!(status, 200);
    let id = created["id"].as_str().expect("id").to_string();
    assert!(id.starts_with('k'), "{id}");
    let secret = created["key"]
        .as_str()
        .expect("secret in the create response");
    assert!(secret.starts_with(&format!("tskey-auth-{id}-")), "{secret}");
    assert_eq!(created["keyType"], "auth");
    assert_eq!(created["expirySeconds"], 86400);
    assert_eq!(created["invalid"], false);
    assert_eq!(
        created["capabilities"]["devices"]["create"],
        json!({ "reusable": true, "ephemeral": false, "preauthorized": true, "tags": ["tag:example"] })
    );
    assert!(created["created"]
        .as_str()
        .is_some_and(|c| c.ends_with('Z')));
    assert!(created["expires"].as_str().is_some());

    let (status, fetched) = get(&emu, &format!("/tailnet/-/keys/{id}")).await;
    assert_eq!(status, 200);
    assert!(fetched.get("key").is_none(), "secret only at creation");
    assert_eq!(fetched["description"], "dev access");
    assert_eq!(fetched["capabilities"], created["capabilities"]);

    let (status, list) = get(&emu, "/tailnet/-/keys").await;
    assert_eq!(status, 200);
    assert_eq!(listed_ids(&list), vec![id.clone()]);
    assert!(list["keys"][0].get("key").is_none());

    let client = reqwest::Client::new();
    let (status, _) = call(
        client
            .delete(emu.api(&format!("/tailnet/-/keys/{id}")))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 200);
    // The vendor keeps serving a deleted key, revoked and invalid, and drops it from the list.
    let (status, deleted) = get(&emu, &format!("/tailnet/-/keys/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(deleted["invalid"], true);
    assert!(deleted["revoked"].as_str().is_some());
    let (_, list) = get(&emu, "/tailnet/-/keys").await;
    assert!(listed_ids(&list).is_empty());
}

#[tokio::test]
async fn unknown_keys_are_404_with_a_message() {
    let emu = start().await;
    let (status, body) = get(&emu, "/tailnet/-/keys/kNOPECNTRL").await;
    assert_eq!(status, 404);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    let (status, body) = call(
        reqwest::Client::new()
            .delete(emu.api("/tailnet/-/keys/kNOPECNTRL"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, 404);
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn dash_and_the_default_tailnet_name_share_keys() {
    let emu = start().await;
    let (_, created) = create(&emu, auth_key(&[])).await;
    let id = created["id"].as_str().expect("id");
    let (_, state) =
        call(reqwest::Client::new().get(format!("{}/_emulator/state", emu.base))).await;
    let tailnets = state["tailscale"]["tailnets"]
        .as_object()
        .expect("tailnets");
    assert_eq!(tailnets.len(), 1);
    let name = tailnets.keys().next().expect("one tailnet").clone();
    assert_ne!(name, "-");
    let (status, by_name) = get(&emu, &format!("/tailnet/{name}/keys/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_name["id"], id);
    // Another tailnet exists on first use and is empty.
    let (status, other) = get(&emu, "/tailnet/other.example.com/keys").await;
    assert_eq!(status, 200);
    assert!(listed_ids(&other).is_empty());
}

#[tokio::test]
async fn defaults_follow_the_spec() {
    let emu = start().await;
    let (status, created) = create(&emu, json!({ "capabilities": { "devices": {} } })).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["keyType"], "auth");
    assert_eq!(created["expirySeconds"], 90 * 24 * 3600);
    assert_eq!(
        created["capabilities"]["devices"]["create"],
        json!({ "reusable": false, "ephemeral": false, "preauthorized": false })
    );
    assert_eq!(created["description"], "");
}

#[tokio::test]
async fn missing_or_wrong_credentials_are_401() {
    let emu = start().await;
    let client = reqwest::Client::new();
    let (status, body) = call(client.get(emu.api("/tailnet/-/keys"))).await;
    assert_eq!(status, 401);
    assert!(body["message"].is_string());
    let (status, _) = call(client.get(emu.api("/tailnet/-/keys")).bearer_auth("wrong")).await;
    assert_eq!(status, 401);
    let (status, _) = call(
        client
            .post(emu.api("/tailnet/-/keys"))
            .bearer_auth("wrong")
            .json(&auth_key(&[])),
    )
    .await;
    assert_eq!(status, 401);
    // HTTP Basic with the token as username and an empty password.
    let (status, _) = call(
        client
            .get(emu.api("/tailnet/-/keys"))
            .basic_auth(TOKEN, Some("")),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn invalid_create_requests_are_400_with_a_message() {
    let emu = start().await;
    let cases = [
        ("untagged tag", auth_key(&["example"])),
        ("tag without a name", auth_key(&["tag:"])),
        ("tag with a space", auth_key(&["tag:my tag"])),
        (
            "zero expiry",
            json!({ "capabilities": { "devices": {} }, "expirySeconds": 0 }),
        ),
        (
            "expiry over 90 days",
            json!({ "capabilities": { "devices": {} }, "expirySeconds": 7_776_001 }),
        ),
        (
            "long description",
            json!({ "capabilities": { "devices": {} }, "description": "x".repeat(51) }),
        ),
        (
            "description with punctuation",
            json!({ "capabilities": { "devices": {} }, "description": "bad!" }),
        ),
        ("no capabilities", json!({})),
        (
            "unknown key type",
            json!({ "keyType": "bogus", "capabilities": { "devices": {} } }),
        ),
        (
            "wrong field type",
            json!({ "capabilities": { "devices": { "create": { "reusable": "yes" } } } }),
        ),
        ("client without scopes", json!({ "keyType": "client" })),
    ];
    for (name, body) in cases {
        let (status, answer) = create(&emu, body).await;
        assert_eq!(status, 400, "{name}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{name}: {answer}"
        );
    }
    let (status, answer) = call(
        reqwest::Client::new()
            .post(emu.api("/tailnet/-/keys"))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let (_, list) = get(&emu, "/tailnet/-/keys").await;
    assert!(listed_ids(&list).is_empty(), "nothing was created");
    let (status, _) = create(&emu, auth_key(&["tag:good-tag", "tag:b2"])).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn oauth_client_credentials_flow() {
    let emu = start().await;
    let client = reqwest::Client::new();
    let (status, token) = call(client.post(emu.api("/oauth/token")).form(&[
        ("client_id", "k123CNTRL"),
        ("client_secret", TOKEN),
        ("grant_type", "client_credentials"),
        ("scope", "auth_keys"),
    ]))
    .await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 3600);
    assert_eq!(token["scope"], "auth_keys");
    let access = token["access_token"].as_str().expect("access token");
    assert_ne!(access, TOKEN);

    // The minted token is accepted even though --token is set; OAuth-owned auth keys need tags.
    let (status, untagged) = call(
        client
            .post(emu.api("/tailnet/-/keys"))
            .bearer_auth(access)
            .json(&auth_key(&[])),
    )
    .await;
    assert_eq!(status, 400, "{untagged}");
    let (status, created) = call(
        client
            .post(emu.api("/tailnet/-/keys"))
            .bearer_auth(access)
            .json(&auth_key(&["tag:ci"])),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["userId"], "", "owned by the tailnet");
    // Same account as the API token: the same default tailnet.
    let (_, list) = get(&emu, "/tailnet/-/keys").await;
    assert_eq!(listed_ids(&list), vec![created["id"].as_str().expect("id")]);

    // Client credentials by HTTP Basic work too.
    let (status, _) = call(
        client
            .post(emu.api("/oauth/token"))
            .basic_auth("k123CNTRL", Some(TOKEN))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn oauth_rejects_bad_clients_and_grants() {
    let emu = start().await;
    let client = reqwest::Client::new();
    let (status, body) = call(client.post(emu.api("/oauth/token")).form(&[
        ("client_id", "k123CNTRL"),
        ("client_secret", "wrong"),
        ("grant_type", "client_credentials"),
    ]))
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    let (status, body) = call(client.post(emu.api("/oauth/token")).form(&[
        ("client_id", "k123CNTRL"),
        ("client_secret", TOKEN),
        ("grant_type", "password"),
    ]))
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    let (status, _) = call(
        client
            .post(emu.api("/oauth/token"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn hooks_revoke_expire_and_purge_keys() {
    let emu = start().await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (_, created) = create(&emu, auth_key(&[])).await;
        ids.push(created["id"].as_str().expect("id").to_string());
    }
    for (hook, id) in [("revoke", &ids[0]), ("expire", &ids[1])] {
        let response = client
            .post(format!("{}/_emulator/tailscale/{hook}/{id}", emu.base))
            .send()
            .await
            .expect("hook");
        assert!(response.status().is_success(), "{hook}");
        let (status, key) = get(&emu, &format!("/tailnet/-/keys/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(key["invalid"], true, "{hook}: {key}");
    }
    let (_, list) = get(&emu, "/tailnet/-/keys").await;
    assert_eq!(listed_ids(&list), vec![ids[2].clone()]);
    let purged = client
        .delete(format!("{}/_emulator/tailscale/keys/{}", emu.base, ids[2]))
        .send()
        .await
        .expect("purge");
    assert!(purged.status().is_success());
    let (status, _) = get(&emu, &format!("/tailnet/-/keys/{}", ids[2])).await;
    assert_eq!(status, 404);
    let unknown = client
        .post(format!(
            "{}/_emulator/tailscale/revoke/kNOPECNTRL",
            emu.base
        ))
        .send()
        .await
        .expect("hook");
    assert_eq!(unknown.status(), 404);
}
