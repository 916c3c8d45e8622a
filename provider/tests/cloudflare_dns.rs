//! In-process tier for cloudflare_dns_record and the cloudflare_zone data source: the resource
//! against the emulator (strict-spec), no Terraform — spelling kept with no diff, update in
//! place, type change = replace, import by id and by identity, delete leaves the zone empty.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const ACCT: &str = "acct123";
const T: &str = "cloudflare_dns_record";

async fn setup() -> (TestEmulator, Host, String) {
    let emu = TestEmulator::start(Config {
        cloudflare_zones: vec![format!("example.test@{ACCT}")],
        ..Config::default()
    })
    .await;
    let host = host(
        "cloudflare",
        &[
            ("api_token", Value::string("cf-test-token")),
            ("account_id", Value::string(ACCT)),
            ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    // A data-source lookup seeds the zone; its id is what records name.
    let cfg = data_source_config(
        &host,
        "cloudflare_zone",
        &[("name", Value::string("example.test"))],
    );
    let (zone, diags) = host.read_data_source("cloudflare_zone", &cfg).await;
    assert!(!diags.has_errors(), "{diags}");
    let zone_id = zone.attr("id").as_str().expect("zone id").to_string();
    (emu, host, zone_id)
}

fn record(host: &Host, zone: &str, pairs: &[(&str, Value)]) -> Value {
    let mut all = vec![("zone_id", Value::string(zone))];
    all.extend(pairs.iter().cloned());
    resource_config(host, T, &all)
}

async fn emulator_record(emu: &TestEmulator, id: &str) -> serde_json::Value {
    emu.state().await["cf_dns"]["dns_records"][id].clone()
}

#[tokio::test]
async fn record_lifecycle_keeps_spelling_updates_replaces_imports_and_deletes() {
    let (emu, host, zone) = setup().await;
    let s = Value::string;
    let cfg = record(
        &host,
        &zone,
        &[
            ("name", s("www")),
            ("type", s("AAAA")),
            ("content", s("2001:DB8:0:0::1")),
            ("ttl", Value::int(300)),
            ("comment", s("made by paasform")),
            ("tags", Value::set(vec![s("env:prod")])),
        ],
    );
    let (state, _) = apply(&host, T, &Value::Null, &cfg).await;
    let id = state.attr("id").as_str().expect("id").to_string();
    assert_eq!(state.attr("name"), &s("www"));
    assert_eq!(state.attr("content"), &s("2001:DB8:0:0::1"));
    assert_eq!(state.attr("hostname"), &s("www.example.test"));
    assert_eq!(state.attr("proxiable"), &Value::Bool(true));
    let stored = emulator_record(&emu, &id).await;
    assert_eq!(stored["content"], "2001:db8::1", "the API normalises");
    assert_eq!(stored["name"], "www.example.test");
    let state = assert_stable(&host, T, &state, &cfg).await;

    // Update in place: a new TTL, the comment and tags dropped.
    let cfg2 = record(
        &host,
        &zone,
        &[
            ("name", s("www")),
            ("type", s("AAAA")),
            ("content", s("2001:db8::2")),
            ("ttl", Value::int(600)),
        ],
    );
    let (state, replace) = apply(&host, T, &state, &cfg2).await;
    assert!(replace.is_empty(), "{replace:?}");
    assert_eq!(state.attr("id"), &s(&id));
    let stored = emulator_record(&emu, &id).await;
    assert_eq!(stored["ttl"], 600);
    assert!(stored["comment"].is_null() && stored["tags"] == serde_json::json!([]));
    let state = assert_stable(&host, T, &state, &cfg2).await;

    // Import by <zone_id>/<id> and by identity: the API's (fully qualified) spelling.
    let (imported, diags) = host.import_resource_state(T, &format!("{zone}/{id}")).await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource(T, &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported.attr("name"), &s("www.example.test"));
    assert_eq!(imported.attr("ttl"), &Value::int(600));
    let fqdn = record(
        &host,
        &zone,
        &[
            ("name", s("www.example.test")),
            ("type", s("AAAA")),
            ("content", s("2001:db8::2")),
            ("ttl", Value::int(600)),
        ],
    );
    assert_stable(&host, T, &imported, &fqdn).await;
    let identity = Value::object([("zone_id", s(&zone)), ("id", s(&id))]);
    let (by_identity, diags) = host.import_resource_identity(T, &identity).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(by_identity.attr("id"), &s(&id));

    // A type change replaces the record.
    let cfg3 = record(
        &host,
        &zone,
        &[
            ("name", s("www")),
            ("type", s("A")),
            ("content", s("192.0.2.7")),
        ],
    );
    let plan = host.plan_resource_change(T, &state, &proposed(&host, T, &state, &cfg3), &cfg3);
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    assert_eq!(
        plan.requires_replace
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        vec!["type".to_string()]
    );

    let (gone, diags) = host
        .apply_resource_change(T, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "delete: {diags}");
    assert!(gone.is_null());
    let (after, _) = host.read_resource(T, &state).await;
    assert!(after.is_null(), "a deleted record leaves the state");
}

#[tokio::test]
async fn every_type_applies_stably_and_the_zone_is_empty_after_destroy() {
    let (emu, host, zone) = setup().await;
    let s = Value::string;
    let cases = vec![
        vec![
            ("name", s("api")),
            ("type", s("CNAME")),
            ("content", s("Abc.cfargotunnel.com.")),
            ("proxied", Value::Bool(true)),
        ],
        vec![
            ("name", s("@")),
            ("type", s("MX")),
            ("content", s("mail.example.test")),
            ("priority", Value::int(10)),
        ],
        vec![
            ("name", s("_dmarc")),
            ("type", s("TXT")),
            ("content", s("v=DMARC1; p=none")),
        ],
        vec![
            ("name", s("example.test")),
            ("type", s("CAA")),
            ("content", s("0 issue \"letsencrypt.org\"")),
        ],
        vec![
            ("name", s("*.apps")),
            ("type", s("A")),
            ("content", s("192.0.2.1")),
        ],
    ];
    let mut states = Vec::new();
    for pairs in &cases {
        let cfg = record(&host, &zone, pairs);
        let (state, _) = apply(&host, T, &Value::Null, &cfg).await;
        states.push(assert_stable(&host, T, &state, &cfg).await);
    }
    assert_eq!(states[0].attr("ttl"), &Value::int(1), "proxied ⇒ automatic");
    assert_eq!(states[0].attr("content"), &s("Abc.cfargotunnel.com."));
    assert_eq!(states[1].attr("hostname"), &s("example.test"));

    // Cloudflare's duplicate rule surfaces as the API's error.
    let dup = record(&host, &zone, &cases[0]);
    let plan = host.plan_resource_change(
        T,
        &Value::Null,
        &proposed(&host, T, &Value::Null, &dup),
        &dup,
    );
    let (_, diags) = host
        .apply_resource_change(T, &Value::Null, &plan.planned, &dup)
        .await;
    assert!(
        diags
            .to_string()
            .contains("record already exists. (code 81058)"),
        "{diags}"
    );

    for st in &states {
        let (_, diags) = host
            .apply_resource_change(T, st, &Value::Null, &Value::Null)
            .await;
        assert!(!diags.has_errors(), "{diags}");
    }
    let world = emu.state().await;
    assert_eq!(world["cf_dns"]["dns_records"], serde_json::json!({}));
}

#[tokio::test]
async fn zone_lookup_by_name_by_account_and_by_id() {
    let (emu, host, zone) = setup().await;
    let ds = "cloudflare_zone";
    let by_id = data_source_config(&host, ds, &[("zone_id", Value::string(&zone))]);
    let (z, diags) = host.read_data_source(ds, &by_id).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(z.attr("name"), &Value::string("example.test"));
    assert_eq!(z.attr("account_id"), &Value::string(ACCT));
    assert_eq!(z.attr("status"), &Value::string("active"));
    assert_eq!(
        z.attr("name_servers").elements().map(<[Value]>::len),
        Some(2)
    );
    let by_account = data_source_config(
        &host,
        ds,
        &[
            ("name", Value::string("example.test")),
            ("account_id", Value::string(ACCT)),
        ],
    );
    let (z2, diags) = host.read_data_source(ds, &by_account).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(z2.attr("id"), &Value::string(&zone));
    // A zone the token cannot see: a clear error on the name.
    let missing = data_source_config(
        &host,
        ds,
        &[
            ("name", Value::string("example.test")),
            ("account_id", Value::string("someoneelse")),
        ],
    );
    let (_, diags) = host.read_data_source(ds, &missing).await;
    assert!(diags.to_string().contains("example.test"), "{diags}");
    assert!(emu.violations().is_empty());
}
