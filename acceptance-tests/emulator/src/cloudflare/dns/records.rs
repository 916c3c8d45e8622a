//! DNS record routes: list (filters `name`, `type`, `content`, paged), create, get, patch (merge),
//! put (overwrite), delete — with Cloudflare's per-type content rules, proxy rules and duplicate
//! rules (see the room's header). Must not import other vendor modules.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::zones::find;
use super::{
    authorize, fail, hex_id, invalid, ok, ok_list, page_of, paging, parse_body, Reply, Zone,
    CODE_BAD_CONTENT, CODE_BAD_TTL, CODE_CNAME_CONFLICT, CODE_DNS_VALIDATION, CODE_IDENTICAL,
    CODE_NOT_PROXIABLE, CODE_NO_RECORD,
};
use crate::world::{now_rfc3339, Emulator};

const TYPES: [&str; 6] = ["A", "AAAA", "CNAME", "TXT", "MX", "CAA"];

#[derive(Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub zone_id: String,
    pub zone_name: String,
    /// Fully qualified, lower case.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub content: String,
    pub proxied: bool,
    pub ttl: u32,
    pub priority: Option<u16>,
    pub comment: Option<String>,
    pub tags: Vec<String>,
    /// CAA's structured value.
    pub data: Option<Value>,
    pub created_on: String,
    pub modified_on: String,
}

impl Record {
    fn to_json(&self) -> Value {
        let mut out = json!({
            "id": self.id,
            "zone_id": self.zone_id,
            "zone_name": self.zone_name,
            "name": self.name,
            "type": self.kind,
            "content": self.content,
            "proxiable": matches!(self.kind.as_str(), "A" | "AAAA" | "CNAME"),
            "proxied": self.proxied,
            "ttl": self.ttl,
            "settings": {},
            "meta": {},
            "tags": self.tags,
            "created_on": self.created_on,
            "modified_on": self.modified_on,
        });
        // The spec's answer requires a string comment: no comment is "".
        out["comment"] = json!(self.comment.clone().unwrap_or_default());
        if let Some(p) = self.priority {
            out["priority"] = json!(p);
        }
        // The spec's answer requires `data` for every type; types without structured data send {}.
        out["data"] = self.data.clone().unwrap_or_else(|| json!({}));
        out
    }
}

fn dns_error(code: u32, message: impl Into<String>) -> Response {
    fail(StatusCode::BAD_REQUEST, code, message)
}

/// `www`, `@`, `www.zone` → the fully qualified, lower-case name.
fn qualify(name: &str, zone: &str) -> String {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    if n == "@" || n.is_empty() || n == zone {
        zone.to_string()
    } else if n.ends_with(&format!(".{zone}")) {
        n
    } else {
        format!("{n}.{zone}")
    }
}

