//! Account-owned API token routes: permission groups (a fixed list), create (the value answered
//! once), list, get, update (PUT), roll (a new value), delete, and verify (the bearer token must
//! be one of the minted values). Must not import other vendor modules.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{
    authorize, fail, hex_id, invalid, ok, ok_list, page_of, paging, parse_body, Reply,
    CODE_BAD_POLICY, CODE_INVALID_TOKEN, CODE_NO_TOKEN,
};
use crate::world::{credential, now_rfc3339, Emulator};

/// `(id, name, scope)`: the groups a bucket-scoped R2 token and a DNS token need, and a few
/// others so a client that picks by position would pick wrongly.
const PERMISSION_GROUPS: &[(&str, &str, &str)] = &[
    (
        "c8fed203ed3043cba015a93ad1616f1f",
        "Zone Read",
        "com.cloudflare.api.account.zone",
    ),
    (
        "4755a26eedb94da69e1066d98aa820be",
        "DNS Write",
        "com.cloudflare.api.account.zone",
    ),
    (
        "b4992e1108244f5d8bfbd5744320c2e1",
        "Workers R2 Storage Read",
        "com.cloudflare.api.account",
    ),
    (
        "bf7481a1826f439697cb59a20b22293e",
        "Workers R2 Storage Write",
        "com.cloudflare.api.account",
    ),
    (
        "6a018a9f2fc74eb6b293b0c548f38b39",
        "Workers R2 Storage Bucket Item Read",
        "com.cloudflare.edge.r2.bucket",
    ),
    (
        "2efd5506f9c8494dacb1fa10a3e7d5b6",
        "Workers R2 Storage Bucket Item Write",
        "com.cloudflare.edge.r2.bucket",
    ),
];

#[derive(Clone, Serialize, Deserialize)]
pub struct Token {
    pub id: String,
    pub account_id: String,
    pub name: String,
    /// The secret; answered only by create and roll.
    pub value: String,
    pub policies: Vec<Value>,
    pub expires_on: Option<String>,
    pub not_before: Option<String>,
    pub issued_on: String,
    pub modified_on: String,
}

impl Token {
    fn to_json(&self) -> Value {
        let mut out = json!({
            "id": self.id,
            "name": self.name,
            "status": self.status(),
            "policies": self.policies,
            "issued_on": self.issued_on,
            "modified_on": self.modified_on,
        });
        if let Some(e) = &self.expires_on {
            out["expires_on"] = json!(e);
        }
        if let Some(n) = &self.not_before {
            out["not_before"] = json!(n);
        }
        out
    }

    fn status(&self) -> &'static str {
        // RFC 3339 UTC timestamps of one shape compare as strings.
        match &self.expires_on {
            Some(e) if e.as_str() <= now_rfc3339().as_str() => "expired",
            _ => "active",
        }
    }
}

/// A token value: 40 characters of Cloudflare's alphabet.
fn token_value() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut rng = rand::rng();
    (0..40)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn no_token() -> Response {
    fail(
        StatusCode::NOT_FOUND,
        CODE_NO_TOKEN,
        "Invalid token identifier",
    )
}

fn bad_policy(m: impl Into<String>) -> Response {
    fail(StatusCode::BAD_REQUEST, CODE_BAD_POLICY, m)
}

/// Checks the policies of a create or update body and gives each one an id.
fn policies(body: &Map<String, Value>) -> Result<Vec<Value>, Response> {
    let list = body
        .get("policies")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| bad_policy("policies must be a non-empty list."))?;
    list.iter()
        .map(|p| {
            let mut p = p
                .as_object()
                .cloned()
                .ok_or_else(|| bad_policy("Each policy must be an object."))?;
            if !matches!(
                p.get("effect").and_then(Value::as_str),
                Some("allow" | "deny")
            ) {
                return Err(bad_policy("effect must be allow or deny."));
            }
            let groups = p
                .get("permission_groups")
                .and_then(Value::as_array)
                .filter(|g| !g.is_empty())
                .ok_or_else(|| bad_policy("permission_groups must be a non-empty list."))?;
            let mut named = Vec::new();
            for g in groups {
                let id = g.get("id").and_then(Value::as_str).unwrap_or("");
                let (_, name, scope) = PERMISSION_GROUPS
                    .iter()
                    .find(|(gid, ..)| *gid == id)
                    .ok_or_else(|| bad_policy(format!("Unknown permission group {id:?}.")))?;
                named.push(
                    json!({"id": id, "name": name, "meta": {"key": "scopes", "value": scope}}),
                );
            }
            match p.get("resources").and_then(Value::as_object) {
                Some(r) if !r.is_empty() => {}
                _ => return Err(bad_policy("resources must name at least one resource.")),
            }
            p.insert("permission_groups".into(), Value::Array(named));
            p.entry("id").or_insert_with(|| json!(hex_id()));
            Ok(Value::Object(p))
        })
        .collect()
}

