//! Terraform's JSON value form ⇄ `Value`, driven by the schema `Type`. Uses its own small JSON
//! reader so numbers keep their exact decimal text (serde_json would round them through f64
//! unless a crate-wide feature were turned on). Must not import clouds or wire protobuf types.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{attr_step, check_depth, index_step, key_step, type_name, Fail, Res};
use crate::framework::value::infer_type;
use crate::framework::{Number, Type, Value};

pub(crate) fn decode(bytes: &[u8], ty: &Type) -> Res<Value> {
    let tree = parse(bytes)?;
    from_tree(&tree, ty, 0)
}

pub(crate) fn encode(v: &Value, ty: &Type) -> Res<Vec<u8>> {
    let mut out = String::new();
    write_value(&mut out, v, ty, 0)?;
    Ok(out.into_bytes())
}

// ---------------------------------------------------------------------------------------------
// Parsing: bytes → Tree (JSON with numbers as text)

/// Parsed JSON. Numbers stay text; object members keep their order (last duplicate wins later).
#[derive(Debug, Clone, PartialEq)]
enum Tree {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Tree>),
    Obj(Vec<(String, Tree)>),
}

fn parse(bytes: &[u8]) -> Res<Tree> {
    let mut p = Parser { buf: bytes, pos: 0 };
    p.ws();
    let t = p.value(0)?;
    p.ws();
    if p.pos != bytes.len() {
        return Err(Fail::new(format!(
            "unexpected bytes after the JSON value at offset {}",
            p.pos
        )));
    }
    Ok(t)
}

struct Parser<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }
    fn next(&mut self) -> Res<u8> {
        let b = self
            .peek()
            .ok_or_else(|| Fail::new("unexpected end of JSON input"))?;
        self.pos += 1;
        Ok(b)
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }
    fn expect(&mut self, b: u8) -> Res<()> {
        let got = self.next()?;
        if got != b {
            return Err(self.bad(got));
        }
        Ok(())
    }
    fn bad(&self, got: u8) -> Fail {
        Fail::new(format!(
            "unexpected {:?} in JSON at offset {}",
            char::from(got),
            self.pos.saturating_sub(1)
        ))
    }
    fn literal(&mut self, word: &[u8], t: Tree) -> Res<Tree> {
        for &b in word {
            self.expect(b)?;
        }
        Ok(t)
    }

    fn value(&mut self, depth: usize) -> Res<Tree> {
        check_depth(depth)?;
        match self.peek() {
            None => Err(Fail::new("unexpected end of JSON input")),
            Some(b'n') => self.literal(b"null", Tree::Null),
            Some(b't') => self.literal(b"true", Tree::Bool(true)),
            Some(b'f') => self.literal(b"false", Tree::Bool(false)),
            Some(b'"') => self.string().map(Tree::Str),
            Some(b'-' | b'0'..=b'9') => self.number().map(Tree::Num),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Tree::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b']' => return Ok(Tree::Arr(items)),
                        other => return Err(self.bad(other)),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Tree::Obj(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return Err(Fail::new(format!(
                            "expected an object key at offset {}",
                            self.pos
                        )));
                    }
                    let k = self.string()?;
                    self.ws();
                    self.expect(b':')?;
                    self.ws();
                    members.push((k, self.value(depth + 1)?));
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b'}' => return Ok(Tree::Obj(members)),
                        other => return Err(self.bad(other)),
                    }
                }
            }
            Some(other) => Err(Fail::new(format!(
                "unexpected {:?} in JSON at offset {}",
                char::from(other),
                self.pos
            ))),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as its text.
    fn number(&mut self) -> Res<String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos - s
        };
        let int_start = self.pos;
        let int_len = digits(self);
        if int_len == 0 || (int_len > 1 && self.buf.get(int_start) == Some(&b'0')) {
            return Err(Fail::new(format!("malformed number at offset {start}")));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(Fail::new(format!("malformed number at offset {start}")));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(Fail::new(format!("malformed number at offset {start}")));
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        Ok(String::from_utf8_lossy(&self.buf[start..self.pos]).into_owned())
    }

    fn string(&mut self) -> Res<String> {
        self.expect(b'"')?;
        let mut raw: Vec<u8> = Vec::new();
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => match self.next()? {
                    b'"' => raw.push(b'"'),
                    b'\\' => raw.push(b'\\'),
                    b'/' => raw.push(b'/'),
                    b'b' => raw.push(0x08),
                    b'f' => raw.push(0x0c),
                    b'n' => raw.push(b'\n'),
                    b'r' => raw.push(b'\r'),
                    b't' => raw.push(b'\t'),
                    b'u' => {
                        let c = self.unicode_escape()?;
                        let mut tmp = [0u8; 4];
                        raw.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    }
                    other => return Err(self.bad(other)),
                },
                b if b < 0x20 => {
                    return Err(Fail::new(format!(
                        "control character in JSON string at offset {}",
                        self.pos - 1
                    )))
                }
                b => raw.push(b),
            }
        }
        String::from_utf8(raw).map_err(|_| Fail::new("JSON string is not valid UTF-8"))
    }

    fn hex4(&mut self) -> Res<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let b = self.next()?;
            let d = char::from(b).to_digit(16).ok_or_else(|| self.bad(b))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    /// After `\u`: one code unit, or a surrogate pair. A lone surrogate becomes U+FFFD (as Go's
    /// JSON decoder does) rather than failing the whole document.
    fn unicode_escape(&mut self) -> Res<char> {
        let hi = self.hex4()?;
        if (0xd800..0xdc00).contains(&hi) && self.buf.get(self.pos..self.pos + 2) == Some(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xdc00..0xe000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }
}

