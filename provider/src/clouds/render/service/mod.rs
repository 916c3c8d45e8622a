//! `render_service`: create (POST, adopting the service by name after an ambiguous failure),
//! read (service + env vars, secret files, custom domains, static headers/routes), update (only
//! the endpoints whose inputs changed, so a no-op never redeploys), delete, import by id, and the
//! optional wait for the first deploy. Schema and checks: `schema`; pure mapping: `model`.

pub mod data;
pub mod model;
pub mod schema;

use std::time::Duration;

use async_trait::async_trait;

use self::model::{
    apply_service, autoscaling, disk_patch, disk_post, domains_state, env_desired, env_inputs,
    env_state, files_state, headers_state, patch_body, plan_headers, plan_routes, post_body,
    routes_state, secret_files, secret_files_with_wo,
};
use self::schema as service_schema;
use super::client::services::Service;
use super::client::RenderClient;
use super::enums::DEPLOY_FAILED;
use super::is_render_id;
use super::s;
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::identity::IdentitySchema;
use crate::framework::timeouts::timeout;
use crate::framework::{
    poll_until, require_id, ApplyResult, Ctx, Diagnostic, Diagnostics, Identity, Path, PlanContext,
    Poll, Resource, Schema, Value, WaitSpec,
};

pub struct ServiceResource;

const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// An ApplyResult for a failed step after the service exists: keep its id so Terraform records it.
fn partial(state: Value, summary: &str, e: &ApiError) -> ApplyResult {
    ApplyResult::failed(state, api_diag(summary, e))
}

/// Refresh what lives behind the service's sub-endpoints into `state`.
async fn fill_children(client: &RenderClient, state: Value) -> Result<Value, ApiError> {
    fill_children_where(client, state, |_| true).await
}

/// After an update: read back only the sub-objects the update touched; the others keep their
/// prior values (no calls for unchanged sub-objects).
async fn fill_changed_children(
    client: &RenderClient,
    prior: &Value,
    plan: &Value,
    mut state: Value,
) -> Result<Value, ApiError> {
    let changed = |a: &str| match a {
        "env_vars" => {
            prior.attr(a) != plan.attr(a)
                || prior.attr("env_vars_wo_version") != plan.attr("env_vars_wo_version")
        }
        _ => prior.attr(a) != plan.attr(a),
    };
    for a in ["env_vars", "secret_files", "headers", "routes"] {
        if !changed(a) {
            state.set_attr(a, prior.attr(a).clone());
        }
    }
    if !changed("custom_domains") {
        state.set_attr("custom_domains", prior.attr("custom_domains").clone());
        state.set_attr(
            "custom_domain_status",
            prior.attr("custom_domain_status").clone(),
        );
    }
    fill_children_where(client, state, changed).await
}

async fn fill_children_where(
    client: &RenderClient,
    mut state: Value,
    want: impl Fn(&str) -> bool,
) -> Result<Value, ApiError> {
    let id = s(&state, "id").unwrap_or_default();
    let ty = s(&state, "type").unwrap_or_default();
    if !state.attr("env_vars").is_null() && want("env_vars") {
        let vars = client.list_env_vars(&id).await?;
        let next = env_state(state.attr("env_vars"), &vars);
        state.set_attr("env_vars", next);
    }
    if !state.attr("secret_files").is_null() && want("secret_files") {
        let files = client.list_secret_files(&id).await?;
        let next = files_state(state.attr("secret_files"), &files);
        state.set_attr("secret_files", next);
    }
    if !service_schema::applies("custom_domains", &ty) {
        state.set_attr("custom_domain_status", Value::Map(Default::default()));
    } else if want("custom_domains") {
        let domains = client.list_custom_domains(&id).await?;
        let (names, status) = domains_state(state.attr("custom_domains"), &domains);
        state.set_attr("custom_domains", names);
        state.set_attr("custom_domain_status", status);
    }
    // Headers and routes are read only when managed: a static site without them needs no calls.
    if ty == "static_site" && !state.attr("headers").is_null() && want("headers") {
        let headers = client.list_headers(&id).await?;
        state.set_attr("headers", headers_state(&headers));
    }
    if ty == "static_site" && !state.attr("routes").is_null() && want("routes") {
        let routes = client.list_routes(&id).await?;
        state.set_attr("routes", routes_state(&routes));
    }
    Ok(state)
}

