//! Wiremock tier for the Render client and provider: request shapes, cursor pagination, 429 with
//! Retry-After, 404 mapping, Render's error body, workspace discovery, and adoption of a service
//! whose create answer was lost.

mod common;

use paasform::clouds::http::{ApiError, Secret};
use paasform::clouds::render::client::services::{DetailsBody, EnvVarInput, ServicePatch};
use paasform::clouds::render::client::RenderClient;
use paasform::framework::{Host, Value};
use paasform::stop::StopSignal;
use serde_json::{json, Value as Json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
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

fn owner(i: usize) -> Json {
    json!({"cursor": format!("c{i}"), "owner": {"id": format!("tea-{i}"), "name": format!("team {i}"), "email": "x@example.com", "type": "team"}})
}

#[tokio::test]
async fn lists_follow_the_cursor_until_a_short_page() {
    let server = MockServer::start().await;
    let first: Vec<Json> = (0..100).map(owner).collect();
    Mock::given(method("GET"))
        .and(path("/owners"))
        .and(query_param("limit", "100"))
        .and(query_param_is_missing("cursor"))
        .and(header("authorization", "Bearer rnd_test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/owners"))
        .and(query_param("cursor", "c99"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![owner(100)]))
        .expect(1)
        .mount(&server)
        .await;
    let owners = client(&server).list_owners().await.expect("list");
    assert_eq!(owners.len(), 101);
    assert_eq!(owners[100].id, "tea-100");
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/services/srv-1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"id": "rate", "message": "slow down"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/srv-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "srv-1", "name": "api", "type": "web_service"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let svc = client(&server).get_service("srv-1").await.expect("retried");
    assert_eq!(svc.name, "api");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "Retry-After was honoured"
    );
}

