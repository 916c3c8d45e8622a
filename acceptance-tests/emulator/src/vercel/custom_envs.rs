//! Vercel custom environments (`/v9/projects/{idOrName}/custom-environments` list / create,
//! `…/{environmentSlugOrId}` get / patch / delete), from `vercel.openapi.json`. They live inside
//! their project as its `customEnvironments` (deleting the project removes them; a domain's
//! `customEnvironmentId` is checked against them). Must not import other vendor modules.
//!
//! Behaviour worth knowing:
//! - `slug` is required at create, at most 32 characters, unique in the project (case-insensitive)
//!   and never `production`, `preview` or `development` (the spec: "Cannot be named 'Production'
//!   or 'Preview'"); a clash is `400 bad_request` (the operation declares no 409).
//! - A custom environment is always of `type` `preview` here (Vercel's default for new ones).
//! - `branchMatcher` is `{type: equals|startsWith|endsWith, pattern ≤ 100}`; PATCH with `null`
//!   clears it. The list filters by `gitBranch` (the environments whose matcher takes it).
//! - Delete removes the id from every env var's `customEnvironmentIds`; with
//!   `deleteUnassignedEnvironmentVariables: true` variables left with no target are deleted too.
//! - The account limit is 12 per project (`accountLimit.total`); a 13th is `400`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::projects::Project;
use super::{bad_request, caller, error, parse_body, parse_object, Reply};
use crate::world::{new_id, Emulator};

const MAX_ENVIRONMENTS: usize = 12;
const RESERVED: [&str; 3] = ["production", "preview", "development"];
const MATCHERS: [&str; 3] = ["equals", "startsWith", "endsWith"];

fn env_not_found(slug_or_id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("The custom environment \"{slug_or_id}\" was not found."),
    )
}

/// The project's environments as stored (JSON objects in the spec's shape).
fn list_of(p: &Project) -> Vec<Value> {
    p.settings
        .get("customEnvironments")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn store(p: &mut Project, list: Vec<Value>) {
    p.settings
        .insert("customEnvironments".into(), Value::Array(list));
}

fn field<'a>(e: &'a Value, k: &str) -> Option<&'a str> {
    e.get(k).and_then(Value::as_str)
}

fn matches(e: &Value, slug_or_id: &str) -> bool {
    field(e, "id") == Some(slug_or_id) || field(e, "slug") == Some(slug_or_id)
}

/// The fields a create or update body may carry, checked the way the spec's validator words it.
fn check_body(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), Response> {
    for (key, value) in body {
        if !allowed.contains(&key.as_str()) {
            return Err(bad_request(format!(
                "Invalid request: should NOT have additional property `{key}`."
            )));
        }
        let ok = match key.as_str() {
            "slug" => value.as_str().is_some_and(|s| s.chars().count() <= 32),
            "description" => value.as_str().is_some_and(|s| s.chars().count() <= 256),
            "copyEnvVarsFrom" => value.is_string(),
            "branchMatcher" => value.is_null() || valid_matcher(value),
            _ => true,
        };
        if !ok {
            return Err(bad_request(format!("Invalid request: `{key}` is invalid.")));
        }
    }
    Ok(())
}

fn valid_matcher(v: &Value) -> bool {
    let kind = field(v, "type").is_some_and(|t| MATCHERS.contains(&t));
    let pattern = field(v, "pattern").is_some_and(|p| !p.is_empty() && p.chars().count() <= 100);
    let extra = v
        .as_object()
        .is_some_and(|m| m.keys().any(|k| k != "type" && k != "pattern"));
    kind && pattern && !extra
}

/// The slug rule: not reserved, not taken by another environment of the project.
fn check_slug(list: &[Value], slug: &str, except: Option<&str>) -> Result<(), Response> {
    let lower = slug.to_ascii_lowercase();
    if slug.is_empty() || RESERVED.contains(&lower.as_str()) {
        return Err(bad_request(format!(
            "Cannot name a custom environment \"{slug}\": the names Production, Preview and Development are reserved."
        )));
    }
    let taken = list.iter().any(|e| {
        field(e, "id") != except && field(e, "slug").is_some_and(|s| s.eq_ignore_ascii_case(slug))
    });
    if taken {
        return Err(bad_request(format!(
            "A custom environment named \"{slug}\" already exists in this project."
        )));
    }
    Ok(())
}

/// Does the environment's matcher take `branch`?
fn takes_branch(e: &Value, branch: &str) -> bool {
    let Some(m) = e.get("branchMatcher").filter(|m| m.is_object()) else {
        return false;
    };
    let pattern = field(m, "pattern").unwrap_or_default();
    match field(m, "type") {
        Some("equals") => branch == pattern,
        Some("startsWith") => branch.starts_with(pattern),
        Some("endsWith") => branch.ends_with(pattern),
        _ => false,
    }
}

/// Run `f` on the named project with a fresh timestamp; its answer is the reply.
fn with_project(
    emu: &Emulator,
    account: &str,
    id_or_name: &str,
    f: impl FnOnce(&mut Project, u64) -> Result<(StatusCode, Value), Response>,
) -> Reply {
    let (status, body) = super::with_project(emu, account, id_or_name, f)?;
    Ok((status, Json(body)).into_response())
}

