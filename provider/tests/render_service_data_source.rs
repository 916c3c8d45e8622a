//! Data source `render_service`, in process against the emulator: invalid lookups fail
//! validation on the right attribute with zero requests; a service reads back by id and by name
//! with the same values as the resource's state; an unknown name and a name two services share are
//! clear errors (Render does not keep names unique), while the id still finds each of them.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

const DS: &str = "render_service";

async fn setup() -> (TestEmulator, Host) {
    render_setup(Config::default()).await
}

fn lookup(host: &Host, pairs: &[(&str, Value)]) -> Value {
    let schema = host
        .data_source_schema(DS)
        .expect("render_service data source");
    let names: Vec<String> = schema
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, pairs)
}

async fn web_service(host: &Host, name: &str) -> Value {
    let cfg = resource_config(
        host,
        "render_service",
        &[
            ("type", Value::string("web_service")),
            ("name", Value::string(name)),
            ("runtime", Value::string("node")),
            ("repo", Value::string("https://github.com/acme/api")),
            ("plan", Value::string("starter")),
            ("region", Value::string("frankfurt")),
            ("build_command", Value::string("npm ci")),
            ("start_command", Value::string("npm start")),
        ],
    );
    apply(host, "render_service", &Value::Null, &cfg).await.0
}

#[tokio::test]
async fn invalid_lookups_name_the_attribute_and_send_nothing() {
    let (emu, host) = setup().await;
    let before = emu.request_total().await;
    let cases: Vec<(Vec<(&str, Value)>, &str)> = vec![
        (vec![], "id"),
        (
            vec![
                ("id", Value::string("srv-1")),
                ("name", Value::string("api")),
            ],
            "name",
        ),
        (vec![("id", Value::string("not an id"))], "id"),
        (vec![("id", Value::string(""))], "id"),
        (vec![("name", Value::string(" "))], "name"),
    ];
    for (pairs, path) in cases {
        let diags = host.validate_data_source_config(DS, &lookup(&host, &pairs));
        assert_eq!(
            errors_at(&diags),
            vec![path.to_string()],
            "{pairs:?}: {diags}"
        );
    }
    // An id from another resource (unknown at plan) is a valid lookup.
    let diags = host.validate_data_source_config(DS, &lookup(&host, &[("id", Value::Unknown)]));
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        emu.request_total().await,
        before,
        "validation made requests"
    );
}

#[tokio::test]
async fn reads_by_id_and_by_name_and_refuses_ambiguous_names() {
    let (_emu, host) = setup().await;
    let state = web_service(&host, "lookup-api").await;
    let id = state.attr("id").clone();

    let (by_id, diags) = host
        .read_data_source(DS, &lookup(&host, &[("id", id.clone())]))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    let (by_name, diags) = host
        .read_data_source(DS, &lookup(&host, &[("name", Value::string("lookup-api"))]))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(by_id, by_name);
    for attr in [
        "id",
        "name",
        "type",
        "slug",
        "url",
        "host",
        "region",
        "plan",
        "runtime",
        "repo",
        "created_at",
    ] {
        assert!(!state.attr(attr).is_null(), "{attr} null in state");
        assert_eq!(by_id.attr(attr), state.attr(attr), "{attr}");
    }
    assert_eq!(by_id.attr("suspended"), &Value::Bool(false));

    let (_, diags) = host
        .read_data_source(
            DS,
            &lookup(&host, &[("name", Value::string("no-such-service"))]),
        )
        .await;
    let text = diags.to_string();
    assert!(
        diags.has_errors() && text.contains("named \"no-such-service\""),
        "{text}"
    );
    let (_, diags) = host
        .read_data_source(DS, &lookup(&host, &[("id", Value::string("srv-missing1"))]))
        .await;
    assert!(
        diags.has_errors() && diags.to_string().contains("srv-missing1"),
        "{diags}"
    );
}

/// Render lets two services share a name (the emulator refuses it, so a mock answers): a lookup by
/// that name is an error that says to use the id, after one list request.
#[tokio::test]
async fn a_name_two_services_share_is_an_error() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let svc = |id: &str| serde_json::json!({"cursor": id, "service": {"id": id, "name": "api", "type": "web_service"}});
    Mock::given(method("GET"))
        .and(path("/services"))
        .and(query_param("name", "api"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([svc("srv-a1"), svc("srv-b2")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let host = host(
        "render",
        &[
            ("api_key", Value::string("rnd_test")),
            ("owner_id", Value::string("tea-1")),
            ("base_url", Value::string(server.uri())),
        ],
    )
    .await;
    let (_, diags) = host
        .read_data_source(DS, &lookup(&host, &[("name", Value::string("api"))]))
        .await;
    let text = diags.to_string();
    assert!(
        diags.has_errors() && text.contains("2 objects match") && text.contains("by id"),
        "{text}"
    );
}
