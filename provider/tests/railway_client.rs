//! Railway client against wiremock: GraphQL bodies and auth headers, `errors[]` of a 200 answer
//! mapped to ApiError, pagination over edges/pageInfo, 429 with Retry-After, malformed answers,
//! and an ambiguous serviceCreate failure resolved by a lookup instead of a duplicate.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paasform::clouds::http::{ApiError, Auth, RetryPolicy, Secret};
use paasform::clouds::railway::client::RailwayClient;
use paasform::framework::{Host, Value};
use paasform::stop::StopSignal;
use serde_json::{json, Value as Json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(server: &MockServer) -> RailwayClient {
    RailwayClient::new(
        &format!("{}/graphql/v2", server.uri()),
        Auth::Bearer(Secret::new("acct-token")),
        StopSignal::default(),
    )
    .expect("client")
    .with_retry(RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    })
}

fn data(d: Json) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": d }))
}

fn gql_error(message: &str, code: Option<&str>) -> ResponseTemplate {
    let mut e =
        json!({"message": message, "path": ["project"], "locations": [{"line": 2, "column": 3}]});
    if let Some(c) = code {
        e["extensions"] = json!({"code": c});
    }
    ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [e]}))
}

#[tokio::test]
async fn a_query_is_a_graphql_post_with_bearer_auth() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .and(header("authorization", "Bearer acct-token"))
        .and(body_partial_json(json!({"operationName": "Project", "variables": {"id": "p1"}})))
        .respond_with(data(json!({"project": {"id": "p1", "name": "codewarden", "isPublic": false, "primaryEnvironmentId": "e1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let p = client(&server).project("p1").await.expect("project");
    assert_eq!(
        (
            p.id.as_str(),
            p.name.as_str(),
            p.primary_environment_id.as_deref()
        ),
        ("p1", "codewarden", Some("e1"))
    );
    let reqs = server.received_requests().await.unwrap_or_default();
    let body: Json = serde_json::from_slice(&reqs[0].body).expect("json body");
    assert!(
        body["query"]
            .as_str()
            .is_some_and(|q| q.contains("query Project(")),
        "{body}"
    );
}

#[tokio::test]
async fn a_project_token_travels_in_its_own_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("project-access-token", "proj-token"))
        .respond_with(data(json!({"project": {"id": "p1", "name": "x", "isPublic": false, "primaryEnvironmentId": "e1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let host = common::host(
        "railway",
        &[
            ("token", Value::string("proj-token")),
            ("token_type", Value::string("project")),
            (
                "base_url",
                Value::string(format!("{}/graphql/v2", server.uri())),
            ),
        ],
    )
    .await;
    let (state, diags) = host.import_resource_state("railway_project", "p1").await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("default_environment_id"), &Value::string("e1"));
    let reqs = server.received_requests().await.unwrap_or_default();
    assert!(
        reqs.iter()
            .all(|r| !r.headers.contains_key("authorization")),
        "no bearer with a project token"
    );
}

#[tokio::test]
async fn graphql_errors_map_to_api_errors() {
    let server = MockServer::start().await;
    let c = client(&server);
    type Expect = fn(&ApiError) -> bool;
    let cases: Vec<(ResponseTemplate, Expect)> = vec![
        (gql_error("Project not found", Some("NOT_FOUND")), |e| {
            matches!(e, ApiError::NotFound { .. })
        }),
        (gql_error("Project not found", None), |e| {
            matches!(e, ApiError::NotFound { .. })
        }),
        (gql_error("Not Authorized", None), |e| {
            matches!(e, ApiError::Unauthorized { .. })
        }),
        (gql_error("Unauthenticated", Some("UNAUTHENTICATED")), |e| {
            matches!(e, ApiError::Unauthorized { .. })
        }),
        (
            gql_error("Invalid cron schedule", Some("BAD_USER_INPUT")),
            |e| matches!(e, ApiError::Api { message, .. } if message.contains("Invalid cron schedule") && message.contains("`project`") && message.contains("Railway Project")),
        ),
        (
            ResponseTemplate::new(200).set_body_string("<html><body>Bad gateway</body></html>"),
            |e| matches!(e, ApiError::Decode(m) if m.contains("Railway Project") && m.contains("HTML")),
        ),
        (
            ResponseTemplate::new(200).set_body_string(r#"{"data": {"project": {"id": "#),
            |e| matches!(e, ApiError::Decode(m) if m.contains("Railway Project")),
        ),
        (
            ResponseTemplate::new(200),
            |e| matches!(e, ApiError::Decode(m) if m.contains("empty")),
        ),
        (
            ResponseTemplate::new(401)
                .set_body_json(json!({"errors": [{"message": "Not Authorized"}]})),
            |e| matches!(e, ApiError::Unauthorized { message } if message.contains("Not Authorized")),
        ),
    ];
    for (i, (response, expected)) in cases.into_iter().enumerate() {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(response)
            .mount(&server)
            .await;
        let err = c.project("p1").await.expect_err("an error");
        assert!(expected(&err), "case {i}: {err:?}");
    }
}

#[tokio::test]
async fn listings_follow_page_info() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let edges: Vec<Json> = ids
            .iter()
            .map(|i| json!({"node": {"id": i, "name": format!("svc-{i}")}}))
            .collect();
        data(
            json!({"project": {"services": {"edges": edges, "pageInfo": {"hasNextPage": next.is_some(), "endCursor": next}}}}),
        )
    };
    Mock::given(body_partial_json(
        json!({"operationName": "ProjectServices", "variables": {"after": null}}),
    ))
    .respond_with(page(&["a", "b"], Some("cur-1")))
    .expect(1)
    .mount(&server)
    .await;
    Mock::given(body_partial_json(
        json!({"operationName": "ProjectServices", "variables": {"after": "cur-1"}}),
    ))
    .respond_with(page(&["c"], None))
    .expect(1)
    .mount(&server)
    .await;
    let all = client(&server)
        .project_services("p1")
        .await
        .expect("listing");
    assert_eq!(
        all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
}

#[tokio::test]
async fn rate_limits_are_retried_after_the_servers_delay() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(json!({"errors": [{"message": "Rate limit exceeded"}]})),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(data(json!({"variableCollectionUpsert": true})))
        .mount(&server)
        .await;
    let vars = [("OPENAI_API_KEY".to_string(), "sk".to_string())]
        .into_iter()
        .collect();
    client(&server)
        .replace_variables("p", "e", "s", &vars)
        .await
        .expect("upsert after the rate limit");
    let reqs = server.received_requests().await.unwrap_or_default();
    assert_eq!(reqs.len(), 3);
    let body: Json = serde_json::from_slice(&reqs[2].body).expect("json");
    assert_eq!(
        body["variables"]["input"],
        json!({"projectId": "p", "environmentId": "e", "serviceId": "s", "replace": true, "variables": {"OPENAI_API_KEY": "sk"}})
    );

    // A rate limit reported inside a 200 answer is retried too, then surfaces as RateLimited.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(gql_error(
            "You are being rate limited",
            Some("RATE_LIMITED"),
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .project("p")
        .await
        .expect_err("still limited");
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(4));
}

/// Answers by operation name; `ServiceCreate` fails like a dropped gateway the first time.
struct FakeRailway {
    calls: Arc<Mutex<Vec<String>>>,
    /// An operation that always fails with invalid input.
    fail: Option<&'static str>,
}

impl Respond for FakeRailway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Json = serde_json::from_slice(&req.body).unwrap_or_default();
        let op = body["operationName"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let creates = {
            let mut calls = self.calls.lock().expect("lock");
            calls.push(op.clone());
            calls.iter().filter(|c| *c == "ServiceCreate").count()
        };
        let instance = json!({"environmentId": "e1", "source": {"image": "ghcr.io/acme/worker:1", "repo": null}, "watchPatterns": [], "builder": "RAILPACK", "numReplicas": 1, "region": "us-west2", "restartPolicyType": "ON_FAILURE", "restartPolicyMaxRetries": 10, "startCommand": "arq worker.WorkerSettings"});
        match op.as_str() {
            o if Some(o) == self.fail => ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{"message": "Invalid start command", "extensions": {"code": "BAD_USER_INPUT", "field": "startCommand"}}]})),
            "Project" => data(json!({"project": {"id": "p1", "name": "x", "isPublic": false, "primaryEnvironmentId": "e1"}})),
            "ServiceCreate" if creates == 1 => ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{"message": "Problem processing request", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]})),
            "ProjectServices" => data(json!({"project": {"services": {"edges": [{"node": {"id": "s-landed", "name": "worker"}}], "pageInfo": {"hasNextPage": false, "endCursor": null}}}})),
            "ServiceInstanceUpdate" => data(json!({"serviceInstanceUpdate": true})),
            "ServiceState" => data(json!({
                "service": {"id": "s-landed", "name": "worker", "icon": null, "projectId": "p1"},
                "serviceInstance": instance,
                "variables": {},
                "domains": {"serviceDomains": [], "customDomains": []},
            })),
            _ => gql_error(&format!("unexpected operation {op}"), Some("BAD_REQUEST")),
        }
    }
}

