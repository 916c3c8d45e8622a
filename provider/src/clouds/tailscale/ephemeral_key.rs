//! Ephemeral `tailscale_key` (Terraform ≥ 1.10): mints an auth key for this run only, so it can
//! feed a write-only argument (e.g. a Render env var's `value_wo`) and never touch state. The key
//! itself lives on at Tailscale until it expires (set `expiry`) — closing does not revoke it,
//! because the consumer needs it after the run.

use async_trait::async_trait;

use super::client::TailscaleClient;
use super::key::{create_request, key_shape_attributes, merge_key};
use crate::clouds::support::api_diag;
use crate::framework::{Ctx, Diagnostics, EphemeralResource, Schema, Value};

pub struct EphemeralKeyResource;

#[async_trait]
impl EphemeralResource for EphemeralKeyResource {
    fn type_name(&self) -> &'static str {
        "tailscale_key"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An auth key minted while Terraform runs and never stored in plan or state: pass `key` to a \
             write-only argument (Terraform ≥ 1.11), for example a Render service's `env_vars_wo`.\n\n\
             Terraform opens an ephemeral resource in every plan and apply that needs it, and each \
             opening mints a new key. Closing does not revoke it (the consumer still needs it after the \
             run): it stays valid at Tailscale until it expires, so set a short `expiry` and avoid \
             `reusable` unless one key must register several devices.",
            key_shape_attributes(false),
        )
    }

    async fn open(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<TailscaleClient>()?;
        let key = client
            .create_key(&create_request(config))
            .await
            .map_err(|e| api_diag("Failed to create ephemeral Tailscale key", &e))?;
        Ok(merge_key(config.clone(), &key))
    }
}
