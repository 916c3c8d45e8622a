//! `railway_service`: a service (name, icon, source), its instance settings in one environment,
//! its variables (one variableCollectionUpsert with replace semantics, plus write-only secrets)
//! and its domains. Updates call only what changed: serviceUpdate, serviceConnect,
//! serviceInstanceUpdate, the variable upsert, domain creates/deletes. The schema and validators
//! are in `service_schema.rs`, the API → state mapping in `service_read.rs`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use super::client::models::{Domains, Service};
use super::client::RailwayClient;
use super::service_read::state_from;
use super::service_schema::{service_schema, validate_service};
use super::{known_str, railway_ids};
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::{
    identity::IdentitySchema, require_id, ApplyResult, Ctx, Diagnostics, Identity, ImportId,
    PlanContext, Resource, Schema, Value,
};

pub struct ServiceResource;

/// Terraform attribute ↔ ServiceInstanceUpdateInput field, for the plain settings.
const INSTANCE_FIELDS: &[(&str, &str)] = &[
    ("root_directory", "rootDirectory"),
    ("watch_patterns", "watchPatterns"),
    ("build_command", "buildCommand"),
    ("start_command", "startCommand"),
    ("pre_deploy_command", "preDeployCommand"),
    ("builder", "builder"),
    ("dockerfile_path", "dockerfilePath"),
    ("railway_config_file", "railwayConfigFile"),
    ("healthcheck_path", "healthcheckPath"),
    ("healthcheck_timeout", "healthcheckTimeout"),
    ("cron_schedule", "cronSchedule"),
    ("num_replicas", "numReplicas"),
    ("region", "region"),
    ("sleep_application", "sleepApplication"),
    ("draining_seconds", "drainingSeconds"),
    ("overlap_seconds", "overlapSeconds"),
    ("restart_policy_type", "restartPolicyType"),
    ("restart_policy_max_retries", "restartPolicyMaxRetries"),
];

/// Where a service's settings live.
struct Scope {
    project: String,
    environment: String,
    service: String,
}

/// Whether `attr` must be sent: set on create, changed on update; never while unknown.
fn changed(prior: &Value, plan: &Value, attr: &str) -> bool {
    let p = plan.attr(attr);
    if p.contains_unknown() {
        return false;
    }
    if prior.is_null() {
        !p.is_null()
    } else {
        prior.attr(attr) != p
    }
}

/// The ServiceInstanceUpdateInput for what changed between `prior` (null: nothing yet) and `plan`.
fn instance_input(prior: &Value, plan: &Value) -> Map<String, Json> {
    let mut input = Map::new();
    for (attr, field) in INSTANCE_FIELDS {
        if !changed(prior, plan, attr) {
            continue;
        }
        let v = match (*attr, plan.attr(attr)) {
            // A cleared pattern list is an empty list.
            ("watch_patterns", Value::Null) => json!([]),
            (_, v) => v.to_plain_json(),
        };
        input.insert(field.to_string(), v);
    }
    if changed(prior, plan, "multi_region_replicas") {
        let cfg: Map<String, Json> = plan
            .attr("multi_region_replicas")
            .entries()
            .map(|m| {
                m.iter()
                    .map(|(region, n)| (region.clone(), json!({"numReplicas": n.to_plain_json()})))
                    .collect()
            })
            .unwrap_or_default();
        input.insert(
            "multiRegionConfig".into(),
            if cfg.is_empty() {
                Json::Null
            } else {
                Json::Object(cfg)
            },
        );
    }
    // On create the credentials travel with serviceCreate.
    if !prior.is_null() && changed(prior, plan, "registry_credentials") {
        input.insert("registryCredentials".into(), credentials(plan));
    }
    input
}

fn credentials(plan: &Value) -> Json {
    let c = plan.attr("registry_credentials");
    if c.is_null() {
        return Json::Null;
    }
    json!({"username": c.attr("username").as_str(), "password": c.attr("password").as_str()})
}

/// `{repo, branch}` or `{image}` for serviceConnect.
fn source_input(plan: &Value) -> Json {
    match (
        known_str(plan, "source_repo"),
        known_str(plan, "source_image"),
    ) {
        (Some(repo), _) => match known_str(plan, "branch") {
            Some(b) => json!({"repo": repo, "branch": b}),
            None => json!({"repo": repo}),
        },
        (None, Some(image)) => json!({"image": image}),
        (None, None) => json!({}),
    }
}

/// All the variables to write: the managed map plus the write-only ones from the configuration.
fn wanted_variables(plan: &Value, config: &Value) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for source in [plan.attr("variables"), config.attr("variables_wo")] {
        for (k, v) in source.entries().into_iter().flatten() {
            if let Some(s) = v.as_str() {
                vars.insert(k.clone(), s.to_string());
            }
        }
    }
    vars
}

