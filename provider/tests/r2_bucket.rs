//! In-process tier for r2_bucket: the resource against the emulator, no Terraform.

mod common;

use common::*;
use paasform::framework::Value;
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, paasform::framework::Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "r2",
        &[
            ("api_token", Value::string("cf-test-token")),
            ("account_id", Value::string("acct123")),
            ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    (emu, host)
}

fn strings(v: &[&str]) -> Value {
    Value::List(v.iter().map(|s| Value::string(*s)).collect())
}

fn cors(origins: &[&str]) -> Value {
    Value::List(vec![Value::object([
        (
            "allowed",
            Value::object([
                ("origins", strings(origins)),
                ("methods", strings(&["GET", "PUT"])),
                ("headers", Value::Null),
            ]),
        ),
        ("id", Value::Null),
        ("expose_headers", Value::Null),
        ("max_age_seconds", Value::int(3600)),
    ])])
}

fn lifecycle(days: i64) -> Value {
    Value::List(vec![Value::object([
        ("id", Value::string("expire-exports")),
        ("enabled", Value::Null),
        ("prefix", Value::string("exports/")),
        ("delete_objects_after_days", Value::int(days)),
        ("delete_objects_on_date", Value::Null),
        ("abort_multipart_uploads_after_days", Value::int(7)),
        ("storage_class_transitions", Value::Null),
    ])])
}

#[tokio::test]
async fn bucket_lifecycle_is_stable_through_updates_and_import() {
    let (_emu, host) = setup().await;
    let t = "r2_bucket";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("soc2-evidence")),
            ("location", Value::string("enam")),
            ("cors", cors(&["https://app.example.com"])),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("id"), &Value::string("soc2-evidence"));
    assert_eq!(state.attr("account_id"), &Value::string("acct123"));
    let state = assert_stable(&host, t, &state, &cfg).await;

    // In place: storage class, CORS, lifecycle.
    let cfg2 = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("soc2-evidence")),
            ("location", Value::string("enam")),
            ("storage_class", Value::string("InfrequentAccess")),
            (
                "cors",
                cors(&["https://app.example.com", "https://admin.example.com"]),
            ),
            ("lifecycle_rules", lifecycle(365)),
        ],
    );
    let (state2, replace) = apply(&host, t, &state, &cfg2).await;
    assert!(
        replace.is_empty(),
        "in-place update expected, got replace {replace:?}"
    );
    let state2 = assert_stable(&host, t, &state2, &cfg2).await;
    assert_eq!(
        state2.attr("storage_class"),
        &Value::string("InfrequentAccess")
    );

    // Replace on jurisdiction.
    let cfg3 = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("soc2-evidence")),
            ("jurisdiction", Value::string("eu")),
        ],
    );
    let plan = host.plan_resource_change(t, &state2, &proposed(&host, t, &state2, &cfg3), &cfg3);
    assert!(
        plan.requires_replace
            .iter()
            .any(|p| p.to_string() == "jurisdiction"),
        "{:?}",
        plan.requires_replace
    );

    // Import with the account/name id: the same object, no replacement for the same config.
    let (imported, diags) = host.import_resource_state(t, "acct123/soc2-evidence").await;
    assert!(!diags.has_errors(), "{diags}");
    let plan =
        host.plan_resource_change(t, &imported, &proposed(&host, t, &imported, &cfg2), &cfg2);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    assert_eq!(plan.planned, imported, "import then plan shows no change");

    let (gone, diags) = host
        .apply_resource_change(t, &state2, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (_, diags) = host
        .apply_resource_change(t, &state2, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "already gone is success: {diags}");
    let (after, _) = host.read_resource(t, &state2).await;
    assert!(after.is_null());
}

