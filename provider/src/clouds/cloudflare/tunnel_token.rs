//! Ephemeral `cloudflare_tunnel_token` (Terraform ≥ 1.10): a tunnel's connector token for one
//! run, never stored in state or plan, so it can reach a write-only argument (an env var of the
//! service that runs cloudflared, e.g. `render_service.env_vars_wo`). Reading the token mints
//! nothing, so there is nothing to close. Must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::CloudflareClient;
use super::tunnel::account_of;
use crate::clouds::support::api_diag;
use crate::framework::{ApplyCx, Attribute, Diagnostics, Schema, TypedEphemeral, Val};

pub struct TunnelTokenResource;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokenModel {
    account_id: Val<String>,
    tunnel_id: Val<String>,
    token: Val<String>,
}

#[async_trait]
impl TypedEphemeral for TunnelTokenResource {
    type Model = TokenModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_tunnel_token";

    fn schema(&self) -> Schema {
        Schema::new(
            "A tunnel's connector token for one Terraform run, never stored in state or plan: pass `token` to a write-only argument, or to `cloudflared tunnel run --token` through one. The `cloudflare_tunnel` resource's `token` attribute holds the same value in state (sensitive).",
            vec![
                Attribute::string("account_id").optional_computed().description("The Cloudflare account id (defaults to the provider's)."),
                Attribute::string("tunnel_id").required().description("The tunnel's id (`cloudflare_tunnel.<name>.id`)."),
                Attribute::string("token").computed().sensitive().description("The connector token."),
            ],
        )
    }

    async fn open(
        &self,
        client: &CloudflareClient,
        model: TokenModel,
        _cx: &ApplyCx,
    ) -> Result<TokenModel, Diagnostics> {
        let account = account_of(&model.account_id, client)?;
        let tunnel = model.tunnel_id.required("tunnel_id")?;
        let token = client
            .get_tunnel_token(&account, tunnel)
            .await
            .map_err(|e| api_diag("Failed to read the Cloudflare tunnel token", &e))?;
        Ok(TokenModel {
            account_id: Val::Known(account),
            tunnel_id: Val::Known(tunnel.to_string()),
            token: Val::Known(token),
        })
    }
}
