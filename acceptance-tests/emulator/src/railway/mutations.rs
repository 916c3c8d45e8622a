//! Root `Mutation` fields the emulator performs: projects, environments (forking a source
//! environment's instances and variables), services (an instance in every environment), service
//! instance settings and deploys, variables (collection upsert with `replace`), service and custom
//! domains. Every input was already coerced to its schema type; this file checks what the schema
//! cannot (existence, ownership, uniqueness, settings syntax). Imports state, objects, settings,
//! queries' argument helpers and the error type.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{code, GqlError};
use super::objects::{self, SERVICE_DOMAIN_SUFFIX};
use super::queries::{arg, opt};
use super::settings::{check_instance_update, check_source};
use super::state::{
    ordered, scope_key, CustomDomain, Deployment, Environment, Project, RailwayState, Service,
    ServiceDomain, ServiceInstance,
};

/// Railway ids are UUIDs.
pub fn uuid() -> String {
    use rand::Rng;
    let n: u128 = rand::rng().random();
    let h = format!(
        "{:032x}",
        (n & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62)
    );
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

pub(super) fn rand_suffix(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub(super) fn now() -> String {
    crate::world::now_rfc3339()
}

pub(super) fn input(args: &Map<String, Value>) -> Map<String, Value> {
    args.get("input")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

pub(super) fn s<'a>(input: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

fn b(input: &Map<String, Value>, key: &str) -> Option<bool> {
    input.get(key).and_then(Value::as_bool)
}

fn non_empty(what: &str, v: &str) -> Result<(), GqlError> {
    if v.trim().is_empty() {
        return Err(GqlError::bad_input(format!("{what} must not be empty")));
    }
    Ok(())
}

/// `EnvironmentVariables` values: a JSON object of strings.
fn variable_map(v: Option<&Value>) -> Result<BTreeMap<String, String>, GqlError> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(BTreeMap::new());
    };
    let Value::Object(map) = v else {
        return Err(GqlError::bad_input(
            "variables must be an object of name → string value",
        ));
    };
    map.iter()
        .map(|(k, v)| {
            check_variable_name(k)?;
            match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(GqlError::bad_input(format!(
                    "Variable {k} must be a string, got {other}"
                ))),
            }
        })
        .collect()
}

fn check_variable_name(name: &str) -> Result<(), GqlError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '=') {
        return Err(GqlError::bad_input(format!(
            "Invalid variable name \"{name}\""
        )));
    }
    Ok(())
}

fn check_port(input: &Map<String, Value>) -> Result<Option<i64>, GqlError> {
    match input.get("targetPort").and_then(Value::as_i64) {
        Some(p) if !(1..=65535).contains(&p) => Err(GqlError::bad_input(format!(
            "targetPort must be between 1 and 65535, got {p}"
        ))),
        p => Ok(p),
    }
}

