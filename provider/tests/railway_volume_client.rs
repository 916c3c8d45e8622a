//! `railway_volume` and `railway_tcp_proxy` against wiremock: the GraphQL bodies they send
//! (volumeCreate into one environment, volumeInstanceUpdate always naming the environment and the
//! service, tcpProxyCreate), and a create whose answer is lost (Railway's internal error) adopting
//! the volume at the same mount / the proxy on the same port instead of creating a second one.

mod common;

use std::sync::{Arc, Mutex};

use paasform::framework::{Host, Value};
use serde_json::{json, Value as Json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn data(d: Json) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": d }))
}

fn internal_error() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{"message": "Problem processing request", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}))
}

/// Answers by operation name; every create fails like a lost answer (after "landing").
struct FakeRailway {
    /// (operation name, variables) of every request.
    calls: Arc<Mutex<Vec<(String, Json)>>>,
}

impl Respond for FakeRailway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Json = serde_json::from_slice(&req.body).unwrap_or_default();
        let op = body["operationName"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.calls
            .lock()
            .expect("lock")
            .push((op.clone(), body["variables"].clone()));
        let instance = json!({
            "id": "vi-1", "volumeId": "vol-landed", "environmentId": "e1", "serviceId": "s1",
            "mountPath": "/data", "sizeMB": 5000, "region": "us-west2",
            "volume": {"id": "vol-landed", "name": "pg-data", "projectId": "p1"},
        });
        match op.as_str() {
            "VolumeCreate" | "TcpProxyCreate" => internal_error(),
            "EnvironmentVolumeInstances" => data(json!({"environment": {"volumeInstances": {
                "edges": [{"node": instance}], "pageInfo": {"hasNextPage": false, "endCursor": "vi-1"}}}})),
            "VolumeUpdate" => data(json!({"volumeUpdate": {"id": "vol-landed", "name": "pg-data", "projectId": "p1"}})),
            "VolumeInstanceUpdate" => data(json!({"volumeInstanceUpdate": true})),
            "TcpProxies" => data(json!({"tcpProxies": [
                {"id": "tp-other", "applicationPort": 8080, "proxyPort": 20001, "domain": "a.proxy.rlwy.net", "environmentId": "e1", "serviceId": "s1"},
                {"id": "tp-landed", "applicationPort": 5432, "proxyPort": 20002, "domain": "b.proxy.rlwy.net", "environmentId": "e1", "serviceId": "s1"},
            ]})),
            _ => ResponseTemplate::new(200).set_body_json(json!({"data": null, "errors": [{"message": format!("unexpected operation {op}")}]})),
        }
    }
}

async fn fake() -> (MockServer, Host, Arc<Mutex<Vec<(String, Json)>>>) {
    let server = MockServer::start().await;
    let calls = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(FakeRailway {
            calls: calls.clone(),
        })
        .mount(&server)
        .await;
    let host = common::host(
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
    (server, host, calls)
}

fn ops(calls: &Arc<Mutex<Vec<(String, Json)>>>) -> Vec<String> {
    calls
        .lock()
        .expect("lock")
        .iter()
        .map(|(o, _)| o.clone())
        .collect()
}

#[tokio::test]
async fn a_lost_volume_create_adopts_the_volume_at_the_same_mount_then_remounts_it() {
    let (_server, host, calls) = fake().await;
    let t = "railway_volume";
    let cfg = |path: &str| {
        common::resource_config(
            &host,
            t,
            &[
                ("project_id", Value::string("p1")),
                ("environment_id", Value::string("e1")),
                ("service_id", Value::string("s1")),
                ("mount_path", Value::string(path)),
                ("name", Value::string("pg-data")),
            ],
        )
    };
    let (state, _) = common::apply(&host, t, &Value::Null, &cfg("/data")).await;
    assert_eq!(state.attr("id"), &Value::string("vol-landed"));
    assert_eq!(state.attr("size_mb"), &Value::int(5000));
    let seen = ops(&calls);
    assert_eq!(
        seen.iter().filter(|o| *o == "VolumeCreate").count(),
        1,
        "never sent twice: {seen:?}"
    );
    assert!(
        !seen.contains(&"VolumeUpdate".to_string()),
        "the name already matches: {seen:?}"
    );
    let create = calls.lock().expect("lock")[0].1.clone();
    assert_eq!(
        create["input"],
        json!({"projectId": "p1", "environmentId": "e1", "serviceId": "s1", "mountPath": "/data"})
    );

    // A re-mount names the environment (never all of them) and the service (never disconnects).
    calls.lock().expect("lock").clear();
    let (_, _) = common::apply(&host, t, &state, &cfg("/pgdata")).await;
    let sent = calls.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "VolumeInstanceUpdate");
    assert_eq!(
        sent[0].1,
        json!({"volumeId": "vol-landed", "environmentId": "e1", "input": {"mountPath": "/pgdata", "serviceId": "s1"}})
    );
}

#[tokio::test]
async fn a_lost_tcp_proxy_create_adopts_the_proxy_on_the_same_port() {
    let (_server, host, calls) = fake().await;
    let t = "railway_tcp_proxy";
    let cfg = common::resource_config(
        &host,
        t,
        &[
            ("environment_id", Value::string("e1")),
            ("service_id", Value::string("s1")),
            ("application_port", Value::int(5432)),
        ],
    );
    let (state, _) = common::apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("id"), &Value::string("tp-landed"));
    assert_eq!(state.attr("proxy_port"), &Value::int(20002));
    let sent = calls.lock().expect("lock").clone();
    assert_eq!(
        sent.iter().map(|(o, _)| o.as_str()).collect::<Vec<_>>(),
        vec!["TcpProxyCreate", "TcpProxies"]
    );
    assert_eq!(
        sent[0].1["input"],
        json!({"environmentId": "e1", "serviceId": "s1", "applicationPort": 5432})
    );
}
