//! Railway's GraphQL transport: one POST per operation to the GraphQL endpoint, bearer (account or
//! team token) or `Project-Access-Token` auth, GraphQL `errors[]` of a 200 answer mapped to
//! `ApiError`, truncated/HTML/empty answers reported as `Decode` naming the operation, and
//! Relay-style pagination (`edges`/`pageInfo`). The typed operations live in `client/ops.rs`, the
//! response models in `client/models.rs`. HTTP and JSON only: imports no framework types but the
//! stop signal.

pub mod deploys;
pub mod models;
pub mod ops;
pub mod queries;

use serde_json::{json, Map, Value as Json};

use self::queries::Operation;
use crate::clouds::http::{ApiError, Auth, Call, HttpClient, RetryPolicy};
use crate::stop::StopSignal;

pub const DEFAULT_BASE_URL: &str = "https://backboard.railway.com/graphql/v2";
/// Page size for connections (Railway caps `first` at 100).
pub const PAGE_SIZE: i64 = 100;
/// A guard against a server that never ends a listing.
const MAX_PAGES: usize = 500;

#[derive(Clone, Debug)]
pub struct RailwayClient {
    http: HttpClient,
}

impl RailwayClient {
    pub fn new(base_url: &str, auth: Auth, stop: StopSignal) -> Result<Self, ApiError> {
        let http = HttpClient::new("Railway", base_url, auth, railway_error_message, stop)?;
        Ok(RailwayClient { http })
    }

    /// Replace the retry policy (tests use short delays).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.http.retry = retry;
        self
    }

    /// Wait before retry number `attempt` of a multi-call step (the client's backoff); false
    /// when the retry policy allows no more attempts.
    pub async fn pause_before_retry(&self, attempt: u32) -> Result<bool, ApiError> {
        self.http.pause_before_retry(attempt).await
    }

    /// Run one operation and return its `data` object. Private: the typed methods of `ops.rs` are
    /// the client's public face, so no JSON crosses it. HTTP-level retries (429 with Retry-After,
    /// 5xx and transport errors for idempotent operations) happen in the HTTP layer; a rate limit
    /// reported inside a 200 answer is retried here with the same backoff.
    async fn execute(&self, op: &Operation, variables: Json) -> Result<Json, ApiError> {
        self.execute_with_secrets(op, variables, &[]).await
    }

    /// `execute`, marking `secrets` (values the variables carry) for redaction. GraphQL servers
    /// echo variables in their `errors[]`: those errors pass the same redaction as every HTTP
    /// error of this client.
    async fn execute_with_secrets(
        &self,
        op: &Operation,
        variables: Json,
        secrets: &[&str],
    ) -> Result<Json, ApiError> {
        let body = json!({"query": op.document, "operationName": op.name, "variables": variables});
        let mut attempt = 1u32;
        loop {
            let mut call = Call::post("", body.clone()).idempotent(op.idempotent);
            for s in secrets {
                call = call.secret(*s);
            }
            let bytes = self.http.send_raw(&call).await?;
            match parse_response(op, &bytes) {
                Err(ApiError::RateLimited { message })
                    if self.http.pause_before_retry(attempt).await? =>
                {
                    tracing::debug!(operation = op.name, attempt, message = %self.http.redact(&message), "Railway rate limit; retried");
                    attempt += 1;
                }
                other => return other.map_err(|e| self.http.redact_error(e)),
            }
        }
    }

    /// Run `op` and decode the value at `field` of its data.
    async fn field<T: serde::de::DeserializeOwned>(
        &self,
        op: &Operation,
        variables: Json,
        field: &str,
    ) -> Result<T, ApiError> {
        let data = self.execute(op, variables).await?;
        decode(op, data.get(field).cloned().unwrap_or(Json::Null))
    }

    /// Every node of a connection, following `pageInfo.endCursor` while `hasNextPage`.
    /// `pointer` is the JSON pointer of the connection inside `data` (e.g. `/project/services`).
    async fn paginate(
        &self,
        op: &Operation,
        variables: Map<String, Json>,
        pointer: &str,
    ) -> Result<Vec<Json>, ApiError> {
        let mut nodes = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut vars = variables.clone();
            vars.insert("first".into(), json!(PAGE_SIZE));
            vars.insert(
                "after".into(),
                after.clone().map_or(Json::Null, Json::String),
            );
            let data = self.execute(op, Json::Object(vars)).await?;
            let conn = data.pointer(pointer).ok_or_else(|| {
                ApiError::Decode(format!(
                    "Railway {}: the response has no {pointer}",
                    op.name
                ))
            })?;
            let edges = conn.get("edges").and_then(Json::as_array).ok_or_else(|| {
                ApiError::Decode(format!("Railway {}: {pointer} has no edges", op.name))
            })?;
            nodes.extend(edges.iter().filter_map(|e| e.get("node").cloned()));
            let next = conn
                .pointer("/pageInfo/hasNextPage")
                .and_then(Json::as_bool)
                .unwrap_or(false);
            let cursor = conn
                .pointer("/pageInfo/endCursor")
                .and_then(Json::as_str)
                .map(str::to_string);
            match cursor {
                // A cursor that does not move would loop forever: stop with what we have.
                Some(c) if next && after.as_deref() != Some(c.as_str()) => after = Some(c),
                _ => return Ok(nodes),
            }
        }
        Err(ApiError::Decode(format!(
            "Railway {}: more than {MAX_PAGES} pages",
            op.name
        )))
    }
}

