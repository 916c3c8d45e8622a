//! Bad list configurations (`list "…" { config { … } }`), in process: a table of invalid filters
//! per list resource type, each giving an error on exactly the expected attribute path at
//! ValidateListResourceConfig, and a ListResource call with the same config making zero HTTP
//! requests to the emulator. Plus an unknown list type.

mod common;

use common::{errors_at, host, object_of, TestEmulator};
use paasform::framework::{Host, ListRequest, Value};
use paasform_emulator::Config;

struct Case {
    type_name: &'static str,
    attr: &'static str,
    value: &'static str,
}

const CASES: &[Case] = &[
    Case {
        type_name: "render_service",
        attr: "type",
        value: "webservice",
    },
    Case {
        type_name: "render_service",
        attr: "name_prefix",
        value: "",
    },
    Case {
        type_name: "render_service",
        attr: "environment_id",
        value: "prj-abc",
    },
    Case {
        type_name: "render_database",
        attr: "type",
        value: "mysql",
    },
    Case {
        type_name: "render_database",
        attr: "environment_id",
        value: "evm-",
    },
    Case {
        type_name: "render_project",
        attr: "name_prefix",
        value: "",
    },
    Case {
        type_name: "render_env_group",
        attr: "environment_id",
        value: "../evm-x",
    },
    Case {
        type_name: "render_env_group_link",
        attr: "name_prefix",
        value: "",
    },
];

fn config(host: &Host, type_name: &str, attr: &str, value: &str) -> Value {
    let names: Vec<String> = host
        .list_schema(type_name)
        .unwrap_or_else(|| panic!("no list schema for {type_name}"))
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    object_of(&names, &[(attr, Value::string(value))])
}

#[tokio::test]
async fn invalid_list_configs_name_their_attribute_without_a_request() {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "render",
        &[
            ("api_key", Value::string("rnd_test")),
            ("base_url", Value::string(emu.url("render/v1"))),
        ],
    )
    .await;
    emu.reset_requests().await;
    for c in CASES {
        let cfg = config(&host, c.type_name, c.attr, c.value);
        let diags = host.validate_list_config(c.type_name, &cfg);
        assert_eq!(
            errors_at(&diags),
            vec![c.attr.to_string()],
            "{} {}={:?}: {diags}",
            c.type_name,
            c.attr,
            c.value
        );
        let listed = host
            .list_objects(
                c.type_name,
                &cfg,
                ListRequest {
                    limit: 100,
                    include_resource: true,
                },
            )
            .await;
        assert!(listed.is_err(), "{} listed with a bad config", c.type_name);
    }
    assert_eq!(
        emu.request_total().await,
        0,
        "a bad list config reached the API"
    );

    // Every Render managed resource type can be listed, and a valid empty config passes.
    for (name, _) in host.resource_schemas() {
        assert!(
            host.list_schema(name).is_some(),
            "{name} has no list resource"
        );
        assert!(!host.validate_list_config(name, &Value::Null).has_errors());
    }
    let unknown = host.validate_list_config("render_nope", &Value::Null);
    assert!(unknown.has_errors());
}
