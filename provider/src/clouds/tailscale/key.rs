//! `tailscale_key`: a Tailscale auth key (tailnet key). Keys cannot be edited, so every setting
//! that shapes the key replaces it; `recreate_if_invalid = "always"` recreates a key that was
//! revoked or expired. The secret is only known at create and is never recoverable by import.

use async_trait::async_trait;

use super::client::{CreateKeyRequest, CreateOptions, Key, TailscaleClient};
use crate::clouds::support::api_diag;
use crate::framework::rules::{int_between, one_of, Validator};
use crate::framework::{
    ApplyResult, Attribute, Ctx, Diagnostic, Diagnostics, Path, Resource, Schema, Type, Value,
};

pub struct KeyResource;

/// 90 days: the longest expiry Tailscale allows.
pub const MAX_EXPIRY_SECONDS: i64 = 7_776_000;

pub fn tag_validator() -> Validator {
    Validator::new(
        "Each tag has the form `tag:<name>` (letters, digits and dashes, starting with a letter).",
        |v| {
            for t in v.elements().unwrap_or_default() {
                if let Some(s) = t.as_str() {
                    if !is_valid_tag(s) {
                        return crate::framework::Verdict::Error(format!(
                            "{s:?} is not a valid tag: use the form \"tag:name\"."
                        ));
                    }
                }
            }
            crate::framework::Verdict::Ok
        },
    )
}

