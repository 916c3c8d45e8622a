//! In-process tier for the tailnet-wide Tailscale types against the emulator (strict spec): the
//! policy file (`tailscale_acl`: takeover rules, ETag race, import, reset), the device data
//! sources (by name, by hostname, waiting for a device to join, filters), the device settings
//! resources and DNS preferences. No Terraform.

mod common;

use std::time::Duration;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;
use serde_json::json;

const TOKEN: &str = "tskey-api-test";

async fn setup(devices: &[&str]) -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config {
        tailscale_devices: devices.iter().map(|d| d.to_string()).collect(),
        ..Config::default()
    })
    .await;
    let host = host(
        "tailscale",
        &[
            ("api_key", Value::string(TOKEN)),
            ("base_url", Value::string(emu.url("tailscale"))),
        ],
    )
    .await;
    (emu, host)
}

/// The Tailscale API as someone else (the admin console) would call it.
async fn api(
    emu: &TestEmulator,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let url = format!("{}/api/v2{path}", emu.url("tailscale"));
    let mut req = reqwest::Client::new()
        .request(method.parse().expect("method"), url)
        .bearer_auth(TOKEN);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("request")
}

async fn policy_json(emu: &TestEmulator) -> serde_json::Value {
    api(emu, "GET", "/tailnet/-/acl", None)
        .await
        .json()
        .await
        .expect("json")
}

