//! GraphQL shapes of the emulated records: each record as a JSON object with its schema type's
//! scalar fields (defaults for what the emulator does not model), plus the relation fields
//! (`Project.environments`, `ServiceInstance.domains`, …) resolved from state on demand, and Relay
//! connections with `first`/`after`/`last`/`before`. Imports state and the error type.

use serde_json::{json, Map, Value};

use super::error::GqlError;
use super::state::{
    ordered, scope_key, CustomDomain, Deployment, Environment, Project, RailwayState, Service,
    ServiceDomain, ServiceInstance,
};

/// Railway-provided domains end with this.
pub const SERVICE_DOMAIN_SUFFIX: &str = "up.railway.app";

pub fn project(p: &Project) -> Value {
    json!({
        "__typename": "Project",
        "id": p.id, "name": p.name, "description": p.description,
        "isPublic": p.is_public, "prDeploys": p.pr_deploys,
        "botPrEnvironments": p.bot_pr_environments,
        "focusedPrEnvironments": p.focused_pr_environments,
        "baseEnvironmentId": p.base_environment_id,
        "primaryEnvironmentId": p.primary_environment_id,
        "workspaceId": p.workspace_id, "teamId": p.workspace_id,
        "isTempProject": false, "featureFlags": [], "members": [],
        "subscriptionType": "hobby", "subscriptionPlanLimit": {},
        "createdAt": p.created_at, "updatedAt": p.updated_at, "deletedAt": null, "expiredAt": null,
    })
}

pub fn environment(e: &Environment) -> Value {
    json!({
        "__typename": "Environment",
        "id": e.id, "name": e.name, "projectId": e.project_id,
        "isEphemeral": e.is_ephemeral, "canAccess": true, "canvasGroupRefs": {},
        "configEtag": format!("{}-{}", e.id, e.updated_at), "unmergedChangesCount": 0,
        "createdAt": e.created_at, "updatedAt": e.updated_at, "deletedAt": null,
    })
}

pub fn service(s: &Service) -> Value {
    json!({
        "__typename": "Service",
        "id": s.id, "name": s.name, "projectId": s.project_id, "icon": s.icon,
        "featureFlags": [], "hasHiddenRegistryCredentialsFromTemplate": false,
        "isRestricted": false, "groupId": null, "templateId": null,
        "createdAt": s.created_at, "updatedAt": s.updated_at, "deletedAt": null,
    })
}

