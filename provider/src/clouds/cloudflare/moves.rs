//! Moves from the official Cloudflare provider v5 (`cloudflare/cloudflare`):
//! `cloudflare_r2_bucket` into `r2_bucket` and `cloudflare_zero_trust_tunnel_cloudflared` into
//! `cloudflare_tunnel`. Both official schemas are at version 500 (internal/services/*/schema.go at
//! cloudflare/terraform-provider-cloudflare@a2efdc57). Sub-objects the official bucket resource
//! does not hold (CORS, lifecycle rules, custom domains) stay null: paasform leaves them
//! unmanaged until the configuration sets them. Pure: no I/O.

use serde_json::{json, Value as Json};

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