pub fn mutation(
    state: &mut RailwayState,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Value, GqlError> {
    match field {
        "projectCreate" => project_create(state, &input(args)),
        "projectUpdate" => project_update(state, arg(args, "id")?, &input(args)),
        "projectDelete" => {
            let id = state.project(arg(args, "id")?)?.id.clone();
            state.delete_project(&id);
            Ok(Value::Bool(true))
        }
        "environmentCreate" => environment_create(state, &input(args)),
        "environmentRename" => environment_rename(state, arg(args, "id")?, &input(args)),
        "environmentDelete" => {
            let id = state.environment(arg(args, "id")?)?.id.clone();
            state.delete_environment(&id);
            Ok(Value::Bool(true))
        }
        "serviceCreate" => service_create(state, &input(args)),
        "serviceUpdate" => service_update(state, arg(args, "id")?, &input(args)),
        "serviceConnect" => service_connect(state, arg(args, "id")?, &input(args)),
        "serviceDelete" => service_delete(state, arg(args, "id")?, opt(args, "environmentId")),
        "serviceInstanceUpdate" => instance_update(
            state,
            arg(args, "serviceId")?,
            opt(args, "environmentId"),
            &input(args),
        ),
        "serviceInstanceDeploy" | "serviceInstanceDeployV2" | "serviceInstanceRedeploy" => {
            let (service, env) = (arg(args, "serviceId")?, arg(args, "environmentId")?);
            state.service(service)?;
            state.environment(env)?;
            state.instance(service, env)?;
            let had_one = state
                .deployments
                .values()
                .any(|d| d.service_id == service && d.environment_id == env);
            if field == "serviceInstanceRedeploy" && !had_one {
                return Err(GqlError::bad_input("No deployment found to redeploy"));
            }
            let id = record_deployment(state, service, env, opt(args, "commitSha"));
            Ok(if field == "serviceInstanceDeployV2" {
                Value::String(id)
            } else {
                Value::Bool(true)
            })
        }
        "variableCollectionUpsert" => variable_collection_upsert(state, &input(args)),
        "variableUpsert" | "variableDelete" => {
            let input = input(args);
            let (project, env) = (
                s(&input, "projectId").unwrap_or_default(),
                s(&input, "environmentId").unwrap_or_default(),
            );
            let service = s(&input, "serviceId");
            state.check_scope(project, env, service)?;
            let name = s(&input, "name").unwrap_or_default();
            check_variable_name(name)?;
            let vars = state.variables.entry(scope_key(env, service)).or_default();
            if field == "variableUpsert" {
                vars.insert(
                    name.to_string(),
                    s(&input, "value").unwrap_or_default().to_string(),
                );
            } else if vars.remove(name).is_none() {
                return Err(GqlError::not_found("Variable"));
            }
            Ok(Value::Bool(true))
        }
        "serviceDomainCreate" => service_domain_create(state, &input(args)),
        "serviceDomainUpdate" => service_domain_update(state, &input(args)),
        "serviceDomainDelete" => state
            .service_domains
            .remove(arg(args, "id")?)
            .map(|_| Value::Bool(true))
            .ok_or_else(|| GqlError::not_found("Service domain")),
        "customDomainCreate" => custom_domain_create(state, &input(args)),
        "customDomainUpdate" => {
            let port = check_port(args)?;
            let env = arg(args, "environmentId")?.to_string();
            let d = state
                .custom_domains
                .get_mut(arg(args, "id")?)
                .filter(|d| d.environment_id == env)
                .ok_or_else(|| GqlError::not_found("Custom domain"))?;
            d.target_port = port;
            d.updated_at = now();
            Ok(Value::Bool(true))
        }
        "customDomainDelete" => state
            .custom_domains
            .remove(arg(args, "id")?)
            .map(|_| Value::Bool(true))
            .ok_or_else(|| GqlError::not_found("Custom domain")),
        "volumeCreate"
        | "volumeUpdate"
        | "volumeInstanceUpdate"
        | "volumeDelete"
        | "tcpProxyCreate"
        | "tcpProxyDelete" => super::volumes::mutation(state, field, args),
        other => Err(GqlError::new(
            code::NOT_IMPLEMENTED,
            format!("Mutation.{other} is valid but not emulated"),
        )),
    }
}

fn project_create(state: &mut RailwayState, input: &Map<String, Value>) -> Result<Value, GqlError> {
    let name = match s(input, "name") {
        Some(n) => {
            non_empty("Project name", n)?;
            n.to_string()
        }
        None => format!("project-{}", rand_suffix(6)),
    };
    let env_name = s(input, "defaultEnvironmentName").unwrap_or("production");
    non_empty("defaultEnvironmentName", env_name)?;
    let (id, env_id, t) = (uuid(), uuid(), now());
    let seq = state.next_seq();
    let project = Project {
        id: id.clone(),
        seq,
        name,
        description: s(input, "description").map(str::to_string),
        is_public: b(input, "isPublic").unwrap_or(false),
        pr_deploys: b(input, "prDeploys").unwrap_or(false),
        bot_pr_environments: false,
        focused_pr_environments: false,
        base_environment_id: Some(env_id.clone()),
        primary_environment_id: Some(env_id.clone()),
        workspace_id: s(input, "workspaceId").map(str::to_string),
        created_at: t.clone(),
        updated_at: t.clone(),
    };
    let seq = state.next_seq();
    state.environments.insert(
        env_id.clone(),
        Environment {
            id: env_id,
            seq,
            project_id: id.clone(),
            name: env_name.to_string(),
            source_environment_id: None,
            is_ephemeral: false,
            created_at: t.clone(),
            updated_at: t,
        },
    );
    let out = objects::project(&project);
    state.projects.insert(id, project);
    Ok(out)
}

fn project_update(
    state: &mut RailwayState,
    id: &str,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    state.project(id)?;
    if let Some(base) = s(input, "baseEnvironmentId") {
        if state.environment(base)?.project_id != id {
            return Err(GqlError::not_found("Environment"));
        }
    }
    if let Some(name) = s(input, "name") {
        non_empty("Project name", name)?;
    }
    let Some(p) = state.projects.get_mut(id) else {
        return Err(GqlError::not_found("Project"));
    };
    for (key, value) in input {
        match key.as_str() {
            "name" => {
                if let Some(n) = value.as_str() {
                    p.name = n.to_string();
                }
            }
            "description" => p.description = value.as_str().map(str::to_string),
            "baseEnvironmentId" => p.base_environment_id = value.as_str().map(str::to_string),
            "isPublic" => p.is_public = value.as_bool().unwrap_or(p.is_public),
            "prDeploys" => p.pr_deploys = value.as_bool().unwrap_or(p.pr_deploys),
            "botPrEnvironments" => {
                p.bot_pr_environments = value.as_bool().unwrap_or(p.bot_pr_environments)
            }
            "focusedPrEnvironments" => {
                p.focused_pr_environments = value.as_bool().unwrap_or(p.focused_pr_environments)
            }
            _ => {}
        }
    }
    p.updated_at = now();
    Ok(objects::project(p))
}

fn new_instance(
    state: &mut RailwayState,
    service_id: &str,
    environment_id: &str,
    settings: Map<String, Value>,
) {
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    state.instances.insert(
        id.clone(),
        ServiceInstance {
            id,
            seq,
            service_id: service_id.to_string(),
            environment_id: environment_id.to_string(),
            settings,
            created_at: t.clone(),
            updated_at: t,
        },
    );
}

fn environment_create(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let project_id = state
        .project(s(input, "projectId").unwrap_or_default())?
        .id
        .clone();
    let name = s(input, "name").unwrap_or_default();
    non_empty("Environment name", name)?;
    if state
        .environments
        .values()
        .any(|e| e.project_id == project_id && e.name == name)
    {
        return Err(GqlError::bad_input(format!(
            "Environment \"{name}\" already exists in this project"
        )));
    }
    let source = match s(input, "sourceEnvironmentId") {
        Some(src) => {
            let env = state.environment(src)?;
            if env.project_id != project_id {
                return Err(GqlError::not_found("Environment"));
            }
            Some(env.id.clone())
        }
        None => None,
    };
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let env = Environment {
        id: id.clone(),
        seq,
        project_id: project_id.clone(),
        name: name.to_string(),
        source_environment_id: source.clone(),
        is_ephemeral: b(input, "ephemeral").unwrap_or(false),
        created_at: t.clone(),
        updated_at: t,
    };
    state.environments.insert(id.clone(), env.clone());
    let services: Vec<String> = ordered(&state.services, |s| s.project_id == project_id)
        .into_iter()
        .map(|s| s.id.clone())
        .collect();
    for service in services {
        // A fork copies each instance's settings; a fresh environment gets default instances.
        let settings = source
            .as_ref()
            .and_then(|src| state.instance(&service, src).ok())
            .map(|i| i.settings.clone())
            .unwrap_or_default();
        new_instance(state, &service, &id, settings);
    }
    if let Some(src) = &source {
        let prefix = format!("{src}/");
        let copies: Vec<(String, BTreeMap<String, String>)> = state
            .variables
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&prefix)
                    .map(|scope| (format!("{id}/{scope}"), v.clone()))
            })
            .collect();
        state.variables.extend(copies);
    }
    Ok(objects::environment(&env))
}

