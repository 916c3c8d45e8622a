//! The Cloudflare vendor room: one API v4 client and envelope (`client/`) behind two provider
//! identities — `r2` (R2 buckets and their credentials) and `cloudflare` (tunnels, DNS, zones) —
//! which share their provider settings (API token, account id, base URL with environment
//! fallbacks) and differ only in the resources and data sources they register.

pub mod client;
pub mod dns_record;
pub mod list;
pub mod moves;
pub mod r2_bucket;
pub mod r2_bucket_data_source;
pub mod r2_credentials;
pub mod tunnel;
pub mod tunnel_config;
pub mod tunnel_token;
pub mod zone_data_source;

use std::sync::Arc;

use async_trait::async_trait;

use self::client::{CloudflareClient, DEFAULT_BASE_URL};
use crate::clouds::http::Secret;
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::{
    typed, typed_data_source, typed_ephemeral, typed_list, Attribute, ClientHandle, DataSource,
    Diagnostics, EphemeralResource, ListResource, Provider, Resource, Schema, Value,
};
use crate::stop::StopSignal;

pub struct R2Provider;

#[async_trait]
impl Provider for R2Provider {
    fn name(&self) -> &'static str {
        "r2"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Cloudflare R2: buckets and their CORS, lifecycle and domain settings, and S3 credentials scoped to buckets.",
            settings(
                "Cloudflare API token with R2 edit rights (env CLOUDFLARE_API_TOKEN).",
                "buckets",
            ),
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        configure(config, "r2", "Cloudflare R2", stop)
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            typed(r2_bucket::BucketResource),
            typed(r2_credentials::CredentialsResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![typed_data_source(r2_bucket_data_source::BucketDataSource)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![
            typed_list(list::BucketList),
            typed_list(list::CredentialsList),
        ]
    }
}

/// Provider `cloudflare`: tunnels, their configuration and token, DNS records and zones. The
/// same settings and client as `r2`; users who also run Cloudflare's own provider under the same
/// local name alias one of the two (see the provider docs).
pub struct CloudflareProvider;

#[async_trait]
impl Provider for CloudflareProvider {
    fn name(&self) -> &'static str {
        "cloudflare"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Cloudflare: tunnels (cloudflared), their ingress configuration and connector token, DNS records and zones.",
            settings("Cloudflare API token with the Tunnel and DNS edit rights the configuration needs (env CLOUDFLARE_API_TOKEN).", "tunnels"),
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        configure(config, "cloudflare", "Cloudflare", stop)
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            typed(tunnel::TunnelResource),
            typed(tunnel_config::TunnelConfigResource),
            typed(dns_record::DnsRecordResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![typed_data_source(zone_data_source::ZoneDataSource)]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![typed_ephemeral(tunnel_token::TunnelTokenResource)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![
            typed_list(list::TunnelList),
            typed_list(list::TunnelConfigList),
            typed_list(list::DnsRecordList),
        ]
    }
}

/// The provider block both identities share; `token_rights` and `objects` word its descriptions.
fn settings(token_rights: &str, objects: &str) -> Vec<Attribute> {
    vec![
        Attribute::string("api_token")
            .optional()
            .sensitive()
            .description(token_rights),
        Attribute::string("account_id")
            .optional()
            .description(&format!(
                "Default account id for {objects} (env CLOUDFLARE_ACCOUNT_ID)."
            )),
        Attribute::string("base_url").optional().description(
            "API base URL (env CLOUDFLARE_BASE_URL; default https://api.cloudflare.com/client/v4).",
        ),
    ]
}

/// Builds the shared client from the provider block (or the environment).
fn configure(
    config: &Value,
    identity: &str,
    label: &'static str,
    stop: StopSignal,
) -> Result<ClientHandle, Diagnostics> {
    let token = config_or_env(config, "api_token", &["CLOUDFLARE_API_TOKEN"])
        .ok_or_else(|| missing_credentials(identity, "api_token", "CLOUDFLARE_API_TOKEN"))?;
    let base = config_or_env(config, "base_url", &["CLOUDFLARE_BASE_URL"])
        .unwrap_or_else(|| DEFAULT_BASE_URL.into());
    let account = config_or_env(config, "account_id", &["CLOUDFLARE_ACCOUNT_ID"]);
    let client = CloudflareClient::new(label, &base, Secret::new(token), account, stop)
        .map_err(|e| api_diag(&format!("Failed to build the {label} client"), &e))?;
    Ok(Arc::new(client))
}
