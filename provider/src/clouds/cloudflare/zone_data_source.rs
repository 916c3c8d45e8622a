//! Data source `cloudflare_zone`: a zone looked up by `zone_id`, or by `name` (optionally within
//! one `account_id`) — for `cloudflare_dns_record.zone_id` and `r2_bucket.custom_domains[].zone_id`,
//! which users otherwise copy from the dashboard. Exactly one of `zone_id` and `name`, checked at
//! plan. Must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{CloudflareClient, Zone};
use super::dns_record::model::name_error;
use super::dns_record::schema::cf_id_error;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::rules::Validator;
use crate::framework::{
    ApplyCx, Attribute, Diagnostic, Diagnostics, Path, Schema, Type, TypedDataSource, Val, Value,
};

pub struct ZoneDataSource;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneLookup {
    pub zone_id: Val<String>,
    pub name: Val<String>,
    pub account_id: Val<String>,
    pub id: Val<String>,
    pub status: Val<String>,
    pub name_servers: Val<Vec<String>>,
}

impl ZoneLookup {
    fn from_api(z: Zone, q: ZoneLookup) -> ZoneLookup {
        ZoneLookup {
            zone_id: Val::Known(z.id.clone()),
            // A configured name stays as written (any case, a trailing dot).
            name: match q.name {
                Val::Known(n) => Val::Known(n),
                _ => Val::Known(z.name.clone()),
            },
            account_id: z.account.map(|a| a.id).filter(|a| !a.is_empty()).into(),
            id: Val::Known(z.id),
            status: z.status.into(),
            name_servers: Val::Known(z.name_servers),
        }
    }
}

#[async_trait]
impl TypedDataSource for ZoneDataSource {
    type Model = ZoneLookup;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_zone";

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up a Cloudflare zone by `name` (optionally within one `account_id`) or by `zone_id`: its id feeds `cloudflare_dns_record.zone_id` and `r2_bucket.custom_domains[].zone_id`.",
            vec![
                Attribute::string("zone_id").optional_computed().description("The zone's id; give this or `name`.").validate(Validator::string("A Cloudflare id (32 hex digits).", cf_id_error)),
                Attribute::string("name").optional_computed().description("The zone's domain name (e.g. `example.com`); give this or `zone_id`.").validate(Validator::string("A domain name.", name_error)),
                Attribute::string("account_id").optional_computed().description("With `name`: only zones of this account (the token may see zones of several). Computed: the zone's account."),
                Attribute::string("id").computed().description("The zone's id."),
                Attribute::string("status").computed().description("The zone's status: initializing, pending (name servers not yet pointed at Cloudflare), active or moved."),
                Attribute::list("name_servers", Type::String).computed().description("The Cloudflare name servers the domain's registrar must point at."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let given = |a: &str| !config.attr(a).is_null();
        if given("zone_id") == given("name") {
            diags.error_at(
                Path::root(if given("zone_id") { "name" } else { "zone_id" }),
                "Give exactly one of zone_id and name",
                "Look the zone up either by `zone_id` or by `name` (optionally with `account_id`).",
            );
        }
        if given("zone_id") && given("account_id") {
            diags.error_at(
                Path::root("account_id"),
                "account_id filters a lookup by name",
                "A zone id names one zone already: remove `account_id`, or look up by `name`.",
            );
        }
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        q: ZoneLookup,
        _cx: &ApplyCx,
    ) -> Result<ZoneLookup, Diagnostics> {
        if let Some(id) = q.zone_id.non_empty() {
            let z = c.get_zone(id).await.map_err(|e| {
                if e.is_not_found() {
                    Diagnostic::error(
                        "Cloudflare zone not found",
                        format!("No zone with id {id} exists, or the token cannot see it."),
                    )
                    .at(Path::root("zone_id"))
                    .into()
                } else {
                    api_diag("Failed to read Cloudflare zone", &e)
                }
            })?;
            return Ok(ZoneLookup::from_api(z, q));
        }
        let name = q.name.as_deref().unwrap_or_default();
        let wanted = name.trim_end_matches('.').to_ascii_lowercase();
        let account = q.account_id.non_empty();
        let found = c
            .find_zones(&wanted, account)
            .await
            .map_err(|e| api_diag("Failed to look up Cloudflare zones", &e))?;
        let what = match account {
            Some(a) => format!("Cloudflare zone named {wanted:?} in account {a}"),
            None => format!("Cloudflare zone named {wanted:?}"),
        };
        let z = exactly_one(found, &what).map_err(|d| {
            d.into_vec()
                .into_iter()
                .map(|d| d.at(Path::root("name")))
                .fold(Diagnostics::new(), |mut all, d| {
                    all.push(d);
                    all
                })
        })?;
        Ok(ZoneLookup::from_api(z, q))
    }
}
