//! `serviceDetails` of a Render service: built from a `*DetailsPOST` body, changed by a
//! `*DetailsPATCH` body, and stored in the response shape (`staticSiteDetails`,
//! `webServiceDetails`, …). The disk is not kept here (see `disks`); everything else is.
//! Imports only the shared plumbing and the enums.

use serde_json::{json, Map, Value};

use super::api::{opt_bool, opt_enum, opt_int, opt_object, opt_str, ApiError, Object};
use super::enums::{
    PREVIEW_GENERATION, REGIONS, RUNTIMES, SERVICE_PLANS, SUBDOMAIN_POLICY, YES_NO,
};

/// Web services, private services and background workers: long-running instances that can scale
/// and carry a disk.
pub fn is_server(kind: &str) -> bool {
    matches!(
        kind,
        "web_service" | "private_service" | "background_worker"
    )
}

/// Runtimes whose `envSpecificDetails` are `dockerDetails` rather than native build/start commands.
pub fn is_docker_like(runtime: &str) -> bool {
    matches!(runtime, "docker" | "image")
}

/// The public URL of a service, per type (private services answer on the private network).
pub fn service_url(kind: &str, slug: &str) -> Option<String> {
    match kind {
        "web_service" | "static_site" => Some(format!("https://{slug}.onrender.com")),
        "private_service" => Some(format!("http://{slug}:10000")),
        _ => None,
    }
}

/// Details for a new service of `kind` from the create body's `serviceDetails` (`d`).
pub fn create(kind: &str, slug: &str, d: &Object) -> Result<Object, ApiError> {
    let mut out = Map::new();
    if kind == "static_site" {
        out.insert("buildCommand".into(), json!(""));
        out.insert("publishPath".into(), json!("public"));
        out.insert("renderSubdomainPolicy".into(), json!("enabled"));
    } else {
        let runtime = runtime_of(d)?.ok_or_else(|| {
            ApiError::bad_request("serviceDetails.runtime is required for this service type")
        })?;
        set_runtime(&mut out, &runtime);
        out.insert("plan".into(), json!("starter"));
        let region = opt_enum(d, "region", REGIONS)?.unwrap_or_else(|| "oregon".into());
        out.insert("region".into(), json!(region));
    }
    out.insert("buildPlan".into(), json!("starter"));
    if kind != "cron_job" {
        out.insert("pullRequestPreviewsEnabled".into(), json!("no"));
        out.insert("previews".into(), json!({"generation": "off"}));
    }
    if is_server(kind) {
        out.insert("maxShutdownDelaySeconds".into(), json!(30));
        let n = opt_int(d, "numInstances")?.unwrap_or(1);
        if n < 1 {
            return Err(ApiError::bad_request("numInstances must be at least 1"));
        }
        out.insert("numInstances".into(), json!(n));
        if let Some(a) = opt_object(d, "autoscaling")? {
            out.insert("autoscaling".into(), autoscaling(a)?);
        }
    }
    if kind == "web_service" || kind == "private_service" {
        out.insert(
            "openPorts".into(),
            json!([{"port": 10000, "protocol": "TCP"}]),
        );
    }
    if kind == "web_service" {
        out.insert("healthCheckPath".into(), json!(""));
        out.insert("renderSubdomainPolicy".into(), json!("enabled"));
    }
    if kind == "cron_job" && opt_str(d, "schedule")?.is_none() {
        return Err(ApiError::bad_request(
            "serviceDetails.schedule is required for cron jobs",
        ));
    }
    if let Some(url) = service_url(kind, slug) {
        out.insert("url".into(), json!(url));
    }
    apply(kind, &mut out, d)?;
    validate(kind, &out)?;
    Ok(out)
}

