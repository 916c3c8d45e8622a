//! `cloudflare_dns_record`: one DNS record in a Cloudflare zone — CRUD is "call the client, map
//! the answer" (the mapping in `model.rs`, the schema and plan rules in `schema.rs`). A create
//! whose answer was lost adopts the record with the same name, type and content; an update
//! overwrites the record (PUT); a type change replaces it. Import `<zone_id>/<id>` or by identity.
//! Must not import protocol.

pub mod model;
pub mod schema;

use async_trait::async_trait;

use self::model::{canonical_content, DnsRecordModel};
use super::client::{CloudflareClient, DnsRecord};
use crate::clouds::http::{ApiError, GoneOk};
use crate::clouds::support::api_diag;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Create, Diagnostics, Identity, ImportId, Schema,
    TypedResource, Update, Value,
};

pub struct DnsRecordResource;

/// The record a lost create made: same fully qualified name, type and content.
async fn find_made(
    c: &CloudflareClient,
    zone_id: &str,
    plan: &DnsRecordModel,
) -> Result<Option<DnsRecord>, ApiError> {
    let zone = c.get_zone(zone_id).await?;
    let name = plan
        .name
        .as_deref()
        .unwrap_or_default()
        .trim_end_matches('.');
    let fqdn = if name == "@" || name.eq_ignore_ascii_case(&zone.name) {
        zone.name.clone()
    } else if name
        .to_ascii_lowercase()
        .ends_with(&format!(".{}", zone.name.to_ascii_lowercase()))
    {
        name.to_string()
    } else {
        format!("{name}.{}", zone.name)
    };
    let kind = plan.kind.as_deref().unwrap_or_default();
    let want = canonical_content(kind, plan.content.as_deref().unwrap_or_default());
    let mut same = c
        .find_dns_records(zone_id, &fqdn, kind)
        .await?
        .into_iter()
        .filter(|r| canonical_content(kind, &r.content) == want);
    Ok(match (same.next(), same.next()) {
        (Some(r), None) => Some(r),
        _ => None,
    })
}

#[async_trait]
impl TypedResource for DnsRecordResource {
    type Model = DnsRecordModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_dns_record";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::dns_record_sources()
    }

    fn schema(&self) -> Schema {
        schema::dns_record_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        schema::check_record(config, diags);
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<zone_id>/<id>"]).trimmed().check(|f| {
            let part = |k: &str| f.get(k).map_or("", String::as_str);
            schema::cf_id_error(part("zone_id"))
                .map(|e| format!(": the zone id {e}"))
                .or_else(|| schema::cf_id_error(part("id")).map(|e| format!(": the record id {e}")))
        })
    }

    fn identity(&self) -> Identity {
        Identity::new(&["zone_id", "id"])
    }

    async fn create(
        &self,
        c: &CloudflareClient,
        op: Create<DnsRecordModel>,
        _cx: &ApplyCx,
    ) -> Applied<DnsRecordModel> {
        let plan = op.plan;
        let req = plan.to_request();
        let api = create_or_adopt(
            "Failed to create Cloudflare DNS record",
            c.create_dns_record(&plan.zone_id, &req),
            || find_made(c, &plan.zone_id, &plan),
        )
        .await?;
        Ok(DnsRecordModel::from_api(&api, &plan))
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        state: DnsRecordModel,
        _cx: &ApplyCx,
    ) -> Result<Option<DnsRecordModel>, Diagnostics> {
        let id = state.id.required("id")?;
        match c.get_dns_record(&state.zone_id, id).await {
            Ok(api) => Ok(Some(DnsRecordModel::from_api(&api, &state))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Cloudflare DNS record", &e)),
        }
    }

    async fn update(
        &self,
        c: &CloudflareClient,
        op: Update<DnsRecordModel>,
        _cx: &ApplyCx,
    ) -> Applied<DnsRecordModel> {
        let id = op.prior.id.required("id")?;
        let api = c
            .update_dns_record(&op.prior.zone_id, id, &op.plan.to_request())
            .await
            .map_err(|e| api_diag("Failed to update Cloudflare DNS record", &e))?;
        Ok(DnsRecordModel::from_api(&api, &op.plan))
    }

    async fn delete(
        &self,
        c: &CloudflareClient,
        state: DnsRecordModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let id = state.id.required("id")?;
        c.delete_dns_record(&state.zone_id, id)
            .await
            .gone_ok()
            .map_err(|e| api_diag("Failed to delete Cloudflare DNS record", &e))
    }
}
