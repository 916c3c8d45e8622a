//! Render services: the service record, its response shape, and list/create/get/update/delete.
//! Type-specific `serviceDetails` live in `details`; sub-resources (env vars, secret files,
//! domains, deploys, disks, scaling) in their own modules.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::api::{body_object, check_enum, opt_array, opt_enum, opt_object, opt_str, reply};
use super::api::{
    empty, random_lower, req_str, suspension, ApiError, ApiResult, Authed, ListQuery, Object,
};
use super::deploys::Deploy;
use super::disks::{self, Disk};
use super::domains::CustomDomain;
use super::enums::{AUTO_DEPLOY_TRIGGERS, SERVICE_TYPES, YES_NO};
use super::env::{self, EnvVar, SecretFile};
use super::{details, list_page, owners, read, registry_credentials, write, RenderState};
use crate::world::{new_id, Emulator};

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub slug: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: String,
    pub updated_at: String,
    pub suspended: bool,
    /// Optional top-level fields as they appear in the response (repo, branch, autoDeploy,
    /// buildFilter, rootDir, imagePath, environmentId).
    pub top: Object,
    /// `serviceDetails` in the response shape, without the disk.
    pub details: Object,
    #[serde(default)]
    pub env_vars: Vec<EnvVar>,
    #[serde(default)]
    pub secret_files: Vec<SecretFile>,
    #[serde(default)]
    pub custom_domains: Vec<CustomDomain>,
    #[serde(default)]
    pub deploys: Vec<Deploy>,
    #[serde(default)]
    pub headers: Vec<super::rules::Header>,
    #[serde(default)]
    pub routes: Vec<super::rules::Route>,
}

/// The spec's `service` object.
pub fn service_json(s: &Service, disks: &[Disk]) -> Value {
    let mut out = s.top.clone();
    let dashboard_kind = match s.kind.as_str() {
        "static_site" => "static",
        "private_service" => "pserv",
        "background_worker" => "worker",
        "cron_job" => "cron",
        _ => "web",
    };
    out.insert("id".into(), json!(s.id));
    out.entry("autoDeploy").or_insert(json!("yes"));
    out.entry("autoDeployTrigger").or_insert(json!("commit"));
    out.insert("createdAt".into(), json!(s.created_at));
    out.insert(
        "dashboardUrl".into(),
        json!(format!(
            "https://dashboard.render.com/{dashboard_kind}/{}",
            s.id
        )),
    );
    out.insert("name".into(), json!(s.name));
    out.insert("notifyOnFail".into(), json!("default"));
    out.insert("ownerId".into(), json!(s.owner_id));
    out.entry("rootDir").or_insert(json!(""));
    out.insert("slug".into(), json!(s.slug));
    let suspenders = if s.suspended {
        json!(["user"])
    } else {
        json!([])
    };
    out.insert("suspended".into(), json!(suspension(s.suspended)));
    out.insert("suspenders".into(), suspenders);
    out.insert("type".into(), json!(s.kind));
    out.insert("updatedAt".into(), json!(s.updated_at));
    let mut details = s.details.clone();
    if let Some(disk) = disks.iter().find(|d| d.service_id == s.id) {
        details.insert("disk".into(), disk.summary());
    }
    out.insert("serviceDetails".into(), Value::Object(details));
    Value::Object(out)
}

/// Lowercase letters, digits and single dashes, as Render derives slugs from names.
fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "service".into()
    } else {
        slug
    }
}

/// Slugs are global (they make the `onrender.com` hostname): a taken one gets a random suffix.
fn unique_slug(r: &RenderState, name: &str) -> String {
    let base = slugify(name);
    let mut slug = base.clone();
    while r.services.iter().any(|s| s.slug == slug) {
        slug = format!("{base}-{}", random_lower(4));
    }
    slug
}

fn check_name_free(
    r: &RenderState,
    owner_id: &str,
    name: &str,
    except: &str,
) -> Result<(), ApiError> {
    if r.services
        .iter()
        .any(|s| s.owner_id == owner_id && s.name == name && s.id != except)
    {
        return Err(ApiError::conflict(format!(
            "a service named {name:?} already exists in this workspace"
        )));
    }
    Ok(())
}

