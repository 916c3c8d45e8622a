//! Render Public API v1 emulation (nested at `/render/v1`): owners, services of all five types
//! with env vars, secret files, custom domains, deploys, disks and scaling, Postgres and Key Value,
//! projects with their environments, env groups, registry credentials, notification settings
//! and log streams.
//! Built from Render's OpenAPI spec. Owns `RenderState`; imports only `crate::world` from outside.
//! Time-dependent states (deploy progress, database readiness) are computed on each read from
//! creation times and `Config::render_deploy_ms` / `render_db_ready_ms` (0 = immediately).

mod api;
mod deploys;
mod details;
mod disks;
mod domains;
mod enums;
mod env;
mod env_groups;
mod key_value;
mod log_streams;
mod notifications;
mod owners;
mod postgres;
mod projects;
mod registry_credentials;
mod rules;
mod scaling;
mod services;

use axum::routing::{get, post, put};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::world::{now_millis, Emulator};
use api::{page, ApiError, ApiResult, ListQuery};
use serde_json::Value;

pub use owners::DEFAULT_OWNER_ID;

/// Everything the Render emulator remembers; serialised with the world for `--state`.
#[derive(Default, Serialize, Deserialize)]
pub struct RenderState {
    #[serde(default)]
    services: Vec<services::Service>,
    #[serde(default)]
    disks: Vec<disks::Disk>,
    #[serde(default)]
    postgres: Vec<postgres::Postgres>,
    #[serde(default)]
    key_values: Vec<key_value::KeyValue>,
    #[serde(default)]
    projects: Vec<projects::Project>,
    #[serde(default)]
    environments: Vec<projects::Environment>,
    #[serde(default)]
    env_groups: Vec<env_groups::EnvGroup>,
    #[serde(default)]
    registry_credentials: Vec<registry_credentials::RegistryCredential>,
    /// Workspace notification settings that differ from a new workspace's.
    #[serde(default)]
    owner_notifications: Vec<notifications::OwnerNotifications>,
    /// Service notification overrides other than all-`default`.
    #[serde(default)]
    service_notifications: Vec<notifications::ServiceNotifications>,
    #[serde(default)]
    owner_log_streams: Vec<log_streams::OwnerLogStream>,
    #[serde(default)]
    resource_log_streams: Vec<log_streams::ResourceLogStream>,
}

impl RenderState {
    fn service(&self, id: &str) -> Result<&services::Service, ApiError> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| ApiError::not_found("service"))
    }

    fn service_mut(&mut self, id: &str) -> Result<&mut services::Service, ApiError> {
        self.services
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| ApiError::not_found("service"))
    }
}

/// The time of a request and the configured durations that time-dependent states use.
struct Clock {
    now_ms: u64,
    deploy_ms: u64,
    db_ready_ms: u64,
}

fn clock(emu: &Emulator) -> Clock {
    Clock {
        now_ms: now_millis(),
        deploy_ms: emu.config.render_deploy_ms,
        db_ready_ms: emu.config.render_db_ready_ms,
    }
}

/// Answer from the Render state without changing it.
fn read(emu: &Emulator, f: impl FnOnce(&RenderState, &Clock) -> ApiResult) -> ApiResult {
    let clock = clock(emu);
    emu.with_world(|w| f(&w.render, &clock))
}

/// Change the Render state; persist the world when the change succeeded. Handlers validate
/// before mutating, so a failed request leaves the state as it was.
fn write(emu: &Emulator, f: impl FnOnce(&mut RenderState, &Clock) -> ApiResult) -> ApiResult {
    let clock = clock(emu);
    let out = emu.with_world(|w| f(&mut w.render, &clock))?;
    emu.persist();
    Ok(out)
}

/// Every paged list handler: the items `select` picks from the state (each its cursor and its
/// JSON) for the query's filters, answered as one page of `[{cursor, <key>: …}]`.
fn list_page(
    emu: &Emulator,
    q: ListQuery,
    key: &str,
    select: impl FnOnce(&RenderState, &Clock, &ListQuery) -> Vec<(String, Value)>,
) -> ApiResult {
    read(emu, |r, clock| page(select(r, clock, &q), key, &q))
}

