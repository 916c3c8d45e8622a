//! Vercel REST API emulation (projects, their environment variables, domains, custom
//! environments and Git deployments), built from `vercel.openapi.json`. Routes are nested under
//! `/vercel`. Owns `VercelState`, Vercel's error shape and the request prelude (auth, team scope,
//! JSON body). Must not import other vendor modules or the provider crate.
//!
//! Behaviour worth knowing:
//! - Scope: `teamId` (wins) or `slug` selects a team, created on first use; neither means the
//!   caller's personal account. A project is only visible in the scope that owns it.
//! - Errors are `{"error": {"code", "message"}}`: 400 `bad_request`, 403 `forbidden` (no or wrong
//!   token, as the real API answers), 404 `not_found`, 409 `conflict` (project name taken),
//!   403 `ENV_ALREADY_EXISTS` (env var clash without `upsert=true`, per the spec's 403).
//! - `createdAt` / `updatedAt` are epoch milliseconds from a per-world clock that never repeats,
//!   so `updatedAt` is a usable pagination key (`GET /v10/projects?from=<pagination.next>`).
//! - Env var values: `plain`/`system` as stored; `encrypted`/`secret` as an opaque string unless
//!   decrypted (`decrypt=true`, or the single-variable GET); `sensitive` never (empty string in
//!   lists, absent in the single GET). A variable's `customEnvironmentIds` must name custom
//!   environments of its project (400 otherwise).
//! - `resourceConfig` in a create or update sets the members it names (checked as the spec
//!   types them); the others keep their value, and answers carry the whole object.

// Handlers answer `Result<Response, Response>` so `?` can return an error from anywhere; boxing
// the error arm would buy nothing here.
#![allow(clippy::result_large_err)]

mod custom_envs;
mod deployments;
mod domains;
mod env;
mod env_model;
mod link;
mod projects;
mod validate;

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::world::{credential, json_error, now_millis, Emulator};

/// A handler's answer: success or a Vercel error, both ready to send.
pub(crate) type Reply = Result<Response, Response>;

#[derive(Default, Serialize, Deserialize)]
pub struct VercelState {
    /// Team id → team.
    #[serde(default)]
    pub teams: BTreeMap<String, Team>,
    /// The id of the caller's personal account (made on first use).
    #[serde(default)]
    pub personal_account_id: Option<String>,
    /// Project id → project.
    #[serde(default)]
    pub projects: BTreeMap<String, projects::Project>,
    /// The last timestamp handed out (see [`VercelState::stamp`]).
    #[serde(default)]
    pub clock: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub slug: String,
}

impl VercelState {
    /// Now in epoch milliseconds, strictly after every earlier stamp.
    pub(crate) fn stamp(&mut self) -> u64 {
        self.clock = now_millis().max(self.clock + 1);
        self.clock
    }

    /// The account id that owns projects in the scope the query names.
    fn account_for(&mut self, scope: &TeamQuery) -> String {
        if let Some(id) = scope.team_id.as_deref() {
            let team = self.teams.entry(id.to_string()).or_insert_with(|| Team {
                id: id.to_string(),
                slug: scope
                    .slug
                    .clone()
                    .unwrap_or_else(|| id.trim_start_matches("team_").to_ascii_lowercase()),
            });
            return team.id.clone();
        }
        if let Some(slug) = scope.slug.as_deref() {
            if let Some(team) = self.teams.values().find(|t| t.slug == slug) {
                return team.id.clone();
            }
            let id = crate::world::new_id("team_");
            self.teams.insert(
                id.clone(),
                Team {
                    id: id.clone(),
                    slug: slug.to_string(),
                },
            );
            return id;
        }
        self.personal_account_id
            .get_or_insert_with(|| crate::world::new_id("user_"))
            .clone()
    }
}

