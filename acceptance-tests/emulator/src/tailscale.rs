//! Tailscale API v2 emulation (tailnet keys, the OAuth client-credentials token endpoint, and in
//! `tailscale/tailnet.rs` devices, the policy file and DNS preferences), built
//! from `tailscale.openapi.yaml`. Routes are nested under `/tailscale/api/v2`; the test hooks under
//! `/_emulator/tailscale/*` sit outside fault injection.
//! Owns `TailscaleState`. Must not import other vendor modules or the provider crate.
//!
//! Behaviour worth knowing:
//! - Auth: `Authorization: Bearer <token>` or HTTP Basic with the token as username. With `--token`
//!   only that token (and access tokens minted by `POST /oauth/token`) is accepted.
//! - Tailnets exist on first use. `-` is the caller's default tailnet, a fixed name per account
//!   (`tailnet-<hash>`), so `-` and that name see the same keys.
//! - DELETE revokes: the key stays readable with `revoked` set and `invalid: true` (the vendor
//!   serves deleted keys that way) and leaves the list. Expired keys are `invalid: true` too.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

mod tailnet;

use crate::world::{
    basic_credentials, credential, json_error, new_id, now_millis, now_rfc3339, rfc3339, Emulator,
};

/// Default and largest auth-key lifetime: 90 days.
const MAX_EXPIRY_SECONDS: i64 = 90 * 24 * 60 * 60;
/// Lifetime of an OAuth access token.
const ACCESS_TOKEN_SECONDS: u64 = 3600;
/// Longest key description.
const MAX_DESCRIPTION_CHARS: usize = 50;

#[derive(Default, Serialize, Deserialize)]
pub struct TailscaleState {
    /// Tailnet name → its keys.
    #[serde(default)]
    pub tailnets: BTreeMap<String, Tailnet>,
    /// OAuth access tokens minted by `POST /oauth/token`.
    #[serde(default)]
    pub access_tokens: BTreeMap<String, AccessToken>,
    /// Devices (`NAME[:IP]`) added by the test hook after start, beside `--tailscale-device`.
    #[serde(default)]
    pub devices: Vec<String>,
}

#[derive(Default, Serialize, Deserialize)]
pub struct Tailnet {
    /// Key id → key.
    #[serde(default)]
    pub keys: BTreeMap<String, StoredKey>,
    /// Node id → device (the seeded machines).
    #[serde(default)]
    pub devices: BTreeMap<String, tailnet::StoredDevice>,
    /// The policy file; `None` while it is the untouched default.
    #[serde(default)]
    pub policy: Option<tailnet::StoredPolicy>,
    /// DNS preferences and nameservers; `None` while they are the defaults.
    #[serde(default)]
    pub dns: Option<tailnet::DnsSettings>,
}

/// A key as the emulator keeps it. The secret is never stored: it is shown once, at creation.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub id: String,
    pub key_type: String,
    pub description: String,
    pub created: String,
    /// Milliseconds since the epoch at which the key expires (auth keys only).
    pub expires_at_ms: Option<u64>,
    pub expiry_seconds: Option<i64>,
    pub revoked: Option<String>,
    pub capabilities: Option<Value>,
    pub scopes: Vec<String>,
    pub tags: Vec<String>,
    pub user_id: String,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub audience: Option<String>,
    pub custom_claim_rules: Option<BTreeMap<String, String>>,
}

/// An access token minted for an OAuth client.
#[derive(Clone, Serialize, Deserialize)]
pub struct AccessToken {
    /// The account (default tailnet owner) the token acts for.
    pub account: String,
    pub client_id: String,
    pub scope: String,
    pub expires_at_ms: u64,
}

/// Who is calling: the account that owns the default tailnet, and whether the caller is an OAuth
/// token (keys it creates are owned by the tailnet and must carry tags).
struct Caller {
    account: String,
    oauth: bool,
}

