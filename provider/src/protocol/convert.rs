//! Wire ⇄ framework conversion: schemas, diagnostics, attribute paths and DynamicValues.
//! Values go through `cty` (decoded against the schema type); everything else is a plain
//! field-by-field mapping. Must not import clouds.

use super::cty;
use super::proto::tfplugin6 as pb;
use crate::framework::identity::IdentitySchema;
use crate::framework::path::Step;
use crate::framework::{
    Attribute, Block, Diagnostic, Diagnostics, Mode, Nesting, Path, Schema, Severity, Type, Value,
};

// ---- schemas ----

pub fn schema(s: &Schema) -> pb::Schema {
    let mut block = block(&s.block);
    block.version = s.version;
    pb::Schema {
        version: s.version,
        block: Some(block),
    }
}

fn block(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(attribute).collect(),
        block_types: b
            .blocks
            .iter()
            .map(|nb| nested_block(&nb.name, nb.nesting, &nb.block))
            .collect(),
        description: b.description.clone(),
        description_kind: description_kind(&b.description) as i32,
        deprecated: b.deprecated.is_some(),
    }
}

/// Descriptions are written for the registry page, so some use Markdown (code spans, emphasis,
/// links): those say so, and editors render them instead of showing the backticks.
fn description_kind(text: &str) -> pb::StringKind {
    let markdown = text.contains('`') || text.contains("**") || text.contains("](");
    if markdown {
        pb::StringKind::Markdown
    } else {
        pb::StringKind::Plain
    }
}

fn nested_block(name: &str, nesting: Nesting, b: &Block) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode as M;
    let mode = match nesting {
        Nesting::Single => M::Single,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    };
    pb::schema::NestedBlock {
        type_name: name.to_string(),
        block: Some(block(b)),
        nesting: mode as i32,
        min_items: 0,
        max_items: 0,
    }
}

fn attribute(a: &Attribute) -> pb::schema::Attribute {
    // A nested attribute carries its shape in `nested_type` and must leave `type` empty.
    let (ty, nested_type) = match &a.nested {
        Some((nesting, attrs)) => (Vec::new(), Some(nested_object(*nesting, attrs))),
        None => (a.ty.to_json_bytes(), None),
    };
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: ty,
        nested_type,
        description: a.description.clone(),
        required: a.mode == Mode::Required,
        optional: matches!(a.mode, Mode::Optional | Mode::OptionalComputed),
        computed: a.mode.is_computed(),
        sensitive: a.sensitive,
        description_kind: description_kind(&a.description) as i32,
        deprecated: a.deprecated.is_some(),
        write_only: a.write_only,
    }
}

fn nested_object(nesting: Nesting, attrs: &[Attribute]) -> pb::schema::Object {
    use pb::schema::object::NestingMode as M;
    let mode = match nesting {
        Nesting::Single => M::Single,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    };
    #[allow(deprecated)]
    pb::schema::Object {
        attributes: attrs.iter().map(attribute).collect(),
        nesting: mode as i32,
        min_items: 0,
        max_items: 0,
    }
}

// ---- diagnostics and paths ----

/// A resource identity schema on the wire.
pub fn identity_schema(s: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// Identity data on the wire; `None` for a null identity (the resource declares none, or the
/// object is gone).
pub fn identity_data(
    v: &Value,
    s: Option<&IdentitySchema>,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
    let Some(s) = s else { return Ok(None) };
    if v.is_null() {
        return Ok(None);
    }
    Ok(Some(pb::ResourceIdentityData {
        identity_data: Some(encode_value(v, &s.value_type(), "resource identity")?),
    }))
}

pub fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags.into_vec().into_iter().map(diagnostic).collect()
}

pub fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d
            .path
            .as_ref()
            .filter(|p| !p.is_empty())
            .map(attribute_path),
    }
}

pub fn attribute_path(p: &Path) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    let steps = p
        .steps()
        .iter()
        .map(|s| pb::attribute_path::Step {
            selector: Some(match s {
                Step::Attr(a) => Selector::AttributeName(a.clone()),
                Step::Key(k) => Selector::ElementKeyString(k.clone()),
                Step::Index(i) => Selector::ElementKeyInt(i64::try_from(*i).unwrap_or(i64::MAX)),
            }),
        })
        .collect();
    pb::AttributePath { steps }
}

// ---- values ----

