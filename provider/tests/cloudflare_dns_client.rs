//! The Cloudflare client's zone and DNS record calls against wiremock: the create body (CAA as
//! structured data, no content), the PUT that overwrites, the error envelope as a diagnostic
//! message with its code, zone lookup by name — and, through the resource, a create whose answer
//! is lost adopting the record it made (same name, type and content) instead of duplicating it.

mod common;

use paasform::clouds::cloudflare::client::{CloudflareClient, DnsRecordRequest};
use paasform::clouds::http::Secret;
use paasform::framework::Value;
use paasform::stop::StopSignal;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "0123456789abcdef0123456789abcdef";
const REC: &str = "fedcba9876543210fedcba9876543210";

fn client(server: &MockServer) -> CloudflareClient {
    CloudflareClient::new(
        "Cloudflare",
        &server.uri(),
        Secret::new("t"),
        None,
        StopSignal::default(),
    )
    .expect("client")
}

fn ok(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [], "result": result,
    }))
}

fn answer(name: &str, kind: &str, content: &str) -> serde_json::Value {
    json!({
        "id": REC, "name": name, "type": kind, "content": content, "proxied": false,
        "proxiable": false, "ttl": 1, "comment": "", "tags": [], "settings": {}, "meta": {},
        "created_on": "2026-01-01T00:00:00Z", "modified_on": "2026-01-01T00:00:00Z",
    })
}

#[tokio::test]
async fn create_sends_caa_as_data_and_update_puts_the_whole_record() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ZONE}/dns_records")))
        .and(body_json(json!({
            "name": "@", "type": "CAA", "data": {"flags": 0, "tag": "issue", "value": "letsencrypt.org"},
            "proxied": false, "ttl": 1, "tags": [],
        })))
        .respond_with(ok(answer("example.com", "CAA", "0 issue \"letsencrypt.org\"")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/zones/{ZONE}/dns_records/{REC}")))
        .and(body_json(json!({
            "name": "www", "type": "A", "content": "192.0.2.1", "proxied": true, "ttl": 1,
            "comment": "edge", "tags": ["env:prod"],
        })))
        .respond_with(ok(answer("www.example.com", "A", "192.0.2.1")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let caa = paasform::clouds::cloudflare::client::CaaData::parse("0 issue \"letsencrypt.org\"");
    let made = c
        .create_dns_record(
            ZONE,
            &DnsRecordRequest {
                name: "@".into(),
                kind: "CAA".into(),
                data: caa,
                ttl: 1,
                ..DnsRecordRequest::default()
            },
        )
        .await
        .expect("created");
    assert_eq!(made.id, REC);
    let put = c
        .update_dns_record(
            ZONE,
            REC,
            &DnsRecordRequest {
                name: "www".into(),
                kind: "A".into(),
                content: Some("192.0.2.1".into()),
                proxied: true,
                ttl: 1,
                comment: Some("edge".into()),
                tags: vec!["env:prod".into()],
                ..DnsRecordRequest::default()
            },
        )
        .await
        .expect("updated");
    assert_eq!(put.name, "www.example.com");
}

#[tokio::test]
async fn errors_carry_the_envelope_message_and_code_and_404_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ZONE}/dns_records")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false, "messages": [], "result": null,
            "errors": [{"code": 81053, "message": "An A, AAAA, or CNAME record with that host already exists."}],
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/zones/{ZONE}/dns_records/{REC}")))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "success": false, "messages": [], "result": null,
            "errors": [{"code": 81044, "message": "Record does not exist."}],
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let req = DnsRecordRequest {
        name: "api".into(),
        kind: "CNAME".into(),
        content: Some("x.cfargotunnel.com".into()),
        ttl: 1,
        ..DnsRecordRequest::default()
    };
    let err = c.create_dns_record(ZONE, &req).await.expect_err("refused");
    assert!(
        err.to_string().contains("already exists. (code 81053)"),
        "{err}"
    );
    let gone = c.delete_dns_record(ZONE, REC).await.expect_err("404");
    assert!(gone.is_not_found(), "{gone}");
}

#[tokio::test]
async fn zones_are_found_by_exact_name_and_account() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zones"))
        .and(query_param("name", "example.com"))
        .and(query_param("account.id", "acct"))
        .respond_with(ok(json!([
            {"id": ZONE, "name": "example.com", "status": "active", "name_servers": ["a.ns.cloudflare.com"], "account": {"id": "acct"}},
            {"id": REC, "name": "sub.example.com", "status": "active", "name_servers": [], "account": {"id": "acct"}},
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server)
        .find_zones("example.com", Some("acct"))
        .await
        .expect("listed");
    assert_eq!(found.len(), 1, "only the exact name");
    assert_eq!(
        found[0].name_servers,
        vec!["a.ns.cloudflare.com".to_string()]
    );
}

#[tokio::test]
async fn a_lost_create_answer_adopts_the_record_it_made() {
    let server = MockServer::start().await;
    // The create commits but its answer is garbled.
    Mock::given(method("POST"))
        .and(path(format!("/zones/{ZONE}/dns_records")))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"success\": tr"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE}")))
        .respond_with(ok(
            json!({"id": ZONE, "name": "example.com", "status": "active", "name_servers": []}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/zones/{ZONE}/dns_records")))
        .and(query_param("name", "www.example.com"))
        .and(query_param("type", "AAAA"))
        .respond_with(ok(json!([answer(
            "www.example.com",
            "AAAA",
            "2001:db8::1"
        )])))
        .expect(1)
        .mount(&server)
        .await;
    let host = common::host(
        "cloudflare",
        &[
            ("api_token", Value::string("t")),
            ("base_url", Value::string(server.uri())),
        ],
    )
    .await;
    let t = "cloudflare_dns_record";
    let cfg = common::resource_config(
        &host,
        t,
        &[
            ("zone_id", Value::string(ZONE)),
            ("name", Value::string("www")),
            ("type", Value::string("AAAA")),
            ("content", Value::string("2001:DB8::1")),
        ],
    );
    let (state, _) = common::apply(&host, t, &Value::Null, &cfg).await;
    assert_eq!(state.attr("id"), &Value::string(REC));
    assert_eq!(state.attr("name"), &Value::string("www"));
    assert_eq!(state.attr("content"), &Value::string("2001:DB8::1"));
}
