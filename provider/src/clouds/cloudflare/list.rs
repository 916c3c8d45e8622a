//! Cloudflare's list resources (`terraform query`): `r2_bucket`, `r2_credentials`,
//! `cloudflare_tunnel`, `cloudflare_tunnel_config` and `cloudflare_dns_record`. Each pages the
//! account's (or zone's) list endpoint completely (client/listing.rs), passes the filters the API
//! has (a bucket's jurisdiction and name substring, a record's exact name and type) and applies
//! the rest here (name prefixes; R2 credentials are the account tokens scoped to R2 buckets; DNS
//! records of types `cloudflare_dns_record` does not manage are left out), and names every object
//! by its resource identity. Must not import protocol.

use async_trait::async_trait;
use serde::Deserialize;

use super::client::{AccountToken, CloudflareClient, DnsRecordFilter, Tunnel};
use super::dns_record::model::TYPES;
use super::dns_record::schema::cf_id_error;
use super::r2_bucket::schema::JURISDICTIONS;
use super::tunnel::account_of;
use crate::clouds::support::api_diag;
use crate::framework::list::{name_prefix_attribute, name_prefix_matches};
use crate::framework::rules::one_of;
use crate::framework::{
    ApplyCx, Attribute, Diagnostics, ListRequest, Listed, Schema, TypedList, Val, Validator,
};

fn account_attribute() -> Attribute {
    Attribute::string("account_id")
        .optional()
        .validate(Validator::string(
            "A Cloudflare account id (letters and digits).",
            |s| {
                (s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric()))
                    .then(|| format!("{s:?} is not a Cloudflare account id (letters and digits)"))
            },
        ))
        .description("The account to list (defaults to the provider's `account_id`).")
}

fn account(own: &Option<String>, c: &CloudflareClient) -> Result<String, Diagnostics> {
    account_of(&Val::from(own.clone()), c)
}

/// The filters of the account-wide lists (`r2_credentials`, `cloudflare_tunnel`,
/// `cloudflare_tunnel_config`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountListConfig {
    account_id: Option<String>,
    name_prefix: Option<String>,
}

fn account_schema(what: &str) -> Schema {
    Schema::new(what, vec![account_attribute(), name_prefix_attribute()])
}

/// The account and its live tunnels whose name starts with the prefix.
async fn tunnels(
    c: &CloudflareClient,
    config: &AccountListConfig,
) -> Result<(String, Vec<Tunnel>), Diagnostics> {
    let account = account(&config.account_id, c)?;
    let all = c
        .list_tunnels(&account)
        .await
        .map_err(|e| api_diag("Failed to list Cloudflare tunnels", &e))?;
    let found = all
        .into_iter()
        .filter(|t| name_prefix_matches(config.name_prefix.as_deref(), &t.name))
        .collect();
    Ok((account, found))
}

pub struct TunnelList;

#[async_trait]
impl TypedList for TunnelList {
    type Config = AccountListConfig;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_tunnel";

    fn schema(&self) -> Schema {
        account_schema("Every live tunnel of the account (all pages; deleted ones are left out), optionally filtered.")
    }

    async fn list(
        &self,
        c: &CloudflareClient,
        config: AccountListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let (account, found) = tunnels(c, &config).await?;
        Ok(found
            .into_iter()
            .map(|t| Listed::new(t.name, &[("account_id", &account), ("id", &t.id)]))
            .collect())
    }
}

/// A remotely managed tunnel's ingress rules are one `cloudflare_tunnel_config`; locally managed
/// tunnels (a `cloudflared` config file) have none to adopt.
pub struct TunnelConfigList;

#[async_trait]
impl TypedList for TunnelConfigList {
    type Config = AccountListConfig;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_tunnel_config";

    fn schema(&self) -> Schema {
        account_schema("The ingress configuration of every remotely managed tunnel (`config_src = \"cloudflare\"`) of the account (all pages), optionally filtered by the tunnel's name.")
    }

    async fn list(
        &self,
        c: &CloudflareClient,
        config: AccountListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let (account, found) = tunnels(c, &config).await?;
        Ok(found
            .into_iter()
            .filter(|t| t.config_src.as_deref() == Some("cloudflare"))
            .map(|t| {
                Listed::new(
                    format!("{} config", t.name),
                    &[("account_id", &account), ("tunnel_id", &t.id)],
                )
            })
            .collect())
    }
}

/// Whether a token's policy names an R2 bucket of `account`
/// (`com.cloudflare.edge.r2.bucket.<account>_<jurisdiction>_<name>`).
fn scopes_r2(t: &AccountToken, account: &str) -> bool {
    let prefix = format!("com.cloudflare.edge.r2.bucket.{account}_");
    t.policies
        .iter()
        .flat_map(|p| p.resources.keys())
        .any(|k| k.starts_with(&prefix))
}

