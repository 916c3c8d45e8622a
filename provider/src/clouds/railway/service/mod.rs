//! `railway_service`: a service (name, icon, source), its instance settings in one environment,
//! its variables (one variableCollectionUpsert with replace semantics, plus write-only secrets)
//! and its domains. Updates call only what changed: serviceUpdate, serviceConnect,
//! serviceInstanceUpdate, the variable upsert, domain creates/deletes. CRUD here ("call the
//! client, map the answer"); the schema and validators in `schema.rs`, the typed model and its
//! pure mappings in `model.rs`. Must not import protocol.
//!
//! Adoption after a lost create answer: a service of the same name in the project, when exactly
//! one exists (Railway does not enforce unique names, so two matches adopt nothing).

pub mod model;
pub mod schema;

use async_trait::async_trait;

use self::model::{subdomain_of, with_subdomain, ServiceModel};
use self::schema::{service_schema, validate_service};
use super::client::models::{
    CustomDomainCreateInput, Domains, Service, ServiceDomainCreateInput, ServiceDomainUpdateInput,
};
use super::client::RailwayClient;
use super::railway_ids;
use crate::clouds::http::{ApiError, GoneOk};
use crate::clouds::support::api_diag;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Create, Diagnostic, Diagnostics, Failed, ImportId,
    KeepPartial, PlanContext, Schema, TypedResource, Update, Val, Value,
};

pub struct ServiceResource;

/// Where a service's settings live.
struct Scope {
    project: String,
    environment: String,
    service: String,
}

/// Create or delete domains so the instance has what the plan asks (unknown = leave alone), and
/// set the target ports and the generated domain's name the plan names (what it does not name is
/// left as it is). serviceDomainCreate takes no name, so a named domain is created, then renamed.
/// serviceDomainUpdate sets the port it is given (none: detected), so the current port goes along
/// with a rename.
async fn sync_domains(
    client: &RailwayClient,
    scope: &Scope,
    plan: &ServiceModel,
    current: &Domains,
) -> Result<(), ApiError> {
    let service_port = plan.service_domain_target_port.known().copied();
    let subdomain = plan.service_domain_subdomain.known();
    let created;
    let generated = match plan.service_domain.known() {
        Some(true) if current.service_domains.is_empty() => {
            let input = ServiceDomainCreateInput {
                environment_id: scope.environment.clone(),
                service_id: scope.service.clone(),
                target_port: service_port,
            };
            let d = client.create_service_domain(&input).await?;
            tracing::info!(domain = %d.domain, "created Railway service domain");
            created = [d];
            &created[..]
        }
        Some(true) => &current.service_domains[..],
        Some(false) => {
            for d in &current.service_domains {
                client.delete_service_domain(&d.id).await?;
            }
            &[]
        }
        None => &[],
    };
    // The name applies to the first domain, the one state reports.
    for (i, d) in generated.iter().enumerate() {
        let name = subdomain
            .filter(|s| i == 0 && subdomain_of(&d.domain) != s.as_str())
            .map(|s| with_subdomain(&d.domain, s));
        let port_changed = service_port.is_some() && d.target_port != service_port;
        if name.is_some() || port_changed {
            let input = ServiceDomainUpdateInput {
                domain: name.unwrap_or_else(|| d.domain.clone()),
                environment_id: scope.environment.clone(),
                service_domain_id: d.id.clone(),
                service_id: scope.service.clone(),
                target_port: service_port.or(d.target_port),
            };
            client.update_service_domain(&input).await?;
        }
    }
    if let Some(want) = plan.custom_domains.known() {
        for d in &current.custom_domains {
            if !want.iter().any(|w| w.eq_ignore_ascii_case(&d.domain)) {
                client.delete_custom_domain(&d.id).await?;
            } else if let Some(p) = plan.custom_domain_port(&d.domain) {
                if d.target_port != Some(p) {
                    client
                        .update_custom_domain(&scope.environment, &d.id, Some(p))
                        .await?;
                }
            }
        }
        for w in want {
            if !current
                .custom_domains
                .iter()
                .any(|d| d.domain.eq_ignore_ascii_case(w))
            {
                let input = CustomDomainCreateInput {
                    project_id: scope.project.clone(),
                    environment_id: scope.environment.clone(),
                    service_id: scope.service.clone(),
                    domain: w.clone(),
                    target_port: plan.custom_domain_port(w),
                };
                client.create_custom_domain(&input).await?;
            }
        }
    }
    Ok(())
}