fn record_deployment(
    state: &mut RailwayState,
    service_id: &str,
    environment_id: &str,
    commit_sha: Option<&str>,
) -> String {
    let project_id = state
        .services
        .get(service_id)
        .map(|s| s.project_id.clone())
        .unwrap_or_default();
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    state.deployments.insert(
        id.clone(),
        Deployment {
            id: id.clone(),
            seq,
            project_id,
            environment_id: environment_id.to_string(),
            service_id: service_id.to_string(),
            status: "SUCCESS".to_string(),
            commit_sha: commit_sha.map(str::to_string),
            created_at: t.clone(),
            updated_at: t,
            timing: None,
        },
    );
    id
}

fn service_create(state: &mut RailwayState, input: &Map<String, Value>) -> Result<Value, GqlError> {
    let project_id = state
        .project(s(input, "projectId").unwrap_or_default())?
        .id
        .clone();
    let only_env = match s(input, "environmentId") {
        Some(e) => {
            if state.environment(e)?.project_id != project_id {
                return Err(GqlError::not_found("Environment"));
            }
            Some(e.to_string())
        }
        None => None,
    };
    let source = input.get("source").filter(|v| !v.is_null()).cloned();
    if let Some(src) = &source {
        check_source(src)?;
    }
    let name = match s(input, "name") {
        Some(n) => {
            non_empty("Service name", n)?;
            n.to_string()
        }
        None => source
            .as_ref()
            .and_then(|s| s.get("repo").or_else(|| s.get("image")))
            .and_then(Value::as_str)
            .map(|r| {
                r.rsplit('/')
                    .next()
                    .unwrap_or(r)
                    .split(':')
                    .next()
                    .unwrap_or(r)
                    .to_string()
            })
            .unwrap_or_else(|| format!("service-{}", rand_suffix(6))),
    };
    let variables = variable_map(input.get("variables"))?;
    let mut settings = Map::new();
    if let Some(src) = &source {
        settings.insert("source".into(), src.clone());
    }
    for key in ["branch", "registryCredentials"] {
        if let Some(v) = input.get(key).filter(|v| !v.is_null()) {
            settings.insert(key.into(), v.clone());
        }
    }
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let service = Service {
        id: id.clone(),
        seq,
        project_id: project_id.clone(),
        name,
        icon: s(input, "icon").map(str::to_string),
        created_at: t.clone(),
        updated_at: t,
    };
    state.services.insert(id.clone(), service.clone());
    let envs: Vec<String> = ordered(&state.environments, |e| e.project_id == project_id)
        .into_iter()
        .map(|e| e.id.clone())
        .collect();
    for env in envs {
        new_instance(state, &id, &env, settings.clone());
        // Variables given at creation land in the named environment, or in all of them.
        if only_env.as_ref().is_none_or(|only| *only == env) {
            if !variables.is_empty() {
                state
                    .variables
                    .insert(scope_key(&env, Some(&id)), variables.clone());
            }
            if source.is_some() {
                record_deployment(state, &id, &env, None);
            }
        }
    }
    Ok(objects::service(&service))
}

