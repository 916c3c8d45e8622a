//! The shared HTTP layer every vendor client uses: base URL, auth, user agent, timeouts, retries
//! with jittered backoff on 429/5xx and connection errors (honouring Retry-After), stop-awareness,
//! a typed `ApiError`, and the secret registry that keeps every value the provider knows to be
//! secret (the credential, values a request marks secret, secret-named JSON fields) out of the
//! errors it surfaces, with echoed bodies capped. Knows no vendor and no Terraform types beyond
//! the stop signal.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

pub use crate::clouds::pacing::{Budget, RateLimits};
use crate::clouds::pacing::{Pacer, DEFAULT_IN_FLIGHT};
use crate::stop::StopSignal;

/// A secret string whose Debug/Display never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Clone, Debug)]
pub enum Auth {
    Bearer(Secret),
    /// HTTP Basic with the secret as the user name (Tailscale accepts this).
    BasicUser(Secret),
    /// A custom header carrying the secret (Railway's `Project-Access-Token`).
    Header(&'static str, Secret),
    None,
}

/// What went wrong talking to a vendor API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    NotFound { message: String },
    Conflict { message: String },
    Unauthorized { message: String },
    RateLimited { message: String },
    Api { status: u16, message: String },
    Transport(String),
    Decode(String),
    Stopped,
}

impl crate::framework::Ambiguous for ApiError {
    fn is_ambiguous(&self) -> bool {
        ApiError::is_ambiguous(self)
    }
}

/// `delete(...).gone_ok()`: an object already gone counts as deleted.
pub trait GoneOk {
    fn gone_ok(self) -> Result<(), ApiError>;
}

impl GoneOk for Result<(), ApiError> {
    fn gone_ok(self) -> Result<(), ApiError> {
        match self {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }
    pub fn is_conflict(&self) -> bool {
        matches!(self, ApiError::Conflict { .. })
    }
    /// Errors where the request may or may not have taken effect: no answer, a server error, or
    /// a success answer whose body could not be read (a create that answered 2xx with a garbled
    /// body did create the object). Creates look the object up by name after these.
    pub fn is_ambiguous(&self) -> bool {
        matches!(
            self,
            ApiError::Transport(_)
                | ApiError::Decode(_)
                | ApiError::Api {
                    status: 500..=599,
                    ..
                }
        )
    }
    fn from_status(status: StatusCode, message: String) -> ApiError {
        match status.as_u16() {
            404 | 410 => ApiError::NotFound { message },
            409 => ApiError::Conflict { message },
            401 | 403 => ApiError::Unauthorized { message },
            429 => ApiError::RateLimited { message },
            s => ApiError::Api { status: s, message },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { message } => write!(f, "not found: {message}"),
            ApiError::Conflict { message } => write!(f, "conflict: {message}"),
            ApiError::Unauthorized { message } => write!(f, "unauthorized: {message}"),
            ApiError::RateLimited { message } => write!(f, "rate limited: {message}"),
            ApiError::Api { status, message } => write!(f, "HTTP {status}: {message}"),
            ApiError::Transport(m) => write!(f, "network error: {m}"),
            ApiError::Decode(m) => write!(f, "unexpected response: {m}"),
            ApiError::Stopped => write!(f, "interrupted: Terraform asked the provider to stop"),
        }
    }
}
impl std::error::Error for ApiError {}

/// Reads a vendor's error body into a message.
pub type ErrorReader = fn(&Json) -> Option<String>;

/// The default: `message`, `error.message`, `errors[0].message`.
pub fn common_error_message(j: &Json) -> Option<String> {
    j.get("message")
        .and_then(Json::as_str)
        .or_else(|| j.pointer("/error/message").and_then(Json::as_str))
        .or_else(|| j.pointer("/errors/0/message").and_then(Json::as_str))
        .map(str::to_string)
}

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// The pause before retry number `attempt` (1-based): exponential from `base_delay`, capped
    /// at `max_delay`, with jitter between half and all of it so parallel resources spread out.
    /// The one backoff formula of every client, REST and GraphQL alike.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(10).saturating_sub(1));
        let capped = exp.min(self.max_delay);
        let jitter = rand::random::<f64>() * 0.5 + 0.5;
        capped.mul_f64(jitter)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
        }
    }
}

