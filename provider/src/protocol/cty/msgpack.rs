//! msgpack ⇄ `Value`, driven by the schema `Type`. A hand-written, bounds-checked reader (no
//! msgpack library decides sizes for us) and a small writer that picks the same compact forms
//! go-cty writes. Must not import clouds or wire protobuf types.

use std::collections::BTreeMap;

use super::number::{from_wire_float, wire_form, WireNumber};
use super::{attr_step, check_depth, index_step, key_step, type_name, Fail, Res};
use crate::framework::value::infer_type;
use crate::framework::{Number, Type, Value};

/// The bytes go-cty writes for a wholly unknown value: fixext1, extension type 0, data 0.
pub(crate) const UNKNOWN_BYTES: [u8; 3] = [0xd4, 0x00, 0x00];

pub(crate) fn decode(bytes: &[u8], ty: &Type) -> Res<Value> {
    let mut r = Reader { buf: bytes, pos: 0 };
    let v = r.value(ty, 0)?;
    if r.pos != bytes.len() {
        return Err(Fail::new(format!(
            "{} trailing bytes after the value",
            bytes.len() - r.pos
        )));
    }
    Ok(v)
}

pub(crate) fn encode(v: &Value, ty: &Type) -> Res<Vec<u8>> {
    let mut out = Vec::new();
    write_value(&mut out, v, ty, 0)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// What the next msgpack item is, with its length where it has one.
enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    Ext(usize),
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        if n > self.remaining() {
            return Err(Fail::new(format!(
                "unexpected end of input: {n} bytes wanted, {} left",
                self.remaining()
            )));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn byte(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }

    fn be<const N: usize>(&mut self) -> Res<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn len8(&mut self) -> Res<usize> {
        Ok(usize::from(self.byte()?))
    }
    fn len16(&mut self) -> Res<usize> {
        Ok(usize::from(u16::from_be_bytes(self.be()?)))
    }
    fn len32(&mut self) -> Res<usize> {
        usize::try_from(u32::from_be_bytes(self.be()?)).map_err(|_| Fail::new("length too large"))
    }

    /// Read the marker (and fixed-size payload or length) of the next item.
    fn head(&mut self) -> Res<Head> {
        let m = self.byte()?;
        Ok(match m {
            0x00..=0x7f => Head::Int(i64::from(m)),
            0x80..=0x8f => Head::Map(usize::from(m & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(m & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(m & 0x1f)),
            0xc0 => Head::Nil,
            0xc1 => return Err(Fail::new("invalid msgpack marker 0xc1")),
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(self.len8()?),
            0xc5 => Head::Bin(self.len16()?),
            0xc6 => Head::Bin(self.len32()?),
            // ext 8/16/32: length, then a one-byte extension type that is part of the header.
            0xc7 => Head::Ext(self.len8()?.saturating_add(1)),
            0xc8 => Head::Ext(self.len16()?.saturating_add(1)),
            0xc9 => Head::Ext(self.len32()?.saturating_add(1)),
            0xca => Head::Float(f64::from(f32::from_be_bytes(self.be()?))),
            0xcb => Head::Float(f64::from_be_bytes(self.be()?)),
            0xcc => Head::Uint(u64::from(self.byte()?)),
            0xcd => Head::Uint(u64::from(u16::from_be_bytes(self.be()?))),
            0xce => Head::Uint(u64::from(u32::from_be_bytes(self.be()?))),
            0xcf => Head::Uint(u64::from_be_bytes(self.be()?)),
            0xd0 => Head::Int(i64::from(i8::from_be_bytes(self.be()?))),
            0xd1 => Head::Int(i64::from(i16::from_be_bytes(self.be()?))),
            0xd2 => Head::Int(i64::from(i32::from_be_bytes(self.be()?))),
            0xd3 => Head::Int(i64::from_be_bytes(self.be()?)),
            // fixext 1/2/4/8/16: type byte plus 2^k data bytes.
            0xd4 => Head::Ext(2),
            0xd5 => Head::Ext(3),
            0xd6 => Head::Ext(5),
            0xd7 => Head::Ext(9),
            0xd8 => Head::Ext(17),
            0xd9 => Head::Str(self.len8()?),
            0xda => Head::Str(self.len16()?),
            0xdb => Head::Str(self.len32()?),
            0xdc => Head::Array(self.len16()?),
            0xdd => Head::Array(self.len32()?),
            0xde => Head::Map(self.len16()?),
            0xdf => Head::Map(self.len32()?),
            0xe0..=0xff => Head::Int(i64::from(m as i8)),
        })
    }

    /// The text of a str (or bin, which go's msgpack also accepts as a string).
    fn text(&mut self, len: usize) -> Res<String> {
        let raw = self.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|_| Fail::new("string is not valid UTF-8"))
    }

    /// Refuse a claimed element count that the remaining bytes cannot possibly hold
    /// (every item takes at least `min_item` bytes), before anything is allocated for it.
    fn check_count(&self, count: usize, min_item: usize) -> Res<()> {
        if count.saturating_mul(min_item) > self.remaining() {
            return Err(Fail::new(format!(
                "collection claims {count} items but only {} bytes remain",
                self.remaining()
            )));
        }
        Ok(())
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Res<Value> {
        check_depth(depth)?;
        let head = self.head()?;
        match head {
            Head::Ext(n) => {
                // Any extension is an unknown value (refinements in its payload are dropped).
                self.take(n)?;
                return Ok(Value::Unknown);
            }
            Head::Nil => return Ok(Value::Null),
            _ => {}
        }
        match ty {
            Type::Dynamic => self.dynamic(head, depth),
            Type::Bool => match head {
                Head::Bool(b) => Ok(Value::Bool(b)),
                _ => Err(Fail::new("bool is required")),
            },
            Type::Number => self.number(head).map(Value::Number),
            Type::String => match head {
                Head::Str(n) | Head::Bin(n) => self.text(n).map(Value::String),
                _ => Err(Fail::new("string is required")),
            },
            Type::List(ety) => self.elements(head, ety, "list", depth).map(Value::List),
            Type::Set(ety) => self.elements(head, ety, "set", depth).map(Value::set),
            Type::Tuple(etys) => {
                let Head::Array(n) = head else {
                    return Err(Fail::new("a tuple is required"));
                };
                if n != etys.len() {
                    return Err(Fail::new(format!(
                        "a tuple of length {} is required ({n} given)",
                        etys.len()
                    )));
                }
                let mut out = Vec::with_capacity(n);
                for (i, ety) in etys.iter().enumerate() {
                    out.push(
                        self.value(ety, depth + 1)
                            .map_err(|e| e.under(|| index_step(i)))?,
                    );
                }
                Ok(Value::Tuple(out))
            }
            Type::Map(ety) => {
                let Head::Map(n) = head else {
                    return Err(Fail::new("a map is required"));
                };
                self.check_count(n, 2)?;
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    let v = self
                        .value(ety, depth + 1)
                        .map_err(|e| e.under(|| key_step(&k)))?;
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            Type::Object(atys) => {
                let Head::Map(n) = head else {
                    return Err(Fail::new("an object is required"));
                };
                self.check_count(n, 2)?;
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    let Some(aty) = atys.get(&k) else {
                        return Err(Fail::new("unsupported attribute").under(|| attr_step(&k)));
                    };
                    let v = self
                        .value(aty, depth + 1)
                        .map_err(|e| e.under(|| attr_step(&k)))?;
                    out.insert(k, v);
                }
                // Lenient like the framework: attributes left out are null.
                for name in atys.keys() {
                    out.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(out))
            }
        }
    }

    fn key(&mut self) -> Res<String> {
        match self.head()? {
            Head::Str(n) | Head::Bin(n) => self.text(n),
            _ => Err(Fail::new("map keys must be strings")),
        }
    }

    fn number(&mut self, head: Head) -> Res<Number> {
        match head {
            Head::Int(i) => Ok(Number::from_i64(i)),
            Head::Uint(u) => Ok(Number::from_u64(u)),
            Head::Float(f) => {
                from_wire_float(f).ok_or_else(|| Fail::new(format!("{f} is not a cty number")))
            }
            Head::Str(n) | Head::Bin(n) => {
                let s = self.text(n)?;
                Number::parse(&s).ok_or_else(|| Fail::new(format!("{s:?} is not a number")))
            }
            _ => Err(Fail::new("number is required")),
        }
    }

    fn elements(&mut self, head: Head, ety: &Type, kind: &str, depth: usize) -> Res<Vec<Value>> {
        let Head::Array(n) = head else {
            return Err(Fail::new(format!("a {kind} is required")));
        };
        self.check_count(n, 1)?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            out.push(
                self.value(ety, depth + 1)
                    .map_err(|e| e.under(|| index_step(i)))?,
            );
        }
        Ok(out)
    }

    /// `[type JSON, value]`: the value's own type travels with it.
    fn dynamic(&mut self, head: Head, depth: usize) -> Res<Value> {
        let Head::Array(2) = head else {
            return Err(Fail::new("a dynamic value must be a [type, value] array"));
        };
        let type_json = match self.head()? {
            Head::Str(n) | Head::Bin(n) => self.take(n)?,
            _ => return Err(Fail::new("a dynamic value's type must be JSON bytes")),
        };
        let j: serde_json::Value = serde_json::from_slice(type_json)
            .map_err(|e| Fail::new(format!("dynamic value type: {e}")))?;
        let ty = Type::from_json(&j).map_err(|e| Fail::new(format!("dynamic value type: {e}")))?;
        self.value(&ty, depth + 1)
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

fn write_value(out: &mut Vec<u8>, v: &Value, ty: &Type, depth: usize) -> Res<()> {
    check_depth(depth)?;
    match v {
        Value::Unknown => {
            out.extend_from_slice(&UNKNOWN_BYTES);
            return Ok(());
        }
        Value::Null => {
            out.push(0xc0);
            return Ok(());
        }
        _ => {}
    }
    let mismatch = || {
        Fail::new(format!(
            "a {} value cannot be written as {}",
            kind_of(v),
            type_name(ty)
        ))
    };
    match ty {
        Type::Dynamic => {
            let real = infer_type(v);
            write_array_len(out, 2)?;
            write_bytes(out, 0xc4, &real.to_json_bytes())?;
            write_value(out, v, &real, depth + 1)
        }
        Type::Bool => match v {
            Value::Bool(b) => {
                out.push(if *b { 0xc3 } else { 0xc2 });
                Ok(())
            }
            Value::String(s) if s == "true" || s == "false" => {
                out.push(if s == "true" { 0xc3 } else { 0xc2 });
                Ok(())
            }
            _ => Err(mismatch()),
        },
        Type::Number => {
            let n = match v {
                Value::Number(n) => n.clone(),
                Value::String(s) => Number::parse(s).ok_or_else(mismatch)?,
                _ => return Err(mismatch()),
            };
            write_number(out, &n)
        }
        Type::String => match v {
            Value::String(s) => write_bytes(out, 0xd9, s.as_bytes()),
            Value::Number(n) => write_bytes(out, 0xd9, n.as_str().as_bytes()),
            Value::Bool(b) => write_bytes(out, 0xd9, b.to_string().as_bytes()),
            _ => Err(mismatch()),
        },
        Type::List(ety) | Type::Set(ety) => {
            let elems = v.elements().ok_or_else(mismatch)?;
            let normalised;
            let elems = match (ty, v) {
                // A list handed over for a set: write it as a set (sorted, de-duplicated).
                (Type::Set(_), Value::List(_) | Value::Tuple(_)) => {
                    normalised = Value::set(elems.to_vec());
                    normalised.elements().unwrap_or_default()
                }
                _ => elems,
            };
            write_array_len(out, elems.len())?;
            for (i, e) in elems.iter().enumerate() {
                write_value(out, e, ety, depth + 1).map_err(|err| err.under(|| index_step(i)))?;
            }
            Ok(())
        }
        Type::Tuple(etys) => {
            let elems = v.elements().ok_or_else(mismatch)?;
            if elems.len() != etys.len() {
                return Err(Fail::new(format!(
                    "a tuple of length {} is required ({} given)",
                    etys.len(),
                    elems.len()
                )));
            }
            write_array_len(out, elems.len())?;
            for (i, (e, ety)) in elems.iter().zip(etys).enumerate() {
                write_value(out, e, ety, depth + 1).map_err(|err| err.under(|| index_step(i)))?;
            }
            Ok(())
        }
        Type::Map(ety) => {
            let entries = v.entries().ok_or_else(mismatch)?;
            write_map_len(out, entries.len())?;
            for (k, e) in entries {
                write_bytes(out, 0xd9, k.as_bytes())?;
                write_value(out, e, ety, depth + 1).map_err(|err| err.under(|| key_step(k)))?;
            }
            Ok(())
        }
        Type::Object(atys) => {
            let entries = v.entries().ok_or_else(mismatch)?;
            if let Some(extra) = entries.keys().find(|k| !atys.contains_key(*k)) {
                return Err(Fail::new("attribute not in the type").under(|| attr_step(extra)));
            }
            write_map_len(out, atys.len())?;
            for (name, aty) in atys {
                write_bytes(out, 0xd9, name.as_bytes())?;
                let av = entries.get(name).unwrap_or(&Value::Null);
                write_value(out, av, aty, depth + 1)
                    .map_err(|err| err.under(|| attr_step(name)))?;
            }
            Ok(())
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Unknown => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Tuple(_) => "tuple",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
    }
}

fn write_number(out: &mut Vec<u8>, n: &Number) -> Res<()> {
    match wire_form(n) {
        WireNumber::Int(i) => write_int(out, i),
        WireNumber::Float(f) => {
            out.push(0xcb);
            out.extend_from_slice(&f.to_be_bytes());
        }
        WireNumber::Text(t) => write_bytes(out, 0xd9, t.as_bytes())?,
    }
    Ok(())
}

/// The smallest encoding, unsigned forms for non-negative values (as go's compact encoder).
fn write_int(out: &mut Vec<u8>, i: i64) {
    match i {
        -32..=0x7f => out.push(i as u8),
        0x80..=0xff => out.extend_from_slice(&[0xcc, i as u8]),
        0x100..=0xffff => {
            out.push(0xcd);
            out.extend_from_slice(&(i as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xce);
            out.extend_from_slice(&(i as u32).to_be_bytes());
        }
        0x1_0000_0000.. => {
            out.push(0xcf);
            out.extend_from_slice(&(i as u64).to_be_bytes());
        }
        -128..=-33 => out.extend_from_slice(&[0xd0, i as u8]),
        -32768..=-129 => {
            out.push(0xd1);
            out.extend_from_slice(&(i as i16).to_be_bytes());
        }
        -2_147_483_648..=-32769 => {
            out.push(0xd2);
            out.extend_from_slice(&(i as i32).to_be_bytes());
        }
        _ => {
            out.push(0xd3);
            out.extend_from_slice(&i.to_be_bytes());
        }
    }
}

/// A str (`base` = 0xd9, fixstr when short) or bin (`base` = 0xc4) with its length header.
fn write_bytes(out: &mut Vec<u8>, base: u8, data: &[u8]) -> Res<()> {
    let n = data.len();
    if base == 0xd9 && n < 32 {
        out.push(0xa0 | n as u8);
    } else if n <= 0xff {
        out.extend_from_slice(&[base, n as u8]);
    } else if n <= 0xffff {
        out.push(base + 1);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        let n32 = u32::try_from(n).map_err(|_| Fail::new("string too long for msgpack"))?;
        out.push(base + 2);
        out.extend_from_slice(&n32.to_be_bytes());
    }
    out.extend_from_slice(data);
    Ok(())
}

fn write_array_len(out: &mut Vec<u8>, n: usize) -> Res<()> {
    write_len(out, n, 0x90, 0xdc)
}

fn write_map_len(out: &mut Vec<u8>, n: usize) -> Res<()> {
    write_len(out, n, 0x80, 0xde)
}

/// Collection header: fix form below 16, else 16- or 32-bit length.
fn write_len(out: &mut Vec<u8>, n: usize, fix: u8, base: u8) -> Res<()> {
    if n < 16 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(base);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        let n32 = u32::try_from(n).map_err(|_| Fail::new("collection too large for msgpack"))?;
        out.push(base + 1);
        out.extend_from_slice(&n32.to_be_bytes());
    }
    Ok(())
}
