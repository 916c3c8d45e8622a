//! The tfplugin6 service in process, over a real unix socket, with a tiny test-only provider:
//! schema conversion, the resource lifecycle RPCs with msgpack values, diagnostics (never gRPC
//! errors) for user problems, `Unimplemented` for RPCs we do not serve, and 256 MiB limits.

mod protocol_common;

use std::sync::Arc;

use async_trait::async_trait;
use paasform::framework::{
    ApplyResult, Attribute, ClientHandle, Ctx, Diagnostic, Diagnostics, EphemeralResource, Host,
    Nesting, Provider, Resource, Schema, Type, Value,
};
use paasform::protocol::cty;
use paasform::protocol::proto::tfplugin6 as pb;
use paasform::protocol::server::{run, Shutdown};
use paasform::protocol::transport::ConnTracker;
use paasform::stop::StopSignal;
use protocol_common::{paths, unary, unix_channel, TempDir};
use tonic::transport::Channel;

// ---- a tiny provider ----

struct TestProvider;
struct Widget;
struct Token;

fn widget_schema() -> Schema {
    Schema::new(
        "A widget.",
        vec![
            Attribute::string("id").computed().keep_state(),
            Attribute::string("name")
                .required()
                .description("The widget's name."),
            Attribute::string("secret")
                .optional()
                .sensitive()
                .write_only(),
            Attribute::string("blob").optional(),
            // A write-only value inside a nested attribute (as `log_stream_override.token_wo`).
            Attribute::nested(
                "streams",
                Nesting::List,
                vec![Attribute::string("token")
                    .optional()
                    .sensitive()
                    .write_only()],
            )
            .optional(),
        ],
    )
    .version(1)
}

#[async_trait]
impl Provider for TestProvider {
    fn name(&self) -> &'static str {
        "test"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            "Test provider.",
            vec![Attribute::string("endpoint").optional()],
        )
    }
    async fn configure(
        &self,
        _config: &Value,
        _stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        Ok(Arc::new(()))
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Widget)]
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(Token)]
    }
}

#[async_trait]
impl Resource for Widget {
    fn type_name(&self) -> &'static str {
        "test_widget"
    }
    fn schema(&self) -> Schema {
        widget_schema()
    }
    async fn create(&self, _ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let mut state = plan.clone();
        state.set_attr("id", Value::string("w-1"));
        ApplyResult::ok(state)
    }
    async fn read(&self, _ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let mut s = state.clone();
        if s.attr("name").is_null() {
            s.set_attr("name", Value::string("imported"));
        }
        Ok(s)
    }
    async fn update(
        &self,
        _ctx: &Ctx,
        _prior: &Value,
        plan: &Value,
        _config: &Value,
    ) -> ApplyResult {
        ApplyResult::ok(plan.clone())
    }
    async fn delete(&self, _ctx: &Ctx, _state: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        if id.contains(' ') {
            return Err(Diagnostic::error("Invalid import id", "ids have no spaces").into());
        }
        Ok(Value::object([("id", Value::string(id))]))
    }
    fn upgrade_state(
        &self,
        version: i64,
        mut raw: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        // Version 0 called the name `title`.
        if version == 0 {
            if let Some(obj) = raw.as_object_mut() {
                let title = obj.remove("title").unwrap_or(serde_json::Value::Null);
                obj.insert("name".into(), title);
            }
        }
        Ok(raw)
    }
}

#[async_trait]
impl EphemeralResource for Token {
    fn type_name(&self) -> &'static str {
        "test_token"
    }
    fn schema(&self) -> Schema {
        Schema::new("A token.", vec![Attribute::string("value").computed()])
    }
    async fn open(&self, _ctx: &Ctx, _config: &Value) -> Result<Value, Diagnostics> {
        Ok(Value::object([("value", Value::string("t0k"))]))
    }
    fn private(&self, _config: &Value, result: &Value) -> Option<Vec<u8>> {
        Some(format!("handle-{}", result.attr("value").as_str()?).into_bytes())
    }
    async fn close(&self, _ctx: &Ctx, private: &[u8]) -> Diagnostics {
        if private == b"handle-t0k" {
            Diagnostics::new()
        } else {
            Diagnostic::error("Unexpected private data", "close got another handle").into()
        }
    }
}

