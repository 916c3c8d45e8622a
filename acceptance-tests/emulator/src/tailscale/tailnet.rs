//! Tailscale devices, the policy file and DNS preferences, built from `tailscale.openapi.yaml`
//! (`/tailnet/{t}/devices`, `/device/{id}[/authorized|/tags|/key]`, `/tailnet/{t}/acl`,
//! `/tailnet/{t}/dns/{preferences,nameservers}`). Part of the Tailscale module; owns the device,
//! policy and DNS parts of `Tailnet`. Must not import other vendor modules or the provider crate.
//!
//! Behaviour worth knowing:
//! - Devices cannot be made through the API (a machine joins by itself): every tailnet starts with
//!   the devices named by `--tailscale-device NAME[:IP]` (and those added later by the test hook
//!   `POST /_emulator/tailscale/devices {"name","ip"}`), unauthorized, untagged, key expiry on.
//! - The policy file starts as the tailnet's untouched default (stored as `None`). Every GET
//!   answers an `ETag`; a POST with `If-Match` other than the current ETag (or `ts-default` once
//!   the policy was changed) is refused with 412 and changes nothing. A POST body must be a
//!   well-formed HuJSON/JSON object. `Accept: application/json` answers JSON, else HuJSON text.
//! - DNS preferences start with MagicDNS off and no nameservers (stored as `None`); turning
//!   MagicDNS on needs at least one nameserver, and removing every nameserver turns it off.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{authenticate, error, fnv1a, resolve_tailnet, Tailnet};
use crate::world::{now_rfc3339, Emulator, WorldState};

/// The policy a new tailnet starts with (HuJSON, as the admin console shows it).
pub const DEFAULT_POLICY: &str = "// Default policy: every device may reach every other one.\n{\n\t\"acls\": [\n\t\t{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]},\n\t],\n}\n";

/// A device as the emulator keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredDevice {
    pub id: String,
    pub node_id: String,
    pub hostname: String,
    pub name: String,
    pub addresses: Vec<String>,
    pub user: String,
    pub created: String,
    pub expires: String,
    pub authorized: bool,
    pub tags: Vec<String>,
    pub key_expiry_disabled: bool,
}

/// The policy file once changed from the default.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredPolicy {
    /// As posted (HuJSON or JSON).
    pub text: String,
}

/// DNS settings once changed from the default.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct DnsSettings {
    pub magic_dns: bool,
    pub nameservers: Vec<String>,
}

pub fn router() -> Router<Emulator> {
    Router::new()
        .route("/tailnet/{tailnet}/devices", get(list_devices))
        .route("/device/{device_id}", get(get_device))
        .route("/device/{device_id}/authorized", post(authorize_device))
        .route("/device/{device_id}/tags", post(set_tags))
        .route("/device/{device_id}/key", post(set_key))
        .route("/tailnet/{tailnet}/acl", get(get_policy).post(set_policy))
        .route(
            "/tailnet/{tailnet}/dns/preferences",
            get(get_dns_preferences).post(set_dns_preferences),
        )
        .route(
            "/tailnet/{tailnet}/dns/nameservers",
            get(get_nameservers).post(set_nameservers),
        )
}

pub fn hooks() -> Router<Emulator> {
    Router::new().route("/_emulator/tailscale/devices", post(hook_add_device))
}

/// `NAME[:IP]` → (name, ip).
fn parse_seed(seed: &str) -> (String, Option<String>) {
    match seed.split_once(':') {
        Some((name, ip)) if !ip.is_empty() => (name.to_string(), Some(ip.to_string())),
        _ => (seed.trim_end_matches(':').to_string(), None),
    }
}

fn make_device(tailnet: &str, seed: &str) -> StoredDevice {
    let (hostname, ip) = parse_seed(seed);
    let h = fnv1a(&format!("{tailnet}/{hostname}"));
    let ipv4 = ip.unwrap_or_else(|| {
        format!(
            "100.{}.{}.{}",
            64 + (h % 64),
            (h >> 8) % 256,
            1 + (h >> 16) % 254
        )
    });
    let dns = format!("tail{:06x}.ts.net", fnv1a(tailnet) & 0xFF_FFFF);
    StoredDevice {
        id: format!("{}", h % 100_000_000_000),
        node_id: format!("n{:011X}CNTRL", h & 0xFFF_FFFF_FFFF),
        name: format!("{hostname}.{dns}"),
        addresses: vec![ipv4, format!("fd7a:115c:a1e0::{:x}", h & 0xFFFF)],
        hostname,
        user: "owner@example.com".into(),
        created: now_rfc3339(),
        expires: crate::world::rfc3339(
            std::time::SystemTime::now() + std::time::Duration::from_secs(180 * 24 * 3600),
        ),
        authorized: false,
        tags: Vec::new(),
        key_expiry_disabled: false,
    }
}

