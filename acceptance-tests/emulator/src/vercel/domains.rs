//! Vercel project domains (`/v10/projects/{idOrName}/domains`, list `/v9/projects/{idOrName}/domains`, `/v9/projects/{idOrName}/domains/
//! {domain}` get / patch / delete, `…/verify`) and the domain configuration (`GET /v6/domains/
//! {domain}/config`), from `vercel.openapi.json`. Domains live inside their project (deleting a
//! project removes them). Must not import other vendor modules.
//!
//! Verification as Vercel does it: a domain is verified when it is added unless a project of
//! *another* account already holds a domain under the same apex; then it carries a TXT challenge
//! (`_vercel.<apex>`), and `verify` succeeds once that other account no longer holds the apex
//! (the emulator has no DNS to publish the TXT record in). The apex is the last two labels.
//! The config endpoint reports every domain as misconfigured (no DNS resolves to the emulator)
//! and recommends Vercel's documented targets: CNAME `cname.vercel-dns.com.` and A `76.76.21.21`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::validate::{check_fields, Field, Kind};
use super::VercelState;
use super::{bad_request, caller, error, parse_body, parse_object, project_not_found, Reply};
use crate::world::Emulator;

pub const RECOMMENDED_CNAME: &str = "cname.vercel-dns.com.";
pub const RECOMMENDED_IPV4: &str = "76.76.21.21";

const ADD_FIELDS: &[Field] = &[
    ("name", Kind::Str(253), false),
    ("gitBranch", Kind::Str(250), true),
    ("customEnvironmentId", Kind::Str(256), false),
    ("redirect", Kind::Str(253), true),
    ("redirectStatusCode", Kind::Int, true),
];
const UPDATE_FIELDS: &[Field] = &[
    ("gitBranch", Kind::Str(250), true),
    ("redirect", Kind::Str(253), true),
    ("redirectStatusCode", Kind::Int, true),
];
const REDIRECT_CODES: [i64; 4] = [301, 302, 307, 308];

/// A domain of a project, as the emulator keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    pub redirect: Option<String>,
    pub redirect_status_code: Option<i64>,
    pub git_branch: Option<String>,
    pub custom_environment_id: Option<String>,
    pub verified: bool,
    pub created_at: u64,
    pub updated_at: u64,
}

