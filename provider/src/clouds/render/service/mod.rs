//! `render_service`: create (POST, adopting the service by name and type after an ambiguous
//! failure), read (the service and its env vars, secret files, custom domains, static headers and
//! routes, and the notification and log stream overrides when managed, fetched concurrently),
//! update (only the endpoints whose inputs changed, so a no-op never redeploys), delete, import by id, and the optional wait for the first deploy. CRUD here is "call
//! the client, map the answer" on `ServiceModel`; the mapping lives in `model`, the schema and the
//! configuration checks in `schema`. Must not import the other Render resources' modules.

pub mod data;
pub mod model;
pub mod schema;

use std::time::Duration;

use async_trait::async_trait;
use futures::future::try_join_all;

use self::model::{
    disk_patch, disk_post, env_desired, env_inputs, judge_namesake, DiskModel, EnvVars, Namesake,
    ServiceModel,
};
use self::schema as service_schema;
use super::client::services::{CustomDomain, Header, Route, Service, ServiceAndDeploy};
use super::client::settings::{NotificationOverride, ResourceLogStream};
use super::client::RenderClient;
use super::enums::DEPLOY_FAILED;
use super::is_render_id;
use super::overrides::{
    self, LogStreamOverrideModel, NotificationOverrideModel, LOG_STREAM_OVERRIDE,
    NOTIFICATION_OVERRIDE,
};
use crate::clouds::http::ApiError;
use crate::clouds::support::{api_diag, when};
use crate::framework::apply::KeepPartial;
use crate::framework::model::decode;
use crate::framework::orphan;
use crate::framework::{
    create_or_adopt, poll_until, Applied, ApplyCx, Create, Diagnostic, Diagnostics, Failed,
    ImportId, PlanContext, Poll, Schema, TypedResource, Update, Val, Value, WaitSpec,
};

pub struct ServiceResource;

const TYPE: &str = "render_service";
const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Import ids: a Render service id (`srv-…`, `crn-…`). Read fetches the sub-objects in full.
fn service_id_error(f: &std::collections::BTreeMap<String, String>) -> Option<String> {
    let id = f.get("id").map(String::as_str).unwrap_or_default();
    (!is_render_id(id)).then(|| "expected a Render service id such as \"srv-abc123\"".to_string())
}

/// Which sub-objects a read fetches. A sub-object is fetched when it is managed (non-null; unknown
/// after an import) and wanted (after an update: only the ones the update touched).
struct Children {
    env_vars: bool,
    secret_files: bool,
    custom_domains: bool,
    headers: bool,
    routes: bool,
    notification_override: bool,
    log_stream_override: bool,
}

impl Children {
    fn of(m: &ServiceModel, want: impl Fn(&str) -> bool) -> Children {
        let ty = m.service_type.as_str();
        Children {
            env_vars: !m.env_vars.is_null() && want("env_vars"),
            secret_files: !m.secret_files.is_null() && want("secret_files"),
            custom_domains: service_schema::applies("custom_domains", ty) && want("custom_domains"),
            // Read only when managed: a static site without them needs no calls.
            headers: ty == "static_site" && m.headers.is_some() && want("headers"),
            routes: ty == "static_site" && m.routes.is_some() && want("routes"),
            // The overrides live at endpoints of their own: read only when managed (or imported).
            notification_override: !m.notification_override.is_null()
                && want(NOTIFICATION_OVERRIDE),
            log_stream_override: service_schema::applies(LOG_STREAM_OVERRIDE, ty)
                && !m.log_stream_override.is_null()
                && want(LOG_STREAM_OVERRIDE),
        }
    }
}

/// What the sub-endpoints answered (`None`: not fetched).
#[derive(Default)]
struct ChildData {
    env_vars: Option<Vec<(String, String)>>,
    secret_files: Option<Vec<(String, String)>>,
    custom_domains: Option<Vec<CustomDomain>>,
    headers: Option<Vec<Header>>,
    routes: Option<Vec<Route>>,
    notification_override: Option<NotificationOverride>,
    log_stream_override: Option<Option<ResourceLogStream>>,
}