/// The tailnet, created (with the seeded devices) on first use.
fn tailnet<'a>(w: &'a mut WorldState, emu_seeds: &[String], name: &str) -> &'a mut Tailnet {
    let seeds: Vec<String> = emu_seeds
        .iter()
        .chain(w.tailscale.devices.iter())
        .cloned()
        .collect();
    let t = w.tailscale.tailnets.entry(name.to_string()).or_default();
    // Devices cannot be deleted here, so an empty map is a tailnet not seeded yet.
    if t.devices.is_empty() {
        for seed in seeds {
            let d = make_device(name, &seed);
            t.devices.insert(d.node_id.clone(), d);
        }
    }
    t
}

fn device_json(d: &StoredDevice) -> Value {
    json!({
        "addresses": d.addresses,
        "id": d.id,
        "nodeId": d.node_id,
        "user": d.user,
        "name": d.name,
        "hostname": d.hostname,
        "clientVersion": "1.76.1",
        "updateAvailable": false,
        "os": "linux",
        "created": d.created,
        "connectedToControl": true,
        "keyExpiryDisabled": d.key_expiry_disabled,
        "expires": d.expires,
        "authorized": d.authorized,
        "isExternal": false,
        "machineKey": "",
        "nodeKey": format!("nodekey:{:016x}", fnv1a(&d.node_id)),
        "blocksIncomingConnections": false,
        "tags": d.tags,
    })
}

macro_rules! caller_or_401 {
    ($emu:expr, $headers:expr) => {
        match authenticate(&$emu, &$headers) {
            Ok(caller) => caller,
            Err(message) => return error(StatusCode::UNAUTHORIZED, message),
        }
    };
}

async fn list_devices(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let seeds = emu.config.tailscale_devices.clone();
    let devices: Vec<Value> = emu.with_world(|w| {
        tailnet(w, &seeds, &name)
            .devices
            .values()
            .map(device_json)
            .collect()
    });
    Json(json!({ "devices": devices })).into_response()
}

// The error is the answer to send, built once per request: its size does not matter here.
#[allow(clippy::result_large_err)]
/// Apply `f` to the device with this id (node id or legacy id) in the caller's tailnet.
fn with_device<R>(
    emu: &Emulator,
    headers: &HeaderMap,
    id: &str,
    f: impl FnOnce(&mut StoredDevice) -> R,
) -> Result<R, Response> {
    let caller = authenticate(emu, headers).map_err(|m| error(StatusCode::UNAUTHORIZED, m))?;
    let name = resolve_tailnet(&caller, "-");
    let seeds = emu.config.tailscale_devices.clone();
    emu.with_world(|w| {
        tailnet(w, &seeds, &name)
            .devices
            .values_mut()
            .find(|d| d.node_id == id || d.id == id)
            .map(f)
    })
    .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("device {id} not found")))
}

async fn get_device(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match with_device(&emu, &headers, &id, |d| device_json(d)) {
        Ok(d) => Json(d).into_response(),
        Err(r) => r,
    }
}

#[allow(clippy::result_large_err)]
fn body_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            format!("invalid request body: {e}"),
        )
    })
}

#[derive(Deserialize)]
struct Authorized {
    authorized: bool,
}