fn service_update(
    state: &mut RailwayState,
    id: &str,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    state.service(id)?;
    if let Some(name) = s(input, "name") {
        non_empty("Service name", name)?;
    }
    let Some(svc) = state.services.get_mut(id) else {
        return Err(GqlError::not_found("Service"));
    };
    if let Some(name) = s(input, "name") {
        svc.name = name.to_string();
    }
    if input.contains_key("icon") {
        svc.icon = s(input, "icon").map(str::to_string);
    }
    svc.updated_at = now();
    Ok(objects::service(svc))
}

fn environment_rename(
    state: &mut RailwayState,
    id: &str,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let env = state.environment(id)?.clone();
    let name = s(input, "name").unwrap_or_default();
    non_empty("Environment name", name)?;
    let taken = state
        .environments
        .values()
        .any(|e| e.project_id == env.project_id && e.name == name && e.id != env.id);
    if taken {
        return Err(GqlError::bad_input(format!(
            "Environment \"{name}\" already exists in this project"
        )));
    }
    let renamed = state
        .environments
        .get_mut(id)
        .ok_or_else(|| GqlError::not_found("Environment"))?;
    renamed.name = name.to_string();
    renamed.updated_at = now();
    Ok(objects::environment(renamed))
}

fn service_connect(
    state: &mut RailwayState,
    id: &str,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let svc = state.service(id)?.clone();
    let mut source = Map::new();
    for key in ["repo", "image"] {
        if let Some(v) = s(input, key) {
            source.insert(key.into(), Value::String(v.to_string()));
        }
    }
    let source = Value::Object(source);
    check_source(&source)?;
    for inst in state.instances.values_mut().filter(|i| i.service_id == id) {
        inst.settings.insert("source".into(), source.clone());
        if let Some(branch) = s(input, "branch") {
            inst.settings
                .insert("branch".into(), Value::String(branch.into()));
        }
        inst.updated_at = now();
    }
    Ok(objects::service(&svc))
}