// The sub-reads are independent, so they run concurrently (issue 16); `when` skips the unwanted ones.
async fn fetch_children(c: &RenderClient, id: &str, w: &Children) -> Result<ChildData, ApiError> {
    let (env_vars, secret_files, custom_domains, headers, routes, notification, logs) = tokio::try_join!(
        when(w.env_vars, || c.list_env_vars(id)),
        when(w.secret_files, || c.list_secret_files(id)),
        when(w.custom_domains, || c.list_custom_domains(id)),
        when(w.headers, || c.list_headers(id)),
        when(w.routes, || c.list_routes(id)),
        when(w.notification_override, || c.get_notification_override(id)),
        when(w.log_stream_override, || c.get_resource_log_stream(id)),
    )?;
    Ok(ChildData {
        env_vars,
        secret_files,
        custom_domains,
        headers,
        routes,
        notification_override: notification,
        log_stream_override: logs,
    })
}

/// `m` with the fetched sub-objects mapped in (custom domain status is empty where domains do not
/// apply).
fn with_children(mut m: ServiceModel, data: ChildData) -> ServiceModel {
    if let Some(vars) = data.env_vars {
        m = m.with_env_vars(&vars);
    }
    if let Some(files) = data.secret_files {
        m = m.with_secret_files(&files);
    }
    if !service_schema::applies("custom_domains", &m.service_type) {
        m.custom_domain_status = Val::Known(Default::default());
    } else if let Some(domains) = data.custom_domains {
        m = m.with_custom_domains(&domains);
    }
    if let Some(headers) = data.headers {
        m = m.with_headers(&headers);
    }
    if let Some(routes) = data.routes {
        m = m.with_routes(&routes);
    }
    if let Some(n) = data.notification_override {
        m.notification_override = NotificationOverrideModel::from_api(&n, &m.notification_override);
    }
    if let Some(s) = data.log_stream_override {
        m.log_stream_override =
            LogStreamOverrideModel::from_api(s.as_ref(), &m.log_stream_override);
    } else if !service_schema::applies(LOG_STREAM_OVERRIDE, &m.service_type) {
        // An imported static site has none (the spec's resource ids exclude it).
        m.log_stream_override = Val::Null;
    }
    m
}

/// Refresh the sub-objects selected by `want` into `m` (the service's own fields already mapped
/// from the answer for service `id`).
async fn fill_children(
    c: &RenderClient,
    id: &str,
    m: ServiceModel,
    want: impl Fn(&str) -> bool,
) -> Result<ServiceModel, ApiError> {
    let data = fetch_children(c, id, &Children::of(&m, want)).await?;
    Ok(with_children(m, data))
}

/// The sub-objects an update touched (the others keep their prior values: no calls for them).
fn changed(prior: &ServiceModel, plan: &ServiceModel, attr: &str) -> bool {
    match attr {
        "env_vars" => {
            prior.env_vars != plan.env_vars
                || prior.env_vars_wo_version != plan.env_vars_wo_version
                || prior.env_vars_wo_keys != plan.env_vars_wo_keys
        }
        "secret_files" => {
            prior.secret_files != plan.secret_files
                || prior.secret_files_wo_names != plan.secret_files_wo_names
        }
        "headers" => prior.headers != plan.headers,
        "routes" => prior.routes != plan.routes,
        "custom_domains" => prior.custom_domains != plan.custom_domains,
        NOTIFICATION_OVERRIDE => prior.notification_override != plan.notification_override,
        LOG_STREAM_OVERRIDE => prior.log_stream_override != plan.log_stream_override,
        _ => true,
    }
}

/// After an update: read back only the sub-objects the update touched.
async fn fill_changed_children(
    c: &RenderClient,
    id: &str,
    prior: &ServiceModel,
    plan: &ServiceModel,
    mut m: ServiceModel,
) -> Result<ServiceModel, ApiError> {
    let touched = |a: &str| changed(prior, plan, a);
    if !touched("env_vars") {
        m.env_vars = prior.env_vars.clone();
    }
    if !touched("secret_files") {
        m.secret_files = prior.secret_files.clone();
    }
    if !touched("headers") {
        m.headers = prior.headers.clone();
    }
    if !touched("routes") {
        m.routes = prior.routes.clone();
    }
    if !touched(NOTIFICATION_OVERRIDE) {
        m.notification_override = prior.notification_override.clone();
    }
    if !touched(LOG_STREAM_OVERRIDE) {
        m.log_stream_override = prior.log_stream_override.clone();
    }
    if !touched("custom_domains") {
        m.custom_domains = prior.custom_domains.clone();
        m.custom_domain_status = prior.custom_domain_status.clone();
    }
    fill_children(c, id, m, touched).await
}