#[tokio::test]
async fn an_ambiguous_service_create_adopts_the_service_that_landed() {
    let server = MockServer::start().await;
    let calls = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(FakeRailway {
            calls: calls.clone(),
            fail: None,
        })
        .mount(&server)
        .await;
    let host: Host = common::host(
        "railway",
        &[
            ("token", Value::string("t")),
            (
                "base_url",
                Value::string(format!("{}/graphql/v2", server.uri())),
            ),
        ],
    )
    .await;
    let t = "railway_service";
    let cfg = common::resource_config(
        &host,
        t,
        &[
            ("project_id", Value::string("p1")),
            ("name", Value::string("worker")),
            ("source_image", Value::string("ghcr.io/acme/worker:1")),
            ("start_command", Value::string("arq worker.WorkerSettings")),
        ],
    );
    let (state, _) = common::apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("id"), &Value::string("s-landed"));
    let calls = calls.lock().expect("lock").clone();
    assert_eq!(
        calls.iter().filter(|c| *c == "ServiceCreate").count(),
        1,
        "never sent twice: {calls:?}"
    );
    assert!(calls.contains(&"ProjectServices".to_string()), "{calls:?}");
}

#[tokio::test]
async fn an_update_calls_only_what_changed() {
    let server = MockServer::start().await;
    let calls = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(FakeRailway {
            calls: calls.clone(),
            fail: None,
        })
        .mount(&server)
        .await;
    let host: Host = common::host(
        "railway",
        &[
            ("token", Value::string("t")),
            (
                "base_url",
                Value::string(format!("{}/graphql/v2", server.uri())),
            ),
        ],
    )
    .await;
    let t = "railway_service";
    let cfg = |start: &str| {
        common::resource_config(
            &host,
            t,
            &[
                ("project_id", Value::string("p1")),
                ("name", Value::string("worker")),
                ("source_image", Value::string("ghcr.io/acme/worker:1")),
                ("start_command", Value::string(start)),
            ],
        )
    };
    let (state, _) = common::apply(&host, t, &Value::Null, &cfg("arq worker.WorkerSettings")).await;
    calls.lock().expect("lock").clear();
    let (next, _) = common::apply(&host, t, &state, &cfg("arq worker.Other")).await;
    assert_eq!(
        next.attr("start_command"),
        &Value::string("arq worker.Other")
    );
    let sent = calls.lock().expect("lock").clone();
    assert_eq!(
        sent,
        ["ServiceInstanceUpdate", "ServiceState"],
        "no service update, variable upsert or domain call"
    );
    let reqs = server.received_requests().await.unwrap_or_default();
    let body: Json = reqs
        .iter()
        .rev()
        .filter_map(|r| serde_json::from_slice::<Json>(&r.body).ok())
        .find(|b| b["operationName"] == "ServiceInstanceUpdate")
        .expect("sent");
    assert_eq!(
        body["variables"]["input"],
        json!({"startCommand": "arq worker.Other"}),
        "only the changed field"
    );
}