#[tokio::test]
async fn not_found_and_error_bodies_carry_renders_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/services/srv-gone"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"id": "not_found", "message": "service not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/services/srv-1"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"id": "invalid", "message": "invalid plan: huge"})),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.get_service("srv-gone").await.expect_err("404");
    assert_eq!(
        err,
        ApiError::NotFound {
            message: "service not found".into()
        }
    );
    let err = c
        .update_service(
            "srv-1",
            &ServicePatch {
                service_details: DetailsBody {
                    plan: Some("huge".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .expect_err("400");
    assert_eq!(
        err,
        ApiError::Api {
            status: 400,
            message: "invalid plan: huge".into()
        }
    );
    c.delete_service("srv-gone")
        .await
        .expect("deleting what is gone succeeds");
}

#[tokio::test]
async fn env_vars_are_one_put_of_the_whole_set() {
    let server = MockServer::start().await;
    let body = json!([{"key": "A", "value": "1"}, {"key": "JWT_SECRET", "generateValue": true}]);
    Mock::given(method("PUT"))
        .and(path("/services/srv-1/env-vars"))
        .and(body_json(body.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/services/srv-1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "gone"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let vars = [
        EnvVarInput {
            key: "A".into(),
            value: Some("1".into()),
            generate_value: None,
        },
        EnvVarInput {
            key: "JWT_SECRET".into(),
            value: None,
            generate_value: Some(true),
        },
    ];
    c.put_env_vars("srv-1", &vars).await.expect("put");
    c.delete_service("srv-1")
        .await
        .expect("already gone is success");
}

async fn configured(
    server: &MockServer,
    owner_id: Option<&str>,
) -> (Host, paasform::framework::Diagnostics) {
    let host = Host::new(paasform::clouds::provider("render").expect("render"));
    let cfg = Value::object([
        ("api_key", Value::string("rnd_test")),
        ("owner_id", owner_id.map_or(Value::Null, Value::string)),
        ("base_url", Value::string(server.uri())),
    ]);
    let diags = host.configure(&cfg).await;
    (host, diags)
}

#[tokio::test]
async fn workspace_is_discovered_only_when_there_is_exactly_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/owners"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![owner(1)]))
        .mount(&server)
        .await;
    let (_, diags) = configured(&server, None).await;
    assert!(!diags.has_errors(), "{diags}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/owners"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![owner(1), owner(2)]))
        .mount(&server)
        .await;
    let (_, diags) = configured(&server, None).await;
    let text = diags.to_string();
    assert!(
        diags.has_errors() && text.contains("tea-1") && text.contains("tea-2"),
        "{text}"
    );

    // An explicit owner needs no lookup.
    let server = MockServer::start().await;
    let (_, diags) = configured(&server, Some("tea-9")).await;
    assert!(!diags.has_errors());
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

#[tokio::test]
async fn a_lost_create_answer_adopts_the_service_by_name() {
    let server = MockServer::start().await;
    let svc = json!({"id": "srv-adopted", "name": "worker", "type": "background_worker", "ownerId": "tea-9", "slug": "worker",
        "serviceDetails": {"runtime": "node", "plan": "starter", "region": "oregon", "numInstances": 1,
            "envSpecificDetails": {"buildCommand": "npm ci", "startCommand": "node worker.js"}}});
    Mock::given(method("POST"))
        .and(path("/services"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services"))
        .and(query_param("name", "worker"))
        .and(query_param("ownerId", "tea-9"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"cursor": "c1", "service": svc}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/srv-adopted/env-vars"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!([{"cursor": "e1", "envVar": {"key": "NODE_ENV", "value": "production"}}]),
        ))
        .mount(&server)
        .await;
    let (host, diags) = configured(&server, Some("tea-9")).await;
    assert!(!diags.has_errors(), "{diags}");
    let env = Value::Map(
        [(
            "NODE_ENV".to_string(),
            Value::object([
                ("value", Value::string("production")),
                ("generate_value", Value::Null),
            ]),
        )]
        .into(),
    );
    let cfg = common::resource_config(
        &host,
        "render_service",
        &[
            ("type", Value::string("background_worker")),
            ("name", Value::string("worker")),
            ("runtime", Value::string("node")),
            ("build_command", Value::string("npm ci")),
            ("start_command", Value::string("node worker.js")),
            ("env_vars", env),
        ],
    );
    let plan = host.plan_resource_change("render_service", &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change("render_service", &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("id"), &Value::string("srv-adopted"));
    assert_eq!(state.attr("host"), &Value::string("worker"));
}

#[tokio::test]
async fn a_failed_first_deploy_fails_the_create_with_its_status_and_keeps_the_id() {
    let server = MockServer::start().await;
    let svc = json!({"id": "srv-d1", "name": "api", "type": "web_service", "slug": "api",
        "serviceDetails": {"runtime": "node", "plan": "starter", "region": "oregon", "numInstances": 1, "url": "https://api.onrender.com",
            "envSpecificDetails": {"buildCommand": "npm ci", "startCommand": "npm start"}}});
    Mock::given(method("POST"))
        .and(path("/services"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"service": svc, "deployId": "dep-7"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/srv-d1/custom-domains"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/srv-d1/deploys/dep-7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "dep-7", "status": "build_failed"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (host, diags) = configured(&server, Some("tea-9")).await;
    assert!(!diags.has_errors(), "{diags}");
    let cfg = common::resource_config(
        &host,
        "render_service",
        &[
            ("type", Value::string("web_service")),
            ("name", Value::string("api")),
            ("runtime", Value::string("node")),
            ("build_command", Value::string("npm ci")),
            ("start_command", Value::string("npm start")),
            ("wait_for_deploy", Value::Bool(true)),
        ],
    );
    let plan = host.plan_resource_change("render_service", &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change("render_service", &Value::Null, &plan.planned, &cfg)
        .await;
    let text = diags.to_string();
    assert!(
        diags.has_errors() && text.contains("dep-7") && text.contains("build_failed"),
        "{text}"
    );
    assert_eq!(
        state.attr("id"),
        &Value::string("srv-d1"),
        "the created service stays in state (tainted)"
    );
}

#[tokio::test]
async fn a_custom_domain_whose_answer_was_lost_is_found_instead_of_failing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/services/srv-1/custom-domains"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"id": "e", "message": "upstream reset"})),
        )
        // One POST per call: an answer lost on a POST is never blindly repeated.
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/srv-1/custom-domains"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"cursor": "cdm-1", "customDomain": {"id": "cdm-1", "name": "api.example.com", "domainType": "subdomain", "verificationStatus": "unverified", "createdAt": "2026-01-01T00:00:00Z"}}
        ])))
        .expect(2)
        .mount(&server)
        .await;
    client(&server)
        .add_custom_domain("srv-1", "api.example.com")
        .await
        .expect("attached after all");
    // A domain that is not there after the lost answer is still an error.
    let err = client(&server)
        .add_custom_domain("srv-1", "other.example.com")
        .await;
    assert!(err.is_err());
}