// ---- harness ----

struct Server {
    ch: Channel,
    shutdown: Shutdown,
    task: tokio::task::JoinHandle<Result<(), String>>,
    _dir: TempDir,
}

async fn start() -> Server {
    let dir = TempDir::new("svc");
    let socket = dir.path().join("p.sock");
    let listener = tokio::net::UnixListener::bind(&socket).expect("bind");
    let host = Arc::new(Host::new(Arc::new(TestProvider)));
    let shutdown = Shutdown::default();
    let task = tokio::spawn(run(
        host,
        listener.into(),
        None,
        shutdown.clone(),
        ConnTracker::default(),
    ));
    let ch = unix_channel(&socket).await.expect("connect");
    Server {
        ch,
        shutdown,
        task,
        _dir: dir,
    }
}

fn ty() -> Type {
    widget_schema().value_type()
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: cty::encode_msgpack(v, &ty()).expect("encode"),
        json: Vec::new(),
    })
}

fn decode(d: Option<pb::DynamicValue>) -> Value {
    cty::decode_msgpack(&d.expect("value").msgpack, &ty()).expect("decode")
}

fn widget(name: &str) -> Value {
    Value::object([("name", Value::string(name))])
}

fn errors(diags: &[pb::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| d.summary.clone())
        .collect()
}

fn wo_caps() -> Option<pb::ClientCapabilities> {
    Some(pb::ClientCapabilities {
        deferral_allowed: false,
        write_only_attributes_allowed: true,
    })
}

// ---- tests ----

