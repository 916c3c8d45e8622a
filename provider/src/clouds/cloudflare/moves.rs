//! Moves from the official Cloudflare provider v5 (`cloudflare/cloudflare`):
//! `cloudflare_r2_bucket` into `r2_bucket`, `cloudflare_zero_trust_tunnel_cloudflared` into
//! `cloudflare_tunnel`, and the same-named `cloudflare_dns_record` (A, AAAA, CNAME, TXT, MX and
//! CAA; other types are refused by name). The official schemas are at version 500 (internal/services/*/schema.go at
//! cloudflare/terraform-provider-cloudflare@a2efdc57). Sub-objects the official bucket resource
//! does not hold (CORS, lifecycle rules, custom domains) stay null: paasform leaves them
//! unmanaged until the configuration sets them. Pure: no I/O.

use serde_json::{json, Value as Json};

use crate::framework::moves::unmappable;
use crate::framework::{Diagnostics, MoveSource, SourceState};

const PROVIDER: &str = "cloudflare/cloudflare";

pub fn r2_bucket_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "cloudflare_r2_bucket",
        schema_versions: &[500],
        map: r2_bucket,
        renames: &[],
        schema_ref: "cloudflare/terraform-provider-cloudflare@a2efdc5786ae (internal/services/r2_bucket/model.go)",
    }]
}

pub fn tunnel_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "cloudflare_zero_trust_tunnel_cloudflared",
        schema_versions: &[500],
        map: tunnel,
        renames: &[
            ("tunnel_secret", "tunnel_secret_wo (write-only)"),
            ("account_tag, conns_active_at, conns_inactive_at, deleted_at, remote_config, tun_type, connections, metadata", ""),
        ],
        schema_ref: "cloudflare/terraform-provider-cloudflare@a2efdc5786ae (internal/services/zero_trust_tunnel_cloudflared/model.go)",
    }]
}

pub fn dns_record_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "cloudflare_dns_record",
        schema_versions: &[500],
        map: dns_record,
        renames: &[
            ("data (CAA)", "content (`<flags> <tag> \"<value>\"`)"),
            ("settings, private_routing", ""),
        ],
        schema_ref: "cloudflare/terraform-provider-cloudflare@a2efdc5786ae (internal/services/dns_record/model.go)",
    }]
}

/// The record types paasform manages (the others have no counterpart and are refused).
const RECORD_TYPES: &[&str] = &["A", "AAAA", "CNAME", "TXT", "MX", "CAA"];
const DNS: &str = "cloudflare_dns_record";

fn dns_record(s: &SourceState) -> Result<Json, Diagnostics> {
    s.computed(&["comment_modified_on", "tags_modified_on", "meta"]);
    s.unmanaged(&["settings", "private_routing"]);
    let ty = s.str("type").unwrap_or_default().to_ascii_uppercase();
    if !RECORD_TYPES.contains(&ty.as_str()) {
        return Err(unmappable(
            DNS,
            "type",
            format!(
                "paasform manages {} records, not {ty}",
                RECORD_TYPES.join(", ")
            ),
        ));
    }
    let data = s.get("data");
    let content = match (s.str("content"), ty.as_str()) {
        (Some(c), _) if !c.is_empty() => c.to_string(),
        // A CAA record written through `data` holds its content there.
        (_, "CAA") => match (data.get("flags"), data.get("tag"), data.get("value")) {
            (Some(f), Some(Json::String(t)), Some(Json::String(v))) => {
                let flags = f
                    .as_f64()
                    .map_or_else(|| f.to_string(), |n| (n as u64).to_string());
                format!("{flags} {t} \"{v}\"")
            }
            _ => {
                return Err(unmappable(
                    DNS,
                    "data",
                    "a CAA record needs flags, tag and value",
                ))
            }
        },
        _ => return Err(unmappable(DNS, "content", "it is empty")),
    };
    let whole = |key: &str| -> Result<Json, Diagnostics> {
        match s.get(key) {
            Json::Null => Ok(Json::Null),
            Json::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f >= 0.0 => Ok(json!(f as u64)),
                _ => Err(unmappable(DNS, key, format!("{n} is not a whole number"))),
            },
            other => Err(unmappable(DNS, key, format!("{other} is not a number"))),
        }
    };
    let tags = match s.get("tags") {
        Json::Array(a) if !a.is_empty() => Json::Array(a.clone()),
        _ => Json::Null,
    };
    let comment = s.str("comment").filter(|c| !c.is_empty());
    // Only MX records take a priority in ours; the official state may hold one on others.
    let priority = if ty == "MX" {
        whole("priority")?
    } else {
        s.computed(&["priority"]);
        Json::Null
    };
    Ok(json!({
        "id": s.get("id"),
        "zone_id": s.get("zone_id"),
        "name": s.get("name"),
        "type": ty,
        "content": content,
        "comment": comment,
        "priority": priority,
        "proxied": s.get("proxied"),
        "ttl": whole("ttl")?,
        "tags": tags,
        "created_on": s.get("created_on"),
        "modified_on": s.get("modified_on"),
        "proxiable": s.get("proxiable"),
        "hostname": Json::Null,
    }))
}

fn r2_bucket(s: &SourceState) -> Result<Json, Diagnostics> {
    // The official `id` is the bucket name, as ours.
    s.computed(&["id"]);
    // Cloudflare answers location hints in upper case (ENAM); ours are the lower-case hints.
    let location = s.str("location").map(str::to_ascii_lowercase);
    let jurisdiction = s.str("jurisdiction").unwrap_or("default");
    Ok(json!({
        "id": s.get("name"),
        "name": s.get("name"),
        "account_id": s.get("account_id"),
        "jurisdiction": jurisdiction,
        "location": location,
        "storage_class": s.get("storage_class"),
        "creation_date": s.get("creation_date"),
    }))
}

fn tunnel(s: &SourceState) -> Result<Json, Diagnostics> {
    s.computed(&[
        "account_tag",
        "conns_active_at",
        "conns_inactive_at",
        "deleted_at",
        "remote_config",
        "tun_type",
        "connections",
        "metadata",
        "tunnel_secret",
    ]);
    Ok(json!({
        "id": s.get("id"),
        "account_id": s.get("account_id"),
        "name": s.get("name"),
        "config_src": s.get("config_src"),
        "status": s.get("status"),
        "created_at": s.get("created_at"),
    }))
}