fn data_config(host: &Host, ds: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = host.data_source_schema(ds).expect("data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs)
}

const POLICY: &str = "// managed by Terraform\n{\n  \"tagOwners\": {\"tag:orchestrator\": [\"autogroup:admin\"]},\n  \"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]},],\n}\n";

#[tokio::test]
async fn acl_takes_over_the_default_keeps_its_spelling_and_imports_without_diff() {
    let (emu, host) = setup(&[]).await;
    let cfg = resource_config(
        &host,
        "tailscale_acl",
        &[
            ("acl", Value::string(POLICY)),
            ("reset_acl_on_destroy", Value::Bool(true)),
        ],
    );
    let (state, _) = apply(&host, "tailscale_acl", &Value::Null, &cfg).await;
    assert_eq!(state.attr("id").as_str(), Some("acl"));
    assert_eq!(
        state.attr("acl").as_str(),
        Some(POLICY),
        "the HuJSON spelling stays"
    );
    assert!(state.attr("etag").as_str().is_some());
    assert_eq!(
        policy_json(&emu).await["tagOwners"],
        json!({"tag:orchestrator": ["autogroup:admin"]})
    );
    let state = assert_stable(&host, "tailscale_acl", &state, &cfg).await;

    // Update: a new grant is written with the ETag read.
    let updated = POLICY.replace("\"acls\"", "\"grants\": [{\"src\": [\"tag:orchestrator\"], \"dst\": [\"tag:desktop\"], \"ip\": [\"*\"]}],\n  \"acls\"");
    let cfg2 = resource_config(
        &host,
        "tailscale_acl",
        &[
            ("acl", Value::string(&updated)),
            ("reset_acl_on_destroy", Value::Bool(true)),
        ],
    );
    let (state, _) = apply(&host, "tailscale_acl", &state, &cfg2).await;
    assert_eq!(
        policy_json(&emu).await["grants"][0]["dst"],
        json!(["tag:desktop"])
    );

    // Import as `acl`: the canonical JSON, which `jsonencode` of the same policy matches.
    let (imported, diags) = host.import_resource_state("tailscale_acl", "acl").await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, diags) = host.read_resource("tailscale_acl", &imported).await;
    assert!(!diags.has_errors(), "{diags}");
    let canonical = imported.attr("acl").as_str().expect("acl").to_string();
    assert!(canonical.starts_with("{\"acls\":"), "{canonical}");
    let jsonenc = resource_config(
        &host,
        "tailscale_acl",
        &[
            ("acl", Value::string(&canonical)),
            ("reset_acl_on_destroy", Value::Bool(true)),
        ],
    );
    let plan = host.plan_resource_change(
        "tailscale_acl",
        &imported,
        &proposed(&host, "tailscale_acl", &imported, &jsonenc),
        &jsonenc,
    );
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    let imported_flags = {
        let mut v = imported.clone();
        v.set_attr("reset_acl_on_destroy", Value::Bool(true));
        v
    };
    assert_eq!(
        plan.planned, imported_flags,
        "import then plan is empty apart from the flag"
    );
    let (_, bad) = host.import_resource_state("tailscale_acl", "policy").await;
    assert!(
        bad.has_errors() && bad.to_string().contains("\"acl\""),
        "{bad}"
    );

    // Destroy with reset: the default policy is back, nothing left.
    let (gone, diags) = host
        .apply_resource_change("tailscale_acl", &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let tailnets = emu.state().await["tailscale"]["tailnets"].clone();
    assert!(
        tailnets
            .as_object()
            .expect("tailnets")
            .values()
            .all(|t| t["policy"].is_null()),
        "{tailnets}"
    );
}

#[tokio::test]
async fn acl_changed_outside_between_plan_and_apply_fails_and_overwrites_nothing() {
    let (emu, host) = setup(&[]).await;
    let cfg = resource_config(&host, "tailscale_acl", &[("acl", Value::string(POLICY))]);
    let (state, _) = apply(&host, "tailscale_acl", &Value::Null, &cfg).await;
    let cfg2 = resource_config(
        &host,
        "tailscale_acl",
        &[("acl", Value::string("{\"acls\": []}"))],
    );
    let plan = host.plan_resource_change(
        "tailscale_acl",
        &state,
        &proposed(&host, "tailscale_acl", &state, &cfg2),
        &cfg2,
    );
    assert!(!plan.diags.has_errors(), "{}", plan.diags);
    // Someone edits the policy in the admin console after the plan.
    let outside = json!({"acls": [{"action": "accept", "src": ["group:ops"], "dst": ["*:22"]}]});
    assert!(api(&emu, "POST", "/tailnet/-/acl", Some(outside.clone()))
        .await
        .status()
        .is_success());
    let before = emu.request_total().await;
    let (_, diags) = host
        .apply_resource_change("tailscale_acl", &state, &plan.planned, &cfg2)
        .await;
    let text = diags.to_string();
    assert!(
        diags.has_errors()
            && text.contains("changed outside Terraform")
            && text.contains("overwrote nothing"),
        "{text}"
    );
    assert_eq!(
        emu.request_total().await - before,
        1,
        "one guarded write, no retry, no blind second write"
    );
    assert_eq!(
        policy_json(&emu).await,
        outside,
        "the outside change survives"
    );
}

#[tokio::test]
async fn acl_create_refuses_an_edited_policy_unless_told_to_overwrite() {
    let (emu, host) = setup(&[]).await;
    let edited = json!({"acls": [], "hosts": {"nas": "100.64.0.9"}});
    assert!(api(&emu, "POST", "/tailnet/-/acl", Some(edited.clone()))
        .await
        .status()
        .is_success());
    let cfg = resource_config(&host, "tailscale_acl", &[("acl", Value::string(POLICY))]);
    let plan = host.plan_resource_change("tailscale_acl", &Value::Null, &cfg, &cfg);
    let (_, diags) = host
        .apply_resource_change("tailscale_acl", &Value::Null, &plan.planned, &cfg)
        .await;
    assert!(
        diags
            .to_string()
            .contains("overwrite_existing_content = true"),
        "{diags}"
    );
    assert_eq!(policy_json(&emu).await, edited, "nothing overwritten");

    let cfg = resource_config(
        &host,
        "tailscale_acl",
        &[
            ("acl", Value::string(POLICY)),
            ("overwrite_existing_content", Value::Bool(true)),
        ],
    );
    let (state, _) = apply(&host, "tailscale_acl", &Value::Null, &cfg).await;
    assert!(state.attr("etag").as_str().is_some());
    assert!(policy_json(&emu).await.get("tagOwners").is_some());
}

#[tokio::test]
async fn malformed_policies_fail_at_validate_with_no_request() {
    let (emu, host) = setup(&[]).await;
    for bad in ["{\"acls\": [", "[1, 2]", "{} /* open"] {
        let cfg = resource_config(&host, "tailscale_acl", &[("acl", Value::string(bad))]);
        let diags = host.validate_resource_config("tailscale_acl", &cfg);
        assert_eq!(errors_at(&diags), vec!["acl".to_string()], "{bad}: {diags}");
    }
    assert_eq!(emu.request_total().await, 0);
}

#[tokio::test]
async fn device_is_found_by_name_or_hostname_and_waited_for() {
    let (emu, host) = setup(&["desktop:100.64.0.7", "laptop"]).await;
    let (by_host, diags) = host
        .read_data_source(
            "tailscale_device",
            &data_config(
                &host,
                "tailscale_device",
                &[("hostname", Value::string("desktop"))],
            ),
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        by_host.attr("addresses").elements().expect("list")[0].as_str(),
        Some("100.64.0.7")
    );
    assert_eq!(by_host.attr("authorized"), &Value::Bool(false));
    let name = by_host.attr("name").as_str().expect("name").to_string();
    let (by_name, diags) = host
        .read_data_source(
            "tailscale_device",
            &data_config(&host, "tailscale_device", &[("name", Value::string(&name))]),
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(by_name.attr("id"), by_host.attr("id"));

    let (_, diags) = host
        .read_data_source(
            "tailscale_device",
            &data_config(
                &host,
                "tailscale_device",
                &[("hostname", Value::string("nas"))],
            ),
        )
        .await;
    assert!(
        diags
            .to_string()
            .contains("No Tailscale device with hostname \"nas\""),
        "{diags}"
    );

    // A device that joins while the data source waits is found.
    let url = format!("http://{}/_emulator/tailscale/devices", emu.addr);
    let joiner = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        reqwest::Client::new()
            .post(url)
            .json(&json!({"name": "nas"}))
            .send()
            .await
            .expect("hook")
    });
    let (nas, diags) = host
        .read_data_source(
            "tailscale_device",
            &data_config(
                &host,
                "tailscale_device",
                &[
                    ("hostname", Value::string("nas")),
                    ("wait_for", Value::string("30s")),
                ],
            ),
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(nas.attr("hostname").as_str(), Some("nas"));
    assert!(joiner.await.expect("joined").status().is_success());

    let (all, diags) = host
        .read_data_source(
            "tailscale_devices",
            &data_config(
                &host,
                "tailscale_devices",
                &[("name_prefix", Value::string("la"))],
            ),
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let found = all.attr("devices").elements().expect("devices");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].attr("hostname").as_str(), Some("laptop"));
}

