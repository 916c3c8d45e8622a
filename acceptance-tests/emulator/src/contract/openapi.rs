//! One vendor's OpenAPI document as a request/response checker: operations matched by method and
//! path template, parameters (header and query), request bodies and response bodies validated with
//! the `jsonschema` crate against the schema objects of the spec copy in `specs/`, `$ref`s resolved
//! inside the same document. OpenAPI 3.0 schemas are read as JSON Schema draft 4 after turning
//! `nullable: true` into a `null` type; OpenAPI 3.1 schemas are JSON Schema 2020-12 already.
//! Knows no vendor and no emulator state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::Registry;
use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};

/// A loaded spec. Built once per process (see [`Spec::leak`]): the `$ref` registry borrows it.
pub struct Spec {
    name: &'static str,
    uri: String,
    draft: Draft,
    doc: Value,
    ops: Vec<Operation>,
    registry: OnceLock<Result<Registry<'static>, String>>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// One operation: `METHOD /path/{template}` and where its object lives in the document.
struct Operation {
    method: String,
    template: String,
    segments: Vec<Option<String>>,
    pointer: String,
}

/// What one request looks like to the checker.
pub struct Exchange<'a> {
    pub method: &'a str,
    /// The path below the vendor's server URL, still percent-encoded.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub header: &'a dyn Fn(&str) -> Option<String>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

impl Spec {
    /// Parse `text` (JSON, or YAML when `yaml`), normalise it and index its operations; the result
    /// lives for the rest of the process (the validators' `$ref` registry borrows it).
    pub fn leak(name: &'static str, text: &str, yaml: bool) -> Result<&'static Spec, String> {
        let mut doc: Value = if yaml {
            serde_yaml::from_str(text).map_err(|e| format!("{name}: {e}"))?
        } else {
            serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?
        };
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        let draft = if version.starts_with("3.1") {
            Draft::Draft202012
        } else {
            normalise_30(&mut doc);
            Draft::Draft4
        };
        loosen_oneof(&mut doc);
        let ops = index_operations(&doc);
        let spec: &'static Spec = Box::leak(Box::new(Spec {
            name,
            uri: format!("urn:paasform-emulator:spec:{name}"),
            draft,
            doc,
            ops,
            registry: OnceLock::new(),
            validators: Mutex::new(HashMap::new()),
        }));
        Ok(spec)
    }

    /// `METHOD /template` of the operation this request is, or None.
    pub fn operation_name(&self, method: &str, path: &str) -> Option<String> {
        self.find(method, path)
            .map(|op| format!("{} {}", op.method.to_uppercase(), op.template))
    }

    /// Every way this request breaks the spec (empty = conforms).
    pub fn check_request(&'static self, x: &Exchange<'_>) -> Vec<String> {
        let Some(op) = self.find(x.method, x.path) else {
            return vec![format!(
                "{} {}: no operation in {} matches",
                x.method, x.path, self.name
            )];
        };
        let mut out = self.check_parameters(op, x);
        out.extend(self.check_request_body(op, x));
        let label = format!("{} {}", op.method.to_uppercase(), op.template);
        out.into_iter().map(|m| format!("{label}: {m}")).collect()
    }

    /// Every way this answer breaks the spec for the request's operation.
    pub fn check_response(
        &'static self,
        method: &str,
        path: &str,
        status: u16,
        body: &[u8],
    ) -> Vec<String> {
        let Some(op) = self.find(method, path) else {
            return Vec::new(); // already reported by check_request
        };
        let label = format!("{} {} → {status}", op.method.to_uppercase(), op.template);
        let responses = self.at(&format!("{}/responses", op.pointer));
        let code = status.to_string();
        let range = format!("{}XX", &code[..1]);
        let Some(key) = [code.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| responses.and_then(|r| r.get(*k)).is_some())
        else {
            let declared: Vec<&str> = responses
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return vec![format!(
                "{label}: status not declared (the spec declares {})",
                declared.join(", ")
            )];
        };
        let response_ptr = self.deref_pointer(&format!("{}/responses/{}", op.pointer, esc(key)));
        let Some(schema_ptr) = self.json_schema_pointer(&response_ptr) else {
            return Vec::new(); // no JSON content declared: nothing to check the body against
        };
        if body.is_empty() {
            return vec![format!(
                "{label}: empty body, the spec declares JSON content"
            )];
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => self
                .validate(&schema_ptr, &v)
                .into_iter()
                .map(|m| format!("{label}: response body {m}"))
                .collect(),
            Err(e) => vec![format!("{label}: response body is not JSON: {e}")],
        }
    }

    fn find(&self, method: &str, path: &str) -> Option<&Operation> {
        let method = method.to_ascii_lowercase();
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        self.ops
            .iter()
            .filter(|op| op.method == method && op.segments.len() == segs.len())
            .filter(|op| {
                op.segments.iter().zip(&segs).all(|(t, s)| match t {
                    Some(lit) => lit == s,
                    None => !s.is_empty(),
                })
            })
            // A literal segment beats a parameter (`/keys/{id}` vs a literal `/keys/verify`).
            .max_by_key(|op| op.segments.iter().filter(|s| s.is_some()).count())
    }

    fn check_parameters(&'static self, op: &Operation, x: &Exchange<'_>) -> Vec<String> {
        let path_item = op
            .pointer
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        let mut out = Vec::new();
        for list in [
            format!("{path_item}/parameters"),
            format!("{}/parameters", op.pointer),
        ] {
            let n = self.at(&list).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..n {
                let ptr = self.deref_pointer(&format!("{list}/{i}"));
                let Some(p) = self.at(&ptr) else { continue };
                let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                let value = match p.get("in").and_then(Value::as_str) {
                    Some("header") => (x.header)(name),
                    Some("query") => x
                        .query
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone()),
                    _ => continue,
                };
                let Some(value) = value else {
                    if required {
                        out.push(format!("required parameter `{name}` missing"));
                    }
                    continue;
                };
                if p.get("schema").is_some() {
                    let schema_ptr = format!("{ptr}/schema");
                    let typed = self.typed_param(&schema_ptr, &value);
                    out.extend(
                        self.validate(&schema_ptr, &typed)
                            .into_iter()
                            .map(|m| format!("parameter `{name}` = {value:?}: {m}")),
                    );
                }
            }
        }
        out
    }

    /// A query or header value as the JSON type its schema declares (`"3"` → `3`).
    fn typed_param(&self, schema_ptr: &str, raw: &str) -> Value {
        let ptr = self.deref_pointer(schema_ptr);
        let ty = self.at(&ptr).and_then(|s| s.get("type")).cloned();
        let has = |t: &str| match &ty {
            Some(Value::String(s)) => s == t,
            Some(Value::Array(a)) => a.iter().any(|v| v == t),
            _ => false,
        };
        if (has("integer") || has("number")) && !has("string") {
            if let Ok(n) = raw.parse::<serde_json::Number>() {
                return Value::Number(n);
            }
        }
        if has("boolean") && (raw == "true" || raw == "false") {
            return Value::Bool(raw == "true");
        }
        if has("array") {
            return Value::Array(raw.split(',').map(|s| json!(s)).collect());
        }
        json!(raw)
    }

    fn check_request_body(&'static self, op: &Operation, x: &Exchange<'_>) -> Vec<String> {
        let rb_ptr = format!("{}/requestBody", op.pointer);
        if self.at(&rb_ptr).is_none() {
            return if x.body.is_empty() {
                Vec::new()
            } else {
                vec![format!(
                    "sent a {}-byte body ({}), the spec defines no request body for this operation",
                    x.body.len(),
                    x.content_type.unwrap_or("no content type")
                )]
            };
        }
        let rb_ptr = self.deref_pointer(&rb_ptr);
        let required = self
            .at(&rb_ptr)
            .and_then(|r| r.get("required"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if x.body.is_empty() {
            return if required {
                vec!["request body missing (the spec marks it required)".into()]
            } else {
                Vec::new()
            };
        }
        let content = self
            .at(&format!("{rb_ptr}/content"))
            .and_then(Value::as_object);
        let media = x.content_type.map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let declared = content
            .map(|c| c.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        if !media
            .as_ref()
            .is_some_and(|m| declared.iter().any(|d| d == m))
        {
            return vec![format!(
                "content type {:?} not among the declared {}",
                media.unwrap_or_default(),
                declared.join(", ")
            )];
        }
        let Some(schema_ptr) = self.json_schema_pointer(&rb_ptr) else {
            return Vec::new();
        };
        match serde_json::from_slice::<Value>(x.body) {
            Ok(v) => self
                .validate(&schema_ptr, &v)
                .into_iter()
                .map(|m| format!("request body {m}"))
                .collect(),
            Err(e) => vec![format!("request body is not JSON: {e}")],
        }
    }

    /// `…/content/<json media type>/schema` under a request body or response object.
    fn json_schema_pointer(&self, owner_ptr: &str) -> Option<String> {
        let content = self.at(&format!("{owner_ptr}/content"))?.as_object()?;
        // Plain JSON first: `application/hujson` also contains "json" but is a text body.
        let media = content
            .keys()
            .find(|k| *k == "application/json")
            .or_else(|| content.keys().find(|k| k.contains("json")))?;
        let ptr = format!("{owner_ptr}/content/{}/schema", esc(media));
        self.at(&ptr).map(|_| ptr)
    }

    /// Follow `$ref`s of a parameter, request body or response object to where it is defined.
    fn deref_pointer(&self, ptr: &str) -> String {
        let mut ptr = ptr.to_string();
        for _ in 0..8 {
            match self
                .at(&ptr)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
            {
                Some(r) if r.starts_with('#') => ptr = r[1..].to_string(),
                _ => break,
            }
        }
        ptr
    }

    fn at(&self, ptr: &str) -> Option<&Value> {
        self.doc.pointer(ptr)
    }

    /// Validate `instance` against the schema at `ptr`; each error as `at /path: message`.
    fn validate(&'static self, ptr: &str, instance: &Value) -> Vec<String> {
        let validator = match self.validator(ptr) {
            Ok(v) => v,
            Err(e) => return vec![format!("(schema at {ptr} unusable: {e})")],
        };
        validator
            .iter_errors(instance)
            .take(5)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".into() } else { at };
                format!("at {at}: {}", truncate(&e.to_string(), 300))
            })
            .collect()
    }

    fn validator(&'static self, ptr: &str) -> Result<Arc<Validator>, String> {
        let mut cache = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = cache.get(ptr) {
            return Ok(v.clone());
        }
        let registry = self
            .registry
            .get_or_init(|| {
                Registry::new()
                    .draft(self.draft)
                    .add(&self.uri, &self.doc)
                    .and_then(|b| b.prepare())
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)?;
        let schema = json!({"$ref": format!("{}#{}", self.uri, uri_fragment(ptr))});
        let v = jsonschema::options()
            .with_draft(self.draft)
            .with_registry(registry)
            .should_validate_formats(false)
            .build(&schema)
            .map_err(|e| e.to_string())?;
        let v = Arc::new(v);
        cache.insert(ptr.to_string(), v.clone());
        Ok(v)
    }
}

fn index_operations(doc: &Value) -> Vec<Operation> {
    const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];
    let mut ops = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return ops;
    };
    for (template, item) in paths {
        for m in METHODS {
            if item.get(m).is_none() {
                continue;
            }
            let segments = template
                .trim_end_matches('/')
                .split('/')
                .skip(1)
                .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_string()))
                .collect();
            ops.push(Operation {
                method: m.to_string(),
                template: template.clone(),
                segments,
                pointer: format!("/paths/{}/{m}", esc(template)),
            });
        }
    }
    ops
}

