//! The "is the emulator's world empty?" rule, read generically from `GET /_emulator/state` so it
//! needs no change when a vendor gains a collection. Imports nothing from the rest of the harness.
//!
//! The state is `{"<vendor>": {"<field>": …}}`. The rule:
//! - depth 1 (a vendor) and depth 2 (its fields) are structure. A scalar at depth 2 is a counter
//!   or a setting (an id sequence, a clock) and is ignored.
//! - below that, an object or array is empty when everything in it is empty; `null` is empty;
//!   any other scalar at depth ≥ 3 is a field of a record, so its parent object is a leftover;
//!   an array element that is a scalar is itself a leftover.
//! - fields named in [`IGNORED_FIELDS`] are session artefacts or vendor-made objects Terraform
//!   never creates (Tailscale OAuth access tokens the provider mints to authenticate; Tailscale
//!   devices, which join by themselves; Cloudflare zones, which exist before any stack), and are
//!   skipped.
//! - a record with a non-null, non-false field named in [`TOMBSTONE_FIELDS`] is a tombstone the
//!   vendor keeps after deletion (Tailscale answers `DELETE` of a key by revoking it, and the
//!   revoked key stays readable), so it is not a leftover.
//!
//! So `{"tailscale":{"tailnets":{"-":{"keys":{}}}}}` is empty, and
//! `{"vercel":{"projects":{"prj_1":{"id":"prj_1"}}}}` has the leftover `vercel.projects.prj_1`.

use serde_json::Value;

/// Fields skipped at any depth: credentials and counters, never managed objects.
pub const IGNORED_FIELDS: &[&str] = &[
    "access_tokens",
    "next_id",
    "sequence",
    "counter",
    // Tailscale devices: machines that joined by themselves (seeded by the test), not objects
    // Terraform creates.
    "devices",
    // Cloudflare zones exist before any stack (seeded or looked up); no resource creates them.
    "zones",
];

/// Fields that mark a record as deleted-but-kept.
pub const TOMBSTONE_FIELDS: &[&str] = &["revoked", "deleted", "deleted_at", "deletedAt"];

/// Dotted paths of the records left in `state`, in key order; empty means an empty world.
pub fn leftovers(state: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if let Value::Object(vendors) = state {
        for (vendor, fields) in vendors {
            if let Value::Object(fields) = fields {
                for (name, value) in fields {
                    if !IGNORED_FIELDS.contains(&name.as_str()) && !is_scalar(value) {
                        walk(value, &format!("{vendor}.{name}"), &mut found);
                    }
                }
            } else if !is_scalar(fields) {
                walk(fields, vendor, &mut found);
            }
        }
    }
    found
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn is_tombstone(record: &serde_json::Map<String, Value>) -> bool {
    TOMBSTONE_FIELDS
        .iter()
        .filter_map(|field| record.get(*field))
        .any(|v| !v.is_null() && *v != Value::Bool(false))
}

/// Collects leftovers under `value` (depth ≥ 2), which lives at `path`.
fn walk(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let holds_a_field = map.iter().any(|(k, v)| {
                !IGNORED_FIELDS.contains(&k.as_str()) && is_scalar(v) && !v.is_null()
            });
            if holds_a_field {
                if !is_tombstone(map) {
                    found.push(path.to_string());
                }
                return;
            }
            for (key, child) in map {
                if !IGNORED_FIELDS.contains(&key.as_str()) {
                    walk(child, &format!("{path}.{key}"), found);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                if is_scalar(item) {
                    if !item.is_null() {
                        found.push(item_path);
                    }
                } else {
                    walk(item, &item_path, found);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_collections_and_counters_are_empty() {
        let state = json!({
            "tailscale": {"tailnets": {"-": {"keys": {}}}, "access_tokens": {"t": {"account": "a"}}},
            "render": {"services": [], "next_id": 7},
            "railway": {}, "vercel": {"projects": {}}, "r2": {"buckets": {"acct": {}}}
        });
        assert_eq!(leftovers(&state), Vec::<String>::new());
    }

    #[test]
    fn records_are_reported_by_path() {
        let state = json!({
            "tailscale": {"tailnets": {"-": {"keys": {"k1": {"id": "k1", "tags": []}}}}},
            "vercel": {"projects": [{"id": "prj_1"}]},
            "r2": {"names": ["b1"]}
        });
        assert_eq!(
            leftovers(&state),
            vec![
                "r2.names[0]",
                "tailscale.tailnets.-.keys.k1",
                "vercel.projects[0]"
            ]
        );
    }

    #[test]
    fn revoked_and_deleted_records_are_tombstones() {
        let state = json!({"tailscale": {"tailnets": {"t": {"keys": {
            "gone": {"id": "gone", "revoked": "2026-01-01T00:00:00Z"},
            "live": {"id": "live", "revoked": null},
            "kept": {"id": "kept", "deleted": false}
        }}}}});
        assert_eq!(
            leftovers(&state),
            vec![
                "tailscale.tailnets.t.keys.kept",
                "tailscale.tailnets.t.keys.live"
            ]
        );
    }

    #[test]
    fn a_record_with_only_nested_values_still_counts() {
        let state = json!({"railway": {"projects": {"p": {"settings": {"name": "x"}}}}});
        assert_eq!(leftovers(&state), vec!["railway.projects.p.settings"]);
    }
}