/// After an ambiguous POST failure: the service this create may have made, found by name and
/// type (exactly one).
async fn adopt(
    c: &RenderClient,
    plan: &ServiceModel,
) -> Result<Option<ServiceAndDeploy>, ApiError> {
    let found = c.find_services_by_name(&plan.name).await?;
    let mut same: Vec<Service> = found
        .into_iter()
        .filter(|svc| svc.service_type == plan.service_type)
        .collect();
    Ok((same.len() == 1).then(|| ServiceAndDeploy {
        service: same.pop(),
        deploy_id: None,
    }))
}

/// After "a service named … already exists": adopt the service holding the name when it is this
/// resource's own orphan (`model::judge_namesake`), else stop with its id, age and the import
/// command. No namesake: the conflict was about something else, reported as the API said it.
async fn claim_namesake(
    c: &RenderClient,
    plan: &ServiceModel,
    conflict: &ApiError,
) -> Result<ServiceAndDeploy, Diagnostics> {
    let found = c
        .find_services_by_name(&plan.name)
        .await
        .map_err(|e| api_diag("Failed to look up the Render service holding the name", &e))?;
    match judge_namesake(plan, &found, orphan::now_unix()) {
        Namesake::Adopt(svc) => {
            tracing::info!(
                id = svc.id,
                "adopting the service a killed or lost create made"
            );
            Ok(ServiceAndDeploy {
                service: Some(svc.clone()),
                deploy_id: None,
            })
        }
        Namesake::Refuse(svc, age) => {
            Err(
                orphan::already_exists(TYPE, &plan.name, &svc.id, age, model::ADOPT_RULE, "name")
                    .into(),
            )
        }
        Namesake::None => Err(api_diag("Failed to create Render service", conflict)),
    }
}

/// Poll the first deploy until live (`framework::poll_until`: backoff, stop signal, a progress
/// line every ~10 s); an error names the deploy and its status.
async fn wait_for_deploy(
    cx: &ApplyCx,
    client: &RenderClient,
    service_id: &str,
    deploy_id: Option<String>,
    limit: Duration,
) -> Result<(), Diagnostics> {
    let spec = WaitSpec::new(
        format!("the first deploy of Render service {service_id}"),
        "timeouts.create",
        limit,
    );
    let known = std::sync::Mutex::new(deploy_id);
    poll_until(&cx.stop, &spec, || async {
        let cached = known.lock().ok().and_then(|k| k.clone());
        let id = match cached {
            Some(id) => id,
            None => match client
                .latest_deploy(service_id)
                .await
                .map_err(|e| api_diag("Failed to list deploys", &e))?
            {
                Some(d) => d.id,
                None => return Ok(Poll::Pending("no deploy yet".into())),
            },
        };
        let d = client
            .get_deploy(service_id, &id)
            .await
            .map_err(|e| api_diag("Failed to read deploy", &e))?;
        if let Ok(mut k) = known.lock() {
            *k = Some(id.clone());
        }
        if d.status == "live" {
            tracing::info!(service_id, deploy_id = id, "deploy is live");
            return Ok(Poll::Ready(()));
        }
        if DEPLOY_FAILED.contains(&d.status.as_str()) {
            return Err(Diagnostic::error(
                "Render deploy failed",
                format!(
                    "Deploy {id} of service {service_id} ended with status {}.",
                    d.status
                ),
            )
            .into());
        }
        Ok(Poll::Pending(format!("deploy {id}: {}", d.status)))
    })
    .await
}

/// The env var set of a plan `Value` as the model reads it (`modify_plan` sees unknowns).
fn env_desired_of(v: &Value) -> std::collections::BTreeMap<String, Option<String>> {
    decode::<EnvVars>(v, "planned env vars")
        .map(|e| env_desired(&e))
        .unwrap_or_default()
}