#[tokio::test]
async fn a_failed_follow_up_keeps_the_created_service_in_state() {
    let server = MockServer::start().await;
    let calls = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(FakeRailway {
            calls,
            fail: Some("ServiceInstanceUpdate"),
        })
        .mount(&server)
        .await;
    let host: Host = common::host(
        "railway",
        &[
            ("token", Value::string("t")),
            (
                "base_url",
                Value::string(format!("{}/graphql/v2", server.uri())),
            ),
        ],
    )
    .await;
    let t = "railway_service";
    let cfg = common::resource_config(
        &host,
        t,
        &[
            ("project_id", Value::string("p1")),
            ("name", Value::string("worker")),
            ("source_image", Value::string("ghcr.io/acme/worker:1")),
            ("start_command", Value::string("arq worker.WorkerSettings")),
        ],
    );
    let plan = host.plan_resource_change(t, &Value::Null, &cfg, &cfg);
    let (state, diags) = host
        .apply_resource_change(t, &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(diags.has_errors());
    assert!(
        diags.to_string().contains("Invalid start command")
            && diags.to_string().contains("startCommand"),
        "{diags}"
    );
    assert_eq!(
        state.attr("id"),
        &Value::string("s-landed"),
        "the service exists: Terraform must record it"
    );
}

/// Like `FakeRailway`, but `VariableCollectionUpsert` fails with a GraphQL error inside a 200
/// answer that echoes the variables it was sent (GraphQL servers quote input in their errors).
struct EchoingRailway(FakeRailway);

impl Respond for EchoingRailway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Json = serde_json::from_slice(&req.body).unwrap_or_default();
        if body["operationName"] == "VariableCollectionUpsert" {
            let sent = body["variables"]["input"]["variables"].to_string();
            return ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{
                "message": format!("Variable value too long: {sent}"),
                "extensions": {"code": "BAD_USER_INPUT", "field": "variables"},
            }]}));
        }
        self.0.respond(req)
    }
}