pub fn router() -> Router<Emulator> {
    Router::new()
        .route("/tailnet/{tailnet}/keys", get(list_keys).post(create_key))
        .route(
            "/tailnet/{tailnet}/keys/{key_id}",
            get(get_key).delete(delete_key),
        )
        .route("/oauth/token", post(oauth_token))
        .merge(tailnet::router())
}

/// Test hooks, outside fault injection: revoke or expire a key as if done in the admin console,
/// or purge it so that it is unknown (404).
pub fn hooks() -> Router<Emulator> {
    Router::new()
        .route("/_emulator/tailscale/revoke/{key_id}", post(hook_revoke))
        .route("/_emulator/tailscale/expire/{key_id}", post(hook_expire))
        .route("/_emulator/tailscale/keys/{key_id}", delete(hook_purge))
        .merge(tailnet::hooks())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_error(status, json!({ "message": message.into() }))
}

/// The caller, or the message of a 401.
fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<Caller, &'static str> {
    let given = credential(headers).ok_or("API token invalid")?;
    let minted = emu.with_world(|w| w.tailscale.access_tokens.get(&given).cloned());
    if let Some(token) = minted {
        if token.expires_at_ms <= now_millis() {
            return Err("access token expired");
        }
        return Ok(Caller {
            account: token.account,
            oauth: true,
        });
    }
    if emu.config.token.as_ref().is_some_and(|want| *want != given) {
        return Err("API token invalid");
    }
    Ok(Caller {
        account: given,
        oauth: false,
    })
}

/// The fixed default tailnet name of an account.
fn default_tailnet(account: &str) -> String {
    format!("tailnet-{:012x}", fnv1a(account) >> 16)
}

fn user_id(account: &str) -> String {
    format!("u{:012x}CNTRL", fnv1a(account) & 0xFFFF_FFFF_FFFF)
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn resolve_tailnet(caller: &Caller, tailnet: &str) -> String {
    if tailnet == "-" {
        default_tailnet(&caller.account)
    } else {
        tailnet.to_string()
    }
}

/// A fresh key id in the vendor's style (`k…CNTRL`).
fn new_key_id() -> String {
    let raw = new_id("");
    format!("k{}CNTRL", raw[..11].to_ascii_uppercase())
}

fn random_tail(len: usize) -> String {
    let mut out = String::new();
    while out.len() < len {
        out.push_str(&new_id(""));
    }
    out.truncate(len);
    out
}

fn is_valid(key: &StoredKey) -> bool {
    key.revoked.is_none() && key.expires_at_ms.is_none_or(|at| at > now_millis())
}

/// The Key object of the spec. `secret` is only given for the create response.
fn key_json(key: &StoredKey, secret: Option<&str>) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(key.id));
    if let Some(secret) = secret {
        out.insert("key".into(), json!(secret));
    }
    out.insert("keyType".into(), json!(key.key_type));
    if let Some(seconds) = key.expiry_seconds {
        out.insert("expirySeconds".into(), json!(seconds));
    }
    out.insert("created".into(), json!(key.created));
    out.insert("updated".into(), json!(key.created));
    if let Some(at) = key.expires_at_ms {
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_millis(at);
        out.insert("expires".into(), json!(rfc3339(when)));
    }
    if let Some(revoked) = &key.revoked {
        out.insert("revoked".into(), json!(revoked));
    }
    if let Some(capabilities) = &key.capabilities {
        out.insert("capabilities".into(), capabilities.clone());
    }
    if !key.scopes.is_empty() {
        out.insert("scopes".into(), json!(key.scopes));
    }
    if !key.tags.is_empty() {
        out.insert("tags".into(), json!(key.tags));
    }
    out.insert("description".into(), json!(key.description));
    out.insert("invalid".into(), json!(!is_valid(key)));
    out.insert("userId".into(), json!(key.user_id));
    for (name, value) in [
        ("issuer", &key.issuer),
        ("subject", &key.subject),
        ("audience", &key.audience),
    ] {
        if let Some(value) = value {
            out.insert(name.into(), json!(value));
        }
    }
    if let Some(rules) = &key.custom_claim_rules {
        out.insert("customClaimRules".into(), json!(rules));
    }
    Value::Object(out)
}

