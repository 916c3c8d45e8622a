//! Ephemeral `tailscale_key` (Terraform ≥ 1.10): mints an auth key for one run, never stored in
//! state, so it can feed a write-only argument (e.g. a Render service's `env_vars_wo`). Terraform
//! opens ephemeral resources on every plan and every apply, so by default Close revokes the key
//! it minted (its id travels in the result's private bytes) and the key expires after an hour
//! if Close never comes. `keep_after_run = true` keeps it (for a consumer that needs it after
//! the run); nothing then revokes it but its expiry. Must not import protocol.

use async_trait::async_trait;

use super::client::TailscaleClient;
use super::key::{key_shape_attributes, KeyModel, MAX_EXPIRY_SECONDS};
use crate::clouds::support::api_diag;
use crate::framework::rules::int_between;
use crate::framework::{
    ApplyCx, Attribute, Diagnostic, Diagnostics, Schema, TypedEphemeral, Value,
};

pub struct EphemeralKeyResource;

/// The expiry of a key whose configuration sets none: short, because a key that outlives the run
/// should be one the configuration asked for.
pub const DEFAULT_EXPIRY_SECONDS: i64 = 3600;

/// Marks the private bytes of a key Close must revoke; the key id follows.
const REVOKE: &str = "revoke:";

const DESCRIPTION: &str = "An auth key minted for one Terraform run and never stored in state; pass `key` to a \
write-only argument (e.g. `render_service.env_vars_wo`).\n\n\
Terraform opens an ephemeral resource on **every** `plan` and `apply` (and the plan inside `destroy`), so every run \
mints a key. By default the key is **revoked when Terraform closes the resource** at the end of that run: nothing the \
run minted stays valid, which suits consumers that use the key during the run only (a provisioner, a provider \
block). A key a service uses after the run (an env var it reads at every restart) must set `keep_after_run`, \
ideally `keep_after_run = terraform.applying` so plans still revoke theirs; such a key is then valid until its \
`expiry`, also after `terraform destroy`, because no state records it. When the key must live as long as the \
service and no longer, use the `tailscale_key` **resource** instead: destroy revokes it, at the price of its \
secret being stored (sensitive) in state.";

fn schema_attributes() -> Vec<Attribute> {
    let mut attrs: Vec<Attribute> = key_shape_attributes(false)
        .into_iter()
        .map(|a| match a.name.as_str() {
            "expiry" => Attribute::int("expiry")
                .optional()
                .description("Seconds until the key expires (1 to 7776000). Default 3600 (one hour), not the API's 90 days: a key that outlives the run should be one the configuration asked for.")
                .validate(int_between(1, MAX_EXPIRY_SECONDS)),
            _ => a,
        })
        .collect();
    attrs.push(
        Attribute::bool("keep_after_run")
            .default(Value::Bool(false))
            .description("`false` (default): the key is revoked when Terraform closes the resource at the end of the run (plan or apply). `true`: the key stays valid after the run until `expiry`, for a consumer that reads it later; `terraform.applying` keeps only the keys an apply minted. Nothing revokes a kept key: not even `terraform destroy`."),
    );
    attrs
}

#[async_trait]
impl TypedEphemeral for EphemeralKeyResource {
    type Model = KeyModel;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_key";

    fn schema(&self) -> Schema {
        Schema::new(DESCRIPTION, schema_attributes())
    }

    async fn open(
        &self,
        client: &TailscaleClient,
        model: KeyModel,
        _cx: &ApplyCx,
    ) -> Result<KeyModel, Diagnostics> {
        let mut request = model.to_create_request();
        request.expiry_seconds.get_or_insert(DEFAULT_EXPIRY_SECONDS);
        let key = client
            .create_key(&request)
            .await
            .map_err(|e| api_diag("Failed to create ephemeral Tailscale key", &e))?;
        let mut result = model.from_api(&key);
        result.keep_after_run = Some(result.keep_after_run.unwrap_or(false));
        Ok(result)
    }

    fn private(&self, config: &KeyModel, result: &KeyModel) -> Option<Vec<u8>> {
        if config.keep_after_run.unwrap_or(false) {
            return None;
        }
        let id = result.id.known()?;
        Some(format!("{REVOKE}{id}").into_bytes())
    }

    async fn close(&self, client: &TailscaleClient, private: &[u8], _cx: &ApplyCx) -> Diagnostics {
        let Some(id) = revoke_id(private) else {
            return Diagnostic::error(
                "Cannot revoke ephemeral Tailscale key",
                "Terraform handed back private data this provider did not write; the key (if any) stays valid until it expires.",
            )
            .into();
        };
        match client.delete_key(id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag(
                &format!("Failed to revoke ephemeral Tailscale key {id}: it stays valid until it expires"),
                &e,
            ),
        }
    }
}

/// The key id in private bytes written by `private`, if they are well formed.
fn revoke_id(private: &[u8]) -> Option<&str> {
    let id = std::str::from_utf8(private).ok()?.strip_prefix(REVOKE)?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Val;

    #[test]
    fn private_names_the_key_to_revoke_unless_kept() {
        let r = EphemeralKeyResource;
        let result = KeyModel {
            id: Val::Known("k123CNTRL".into()),
            ..KeyModel::default()
        };
        let revoke = KeyModel {
            keep_after_run: Some(false),
            ..KeyModel::default()
        };
        let keep = KeyModel {
            keep_after_run: Some(true),
            ..KeyModel::default()
        };
        let private = r.private(&revoke, &result).expect("revoke");
        assert_eq!(revoke_id(&private), Some("k123CNTRL"));
        assert_eq!(r.private(&keep, &result), None);
    }

    #[test]
    fn malformed_private_data_names_no_key() {
        for bad in [&b""[..], b"k123", b"revoke:", b"revoke:../k1", b"\xff"] {
            assert_eq!(revoke_id(bad), None, "{bad:?}");
        }
    }
}