fn object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match parse_body(body)? {
        Value::Object(m) => Ok(m),
        _ => Err(invalid("The request body must be a JSON object.")),
    }
}

fn opt_time(body: &Map<String, Value>, key: &str) -> Result<Option<String>, Response> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() >= 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' => {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(invalid(format!(
            "{key} must be an RFC 3339 UTC time like 2030-01-01T00:00:00Z."
        ))),
    }
}

pub async fn permission_groups(
    State(emu): State<Emulator>,
    Path(_account): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let groups: Vec<Value> = PERMISSION_GROUPS
        .iter()
        .filter(|(_, name, _)| query.get("name").is_none_or(|n| n == name))
        .map(|(id, name, scope)| json!({"id": id, "name": name, "scopes": [scope]}))
        .collect();
    let n = groups.len();
    ok_list(groups, 1, n.max(1), n)
}

pub async fn create(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    authorize(&emu, &headers)?;
    let body = object(&body)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty() && n.len() <= 120)
        .ok_or_else(|| invalid("name is required (1 to 120 characters)."))?
        .to_string();
    let now = now_rfc3339();
    let token = Token {
        id: hex_id(),
        account_id: account,
        name,
        value: token_value(),
        policies: policies(&body)?,
        expires_on: opt_time(&body, "expires_on")?,
        not_before: opt_time(&body, "not_before")?,
        issued_on: now.clone(),
        modified_on: now,
    };
    emu.with_world(|w| {
        w.cf_dns
            .account_tokens
            .insert(token.id.clone(), token.clone())
    });
    let mut out = token.to_json();
    out["value"] = json!(token.value);
    ok(out)
}

pub async fn list(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let (page, per_page) = paging(&query, 20, 50)?;
    let all: Vec<Token> = emu.with_world(|w| {
        w.cf_dns
            .account_tokens
            .values()
            .filter(|t| t.account_id == account)
            .cloned()
            .collect()
    });
    let items = page_of(&all, page, per_page)
        .iter()
        .map(Token::to_json)
        .collect();
    ok_list(items, page, per_page, all.len())
}

fn find(emu: &Emulator, account: &str, id: &str) -> Result<Token, Response> {
    emu.with_world(|w| {
        w.cf_dns
            .account_tokens
            .get(id)
            .filter(|t| t.account_id == account)
            .cloned()
    })
    .ok_or_else(no_token)
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    ok(find(&emu, &account, &id)?.to_json())
}

pub async fn update(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    authorize(&emu, &headers)?;
    let mut token = find(&emu, &account, &id)?;
    let body = object(&body)?;
    if let Some(n) = body.get("name").and_then(Value::as_str) {
        token.name = n.to_string();
    }
    token.policies = policies(&body)?;
    token.expires_on = opt_time(&body, "expires_on")?;
    token.not_before = opt_time(&body, "not_before")?;
    token.modified_on = now_rfc3339();
    emu.with_world(|w| w.cf_dns.account_tokens.insert(id, token.clone()));
    ok(token.to_json())
}

pub async fn roll(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let mut token = find(&emu, &account, &id)?;
    token.value = token_value();
    token.modified_on = now_rfc3339();
    emu.with_world(|w| w.cf_dns.account_tokens.insert(id, token.clone()));
    ok(json!(token.value))
}

pub async fn delete(
    State(emu): State<Emulator>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    find(&emu, &account, &id)?;
    emu.with_world(|w| w.cf_dns.account_tokens.remove(&id));
    ok(json!({"id": id}))
}

/// The bearer token must be a live minted token of this account.
pub async fn verify(
    State(emu): State<Emulator>,
    Path(account): Path<String>,
    headers: HeaderMap,
) -> Reply {
    let given = credential(&headers).unwrap_or_default();
    let token = emu.with_world(|w| {
        w.cf_dns
            .account_tokens
            .values()
            .find(|t| t.account_id == account && t.value == given)
            .cloned()
    });
    let Some(t) = token.filter(|t| t.status() == "active") else {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            CODE_INVALID_TOKEN,
            "Invalid API Token",
        ));
    };
    let mut out = json!({"id": t.id, "status": "active"});
    if let Some(e) = &t.expires_on {
        out["expires_on"] = json!(e);
    }
    ok(out)
}
