//! Cloudflare Tunnel (cfd_tunnel) emulation, built from `cloudflare-tunnels-dns.openapi.json`:
//! tunnels (list/create/get/patch/delete), their connections, the versioned remote configuration
//! and the connector token. Owns `TunnelState`. Must not import other vendor modules (except the
//! Cloudflare envelope in `crate::r2`) or the provider crate.
//!
//! Behaviour worth knowing (the real API's, as far as it is known):
//! - Delete is soft: the tunnel keeps answering GET with `deleted_at` set, disappears from lists
//!   filtered with `is_deleted=false`, and frees its name. Its record stays in the world as a
//!   tombstone (`deleted_at`).
//! - A tunnel with active connections cannot be deleted (400, code 1022) until its connections
//!   are cleaned up with `DELETE …/cfd_tunnel/{id}/connections` (documented by Cloudflare, not in
//!   the trimmed spec copy).
//! - Names are unique among an account's live tunnels (409, code 1013).
//! - `tunnel_secret` must be base64 of at least 32 bytes; without one the API makes one.
//! - A configuration can only be put on a `config_src: cloudflare` tunnel; each put bumps
//!   `version`. The ingress rules are checked as cloudflared checks them: at least one rule, the
//!   last one catches all (no hostname, no path), services of the known schemes or
//!   `http_status:NNN` (400, code 1056).
//! - The token is base64 of `{"a": account, "t": tunnel id, "s": secret}`, as cloudflared reads it.
//! - Test hook: `POST /cloudflare/client/v4/_emulator/tunnels/{account_id}/{tunnel_id}/connections?count=N`
//!   gives a tunnel N connections (as if cloudflared ran): status `healthy`, delete refused.

// Handlers answer `Result<Response, Response>` (both arms already in the envelope), as in `r2`.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::r2::{authenticated, fail, invalid, ok, parse_object, Reply, CODE_AUTH};
use crate::world::{now_rfc3339, Emulator};

pub const CODE_NOT_FOUND: u32 = 1003;
pub const CODE_NAME_TAKEN: u32 = 1013;
pub const CODE_ACTIVE_CONNECTIONS: u32 = 1022;
pub const CODE_BAD_CONFIG: u32 = 1056;
pub const CODE_LOCAL_CONFIG: u32 = 1057;

/// The schemes cloudflared proxies to (the spec's `ingressRule.service` list).
const SCHEMES: &[&str] = &[
    "http", "https", "unix", "tcp", "ssh", "rdp", "unix+tls", "smb",
];

#[derive(Default, Serialize, Deserialize)]
pub struct TunnelState {
    /// Tunnel id → tunnel (ids are UUIDs, unique across accounts).
    #[serde(default)]
    pub tunnels: BTreeMap<String, Tunnel>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Tunnel {
    pub account_id: String,
    pub id: String,
    pub name: String,
    pub config_src: String,
    pub secret: String,
    pub created_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Connection ids (set by the test hook).
    #[serde(default)]
    pub connections: Vec<String>,
    #[serde(default)]
    pub conns_active_at: Option<String>,
    #[serde(default)]
    pub conns_inactive_at: Option<String>,
    #[serde(default)]
    pub config: Option<Value>,
    #[serde(default)]
    pub config_version: u64,
    #[serde(default)]
    pub config_created_at: Option<String>,
}

impl Tunnel {
    fn status(&self) -> &'static str {
        match (self.connections.is_empty(), &self.conns_active_at) {
            (false, _) => "healthy",
            (true, Some(_)) => "down",
            (true, None) => "inactive",
        }
    }