/// What a new instance has before any `serviceInstanceUpdate` (Railway's defaults: Railpack
/// builder, restart on failure up to 10 times, one replica in us-west2).
pub fn instance_defaults() -> Map<String, Value> {
    let v = json!({
        "builder": "RAILPACK", "restartPolicyType": "ON_FAILURE", "restartPolicyMaxRetries": 10,
        "numReplicas": 1, "region": "us-west2", "watchPatterns": [], "sleepApplication": false,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn instance(state: &RailwayState, i: &ServiceInstance) -> Value {
    let mut obj = instance_defaults();
    for (k, v) in &i.settings {
        obj.insert(k.clone(), v.clone());
    }
    let service_name = state
        .services
        .get(&i.service_id)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    for (k, v) in [
        ("__typename", json!("ServiceInstance")),
        ("id", json!(i.id)),
        ("serviceId", json!(i.service_id)),
        ("environmentId", json!(i.environment_id)),
        ("serviceName", json!(service_name)),
        ("isUpdatable", json!(true)),
        ("createdAt", json!(i.created_at)),
        ("updatedAt", json!(i.updated_at)),
        ("deletedAt", Value::Null),
    ] {
        obj.insert(k.to_string(), v);
    }
    Value::Object(obj)
}

pub fn service_domain(d: &ServiceDomain) -> Value {
    json!({
        "__typename": "ServiceDomain",
        "id": d.id, "domain": d.domain, "projectId": d.project_id,
        "environmentId": d.environment_id, "serviceId": d.service_id,
        "targetPort": d.target_port, "suffix": SERVICE_DOMAIN_SUFFIX, "syncStatus": "ACTIVE",
        "createdAt": d.created_at, "updatedAt": d.updated_at, "deletedAt": null,
    })
}

/// A custom domain waits for its DNS record: the emulator never sees DNS, so the CNAME stays
/// `REQUIRES_UPDATE` and the certificate `VALIDATING_OWNERSHIP`.
pub fn custom_domain(d: &CustomDomain) -> Value {
    let (hostlabel, zone) = split_zone(&d.domain);
    json!({
        "__typename": "CustomDomain",
        "id": d.id, "domain": d.domain, "projectId": d.project_id,
        "environmentId": d.environment_id, "serviceId": d.service_id,
        "targetPort": d.target_port, "isRailwayDomain": false, "syncStatus": "ACTIVE",
        "cnameCheck": {"status": "WAITING", "message": format!("Waiting for CNAME {} -> {}", d.domain, d.cname_target), "link": null},
        "status": {
            "verified": false,
            "certificateStatus": "CERTIFICATE_STATUS_TYPE_VALIDATING_OWNERSHIP",
            "certificates": [],
            "verificationDnsHost": format!("_railway-verify.{}", d.domain),
            "verificationToken": d.verification_token,
            "dnsRecords": [{
                "recordType": "DNS_RECORD_TYPE_CNAME",
                "purpose": "DNS_RECORD_PURPOSE_TRAFFIC_ROUTE",
                "status": "DNS_RECORD_STATUS_REQUIRES_UPDATE",
                "fqdn": d.domain, "hostlabel": hostlabel, "zone": zone,
                "requiredValue": d.cname_target, "currentValue": "",
            }],
        },
        "createdAt": d.created_at, "updatedAt": d.updated_at, "deletedAt": null,
    })
}

/// `app.example.com` → (`app`, `example.com`); an apex domain gets `@`.
fn split_zone(domain: &str) -> (String, String) {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() <= 2 {
        return ("@".to_string(), domain.to_string());
    }
    let cut = labels.len() - 2;
    (labels[..cut].join("."), labels[cut..].join("."))
}

pub fn deployment(state: &RailwayState, d: &Deployment) -> Value {
    let url = ordered(&state.service_domains, |s| {
        s.service_id == d.service_id && s.environment_id == d.environment_id
    })
    .first()
    .map(|s| s.domain.clone());
    json!({
        "__typename": "Deployment",
        "id": d.id, "status": super::deploys::status(d), "projectId": d.project_id,
        "environmentId": d.environment_id, "serviceId": d.service_id,
        "staticUrl": url, "url": url,
        "meta": {"commitSha": d.commit_sha},
        "canRedeploy": true, "canRollback": false, "deploymentStopped": false,
        "instances": [], "sockets": [], "suggestAddServiceDomain": url.is_none(),
        "createdAt": d.created_at, "updatedAt": d.updated_at, "statusUpdatedAt": d.updated_at,
    })
}

fn variable(env: &str, service: Option<&str>, name: &str) -> Value {
    json!({
        "__typename": "Variable",
        "id": format!("{}/{name}", scope_key(env, service)),
        "name": name, "environmentId": env, "serviceId": service,
        "isSealed": false, "references": [],
        "createdAt": crate::world::now_rfc3339(), "updatedAt": crate::world::now_rfc3339(),
    })
}

/// A Relay connection over `nodes` (cursor = node id), honouring `first`/`after`/`last`/`before`.
pub fn connection(nodes: Vec<Value>, args: &Map<String, Value>) -> Result<Value, GqlError> {
    let id_of = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let position = |key: &str| -> Result<Option<usize>, GqlError> {
        match args.get(key).and_then(Value::as_str) {
            None => Ok(None),
            Some(c) => nodes
                .iter()
                .position(|n| id_of(n) == c)
                .map(Some)
                .ok_or_else(|| GqlError::bad_input(format!("Invalid cursor \"{c}\" for `{key}`"))),
        }
    };
    let mut start = position("after")?.map(|i| i + 1).unwrap_or(0);
    let mut end = position("before")?.unwrap_or(nodes.len()).max(start);
    let count = |key: &str| -> Result<Option<usize>, GqlError> {
        match args.get(key).and_then(Value::as_i64) {
            None => Ok(None),
            Some(n) if n < 0 => Err(GqlError::bad_input(format!("`{key}` must not be negative"))),
            Some(n) => Ok(Some(n as usize)),
        }
    };
    if let Some(first) = count("first")? {
        end = end.min(start + first);
    }
    if let Some(last) = count("last")? {
        start = start.max(end.saturating_sub(last));
    }
    let window = &nodes[start..end];
    let edges: Vec<Value> = window
        .iter()
        .map(|n| json!({"cursor": id_of(n), "node": n}))
        .collect();
    Ok(json!({
        "edges": edges,
        "pageInfo": {
            "hasNextPage": end < nodes.len(),
            "hasPreviousPage": start > 0,
            "startCursor": window.first().map(id_of),
            "endCursor": window.last().map(id_of),
        }
    }))
}

pub(super) fn id_arg<'v>(parent: &'v Value, key: &str) -> &'v str {
    parent.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Relation fields of emulated objects; `None` for plain properties.
pub fn relation(
    state: &RailwayState,
    parent_type: &str,
    parent: &Value,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Option<Value>, GqlError> {
    let id = id_arg(parent, "id");
    let v = match (parent_type, field) {
        ("Project", "environments") => {
            let ephemeral = args.get("isEphemeral").and_then(Value::as_bool);
            let mut envs: Vec<Value> = ordered(&state.environments, |e| {
                e.project_id == id && ephemeral.is_none_or(|x| x == e.is_ephemeral)
            })
            .into_iter()
            .map(environment)
            .collect();
            if args.get("sort").and_then(Value::as_str) == Some("DESC") {
                envs.reverse();
            }
            connection(envs, args)?
        }
        ("Project", "services") => connection(
            ordered(&state.services, |s| s.project_id == id)
                .into_iter()
                .map(service)
                .collect(),
            args,
        )?,
        ("Project", "baseEnvironment") => state
            .projects
            .get(id)
            .and_then(|p| p.base_environment_id.as_ref())
            .and_then(|e| state.environments.get(e))
            .map(environment)
            .unwrap_or(Value::Null),
        ("Environment", "serviceInstances") => connection(
            ordered(&state.instances, |i| i.environment_id == id)
                .into_iter()
                .map(|i| instance(state, i))
                .collect(),
            args,
        )?,
        ("Environment", "sourceEnvironment") => state
            .environments
            .get(id)
            .and_then(|e| e.source_environment_id.as_ref())
            .and_then(|s| state.environments.get(s))
            .map(environment)
            .unwrap_or(Value::Null),
        ("Environment", "variables") => {
            let mut vars = Vec::new();
            for (key, map) in &state.variables {
                let Some((env, scope)) = key.split_once('/') else {
                    continue;
                };
                if env != id {
                    continue;
                }
                let service = (scope != "shared").then_some(scope);
                vars.extend(map.keys().map(|name| variable(env, service, name)));
            }
            connection(vars, args)?
        }
        ("Environment", "deployments") => connection(
            ordered(&state.deployments, |d| d.environment_id == id)
                .into_iter()
                .rev()
                .map(|d| deployment(state, d))
                .collect(),
            args,
        )?,
        ("Service", "project") | ("Deployment", "project") => state
            .projects
            .get(id_arg(parent, "projectId"))
            .map(project)
            .unwrap_or(Value::Null),
        ("Service", "serviceInstances") => connection(
            ordered(&state.instances, |i| i.service_id == id)
                .into_iter()
                .map(|i| instance(state, i))
                .collect(),
            args,
        )?,
        ("Service", "deployments") => connection(
            ordered(&state.deployments, |d| d.service_id == id)
                .into_iter()
                .rev()
                .map(|d| deployment(state, d))
                .collect(),
            args,
        )?,
        ("ServiceInstance" | "Deployment" | "Variable", "service") => state
            .services
            .get(id_arg(parent, "serviceId"))
            .map(service)
            .unwrap_or(Value::Null),
        ("ServiceInstance" | "Deployment" | "Variable", "environment") => state
            .environments
            .get(id_arg(parent, "environmentId"))
            .map(environment)
            .unwrap_or(Value::Null),
        ("ServiceInstance", "domains") => all_domains(
            state,
            id_arg(parent, "serviceId"),
            id_arg(parent, "environmentId"),
        ),
        ("ServiceInstance", "latestDeployment" | "activeDeployments") => {
            let latest = ordered(&state.deployments, |d| {
                d.service_id == id_arg(parent, "serviceId")
                    && d.environment_id == id_arg(parent, "environmentId")
            })
            .last()
            .map(|d| deployment(state, d));
            if field == "latestDeployment" {
                latest.unwrap_or(Value::Null)
            } else {
                Value::Array(latest.into_iter().collect())
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `AllDomains` of one service instance.
pub fn all_domains(state: &RailwayState, service_id: &str, environment_id: &str) -> Value {
    let here = |s: &str, e: &str| s == service_id && e == environment_id;
    json!({
        "serviceDomains": ordered(&state.service_domains, |d| here(&d.service_id, &d.environment_id))
            .into_iter().map(service_domain).collect::<Vec<_>>(),
        "customDomains": ordered(&state.custom_domains, |d| here(&d.service_id, &d.environment_id))
            .into_iter().map(custom_domain).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({"id": format!("n{i}")})).collect()
    }

    #[test]
    fn connection_pages_with_first_and_after() {
        let args = json!({"first": 2}).as_object().cloned().unwrap_or_default();
        let c = connection(nodes(5), &args).expect("page");
        assert_eq!(c["edges"].as_array().map(Vec::len), Some(2));
        assert_eq!(c["pageInfo"]["hasNextPage"], json!(true));
        assert_eq!(c["pageInfo"]["endCursor"], json!("n1"));
        let args = json!({"first": 10, "after": "n3"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let c = connection(nodes(5), &args).expect("page");
        assert_eq!(c["edges"][0]["node"]["id"], json!("n4"));
        assert_eq!(c["pageInfo"]["hasNextPage"], json!(false));
        assert_eq!(c["pageInfo"]["hasPreviousPage"], json!(true));
    }

    #[test]
    fn apex_and_sub_domains_split_into_host_label_and_zone() {
        assert_eq!(
            split_zone("example.com"),
            ("@".into(), "example.com".into())
        );
        assert_eq!(
            split_zone("a.b.example.com"),
            ("a.b".into(), "example.com".into())
        );
    }
}