/// With a forked environment, only that environment's instance goes; otherwise the whole service.
fn service_delete(
    state: &mut RailwayState,
    id: &str,
    environment_id: Option<&str>,
) -> Result<Value, GqlError> {
    state.service(id)?;
    match environment_id {
        Some(env) if state.environment(env)?.source_environment_id.is_some() => {
            state.remove_service_from_environment(id, env);
        }
        _ => state.delete_service(id),
    }
    Ok(Value::Bool(true))
}

/// Apply the given settings to one environment's instance, or to every instance of the service
/// when no environment is named. An explicit `null` resets a setting to its default.
fn instance_update(
    state: &mut RailwayState,
    service_id: &str,
    environment_id: Option<&str>,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    state.service(service_id)?;
    check_instance_update(input)?;
    let targets: Vec<String> = match environment_id {
        Some(env) => {
            state.environment(env)?;
            vec![state.instance(service_id, env)?.id.clone()]
        }
        None => ordered(&state.instances, |i| i.service_id == service_id)
            .into_iter()
            .map(|i| i.id.clone())
            .collect(),
    };
    let t = now();
    for id in targets {
        let Some(inst) = state.instances.get_mut(&id) else {
            continue;
        };
        for (key, value) in input {
            if value.is_null() {
                inst.settings.remove(key);
            } else {
                inst.settings.insert(key.clone(), value.clone());
            }
        }
        inst.updated_at = t.clone();
    }
    Ok(Value::Bool(true))
}

fn variable_collection_upsert(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let (project, env) = (
        s(input, "projectId").unwrap_or_default(),
        s(input, "environmentId").unwrap_or_default(),
    );
    let service = s(input, "serviceId");
    state.check_scope(project, env, service)?;
    let given = variable_map(input.get("variables"))?;
    let vars = state.variables.entry(scope_key(env, service)).or_default();
    if b(input, "replace") == Some(true) {
        *vars = given;
    } else {
        vars.extend(given);
    }
    Ok(Value::Bool(true))
}