#[tokio::test]
async fn a_graphql_error_echoing_a_write_only_value_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(EchoingRailway(FakeRailway {
            calls: Arc::default(),
            fail: None,
        }))
        .mount(&server)
        .await;
    let host: Host = common::host(
        "railway",
        &[
            ("token", Value::string("t")),
            (
                "base_url",
                Value::string(format!("{}/graphql/v2", server.uri())),
            ),
        ],
    )
    .await;
    let t = "railway_service";
    let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    let cfg = common::resource_config(
        &host,
        t,
        &[
            ("project_id", Value::string("p1")),
            ("name", Value::string("worker")),
            ("source_image", Value::string("ghcr.io/acme/worker:1")),
            ("start_command", Value::string("arq worker.WorkerSettings")),
            (
                "variables_wo",
                Value::Map(
                    [("STRIPE_SECRET".to_string(), Value::string(secret))]
                        .into_iter()
                        .collect(),
                ),
            ),
            ("variables_wo_version", Value::int(1)),
        ],
    );
    let plan = host.plan_resource_change(t, &Value::Null, &cfg, &cfg);
    let (_, diags) = host
        .apply_resource_change(t, &Value::Null, &plan.planned, &cfg)
        .await;
    let text = diags.to_string();
    assert!(diags.has_errors(), "the upsert failed: {text}");
    assert!(
        text.contains("Variable value too long") && text.contains("[redacted]"),
        "the API's message, redacted: {text}"
    );
    assert!(
        !text.contains(secret),
        "the write-only value leaked: {text}"
    );
    assert!(
        !text.contains("sk_live_4eC39"),
        "no part of it either: {text}"
    );
}

