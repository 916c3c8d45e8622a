//! Terraform values: `Value` = known value | null | unknown, for every cty type, plus `Number`, an
//! exact decimal that never truncates to i64/f64. Owns value construction, lookup by path and
//! conversion to and from serde models. Must not import protocol or clouds.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value as Json;

use super::path::{Path, Step};
use super::types::Type;

/// An exact number kept as its canonical decimal text (`-12`, `3.5`, `1e+400` → `1e400`).
/// Terraform numbers are arbitrary-precision; keeping the text loses nothing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number(String);

impl Number {
    /// Parse decimal text (optionally with exponent). Rejects anything else.
    pub fn parse(s: &str) -> Option<Number> {
        let t = s.trim();
        let body = t.strip_prefix('-').unwrap_or(t);
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mut parts = mantissa.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        let digits_ok = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok(int) || frac.is_some_and(|f| !digits_ok(f)) {
            return None;
        }
        if let Some(e) = exp {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !digits_ok(e) {
                return None;
            }
        }
        Some(Number(canonical(t)))
    }
    pub fn from_i64(i: i64) -> Number {
        Number(i.to_string())
    }
    pub fn from_u64(u: u64) -> Number {
        Number(u.to_string())
    }
    /// A finite float in its shortest round-trip form; NaN and infinities have no cty form.
    pub fn from_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            return Some(Number((f as i64).to_string()));
        }
        Number::parse(&format!("{f}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
    /// The nearest f64 (may round; use only where the caller accepts that).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }
    /// Whether the number is an integer (no fractional part).
    pub fn is_integer(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }
}

/// Canonical text: no leading '+', no redundant zeros in the fraction, lowercase exponent.
fn canonical(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let (mant, exp) = match lower.find('e') {
        Some(i) => (
            lower[..i].to_string(),
            Some(lower[i + 1..].trim_start_matches('+').to_string()),
        ),
        None => (lower.clone(), None),
    };
    let mut mant = mant;
    if mant.contains('.') {
        mant = mant.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let neg = mant.starts_with('-');
    let digits = mant.trim_start_matches('-');
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    };
    let is_zero = digits.trim_start_matches(['0', '.']).is_empty();
    let sign = if neg && !is_zero { "-" } else { "" };
    match exp {
        Some(e) if !is_zero => {
            let (esign, edigits) = match e.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", e.as_str()),
            };
            let edigits = edigits.trim_start_matches('0');
            if edigits.is_empty() {
                format!("{sign}{digits}")
            } else {
                format!("{sign}{digits}e{esign}{edigits}")
            }
        }
        _ => format!("{sign}{digits}"),
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Terraform value. Collections keep their kind (list/set/tuple, map/object) because the wire
/// format and Terraform's diffing depend on it. Set elements are kept sorted and de-duplicated.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Tuple(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
    pub fn int(i: i64) -> Value {
        Value::Number(Number::from_i64(i))
    }
    pub fn object<I: IntoIterator<Item = (S, Value)>, S: Into<String>>(attrs: I) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    /// A set value, normalised (sorted by canonical JSON, de-duplicated). Elements holding unknowns
    /// are never merged: two unknown ids may turn out different (cty keeps each one), and merging
    /// them makes a plan Terraform rejects ("planned value does not match config value").
    pub fn set(mut elems: Vec<Value>) -> Value {
        elems.sort_by_cached_key(|v| v.sort_key());
        elems.dedup_by(|a, b| a == b && !a.contains_unknown());
        Value::Set(elems)
    }
    /// Null of any type, for readability at call sites.
    pub fn null() -> Value {
        Value::Null
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }
    /// Whether this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().any(Value::contains_unknown)
            }
            Value::Map(m) | Value::Object(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }
    /// Elements of a list, set or tuple.
    pub fn elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }
    /// Entries of a map or attributes of an object.
    pub fn entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn entries_mut(&mut self) -> Option<&mut BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }
    /// An object attribute (or map entry); null when absent or when self is null.
    pub fn attr(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.entries().and_then(|m| m.get(name)).unwrap_or(&NULL)
    }
    /// Set an object attribute; a no-op on anything but an object or map.
    pub fn set_attr(&mut self, name: &str, v: Value) {
        if let Some(m) = self.entries_mut() {
            m.insert(name.to_string(), v);
        }
    }

    /// The value at `path`, or null when any step is missing.
    pub fn at(&self, path: &Path) -> &Value {
        static NULL: Value = Value::Null;
        let mut cur = self;
        for step in path.steps() {
            cur = match (step, cur) {
                (Step::Attr(a), v) | (Step::Key(a), v) => {
                    match v.entries().and_then(|m| m.get(a)) {
                        Some(x) => x,
                        None => return &NULL,
                    }
                }
                (Step::Index(i), v) => match v.elements().and_then(|e| e.get(*i)) {
                    Some(x) => x,
                    None => return &NULL,
                },
            };
        }
        cur
    }

    /// Stable ordering key for set elements (canonical JSON with unknown marked).
    fn sort_key(&self) -> String {
        serde_json::to_string(&self.to_json_lossy()).unwrap_or_default()
    }

    /// JSON with unknowns as a marker string; for ordering and debugging only, never the wire.
    fn to_json_lossy(&self) -> Json {
        match self {
            Value::Unknown => Json::String("\u{0}unknown".into()),
            other => other.to_plain_json(),
        }
    }

    /// Plain JSON of a known value: unknown becomes null (use for models at apply time, where
    /// only computed attributes can still be unknown).
    pub fn to_plain_json(&self) -> Json {
        match self {
            Value::Null | Value::Unknown => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => serde_json::from_str(n.as_str()).unwrap_or(Json::Null),
            Value::String(s) => Json::String(s.clone()),
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                Json::Array(v.iter().map(Value::to_plain_json).collect())
            }
            Value::Map(m) | Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.to_plain_json()))
                    .collect(),
            ),
        }
    }

    /// JSON for the typed-model bridge: like `to_plain_json`, but an unknown (anywhere) becomes
    /// the model layer's unknown marker, which `Val<T>` reads back as `Val::Unknown`.
    pub fn to_model_json(&self) -> Json {
        match self {
            Value::Unknown => super::model::unknown_json(),
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                Json::Array(v.iter().map(Value::to_model_json).collect())
            }
            Value::Map(m) | Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.to_model_json()))
                    .collect(),
            ),
            other => other.to_plain_json(),
        }
    }

    /// Build a value of type `ty` from plain JSON. Object attributes missing from the JSON become
    /// null, extra ones are ignored; a JSON shape that does not fit the type is an error. The
    /// model layer's unknown marker becomes `Unknown`.
    pub fn from_plain_json(j: &Json, ty: &Type) -> Result<Value, String> {
        if j.is_null() {
            return Ok(Value::Null);
        }
        if super::model::is_unknown_json(j) {
            return Ok(Value::Unknown);
        }
        Ok(match (ty, j) {
            (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
            (Type::Number, Json::Number(n)) => {
                Value::Number(Number::parse(&n.to_string()).ok_or("bad number")?)
            }
            (Type::Number, Json::String(s)) => {
                Value::Number(Number::parse(s).ok_or_else(|| format!("{s:?} is not a number"))?)
            }
            (Type::String, Json::String(s)) => Value::String(s.clone()),
            (Type::String, Json::Number(n)) => Value::String(n.to_string()),
            (Type::String, Json::Bool(b)) => Value::String(b.to_string()),
            (Type::List(t), Json::Array(a)) => Value::List(from_json_elems(a, t)?),
            (Type::Set(t), Json::Array(a)) => Value::set(from_json_elems(a, t)?),
            (Type::Tuple(ts), Json::Array(a)) if ts.len() == a.len() => Value::Tuple(
                a.iter()
                    .zip(ts)
                    .map(|(x, t)| Value::from_plain_json(x, t))
                    .collect::<Result<_, _>>()?,
            ),
            (Type::Map(t), Json::Object(m)) => Value::Map(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), Value::from_plain_json(v, t)?)))
                    .collect::<Result<_, String>>()?,
            ),
            (Type::Object(attrs), Json::Object(m)) => Value::Object(
                attrs
                    .iter()
                    .map(|(k, t)| {
                        let v = m
                            .get(k)
                            .map_or(Ok(Value::Null), |x| Value::from_plain_json(x, t))?;
                        Ok((k.clone(), v))
                    })
                    .collect::<Result<_, String>>()?,
            ),
            (Type::Dynamic, other) => infer_dynamic(other),
            (t, other) => return Err(format!("expected {} but found {other}", t.to_json())),
        })
    }

    /// Shape this value to `ty`: objects get exactly the type's attributes (missing ones null,
    /// extra ones dropped), recursively. Resources may return partial objects; the wire may not.
    pub fn conform(self, ty: &Type) -> Value {
        match (ty, self) {
            (Type::Object(attrs), Value::Object(mut m)) => Value::Object(
                attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), m.remove(k).unwrap_or(Value::Null).conform(t)))
                    .collect(),
            ),
            (Type::List(t), Value::List(e)) => {
                Value::List(e.into_iter().map(|x| x.conform(t)).collect())
            }
            (Type::Set(t), Value::Set(e)) => {
                Value::set(e.into_iter().map(|x| x.conform(t)).collect())
            }
            (Type::Map(t), Value::Map(m)) => {
                Value::Map(m.into_iter().map(|(k, x)| (k, x.conform(t))).collect())
            }
            (_, v) => v,
        }
    }
}

