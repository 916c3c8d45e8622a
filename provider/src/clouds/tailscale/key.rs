//! `tailscale_key`: a Tailscale auth key (tailnet key). Keys cannot be edited, so every setting
//! that shapes the key replaces it; `recreate_if_invalid = "always"` recreates a key that was
//! revoked or expired. The secret is only known at create and is never recoverable by import.

use async_trait::async_trait;

use super::client::{CreateKeyRequest, CreateOptions, Key, TailscaleClient};
use crate::clouds::support::api_diag;
use crate::framework::rules::{int_between, one_of, Validator};
use serde::{Deserialize, Serialize};

use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, ImportId, Schema, Type,
    TypedResource, Update, Val, Value,
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

pub fn is_valid_tag(s: &str) -> bool {
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

/// A key's state, shared by the `tailscale_key` resource and its ephemeral twin (the fields
/// only one of them has default to null when absent).
/// An import's partial state holds only the id: the rest default to null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeyModel {
    pub reusable: Option<bool>,
    pub ephemeral: Option<bool>,
    pub preauthorized: Option<bool>,
    pub tags: Option<Vec<String>>,
    /// Unknown after an import: read once from the API.
    pub expiry: Val<i64>,
    pub description: Option<String>,
    pub id: Val<String>,
    pub key: Val<String>,
    pub created_at: Val<String>,
    pub expires_at: Val<String>,
    #[serde(default)]
    pub recreate_if_invalid: Option<String>,
    #[serde(default)]
    pub invalid: Val<bool>,
    #[serde(default)]
    pub user_id: Val<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_after_run: Option<bool>,
}

impl KeyModel {
    pub fn to_create_request(&self) -> CreateKeyRequest {
        let opts = CreateOptions {
            reusable: self.reusable.unwrap_or(false),
            ephemeral: self.ephemeral.unwrap_or(false),
            preauthorized: self.preauthorized.unwrap_or(false),
            tags: self.tags.clone().unwrap_or_default(),
        };
        CreateKeyRequest::auth_key(
            &opts,
            self.description.clone(),
            self.expiry.known().copied(),
        )
    }

    /// The computed attributes and the key's shape from an API answer (pure).
    pub fn from_api(mut self, key: &Key) -> Self {
        self.id = Val::Known(key.id.clone());
        if let Some(secret) = &key.key {
            self.key = Val::Known(secret.clone());
        }
        self.created_at = key.created.clone().into();
        self.expires_at = key.expires.clone().into();
        let o = key.create_options();
        self.reusable = Some(o.reusable);
        self.ephemeral = Some(o.ephemeral);
        self.preauthorized = Some(o.preauthorized);
        self.tags = (!o.tags.is_empty()).then_some(o.tags);
        if let Some(d) = key.description.as_ref().filter(|d| !d.is_empty()) {
            self.description = Some(d.clone());
        }
        self
    }

