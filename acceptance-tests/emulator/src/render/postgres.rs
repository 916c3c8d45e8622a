//! Render Postgres instances (`dpg-…`). Status is computed on read: `creating` until
//! `render_db_ready_ms` has passed since creation, then `available` (`suspended` while suspended).
//! Database name and user default to the instance name (made a valid identifier) plus a random
//! suffix / `_user`, like Render's generated names. Disks cannot shrink.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{as_object, body_object, check_enum, empty, ip_allow_list, opt_array, opt_bool};
use super::api::{opt_enum, opt_int, opt_str, random_lower, random_secret, reply, req_str};
use super::api::{rfc3339_at, suspension, ApiError, ApiResult, Authed, ListQuery, Object};
use super::enums::{POSTGRES_PLANS, POSTGRES_VERSIONS, REGIONS};
use super::{list_page, owners, read, write, Clock};
use crate::world::{new_id, now_rfc3339, Emulator};

const THIRTY_DAYS_MS: u64 = 30 * 24 * 3600 * 1000;

#[derive(Clone, Serialize, Deserialize)]
pub struct Replica {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Postgres {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub plan: String,
    pub region: String,
    pub version: String,
    pub database_name: String,
    pub database_user: String,
    pub password: String,
    pub disk_size_gb: i64,
    pub high_availability: bool,
    pub ip_allow_list: Value,
    pub read_replicas: Vec<Replica>,
    pub environment_id: Option<String>,
    pub created_ms: u64,
    pub updated_at: String,
    pub suspended: bool,
    /// `datadogAPIKey`: kept so the state shows what was sent; never part of an answer.
    #[serde(default)]
    pub datadog_api_key: Option<String>,
    /// `datadogSite` (the spec's default `US1`); not part of `postgresDetail` either.
    #[serde(default)]
    pub datadog_site: Option<String>,
}

impl Postgres {
    fn status(&self, clock: &Clock) -> &'static str {
        if self.suspended {
            "suspended"
        } else if clock.now_ms < self.created_ms + clock.db_ready_ms {
            "creating"
        } else {
            "available"
        }
    }

    /// The spec's `postgresDetail`.
    fn json(&self, clock: &Clock) -> Value {
        let mut out = json!({
            "id": self.id,
            "ipAllowList": self.ip_allow_list,
            "createdAt": rfc3339_at(self.created_ms),
            "updatedAt": self.updated_at,
            "dashboardUrl": format!("https://dashboard.render.com/d/{}", self.id),
            "databaseName": self.database_name,
            "databaseUser": self.database_user,
            "highAvailabilityEnabled": self.high_availability,
            "name": self.name,
            "owner": owners::owner_json(),
            "plan": self.plan,
            "diskSizeGB": self.disk_size_gb,
            "region": self.region,
            "readReplicas": self.read_replicas.iter()
                .map(|r| json!({"id": r.id, "name": r.name})).collect::<Vec<_>>(),
            "role": "primary",
            "status": self.status(clock),
            "version": self.version,
            "suspended": suspension(self.suspended),
            "suspenders": if self.suspended { json!(["user"]) } else { json!([]) },
        });
        if let Some(env) = &self.environment_id {
            out["environmentId"] = json!(env);
        }
        if self.plan == "free" {
            out["expiresAt"] = json!(rfc3339_at(self.created_ms + THIRTY_DAYS_MS));
        }
        out
    }
}

/// A Postgres identifier made from a display name: lowercase letters, digits and underscores.
fn identifier(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id.insert_str(0, "db_");
    }
    id
}

fn check_identifier(key: &str, value: &str) -> Result<(), ApiError> {
    let ok = value.len() <= 63
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid {key} {value:?}: use lowercase letters, digits and underscores"
        )))
    }
}

/// Replicas named in `readReplicasInput`, keeping the ids of replicas that already exist.
fn replicas(items: &[Value], existing: &[Replica]) -> Result<Vec<Replica>, ApiError> {
    items
        .iter()
        .map(|item| {
            let name = req_str(as_object(item, "read replica")?, "name")?;
            let id = existing
                .iter()
                .find(|r| r.name == name)
                .map(|r| r.id.clone())
                .unwrap_or_else(|| new_id("dpg-"));
            Ok(Replica { id, name })
        })
        .collect()
}

fn check_disk(size: i64) -> Result<i64, ApiError> {
    if size < 1 {
        return Err(ApiError::bad_request("diskSizeGB must be at least 1"));
    }
    Ok(size)
}

/// GET /postgres — filters name, region, suspended, ownerId, environmentId.
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "postgres", |r, clock, q| {
        r.postgres
            .iter()
            .filter(|p| {
                q.allows("name", &p.name)
                    && q.allows("region", &p.region)
                    && q.allows("ownerId", &p.owner_id)
                    && q.allows_suspension(p.suspended)
                    && q.allows(
                        "environmentId",
                        p.environment_id.as_deref().unwrap_or_default(),
                    )
            })
            .map(|p| (p.id.clone(), p.json(clock)))
            .collect()
    })
}

