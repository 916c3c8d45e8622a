//! `cloudflare_tunnel`: a Cloudflare Tunnel for `cloudflared` (remotely managed by default, so
//! `cloudflare_tunnel_config` can hold its ingress rules). The tunnel secret is made by the
//! provider when the configuration gives none, or comes from the write-only `tunnel_secret_wo`
//! (sent again when `tunnel_secret_wo_version` changes): it is never in state. The connector
//! token is a sensitive computed attribute; the ephemeral `cloudflare_tunnel_token` gives it
//! without state. Delete cleans up cloudflared connections first when Cloudflare refuses
//! (the client does), and a tunnel Cloudflare reports deleted is gone. Must not import protocol.

use async_trait::async_trait;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::client::{CloudflareClient, CreateTunnelRequest, Tunnel, UpdateTunnelRequest};
use crate::clouds::http::GoneOk;
use crate::clouds::support::api_diag;
use crate::framework::rules::{length_between, one_of, Validator};
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity,
    ImportId, KeepPartial, Path, PlanModifier, Schema, TypedResource, Update, Val, Value,
};

pub struct TunnelResource;

pub const CONFIG_SRCS: &[&str] = &["cloudflare", "local"];

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TunnelModel {
    pub id: Val<String>,
    pub account_id: Val<String>,
    pub name: Val<String>,
    pub config_src: Val<String>,
    /// Write-only: only the configuration holds it; plan and state hold null.
    pub tunnel_secret_wo: Option<String>,
    pub tunnel_secret_wo_version: Option<i64>,
    pub cname: Val<String>,
    pub status: Val<String>,
    pub created_at: Val<String>,
    pub token: Val<String>,
}

/// The account a Cloudflare object lives in: its own `account_id`, else the provider's.
pub(crate) fn account_of(own: &Val<String>, c: &CloudflareClient) -> Result<String, Diagnostics> {
    own.non_empty()
        .or(c.default_account_id.as_deref().filter(|a| !a.is_empty()))
        .map(str::to_string)
        .ok_or_else(|| {
            Diagnostic::error(
                "Missing Cloudflare account id",
                "Set `account_id` here or in the provider block (or CLOUDFLARE_ACCOUNT_ID).",
            )
            .at(Path::root("account_id"))
            .into()
        })
}

/// At plan: a resource whose configuration leaves `account_id` unset needs the provider's, so
/// its absence fails the plan (naming the setting and its env var) instead of the apply, after
/// other resources were created. An unknown `account_id` is decided at apply.
pub(crate) fn require_account(
    identity: &str,
    config: &Value,
    c: &CloudflareClient,
    diags: &mut Diagnostics,
) {
    let own = config.attr("account_id");
    let has_own = own.is_unknown() || own.as_str().is_some_and(|a| !a.is_empty());
    let has_default = c
        .default_account_id
        .as_deref()
        .is_some_and(|a| !a.is_empty());
    if !has_own && !has_default {
        diags.push(
            Diagnostic::error(
                "Missing Cloudflare account id",
                format!("This resource needs an account id: set `account_id` here, or `account_id` in the provider \"{identity}\" block (env CLOUDFLARE_ACCOUNT_ID)."),
            )
            .at(Path::root("account_id")),
        );
    }
}

/// Why a tunnel secret is unusable (Cloudflare wants base64 of at least 32 bytes). Never
/// quotes the value.
fn secret_error(s: &str) -> Option<String> {
    match base64::engine::general_purpose::STANDARD.decode(s.trim()) {
        Ok(b) if b.len() >= 32 => None,
        Ok(b) => Some(format!(
            "must encode at least 32 bytes, this one encodes {}.",
            b.len()
        )),
        Err(_) => Some("is not standard base64 (e.g. `openssl rand -base64 32`).".into()),
    }
}

/// Import ids name an account (letters and digits) and a tunnel (a UUID: hex digits and
/// hyphens); anything else would end up in a URL path.
pub(crate) fn safe_import_ids(
    f: &std::collections::BTreeMap<String, String>,
    tunnel_field: &str,
) -> Option<String> {
    let account = f.get("account_id").map_or("", String::as_str);
    let tunnel = f.get(tunnel_field).map_or("", String::as_str);
    if account.is_empty() || !account.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("account_id must be letters and digits".into());
    }
    if tunnel.is_empty() || !tunnel.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Some("the tunnel id must be a UUID (hex digits and hyphens)".into());
    }
    None
}

fn generated_secret() -> String {
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}