fn is_host_name(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// A record body checked against the type's rules; `prior` fills what a PATCH leaves out.
fn build(
    body: &Map<String, Value>,
    zone: &Zone,
    prior: Option<&Record>,
) -> Result<Record, Response> {
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let kind = text("type")
        .or_else(|| prior.map(|p| p.kind.clone()))
        .ok_or_else(|| {
            dns_error(
                CODE_DNS_VALIDATION,
                "DNS Validation Error: type is required.",
            )
        })?
        .to_ascii_uppercase();
    if !TYPES.contains(&kind.as_str()) {
        return Err(dns_error(
            CODE_DNS_VALIDATION,
            format!("DNS Validation Error: unsupported record type {kind}."),
        ));
    }
    let name = text("name")
        .or_else(|| prior.map(|p| p.name.clone()))
        .ok_or_else(|| {
            dns_error(
                CODE_DNS_VALIDATION,
                "DNS Validation Error: name is required.",
            )
        })?;
    let data = body
        .get("data")
        .cloned()
        .or_else(|| prior.and_then(|p| p.data.clone()));
    let content = match kind.as_str() {
        "CAA" => caa_content(data.as_ref())?,
        _ => text("content")
            .or_else(|| prior.map(|p| p.content.clone()))
            .ok_or_else(|| {
                dns_error(
                    CODE_DNS_VALIDATION,
                    "DNS Validation Error: content is required.",
                )
            })?,
    };
    check_content(&kind, &content)?;
    let content = normalised(&kind, content);
    let proxied = match body.get("proxied") {
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) | None => prior.is_some_and(|p| p.proxied),
        Some(_) => return Err(invalid("proxied must be a boolean.")),
    };
    if proxied && !matches!(kind.as_str(), "A" | "AAAA" | "CNAME") {
        return Err(dns_error(
            CODE_NOT_PROXIABLE,
            format!("{kind} records cannot be proxied."),
        ));
    }
    let ttl = match body.get("ttl") {
        Some(v) => v
            .as_u64()
            .ok_or_else(|| dns_error(CODE_BAD_TTL, "TTL must be a whole number."))?,
        None => prior.map_or(1, |p| u64::from(p.ttl)),
    };
    if ttl != 1 && !(30..=86_400).contains(&ttl) {
        return Err(dns_error(
            CODE_BAD_TTL,
            "TTL must be between 60 and 86400 seconds, or 1 for Automatic.",
        ));
    }
    let priority = match body.get("priority") {
        Some(v) if !v.is_null() => Some(
            v.as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| dns_error(CODE_DNS_VALIDATION, "priority must be 0 to 65535."))?,
        ),
        _ => prior.and_then(|p| p.priority),
    };
    if kind == "MX" && priority.is_none() {
        return Err(dns_error(
            CODE_DNS_VALIDATION,
            "DNS Validation Error: MX records need a priority.",
        ));
    }
    let tags = match body.get("tags") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => prior.map(|p| p.tags.clone()).unwrap_or_default(),
    };
    let comment = match body.get("comment") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => None,
        None => prior.and_then(|p| p.comment.clone()),
    };
    let now = now_rfc3339();
    Ok(Record {
        id: prior.map_or_else(hex_id, |p| p.id.clone()),
        zone_id: zone.id.clone(),
        zone_name: zone.name.clone(),
        name: qualify(&name, &zone.name),
        content,
        // A proxied record's TTL is Cloudflare's ("automatic"), whatever was sent.
        ttl: if proxied { 1 } else { ttl as u32 },
        proxied,
        priority: if kind == "MX" { priority } else { None },
        comment,
        tags,
        data: if kind == "CAA" { data } else { None },
        created_on: prior.map_or_else(|| now.clone(), |p| p.created_on.clone()),
        modified_on: now,
        kind,
    })
}

fn check_content(kind: &str, content: &str) -> Result<(), Response> {
    let bad = |m: &str| Err(dns_error(CODE_BAD_CONTENT, m.to_string()));
    match kind {
        "A" if content.parse::<Ipv4Addr>().is_err() => {
            bad("Content for A record must be a valid IPv4 address.")
        }
        "AAAA" if content.parse::<Ipv6Addr>().is_err() => {
            bad("Content for AAAA record must be a valid IPv6 address.")
        }
        "CNAME" | "MX" if !is_host_name(content) => bad(&format!(
            "Content for {kind} record must be a valid host name."
        )),
        "TXT" if content.is_empty() || content.len() > 4096 => {
            bad("Content for TXT record must be 1 to 4096 characters.")
        }
        _ => Ok(()),
    }
}

/// The content as Cloudflare stores and answers it: IPv6 addresses compressed in lower case,
/// host names without the trailing dot.
fn normalised(kind: &str, content: String) -> String {
    match kind {
        "AAAA" => content
            .parse::<Ipv6Addr>()
            .map_or(content, |a| a.to_string()),
        "CNAME" | "MX" => content.trim_end_matches('.').to_string(),
        _ => content,
    }
}

/// CAA `data {flags, tag, value}` → its presentation form `0 issue "ca.example"`.
fn caa_content(data: Option<&Value>) -> Result<String, Response> {
    let bad = || {
        dns_error(
            CODE_DNS_VALIDATION,
            "DNS Validation Error: CAA records need data {flags, tag, value}.",
        )
    };
    let d = data.and_then(Value::as_object).ok_or_else(bad)?;
    let flags = d
        .get("flags")
        .and_then(Value::as_u64)
        .filter(|f| *f <= 255)
        .ok_or_else(bad)?;
    let tag = d.get("tag").and_then(Value::as_str).ok_or_else(bad)?;
    let value = d.get("value").and_then(Value::as_str).ok_or_else(bad)?;
    if !["issue", "issuewild", "iodef"].contains(&tag) {
        return Err(bad());
    }
    Ok(format!("{flags} {tag} \"{value}\""))
}

/// Cloudflare's duplicate rules against the zone's other records.
fn check_conflicts(rec: &Record, others: &[Record]) -> Result<(), Response> {
    for o in others
        .iter()
        .filter(|o| o.id != rec.id && o.name == rec.name)
    {
        if o.kind == rec.kind && o.content.eq_ignore_ascii_case(&rec.content) {
            return Err(dns_error(
                CODE_IDENTICAL,
                "An identical record already exists.",
            ));
        }
        if o.kind == "CNAME" || rec.kind == "CNAME" {
            return Err(dns_error(
                CODE_CNAME_CONFLICT,
                "An A, AAAA, or CNAME record with that host already exists.",
            ));
        }
    }
    Ok(())
}

