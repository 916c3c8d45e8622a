//! Tailscale's list resources (`terraform query`): `tailscale_key` (the tailnet's valid auth keys,
//! through the shared `NamedList` shape), the three device settings (`tailscale_device_*`: one
//! per device, filtered here by name prefix and tag — the devices API has no filters) and the
//! tailnet singletons `tailscale_acl` and `tailscale_dns_preferences` (their one object). Each
//! names its objects by the resource identity. Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use super::acl::ACL_ID;
use super::client::TailscaleClient;
use super::dns_preferences::DNS_PREFERENCES_ID;
use crate::clouds::support::api_diag;
use crate::framework::list::{name_prefix_attribute, name_prefix_matches};
use crate::framework::{
    ApplyCx, Attribute, Diagnostics, Fetched, ListRequest, Listed, Schema, TypedList, Validator,
};

/// `list "tailscale_key"`: the tailnet's valid auth keys (API access tokens and OAuth clients,
/// which `tailscale_key` does not manage, are left out), named by description (else id).
pub fn keys(c: &TailscaleClient) -> Fetched<'_> {
    Box::pin(async move {
        let all = c
            .list_keys()
            .await
            .map_err(|e| api_diag("Failed to list Tailscale keys", &e))?;
        Ok(all
            .into_iter()
            .filter(|k| k.capabilities.as_ref().is_some_and(|c| c.devices.is_some()))
            .filter(|k| !k.invalid)
            .map(|k| {
                let name = k
                    .description
                    .clone()
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| k.id.clone());
                Listed::new(name, &[("id", &k.id)])
            })
            .collect())
    })
}

/// The filters of the device lists.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceListConfig {
    name_prefix: Option<String>,
    tag: Option<String>,
}

/// `DeviceList::<KIND>` lists `DEVICE_TYPES[KIND]` (`tailscale_device_authorization`,
/// `tailscale_device_tags`, `tailscale_device_key`): every device of the tailnet, by its node id.
pub struct DeviceList<const KIND: u8>;

const DEVICE_TYPES: [&str; 3] = [
    "tailscale_device_authorization",
    "tailscale_device_tags",
    "tailscale_device_key",
];

#[async_trait]
impl<const KIND: u8> TypedList for DeviceList<KIND> {
    type Config = DeviceListConfig;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = DEVICE_TYPES[KIND as usize];

    fn schema(&self) -> Schema {
        Schema::new(
            "One per device of the tailnet (the devices API answers all at once), optionally filtered here by name prefix and tag.",
            vec![
                name_prefix_attribute().description("Only devices whose MagicDNS name or host name starts with this."),
                Attribute::string("tag")
                    .optional()
                    .validate(Validator::string("A tag (`tag:<name>`).", |s| {
                        (!(s.starts_with("tag:") && s.len() > 4))
                            .then(|| format!("{s:?} is not a tag (`tag:<name>`)"))
                    }))
                    .description("Only devices carrying this tag (`tag:<name>`)."),
            ],
        )
    }

    async fn list(
        &self,
        c: &TailscaleClient,
        config: DeviceListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let all = c
            .list_devices()
            .await
            .map_err(|e| api_diag("Failed to list Tailscale devices", &e))?;
        let prefix = config.name_prefix.as_deref();
        Ok(all
            .into_iter()
            .filter(|d| {
                name_prefix_matches(prefix, &d.name) || name_prefix_matches(prefix, &d.hostname)
            })
            .filter(|d| {
                config
                    .tag
                    .as_ref()
                    .is_none_or(|t| d.tags.as_ref().is_some_and(|v| v.contains(t)))
            })
            .map(|d| Listed::new(d.name.clone(), &[("device_id", &d.node_id)]))
            .collect())
    }
}

/// `tailscale_acl` and `tailscale_dns_preferences`: the tailnet has exactly one of each.
fn singleton(id: &'static str) -> Fetched<'static> {
    Box::pin(async move { Ok(vec![Listed::new(id, &[("id", id)])]) })
}

/// `list "tailscale_acl"`: the tailnet's policy file.
pub fn acl(_: &TailscaleClient) -> Fetched<'_> {
    singleton(ACL_ID)
}

/// `list "tailscale_dns_preferences"`: the tailnet's DNS preferences.
pub fn dns_preferences(_: &TailscaleClient) -> Fetched<'_> {
    singleton(DNS_PREFERENCES_ID)
}
