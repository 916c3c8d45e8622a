//! Vercel project routes: create (`POST /v11/projects`), get / update / delete
//! (`/v9/projects/{idOrName}`), list (`GET /v10/projects`, `from` / `limit` pagination) and the
//! Git link (`POST|DELETE /v9/projects/{idOrName}/link`; spec patch P8: a linked project must be
//! unlinked before another repository is linked).
//! Must not import other vendor modules.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::env_model::{self, EnvVar, Reveal};
use super::validate::{self, CREATE_FIELDS, UPDATE_FIELDS};
use super::{
    bad_request, caller, error, link, parse_object, project_not_found, with_project, Reply,
    VercelState,
};
use crate::world::{new_id, Emulator};

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;
const DEFAULT_REGION: &str = "iad1";

/// A project as the emulator keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub created_at: u64,
    pub updated_at: u64,
    /// Every other field the API returns, by its wire name (settings, `link`, …).
    pub settings: Map<String, Value>,
    #[serde(default)]
    pub env: Vec<EnvVar>,
    /// The project's domains (removed with it).
    #[serde(default)]
    pub domains: Vec<super::domains::Domain>,
    /// The project's deployments (removed with it).
    #[serde(default)]
    pub deployments: Vec<super::deployments::Deployment>,
}

impl Project {
    /// Whether the project has the custom environment `id`.
    pub fn has_custom_environment(&self, id: &str) -> bool {
        self.settings
            .get("customEnvironments")
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|e| e.get("id").and_then(Value::as_str) == Some(id))
            })
    }

    /// The project object of the spec. Env values are shown as stored (never decrypted).
    pub fn to_json(&self) -> Value {
        let mut out = self.settings.clone();
        out.insert("id".into(), json!(self.id));
        out.insert("accountId".into(), json!(self.account_id));
        out.insert("name".into(), json!(self.name));
        out.insert("createdAt".into(), json!(self.created_at));
        out.insert("updatedAt".into(), json!(self.updated_at));
        let env: Vec<Value> = self.env.iter().map(|v| v.render(Reveal::Stored)).collect();
        out.insert("env".into(), json!(env));
        Value::Object(out)
    }
}

/// `resourceConfig` in a body sets the fields it names; the others keep their value (the
/// project's answer always carries the whole object). Checked by `validate` before.
fn merge_resource_config(settings: &mut Map<String, Value>, given: &Value) {
    let mut current = settings
        .get("resourceConfig")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(m) = given.as_object() {
        for (k, v) in m {
            current.insert(k.clone(), v.clone());
        }
    }
    settings.insert("resourceConfig".into(), Value::Object(current));
}

/// `oidcTokenConfig` as stored: what the body names, the spec's defaults (`enabled: true`,
/// `issuerMode: "team"`) for what it leaves out. Checked by `validate` before.
fn oidc_with_defaults(given: &Value) -> Value {
    let mut out = json!({"enabled": true, "issuerMode": "team"});
    if let (Some(o), Some(m)) = (out.as_object_mut(), given.as_object()) {
        for (k, v) in m {
            o.insert(k.clone(), v.clone());
        }
    }
    out
}