    /// The `cfd_tunnel` schema (absent timestamps are left out: the spec's are not nullable).
    fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "account_tag": self.account_id,
            "name": self.name,
            "config_src": self.config_src,
            "remote_config": self.config_src == "cloudflare",
            "created_at": self.created_at,
            "status": self.status(),
            "tun_type": "cfd_tunnel",
            "metadata": {},
            "connections": [],
        });
        for (k, t) in [
            ("deleted_at", &self.deleted_at),
            ("conns_active_at", &self.conns_active_at),
            ("conns_inactive_at", &self.conns_inactive_at),
        ] {
            if let Some(t) = t {
                v[k] = json!(t);
            }
        }
        v
    }

    fn configuration_json(&self) -> Value {
        json!({
            "account_id": self.account_id,
            "tunnel_id": self.id,
            "source": self.config_src,
            "version": self.config_version,
            "config": self.config.clone().unwrap_or_else(|| json!({})),
            "created_at": self.config_created_at.clone().unwrap_or_else(|| self.created_at.clone()),
        })
    }
}

pub fn router() -> Router<Emulator> {
    const ONE: &str = "/accounts/{account_id}/cfd_tunnel/{tunnel_id}";
    Router::new()
        .route("/accounts/{account_id}/cfd_tunnel", get(list).post(create))
        .route(ONE, get(read).patch(patch).delete(remove))
        .route(&format!("{ONE}/connections"), delete(cleanup_connections))
        .route(
            &format!("{ONE}/configurations"),
            get(get_config).put(put_config),
        )
        .route(&format!("{ONE}/token"), get(token))
        .route(
            "/_emulator/tunnels/{account_id}/{tunnel_id}/connections",
            post(hook_connect),
        )
}

fn not_found() -> Response {
    fail(StatusCode::NOT_FOUND, CODE_NOT_FOUND, "Tunnel not found")
}

/// Credentials, then a plausible account id.
fn check(emu: &Emulator, headers: &HeaderMap, account: &str) -> Result<(), Response> {
    if !authenticated(emu, headers) {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            CODE_AUTH,
            "Authentication error",
        ));
    }
    if account.is_empty() || account.len() > 32 || account.contains('/') {
        return Err(invalid("Invalid account identifier."));
    }
    Ok(())
}

/// Run `f` on a tunnel of `account` (deleted ones included when `deleted_ok`), or answer 404.
fn with_tunnel<R>(
    emu: &Emulator,
    account: &str,
    id: &str,
    deleted_ok: bool,
    f: impl FnOnce(&mut Tunnel) -> R,
) -> Result<R, Response> {
    emu.with_world(|w| {
        w.tunnels
            .tunnels
            .get_mut(id)
            .filter(|t| t.account_id == account && (deleted_ok || t.deleted_at.is_none()))
            .map(f)
    })
    .ok_or_else(not_found)
}

fn new_uuid() -> String {
    let h = format!("{:032x}", rand::random::<u128>());
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn valid_secret(s: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .is_ok_and(|b| b.len() >= 32)
}

fn string_field<'a>(
    body: &'a serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, Response> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("{key} must be a string."))),
    }
}

fn valid_name(name: &str) -> Result<(), Response> {
    if name.trim().is_empty() || name.len() > 255 {
        return Err(invalid("Tunnel name must be 1 to 255 characters."));
    }
    Ok(())
}

fn name_taken(emu: &Emulator, account: &str, name: &str, except: &str) -> bool {
    emu.with_world(|w| {
        w.tunnels.tunnels.values().any(|t| {
            t.account_id == account && t.name == name && t.deleted_at.is_none() && t.id != except
        })
    })
}

fn taken() -> Response {
    fail(
        StatusCode::CONFLICT,
        CODE_NAME_TAKEN,
        "You already have a tunnel with this name.",
    )
}

