//! Validation of a configuration against a schema: attribute validators (errors and warnings with
//! the attribute path), deprecation warnings, recursion into nested attributes and blocks, and
//! the input rules every attribute of every resource shares (no null inside a collection, no NUL
//! or control characters in a string). Never makes a network call. Must not import protocol or
//! clouds.

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
    check_elements(&a.name, v, path, diags);
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

/// The rules no schema needs to state: Terraform keeps a `null` inside a list, set or map and the
/// APIs do not (the element would vanish and every plan would differ again), and no vendor
/// accepts NUL or control characters in a value (they are truncated or refused at apply).
/// Objects are not entered: their attributes are validated one by one with their own names.
fn check_elements(name: &str, v: &Value, path: &Path, diags: &mut Diagnostics) {
    match v {
        Value::String(s) => {
            if let Some((at, c)) = s.char_indices().find(|(_, c)| is_forbidden_control(*c)) {
                // The value itself may be a secret: say where, never what.
                diags.error_at(
                    path.clone(),
                    format!("Invalid character in {name}"),
                    format!(
                        "The value holds the control character U+{:04X} at byte {at}; remove it (only tab, line feed and carriage return are allowed).",
                        c as u32
                    ),
                );
            }
        }
        Value::List(es) | Value::Set(es) | Value::Tuple(es) => {
            for (i, e) in es.iter().enumerate() {
                // Set elements have no stable index; the attribute path is the most precise place.
                let p = if matches!(v, Value::Set(_)) {
                    path.clone()
                } else {
                    path.clone().index(i)
                };
                if e.is_null() {
                    diags.error_at(
                        p,
                        format!("Null element in {name}"),
                        format!(
                            "`{name}` holds a null element; remove it or give it a value (a null inside a collection would be dropped and planned again on every run)."
                        ),
                    );
                } else {
                    check_elements(name, e, &p, diags);
                }
            }
        }
        Value::Map(m) => {
            for (k, e) in m {
                let p = path.clone().key(k);
                if e.is_null() {
                    diags.error_at(
                        p,
                        format!("Null value in {name}"),
                        format!(
                            "`{name}[\"{k}\"]` is null; remove the entry or give it a value (a null map value would be dropped and planned again on every run)."
                        ),
                    );
                } else {
                    check_elements(name, e, &p, diags);
                }
            }
        }
        _ => {}
    }
}

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A provider setting written as `""` is a mistake (an unset variable, a typo), never a request
/// to fall back to the environment: `token = ""` must not quietly use `$RAILWAY_TOKEN`.
pub fn refuse_empty_settings(block: &Block, config: &Value, diags: &mut Diagnostics) {
    for a in &block.attributes {
        if config.attr(&a.name).as_str() == Some("") {
            diags.error_at(
                Path::root(&a.name),
                format!("Empty provider setting {}", a.name),
                format!(
                    "`{}` is set to an empty string. Give it a value, or remove the argument to \
                     use the environment variable or the default.",
                    a.name
                ),
            );
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
