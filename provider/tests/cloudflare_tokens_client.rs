//! The Cloudflare client's account-token calls against wiremock: the create body (policy without
//! the read-only id, bucket resources), the minted value redacted from later errors, and DELETE
//! with the `{}` body the spec requires, where 404 counts as already revoked.

use std::collections::BTreeMap;

use paasform::clouds::cloudflare::client::{
    CloudflareClient, CreateTokenRequest, PolicyGroup, TokenPolicy,
};
use paasform::clouds::http::Secret;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> CloudflareClient {
    CloudflareClient::new(
        "Cloudflare R2",
        &server.uri(),
        Secret::new("t"),
        None,
        StopSignal::default(),
    )
    .expect("client")
}

#[tokio::test]
async fn create_sends_the_policy_and_redacts_the_minted_value() {
    let server = MockServer::start().await;
    let resource = "com.cloudflare.edge.r2.bucket.acct_default_assets";
    Mock::given(method("POST"))
        .and(path("/accounts/acct/tokens"))
        .and(body_json(json!({
            "name": "r2",
            "policies": [{"effect": "allow", "permission_groups": [{"id": "g1"}], "resources": {resource: "*"}}],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "errors": [], "messages": [],
            "result": {"id": "tok1", "name": "r2", "value": "minted-value-0123456789abcdef0123456789", "policies": []},
        })))
        .expect(1)
        .mount(&server)
        .await;
    // A later failure that echoes the value must not print it.
    Mock::given(method("GET"))
        .and(path("/accounts/acct/tokens/tok1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false, "messages": [], "result": null,
            "errors": [{"code": 1000, "message": "bad token minted-value-0123456789abcdef0123456789"}],
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let req = CreateTokenRequest {
        name: "r2".into(),
        policies: vec![TokenPolicy {
            id: Some("never-sent".into()),
            effect: "allow".into(),
            permission_groups: vec![PolicyGroup {
                id: "g1".into(),
                name: Some("never sent".into()),
            }],
            resources: BTreeMap::from([(resource.to_string(), "*".to_string())]),
        }],
        expires_on: None,
    };
    let t = c.create_account_token("acct", &req).await.expect("created");
    assert_eq!(t.id, "tok1");
    let err = c
        .get_account_token("acct", "tok1")
        .await
        .expect_err("fails")
        .to_string();
    assert!(!err.contains("minted-value"), "{err}");
}

#[tokio::test]
async fn delete_sends_an_empty_object_and_404_is_already_revoked() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/accounts/acct/tokens/tok1"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "success": false, "messages": [], "result": null,
            "errors": [{"code": 1003, "message": "Invalid token identifier"}],
        })))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .delete_account_token("acct", "tok1")
        .await
        .expect("gone is revoked");
}
