//! Cloudflare R2 bucket management (API v4) emulation, built from `cloudflare-r2.openapi.json`.
//! Routes are nested under `/cloudflare/client/v4`. Owns `R2State`, the Cloudflare envelope and the
//! request prelude (auth, jurisdiction, bucket lookup). Must not import other vendor modules or the
//! provider crate.
//!
//! Behaviour worth knowing:
//! - Buckets are keyed by (account, jurisdiction from `cf-r2-jurisdiction`, default `default`, name):
//!   the same name may exist once per jurisdiction, and a bucket is invisible from another one.
//! - `location` is reported in UPPER case (`ENAM`), as the real API does; `locationHint` must be
//!   one of the spec's lower-case values (an upper-case hint is refused, as the spec's enum says).
//! - Every answer is the `{success, errors, messages, result}` envelope; failures carry Cloudflare's
//!   numeric codes (10000 auth, 10004 exists, 10005 bad name, 10006 no bucket, 10008 not empty,
//!   10059 no CORS policy).
//! - Test hook: `POST /_emulator/r2/{account_id}/{bucket_name}/objects?count=N` (jurisdiction by
//!   header) makes a bucket hold N objects, so deleting it fails with 10008.

// Handlers answer `Result<Response, Response>` (both arms already in the envelope) so `?` can
// return a failure from anywhere; boxing the error arm would buy nothing here.
#![allow(clippy::result_large_err)]

mod buckets;
mod config;
mod domains;

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::world::{credential, Emulator};

/// Failure codes (Cloudflare's where known; see the module header).
pub(crate) const CODE_AUTH: u32 = 10000;
pub(crate) const CODE_EXISTS: u32 = 10004;
pub(crate) const CODE_BAD_NAME: u32 = 10005;
pub(crate) const CODE_NO_BUCKET: u32 = 10006;
pub(crate) const CODE_NOT_EMPTY: u32 = 10008;
/// Malformed body, header or query value.
pub(crate) const CODE_INVALID: u32 = 10040;
pub(crate) const CODE_NO_CORS: u32 = 10059;
pub(crate) const CODE_DOMAIN_EXISTS: u32 = 10073;
pub(crate) const CODE_NO_DOMAIN: u32 = 10075;

#[derive(Default, Serialize, Deserialize)]
pub struct R2State {
    /// `account/jurisdiction/name` → bucket (see [`bucket_key`]).
    #[serde(default)]
    pub buckets: BTreeMap<String, Bucket>,
}

/// A bucket and every setting the v4 API manages for it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Bucket {
    pub account_id: String,
    pub jurisdiction: String,
    pub name: String,
    pub creation_date: String,
    /// Upper case, as reported.
    pub location: String,
    pub storage_class: String,
    /// 32 hex characters; names the r2.dev domain.
    pub bucket_id: String,
    /// `None` until a CORS policy is put (GET answers 404 then).
    #[serde(default)]
    pub cors: Option<Vec<Value>>,
    #[serde(default)]
    pub lifecycle: Vec<Value>,
    #[serde(default)]
    pub custom_domains: BTreeMap<String, CustomDomain>,
    #[serde(default)]
    pub managed_domain_enabled: bool,
    /// Objects held (set by the test hook); a bucket with objects cannot be deleted.
    #[serde(default)]
    pub objects: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct CustomDomain {
    pub domain: String,
    pub zone_id: String,
    pub enabled: bool,
    pub min_tls: Option<String>,
    pub ciphers: Option<Vec<String>>,
}

impl Bucket {
    /// The `r2_bucket` schema.
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "creation_date": self.creation_date,
            "location": self.location,
            "storage_class": self.storage_class,
            "jurisdiction": self.jurisdiction,
        })
    }
}

/// The world key of a bucket. `/` cannot occur in any of the three parts once validated.
pub(crate) fn bucket_key(account: &str, jurisdiction: &str, name: &str) -> String {
    format!("{account}/{jurisdiction}/{name}")
}

