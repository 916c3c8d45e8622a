//! Vercel environment variables as data: the stored model, how a value is revealed per type, and
//! input validation (key, type and target enums, the `gitBranch`-only-for-preview rule, no
//! sensitive variable in development). No routes. Must not import other vendor modules.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::world::new_id;

const TYPES: [&str; 5] = ["system", "secret", "encrypted", "plain", "sensitive"];
const TARGETS: [&str; 3] = ["production", "preview", "development"];
const MAX_BRANCH: usize = 250;
const MAX_COMMENT: usize = 500;

/// An environment variable as the emulator keeps it (the value in clear).
#[derive(Clone, Serialize, Deserialize)]
pub struct EnvVar {
    pub id: String,
    pub key: String,
    pub value: String,
    pub kind: String,
    pub target: Vec<String>,
    pub git_branch: Option<String>,
    pub comment: Option<String>,
    #[serde(default)]
    pub custom_environment_ids: Vec<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

/// How much of a value an answer shows.
#[derive(Clone, Copy, PartialEq)]
pub enum Reveal {
    /// Project objects, lists without `decrypt`, write answers: encrypted values stay sealed.
    Stored,
    /// Lists with `decrypt=true`.
    Decrypted,
    /// `GET /v1/projects/{idOrName}/env/{id}`: decrypted, and no `value` at all for sensitive.
    Single,
}

impl EnvVar {
    pub fn render(&self, reveal: Reveal) -> Value {
        let mut out = json!({
            "id": self.id,
            "key": self.key,
            "type": self.kind,
            "target": self.target,
            "configurationId": null,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "createdBy": null,
            "updatedBy": null,
            "customEnvironmentIds": self.custom_environment_ids,
        });
        if let Some(b) = &self.git_branch {
            out["gitBranch"] = json!(b);
        }
        if let Some(c) = &self.comment {
            out["comment"] = json!(c);
        }
        match (self.kind.as_str(), reveal) {
            ("sensitive", Reveal::Single) => out["decrypted"] = json!(false),
            ("sensitive", _) => {
                out["value"] = json!("");
                out["decrypted"] = json!(false);
            }
            ("encrypted" | "secret", Reveal::Stored) => {
                out["value"] = json!(seal(&self.id, &self.value));
                out["decrypted"] = json!(false);
            }
            ("encrypted" | "secret", _) => {
                out["value"] = json!(self.value);
                out["decrypted"] = json!(true);
            }
            _ => out["value"] = json!(self.value),
        }
        out
    }

    /// Whether `input` would be a second definition of this variable.
    pub(super) fn clashes_with(&self, input: &EnvInput) -> bool {
        EnvInput::from_var(self).clashes_with(input)
    }
}

/// An opaque stand-in for an encrypted value: stable per variable and value, never the clear text.
fn seal(id: &str, value: &str) -> String {
    let key: Vec<u8> = id.bytes().chain(std::iter::once(0x5a)).collect();
    let hex: String = value
        .bytes()
        .zip(key.iter().cycle())
        .map(|(b, k)| format!("{:02x}", b ^ k))
        .collect();
    format!("enc:v1:{hex}")
}

/// A validated variable from a request body.
pub struct EnvInput {
    key: String,
    value: String,
    kind: String,
    target: Vec<String>,
    git_branch: Option<String>,
    comment: Option<String>,
    pub(crate) custom_environment_ids: Vec<String>,
}

impl EnvInput {
    pub fn into_var(self, now: u64) -> EnvVar {
        let mut id = new_id("");
        id.truncate(16);
        EnvVar {
            id,
            key: self.key,
            value: self.value,
            kind: self.kind,
            target: self.target,
            git_branch: self.git_branch,
            comment: self.comment,
            custom_environment_ids: self.custom_environment_ids,
            created_at: now,
            updated_at: now,
        }
    }

    pub(super) fn from_var(v: &EnvVar) -> Self {
        EnvInput {
            key: v.key.clone(),
            value: v.value.clone(),
            kind: v.kind.clone(),
            target: v.target.clone(),
            git_branch: v.git_branch.clone(),
            comment: v.comment.clone(),
            custom_environment_ids: v.custom_environment_ids.clone(),
        }
    }

    /// Same key and branch, and a shared target or custom environment.
    pub(super) fn clashes_with(&self, other: &EnvInput) -> bool {
        self.key == other.key
            && self.git_branch == other.git_branch
            && (self.target.iter().any(|t| other.target.contains(t))
                || self
                    .custom_environment_ids
                    .iter()
                    .any(|c| other.custom_environment_ids.contains(c)))
    }