pub fn router() -> Router<Emulator> {
    let service = "/services/{serviceId}";
    Router::new()
        .route("/owners", get(owners::list))
        .route("/owners/{ownerId}", get(owners::get))
        .route("/services", get(services::list).post(services::create))
        .route(
            service,
            get(services::get)
                .patch(services::update)
                .delete(services::delete),
        )
        .route(
            &format!("{service}/env-vars"),
            get(env::list_env).put(env::replace_env),
        )
        .route(
            &format!("{service}/env-vars/{{envVarKey}}"),
            get(env::get_env).put(env::put_env).delete(env::delete_env),
        )
        .route(
            &format!("{service}/secret-files"),
            get(env::list_files).put(env::replace_files),
        )
        .route(
            &format!("{service}/secret-files/{{secretFileName}}"),
            get(env::get_file)
                .put(env::put_file)
                .delete(env::delete_file),
        )
        .route(
            &format!("{service}/custom-domains"),
            get(domains::list).post(domains::create),
        )
        .route(
            &format!("{service}/custom-domains/{{customDomainIdOrName}}"),
            get(domains::get).delete(domains::delete),
        )
        .route(
            &format!("{service}/custom-domains/{{customDomainIdOrName}}/verify"),
            post(domains::verify),
        )
        .route(
            &format!("{service}/deploys"),
            get(deploys::list).post(deploys::create),
        )
        .route(
            &format!("{service}/deploys/{{deployId}}"),
            get(deploys::get),
        )
        .route(
            &format!("{service}/deploys/{{deployId}}/cancel"),
            post(deploys::cancel),
        )
        .route(
            &format!("{service}/headers"),
            get(rules::list_headers)
                .post(rules::add_header)
                .put(rules::replace_headers),
        )
        .route(
            &format!("{service}/headers/{{headerId}}"),
            axum::routing::delete(rules::delete_header),
        )
        .route(
            &format!("{service}/routes"),
            get(rules::list_routes)
                .post(rules::add_route)
                .put(rules::replace_routes),
        )
        .route(
            &format!("{service}/routes/{{routeId}}"),
            axum::routing::delete(rules::delete_route),
        )
        .route(&format!("{service}/scale"), post(scaling::scale))
        .route(
            &format!("{service}/autoscaling"),
            put(scaling::put_autoscaling).delete(scaling::delete_autoscaling),
        )
        .route(&format!("{service}/suspend"), post(scaling::suspend))
        .route(&format!("{service}/resume"), post(scaling::resume))
        .route("/disks", get(disks::list).post(disks::create))
        .route(
            "/disks/{diskId}",
            get(disks::get).patch(disks::update).delete(disks::delete),
        )
        .route("/postgres", get(postgres::list).post(postgres::create))
        .route(
            "/postgres/{postgresId}",
            get(postgres::get)
                .patch(postgres::update)
                .delete(postgres::delete),
        )
        .route(
            "/postgres/{postgresId}/connection-info",
            get(postgres::connection_info),
        )
        .route("/postgres/{postgresId}/suspend", post(postgres::suspend))
        .route("/postgres/{postgresId}/resume", post(postgres::resume))
        .route("/key-value", get(key_value::list).post(key_value::create))
        .route(
            "/key-value/{keyValueId}",
            get(key_value::get)
                .patch(key_value::update)
                .delete(key_value::delete),
        )
        .route(
            "/key-value/{keyValueId}/connection-info",
            get(key_value::connection_info),
        )
        .merge(projects_router())
        .merge(settings_router())
        .route(
            "/registrycredentials",
            get(registry_credentials::list).post(registry_credentials::create),
        )
        .route(
            "/registrycredentials/{registryCredentialId}",
            get(registry_credentials::get)
                .patch(registry_credentials::update)
                .delete(registry_credentials::delete),
        )
}

/// Workspace-level settings: notifications (and service overrides) and log streams (and
/// resource overrides).
fn settings_router() -> Router<Emulator> {
    Router::new()
        .route(
            "/notification-settings/owners/{ownerId}",
            get(notifications::get_owner).patch(notifications::patch_owner),
        )
        .route(
            "/notification-settings/overrides",
            get(notifications::list_overrides),
        )
        .route(
            "/notification-settings/overrides/services/{serviceId}",
            get(notifications::get_service).patch(notifications::patch_service),
        )
        .route(
            "/logs/streams/owner/{ownerId}",
            get(log_streams::get_owner)
                .put(log_streams::put_owner)
                .delete(log_streams::delete_owner),
        )
        .route("/logs/streams/resource", get(log_streams::list_resources))
        .route(
            "/logs/streams/resource/{resourceId}",
            get(log_streams::get_resource)
                .put(log_streams::put_resource)
                .delete(log_streams::delete_resource),
        )
}

/// Projects, environments (and the resources in them) and env groups with their links.
fn projects_router() -> Router<Emulator> {
    let group = "/env-groups/{envGroupId}";
    Router::new()
        .route("/projects", get(projects::list).post(projects::create))
        .route(
            "/projects/{projectId}",
            get(projects::get)
                .patch(projects::update)
                .delete(projects::delete),
        )
        .route(
            "/environments",
            get(projects::list_environments).post(projects::create_environment),
        )
        .route(
            "/environments/{environmentId}",
            get(projects::get_environment)
                .patch(projects::update_environment)
                .delete(projects::delete_environment),
        )
        .route(
            "/environments/{environmentId}/resources",
            post(projects::add_resources).delete(projects::remove_resources),
        )
        .route(
            "/env-groups",
            get(env_groups::list).post(env_groups::create),
        )
        .route(
            group,
            get(env_groups::get)
                .patch(env_groups::update)
                .delete(env_groups::delete),
        )
        .route(
            &format!("{group}/env-vars/{{envVarKey}}"),
            get(env_groups::get_env)
                .put(env_groups::put_env)
                .delete(env_groups::delete_env),
        )
        .route(
            &format!("{group}/secret-files/{{secretFileName}}"),
            get(env_groups::get_file)
                .put(env_groups::put_file)
                .delete(env_groups::delete_file),
        )
        .route(
            &format!("{group}/services/{{serviceId}}"),
            post(env_groups::link).delete(env_groups::unlink),
        )
}
