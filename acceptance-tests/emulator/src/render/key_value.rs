//! Render Key Value instances (`red-…`, Valkey-compatible). Status is computed on read like
//! Postgres: `creating` until `render_db_ready_ms` has passed, then `available`. The IP allow
//! list defaults to empty (no access from outside Render); `maxmemoryPolicy` to `allkeys_lru`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::ListQuery;
use super::api::{body_object, check_enum, empty, ip_allow_list, opt_array, opt_enum, opt_str};
use super::api::{random_secret, reply, req_str, rfc3339_at, ApiError, ApiResult, Authed};
use super::enums::{KEY_VALUE_PLANS, MAXMEMORY_POLICIES, REGIONS};
use super::{list_page, owners, read, write, Clock};
use crate::world::{new_id, now_rfc3339, Emulator};

const VERSION: &str = "8.1.4";

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValue {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub plan: String,
    pub region: String,
    pub maxmemory_policy: String,
    pub ip_allow_list: Value,
    pub environment_id: Option<String>,
    pub password: String,
    pub created_ms: u64,
    pub updated_at: String,
}

impl KeyValue {
    /// The spec's `keyValueDetail` (plus `dashboardUrl`, which the list shape `keyValue` has).
    fn json(&self, clock: &Clock) -> Value {
        let status = if clock.now_ms < self.created_ms + clock.db_ready_ms {
            "creating"
        } else {
            "available"
        };
        let mut out = json!({
            "id": self.id,
            "createdAt": rfc3339_at(self.created_ms),
            "updatedAt": self.updated_at,
            "status": status,
            "region": self.region,
            "plan": self.plan,
            "name": self.name,
            "owner": owners::owner_json(),
            "options": {"maxmemoryPolicy": self.maxmemory_policy},
            "ipAllowList": self.ip_allow_list,
            "version": VERSION,
            "dashboardUrl": format!("https://dashboard.render.com/r/{}", self.id),
        });
        if let Some(env) = &self.environment_id {
            out["environmentId"] = json!(env);
        }
        out
    }
}

fn find<'a>(list: &'a mut [KeyValue], id: &str) -> Result<&'a mut KeyValue, ApiError> {
    list.iter_mut()
        .find(|k| k.id == id)
        .ok_or_else(|| ApiError::not_found("key value instance"))
}

/// GET /key-value — filter ownerId (and name, region as conveniences).
pub async fn list(
    _: Authed,
    State(emu): State<Emulator>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    list_page(&emu, ListQuery(q), "keyValue", |r, clock, q| {
        r.key_values
            .iter()
            .filter(|k| {
                q.allows("ownerId", &k.owner_id)
                    && q.allows("name", &k.name)
                    && q.allows("region", &k.region)
            })
            .map(|k| (k.id.clone(), k.json(clock)))
            .collect()
    })
}

/// POST /key-value — `keyValuePOSTInput` → 201 `keyValueDetail` (status `creating`).
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
    check_enum("plan", &plan, KEY_VALUE_PLANS)?;
    let region = opt_enum(&b, "region", REGIONS)?.unwrap_or_else(|| "oregon".into());
    let policy = opt_enum(&b, "maxmemoryPolicy", MAXMEMORY_POLICIES)?
        .unwrap_or_else(|| "allkeys_lru".into());
    let allow = match opt_array(&b, "ipAllowList")? {
        Some(items) => ip_allow_list(items)?,
        None => json!([]),
    };
    let environment_id = opt_str(&b, "environmentId")?;
    write(&emu, |r, clock| {
        let kv = KeyValue {
            id: new_id("red-"),
            name,
            owner_id,
            plan,
            region,
            maxmemory_policy: policy,
            ip_allow_list: allow,
            environment_id,
            password: random_secret(32),
            created_ms: clock.now_ms,
            updated_at: rfc3339_at(clock.now_ms),
        };
        let out = kv.json(clock);
        r.key_values.push(kv);
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// GET /key-value/{keyValueId}
pub async fn get(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    read(&emu, |r, clock| {
        let k = r.key_values.iter().find(|k| k.id == id);
        let k = k.ok_or_else(|| ApiError::not_found("key value instance"))?;
        Ok(reply(StatusCode::OK, k.json(clock)))
    })
}

/// PATCH /key-value/{keyValueId} — `{name, plan, maxmemoryPolicy, ipAllowList}`.
pub async fn update(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let b = body_object(&body)?;
    let name = opt_str(&b, "name")?.filter(|n| !n.trim().is_empty());
    let plan = opt_enum(&b, "plan", KEY_VALUE_PLANS)?;
    let policy = opt_enum(&b, "maxmemoryPolicy", MAXMEMORY_POLICIES)?;
    let allow = opt_array(&b, "ipAllowList")?
        .map(|items| ip_allow_list(items))
        .transpose()?;
    write(&emu, |r, clock| {
        let k = find(&mut r.key_values, &id)?;
        if let Some(v) = name {
            k.name = v;
        }
        if let Some(v) = plan {
            k.plan = v;
        }
        if let Some(v) = policy {
            k.maxmemory_policy = v;
        }
        if let Some(v) = allow {
            k.ip_allow_list = v;
        }
        k.updated_at = now_rfc3339();
        Ok(reply(StatusCode::OK, k.json(clock)))
    })
}

/// DELETE /key-value/{keyValueId}
pub async fn delete(_: Authed, State(emu): State<Emulator>, Path(id): Path<String>) -> ApiResult {
    write(&emu, |r, _| {
        find(&mut r.key_values, &id)?;
        r.key_values.retain(|k| k.id != id);
        super::log_streams::forget_resource(r, &id);
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /key-value/{keyValueId}/connection-info
pub async fn connection_info(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
) -> ApiResult {
    read(&emu, |r, _| {
        let k = r.key_values.iter().find(|k| k.id == id);
        let k = k.ok_or_else(|| ApiError::not_found("key value instance"))?;
        let external_host = format!("{}-keyvalue.render.com", k.region);
        Ok(reply(
            StatusCode::OK,
            json!({
                "internalConnectionString": format!("redis://{}:6379", k.id),
                "externalConnectionString":
                    format!("rediss://{}:{}@{external_host}:6379", k.id, k.password),
                "cliCommand": format!(
                    "redis-cli --user {} -a {} -h {external_host} -p 6379 --tls",
                    k.id, k.password
                ),
            }),
        ))
    })
}