/// One vendor's HTTP client.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    base_url: String,
    auth: Auth,
    vendor: &'static str,
    error_reader: ErrorReader,
    pub retry: RetryPolicy,
    pub stop: StopSignal,
    /// Shared by every clone: a secret registered through one handle is redacted by all.
    secrets: SecretRegistry,
    /// Shared by every clone: requests in flight and the vendor's rate budget.
    pacer: Pacer,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpClient({}, {})", self.vendor, self.base_url)
    }
}

/// A request about to be sent.
pub struct Call<'a> {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Option<Json>,
    pub form: Option<Vec<(String, String)>>,
    /// May this request be sent again after an ambiguous failure? (GET/PUT/DELETE yes, POST no.)
    pub idempotent: bool,
    /// Values this request carries that must never appear in an error (see [`Call::secret`]).
    pub secrets: Vec<Secret>,
    /// A response header to keep from the 2xx answer (see [`HttpClient::send_keeping_header`]).
    pub keep_header: Option<(HeaderName, std::sync::OnceLock<String>)>,
    _borrow: std::marker::PhantomData<&'a ()>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = method != Method::POST && method != Method::PATCH;
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            form: None,
            idempotent,
            secrets: Vec::new(),
            keep_header: None,
            _borrow: std::marker::PhantomData,
        }
    }
    pub fn get(path: impl Into<String>) -> Self {
        Call::new(Method::GET, path)
    }
    pub fn post(path: impl Into<String>, body: Json) -> Self {
        Call::new(Method::POST, path).json(body)
    }
    pub fn patch(path: impl Into<String>, body: Json) -> Self {
        Call::new(Method::PATCH, path).json(body)
    }
    pub fn put(path: impl Into<String>, body: Json) -> Self {
        Call::new(Method::PUT, path).json(body)
    }
    pub fn delete(path: impl Into<String>) -> Self {
        Call::new(Method::DELETE, path)
    }
    pub fn json(mut self, body: Json) -> Self {
        self.body = Some(body);
        self
    }
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((HeaderName::from_static(name), v));
        }
        self
    }
    /// Mark a value this request sends as secret (a write-only argument, a password, a sensitive
    /// env value): it is redacted from every error this client surfaces from now on, because an
    /// API may echo it in an answer to this or a later request.
    pub fn secret(mut self, value: impl Into<String>) -> Self {
        self.secrets.push(Secret::new(value));
        self
    }
    /// Mark a POST/PATCH as safe to repeat (e.g. a GraphQL query, an upsert).
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }
}