/// Attempts of one follow-up step (each request is also retried by the HTTP layer where that is
/// safe).
const FOLLOW_UP_ATTEMPTS: u32 = 3;

/// A failure a later attempt may cure: no answer, a server-side error, a garbled answer, or a
/// rate limit that outlasted the HTTP layer's patience.
fn transient(e: &ApiError) -> bool {
    e.is_ambiguous() || matches!(e, ApiError::RateLimited { .. })
}

/// A failed follow-up step: what it was doing, and why.
struct StepError {
    summary: &'static str,
    error: ApiError,
}

fn step<T>(summary: &'static str, r: Result<T, ApiError>) -> Result<T, StepError> {
    r.map_err(|error| StepError { summary, error })
}

/// Run a follow-up step, again after a transient failure. `run(attempt)` must be safe to repeat:
/// settings and variable upserts are idempotent, and the domain step looks before it creates.
async fn retried<T, F, Fut>(client: &RailwayClient, run: F) -> Result<T, StepError>
where
    F: Fn(u32) -> Fut,
    Fut: std::future::Future<Output = Result<T, StepError>>,
{
    let mut attempt = 1u32;
    loop {
        match run(attempt).await {
            Err(e) if transient(&e.error) && attempt < FOLLOW_UP_ATTEMPTS => {
                tracing::warn!(step = e.summary, attempt, error = %e.error, "Railway follow-up failed; retrying");
                match client.pause_before_retry(attempt).await {
                    Ok(true) => attempt += 1,
                    Ok(false) => return Err(e),
                    Err(stop) => return step(e.summary, Err(stop)),
                }
            }
            other => return other,
        }
    }
}

/// Everything after the service exists: source (on update), instance settings, variables,
/// domains, each retried after a transient failure. `prior` None means a new service: then a
/// step that still fails transiently is a warning (returned), not an error, so Terraform keeps
/// the new service untainted and the next plan shows what is left (a read reports the missing
/// settings, variables, write-only names and domains). Any other failure is an error.
async fn apply_settings(
    client: &RailwayClient,
    scope: &Scope,
    prior: Option<&ServiceModel>,
    plan: &ServiceModel,
    config: &ServiceModel,
) -> Result<Diagnostics, Diagnostics> {
    // A new environment has none of our settings yet: send everything configured.
    let base = prior.filter(|p| p.environment_id == plan.environment_id);
    let mut results = Vec::new();
    if prior.is_some_and(|p| plan.source_changed(p)) {
        let input = plan.connect_input();
        results.push(
            retried(client, |_| async {
                step(
                    "Failed to change the Railway service's source",
                    client.connect_service(&scope.service, &input).await,
                )
            })
            .await,
        );
    }
    let input = plan.instance_input(base);
    if !input.is_empty() {
        results.push(
            retried(client, |_| async {
                step(
                    "Failed to update the Railway service's settings",
                    client
                        .update_service_instance(&scope.service, &scope.environment, &input)
                        .await,
                )
            })
            .await,
        );
    }
    if plan.variables_changed(base, config) {
        let (input, secrets) =
            plan.variables_input(config, &scope.project, &scope.environment, &scope.service);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        results.push(
            retried(client, |_| async {
                step(
                    "Failed to write the Railway service's variables",
                    client.upsert_variables(&input, &secrets).await,
                )
            })
            .await,
        );
    }
    if plan.domains_changed(base) {
        results.push(
            retried(client, |attempt| async move {
                // A new service has no domains, unless a failed attempt made some: look first.
                let current = if prior.is_none() && attempt == 1 {
                    Domains::default()
                } else {
                    step(
                        "Failed to read the Railway service's domains",
                        client
                            .service_state(&scope.project, &scope.environment, &scope.service)
                            .await
                            .map(|s| s.domains),
                    )?
                };
                step(
                    "Failed to update the Railway service's domains",
                    sync_domains(client, scope, plan, &current).await,
                )
            })
            .await,
        );
    }
    let mut warnings = Diagnostics::new();
    for e in results.into_iter().filter_map(Result::err) {
        if prior.is_some() || !transient(&e.error) {
            return Err(api_diag(e.summary, &e.error));
        }
        warnings.push(Diagnostic::warning(
            e.summary,
            format!(
                "{}. The service was created and stays in state (not tainted); the next plan shows \
                 what is left and the next apply finishes it.",
                e.error
            ),
        ));
    }
    Ok(warnings)
}