fn variables_changed(prior: &Value, plan: &Value, config: &Value) -> bool {
    if prior.is_null() {
        let managed = plan
            .attr("variables")
            .entries()
            .is_some_and(|m| !m.is_empty());
        return managed || !config.attr("variables_wo").is_null();
    }
    ["variables", "variables_wo_version", "variables_wo_names"]
        .iter()
        .any(|a| prior.attr(a) != plan.attr(a))
}

fn domains_changed(prior: &Value, plan: &Value) -> bool {
    if prior.is_null() {
        return plan.attr("service_domain").as_bool() == Some(true)
            || plan
                .attr("custom_domains")
                .elements()
                .is_some_and(|d| !d.is_empty());
    }
    ["service_domain", "custom_domains"]
        .iter()
        .any(|a| prior.attr(a) != plan.attr(a))
}

/// Create or delete domains so the instance has what the plan asks (unknown = leave alone).
async fn sync_domains(
    client: &RailwayClient,
    scope: &Scope,
    plan: &Value,
    current: &Domains,
) -> Result<(), ApiError> {
    match plan.attr("service_domain").as_bool() {
        Some(true) if current.service_domains.is_empty() => {
            let d = client
                .create_service_domain(&scope.environment, &scope.service)
                .await?;
            tracing::info!(domain = %d.domain, "created Railway service domain");
        }
        Some(false) => {
            for d in &current.service_domains {
                client.delete_service_domain(&d.id).await?;
            }
        }
        _ => {}
    }
    if let Some(want) = plan
        .attr("custom_domains")
        .elements()
        .filter(|_| !plan.attr("custom_domains").contains_unknown())
    {
        let want: Vec<&str> = want.iter().filter_map(Value::as_str).collect();
        for d in &current.custom_domains {
            if !want.iter().any(|w| w.eq_ignore_ascii_case(&d.domain)) {
                client.delete_custom_domain(&d.id).await?;
            }
        }
        for w in want {
            if !current
                .custom_domains
                .iter()
                .any(|d| d.domain.eq_ignore_ascii_case(w))
            {
                client
                    .create_custom_domain(&scope.project, &scope.environment, &scope.service, w)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Everything after the service exists: instance settings, source (on update), variables,
/// domains. `prior` null means a new service.
async fn apply_settings(
    client: &RailwayClient,
    scope: &Scope,
    prior: &Value,
    plan: &Value,
    config: &Value,
) -> Result<(), Diagnostics> {
    let same_env = !prior.is_null() && prior.attr("environment_id") == plan.attr("environment_id");
    // A new environment has none of our settings yet: send everything configured.
    let base = if same_env { prior.clone() } else { Value::Null };
    if !prior.is_null()
        && ["source_repo", "branch", "source_image"]
            .iter()
            .any(|a| changed(prior, plan, a))
    {
        client
            .connect_service(&scope.service, source_input(plan))
            .await
            .map_err(|e| api_diag("Failed to change the Railway service's source", &e))?;
    }
    let input = instance_input(&base, plan);
    if !input.is_empty() {
        client
            .update_service_instance(&scope.service, &scope.environment, Json::Object(input))
            .await
            .map_err(|e| api_diag("Failed to update the Railway service's settings", &e))?;
    }
    if variables_changed(&base, plan, config) {
        client
            .replace_variables(
                &scope.project,
                &scope.environment,
                &scope.service,
                &wanted_variables(plan, config),
            )
            .await
            .map_err(|e| api_diag("Failed to write the Railway service's variables", &e))?;
    }
    if domains_changed(&base, plan) {
        let current = if base.is_null() && prior.is_null() {
            Domains::default()
        } else {
            client
                .service_state(&scope.project, &scope.environment, &scope.service)
                .await
                .map(|s| s.domains)
                .map_err(|e| api_diag("Failed to read the Railway service's domains", &e))?
        };
        sync_domains(client, scope, plan, &current)
            .await
            .map_err(|e| api_diag("Failed to update the Railway service's domains", &e))?;
    }
    Ok(())
}

/// Read the service's state in one environment; `Ok(None)` when it is gone.
async fn fetch(
    client: &RailwayClient,
    prior: &Value,
    scope: &Scope,
) -> Result<Option<Value>, ApiError> {
    let st = match client
        .service_state(&scope.project, &scope.environment, &scope.service)
        .await
    {
        Ok(s) => s,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let has_repo = st
        .instance
        .source
        .as_ref()
        .and_then(|s| s.repo.as_deref())
        .is_some_and(|r| !r.is_empty());
    let triggers = if has_repo {
        Some(
            client
                .deployment_triggers(&scope.project, &scope.environment, &scope.service)
                .await?,
        )
    } else {
        None
    };
    Ok(Some(state_from(
        prior,
        &scope.environment,
        &st,
        triggers.as_deref(),
    )))
}

/// After an ambiguous create failure: the service with this name in the project, if exactly one.
async fn find_by_name(client: &RailwayClient, project: &str, name: &str) -> Option<Service> {
    let list = client.project_services(project).await.ok()?;
    let mut matches = list.into_iter().filter(|s| s.name == name);
    match (matches.next(), matches.next()) {
        (Some(s), None) => Some(Service {
            id: s.id,
            name: s.name,
            icon: None,
            project_id: project.to_string(),
        }),
        _ => None,
    }
}

#[async_trait]
impl Resource for ServiceResource {
    fn type_name(&self) -> &'static str {
        "railway_service"
    }

    fn schema(&self) -> Schema {
        service_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_service(config, diags);
    }

    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        if ctx.planned.is_null() {
            return;
        }
        let wo = ctx.config.attr("variables_wo");
        let names = match wo.entries() {
            _ if wo.is_unknown() => Value::Unknown,
            Some(m) => Value::set(m.keys().map(Value::string).collect()),
            None => Value::Null,
        };
        ctx.planned.set_attr("variables_wo_names", names);
        let prior = ctx.prior;
        let same_env =
            !prior.is_null() && prior.attr("environment_id") == ctx.planned.attr("environment_id");
        let name = match ctx.planned.attr("service_domain").as_bool() {
            Some(false) => Value::Null,
            Some(true)
                if same_env
                    && prior.attr("service_domain").as_bool() == Some(true)
                    && prior.attr("service_domain_name").as_str().is_some() =>
            {
                prior.attr("service_domain_name").clone()
            }
            _ => Value::Unknown,
        };
        ctx.planned.set_attr("service_domain_name", name);
        let domains = ctx.planned.attr("custom_domains").clone();
        let records = if same_env
            && prior.attr("custom_domains") == &domains
            && !prior.attr("custom_domain_records").is_null()
        {
            prior.attr("custom_domain_records").clone()
        } else if matches!(domains.elements(), Some([])) {
            Value::List(Vec::new())
        } else {
            Value::Unknown
        };
        ctx.planned.set_attr("custom_domain_records", records);
        // A new repository may have another default branch: let Railway tell.
        if !prior.is_null()
            && ctx.config.attr("branch").is_null()
            && prior.attr("source_repo") != ctx.planned.attr("source_repo")
        {
            ctx.planned.set_attr("branch", Value::Unknown);
        }
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let project = known_str(plan, "project_id").unwrap_or_default();
        let name = known_str(plan, "name").unwrap_or_default();
        let environment = match known_str(plan, "environment_id") {
            Some(e) => e,
            None => match client.default_environment_id(&project).await {
                Ok(e) => e,
                Err(e) => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag(
                            "Failed to find the Railway project's production environment",
                            &e,
                        ),
                    )
                }
            },
        };
        let mut input = Map::new();
        input.insert("projectId".into(), json!(project));
        input.insert("name".into(), json!(name));
        if let Some(icon) = known_str(plan, "icon") {
            input.insert("icon".into(), json!(icon));
        }
        // Only an explicit environment scopes the creation (in a forked environment, the service
        // then exists only there); otherwise Railway creates it in every environment.
        if let Some(e) = known_str(config, "environment_id") {
            input.insert("environmentId".into(), json!(e));
        }
        match (
            known_str(plan, "source_repo"),
            known_str(plan, "source_image"),
        ) {
            (Some(repo), _) => {
                input.insert("source".into(), json!({"repo": repo}));
                if let Some(b) = known_str(plan, "branch") {
                    input.insert("branch".into(), json!(b));
                }
            }
            (None, Some(image)) => {
                input.insert("source".into(), json!({"image": image}));
                if !plan.attr("registry_credentials").is_null() {
                    input.insert("registryCredentials".into(), credentials(plan));
                }
            }
            _ => {}
        }
        let service = match client.create_service(Json::Object(input)).await {
            Ok(s) => s,
            // Not retried (it could duplicate): adopt the service if the create did land.
            Err(e) if e.is_ambiguous() => match find_by_name(client, &project, &name).await {
                Some(s) => {
                    tracing::info!(id = %s.id, "adopted Railway service after an ambiguous create failure");
                    s
                }
                None => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag("Failed to create Railway service", &e),
                    )
                }
            },
            Err(e) => {
                return ApplyResult::failed(
                    Value::Null,
                    api_diag("Failed to create Railway service", &e),
                )
            }
        };
        tracing::info!(id = %service.id, "created Railway service");
        let mut partial = plan.clone();
        partial.set_attr("id", Value::string(&service.id));
        partial.set_attr("environment_id", Value::string(&environment));
        let scope = Scope {
            project,
            environment,
            service: service.id.clone(),
        };
        if let Err(d) = apply_settings(client, &scope, &Value::Null, &partial, config).await {
            return ApplyResult::failed(partial, d);
        }
        match fetch(client, &partial, &scope).await {
            Ok(Some(state)) => ApplyResult::ok(state),
            Ok(None) => ApplyResult::failed(
                partial,
                api_diag(
                    "Created the Railway service but cannot read it back",
                    &ApiError::NotFound {
                        message: service.id,
                    },
                ),
            ),
            Err(e) => ApplyResult::failed(
                partial,
                api_diag("Created the Railway service but cannot read it back", &e),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<RailwayClient>()?;
        let id = require_id("railway_service", state, "id")?.to_string();
        let project = match known_str(state, "project_id") {
            Some(p) => p,
            None => match client.service(&id).await {
                Ok(s) => s.project_id,
                Err(e) if e.is_not_found() => return Ok(Value::Null),
                Err(e) => return Err(api_diag("Failed to read Railway service", &e)),
            },
        };
        let environment = match known_str(state, "environment_id") {
            Some(e) => e,
            None => client.default_environment_id(&project).await.map_err(|e| {
                api_diag(
                    "Failed to find the Railway project's production environment",
                    &e,
                )
            })?,
        };
        let scope = Scope {
            project,
            environment,
            service: id,
        };
        match fetch(client, state, &scope).await {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Ok(Value::Null),
            Err(e) => Err(api_diag("Failed to read Railway service", &e)),
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, config: &Value) -> ApplyResult {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let id = match require_id("railway_service", prior, "id") {
            Ok(id) => id.to_string(),
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let project = known_str(prior, "project_id").unwrap_or_default();
        let environment = match known_str(plan, "environment_id")
            .or_else(|| known_str(prior, "environment_id"))
        {
            Some(e) => e,
            None => match client.default_environment_id(&project).await {
                Ok(e) => e,
                Err(e) => {
                    return ApplyResult::failed(
                        prior.clone(),
                        api_diag(
                            "Failed to find the Railway project's production environment",
                            &e,
                        ),
                    )
                }
            },
        };
        let mut plan = plan.clone();
        plan.set_attr("environment_id", Value::string(&environment));
        let mut service_input = Map::new();
        for (attr, field) in [("name", "name"), ("icon", "icon")] {
            if changed(prior, &plan, attr) {
                // An empty icon clears it (null would mean "unchanged").
                service_input.insert(
                    field.into(),
                    json!(known_str(&plan, attr).unwrap_or_default()),
                );
            }
        }
        if !service_input.is_empty() {
            if let Err(e) = client
                .update_service(&id, Json::Object(service_input))
                .await
            {
                return ApplyResult::failed(
                    prior.clone(),
                    api_diag("Failed to update Railway service", &e),
                );
            }
        }
        let scope = Scope {
            project,
            environment,
            service: id,
        };
        if let Err(d) = apply_settings(client, &scope, prior, &plan, config).await {
            // What was applied is unknown in detail: record the prior state; the next plan
            // re-reads and shows what is left to do.
            return ApplyResult::failed(prior.clone(), d);
        }
        match fetch(client, &plan, &scope).await {
            Ok(Some(state)) => ApplyResult::ok(state),
            Ok(None) => ApplyResult::failed(
                Value::Null,
                api_diag(
                    "The Railway service disappeared during the update",
                    &ApiError::NotFound {
                        message: scope.service,
                    },
                ),
            ),
            Err(e) => ApplyResult::failed(
                prior.clone(),
                api_diag("Updated the Railway service but cannot read it back", &e),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<RailwayClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let id = match require_id("railway_service", state, "id") {
            Ok(id) => id,
            Err(d) => return d,
        };
        match client.delete_service(id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Railway service", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let table = import_table();
        let fields = table.parse(&service_schema(), id)?;
        Ok(table.partial_state(&fields))
    }

    /// A service is named for good by its id (the project and environment are read).
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(Identity::new(&["id"]).schema(&service_schema()))
    }

    /// `import { identity = { id = "…" } }`: the same table and checks as an import id.
    fn import_identity(&self, identity: &Value) -> Result<Value, Diagnostics> {
        let table = import_table();
        let fields = table.fields_from_identity(&service_schema(), identity)?;
        Ok(table.partial_state(&fields))
    }
}

/// The accepted import ids; the project and environment a short form leaves out are read.
fn import_table() -> ImportId {
    ImportId::formats(&[
        "<id>",
        "<project_id>/<id>",
        "<project_id>/<environment_id>/<id>",
    ])
    .read_in_full(&["branch"])
    .check(railway_ids)
}