/// After an ambiguous POST failure: the service this create may have made, found by name and type.
async fn adopt(client: &RenderClient, plan: &Value) -> Option<Service> {
    let name = s(plan, "name")?;
    let ty = s(plan, "type")?;
    let found = client.find_services_by_name(&name).await.ok()?;
    let mut same: Vec<Service> = found
        .into_iter()
        .filter(|svc| svc.service_type == ty)
        .collect();
    if same.len() == 1 {
        tracing::info!(
            name,
            "create answer was lost; adopting the service Render created"
        );
        same.pop()
    } else {
        None
    }
}

/// Poll the first deploy until live (`framework::poll_until`: backoff, stop signal, a progress
/// line every ~10 s); an error names the deploy and its status.
async fn wait_for_deploy(
    ctx: &Ctx,
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
    poll_until(&ctx.stop, &spec, || async {
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

/// Env vars compared without `generate_value` (which Render cannot report, e.g. after import).
fn same_env_values(a: &Value, b: &Value) -> bool {
    a.is_known() && b.is_known() && env_desired(a) == env_desired(b) && a.is_null() == b.is_null()
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
impl Resource for ServiceResource {
    fn type_name(&self) -> &'static str {
        "render_service"
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

    async fn create(&self, ctx: &Ctx, plan: &Value, config: &Value) -> ApplyResult {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let env = env_inputs(plan.attr("env_vars"), config.attr("env_vars_wo"));
        let files = secret_files_with_wo(plan, config);
        let body = post_body(plan, client.owner_id(), env, files);
        let (svc, deploy_id) = match client.create_service(&body).await {
            Ok(sd) => match sd.service {
                Some(svc) => (svc, sd.deploy_id),
                None => {
                    return ApplyResult::failed(
                        Value::Null,
                        Diagnostic::error(
                            "Failed to create Render service",
                            "The create answer carried no service.",
                        )
                        .into(),
                    )
                }
            },
            Err(e) if e.is_ambiguous() => match adopt(client, plan).await {
                Some(svc) => (svc, None),
                None => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag("Failed to create Render service", &e),
                    )
                }
            },
            Err(e) => {
                return ApplyResult::failed(
                    Value::Null,
                    api_diag("Failed to create Render service", &e),
                )
            }
        };
        let mut state = apply_service(plan.clone(), &svc);
        for name in plan
            .attr("custom_domains")
            .elements()
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
        {
            if let Err(e) = client.add_custom_domain(&svc.id, name).await {
                return partial(
                    state,
                    &format!("Service created, but adding custom domain {name} failed"),
                    &e,
                );
            }
        }
        state = match fill_children(client, state.clone()).await {
            Ok(s) => s,
            Err(e) => return partial(state, "Service created, but reading it back failed", &e),
        };
        if plan.attr("wait_for_deploy").as_bool() == Some(true) {
            let limit = timeout(plan, "create", DEFAULT_CREATE_TIMEOUT);
            if let Err(d) = wait_for_deploy(ctx, client, &svc.id, deploy_id, limit).await {
                return ApplyResult::failed(state, d);
            }
        }
        ApplyResult::ok(state)
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<RenderClient>()?;
        let id = require_id("render_service", state, "id")?.to_string();
        let svc = match client.get_service(&id).await {
            Ok(svc) => svc,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read Render service", &e)),
        };
        let next = apply_service(state.clone(), &svc);
        fill_children(client, next)
            .await
            .map_err(|e| api_diag("Failed to read Render service", &e))
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, config: &Value) -> ApplyResult {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        match apply_changes(client, prior, plan, config).await {
            Ok(()) => {}
            Err((what, e)) => {
                return partial(
                    prior.clone(),
                    &format!("Failed to update Render service ({what})"),
                    &e,
                )
            }
        }
        let id = match require_id("render_service", prior, "id") {
            Ok(id) => id.to_string(),
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let svc = match client.get_service(&id).await {
            Ok(svc) => svc,
            Err(e) => {
                return partial(
                    prior.clone(),
                    "Service updated, but reading it back failed",
                    &e,
                )
            }
        };
        let state = apply_service(plan.clone(), &svc);
        match fill_changed_children(client, prior, plan, state).await {
            Ok(s) => ApplyResult::ok(s),
            Err(e) => partial(
                prior.clone(),
                "Service updated, but reading it back failed",
                &e,
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let id = match require_id("render_service", state, "id") {
            Ok(id) => id,
            Err(d) => return d,
        };
        match client.delete_service(id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Render service", &e),
        }
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(Identity::new(&["id"]).schema(&self.schema()))
    }

    /// `import { identity = { id = "srv-…" } }`: the same checks and partial state as an id.
    fn import_identity(&self, identity: &Value) -> Result<Value, Diagnostics> {
        match identity.attr("id").as_str() {
            Some(id) => self.import(id),
            None => Err(Diagnostic::error(
                "Invalid import identity",
                "The identity of a render_service is its `id` (\"srv-…\").",
            )
            .at(Path::root("id"))
            .into()),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let id = id.trim();
        if !is_render_id(id) {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!("Expected a Render service id such as \"srv-abc123\", got {id:?}."),
            )
            .at(Path::root("id"))
            .into());
        }
        Ok(Value::object([
            ("id", Value::string(id)),
            ("env_vars", Value::Unknown),
            ("secret_files", Value::Unknown),
            ("custom_domains", Value::Unknown),
            ("docker", Value::Unknown),
            ("image", Value::Unknown),
            ("autoscaling", Value::Unknown),
            ("wait_for_deploy", Value::Bool(false)),
        ]))
    }
}

/// Call only the endpoints whose inputs changed between `prior` and `plan`.
async fn apply_changes(
    client: &RenderClient,
    prior: &Value,
    plan: &Value,
    config: &Value,
) -> Result<(), (&'static str, ApiError)> {
    let id = s(prior, "id").unwrap_or_default();
    let owner = client.owner_id();
    let ty = s(plan, "type").unwrap_or_default();
    let body = patch_body(plan, owner);
    if patch_body(prior, owner) != body {
        client
            .update_service(&id, &body)
            .await
            .map_err(|e| ("service fields", e))?;
    }
    let scaling = autoscaling(plan);
    if autoscaling(prior) != scaling {
        match &scaling {
            Some(a) => client.put_autoscaling(&id, a).await,
            None => client.delete_autoscaling(&id).await,
        }
        .map_err(|e| ("autoscaling", e))?;
    }
    let instances = plan.attr("num_instances");
    if instances.as_i64().is_some()
        && instances != prior.attr("num_instances")
        && !scaling.as_ref().is_some_and(|a| a.enabled)
    {
        client
            .scale(&id, instances.as_i64().unwrap_or(1))
            .await
            .map_err(|e| ("num_instances", e))?;
    }
    if prior.attr("disk") != plan.attr("disk") {
        update_disk(client, &id, prior.attr("disk"), plan.attr("disk"))
            .await
            .map_err(|e| ("disk", e))?;
    }
    let wo_changed = prior.attr("env_vars_wo_version") != plan.attr("env_vars_wo_version");
    if wo_changed || env_desired(prior.attr("env_vars")) != env_desired(plan.attr("env_vars")) {
        let vars = env_inputs(plan.attr("env_vars"), config.attr("env_vars_wo"));
        client
            .put_env_vars(&id, &vars)
            .await
            .map_err(|e| ("env_vars", e))?;
    }
    let files_wo_changed =
        prior.attr("secret_files_wo_version") != plan.attr("secret_files_wo_version");
    if files_wo_changed || secret_files(prior) != secret_files(plan) {
        let files = secret_files_with_wo(plan, config);
        client
            .put_secret_files(&id, &files)
            .await
            .map_err(|e| ("secret_files", e))?;
    }
    if service_schema::applies("custom_domains", &ty) {
        let before: Vec<&str> = prior
            .attr("custom_domains")
            .elements()
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let after: Vec<&str> = plan
            .attr("custom_domains")
            .elements()
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for gone in before.iter().filter(|d| !after.contains(d)) {
            client
                .delete_custom_domain(&id, gone)
                .await
                .map_err(|e| ("custom_domains", e))?;
        }
        for new in after.iter().filter(|d| !before.contains(d)) {
            client
                .add_custom_domain(&id, new)
                .await
                .map_err(|e| ("custom_domains", e))?;
        }
    }
    if ty == "static_site" {
        let headers = plan_headers(plan);
        if plan_headers(prior) != headers {
            client
                .put_headers(&id, &headers)
                .await
                .map_err(|e| ("headers", e))?;
        }
        let routes = plan_routes(plan);
        if plan_routes(prior) != routes {
            client
                .put_routes(&id, &routes)
                .await
                .map_err(|e| ("routes", e))?;
        }
    }
    Ok(())
}

/// Add, resize/rename or remove the service's disk (disks live at /disks/{id}).
async fn update_disk(
    client: &RenderClient,
    service_id: &str,
    before: &Value,
    after: &Value,
) -> Result<(), ApiError> {
    let current = client.get_service(service_id).await?.service_details.disk;
    match (current, after.is_null()) {
        (Some(d), true) => client.delete_disk(&d.id).await,
        (Some(d), false) => {
            let body = disk_patch(before, after);
            if body.is_empty() {
                return Ok(());
            }
            client.update_disk(&d.id, &body).await
        }
        (None, false) => client.add_disk(&disk_post(service_id, after)).await,
        (None, true) => Ok(()),
    }
}
