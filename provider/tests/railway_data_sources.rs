//! In-process tier for Railway's data sources `railway_project` and `railway_service`: invalid
//! lookups fail at validate on the attribute with zero requests; lookups by id and by name
//! against the emulator return what the resources created; nothing found and two found are
//! errors naming what was searched.

mod common;

use common::*;
use paasform::framework::{Host, Value};
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "railway",
        &[
            ("token", Value::string("railway-test-token")),
            ("base_url", Value::string(emu.url("railway/graphql/v2"))),
        ],
    )
    .await;
    (emu, host)
}

fn data_config(host: &Host, type_name: &str, pairs: &[(&str, Value)]) -> Value {
    let schema = host
        .data_source_schema(type_name)
        .expect("data source type");
    object_of(
        &schema
            .block
            .attributes
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>(),
        pairs,
    )
}

fn s(v: &str) -> Value {
    Value::string(v)
}

#[tokio::test]
async fn invalid_lookups_fail_at_validate_with_zero_requests() {
    let (emu, host) = setup().await;
    let before = emu.request_total().await;
    #[allow(clippy::type_complexity)] // (data source, config attributes, blamed path): a table
    let rows: &[(&str, Vec<(&str, Value)>, &str)] = &[
        ("railway_project", vec![], "id"),
        (
            "railway_project",
            vec![("id", s("p1")), ("name", s("x"))],
            "name",
        ),
        ("railway_project", vec![("name", s(""))], "name"),
        ("railway_project", vec![("id", s("has space"))], "id"),
        ("railway_service", vec![], "id"),
        ("railway_service", vec![("name", s("api"))], "project_id"),
        (
            "railway_service",
            vec![("id", s("s1")), ("name", s("api")), ("project_id", s("p"))],
            "name",
        ),
        ("railway_service", vec![("id", s("../x"))], "id"),
        (
            "railway_service",
            vec![("name", s("api")), ("project_id", s("a/b"))],
            "project_id",
        ),
    ];
    for (ty, pairs, path) in rows {
        let diags = host.validate_data_source_config(ty, &data_config(&host, ty, pairs));
        assert_eq!(errors_at(&diags), vec![path.to_string()], "{ty} {pairs:?}");
    }
    // An unknown key (known only at apply) is not an error yet.
    let diags = host.validate_data_source_config(
        "railway_service",
        &data_config(
            &host,
            "railway_service",
            &[("name", s("api")), ("project_id", Value::Unknown)],
        ),
    );
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(
        emu.request_total().await,
        before,
        "no request for bad input"
    );
}

#[tokio::test]
async fn lookups_by_id_and_by_name_match_what_was_created() {
    let (emu, host) = setup().await;
    let pcfg = resource_config(
        &host,
        "railway_project",
        &[("name", s("codewarden")), ("description", s("marker"))],
    );
    let (project, _) = apply(&host, "railway_project", &Value::Null, &pcfg).await;
    let pid = project.attr("id").as_str().expect("id").to_string();
    let scfg = resource_config(
        &host,
        "railway_service",
        &[
            ("project_id", s(&pid)),
            ("name", s("api")),
            ("source_image", s("nginx:1.27")),
        ],
    );
    let (service, _) = apply(&host, "railway_service", &Value::Null, &scfg).await;
    let sid = service.attr("id").as_str().expect("id").to_string();

    for key in [("id", s(&pid)), ("name", s("codewarden"))] {
        let cfg = data_config(&host, "railway_project", std::slice::from_ref(&key));
        let (got, diags) = host.read_data_source("railway_project", &cfg).await;
        assert!(!diags.has_errors(), "{key:?}: {diags}");
        for attr in [
            "id",
            "name",
            "description",
            "team_id",
            "private",
            "default_environment_id",
        ] {
            assert_eq!(got.attr(attr), project.attr(attr), "{key:?}: {attr}");
        }
    }
    for pairs in [
        vec![("id", s(&sid))],
        vec![("name", s("api")), ("project_id", s(&pid))],
    ] {
        let cfg = data_config(&host, "railway_service", &pairs);
        let before = emu.request_total().await;
        let (got, diags) = host.read_data_source("railway_service", &cfg).await;
        assert!(!diags.has_errors(), "{pairs:?}: {diags}");
        assert!(
            emu.request_total().await - before <= 2,
            "one lookup, one read"
        );
        assert_eq!(got.attr("id"), &s(&sid));
        assert_eq!(got.attr("name"), &s("api"));
        assert_eq!(got.attr("project_id"), &s(&pid));
    }

    // Nothing found names what was searched; two of a name are an error too.
    let cfg = data_config(&host, "railway_project", &[("name", s("nope"))]);
    let (_, diags) = host.read_data_source("railway_project", &cfg).await;
    assert!(diags.to_string().contains("named \"nope\""), "{diags}");
    let cfg = data_config(
        &host,
        "railway_service",
        &[("name", s("web")), ("project_id", s(&pid))],
    );
    let (_, diags) = host.read_data_source("railway_service", &cfg).await;
    assert!(diags.to_string().contains("\"web\" in project"), "{diags}");
    let cfg = data_config(&host, "railway_service", &[("id", s("missing-id"))]);
    let (_, diags) = host.read_data_source("railway_service", &cfg).await;
    assert!(diags.to_string().contains("\"missing-id\""), "{diags}");
    let (_, _) = apply(&host, "railway_project", &Value::Null, &pcfg).await;
    let cfg = data_config(&host, "railway_project", &[("name", s("codewarden"))]);
    let (_, diags) = host.read_data_source("railway_project", &cfg).await;
    assert!(diags.to_string().contains("2 objects match"), "{diags}");
}
