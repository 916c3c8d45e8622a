//! Moves from the official Tailscale provider (`tailscale/tailscale`): `tailscale_tailnet_key` into
//! `tailscale_key`, and its same-named `tailscale_acl`, `tailscale_dns_preferences`,
//! `tailscale_device_authorization`, `tailscale_device_tags` and `tailscale_device_key` into ours
//! (a provider swap reads them through UpgradeResourceState). The official schemas
//! (tailscale/resource_*.go at tailscale/terraform-provider-tailscale@0a85227d, all schema
//! version 0) have the same attribute names; its defaults (`tags = []`, `description = ""`) are
//! "unset" in ours, and its random ids of the tailnet singletons become ours (`acl`,
//! `dns_preferences`). The key secret carries over. Pure: no I/O.

use serde_json::{json, Value as Json};

use crate::framework::{Diagnostics, MoveMap, MoveSource, SourceState};

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

const SINGLETON_NOTE: &[(&str, &str)] = &[("id (a random UUID)", "id (always the same)")];

fn same_named(type_name: &'static str, map: MoveMap, file: &'static str) -> Vec<MoveSource> {
    vec![MoveSource {
        provider: "tailscale/tailscale",
        type_name,
        schema_versions: &[0],
        map,
        renames: if file.contains("acl") || file.contains("dns") {
            SINGLETON_NOTE
        } else {
            &[]
        },
        schema_ref: file,
    }]
}

pub fn acl_sources() -> Vec<MoveSource> {
    same_named(
        "tailscale_acl",
        acl,
        "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_acl.go)",
    )
}

pub fn dns_preferences_sources() -> Vec<MoveSource> {
    same_named(
        "tailscale_dns_preferences",
        dns_preferences,
        "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_dns_preferences.go)",
    )
}

pub fn device_authorization_sources() -> Vec<MoveSource> {
    same_named(
        "tailscale_device_authorization",
        device_authorization,
        "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_device_authorization.go)",
    )
}

pub fn device_tags_sources() -> Vec<MoveSource> {
    same_named(
        "tailscale_device_tags",
        device_tags,
        "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_device_tags.go)",
    )
}

pub fn device_key_sources() -> Vec<MoveSource> {
    same_named(
        "tailscale_device_key",
        device_key,
        "tailscale/terraform-provider-tailscale@0a85227d903f (tailscale/resource_device_key.go)",
    )
}

fn acl(s: &SourceState) -> Result<Json, Diagnostics> {
    // The official id is a random UUID; ours is always `acl`. The ETag is not in the official
    // state: the refresh after the move reads it, so the first write still uses If-Match.
    // Its two flags have no default (null means false); ours default to false.
    s.computed(&["id"]);
    let flag = |k: &str| s.get(k).as_bool().unwrap_or(false);
    Ok(json!({
        "id": "acl",
        "acl": s.get("acl"),
        "overwrite_existing_content": flag("overwrite_existing_content"),
        "reset_acl_on_destroy": flag("reset_acl_on_destroy"),
        "etag": Json::Null,
    }))
}

fn dns_preferences(s: &SourceState) -> Result<Json, Diagnostics> {
    s.computed(&["id"]);
    Ok(json!({ "id": "dns_preferences", "magic_dns": s.get("magic_dns") }))
}

/// The official id is the device id as configured (legacy numeric or node id); ours is the node
/// id, which the refresh after the move reads back.
fn device_ids(s: &SourceState) -> (Json, Json) {
    (s.get("device_id").clone(), s.get("id").clone())
}

fn device_authorization(s: &SourceState) -> Result<Json, Diagnostics> {
    let (device_id, id) = device_ids(s);
    Ok(json!({ "device_id": device_id, "id": id, "authorized": s.get("authorized") }))
}

fn device_tags(s: &SourceState) -> Result<Json, Diagnostics> {
    let (device_id, id) = device_ids(s);
    let mut tags: Vec<Json> = s.get("tags").as_array().cloned().unwrap_or_default();
    tags.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    Ok(json!({ "device_id": device_id, "id": id, "tags": tags }))
}

fn device_key(s: &SourceState) -> Result<Json, Diagnostics> {
    let (device_id, id) = device_ids(s);
    Ok(json!({
        "device_id": device_id,
        "id": id,
        "key_expiry_disabled": s.get("key_expiry_disabled"),
    }))
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
