//! Environment variables and secret files of a Render service: parsing the create-body arrays,
//! and the `/env-vars` and `/secret-files` routes (list, replace all, get/put/delete one).
//! `generateValue: true` stores a fresh random value, as Render does.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{as_object, body_array, body_object, empty, opt_bool, opt_str, page, reply};
use super::api::{random_secret, req_str, ApiError, ApiResult, Authed, ListQuery, Object};
use super::{read, write};
use crate::world::Emulator;

#[derive(Clone, Serialize, Deserialize)]
pub struct EnvVar {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct SecretFile {
    pub name: String,
    pub content: String,
}

/// The value an `envVarValue`/`envVarGenerateValue` object asks for.
fn value_of(obj: &Object) -> Result<String, ApiError> {
    if let Some(v) = opt_str(obj, "value")? {
        return Ok(v);
    }
    match opt_bool(obj, "generateValue")? {
        Some(true) => Ok(random_secret(32)),
        _ => Err(ApiError::bad_request(
            "each env var needs a value or generateValue: true",
        )),
    }
}

/// An `envVarInputArray`; duplicate keys are rejected.
pub fn parse_env_vars(items: Option<&Vec<Value>>) -> Result<Vec<EnvVar>, ApiError> {
    let mut out: Vec<EnvVar> = Vec::new();
    for item in items.into_iter().flatten() {
        let obj = as_object(item, "env var")?;
        let key = req_str(obj, "key")?;
        if out.iter().any(|e| e.key == key) {
            return Err(ApiError::bad_request(format!(
                "duplicate env var key {key:?}"
            )));
        }
        let value = value_of(obj)?;
        out.push(EnvVar { key, value });
    }
    Ok(out)
}

/// A `secretFileInput` array; duplicate names are rejected.
pub fn parse_secret_files(items: Option<&Vec<Value>>) -> Result<Vec<SecretFile>, ApiError> {
    let mut out: Vec<SecretFile> = Vec::new();
    for item in items.into_iter().flatten() {
        let obj = as_object(item, "secret file")?;
        let name = req_str(obj, "name")?;
        if out.iter().any(|f| f.name == name) {
            return Err(ApiError::bad_request(format!(
                "duplicate secret file {name:?}"
            )));
        }
        let content =
            opt_str(obj, "content")?.ok_or_else(|| ApiError::bad_request("content is required"))?;
        out.push(SecretFile { name, content });
    }
    Ok(out)
}

fn env_json(e: &EnvVar) -> Value {
    json!({"key": e.key, "value": e.value})
}

fn file_json(f: &SecretFile) -> Value {
    json!({"name": f.name, "content": f.content})
}

fn env_page(vars: &[EnvVar], q: &ListQuery) -> ApiResult {
    let items = vars.iter().map(|e| (e.key.clone(), env_json(e))).collect();
    page(items, "envVar", q)
}

fn file_page(files: &[SecretFile], q: &ListQuery) -> ApiResult {
    let items = files
        .iter()
        .map(|f| (f.name.clone(), file_json(f)))
        .collect();
    page(items, "secretFile", q)
}

/// GET /services/{serviceId}/env-vars
pub async fn list_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    read(&emu, |r, _| {
        env_page(&r.service(&id)?.env_vars, &ListQuery(q))
    })
}

/// PUT /services/{serviceId}/env-vars — replace all; answers every variable (all on one page).
pub async fn replace_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let items = body_array(&body)?;
    let vars = parse_env_vars(Some(&items))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        s.env_vars = vars;
        let out: Vec<Value> = s
            .env_vars
            .iter()
            .map(|e| json!({"cursor": e.key, "envVar": env_json(e)}))
            .collect();
        Ok(reply(StatusCode::OK, Value::Array(out)))
    })
}

/// GET /services/{serviceId}/env-vars/{envVarKey}
pub async fn get_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, _| {
        let s = r.service(&id)?;
        let e = s
            .env_vars
            .iter()
            .find(|e| e.key == key)
            .ok_or_else(|| ApiError::not_found("environment variable"))?;
        Ok(reply(StatusCode::OK, env_json(e)))
    })
}

/// PUT /services/{serviceId}/env-vars/{envVarKey} — `{value}` or `{generateValue: true}`; upsert.
pub async fn put_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let value = value_of(&body_object(&body)?)?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let var = EnvVar {
            key: key.clone(),
            value,
        };
        let out = env_json(&var);
        match s.env_vars.iter_mut().find(|e| e.key == key) {
            Some(existing) => *existing = var,
            None => s.env_vars.push(var),
        }
        Ok(reply(StatusCode::OK, out))
    })
}

/// DELETE /services/{serviceId}/env-vars/{envVarKey}
pub async fn delete_env(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, key)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let before = s.env_vars.len();
        s.env_vars.retain(|e| e.key != key);
        if s.env_vars.len() == before {
            return Err(ApiError::not_found("environment variable"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /services/{serviceId}/secret-files
pub async fn list_files(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    read(&emu, |r, _| {
        file_page(&r.service(&id)?.secret_files, &ListQuery(q))
    })
}

/// PUT /services/{serviceId}/secret-files — replace all; answers every file.
pub async fn replace_files(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let items = body_array(&body)?;
    let files = parse_secret_files(Some(&items))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        s.secret_files = files;
        let out: Vec<Value> = s
            .secret_files
            .iter()
            .map(|f| json!({"cursor": f.name, "secretFile": file_json(f)}))
            .collect();
        Ok(reply(StatusCode::OK, Value::Array(out)))
    })
}

/// GET /services/{serviceId}/secret-files/{secretFileName}
pub async fn get_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult {
    read(&emu, |r, _| {
        let s = r.service(&id)?;
        let f = s
            .secret_files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ApiError::not_found("secret file"))?;
        Ok(reply(StatusCode::OK, file_json(f)))
    })
}

/// PUT /services/{serviceId}/secret-files/{secretFileName} — `{content}`; upsert, 201.
pub async fn put_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let content = opt_str(&body_object(&body)?, "content")?
        .ok_or_else(|| ApiError::bad_request("content is required"))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let file = SecretFile {
            name: name.clone(),
            content,
        };
        let out = file_json(&file);
        match s.secret_files.iter_mut().find(|f| f.name == name) {
            Some(existing) => *existing = file,
            None => s.secret_files.push(file),
        }
        Ok(reply(StatusCode::CREATED, out))
    })
}

/// DELETE /services/{serviceId}/secret-files/{secretFileName}
pub async fn delete_file(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let before = s.secret_files.len();
        s.secret_files.retain(|f| f.name != name);
        if s.secret_files.len() == before {
            return Err(ApiError::not_found("secret file"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}
