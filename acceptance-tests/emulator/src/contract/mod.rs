//! Strict-spec mode (`--strict-spec`, `Config::strict_spec`): every vendor request the emulator
//! receives and every answer it gives is checked against the vendor's own spec, embedded from
//! `specs/` (see `specs/README.md` for the local patches), and each mismatch is recorded as a
//! violation that tests read through [`Emulator::violations`] or `GET /_emulator/violations`.
//! REST vendors go through [`openapi::Spec`]; Railway's GraphQL documents and variables are already
//! validated against `railway.graphql` by the Railway module, so a request it refuses before
//! execution (HTTP 400) is recorded here. Requests are never refused for a violation: the mode
//! observes, so a test sees every violation of a run, not only the first.
//! Owns no vendor behaviour; must not import vendor modules.

pub mod openapi;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::world::Emulator;
use openapi::{Exchange, Spec};

/// Bodies larger than this are not buffered for checking (none of the specs' bodies come near).
const MAX_BODY: usize = 16 << 20;

/// The violations one emulator has seen, and how many exchanges it checked (so a test can tell
/// "conforms" from "never checked").
#[derive(Default)]
pub struct Violations(Mutex<Vec<String>>, AtomicU64);

impl Violations {
    pub fn checked(&self) -> u64 {
        self.1.load(Ordering::Relaxed)
    }
    pub fn record(&self, found: impl IntoIterator<Item = String>) {
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for f in found {
            tracing::warn!(violation = %f, "off-spec");
            v.push(f);
        }
    }
    pub fn list(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.1.store(0, Ordering::Relaxed);
    }
}

/// A vendor API under its emulator prefix.
enum Api {
    OpenApi(&'static Spec),
    GraphQl,
}

/// The spec for a request: the API and the path below the vendor's server URL. Where several
/// spec files share a prefix (Cloudflare's R2 and tunnels/DNS copies), the one with an operation
/// for the request wins; otherwise the first, which then reports the unmatched operation.
fn api_for<'p>(method: &str, path: &'p str) -> Option<(Api, &'p str)> {
    static SPECS: OnceLock<Vec<(&'static str, Result<&'static Spec, String>)>> = OnceLock::new();
    if path.starts_with(crate::railway::ENDPOINT) {
        return Some((Api::GraphQl, ""));
    }
    let specs = SPECS.get_or_init(|| {
        vec![
            (
                "/cloudflare/client/v4",
                Spec::leak(
                    "cloudflare-r2",
                    include_str!("../../specs/cloudflare-r2.openapi.json"),
                    false,
                ),
            ),
            (
                "/cloudflare/client/v4",
                Spec::leak(
                    "cloudflare-tunnels-dns",
                    include_str!("../../specs/cloudflare-tunnels-dns.openapi.json"),
                    false,
                ),
            ),
            (
                "/render/v1",
                Spec::leak(
                    "render",
                    include_str!("../../specs/render.openapi.json"),
                    false,
                ),
            ),
            (
                "/vercel",
                Spec::leak(
                    "vercel",
                    include_str!("../../specs/vercel.openapi.json"),
                    false,
                ),
            ),
            (
                "/tailscale/api/v2",
                Spec::leak(
                    "tailscale",
                    include_str!("../../specs/tailscale.openapi.yaml"),
                    true,
                ),
            ),
        ]
    });
    let candidates: Vec<(&'static Spec, &'p str)> = specs
        .iter()
        .filter_map(|(prefix, spec)| {
            let rest = path.strip_prefix(prefix)?;
            match spec {
                Ok(s) => Some((*s, rest)),
                Err(e) => {
                    tracing::error!(error = %e, "spec copy does not load");
                    None
                }
            }
        })
        .collect();
    candidates
        .iter()
        .find(|(s, rest)| s.operation_name(method, rest).is_some())
        .or(candidates.first())
        .map(|(s, rest)| (Api::OpenApi(s), *rest))
}

/// Operations the provider may call that the trimmed spec copies leave out, documented by the
/// vendor elsewhere: not checked, and not violations.
const OUTSIDE_THE_SPECS: &[(&str, &str)] = &[
    // Vercel's "Point production traffic to a given deployment" (REST API docs, projects;
    // 201/202, no body), left out of the trimmed copy.
    (
        "POST",
        "/vercel/v10/projects/{projectId}/promote/{deploymentId}",
    ),
    // Tailscale's OAuth client-credentials exchange (docs: "OAuth clients"), form-encoded.
    ("POST", "/tailscale/api/v2/oauth/token"),
    // Cloudflare's "Clean up Cloudflare Tunnel connections" (API docs, cfd_tunnel), left out of
    // the trimmed copy; a tunnel with active connections cannot be deleted before it.
    (
        "DELETE",
        "/cloudflare/client/v4/accounts/{account_id}/cfd_tunnel/{tunnel_id}/connections",
    ),
];

/// `path` fits `template` (`{name}` stands for one non-empty segment).
fn fits_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// The middleware: check the request, run the handler, check the answer.
pub async fn contract_layer(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    if !emu.config.strict_spec {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let method = req.method().to_string();
    let Some((api, below)) = api_for(&method, &path) else {
        return next.run(req).await;
    };
    // Test hooks nested under a vendor prefix are the emulator's own, not the vendor's.
    if below.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    if OUTSIDE_THE_SPECS
        .iter()
        .any(|(m, t)| *m == method && fits_template(t, &path))
    {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        emu.violations.record([format!(
            "{method} {path}: request body unreadable or over {MAX_BODY} bytes"
        )]);
        return next.run(Request::from_parts(parts, Body::empty())).await;
    };
    if let Api::OpenApi(spec) = &api {
        let query: Vec<(String, String)> = parts
            .uri
            .query()
            .map(crate::world::parse_urlencoded)
            .unwrap_or_default();
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        emu.violations.record(spec.check_request(&Exchange {
            method: &method,
            path: below,
            query: &query,
            header: &header,
            content_type: content_type.as_deref(),
            body: &bytes,
        }));
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (rparts, rbody) = response.into_parts();
    let Ok(rbytes) = to_bytes(rbody, MAX_BODY).await else {
        emu.violations
            .record([format!("{method} {path}: response body unreadable")]);
        return Response::from_parts(rparts, Body::empty());
    };
    let status = rparts.status.as_u16();
    emu.violations.1.fetch_add(1, Ordering::Relaxed);
    match api {
        Api::OpenApi(spec) => {
            emu.violations
                .record(spec.check_response(&method, below, status, &rbytes));
        }
        Api::GraphQl if status == 400 => {
            let text = String::from_utf8_lossy(&rbytes);
            emu.violations.record([format!(
                "railway: operation refused against railway.graphql: {}",
                text.chars().take(600).collect::<String>()
            )]);
        }
        Api::GraphQl => {}
    }
    Response::from_parts(rparts, Body::from(rbytes))
}