impl HttpClient {
    pub fn new(
        vendor: &'static str,
        base_url: &str,
        auth: Auth,
        error_reader: ErrorReader,
        stop: StopSignal,
    ) -> Result<Self, ApiError> {
        let inner = reqwest::Client::builder()
            .user_agent(concat!("paasform/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| ApiError::Transport(e.to_string()))?;
        let secrets = SecretRegistry::default();
        match &auth {
            Auth::Bearer(s) | Auth::BasicUser(s) | Auth::Header(_, s) => secrets.add(s.expose()),
            Auth::None => {}
        }
        Ok(HttpClient {
            inner,
            base_url: base_url.trim_end_matches('/').to_string(),
            auth,
            vendor,
            error_reader,
            retry: RetryPolicy::default(),
            stop,
            secrets,
            pacer: Pacer::default(),
        })
    }

    /// Paces this client (and its clones) under the vendor's documented rate limits.
    pub fn with_rate_limits(mut self, limits: RateLimits) -> Self {
        self.pacer = Pacer::new(DEFAULT_IN_FLIGHT, limits);
        self
    }

    /// Register a secret learnt outside a request (a key an API minted, a generated password):
    /// from now on it is redacted from every error of this client and its clones.
    pub fn register_secret(&self, value: &str) {
        self.secrets.add(value);
    }

    /// `message` with every registered secret replaced by `[redacted]` and cut to
    /// [`MAX_ERROR_BODY`] bytes (vendor clients that build an `ApiError` from a 2xx body, such as
    /// GraphQL `errors[]`, pass their message through this).
    pub fn redact(&self, message: &str) -> String {
        cap(&self.secrets.scrub(message))
    }

    /// [`HttpClient::redact`] applied to the message of an error.
    pub fn redact_error(&self, e: ApiError) -> ApiError {
        let r = |m: String| self.redact(&m);
        match e {
            ApiError::NotFound { message } => ApiError::NotFound {
                message: r(message),
            },
            ApiError::Conflict { message } => ApiError::Conflict {
                message: r(message),
            },
            ApiError::Unauthorized { message } => ApiError::Unauthorized {
                message: r(message),
            },
            ApiError::RateLimited { message } => ApiError::RateLimited {
                message: r(message),
            },
            ApiError::Api { status, message } => ApiError::Api {
                status,
                message: r(message),
            },
            ApiError::Transport(m) => ApiError::Transport(r(m)),
            ApiError::Decode(m) => ApiError::Decode(r(m)),
            ApiError::Stopped => ApiError::Stopped,
        }
    }

    pub fn vendor(&self) -> &'static str {
        self.vendor
    }
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Send and decode a JSON response (an empty body decodes as JSON null).
    pub async fn send<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ApiError> {
        let bytes = self.send_raw(&call).await?;
        self.decode(&call, &bytes)
    }

    fn decode<T: DeserializeOwned>(&self, call: &Call<'_>, bytes: &[u8]) -> Result<T, ApiError> {
        let text = if bytes.is_empty() {
            b"null".as_slice()
        } else {
            bytes
        };
        serde_json::from_slice(text).map_err(|e| {
            ApiError::Decode(format!(
                "{} {} {}: {e}",
                self.vendor, call.method, call.path
            ))
        })
    }

    /// Send and decode like [`HttpClient::send`], and return the 2xx answer's `header` too (a
    /// policy file's `ETag`).
    pub async fn send_keeping_header<T: DeserializeOwned>(
        &self,
        mut call: Call<'_>,
        header: &'static str,
    ) -> Result<(T, Option<String>), ApiError> {
        call.keep_header = Some((HeaderName::from_static(header), std::sync::OnceLock::new()));
        let bytes = self.send_raw(&call).await?;
        let t = self.decode(&call, &bytes)?;
        let kept = call.keep_header.and_then(|(_, v)| v.into_inner());
        Ok((t, kept))
    }

    /// Send, ignoring the response body.
    pub async fn send_empty(&self, call: Call<'_>) -> Result<(), ApiError> {
        self.send_raw(&call).await.map(|_| ())
    }

    /// Send with retries; returns the body bytes of a 2xx answer.
    pub async fn send_raw(&self, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
        self.register_request_secrets(call);
        self.send_with_retries(call)
            .await
            .map_err(|e| self.redact_error(e))
    }

    /// The request's marked secrets, and the string values of secret-named JSON fields
    /// (`password`, `secret`, `token`, …) of its body, into the registry.
    fn register_request_secrets(&self, call: &Call<'_>) {
        for s in &call.secrets {
            self.secrets.add(s.expose());
        }
        if let Some(body) = &call.body {
            self.secrets.add_secret_fields(body);
        }
    }

    async fn send_with_retries(&self, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let outcome = match self.stop.race(self.send_once(call)).await {
                Ok(o) => o,
                Err(_) => return Err(ApiError::Stopped),
            };
            let Failure {
                error: err,
                retry_after,
                not_processed,
            } = match outcome {
                Ok(body) => return Ok(body),
                Err(e) => e,
            };
            let retryable = match &err {
                // 429, and 503 without a body: the server refused before doing anything, so even
                // a POST may be sent again.
                _ if not_processed => true,
                ApiError::RateLimited { .. } => true,
                ApiError::Api {
                    status: 502..=504, ..
                } => call.idempotent,
                ApiError::Api { status: 500, .. } => call.idempotent,
                ApiError::Transport(_) => call.idempotent,
                _ => false,
            };
            if !retryable || attempt >= self.retry.max_attempts {
                return Err(err);
            }
            let delay = retry_after.unwrap_or_else(|| self.backoff(attempt));
            tracing::debug!(vendor = self.vendor, method = %call.method, path = %call.path, attempt, delay_ms = delay.as_millis() as u64, error = %err, "retrying");
            if self.stop.sleep(delay).await.is_err() {
                return Err(ApiError::Stopped);
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.retry.delay(attempt)
    }

    /// For retries above the HTTP layer (a rate limit reported inside a 200 GraphQL answer):
    /// `Ok(true)` after sleeping the policy's delay when another attempt is allowed, `Ok(false)`
    /// when attempts are used up, `Err(Stopped)` when Terraform asked us to stop.
    pub async fn pause_before_retry(&self, attempt: u32) -> Result<bool, ApiError> {
        if attempt >= self.retry.max_attempts {
            return Ok(false);
        }
        self.stop
            .sleep(self.backoff(attempt))
            .await
            .map_err(|_| ApiError::Stopped)?;
        Ok(true)
    }

    /// The documented rate-limit headers (`Ratelimit-*` as Render sends them, `X-RateLimit-*`
    /// as Vercel and Railway do) feed the pacer, so a large plan slows down before a 429.
    fn observe_rate_headers(&self, headers: &HeaderMap) {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
        };
        for prefix in ["ratelimit", "x-ratelimit"] {
            if let (Some(remaining), Some(reset)) = (
                number(&format!("{prefix}-remaining")),
                number(&format!("{prefix}-reset")),
            ) {
                self.pacer
                    .observe(remaining.min(u64::from(u32::MAX)) as u32, reset);
                return;
            }
        }
        self.pacer.observe_unreported();
    }

    async fn send_once(&self, call: &Call<'_>) -> Result<Vec<u8>, Failure> {
        // Held until the answer is read: bounds requests in flight per client.
        let _permit = self
            .pacer
            .admit(&call.method, &self.stop)
            .await
            .map_err(|_| Failure {
                error: ApiError::Stopped,
                retry_after: None,
                not_processed: false,
            })?;
        let url = format!("{}{}", self.base_url, call.path);
        let mut req = self
            .inner
            .request(call.method.clone(), &url)
            .query(&call.query);
        req = match &self.auth {
            Auth::Bearer(s) => req.bearer_auth(s.expose()),
            Auth::BasicUser(s) => req.basic_auth(s.expose(), Option::<&str>::None),
            Auth::Header(name, s) => req.header(*name, s.expose()),
            Auth::None => req,
        };
        let mut headers = HeaderMap::new();
        for (k, v) in &call.headers {
            headers.insert(k.clone(), v.clone());
        }
        req = req.headers(headers);
        if let Some(body) = &call.body {
            req = req.json(body);
        }
        if let Some(form) = &call.form {
            req = req.form(form);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| Failure::transport(describe(&e)))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s.min(120)));
        self.observe_rate_headers(resp.headers());
        if let (true, Some((name, slot))) = (status.is_success(), &call.keep_header) {
            if let Some(v) = resp.headers().get(name).and_then(|v| v.to_str().ok()) {
                let _ = slot.set(v.to_string());
            }
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| Failure::transport(describe(&e)))?;
        tracing::debug!(vendor = self.vendor, method = %call.method, path = %call.path, status = status.as_u16(), "http");
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let message = serde_json::from_slice::<Json>(&bytes)
            .ok()
            .and_then(|j| (self.error_reader)(&j))
            .unwrap_or_else(|| {
                format!(
                    "{} answered {} to {} {}",
                    self.vendor, status, call.method, call.path
                )
            });
        let not_processed = status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::SERVICE_UNAVAILABLE
                && bytes.iter().all(u8::is_ascii_whitespace));
        Err(Failure {
            error: ApiError::from_status(status, message),
            retry_after,
            not_processed,
        })
    }
}