fn from_json_elems(a: &[Json], t: &Type) -> Result<Vec<Value>, String> {
    a.iter().map(|x| Value::from_plain_json(x, t)).collect()
}

/// A dynamic value from JSON: objects stay objects, arrays become tuples, as cty infers.
fn infer_dynamic(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Number::parse(&n.to_string()).map_or(Value::Null, Value::Number),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::Tuple(a.iter().map(infer_dynamic).collect()),
        Json::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), infer_dynamic(v)))
                .collect(),
        ),
    }
}

/// The type a value has, as far as it can be told from the value itself (for dynamic encoding).
pub fn infer_type(v: &Value) -> Type {
    match v {
        Value::Null | Value::Unknown => Type::Dynamic,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::List(e) => Type::list(e.first().map_or(Type::Dynamic, infer_type)),
        Value::Set(e) => Type::set(e.first().map_or(Type::Dynamic, infer_type)),
        Value::Tuple(e) => Type::Tuple(e.iter().map(infer_type).collect()),
        Value::Map(m) => Type::map(m.values().next().map_or(Type::Dynamic, infer_type)),
        Value::Object(m) => {
            Type::Object(m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_canonical_and_exact() {
        assert_eq!(Number::parse("007").map(|n| n.0), Some("7".into()));
        assert_eq!(Number::parse("1.500").map(|n| n.0), Some("1.5".into()));
        assert_eq!(Number::parse("-0").map(|n| n.0), Some("0".into()));
        assert_eq!(Number::parse("1E+400").map(|n| n.0), Some("1e400".into()));
        let big = "123456789012345678901234567890.000000000000000000001";
        assert_eq!(Number::parse(big).map(|n| n.0), Some(big.into()));
        assert!(Number::parse("1.").is_none());
        assert!(Number::parse("abc").is_none());
        assert!(Number::parse("").is_none());
        assert!(Number::from_f64(f64::NAN).is_none());
        assert_eq!(Number::from_f64(2.5).map(|n| n.0), Some("2.5".into()));
    }

    #[test]
    fn unknown_set_elements_are_never_merged() {
        let v = Value::set(vec![
            Value::Unknown,
            Value::Unknown,
            Value::string("a"),
            Value::string("a"),
        ]);
        assert_eq!(v.elements().map(<[Value]>::len), Some(3));
    }

    #[test]
    fn json_round_trip_respects_the_type() {
        let ty = Type::object([("a", Type::String), ("n", Type::set(Type::Number))]);
        let v = Value::from_plain_json(&serde_json::json!({"a": "x", "n": [3, 1, 3]}), &ty)
            .expect("fits");
        assert_eq!(v.attr("n"), &Value::Set(vec![Value::int(1), Value::int(3)]));
        assert!(Value::from_plain_json(&serde_json::json!({"a": [1]}), &ty).is_err());
        assert_eq!(v.attr("missing"), &Value::Null);
    }
}
