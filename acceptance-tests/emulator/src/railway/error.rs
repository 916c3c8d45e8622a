//! GraphQL error entries as Railway answers them: `message`, `locations`, `path` and
//! `extensions.code`. Shared by validation, execution and the resolvers; imports nothing else.

use graphql_parser::Pos;
use serde_json::{json, Map, Value};

/// `extensions.code` values used by the emulator (Apollo conventions, which Railway follows).
pub mod code {
    pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const NOT_IMPLEMENTED: &str = "NOT_IMPLEMENTED";
    pub const INTERNAL: &str = "INTERNAL_SERVER_ERROR";
}

#[derive(Clone, Debug)]
pub struct GqlError {
    pub message: String,
    pub code: &'static str,
    pub locations: Vec<Pos>,
    pub path: Option<Vec<Value>>,
}

impl GqlError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        GqlError {
            message: message.into(),
            code,
            locations: Vec::new(),
            path: None,
        }
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.locations.push(pos);
        self
    }

    pub fn validation(message: impl Into<String>, pos: Pos) -> Self {
        GqlError::new(code::VALIDATION_FAILED, message).at(pos)
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        GqlError::new(code::BAD_USER_INPUT, message)
    }

    pub fn not_found(what: &str) -> Self {
        GqlError::new(code::NOT_FOUND, format!("{what} not found"))
    }

    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("message".into(), Value::String(self.message.clone()));
        if !self.locations.is_empty() {
            let locs = self
                .locations
                .iter()
                .map(|p| json!({"line": p.line, "column": p.column}))
                .collect();
            obj.insert("locations".into(), Value::Array(locs));
        }
        if let Some(path) = &self.path {
            obj.insert("path".into(), Value::Array(path.clone()));
        }
        obj.insert("extensions".into(), json!({"code": self.code}));
        Value::Object(obj)
    }
}

/// `{"errors": [...]}` (no `data` key: a request error, nothing was executed).
pub fn errors_body(errors: &[GqlError]) -> Value {
    json!({"errors": errors.iter().map(GqlError::to_json).collect::<Vec<_>>()})
}
