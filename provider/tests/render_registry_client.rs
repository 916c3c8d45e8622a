//! Wiremock tier for Render registry credentials: the exact POST and PATCH bodies (the PATCH
//! carries every field, the token too, and no `ownerId`), 404 on read is "gone", 404 on delete is
//! success, a lost create answer adopts the one credential of that name, and no error or debug
//! text carries the token.

mod common;

use paasform::clouds::http::Secret;
use paasform::clouds::render::client::registry::RegistryCredentialRequest;
use paasform::clouds::render::client::RenderClient;
use paasform::framework::{Host, Value};
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> RenderClient {
    RenderClient::unbound(
        &server.uri(),
        Secret::new("rnd_test"),
        StopSignal::default(),
    )
    .expect("client")
    .with_owner("tea-1")
}

fn answer(id: &str, user: &str) -> serde_json::Value {
    json!({"id": id, "name": "ghcr", "registry": "GITHUB", "username": user, "updatedAt": "2026-01-01T00:00:00Z"})
}

fn request(owner: Option<&str>) -> RegistryCredentialRequest {
    RegistryCredentialRequest {
        name: "ghcr".into(),
        registry: "GITHUB".into(),
        username: "bot".into(),
        auth_token: "ghp_secret".into(),
        owner_id: owner.map(str::to_string),
    }
}

#[tokio::test]
async fn bodies_follow_the_spec_and_gone_is_not_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/registrycredentials"))
        .and(body_json(json!({"name": "ghcr", "registry": "GITHUB", "username": "bot", "authToken": "ghp_secret", "ownerId": "tea-1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer("rgc-1", "bot")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/registrycredentials/rgc-1"))
        .and(body_json(json!({"name": "ghcr", "registry": "GITHUB", "username": "bot", "authToken": "ghp_secret"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer("rgc-1", "bot")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/registrycredentials/rgc-gone"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"id": "e1", "message": "not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/registrycredentials/rgc-gone"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let created = c
        .create_registry_credential(&request(Some("tea-1")))
        .await
        .expect("create");
    assert_eq!(created.id, "rgc-1");
    c.update_registry_credential("rgc-1", &request(None))
        .await
        .expect("patch");
    let err = c
        .get_registry_credential("rgc-gone")
        .await
        .expect_err("404");
    assert!(err.is_not_found(), "{err}");
    c.delete_registry_credential("rgc-gone")
        .await
        .expect("gone counts as deleted");
    assert!(!format!("{:?}", request(None)).contains("ghp_secret"));
}

#[tokio::test]
async fn a_lost_create_answer_adopts_the_credential_by_name() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/registrycredentials"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/registrycredentials"))
        .and(query_param("name", "ghcr"))
        .and(query_param("ownerId", "tea-9"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([answer("rgc-adopted", "bot")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let host = Host::new(paasform::clouds::provider("render").expect("render"));
    let diags = host
        .configure(&Value::object([
            ("api_key", Value::string("rnd_test")),
            ("owner_id", Value::string("tea-9")),
            ("base_url", Value::string(server.uri())),
        ]))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let cfg = common::resource_config(
        &host,
        "render_registry_credential",
        &[
            ("name", Value::string("ghcr")),
            ("registry", Value::string("GITHUB")),
            ("username", Value::string("bot")),
            ("auth_token", Value::string("ghp_secret")),
        ],
    );
    let plan = host.plan_resource_change("render_registry_credential", &Value::Null, &cfg, &cfg);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    let (state, diags) = host
        .apply_resource_change(
            "render_registry_credential",
            &Value::Null,
            &plan.planned,
            &cfg,
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("id"), &Value::string("rgc-adopted"));
    assert!(!diags.to_string().contains("ghp_secret"));
}
