//! The Vercel client's project and env-var calls against wiremock: a variable for a custom
//! environment only (no `target` sent), the created variables' ids read from `created` (one object
//! or an array), `resourceConfig` / `skewProtectionMaxAge` / `gitLFS` in updateProject's body, and
//! a project answer whose `functionDefaultTimeout` is a JSON number with a fraction, and
//! `resourceConfig.buildMachineType` / `oidcTokenConfig.issuerMode` in createProject's and
//! updateProject's bodies (the deprecated `enabled` read, never sent).

use paasform::clouds::http::Secret;
use paasform::clouds::vercel::client::{
    CreateProjectRequest, EnvVar, OidcTokenConfig, ResourceConfig, UpdateProjectRequest,
    VercelClient,
};
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

#[tokio::test]
async fn create_env_sends_custom_environments_and_reads_the_created_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v10/projects/prj_1/env"))
        .and(query_param("upsert", "true"))
        .and(query_param("teamId", "team_abc"))
        .and(body_json(json!([
            {"key": "A", "value": "1", "type": "plain", "customEnvironmentIds": ["env_1"]},
            {"key": "B", "value": "2", "type": "encrypted", "target": ["preview"]},
        ])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "created": [
                {"id": "e1", "key": "A", "type": "plain", "target": [], "customEnvironmentIds": ["env_1"]},
                {"id": "e2", "key": "B", "type": "encrypted", "target": ["preview"], "customEnvironmentIds": []},
            ],
            "failed": [],
        })))
        .expect(1)
        .mount(&server)
        .await;
    let vars = [
        EnvVar {
            key: "A".into(),
            value: Some("1".into()),
            kind: "plain".into(),
            custom_environment_ids: vec!["env_1".into()],
            ..EnvVar::default()
        },
        EnvVar {
            key: "B".into(),
            value: Some("2".into()),
            kind: "encrypted".into(),
            target: vec!["preview".into()],
            ..EnvVar::default()
        },
    ];
    let created = client(&server)
        .create_env(None, "prj_1", &vars)
        .await
        .expect("created");
    let ids: Vec<_> = created.iter().map(|v| v.id.clone()).collect();
    assert_eq!(ids, vec![Some("e1".into()), Some("e2".into())]);
    assert_eq!(created[0].custom_environment_ids, vec!["env_1".to_string()]);
}

#[tokio::test]
async fn one_created_variable_may_come_back_as_an_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v10/projects/prj_1/env"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "created": {"id": "e9", "key": "A", "type": "plain", "target": ["production"]},
            "failed": [],
        })))
        .mount(&server)
        .await;
    let var = EnvVar {
        key: "A".into(),
        value: Some("1".into()),
        kind: "plain".into(),
        target: vec!["production".into()],
        ..EnvVar::default()
    };
    let created = client(&server)
        .create_env(None, "prj_1", &[var])
        .await
        .expect("created");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].id.as_deref(), Some("e9"));
}

#[tokio::test]
async fn update_sends_function_defaults_and_flags_and_reads_a_fractional_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v9/projects/prj_1"))
        .and(body_json(json!({
            "resourceConfig": {"functionDefaultMemoryType": "performance", "functionDefaultTimeout": 60,
                               "functionDefaultRegions": ["fra1"]},
            "skewProtectionMaxAge": 1800,
            "gitLFS": true,
            "enablePreviewFeedback": null,
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "prj_1", "name": "web", "skewProtectionMaxAge": 1800, "gitLFS": true,
            "resourceConfig": {"functionDefaultMemoryType": "performance", "functionDefaultTimeout": 59.6,
                               "fluid": false, "functionDefaultRegions": ["fra1"], "elasticConcurrencyEnabled": false},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let req = UpdateProjectRequest {
        resource_config: Some(ResourceConfig {
            function_default_memory_type: Some("performance".into()),
            function_default_timeout: Some(60),
            fluid: None,
            function_default_regions: Some(vec!["fra1".into()]),
            build_machine_type: None,
        }),
        skew_protection_max_age: Some(1800),
        git_lfs: Some(true),
        enable_preview_feedback: Some(None),
        ..UpdateProjectRequest::default()
    };
    let p = client(&server)
        .update_project(None, "prj_1", &req)
        .await
        .expect("updated");
    let rc = p.resource_config.expect("resource config");
    assert_eq!(rc.function_default_timeout, Some(60));
    assert_eq!(rc.fluid, Some(false));
    assert_eq!(p.skew_protection_max_age, Some(1800));
    assert_eq!(p.git_lfs, Some(true));
}

#[tokio::test]
async fn build_machine_and_oidc_issuer_travel_in_create_and_update() {
    let server = MockServer::start().await;
    let answer = |machine: &str, issuer: &str| {
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "prj_1", "name": "web",
            "resourceConfig": {"buildMachineType": machine, "fluid": true},
            "oidcTokenConfig": {"enabled": true, "issuerMode": issuer},
        }))
    };
    Mock::given(method("POST"))
        .and(path("/v11/projects"))
        .and(body_json(json!({
            "name": "web",
            "resourceConfig": {"buildMachineType": "enhanced"},
            "oidcTokenConfig": {"issuerMode": "global"},
        })))
        .respond_with(answer("enhanced", "global"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v9/projects/prj_1"))
        .and(body_json(json!({
            "resourceConfig": {"buildMachineType": "turbo"},
            "oidcTokenConfig": {"issuerMode": "team"},
        })))
        .respond_with(answer("turbo", "team"))
        .expect(1)
        .mount(&server)
        .await;
    let oidc = |issuer: &str| {
        Some(OidcTokenConfig {
            enabled: Some(false),
            issuer_mode: Some(issuer.into()),
        })
    };
    let machine = |m: &str| {
        Some(ResourceConfig {
            build_machine_type: Some(m.into()),
            ..ResourceConfig::default()
        })
    };
    let c = client(&server);
    let create = CreateProjectRequest {
        name: "web".into(),
        resource_config: machine("enhanced"),
        oidc_token_config: oidc("global"),
        ..CreateProjectRequest::default()
    };
    let p = c.create_project(None, &create).await.expect("created");
    assert_eq!(
        p.resource_config
            .and_then(|r| r.build_machine_type)
            .as_deref(),
        Some("enhanced")
    );
    let o = p.oidc_token_config.expect("oidc");
    assert_eq!(
        (o.enabled, o.issuer_mode.as_deref()),
        (Some(true), Some("global"))
    );
    let update = UpdateProjectRequest {
        resource_config: machine("turbo"),
        oidc_token_config: oidc("team"),
        ..UpdateProjectRequest::default()
    };
    let p = c
        .update_project(None, "prj_1", &update)
        .await
        .expect("updated");
    assert_eq!(
        p.oidc_token_config.and_then(|o| o.issuer_mode).as_deref(),
        Some("team")
    );
}
