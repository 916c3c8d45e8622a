//! The Cloudflare client's tunnel calls against wiremock: create (the secret sent, never echoed
//! in errors), the configuration PUT body (`config.ingress` with camelCase originRequest), the
//! token (registered as a secret), delete with the `{}` body — retried after the connections
//! cleanup when Cloudflare refuses with code 1022 — and the error envelope.

use paasform::clouds::cloudflare::client::{
    CloudflareClient, CreateTunnelRequest, IngressRule, OriginRequest, TunnelConfig,
};
use paasform::clouds::http::Secret;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TUN: &str = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415";
const SECRET: &str = "AQIDBAUGBwgBAgMEBQYHCAECAwQFBgcIAQIDBAUGBwg=";

fn client(server: &MockServer) -> CloudflareClient {
    CloudflareClient::new(
        "Cloudflare",
        &server.uri(),
        Secret::new("t"),
        None,
        StopSignal::default(),
    )
    .expect("client")
}

fn ok(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [], "result": result,
    }))
}

fn refused(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "success": false, "messages": [], "result": null,
        "errors": [{"code": code, "message": message}],
    }))
}

#[tokio::test]
async fn create_sends_the_secret_and_errors_never_print_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/accounts/acct/cfd_tunnel"))
        .and(body_json(
            json!({"name": "mac", "config_src": "cloudflare", "tunnel_secret": SECRET}),
        ))
        .respond_with(ok(
            json!({"id": TUN, "name": "mac", "config_src": "cloudflare", "status": "inactive"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}")))
        .respond_with(refused(400, 1000, &format!("bad secret {SECRET}")))
        .mount(&server)
        .await;
    let c = client(&server);
    let req = CreateTunnelRequest {
        name: "mac".into(),
        config_src: "cloudflare".into(),
        tunnel_secret: SECRET.into(),
    };
    let t = c.create_tunnel("acct", &req).await.expect("created");
    assert_eq!(t.id, TUN);
    let err = c
        .get_tunnel("acct", TUN)
        .await
        .expect_err("refused")
        .to_string();
    assert!(!err.contains(SECRET), "{err}");
    assert!(err.contains("(code 1000)"), "{err}");
}

#[tokio::test]
async fn config_put_sends_the_ingress_and_the_token_is_a_secret() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!(
            "/accounts/acct/cfd_tunnel/{TUN}/configurations"
        )))
        .and(body_json(json!({"config": {"ingress": [
            {"hostname": "api.example.com", "service": "http://localhost:8000",
             "originRequest": {"connectTimeout": 10, "noTLSVerify": true}},
            {"service": "http_status:404"},
        ]}})))
        .respond_with(ok(
            json!({"tunnel_id": TUN, "version": 3, "config": {"ingress": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}/token")))
        .respond_with(ok(json!("eyJhIjoiYWNjdCJ9-connector-token")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}")))
        .respond_with(refused(
            400,
            1003,
            "token eyJhIjoiYWNjdCJ9-connector-token is wrong",
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let config = TunnelConfig {
        ingress: vec![
            IngressRule {
                hostname: Some("api.example.com".into()),
                service: "http://localhost:8000".into(),
                origin_request: Some(OriginRequest {
                    connect_timeout: Some(10),
                    no_tls_verify: Some(true),
                    ..OriginRequest::default()
                }),
                ..IngressRule::default()
            },
            IngressRule {
                service: "http_status:404".into(),
                ..IngressRule::default()
            },
        ],
    };
    let put = c
        .put_tunnel_config("acct", TUN, &config)
        .await
        .expect("put");
    assert_eq!(put.version, Some(3));
    let token = c.get_tunnel_token("acct", TUN).await.expect("token");
    assert_eq!(token, "eyJhIjoiYWNjdCJ9-connector-token");
    let err = c
        .delete_tunnel("acct", TUN)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        !err.contains("connector-token"),
        "the token is redacted: {err}"
    );
}

#[tokio::test]
async fn delete_cleans_up_connections_when_refused_then_deletes_again() {
    let server = MockServer::start().await;
    // First DELETE refused (active connections), the second one succeeds.
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}")))
        .and(body_json(json!({})))
        .respond_with(refused(
            400,
            1022,
            "Cannot delete tunnel because it has active connections",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}/connections")))
        .respond_with(ok(json!(null)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}")))
        .and(body_json(json!({})))
        .respond_with(ok(
            json!({"id": TUN, "name": "mac", "deleted_at": "2026-01-01T00:00:00Z"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .delete_tunnel("acct", TUN)
        .await
        .expect("deleted");
}

#[tokio::test]
async fn other_delete_failures_are_not_retried_and_404_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}")))
        .respond_with(refused(404, 1003, "Tunnel not found"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/accounts/acct/cfd_tunnel/{TUN}/connections")))
        .respond_with(ok(json!(null)))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .delete_tunnel("acct", TUN)
        .await
        .expect_err("gone");
    assert!(err.is_not_found(), "{err}");
}