pub struct CredentialsList;

#[async_trait]
impl TypedList for CredentialsList {
    type Config = AccountListConfig;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "r2_credentials";

    fn schema(&self) -> Schema {
        account_schema("Every account-owned API token scoped to R2 buckets of the account (all pages), optionally filtered by the token's name. The secret access key is known only when a token is created: a generated configuration adopts the token, and its `secret_access_key` stays null.")
    }

    async fn list(
        &self,
        c: &CloudflareClient,
        config: AccountListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let account = account(&config.account_id, c)?;
        let all = c
            .list_account_tokens(&account)
            .await
            .map_err(|e| api_diag("Failed to list Cloudflare account tokens", &e))?;
        Ok(all
            .into_iter()
            .filter(|t| scopes_r2(t, &account))
            .filter(|t| name_prefix_matches(config.name_prefix.as_deref(), &t.name))
            .map(|t| Listed::new(t.name, &[("account_id", &account), ("id", &t.id)]))
            .collect())
    }
}

/// The filters of `list "r2_bucket"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketListConfig {
    account_id: Option<String>,
    jurisdiction: Option<String>,
    name_prefix: Option<String>,
}

pub struct BucketList;

#[async_trait]
impl TypedList for BucketList {
    type Config = BucketListConfig;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "r2_bucket";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every R2 bucket of the account in one jurisdiction (all pages), optionally filtered.",
            vec![
                account_attribute(),
                Attribute::string("jurisdiction")
                    .optional()
                    .validate(one_of(JURISDICTIONS))
                    .description("The jurisdiction to list (`default`, `eu` or `fedramp`; default `default`)."),
                name_prefix_attribute(),
            ],
        )
    }

    async fn list(
        &self,
        c: &CloudflareClient,
        config: BucketListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let account = account(&config.account_id, c)?;
        let jurisdiction = config.jurisdiction.as_deref().unwrap_or("default");
        // The API filters by substring; the prefix is then checked here.
        let all = c
            .list_buckets(&account, jurisdiction, config.name_prefix.as_deref())
            .await
            .map_err(|e| api_diag("Failed to list R2 buckets", &e))?;
        Ok(all
            .into_iter()
            .filter(|b| name_prefix_matches(config.name_prefix.as_deref(), &b.name))
            .map(|b| {
                let mut l = Listed::new(
                    b.name.clone(),
                    &[("account_id", &account), ("name", &b.name)],
                );
                if jurisdiction != "default" {
                    l.identity.push(("jurisdiction", jurisdiction.to_string()));
                }
                l
            })
            .collect())
    }
}

/// The filters of `list "cloudflare_dns_record"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsRecordListConfig {
    zone_id: String,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub struct DnsRecordList;

#[async_trait]
impl TypedList for DnsRecordList {
    type Config = DnsRecordListConfig;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_dns_record";

    fn schema(&self) -> Schema {
        Schema::new(
            "Every DNS record of a zone (all pages) of the types `cloudflare_dns_record` manages (A, AAAA, CNAME, TXT, MX, CAA; others are left out), optionally filtered by the API by exact name and type.",
            vec![
                Attribute::string("zone_id")
                    .required()
                    .validate(Validator::string("A Cloudflare id (32 hex digits).", cf_id_error))
                    .description("The zone to list (e.g. `data.cloudflare_zone.z.id`)."),
                Attribute::string("name")
                    .optional()
                    .validate(Validator::string("Not empty.", |s| {
                        s.is_empty().then(|| "an empty name matches nothing: leave name out".to_string())
                    }))
                    .description("Only records with exactly this fully qualified name."),
                Attribute::string("type")
                    .optional()
                    .validate(one_of(TYPES))
                    .description("Only records of this type (A, AAAA, CNAME, TXT, MX or CAA)."),
            ],
        )
    }

    async fn list(
        &self,
        c: &CloudflareClient,
        config: DnsRecordListConfig,
        _req: ListRequest,
        _cx: &ApplyCx,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let filter = DnsRecordFilter {
            name: config.name,
            kind: config.kind,
        };
        let all = c
            .list_dns_records(&config.zone_id, &filter)
            .await
            .map_err(|e| api_diag("Failed to list Cloudflare DNS records", &e))?;
        Ok(all
            .into_iter()
            .filter(|r| TYPES.contains(&r.kind.as_str()))
            .map(|r| {
                Listed::new(
                    format!("{} {}", r.name, r.kind),
                    &[("zone_id", &config.zone_id), ("id", &r.id)],
                )
            })
            .collect())
    }
}
