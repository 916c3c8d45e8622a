//! The typed-model bridge: a resource works on its own serde struct (`BucketModel`, …) instead of
//! reading `Value`s by attribute name. `Val<T>` is a field that may be known, null or unknown;
//! `decode` turns a `Value` into a model once (errors carry the attribute path), `encode` turns the
//! model back into a value of the schema type. Models use `#[serde(deny_unknown_fields)]`, so a
//! schema attribute the model forgets fails the first decode instead of being silently nulled.
//! Must not import protocol or clouds.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::path::Path;
use super::types::Type;
use super::value::Value;

/// The JSON stand-in for an unknown value while a model crosses serde: a one-key object no API
/// or user value can produce (the key starts with NUL). Only this module and `Value`'s JSON
/// conversion know it.
pub(crate) const UNKNOWN_KEY: &str = "\u{0}unknown";

pub(crate) fn unknown_json() -> Json {
    let mut m = serde_json::Map::new();
    m.insert(UNKNOWN_KEY.to_string(), Json::Bool(true));
    Json::Object(m)
}

pub(crate) fn is_unknown_json(j: &Json) -> bool {
    matches!(j, Json::Object(m) if m.len() == 1 && m.contains_key(UNKNOWN_KEY))
}

/// A model field that may be known, null or unknown (computed attributes during plan and apply).
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Val<T> {
    Known(T),
    #[default]
    Null,
    Unknown,
}

impl<T: fmt::Debug> fmt::Debug for Val<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Known(t) => t.fmt(f),
            Val::Null => f.write_str("null"),
            Val::Unknown => f.write_str("(unknown)"),
        }
    }
}

impl<T> Val<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Val::Known(t) => Some(t),
            _ => None,
        }
    }
    pub fn into_known(self) -> Option<T> {
        match self {
            Val::Known(t) => Some(t),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown)
    }
    pub fn is_known(&self) -> bool {
        matches!(self, Val::Known(_))
    }
    /// Null or unknown: the configuration did not decide it.
    pub fn is_unset(&self) -> bool {
        !self.is_known()
    }
    pub fn as_ref(&self) -> Val<&T> {
        match self {
            Val::Known(t) => Val::Known(t),
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Val<U> {
        match self {
            Val::Known(t) => Val::Known(f(t)),
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
        }
    }
    /// This value, or `other` where this one is unknown (e.g. plan value, else the API's).
    pub fn or_if_unknown(self, other: Val<T>) -> Val<T> {
        if self.is_unknown() {
            other
        } else {
            self
        }
    }
    /// Unknown becomes null (an applied state holds no unknowns).
    pub fn settle(self) -> Val<T> {
        if self.is_unknown() {
            Val::Null
        } else {
            self
        }
    }
}

impl Val<String> {
    /// The known, non-blank value, or an error naming `attr`: what builds a URL (an id) must
    /// never fall back to "" and become `DELETE …/services/`.
    pub fn required(&self, attr: &str) -> Result<&str, Diagnostics> {
        match self.as_deref() {
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(Diagnostic::error(
                format!("Missing {attr}"),
                format!("`{attr}` is empty or unknown here, so paasform sends no request. This is a bug in paasform if the state came from it; otherwise remove the object from state and import it again."),
            )
            .at(Path::root(attr))
            .into()),
        }
    }
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
    /// Known and non-empty.
    pub fn non_empty(&self) -> Option<&str> {
        self.as_deref().filter(|s| !s.is_empty())
    }
}

impl<T> From<Option<T>> for Val<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Val::Null, Val::Known)
    }
}

impl<T: Serialize> Serialize for Val<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Known(t) => t.serialize(s),
            Val::Null => s.serialize_none(),
            Val::Unknown => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(UNKNOWN_KEY, &true)?;
                m.end()
            }
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Val<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Buffer the value: only then can the unknown marker be told from a real object.
        let j = Json::deserialize(d)?;
        if j.is_null() {
            return Ok(Val::Null);
        }
        if is_unknown_json(&j) {
            return Ok(Val::Unknown);
        }
        serde_json::from_value(j)
            .map(Val::Known)
            .map_err(serde::de::Error::custom)
    }
}