pub async fn create(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    check_body(
        &body,
        &["slug", "description", "branchMatcher", "copyEnvVarsFrom"],
    )?;
    let slug = body
        .get("slug")
        .and_then(Value::as_str)
        .ok_or_else(|| bad_request("Invalid request: missing required property `slug`."))?
        .to_string();
    with_project(&emu, &account, &id_or_name, |project, now| {
        let mut list = list_of(project);
        check_slug(&list, &slug, None)?;
        if list.len() >= MAX_ENVIRONMENTS {
            return Err(bad_request(format!(
                "This project already has {MAX_ENVIRONMENTS} custom environments, the most the plan allows."
            )));
        }
        let id = new_id("env_");
        if let Some(from) = body.get("copyEnvVarsFrom").and_then(Value::as_str) {
            let source = from.to_string();
            let known = RESERVED.contains(&from) || list.iter().any(|e| matches(e, from));
            if !known {
                return Err(env_not_found(from));
            }
            for var in &mut project.env {
                let copies = var.target.contains(&source)
                    || list
                        .iter()
                        .find(|e| matches(e, &source))
                        .and_then(|e| field(e, "id"))
                        .is_some_and(|eid| var.custom_environment_ids.iter().any(|c| c == eid));
                if copies {
                    var.custom_environment_ids.push(id.clone());
                }
            }
        }
        let env = without_nulls(json!({
            "id": id,
            "slug": slug,
            "type": "preview",
            "description": body.get("description").and_then(Value::as_str).unwrap_or_default(),
            "branchMatcher": body.get("branchMatcher").filter(|m| m.is_object()),
            "domains": [],
            "currentDeploymentAliases": [],
            "createdAt": now,
            "updatedAt": now,
        }));
        list.push(env.clone());
        store(project, list);
        project.updated_at = now;
        Ok((StatusCode::CREATED, env))
    })
}

/// The spec's object has no nullable member (nor has the project's `customEnvironments`): an
/// absent matcher is left out.
fn without_nulls(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.retain(|_, x| !x.is_null());
    }
    v
}

/// The environment with the project's domains that serve it.
fn render(project: &Project, e: &Value) -> Value {
    let mut out = without_nulls(e.clone());
    let id = field(e, "id").unwrap_or_default();
    let domains: Vec<Value> = project
        .domains
        .iter()
        .filter(|d| d.custom_environment_id.as_deref() == Some(id))
        .map(|d| {
            json!({
                "name": d.name,
                "apexName": super::domains::apex(&d.name),
                "projectId": project.id,
                "customEnvironmentId": id,
                "verified": d.verified,
                "createdAt": d.created_at,
                "updatedAt": d.updated_at,
            })
        })
        .collect();
    out["domains"] = json!(domains);
    out
}

pub async fn list(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let branch = query.get("gitBranch").cloned();
    with_project(&emu, &account, &id_or_name, |project, _| {
        let envs: Vec<Value> = list_of(project)
            .iter()
            .filter(|e| branch.as_deref().is_none_or(|b| takes_branch(e, b)))
            .map(|e| render(project, e))
            .collect();
        Ok((
            StatusCode::OK,
            json!({"accountLimit": {"total": MAX_ENVIRONMENTS}, "environments": envs}),
        ))
    })
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((id_or_name, slug_or_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    with_project(&emu, &account, &id_or_name, |project, _| {
        let list = list_of(project);
        let e = list
            .iter()
            .find(|e| matches(e, &slug_or_id))
            .ok_or_else(|| env_not_found(&slug_or_id))?;
        Ok((StatusCode::OK, render(project, e)))
    })
}

pub async fn update(
    State(emu): State<Emulator>,
    Path((id_or_name, slug_or_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    check_body(&body, &["slug", "description", "branchMatcher"])?;
    with_project(&emu, &account, &id_or_name, |project, now| {
        let mut list = list_of(project);
        let at = list
            .iter()
            .position(|e| matches(e, &slug_or_id))
            .ok_or_else(|| env_not_found(&slug_or_id))?;
        let id = field(&list[at], "id").map(str::to_string);
        if let Some(slug) = body.get("slug").and_then(Value::as_str) {
            check_slug(&list, slug, id.as_deref())?;
        }
        let e = &mut list[at];
        if let Value::Object(m) = e {
            for (key, value) in &body {
                if value.is_null() {
                    m.remove(key);
                } else {
                    m.insert(key.clone(), value.clone());
                }
            }
        }
        e["updatedAt"] = json!(now);
        let out = e.clone();
        store(project, list);
        project.updated_at = now;
        Ok((StatusCode::OK, render(project, &out)))
    })
}

pub async fn remove(
    State(emu): State<Emulator>,
    Path((id_or_name, slug_or_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = match parse_body(&body)? {
        Value::Null => Map::new(),
        _ => parse_object(&body)?,
    };
    if body
        .keys()
        .any(|k| k != "deleteUnassignedEnvironmentVariables")
    {
        return Err(bad_request(
            "Invalid request: should NOT have additional properties.",
        ));
    }
    let purge = body
        .get("deleteUnassignedEnvironmentVariables")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    with_project(&emu, &account, &id_or_name, |project, now| {
        let mut list = list_of(project);
        let at = list
            .iter()
            .position(|e| matches(e, &slug_or_id))
            .ok_or_else(|| env_not_found(&slug_or_id))?;
        let gone = list.remove(at);
        let id = field(&gone, "id").unwrap_or_default().to_string();
        for var in &mut project.env {
            var.custom_environment_ids.retain(|c| *c != id);
        }
        if purge {
            project
                .env
                .retain(|v| !v.target.is_empty() || !v.custom_environment_ids.is_empty());
        }
        for d in &mut project.domains {
            if d.custom_environment_id.as_deref() == Some(id.as_str()) {
                d.custom_environment_id = None;
            }
        }
        let out = render(project, &gone);
        store(project, list);
        project.updated_at = now;
        Ok((StatusCode::OK, out))
    })
}