/// Plain serde JSON of a tree (for type expressions, which contain no numbers that matter).
fn to_serde(t: &Tree) -> Json {
    match t {
        Tree::Null => Json::Null,
        Tree::Bool(b) => Json::Bool(*b),
        Tree::Num(n) => serde_json::from_str(n).unwrap_or(Json::Null),
        Tree::Str(s) => Json::String(s.clone()),
        Tree::Arr(a) => Json::Array(a.iter().map(to_serde).collect()),
        Tree::Obj(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect()),
    }
}

// ---------------------------------------------------------------------------------------------
// Tree → Value, against the type

fn from_tree(t: &Tree, ty: &Type, depth: usize) -> Res<Value> {
    check_depth(depth)?;
    if *t == Tree::Null {
        return Ok(Value::Null);
    }
    let mismatch = || Fail::new(format!("{} is required", type_name(ty)));
    Ok(match (ty, t) {
        (Type::Dynamic, _) => return dynamic(t, depth),
        (Type::Bool, Tree::Bool(b)) => Value::Bool(*b),
        (Type::Bool, Tree::Str(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (Type::Number, Tree::Num(n) | Tree::Str(n)) => Value::Number(
            Number::parse(n).ok_or_else(|| Fail::new(format!("{n:?} is not a number")))?,
        ),
        (Type::String, Tree::Str(s)) => Value::String(s.clone()),
        (Type::String, Tree::Num(n)) => Value::String(n.clone()),
        (Type::String, Tree::Bool(b)) => Value::String(b.to_string()),
        (Type::List(ety), Tree::Arr(a)) => Value::List(elements(a, ety, depth)?),
        (Type::Set(ety), Tree::Arr(a)) => Value::set(elements(a, ety, depth)?),
        (Type::Tuple(etys), Tree::Arr(a)) => {
            if a.len() != etys.len() {
                return Err(Fail::new(format!(
                    "a tuple of length {} is required ({} given)",
                    etys.len(),
                    a.len()
                )));
            }
            let mut out = Vec::with_capacity(a.len());
            for (i, (x, ety)) in a.iter().zip(etys).enumerate() {
                out.push(from_tree(x, ety, depth + 1).map_err(|e| e.under(|| index_step(i)))?);
            }
            Value::Tuple(out)
        }
        (Type::Map(ety), Tree::Obj(m)) => {
            let mut out = BTreeMap::new();
            for (k, x) in m {
                out.insert(
                    k.clone(),
                    from_tree(x, ety, depth + 1).map_err(|e| e.under(|| key_step(k)))?,
                );
            }
            Value::Map(out)
        }
        (Type::Object(atys), Tree::Obj(m)) => {
            let mut out: BTreeMap<String, Value> =
                atys.keys().map(|k| (k.clone(), Value::Null)).collect();
            for (k, x) in m {
                // Attributes the schema no longer has are dropped: raw state may be older.
                if let Some(aty) = atys.get(k) {
                    out.insert(
                        k.clone(),
                        from_tree(x, aty, depth + 1).map_err(|e| e.under(|| attr_step(k)))?,
                    );
                }
            }
            Value::Object(out)
        }
        _ => return Err(mismatch()),
    })
}

fn elements(a: &[Tree], ety: &Type, depth: usize) -> Res<Vec<Value>> {
    let mut out = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        out.push(from_tree(x, ety, depth + 1).map_err(|e| e.under(|| index_step(i)))?);
    }
    Ok(out)
}

/// `{"value": …, "type": …}` carries its type; anything else is taken at face value with the
/// type inferred as cty does (arrays are tuples, objects are objects).
fn dynamic(t: &Tree, depth: usize) -> Res<Value> {
    if let Tree::Obj(m) = t {
        let get = |name: &str| m.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
        let only_wrapper_keys = m.iter().all(|(k, _)| k == "value" || k == "type");
        if let (true, Some(ty_tree), Some(val)) = (only_wrapper_keys, get("type"), get("value")) {
            let ty = Type::from_json(&to_serde(ty_tree))
                .map_err(|e| Fail::new(format!("dynamic value type: {e}")))?;
            return from_tree(val, &ty, depth + 1);
        }
    }
    infer(t, depth)
}

fn infer(t: &Tree, depth: usize) -> Res<Value> {
    check_depth(depth)?;
    Ok(match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Num(n) => Value::Number(
            Number::parse(n).ok_or_else(|| Fail::new(format!("{n:?} is not a number")))?,
        ),
        Tree::Str(s) => Value::String(s.clone()),
        Tree::Arr(a) => Value::Tuple(a.iter().map(|x| infer(x, depth + 1)).collect::<Res<_>>()?),
        Tree::Obj(m) => {
            let mut out = BTreeMap::new();
            for (k, x) in m {
                out.insert(k.clone(), infer(x, depth + 1)?);
            }
            Value::Object(out)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Value → JSON text

fn write_value(out: &mut String, v: &Value, ty: &Type, depth: usize) -> Res<()> {
    check_depth(depth)?;
    let mismatch = || {
        Fail::new(format!(
            "a value of this kind cannot be written as {}",
            type_name(ty)
        ))
    };
    match (ty, v) {
        (_, Value::Unknown) => return Err(Fail::new("unknown values have no JSON form")),
        (_, Value::Null) => out.push_str("null"),
        (Type::Dynamic, _) => {
            let real = infer_type(v);
            out.push_str("{\"value\":");
            write_value(out, v, &real, depth + 1)?;
            out.push_str(",\"type\":");
            out.push_str(&real.to_json().to_string());
            out.push('}');
        }
        (Type::Bool, Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        (Type::Number, Value::Number(n)) => out.push_str(n.as_str()),
        (Type::Number, Value::String(s)) => {
            out.push_str(Number::parse(s).ok_or_else(mismatch)?.as_str())
        }
        (Type::String, Value::String(s)) => write_str(out, s),
        (Type::String, Value::Number(n)) => write_str(out, n.as_str()),
        (Type::String, Value::Bool(b)) => write_str(out, &b.to_string()),
        (Type::List(ety) | Type::Set(ety), Value::List(e) | Value::Set(e) | Value::Tuple(e)) => {
            write_array(out, e.iter().map(|x| (x, &**ety)), depth)?
        }
        (Type::Tuple(etys), Value::List(e) | Value::Set(e) | Value::Tuple(e)) => {
            if e.len() != etys.len() {
                return Err(Fail::new(format!(
                    "a tuple of length {} is required ({} given)",
                    etys.len(),
                    e.len()
                )));
            }
            write_array(out, e.iter().zip(etys), depth)?
        }
        (Type::Map(ety), Value::Map(m) | Value::Object(m)) => write_object(
            out,
            m.iter().map(|(k, x)| (k.as_str(), x, &**ety)),
            depth,
            key_step,
        )?,
        (Type::Object(atys), Value::Map(m) | Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !atys.contains_key(*k)) {
                return Err(Fail::new("attribute not in the type").under(|| attr_step(extra)));
            }
            let attrs = atys
                .iter()
                .map(|(k, aty)| (k.as_str(), m.get(k).unwrap_or(&Value::Null), aty));
            write_object(out, attrs, depth, attr_step)?
        }
        _ => return Err(mismatch()),
    }
    Ok(())
}

fn write_array<'v>(
    out: &mut String,
    items: impl Iterator<Item = (&'v Value, &'v Type)>,
    depth: usize,
) -> Res<()> {
    out.push('[');
    for (i, (x, t)) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(out, x, t, depth + 1).map_err(|e| e.under(|| index_step(i)))?;
    }
    out.push(']');
    Ok(())
}

fn write_object<'v>(
    out: &mut String,
    members: impl Iterator<Item = (&'v str, &'v Value, &'v Type)>,
    depth: usize,
    step: fn(&str) -> String,
) -> Res<()> {
    out.push('{');
    for (i, (k, x, t)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        write_value(out, x, t, depth + 1).map_err(|e| e.under(|| step(k)))?;
    }
    out.push('}');
    Ok(())
}

fn write_str(out: &mut String, s: &str) {
    // serde_json's string escaping is exact and cannot fail for a &str.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}