fn is_valid_tag(s: &str) -> bool {
    let Some(name) = s.strip_prefix("tag:") else {
        return false;
    };
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

pub fn description_validator() -> Validator {
    Validator::string(
        "At most 50 characters: letters, digits, hyphens and spaces.",
        |s| {
            if s.chars().count() > 50 {
                Some(format!(
                    "must be at most 50 characters, got {}.",
                    s.chars().count()
                ))
            } else if !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
            {
                Some("may contain only letters, digits, hyphens and spaces.".into())
            } else {
                None
            }
        },
    )
}

/// The attributes shared with the ephemeral `tailscale_key`.
pub fn key_shape_attributes(replace: bool) -> Vec<Attribute> {
    let r = |a: Attribute| if replace { a.replace() } else { a };
    vec![
        r(Attribute::bool("reusable").default(Value::Bool(false)).description("Whether the key can register more than one device.")),
        r(Attribute::bool("ephemeral").default(Value::Bool(false)).description("Whether devices registered with the key are ephemeral (removed when offline).")),
        r(Attribute::bool("preauthorized").default(Value::Bool(false)).description("Whether devices registered with the key are pre-approved by a tailnet admin.")),
        r(Attribute::set("tags", Type::String).optional().description("Tags applied to devices registered with the key (`tag:name`).").validate(tag_validator())),
        r(Attribute::int("expiry").optional().description("Seconds until the key expires (the API's default is 90 days).").validate(int_between(1, MAX_EXPIRY_SECONDS))),
        r(Attribute::string("description").optional().description("A short description of the key's purpose.").validate(description_validator())),
        Attribute::string("id").computed().keep_state().description("The key's id."),
        Attribute::string("key").computed().sensitive().keep_state().description(if replace {
            "The auth key secret. Only known when the key is created: it is null after `terraform import`."
        } else {
            "The auth key secret, new in every run that opens this ephemeral resource."
        }),
        Attribute::string("created_at").computed().keep_state().description("When the key was created (RFC 3339)."),
        Attribute::string("expires_at").computed().keep_state().description("When the key expires (RFC 3339)."),
    ]
}

/// Build the create request from a plan or config.
pub fn create_request(v: &Value) -> CreateKeyRequest {
    let tags = v
        .attr("tags")
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect();
    let opts = CreateOptions {
        reusable: v.attr("reusable").as_bool().unwrap_or(false),
        ephemeral: v.attr("ephemeral").as_bool().unwrap_or(false),
        preauthorized: v.attr("preauthorized").as_bool().unwrap_or(false),
        tags,
    };
    CreateKeyRequest::auth_key(
        &opts,
        v.attr("description").as_str().map(str::to_string),
        v.attr("expiry").as_i64(),
    )
}

/// Fill the computed attributes and the key's shape from an API answer into `base`.
pub fn merge_key(mut base: Value, key: &Key) -> Value {
    let opt = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    base.set_attr("id", Value::string(&key.id));
    if let Some(secret) = &key.key {
        base.set_attr("key", Value::string(secret));
    }
    base.set_attr("created_at", opt(&key.created));
    base.set_attr("expires_at", opt(&key.expires));
    let o = key.create_options();
    base.set_attr("reusable", Value::Bool(o.reusable));
    base.set_attr("ephemeral", Value::Bool(o.ephemeral));
    base.set_attr("preauthorized", Value::Bool(o.preauthorized));
    base.set_attr(
        "tags",
        if o.tags.is_empty() {
            Value::Null
        } else {
            Value::set(o.tags.iter().map(Value::string).collect())
        },
    );
    if let Some(d) = key.description.as_ref().filter(|d| !d.is_empty()) {
        base.set_attr("description", Value::string(d));
    }
    base
}

#[async_trait]
impl Resource for KeyResource {
    fn type_name(&self) -> &'static str {
        "tailscale_key"
    }

    fn schema(&self) -> Schema {
        let mut attrs = key_shape_attributes(true);
        attrs.push(
            Attribute::string("recreate_if_invalid")
                .default(Value::string("never"))
                .description("`always` recreates the key when Tailscale reports it invalid (expired); `never` keeps it with `invalid = true`. A revoked (deleted) key always leaves the state.")
                .validate(one_of(&["always", "never"])),
        );
        attrs.push(
            Attribute::bool("invalid")
                .computed()
                .description("Whether Tailscale reports the key as revoked or expired."),
        );
        attrs.push(
            Attribute::string("user_id")
                .computed()
                .keep_state()
                .description(
                "The id of the user who created the key (empty for keys created by OAuth clients).",
            ),
        );
        Schema::new(
            "A Tailscale auth key for registering devices in a tailnet.",
            attrs,
        )
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<TailscaleClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        // A key POST is not retried blindly (it could mint two keys); the client retries only
        // answers that prove the request was not processed (429).
        match client.create_key(&create_request(plan)).await {
            Ok(key) => {
                let mut state = merge_key(plan.clone(), &key);
                state.set_attr("invalid", Value::Bool(key.invalid));
                state.set_attr(
                    "user_id",
                    key.user_id.clone().map_or(Value::Null, Value::String),
                );
                ApplyResult::ok(state)
            }
            Err(e) => {
                ApplyResult::failed(Value::Null, api_diag("Failed to create Tailscale key", &e))
            }
        }
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<TailscaleClient>()?;
        let id = state.attr("id").as_str().unwrap_or_default();
        let key = match client.get_key(id).await {
            Ok(k) => k,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read Tailscale key", &e)),
        };
        if key.revoked.is_some() {
            // Deleting a key at Tailscale revokes it: a revoked key was deleted outside Terraform.
            return Ok(Value::Null);
        }
        let recreate = state
            .attr("recreate_if_invalid")
            .as_str()
            .unwrap_or("never");
        if key.invalid && recreate == "always" {
            tracing::info!(
                id,
                "key is invalid and recreate_if_invalid = always: removing it from state"
            );
            return Ok(Value::Null);
        }
        let mut next = merge_key(state.clone(), &key);
        next.set_attr("invalid", Value::Bool(key.invalid));
        next.set_attr(
            "user_id",
            key.user_id.clone().map_or(Value::Null, Value::String),
        );
        next.set_attr("recreate_if_invalid", Value::string(recreate));
        if state.attr("expiry").is_unknown() {
            // Import marks `expiry` unknown: take the API's value once, so a configured expiry
            // matches after import instead of forcing a replacement.
            next.set_attr("expiry", key.expiry_seconds.map_or(Value::Null, Value::int));
        }
        Ok(next)
    }

    async fn update(
        &self,
        _ctx: &Ctx,
        _prior: &Value,
        plan: &Value,
        _config: &Value,
    ) -> ApplyResult {
        // Only `recreate_if_invalid` changes in place, and it lives in state alone.
        ApplyResult::ok(plan.clone())
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<TailscaleClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let id = state.attr("id").as_str().unwrap_or_default();
        match client.delete_key(id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Tailscale key", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let id = id.trim();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!("Expected a Tailscale key id such as \"k123456CNTRL\", got {id:?}."),
            )
            .at(Path::root("id"))
            .into());
        }
        Ok(Value::object([
            ("id", Value::string(id)),
            ("recreate_if_invalid", Value::string("never")),
            ("expiry", Value::Unknown),
        ]))
    }
}
