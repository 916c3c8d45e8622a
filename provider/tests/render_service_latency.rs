//! Issue 16: render_service's independent sub-requests run concurrently. Against the emulator with
//! 150 ms of added latency per request, one refresh and one create of a web service with env
//! vars, secret files and two custom domains are timed and printed (measurements only: no timed
//! assertion); what is asserted is that the request counts stay what they were when the calls
//! ran one after another.

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use common::*;
use paasform::framework::Value;
use paasform_emulator::Config;

const SVC: &str = "render_service";
const LATENCY_MS: u64 = 150;

fn s(v: &str) -> Value {
    Value::string(v)
}

async fn requests(emu: &TestEmulator) -> BTreeMap<String, u64> {
    let all = emu.get("/_emulator/requests").await;
    all.as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.contains("/services"))
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn refresh_and_create_requests_run_concurrently() {
    let emu = TestEmulator::start(Config {
        latency_ms: LATENCY_MS,
        ..Default::default()
    })
    .await;
    let host = host(
        "render",
        &[
            ("api_key", s("rnd_test")),
            ("base_url", s(&emu.url("render/v1"))),
        ],
    )
    .await;
    let env = Value::Map(BTreeMap::from([(
        "NODE_ENV".to_string(),
        Value::object([("value", s("production")), ("generate_value", Value::Null)]),
    )]));
    let cfg = resource_config(
        &host,
        SVC,
        &[
            ("type", s("web_service")),
            ("name", s("latency-api")),
            ("runtime", s("node")),
            ("repo", s("https://github.com/example/api")),
            ("build_command", s("npm ci")),
            ("start_command", s("npm start")),
            ("env_vars", env),
            (
                "secret_files",
                Value::Map(BTreeMap::from([(".npmrc".to_string(), s("x"))])),
            ),
            (
                "custom_domains",
                Value::set(vec![s("a.example.com"), s("b.example.com")]),
            ),
        ],
    );
    emu.reset_requests().await;
    let t = Instant::now();
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg).await;
    let create = t.elapsed();
    let create_requests = requests(&emu).await;

    emu.reset_requests().await;
    let t = Instant::now();
    let (read, diags) = host.read_resource(SVC, &state).await;
    let refresh = t.elapsed();
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        read, state,
        "a refresh right after the create changes nothing"
    );
    let read_requests = requests(&emu).await;

    eprintln!(
        "render_service at {LATENCY_MS} ms per request: create {} ms ({} requests), refresh {} ms ({} requests)",
        create.as_millis(),
        create_requests.values().sum::<u64>(),
        refresh.as_millis(),
        read_requests.values().sum::<u64>(),
    );
    let one = |k: &str| (k.to_string(), 1u64);
    assert_eq!(
        create_requests,
        BTreeMap::from([
            one("POST /render/v1/services"),
            (
                "POST /render/v1/services/{serviceId}/custom-domains".to_string(),
                2
            ),
            one("GET /render/v1/services/{serviceId}/env-vars"),
            one("GET /render/v1/services/{serviceId}/secret-files"),
            one("GET /render/v1/services/{serviceId}/custom-domains"),
        ]),
    );
    assert_eq!(
        read_requests,
        BTreeMap::from([
            one("GET /render/v1/services/{serviceId}"),
            one("GET /render/v1/services/{serviceId}/env-vars"),
            one("GET /render/v1/services/{serviceId}/secret-files"),
            one("GET /render/v1/services/{serviceId}/custom-domains"),
        ]),
    );
}