impl TunnelModel {
    /// State from the API's tunnel; the write-only secret stays null.
    pub fn from_api(t: &Tunnel, account: &str, token: Val<String>) -> TunnelModel {
        TunnelModel {
            id: Val::Known(t.id.clone()),
            account_id: Val::Known(account.to_string()),
            name: Val::Known(t.name.clone()),
            config_src: t.config_src.clone().into(),
            tunnel_secret_wo: None,
            tunnel_secret_wo_version: None,
            cname: Val::Known(format!("{}.cfargotunnel.com", t.id)),
            status: t.status.clone().into(),
            created_at: t.created_at.clone().into(),
            token,
        }
    }

    /// The create request: the configured secret, else a fresh one.
    pub fn to_create_request(&self, config: &TunnelModel) -> CreateTunnelRequest {
        CreateTunnelRequest {
            name: self.name.as_deref().unwrap_or_default().to_string(),
            config_src: self
                .config_src
                .as_deref()
                .unwrap_or("cloudflare")
                .to_string(),
            tunnel_secret: config
                .tunnel_secret_wo
                .clone()
                .unwrap_or_else(generated_secret),
        }
    }

    /// What changed: the name, and the secret when its version moved (the configured one, else a
    /// fresh one: bumping the version alone rotates it).
    pub fn to_update_request(
        &self,
        prior: &TunnelModel,
        config: &TunnelModel,
    ) -> UpdateTunnelRequest {
        UpdateTunnelRequest {
            name: (self.name != prior.name)
                .then(|| self.name.as_deref().unwrap_or_default().to_string()),
            tunnel_secret: (self.tunnel_secret_wo_version != prior.tunnel_secret_wo_version).then(
                || {
                    config
                        .tunnel_secret_wo
                        .clone()
                        .unwrap_or_else(generated_secret)
                },
            ),
        }
    }

    /// Carry the configuration's version (state keeps it; the secret itself never).
    fn with_version(mut self, plan: &TunnelModel) -> TunnelModel {
        self.tunnel_secret_wo_version = plan.tunnel_secret_wo_version;
        self
    }
}

pub fn tunnel_schema() -> Schema {
    Schema::new(
        "A Cloudflare Tunnel: `cloudflared` on your machine connects out to Cloudflare's edge, which routes public hostnames to it (see `cloudflare_tunnel_config`). Run it with `cloudflared tunnel run --token <token>`.",
        vec![
            Attribute::string("id").computed().keep_state().description("The tunnel's UUID."),
            Attribute::string("account_id").optional_computed().keep_state().replace().description("The Cloudflare account id (defaults to the provider's)."),
            Attribute::string("name").required().description("A name for the tunnel, unique among the account's tunnels (changed in place).").validate(length_between(1, 255)),
            Attribute::string("config_src").default(Value::string("cloudflare")).replace().description("`cloudflare` (default): the ingress rules live at Cloudflare (`cloudflare_tunnel_config`) and cloudflared needs only the token. `local`: cloudflared reads them from its own config file. Unlike Cloudflare's API (default `local`), the default is remote management, which is what a Terraform-managed tunnel wants.").validate(one_of(CONFIG_SRCS)),
            Attribute::string("tunnel_secret_wo").optional().write_only().sensitive().description("Write-only tunnel secret (e.g. `openssl rand -base64 32`); never stored in state. Omit it and the provider makes one. Sent at create and whenever `tunnel_secret_wo_version` changes.").validate(Validator::string("Base64 of at least 32 bytes.", secret_error)),
            Attribute::int("tunnel_secret_wo_version").optional().description("Change to send `tunnel_secret_wo` again; without `tunnel_secret_wo`, changing it rotates to a fresh provider-made secret. Rotating invalidates the old token: restart cloudflared with the new one."),
            Attribute::string("cname").computed().keep_state().description("The tunnel's DNS target `<id>.cfargotunnel.com`: point a proxied CNAME record at it."),
            Attribute::string("status").computed().keep_state().description("inactive (never run), healthy, degraded or down, as of the last refresh."),
            Attribute::string("created_at").computed().keep_state().description("When the tunnel was created."),
            Attribute::string("token").computed().sensitive().modifier(PlanModifier::keep_unless_changed(&["tunnel_secret_wo_version"])).description("The connector token for `cloudflared tunnel run --token` (sensitive, stored in state). To keep it out of state use the ephemeral `cloudflare_tunnel_token` instead."),
        ],
    )
}

