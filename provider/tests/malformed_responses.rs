//! Malformed vendor responses, in process against wiremock: truncated JSON, wrong field types, an
//! HTML page (answered 200 by a proxy, or as an error page), and an empty 200. For every resource
//! and for create, read and delete, the provider must give an error diagnostic that names the
//! vendor, never panic, never drop a resource from state on read (the host keeps the prior
//! state), and never record a half-parsed object on create. Imports the crate's public API and
//! the shared test set-up in `common`.

mod common;

use std::sync::Arc;

use common::{object_of, proposed};
use paasform::clouds;
use paasform::framework::{Diagnostics, Host, Value};
use serde_json::{json, Value as Json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One resource under test: its provider, a valid config and an id its importer accepts.
struct Target {
    identity: &'static str,
    vendor: &'static str,
    type_name: &'static str,
    config: Json,
    import_id: &'static str,
}

fn targets() -> Vec<Target> {
    let t = |identity, vendor, type_name, config, import_id| Target {
        identity,
        vendor,
        type_name,
        config,
        import_id,
    };
    vec![
        t(
            "tailscale",
            "tailscale",
            "tailscale_key",
            json!({"tags": ["tag:ci"], "expiry": 3600}),
            "k123CNTRL",
        ),
        t(
            "r2",
            "cloudflare",
            "r2_bucket",
            json!({"name": "evidence-exports"}),
            "acct123/evidence-exports",
        ),
        t(
            "vercel",
            "vercel",
            "vercel_project",
            json!({"name": "marketing-site"}),
            "team_x/prj_1",
        ),
        t(
            "render",
            "render",
            "render_service",
            json!({"type": "web_service", "name": "api", "runtime": "node", "repo": "https://github.com/acme/api"}),
            "srv-abc123",
        ),
        t(
            "render",
            "render",
            "render_database",
            json!({"name": "db", "plan": "basic_1gb"}),
            "dpg-abc123",
        ),
        t(
            "railway",
            "railway",
            "railway_project",
            json!({"name": "codewarden"}),
            "prj-1",
        ),
        t(
            "railway",
            "railway",
            "railway_environment",
            json!({"name": "staging", "project_id": "prj-1"}),
            "prj-1/env-1",
        ),
        t(
            "railway",
            "railway",
            "railway_service",
            json!({"project_id": "prj-1", "environment_id": "env-1", "name": "api", "source_repo": "acme/codewarden"}),
            "prj-1/env-1/svc-1",
        ),
    ]
}

/// The provider block pointing at `url`, with whatever avoids calls at configure time.
fn provider_config(identity: &str, url: &str) -> Vec<(&'static str, Value)> {
    let s = |v: &str| Value::string(v);
    match identity {
        "tailscale" => vec![("api_key", s("tskey-api-x")), ("base_url", s(url))],
        "r2" => vec![
            ("api_token", s("cf")),
            ("account_id", s("acct123")),
            ("base_url", s(url)),
        ],
        "vercel" => vec![("api_token", s("v")), ("base_url", s(url))],
        "render" => vec![
            ("api_key", s("rnd")),
            ("owner_id", s("tea-abc")),
            ("base_url", s(url)),
        ],
        "railway" => vec![("token", s("rw")), ("base_url", s(url))],
        other => panic!("unknown identity {other}"),
    }
}

/// A malformed answer: status, content type, body.
struct Bad {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
}

const BAD: &[Bad] = &[
    Bad {
        name: "truncated JSON",
        status: 200,
        content_type: "application/json",
        body: r#"{"id": "x1", "name": "ap"#,
    },
    Bad {
        name: "wrong field types",
        status: 200,
        content_type: "application/json",
        body: r#"{"id": 42, "name": ["x"], "key": 7, "result": {"name": 1, "creation_date": false}, "data": {"project": {"id": 5}, "projectCreate": {"id": []}, "environmentCreate": 1, "serviceCreate": "x", "environment": 3, "service": 4}, "service": 9, "postgres": 1}"#,
    },
    Bad {
        name: "top-level array",
        status: 200,
        content_type: "application/json",
        body: "[1, 2, 3]",
    },
    Bad {
        name: "HTML page with 200",
        status: 200,
        content_type: "text/html",
        body: "<!DOCTYPE html><html><body><h1>Please log in</h1></body></html>",
    },
    Bad {
        name: "HTML error page",
        status: 418,
        content_type: "text/html",
        body: "<html><body>I'm a teapot</body></html>",
    },
    Bad {
        name: "empty 200",
        status: 200,
        content_type: "application/json",
        body: "",
    },
];

async fn host_at(server: &MockServer, identity: &str) -> Arc<Host> {
    let provider = clouds::provider(identity).expect("identity");
    let host = Host::new(provider);
    let names: Vec<String> = host
        .provider_schema()
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let config = object_of(&names, &provider_config(identity, &server.uri()));
    let diags = host.configure(&config).await;
    assert!(!diags.has_errors(), "{identity}: configure failed: {diags}");
    Arc::new(host)
}

fn config_value(host: &Host, target: &Target) -> Value {
    let ty = host
        .resource_schema(target.type_name)
        .expect("type")
        .value_type();
    Value::from_plain_json(&target.config, &ty).expect("config fits")
}

/// What went wrong in one (target, bad answer, operation), if anything.
fn judge(target: &Target, bad: &Bad, op: &str, diags: &Diagnostics, problems: &mut Vec<String>) {
    let text = diags.to_string();
    let lower = text.to_lowercase();
    let label = format!("{} / {} / {op}", target.type_name, bad.name);
    if !diags.has_errors() {
        problems.push(format!("{label}: no error diagnostic ({text})"));
    } else if !lower.contains(target.vendor) {
        problems.push(format!(
            "{label}: the error does not name {}: {text}",
            target.vendor
        ));
    }
    if lower.contains("panicked") || text.contains("RUST_BACKTRACE") {
        problems.push(format!("{label}: a panic message reached the user: {text}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_responses_give_clear_errors_and_keep_state() {
    let mut problems = Vec::new();
    for target in targets() {
        for bad in BAD {
            let server = MockServer::start().await;
            let host = host_at(&server, target.identity).await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(bad.status)
                        .insert_header("content-type", bad.content_type)
                        .set_body_string(bad.body),
                )
                .mount(&server)
                .await;
            let label = format!("{} / {}", target.type_name, bad.name);

            // Read: an error, and the prior state comes back untouched.
            let resource_prior = {
                let ty = host
                    .resource_schema(target.type_name)
                    .expect("type")
                    .value_type();
                let partial = clouds::provider(target.identity)
                    .expect("identity")
                    .resources()
                    .into_iter()
                    .find(|r| r.type_name() == target.type_name)
                    .expect("resource")
                    .import(target.import_id)
                    .unwrap_or_else(|d| panic!("{label}: import id rejected: {d}"));
                let mut prior = config_value(&host, &target);
                for (k, v) in partial.entries().into_iter().flatten() {
                    if v.is_known() {
                        prior.set_attr(k, v.clone());
                    }
                }
                prior.conform(&ty)
            };
            let (h, t, p) = (host.clone(), target.type_name, resource_prior.clone());
            match tokio::spawn(async move { h.read_resource(t, &p).await }).await {
                Err(e) => problems.push(format!("{label} / read: PANIC {e}")),
                Ok((state, diags)) => {
                    judge(&target, bad, "read", &diags, &mut problems);
                    if state != resource_prior {
                        problems.push(format!("{label} / read: state changed to {state:?}"));
                    }
                }
            }

            // Create: an error, and no half-parsed object in state.
            let config = config_value(&host, &target);
            let plan = host.plan_resource_change(
                target.type_name,
                &Value::Null,
                &proposed(&host, target.type_name, &Value::Null, &config),
                &config,
            );
            assert!(!plan.diags.has_errors(), "{label}: plan: {}", plan.diags);
            let (h, t, planned, cfg) = (
                host.clone(),
                target.type_name,
                plan.planned.clone(),
                config.clone(),
            );
            match tokio::spawn(async move {
                h.apply_resource_change(t, &Value::Null, &planned, &cfg)
                    .await
            })
            .await
            {
                Err(e) => problems.push(format!("{label} / create: PANIC {e}")),
                Ok((state, diags)) => {
                    judge(&target, bad, "create", &diags, &mut problems);
                    let id = state.attr("id");
                    if !state.is_null() && id.as_str().is_none_or(str::is_empty) {
                        problems.push(format!(
                            "{label} / create: recorded an object without an id: {state:?}"
                        ));
                    }
                    if state.contains_unknown() {
                        problems.push(format!("{label} / create: unknown values in state"));
                    }
                }
            }

            // Delete: a success answer with a malformed body is still a success; an error page
            // must keep the object in state.
            let (h, t, p) = (host.clone(), target.type_name, resource_prior.clone());
            match tokio::spawn(async move {
                h.apply_resource_change(t, &p, &Value::Null, &Value::Null)
                    .await
            })
            .await
            {
                Err(e) => problems.push(format!("{label} / delete: PANIC {e}")),
                Ok((state, diags)) => {
                    if diags.has_errors() && state != resource_prior {
                        problems.push(format!("{label} / delete: failed but dropped the state"));
                    }
                    if bad.status >= 400 && !diags.has_errors() {
                        problems.push(format!(
                            "{label} / delete: an error page counted as deleted"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A create answered 2xx with a body that cannot be read did create the object: the provider
/// looks it up by name and adopts it instead of leaving an orphan behind an error.
#[tokio::test]
async fn a_garbled_create_answer_adopts_the_object_by_name() {
    let server = MockServer::start().await;
    let host = host_at(&server, "vercel").await;
    Mock::given(method("POST"))
        .and(path("/v11/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id": "prj_1", "na"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v9/projects/marketing-site"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"id": "prj_1", "name": "marketing-site", "accountId": "team_x"}),
            ),
        )
        .mount(&server)
        .await;
    let target = targets()
        .into_iter()
        .find(|t| t.type_name == "vercel_project")
        .expect("vercel target");
    let config = config_value(&host, &target);
    let plan = host.plan_resource_change(
        target.type_name,
        &Value::Null,
        &proposed(&host, target.type_name, &Value::Null, &config),
        &config,
    );
    let (state, diags) = host
        .apply_resource_change(target.type_name, &Value::Null, &plan.planned, &config)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("id").as_str(), Some("prj_1"), "{state:?}");
}