/// Apply an update body's `serviceDetails` to stored details.
pub fn update(kind: &str, details: &mut Object, d: &Object) -> Result<(), ApiError> {
    let mut next = details.clone();
    if kind != "static_site" {
        if let Some(runtime) = runtime_of(d)? {
            set_runtime(&mut next, &runtime);
        }
    }
    apply(kind, &mut next, d)?;
    validate(kind, &next)?;
    *details = next;
    Ok(())
}

/// The command a build runs, if the service has one (static sites and native runtimes).
pub fn build_command(details: &Object) -> Option<&str> {
    details
        .get("buildCommand")
        .or_else(|| details.get("envSpecificDetails")?.get("buildCommand"))
        .and_then(Value::as_str)
}

/// `runtime`, or the deprecated alias `env`.
fn runtime_of(d: &Object) -> Result<Option<String>, ApiError> {
    match opt_enum(d, "runtime", RUNTIMES)? {
        Some(r) => Ok(Some(r)),
        None => opt_enum(d, "env", RUNTIMES),
    }
}

/// Set `runtime`/`env`; switching between docker-like and native resets `envSpecificDetails`.
fn set_runtime(details: &mut Object, runtime: &str) {
    let was_docker = details
        .get("runtime")
        .and_then(Value::as_str)
        .map(is_docker_like);
    details.insert("runtime".into(), json!(runtime));
    details.insert("env".into(), json!(runtime));
    if was_docker != Some(is_docker_like(runtime)) {
        let esd = if is_docker_like(runtime) {
            json!({"dockerCommand": "", "dockerContext": ".", "dockerfilePath": "./Dockerfile"})
        } else {
            json!({})
        };
        details.insert("envSpecificDetails".into(), esd);
    }
}

/// The fields shared by create and update bodies, each only for the types the spec gives it to.
fn apply(kind: &str, out: &mut Object, d: &Object) -> Result<(), ApiError> {
    let server = is_server(kind);
    if kind == "static_site" {
        copy_str(out, d, "buildCommand")?;
        copy_str(out, d, "publishPath")?;
    }
    if kind != "static_site" {
        if let Some(plan) = opt_enum(d, "plan", SERVICE_PLANS)? {
            out.insert("plan".into(), json!(plan));
        }
        if let Some(esd_in) = opt_object(d, "envSpecificDetails")? {
            apply_env_specific(out, esd_in)?;
        }
    }
    if server {
        if let Some(cmd) = opt_str(d, "preDeployCommand")? {
            if let Some(esd) = out
                .get_mut("envSpecificDetails")
                .and_then(Value::as_object_mut)
            {
                esd.insert("preDeployCommand".into(), json!(cmd));
            }
        }
        if let Some(secs) = opt_int(d, "maxShutdownDelaySeconds")? {
            if !(1..=300).contains(&secs) {
                return Err(ApiError::bad_request(
                    "maxShutdownDelaySeconds must be between 1 and 300",
                ));
            }
            out.insert("maxShutdownDelaySeconds".into(), json!(secs));
        }
    }
    if kind != "cron_job" {
        if let Some(v) = opt_enum(d, "pullRequestPreviewsEnabled", YES_NO)? {
            out.insert("pullRequestPreviewsEnabled".into(), json!(v));
        }
        if let Some(p) = opt_object(d, "previews")? {
            let generation = opt_enum(p, "generation", PREVIEW_GENERATION)?.unwrap_or("off".into());
            out.insert("previews".into(), json!({"generation": generation}));
        }
    }
    if kind == "static_site" || kind == "web_service" {
        if let Some(v) = opt_enum(d, "renderSubdomainPolicy", SUBDOMAIN_POLICY)? {
            out.insert("renderSubdomainPolicy".into(), json!(v));
        }
    }
    if kind == "web_service" {
        copy_str(out, d, "healthCheckPath")?;
        if let Some(m) = opt_object(d, "maintenanceMode")? {
            let enabled = opt_bool(m, "enabled")?
                .ok_or_else(|| ApiError::bad_request("maintenanceMode.enabled is required"))?;
            let uri = opt_str(m, "uri")?.unwrap_or_default();
            out.insert(
                "maintenanceMode".into(),
                json!({"enabled": enabled, "uri": uri}),
            );
        }
        if let Some(c) = opt_object(d, "cache")? {
            let profile = opt_str(c, "profile")?
                .ok_or_else(|| ApiError::bad_request("cache.profile is required"))?;
            out.insert("cache".into(), json!({"profile": profile}));
        }
    }
    if kind == "cron_job" {
        if let Some(schedule) = opt_str(d, "schedule")? {
            if schedule.split_whitespace().count() != 5 {
                return Err(ApiError::bad_request(format!(
                    "invalid schedule {schedule:?}: expected a cron expression with 5 fields"
                )));
            }
            out.insert("schedule".into(), json!(schedule));
        }
    }
    Ok(())
}

