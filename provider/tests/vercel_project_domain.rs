//! In-process tier for vercel_project_domain and its data source: the resource against the
//! emulator, no Terraform — lifecycle with request counts, the wait for verification (success and
//! timeout), and the DNS records the data source hands out.

mod common;

use std::time::Duration;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const D: &str = "vercel_project_domain";

async fn host_for(emu: &TestEmulator, team: &str) -> Host {
    host(
        "vercel",
        &[
            ("api_token", Value::string("vercel-test-token")),
            ("team", Value::string(team)),
            ("base_url", Value::string(emu.url("vercel"))),
        ],
    )
    .await
}

/// A project named `name` in the host's team; returns its id.
async fn project(host: &Host, name: &str) -> (Value, String) {
    let cfg = resource_config(host, "vercel_project", &[("name", Value::string(name))]);
    let (state, _) = apply(host, "vercel_project", &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("project id").to_string();
    (state, id)
}

fn domain_cfg(host: &Host, project: &str, domain: &str, extra: &[(&str, Value)]) -> Value {
    let mut pairs = vec![
        ("project_id", Value::string(project)),
        ("domain", Value::string(domain)),
    ];
    pairs.extend_from_slice(extra);
    resource_config(host, D, &pairs)
}

fn data_cfg(host: &Host, project: &str, domain: &str) -> Value {
    data_source_config(
        host,
        D,
        &[
            ("project_id", Value::string(project)),
            ("domain", Value::string(domain)),
        ],
    )
}

#[tokio::test]
async fn domain_lifecycle_redirect_update_and_dns_records() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host_for(&emu, "team_paasform").await;
    let (_, pid) = project(&host, "codewarden-web").await;

    let www = domain_cfg(&host, &pid, "www.codewarden.dev", &[]);
    let (www_state, _) = apply(&host, D, &Value::Null, &www).await;
    assert_eq!(www_state.attr("id").as_str(), Some("www.codewarden.dev"));
    assert_eq!(www_state.attr("verified"), &Value::Bool(true));
    assert_stable(&host, D, &www_state, &www).await;

    let apex = |code: i64| {
        domain_cfg(
            &host,
            &pid,
            "codewarden.dev",
            &[
                ("redirect", Value::string("www.codewarden.dev")),
                ("redirect_status_code", Value::int(code)),
            ],
        )
    };
    let (state, _) = apply(&host, D, &Value::Null, &apex(308)).await;
    let state = assert_stable(&host, D, &state, &apex(308)).await;

    // An in-place update is one PATCH.
    let before = emu.request_total().await;
    let (state, replace) = apply(&host, D, &state, &apex(301)).await;
    assert!(replace.is_empty(), "a redirect change is in place");
    assert_eq!(emu.request_total().await - before, 1, "one PATCH");
    assert_eq!(state.attr("redirect_status_code"), &Value::int(301));
    let state = assert_stable(&host, D, &state, &apex(301)).await;

    // The data source: A records for the apex, a CNAME for the subdomain.
    let (apex_data, diags) = host
        .read_data_source(D, &data_cfg(&host, &pid, "codewarden.dev"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let records = apex_data
        .attr("dns_records")
        .elements()
        .unwrap_or_default()
        .to_vec();
    assert_eq!(records.len(), 1, "{apex_data:?}");
    assert_eq!(records[0].attr("type").as_str(), Some("A"));
    assert_eq!(records[0].attr("value").as_str(), Some("76.76.21.21"));
    assert_eq!(apex_data.attr("misconfigured"), &Value::Bool(true));
    assert_eq!(
        apex_data.attr("redirect").as_str(),
        Some("www.codewarden.dev")
    );
    let (www_data, diags) = host
        .read_data_source(D, &data_cfg(&host, &pid, "www.codewarden.dev"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let records = www_data
        .attr("dns_records")
        .elements()
        .unwrap_or_default()
        .to_vec();
    assert_eq!(records[0].attr("type").as_str(), Some("CNAME"));
    assert_eq!(records[0].attr("name").as_str(), Some("www.codewarden.dev"));
    assert_eq!(
        records[0].attr("value").as_str(),
        Some("cname.vercel-dns.com")
    );
    assert_eq!(
        www_data.attr("recommended_cname").as_str(),
        Some("cname.vercel-dns.com")
    );

    // Import by both id forms plans no diff.
    for id in [
        format!("{pid}/codewarden.dev"),
        format!("team_paasform/{pid}/codewarden.dev"),
    ] {
        let (imported, diags) = host.import_resource_state(D, &id).await;
        assert!(!diags.has_errors(), "{id}: {diags}");
        let (read, diags) = host.read_resource(D, &imported).await;
        assert!(!diags.has_errors(), "{id}: {diags}");
        assert_stable(&host, D, &read, &apex(301)).await;
    }

    // Delete, then a refresh sees it gone; a second delete is still a success.
    let (gone, diags) = host
        .apply_resource_change(D, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(gone.is_null());
    let (read, diags) = host.read_resource(D, &state).await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(read.is_null(), "deleted domain must read as gone");
    let (_, diags) = host
        .apply_resource_change(D, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "{diags}");
}

/// `other` holds `example.org` in team A; team B's `app.example.org` then needs a TXT challenge.
async fn contested(emu: &TestEmulator) -> (Host, Host, Value, String) {
    let a = host_for(emu, "team_alpha").await;
    let (_, pa) = project(&a, "alpha-site").await;
    let held = domain_cfg(&a, &pa, "example.org", &[]);
    let (held_state, _) = apply(&a, D, &Value::Null, &held).await;
    let b = host_for(emu, "team_beta").await;
    let (_, pb) = project(&b, "beta-site").await;
    (a, b, held_state, pb)
}

#[tokio::test]
async fn an_unverified_domain_reports_its_challenge_and_times_out_with_it() {
    let emu = TestEmulator::start(Config::default()).await;
    let (_a, b, _held, pb) = contested(&emu).await;

    // Without a wait: created, unverified, the TXT record to publish in state.
    let plain = domain_cfg(&b, &pb, "app.example.org", &[]);
    let (state, _) = apply(&b, D, &Value::Null, &plain).await;
    assert_eq!(state.attr("verified"), &Value::Bool(false));
    let challenge = state
        .attr("verification")
        .elements()
        .unwrap_or_default()
        .to_vec();
    assert_eq!(challenge.len(), 1, "{state:?}");
    assert_eq!(challenge[0].attr("type").as_str(), Some("TXT"));
    assert_eq!(
        challenge[0].attr("domain").as_str(),
        Some("_vercel.example.org")
    );
    assert_stable(&b, D, &state, &plain).await;
    let (data, _) = b
        .read_data_source(D, &data_cfg(&b, &pb, "app.example.org"))
        .await;
    let kinds: Vec<_> = data
        .attr("dns_records")
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.attr("type").as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds, ["CNAME", "TXT"], "{data:?}");

    // With a 2 s wait: the wait uses it all, names the timeout and quotes Vercel's reason; the
    // domain exists, so the failed create keeps it in state.
    let waiting = domain_cfg(
        &b,
        &pb,
        "api.example.org",
        &[
            ("wait_for_verification", Value::Bool(true)),
            ("timeouts", Value::object([("create", Value::string("2s"))])),
        ],
    );
    let plan = b.plan_resource_change(D, &Value::Null, &waiting, &waiting);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    let started = std::time::Instant::now();
    let (partial, diags) = b
        .apply_resource_change(D, &Value::Null, &plan.planned, &waiting)
        .await;
    let waited = started.elapsed();
    assert!(diags.has_errors(), "the wait must time out");
    let text = diags.to_string();
    assert!(text.contains("timeouts.create"), "{text}");
    assert!(text.contains("_vercel.example.org"), "{text}");
    assert!(
        waited >= Duration::from_secs(2),
        "gave up early: {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "overshot: {waited:?}");
    assert_eq!(partial.attr("domain").as_str(), Some("api.example.org"));
}

#[tokio::test]
async fn the_wait_ends_once_vercel_verifies_the_domain() {
    let emu = TestEmulator::start(Config::default()).await;
    let (a, b, held, pb) = contested(&emu).await;
    let waiting = domain_cfg(
        &b,
        &pb,
        "app.example.org",
        &[("wait_for_verification", Value::Bool(true))],
    );
    let plan = b.plan_resource_change(D, &Value::Null, &waiting, &waiting);
    // The other account gives the apex up a second into the wait.
    let release = async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (_, diags) = a
            .apply_resource_change(D, &held, &Value::Null, &Value::Null)
            .await;
        assert!(!diags.has_errors(), "{diags}");
    };
    let ((state, diags), ()) = tokio::join!(
        b.apply_resource_change(D, &Value::Null, &plan.planned, &waiting),
        release
    );
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(state.attr("verified"), &Value::Bool(true));
    assert_eq!(
        state.attr("verification").elements().map(<[Value]>::len),
        Some(0)
    );
    assert_stable(&b, D, &state, &waiting).await;
}