/// Decode a JSON value into a model, naming the operation on failure.
pub fn decode<T: serde::de::DeserializeOwned>(op: &Operation, j: Json) -> Result<T, ApiError> {
    serde_json::from_value(j).map_err(|e| ApiError::Decode(format!("Railway {}: {e}", op.name)))
}

/// The `data` of a GraphQL answer, or the error its `errors[]` (or its malformed body) means.
pub fn parse_response(op: &Operation, bytes: &[u8]) -> Result<Json, ApiError> {
    let what = format!("Railway {}", op.name);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Decode(format!("{what}: empty response")));
    }
    let j: Json = serde_json::from_slice(bytes).map_err(|e| {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        let kind = if first == Some(b'<') {
            "an HTML page, not JSON"
        } else {
            "not valid JSON (truncated?)"
        };
        ApiError::Decode(format!("{what}: the response is {kind}: {e}"))
    })?;
    let Some(obj) = j.as_object() else {
        return Err(ApiError::Decode(format!(
            "{what}: the response is not a JSON object"
        )));
    };
    if let Some(errors) = obj
        .get("errors")
        .and_then(Json::as_array)
        .filter(|e| !e.is_empty())
    {
        return Err(map_errors(op.name, errors));
    }
    match obj.get("data") {
        Some(d @ Json::Object(_)) => Ok(d.clone()),
        _ => Err(ApiError::Decode(format!(
            "{what}: the response has no data"
        ))),
    }
}

/// What kind of failure one GraphQL error entry reports.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Class {
    NotFound,
    Unauthorized,
    RateLimited,
    Internal,
    Invalid,
}

fn classify(code: &str, message: &str) -> Class {
    let m = message.to_ascii_lowercase();
    match code {
        "NOT_FOUND" => Class::NotFound,
        "UNAUTHENTICATED" | "UNAUTHORIZED" | "FORBIDDEN" => Class::Unauthorized,
        "RATE_LIMITED" | "TOO_MANY_REQUESTS" => Class::RateLimited,
        "INTERNAL_SERVER_ERROR" => Class::Internal,
        _ if m.contains("not found") => Class::NotFound,
        _ if m.contains("not authorized")
            || m.contains("unauthorized")
            || m.contains("not authenticated") =>
        {
            Class::Unauthorized
        }
        _ if m.contains("rate limit") || m.contains("too many requests") => Class::RateLimited,
        _ if m.contains("problem processing request") => Class::Internal,
        _ => Class::Invalid,
    }
}

