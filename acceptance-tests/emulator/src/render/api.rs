//! Shared plumbing for the Render emulator: the credential check, Render's error body
//! (`{"id", "message"}`), JSON body and query parsing, field validation, cursor pagination, clocks
//! and generators. Knows about no particular resource; must not import the resource modules.

use std::time::{Duration, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::world::{self, Emulator};

pub type ApiResult = Result<Response, ApiError>;
pub type Object = Map<String, Value>;

/// An error answered with Render's error schema.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Render's `error.id` is an opaque identifier of the failure; a fresh random one will do.
        world::json_error(
            self.status,
            json!({"id": world::new_id("err-"), "message": self.message}),
        )
    }
}

/// Extractor that rejects a request without an acceptable credential with Render's 401.
pub struct Authed;

impl FromRequestParts<Emulator> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, emu: &Emulator) -> Result<Self, ApiError> {
        if world::authorized(emu, &parts.headers) {
            Ok(Authed)
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "Unauthorized: a valid API key is required",
            ))
        }
    }
}

/// A JSON response with a status.
pub fn reply(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// A bodiless response (204, 202).
pub fn empty(status: StatusCode) -> Response {
    status.into_response()
}

fn parse_json(body: &Bytes) -> Result<Value, ApiError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
}

/// The request body as a JSON object; an empty body is an empty object.
pub fn body_object(body: &Bytes) -> Result<Object, ApiError> {
    match parse_json(body)? {
        Value::Null => Ok(Map::new()),
        Value::Object(m) => Ok(m),
        _ => Err(ApiError::bad_request("request body must be a JSON object")),
    }
}

/// The request body as a JSON array.
pub fn body_array(body: &Bytes) -> Result<Vec<Value>, ApiError> {
    match parse_json(body)? {
        Value::Array(items) => Ok(items),
        _ => Err(ApiError::bad_request("request body must be a JSON array")),
    }
}

pub fn opt_str(obj: &Object, key: &str) -> Result<Option<String>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

/// A required, non-empty string field.
pub fn req_str(obj: &Object, key: &str) -> Result<String, ApiError> {
    opt_str(obj, key)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("{key} is required")))
}

pub fn check_enum(key: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid {key} {value:?}: must be one of {}",
            allowed.join(", ")
        )))
    }
}

pub fn opt_enum(obj: &Object, key: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    let value = opt_str(obj, key)?;
    if let Some(v) = &value {
        check_enum(key, v, allowed)?;
    }
    Ok(value)
}

pub fn opt_int(obj: &Object, key: &str) -> Result<Option<i64>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("{key} must be an integer"))),
    }
}

pub fn opt_bool(obj: &Object, key: &str) -> Result<Option<bool>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a boolean"))),
    }
}

pub fn opt_object<'a>(obj: &'a Object, key: &str) -> Result<Option<&'a Object>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an object"))),
    }
}

pub fn opt_array<'a>(obj: &'a Object, key: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an array"))),
    }
}

/// An array element that must be an object.
pub fn as_object<'a>(value: &'a Value, what: &str) -> Result<&'a Object, ApiError> {
    value
        .as_object()
        .ok_or_else(|| ApiError::bad_request(format!("each {what} must be an object")))
}

/// Query parameters of a list call. Array filters may be repeated (`type=a&type=b`) or
/// comma-separated (`type=a,b`); both are accepted.
pub struct ListQuery(pub Vec<(String, String)>);

impl ListQuery {
    pub fn values(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Whether `value` passes the array filter `key` (an absent filter passes everything).
    pub fn allows(&self, key: &str, value: &str) -> bool {
        let wanted = self.values(key);
        wanted.is_empty() || wanted.iter().any(|w| w == value)
    }

    /// Whether a resource that is (or is not) suspended passes the `suspended` filter.
    pub fn allows_suspension(&self, suspended: bool) -> bool {
        self.allows("suspended", suspension(suspended))
    }

    fn first(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `limit`: default 20, at most 100 (larger values are capped, as Render documents).
    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.first("limit") {
            None => Ok(20),
            Some(raw) => match raw.parse::<usize>() {
                Ok(0) | Err(_) => Err(ApiError::bad_request(format!(
                    "invalid limit {raw:?}: must be an integer between 1 and 100"
                ))),
                Ok(n) => Ok(n.min(100)),
            },
        }
    }
}

/// The spec's `suspended` enum value (services and Postgres).
pub fn suspension(suspended: bool) -> &'static str {
    if suspended {
        "suspended"
    } else {
        "not_suspended"
    }
}

/// One page of `items` (each a cursor and a resource) as Render's `[{cursor, <key>: …}]`.
/// The cursor of an item is its id; a page starts after the item whose cursor was given, and an
/// unknown cursor yields an empty page.
pub fn page(items: Vec<(String, Value)>, key: &str, q: &ListQuery) -> ApiResult {
    let limit = q.limit()?;
    let start = match q.first("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => items
            .iter()
            .position(|(id, _)| id == c)
            .map(|i| i + 1)
            .unwrap_or(items.len()),
    };
    let out: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(limit)
        .map(|(cursor, item)| {
            let mut entry = Map::new();
            entry.insert("cursor".into(), Value::String(cursor));
            entry.insert(key.into(), item);
            Value::Object(entry)
        })
        .collect();
    Ok(reply(StatusCode::OK, Value::Array(out)))
}

/// RFC 3339 timestamp of a millisecond epoch time.
pub fn rfc3339_at(ms: u64) -> String {
    world::rfc3339(UNIX_EPOCH + Duration::from_millis(ms))
}

fn random_from(alphabet: &[u8], len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// A random secret of letters and digits (generated env values, database passwords).
pub fn random_secret(len: usize) -> String {
    random_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        len,
    )
}

pub fn random_lower(len: usize) -> String {
    random_from(b"abcdefghijklmnopqrstuvwxyz0123456789", len)
}

pub fn random_hex(len: usize) -> String {
    random_from(b"0123456789abcdef", len)
}

/// A CIDR allow-list (`[{cidrBlock, description}]`), validated.
pub fn ip_allow_list(items: &[Value]) -> Result<Value, ApiError> {
    let mut out = Vec::new();
    for item in items {
        let obj = as_object(item, "ipAllowList entry")?;
        let cidr = req_str(obj, "cidrBlock")?;
        if !looks_like_cidr(&cidr) {
            return Err(ApiError::bad_request(format!("invalid cidrBlock {cidr:?}")));
        }
        let description = opt_str(obj, "description")?.unwrap_or_default();
        out.push(json!({"cidrBlock": cidr, "description": description}));
    }
    Ok(Value::Array(out))
}

fn looks_like_cidr(cidr: &str) -> bool {
    let Some((addr, bits)) = cidr.split_once('/') else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits.parse::<u8>().is_ok_and(|b| b <= 32),
        Ok(std::net::IpAddr::V6(_)) => bits.parse::<u8>().is_ok_and(|b| b <= 128),
        Err(_) => false,
    }
}