/// Read the service's state in one environment; `Ok(None)` when it is gone.
async fn fetch(
    client: &RailwayClient,
    prior: &ServiceModel,
    scope: &Scope,
) -> Result<Option<ServiceModel>, ApiError> {
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
    Ok(Some(ServiceModel::from_api(
        prior,
        &scope.environment,
        &st,
        triggers.as_deref(),
    )))
}

/// After an ambiguous create failure: the service with this name in the project, if exactly one.
async fn find_by_name(
    client: &RailwayClient,
    project: &str,
    name: &str,
) -> Result<Option<Service>, ApiError> {
    let list = client.project_services(project).await?;
    let mut matches = list.into_iter().filter(|s| s.name == name);
    Ok(match (matches.next(), matches.next()) {
        (Some(s), None) => Some(Service {
            id: s.id,
            name: s.name,
            icon: None,
            project_id: project.to_string(),
        }),
        _ => None,
    })
}

/// The environment the model names, else the project's production environment (one lookup).
async fn environment_of(
    client: &RailwayClient,
    model: &ServiceModel,
    project: &str,
) -> Result<String, Diagnostics> {
    match model.environment_id.known() {
        Some(e) => Ok(e.clone()),
        None => client.default_environment_id(project).await.map_err(|e| {
            api_diag(
                "Failed to find the Railway project's production environment",
                &e,
            )
        }),
    }
}

