//! Vercel deployments of a project's Git repository: create (`POST /v13/deployments` with
//! `gitSource`), get (`GET /v13/deployments/{idOrUrl}`) and promote
//! (`POST /v10/projects/{projectId}/promote/{deploymentId}`, documented by Vercel but missing from
//! the trimmed spec, see the contract's `OUTSIDE_THE_SPECS`). Deployments live inside their
//! project (deleting the project removes them). Must not import other vendor modules.
//!
//! Behaviour worth knowing:
//! - `readyState` is computed on every read from the creation time and `Config::deploy_ms` as it
//!   was at creation (no background tasks): `QUEUED` for the first quarter, `BUILDING` until the
//!   end, then `READY`, or `ERROR` with `errorCode` / `errorMessage` / `errorStep` when the
//!   deployment's project id, `gitSource.ref` or `gitSource.sha` is listed in
//!   `Config::fail_deploys` (`--fail-deploy`).
//! - `gitSource` is the only source modelled (no `files`): the project must have a Git link, and
//!   the source must name the linked repository (`repoId` / `org`+`repo` for GitHub, `projectId`
//!   for GitLab, `repoUuid` / `owner`+`slug` for Bitbucket); otherwise `400`.
//! - A `production` deployment that is read `READY` becomes the project's `targets.production`
//!   (`readySubstate: PROMOTED`), as Vercel assigns production domains to it. Promote makes a
//!   `READY` deployment of the project the production one at once and answers `201` with no body;
//!   a deployment that is not `READY` is `400`, one of another project `404`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::projects::Project;
use super::{bad_request, caller, error, parse_object, project_not_found, Reply};
use crate::world::{new_id, now_millis, Emulator};

/// A deployment as the emulator keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Deployment {
    pub id: String,
    pub url: String,
    pub name: String,
    pub created_ms: u64,
    /// How long the build takes (`Config::deploy_ms` at creation).
    pub duration_ms: u64,
    /// Decided at creation (see the module header).
    pub fails: bool,
    /// `production`, `staging` or none (preview).
    pub target: Option<String>,
    pub git_source: Value,
    /// Whether it has been the project's production deployment.
    #[serde(default)]
    pub promoted: bool,
}

impl Deployment {
    /// `readyState` at `now_ms`.
    pub fn ready_state(&self, now_ms: u64) -> &'static str {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        if elapsed >= self.duration_ms {
            if self.fails {
                "ERROR"
            } else {
                "READY"
            }
        } else if elapsed < self.duration_ms / 4 {
            "QUEUED"
        } else {
            "BUILDING"
        }
    }

    /// The deployment object of the spec (the fields `getDeployment` and `createDeployment`
    /// require, and the error fields of a failed one).
    fn to_json(&self, p: &Project, now_ms: u64) -> Value {
        let state = self.ready_state(now_ms);
        let building_at = self.created_ms + self.duration_ms / 4;
        let mut out = json!({
            "id": self.id, "url": self.url, "name": self.name,
            "projectId": p.id, "ownerId": p.account_id,
            "createdAt": self.created_ms, "buildingAt": building_at, "bootedAt": self.created_ms,
            "readyState": state, "status": state,
            "target": self.target, "gitSource": self.git_source,
            "type": "LAMBDAS", "version": 2, "plan": "hobby", "createdIn": "sfo1",
            "regions": ["iad1"], "meta": {}, "env": [], "build": {"env": []}, "routes": null,
            "projectSettings": {}, "public": false, "buildSkipped": false,
            "aliasAssigned": state == "READY" && self.target.is_some(),
            "isInConcurrentBuildsQueue": false, "isInSystemBuildsQueue": false,
            "creator": {"uid": p.account_id},
            "inspectorUrl": format!("https://vercel.com/{}/{}/{}", p.account_id, p.name, self.id),
            "project": {"id": p.id, "name": p.name},
        });
        if let Some(o) = out.as_object_mut() {
            match state {
                "READY" => {
                    let sub = if self.promoted { "PROMOTED" } else { "STAGED" };
                    o.insert("readySubstate".into(), json!(sub));
                    o.insert("ready".into(), json!(self.created_ms + self.duration_ms));
                }
                "ERROR" => {
                    o.insert("errorCode".into(), json!("BUILD_UTILS_SPAWN_1"));
                    o.insert(
                        "errorMessage".into(),
                        json!("Command \"npm run build\" exited with 1"),
                    );
                    o.insert("errorStep".into(), json!("build"));
                    o.insert(
                        "buildErrorAt".into(),
                        json!(self.created_ms + self.duration_ms),
                    );
                }
                _ => {}
            }
        }
        out
    }
}

