//! In-process tier for Render workspace settings against the emulator in strict-spec mode:
//! `render_notification_setting` (create PATCHes the configured values, re-plan stable, update
//! in place, import by workspace id, destroy restores a new workspace's values and leaves the
//! emulator holding nothing), `render_log_stream` (a write-only token that never reaches state,
//! rotation by version, import, destroy removes the stream) and the `render_registry_credential`
//! data source by id and by name (and a clear error for an unknown name).

mod common;

use std::collections::BTreeMap;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const NOTIFY: &str = "render_notification_setting";
const STREAM: &str = "render_log_stream";
const OWNER: &str = "tea-paasformemulator0001";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config::default()).await
}

/// The workspace settings the emulator remembers (only those that differ from a new one's).
async fn remembered(emu: &TestEmulator) -> serde_json::Value {
    emu.state().await["render"]["owner_notifications"].clone()
}

#[tokio::test]
async fn notification_setting_lifecycle_restores_the_defaults() {
    let (emu, host) = setup().await;
    let cfg = |to_send: &str| {
        resource_config(
            &host,
            NOTIFY,
            &[
                ("email_enabled", Value::Bool(false)),
                ("notifications_to_send", Value::string(to_send)),
            ],
        )
    };
    let (state, _) = apply(&host, NOTIFY, &Value::Null, &cfg("all")).await;
    assert_eq!(state.attr("owner_id").as_str(), Some(OWNER));
    assert_eq!(state.attr("id").as_str(), Some(OWNER));
    assert_eq!(state.attr("email_enabled"), &Value::Bool(false));
    assert_eq!(
        state.attr("preview_notifications_enabled"),
        &Value::Bool(false),
        "an unset value is read back as Render has it"
    );
    assert_eq!(state.attr("slack_enabled"), &Value::Bool(false));
    let state = assert_stable(&host, NOTIFY, &state, &cfg("all")).await;

    emu.reset_requests().await;
    let (state, replaced) = apply(&host, NOTIFY, &state, &cfg("none")).await;
    assert!(replaced.is_empty());
    assert_eq!(state.attr("notifications_to_send").as_str(), Some("none"));
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([(
            "PATCH /render/v1/notification-settings/owners/{ownerId}".to_string(),
            1
        )])
    );
    assert_eq!(remembered(&emu).await[0]["notificationsToSend"], "none");

    let (imported, diags) = host.import_resource_state(NOTIFY, OWNER).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(imported.attr("email_enabled"), &Value::Bool(false));
    assert_eq!(imported.attr("owner_id").as_str(), Some(OWNER));

    let (gone, diags) = host
        .apply_resource_change(NOTIFY, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    // Back to a new workspace's values: the emulator remembers nothing.
    assert_eq!(remembered(&emu).await, serde_json::json!([]));
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

#[tokio::test]
async fn log_stream_lifecycle_with_a_write_only_token() {
    let (emu, host) = setup().await;
    let cfg = |token: &str, version: i64, preview: &str| {
        resource_config(
            &host,
            STREAM,
            &[
                ("endpoint", Value::string("logs.example.com:6514")),
                ("preview", Value::string(preview)),
                ("token_wo", Value::string(token)),
                ("token_wo_version", Value::int(version)),
            ],
        )
    };
    let tokens = |w: &serde_json::Value| w["render"]["owner_log_streams"][0]["token"].clone();
    let (state, _) = apply(&host, STREAM, &Value::Null, &cfg("t0ps3cret", 1, "send")).await;
    assert_eq!(state.attr("owner_id").as_str(), Some(OWNER));
    assert!(
        state.attr("token_wo").is_null(),
        "write-only never in state"
    );
    assert!(!format!("{state:?}").contains("t0ps3cret"));
    assert_eq!(tokens(&emu.state().await), "t0ps3cret");
    let state = assert_stable(&host, STREAM, &state, &cfg("t0ps3cret", 1, "send")).await;

    // A new token (new version) and drop previews: one PUT, in place.
    emu.reset_requests().await;
    let (state, replaced) = apply(&host, STREAM, &state, &cfg("n3w", 2, "drop")).await;
    assert!(replaced.is_empty());
    assert_eq!(state.attr("preview").as_str(), Some("drop"));
    assert_eq!(
        emu.writes().await,
        BTreeMap::from([("PUT /render/v1/logs/streams/owner/{ownerId}".to_string(), 1)])
    );
    assert_eq!(tokens(&emu.state().await), "n3w");

    let (imported, diags) = host.import_resource_state(STREAM, OWNER).await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        imported.attr("endpoint").as_str(),
        Some("logs.example.com:6514")
    );
    assert!(imported.attr("token").is_null(), "Render never answers it");

    let (gone, diags) = host
        .apply_resource_change(STREAM, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    let (after, diags) = host.read_resource(STREAM, &state).await;
    assert!(after.is_null() && !diags.has_errors(), "{diags}");
    let world = emu.state().await;
    assert_eq!(world["render"]["owner_log_streams"], serde_json::json!([]));
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

#[tokio::test]
async fn registry_credential_data_source_by_id_and_by_name() {
    let (_emu, host) = setup().await;
    let cfg = resource_config(
        &host,
        "render_registry_credential",
        &[
            ("name", Value::string("ghcr")),
            ("registry", Value::string("GITHUB")),
            ("username", Value::string("bot")),
            ("auth_token", Value::string("ghp_secret")),
        ],
    );
    let (cred, _) = apply(&host, "render_registry_credential", &Value::Null, &cfg).await;
    let id = cred.attr("id").as_str().expect("id").to_string();
    let names: Vec<String> = host
        .data_source_schema("render_registry_credential")
        .expect("data source")
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    for lookup in [("id", Value::string(&id)), ("name", Value::string("ghcr"))] {
        let (got, diags) = host
            .read_data_source(
                "render_registry_credential",
                &object_of(&names, std::slice::from_ref(&lookup)),
            )
            .await;
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(got.attr("id").as_str(), Some(id.as_str()));
        assert_eq!(got.attr("name").as_str(), Some("ghcr"));
        assert_eq!(got.attr("registry").as_str(), Some("GITHUB"));
        assert_eq!(got.attr("username").as_str(), Some("bot"));
        assert!(!format!("{got:?}").contains("ghp_secret"));
    }
    let (_, diags) = host
        .read_data_source(
            "render_registry_credential",
            &object_of(&names, &[("name", Value::string("quay"))]),
        )
        .await;
    assert!(
        diags.has_errors() && diags.to_string().contains("quay"),
        "{diags}"
    );
    let (gone, diags) = host
        .apply_resource_change(
            "render_registry_credential",
            &cred,
            &Value::Null,
            &Value::Null,
        )
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
}