#[tokio::test]
async fn device_settings_apply_read_import_and_reset() {
    let (emu, host) = setup(&["desktop"]).await;
    let (d, _) = host
        .read_data_source(
            "tailscale_device",
            &data_config(
                &host,
                "tailscale_device",
                &[("hostname", Value::string("desktop"))],
            ),
        )
        .await;
    let id = d.attr("id").clone();
    let id_str = id.as_str().expect("id").to_string();
    let tags = |t: &[&str]| Value::set(t.iter().map(|s| Value::string(*s)).collect());
    type Pairs = Vec<(&'static str, Value)>;
    let cases: Vec<(&str, Pairs, Pairs)> = vec![
        (
            "tailscale_device_authorization",
            vec![("authorized", Value::Bool(true))],
            vec![("authorized", Value::Bool(false))],
        ),
        (
            "tailscale_device_tags",
            vec![("tags", tags(&["tag:desktop"]))],
            vec![("tags", tags(&["tag:desktop", "tag:gpu"]))],
        ),
        (
            "tailscale_device_key",
            vec![("key_expiry_disabled", Value::Bool(true))],
            vec![("key_expiry_disabled", Value::Bool(false))],
        ),
    ];
    for (ty, first, second) in cases {
        let with = |pairs: &[(&str, Value)]| {
            let mut p = vec![("device_id", id.clone())];
            p.extend(pairs.iter().cloned());
            resource_config(&host, ty, &p)
        };
        let cfg = with(&first);
        let (state, _) = apply(&host, ty, &Value::Null, &cfg).await;
        assert_eq!(state.attr("id"), &id, "{ty}");
        let state = assert_stable(&host, ty, &state, &cfg).await;
        let cfg2 = with(&second);
        let (state, replaced) = apply(&host, ty, &state, &cfg2).await;
        assert!(replaced.is_empty(), "{ty} updates in place");
        let state = assert_stable(&host, ty, &state, &cfg2).await;
        let (imported, diags) = host.import_resource_state(ty, &id_str).await;
        assert!(!diags.has_errors(), "{ty}: {diags}");
        let (imported, diags) = host.read_resource(ty, &imported).await;
        assert!(!diags.has_errors(), "{ty}: {diags}");
        assert_eq!(imported, state, "{ty}: import reads what apply wrote");
        let (gone, diags) = host
            .apply_resource_change(ty, &state, &Value::Null, &Value::Null)
            .await;
        assert!(gone.is_null() && !diags.has_errors(), "{ty}: {diags}");
    }
    let device = api(&emu, "GET", &format!("/device/{id_str}"), None)
        .await
        .json::<serde_json::Value>()
        .await
        .expect("device");
    assert_eq!(device["tags"], json!([]), "destroy removed the tags");
    assert_eq!(
        device["keyExpiryDisabled"],
        json!(false),
        "destroy turned key expiry back on"
    );

    let (gone, diags) = host
        .read_resource(
            "tailscale_device_key",
            &resource_config(
                &host,
                "tailscale_device_key",
                &[
                    ("device_id", Value::string("nNOSUCHCNTRL")),
                    ("id", Value::string("nNOSUCHCNTRL")),
                ],
            ),
        )
        .await;
    assert!(
        gone.is_null() && !diags.has_errors(),
        "a device that left drops out of state: {diags}"
    );
}

#[tokio::test]
async fn dns_preferences_follow_the_nameserver_rule_and_destroy_turns_magic_dns_off() {
    let (emu, host) = setup(&[]).await;
    let cfg = |on: bool| {
        resource_config(
            &host,
            "tailscale_dns_preferences",
            &[("magic_dns", Value::Bool(on))],
        )
    };
    let (state, _) = apply(
        &host,
        "tailscale_dns_preferences",
        &Value::Null,
        &cfg(false),
    )
    .await;
    let state = assert_stable(&host, "tailscale_dns_preferences", &state, &cfg(false)).await;
    let plan =
        host.plan_resource_change("tailscale_dns_preferences", &state, &cfg(true), &cfg(true));
    let (_, diags) = host
        .apply_resource_change(
            "tailscale_dns_preferences",
            &state,
            &plan.planned,
            &cfg(true),
        )
        .await;
    assert!(
        diags.to_string().contains("nameserver"),
        "Tailscale's refusal is passed on: {diags}"
    );
    assert!(api(
        &emu,
        "POST",
        "/tailnet/-/dns/nameservers",
        Some(json!({"dns": ["1.1.1.1"]}))
    )
    .await
    .status()
    .is_success());
    let (state, _) = apply(&host, "tailscale_dns_preferences", &state, &cfg(true)).await;
    assert_eq!(state.attr("magic_dns"), &Value::Bool(true));
    let (imported, diags) = host
        .import_resource_state("tailscale_dns_preferences", "dns_preferences")
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (imported, _) = host
        .read_resource("tailscale_dns_preferences", &imported)
        .await;
    assert_eq!(imported, state);
    let (_, diags) = host
        .apply_resource_change(
            "tailscale_dns_preferences",
            &state,
            &Value::Null,
            &Value::Null,
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let prefs = api(&emu, "GET", "/tailnet/-/dns/preferences", None)
        .await
        .json::<serde_json::Value>()
        .await
        .expect("prefs");
    assert_eq!(prefs, json!({"magicDNS": false}));
}