/// OpenAPI 3.0 → JSON Schema draft 4: `nullable: true` becomes a `null` type (or an `anyOf` with
/// `null` where the schema has no `type`, e.g. an `allOf`).
fn normalise_30(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(normalise_30),
        Value::Object(m) => {
            m.values_mut().for_each(normalise_30);
            if m.get("nullable") == Some(&Value::Bool(true)) {
                m.remove("nullable");
                make_nullable(m);
            }
        }
        _ => {}
    }
}

/// Local patch P1 (specs/README.md): the vendors write `oneOf` without a `discriminator` for
/// "one of these shapes" whose branches overlap (every property optional, e.g. Render's
/// `serviceDetails`: a docker web service's details also satisfy the private-service schema), so a
/// JSON-Schema `oneOf` refuses every valid body. Read as `anyOf`: a value must fit at least one
/// branch. `oneOf` with a discriminator stays exclusive.
fn loosen_oneof(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(loosen_oneof),
        Value::Object(m) => {
            m.values_mut().for_each(loosen_oneof);
            if !m.contains_key("discriminator") {
                if let Some(branches) = m.remove("oneOf") {
                    m.insert("anyOf".into(), branches);
                }
            }
        }
        _ => {}
    }
}

fn make_nullable(m: &mut Map<String, Value>) {
    if let Some(Value::Array(e)) = m.get_mut("enum") {
        e.push(Value::Null);
    }
    match m.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            m.insert("type".into(), json!([t, "null"]));
        }
        Some(_) => {}
        None => {
            let inner = Value::Object(std::mem::take(m));
            m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        }
    }
}