#[tokio::test]
async fn schema_is_converted_with_flags_versions_and_capabilities() {
    let s = start().await;
    let r: pb::get_provider_schema::Response = unary(
        &s.ch,
        paths::GET_PROVIDER_SCHEMA,
        pb::get_provider_schema::Request {},
    )
    .await
    .expect("rpc");
    let widget = &r.resource_schemas["test_widget"];
    assert_eq!(widget.version, 1);
    let block = widget.block.as_ref().expect("block");
    let attr = |n: &str| block.attributes.iter().find(|a| a.name == n).expect(n);
    assert!(attr("id").computed && !attr("id").optional);
    assert!(attr("name").required);
    assert_eq!(attr("name").description, "The widget's name.");
    assert_eq!(attr("name").r#type, br#""string""#);
    assert!(attr("secret").write_only && attr("secret").sensitive);
    assert!(r.ephemeral_resource_schemas.contains_key("test_token"));
    assert!(r.data_source_schemas.is_empty() && r.functions.is_empty());
    let meta = r
        .provider_meta
        .and_then(|m| m.block)
        .expect("provider_meta");
    assert!(meta.attributes.is_empty());
    assert!(
        r.server_capabilities
            .expect("caps")
            .get_provider_schema_optional
    );
    assert!(r.diagnostics.is_empty());
}

#[tokio::test]
async fn lifecycle_plan_apply_read_keeps_values_and_private() {
    let s = start().await;
    let cfg = widget("a");

    let v: pb::validate_resource_config::Response = unary(
        &s.ch,
        paths::VALIDATE_RESOURCE_CONFIG,
        pb::validate_resource_config::Request {
            type_name: "test_widget".into(),
            config: dv(&cfg),
            client_capabilities: wo_caps(),
        },
    )
    .await
    .expect("validate");
    assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);

    let c: pb::configure_provider::Response = unary(
        &s.ch,
        paths::CONFIGURE_PROVIDER,
        pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: None,
            client_capabilities: None,
        },
    )
    .await
    .expect("configure");
    assert!(c.diagnostics.is_empty());

    let plan: pb::plan_resource_change::Response = unary(
        &s.ch,
        paths::PLAN_RESOURCE_CHANGE,
        pb::plan_resource_change::Request {
            type_name: "test_widget".into(),
            prior_state: dv(&Value::Null),
            proposed_new_state: dv(&cfg),
            config: dv(&cfg),
            prior_private: b"p1".to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect("plan");
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let planned = decode(plan.planned_state);
    assert!(
        planned.attr("id").is_unknown(),
        "computed id is unknown on create: {planned:?}"
    );
    assert_eq!(planned.attr("name").as_str(), Some("a"));
    assert_eq!(plan.planned_private, b"p1");

    let applied: pb::apply_resource_change::Response = unary(
        &s.ch,
        paths::APPLY_RESOURCE_CHANGE,
        pb::apply_resource_change::Request {
            type_name: "test_widget".into(),
            prior_state: dv(&Value::Null),
            planned_state: dv(&planned),
            config: dv(&cfg),
            planned_private: b"p2".to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect("apply");
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    assert_eq!(applied.private, b"p2");
    let state = decode(applied.new_state);
    assert_eq!(state.attr("id").as_str(), Some("w-1"));

    let read: pb::read_resource::Response = unary(
        &s.ch,
        paths::READ_RESOURCE,
        pb::read_resource::Request {
            type_name: "test_widget".into(),
            current_state: dv(&state),
            private: b"p3".to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect("read");
    assert!(read.diagnostics.is_empty());
    assert_eq!(decode(read.new_state), state);
    assert_eq!(read.private, b"p3");
}

#[tokio::test]
async fn write_only_needs_the_client_capability() {
    let s = start().await;
    let mut cfg = widget("a");
    cfg.set_attr("secret", Value::string("hunter2"));
    let r: pb::validate_resource_config::Response = unary(
        &s.ch,
        paths::VALIDATE_RESOURCE_CONFIG,
        pb::validate_resource_config::Request {
            type_name: "test_widget".into(),
            config: dv(&cfg),
            client_capabilities: None,
        },
    )
    .await
    .expect("validate");
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.summary.contains("Write-only"))
        .expect("write-only diagnostic");
    use pb::attribute_path::step::Selector;
    let steps: Vec<_> = d
        .attribute
        .clone()
        .expect("path")
        .steps
        .into_iter()
        .filter_map(|s| s.selector)
        .collect();
    assert_eq!(steps, vec![Selector::AttributeName("secret".into())]);
}

#[tokio::test]
async fn write_only_inside_a_nested_attribute_needs_the_client_capability_too() {
    let s = start().await;
    let mut cfg = widget("a");
    cfg.set_attr(
        "streams",
        Value::List(vec![
            Value::object([("token", Value::Null)]),
            Value::object([("token", Value::string("hunter2"))]),
        ]),
    );
    let validate = |caps| {
        let ch = s.ch.clone();
        let cfg = cfg.clone();
        async move {
            let r: pb::validate_resource_config::Response = unary(
                &ch,
                paths::VALIDATE_RESOURCE_CONFIG,
                pb::validate_resource_config::Request {
                    type_name: "test_widget".into(),
                    config: dv(&cfg),
                    client_capabilities: caps,
                },
            )
            .await
            .expect("validate");
            r.diagnostics
        }
    };
    let refused = validate(None).await;
    let d = refused
        .iter()
        .find(|d| d.summary.contains("Write-only"))
        .unwrap_or_else(|| panic!("write-only diagnostic: {refused:?}"));
    use pb::attribute_path::step::Selector;
    let steps: Vec<_> = d
        .attribute
        .clone()
        .expect("path")
        .steps
        .into_iter()
        .filter_map(|s| s.selector)
        .collect();
    assert_eq!(
        steps,
        vec![
            Selector::AttributeName("streams".into()),
            Selector::ElementKeyInt(1),
            Selector::AttributeName("token".into()),
        ]
    );
    assert!(
        !d.detail.contains("hunter2") && refused.len() == 1,
        "{refused:?}"
    );
    assert!(validate(wo_caps()).await.is_empty());
}

#[tokio::test]
async fn user_problems_are_diagnostics_in_ok_responses() {
    let s = start().await;
    // Unknown resource type.
    let r: pb::read_resource::Response = unary(
        &s.ch,
        paths::READ_RESOURCE,
        pb::read_resource::Request {
            type_name: "test_nope".into(),
            ..Default::default()
        },
    )
    .await
    .expect("ok status");
    assert_eq!(errors(&r.diagnostics), ["Unknown resource type"]);

    // Bytes that are not msgpack of the schema type.
    let bad = Some(pb::DynamicValue {
        msgpack: vec![0xc1],
        json: Vec::new(),
    });
    let r: pb::validate_resource_config::Response = unary(
        &s.ch,
        paths::VALIDATE_RESOURCE_CONFIG,
        pb::validate_resource_config::Request {
            type_name: "test_widget".into(),
            config: bad,
            client_capabilities: None,
        },
    )
    .await
    .expect("ok status");
    assert_eq!(errors(&r.diagnostics).len(), 1, "{:?}", r.diagnostics);

    let r: pb::validate_data_resource_config::Response = unary(
        &s.ch,
        paths::VALIDATE_DATA_RESOURCE_CONFIG,
        pb::validate_data_resource_config::Request {
            type_name: "test_data".into(),
            config: None,
        },
    )
    .await
    .expect("ok status");
    assert_eq!(errors(&r.diagnostics), ["Unknown data source type"]);

    let r: pb::read_data_source::Response = unary(
        &s.ch,
        paths::READ_DATA_SOURCE,
        pb::read_data_source::Request {
            type_name: "x".into(),
            ..Default::default()
        },
    )
    .await
    .expect("ok status");
    assert_eq!(errors(&r.diagnostics).len(), 1);

    let r: pb::move_resource_state::Response = unary(
        &s.ch,
        paths::MOVE_RESOURCE_STATE,
        pb::move_resource_state::Request {
            source_type_name: "a".into(),
            target_type_name: "test_widget".into(),
            ..Default::default()
        },
    )
    .await
    .expect("ok status");
    // test_widget declares no move sources: the move is refused with a diagnostic, not an RPC error.
    assert_eq!(errors(&r.diagnostics).len(), 1, "{:?}", r.diagnostics);
}

#[tokio::test]
async fn import_validates_the_id_then_reads() {
    let s = start().await;
    let call = |id: &str| {
        let req = pb::import_resource_state::Request {
            type_name: "test_widget".into(),
            id: id.into(),
            ..Default::default()
        };
        let ch = s.ch.clone();
        async move {
            unary::<_, pb::import_resource_state::Response>(&ch, paths::IMPORT_RESOURCE_STATE, req)
                .await
                .expect("rpc")
        }
    };
    let ok = call("w-9").await;
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    assert_eq!(ok.imported_resources.len(), 1);
    let imported = &ok.imported_resources[0];
    assert_eq!(imported.type_name, "test_widget");
    let state = decode(imported.state.clone());
    assert_eq!(state.attr("id").as_str(), Some("w-9"));
    assert_eq!(state.attr("name").as_str(), Some("imported"));

    let bad = call("has space").await;
    assert_eq!(errors(&bad.diagnostics), ["Invalid import id"]);
    assert!(bad.imported_resources.is_empty());
}

#[tokio::test]
async fn upgrade_reads_raw_json_from_older_versions() {
    let s = start().await;
    let r: pb::upgrade_resource_state::Response = unary(
        &s.ch,
        paths::UPGRADE_RESOURCE_STATE,
        pb::upgrade_resource_state::Request {
            type_name: "test_widget".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: br#"{"id":"w-1","title":"old"}"#.to_vec(),
                flatmap: Default::default(),
            }),
        },
    )
    .await
    .expect("rpc");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let v = decode(r.upgraded_state);
    assert_eq!(v.attr("name").as_str(), Some("old"));
    assert_eq!(v.attr("id").as_str(), Some("w-1"));

    let r: pb::upgrade_resource_state::Response = unary(
        &s.ch,
        paths::UPGRADE_RESOURCE_STATE,
        pb::upgrade_resource_state::Request {
            type_name: "test_widget".into(),
            version: 1,
            raw_state: Some(pb::RawState {
                json: b"{not json".to_vec(),
                flatmap: Default::default(),
            }),
        },
    )
    .await
    .expect("rpc");
    assert_eq!(errors(&r.diagnostics), ["Failed to read resource state"]);
}

#[tokio::test]
async fn optional_rpcs_answer_and_unknown_ones_are_unimplemented() {
    let s = start().await;
    let ids: pb::get_resource_identity_schemas::Response = unary(
        &s.ch,
        paths::GET_RESOURCE_IDENTITY_SCHEMAS,
        pb::get_resource_identity_schemas::Request {},
    )
    .await
    .expect("ids");
    assert!(ids.identity_schemas.is_empty());
    let f: pb::get_functions::Response =
        unary(&s.ch, paths::GET_FUNCTIONS, pb::get_functions::Request {})
            .await
            .expect("fns");
    assert!(f.functions.is_empty());

    let e: pb::open_ephemeral_resource::Response = unary(
        &s.ch,
        paths::OPEN_EPHEMERAL,
        pb::open_ephemeral_resource::Request {
            type_name: "test_token".into(),
            ..Default::default()
        },
    )
    .await
    .expect("open");
    let token_ty = Schema::new("", vec![Attribute::string("value").computed()]).value_type();
    let v = cty::decode_msgpack(&e.result.expect("result").msgpack, &token_ty).expect("decode");
    assert_eq!(v.attr("value").as_str(), Some("t0k"));
    // Open's private bytes are what Close receives (Terraform hands them back unchanged).
    assert_eq!(e.private.as_deref(), Some(&b"handle-t0k"[..]));
    for (private, want) in [
        (e.private.clone(), vec![]),
        (
            Some(b"handle-other".to_vec()),
            vec!["Unexpected private data".to_string()],
        ),
        (None, vec![]),
    ] {
        let closed: pb::close_ephemeral_resource::Response = unary(
            &s.ch,
            paths::CLOSE_EPHEMERAL,
            pb::close_ephemeral_resource::Request {
                type_name: "test_token".into(),
                private,
            },
        )
        .await
        .expect("close");
        assert_eq!(errors(&closed.diagnostics), want);
    }

    let err = unary::<_, pb::call_function::Response>(
        &s.ch,
        paths::CALL_FUNCTION,
        pb::call_function::Request::default(),
    )
    .await
    .expect_err("not served");
    assert_eq!(err.code(), tonic::Code::Unimplemented);

    let stop: pb::stop_provider::Response =
        unary(&s.ch, paths::STOP_PROVIDER, pb::stop_provider::Request {})
            .await
            .expect("stop");
    assert_eq!(stop.error, "");
}

#[tokio::test]
async fn messages_above_tonics_4_mib_default_pass_both_ways() {
    let s = start().await;
    let mut planned = widget("big");
    planned.set_attr("id", Value::Unknown);
    planned.set_attr("blob", Value::string("x".repeat(6 << 20)));
    let applied: pb::apply_resource_change::Response = unary(
        &s.ch,
        paths::APPLY_RESOURCE_CHANGE,
        pb::apply_resource_change::Request {
            type_name: "test_widget".into(),
            prior_state: dv(&Value::Null),
            planned_state: dv(&planned),
            config: dv(&planned),
            ..Default::default()
        },
    )
    .await
    .expect("6 MiB request and response");
    assert_eq!(
        decode(applied.new_state)
            .attr("blob")
            .as_str()
            .map(str::len),
        Some(6 << 20)
    );
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let s = start().await;
    let _: paasform::protocol::proto::plugin::Empty = unary(
        &s.ch,
        paths::SHUTDOWN,
        paasform::protocol::proto::plugin::Empty {},
    )
    .await
    .expect("shutdown rpc");
    assert!(s.shutdown.is_triggered());
    assert_eq!(s.task.await.expect("join"), Ok(()));
}