/// What a new project reports for fields the request left out.
fn default_settings() -> Map<String, Value> {
    let resources = json!({
        "functionDefaultRegions": [DEFAULT_REGION],
        "fluid": true,
        "functionDefaultTimeout": 300,
        "functionDefaultMemoryType": "standard",
        "elasticConcurrencyEnabled": false,
    });
    let defaults = json!({
        "framework": null,
        "nodeVersion": validate::DEFAULT_NODE_VERSION,
        "buildCommand": null,
        "devCommand": null,
        "installCommand": null,
        "outputDirectory": null,
        "rootDirectory": null,
        "commandForIgnoringBuildStep": null,
        "serverlessFunctionRegion": DEFAULT_REGION,
        "publicSource": null,
        "directoryListing": false,
        "gitForkProtection": true,
        "gitLFS": false,
        "serverlessFunctionZeroConfigFailover": false,
        "autoExposeSystemEnvs": true,
        "autoAssignCustomDomains": true,
        "customerSupportCodeVisibility": false,
        "sourceFilesOutsideRootDirectory": true,
        "previewDeploymentsDisabled": false,
        "enablePreviewFeedback": null,
        "enableProductionFeedback": null,
        "serverlessFunctionZeroConfigFailover": false,
        "skewProtectionMaxAge": 0,
        "ssoProtection": {"deploymentType": "preview"},
        "passwordProtection": null,
        "oidcTokenConfig": {"enabled": true, "issuerMode": "team"},
        "resourceConfig": resources,
        "defaultResourceConfig": resources,
        "live": false,
        "paused": false,
        "tier": "standard",
        "latestDeployments": [],
        "targets": {},
        "customEnvironments": [],
    });
    match defaults {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl VercelState {
    /// The id of the project `id_or_name` names in `account`.
    pub(crate) fn find_project(&self, account: &str, id_or_name: &str) -> Option<String> {
        self.projects
            .values()
            .find(|p| p.account_id == account && (p.id == id_or_name || p.name == id_or_name))
            .map(|p| p.id.clone())
    }

    /// The project `id_or_name` names in `account`, or Vercel's 404.
    pub(crate) fn project_mut(
        &mut self,
        account: &str,
        id_or_name: &str,
    ) -> Result<&mut Project, axum::response::Response> {
        let id = self
            .find_project(account, id_or_name)
            .ok_or_else(project_not_found)?;
        self.projects.get_mut(&id).ok_or_else(project_not_found)
    }

    fn name_taken(&self, account: &str, name: &str, except: &str) -> bool {
        self.projects
            .values()
            .any(|p| p.account_id == account && p.name == name && p.id != except)
    }
}

fn name_conflict(name: &str) -> axum::response::Response {
    error(
        StatusCode::CONFLICT,
        "conflict",
        format!("Project \"{name}\" already exists, please use a new name."),
    )
}

fn checked_name(body: &Map<String, Value>) -> Result<Option<String>, axum::response::Response> {
    match body.get("name") {
        None => Ok(None),
        Some(Value::String(n)) if validate::valid_project_name(n) => Ok(Some(n.clone())),
        Some(_) => Err(bad_request(validate::NAME_RULE)),
    }
}

pub async fn create(
    State(emu): State<Emulator>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    let name = checked_name(&body)?
        .ok_or_else(|| bad_request("Invalid request: missing required property `name`."))?;
    validate::check_fields(&body, CREATE_FIELDS).map_err(bad_request)?;
    let env_items = body
        .get("environmentVariables")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let inputs = env_model::inputs_for_new_project(&env_items).map_err(bad_request)?;
    let mut settings = default_settings();
    for (key, value) in &body {
        if key == "resourceConfig" {
            merge_resource_config(&mut settings, value);
        } else if key == "oidcTokenConfig" {
            settings.insert(key.clone(), oidc_with_defaults(value));
        } else if !matches!(
            key.as_str(),
            "name" | "gitRepository" | "environmentVariables" | "skipGitConnectDuringLink"
        ) {
            settings.insert(key.clone(), value.clone());
        }
    }
    let project = emu.with_world(|w| {
        let state = &mut w.vercel;
        if state.name_taken(&account, &name, "") {
            return Err(name_conflict(&name));
        }
        let now = state.stamp();
        if let Some(Value::Object(git)) = body.get("gitRepository") {
            settings.insert("link".into(), link::build(git, now).map_err(bad_request)?);
        }
        let project = Project {
            id: new_id("prj_"),
            account_id: account.clone(),
            name: name.clone(),
            created_at: now,
            updated_at: now,
            settings,
            env: inputs.into_iter().map(|i| i.into_var(now)).collect(),
            domains: Vec::new(),
            deployments: Vec::new(),
        };
        let json = project.to_json();
        state.projects.insert(project.id.clone(), project);
        Ok(json)
    })?;
    Ok(Json(project).into_response())
}

pub async fn get(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let found = emu.with_world(|w| {
        let id = w.vercel.find_project(&account, &id_or_name)?;
        w.vercel.projects.get(&id).map(Project::to_json)
    });
    found
        .map(|p| Json(p).into_response())
        .ok_or_else(project_not_found)
}

pub async fn update(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    let rename = checked_name(&body)?;
    validate::check_fields(&body, UPDATE_FIELDS).map_err(bad_request)?;
    let updated = emu.with_world(|w| {
        let state = &mut w.vercel;
        let id = state
            .find_project(&account, &id_or_name)
            .ok_or_else(project_not_found)?;
        if let Some(name) = &rename {
            if state.name_taken(&account, name, &id) {
                return Err(name_conflict(name));
            }
        }
        let now = state.stamp();
        let project = state.projects.get_mut(&id).ok_or_else(project_not_found)?;
        for (key, mut value) in body.into_iter().filter(|(k, _)| k != "name") {
            // Vercel keeps the password to itself: answers carry only `deploymentType`.
            if key == "passwordProtection" {
                if let Some(m) = value.as_object_mut() {
                    m.remove("password");
                }
            }
            if key == "resourceConfig" {
                merge_resource_config(&mut project.settings, &value);
                continue;
            }
            if key == "oidcTokenConfig" {
                value = oidc_with_defaults(&value);
            }
            project.settings.insert(key, value);
        }
        if let Some(name) = rename {
            project.name = name;
        }
        project.updated_at = now;
        Ok(project.to_json())
    })?;
    Ok(Json(updated).into_response())
}

/// `POST /v9/projects/{idOrName}/link`: connect a repository (`{type, repo}`) in place.
pub async fn link(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let git = parse_object(&body)?;
    let linked = with_project(&emu, &account, &id_or_name, |project, now| {
        if project.settings.get("link").is_some_and(|l| !l.is_null()) {
            return Err(bad_request(
                "The project is already connected to a Git repository: disconnect it first.",
            ));
        }
        let link = link::build(&git, now).map_err(bad_request)?;
        project.settings.insert("link".into(), link);
        project.updated_at = now;
        Ok(project.to_json())
    })?;
    Ok(Json(linked).into_response())
}

/// `DELETE /v9/projects/{idOrName}/link`: disconnect the repository (the project stays).
pub async fn unlink(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let unlinked = with_project(&emu, &account, &id_or_name, |project, now| {
        if project.settings.remove("link").is_some() {
            project.updated_at = now;
        }
        Ok(project.to_json())
    })?;
    Ok(Json(unlinked).into_response())
}

pub async fn delete(
    State(emu): State<Emulator>,
    Path(id_or_name): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let removed = emu.with_world(|w| {
        let id = w.vercel.find_project(&account, &id_or_name)?;
        w.vercel.projects.remove(&id)
    });
    removed
        .map(|_| StatusCode::NO_CONTENT.into_response())
        .ok_or_else(project_not_found)
}

/// Newest `updatedAt` first. `from` continues after the `pagination.next` of the previous page
/// (projects updated strictly before it); `search` matches names, `repo` the linked repository.
pub async fn list(
    State(emu): State<Emulator>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(bad_request(
                    "Invalid request: `limit` should be a number from 1 to 100.",
                ))
            }
        },
    };
    let from = match query.get("from") {
        None => None,
        Some(f) => Some(
            f.parse::<u64>()
                .map_err(|_| bad_request("Invalid request: `from` should be a timestamp."))?,
        ),
    };
    let search = query.get("search").map(|s| s.to_ascii_lowercase());
    let repo = query.get("repo");
    let mut projects: Vec<Project> = emu.with_world(|w| {
        w.vercel
            .projects
            .values()
            .filter(|p| p.account_id == account)
            .filter(|p| from.is_none_or(|f| p.updated_at < f))
            .filter(|p| search.as_ref().is_none_or(|s| p.name.contains(s.as_str())))
            .filter(|p| {
                repo.is_none_or(|r| {
                    p.settings.get("link").and_then(link::repo_of).as_ref() == Some(r)
                })
            })
            .cloned()
            .collect()
    });
    projects.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
    let more = projects.len() > limit;
    projects.truncate(limit);
    let next = match (more, projects.last()) {
        (true, Some(last)) => json!(last.updated_at),
        _ => Value::Null,
    };
    let prev = projects
        .first()
        .map_or(Value::Null, |p| json!(p.updated_at));
    let body = json!({
        "projects": projects.iter().map(Project::to_json).collect::<Vec<_>>(),
        "pagination": {"count": projects.len(), "next": next, "prev": prev},
    });
    Ok(Json(body).into_response())
}
