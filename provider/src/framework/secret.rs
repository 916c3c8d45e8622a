//! A secret argument that is either plain (`token`: stored in state, sensitive) or write-only
//! (`token_wo`, never stored, with `token_wo_version` to say when to send it again): the one
//! validation (at most one of the two — or exactly one when the secret is required — and the
//! version with the write-only value) and the one pick of which value a request sends. Vendor
//! neutral: resources name their three attributes. Must not import protocol or clouds.

use super::{Diagnostics, Path, Value};

/// The three attribute names of one plain-or-write-only secret.
#[derive(Clone, Copy, Debug)]
pub struct WriteOnlySecret {
    pub plain: &'static str,
    pub write_only: &'static str,
    pub version: &'static str,
    /// Whether one of the two must be set (a credential) or neither may be (an optional token).
    pub required: bool,
}

impl WriteOnlySecret {
    /// An optional secret: at most one of `plain` and `write_only`.
    pub const fn optional(
        plain: &'static str,
        write_only: &'static str,
        version: &'static str,
    ) -> Self {
        WriteOnlySecret {
            plain,
            write_only,
            version,
            required: false,
        }
    }

    /// A required secret: exactly one of `plain` and `write_only`.
    pub const fn required(
        plain: &'static str,
        write_only: &'static str,
        version: &'static str,
    ) -> Self {
        WriteOnlySecret {
            required: true,
            ..Self::optional(plain, write_only, version)
        }
    }

    /// Checks `object` (the configuration object holding the three attributes, found at `at`:
    /// `Path::empty()` for a resource's top level, `Path::root("block")` for a nested block).
    /// Unknown values are checked at apply-time plan, not guessed at now.
    pub fn validate(&self, object: &Value, at: &Path, diags: &mut Diagnostics) {
        let (plain, wo) = (object.attr(self.plain), object.attr(self.write_only));
        if plain.is_unknown() || wo.is_unknown() {
            return;
        }
        let (p, w, v) = (self.plain, self.write_only, self.version);
        match (plain.is_null(), wo.is_null()) {
            (true, true) if self.required => diags.error_at(
                at.clone().attr(p),
                "Missing token",
                format!("Set `{p}`, or `{w}` with `{v}`."),
            ),
            (false, false) => diags.error_at(
                at.clone().attr(w),
                "Conflicting tokens",
                format!("Set only one of `{p}` and `{w}`."),
            ),
            (true, false) if object.attr(v).is_null() => diags.error_at(
                at.clone().attr(v),
                "Missing version",
                format!("`{w}` is write-only: set `{v}` and change it to send a new token."),
            ),
            _ => {}
        }
    }

    /// The value a request sends: the plan's plain value, else the configuration's write-only
    /// one (a write-only value is only ever in the configuration, never in the plan or state).
    pub fn pick(plain: Option<&String>, config_write_only: Option<&String>) -> Option<String> {
        plain.or(config_write_only).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(attrs: &[(&str, Value)]) -> Value {
        Value::object(attrs.iter().cloned())
    }

    fn check(secret: WriteOnlySecret, config: Value, at: &Path) -> Vec<String> {
        let mut diags = Diagnostics::default();
        secret.validate(&config, at, &mut diags);
        diags
            .iter()
            .map(|d| format!("{}: {}", d.path.clone().unwrap_or_default(), d.summary))
            .collect()
    }

    const TOKEN: WriteOnlySecret =
        WriteOnlySecret::optional("token", "token_wo", "token_wo_version");

    #[test]
    fn at_most_one_and_the_version_with_the_write_only_value() {
        let root = Path::empty();
        assert!(check(TOKEN, obj(&[]), &root).is_empty());
        assert!(check(TOKEN, obj(&[("token", Value::string("a"))]), &root).is_empty());
        assert!(check(
            TOKEN,
            obj(&[
                ("token_wo", Value::string("a")),
                ("token_wo_version", Value::int(1))
            ]),
            &root
        )
        .is_empty());
        assert_eq!(
            check(
                TOKEN,
                obj(&[
                    ("token", Value::string("a")),
                    ("token_wo", Value::string("b")),
                    ("token_wo_version", Value::int(1))
                ]),
                &root
            ),
            ["token_wo: Conflicting tokens"]
        );
        assert_eq!(
            check(TOKEN, obj(&[("token_wo", Value::string("b"))]), &root),
            ["token_wo_version: Missing version"]
        );
    }

    #[test]
    fn a_required_secret_needs_one_and_a_nested_one_names_its_block() {
        let cred =
            WriteOnlySecret::required("auth_token", "auth_token_wo", "auth_token_wo_version");
        assert_eq!(
            check(cred, obj(&[]), &Path::empty()),
            ["auth_token: Missing token"]
        );
        assert_eq!(
            check(
                TOKEN,
                obj(&[("token_wo", Value::string("b"))]),
                &Path::root("log_stream_override")
            ),
            ["log_stream_override.token_wo_version: Missing version"]
        );
    }

    #[test]
    fn the_plain_value_wins_and_the_write_only_one_comes_from_the_configuration() {
        let (a, b) = ("a".to_string(), "b".to_string());
        assert_eq!(WriteOnlySecret::pick(Some(&a), Some(&b)), Some(a.clone()));
        assert_eq!(WriteOnlySecret::pick(None, Some(&b)), Some(b));
        assert_eq!(WriteOnlySecret::pick(None, None), None);
    }
}
