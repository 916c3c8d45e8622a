//! Railway public API emulation: one GraphQL endpoint (`POST /railway/graphql/v2`), checked against
//! Railway's own schema (`specs/railway.graphql`) and executed against a stateful world.
//!
//! Request pipeline and error shapes (HTTP status chosen as Railway's Apollo-based server answers,
//! which GraphQL-over-HTTP permits for requests that never reach execution):
//! - body not JSON / no `query` → 400, `BAD_REQUEST`;
//! - query does not parse → 400, `GRAPHQL_PARSE_FAILED`;
//! - operation invalid against the schema (unknown field/argument/type, missing required argument,
//!   bad inline value, undeclared/unused/mistyped variable) → 400, `GRAPHQL_VALIDATION_FAILED`,
//!   graphql-js wording and `locations`;
//! - variables that do not fit their declared types → 400, `BAD_USER_INPUT`;
//! - no or wrong credential → 200, `{"data":null,"errors":[{"message":"Not Authorized",
//!   "extensions":{"code":"UNAUTHENTICATED"}}]}`;
//! - field errors while executing (not found, bad input the schema cannot express) → 200 with
//!   `data` (null up to the nearest nullable parent, i.e. `data: null` for Railway's non-null root
//!   fields) and `errors[].path`, codes `NOT_FOUND` / `BAD_USER_INPUT` / `NOT_IMPLEMENTED`.
//!
//! Modelling choices (where Railway's behaviour is not in the schema):
//! - ids are UUIDs; listings come back in creation order; connection cursors are node ids;
//! - `projectCreate` makes one environment (`defaultEnvironmentName`, default `production`) and
//!   points `baseEnvironmentId`/`primaryEnvironmentId` at it;
//! - `environmentCreate` with `sourceEnvironmentId` copies instance settings and all variables;
//!   without it every service gets a default instance and no variables; names are unique per project;
//! - `serviceCreate` adds an instance to every environment; `variables` go to `environmentId` when
//!   given, else to every environment; a `source` records a successful deployment;
//! - `serviceInstanceUpdate` with `environmentId` changes that instance only, without it every
//!   instance of the service; an explicit `null` resets a setting to its default (Railpack builder,
//!   ON_FAILURE ×10, 1 replica, region `us-west2`); regions are [`REGIONS`], cron needs 5 fields;
//! - `serviceDelete` with a forked environment removes only that instance, otherwise the service;
//! - `variables` renders `${{NAME}}`, `${{shared.NAME}}`, `${{Service.NAME}}` (unknown → empty) unless
//!   `unrendered: true`; Railway's injected `RAILWAY_*` variables are not emulated;
//! - deployments succeed at once, except those `serviceInstanceDeploy(V2)` / `serviceInstanceRedeploy`
//!   trigger, which go `INITIALIZING` → `BUILDING` → `DEPLOYING` → `SUCCESS` (or `FAILED` for a
//!   `--fail-deploy` service or commit) over `Config::deploy_ms` (`deploys.rs`); custom domains wait for DNS forever (CNAME `REQUIRES_UPDATE`);
//! - deleting a project/environment/service deletes everything under it, except that a volume
//!   outlives its service (disconnected); volumes get 5000 MB (the Hobby plan's size) in the
//!   service's region, TCP proxies a `*.proxy.rlwy.net` domain and a port in 10000–59999.
//!
//! Submodules: `schema` (SDL index), `validate`, `input` (coercion), `exec` (executor), `state`,
//! `objects` (GraphQL shapes and relations), `queries`, `mutations`, `deploys` (timed deploys), `volumes` (volumes and TCP
//! proxies), `settings`, `error`.
//! Must not import other vendors' modules.

mod deploys;
mod error;
mod exec;
mod input;
mod mutations;
mod objects;
mod queries;
pub mod schema;
mod settings;
mod state;
mod validate;
mod volumes;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub use settings::REGIONS;
pub use state::RailwayState;

use crate::world::{self, Emulator};
use error::{code, errors_body, GqlError};

/// Routes, nested by the world at `/railway/graphql/v2`. axum 0.8 maps a nested `/` to the bare
/// prefix only (`path_for_nested_route`), and a nested `/{*rest}` never matches an empty rest, so
/// the trailing-slash form cannot come from a nested router: see [`trailing_slash_router`].
pub fn router() -> Router<Emulator> {
    Router::new().route("/", post(graphql))
}

