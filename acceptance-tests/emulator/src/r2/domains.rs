//! R2 bucket domains: custom domains (list, add, get, edit, remove) and the managed r2.dev domain.
//! Must not import other vendor modules.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

use super::{
    fail, invalid, ok, parse_object, scope, with_bucket, CustomDomain, Reply, CODE_DOMAIN_EXISTS,
    CODE_NO_DOMAIN,
};
use crate::world::Emulator;

const TLS_VERSIONS: [&str; 4] = ["1.0", "1.1", "1.2", "1.3"];

type Invalid = axum::response::Response;

impl CustomDomain {
    /// The short answer of add and edit (`r2_add_custom_domain_response`).
    fn summary(&self) -> Value {
        let mut out = json!({"domain": self.domain, "enabled": self.enabled});
        if let Some(t) = &self.min_tls {
            out["minTLS"] = json!(t);
        }
        if let Some(c) = &self.ciphers {
            out["ciphers"] = json!(c);
        }
        out
    }

    /// The full answer of get and list (`r2_get_custom_domain_response`). Enabled domains are
    /// active at once; disabled ones show as deactivated, as in the spec's example.
    fn detail(&self) -> Value {
        let mut out = self.summary();
        out["zoneId"] = json!(self.zone_id);
        out["zoneName"] = json!(zone_name(&self.domain));
        out["status"] = if self.enabled {
            json!({"ownership": "active", "ssl": "active"})
        } else {
            json!({"ownership": "deactivated", "ssl": "pending"})
        };
        out
    }
}

/// The registrable part of a host name: its last two labels.
fn zone_name(domain: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

fn valid_domain(d: &str) -> bool {
    d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn min_tls(body: &Map<String, Value>) -> Result<Option<String>, Invalid> {
    match body.get("minTLS") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(t)) if TLS_VERSIONS.contains(&t.as_str()) => Ok(Some(t.clone())),
        Some(_) => Err(invalid("minTLS must be one of 1.0, 1.1, 1.2, 1.3.")),
    }
}

fn ciphers(body: &Map<String, Value>) -> Result<Option<Vec<String>>, Invalid> {
    match body.get("ciphers") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| invalid("ciphers must be an array of strings.")),
        Some(_) => Err(invalid("ciphers must be an array of strings.")),
    }
}

fn no_domain() -> Invalid {
    fail(
        StatusCode::NOT_FOUND,
        CODE_NO_DOMAIN,
        "The specified custom domain does not exist on this bucket.",
    )
}

pub async fn list_custom(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let domains = with_bucket(&emu, &scope, &name, |b| {
        b.custom_domains
            .values()
            .map(CustomDomain::detail)
            .collect::<Vec<_>>()
    })?;
    ok(json!({"domains": domains}))
}

pub async fn add_custom(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let domain = match body.get("domain").and_then(Value::as_str) {
        Some(d) if valid_domain(d) => d.to_ascii_lowercase(),
        _ => return Err(invalid("domain must be a valid host name.")),
    };
    let zone_id = match body.get("zoneId").and_then(Value::as_str) {
        Some(z) if !z.is_empty() => z.to_string(),
        _ => return Err(invalid("zoneId is required.")),
    };
    let Some(enabled) = body.get("enabled").and_then(Value::as_bool) else {
        return Err(invalid("enabled (boolean) is required."));
    };
    let new = CustomDomain {
        domain: domain.clone(),
        zone_id,
        enabled,
        min_tls: min_tls(&body)?,
        ciphers: ciphers(&body)?,
    };
    let added = with_bucket(&emu, &scope, &name, |b| {
        if b.custom_domains.contains_key(&domain) {
            return None;
        }
        let summary = new.summary();
        b.custom_domains.insert(domain.clone(), new);
        Some(summary)
    })?;
    match added {
        Some(summary) => ok(summary),
        None => Err(fail(
            StatusCode::CONFLICT,
            CODE_DOMAIN_EXISTS,
            "The custom domain is already attached to this bucket.",
        )),
    }
}

pub async fn get_custom(
    State(emu): State<Emulator>,
    Path((account, name, domain)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let key = domain.to_ascii_lowercase();
    with_bucket(&emu, &scope, &name, |b| {
        b.custom_domains.get(&key).map(CustomDomain::detail)
    })?
    .map_or_else(|| Err(no_domain()), ok)
}

/// Fields left out keep their value ("If not set, defaults to previous value").
pub async fn edit_custom(
    State(emu): State<Emulator>,
    Path((account, name, domain)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let body = parse_object(&body)?;
    let enabled = match body.get("enabled") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(e)) => Some(*e),
        Some(_) => return Err(invalid("enabled must be a boolean.")),
    };
    let (tls, ciphers) = (min_tls(&body)?, ciphers(&body)?);
    let key = domain.to_ascii_lowercase();
    with_bucket(&emu, &scope, &name, |b| {
        let d = b.custom_domains.get_mut(&key)?;
        d.enabled = enabled.unwrap_or(d.enabled);
        d.min_tls = tls.or(d.min_tls.take());
        d.ciphers = ciphers.or(d.ciphers.take());
        Some(d.summary())
    })?
    .map_or_else(|| Err(no_domain()), ok)
}

pub async fn remove_custom(
    State(emu): State<Emulator>,
    Path((account, name, domain)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let key = domain.to_ascii_lowercase();
    with_bucket(&emu, &scope, &name, |b| b.custom_domains.remove(&key))?
        .map_or_else(|| Err(no_domain()), |d| ok(json!({"domain": d.domain})))
}

fn managed(b: &super::Bucket) -> Value {
    json!({
        "bucketId": b.bucket_id,
        "domain": format!("pub-{}.r2.dev", b.bucket_id),
        "enabled": b.managed_domain_enabled,
    })
}

pub async fn get_managed(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    ok(with_bucket(&emu, &scope, &name, |b| managed(b))?)
}

pub async fn put_managed(
    State(emu): State<Emulator>,
    Path((account, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let scope = scope(&emu, &headers, &account)?;
    let Some(enabled) = parse_object(&body)?.get("enabled").and_then(Value::as_bool) else {
        return Err(invalid("enabled (boolean) is required."));
    };
    ok(with_bucket(&emu, &scope, &name, |b| {
        b.managed_domain_enabled = enabled;
        managed(b)
    })?)
}
