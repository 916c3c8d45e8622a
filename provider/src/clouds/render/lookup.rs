//! The plan-time rule the "by id or by name" Render data sources share (`render_project`,
//! `render_env_group`): exactly one of the two lookup attributes, a well-formed id, a non-blank
//! name; errors on the attribute path, no request. Must not import the resources' modules.

use crate::framework::{Diagnostics, Path, Value};

/// Check `config`'s `id` / `name` pair. `id_form` names the id in messages (`"prj-…"`);
/// `bad_id` returns why an id is malformed.
pub fn id_or_name(
    config: &Value,
    diags: &mut Diagnostics,
    id_form: &str,
    bad_id: impl Fn(&str) -> Option<String>,
) {
    one_of_two(config, diags, ("id", "name"), id_form, bad_id);
}

/// The same rule for any two attributes (`render_owner`: `name` or `email`).
pub fn one_of_two(
    config: &Value,
    diags: &mut Diagnostics,
    (a, b): (&str, &str),
    a_form: &str,
    bad_a: impl Fn(&str) -> Option<String>,
) {
    let (va, vb) = (config.attr(a), config.attr(b));
    if va.is_unknown() || vb.is_unknown() {
        return;
    }
    match (va.as_str(), vb.as_str()) {
        (Some(_), Some(_)) => diags.error_at(
            Path::root(b),
            "Conflicting lookup",
            format!("Set exactly one of `{a}` and `{b}`, not both."),
        ),
        (None, None) => diags.error_at(
            Path::root(a),
            "Missing lookup",
            format!("Set exactly one of `{a}` ({a_form}) and `{b}`."),
        ),
        (Some(v), None) => {
            if let Some(msg) = bad_a(v) {
                diags.error_at(
                    Path::root(a),
                    format!("Invalid {a}"),
                    format!("{v:?}: {msg}."),
                );
            }
        }
        (None, Some(v)) if v.trim().is_empty() => diags.error_at(
            Path::root(b),
            format!("Empty {b}"),
            format!("`{b}` must not be empty."),
        ),
        (None, Some(_)) => {}
    }
}