    /// `from_api` plus what only the managed resource records.
    fn managed_from_api(self, key: &Key) -> Self {
        let mut m = self.from_api(key);
        m.invalid = Val::Known(key.invalid);
        m.user_id = key.user_id.clone().into();
        m
    }
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `2026-12-01T17:30:00Z` (whole seconds, UTC, as Tailscale writes them) → Unix seconds.
fn unix_seconds(t: &str) -> Option<i64> {
    let n = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// After a create whose answer was lost: the key it may have minted cannot be adopted (its secret
/// is only in the lost answer), so every key with this description and capabilities made since
/// `started` (give or take a minute of clock skew) is revoked, and the error says so — the next
/// apply mints a fresh key and nothing valid is left behind.
async fn revoke_orphans(
    c: &TailscaleClient,
    plan: &KeyModel,
    started: i64,
    e: &crate::clouds::http::ApiError,
) -> Diagnostics {
    let want = plan.to_create_request();
    let opts = CreateOptions {
        reusable: plan.reusable.unwrap_or(false),
        ephemeral: plan.ephemeral.unwrap_or(false),
        preauthorized: plan.preauthorized.unwrap_or(false),
        tags: plan.tags.clone().unwrap_or_default(),
    };
    let same = |k: &Key| {
        let mut mine = opts.tags.clone();
        let mut theirs = k.create_options().tags;
        mine.sort();
        theirs.sort();
        k.description.as_deref().unwrap_or("") == want.description.as_deref().unwrap_or("")
            && k.create_options().reusable == opts.reusable
            && k.create_options().ephemeral == opts.ephemeral
            && k.create_options().preauthorized == opts.preauthorized
            && mine == theirs
            && k.created
                .as_deref()
                .and_then(unix_seconds)
                .is_some_and(|t| t >= started - 60)
    };
    let orphans: Vec<String> = match c.list_keys().await {
        Ok(keys) => keys.iter().filter(|k| same(k)).map(|k| k.id.clone()).collect(),
        Err(list) => {
            return Diagnostic::error(
                "Failed to create Tailscale key",
                format!("The answer to the create was lost ({e}), and listing the keys to find what it made failed too ({list}). A key described {:?} may exist at Tailscale without its secret: revoke it in the admin console (Settings → Keys).", want.description.as_deref().unwrap_or("")),
            )
            .into()
        }
    };
    let mut revoked = Vec::new();
    let mut left = Vec::new();
    for id in orphans {
        match c.delete_key(&id).await {
            Ok(()) => revoked.push(id),
            Err(_) => left.push(id),
        }
    }
    let mut detail = format!("The answer to the create was lost ({e}), so the secret of any key it made is unknown and such a key cannot be used.");
    if !revoked.is_empty() {
        detail.push_str(&format!(
            " Revoked the key(s) it made: {}.",
            revoked.join(", ")
        ));
    }
    if !left.is_empty() {
        detail.push_str(&format!(
            " Could not revoke {}: revoke them in the admin console (Settings → Keys).",
            left.join(", ")
        ));
    }
    detail.push_str(" Nothing was stored; run apply again to mint a fresh key.");
    Diagnostic::error("Failed to create Tailscale key", detail).into()
}

#[async_trait]
impl TypedResource for KeyResource {
    type Model = KeyModel;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_key";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::key_sources()
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
            "A Tailscale auth key for registering devices in a tailnet. The key lives exactly as long as the resource: \
`terraform destroy` (and every replacement) revokes it, so a stack leaves no valid key behind. The secret `key` is \
stored in state, marked sensitive (hidden in plan output, readable by anyone who can read the state): keep state \
encrypted and access-controlled. The ephemeral `tailscale_key` keeps the secret out of state but cannot be revoked \
by `destroy` once it outlives its run (see its `keep_after_run`).",
            attrs,
        )
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .default_value("recreate_if_invalid", Value::string("never"))
            .read_in_full(&["expiry"])
            .check(|f| {
                let id = f.get("id").map_or("", String::as_str);
                (!id.chars().all(|c| c.is_ascii_alphanumeric())).then(|| {
                    "a Tailscale key id such as \"k123456CNTRL\" has only letters and digits"
                        .to_string()
                })
            })
    }

    async fn create(
        &self,
        c: &TailscaleClient,
        op: Create<KeyModel>,
        _cx: &ApplyCx,
    ) -> Applied<KeyModel> {
        // A key POST is not retried blindly (it could mint two keys); the client retries only
        // answers that prove the request was not processed (429).
        let request = op.plan.to_create_request();
        let started = now_seconds();
        match c.create_key(&request).await {
            Ok(key) => Ok(op.plan.managed_from_api(&key)),
            Err(e) if e.is_ambiguous() => {
                Err(revoke_orphans(c, &op.plan, started, &e).await.into())
            }
            Err(e) => Err(api_diag("Failed to create Tailscale key", &e).into()),
        }
    }

    async fn read(
        &self,
        c: &TailscaleClient,
        state: KeyModel,
        _cx: &ApplyCx,
    ) -> Result<Option<KeyModel>, Diagnostics> {
        let id = state.id.required("id")?.to_string();
        let key = match c.get_key(&id).await {
            Ok(k) => k,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read Tailscale key", &e)),
        };
        if key.revoked.is_some() {
            // Deleting a key at Tailscale revokes it: a revoked key was deleted outside Terraform.
            return Ok(None);
        }
        let recreate = state
            .recreate_if_invalid
            .clone()
            .unwrap_or_else(|| "never".into());
        if key.invalid && recreate == "always" {
            tracing::info!(
                id,
                "key is invalid and recreate_if_invalid = always: removing it from state"
            );
            return Ok(None);
        }
        let import = state.expiry.is_unknown();
        let mut next = state.managed_from_api(&key);
        next.recreate_if_invalid = Some(recreate);
        if import {
            // Import marks `expiry` unknown: take the API's value once, so a configured expiry
            // matches after import instead of forcing a replacement.
            next.expiry = key.expiry_seconds.into();
        }
        Ok(Some(next))
    }

    async fn update(
        &self,
        _c: &TailscaleClient,
        op: Update<KeyModel>,
        _cx: &ApplyCx,
    ) -> Applied<KeyModel> {
        // Only `recreate_if_invalid` changes in place, and it lives in state alone.
        Ok(op.plan)
    }

    async fn delete(
        &self,
        c: &TailscaleClient,
        state: KeyModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let id = state.id.required("id")?;
        c.delete_key(id)
            .await
            .map_err(|e| api_diag("Failed to delete Tailscale key", &e))
    }
}
