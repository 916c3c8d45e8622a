//! GenerateResourceConfig (Terraform ≥ 1.14, `-generate-config-out`): a stored state turned into
//! the configuration a person would write for it. Computed-only attributes, write-only ones,
//! values equal to the schema default, the `timeouts` block and empty optional collections are
//! left out (null); what stays is what plans as "no change" against the imported state.
//! Sensitive values are kept in the value handed back: Terraform itself writes every sensitive
//! attribute as `null # sensitive` in the generated file (it never prints secrets), and the
//! adoption recipe (docs/adopting.md) replaces those with variables. Pure: no I/O.
//! Must not import protocol or clouds.

use std::collections::BTreeMap;

use super::schema::{Attribute, Block, Mode, Nesting};
use super::value::Value;

/// The configuration for `state` under `block` (null for a null state).
pub fn config_from_state(block: &Block, state: &Value) -> Value {
    if state.is_null() || state.is_unknown() {
        return Value::Null;
    }
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for a in &block.attributes {
        out.insert(a.name.clone(), attribute(a, state.attr(&a.name)));
    }
    for b in &block.blocks {
        // `timeouts` holds how long this configuration waits, not a property of the object.
        let v = if b.name == "timeouts" {
            Value::Null
        } else {
            let v = state.attr(&b.name);
            match (b.nesting, v) {
                (Nesting::Single, v) => config_from_state(&b.block, v),
                (Nesting::List, Value::List(items)) => Value::List(
                    items
                        .iter()
                        .map(|i| config_from_state(&b.block, i))
                        .collect(),
                ),
                (Nesting::Set, Value::Set(items)) => Value::set(
                    items
                        .iter()
                        .map(|i| config_from_state(&b.block, i))
                        .collect(),
                ),
                (Nesting::Map, Value::Map(m)) => Value::Map(
                    m.iter()
                        .map(|(k, i)| (k.clone(), config_from_state(&b.block, i)))
                        .collect(),
                ),
                (_, v) => v.clone(),
            }
        };
        out.insert(b.name.clone(), v);
    }
    Value::Object(out)
}

fn attribute(a: &Attribute, v: &Value) -> Value {
    if a.mode == Mode::Computed || a.write_only || v.is_null() || v.is_unknown() {
        return Value::Null;
    }
    if a.default.as_ref() == Some(v) {
        return Value::Null;
    }
    match &a.nested {
        None => v.clone(),
        Some((nesting, attrs)) => {
            let obj = |o: &Value| nested_object(attrs, o);
            match (nesting, v) {
                (Nesting::Single, o) => obj(o),
                (Nesting::List, Value::List(items)) => Value::List(items.iter().map(obj).collect()),
                (Nesting::Set, Value::Set(items)) => Value::set(items.iter().map(obj).collect()),
                (Nesting::Map, Value::Map(m)) => {
                    Value::Map(m.iter().map(|(k, o)| (k.clone(), obj(o))).collect())
                }
                (_, v) => v.clone(),
            }
        }
    }
}

fn nested_object(attrs: &[Attribute], o: &Value) -> Value {
    if o.is_null() {
        return Value::Null;
    }
    Value::Object(
        attrs
            .iter()
            .map(|a| (a.name.clone(), attribute(a, o.attr(&a.name))))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Schema;
    use crate::framework::types::Type;

    fn schema() -> Schema {
        Schema::new(
            "t",
            vec![
                Attribute::string("id").computed(),
                Attribute::string("name").required(),
                Attribute::string("plan").default(Value::string("starter")),
                Attribute::string("region").optional_computed(),
                Attribute::map("secret_wo", Type::String)
                    .optional()
                    .write_only(),
                Attribute::nested(
                    "env",
                    Nesting::Map,
                    vec![
                        Attribute::string("value").optional_computed().sensitive(),
                        Attribute::string("hash").computed(),
                    ],
                )
                .optional(),
            ],
        )
        .with_timeouts(&[("create", "10m")])
    }

    #[test]
    fn computed_defaults_write_only_and_timeouts_are_left_out() {
        let s = schema();
        let state = Value::object([
            ("id", Value::string("srv-1")),
            ("name", Value::string("api")),
            ("plan", Value::string("starter")),
            ("region", Value::string("oregon")),
            ("secret_wo", Value::Null),
            (
                "env",
                Value::Map(BTreeMap::from([(
                    "K".to_string(),
                    Value::object([("value", Value::string("v")), ("hash", Value::string("h"))]),
                )])),
            ),
            (
                "timeouts",
                Value::object([("create", Value::string("20m"))]),
            ),
        ]);
        let c = config_from_state(&s.block, &state);
        assert_eq!(c.attr("id"), &Value::Null);
        assert_eq!(c.attr("name"), &Value::string("api"));
        assert_eq!(c.attr("plan"), &Value::Null, "equal to the default");
        assert_eq!(c.attr("region"), &Value::string("oregon"));
        assert_eq!(c.attr("timeouts"), &Value::Null);
        let k = &c.attr("env").entries().expect("env is a map")["K"];
        assert_eq!(k.attr("value"), &Value::string("v"));
        assert_eq!(k.attr("hash"), &Value::Null);
        // A non-default value stays.
        let mut st2 = state.clone();
        st2.set_attr("plan", Value::string("pro"));
        assert_eq!(
            config_from_state(&s.block, &st2).attr("plan"),
            &Value::string("pro")
        );
        assert_eq!(config_from_state(&s.block, &Value::Null), Value::Null);
    }
}