/// Decode a DynamicValue against `ty`: msgpack when present, else JSON, else null (absent).
pub fn decode_value(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let decoded = if !dv.msgpack.is_empty() {
        cty::decode_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        cty::decode_json(&dv.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|e| {
        Diagnostic::error(
            format!("Failed to decode the {what}"),
            format!("Terraform sent a value this provider could not read: {e}. This is a bug in paasform or a version mismatch."),
        )
    })
}

/// Encode a result value as msgpack against `ty`.
pub fn encode_value(v: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
    cty::encode_msgpack(v, ty).map(|msgpack| pb::DynamicValue { msgpack, json: Vec::new() }).map_err(|e| {
        Diagnostic::error(
            format!("Failed to encode the {what}"),
            format!("The provider produced a value that does not match its schema: {e}. This is a bug in paasform."),
        )
    })
}

/// Decode several DynamicValues at once; the first failure becomes the diagnostics.
pub fn decode_all<const N: usize>(
    values: [(Option<&pb::DynamicValue>, &str); N],
    ty: &Type,
) -> Result<[Value; N], Diagnostics> {
    let mut out: [Value; N] = std::array::from_fn(|_| Value::Null);
    for (slot, (dv, what)) in out.iter_mut().zip(values) {
        *slot = decode_value(dv, ty, what).map_err(Diagnostics::from)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::NestedBlock;

    fn sample() -> Schema {
        Schema::new(
            "A thing.",
            vec![
                Attribute::string("id").computed(),
                Attribute::string("name")
                    .required()
                    .description("The name."),
                Attribute::string("secret")
                    .optional()
                    .sensitive()
                    .write_only(),
                Attribute::nested(
                    "rules",
                    Nesting::List,
                    vec![Attribute::number("port").required()],
                )
                .optional(),
                Attribute::bool("old")
                    .optional_computed()
                    .description("Use `new` instead.")
                    .deprecated("use new"),
            ],
        )
        .version(2)
        .block(NestedBlock {
            name: "timeouts".into(),
            nesting: Nesting::Single,
            block: Block::default(),
        })
    }

    #[test]
    fn schema_flags_and_types() {
        let s = schema(&sample());
        assert_eq!(s.version, 2);
        let b = s.block.expect("block");
        assert_eq!(b.version, 2);
        let by_name = |n: &str| b.attributes.iter().find(|a| a.name == n).cloned().expect(n);
        let id = by_name("id");
        assert!(id.computed && !id.optional && !id.required);
        assert_eq!(id.r#type, br#""string""#.to_vec());
        let name = by_name("name");
        assert!(name.required && !name.computed);
        assert_eq!(name.description, "The name.");
        assert_eq!(name.description_kind, pb::StringKind::Plain as i32);
        let secret = by_name("secret");
        assert!(secret.sensitive && secret.write_only && secret.optional);
        let rules = by_name("rules");
        assert!(
            rules.r#type.is_empty(),
            "nested attributes leave type empty"
        );
        let nested = rules.nested_type.expect("nested");
        assert_eq!(nested.nesting, pb::schema::object::NestingMode::List as i32);
        assert_eq!(nested.attributes[0].name, "port");
        let old = by_name("old");
        assert!(old.optional && old.computed && old.deprecated);
        assert_eq!(old.description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(b.block_types[0].type_name, "timeouts");
        assert_eq!(
            b.block_types[0].nesting,
            pb::schema::nested_block::NestingMode::Single as i32
        );
    }

    #[test]
    fn diagnostic_paths() {
        let d = Diagnostic::error("Bad", "worse").at(Path::root("env").key("K").index(3).attr("v"));
        let p = diagnostic(d);
        assert_eq!(p.severity, pb::diagnostic::Severity::Error as i32);
        use pb::attribute_path::step::Selector as S;
        let steps: Vec<_> = p
            .attribute
            .expect("path")
            .steps
            .into_iter()
            .filter_map(|s| s.selector)
            .collect();
        assert_eq!(
            steps,
            vec![
                S::AttributeName("env".into()),
                S::ElementKeyString("K".into()),
                S::ElementKeyInt(3),
                S::AttributeName("v".into())
            ]
        );
        assert!(diagnostic(Diagnostic::warning("w", "")).attribute.is_none());
    }

    #[test]
    fn absent_values_are_null() {
        assert_eq!(decode_value(None, &Type::String, "config"), Ok(Value::Null));
        let empty = pb::DynamicValue::default();
        assert_eq!(
            decode_value(Some(&empty), &Type::String, "config"),
            Ok(Value::Null)
        );
    }
}