async fn list(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    let is_deleted = match query.get("is_deleted").map(String::as_str) {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(invalid("is_deleted must be true or false.")),
    };
    let rows: Vec<Value> = emu.with_world(|w| {
        w.tunnels
            .tunnels
            .values()
            .filter(|t| t.account_id == account)
            .filter(|t| query.get("name").is_none_or(|n| &t.name == n))
            .filter(|t| query.get("uuid").is_none_or(|u| &t.id == u))
            .filter(|t| is_deleted.is_none_or(|d| d == t.deleted_at.is_some()))
            .map(Tunnel::to_json)
            .collect()
    });
    let n = rows.len();
    let mut body = json!({"success": true, "errors": [], "messages": [], "result": rows});
    body["result_info"] = json!({"count": n, "page": 1, "per_page": n.max(20), "total_count": n});
    Ok(axum::Json(body).into_response())
}

async fn create(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let name = string_field(&body, "name")?.ok_or_else(|| invalid("name is required."))?;
    valid_name(name)?;
    let config_src = string_field(&body, "config_src")?.unwrap_or("local");
    if !["local", "cloudflare"].contains(&config_src) {
        return Err(invalid("config_src must be local or cloudflare."));
    }
    let secret = match string_field(&body, "tunnel_secret")? {
        Some(s) if valid_secret(s) => s.to_string(),
        Some(_) => {
            return Err(invalid(
                "tunnel_secret must be at least 32 bytes, encoded as base64.",
            ))
        }
        None => base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>()),
    };
    if name_taken(&emu, &account, name, "") {
        return Err(taken());
    }
    let t = Tunnel {
        account_id: account,
        id: new_uuid(),
        name: name.to_string(),
        config_src: config_src.to_string(),
        secret,
        created_at: now_rfc3339(),
        deleted_at: None,
        connections: Vec::new(),
        conns_active_at: None,
        conns_inactive_at: None,
        config: None,
        config_version: 0,
        config_created_at: None,
    };
    let out = t.to_json();
    emu.with_world(|w| w.tunnels.tunnels.insert(t.id.clone(), t));
    ok(out)
}

async fn read(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    ok(with_tunnel(&emu, &account, &id, true, |t| t.to_json())?)
}

async fn patch(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let name = string_field(&body, "name")?;
    if let Some(n) = name {
        valid_name(n)?;
        if name_taken(&emu, &account, n, &id) {
            return Err(taken());
        }
    }
    let secret = string_field(&body, "tunnel_secret")?;
    if secret.is_some_and(|s| !valid_secret(s)) {
        return Err(invalid(
            "tunnel_secret must be at least 32 bytes, encoded as base64.",
        ));
    }
    ok(with_tunnel(&emu, &account, &id, false, |t| {
        if let Some(n) = name {
            t.name = n.to_string();
        }
        if let Some(s) = secret {
            t.secret = s.to_string();
        }
        t.to_json()
    })?)
}

async fn remove(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    let answer = with_tunnel(&emu, &account, &id, false, |t| {
        if !t.connections.is_empty() {
            return Err(fail(
                StatusCode::BAD_REQUEST,
                CODE_ACTIVE_CONNECTIONS,
                "Cannot delete tunnel because it has active connections. Clean up its connections first.",
            ));
        }
        t.deleted_at = Some(now_rfc3339());
        Ok(t.to_json())
    })??;
    ok(answer)
}

async fn cleanup_connections(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    with_tunnel(&emu, &account, &id, false, |t| {
        if !t.connections.is_empty() {
            t.connections.clear();
            t.conns_inactive_at = Some(now_rfc3339());
        }
    })?;
    ok(json!({}))
}

async fn hook_connect(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Reply {
    let count: usize = query
        .get("count")
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| invalid("count must be a number."))?;
    ok(with_tunnel(&emu, &account, &id, false, |t| {
        t.connections = (0..count).map(|_| new_uuid()).collect();
        if count > 0 {
            t.conns_active_at = Some(now_rfc3339());
        }
        t.to_json()
    })?)
}

async fn token(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    let raw = with_tunnel(&emu, &account, &id, false, |t| {
        json!({"a": t.account_id, "t": t.id, "s": t.secret}).to_string()
    })?;
    ok(json!(base64::engine::general_purpose::STANDARD.encode(raw)))
}

