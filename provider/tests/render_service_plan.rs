//! Issue 18, plan noise: an in-place update of a web service that changes one attribute plans
//! exactly that attribute. Server-side values the change does not alter (`custom_domain_status`,
//! `environment_id`, `publish_path`, `updated_at`, …) keep their prior values instead of showing
//! as "(known after apply)".

mod common;

use common::*;
use paasform::framework::Value;
use paasform_emulator::Config;

const SVC: &str = "render_service";

fn s(v: &str) -> Value {
    Value::string(v)
}

/// Top-level attributes whose planned value differs from the prior state's.
fn moved(prior: &Value, planned: &Value) -> Vec<String> {
    let (Some(p), Some(q)) = (planned.entries(), prior.entries()) else {
        return vec!["<not objects>".into()];
    };
    p.iter()
        .filter(|(k, v)| q.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}{}", if v.is_unknown() { " (unknown)" } else { "" }))
        .collect()
}

#[tokio::test]
async fn an_unrelated_update_plans_only_the_changed_attribute() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "render",
        &[
            ("api_key", s("rnd_test")),
            ("base_url", s(&emu.url("render/v1"))),
        ],
    )
    .await;
    let cfg = |start: &str| {
        resource_config(
            &host,
            SVC,
            &[
                ("type", s("web_service")),
                ("name", s("quiet-api")),
                ("runtime", s("node")),
                ("repo", s("https://github.com/example/api")),
                ("build_command", s("npm ci")),
                ("start_command", s(start)),
                ("custom_domains", Value::set(vec![s("quiet.example.com")])),
            ],
        )
    };
    let (state, _) = apply(&host, SVC, &Value::Null, &cfg("npm start")).await;
    let state = assert_stable(&host, SVC, &state, &cfg("npm start")).await;
    assert!(state.attr("environment_id").is_null() && state.attr("publish_path").is_null());

    let next = cfg("node server.js");
    let p = host.plan_resource_change(SVC, &state, &proposed(&host, SVC, &state, &next), &next);
    assert!(!p.diags.has_errors(), "{}", p.diags);
    assert!(p.requires_replace.is_empty(), "{:?}", p.requires_replace);
    assert_eq!(
        moved(&state, &p.planned),
        ["start_command"],
        "{:?}",
        p.planned
    );

    // A domain change moves the domains and their status, nothing else.
    let mut domains = next.clone();
    domains.set_attr("custom_domains", Value::set(vec![s("loud.example.com")]));
    let p = host.plan_resource_change(
        SVC,
        &state,
        &proposed(&host, SVC, &state, &domains),
        &domains,
    );
    assert_eq!(
        moved(&state, &p.planned),
        [
            "custom_domain_status (unknown)",
            "custom_domains",
            "start_command"
        ]
    );

    let (applied, diags) = host
        .apply_resource_change(
            SVC,
            &state,
            &host
                .plan_resource_change(SVC, &state, &proposed(&host, SVC, &state, &next), &next)
                .planned,
            &next,
        )
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(applied.attr("start_command"), &s("node server.js"));
    assert_stable(&host, SVC, &applied, &next).await;
}
