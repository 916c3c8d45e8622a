//! Import ids, declared once per resource as a table of formats (`<account_id>/<name>`,
//! `<account_id>/<jurisdiction>/<name>`): parsed and validated before any network call — each part
//! by the schema validators of the attribute it fills — and turned into the partial state that
//! Read completes. The same table turns a resource identity (`import { identity = {…} }`) into a
//! partial state. Must not import protocol or clouds.

use std::collections::BTreeMap;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::path::Path;
use super::rules::Verdict;
use super::schema::Schema;
use super::value::Value;

/// One accepted id shape: `/`-separated `<attribute>` segments.
#[derive(Clone, Debug)]
pub struct ImportFormat {
    pub pattern: &'static str,
}

impl ImportFormat {
    fn fields(&self) -> Vec<&'static str> {
        self.pattern
            .split('/')
            .map(|s| s.trim_start_matches('<').trim_end_matches('>'))
            .collect()
    }
}

/// A cross-part check of parsed import fields: an error message, or `None`.
pub type FieldsCheck = fn(&BTreeMap<String, String>) -> Option<String>;

/// A resource's import rules.
#[derive(Clone, Debug)]
pub struct ImportId {
    pub formats: Vec<ImportFormat>,
    /// Values for attributes a shorter format leaves out (`jurisdiction` = "default").
    pub defaults: Vec<(&'static str, Value)>,
    /// When `id` is not itself a field: the field it copies (r2: the bucket name).
    pub id_from: Option<&'static str>,
    /// Attributes Read should fetch in full after an import (sub-objects read only when managed).
    pub unknown: Vec<&'static str>,
    /// Extra cross-part check (e.g. an id prefix that names the engine); an error message.
    pub check: Option<FieldsCheck>,
    /// Surrounding whitespace is dropped before parsing (ids pasted from a dashboard).
    pub trim: bool,
}

impl Default for ImportId {
    /// The common case: the object's own id.
    fn default() -> Self {
        ImportId::formats(&["<id>"])
    }
}

impl ImportId {
    pub fn formats(patterns: &[&'static str]) -> Self {
        ImportId {
            formats: patterns
                .iter()
                .map(|p| ImportFormat { pattern: p })
                .collect(),
            defaults: Vec::new(),
            id_from: None,
            unknown: Vec::new(),
            check: None,
            trim: false,
        }
    }
    pub fn default_value(mut self, attr: &'static str, v: Value) -> Self {
        self.defaults.push((attr, v));
        self
    }
    pub fn id_from(mut self, attr: &'static str) -> Self {
        self.id_from = Some(attr);
        self
    }
    pub fn read_in_full(mut self, attrs: &[&'static str]) -> Self {
        self.unknown.extend_from_slice(attrs);
        self
    }
    pub fn check(mut self, f: FieldsCheck) -> Self {
        self.check = Some(f);
        self
    }
    pub fn trimmed(mut self) -> Self {
        self.trim = true;
        self
    }

    fn expected(&self) -> String {
        let list: Vec<String> = self
            .formats
            .iter()
            .map(|f| format!("{:?}", f.pattern))
            .collect();
        list.join(" or ")
    }

    fn invalid(&self, id: &str, why: &str) -> Diagnostics {
        Diagnostic::error(
            "Invalid import id",
            format!("Expected {}, got {id:?}{why}.", self.expected()),
        )
        .at(Path::root("id"))
        .into()
    }

    /// Parse an import id into field values (no network call).
    pub fn parse(
        &self,
        schema: &Schema,
        id: &str,
    ) -> Result<BTreeMap<String, String>, Diagnostics> {
        let id = if self.trim { id.trim() } else { id };
        let parts: Vec<&str> = id.split('/').collect();
        // Several formats may share a length (ours `<account_id>/<jurisdiction>/<name>` and the
        // official provider's `<account_id>/<name>/<jurisdiction>`): the first whose parts
        // validate wins, so the forms accepted before keep their meaning.
        let mut first_error = None;
        for format in self
            .formats
            .iter()
            .filter(|f| f.fields().len() == parts.len())
        {
            let fields: BTreeMap<String, String> = format
                .fields()
                .into_iter()
                .zip(parts.iter())
                .map(|(f, p)| (f.to_string(), p.to_string()))
                .collect();
            match self.validate(schema, &fields) {
                Ok(()) => return Ok(fields),
                Err(why) => {
                    first_error.get_or_insert(why);
                }
            }
        }
        Err(self.invalid(id, first_error.as_deref().unwrap_or("")))
    }

    /// Every part non-empty, free of spaces and control characters, and accepted by the schema
    /// validators of its attribute.
    fn validate(&self, schema: &Schema, fields: &BTreeMap<String, String>) -> Result<(), String> {
        for (name, part) in fields {
            if part.is_empty() || part.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(format!(": {name} is empty or holds spaces"));
            }
            if let Some(a) = schema.block.attribute(name) {
                for v in &a.validators {
                    if let Verdict::Error(msg) = v.check(&Value::string(part)) {
                        return Err(format!(": {name}: {msg}"));
                    }
                }
            }
        }
        if let Some(check) = self.check {
            if let Some(msg) = check(fields) {
                return Err(format!(": {msg}"));
            }
        }
        Ok(())
    }

    /// The partial state Read completes: the fields, the defaults, the id and the markers.
    pub fn partial_state(&self, fields: &BTreeMap<String, String>) -> Value {
        let mut v = Value::object(fields.iter().map(|(k, s)| (k.clone(), Value::string(s))));
        for (attr, d) in &self.defaults {
            if v.attr(attr).is_null() {
                v.set_attr(attr, d.clone());
            }
        }
        if let Some(src) = self.id_from {
            let id = v.attr(src).clone();
            v.set_attr("id", id);
        }
        for attr in &self.unknown {
            v.set_attr(attr, Value::Unknown);
        }
        v
    }

    /// An identity object (`import { identity = {…} }`) as field values, validated alike.
    pub fn fields_from_identity(
        &self,
        schema: &Schema,
        identity: &Value,
    ) -> Result<BTreeMap<String, String>, Diagnostics> {
        let fields: BTreeMap<String, String> = identity
            .entries()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect();
        self.validate(schema, &fields).map_err(|why| {
            Diagnostics::from(Diagnostic::error(
                "Invalid import identity",
                format!("The identity does not name an object{why}."),
            ))
        })?;
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::rules::Validator;
    use crate::framework::Attribute;

    fn schema() -> Schema {
        Schema::new(
            "",
            vec![
                Attribute::string("id").computed(),
                Attribute::string("account_id").optional(),
                Attribute::string("jurisdiction").optional(),
                Attribute::string("name")
                    .required()
                    .validate(Validator::string("lower case", |s| {
                        (s.to_lowercase() != s).then(|| "must be lower case".to_string())
                    })),
            ],
        )
    }

    fn bucket() -> ImportId {
        ImportId::formats(&["<account_id>/<name>", "<account_id>/<jurisdiction>/<name>"])
            .default_value("jurisdiction", Value::string("default"))
            .id_from("name")
            .read_in_full(&["cors"])
    }

    #[test]
    fn formats_fill_fields_defaults_id_and_markers() {
        let f = bucket().parse(&schema(), "acc/b1").expect("valid");
        let v = bucket().partial_state(&f);
        assert_eq!(v.attr("jurisdiction").as_str(), Some("default"));
        assert_eq!(v.attr("id").as_str(), Some("b1"));
        assert!(v.attr("cors").is_unknown());
        let f = bucket().parse(&schema(), "acc/eu/b1").expect("valid");
        assert_eq!(f.get("jurisdiction").map(String::as_str), Some("eu"));
    }

    #[test]
    fn formats_of_one_length_are_tried_in_order_until_one_validates() {
        let t = ImportId::formats(&[
            "<account_id>/<jurisdiction>/<name>",
            "<account_id>/<name>/<jurisdiction>",
        ]);
        let s = Schema::new(
            "",
            vec![
                Attribute::string("account_id").optional(),
                Attribute::string("name").required(),
                Attribute::string("jurisdiction").optional().validate(
                    crate::framework::rules::one_of(&["default", "eu", "fedramp"]),
                ),
            ],
        );
        let f = t.parse(&s, "acc/eu/b1").expect("ours");
        assert_eq!(
            (f["jurisdiction"].as_str(), f["name"].as_str()),
            ("eu", "b1")
        );
        let f = t.parse(&s, "acc/b1/eu").expect("official");
        assert_eq!(
            (f["jurisdiction"].as_str(), f["name"].as_str()),
            ("eu", "b1")
        );
        let err = t.parse(&s, "acc/b1/b2").expect_err("neither").to_string();
        assert!(err.contains("jurisdiction"), "{err}");
    }

    #[test]
    fn bad_ids_name_the_formats_and_the_part() {
        for bad in ["", "acc", "acc//b", "a/b/c/d", "acc/Upper", "acc/ b"] {
            let err = bucket().parse(&schema(), bad).expect_err(bad).to_string();
            assert!(err.contains("<account_id>/<name>"), "{bad}: {err}");
        }
        let err = bucket()
            .parse(&schema(), "acc/Upper")
            .expect_err("upper")
            .to_string();
        assert!(err.contains("must be lower case"), "{err}");
    }
}