pub fn router() -> Router<Emulator> {
    const BUCKET: &str = "/accounts/{account_id}/r2/buckets/{bucket_name}";
    Router::new()
        .route(
            "/accounts/{account_id}/r2/buckets",
            get(buckets::list).post(buckets::create),
        )
        .route(
            BUCKET,
            get(buckets::get)
                .patch(buckets::patch)
                .delete(buckets::delete),
        )
        .route(
            &format!("{BUCKET}/cors"),
            get(config::get_cors)
                .put(config::put_cors)
                .delete(config::delete_cors),
        )
        .route(
            &format!("{BUCKET}/lifecycle"),
            get(config::get_lifecycle).put(config::put_lifecycle),
        )
        .route(
            &format!("{BUCKET}/domains/custom"),
            get(domains::list_custom).post(domains::add_custom),
        )
        .route(
            &format!("{BUCKET}/domains/custom/{{domain}}"),
            get(domains::get_custom)
                .put(domains::edit_custom)
                .delete(domains::remove_custom),
        )
        .route(
            &format!("{BUCKET}/domains/managed"),
            get(domains::get_managed).put(domains::put_managed),
        )
        .route(
            "/_emulator/r2/{account_id}/{bucket_name}/objects",
            post(buckets::hook_set_objects),
        )
}

/// A handler's answer: success or failure, both already in the envelope.
pub(crate) type Reply = Result<Response, Response>;

/// `200` with `result` in the success envelope.
pub(crate) fn ok(result: Value) -> Reply {
    Ok(
        Json(json!({"success": true, "errors": [], "messages": [], "result": result}))
            .into_response(),
    )
}

/// The failure envelope (`r2_v4_response_failure`).
pub(crate) fn fail(status: StatusCode, code: u32, message: impl Into<String>) -> Response {
    let body = json!({
        "success": false,
        "errors": [{"code": code, "message": message.into()}],
        "messages": [],
        "result": null,
    });
    (status, Json(body)).into_response()
}

pub(crate) fn invalid(message: impl Into<String>) -> Response {
    fail(StatusCode::BAD_REQUEST, CODE_INVALID, message)
}

pub(crate) fn no_bucket() -> Response {
    fail(
        StatusCode::NOT_FOUND,
        CODE_NO_BUCKET,
        "The specified bucket does not exist.",
    )
}

/// Who and where a bucket call is for.
pub(crate) struct Scope {
    pub account: String,
    pub jurisdiction: String,
}

impl Scope {
    pub fn key(&self, name: &str) -> String {
        bucket_key(&self.account, &self.jurisdiction, name)
    }
}

/// The prelude of every call: credentials (bearer token, or `X-Auth-Email` + `X-Auth-Key`), then
/// the jurisdiction header.
pub(crate) fn scope(emu: &Emulator, headers: &HeaderMap, account: &str) -> Result<Scope, Response> {
    if !authenticated(emu, headers) {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            CODE_AUTH,
            "Authentication error",
        ));
    }
    let jurisdiction = jurisdiction(headers)?;
    if account.is_empty() || account.len() > 32 || account.contains('/') {
        return Err(invalid("Invalid account identifier."));
    }
    Ok(Scope {
        account: account.to_string(),
        jurisdiction,
    })
}

pub(crate) fn authenticated(emu: &Emulator, headers: &HeaderMap) -> bool {
    let api_key = headers
        .get("x-auth-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && headers.contains_key("x-auth-email"));
    let given = credential(headers).or(api_key.map(str::to_string));
    match (given, &emu.config.token) {
        (None, _) => false,
        (Some(given), Some(want)) => &given == want,
        (Some(_), None) => true,
    }
}

/// `cf-r2-jurisdiction`: default, eu or fedramp; absent means default.
pub(crate) fn jurisdiction(headers: &HeaderMap) -> Result<String, Response> {
    let Some(raw) = headers.get("cf-r2-jurisdiction") else {
        return Ok("default".to_string());
    };
    let value = raw.to_str().unwrap_or("").trim().to_ascii_lowercase();
    match value.as_str() {
        "default" | "eu" | "fedramp" => Ok(value),
        _ => Err(invalid(
            "The cf-r2-jurisdiction header must be one of default, eu, fedramp.",
        )),
    }
}

/// Run `f` on an existing bucket, or answer 404.
pub(crate) fn with_bucket<R>(
    emu: &Emulator,
    scope: &Scope,
    name: &str,
    f: impl FnOnce(&mut Bucket) -> R,
) -> Result<R, Response> {
    let key = scope.key(name);
    emu.with_world(|w| w.r2.buckets.get_mut(&key).map(f))
        .ok_or_else(no_bucket)
}

/// A JSON request body; an empty body reads as `null`.
pub(crate) fn parse_body(body: &Bytes) -> Result<Value, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| invalid(format!("Malformed JSON in request body: {e}")))
}

/// A body that must be a JSON object.
pub(crate) fn parse_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    match parse_body(body)? {
        Value::Object(m) => Ok(m),
        _ => Err(invalid("The request body must be a JSON object.")),
    }
}
