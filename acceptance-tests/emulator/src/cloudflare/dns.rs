//! Cloudflare zones, DNS records and account API tokens (API v4, world field `cf_dns`), built from
//! `cloudflare-tunnels-dns.openapi.json`; nested under `/cloudflare/client/v4` beside the R2 room,
//! whose envelope and auth prelude it reuses. Owns `CfDnsState`. Must not import other vendor
//! modules (R2's envelope helpers excepted: one vendor, one envelope) or the provider crate.
//!
//! Behaviour worth knowing:
//! - Zones are not created through the API by the tests: `--cloudflare-zone NAME[@ACCOUNT]` seeds
//!   them, and a lookup by `name` of an unknown zone under `.example` or `.test` creates it (status
//!   `active`, two `*.ns.cloudflare.com` name servers), owned by the lookup's `account.id` filter or
//!   account `dev`. Zone ids are derived from the name, so they survive restarts without `--state`.
//! - DNS records: names are stored fully qualified (`www` and `@` are relative to the zone), IPv6
//!   content compressed and host-name content without its trailing dot (as Cloudflare answers); per-type
//!   content rules (A = IPv4, AAAA = IPv6, CNAME/MX = host name, MX needs `priority`, CAA takes
//!   `data {flags, tag, value}`); only A, AAAA and CNAME may be proxied, and a proxied record always
//!   reports `ttl: 1`; a CNAME cannot share its name with any other record (81053), an identical
//!   record is refused (81058).
//! - Account tokens: permission groups are a fixed list (ids are opaque; clients must look them up
//!   by name); the token value is returned by create and roll only; `GET …/tokens/verify` checks
//!   the bearer token against the minted ones. Deleting a token removes it (no live token remains).

// Handlers answer `Result<Response, Response>` like the R2 room.
#![allow(clippy::result_large_err)]

mod records;
mod tokens;
mod zones;

use std::collections::BTreeMap;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub(crate) use crate::r2::{fail, invalid, ok, parse_body, Reply};
use crate::world::Emulator;

/// Failure codes (Cloudflare's where known).
pub(crate) const CODE_AUTH: u32 = 10000;
pub(crate) const CODE_INVALID_TOKEN: u32 = 1000;
pub(crate) const CODE_NO_ZONE: u32 = 1001;
pub(crate) const CODE_DNS_VALIDATION: u32 = 1004;
pub(crate) const CODE_NOT_PROXIABLE: u32 = 9004;
pub(crate) const CODE_BAD_CONTENT: u32 = 9005;
pub(crate) const CODE_BAD_TTL: u32 = 9021;
pub(crate) const CODE_NO_RECORD: u32 = 81044;
pub(crate) const CODE_CNAME_CONFLICT: u32 = 81053;
pub(crate) const CODE_IDENTICAL: u32 = 81058;
pub(crate) const CODE_NO_TOKEN: u32 = 1003;
pub(crate) const CODE_BAD_POLICY: u32 = 1002;

#[derive(Default, Serialize, Deserialize)]
pub struct CfDnsState {
    /// Zone id → zone. Zones exist before any stack (seeded or looked up), so the harness's
    /// "world is empty" rule ignores this field.
    #[serde(default)]
    pub zones: BTreeMap<String, Zone>,
    /// Record id → record.
    #[serde(default)]
    pub dns_records: BTreeMap<String, records::Record>,
    /// Token id → account-owned API token.
    #[serde(default)]
    pub account_tokens: BTreeMap<String, tokens::Token>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub account_id: String,
    pub created_on: String,
}

impl Zone {
    fn to_json(&self) -> Value {
        let ns: Vec<String> = ["ada", "bob"]
            .iter()
            .map(|n| format!("{n}.ns.cloudflare.com"))
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "status": "active",
            "paused": false,
            "type": "full",
            "account": {"id": self.account_id, "name": format!("Account {}", self.account_id)},
            "name_servers": ns,
            "original_name_servers": [],
            "created_on": self.created_on,
            "modified_on": self.created_on,
            "activated_on": self.created_on,
            "development_mode": 0,
            "meta": {"phishing_detected": false},
            "original_registrar": null,
            "original_dnshost": null,
            "owner": {"id": self.account_id, "name": format!("Account {}", self.account_id), "type": "organization"},
            "plan": {"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "price": 0, "currency": "USD", "frequency": "", "is_subscribed": true, "can_subscribe": false, "legacy_id": "free", "legacy_discount": false, "externally_managed": false},
            "permissions": [],
        })
    }
}

pub fn router() -> Router<Emulator> {
    const RECORD: &str = "/zones/{zone_id}/dns_records/{dns_record_id}";
    const TOKENS: &str = "/accounts/{account_id}/tokens";
    Router::new()
        .route("/zones", get(zones::list))
        .route("/zones/{zone_id}", get(zones::get))
        .route(
            "/zones/{zone_id}/dns_records",
            get(records::list).post(records::create),
        )
        .route(
            RECORD,
            get(records::get)
                .patch(records::patch)
                .put(records::put)
                .delete(records::delete),
        )
        .route(TOKENS, get(tokens::list).post(tokens::create))
        .route(
            &format!("{TOKENS}/permission_groups"),
            get(tokens::permission_groups),
        )
        .route(&format!("{TOKENS}/verify"), get(tokens::verify))
        .route(
            &format!("{TOKENS}/{{token_id}}"),
            get(tokens::get).put(tokens::update).delete(tokens::delete),
        )
        .route(
            &format!("{TOKENS}/{{token_id}}/value"),
            axum::routing::put(tokens::roll),
        )
}

/// The auth prelude of every call.
pub(crate) fn authorize(emu: &Emulator, headers: &HeaderMap) -> Result<(), Response> {
    if crate::r2::authenticated(emu, headers) {
        Ok(())
    } else {
        Err(fail(
            StatusCode::UNAUTHORIZED,
            CODE_AUTH,
            "Authentication error",
        ))
    }
}

/// A success envelope for a list, with `result_info`.
pub(crate) fn ok_list(items: Vec<Value>, page: usize, per_page: usize, total: usize) -> Reply {
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": items,
        "result_info": {
            "page": page,
            "per_page": per_page,
            "count": items.len(),
            "total_count": total,
            "total_pages": total.div_ceil(per_page.max(1)),
        },
    });
    Ok(Json(body).into_response())
}

/// `page` / `per_page` from a query, within `1..=max_per_page`.
pub(crate) fn paging(
    query: &BTreeMap<String, String>,
    default_per_page: usize,
    max_per_page: usize,
) -> Result<(usize, usize), Response> {
    let num = |k: &str, d: usize| match query.get(k) {
        None => Ok(d),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid(format!("{k} must be a positive whole number."))),
    };
    let per_page = num("per_page", default_per_page)?.min(max_per_page);
    Ok((num("page", 1)?, per_page))
}

/// The slice of `items` for a page.
pub(crate) fn page_of<T: Clone>(items: &[T], page: usize, per_page: usize) -> Vec<T> {
    items
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .cloned()
        .collect()
}

/// 32 lowercase hex characters (Cloudflare's identifier shape), random.
pub(crate) fn hex_id() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}