fn local_tunnel() -> Response {
    fail(
        StatusCode::BAD_REQUEST,
        CODE_LOCAL_CONFIG,
        "This tunnel is configured locally (config_src local); its configuration cannot be managed remotely.",
    )
}

async fn get_config(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    check(&emu, &headers, &account)?;
    let (src, answer) = with_tunnel(&emu, &account, &id, false, |t| {
        (t.config_src.clone(), t.configuration_json())
    })?;
    if src != "cloudflare" {
        return Err(local_tunnel());
    }
    ok(answer)
}

async fn put_config(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    check(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let config = match body.get("config") {
        Some(Value::Object(c)) => Value::Object(c.clone()),
        _ => return Err(invalid("config must be an object.")),
    };
    if let Err(why) = check_config(&config) {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            CODE_BAD_CONFIG,
            format!("Bad Configuration: Validation failed: {why}"),
        ));
    }
    let answer = with_tunnel(&emu, &account, &id, false, |t| {
        if t.config_src != "cloudflare" {
            return Err(local_tunnel());
        }
        t.config = Some(config);
        t.config_version += 1;
        t.config_created_at = Some(now_rfc3339());
        Ok(t.configuration_json())
    })??;
    ok(answer)
}

/// cloudflared's ingress checks.
fn check_config(config: &Value) -> Result<(), String> {
    let Some(rules) = config.get("ingress") else {
        return Ok(());
    };
    let rules = rules.as_array().ok_or("ingress must be a list")?;
    let Some(last) = rules.last() else {
        return Err("at least one ingress rule is required".into());
    };
    let filter = |r: &Value, k: &str| {
        r.get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty() && s != "*")
    };
    if filter(last, "hostname") || filter(last, "path") {
        return Err("The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)".into());
    }
    for (i, r) in rules.iter().enumerate() {
        let service = r
            .get("service")
            .and_then(Value::as_str)
            .ok_or(format!("ingress rule {i} has no service"))?;
        if !valid_service(service) {
            return Err(format!(
                "ingress rule {i}: {service:?} is not a supported service"
            ));
        }
        if let Some(h) = r.get("hostname").and_then(Value::as_str) {
            if h.contains('*') && !(h == "*" || h.starts_with("*.") && !h[2..].contains('*')) {
                return Err(format!("ingress rule {i}: hostname {h:?} may only use a wildcard as its leftmost label"));
            }
        }
    }
    Ok(())
}

fn valid_service(s: &str) -> bool {
    if let Some(code) = s.strip_prefix("http_status:") {
        return code.parse::<u16>().is_ok_and(|c| (100..=599).contains(&c));
    }
    if s == "hello_world" || s == "bastion" {
        return true;
    }
    match s.split_once("://") {
        Some((scheme, rest)) => SCHEMES.contains(&scheme) && !rest.is_empty(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_checks_follow_cloudflared() {
        let ok_cfg = json!({"ingress": [
            {"hostname": "api.example.com", "service": "http://localhost:8000"},
            {"service": "http_status:404"}
        ]});
        assert!(check_config(&ok_cfg).is_ok());
        let no_catch_all =
            json!({"ingress": [{"hostname": "a.example.com", "service": "http://x"}]});
        assert!(check_config(&no_catch_all).is_err());
        let bad_service = json!({"ingress": [{"service": "ftp://x"}]});
        assert!(check_config(&bad_service).is_err());
        assert!(check_config(&json!({"ingress": []})).is_err());
        assert!(valid_service("tcp://localhost:22"));
        assert!(!valid_service("http_status:99"));
        assert!(!valid_service("localhost:8000"));
    }

    #[test]
    fn secrets_must_be_32_bytes_of_base64() {
        assert!(valid_secret("AQIDBAUGBwgBAgMEBQYHCAECAwQFBgcIAQIDBAUGBwg="));
        assert!(!valid_secret("c2hvcnQ="));
        assert!(!valid_secret("not base64!"));
    }
}