/// One failed attempt, with what the retry decision needs.
struct Failure {
    error: ApiError,
    retry_after: Option<Duration>,
    /// The server says it did not process the request (429, or 503 with no body).
    not_processed: bool,
}

impl Failure {
    fn transport(message: String) -> Failure {
        Failure {
            error: ApiError::Transport(message),
            retry_after: None,
            not_processed: false,
        }
    }
}

/// The longest message (in bytes) an error keeps from an API's answer; the rest is cut with an
/// ellipsis and the full size, so a 1 MiB echoed value does not become a 2 MB diagnostic.
pub const MAX_ERROR_BODY: usize = 2048;

/// Secrets shorter than this are not redacted: replacing every `ab` in a message would make it
/// unreadable and protect nothing worth the name.
const MIN_SECRET_LEN: usize = 4;

/// JSON field names whose string values are secrets wherever they appear in a request body.
const SECRET_FIELD_WORDS: &[&str] = &[
    "password",
    "secret",
    "token",
    "apikey",
    "api_key",
    "privatekey",
    "private_key",
    "credential",
];

/// The secrets one client knows, shared by its clones.
#[derive(Clone, Default)]
struct SecretRegistry(Arc<Mutex<BTreeSet<String>>>);

impl SecretRegistry {
    fn add(&self, value: &str) {
        if value.len() >= MIN_SECRET_LEN {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(value.to_string());
        }
    }