/// Shared variables: the upsert and delete carry no `serviceId` (that is what makes them shared),
/// the read asks for unrendered values, a delete of a variable already gone succeeds, and an
/// error echoing the value does not show it.
#[tokio::test]
async fn shared_variables_are_sent_without_a_service_and_their_value_is_redacted() {
    use paasform::clouds::railway::client::models::{
        SharedVariableDeleteInput, SharedVariableUpsertInput,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"operationName": "SharedVariables", "variables": {"projectId": "p1", "environmentId": "e1"}})))
        .respond_with(data(json!({"variables": {"LOG_LEVEL": "info", "REF": "${{shared.LOG_LEVEL}}"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            json!({"operationName": "VariableUpsert"}),
        ))
        .respond_with(gql_error(
            "Variable value sk-secret-9876 rejected",
            Some("BAD_USER_INPUT"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            json!({"operationName": "VariableDelete"}),
        ))
        .respond_with(gql_error("Variable not found", Some("NOT_FOUND")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let vars = c.shared_variables("p1", "e1").await.expect("read");
    assert_eq!(vars["REF"], "${{shared.LOG_LEVEL}}");
    let upsert = SharedVariableUpsertInput {
        project_id: "p1".into(),
        environment_id: "e1".into(),
        name: "OPENAI_API_KEY".into(),
        value: "sk-secret-9876".into(),
    };
    let err = c
        .upsert_shared_variable(&upsert)
        .await
        .expect_err("refused");
    assert!(!err.to_string().contains("sk-secret-9876"), "{err}");
    c.delete_shared_variable(&SharedVariableDeleteInput {
        project_id: "p1".into(),
        environment_id: "e1".into(),
        name: "GONE".into(),
    })
    .await
    .expect("already gone is deleted");
    let reqs = server.received_requests().await.unwrap_or_default();
    let bodies: Vec<Json> = reqs
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("json"))
        .collect();
    assert!(bodies[0]["query"]
        .as_str()
        .is_some_and(|q| q.contains("unrendered: true")));
    for b in &bodies[1..] {
        assert_eq!(b["variables"]["input"].get("serviceId"), None, "{b}");
        assert_eq!(b["variables"]["input"]["environmentId"], "e1", "{b}");
    }
}

/// The generated domain's name: serviceDomainUpdate carries the new `<name>.up.railway.app`
/// with the port it keeps, and a name another service has comes back as Railway's input error,
/// its text kept for the diagnostic.
#[tokio::test]
async fn a_service_domain_rename_sends_the_name_and_port_and_reports_a_taken_name() {
    use paasform::clouds::railway::client::models::ServiceDomainUpdateInput;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({
            "operationName": "ServiceDomainUpdate",
            "variables": {"input": {
                "domain": "shop.up.railway.app", "environmentId": "e1",
                "serviceDomainId": "sd1", "serviceId": "s1", "targetPort": 8080,
            }},
        })))
        .respond_with(data(json!({"serviceDomainUpdate": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({
            "operationName": "ServiceDomainUpdate",
            "variables": {"input": {"domain": "taken.up.railway.app"}},
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{
                "message": "Domain \"taken.up.railway.app\" is not available",
                "extensions": {"code": "BAD_USER_INPUT"},
            }]})),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let input = |domain: &str| ServiceDomainUpdateInput {
        domain: domain.into(),
        environment_id: "e1".into(),
        service_domain_id: "sd1".into(),
        service_id: "s1".into(),
        target_port: Some(8080),
    };
    c.update_service_domain(&input("shop.up.railway.app"))
        .await
        .expect("renamed");
    let err = c
        .update_service_domain(&input("taken.up.railway.app"))
        .await
        .expect_err("taken");
    assert!(
        !err.is_ambiguous(),
        "an answer, not a lost request: {err:?}"
    );
    assert!(err.to_string().contains("is not available"), "{err}");
}