/// The registrable part of a name: its last two labels.
pub fn apex(name: &str) -> String {
    let labels: Vec<&str> = name.split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

fn valid_domain(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

impl Domain {
    fn to_json(&self, project_id: &str, with_verification: bool) -> Value {
        let mut out = json!({
            "name": self.name,
            "apexName": apex(&self.name),
            "projectId": project_id,
            "redirect": self.redirect,
            "redirectStatusCode": self.redirect_status_code,
            "gitBranch": self.git_branch,
            "customEnvironmentId": self.custom_environment_id,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "verified": self.verified,
        });
        if with_verification && !self.verified {
            out["verification"] = json!([{
                "type": "TXT",
                "domain": format!("_vercel.{}", apex(&self.name)),
                "value": format!("vc-domain-verify={},{:016x}", self.name, fnv(&self.name)),
                "reason": "pending_domain_verification",
            }]);
        }
        out
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl VercelState {
    /// Whether a project of an account other than `account` holds a domain under `apex`.
    fn apex_held_elsewhere(&self, account: &str, apex_name: &str) -> bool {
        self.projects
            .values()
            .filter(|p| p.account_id != account)
            .any(|p| p.domains.iter().any(|d| apex(&d.name) == apex_name))
    }
}

fn domain_not_found(name: &str) -> axum::response::Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("The domain \"{name}\" is not assigned to this project."),
    )
}

fn str_field(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// `redirectStatusCode` must be one of the spec's codes and comes with a `redirect`.
fn check_redirect(
    redirect: &Option<String>,
    code: Option<i64>,
    name: &str,
) -> Result<(), axum::response::Response> {
    if let Some(c) = code {
        if !REDIRECT_CODES.contains(&c) {
            return Err(bad_request(
                "Invalid request: `redirectStatusCode` should be equal to one of the allowed values 301, 302, 307, 308.",
            ));
        }
        if redirect.is_none() {
            return Err(bad_request(
                "Invalid request: `redirectStatusCode` needs a `redirect`.",
            ));
        }
    }
    if let Some(r) = redirect {
        if r == name {
            return Err(bad_request("A domain cannot redirect to itself."));
        }
        if !valid_domain(r) {
            return Err(bad_request(format!("Invalid redirect domain \"{r}\".")));
        }
    }
    Ok(())
}

pub async fn add(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    check_fields(&body, ADD_FIELDS).map_err(bad_request)?;
    let name = str_field(&body, "name")
        .ok_or_else(|| bad_request("Invalid request: missing required property `name`."))?;
    if !valid_domain(&name) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid_domain",
            format!("The domain \"{name}\" is not valid."),
        ));
    }
    let redirect = str_field(&body, "redirect");
    let code = body.get("redirectStatusCode").and_then(Value::as_i64);
    let custom_env = str_field(&body, "customEnvironmentId");
    let out = emu.with_world(|w| {
        let state = &mut w.vercel;
        if state
            .projects
            .values()
            .any(|p| p.account_id == account && p.domains.iter().any(|d| d.name == name))
        {
            return Err(error(
                StatusCode::CONFLICT,
                "domain_already_in_use",
                format!("The domain \"{name}\" is already assigned to a project."),
            ));
        }
        let verified = !state.apex_held_elsewhere(&account, &apex(&name));
        let now = state.stamp();
        let project = state.project_mut(&account, &id_or_name)?;
        check_redirect(&redirect, code, &name)?;
        if let Some(env) = &custom_env {
            if !project.has_custom_environment(env) {
                return Err(bad_request(format!(
                    "The custom environment \"{env}\" does not exist in this project."
                )));
            }
        }
        let domain = Domain {
            name: name.clone(),
            redirect,
            redirect_status_code: code,
            git_branch: str_field(&body, "gitBranch"),
            custom_environment_id: custom_env,
            verified,
            created_at: now,
            updated_at: now,
        };
        let json = domain.to_json(&project.id, true);
        project.domains.push(domain);
        Ok(json)
    })?;
    Ok(Json(out).into_response())
}

/// Run `f` on the named domain of the named project; its answer is the reply body.
fn with_domain(
    emu: &Emulator,
    account: &str,
    id_or_name: &str,
    name: &str,
    f: impl FnOnce(&mut VercelState, &str) -> Result<Value, axum::response::Response>,
) -> Reply {
    let out = emu.with_world(|w| {
        let state = &mut w.vercel;
        let project = state.project_mut(account, id_or_name)?;
        if !project.domains.iter().any(|d| d.name == name) {
            return Err(domain_not_found(name));
        }
        let pid = project.id.clone();
        f(state, &pid)
    })?;
    Ok(Json(out).into_response())
}

fn domain_mut<'a>(state: &'a mut VercelState, pid: &str, name: &str) -> Option<&'a mut Domain> {
    state
        .projects
        .get_mut(pid)?
        .domains
        .iter_mut()
        .find(|d| d.name == name)
}