/// The plan hook, on `Value`s because the plan may hold unknowns anywhere: the write-only names,
/// the generated domain and DNS records (kept unless what they follow changes), and the branch
/// of a new repository.
fn plan_computed(ctx: &mut PlanContext<'_>) {
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
            // A new name is known at plan: the same suffix, the configured first label.
            let current = prior
                .attr("service_domain_name")
                .as_str()
                .unwrap_or_default();
            match ctx.config.attr("service_domain_subdomain") {
                Value::String(s) => Value::string(with_subdomain(current, s)),
                v if v.is_unknown() => Value::Unknown,
                _ => Value::string(current),
            }
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

#[async_trait]
impl TypedResource for ServiceResource {
    type Model = ServiceModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_service";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        crate::clouds::railway::moves::service_sources()
    }

    fn schema(&self) -> Schema {
        service_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_service(config, diags);
    }

    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        plan_computed(ctx);
    }

    /// The accepted import ids; the project and environment a short form leaves out are read.
    /// A service is named for good by its id (the default identity).
    fn import_id(&self) -> ImportId {
        ImportId::formats(&[
            "<id>",
            "<project_id>/<id>",
            "<project_id>/<environment_id>/<id>",
        ])
        // Not `service_domain_subdomain`: unset, it leaves Railway's generated name alone, so an
        // import of a configuration without it must not read one in (a diff on the first plan).
        .read_in_full(&[
            "branch",
            "service_domain_target_port",
            "custom_domain_target_ports",
        ])
        .check(railway_ids)
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<ServiceModel>,
        _cx: &ApplyCx,
    ) -> Applied<ServiceModel> {
        let project = op.plan.project_id.required("project_id")?;
        let name = op.plan.name.as_deref().unwrap_or_default();
        let environment = environment_of(c, &op.plan, project).await?;
        let input = op
            .plan
            .to_create_request(project, op.config.environment_id.as_deref());
        // Not retried (it could duplicate): adopt the service if the create did land.
        let service = create_or_adopt(
            "Failed to create Railway service",
            c.create_service(&input),
            || find_by_name(c, project, name),
        )
        .await?;
        tracing::info!(id = %service.id, "created Railway service");
        let mut partial = op.plan.clone();
        partial.id = Val::Known(service.id.clone());
        partial.environment_id = Val::Known(environment.clone());
        let scope = Scope {
            project: project.to_string(),
            environment,
            service: service.id.clone(),
        };
        let mut warnings = apply_settings(c, &scope, None, &partial, &op.config)
            .await
            .keep(partial.clone())?;
        let read_back = "Created the Railway service but cannot read it back";
        let fetched = retried(c, |_| async {
            step(read_back, fetch(c, &partial, &scope).await)
        })
        .await;
        match fetched {
            Ok(Some(state)) if warnings.is_empty() => Ok(state),
            Ok(Some(state)) => Err(Failed::partial(state, warnings)),
            Ok(None) => {
                let gone = ApiError::NotFound {
                    message: service.id,
                };
                warnings.extend(api_diag(read_back, &gone));
                Err(Failed::partial(partial, warnings))
            }
            // The next refresh reads what the read-back could not.
            Err(e) if transient(&e.error) => {
                warnings.push(Diagnostic::warning(
                    read_back,
                    format!("{}. The service was created and stays in state (not tainted); the next plan reads it.", e.error),
                ));
                Err(Failed::partial(partial, warnings))
            }
            Err(e) => {
                warnings.extend(api_diag(read_back, &e.error));
                Err(Failed::partial(partial, warnings))
            }
        }
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: ServiceModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ServiceModel>, Diagnostics> {
        let id = state.id.required("id")?;
        let project = match state.project_id.known() {
            Some(p) => p.clone(),
            None => match c.service(id).await {
                Ok(s) => s.project_id,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(api_diag("Failed to read Railway service", &e)),
            },
        };
        let environment = environment_of(c, &state, &project).await?;
        let scope = Scope {
            project,
            environment,
            service: id.to_string(),
        };
        fetch(c, &state, &scope)
            .await
            .map_err(|e| api_diag("Failed to read Railway service", &e))
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<ServiceModel>,
        _cx: &ApplyCx,
    ) -> Applied<ServiceModel> {
        let prior = &op.prior;
        let keep = |d: Diagnostics| Failed::partial(prior.clone(), d);
        let id = prior.id.required("id").map_err(keep)?;
        let project = prior.project_id.required("project_id").map_err(keep)?;
        let mut plan = op.plan.clone();
        if plan.environment_id.is_unset() {
            plan.environment_id = prior.environment_id.clone();
        }
        let environment = environment_of(c, &plan, project).await.map_err(keep)?;
        plan.environment_id = Val::Known(environment.clone());
        let input = plan.to_update_request(prior);
        if !input.is_empty() {
            c.update_service(id, &input)
                .await
                .map_err(|e| keep(api_diag("Failed to update Railway service", &e)))?;
        }
        let scope = Scope {
            project: project.to_string(),
            environment,
            service: id.to_string(),
        };
        // What was applied is unknown in detail: record the prior state; the next plan re-reads
        // and shows what is left to do.
        apply_settings(c, &scope, Some(prior), &plan, &op.config)
            .await
            .map_err(keep)?;
        match fetch(c, &plan, &scope).await {
            Ok(Some(state)) => Ok(state),
            Ok(None) => Err(api_diag(
                "The Railway service disappeared during the update",
                &ApiError::NotFound {
                    message: scope.service,
                },
            )
            .into()),
            Err(e) => Err(keep(api_diag(
                "Updated the Railway service but cannot read it back",
                &e,
            ))),
        }
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: ServiceModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_service(state.id.required("id")?)
            .await
            .gone_ok()
            .map_err(|e| api_diag("Failed to delete Railway service", &e))
    }
}
