//! The shared world: configuration, per-vendor state behind one lock each, request counters, the
//! `/_emulator/*` introspection routes and persistence (`--state FILE`). Vendor modules own their
//! own state types and routes; this file only composes them.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::faults::Faults;

/// Emulator settings, from the command line or a test.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Require exactly this bearer token (any non-empty credential otherwise).
    pub token: Option<String>,
    /// Added latency per request.
    pub latency_ms: u64,
    /// Fraction of requests answered with an injected fault.
    pub fault_rate: f64,
    /// Seed for the fault generator (repeatable runs).
    pub seed: u64,
    /// Persist the world here after every mutating request and load it at start.
    pub state_file: Option<PathBuf>,
    /// Fault mode: commit a create, then drop the connection before answering (this fraction of creates).
    pub drop_after_commit_rate: f64,
    /// Rate limit per credential: at most this many requests per minute (0 = unlimited).
    pub rate_limit_per_minute: u32,
    /// The window `rate_limit_per_minute` counts over (default one minute; tests shorten it).
    pub rate_limit_window: Option<std::time::Duration>,
    /// How long a new Render database stays `creating` before it becomes `available`.
    pub render_db_ready_ms: u64,
    /// How long a Render deploy takes to go live.
    pub render_deploy_ms: u64,
    /// Check every vendor request and answer against the vendor spec and record violations
    /// (see [`crate::contract`]).
    pub strict_spec: bool,
    /// Railway GraphQL operations (by `operationName`) whose first `n` requests fail the way
    /// Railway reports an internal error: HTTP 200 with `INTERNAL_SERVER_ERROR` in `errors[]`,
    /// nothing done. A fault at a chosen step (a create's follow-up), where `fault_rate` is random.
    pub fail_operations: Vec<(String, u32)>,
    /// Devices every Tailscale tailnet starts with, `NAME[:IP]` (`--tailscale-device`).
    pub tailscale_devices: Vec<String>,
    /// Cloudflare zones that exist from the start (`NAME` or `NAME@ACCOUNT`).
    pub cloudflare_zones: Vec<String>,
    /// Deploys triggered through a vendor's deploy endpoint (Render `POST …/deploys`, Vercel
    /// `POST /v13/deployments`, Railway `serviceInstanceRedeploy`) end failed when their service
    /// id, commit or git ref is listed here (`--fail-deploy`), with the vendor's failure status.
    pub fail_deploys: Vec<String>,
    /// How long a Vercel deployment (`QUEUED` → `BUILDING` → `READY`) or a Railway deploy
    /// triggered through `serviceInstanceDeployV2` / `serviceInstanceRedeploy` takes (0 = at once).
    pub deploy_ms: u64,
}

impl Config {
    /// Whether a deploy keyed by any of `keys` is one `fail_deploys` makes fail.
    pub fn deploy_fails(&self, keys: &[&str]) -> bool {
        self.fail_deploys.iter().any(|f| keys.contains(&f.as_str()))
    }
}

/// Every vendor's state. Each field is owned by its vendor module.
#[derive(Default, Serialize, Deserialize)]
pub struct WorldState {
    #[serde(default)]
    pub tailscale: crate::tailscale::TailscaleState,
    #[serde(default)]
    pub render: crate::render::RenderState,
    #[serde(default)]
    pub railway: crate::railway::RailwayState,
    #[serde(default)]
    pub vercel: crate::vercel::VercelState,
    #[serde(default)]
    pub r2: crate::r2::R2State,
    #[serde(default)]
    pub cf_dns: crate::cloudflare::dns::CfDnsState,
    pub tunnels: crate::cloudflare::tunnels::TunnelState,
}

/// Shared handle given to every route.
#[derive(Clone)]
pub struct Emulator {
    pub config: Arc<Config>,
    pub world: Arc<Mutex<WorldState>>,
    pub requests: Arc<Mutex<BTreeMap<String, u64>>>,
    pub faults: Arc<Faults>,
    pub violations: Arc<crate::contract::Violations>,
    /// Requests being handled right now and the most at once since the last reset, so tests can
    /// prove a client's calls overlap (issue 16) without timing anything.
    pub concurrency: Arc<Concurrency>,
}

/// In-flight request gauge with its high-water mark.
#[derive(Default)]
pub struct Concurrency {
    in_flight: std::sync::atomic::AtomicU64,
    peak: std::sync::atomic::AtomicU64,
}