/// JSON-pointer escaping of one reference token.
fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a URI fragment: everything but unreserved characters and `/` percent-encoded.
fn uri_fragment(ptr: &str) -> String {
    let mut out = String::with_capacity(ptr.len());
    for b in ptr.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r##"{
      "openapi": "3.0.3",
      "paths": {
        "/things/{id}": {
          "patch": {
            "parameters": [{"name": "x-class", "in": "header", "required": true,
                            "schema": {"type": "string", "enum": ["A", "B"]}}],
            "responses": {"200": {"content": {"application/json": {
              "schema": {"$ref": "#/components/schemas/Thing"}}}}}
          },
          "post": {
            "requestBody": {"required": true, "content": {"application/json": {
              "schema": {"$ref": "#/components/schemas/Thing"}}}},
            "responses": {"4XX": {"description": "failure"}}
          }
        }
      },
      "components": {"schemas": {"Thing": {"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "note": {"type": "string", "nullable": true}}}}}
    }"##;

    fn x<'a>(
        method: &'a str,
        body: &'a [u8],
        header: &'a dyn Fn(&str) -> Option<String>,
    ) -> Exchange<'a> {
        Exchange {
            method,
            path: "/things/t1",
            query: &[],
            header,
            content_type: Some("application/json"),
            body,
        }
    }

    #[test]
    fn body_where_none_is_defined_and_header_enum_are_violations() {
        let spec = Spec::leak("mini", MINI, false).expect("spec");
        let ok_header = |n: &str| (n == "x-class").then(|| "A".to_string());
        assert!(spec.check_request(&x("PATCH", b"", &ok_header)).is_empty());
        let v = spec.check_request(&x("PATCH", b"{}", &ok_header));
        assert!(v[0].contains("defines no request body"), "{v:?}");
        let bad_header = |n: &str| (n == "x-class").then(|| "a".to_string());
        let v = spec.check_request(&x("PATCH", b"", &bad_header));
        assert!(v[0].contains("parameter `x-class`"), "{v:?}");
        let no_header = |_: &str| None;
        let v = spec.check_request(&x("PATCH", b"", &no_header));
        assert!(
            v[0].contains("required parameter `x-class` missing"),
            "{v:?}"
        );
    }

    #[test]
    fn bodies_are_validated_through_refs_and_nullable() {
        let spec = Spec::leak("mini2", MINI, false).expect("spec");
        let h = |_: &str| None;
        assert!(spec
            .check_request(&x("POST", br#"{"name":"n","note":null}"#, &h))
            .is_empty());
        let v = spec.check_request(&x("POST", br#"{"note":"x"}"#, &h));
        assert!(v[0].contains("name"), "{v:?}");
        assert!(spec
            .check_response("PATCH", "/things/t1", 200, br#"{"name":"n"}"#)
            .is_empty());
        let v = spec.check_response("PATCH", "/things/t1", 200, br#"{"name":1}"#);
        assert!(v[0].contains("response body at /name"), "{v:?}");
        let v = spec.check_response("PATCH", "/things/t1", 201, b"");
        assert!(v[0].contains("status not declared"), "{v:?}");
        assert!(spec
            .check_response("POST", "/things/t1", 409, b"{}")
            .is_empty());
    }
}