/// One `errors[]` entry as text: the message, and the field it names (an explicit
/// `extensions.field`/`argumentName`, else the last name in `path`).
fn describe_error(e: &Json) -> (Class, String) {
    let message = e
        .get("message")
        .and_then(Json::as_str)
        .unwrap_or("unknown error")
        .to_string();
    let code = e
        .pointer("/extensions/code")
        .and_then(Json::as_str)
        .unwrap_or("");
    let class = classify(code, &message);
    let field = [
        "/extensions/field",
        "/extensions/argumentName",
        "/extensions/argument",
    ]
    .iter()
    .find_map(|p| e.pointer(p).and_then(Json::as_str).map(str::to_string))
    .or_else(|| {
        e.get("path").and_then(Json::as_array).map(|p| {
            p.iter()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(".")
        })
    })
    .filter(|f| !f.is_empty());
    let text = match field {
        Some(f) if !message.contains(&f) => format!("{message} (field `{f}`)"),
        _ => message,
    };
    (class, text)
}

/// Map a non-empty `errors[]` to one ApiError: the most specific class wins (not found before
/// unauthorized before rate limited), the message lists every distinct error.
pub fn map_errors(op_name: &str, errors: &[Json]) -> ApiError {
    let described: Vec<(Class, String)> = errors.iter().map(describe_error).collect();
    let class = described
        .iter()
        .map(|(c, _)| *c)
        .min()
        .unwrap_or(Class::Invalid);
    let mut texts: Vec<&str> = Vec::new();
    for (_, t) in &described {
        if !texts.contains(&t.as_str()) {
            texts.push(t);
        }
    }
    let message = format!("Railway {op_name}: {}", texts.join("; "));
    match class {
        Class::NotFound => ApiError::NotFound { message },
        Class::Unauthorized => ApiError::Unauthorized { message },
        Class::RateLimited => ApiError::RateLimited { message },
        Class::Internal => ApiError::Api {
            status: 500,
            message,
        },
        Class::Invalid => ApiError::Api {
            status: 400,
            message,
        },
    }
}

/// The message of a non-2xx answer: its first GraphQL error, else a plain `message`.
fn railway_error_message(j: &Json) -> Option<String> {
    if let Some(errors) = j
        .get("errors")
        .and_then(Json::as_array)
        .filter(|e| !e.is_empty())
    {
        return Some(
            errors
                .iter()
                .map(|e| describe_error(e).1)
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    j.get("message").and_then(Json::as_str).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::queries::PROJECT;
    use super::*;

    #[test]
    fn errors_map_to_classes() {
        let e = |code: &str, msg: &str| json!({"message": msg, "extensions": {"code": code}, "path": ["project"]});
        assert!(matches!(
            map_errors("P", &[e("NOT_FOUND", "Project not found")]),
            ApiError::NotFound { .. }
        ));
        assert!(matches!(
            map_errors("P", &[json!({"message": "Not Authorized"})]),
            ApiError::Unauthorized { .. }
        ));
        assert!(matches!(
            map_errors("P", &[e("", "You are being rate limited")]),
            ApiError::RateLimited { .. }
        ));
        assert!(matches!(
            map_errors("P", &[e("INTERNAL_SERVER_ERROR", "boom")]),
            ApiError::Api { status: 500, .. }
        ));
        match map_errors(
            "ServiceInstanceUpdate",
            &[
                json!({"message": "Invalid cron", "extensions": {"code": "BAD_USER_INPUT", "field": "cronSchedule"}}),
            ],
        ) {
            ApiError::Api {
                status: 400,
                message,
            } => assert!(
                message.contains("cronSchedule") && message.contains("Invalid cron"),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_answers_are_decode_errors_naming_the_operation() {
        for body in [
            &b""[..],
            b"  ",
            b"<html>502 Bad Gateway</html>",
            b"{\"data\": {\"proj",
            b"[1]",
            b"{\"data\": null}",
        ] {
            match parse_response(&PROJECT, body) {
                Err(ApiError::Decode(m)) => assert!(m.contains("Railway Project"), "{m}"),
                other => panic!("{:?} gave {other:?}", String::from_utf8_lossy(body)),
            }
        }
        assert!(parse_response(&PROJECT, br#"{"data": {"project": {"id": "p"}}}"#).is_ok());
    }
}