/// Leaves the gauge when dropped, also when the client hangs up mid-request.
struct InFlight(Arc<Concurrency>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Concurrency {
    fn enter(self: &Arc<Self>) -> InFlight {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.in_flight.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now, SeqCst);
        InFlight(self.clone())
    }

    /// The most requests in flight at once since the last [`Concurrency::reset`].
    pub fn peak(&self) -> u64 {
        self.peak.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn reset(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        self.peak.store(self.in_flight.load(SeqCst), SeqCst);
    }
}

impl Emulator {
    /// An emulator whose world is loaded from `config.state_file` when that file exists and parses;
    /// an empty world otherwise. Use [`Emulator::load`] to treat a corrupt state file as an error.
    pub fn new(config: Config) -> Self {
        let world = config
            .state_file
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self::with_state(config, world)
    }

    /// Like [`Emulator::new`], but a state file that exists and cannot be read or parsed is an error
    /// (silently starting empty would make a test's "restart from file" pass for the wrong reason).
    pub fn load(config: Config) -> Result<Self, String> {
        let world = match &config.state_file {
            Some(path) if path.exists() => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("cannot read state file {}: {e}", path.display()))?;
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    WorldState::default()
                } else {
                    serde_json::from_slice(&bytes)
                        .map_err(|e| format!("cannot parse state file {}: {e}", path.display()))?
                }
            }
            _ => WorldState::default(),
        };
        Ok(Self::with_state(config, world))
    }

    fn with_state(config: Config, world: WorldState) -> Self {
        let faults = Faults::new(&config);
        Emulator {
            config: Arc::new(config),
            world: Arc::new(Mutex::new(world)),
            requests: Arc::new(Mutex::new(BTreeMap::new())),
            faults: Arc::new(faults),
            violations: Arc::default(),
            concurrency: Arc::default(),
        }
    }

    /// Run `f` with the world locked; a poisoned lock is recovered (a panicking handler must not
    /// wedge every later request).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut WorldState) -> R) -> R {
        let mut guard = self.world.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }

    /// Save the world if `--state` was given. Called after every mutating request (see
    /// [`persist_after_mutation`]); vendor modules may call it too, but never while holding the world
    /// lock. Written to a temporary file and renamed, so a reader never sees half a file.
    pub fn persist(&self) {
        let Some(path) = &self.config.state_file else {
            return;
        };
        let bytes = self.with_world(|w| serde_json::to_vec_pretty(w).unwrap_or_default());
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Spec violations seen so far in strict-spec mode (always empty without it).
    pub fn violations(&self) -> Vec<String> {
        self.violations.list()
    }

    /// The whole API surface: vendor routers under their prefixes plus introspection.
    pub fn router(&self) -> Router {
        let api = Router::new()
            .nest("/tailscale/api/v2", crate::tailscale::router())
            .nest("/render/v1", crate::render::router())
            .nest("/railway/graphql/v2", crate::railway::router())
            .merge(crate::railway::trailing_slash_router())
            .nest("/vercel", crate::vercel::router())
            .nest(
                "/cloudflare/client/v4",
                crate::r2::router()
                    .merge(crate::cloudflare::tunnels::router())
                    .merge(crate::cloudflare::dns::router()),
            )
            // Innermost first: the contract check sees exactly what the handler got and gave (not
            // injected faults); persist sees the handler's result, faults wrap both (so a
            // drop-after-commit still persists), the counter sees every request including faulted ones.
            .layer(middleware::from_fn_with_state(
                self.clone(),
                crate::contract::contract_layer,
            ))
            .layer(middleware::from_fn_with_state(
                self.clone(),
                persist_after_mutation,
            ))
            .layer(middleware::from_fn_with_state(
                self.clone(),
                crate::faults::fault_layer,
            ))
            .layer(middleware::from_fn_with_state(self.clone(), count_requests));
        Router::new()
            .route("/_emulator/state", get(dump_state))
            .route(
                "/_emulator/requests",
                get(dump_requests).delete(reset_requests),
            )
            .route(
                "/_emulator/violations",
                get(dump_violations).delete(reset_violations),
            )
            .route(
                "/_emulator/rate-limited",
                get(|State(emu): State<Emulator>| async move {
                    axum::Json(serde_json::json!({ "count": emu.faults.rate_limited() }))
                }),
            )
            .route(
                "/_emulator/concurrency",
                get(|State(emu): State<Emulator>| async move {
                    axum::Json(serde_json::json!({ "peak": emu.concurrency.peak() }))
                }),
            )
            .route("/_emulator/health", get(|| async { "ok" }))
            .merge(crate::tailscale::hooks())
            .merge(api)
            .with_state(self.clone())
    }

    /// Bind and serve until the process ends; returns the bound address through `on_bound`.
    pub async fn serve(
        self,
        listen: SocketAddr,
        on_bound: impl FnOnce(SocketAddr),
    ) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        on_bound(listener.local_addr()?);
        axum::serve(listener, self.router()).await
    }

    /// Serve on an ephemeral local port in the background (for in-process tests); returns the
    /// bound address and the server task (abort it to stop).
    pub async fn spawn(self) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = self.router();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok((addr, task))
    }
}