    /// This input as a request body, so an edit can be merged into it and validated as a whole.
    pub(super) fn to_body(&self) -> Map<String, Value> {
        let body = json!({
            "key": self.key,
            "value": self.value,
            "type": self.kind,
            "target": self.target,
            "gitBranch": self.git_branch,
            "comment": self.comment,
            "customEnvironmentIds": self.custom_environment_ids,
        });
        match body {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// Overwrite `var` with this input (an upsert or an edit).
    pub(super) fn apply_to(self, var: &mut EnvVar, now: u64) {
        var.key = self.key;
        var.value = self.value;
        var.kind = self.kind;
        var.target = self.target;
        var.git_branch = self.git_branch;
        var.comment = self.comment;
        var.custom_environment_ids = self.custom_environment_ids;
        var.updated_at = now;
    }

    /// The rules that span fields.
    fn check(&self) -> Result<(), String> {
        if !valid_key(&self.key) {
            return Err("The name of your Environment Variable contains invalid characters. Only letters, digits, and underscores are allowed. Furthermore, the name should not start with a digit.".into());
        }
        if self.target.is_empty() && self.custom_environment_ids.is_empty() {
            return Err("Invalid request: `target` should NOT have fewer than 1 items.".into());
        }
        if self.git_branch.is_some() && self.target != ["preview"] {
            return Err("Invalid request: `gitBranch` can only be set when `target` is exactly [\"preview\"].".into());
        }
        if self.kind == "sensitive" && self.target.iter().any(|t| t == "development") {
            return Err(
                "Sensitive Environment Variables cannot be created in the Development Environment."
                    .into(),
            );
        }
        Ok(())
    }
}

fn valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub(super) fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect())
        .ok_or_else(|| format!("Invalid request: `{what}` should be an array of strings."))
}

/// `target`: an array of targets (a single string is tolerated, as `createProject` allows).
fn targets(v: Option<&Value>) -> Result<Vec<String>, String> {
    let list = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(v) => strings(v, "target")?,
    };
    match list.iter().find(|t| !TARGETS.contains(&t.as_str())) {
        Some(bad) => Err(format!("Invalid request: `target` contains \"{bad}\"; allowed values are \"production\", \"preview\", \"development\".")),
        None => Ok(list),
    }
}

fn optional_text(
    body: &Map<String, Value>,
    key: &str,
    max: usize,
) -> Result<Option<String>, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(_) => Err(format!(
            "Invalid request: `{key}` should be a string of at most {max} characters."
        )),
    }
}

/// One variable of a request body. `default_type` is used when `type` is absent (createProject
/// allows that); `None` makes `type` required.
pub(super) fn parse_input(item: &Value, default_type: Option<&str>) -> Result<EnvInput, String> {
    let body = item
        .as_object()
        .ok_or("Invalid request: each environment variable should be an object.")?;
    let key = body
        .get("key")
        .and_then(Value::as_str)
        .ok_or("Invalid request: missing required property `key`.")?;
    let value = body
        .get("value")
        .and_then(Value::as_str)
        .ok_or("Invalid request: missing required property `value` (a string).")?;
    let kind = match (body.get("type"), default_type) {
        (Some(Value::String(t)), _) if TYPES.contains(&t.as_str()) => t.clone(),
        (None, Some(d)) => d.to_string(),
        (None, None) => return Err("Invalid request: missing required property `type`.".into()),
        _ => return Err("Invalid request: `type` should be equal to one of the allowed values \"system\", \"secret\", \"encrypted\", \"plain\", \"sensitive\".".into()),
    };
    let custom_environment_ids = match body.get("customEnvironmentIds") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => strings(v, "customEnvironmentIds")?,
    };
    let input = EnvInput {
        key: key.to_string(),
        value: value.to_string(),
        kind,
        target: targets(body.get("target"))?,
        git_branch: optional_text(body, "gitBranch", MAX_BRANCH)?.filter(|b| !b.is_empty()),
        comment: optional_text(body, "comment", MAX_COMMENT)?,
        custom_environment_ids,
    };
    input.check()?;
    Ok(input)
}

/// `createProject`'s `environmentVariables`: validated, without clashes among themselves.
pub fn inputs_for_new_project(items: &[Value]) -> Result<Vec<EnvInput>, String> {
    let mut inputs: Vec<EnvInput> = Vec::new();
    for item in items {
        let input = parse_input(item, Some("encrypted"))?;
        if inputs.iter().any(|i| i.clashes_with(&input)) {
            return Err(format!("Invalid request: the environment variable `{}` is defined twice for the same target.", input.key));
        }
        inputs.push(input);
    }
    Ok(inputs)
}
