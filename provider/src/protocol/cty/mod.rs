//! The cty value codec: msgpack and JSON wire forms of Terraform values, decoded *against the
//! schema type* (so list vs set vs tuple, map vs object and big numbers survive). Owns only
//! encoding; must not import clouds.
//!
//! Wire rules (Terraform's, as go-cty implements them):
//! - msgpack: nil = null, any extension value = unknown (we write `d4 00 00`), numbers as the
//!   smallest int when integral and within i64, else float64 when the decimal is exactly a
//!   float64, else a string holding the decimal text; dynamic values are `[type JSON, value]`.
//! - JSON: no unknowns; numbers are kept as their exact text; dynamic values are
//!   `{"value": …, "type": …}`.
//!
//! Nothing here panics on any input: every read is bounds-checked, nesting is capped at
//! [`MAX_DEPTH`] and no buffer is sized from a length the input claims before checking it
//! against the bytes that are actually left.

mod json;
mod msgpack;
mod number;
#[cfg(test)]
mod tests;

use crate::framework::{Type, Value};

/// Deepest nesting (collections, objects and dynamic wrappers) accepted in either direction.
/// Terraform schemas are far shallower; the cap keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for CodecError {}

/// Decode msgpack bytes as a value of type `ty`. Trailing bytes after the value are an error.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    msgpack::decode(bytes, ty).map_err(Fail::into_codec_error)
}

/// Encode `v` (of type `ty`) as msgpack. Objects are written with exactly the type's
/// attributes (absent ones as null); an attribute the type does not have is an error.
pub fn encode_msgpack(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    msgpack::encode(v, ty).map_err(Fail::into_codec_error)
}

/// Decode Terraform's JSON value form (used in DynamicValue.json and raw state) as type `ty`.
/// Object attributes the type does not know are ignored (raw state may predate the schema).
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    json::decode(bytes, ty).map_err(Fail::into_codec_error)
}

/// Encode `v` (of type `ty`) as Terraform's JSON value form. Unknown values have no JSON form
/// and are an error.
pub fn encode_json(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    json::encode(v, ty).map_err(Fail::into_codec_error)
}

/// An error on its way out of the recursion: the message plus the path steps collected while
/// unwinding (innermost first), so the final message says where the problem is.
#[derive(Debug)]
pub(crate) struct Fail {
    msg: String,
    rev_path: Vec<String>,
}

impl Fail {
    pub(crate) fn new(msg: impl Into<String>) -> Fail {
        Fail {
            msg: msg.into(),
            rev_path: Vec::new(),
        }
    }
    /// Record that the failure happened under `step` (`.name`, `[3]` or `["key"]`).
    pub(crate) fn under(mut self, step: impl FnOnce() -> String) -> Fail {
        self.rev_path.push(step());
        self
    }
    fn into_codec_error(self) -> CodecError {
        if self.rev_path.is_empty() {
            return CodecError(self.msg);
        }
        let path: String = self.rev_path.iter().rev().map(String::as_str).collect();
        CodecError(format!("at {path}: {}", self.msg))
    }
}

pub(crate) type Res<T> = Result<T, Fail>;

/// Fails once nesting passes [`MAX_DEPTH`].
pub(crate) fn check_depth(depth: usize) -> Res<()> {
    if depth > MAX_DEPTH {
        return Err(Fail::new(format!(
            "value nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(())
}

/// Path step helpers, used only when an error is being reported.
pub(crate) fn attr_step(name: &str) -> String {
    format!(".{name}")
}
pub(crate) fn index_step(i: usize) -> String {
    format!("[{i}]")
}
pub(crate) fn key_step(k: &str) -> String {
    format!("[{k:?}]")
}

/// The type name used in error messages.
pub(crate) fn type_name(ty: &Type) -> String {
    ty.to_json().to_string()
}