#[async_trait]
impl TypedResource for TunnelResource {
    type Model = TunnelModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_tunnel";

    fn check_configured(&self, c: &CloudflareClient, config: &Value, diags: &mut Diagnostics) {
        require_account("cloudflare", config, c, diags);
    }

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::tunnel_sources()
    }

    fn schema(&self) -> Schema {
        tunnel_schema()
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<account_id>/<id>"]).check(|f| safe_import_ids(f, "id"))
    }

    fn identity(&self) -> Identity {
        Identity::new(&["account_id", "id"])
    }

    async fn create(
        &self,
        c: &CloudflareClient,
        op: Create<TunnelModel>,
        _cx: &ApplyCx,
    ) -> Applied<TunnelModel> {
        let account = account_of(&op.plan.account_id, c)?;
        let req = op.plan.to_create_request(&op.config);
        // Names are unique among live tunnels: a lost create answer is adopted by name.
        let api = create_or_adopt(
            "Failed to create Cloudflare tunnel",
            c.create_tunnel(&account, &req),
            || c.find_tunnel_by_name(&account, &req.name),
        )
        .await?;
        let state = TunnelModel::from_api(&api, &account, Val::Null).with_version(&op.plan);
        let token = c
            .get_tunnel_token(&account, &api.id)
            .await
            .map_err(|e| api_diag("Failed to read the Cloudflare tunnel token", &e))
            .keep(state.clone())?;
        Ok(TunnelModel {
            token: Val::Known(token),
            ..state
        })
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        state: TunnelModel,
        _cx: &ApplyCx,
    ) -> Result<Option<TunnelModel>, Diagnostics> {
        let account = account_of(&state.account_id, c)?;
        let id = state.id.required("id")?;
        let api = match c.get_tunnel(&account, id).await {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read Cloudflare tunnel", &e)),
        };
        // Re-read: a secret rotated elsewhere changes the token.
        let token = c
            .get_tunnel_token(&account, id)
            .await
            .map_err(|e| api_diag("Failed to read the Cloudflare tunnel token", &e))?;
        Ok(Some(
            TunnelModel::from_api(&api, &account, Val::Known(token)).with_version(&state),
        ))
    }

    async fn update(
        &self,
        c: &CloudflareClient,
        op: Update<TunnelModel>,
        _cx: &ApplyCx,
    ) -> Applied<TunnelModel> {
        let Update {
            prior,
            plan,
            config,
        } = op;
        let account = account_of(&prior.account_id, c)?;
        let id = prior.id.required("id")?;
        let req = plan.to_update_request(&prior, &config);
        let api = c
            .update_tunnel(&account, id, &req)
            .await
            .map_err(|e| api_diag("Failed to update Cloudflare tunnel", &e))?;
        let token = match req.tunnel_secret {
            Some(_) => c
                .get_tunnel_token(&account, id)
                .await
                .map(Val::Known)
                .map_err(|e| api_diag("Failed to read the Cloudflare tunnel token", &e))?,
            None => prior.token.clone(),
        };
        Ok(TunnelModel::from_api(&api, &account, token).with_version(&plan))
    }

    async fn delete(
        &self,
        c: &CloudflareClient,
        state: TunnelModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let account = account_of(&state.account_id, c)?;
        let id = state.id.required("id")?;
        c.delete_tunnel(&account, id)
            .await
            .gone_ok()
            .map_err(|e| api_diag("Failed to delete Cloudflare tunnel", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_checked_without_being_quoted() {
        assert_eq!(secret_error(&generated_secret()), None);
        let short = secret_error("c2hvcnQ=").expect("too short");
        assert!(!short.contains("c2hvcnQ"), "{short}");
        assert!(secret_error("not base64!").is_some());
    }

    #[test]
    fn an_update_sends_only_what_changed() {
        let prior = TunnelModel {
            name: Val::Known("a".into()),
            tunnel_secret_wo_version: Some(1),
            ..TunnelModel::default()
        };
        let same = prior.clone();
        let req = same.to_update_request(&prior, &TunnelModel::default());
        assert!(req.name.is_none() && req.tunnel_secret.is_none());
        let bumped = TunnelModel {
            name: Val::Known("b".into()),
            tunnel_secret_wo_version: Some(2),
            ..TunnelModel::default()
        };
        let req = bumped.to_update_request(&prior, &TunnelModel::default());
        assert_eq!(req.name.as_deref(), Some("b"));
        assert!(req
            .tunnel_secret
            .as_deref()
            .and_then(secret_error)
            .is_none());
    }
}
