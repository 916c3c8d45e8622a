//! Cloudflare Tunnel (cfd_tunnel) calls on the Cloudflare client: tunnels, their connections,
//! the remote configuration and the connector token. Typed requests and answers in the API's
//! wire names (originRequest fields are camelCase, the rest snake_case). Tunnel secrets and
//! tokens are registered as secrets, so no error this client surfaces prints them. HTTP and JSON
//! only; must not import the framework.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{enc, CloudflareClient};
use crate::clouds::http::{ApiError, Call};

/// Cloudflare's code for "this tunnel has active connections" on delete.
const CODE_ACTIVE_CONNECTIONS: &str = "(code 1022)";

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Tunnel {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub account_tag: Option<String>,
    #[serde(default)]
    pub config_src: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    /// Set once deleted: the API keeps answering GET for a deleted tunnel.
    #[serde(default)]
    pub deleted_at: Option<String>,
}

impl Tunnel {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.as_deref().is_some_and(|d| !d.is_empty())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateTunnelRequest {
    pub name: String,
    pub config_src: String,
    pub tunnel_secret: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateTunnelRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tunnel_secret: Option<String>,
}

/// A tunnel's remote configuration (`tunnel_config`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TunnelConfig {
    #[serde(default)]
    pub ingress: Vec<IngressRule>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct IngressRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub service: String,
    #[serde(
        default,
        rename = "originRequest",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin_request: Option<OriginRequest>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OriginRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<i64>,
    #[serde(
        default,
        rename = "noTLSVerify",
        skip_serializing_if = "Option::is_none"
    )]
    pub no_tls_verify: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_host_header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<OriginAccess>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OriginAccess {
    #[serde(default)]
    pub aud_tag: Vec<String>,
    #[serde(default)]
    pub team_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// The answer of the configuration calls.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct TunnelConfiguration {
    #[serde(default)]
    pub config: Option<TunnelConfig>,
    #[serde(default)]
    pub version: Option<i64>,
}

impl CloudflareClient {
    fn tunnels_path(account: &str) -> String {
        format!("/accounts/{}/cfd_tunnel", enc(account))
    }

    fn tunnel_path(account: &str, id: &str, rest: &str) -> String {
        format!("{}/{}{rest}", Self::tunnels_path(account), enc(id))
    }

    pub async fn create_tunnel(
        &self,
        account: &str,
        req: &CreateTunnelRequest,
    ) -> Result<Tunnel, ApiError> {
        self.register_secret(&req.tunnel_secret);
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        let call = Call::post(Self::tunnels_path(account), body).secret(&req.tunnel_secret);
        self.send_enveloped(call).await
    }

    /// The live tunnel of `account` named `name`, if exactly one exists (deleted ones excluded).
    pub async fn find_tunnel_by_name(
        &self,
        account: &str,
        name: &str,
    ) -> Result<Option<Tunnel>, ApiError> {
        let call = Call::get(Self::tunnels_path(account))
            .query("name", name)
            .query("is_deleted", "false");
        let found: Vec<Tunnel> = self.send_enveloped(call).await?;
        let mut live = found
            .into_iter()
            .filter(|t| t.name == name && !t.is_deleted());
        Ok(match (live.next(), live.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        })
    }

    /// A tunnel; a deleted one (the API still answers it) is `NotFound`.
    pub async fn get_tunnel(&self, account: &str, id: &str) -> Result<Tunnel, ApiError> {
        let t: Tunnel = self
            .send_enveloped(Call::get(Self::tunnel_path(account, id, "")))
            .await?;
        if t.is_deleted() {
            return Err(ApiError::NotFound {
                message: format!("tunnel {id} was deleted"),
            });
        }
        Ok(t)
    }

    pub async fn update_tunnel(
        &self,
        account: &str,
        id: &str,
        req: &UpdateTunnelRequest,
    ) -> Result<Tunnel, ApiError> {
        let mut call = Call::patch(
            Self::tunnel_path(account, id, ""),
            serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?,
        );
        if let Some(s) = &req.tunnel_secret {
            self.register_secret(s);
            call = call.secret(s);
        }
        self.send_enveloped(call).await
    }

    /// Delete; when Cloudflare refuses because cloudflared connections are still registered,
    /// clean them up and delete again (what `cloudflared tunnel delete -f` does).
    pub async fn delete_tunnel(&self, account: &str, id: &str) -> Result<(), ApiError> {
        let delete = || Call::delete(Self::tunnel_path(account, id, "")).json(json!({}));
        match self.send_enveloped_unit(delete()).await {
            Err(ApiError::Api {
                status: 400,
                message,
            }) if message.contains(CODE_ACTIVE_CONNECTIONS) => {
                self.send_enveloped_unit(Call::delete(Self::tunnel_path(
                    account,
                    id,
                    "/connections",
                )))
                .await?;
                self.send_enveloped_unit(delete()).await
            }
            other => other,
        }
    }

    /// The token `cloudflared tunnel run --token` takes.
    pub async fn get_tunnel_token(&self, account: &str, id: &str) -> Result<String, ApiError> {
        let token: String = self
            .send_enveloped(Call::get(Self::tunnel_path(account, id, "/token")))
            .await?;
        self.register_secret(&token);
        Ok(token)
    }

    pub async fn get_tunnel_config(
        &self,
        account: &str,
        id: &str,
    ) -> Result<TunnelConfiguration, ApiError> {
        self.send_enveloped(Call::get(Self::tunnel_path(account, id, "/configurations")))
            .await
    }

    pub async fn put_tunnel_config(
        &self,
        account: &str,
        id: &str,
        config: &TunnelConfig,
    ) -> Result<TunnelConfiguration, ApiError> {
        let body = json!({ "config": config });
        self.send_enveloped(Call::put(
            Self::tunnel_path(account, id, "/configurations"),
            body,
        ))
        .await
    }
}