async fn list_keys(
    State(emu): State<Emulator>,
    Path(tailnet): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = match authenticate(&emu, &headers) {
        Ok(caller) => caller,
        Err(message) => return error(StatusCode::UNAUTHORIZED, message),
    };
    let tailnet = resolve_tailnet(&caller, &tailnet);
    let keys: Vec<Value> = emu.with_world(|w| {
        w.tailscale
            .tailnets
            .get(&tailnet)
            .map(|t| {
                t.keys
                    .values()
                    .filter(|k| is_valid(k))
                    .map(|k| key_json(k, None))
                    .collect()
            })
            .unwrap_or_default()
    });
    Json(json!({ "keys": keys })).into_response()
}

async fn get_key(
    State(emu): State<Emulator>,
    Path((tailnet, key_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let caller = match authenticate(&emu, &headers) {
        Ok(caller) => caller,
        Err(message) => return error(StatusCode::UNAUTHORIZED, message),
    };
    let tailnet = resolve_tailnet(&caller, &tailnet);
    let found = emu.with_world(|w| {
        w.tailscale
            .tailnets
            .get(&tailnet)
            .and_then(|t| t.keys.get(&key_id))
            .map(|k| key_json(k, None))
    });
    match found {
        Some(key) => Json(key).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("key {key_id} not found")),
    }
}

async fn delete_key(
    State(emu): State<Emulator>,
    Path((tailnet, key_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let caller = match authenticate(&emu, &headers) {
        Ok(caller) => caller,
        Err(message) => return error(StatusCode::UNAUTHORIZED, message),
    };
    let tailnet = resolve_tailnet(&caller, &tailnet);
    let found = emu.with_world(|w| {
        let key = w
            .tailscale
            .tailnets
            .get_mut(&tailnet)
            .and_then(|t| t.keys.get_mut(&key_id))?;
        key.revoked.get_or_insert_with(now_rfc3339);
        Some(())
    });
    match found {
        Some(()) => StatusCode::OK.into_response(),
        None => error(StatusCode::NOT_FOUND, format!("key {key_id} not found")),
    }
}

/// The createKey request body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateKeyRequest {
    key_type: Option<String>,
    description: Option<String>,
    capabilities: Option<Capabilities>,
    expiry_seconds: Option<i64>,
    scopes: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    issuer: Option<String>,
    subject: Option<String>,
    audience: Option<String>,
    custom_claim_rules: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct Capabilities {
    devices: Option<DeviceCapabilities>,
}

#[derive(Deserialize)]
struct DeviceCapabilities {
    create: Option<CreateCapabilities>,
}

#[derive(Default, Deserialize)]
struct CreateCapabilities {
    reusable: Option<bool>,
    ephemeral: Option<bool>,
    preauthorized: Option<bool>,
    tags: Option<Vec<String>>,
}

/// `tag:name`, where the name starts with a letter and holds letters, digits and dashes.
fn check_tags(tags: &[String]) -> Result<(), String> {
    for tag in tags {
        let name = tag.strip_prefix("tag:").unwrap_or("");
        let mut chars = name.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !well_formed {
            return Err(format!(
                "tags: invalid tag {tag:?}: tags must be of the form \"tag:name\", where name starts with a letter and contains only letters, numbers and dashes"
            ));
        }
    }
    Ok(())
}

fn check_description(description: &str) -> Result<(), String> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(format!(
            "description: must be at most {MAX_DESCRIPTION_CHARS} characters"
        ));
    }
    if !description
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
    {
        return Err(
            "description: may contain only alphanumeric characters, hyphens and spaces".into(),
        );
    }
    Ok(())
}

async fn create_key(
    State(emu): State<Emulator>,
    Path(tailnet): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match authenticate(&emu, &headers) {
        Ok(caller) => caller,
        Err(message) => return error(StatusCode::UNAUTHORIZED, message),
    };
    let request: CreateKeyRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("invalid request body: {e}"),
            )
        }
    };
    let (key, secret) = match build_key(&caller, request) {
        Ok(built) => built,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let tailnet = resolve_tailnet(&caller, &tailnet);
    let response = key_json(&key, secret.as_deref());
    emu.with_world(|w| {
        w.tailscale
            .tailnets
            .entry(tailnet)
            .or_default()
            .keys
            .insert(key.id.clone(), key);
    });
    Json(response).into_response()
}