#[tokio::test]
async fn non_empty_bucket_delete_explains_itself() {
    let (emu, host) = setup().await;
    let t = "r2_bucket";
    let cfg = resource_config(&host, t, &[("name", Value::string("full-bucket"))]);
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let resp = reqwest::Client::new()
        .post(format!(
            "http://{}/cloudflare/client/v4/_emulator/r2/acct123/full-bucket/objects?count=3",
            emu.addr
        ))
        .send()
        .await
        .expect("hook");
    assert!(resp.status().is_success());
    let (kept, diags) = host
        .apply_resource_change(t, &state, &Value::Null, &Value::Null)
        .await;
    assert!(diags.has_errors());
    assert!(!kept.is_null(), "a failed delete keeps the bucket in state");
    assert!(diags.to_string().contains("not empty"), "{diags}");
}

#[tokio::test]
async fn invalid_configs_fail_validation_without_requests() {
    let (emu, host) = setup().await;
    let t = "r2_bucket";
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("name", vec![("name", Value::string("Bad_Name"))]),
        ("name", vec![("name", Value::string("-edge"))]),
        ("name", vec![("name", Value::string("ab"))]),
        (
            "location",
            vec![
                ("name", Value::string("ok-name")),
                ("location", Value::string("mars")),
            ],
        ),
        (
            "jurisdiction",
            vec![
                ("name", Value::string("ok-name")),
                ("jurisdiction", Value::string("us")),
            ],
        ),
        (
            "storage_class",
            vec![
                ("name", Value::string("ok-name")),
                ("storage_class", Value::string("Glacier")),
            ],
        ),
        (
            "cors",
            vec![
                ("name", Value::string("ok-name")),
                ("cors", Value::List(vec![])),
            ],
        ),
    ];
    for (path, pairs) in cases {
        let cfg = resource_config(&host, t, &pairs);
        let diags = host.validate_resource_config(t, &cfg);
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "case {path}: {diags}"
        );
    }
    for bad in ["", "acct", "acct/bad_name", "acct/us/name-ok", "a/b/c/d"] {
        let (_, diags) = host.import_resource_state(t, bad).await;
        assert!(diags.has_errors(), "import id {bad:?} must be rejected");
    }
    assert_eq!(
        emu.request_total().await,
        0,
        "no HTTP request for invalid input"
    );
}

/// Issue 16: the bucket and its managed sub-objects are read in one concurrent wave, and the
/// follow-up writes after a create overlap too. The emulator's high-water mark of requests in
/// flight is the proof (a small added latency keeps the requests open long enough to meet); the
/// request counts show nothing extra is read.
#[tokio::test]
async fn sub_reads_and_follow_up_writes_run_concurrently() {
    let emu = TestEmulator::start(Config {
        latency_ms: 100,
        ..Default::default()
    })
    .await;
    let host = host(
        "r2",
        &[
            ("api_token", Value::string("cf-test-token")),
            ("account_id", Value::string("acct123")),
            ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    let t = "r2_bucket";
    let domain = Value::object([
        ("domain", Value::string("files.example.com")),
        ("zone_id", Value::string("0123456789abcdef0123456789abcdef")),
        ("enabled", Value::Null),
        ("min_tls", Value::Null),
    ]);
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("wave-bucket")),
            ("cors", cors(&["https://app.example.com"])),
            ("lifecycle_rules", lifecycle(30)),
            ("custom_domains", Value::set(vec![domain])),
            ("public_dev_domain_enabled", Value::Bool(true)),
        ],
    );
    emu.reset_requests().await;
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let create_peak = emu.get("/_emulator/concurrency").await["peak"].as_u64();
    // CORS, lifecycle, the custom domain and r2.dev access are four independent writes.
    assert!(
        create_peak >= Some(4),
        "follow-up writes after the create overlap: peak {create_peak:?}"
    );

    emu.reset_requests().await;
    let (read, diags) = host.read_resource(t, &state).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        read, state,
        "a refresh right after the create changes nothing"
    );
    let peak = emu.get("/_emulator/concurrency").await["peak"].as_u64();
    let counts = emu.get("/_emulator/requests").await;
    let total: u64 = counts
        .as_object()
        .map(|m| m.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(
        total, 5,
        "bucket + CORS + lifecycle + domains + r2.dev: {counts}"
    );
    assert_eq!(peak, Some(5), "all five reads are in flight at once");
}