    fn add_secret_fields(&self, body: &Json) {
        match body {
            Json::Object(m) => {
                for (k, v) in m {
                    let key = k.to_ascii_lowercase();
                    match v {
                        Json::String(s) if SECRET_FIELD_WORDS.iter().any(|w| key.contains(w)) => {
                            self.add(s)
                        }
                        _ => self.add_secret_fields(v),
                    }
                }
            }
            Json::Array(a) => a.iter().for_each(|v| self.add_secret_fields(v)),
            _ => {}
        }
    }

    /// `message` with every secret (longest first, so one that contains another goes whole) and
    /// its JSON-escaped form replaced by `[redacted]`.
    fn scrub(&self, message: &str) -> String {
        let secrets = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut by_len: Vec<&String> = secrets.iter().collect();
        by_len.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = message.to_string();
        for s in by_len {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "[redacted]");
            }
            // An echo inside a JSON string shows `"` and `\` escaped.
            let escaped = Json::String(s.clone()).to_string();
            let escaped = &escaped[1..escaped.len() - 1];
            if escaped != s && out.contains(escaped) {
                out = out.replace(escaped, "[redacted]");
            }
        }
        out
    }
}

/// `s` cut to [`MAX_ERROR_BODY`] bytes on a character boundary, saying how much was cut.
fn cap(s: &str) -> String {
    if s.len() <= MAX_ERROR_BODY {
        return s.to_string();
    }
    let mut end = MAX_ERROR_BODY;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}

/// Percent-encode one URL path segment (ids, names, tailnets such as `alice@example.com`).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A transport error without the URL (which may carry query parameters) repeated in full.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the response"
    } else {
        "request failed"
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = src {
        detail = s.to_string();
        src = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} ({detail})")
    }
}