fn zone_records(emu: &Emulator, zone_id: &str) -> Vec<Record> {
    emu.with_world(|w| {
        w.cf_dns
            .dns_records
            .values()
            .filter(|r| r.zone_id == zone_id)
            .cloned()
            .collect()
    })
}

fn object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match parse_body(body)? {
        Value::Object(m) => Ok(m),
        _ => Err(invalid("The request body must be a JSON object.")),
    }
}

fn no_record() -> Response {
    fail(
        StatusCode::NOT_FOUND,
        CODE_NO_RECORD,
        "Record does not exist.",
    )
}

pub async fn list(
    State(emu): State<Emulator>,
    Path(zone_id): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let zone = emu.with_world(|w| find(&emu, w, &zone_id))?;
    let (page, per_page) = paging(&query, 100, 5_000_000)?;
    let name = query
        .get("name")
        .or(query.get("name.exact"))
        .map(|n| qualify(n, &zone.name));
    let kind = query.get("type").map(|t| t.to_ascii_uppercase());
    let content = query.get("content").or(query.get("content.exact"));
    let mut found = zone_records(&emu, &zone.id);
    found.retain(|r| {
        name.as_ref().is_none_or(|n| &r.name == n)
            && kind.as_ref().is_none_or(|k| &r.kind == k)
            && content.is_none_or(|c| r.content.eq_ignore_ascii_case(c))
    });
    found.sort_by(|a, b| (&a.name, &a.kind, &a.id).cmp(&(&b.name, &b.kind, &b.id)));
    let items = page_of(&found, page, per_page)
        .iter()
        .map(Record::to_json)
        .collect();
    ok_list(items, page, per_page, found.len())
}

pub async fn create(
    State(emu): State<Emulator>,
    Path(zone_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    authorize(&emu, &headers)?;
    let zone = emu.with_world(|w| find(&emu, w, &zone_id))?;
    let rec = build(&object(&body)?, &zone, None)?;
    check_conflicts(&rec, &zone_records(&emu, &zone.id))?;
    emu.with_world(|w| w.cf_dns.dns_records.insert(rec.id.clone(), rec.clone()));
    ok(rec.to_json())
}

fn existing(emu: &Emulator, zone_id: &str, id: &str) -> Result<(Zone, Record), Response> {
    emu.with_world(|w| {
        let zone = find(emu, w, zone_id)?;
        let rec = w
            .cf_dns
            .dns_records
            .get(id)
            .filter(|r| r.zone_id == zone.id)
            .cloned()
            .ok_or_else(no_record)?;
        Ok((zone, rec))
    })
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((zone_id, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let (_, rec) = existing(&emu, &zone_id, &id)?;
    ok(rec.to_json())
}

/// PATCH merges into the record; PUT overwrites it (what the body leaves out is reset).
async fn change(
    emu: Emulator,
    zone_id: String,
    id: String,
    headers: HeaderMap,
    body: Bytes,
    merge: bool,
) -> Reply {
    authorize(&emu, &headers)?;
    let (zone, prior) = existing(&emu, &zone_id, &id)?;
    let body = object(&body)?;
    let rec = if merge {
        build(&body, &zone, Some(&prior))?
    } else {
        let mut fresh = build(&body, &zone, None)?;
        fresh.id = prior.id.clone();
        fresh.created_on = prior.created_on.clone();
        fresh
    };
    check_conflicts(&rec, &zone_records(&emu, &zone.id))?;
    let gone = emu.with_world(|w| match w.cf_dns.dns_records.get_mut(&id) {
        Some(slot) => {
            *slot = rec.clone();
            false
        }
        None => true,
    });
    if gone {
        return Err(no_record());
    }
    ok(rec.to_json())
}

pub async fn patch(
    State(emu): State<Emulator>,
    Path((zone_id, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    change(emu, zone_id, id, headers, body, true).await
}

pub async fn put(
    State(emu): State<Emulator>,
    Path((zone_id, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    change(emu, zone_id, id, headers, body, false).await
}

pub async fn delete(
    State(emu): State<Emulator>,
    Path((zone_id, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let (_, rec) = existing(&emu, &zone_id, &id)?;
    emu.with_world(|w| w.cf_dns.dns_records.remove(&rec.id));
    ok(json!({"id": rec.id}))
}
