//! R2 bucket CORS policy and object lifecycle rules: validated against `r2_cors-rule` and
//! `r2_lifecycle-rule`, stored as sent, answered back verbatim. Must not import other vendor modules.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

use super::{fail, invalid, ok, parse_object, scope, with_bucket, Reply, CODE_NO_CORS};
use crate::world::Emulator;

const CORS_METHODS: [&str; 5] = ["GET", "PUT", "POST", "DELETE", "HEAD"];

type Invalid = axum::response::Response;

/// The `rules` array of a PUT body.
fn rules(body: &Map<String, Value>) -> Result<Vec<Value>, Invalid> {
    match body.get("rules") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(rules)) => Ok(rules.clone()),
        Some(_) => Err(invalid("rules must be an array.")),
    }
}

fn string_list(v: Option<&Value>, what: &str, required: bool) -> Result<(), Invalid> {
    match v {
        None | Some(Value::Null) if !required => Ok(()),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => Ok(()),
        _ => Err(invalid(format!("{what} must be an array of strings."))),
    }
}

fn check_cors_rule(rule: &Value) -> Result<(), Invalid> {
    let allowed = rule
        .get("allowed")
        .filter(|a| a.is_object())
        .ok_or_else(|| invalid("Each CORS rule needs an allowed object."))?;
    string_list(allowed.get("origins"), "allowed.origins", true)?;
    string_list(allowed.get("methods"), "allowed.methods", true)?;
    string_list(allowed.get("headers"), "allowed.headers", false)?;
    string_list(rule.get("exposeHeaders"), "exposeHeaders", false)?;
    let methods = allowed["methods"].as_array().into_iter().flatten();
    if let Some(bad) = methods
        .filter_map(Value::as_str)
        .find(|m| !CORS_METHODS.contains(m))
    {
        return Err(invalid(format!(
            "Unsupported CORS method {bad}: use GET, PUT, POST, DELETE or HEAD."
        )));
    }
    match rule.get("maxAgeSeconds") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_f64().is_some_and(|n| n >= 0.0) => {}
        Some(_) => return Err(invalid("maxAgeSeconds must be a non-negative number.")),
    }
    match rule.get("id") {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(_) => Err(invalid("A CORS rule id must be a string.")),
    }
}

pub async fn get_cors(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    match with_bucket(&emu, &scope, &name, |b| b.cors.clone())? {
        Some(rules) => ok(json!({"rules": rules})),
        None => Err(fail(
            StatusCode::NOT_FOUND,
            CODE_NO_CORS,
            "The CORS configuration does not exist.",
        )),
    }
}

pub async fn put_cors(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let rules = rules(&parse_object(&body)?)?;
    rules.iter().try_for_each(check_cors_rule)?;
    with_bucket(&emu, &scope, &name, |b| b.cors = Some(rules))?;
    ok(json!({}))
}

/// Removing a policy that is not there succeeds too.
pub async fn delete_cors(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    with_bucket(&emu, &scope, &name, |b| b.cors = None)?;
    ok(json!({}))
}

/// `{"type":"Age","maxAge":n}` or (when `dates` allows) `{"type":"Date","date":"…"}`.
fn check_condition(cond: Option<&Value>, what: &str, dates: bool) -> Result<(), Invalid> {
    let cond = cond.ok_or_else(|| invalid(format!("{what} needs a condition.")))?;
    match cond.get("type").and_then(Value::as_str) {
        Some("Age")
            if cond
                .get("maxAge")
                .and_then(Value::as_i64)
                .is_some_and(|n| n >= 0) =>
        {
            Ok(())
        }
        Some("Date")
            if dates
                && cond
                    .get("date")
                    .and_then(Value::as_str)
                    .is_some_and(looks_like_date_time) =>
        {
            Ok(())
        }
        _ => Err(invalid(format!(
            "{what}.condition must be {{\"type\":\"Age\",\"maxAge\":seconds}}{}.",
            if dates {
                " or {\"type\":\"Date\",\"date\":RFC 3339}"
            } else {
                ""
            }
        ))),
    }
}

/// `YYYY-MM-DDTHH:MM:SS…`: enough to reject a plain date or free text.
fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

fn check_lifecycle_rule(rule: &Value) -> Result<(), Invalid> {
    if !rule.get("id").is_some_and(Value::is_string) {
        return Err(invalid("Each lifecycle rule needs a string id."));
    }
    if !rule.get("enabled").is_some_and(Value::is_boolean) {
        return Err(invalid("Each lifecycle rule needs enabled (boolean)."));
    }
    if !rule
        .get("conditions")
        .and_then(|c| c.get("prefix"))
        .is_some_and(Value::is_string)
    {
        return Err(invalid(
            "Each lifecycle rule needs conditions.prefix (string).",
        ));
    }
    if let Some(t) = rule.get("deleteObjectsTransition").filter(|t| !t.is_null()) {
        check_condition(t.get("condition"), "deleteObjectsTransition", true)?;
    }
    if let Some(t) = rule
        .get("abortMultipartUploadsTransition")
        .filter(|t| !t.is_null())
    {
        check_condition(t.get("condition"), "abortMultipartUploadsTransition", false)?;
    }
    match rule.get("storageClassTransitions") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(ts)) => ts.iter().try_for_each(|t| {
            check_condition(t.get("condition"), "storageClassTransitions", true)?;
            match t.get("storageClass").and_then(Value::as_str) {
                Some("InfrequentAccess") => Ok(()),
                _ => Err(invalid(
                    "storageClassTransitions[].storageClass must be InfrequentAccess.",
                )),
            }
        }),
        Some(_) => Err(invalid("storageClassTransitions must be an array.")),
    }
}

pub async fn get_lifecycle(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let rules = with_bucket(&emu, &scope, &name, |b| b.lifecycle.clone())?;
    ok(json!({"rules": rules}))
}

pub async fn put_lifecycle(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let rules = rules(&parse_object(&body)?)?;
    rules.iter().try_for_each(check_lifecycle_rule)?;
    let mut ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(invalid("Lifecycle rule ids must be unique."));
    }
    with_bucket(&emu, &scope, &name, |b| b.lifecycle = rules)?;
    ok(json!({}))
}