/// `image.registryCredentialId` and a Docker build's `envSpecificDetails.registryCredentialId`
/// must name an existing credential; answers carry it as `registryCredential` (the summary at the
/// top, the full object in a Docker build's details). A body that sends the image or the Docker
/// details without one clears it.
fn link_credentials(
    r: &RenderState,
    top: &mut Object,
    details: &mut Object,
    body: &Object,
) -> Result<(), ApiError> {
    if let Some(image) = opt_object(body, "image")? {
        match opt_str(image, "registryCredentialId")? {
            Some(id) => {
                top.insert(
                    "registryCredential".into(),
                    registry_credentials::summary(r, &id)?,
                );
            }
            None => {
                top.remove("registryCredential");
            }
        }
    }
    let esd_in = match opt_object(body, "serviceDetails")? {
        Some(d) => opt_object(d, "envSpecificDetails")?,
        None => None,
    };
    let esd = details
        .get_mut("envSpecificDetails")
        .and_then(Value::as_object_mut)
        .filter(|e| e.contains_key("dockerfilePath"));
    if let (Some(esd_in), Some(esd)) = (esd_in, esd) {
        match opt_str(esd_in, "registryCredentialId")? {
            Some(id) => {
                esd.insert(
                    "registryCredential".into(),
                    registry_credentials::full(r, &id)?,
                );
            }
            None => {
                esd.remove("registryCredential");
            }
        }
    }
    Ok(())
}

/// Top-level repo/image/build fields shared by create and update bodies.
fn apply_top(top: &mut Object, body: &Object) -> Result<(), ApiError> {
    // `autoDeployTrigger` (P11) supersedes `autoDeploy`; Render keeps the two in step.
    let trigger = opt_enum(body, "autoDeployTrigger", AUTO_DEPLOY_TRIGGERS)?;
    let auto = opt_enum(body, "autoDeploy", YES_NO)?;
    match (trigger, auto) {
        (Some(t), Some(a)) if (t == "off") != (a == "no") => {
            return Err(ApiError::bad_request(format!(
                "autoDeploy {a:?} contradicts autoDeployTrigger {t:?}"
            )))
        }
        (Some(t), _) => {
            let a = if t == "off" { "no" } else { "yes" };
            top.insert("autoDeploy".into(), json!(a));
            top.insert("autoDeployTrigger".into(), json!(t));
        }
        (None, Some(a)) => {
            let t = if a == "no" { "off" } else { "commit" };
            top.insert("autoDeploy".into(), json!(a));
            top.insert("autoDeployTrigger".into(), json!(t));
        }
        (None, None) => {}
    }
    for key in ["repo", "branch", "rootDir", "environmentId"] {
        if let Some(v) = opt_str(body, key)? {
            top.insert(key.into(), json!(v));
        }
    }
    if top.contains_key("repo") && !top.contains_key("branch") {
        top.insert("branch".into(), json!("main"));
    }
    if let Some(image) = opt_object(body, "image")? {
        let path = req_str(image, "imagePath")?;
        top.insert("imagePath".into(), json!(path));
    }
    if let Some(filter) = opt_object(body, "buildFilter")? {
        let mut out = Map::new();
        for key in ["paths", "ignoredPaths"] {
            let list = opt_array(filter, key)?.cloned().unwrap_or_default();
            if list.iter().any(|v| !v.is_string()) {
                return Err(ApiError::bad_request(format!(
                    "buildFilter.{key} must be strings"
                )));
            }
            out.insert(key.into(), Value::Array(list));
        }
        top.insert("buildFilter".into(), Value::Object(out));
    }
    Ok(())
}

/// GET /services — filters name, type, ownerId, region, suspended, environmentId, runtime/env.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "service", |r, _, q| {
        let detail = |s: &Service, key: &str| {
            s.details
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        r.services
            .iter()
            .filter(|s| {
                q.allows("name", &s.name)
                    && q.allows("type", &s.kind)
                    && q.allows("ownerId", &s.owner_id)
                    && q.allows("region", &detail(s, "region"))
                    && q.allows("runtime", &detail(s, "runtime"))
                    && q.allows("env", &detail(s, "runtime"))
                    && q.allows_suspension(s.suspended)
                    && q.allows(
                        "environmentId",
                        s.top
                            .get("environmentId")
                            .and_then(Value::as_str)
                            .unwrap_or_default(),
                    )
            })
            .map(|s| (s.id.clone(), service_json(s, &r.disks)))
            .collect()
    })
}

