//! Validation of a configuration against a schema: attribute validators (errors and warnings with
//! the attribute path), deprecation warnings, recursion into nested attributes and blocks.
//! Never makes a network call. Must not import protocol or clouds.

use super::diagnostics::Diagnostics;
use super::path::Path;
use super::rules::Verdict;
use super::schema::{Attribute, Block, Nesting};
use super::value::Value;

/// Validate `config` (an object that may contain unknowns) against `block`.
pub fn validate_block(block: &Block, config: &Value, base: &Path, diags: &mut Diagnostics) {
    validate_attributes(&block.attributes, config, base, diags);
    for b in &block.blocks {
        let v = config.attr(&b.name);
        match b.nesting {
            Nesting::Single => validate_block(&b.block, v, &child(base, &b.name), diags),
            _ => {
                for (i, e) in v.elements().unwrap_or_default().iter().enumerate() {
                    validate_block(&b.block, e, &child(base, &b.name).index(i), diags);
                }
            }
        }
    }
}

fn child(base: &Path, name: &str) -> Path {
    if base.is_empty() {
        Path::root(name)
    } else {
        base.clone().attr(name)
    }
}

pub fn validate_attributes(attrs: &[Attribute], obj: &Value, base: &Path, diags: &mut Diagnostics) {
    for a in attrs {
        let path = child(base, &a.name);
        let v = obj.attr(&a.name);
        validate_attribute(a, v, &path, diags);
    }
}

fn validate_attribute(a: &Attribute, v: &Value, path: &Path, diags: &mut Diagnostics) {
    if v.is_null() {
        return;
    }
    if let Some(msg) = &a.deprecated {
        diags.warning_at(
            path.clone(),
            format!("Attribute {} is deprecated", a.name),
            msg.clone(),
        );
    }
    for val in &a.validators {
        match val.check(v) {
            Verdict::Ok => {}
            Verdict::Error(msg) => {
                diags.error_at(path.clone(), format!("Invalid value for {}", a.name), msg)
            }
            Verdict::Warning(msg) => {
                diags.warning_at(path.clone(), format!("Unusual value for {}", a.name), msg)
            }
        }
    }
    let Some((nesting, inner)) = &a.nested else {
        return;
    };
    match nesting {
        Nesting::Single => validate_attributes(inner, v, path, diags),
        Nesting::List | Nesting::Set => {
            for (i, e) in v.elements().unwrap_or_default().iter().enumerate() {
                // Set elements have no stable index; the attribute path is the most precise place.
                let p = if *nesting == Nesting::List {
                    path.clone().index(i)
                } else {
                    path.clone()
                };
                validate_attributes(inner, e, &p, diags);
            }
        }
        Nesting::Map => {
            for (k, e) in v.entries().into_iter().flatten() {
                validate_attributes(inner, e, &path.clone().key(k), diags);
            }
        }
    }
}

/// Helper for resources: error when more than one of `names` is set (non-null) in `config`.
pub fn conflicting(config: &Value, names: &[&str], diags: &mut Diagnostics) {
    let set: Vec<&&str> = names.iter().filter(|n| !config.attr(n).is_null()).collect();
    if set.len() > 1 {
        for n in &set[1..] {
            diags.error_at(
                Path::root(n),
                "Conflicting attributes",
                format!(
                    "Only one of {} may be set; found {}.",
                    join(names),
                    join(&set.iter().map(|s| **s).collect::<Vec<_>>())
                ),
            );
        }
    }
}

fn join(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
