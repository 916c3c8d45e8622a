//! Custom domains of Render web services and static sites. As on Render, adding an apex domain
//! (`example.com`) also adds `www.example.com` redirecting to it, and adding `www.example.com`
//! also adds the apex redirecting to the `www` name; deleting a domain deletes the companion that
//! redirects to it. Domains start `unverified`; `POST …/verify` marks them `verified`.
//! Domain names are unique across the whole emulator (409 otherwise).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::ListQuery;
use super::api::{body_object, empty, page, reply, req_str, ApiError, ApiResult, Authed};
use super::services::Service;
use super::{read, write};
use crate::world::{new_id, now_rfc3339, Emulator};

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomain {
    pub id: String,
    pub name: String,
    pub domain_type: String,
    pub public_suffix: String,
    pub redirect_for_name: String,
    pub verification_status: String,
    pub created_at: String,
}

fn domain_json(d: &CustomDomain, s: &Service) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "domainType": d.domain_type,
        "publicSuffix": d.public_suffix,
        "redirectForName": d.redirect_for_name,
        "verificationStatus": d.verification_status,
        "createdAt": d.created_at,
        "server": {"id": s.id, "name": s.name},
    })
}

/// A lowercase hostname of at least two dot-separated labels of letters, digits and dashes.
fn normalise(name: &str) -> Result<String, ApiError> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(ApiError::bad_request(format!(
            "invalid domain name {name:?}"
        )));
    }
    Ok(name)
}

fn make(name: &str, redirect_for: &str) -> CustomDomain {
    let labels = name.split('.').count();
    CustomDomain {
        id: new_id("cdm-"),
        name: name.to_string(),
        domain_type: if labels == 2 { "apex" } else { "subdomain" }.into(),
        public_suffix: name.rsplit('.').next().unwrap_or_default().to_string(),
        redirect_for_name: redirect_for.to_string(),
        verification_status: "unverified".into(),
        created_at: now_rfc3339(),
    }
}

fn find<'a>(s: &'a Service, id_or_name: &str) -> Result<&'a CustomDomain, ApiError> {
    s.custom_domains
        .iter()
        .find(|d| d.id == id_or_name || d.name == id_or_name)
        .ok_or_else(|| ApiError::not_found("custom domain"))
}

/// GET /services/{serviceId}/custom-domains — filters name, domainType, verificationStatus.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = ListQuery(q);
    read(&emu, |r, _| {
        let s = r.service(&id)?;
        let items = s
            .custom_domains
            .iter()
            .filter(|d| {
                q.allows("name", &d.name)
                    && q.allows("domainType", &d.domain_type)
                    && q.allows("verificationStatus", &d.verification_status)
            })
            .map(|d| (d.id.clone(), domain_json(d, s)))
            .collect();
        page(items, "customDomain", &q)
    })
}

/// POST /services/{serviceId}/custom-domains — `{name}` → 201 with the array of domains added.
pub async fn create(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let name = normalise(&req_str(&body_object(&body)?, "name")?)?;
    write(&emu, |r, _| {
        let kind = r.service(&id)?.kind.clone();
        if kind != "web_service" && kind != "static_site" {
            return Err(ApiError::bad_request(
                "custom domains are only supported for web services and static sites",
            ));
        }
        let taken = |n: &str| {
            r.services
                .iter()
                .any(|s| s.custom_domains.iter().any(|d| d.name == n))
        };
        if taken(&name) {
            return Err(ApiError::conflict(format!(
                "custom domain {name:?} already exists"
            )));
        }
        let mut added = vec![make(&name, "")];
        let companion = match name.strip_prefix("www.") {
            Some(apex) if apex.split('.').count() == 2 => Some(apex.to_string()),
            None if name.split('.').count() == 2 => Some(format!("www.{name}")),
            _ => None,
        };
        if let Some(other) = companion.filter(|o| !taken(o)) {
            added.push(make(&other, &name));
        }
        let s = r.service_mut(&id)?;
        s.custom_domains.extend(added.iter().cloned());
        let out: Vec<Value> = added.iter().map(|d| domain_json(d, s)).collect();
        Ok(reply(StatusCode::CREATED, Value::Array(out)))
    })
}

/// GET /services/{serviceId}/custom-domains/{customDomainIdOrName}
pub async fn get(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, domain)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, _| {
        let s = r.service(&id)?;
        Ok(reply(StatusCode::OK, domain_json(find(s, &domain)?, s)))
    })
}

/// DELETE /services/{serviceId}/custom-domains/{customDomainIdOrName} — also removes the
/// companion domain that redirects to it.
pub async fn delete(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, domain)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let name = find(s, &domain)?.name.clone();
        s.custom_domains
            .retain(|d| d.name != name && d.redirect_for_name != name);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// POST /services/{serviceId}/custom-domains/{customDomainIdOrName}/verify — 202; the emulated
/// DNS check always passes.
pub async fn verify(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, domain)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let name = find(s, &domain)?.name.clone();
        for d in s.custom_domains.iter_mut().filter(|d| d.name == name) {
            d.verification_status = "verified".into();
        }
        Ok(empty(StatusCode::ACCEPTED))
    })
}