fn deployment_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The deployment could not be found.",
    )
}

fn str_of<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// The repository key of a link or a `gitSource` (numbers and strings compare alike).
fn repo_key(v: &Value) -> Option<String> {
    let any = |k: &str| {
        v.get(k).and_then(|x| match x {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    match str_of(v, "type")? {
        "gitlab" => any("projectId"),
        "bitbucket" => any("repoUuid")
            .or_else(|| any("uuid"))
            .or_else(|| Some(format!("{}/{}", any("owner")?, any("slug")?))),
        _ => any("repoId").or_else(|| Some(format!("{}/{}", any("org")?, any("repo")?))),
    }
}

/// Whether `source` names the repository of `link` (either of its two spellings).
fn same_repository(link: &Value, source: &Value) -> bool {
    let Some(kind) = str_of(source, "type") else {
        return false;
    };
    let base = |t: &str| t.trim_end_matches("-limited").to_string();
    if str_of(link, "type").map(base) != Some(base(kind)) {
        return false;
    }
    let by_name = match kind {
        "bitbucket" => str_of(source, "owner")
            .zip(str_of(source, "slug"))
            .is_some_and(|(o, s)| {
                str_of(link, "owner") == Some(o) && str_of(link, "slug") == Some(s)
            }),
        "gitlab" => false,
        _ => str_of(source, "org")
            .zip(str_of(source, "repo"))
            .is_some_and(|(o, r)| {
                str_of(link, "org") == Some(o) && str_of(link, "repo") == Some(r)
            }),
    };
    by_name || repo_key(link).is_some_and(|k| repo_key(source) == Some(k))
}

pub async fn create(
    State(emu): State<Emulator>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let body = parse_object(&body)?;
    let project_ref = body
        .get("project")
        .or_else(|| body.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let source = body.get("gitSource").cloned().ok_or_else(|| {
        bad_request("Invalid request: missing required property `gitSource` (file uploads are not emulated).")
    })?;
    let git_ref = str_of(&source, "ref").unwrap_or_default().to_string();
    if git_ref.is_empty() {
        return Err(bad_request(
            "Invalid request: `gitSource` missing required property `ref`.",
        ));
    }
    let target = match body.get("target").and_then(Value::as_str) {
        None => None,
        Some(t @ ("production" | "staging")) => Some(t.to_string()),
        Some(other) => {
            return Err(bad_request(format!(
                "Invalid request: `target` {other:?} is not production, staging or a custom environment of the project."
            )))
        }
    };
    let sha = str_of(&source, "sha").unwrap_or_default().to_string();
    emu.with_world(|w| {
        let state = &mut w.vercel;
        state.stamp();
        let p = state.project_mut(&account, &project_ref)?;
        let link = p.settings.get("link").cloned().unwrap_or(Value::Null);
        if !link.is_object() {
            return Err(bad_request(format!(
                "The project \"{}\" is not connected to a Git repository.",
                p.name
            )));
        }
        if !same_repository(&link, &source) {
            return Err(bad_request(
                "The `gitSource` repository is not the one connected to the project.",
            ));
        }
        let fails = emu
            .config
            .deploy_fails(&[p.id.as_str(), git_ref.as_str(), sha.as_str()]);
        let id = new_id("dpl_");
        let d = Deployment {
            url: format!("{}-{}.vercel.app", p.name, &id[4..13.min(id.len())]),
            id,
            name: p.name.clone(),
            created_ms: now_millis(),
            duration_ms: emu.config.deploy_ms,
            fails,
            target,
            git_source: source,
            promoted: false,
        };
        let out = d.to_json(p, d.created_ms);
        p.deployments.push(d);
        Ok(Json(out).into_response())
    })
}

/// `idOrUrl`: the id, or the deployment's host name.
pub async fn get(
    State(emu): State<Emulator>,
    Path(id_or_url): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let host = id_or_url.trim_start_matches("https://").to_string();
    let now = now_millis();
    emu.with_world(|w| {
        let p = w
            .vercel
            .projects
            .values_mut()
            .filter(|p| p.account_id == account)
            .find(|p| p.deployments.iter().any(|d| d.id == host || d.url == host))
            .ok_or_else(deployment_not_found)?;
        let i = p
            .deployments
            .iter()
            .position(|d| d.id == host || d.url == host)
            .ok_or_else(deployment_not_found)?;
        let d = &p.deployments[i];
        let goes_live = d.target.as_deref() == Some("production")
            && d.ready_state(now) == "READY"
            && !d.promoted;
        if goes_live {
            set_production(p, i);
        }
        Ok(Json(p.deployments[i].to_json(p, now)).into_response())
    })
}

/// Make deployment `i` the project's production deployment.
fn set_production(p: &mut Project, i: usize) {
    p.deployments[i].promoted = true;
    let d = &p.deployments[i];
    let summary = json!({
        "id": d.id, "url": d.url, "deploymentHostname": d.url, "name": d.name,
        "createdAt": d.created_ms, "createdIn": "sfo1", "creator": null, "plan": "hobby",
        "private": true, "type": "LAMBDAS", "userId": p.account_id,
        "readyState": "READY", "readySubstate": "PROMOTED", "target": "production",
    });
    let targets = p
        .settings
        .entry("targets")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(t) = targets.as_object_mut() {
        t.insert("production".into(), summary);
    }
}

pub async fn promote(
    State(emu): State<Emulator>,
    Path((project_id, deployment_id)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    let account = caller(&emu, &headers, &query)?;
    let now = now_millis();
    emu.with_world(|w| {
        let p = w
            .vercel
            .project_mut(&account, &project_id)
            .map_err(|_| project_not_found())?;
        let i = p
            .deployments
            .iter()
            .position(|d| d.id == deployment_id)
            .ok_or_else(deployment_not_found)?;
        let state = p.deployments[i].ready_state(now);
        if state != "READY" {
            return Err(bad_request(format!(
                "Deployment {deployment_id} is {state}: only a READY deployment can be promoted."
            )));
        }
        set_production(p, i);
        Ok(StatusCode::CREATED.into_response())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_machine_goes_queued_building_then_ready_or_error() {
        let mut d = Deployment {
            id: "dpl_1".into(),
            url: "x.vercel.app".into(),
            name: "x".into(),
            created_ms: 1000,
            duration_ms: 400,
            fails: false,
            target: None,
            git_source: Value::Null,
            promoted: false,
        };
        let at = |d: &Deployment, t| d.ready_state(t);
        assert_eq!(at(&d, 1000), "QUEUED");
        assert_eq!(at(&d, 1100), "BUILDING");
        assert_eq!(at(&d, 1400), "READY");
        d.fails = true;
        assert_eq!(at(&d, 1400), "ERROR");
        d.duration_ms = 0;
        assert_eq!(at(&d, 1000), "ERROR");
    }

    #[test]
    fn a_git_source_must_name_the_linked_repository_in_either_spelling() {
        let link = json!({"type": "github", "org": "acme", "repo": "web", "repoId": 42});
        assert!(same_repository(
            &link,
            &json!({"type": "github", "ref": "main", "repoId": 42})
        ));
        assert!(same_repository(
            &link,
            &json!({"type": "github", "ref": "main", "repoId": "42"})
        ));
        assert!(same_repository(
            &link,
            &json!({"type": "github", "ref": "main", "org": "acme", "repo": "web"})
        ));
        assert!(!same_repository(
            &link,
            &json!({"type": "github", "ref": "main", "repoId": 7})
        ));
        assert!(!same_repository(
            &link,
            &json!({"type": "gitlab", "ref": "main", "projectId": "42"})
        ));
    }
}
