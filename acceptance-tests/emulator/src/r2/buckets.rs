//! R2 bucket routes: list (cursor pagination), create, get, patch (storage class), delete, and the
//! test hook that fills a bucket with objects. Must not import other vendor modules.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::{
    fail, invalid, ok, parse_object, scope, with_bucket, Bucket, Reply, Scope, CODE_BAD_NAME,
    CODE_EXISTS, CODE_NOT_EMPTY,
};
use crate::world::{now_rfc3339, Emulator};

const LOCATIONS: [&str; 6] = ["apac", "eeur", "enam", "weur", "wnam", "oc"];
const STORAGE_CLASSES: [&str; 2] = ["Standard", "InfrequentAccess"];
const DEFAULT_PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 1000;
const CURSOR_PREFIX: &str = "1-";

/// Bucket names: 3–63 characters, lowercase letters, digits and hyphens, no hyphen at either end.
pub(crate) fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn bad_name() -> axum::response::Response {
    fail(
        StatusCode::BAD_REQUEST,
        CODE_BAD_NAME,
        "The specified bucket name is not valid.",
    )
}

pub async fn list(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let per_page = per_page(query.get("per_page"))?;
    let descending = match query.get("direction").map(String::as_str) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return Err(invalid("direction must be asc or desc.")),
    };
    if query.get("order").is_some_and(|o| o != "name") {
        return Err(invalid("order must be name."));
    }
    // The cursor carries the last name served, so it wins over start_after.
    let after = match query.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => Some(decode_cursor(c).ok_or_else(|| invalid("Invalid cursor."))?),
        None => query.get("start_after").cloned(),
    };
    let contains = query.get("name_contains").cloned().unwrap_or_default();
    let mut names: Vec<Bucket> = emu.with_world(|w| {
        w.r2.buckets
            .values()
            .filter(|b| b.account_id == scope.account && b.jurisdiction == scope.jurisdiction)
            .filter(|b| b.name.contains(&contains))
            .cloned()
            .collect()
    });
    names.sort_by(|a, b| a.name.cmp(&b.name));
    if descending {
        names.reverse();
    }
    if let Some(after) = &after {
        names.retain(|b| {
            if descending {
                b.name < *after
            } else {
                b.name > *after
            }
        });
    }
    let more = names.len() > per_page;
    names.truncate(per_page);
    let mut info = json!({"per_page": per_page});
    if let (true, Some(last)) = (more, names.last()) {
        info["cursor"] = json!(encode_cursor(&last.name));
    }
    let buckets: Vec<Value> = names.iter().map(Bucket::to_json).collect();
    let reply = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": {"buckets": buckets},
        "result_info": info,
    });
    Ok(axum::response::IntoResponse::into_response(axum::Json(
        reply,
    )))
}

fn per_page(raw: Option<&String>) -> Result<usize, axum::response::Response> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_PER_PAGE);
    };
    match raw.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 && n >= 1.0 && n <= MAX_PER_PAGE as f64 => Ok(n as usize),
        _ => Err(invalid("per_page must be a whole number from 1 to 1000.")),
    }
}

/// Opaque to clients: a version prefix and the last name served, hex-encoded.
fn encode_cursor(name: &str) -> String {
    let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{CURSOR_PREFIX}{hex}")
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let hex = cursor.strip_prefix(CURSOR_PREFIX)?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

pub async fn create(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let name = match body.get("name") {
        Some(Value::String(n)) => n.clone(),
        Some(_) => return Err(bad_name()),
        None => return Err(invalid("The request body must include a bucket name.")),
    };
    if !valid_bucket_name(&name) {
        return Err(bad_name());
    }
    let location = location(body.get("locationHint"), &scope)?;
    let storage_class = match body.get("storageClass") {
        None | Some(Value::Null) => "Standard".to_string(),
        Some(v) => storage_class(v.as_str())?,
    };
    let bucket = Bucket {
        account_id: scope.account.clone(),
        jurisdiction: scope.jurisdiction.clone(),
        name: name.clone(),
        creation_date: now_rfc3339(),
        location,
        storage_class,
        bucket_id: format!("{:032x}", rand::random::<u128>()),
        cors: None,
        lifecycle: Vec::new(),
        custom_domains: BTreeMap::new(),
        managed_domain_enabled: false,
        objects: 0,
    };
    let created = emu.with_world(|w| {
        let key = scope.key(&name);
        if w.r2.buckets.contains_key(&key) {
            return None;
        }
        let json = bucket.to_json();
        w.r2.buckets.insert(key, bucket);
        Some(json)
    });
    match created {
        Some(json) => ok(json),
        None => Err(fail(
            StatusCode::CONFLICT,
            CODE_EXISTS,
            "The bucket you tried to create already exists, and you own it.",
        )),
    }
}

/// The reported location: the hint in upper case, or a default for the jurisdiction. The hint
/// itself must be one of the spec's lower-case values (`r2_bucket_location`).
fn location(hint: Option<&Value>, scope: &Scope) -> Result<String, axum::response::Response> {
    match hint {
        None | Some(Value::Null) => Ok(match scope.jurisdiction.as_str() {
            "eu" => "WEUR".to_string(),
            _ => "ENAM".to_string(),
        }),
        Some(Value::String(h)) if LOCATIONS.contains(&h.as_str()) => Ok(h.to_ascii_uppercase()),
        Some(_) => Err(invalid(
            "locationHint must be one of apac, eeur, enam, weur, wnam, oc.",
        )),
    }
}

fn storage_class(raw: Option<&str>) -> Result<String, axum::response::Response> {
    match raw {
        Some(c) if STORAGE_CLASSES.contains(&c) => Ok(c.to_string()),
        _ => Err(invalid(
            "The storage class must be Standard or InfrequentAccess.",
        )),
    }
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    ok(with_bucket(&emu, &scope, &name, |b| b.to_json())?)
}

/// Changes the default storage class, given by the required `cf-r2-storage-class` header.
pub async fn patch(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let Some(class) = headers.get("cf-r2-storage-class") else {
        return Err(invalid("The cf-r2-storage-class header is required."));
    };
    let class = storage_class(class.to_str().ok())?;
    ok(with_bucket(&emu, &scope, &name, |b| {
        b.storage_class = class;
        b.to_json()
    })?)
}

pub async fn delete(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let key = scope.key(&name);
    let outcome = emu.with_world(|w| match w.r2.buckets.get(&key) {
        None => Err(super::no_bucket()),
        Some(b) if b.objects > 0 => Err(fail(
            StatusCode::CONFLICT,
            CODE_NOT_EMPTY,
            "The bucket you tried to delete is not empty.",
        )),
        Some(_) => {
            w.r2.buckets.remove(&key);
            Ok(())
        }
    });
    outcome?;
    ok(json!({}))
}

/// Test hook: the bucket now holds `count` objects (0 empties it). No credentials needed.
pub async fn hook_set_objects(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let jurisdiction = super::jurisdiction(&headers)?;
    let count = match query.get("count").map(|c| c.parse::<u64>()) {
        Some(Ok(n)) => n,
        None => 1,
        Some(Err(_)) => return Err(invalid("count must be a whole number.")),
    };
    let scope = Scope {
        account,
        jurisdiction,
    };
    ok(with_bucket(&emu, &scope, &name, |b| {
        b.objects = count;
        json!({"name": b.name, "objects": b.objects})
    })?)
}
