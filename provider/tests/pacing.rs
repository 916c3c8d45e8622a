//! Pacing under a vendor's rate limit, in process: many concurrent reads against an emulator
//! whose rate limit is on (answering with Render's documented `Ratelimit-*` headers) finish
//! without a single 429, because the client spreads the reported budget until its reset.
//! Imports only the crate's public API and the shared test set-up in `common`.

mod common;

use std::time::{Duration, Instant};

use common::{host, object_of, TestEmulator};
use paasform::framework::Value;
use paasform_emulator::Config;

#[tokio::test]
async fn concurrent_reads_stay_under_the_reported_rate_limit() {
    // 20 requests per 2 s window per credential: the same shape as Render's 400 GETs a minute,
    // scaled down so the test takes seconds.
    let emu = TestEmulator::start(Config {
        rate_limit_per_minute: 20,
        rate_limit_window: Some(Duration::from_secs(2)),
        ..Default::default()
    })
    .await;
    let host = host(
        "render",
        &[
            ("api_key", Value::string("rnd_test")),
            ("owner_id", Value::string("tea-emulator")),
            ("base_url", Value::string(emu.url("render/v1"))),
        ],
    )
    .await;
    let names: Vec<String> = host
        .resource_schema("render_database")
        .expect("render_database")
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    // States of databases that no longer exist: each read is one GET answered 404 (dropped).
    let states: Vec<Value> = (0..60)
        .map(|i| object_of(&names, &[("id", Value::string(format!("dpg-gone{i:03}")))]))
        .collect();
    let start = Instant::now();
    let reads = futures::future::join_all(
        states
            .iter()
            .map(|s| host.read_resource("render_database", s)),
    )
    .await;
    let took = start.elapsed();
    for (state, diags) in &reads {
        assert!(!diags.has_errors(), "read failed: {diags}");
        assert!(state.is_null(), "a gone database drops from state");
    }
    let refused = emu.get("/_emulator/rate-limited").await["count"]
        .as_u64()
        .unwrap_or(u64::MAX);
    assert_eq!(refused, 0, "the client ran into the rate limit ({took:?})");
    // 60 reads at 20 per 2 s need at least two resets.
    assert!(
        took >= Duration::from_secs(4),
        "60 reads in {took:?}: the limit was not enforced"
    );
}