/// The base URL of each vendor API for an emulator at `addr`.
pub fn base_urls(addr: SocketAddr) -> Value {
    let root = format!("http://{addr}");
    json!({
        "addr": addr.to_string(),
        "render": format!("{root}/render/v1"),
        "railway": format!("{root}/railway/graphql/v2"),
        "vercel": format!("{root}/vercel"),
        "tailscale": format!("{root}/tailscale"),
        "cloudflare": format!("{root}/cloudflare/client/v4"),
    })
}

async fn dump_state(State(emu): State<Emulator>) -> Json<Value> {
    Json(emu.with_world(|w| serde_json::to_value(&*w).unwrap_or(Value::Null)))
}

async fn dump_requests(State(emu): State<Emulator>) -> Json<Value> {
    let counts = emu
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    Json(json!(counts))
}

async fn dump_violations(State(emu): State<Emulator>) -> Json<Value> {
    Json(json!({"checked": emu.violations.checked(), "violations": emu.violations()}))
}

async fn reset_violations(State(emu): State<Emulator>) -> StatusCode {
    emu.violations.clear();
    StatusCode::NO_CONTENT
}

async fn reset_requests(State(emu): State<Emulator>) -> StatusCode {
    emu.requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    emu.concurrency.reset();
    StatusCode::NO_CONTENT
}

/// Count each request as `METHOD /matched/route/{param}` (or the raw path when no route matched),
/// so tests can assert how many calls a Terraform operation made.
async fn count_requests(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let key = format!("{} {}", req.method(), route);
    *emu.requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key)
        .or_insert(0) += 1;
    let _gauge = emu.concurrency.enter();
    next.run(req).await
}

/// Save the world after every request that may have changed it (anything but GET/HEAD/OPTIONS),
/// so `--state` survives a kill at any point after a response (or a dropped connection).
async fn persist_after_mutation(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    let mutating = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let response = next.run(req).await;
    if mutating {
        emu.persist();
    }
    response
}

/// The credential a request carries: bearer token, Basic username, or Railway's project token header.
pub fn credential(headers: &axum::http::HeaderMap) -> Option<String> {
    use base64_lite::decode_basic_user;
    if let Some(v) = headers
        .get("project-access-token")
        .and_then(|v| v.to_str().ok())
    {
        return Some(v.to_string()).filter(|s| !s.is_empty());
    }
    let auth = headers.get("authorization")?.to_str().ok()?;
    if let Some(t) = auth.strip_prefix("Bearer ") {
        return Some(t.trim().to_string()).filter(|s| !s.is_empty());
    }
    if let Some(b) = auth.strip_prefix("Basic ") {
        return decode_basic_user(b.trim());
    }
    None
}

/// The username and password of an HTTP Basic `Authorization` header (OAuth clients send
/// `client_id:client_secret` this way).
pub fn basic_credentials(headers: &axum::http::HeaderMap) -> Option<(String, String)> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let b64 = auth.strip_prefix("Basic ")?;
    let decoded = base64_lite::decode(b64.trim())?;
    let (user, pass) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
    Some((user.to_string(), pass.to_string()))
}

/// Whether a request is authorised: a credential is present and, with `--token`, equals it.
pub fn authorized(emu: &Emulator, headers: &axum::http::HeaderMap) -> bool {
    match (credential(headers), &emu.config.token) {
        (None, _) => false,
        (Some(given), Some(want)) => &given == want,
        (Some(_), None) => true,
    }
}

/// A plain JSON error response with a status, for vendors whose error body is `{"message": …}`.
pub fn json_error(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// `a=1&b=x%20y` (a query string or a form body) → pairs, percent- and plus-decoded, in order.
pub fn parse_urlencoded(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Unique ids: a prefix and 20 lowercase alphanumerics (Render `srv-…`, Vercel `prj_…` style).
pub fn new_id(prefix: &str) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}{tail}")
}

/// RFC 3339 UTC timestamp of now, second precision.
pub fn now_rfc3339() -> String {
    rfc3339(std::time::SystemTime::now())
}

/// RFC 3339 UTC timestamp of `t`, second precision.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Milliseconds since the epoch (for timers such as "database becomes available after N ms").
pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

mod base64_lite {
    //! Just enough base64 to read an HTTP Basic credential.

    /// The username of a Basic credential (empty usernames are no credential).
    pub fn decode_basic_user(b64: &str) -> Option<String> {
        let s = decode(b64)?;
        let user = s.split(':').next()?.to_string();
        Some(user).filter(|u| !u.is_empty())
    }

    /// Standard base64 (padding optional) decoded to UTF-8 text.
    pub fn decode(b64: &str) -> Option<String> {
        let mut bits: u32 = 0;
        let mut nbits = 0;
        let mut out = Vec::new();
        for c in b64.bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => break,
                _ => return None,
            } as u32;
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
            }
        }
        String::from_utf8(out).ok()
    }
}
