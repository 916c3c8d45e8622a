//! Moves from other providers' resource types (`moved { from = render_web_service.api to =
//! render_service.api }`, Terraform's MoveResourceState): each resource declares the sources it
//! accepts as a table of [`MoveSource`]s — provider address, type name, schema versions and a pure
//! mapping from the source's raw JSON state to ours. The mapping reads the source through a
//! [`SourceState`] that records every attribute it looked at, so attributes it never heard of
//! (a newer source schema) are refused with a diagnostic naming them, and attributes paasform
//! does not manage are named in a warning. No network call happens here: Terraform's refresh after
//! the move reads the object. Must not import protocol or clouds.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::diagnostics::{Diagnostic, Diagnostics};

/// A mapping from a source state (through its recorder) to our state as plain JSON.
pub type MoveMap = fn(&SourceState) -> Result<Json, Diagnostics>;

/// One accepted source of a move.
#[derive(Clone, Copy)]
pub struct MoveSource {
    /// The source provider's `namespace/type` (`render-oss/render`); any registry host matches
    /// (Terraform sends `registry.terraform.io/…`, OpenTofu `registry.opentofu.org/…`).
    pub provider: &'static str,
    pub type_name: &'static str,
    /// The source schema versions the mapping reads (their schema files' `Version`).
    pub schema_versions: &'static [i64],
    pub map: MoveMap,
    /// For the migration guide: (source attribute, ours) where the names differ; ours is "" when
    /// the attribute has no counterpart.
    pub renames: &'static [(&'static str, &'static str)],
    /// Where the source schema was read (file + commit), for the guide and the fixtures.
    pub schema_ref: &'static str,
}

impl MoveSource {
    /// Does `address` (host/namespace/type, or namespace/type) name this source's provider?
    pub fn provider_matches(&self, address: &str) -> bool {
        let parts: Vec<&str> = address.split('/').collect();
        let tail = parts[parts.len().saturating_sub(2)..].join("/");
        tail.eq_ignore_ascii_case(self.provider)
    }
}

/// A source state being read by a mapping: remembers which attributes were looked at.
pub struct SourceState<'a> {
    obj: &'a Map<String, Json>,
    seen: RefCell<BTreeSet<String>>,
    unmanaged: RefCell<Vec<String>>,
}

/// Null, "", [], {} and false all mean "not set" for the unmanaged-attribute warning.
fn is_set(v: &Json) -> bool {
    match v {
        Json::Null | Json::Bool(false) => false,
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => o.values().any(is_set),
        Json::Bool(true) | Json::Number(_) => true,
    }
}

static NULL: Json = Json::Null;

impl<'a> SourceState<'a> {
    pub fn new(obj: &'a Map<String, Json>) -> Self {
        SourceState {
            obj,
            seen: RefCell::new(BTreeSet::new()),
            unmanaged: RefCell::new(Vec::new()),
        }
    }
    /// The attribute's value (null when absent), marked as read.
    pub fn get(&self, key: &str) -> &'a Json {
        self.seen.borrow_mut().insert(key.to_string());
        self.obj.get(key).unwrap_or(&NULL)
    }
    /// The attribute as a string, if it is one.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key).as_str()
    }
    /// Attributes the source computes and our Read recomputes (urls, slugs, statuses).
    pub fn computed(&self, keys: &[&str]) {
        for k in keys {
            self.get(k);
        }
    }
    /// Attributes paasform does not manage: a set value is named in a warning (the setting
    /// stays as it is at the vendor; paasform no longer tracks it).
    pub fn unmanaged(&self, keys: &[&str]) {
        for k in keys {
            if is_set(self.get(k)) {
                self.unmanaged.borrow_mut().push((*k).to_string());
            }
        }
    }
    /// Whether the source state has the attribute at all (absent, not null), without marking
    /// it read: tells an official state from ours where both use the same type name.
    pub fn has(&self, key: &str) -> bool {
        self.obj.contains_key(key)
    }
    /// A nested part the target does not manage (`git_repository.deploy_hooks`): named in the
    /// same warning as [`Self::unmanaged`] when set.
    pub fn unmanaged_value(&self, name: &str, value: &Json) {
        if is_set(value) {
            self.unmanaged.borrow_mut().push(name.to_string());
        }
    }
    fn unread(&self) -> Vec<String> {
        let seen = self.seen.borrow();
        self.obj
            .keys()
            .filter(|k| !seen.contains(k.as_str()))
            .cloned()
            .collect()
    }
}

/// An error for a source attribute whose value cannot be expressed in our schema.
pub fn unmappable(source_type: &str, attr: &str, why: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(
        "Unmappable attribute in moved state",
        format!("{source_type}.{attr} cannot be moved: {why}. Change it with the source provider first, or remove the object from state and import it."),
    )
    .into()
}