/// POST /services — 201 `{service, deployId}`; the first deploy starts at once.
pub async fn create(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, clock| {
        let kind = req_str(&body, "type")?;
        check_enum("type", &kind, SERVICE_TYPES)?;
        let name = req_str(&body, "name")?;
        let owner_id = req_str(&body, "ownerId")?;
        if !owners::exists(&owner_id) {
            return Err(ApiError::bad_request(format!(
                "owner {owner_id:?} does not exist"
            )));
        }
        check_name_free(r, &owner_id, &name, "")?;
        let no_details = Map::new();
        let d = opt_object(&body, "serviceDetails")?.unwrap_or(&no_details);
        let slug = unique_slug(r, &name);
        let details = details::create(&kind, &slug, d)?;
        let mut top = Map::new();
        apply_top(&mut top, &body)?;
        let mut details = details;
        link_credentials(r, &mut top, &mut details, &body)?;
        let image_runtime = details.get("runtime").and_then(Value::as_str) == Some("image");
        if image_runtime && !top.contains_key("imagePath") {
            return Err(ApiError::bad_request(
                "image is required for the image runtime",
            ));
        }
        let id = new_id("srv-");
        let kind_is_static = kind == "static_site";
        let disk = match opt_object(d, "disk")? {
            Some(spec) if details::is_server(&kind) => Some(disks::from_service_spec(spec, &id)?),
            _ => None,
        };
        let now = crate::world::now_rfc3339();
        let mut service = Service {
            id,
            owner_id,
            name,
            slug,
            kind,
            created_at: now.clone(),
            updated_at: now,
            suspended: false,
            top,
            details,
            env_vars: env::parse_env_vars(opt_array(&body, "envVars")?)?,
            secret_files: env::parse_secret_files(opt_array(&body, "secretFiles")?)?,
            custom_domains: Vec::new(),
            deploys: Vec::new(),
            headers: if kind_is_static {
                super::rules::parse_headers(opt_array(d, "headers")?)?
            } else {
                Vec::new()
            },
            routes: if kind_is_static {
                super::rules::parse_routes(opt_array(d, "routes")?)?
            } else {
                Vec::new()
            },
        };
        let deploy = Deploy::start(&service, "api", clock.now_ms, None);
        let deploy_id = deploy.id.clone();
        service.deploys.push(deploy);
        r.disks.extend(disk);
        let out = json!({"service": service_json(&service, &r.disks), "deployId": deploy_id});
        r.services.push(service);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /services/{serviceId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, _| {
        Ok(reply(
            StatusCode::OK,
            service_json(r.service(&id)?, &r.disks),
        ))
    })
}

/// PATCH /services/{serviceId} — `servicePATCH`; the slug stays when the name changes.
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = body_object(&body)?;
    write(&emu, |r, _| {
        let current = r.service(&id)?;
        let (owner_id, kind) = (current.owner_id.clone(), current.kind.clone());
        let mut top = current.top.clone();
        let mut details = current.details.clone();
        let name = match opt_str(&body, "name")? {
            Some(n) if n.trim().is_empty() => {
                return Err(ApiError::bad_request("name is required"))
            }
            Some(n) => {
                check_name_free(r, &owner_id, &n, &id)?;
                Some(n)
            }
            None => None,
        };
        apply_top(&mut top, &body)?;
        if let Some(d) = opt_object(&body, "serviceDetails")? {
            details::update(&kind, &mut details, d)?;
        }
        link_credentials(r, &mut top, &mut details, &body)?;
        let s = r.service_mut(&id)?;
        if let Some(n) = name {
            s.name = n;
        }
        s.top = top;
        s.details = details;
        s.updated_at = crate::world::now_rfc3339();
        Ok(reply(
            StatusCode::OK,
            service_json(r.service(&id)?, &r.disks),
        ))
    })
}

/// DELETE /services/{serviceId} — 204; the service's disk goes with it.
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        r.service(&id)?;
        r.services.retain(|s| s.id != id);
        r.disks.retain(|d| d.service_id != id);
        super::notifications::forget_service(r, &id);
        super::log_streams::forget_resource(r, &id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
