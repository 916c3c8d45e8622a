//! Wiremock tier for Render workspace settings: notification settings PATCH only the fields
//! given and answer the whole object; the log stream PUT carries endpoint, preview and the token
//! (which no error or debug text repeats, even when the server echoes it), a missing stream is a
//! 404 the caller sees as "gone", and DELETE of a stream already gone is success.

use paasform::clouds::http::Secret;
use paasform::clouds::render::client::settings::{LogStreamRequest, NotificationSettingsPatch};
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
async fn notification_settings_patch_only_the_given_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/notification-settings/owners/tea-1"))
        .and(body_json(
            json!({"emailEnabled": false, "notificationsToSend": "all"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ownerId": "tea-1", "slackEnabled": true, "emailEnabled": false,
            "previewNotificationsEnabled": false, "notificationsToSend": "all"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let got = c
        .patch_notification_settings(
            "tea-1",
            &NotificationSettingsPatch {
                email_enabled: Some(false),
                notifications_to_send: Some("all".into()),
                ..Default::default()
            },
        )
        .await
        .expect("patch");
    assert!(got.slack_enabled);
    assert!(!got.email_enabled);
    assert_eq!(got.notifications_to_send, "all");
}

#[tokio::test]
async fn log_stream_put_carries_the_token_and_gone_is_not_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/logs/streams/owner/tea-1"))
        .and(body_json(json!({"endpoint": "logs.example.com:6514", "token": "s3cret-token", "preview": "drop"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ownerId": "tea-1", "endpoint": "logs.example.com:6514", "preview": "drop"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/logs/streams/owner/tea-1"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"id": "e1", "message": "not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/logs/streams/owner/tea-1"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let req = LogStreamRequest {
        endpoint: "logs.example.com:6514".into(),
        token: Some("s3cret-token".into()),
        preview: "drop".into(),
    };
    assert!(
        !format!("{req:?}").contains("s3cret-token"),
        "Debug hides it"
    );
    let got = c.put_log_stream("tea-1", &req).await.expect("put");
    assert_eq!(got.preview, "drop");
    assert_eq!(got.endpoint.as_deref(), Some("logs.example.com:6514"));
    let err = c.get_log_stream("tea-1").await.expect_err("404");
    assert!(err.is_not_found(), "{err}");
    c.delete_log_stream("tea-1")
        .await
        .expect("gone counts as deleted");
}

#[tokio::test]
async fn an_echoed_token_never_reaches_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/logs/streams/owner/tea-1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "id": "bad", "message": "token s3cret-token is not valid for this endpoint"
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let req = LogStreamRequest {
        endpoint: "logs.example.com:6514".into(),
        token: Some("s3cret-token".into()),
        preview: "send".into(),
    };
    let err = c.put_log_stream("tea-1", &req).await.expect_err("400");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cret-token"), "{text}");
    assert!(text.contains("not valid"), "{text}");
}
