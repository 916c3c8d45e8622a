//! Root `Query` fields the emulator answers: `me`, `project(s)`, `environment(s)`, `service`,
//! `serviceInstance`, `variables` (rendered or not), `domains`, `customDomain`, `deployment(s)`,
//! `regions`, `customDomainAvailable`/`serviceDomainAvailable`. Imports state, objects, settings
//! and the error type.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::error::{code, GqlError};
use super::objects::{self, connection, SERVICE_DOMAIN_SUFFIX};
use super::settings::REGIONS;
use super::state::{ordered, scope_key, RailwayState};

/// A required string argument (validation guarantees presence for `String!`).
pub fn arg<'a>(args: &'a Map<String, Value>, key: &str) -> Result<&'a str, GqlError> {
    args.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| GqlError::bad_input(format!("Argument \"{key}\" is required")))
}

pub fn opt<'a>(args: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}

pub fn query(
    state: &RailwayState,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Value, GqlError> {
    Ok(match field {
        "me" => me(),
        "project" => objects::project(state.project(arg(args, "id")?)?),
        "projects" => {
            let ws = opt(args, "workspaceId");
            let nodes = ordered(&state.projects, |p| {
                ws.is_none() || p.workspace_id.as_deref() == ws
            })
            .into_iter()
            .map(objects::project)
            .collect();
            connection(nodes, args)?
        }
        "environment" => {
            let env = state.environment(arg(args, "id")?)?;
            if opt(args, "projectId").is_some_and(|p| p != env.project_id) {
                return Err(GqlError::not_found("Environment"));
            }
            objects::environment(env)
        }
        "environments" => {
            let project = state.project(arg(args, "projectId")?)?;
            let ephemeral = args.get("isEphemeral").and_then(Value::as_bool);
            let nodes = ordered(&state.environments, |e| {
                e.project_id == project.id && ephemeral.is_none_or(|x| x == e.is_ephemeral)
            })
            .into_iter()
            .map(objects::environment)
            .collect();
            connection(nodes, args)?
        }
        "service" => objects::service(state.service(arg(args, "id")?)?),
        "serviceInstance" => {
            let service = state.service(arg(args, "serviceId")?)?;
            let env = state.environment(arg(args, "environmentId")?)?;
            objects::instance(state, state.instance(&service.id, &env.id)?)
        }
        "variables" | "variablesForServiceDeployment" => {
            let (project, env) = (arg(args, "projectId")?, arg(args, "environmentId")?);
            let service = opt(args, "serviceId");
            state.check_scope(project, env, service)?;
            let raw = state
                .variables
                .get(&scope_key(env, service))
                .cloned()
                .unwrap_or_default();
            let unrendered = args.get("unrendered").and_then(Value::as_bool) == Some(true);
            let vars = if unrendered && field == "variables" {
                raw
            } else {
                render(state, env, &raw)
            };
            json!(vars)
        }
        "domains" => {
            let (project, env, service) = (
                arg(args, "projectId")?,
                arg(args, "environmentId")?,
                arg(args, "serviceId")?,
            );
            state.check_scope(project, env, Some(service))?;
            objects::all_domains(state, service, env)
        }
        "customDomain" => {
            let d = state
                .custom_domains
                .get(arg(args, "id")?)
                .filter(|d| Some(d.project_id.as_str()) == opt(args, "projectId"))
                .ok_or_else(|| GqlError::not_found("Custom domain"))?;
            objects::custom_domain(d)
        }
        "deployment" => {
            let d = state
                .deployments
                .get(arg(args, "id")?)
                .ok_or_else(|| GqlError::not_found("Deployment"))?;
            objects::deployment(state, d)
        }
        "deployments" => {
            let input = args.get("input").cloned().unwrap_or(Value::Null);
            let want = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_string);
            let (p, e, s) = (want("projectId"), want("environmentId"), want("serviceId"));
            let nodes = ordered(&state.deployments, |d| {
                p.as_ref().is_none_or(|x| *x == d.project_id)
                    && e.as_ref().is_none_or(|x| *x == d.environment_id)
                    && s.as_ref().is_none_or(|x| *x == d.service_id)
            })
            .into_iter()
            .rev()
            .map(|d| objects::deployment(state, d))
            .collect();
            connection(nodes, args)?
        }
        "deploymentTriggers" => {
            // Railway records a repository source as a deployment trigger per service instance
            // (repository + branch); derive them from the instances' source settings.
            let (p, e, sv) = (arg(args, "projectId")?, arg(args, "environmentId")?, arg(args, "serviceId")?);
            let nodes = ordered(&state.instances, |i| i.service_id == sv && i.environment_id == e)
                .into_iter()
                .filter_map(|i| {
                    let repo = i.settings.get("source")?.get("repo")?.as_str()?.to_string();
                    let branch = i.settings.get("branch").and_then(Value::as_str).unwrap_or("main");
                    Some(json!({
                        "id": format!("trg-{}", i.id), "branch": branch, "repository": repo,
                        "provider": "github", "projectId": p, "environmentId": e, "serviceId": sv,
                        "checkSuites": false, "validCheckSuites": 0, "baseEnvironmentOverrideId": null,
                    }))
                })
                .collect();
            connection(nodes, args)?
        }
        "regions" => Value::Array(
            REGIONS
                .iter()
                .map(|(id, location, country)| {
                    json!({"id": id, "name": id, "region": id, "location": location, "country": country})
                })
                .collect(),
        ),
        "customDomainAvailable" => {
            let domain = arg(args, "domain")?;
            let taken = state.custom_domains.values().any(|d| d.domain == domain);
            availability(!taken && !domain.ends_with(SERVICE_DOMAIN_SUFFIX))
        }
        "serviceDomainAvailable" => {
            let domain = arg(args, "domain")?;
            let taken = state.service_domains.values().any(|d| d.domain == domain);
            availability(!taken)
        }
        "tcpProxies" | "volumeInstance" => super::volumes::query(state, field, args)?,
        other => {
            return Err(GqlError::new(
                code::NOT_IMPLEMENTED,
                format!("Query.{other} is valid but not emulated"),
            ))
        }
    })
}

