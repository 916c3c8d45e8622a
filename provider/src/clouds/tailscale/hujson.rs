//! HuJSON (the policy file's format: JSON with `//` and `/* */` comments and trailing commas)
//! read into JSON, and the canonical JSON text of a policy (sorted keys, compact, `<>&` escaped as
//! Terraform's `jsonencode` writes them) so that two spellings of one policy compare equal. Pure:
//! no I/O, no Terraform types.

use serde_json::Value;

/// Parse HuJSON (or JSON) into JSON; the error names the line.
pub fn standardize(text: &str) -> Result<Value, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                out.push(c);
                i += 1;
                while i < chars.len() {
                    let d = chars[i];
                    out.push(d);
                    i += 1;
                    if d == '\\' && i < chars.len() {
                        out.push(chars[i]);
                        i += 1;
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let start = i;
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    // Keep line breaks so error lines still point at the user's text.
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    let line = chars[..start].iter().filter(|c| **c == '\n').count() + 1;
                    return Err(format!("line {line}: unterminated /* comment"));
                }
                i += 2;
            }
            ',' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                // A trailing comma before `}` or `]` is HuJSON, not JSON.
                if !matches!(chars.get(j), Some('}' | ']')) {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    serde_json::from_str(&out).map_err(|e| e.to_string())
}

/// A policy file's text → its canonical JSON text, or why it is not a policy file.
pub fn canonical_policy(text: &str) -> Result<String, String> {
    match standardize(text)? {
        v @ Value::Object(_) => Ok(canonical(&v)),
        _ => Err("a policy file is a JSON object ({ … })".into()),
    }
}

/// Sorted keys, no spaces, `<`, `>` and `&` escaped: the text `jsonencode` gives for the value.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                write(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::String(s) => string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn string(s: &str, out: &mut String) {
    let quoted = Value::String(s.to_string()).to_string();
    out.push_str(
        &quoted
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_read_and_strings_left_alone() {
        let text = "// top\n{\n  \"acls\": [ {\"action\": \"accept\",}, ], /* c */\n  \"note\": \"a // b, ]\",\n}\n";
        assert_eq!(
            canonical_policy(text).expect("parses"),
            r#"{"acls":[{"action":"accept"}],"note":"a // b, ]"}"#
        );
    }

    #[test]
    fn spellings_of_one_policy_are_equal_and_bad_ones_are_named() {
        let a = canonical_policy("{\"b\": 1, \"a\": \"<x>\"}").expect("a");
        let b = canonical_policy("{\n \"a\": \"<x>\", // same\n \"b\": 1,\n}").expect("b");
        assert_eq!(a, b);
        assert_eq!(a, r#"{"a":"\u003cx\u003e","b":1}"#);
        assert!(canonical_policy("[1]").is_err());
        assert!(canonical_policy("{\"a\": }").is_err());
        assert!(matches!(canonical_policy("{} /* open"), Err(e) if e.contains("line 1")));
    }
}