/// POST /postgres — `postgresPOSTInput` → 201 `postgresDetail` (status `creating`).
pub async fn create(_: Authed, State(emu): State<Emulator>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = req_str(&b, "name")?;
    let owner_id = req_str(&b, "ownerId")?;
    if !owners::exists(&owner_id) {
        return Err(ApiError::bad_request(format!(
            "owner {owner_id:?} does not exist"
        )));
    }
    let plan = req_str(&b, "plan")?;
    check_enum("plan", &plan, POSTGRES_PLANS)?;
    let version = req_str(&b, "version")?;
    check_enum("version", &version, POSTGRES_VERSIONS)?;
    let region = opt_enum(&b, "region", REGIONS)?.unwrap_or_else(|| "oregon".into());
    let base = identifier(&name);
    let database_name =
        opt_str(&b, "databaseName")?.unwrap_or_else(|| format!("{base}_{}", random_lower(4)));
    check_identifier("databaseName", &database_name)?;
    let database_user = opt_str(&b, "databaseUser")?.unwrap_or_else(|| format!("{base}_user"));
    check_identifier("databaseUser", &database_user)?;
    let default_disk = if plan == "free" { 1 } else { 15 };
    let disk = check_disk(opt_int(&b, "diskSizeGB")?.unwrap_or(default_disk))?;
    let allow = match opt_array(&b, "ipAllowList")? {
        Some(items) => ip_allow_list(items)?,
        None => json!([{"cidrBlock": "0.0.0.0/0", "description": "everywhere"}]),
    };
    let read_replicas = replicas(opt_array(&b, "readReplicas")?.map_or(&[], |v| v), &[])?;
    let datadog_api_key = opt_str(&b, "datadogAPIKey")?.filter(|k| !k.is_empty());
    let datadog_site = opt_str(&b, "datadogSite")?;
    write(&emu, |r, clock| {
        let db = Postgres {
            id: new_id("dpg-"),
            name,
            owner_id,
            plan,
            region,
            version,
            database_name,
            database_user,
            password: random_secret(32),
            disk_size_gb: disk,
            high_availability: opt_bool(&b, "enableHighAvailability")?.unwrap_or(false),
            ip_allow_list: allow,
            read_replicas,
            environment_id: opt_str(&b, "environmentId")?,
            created_ms: clock.now_ms,
            updated_at: rfc3339_at(clock.now_ms),
            suspended: false,
            datadog_api_key,
            datadog_site,
        };
        let out = db.json(clock);
        r.postgres.push(db);
        Ok(reply(StatusCode::CREATED, out))
    })
}

fn find<'a>(list: &'a mut [Postgres], id: &str) -> Result<&'a mut Postgres, ApiError> {
    list.iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("postgres instance"))
}

/// GET /postgres/{postgresId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, clock| {
        let p = r.postgres.iter().find(|p| p.id == id);
        let p = p.ok_or_else(|| ApiError::not_found("postgres instance"))?;
        Ok(reply(StatusCode::OK, p.json(clock)))
    })
}

/// PATCH /postgres/{postgresId} — `postgresPATCHInput` → 200 `postgresDetail`.
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let b: Object = body_object(&body)?;
    let plan = opt_enum(&b, "plan", POSTGRES_PLANS)?;
    let disk = opt_int(&b, "diskSizeGB")?.map(check_disk).transpose()?;
    let allow = opt_array(&b, "ipAllowList")?
        .map(|items| ip_allow_list(items))
        .transpose()?;
    let ha = opt_bool(&b, "enableHighAvailability")?;
    let name = opt_str(&b, "name")?.filter(|n| !n.trim().is_empty());
    // "Pass empty string to remove."
    let datadog_api_key = opt_str(&b, "datadogAPIKey")?;
    let datadog_site = opt_str(&b, "datadogSite")?;
    write(&emu, |r, clock| {
        let p = find(&mut r.postgres, &id)?;
        if let Some(k) = datadog_api_key {
            p.datadog_api_key = (!k.is_empty()).then_some(k);
        }
        if let Some(site) = datadog_site {
            p.datadog_site = Some(site);
        }
        if let Some(size) = disk {
            if size < p.disk_size_gb {
                return Err(ApiError::bad_request(format!(
                    "disk size cannot be decreased (from {} GB to {size} GB)",
                    p.disk_size_gb
                )));
            }
            p.disk_size_gb = size;
        }
        if let Some(items) = opt_array(&b, "readReplicas")? {
            p.read_replicas = replicas(items, &p.read_replicas)?;
        }
        if let Some(v) = plan {
            p.plan = v;
        }
        if let Some(v) = allow {
            p.ip_allow_list = v;
        }
        if let Some(v) = ha {
            p.high_availability = v;
        }
        if let Some(v) = name {
            p.name = v;
        }
        p.updated_at = now_rfc3339();
        Ok(reply(StatusCode::OK, p.json(clock)))
    })
}

/// DELETE /postgres/{postgresId}
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        find(&mut r.postgres, &id)?;
        r.postgres.retain(|p| p.id != id);
        super::log_streams::forget_resource(r, &id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /postgres/{postgresId}/connection-info
pub async fn connection_info(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        let p = r.postgres.iter().find(|p| p.id == id);
        let p = p.ok_or_else(|| ApiError::not_found("postgres instance"))?;
        let internal_host = format!("{}-a", p.id);
        let external_host = format!("{}-a.{}-postgres.render.com", p.id, p.region);
        let (user, pass, db) = (&p.database_user, &p.password, &p.database_name);
        Ok(reply(
            StatusCode::OK,
            json!({
                "password": pass,
                "internalConnectionString": format!("postgresql://{user}:{pass}@{internal_host}/{db}"),
                "externalConnectionString": format!("postgresql://{user}:{pass}@{external_host}/{db}"),
                "psqlCommand": format!("PGPASSWORD={pass} psql -h {external_host} -U {user} {db}"),
            }),
        ))
    })
}

/// POST /postgres/{postgresId}/suspend and /resume — 202.
pub async fn suspend(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    set_suspended(&emu, &id, true)
}

pub async fn resume(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    set_suspended(&emu, &id, false)
}

fn set_suspended(emu: &Emulator, id: &str, suspended: bool) -> ApiResult {
    write(emu, |r, _| {
        let p = find(&mut r.postgres, id)?;
        p.suspended = suspended;
        p.updated_at = now_rfc3339();
        Ok(empty(StatusCode::ACCEPTED))
    })
}
