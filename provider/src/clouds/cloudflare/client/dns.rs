//! Zone and DNS record calls on the Cloudflare client (API v4 `/zones`, `/zones/{id}/dns_records`):
//! typed requests and answers in the API's wire names. A CAA record travels as its structured
//! `data {flags, tag, value}` (what the API takes), parsed here from the presentation form the
//! resource speaks. HTTP and JSON only; must not import the framework.

use serde::{Deserialize, Serialize};

use super::{enc, CloudflareClient};
use crate::clouds::http::{ApiError, Call};

/// A DNS record as the API answers it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct DnsRecord {
    pub id: String,
    /// Fully qualified.
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub proxied: bool,
    #[serde(default)]
    pub proxiable: bool,
    #[serde(default)]
    pub ttl: i64,
    #[serde(default)]
    pub priority: Option<i64>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub created_on: Option<String>,
    #[serde(default)]
    pub modified_on: Option<String>,
}

/// CAA's structured value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaaData {
    pub flags: u8,
    pub tag: String,
    pub value: String,
}

impl CaaData {
    /// `0 issue "letsencrypt.org"` (quotes optional) → its parts; `None` when malformed.
    pub fn parse(content: &str) -> Option<CaaData> {
        let mut parts = content.trim().splitn(3, char::is_whitespace);
        let flags = parts.next()?.parse::<u8>().ok()?;
        let tag = parts.next()?.to_ascii_lowercase();
        let raw = parts.next()?.trim();
        let value = raw
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(raw);
        Some(CaaData {
            flags,
            tag,
            value: value.to_string(),
        })
    }
}

/// The body of a create or a full update (PUT overwrites: what it leaves out is reset).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DnsRecordRequest {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<CaaData>,
    pub proxied: bool,
    pub ttl: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub tags: Vec<String>,
}

/// A zone as the API answers it (the fields the provider reads).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Zone {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub name_servers: Vec<String>,
    #[serde(default)]
    pub account: Option<ZoneAccount>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ZoneAccount {
    #[serde(default)]
    pub id: String,
}

fn body(req: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))
}

impl CloudflareClient {
    fn records_path(zone: &str) -> String {
        format!("/zones/{}/dns_records", enc(zone))
    }

    fn record_path(zone: &str, id: &str) -> String {
        format!("{}/{}", Self::records_path(zone), enc(id))
    }

    pub async fn get_zone(&self, id: &str) -> Result<Zone, ApiError> {
        self.send_enveloped(Call::get(format!("/zones/{}", enc(id))))
            .await
    }

    /// Zones named `name` (exact), optionally only those of `account`.
    pub async fn find_zones(
        &self,
        name: &str,
        account: Option<&str>,
    ) -> Result<Vec<Zone>, ApiError> {
        let mut call = Call::get("/zones")
            .query("name", name)
            .query("per_page", 50);
        if let Some(a) = account {
            call = call.query("account.id", a);
        }
        let found: Vec<Zone> = self.send_enveloped(call).await?;
        Ok(found
            .into_iter()
            .filter(|z| z.name.eq_ignore_ascii_case(name))
            .collect())
    }

    pub async fn create_dns_record(
        &self,
        zone: &str,
        req: &DnsRecordRequest,
    ) -> Result<DnsRecord, ApiError> {
        self.send_enveloped(Call::post(Self::records_path(zone), body(req)?))
            .await
    }

    pub async fn get_dns_record(&self, zone: &str, id: &str) -> Result<DnsRecord, ApiError> {
        self.send_enveloped(Call::get(Self::record_path(zone, id)))
            .await
    }

    /// Overwrites the record (PUT): the request is the whole desired record.
    pub async fn update_dns_record(
        &self,
        zone: &str,
        id: &str,
        req: &DnsRecordRequest,
    ) -> Result<DnsRecord, ApiError> {
        self.send_enveloped(Call::put(Self::record_path(zone, id), body(req)?))
            .await
    }

    pub async fn delete_dns_record(&self, zone: &str, id: &str) -> Result<(), ApiError> {
        // The spec marks DELETE's body required: an empty object.
        let call = Call::delete(Self::record_path(zone, id)).json(serde_json::json!({}));
        self.send_enveloped_unit(call).await
    }

    /// The records of `zone` with this fully qualified name and type (every page up to 100).
    pub async fn find_dns_records(
        &self,
        zone: &str,
        fqdn: &str,
        kind: &str,
    ) -> Result<Vec<DnsRecord>, ApiError> {
        let call = Call::get(Self::records_path(zone))
            .query("name", fqdn)
            .query("type", kind)
            .query("per_page", 100);
        self.send_enveloped(call).await
    }
}
