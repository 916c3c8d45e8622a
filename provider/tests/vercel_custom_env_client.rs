//! The Vercel client's custom-environment calls against wiremock: the create body and team
//! scope, a cleared matcher sent as JSON null, the list's `environments`, a 404 on delete counting
//! as removed, and a name that must be one URL segment.

use paasform::clouds::http::Secret;
use paasform::clouds::vercel::client::custom_envs::{
    BranchMatcher, CreateCustomEnvironmentRequest, UpdateCustomEnvironmentRequest,
};
use paasform::clouds::vercel::client::VercelClient;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> VercelClient {
    VercelClient::new(
        &server.uri(),
        Secret::new("t"),
        Some("team_abc".into()),
        StopSignal::default(),
    )
    .expect("client")
}

fn env_json(slug: &str) -> serde_json::Value {
    json!({"id": "env_1", "slug": slug, "type": "preview", "description": "", "createdAt": 1, "updatedAt": 1,
           "branchMatcher": {"type": "startsWith", "pattern": "release/"}})
}

#[tokio::test]
async fn create_sends_slug_and_matcher_in_the_team_scope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v9/projects/prj_1/custom-environments"))
        .and(query_param("teamId", "team_abc"))
        .and(body_json(json!({
            "slug": "staging",
            "branchMatcher": {"type": "startsWith", "pattern": "release/"},
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(env_json("staging")))
        .expect(1)
        .mount(&server)
        .await;
    let req = CreateCustomEnvironmentRequest {
        slug: "staging".into(),
        description: None,
        branch_matcher: Some(BranchMatcher {
            kind: "startsWith".into(),
            pattern: "release/".into(),
        }),
    };
    let e = client(&server)
        .create_custom_environment(None, "prj_1", &req)
        .await
        .expect("created");
    assert_eq!(e.id, "env_1");
    assert_eq!(e.branch_matcher.map(|m| m.kind), Some("startsWith".into()));
}

#[tokio::test]
async fn update_sends_a_cleared_matcher_as_null_and_list_reads_environments() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v9/projects/prj_1/custom-environments/env_1"))
        .and(body_json(json!({"slug": "qa", "branchMatcher": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "env_1", "slug": "qa", "type": "preview", "createdAt": 1, "updatedAt": 2,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v9/projects/prj_1/custom-environments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accountLimit": {"total": 12}, "environments": [env_json("staging"), env_json("qa")],
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let req = UpdateCustomEnvironmentRequest {
        slug: Some("qa".into()),
        description: None,
        branch_matcher: Some(None),
    };
    let e = c
        .update_custom_environment(None, "prj_1", "env_1", &req)
        .await
        .expect("updated");
    assert_eq!(e.slug, "qa");
    assert_eq!(e.branch_matcher, None);
    let all = c
        .list_custom_environments(None, "prj_1")
        .await
        .expect("listed");
    let slugs: Vec<_> = all.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(slugs, ["staging", "qa"]);
}

#[tokio::test]
async fn delete_of_a_gone_environment_succeeds_and_names_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v9/projects/prj_1/custom-environments/env_gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "not_found", "message": "not found"},
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v9/projects/prj_1/custom-environments/a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(env_json("a")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.delete_custom_environment(None, "prj_1", "env_gone")
        .await
        .expect("a 404 counts as removed");
    c.get_custom_environment(None, "prj_1", "a/b")
        .await
        .expect("encoded as one segment");
}