/// Validate a createKey request and build the key and its one-time secret.
fn build_key(
    caller: &Caller,
    request: CreateKeyRequest,
) -> Result<(StoredKey, Option<String>), String> {
    let key_type = request.key_type.unwrap_or_else(|| "auth".into());
    let description = request.description.unwrap_or_default();
    check_description(&description)?;
    let id = new_key_id();
    let created_ms = now_millis();
    let mut key = StoredKey {
        id: id.clone(),
        key_type: key_type.clone(),
        description,
        created: rfc3339(std::time::UNIX_EPOCH + std::time::Duration::from_millis(created_ms)),
        expires_at_ms: None,
        expiry_seconds: None,
        revoked: None,
        capabilities: None,
        scopes: Vec::new(),
        tags: Vec::new(),
        // Keys made with an OAuth token are owned by the tailnet, not a user.
        user_id: if caller.oauth {
            String::new()
        } else {
            user_id(&caller.account)
        },
        issuer: None,
        subject: None,
        audience: None,
        custom_claim_rules: None,
    };
    let secret = match key_type.as_str() {
        "auth" => {
            let create = request
                .capabilities
                .and_then(|c| c.devices)
                .ok_or("capabilities.devices is required for auth keys")?
                .create
                .unwrap_or_default();
            let tags = create.tags.unwrap_or_default();
            check_tags(&tags)?;
            if caller.oauth && tags.is_empty() {
                return Err("tags are required for auth keys created with an OAuth token".into());
            }
            let seconds = request.expiry_seconds.unwrap_or(MAX_EXPIRY_SECONDS);
            if !(1..=MAX_EXPIRY_SECONDS).contains(&seconds) {
                return Err(format!(
                    "expirySeconds: must be between 1 and {MAX_EXPIRY_SECONDS} (90 days), got {seconds}"
                ));
            }
            key.expiry_seconds = Some(seconds);
            key.expires_at_ms = Some(created_ms.saturating_add(seconds as u64 * 1000));
            let mut create_json = json!({
                "reusable": create.reusable.unwrap_or(false),
                "ephemeral": create.ephemeral.unwrap_or(false),
                "preauthorized": create.preauthorized.unwrap_or(false),
            });
            if !tags.is_empty() {
                create_json["tags"] = json!(tags);
            }
            key.capabilities = Some(json!({ "devices": { "create": create_json } }));
            Some(format!("tskey-auth-{id}-{}", random_tail(32)))
        }
        "client" | "federated" => {
            let scopes = request.scopes.unwrap_or_default();
            if scopes.is_empty() {
                return Err(format!(
                    "scopes: at least one scope is required for {key_type} keys"
                ));
            }
            let tags = request.tags.unwrap_or_default();
            check_tags(&tags)?;
            let needs_tags = scopes
                .iter()
                .any(|s| s.starts_with("devices:core") || s.starts_with("auth_keys"));
            if needs_tags && tags.is_empty() {
                return Err("tags: required when scopes include devices:core or auth_keys".into());
            }
            key.scopes = scopes;
            key.tags = tags;
            if key_type == "client" {
                Some(format!("tskey-client-{id}-{}", random_tail(32)))
            } else {
                let issuer = request.issuer.unwrap_or_default();
                if !issuer.starts_with("https://") {
                    return Err("issuer: must be an https:// URL".into());
                }
                let subject = request
                    .subject
                    .filter(|s| !s.is_empty())
                    .ok_or("subject: required")?;
                key.issuer = Some(issuer);
                key.subject = Some(subject);
                key.audience = Some(
                    request
                        .audience
                        .unwrap_or_else(|| format!("api.tailscale.com/{}", random_tail(24))),
                );
                key.custom_claim_rules = request.custom_claim_rules;
                None
            }
        }
        other => {
            return Err(format!(
                "keyType: unsupported value {other:?} (expected auth, client or federated)"
            ))
        }
    };
    Ok((key, secret))
}

