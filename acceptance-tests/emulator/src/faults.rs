//! Fault injection: latency, per-credential rate limits, random 429 (with `Retry-After`) / 500 / 503
//! answers, dropped connections, and "commit then drop" for creates. Deterministic for a given
//! `--seed` when requests arrive one at a time. Applied to the vendor routes only, never to
//! `/_emulator/*` (see `world.rs`).
//! Owns nothing vendor-specific beyond the shape of an error body; must not import vendor modules.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::world::{credential, Config, Emulator};

/// The rolling window of the per-credential rate limit.
const RATE_WINDOW: Duration = Duration::from_secs(60);
/// Largest request body inspected to classify a GraphQL mutation.
const MAX_INSPECTED_BODY: usize = 16 * 1024 * 1024;

/// Fault state shared by every request: the seeded generator and the rate-limit windows.
pub struct Faults {
    rng: Mutex<u64>,
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Requests the rate limit refused (429), for tests that promise a client never hits it.
    refused: std::sync::atomic::AtomicU64,
    /// How many requests of each `Config::fail_operations` operation were failed so far.
    failed_operations: Mutex<HashMap<String, u32>>,
}

/// One injected failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    TooManyRequests,
    Internal,
    Unavailable,
    DropConnection,
}

impl Faults {
    pub fn new(config: &Config) -> Self {
        Faults {
            rng: Mutex::new(config.seed.wrapping_add(0x9E37_79B9_7F4A_7C15)),
            windows: Mutex::new(HashMap::new()),
            refused: std::sync::atomic::AtomicU64::new(0),
            failed_operations: Mutex::new(HashMap::new()),
        }
    }