/// `POST /railway/graphql/v2/` (with the trailing slash), to be merged at the root of the world's
/// router next to the nested [`router`].
pub fn trailing_slash_router() -> Router<Emulator> {
    Router::new().route(&format!("{ENDPOINT}/"), post(graphql))
}

/// Where the world nests [`router`].
pub const ENDPOINT: &str = "/railway/graphql/v2";

async fn graphql(State(emu): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let (status, body) = handle(&emu, &headers, &body);
    (status, Json(body)).into_response()
}

fn request_error(status: StatusCode, errors: &[GqlError]) -> (StatusCode, Value) {
    (status, errors_body(errors))
}

/// The whole request: parse, validate, authorise, execute. Holds the world lock only while
/// executing (no awaits inside).
fn handle(emu: &Emulator, headers: &HeaderMap, body: &[u8]) -> (StatusCode, Value) {
    let schema = match schema::schema() {
        Ok(s) => s,
        Err(e) => {
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &[GqlError::new(
                    code::INTERNAL,
                    format!("schema unavailable: {e}"),
                )],
            )
        }
    };
    let bad = |msg: &str| {
        request_error(
            StatusCode::BAD_REQUEST,
            &[GqlError::new(code::BAD_REQUEST, msg)],
        )
    };
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(body) else {
        return bad(
            "POST body must be a JSON object {\"query\", \"variables\", \"operationName\"}",
        );
    };
    let Some(query) = req.get("query").and_then(Value::as_str) else {
        return bad("POST body missing \"query\" string");
    };
    let variables = match req.get("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return bad("\"variables\" must be an object"),
    };
    let op_name = req.get("operationName").and_then(Value::as_str);

    let doc = match graphql_parser::parse_query::<String>(query) {
        Ok(d) => d,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                &[GqlError::new(
                    code::PARSE_FAILED,
                    format!("Syntax Error: {e}"),
                )],
            )
        }
    };
    let op = match validate::select_operation(&doc, op_name) {
        Ok(op) => op,
        Err(e) => return request_error(StatusCode::BAD_REQUEST, &[e]),
    };
    let errors = validate::validate(schema, &doc, op);
    if !errors.is_empty() {
        return request_error(StatusCode::BAD_REQUEST, &errors);
    }
    let variables = match validate::coerce_variables(schema, op, &variables) {
        Ok(v) => v,
        Err(errors) => return request_error(StatusCode::BAD_REQUEST, &errors),
    };
    if !world::authorized(emu, headers) {
        let e = GqlError::new(code::UNAUTHENTICATED, "Not Authorized");
        return (
            StatusCode::OK,
            json!({"data": null, "errors": [e.to_json()]}),
        );
    }
    let (data, errors) = emu.with_world(|w| {
        let mut resolver = Railway {
            state: &mut w.railway,
            config: &emu.config,
        };
        exec::execute(schema, &doc, op, &variables, &mut resolver)
    });
    let mut out = Map::new();
    if !errors.is_empty() {
        out.insert(
            "errors".into(),
            Value::Array(errors.iter().map(GqlError::to_json).collect()),
        );
    }
    out.insert("data".into(), data);
    (StatusCode::OK, Value::Object(out))
}

/// Dispatches root fields to queries/mutations and object fields to relations.
struct Railway<'s> {
    state: &'s mut RailwayState,
    config: &'s world::Config,
}

impl exec::Resolver for Railway<'_> {
    fn resolve(
        &mut self,
        parent_type: &str,
        parent: &Value,
        field: &str,
        args: &Map<String, Value>,
    ) -> Result<Option<Value>, GqlError> {
        match parent_type {
            "Query" => queries::query(self.state, field, args).map(Some),
            "Mutation" => {
                let out = mutations::mutation(self.state, field, args)?;
                deploys::time_the_deploy(self.state, self.config, field, args);
                Ok(Some(out))
            }
            _ => match objects::relation(self.state, parent_type, parent, field, args)? {
                Some(v) => Ok(Some(v)),
                None => volumes::relation(self.state, parent_type, parent, field, args),
            },
        }
    }
}