fn availability(available: bool) -> Value {
    let message = if available {
        ""
    } else {
        "Domain is not available"
    };
    json!({"available": available, "message": message})
}

/// The token's user: one user in one workspace.
fn me() -> Value {
    let now = crate::world::now_rfc3339();
    json!({
        "__typename": "User",
        "id": "emulated-user", "name": "Emulated User", "email": "user@emulator.invalid",
        "username": "emulated", "avatar": null, "isAdmin": false, "isVerified": true,
        "isConductor": false, "has2FA": false, "hasPasskeys": false, "agreedFairUse": true,
        "featureFlags": [], "flags": [], "platformFeatureFlags": [],
        "registrationStatus": "ONBOARDED", "createdAt": now, "lastLogin": now,
        "workspaces": [{
            "__typename": "Workspace", "id": "emulated-workspace", "name": "Emulated Workspace",
            "preferredRegion": "us-west2", "createdAt": now, "updatedAt": now, "members": [],
        }],
    })
}

/// Resolve `${{NAME}}`, `${{shared.NAME}}` and `${{Service.NAME}}` references; unknown references
/// render empty, as on Railway. One level deep (a reference to a reference stays raw).
pub fn render(
    state: &RailwayState,
    env: &str,
    raw: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let lookup = |reference: &str| -> String {
        let scope = match reference.split_once('.') {
            None => return raw.get(reference).cloned().unwrap_or_default(),
            Some(("shared", name)) => (None, name),
            Some((svc_name, name)) => {
                let project = state.environments.get(env).map(|e| e.project_id.clone());
                let svc = state
                    .services
                    .values()
                    .find(|s| s.name == svc_name && Some(&s.project_id) == project.as_ref());
                match svc {
                    Some(s) => (Some(s.id.as_str()), name),
                    None => return String::new(),
                }
            }
        };
        state
            .variables
            .get(&scope_key(env, scope.0))
            .and_then(|m| m.get(scope.1))
            .cloned()
            .unwrap_or_default()
    };
    raw.iter()
        .map(|(k, v)| (k.clone(), substitute(v, &lookup)))
        .collect()
}

fn substitute(value: &str, lookup: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        match after.find("}}") {
            Some(end) => {
                out.push_str(&lookup(after[..end].trim()));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_references_and_blanks_unknown_ones() {
        let lookup = |r: &str| match r {
            "shared.HOST" => "db.internal".to_string(),
            _ => String::new(),
        };
        assert_eq!(
            substitute("postgres://${{ shared.HOST }}:5432/${{nope}}x", &lookup),
            "postgres://db.internal:5432/x"
        );
        assert_eq!(substitute("no refs ${{ open", &lookup), "no refs ${{ open");
    }
}