    /// How many requests the rate limit has refused so far.
    pub fn rate_limited(&self) -> u64 {
        self.refused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether this request of `operation` is one of the first `n` the config fails.
    fn fail_operation(&self, config: &Config, operation: &str) -> bool {
        let Some((_, n)) = config.fail_operations.iter().find(|(o, _)| o == operation) else {
            return false;
        };
        let mut failed = self
            .failed_operations
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let count = failed.entry(operation.to_string()).or_default();
        if *count >= *n {
            return false;
        }
        *count += 1;
        true
    }

    /// splitmix64: tiny, good enough, and the same sequence for the same seed on every platform.
    fn next_u64(&self) -> u64 {
        let mut state = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p` (no draw at all when `p <= 0`, so a zero rate never shifts the
    /// sequence of another fault kind).
    fn chance(&self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    fn pick_fault(&self) -> Fault {
        match self.next_u64() % 4 {
            0 => Fault::TooManyRequests,
            1 => Fault::Internal,
            2 => Fault::Unavailable,
            _ => Fault::DropConnection,
        }
    }

    /// Admit one request for `who` (`Ok(remaining, seconds until the window frees a slot)`) or
    /// refuse it (`Err(seconds until a slot frees)`).
    fn rate_limit(&self, who: &str, per_window: u32, span: Duration) -> Result<(u32, u64), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(who.to_string()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= span)
        {
            window.pop_front();
        }
        let admitted = window.len() < per_window as usize;
        if admitted {
            window.push_back(now);
        }
        let oldest = window.front().copied().unwrap_or(now);
        let wait = span.saturating_sub(now.duration_since(oldest));
        // Round up: a client that waits exactly Retry-After seconds must find a free slot.
        let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        if admitted {
            Ok((per_window.saturating_sub(window.len() as u32), secs))
        } else {
            Err(secs)
        }
    }
}

/// The middleware: latency, then the rate limit, then a random fault, then the real handler
/// (possibly followed by dropping the connection after a committed create).
pub async fn fault_layer(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let config = &emu.config;
    if config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(config.latency_ms)).await;
    }
    let vendor = Vendor::of(req.uri().path());
    let mut budget = None;
    if config.rate_limit_per_minute > 0 {
        let who = credential(req.headers()).unwrap_or_default();
        let span = config.rate_limit_window.unwrap_or(RATE_WINDOW);
        match emu
            .faults
            .rate_limit(&who, config.rate_limit_per_minute, span)
        {
            Ok(left) => budget = Some(left),
            Err(wait) => {
                emu.faults
                    .refused
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let mut refused = too_many_requests(vendor, wait);
                vendor.rate_headers(&mut refused, config.rate_limit_per_minute, 0, wait);
                return refused;
            }
        }
    }
    let mut response = pass_faults(&emu, vendor, req, next).await;
    if let Some((remaining, reset)) = budget {
        vendor.rate_headers(
            &mut response,
            config.rate_limit_per_minute,
            remaining,
            reset,
        );
    }
    response
}

/// Everything after the rate limit: an injected fault, or the real handler.
async fn pass_faults(emu: &Emulator, vendor: Vendor, req: Request, next: Next) -> Response {
    let config = &emu.config;
    if emu.faults.chance(config.fault_rate) {
        return match emu.faults.pick_fault() {
            Fault::TooManyRequests => too_many_requests(vendor, 1),
            Fault::Internal => vendor.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "injected fault: internal server error",
            ),
            Fault::Unavailable => vendor.error(
                StatusCode::SERVICE_UNAVAILABLE,
                "injected fault: service unavailable",
            ),
            Fault::DropConnection => dropped_connection(),
        };
    }
    let req = if vendor == Vendor::Railway && !config.fail_operations.is_empty() {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_INSPECTED_BODY).await {
            Ok(b) => b,
            Err(e) => {
                return vendor.error(StatusCode::BAD_REQUEST, &format!("unreadable body: {e}"))
            }
        };
        let operation = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|b| {
                b.get("operationName")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        if emu.faults.fail_operation(config, &operation) {
            return railway_internal_error();
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    if config.drop_after_commit_rate <= 0.0 {
        return next.run(req).await;
    }
    let (req, is_create) = match classify_create(req, vendor).await {
        Ok(classified) => classified,
        Err(response) => return response,
    };
    let drop_it = is_create && emu.faults.chance(config.drop_after_commit_rate);
    let response = next.run(req).await;
    if drop_it && response.status().is_success() {
        return dropped_connection();
    }
    response
}

/// Whether a request creates something: any REST POST, or a Railway GraphQL mutation with a
/// top-level field named `…Create`. GraphQL bodies are buffered and handed on unchanged.
async fn classify_create(req: Request, vendor: Vendor) -> Result<(Request, bool), Response> {
    if req.method() != Method::POST {
        return Ok((req, false));
    }
    if vendor != Vendor::Railway {
        return Ok((req, true));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_INSPECTED_BODY)
        .await
        .map_err(|e| vendor.error(StatusCode::BAD_REQUEST, &format!("unreadable body: {e}")))?;
    let is_create = graphql_creates(&bytes);
    Ok((Request::from_parts(parts, Body::from(bytes)), is_create))
}

/// True when the GraphQL request's chosen mutation has a top-level field ending in `Create`.
fn graphql_creates(body: &[u8]) -> bool {
    use graphql_parser::query::{Definition, OperationDefinition, Selection};
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let Some(query) = request.get("query").and_then(Value::as_str) else {
        return false;
    };
    let wanted = request.get("operationName").and_then(Value::as_str);
    let Ok(document) = graphql_parser::parse_query::<String>(query) else {
        return false;
    };
    document.definitions.iter().any(|definition| {
        let Definition::Operation(OperationDefinition::Mutation(mutation)) = definition else {
            return false;
        };
        if wanted.is_some() && mutation.name.as_deref() != wanted {
            return false;
        }
        mutation.selection_set.items.iter().any(|selection| {
            matches!(selection, Selection::Field(field) if field.name.ends_with("Create"))
        })
    })
}

/// A response whose body fails before its first byte: hyper aborts the connection, so the client
/// sees a transport error rather than a status.
fn dropped_connection() -> Response {
    let failing = futures::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected fault: connection dropped",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// How Railway reports an internal failure: HTTP 200, `errors[]` with INTERNAL_SERVER_ERROR.
fn railway_internal_error() -> Response {
    Json(json!({
        "data": null,
        "errors": [{
            "message": "Problem processing request",
            "extensions": { "code": "INTERNAL_SERVER_ERROR" },
        }],
    }))
    .into_response()
}

fn too_many_requests(vendor: Vendor, retry_after_secs: u64) -> Response {
    let mut response = vendor.error(StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded");
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}

/// Which vendor a path belongs to, for the shape of an injected error body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vendor {
    Tailscale,
    Render,
    Railway,
    Vercel,
    Cloudflare,
    Other,
}

impl Vendor {
    fn of(path: &str) -> Vendor {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        match first {
            "tailscale" => Vendor::Tailscale,
            "render" => Vendor::Render,
            "railway" => Vendor::Railway,
            "vercel" => Vendor::Vercel,
            "cloudflare" => Vendor::Cloudflare,
            _ => Vendor::Other,
        }
    }

    /// The rate-limit headers the vendor documents, on every answer while a limit is set: Render
    /// `Ratelimit-Limit/Remaining/Reset` (reset in UTC epoch seconds, per its API reference);
    /// Vercel and Railway `X-RateLimit-Limit/Remaining/Reset` (epoch seconds). Tailscale and
    /// Cloudflare's v4 API document none here, so they send none.
    fn rate_headers(self, response: &mut Response, limit: u32, remaining: u32, reset_in: u64) {
        let prefix = match self {
            Vendor::Render => "ratelimit",
            Vendor::Vercel | Vendor::Railway => "x-ratelimit",
            _ => return,
        };
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() + reset_in)
            .unwrap_or(reset_in);
        for (name, value) in [
            ("limit", limit as u64),
            ("remaining", remaining as u64),
            ("reset", reset),
        ] {
            if let (Ok(n), Ok(v)) = (
                axum::http::HeaderName::try_from(format!("{prefix}-{name}")),
                HeaderValue::from_str(&value.to_string()),
            ) {
                response.headers_mut().insert(n, v);
            }
        }
    }

    /// An error in the vendor's own error shape, so clients exercise their real error parsing.
    fn error(self, status: StatusCode, message: &str) -> Response {
        let body = match self {
            Vendor::Tailscale | Vendor::Other => json!({ "message": message }),
            Vendor::Render => json!({ "id": status.as_u16().to_string(), "message": message }),
            Vendor::Railway => json!({ "errors": [{ "message": message }] }),
            Vendor::Vercel => json!({
                "error": { "code": vercel_code(status), "message": message }
            }),
            Vendor::Cloudflare => json!({
                "success": false,
                "errors": [{ "code": 10000 + u32::from(status.as_u16()), "message": message }],
                "messages": [],
                "result": null,
            }),
        };
        (status, Json(body)).into_response()
    }
}

fn vercel_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        StatusCode::SERVICE_UNAVAILABLE => "service_unavailable",
        _ => "internal_server_error",
    }
}

#[cfg(test)]
mod tests {
    use super::graphql_creates;
    use serde_json::json;

    fn body(query: &str, operation: Option<&str>) -> Vec<u8> {
        let mut request = json!({ "query": query });
        if let Some(name) = operation {
            request["operationName"] = json!(name);
        }
        serde_json::to_vec(&request).unwrap_or_default()
    }

    #[test]
    fn only_mutations_with_a_create_field_count_as_creates() {
        let create = "mutation M($i: ServiceCreateInput!) { serviceCreate(input: $i) { id } }";
        assert!(graphql_creates(&body(create, None)));
        assert!(graphql_creates(&body(create, Some("M"))));
        assert!(!graphql_creates(&body(create, Some("Other"))));
        let update = "mutation { serviceUpdate(id: \"s\", input: {}) { id } }";
        assert!(!graphql_creates(&body(update, None)));
        let query = "query { serviceCreate { id } }";
        assert!(!graphql_creates(&body(query, None)));
        assert!(!graphql_creates(b"not json"));
        assert!(!graphql_creates(&body("mutation {", None)));
    }
}