/// Env vars compared without `generate_value` (which Render cannot report, e.g. after import).
fn same_env_values(a: &Value, b: &Value) -> bool {
    a.is_known()
        && b.is_known()
        && env_desired_of(a) == env_desired_of(b)
        && a.is_null() == b.is_null()
}

/// The framework leaves computed attributes alone when only state-only attributes (here
/// `wait_for_deploy`, `timeouts`) change. One case it cannot see: env vars that differ only in
/// `generate_value` (Render cannot report it, e.g. after import) are no API change either, so the
/// computed attributes it made "(known after apply)" keep their prior values.
fn settle_generated_env(schema: &Schema, planned: &mut Value, prior: &Value, config: &Value) {
    let state_only =
        |k: &str| k == "timeouts" || schema.block.attribute(k).is_some_and(|a| a.state_only);
    let (Some(p), Some(q)) = (planned.entries(), prior.entries()) else {
        return;
    };
    let api_unchanged = p.iter().all(|(k, v)| {
        Some(v) == q.get(k)
            || (v.is_unknown() && config.attr(k).is_null())
            || state_only(k)
            || (k == "env_vars" && same_env_values(v, prior.attr(k)))
    });
    if !api_unchanged {
        return;
    }
    let restore: Vec<String> = p
        .iter()
        .filter(|(k, v)| v.is_unknown() && config.attr(k).is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for k in restore {
        planned.set_attr(&k, prior.attr(&k).clone());
    }
}

#[async_trait]
impl TypedResource for ServiceResource {
    type Model = ServiceModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::service_sources()
    }

    fn schema(&self) -> Schema {
        service_schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        service_schema::validate(config, diags);
    }

    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        if ctx.planned.is_null() {
            return;
        }
        // The write-only keys, kept so a read can tell them from keys added outside Terraform.
        for (wo, names) in [
            ("env_vars_wo", "env_vars_wo_keys"),
            ("secret_files_wo", "secret_files_wo_names"),
        ] {
            let cfg = ctx.config.attr(wo);
            let keys = match cfg.entries() {
                _ if cfg.is_unknown() => Value::Unknown,
                Some(m) => Value::set(m.keys().map(Value::string).collect()),
                None => Value::Null,
            };
            ctx.planned.set_attr(names, keys);
        }
        // Generated env values: keep the one Render generated (no perpetual diff); unknown until
        // the first apply that creates the entry.
        let mut env = ctx.planned.attr("env_vars").clone();
        if let Some(entries) = env.entries_mut() {
            for (k, e) in entries.iter_mut() {
                let cfg = ctx.config.attr("env_vars").attr(k);
                if cfg.attr("value").is_null() && cfg.attr("generate_value").as_bool() == Some(true)
                {
                    let kept = ctx.prior.attr("env_vars").attr(k).attr("value");
                    e.set_attr(
                        "value",
                        if kept.as_str().is_some() {
                            kept.clone()
                        } else {
                            Value::Unknown
                        },
                    );
                }
            }
            ctx.planned.set_attr("env_vars", env);
        }
        if !ctx.prior.is_null() {
            settle_generated_env(
                &service_schema::schema(),
                ctx.planned,
                ctx.prior,
                ctx.config,
            );
        }
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .trimmed()
            .check(service_id_error)
            .default_value("wait_for_deploy", Value::Bool(false))
            .read_in_full(&[
                "env_vars",
                "secret_files",
                "custom_domains",
                "docker",
                "image",
                "autoscaling",
                NOTIFICATION_OVERRIDE,
                LOG_STREAM_OVERRIDE,
            ])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<ServiceModel>,
        cx: &ApplyCx,
    ) -> Applied<ServiceModel> {
        let plan = op.plan;
        let body = plan.to_create_request(c.owner_id(), &op.config);
        let summary = "Failed to create Render service";
        let created = match c.create_service(&body).await {
            // The name is taken: by this resource's own orphan (a killed create), or by another.
            Err(e) if e.is_conflict() => claim_namesake(c, &plan, &e).await?,
            first => {
                create_or_adopt(summary, std::future::ready(first), || adopt(c, &plan)).await?
            }
        };
        let Some(svc) = created.service else {
            return Err(Diagnostic::error(summary, "The create answer carried no service.").into());
        };
        let state = ServiceModel::from_api(&svc, &plan);
        // The domains are independent of each other: attach them concurrently.
        let domains = plan.custom_domains.known().cloned().unwrap_or_default();
        let svc_id = svc.id.as_str();
        try_join_all(domains.iter().map(|name| async move {
            c.add_custom_domain(svc_id, name).await.map_err(|e| {
                api_diag(
                    &format!("Service created, but adding custom domain {name} failed"),
                    &e,
                )
            })
        }))
        .await
        .keep(state.clone())?;
        write_overrides(c, svc_id, &ServiceModel::default(), &plan, &op.config)
            .await
            .map_err(|(what, e)| {
                api_diag(&format!("Service created, but setting {what} failed"), &e)
            })
            .keep(state.clone())?;
        let state = fill_children(c, svc_id, state.clone(), |_| true)
            .await
            .map_err(|e| api_diag("Service created, but reading it back failed", &e))
            .keep(state)?;
        if plan.wait_for_deploy.known() == Some(&true) {
            let limit = plan.create_timeout(DEFAULT_CREATE_TIMEOUT);
            wait_for_deploy(cx, c, &svc.id, created.deploy_id, limit)
                .await
                .keep(state.clone())?;
        }
        Ok(state)
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: ServiceModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ServiceModel>, Diagnostics> {
        let id = state.id.required("id")?.to_string();
        let fail = |e: ApiError| api_diag("Failed to read Render service", &e);
        if state.service_type.is_empty() {
            // After an import only the answer tells the type, which decides what else to read.
            let svc = match c.get_service(&id).await {
                Ok(svc) => svc,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(fail(e)),
            };
            let next = ServiceModel::from_api(&svc, &state);
            return fill_children(c, &id, next, |_| true)
                .await
                .map(Some)
                .map_err(fail);
        }
        // The type is known: the service and its sub-objects are read concurrently (issue 16).
        let wanted = Children::of(&state, |_| true);
        let (svc, children) = tokio::join!(c.get_service(&id), fetch_children(c, &id, &wanted));
        let svc = match svc {
            Ok(svc) => svc,
            // Gone: whatever the sub-reads answered does not matter.
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(fail(e)),
        };
        let children = children.map_err(fail)?;
        Ok(Some(with_children(
            ServiceModel::from_api(&svc, &state),
            children,
        )))
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<ServiceModel>,
        _cx: &ApplyCx,
    ) -> Applied<ServiceModel> {
        let Update {
            prior,
            plan,
            config,
        } = op;
        let id = prior.id.required("id")?.to_string();
        if let Err((what, e)) = apply_changes(c, &id, &prior, &plan, &config).await {
            return Err(Failed::partial(
                prior,
                api_diag(&format!("Failed to update Render service ({what})"), &e),
            ));
        }
        let read_back = async {
            let svc = c.get_service(&id).await?;
            let state = ServiceModel::from_api(&svc, &plan);
            fill_changed_children(c, &id, &prior, &plan, state).await
        };
        read_back
            .await
            .map_err(|e| api_diag("Service updated, but reading it back failed", &e))
            .keep(prior)
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: ServiceModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_service(state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Render service", &e))
    }
}

/// Call only the endpoints whose inputs changed between `prior` and `plan` (`config` holds the
/// write-only values).
async fn apply_changes(
    c: &RenderClient,
    id: &str,
    prior: &ServiceModel,
    plan: &ServiceModel,
    config: &ServiceModel,
) -> Result<(), (&'static str, ApiError)> {
    if plan.environment_id != prior.environment_id {
        let (from, to) = (prior.environment_id.known(), plan.environment_id.known());
        c.move_to_environment(id, from.map(String::as_str), to.map(String::as_str))
            .await
            .map_err(|e| ("environment_id", e))?;
    }
    if let Some(body) = plan.to_update_request(prior, c.owner_id()) {
        c.update_service(id, &body)
            .await
            .map_err(|e| ("service fields", e))?;
    }
    let scaling = plan.autoscaling_request();
    if prior.autoscaling_request() != scaling {
        match &scaling {
            Some(a) => c.put_autoscaling(id, a).await,
            None => c.delete_autoscaling(id).await,
        }
        .map_err(|e| ("autoscaling", e))?;
    }
    if let Some(n) = plan.num_instances.known() {
        if plan.num_instances != prior.num_instances && !scaling.as_ref().is_some_and(|a| a.enabled)
        {
            c.scale(id, *n).await.map_err(|e| ("num_instances", e))?;
        }
    }
    if prior.disk != plan.disk {
        update_disk(c, id, prior.disk.as_ref(), plan.disk.as_ref())
            .await
            .map_err(|e| ("disk", e))?;
    }
    // A changed set of write-only keys is a changed set too (a key no longer listed is deleted).
    let wo_changed = prior.env_vars_wo_version != plan.env_vars_wo_version
        || prior.env_vars_wo_keys != plan.env_vars_wo_keys;
    if wo_changed || env_desired(&prior.env_vars) != env_desired(&plan.env_vars) {
        let vars = env_inputs(&plan.env_vars, &config.env_vars_wo);
        c.put_env_vars(id, &vars)
            .await
            .map_err(|e| ("env_vars", e))?;
    }
    let files_wo_changed = prior.secret_files_wo_version != plan.secret_files_wo_version
        || prior.secret_files_wo_names != plan.secret_files_wo_names;
    if files_wo_changed || prior.secret_files_request() != plan.secret_files_request() {
        let files = plan.secret_files_with_wo(config);
        c.put_secret_files(id, &files)
            .await
            .map_err(|e| ("secret_files", e))?;
    }
    if service_schema::applies("custom_domains", &plan.service_type) {
        let before = prior.custom_domains.known().cloned().unwrap_or_default();
        let after = plan.custom_domains.known().cloned().unwrap_or_default();
        for gone in before.iter().filter(|d| !after.contains(d)) {
            c.delete_custom_domain(id, gone)
                .await
                .map_err(|e| ("custom_domains", e))?;
        }
        for new in after.iter().filter(|d| !before.contains(d)) {
            c.add_custom_domain(id, new)
                .await
                .map_err(|e| ("custom_domains", e))?;
        }
    }
    write_overrides(c, id, prior, plan, config).await?;
    if plan.service_type == "static_site" {
        let headers = plan.headers_request();
        if prior.headers_request() != headers {
            c.put_headers(id, &headers)
                .await
                .map_err(|e| ("headers", e))?;
        }
        let routes = plan.routes_request();
        if prior.routes_request() != routes {
            c.put_routes(id, &routes).await.map_err(|e| ("routes", e))?;
        }
    }
    Ok(())
}

/// Set, change or remove the notification and log stream overrides (only the changed ones).
async fn write_overrides(
    c: &RenderClient,
    id: &str,
    prior: &ServiceModel,
    plan: &ServiceModel,
    config: &ServiceModel,
) -> Result<(), (&'static str, ApiError)> {
    overrides::apply_notification_override(
        c,
        id,
        &prior.notification_override,
        &plan.notification_override,
    )
    .await
    .map_err(|e| (NOTIFICATION_OVERRIDE, e))?;
    overrides::apply_log_stream_override(
        c,
        id,
        &prior.log_stream_override,
        &plan.log_stream_override,
        &config.log_stream_override,
    )
    .await
    .map_err(|e| (LOG_STREAM_OVERRIDE, e))
}

/// Add, resize/rename or remove the service's disk (disks live at /disks/{id}).
async fn update_disk(
    c: &RenderClient,
    service_id: &str,
    before: Option<&DiskModel>,
    after: Option<&DiskModel>,
) -> Result<(), ApiError> {
    let current = c.get_service(service_id).await?.service_details.disk;
    match (current, after) {
        (Some(d), None) => c.delete_disk(&d.id).await,
        (Some(d), Some(after)) => {
            let body = disk_patch(before, after);
            if body.is_empty() {
                return Ok(());
            }
            c.update_disk(&d.id, &body).await
        }
        (None, Some(after)) => c.add_disk(&disk_post(service_id, after)).await,
        (None, None) => Ok(()),
    }
}
