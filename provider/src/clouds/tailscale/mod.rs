//! Provider `tailscale`: configuration (API key or OAuth client credentials, tailnet, base URL with
//! environment fallbacks) and the registry of its resources.

pub mod acl;
pub mod client;
pub mod device;
pub mod device_settings;
pub mod dns_preferences;
pub mod ephemeral_key;
pub mod hujson;
pub mod key;
pub mod list;
pub mod moves;

use std::sync::Arc;

use async_trait::async_trait;

use self::client::{TailscaleClient, DEFAULT_BASE_URL};
use crate::clouds::http::{Auth, Secret};
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::validate::conflicting;
use crate::framework::{
    Attribute, ClientHandle, Diagnostics, EphemeralResource, Provider, Resource, Schema, Value,
};
use crate::stop::StopSignal;

pub struct TailscaleProvider;

#[async_trait]
impl Provider for TailscaleProvider {
    fn name(&self) -> &'static str {
        "tailscale"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Tailscale: auth keys for devices joining a tailnet, the devices themselves (approval, tags, key expiry), the policy file and DNS preferences.",
            vec![
                Attribute::string("api_key").optional().sensitive().description("API access token (env TAILSCALE_API_KEY). Conflicts with the OAuth client."),
                Attribute::string("oauth_client_id").optional().description("OAuth client id (env TAILSCALE_OAUTH_CLIENT_ID)."),
                Attribute::string("oauth_client_secret").optional().sensitive().description("OAuth client secret (env TAILSCALE_OAUTH_CLIENT_SECRET)."),
                Attribute::string("tailnet").optional().description("Tailnet organization name; `-` (the default, env TAILSCALE_TAILNET) is the credential's own tailnet."),
                Attribute::string("base_url").optional().description("API base URL (env TAILSCALE_BASE_URL; default https://api.tailscale.com)."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        conflicting(config, &["api_key", "oauth_client_id"], diags);
        conflicting(config, &["api_key", "oauth_client_secret"], diags);
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        let base = config_or_env(config, "base_url", &["TAILSCALE_BASE_URL"])
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let tailnet =
            config_or_env(config, "tailnet", &["TAILSCALE_TAILNET"]).unwrap_or_else(|| "-".into());
        let api_key = config_or_env(config, "api_key", &["TAILSCALE_API_KEY"]);
        let oauth_id = config_or_env(config, "oauth_client_id", &["TAILSCALE_OAUTH_CLIENT_ID"]);
        let oauth_secret = config_or_env(
            config,
            "oauth_client_secret",
            &["TAILSCALE_OAUTH_CLIENT_SECRET"],
        );
        let token = match (api_key, oauth_id, oauth_secret) {
            (Some(k), _, _) => Secret::new(k),
            (None, Some(id), Some(secret)) => {
                TailscaleClient::oauth_token(&base, &id, &Secret::new(secret), stop.clone())
                    .await
                    .map_err(|e| api_diag("Failed to obtain a Tailscale OAuth access token", &e))?
            }
            _ => return Err(missing_credentials(
                "tailscale",
                "api_key",
                "TAILSCALE_API_KEY (or TAILSCALE_OAUTH_CLIENT_ID + TAILSCALE_OAUTH_CLIENT_SECRET)",
            )),
        };
        let client = TailscaleClient::new(&base, Auth::Bearer(token), &tailnet, stop.clone())
            .map_err(|e| api_diag("Failed to build the Tailscale client", &e))?;
        Ok(Arc::new(client))
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        use crate::framework::typed;
        vec![
            typed(key::KeyResource),
            typed(acl::AclResource),
            typed(device_settings::DeviceAuthorizationResource),
            typed(device_settings::DeviceTagsResource),
            typed(device_settings::DeviceKeyResource),
            typed(dns_preferences::DnsPreferencesResource),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn crate::framework::DataSource>> {
        vec![
            crate::framework::typed_data_source(device::DeviceDataSource),
            crate::framework::typed_data_source(device::DevicesDataSource),
        ]
    }

    fn list_resources(&self) -> Vec<Arc<dyn crate::framework::ListResource>> {
        use crate::framework::{named_list, typed_list};
        vec![
            named_list(
                "tailscale_key",
                "The tailnet's valid auth keys (API access tokens and OAuth clients are left out), optionally filtered by description prefix. The key secret is known only at create: a generated configuration adopts the key, its `key` stays null.",
                list::keys,
            ),
            named_list(
                "tailscale_acl",
                "The tailnet's policy file (one object).",
                list::acl,
            ),
            typed_list(list::DeviceList::<0>),
            typed_list(list::DeviceList::<1>),
            typed_list(list::DeviceList::<2>),
            named_list(
                "tailscale_dns_preferences",
                "The tailnet's DNS preferences (one object).",
                list::dns_preferences,
            ),
        ]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![crate::framework::typed_ephemeral(
            ephemeral_key::EphemeralKeyResource,
        )]
    }
}