pub(super) fn slug(s: &str) -> String {
    let mut out: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

fn service_domain_create(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let (service_id, env_id) = (
        s(input, "serviceId").unwrap_or_default(),
        s(input, "environmentId").unwrap_or_default(),
    );
    let svc = state.service(service_id)?.clone();
    let env = state.environment(env_id)?.clone();
    state.instance(service_id, env_id)?;
    let port = check_port(input)?;
    let domain = format!(
        "{}-{}-{}.{SERVICE_DOMAIN_SUFFIX}",
        slug(&svc.name),
        slug(&env.name),
        rand_suffix(4)
    );
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let d = ServiceDomain {
        id: id.clone(),
        seq,
        project_id: svc.project_id,
        environment_id: env.id,
        service_id: svc.id,
        domain,
        target_port: port,
        created_at: t.clone(),
        updated_at: t,
    };
    let out = objects::service_domain(&d);
    state.service_domains.insert(id, d);
    Ok(out)
}

fn service_domain_update(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let id = s(input, "serviceDomainId").unwrap_or_default();
    let domain = s(input, "domain").unwrap_or_default().to_ascii_lowercase();
    let port = check_port(input)?;
    let label = domain.strip_suffix(&format!(".{SERVICE_DOMAIN_SUFFIX}"));
    // One DNS label: lowercase letters, digits and hyphens, not at either end.
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !label.is_some_and(label_ok) {
        return Err(GqlError::bad_input(format!(
            "Service domain \"{domain}\" must be <name>.{SERVICE_DOMAIN_SUFFIX}"
        )));
    }
    if state
        .service_domains
        .values()
        .any(|d| d.domain == domain && d.id != id)
    {
        return Err(GqlError::bad_input(format!(
            "Domain \"{domain}\" is not available"
        )));
    }
    let d = state
        .service_domains
        .get_mut(id)
        .filter(|d| {
            Some(d.service_id.as_str()) == s(input, "serviceId")
                && Some(d.environment_id.as_str()) == s(input, "environmentId")
        })
        .ok_or_else(|| GqlError::not_found("Service domain"))?;
    d.domain = domain;
    d.target_port = port;
    d.updated_at = now();
    Ok(Value::Bool(true))
}

fn valid_hostname(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn custom_domain_create(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let (project, env, service) = (
        s(input, "projectId").unwrap_or_default(),
        s(input, "environmentId").unwrap_or_default(),
        s(input, "serviceId").unwrap_or_default(),
    );
    state.check_scope(project, env, Some(service))?;
    state.instance(service, env)?;
    let port = check_port(input)?;
    let domain = s(input, "domain").unwrap_or_default().to_ascii_lowercase();
    if !valid_hostname(&domain) || domain.ends_with(SERVICE_DOMAIN_SUFFIX) {
        return Err(GqlError::bad_input(format!(
            "Invalid custom domain \"{domain}\""
        )));
    }
    if state.custom_domains.values().any(|d| d.domain == domain) {
        return Err(GqlError::bad_input(format!(
            "Domain \"{domain}\" is already in use"
        )));
    }
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let d = CustomDomain {
        id: id.clone(),
        seq,
        project_id: project.to_string(),
        environment_id: env.to_string(),
        service_id: service.to_string(),
        domain,
        target_port: port,
        cname_target: format!("{}.{SERVICE_DOMAIN_SUFFIX}", rand_suffix(8)),
        verification_token: format!("railway-verify={}", rand_suffix(32)),
        created_at: t.clone(),
        updated_at: t,
    };
    let out = objects::custom_domain(&d);
    state.custom_domains.insert(id, d);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_look_like_v4() {
        let u = uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
    }

    #[test]
    fn slugs_and_hostnames() {
        assert_eq!(slug("My API  Server"), "my-api-server");
        assert!(valid_hostname("app.example.com"));
        assert!(!valid_hostname("localhost"));
        assert!(!valid_hostname("-bad.example.com"));
    }
}