/// `POST /oauth/token`: the client-credentials grant. The client may authenticate with form
/// fields or HTTP Basic. With `--token`, the client secret must equal that token.
async fn oauth_token(State(emu): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let form = parse_form(&body);
    let field = |name: &str| form.get(name).cloned().filter(|v| !v.is_empty());
    let oauth_error = |status: StatusCode, code: &str, description: &str| {
        json_error(
            status,
            json!({ "error": code, "error_description": description, "message": description }),
        )
    };
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    let basic = basic_credentials(&headers);
    let client_id = field("client_id").or_else(|| basic.as_ref().map(|b| b.0.clone()));
    let client_secret = field("client_secret").or_else(|| basic.as_ref().map(|b| b.1.clone()));
    let (Some(client_id), Some(client_secret)) = (
        client_id.filter(|v| !v.is_empty()),
        client_secret.filter(|v| !v.is_empty()),
    ) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_id and client_secret are required",
        );
    };
    let account = match &emu.config.token {
        Some(want) if *want != client_secret => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "invalid client secret",
            )
        }
        // One configured account: OAuth tokens act on the same default tailnet as the API token.
        Some(want) => want.clone(),
        None => client_secret,
    };
    let scope = field("scope").unwrap_or_else(|| "all".into());
    let access_token = format!("tskey-api-{}-{}", new_key_id(), random_tail(32));
    let token = AccessToken {
        account,
        client_id,
        scope: scope.clone(),
        expires_at_ms: now_millis().saturating_add(ACCESS_TOKEN_SECONDS * 1000),
    };
    emu.with_world(|w| {
        w.tailscale
            .access_tokens
            .insert(access_token.clone(), token)
    });
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "scope": scope,
    }))
    .into_response()
}

/// `application/x-www-form-urlencoded` → map (later duplicates win).
fn parse_form(body: &[u8]) -> BTreeMap<String, String> {
    crate::world::parse_urlencoded(&String::from_utf8_lossy(body))
        .into_iter()
        .collect()
}

/// Apply `change` to the key with this id in whichever tailnet holds it.
fn with_key_anywhere(emu: &Emulator, key_id: &str, change: impl FnOnce(&mut StoredKey)) -> bool {
    emu.with_world(|w| {
        let key = w
            .tailscale
            .tailnets
            .values_mut()
            .find_map(|t| t.keys.get_mut(key_id));
        key.map(change).is_some()
    })
}

fn hook_result(emu: &Emulator, found: bool, key_id: &str) -> Response {
    if found {
        emu.persist();
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("key {key_id} not found"))
    }
}

async fn hook_revoke(State(emu): State<Emulator>, Path(key_id): Path<String>) -> Response {
    let found = with_key_anywhere(&emu, &key_id, |k| {
        k.revoked.get_or_insert_with(now_rfc3339);
    });
    hook_result(&emu, found, &key_id)
}

async fn hook_expire(State(emu): State<Emulator>, Path(key_id): Path<String>) -> Response {
    let found = with_key_anywhere(&emu, &key_id, |k| {
        k.expires_at_ms = Some(now_millis().saturating_sub(1000));
    });
    hook_result(&emu, found, &key_id)
}

async fn hook_purge(State(emu): State<Emulator>, Path(key_id): Path<String>) -> Response {
    let found = emu.with_world(|w| {
        w.tailscale
            .tailnets
            .values_mut()
            .any(|t| t.keys.remove(&key_id).is_some())
    });
    hook_result(&emu, found, &key_id)
}