pub async fn get(
    State(emu): State<Emulator>,
    Path((id_or_name, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    with_domain(&emu, &account, &id_or_name, &name, |state, pid| {
        let d = domain_mut(state, pid, &name).ok_or_else(|| domain_not_found(&name))?;
        Ok(d.to_json(pid, true))
    })
}

pub async fn update(
    State(emu): State<Emulator>,
    Path((id_or_name, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    check_fields(&body, UPDATE_FIELDS).map_err(bad_request)?;
    with_domain(&emu, &account, &id_or_name, &name, |state, pid| {
        let now = state.stamp();
        let d = domain_mut(state, pid, &name).ok_or_else(|| domain_not_found(&name))?;
        let mut next = d.clone();
        if body.contains_key("gitBranch") {
            next.git_branch = str_field(&body, "gitBranch");
        }
        if body.contains_key("redirect") {
            next.redirect = str_field(&body, "redirect");
            if next.redirect.is_none() {
                next.redirect_status_code = None;
            }
        }
        if body.contains_key("redirectStatusCode") {
            next.redirect_status_code = body.get("redirectStatusCode").and_then(Value::as_i64);
        }
        check_redirect(&next.redirect, next.redirect_status_code, &name)?;
        next.updated_at = now;
        *d = next;
        Ok(d.to_json(pid, true))
    })
}

pub async fn remove(
    State(emu): State<Emulator>,
    Path((id_or_name, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    if !parse_body(&body)?.is_null() {
        parse_object(&body)?;
    }
    with_domain(&emu, &account, &id_or_name, &name, |state, pid| {
        if let Some(p) = state.projects.get_mut(pid) {
            p.domains.retain(|d| d.name != name);
        }
        Ok(json!({}))
    })
}

pub async fn verify(
    State(emu): State<Emulator>,
    Path((id_or_name, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    with_domain(&emu, &account, &id_or_name, &name, |state, pid| {
        let held = state.apex_held_elsewhere(&account, &apex(&name));
        let d = domain_mut(state, pid, &name).ok_or_else(|| domain_not_found(&name))?;
        if !d.verified && held {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "missing_txt_record",
                format!(
                    "Domain {name} was not verified: the TXT record _vercel.{} was not found.",
                    apex(&name)
                ),
            ));
        }
        d.verified = true;
        Ok(d.to_json(pid, false))
    })
}

/// `GET /v6/domains/{domain}/config`: how the domain should be pointed at Vercel.
pub async fn config(
    State(emu): State<Emulator>,
    Path(name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    if !valid_domain(&name) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid_domain",
            format!("The domain \"{name}\" is not valid."),
        ));
    }
    if let Some(p) = query.get("projectIdOrName") {
        let found = emu.with_world(|w| w.vercel.find_project(&account, p));
        if found.is_none() {
            return Err(project_not_found());
        }
    }
    let body = json!({
        "configuredBy": null,
        "acceptedChallenges": ["http-01"],
        "recommendedIPv4": [{"rank": 1, "value": [RECOMMENDED_IPV4]}],
        "recommendedCNAME": [{"rank": 1, "value": RECOMMENDED_CNAME}],
        "misconfigured": true,
    });
    Ok(Json(body).into_response())
}

/// `GET /v9/projects/{idOrName}/domains`: newest first (`order` DESC by default), `limit` up to
/// 100, the next page by `until` = the `pagination.next` creation time of the last one served.
pub async fn list(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let number = |k: &str| -> Result<Option<u64>, axum::response::Response> {
        query
            .get(k)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| bad_request(format!("Invalid request: `{k}` should be a number.")))
            })
            .transpose()
    };
    let limit = number("limit")?.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad_request(
            "Invalid request: `limit` should be a number from 1 to 100.",
        ));
    }
    let (since, until) = (number("since")?, number("until")?);
    let ascending = match query.get("order").map(String::as_str) {
        None | Some("DESC") => false,
        Some("ASC") => true,
        Some(_) => {
            return Err(bad_request(
                "Invalid request: `order` should be ASC or DESC.",
            ))
        }
    };
    let out = emu.with_world(|w| {
        let state = &mut w.vercel;
        let project = state.project_mut(&account, &id_or_name)?;
        let pid = project.id.clone();
        let mut found: Vec<&Domain> = project
            .domains
            .iter()
            .filter(|d| since.is_none_or(|s| d.created_at > s))
            .filter(|d| until.is_none_or(|u| d.created_at < u))
            .collect();
        found.sort_by_key(|d| d.created_at);
        if !ascending {
            found.reverse();
        }
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next = match (more, found.last()) {
            (true, Some(d)) => json!(d.created_at),
            _ => Value::Null,
        };
        let prev = found.first().map_or(Value::Null, |d| json!(d.created_at));
        Ok::<_, axum::response::Response>(json!({
            "domains": found.iter().map(|d| d.to_json(&pid, true)).collect::<Vec<_>>(),
            "pagination": {"count": found.len(), "next": next, "prev": prev},
        }))
    })?;
    Ok(Json(out).into_response())
}
