//! The deploy calls of the Vercel and Railway clients against wiremock (the actions
//! `vercel_deploy` and `railway_redeploy` use them): createDeployment's body and team scope,
//! getDeployment's error fields, promote's path and empty answer, the project's production
//! target; Railway's `serviceInstanceDeployV2` variables and answer, the `deployment` query, and a
//! GraphQL error surfacing as the call's error.

use std::time::Duration;

use paasform::clouds::http::{Auth, RetryPolicy, Secret};
use paasform::clouds::railway::client::RailwayClient;
use paasform::clouds::vercel::client::deployments::{CreateDeploymentRequest, GitSource};
use paasform::clouds::vercel::client::VercelClient;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn vercel(server: &MockServer) -> VercelClient {
    VercelClient::new(
        &server.uri(),
        Secret::new("t"),
        Some("team_abc".into()),
        StopSignal::default(),
    )
    .expect("client")
}

fn railway(server: &MockServer) -> RailwayClient {
    RailwayClient::new(
        &format!("{}/graphql/v2", server.uri()),
        Auth::Bearer(Secret::new("acct-token")),
        StopSignal::default(),
    )
    .expect("client")
    .with_retry(RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    })
}

#[tokio::test]
async fn create_deployment_sends_the_git_source_for_production_in_the_team_scope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v13/deployments"))
        .and(query_param("teamId", "team_abc"))
        .and(body_json(json!({
            "name": "web", "project": "prj_1", "target": "production",
            "gitSource": {"type": "github", "ref": "main", "repoId": 42, "sha": "abc1234"},
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "dpl_1", "url": "web-1.vercel.app", "readyState": "QUEUED"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let req = CreateDeploymentRequest {
        name: "web".into(),
        project: "prj_1".into(),
        target: "production".into(),
        git_source: GitSource::GitHub {
            kind: "github".into(),
            git_ref: "main".into(),
            repo_id: json!(42),
            sha: Some("abc1234".into()),
        },
    };
    let d = vercel(&server)
        .create_deployment(&req)
        .await
        .expect("deployment");
    assert_eq!((d.id.as_str(), d.ready_state.as_str()), ("dpl_1", "QUEUED"));
}

#[tokio::test]
async fn a_failed_deployment_reads_with_vercels_error_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v13/deployments/dpl_1"))
        .and(query_param("teamId", "team_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "dpl_1", "readyState": "ERROR", "errorCode": "BUILD_UTILS_SPAWN_1",
            "errorMessage": "Command \"npm run build\" exited with 1", "errorStep": "build",
        })))
        .mount(&server)
        .await;
    let d = vercel(&server)
        .get_deployment("dpl_1")
        .await
        .expect("deployment");
    assert_eq!(d.ready_state, "ERROR");
    assert_eq!(d.error_code.as_deref(), Some("BUILD_UTILS_SPAWN_1"));
    let why = paasform::clouds::vercel::deploy_action::failure_reason(&d);
    assert!(
        why.contains("exited with 1") && why.contains("BUILD_UTILS_SPAWN_1"),
        "{why}"
    );
}

#[tokio::test]
async fn promote_posts_to_the_projects_promote_path_and_reads_the_production_target() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v10/projects/prj_1/promote/dpl_0"))
        .and(query_param("teamId", "team_abc"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v9/projects/prj_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "prj_1", "name": "web", "targets": {"production": {"id": "dpl_0"}},
        })))
        .mount(&server)
        .await;
    let c = vercel(&server);
    c.promote_deployment("prj_1", "dpl_0")
        .await
        .expect("promote");
    let now = c.production_deployment("prj_1").await.expect("project");
    assert_eq!(now.as_deref(), Some("dpl_0"));
}

#[tokio::test]
async fn a_promote_conflict_is_the_calls_error_with_vercels_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v10/projects/prj_1/promote/dpl_0"))
        .respond_with(ResponseTemplate::new(409).set_body_json(
            json!({"error": {"code": "conflict", "message": "A promotion is already in progress."}}),
        ))
        .mount(&server)
        .await;
    let err = vercel(&server)
        .promote_deployment("prj_1", "dpl_0")
        .await
        .expect_err("409");
    assert!(
        err.to_string()
            .contains("A promotion is already in progress."),
        "{err}"
    );
}

#[tokio::test]
async fn railway_deploy_sends_the_instance_and_commit_and_returns_the_deployment_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .and(body_partial_json(json!({
            "operationName": "ServiceInstanceDeployV2",
            "variables": {"serviceId": "s1", "environmentId": "e1", "commitSha": "abc1234"},
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"serviceInstanceDeployV2": "d1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .and(body_partial_json(
            json!({"operationName": "Deployment", "variables": {"id": "d1"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": {"deployment": {"id": "d1", "status": "CRASHED", "staticUrl": null}}}),
        ))
        .mount(&server)
        .await;
    let c = railway(&server);
    let id = c
        .deploy_service_instance("s1", "e1", Some("abc1234"))
        .await
        .expect("deploy");
    assert_eq!(id, "d1");
    let d = c.deployment("d1").await.expect("deployment");
    assert_eq!(d.status, "CRASHED");
}

#[tokio::test]
async fn a_railway_deploy_error_is_the_calls_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql/v2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": null,
            "errors": [{"message": "Service not found", "extensions": {"code": "NOT_FOUND"}}],
        })))
        .mount(&server)
        .await;
    let err = railway(&server)
        .deploy_service_instance("s1", "e1", None)
        .await
        .expect_err("not found");
    assert!(err.to_string().contains("Service not found"), "{err}");
}