fn apply_env_specific(out: &mut Object, esd_in: &Object) -> Result<(), ApiError> {
    let docker = out
        .get("runtime")
        .and_then(Value::as_str)
        .is_some_and(is_docker_like);
    let keys: &[&str] = if docker {
        &["dockerCommand", "dockerContext", "dockerfilePath"]
    } else {
        &["buildCommand", "startCommand"]
    };
    let esd = out.entry("envSpecificDetails").or_insert_with(|| json!({}));
    if let Some(esd) = esd.as_object_mut() {
        for key in keys {
            copy_str(esd, esd_in, key)?;
        }
    }
    Ok(())
}

/// Final checks once defaults and the body are merged.
fn validate(kind: &str, details: &Object) -> Result<(), ApiError> {
    let native = details
        .get("runtime")
        .and_then(Value::as_str)
        .is_some_and(|r| !is_docker_like(r));
    if kind != "static_site" && native {
        let esd = details.get("envSpecificDetails");
        for key in ["buildCommand", "startCommand"] {
            if esd
                .and_then(|e| e.get(key))
                .and_then(Value::as_str)
                .is_none()
            {
                return Err(ApiError::bad_request(format!(
                    "serviceDetails.envSpecificDetails.{key} is required for native runtimes"
                )));
            }
        }
    }
    Ok(())
}

fn copy_str(out: &mut Object, from: &Object, key: &str) -> Result<(), ApiError> {
    if let Some(v) = opt_str(from, key)? {
        out.insert(key.into(), json!(v));
    }
    Ok(())
}

/// A validated `autoscaling` object (`{enabled, min, max, criteria: {cpu, memory}}`).
pub fn autoscaling(a: &Object) -> Result<Value, ApiError> {
    let enabled = opt_bool(a, "enabled")?.unwrap_or(false);
    let min =
        opt_int(a, "min")?.ok_or_else(|| ApiError::bad_request("autoscaling.min is required"))?;
    let max =
        opt_int(a, "max")?.ok_or_else(|| ApiError::bad_request("autoscaling.max is required"))?;
    if min < 1 || max < min {
        return Err(ApiError::bad_request(
            "autoscaling requires 1 <= min <= max",
        ));
    }
    let criteria = opt_object(a, "criteria")?
        .ok_or_else(|| ApiError::bad_request("autoscaling.criteria is required"))?;
    let mut out_criteria = Map::new();
    for resource in ["cpu", "memory"] {
        let c = opt_object(criteria, resource)?.ok_or_else(|| {
            ApiError::bad_request(format!("autoscaling.criteria.{resource} is required"))
        })?;
        let on = opt_bool(c, "enabled")?.unwrap_or(false);
        let pct = opt_int(c, "percentage")?.unwrap_or(70);
        if !(1..=100).contains(&pct) {
            return Err(ApiError::bad_request(format!(
                "autoscaling.criteria.{resource}.percentage must be between 1 and 100"
            )));
        }
        out_criteria.insert(resource.into(), json!({"enabled": on, "percentage": pct}));
    }
    Ok(json!({"enabled": enabled, "min": min, "max": max, "criteria": out_criteria}))
}
