//! Bad list configurations (`list "…" { config { … } }`), in process: a table of invalid filters
//! per list resource type, each giving an error on exactly the expected attribute path at
//! ValidateListResourceConfig, and a ListResource call with the same config making zero HTTP
//! requests to the emulator. Plus an unknown list type, and every managed type of every vendor
//! has a list resource (or a reasoned exemption).

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

/// A configured host per identity other than Render, all pointing at one emulator.
async fn vendor_hosts(emu: &TestEmulator) -> Vec<(&'static str, Host)> {
    let s = |v: &str| Value::string(v);
    let cf = [
        ("api_token", s("cf-test")),
        ("account_id", s("acct123")),
        ("base_url", s(&emu.url("cloudflare/client/v4"))),
    ];
    vec![
        ("r2", host("r2", &cf).await),
        ("cloudflare", host("cloudflare", &cf).await),
        (
            "vercel",
            host(
                "vercel",
                &[
                    ("api_token", s("v-test")),
                    ("team", s("team_paasform")),
                    ("base_url", s(&emu.url("vercel"))),
                ],
            )
            .await,
        ),
        (
            "railway",
            host(
                "railway",
                &[
                    ("token", s("rw-test")),
                    ("base_url", s(&emu.url("railway/graphql/v2"))),
                ],
            )
            .await,
        ),
        (
            "tailscale",
            host(
                "tailscale",
                &[
                    ("api_key", s("tskey-api-test")),
                    ("base_url", s(&emu.url("tailscale"))),
                ],
            )
            .await,
        ),
    ]
}

/// Bad filters of the other vendors' lists: (identity, case).
const VENDOR_CASES: &[(&str, Case)] = &[
    (
        "r2",
        Case {
            type_name: "r2_bucket",
            attr: "jurisdiction",
            value: "us",
        },
    ),
    (
        "r2",
        Case {
            type_name: "r2_bucket",
            attr: "account_id",
            value: "../acct",
        },
    ),
    (
        "r2",
        Case {
            type_name: "r2_credentials",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "cloudflare",
        Case {
            type_name: "cloudflare_tunnel",
            attr: "account_id",
            value: "",
        },
    ),
    (
        "cloudflare",
        Case {
            type_name: "cloudflare_tunnel_config",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "cloudflare",
        Case {
            type_name: "cloudflare_dns_record",
            attr: "zone_id",
            value: "example.com",
        },
    ),
    (
        "cloudflare",
        Case {
            type_name: "cloudflare_dns_record",
            attr: "type",
            value: "SRV",
        },
    ),
    (
        "cloudflare",
        Case {
            type_name: "cloudflare_dns_record",
            attr: "name",
            value: "",
        },
    ),
    (
        "vercel",
        Case {
            type_name: "vercel_project",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "vercel",
        Case {
            type_name: "vercel_project_domain",
            attr: "project_id",
            value: "a/b",
        },
    ),
    (
        "vercel",
        Case {
            type_name: "vercel_custom_environment",
            attr: "project_id",
            value: "a/b",
        },
    ),
    (
        "vercel",
        Case {
            type_name: "vercel_custom_environment",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "railway",
        Case {
            type_name: "railway_project",
            attr: "team_id",
            value: "not a team",
        },
    ),
    (
        "railway",
        Case {
            type_name: "railway_environment",
            attr: "project_id",
            value: "../x",
        },
    ),
    (
        "railway",
        Case {
            type_name: "railway_service",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "railway",
        Case {
            type_name: "railway_shared_variable",
            attr: "environment_id",
            value: "env 1",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_key",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_acl",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_dns_preferences",
            attr: "name_prefix",
            value: "",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_device_authorization",
            attr: "tag",
            value: "prod",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_device_tags",
            attr: "tag",
            value: "tag:",
        },
    ),
    (
        "tailscale",
        Case {
            type_name: "tailscale_device_key",
            attr: "name_prefix",
            value: "",
        },
    ),
];

/// Managed types with no list resource, and why.
const EXEMPT: &[(&str, &str)] = &[];

#[tokio::test]
async fn every_vendor_lists_every_type_and_refuses_bad_filters_without_a_request() {
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = vendor_hosts(&emu).await;
    let host_of = |identity: &str| {
        &hosts
            .iter()
            .find(|(i, _)| *i == identity)
            .unwrap_or_else(|| panic!("no host {identity}"))
            .1
    };
    emu.reset_requests().await;
    for (identity, c) in VENDOR_CASES {
        let host = host_of(identity);
        // Required filters get a valid value so that only the bad one is reported.
        let mut cfg = config(host, c.type_name, c.attr, c.value);
        for a in &host
            .list_schema(c.type_name)
            .expect("schema")
            .block
            .attributes
        {
            if a.mode == paasform::framework::Mode::Required && a.name != c.attr {
                cfg.set_attr(&a.name, Value::string("0123456789abcdef0123456789abcdef"));
            }
        }
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

    for (identity, host) in &hosts {
        for (name, _) in host.resource_schemas() {
            if EXEMPT.iter().any(|(n, _)| *n == name) {
                assert!(
                    host.list_schema(name).is_none(),
                    "{name} is exempt but lists"
                );
                continue;
            }
            let schema = host
                .list_schema(name)
                .unwrap_or_else(|| panic!("{identity}: {name} has no list resource"));
            let required = schema
                .block
                .attributes
                .iter()
                .any(|a| a.mode == paasform::framework::Mode::Required);
            // A list without required filters accepts an empty `config { }`.
            assert_eq!(
                host.validate_list_config(name, &Value::Null).has_errors(),
                required,
                "{name}"
            );
        }
    }
}