/// Run one source's mapping over raw state JSON: our state as plain JSON, plus warnings.
pub fn run(source: &MoveSource, target: &str, raw: &Json) -> (Option<Json>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(obj) = raw.as_object() else {
        diags.error(
            "Unreadable moved state",
            format!(
                "The {} state is not a JSON object; nothing can be moved into {target}.",
                source.type_name
            ),
        );
        return (None, diags);
    };
    let st = SourceState::new(obj);
    // A mapping that gave up early has not read the rest: its own error says why.
    let mapped = match (source.map)(&st) {
        Ok(j) => j,
        Err(d) => {
            diags.extend(d);
            return (None, diags);
        }
    };
    let unread = st.unread();
    if !unread.is_empty() {
        diags.error(
            "Unknown attributes in moved state",
            format!(
                "paasform does not know these {} attributes: {}. They come from a source provider version newer than the mapping (schema {}); nothing was moved. Please report this, or remove the object from state and import it into {target}.",
                source.type_name,
                unread.join(", "),
                source.schema_ref,
            ),
        );
        return (None, diags);
    }
    let unmanaged = st.unmanaged.into_inner();
    if !unmanaged.is_empty() {
        diags.push(Diagnostic::warning(
            "Attributes not managed by paasform",
            format!(
                "{target} does not manage {} of the moved {}: the settings stay as they are at the vendor, and paasform no longer tracks them.",
                unmanaged.join(", "),
                source.type_name
            ),
        ));
    }
    (Some(mapped), diags)
}

/// The source schema versions as a sentence part: "0", "0 or 1".
pub fn versions_text(v: &[i64]) -> String {
    v.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// One vendor's section of docs/migrating-from-official-providers.md, from its move tables:
/// `targets` are (our type, its sources). Empty when no resource accepts a move.
pub fn guide_section(title: &str, local_name: &str, targets: &[(&str, Vec<MoveSource>)]) -> String {
    let all: Vec<(&str, &MoveSource)> = targets
        .iter()
        .flat_map(|(t, srcs)| srcs.iter().map(move |s| (*t, s)))
        .collect();
    let Some((_, first)) = all.first() else {
        return String::new();
    };
    let mut out = format!(
        "## {title}\n\nFrom `{}` (keep it in `required_providers` for the migration run; paasform's is `paasform/{local_name}`).\n\n| Official type | paasform type | Source schema version |\n|---|---|---|\n",
        first.provider
    );
    for (target, s) in &all {
        out.push_str(&format!(
            "| `{}` | `{target}` | {} |\n",
            s.type_name,
            versions_text(s.schema_versions)
        ));
    }
    out.push_str("\n```terraform\n");
    for (target, s) in &all {
        let same = s.type_name == *target;
        let to = if same {
            format!("{target}.NAME_new")
        } else {
            format!("{target}.NAME")
        };
        out.push_str(&format!(
            "moved {{\n  from = {}.NAME\n  to   = {to}\n}}\n",
            s.type_name
        ));
    }
    out.push_str("```\n\n");
    for (target, s) in &all {
        if s.renames.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "`{}` → `{target}`:\n\n| Official attribute | paasform |\n|---|---|\n",
            s.type_name
        ));
        for (from, to) in s.renames {
            let to = if to.is_empty() {
                "— (not managed)".to_string()
            } else {
                format!("`{to}`")
            };
            out.push_str(&format!("| `{from}` | {to} |\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!("Schemas read from {}.\n\n", first.schema_ref));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map_name(s: &SourceState) -> Result<Json, Diagnostics> {
        s.computed(&["url"]);
        s.unmanaged(&["previews"]);
        Ok(json!({ "id": s.get("id"), "name": s.get("name") }))
    }

    const SRC: MoveSource = MoveSource {
        provider: "render-oss/render",
        type_name: "render_web_service",
        schema_versions: &[0],
        map: map_name,
        renames: &[],
        schema_ref: "test",
    };

    #[test]
    fn the_provider_address_matches_on_namespace_and_type_under_any_host() {
        assert!(SRC.provider_matches("registry.terraform.io/render-oss/render"));
        assert!(SRC.provider_matches("registry.opentofu.org/render-oss/render"));
        assert!(!SRC.provider_matches("registry.terraform.io/paasform/render"));
        assert!(!SRC.provider_matches("render"));
    }

    #[test]
    fn unknown_attributes_are_named_and_nothing_is_moved() {
        let raw = json!({ "id": "srv-1", "name": "api", "url": "u", "shiny": 1, "zz": null });
        let (out, d) = run(&SRC, "render_service", &raw);
        assert!(out.is_none());
        let text = format!("{d:?}");
        assert!(text.contains("shiny, zz"), "{text}");
    }

    #[test]
    fn unmanaged_set_attributes_warn_and_unset_ones_do_not() {
        let raw =
            json!({ "id": "srv-1", "name": "api", "url": "u", "previews": {"generation": "off"} });
        let (out, d) = run(&SRC, "render_service", &raw);
        assert_eq!(out, Some(json!({ "id": "srv-1", "name": "api" })));
        assert!(!d.has_errors());
        assert!(format!("{d:?}").contains("previews"));
        let raw = json!({ "id": "srv-1", "name": "api", "previews": null });
        let (_, d) = run(&SRC, "render_service", &raw);
        assert!(d.is_empty(), "{d:?}");
    }
}