/// Decode a value into a model. `what` names the value in the error ("planned state").
pub fn decode<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, Diagnostics> {
    let j = v.to_model_json();
    serde_path_to_error::deserialize(j).map_err(|e| {
        let path = serde_path(e.path(), v);
        let detail = format!(
            "paasform could not read the {what}: {}. This is a bug in paasform; please report it.",
            e.inner()
        );
        let d = Diagnostic::error("Failed to decode resource data", detail);
        if path.is_empty() {
            d.into()
        } else {
            d.at(path).into()
        }
    })
}

/// Encode a model as a value of type `ty` (attributes the model leaves out become null).
pub fn encode<T: Serialize>(model: &T, ty: &Type) -> Result<Value, Diagnostics> {
    let fail = |e: String| -> Diagnostics {
        Diagnostic::error(
            "Failed to encode resource data",
            format!("paasform built a value that does not fit its schema: {e}. This is a bug in paasform; please report it."),
        )
        .into()
    };
    let j = serde_json::to_value(model).map_err(|e| fail(e.to_string()))?;
    Value::from_plain_json(&j, ty).map_err(fail)
}

/// serde's path as an attribute path. serde names struct fields and map keys alike, so the
/// decoded value tells them apart (object attribute vs map key).
fn serde_path(p: &serde_path_to_error::Path, v: &Value) -> Path {
    use serde_path_to_error::Segment;
    let mut out = Path::empty();
    let mut cur = v;
    for seg in p.iter() {
        match seg {
            Segment::Map { key } => {
                out = match cur {
                    Value::Map(_) => out.key(key),
                    _ if out.is_empty() => Path::root(key),
                    _ => out.attr(key),
                };
                cur = cur.attr(key);
            }
            Segment::Seq { index } => {
                out = out.index(*index);
                cur = cur
                    .elements()
                    .and_then(|e| e.get(*index))
                    .unwrap_or(&Value::Null);
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Number;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct M {
        name: String,
        size: Val<i64>,
        tags: Vec<String>,
        inner: Option<Inner>,
    }
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        port: Val<u16>,
    }

    fn ty() -> Type {
        Type::object([
            ("name", Type::String),
            ("size", Type::Number),
            ("tags", Type::list(Type::String)),
            ("inner", Type::object([("port", Type::Number)])),
        ])
    }

    #[test]
    fn known_null_and_unknown_round_trip() {
        let v = Value::object([
            ("name", Value::string("a")),
            ("size", Value::Unknown),
            ("tags", Value::List(vec![Value::string("x")])),
            ("inner", Value::object([("port", Value::Null)])),
        ]);
        let m: M = decode(&v, "plan").expect("decodes");
        assert_eq!(m.size, Val::Unknown);
        assert_eq!(m.inner.as_ref().map(|i| &i.port), Some(&Val::Null));
        assert_eq!(encode(&m, &ty()).expect("encodes"), v);
        let known = M {
            size: Val::Known(3),
            ..m
        };
        let back = encode(&known, &ty()).expect("encodes");
        assert_eq!(back.attr("size"), &Value::Number(Number::from_i64(3)));
    }

    #[test]
    fn decode_errors_name_the_attribute() {
        let v = Value::object([
            ("name", Value::string("a")),
            ("size", Value::Null),
            ("tags", Value::List(vec![Value::string("x")])),
            ("inner", Value::object([("port", Value::int(70000))])),
        ]);
        let err = decode::<M>(&v, "state").expect_err("port overflows u16");
        let d = err.iter().next().expect("one diagnostic");
        assert_eq!(
            d.path.as_ref().map(ToString::to_string).as_deref(),
            Some("inner.port")
        );
    }

    #[test]
    fn a_required_id_is_never_blank() {
        assert!(Val::Known("  ".to_string()).required("id").is_err());
        assert!(Val::<String>::Null.required("id").is_err());
        assert!(Val::<String>::Unknown.required("id").is_err());
        assert_eq!(
            Val::Known("srv-1".to_string()).required("id").ok(),
            Some("srv-1")
        );
    }

    #[test]
    fn an_attribute_the_model_forgets_is_an_error() {
        let mut v = Value::object([
            ("name", Value::string("a")),
            ("size", Value::Null),
            ("tags", Value::List(vec![])),
            ("inner", Value::Null),
        ]);
        v.set_attr("extra", Value::string("lost?"));
        assert!(decode::<M>(&v, "state").is_err());
    }
}
