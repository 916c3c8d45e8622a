//! Wiremock tier for Render's per-resource overrides and Postgres' Datadog key: the exact
//! bodies of the notification override PATCH and the log stream override PUT (the token only
//! when there is one), a missing log stream override (404) read as none and deleted as done,
//! the Datadog key in the Postgres POST and PATCH (`""` removes it), and no error or debug text
//! carrying a token or key.

use paasform::clouds::http::Secret;
use paasform::clouds::render::client::databases::{DatabaseInput, PostgresInput, Redacted};
use paasform::clouds::render::client::settings::{
    NotificationOverridePatch, ResourceLogStreamRequest,
};
use paasform::clouds::render::client::RenderClient;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> RenderClient {
    RenderClient::unbound(
        &server.uri(),
        Secret::new("rnd_test"),
        StopSignal::default(),
    )
    .expect("client")
    .with_owner("tea-1")
}

#[tokio::test]
async fn notification_override_patch_sends_both_fields() {
    let server = MockServer::start().await;
    let answer = json!({"serviceId": "srv-1", "previewNotificationsEnabled": "false", "notificationsToSend": "failure"});
    Mock::given(method("PATCH"))
        .and(path("/notification-settings/overrides/services/srv-1"))
        .and(body_json(
            json!({"previewNotificationsEnabled": "false", "notificationsToSend": "failure"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/notification-settings/overrides/services/srv-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let patch = NotificationOverridePatch {
        preview_notifications_enabled: "false".into(),
        notifications_to_send: "failure".into(),
    };
    let got = c
        .patch_notification_override("srv-1", &patch)
        .await
        .expect("patched");
    assert_eq!(got.notifications_to_send, "failure");
    let read = c.get_notification_override("srv-1").await.expect("read");
    assert_eq!(read, got);
}

#[tokio::test]
async fn log_stream_override_put_get_and_delete() {
    let server = MockServer::start().await;
    let answer =
        json!({"resourceId": "srv-1", "setting": "send", "endpoint": "logs.example.com:6514"});
    Mock::given(method("PUT"))
        .and(path("/logs/streams/resource/srv-1"))
        .and(body_json(
            json!({"setting": "send", "endpoint": "logs.example.com:6514", "token": "t0k3n"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/logs/streams/resource/crn-1"))
        .and(body_json(json!({"setting": "drop"})))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"id": "bad", "message": "rejected t0k3n"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/logs/streams/resource/srv-2"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"id": "nf", "message": "not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/logs/streams/resource/srv-2"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"id": "nf", "message": "not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let req = ResourceLogStreamRequest {
        setting: "send".into(),
        endpoint: Some("logs.example.com:6514".into()),
        token: Some("t0k3n".into()),
    };
    assert!(
        !format!("{req:?}").contains("t0k3n"),
        "Debug hides the token"
    );
    let got = c.put_resource_log_stream("srv-1", &req).await.expect("put");
    assert_eq!(got.setting, "send");
    assert_eq!(got.endpoint.as_deref(), Some("logs.example.com:6514"));
    let drop = ResourceLogStreamRequest {
        setting: "drop".into(),
        endpoint: None,
        token: None,
    };
    c.put_resource_log_stream("crn-1", &drop)
        .await
        .expect_err("a 400 is an error");
    assert_eq!(
        c.get_resource_log_stream("srv-2").await.expect("read"),
        None
    );
    c.delete_resource_log_stream("srv-2")
        .await
        .expect("none left counts as deleted");
}

#[tokio::test]
async fn datadog_key_is_sent_and_never_echoed() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/postgres/dpg-1"))
        .and(body_json(
            json!({"datadogAPIKey": "dd-s3cret", "datadogSite": "EU1"}),
        ))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"id": "bad", "message": "invalid key dd-s3cret"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let input = DatabaseInput::Postgres(PostgresInput {
        datadog_api_key: Some(Redacted("dd-s3cret".into())),
        datadog_site: Some("EU1".into()),
        ..Default::default()
    });
    assert!(
        !format!("{input:?}").contains("dd-s3cret"),
        "Debug hides the key"
    );
    let err = client(&server)
        .update_database("dpg-1", &input)
        .await
        .expect_err("a 400 is an error");
    assert!(!format!("{err:?} {err}").contains("dd-s3cret"), "{err}");
}
