//! `tailscale_dns_preferences`: the tailnet's MagicDNS switch (one per tailnet, import id
//! `dns_preferences`). Tailscale turns MagicDNS on only while the tailnet has a DNS nameserver;
//! its refusal is passed on as is. Destroy turns MagicDNS off, as the official provider does.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{DnsPreferences, TailscaleClient};
use crate::clouds::support::api_diag;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, ImportId, Schema, TypedResource, Update, Val,
};

pub struct DnsPreferencesResource;

pub const DNS_PREFERENCES_ID: &str = "dns_preferences";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DnsPreferencesModel {
    /// Null only in an import's partial state.
    pub magic_dns: Option<bool>,
    pub id: Val<String>,
}

impl DnsPreferencesModel {
    pub fn from_api(mut self, p: &DnsPreferences) -> Self {
        self.magic_dns = Some(p.magic_dns);
        self.id = Val::Known(DNS_PREFERENCES_ID.into());
        self
    }
    fn request(&self) -> DnsPreferences {
        DnsPreferences {
            magic_dns: self.magic_dns.unwrap_or(false),
        }
    }
}

async fn set(c: &TailscaleClient, plan: DnsPreferencesModel) -> Applied<DnsPreferencesModel> {
    let api = c
        .set_dns_preferences(&plan.request())
        .await
        .map_err(|e| api_diag("Failed to set Tailscale DNS preferences", &e))?;
    Ok(plan.from_api(&api))
}

#[async_trait]
impl TypedResource for DnsPreferencesResource {
    type Model = DnsPreferencesModel;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_dns_preferences";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::dns_preferences_sources()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "The tailnet's DNS preferences: MagicDNS (names like `desktop.tail1234.ts.net` for every device). A tailnet has one set of preferences; destroy turns MagicDNS off.",
            vec![
                Attribute::bool("magic_dns").required().description("Whether MagicDNS is on. Tailscale refuses `true` while the tailnet has no DNS nameserver."),
                Attribute::string("id").computed().keep_state().description("Always `dns_preferences`."),
            ],
        )
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"]).check(|f| {
            (f.get("id").map(String::as_str) != Some(DNS_PREFERENCES_ID)).then(|| {
                format!(
                    "a tailnet has one set of DNS preferences; import it as {DNS_PREFERENCES_ID:?}"
                )
            })
        })
    }

    async fn create(
        &self,
        c: &TailscaleClient,
        op: Create<DnsPreferencesModel>,
        _cx: &ApplyCx,
    ) -> Applied<DnsPreferencesModel> {
        set(c, op.plan).await
    }

    async fn read(
        &self,
        c: &TailscaleClient,
        state: DnsPreferencesModel,
        _cx: &ApplyCx,
    ) -> Result<Option<DnsPreferencesModel>, Diagnostics> {
        state.id.required("id")?;
        let api = c
            .get_dns_preferences()
            .await
            .map_err(|e| api_diag("Failed to read Tailscale DNS preferences", &e))?;
        Ok(Some(state.from_api(&api)))
    }

    async fn update(
        &self,
        c: &TailscaleClient,
        op: Update<DnsPreferencesModel>,
        _cx: &ApplyCx,
    ) -> Applied<DnsPreferencesModel> {
        op.prior.id.required("id")?;
        set(c, op.plan).await
    }

    async fn delete(
        &self,
        c: &TailscaleClient,
        state: DnsPreferencesModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        state.id.required("id")?;
        c.set_dns_preferences(&DnsPreferences { magic_dns: false })
            .await
            .map(|_| ())
            .map_err(|e| api_diag("Failed to turn MagicDNS off", &e))
    }
}
