//! Input coercion: a JSON value (a request variable, or an argument after variable substitution)
//! checked and normalised against a schema input type, following the GraphQL spec's rules
//! (a single value where a list is expected becomes a one-item list, defaults fill absent
//! input-object fields, an explicit `null` stays distinct from an absent field).
//! Imports only the schema index.

use serde_json::{Map, Value};

use super::schema::{Schema, TypeDef, TypeRef};

/// Why a value does not fit: where (`input.builder`), the offending value and the reason.
#[derive(Debug)]
pub struct CoercionError {
    pub path: String,
    pub value: Value,
    pub reason: String,
}

impl CoercionError {
    /// graphql-js style: `Variable "$input" got invalid value "X" at "input.builder"; <reason>`.
    pub fn variable_message(&self, var: &str) -> String {
        let at = if self.path == var {
            String::new()
        } else {
            format!(" at \"{}\"", self.path)
        };
        format!(
            "Variable \"${var}\" got invalid value {}{at}; {}",
            self.value, self.reason
        )
    }

    /// For an argument written inline (or assembled from variables): `Argument "input" has invalid value …`.
    pub fn argument_message(&self, arg: &str) -> String {
        let at = if self.path == arg {
            String::new()
        } else {
            format!(" at \"{}\"", self.path)
        };
        format!(
            "Argument \"{arg}\" has invalid value {}{at}; {}",
            self.value, self.reason
        )
    }
}

pub fn coerce(
    schema: &Schema,
    value: &Value,
    ty: &TypeRef,
    path: &str,
) -> Result<Value, CoercionError> {
    match ty {
        TypeRef::NonNull(inner) => {
            if value.is_null() {
                return Err(CoercionError {
                    path: path.to_string(),
                    value: value.clone(),
                    reason: format!("Expected non-nullable type \"{ty}\" not to be null."),
                });
            }
            coerce(schema, value, inner, path)
        }
        _ if value.is_null() => Ok(Value::Null),
        TypeRef::List(inner) => match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| coerce(schema, v, inner, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            single => Ok(Value::Array(vec![coerce(schema, single, inner, path)?])),
        },
        TypeRef::Named(name) => coerce_named(schema, value, name, path),
    }
}

fn coerce_named(
    schema: &Schema,
    value: &Value,
    name: &str,
    path: &str,
) -> Result<Value, CoercionError> {
    coerce_named_at(schema, value, name, path).map_err(|reason| match reason {
        Nested(e) => e,
        Here(reason) => CoercionError {
            path: path.to_string(),
            value: value.clone(),
            reason,
        },
    })
}

/// A failure of this value itself, or one already located deeper inside it.
enum Failure {
    Here(String),
    Nested(CoercionError),
}
use Failure::{Here, Nested};

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Here(s)
    }
}

fn coerce_named_at(
    schema: &Schema,
    value: &Value,
    name: &str,
    path: &str,
) -> Result<Value, Failure> {
    let r: Result<Value, String> = match (name, value) {
        ("String", Value::String(_)) | ("Boolean", Value::Bool(_)) => Ok(value.clone()),
        ("String", v) => Err(format!("String cannot represent a non string value: {v}")),
        ("Boolean", v) => Err(format!("Boolean cannot represent a non boolean value: {v}")),
        ("ID", Value::String(_)) => Ok(value.clone()),
        ("ID", Value::Number(n)) if n.is_i64() => Ok(Value::String(n.to_string())),
        ("ID", v) => Err(format!("ID cannot represent value: {v}")),
        ("Int", Value::Number(n)) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => Ok(value.clone()),
            Some(_) => Err(format!(
                "Int cannot represent non 32-bit signed integer value: {n}"
            )),
            None => Err(format!("Int cannot represent non-integer value: {n}")),
        },
        ("Int", v) => Err(format!("Int cannot represent non-integer value: {v}")),
        ("Float", Value::Number(_)) => Ok(value.clone()),
        ("Float", v) => Err(format!("Float cannot represent non numeric value: {v}")),
        _ => match schema.get(name) {
            // Custom scalars (JSON, DateTime, EnvironmentVariables, …) accept any JSON; the
            // resolvers check the shapes they care about.
            Some(TypeDef::Scalar) => Ok(value.clone()),
            Some(TypeDef::Enum { values }) => match value {
                Value::String(s) if values.contains(s) => Ok(value.clone()),
                Value::String(s) => {
                    Err(format!("Value \"{s}\" does not exist in \"{name}\" enum."))
                }
                v => Err(format!(
                    "Enum \"{name}\" cannot represent non-string value: {v}."
                )),
            },
            Some(TypeDef::InputObject { fields }) => {
                let Value::Object(given) = value else {
                    return Err(Here(format!("Expected type \"{name}\" to be an object.")));
                };
                if let Some(unknown) = given.keys().find(|k| !fields.iter().any(|f| &f.name == *k))
                {
                    return Err(Here(format!(
                        "Field \"{unknown}\" is not defined by type \"{name}\"."
                    )));
                }
                let mut out = Map::new();
                for field in fields {
                    let child = format!("{path}.{}", field.name);
                    match (given.get(&field.name), &field.default) {
                        (Some(v), _) => {
                            let v = coerce(schema, v, &field.ty, &child).map_err(Nested)?;
                            out.insert(field.name.clone(), v);
                        }
                        (None, Some(default)) => {
                            out.insert(field.name.clone(), default.clone());
                        }
                        (None, None) if field.ty.is_non_null() => {
                            return Err(Here(format!(
                                "Field \"{}\" of required type \"{}\" was not provided.",
                                field.name, field.ty
                            )));
                        }
                        (None, None) => {}
                    }
                }
                Ok(Value::Object(out))
            }
            _ => Err(format!("\"{name}\" is not an input type.")),
        },
    };
    r.map_err(Here)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::railway::schema::schema;
    use serde_json::json;

    fn input_ty(name: &str) -> TypeRef {
        TypeRef::NonNull(Box::new(TypeRef::Named(name.to_string())))
    }

    #[test]
    fn fills_defaults_and_keeps_explicit_nulls() {
        let s = schema().expect("schema");
        let v = coerce(
            s,
            &json!({"projectId": "p", "environmentId": "e", "variables": {"A": "1"}, "serviceId": null}),
            &input_ty("VariableCollectionUpsertInput"),
            "input",
        )
        .expect("valid");
        assert_eq!(v["replace"], json!(false));
        assert_eq!(v.get("serviceId"), Some(&Value::Null));
    }

    #[test]
    fn rejects_unknown_enum_values_and_fields() {
        let s = schema().expect("schema");
        let e = coerce(
            s,
            &json!({"builder": "MAVEN"}),
            &input_ty("ServiceInstanceUpdateInput"),
            "input",
        )
        .expect_err("bad enum");
        assert!(
            e.reason
                .contains("\"MAVEN\" does not exist in \"Builder\" enum"),
            "{e:?}"
        );
        let e = coerce(
            s,
            &json!({"nam": "x"}),
            &input_ty("ServiceUpdateInput"),
            "input",
        )
        .expect_err("unknown field");
        assert!(e.reason.contains("Field \"nam\" is not defined"), "{e:?}");
        let e = coerce(
            s,
            &json!({"name": "x"}),
            &input_ty("EnvironmentCreateInput"),
            "input",
        )
        .expect_err("missing projectId");
        assert!(
            e.reason
                .contains("\"projectId\" of required type \"String!\""),
            "{e:?}"
        );
    }
}