async fn authorize_device(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req: Authorized = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match with_device(&emu, &headers, &id, |d| d.authorized = req.authorized) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct Tags {
    tags: Vec<String>,
}

async fn set_tags(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req: Tags = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Err(m) = super::check_tags(&req.tags) {
        return error(StatusCode::BAD_REQUEST, m);
    }
    let mut tags = req.tags;
    tags.sort();
    tags.dedup();
    match with_device(&emu, &headers, &id, |d| d.tags = tags) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyExpiry {
    key_expiry_disabled: bool,
}

async fn set_key(
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req: KeyExpiry = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match with_device(&emu, &headers, &id, |d| {
        d.key_expiry_disabled = req.key_expiry_disabled
    }) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => r,
    }
}

/// HuJSON (JSON with `//` and `/* */` comments and trailing commas) → JSON.
pub fn standardize(text: &str) -> Result<Value, String> {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                i += 1;
                if chars[i - 1] == '"' {
                    break;
                }
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            if i >= chars.len() {
                return Err("unterminated /* comment".into());
            }
            i += 2;
        } else if c == ',' {
            // A trailing comma: the next significant character closes the object or array.
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if !matches!(chars.get(j), Some('}') | Some(']')) {
                out.push(c);
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    serde_json::from_str(&out).map_err(|e| e.to_string())
}

fn etag_of(text: &str) -> String {
    format!("\"{:016x}\"", fnv1a(text))
}

fn current_policy(t: &Tailnet) -> &str {
    t.policy
        .as_ref()
        .map_or(DEFAULT_POLICY, |p| p.text.as_str())
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn policy_response(headers: &HeaderMap, text: &str) -> Response {
    let etag = etag_of(text);
    if wants_json(headers) {
        let body = standardize(text).unwrap_or(Value::Null);
        ([(header::ETAG, etag)], Json(body)).into_response()
    } else {
        (
            [
                (header::ETAG, etag),
                (header::CONTENT_TYPE, "application/hujson".to_string()),
            ],
            text.to_string(),
        )
            .into_response()
    }
}

async fn get_policy(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let seeds = emu.config.tailscale_devices.clone();
    let text = emu.with_world(|w| current_policy(tailnet(w, &seeds, &name)).to_string());
    policy_response(&headers, &text)
}

async fn set_policy(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return error(StatusCode::BAD_REQUEST, "policy file is not UTF-8");
    };
    match standardize(&text) {
        Ok(Value::Object(_)) => {}
        Ok(_) => return error(StatusCode::BAD_REQUEST, "policy file must be an object"),
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("parsing policy file: {e}")),
    }
    let if_match = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let seeds = emu.config.tailscale_devices.clone();
    let outcome = emu.with_world(|w| {
        let t = tailnet(w, &seeds, &name);
        if let Some(want) = &if_match {
            let ok = if want.trim_matches('"') == "ts-default" {
                t.policy.is_none()
            } else {
                *want == etag_of(current_policy(t))
            };
            if !ok {
                return Err(());
            }
        }
        // Posting the default's content back is the default again (nothing left to clean up).
        let is_default = standardize(&text).ok() == standardize(DEFAULT_POLICY).ok();
        t.policy = (!is_default).then(|| StoredPolicy { text: text.clone() });
        Ok(())
    });
    match outcome {
        Ok(()) => policy_response(&headers, &text),
        Err(()) => error(
            StatusCode::PRECONDITION_FAILED,
            "precondition failed, invalid old hash",
        ),
    }
}

fn dns_of(t: &Tailnet) -> DnsSettings {
    t.dns.clone().unwrap_or_default()
}

fn store_dns(t: &mut Tailnet, dns: DnsSettings) {
    t.dns = (dns.magic_dns || !dns.nameservers.is_empty()).then_some(dns);
}

async fn get_dns_preferences(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let seeds = emu.config.tailscale_devices.clone();
    let dns = emu.with_world(|w| dns_of(tailnet(w, &seeds, &name)));
    Json(json!({ "magicDNS": dns.magic_dns })).into_response()
}

#[derive(Deserialize)]
struct Preferences {
    #[serde(rename = "magicDNS")]
    magic_dns: bool,
}

async fn set_dns_preferences(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let req: Preferences = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let seeds = emu.config.tailscale_devices.clone();
    let done = emu.with_world(|w| {
        let t = tailnet(w, &seeds, &name);
        let mut dns = dns_of(t);
        if req.magic_dns && dns.nameservers.is_empty() {
            return false;
        }
        dns.magic_dns = req.magic_dns;
        store_dns(t, dns);
        true
    });
    if done {
        Json(json!({ "magicDNS": req.magic_dns })).into_response()
    } else {
        error(
            StatusCode::BAD_REQUEST,
            "MagicDNS can only be enabled when the tailnet has at least one DNS nameserver",
        )
    }
}

async fn get_nameservers(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let seeds = emu.config.tailscale_devices.clone();
    let dns = emu.with_world(|w| dns_of(tailnet(w, &seeds, &name)));
    Json(json!({ "dns": dns.nameservers })).into_response()
}

#[derive(Deserialize)]
struct Nameservers {
    dns: Vec<String>,
}

async fn set_nameservers(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = caller_or_401!(emu, headers);
    let name = resolve_tailnet(&caller, &name);
    let req: Nameservers = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let seeds = emu.config.tailscale_devices.clone();
    let dns = emu.with_world(|w| {
        let t = tailnet(w, &seeds, &name);
        let mut dns = dns_of(t);
        dns.nameservers = req.dns;
        if dns.nameservers.is_empty() {
            dns.magic_dns = false;
        }
        store_dns(t, dns.clone());
        dns
    });
    Json(json!({ "dns": dns.nameservers, "magicDNS": dns.magic_dns })).into_response()
}

#[derive(Deserialize)]
struct NewDevice {
    name: String,
    #[serde(default)]
    ip: Option<String>,
}

/// Test hook: a machine joins every tailnet (those that exist now and those made later).
async fn hook_add_device(State(emu): State<Emulator>, body: Bytes) -> Response {
    let req: NewDevice = match body_json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let seed = match req.ip {
        Some(ip) => format!("{}:{ip}", req.name),
        None => req.name,
    };
    emu.with_world(|w| {
        for (name, t) in w.tailscale.tailnets.iter_mut() {
            let d = make_device(name, &seed);
            t.devices.insert(d.node_id.clone(), d);
        }
        w.tailscale.devices.push(seed);
    });
    emu.persist();
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hujson_comments_and_trailing_commas_are_standardized() {
        let v = standardize("// c\n{\"a\": [1, 2,], /* x */ \"b\": \"//not a comment\",}\n")
            .expect("parses");
        assert_eq!(v, json!({"a": [1, 2], "b": "//not a comment"}));
        assert!(standardize("{\"a\": }").is_err());
        assert!(standardize(DEFAULT_POLICY).is_ok());
    }

    #[test]
    fn seeds_name_a_device_and_an_optional_ip() {
        let d = make_device("t", "desktop:100.64.0.7");
        assert_eq!(d.hostname, "desktop");
        assert_eq!(d.addresses[0], "100.64.0.7");
        assert!(d.name.starts_with("desktop.tail"));
        assert!(make_device("t", "laptop").addresses[0].starts_with("100."));
    }
}
