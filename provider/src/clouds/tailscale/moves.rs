//! Moves from the official Tailscale provider (`tailscale/tailscale`): `tailscale_tailnet_key` into
//! `tailscale_key`. The official schema (tailscale/resource_tailnet_key.go at
//! tailscale/terraform-provider-tailscale@0a85227d, schema version 0) has the same attribute names;
//! its defaults (`tags = []`, `description = ""`) are "unset" in ours. The key secret carries over.
//! Pure: no I/O.

use serde_json::{json, Value as Json};

use crate::framework::{Diagnostics, MoveSource, SourceState};

const REF: &str =
    "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_tailnet_key.go)";

pub fn key_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: "tailscale/tailscale",
        type_name: "tailscale_tailnet_key",
        schema_versions: &[0],
        map: tailnet_key,
        renames: &[("(none: same names)", "")],
        schema_ref: REF,
    }]
}

fn tailnet_key(s: &SourceState) -> Result<Json, Diagnostics> {
    let tags = match s.get("tags") {
        Json::Array(a) if !a.is_empty() => Json::Array(a.clone()),
        _ => Json::Null,
    };
    let description = s.str("description").filter(|d| !d.is_empty());
    Ok(json!({
        "id": s.get("id"),
        "reusable": s.get("reusable"),
        "ephemeral": s.get("ephemeral"),
        "preauthorized": s.get("preauthorized"),
        "tags": tags,
        "expiry": s.get("expiry"),
        "description": description,
        "key": s.get("key"),
        "created_at": s.get("created_at"),
        "expires_at": s.get("expires_at"),
        "recreate_if_invalid": s.get("recreate_if_invalid"),
        "invalid": s.get("invalid"),
        "user_id": s.get("user_id"),
    }))
}
