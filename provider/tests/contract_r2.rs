//! Contract tier, R2: the two off-spec requests issue #17 found, shown by the emulator's
//! strict-spec check (every in-process test runs with it; these tests name the cases). A storage
//! class change is `PATCH …/r2/buckets/{name}` with no body (the class travels in the
//! `cf-r2-storage-class` header), and a `location` written in upper case is sent in the spec's
//! lower-case enum while state keeps the user's spelling.

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

#[tokio::test]
async fn upper_case_location_is_sent_in_the_spec_enum_and_kept_in_state() {
    let (emu, host) = setup().await;
    let t = "r2_bucket";
    let cfg = resource_config(
        &host,
        t,
        &[
            ("name", Value::string("eu-assets")),
            ("location", Value::string("WEUR")),
        ],
    );
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("location"), &Value::string("WEUR"));
    let state = assert_stable(&host, t, &state, &cfg).await;
    assert_eq!(
        state.attr("location"),
        &Value::string("WEUR"),
        "the user's spelling"
    );
    let bucket = &emu.state().await["r2"];
    assert!(
        bucket.to_string().contains("\"WEUR\""),
        "the bucket really is in weur: {bucket}"
    );
    assert!(
        emu.spec_checked() >= 2,
        "the strict-spec check ran: {}",
        emu.spec_checked()
    );
    assert_eq!(emu.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn storage_class_change_sends_no_body() {
    let (emu, host) = setup().await;
    let t = "r2_bucket";
    let named = |class: Option<&str>| {
        let mut pairs = vec![("name", Value::string("archive"))];
        if let Some(c) = class {
            pairs.push(("storage_class", Value::string(c)));
        }
        resource_config(&host, t, &pairs)
    };
    let (state, _) = apply(&host, t, &Value::Null, &named(None)).await;
    let cfg = named(Some("InfrequentAccess"));
    let (state, replace) = apply(&host, t, &state, &cfg).await;
    assert!(replace.is_empty(), "{replace:?}");
    let state = assert_stable(&host, t, &state, &cfg).await;
    assert_eq!(
        state.attr("storage_class"),
        &Value::string("InfrequentAccess")
    );
    let counts = emu.get("/_emulator/requests").await;
    assert_eq!(
        counts["PATCH /cloudflare/client/v4/accounts/{account_id}/r2/buckets/{bucket_name}"], 1,
        "{counts}"
    );
    assert!(
        emu.spec_checked() >= 2,
        "the strict-spec check ran: {}",
        emu.spec_checked()
    );
    assert_eq!(emu.violations(), Vec::<String>::new());
}