pub fn router() -> Router<Emulator> {
    Router::new()
        .route("/v10/projects", get(projects::list))
        .route("/v11/projects", axum::routing::post(projects::create))
        .route(
            "/v9/projects/{id_or_name}",
            get(projects::get)
                .patch(projects::update)
                .delete(projects::delete),
        )
        .route(
            "/v9/projects/{id_or_name}/link",
            axum::routing::post(projects::link).delete(projects::unlink),
        )
        .route(
            "/v10/projects/{id_or_name}/env",
            get(env::list).post(env::create),
        )
        .route(
            "/v1/projects/{id_or_name}/env",
            axum::routing::delete(env::batch_remove),
        )
        .route("/v1/projects/{id_or_name}/env/{env_id}", get(env::get))
        .route(
            "/v9/projects/{id_or_name}/env/{env_id}",
            axum::routing::patch(env::edit).delete(env::remove),
        )
        .route(
            "/v10/projects/{id_or_name}/domains",
            axum::routing::post(domains::add),
        )
        .route("/v9/projects/{id_or_name}/domains", get(domains::list))
        .route(
            "/v9/projects/{id_or_name}/domains/{domain}",
            get(domains::get)
                .patch(domains::update)
                .delete(domains::remove),
        )
        .route(
            "/v9/projects/{id_or_name}/domains/{domain}/verify",
            axum::routing::post(domains::verify),
        )
        .route("/v6/domains/{domain}/config", get(domains::config))
        .route(
            "/v9/projects/{id_or_name}/custom-environments",
            get(custom_envs::list).post(custom_envs::create),
        )
        .route(
            "/v9/projects/{id_or_name}/custom-environments/{env}",
            get(custom_envs::get)
                .patch(custom_envs::update)
                .delete(custom_envs::remove),
        )
        .route("/v13/deployments", axum::routing::post(deployments::create))
        .route("/v13/deployments/{id_or_url}", get(deployments::get))
        .route(
            "/v10/projects/{project_id}/promote/{deployment_id}",
            axum::routing::post(deployments::promote),
        )
}

/// The team-scope query parameters every operation takes.
#[derive(Clone, Debug, Default)]
pub(crate) struct TeamQuery {
    pub team_id: Option<String>,
    pub slug: Option<String>,
}

impl TeamQuery {
    pub fn from(query: &BTreeMap<String, String>) -> Self {
        let pick = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
        TeamQuery {
            team_id: pick("teamId"),
            slug: pick("slug"),
        }
    }
}

/// Vercel's error body.
pub(crate) fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    json_error(
        status,
        json!({"error": {"code": code, "message": message.into()}}),
    )
}

pub(crate) fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", message)
}

pub(crate) fn project_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Project not found.")
}

/// The prelude of every call: a credential (and the right one with `--token`), then the account the
/// team query selects.
pub(crate) fn caller(
    emu: &Emulator,
    headers: &HeaderMap,
    query: &BTreeMap<String, String>,
) -> Result<String, Response> {
    match (credential(headers), &emu.config.token) {
        (None, _) => {
            return Err(json_error(
                StatusCode::FORBIDDEN,
                json!({"error": {"code": "forbidden", "message": "The request is missing an authentication token", "missingToken": true}}),
            ))
        }
        (Some(given), Some(want)) if &given != want => {
            return Err(json_error(
                StatusCode::FORBIDDEN,
                json!({"error": {"code": "forbidden", "message": "Not authorized", "invalidToken": true}}),
            ))
        }
        _ => {}
    }
    let scope = TeamQuery::from(query);
    Ok(emu.with_world(|w| w.vercel.account_for(&scope)))
}

/// Run `f` on the project `id_or_name` names in `account`, with a fresh timestamp: the lookup
/// every project-scoped route starts with (404 when the caller's scope has no such project).
pub(crate) fn with_project<R>(
    emu: &Emulator,
    account: &str,
    id_or_name: &str,
    f: impl FnOnce(&mut projects::Project, u64) -> Result<R, Response>,
) -> Result<R, Response> {
    emu.with_world(|w| {
        let state = &mut w.vercel;
        let now = state.stamp();
        f(state.project_mut(account, id_or_name)?, now)
    })
}

/// A JSON body; empty reads as `null`.
pub(crate) fn parse_body(body: &Bytes) -> Result<Value, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| bad_request(format!("Invalid JSON body: {e}")))
}

/// A body that must be a JSON object.
pub(crate) fn parse_object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match parse_body(body)? {
        Value::Object(m) => Ok(m),
        _ => Err(bad_request(
            "Invalid request: the body should be an object.",
        )),
    }
}
