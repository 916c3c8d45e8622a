//! Volumes and TCP proxies: `volumeCreate`/`volumeUpdate`/`volumeInstanceUpdate`/`volumeDelete`,
//! `tcpProxyCreate`/`tcpProxyDelete`, the `tcpProxies` and `volumeInstance` queries, and the
//! relations `Project.volumes`, `Environment.volumeInstances`, `Volume.*`, `VolumeInstance.*`.
//!
//! Modelling choices (where the schema says nothing): a volume is created into the one
//! environment given (the provider always names it; `null`/absent deploys nowhere/everywhere as
//! the schema describes); it gets 5000 MB and the service instance's region unless `region` is
//! given; a service has at most one volume per mount path and one TCP proxy per application port
//! in an environment (Railway refuses duplicates); `volumeInstanceUpdate` without `serviceId`
//! disconnects the volume, as the schema documents. Imports state, objects, mutations' helpers,
//! settings and the error type.

use serde_json::{json, Map, Value};

use super::error::GqlError;
use super::mutations::{input, now, rand_suffix, s, slug, uuid};
use super::objects::{connection, environment, id_arg, project, service};
use super::queries::arg;
use super::settings::REGIONS;
use super::state::{ordered, RailwayState, TcpProxy, Volume, VolumeInstance};

/// The size a new volume gets (Railway's Hobby plan default).
pub const DEFAULT_SIZE_MB: i64 = 5000;

fn volume(v: &Volume) -> Value {
    json!({
        "__typename": "Volume",
        "id": v.id, "name": v.name, "projectId": v.project_id, "createdAt": v.created_at,
    })
}

fn volume_instance(v: &VolumeInstance) -> Value {
    json!({
        "__typename": "VolumeInstance",
        "id": v.id, "volumeId": v.volume_id, "environmentId": v.environment_id,
        "serviceId": v.service_id, "mountPath": v.mount_path, "sizeMB": v.size_mb,
        "currentSizeMB": 0.0, "region": v.region, "state": "READY", "externalId": null,
        "isPendingDeletion": false, "createdAt": v.created_at, "deletedAt": null,
    })
}

fn tcp_proxy(p: &TcpProxy) -> Value {
    json!({
        "__typename": "TCPProxy",
        "id": p.id, "applicationPort": p.application_port, "proxyPort": p.proxy_port,
        "domain": p.domain, "environmentId": p.environment_id, "serviceId": p.service_id,
        "syncStatus": "ACTIVE", "createdAt": p.created_at, "updatedAt": p.created_at, "deletedAt": null,
    })
}

fn check_mount_path(path: &str) -> Result<(), GqlError> {
    if !path.starts_with('/') || path == "/" || path.chars().any(char::is_whitespace) {
        return Err(GqlError::bad_input(format!(
            "Invalid mount path \"{path}\": it must be an absolute path other than /"
        )));
    }
    Ok(())
}

/// Refuse a second volume at the same mount of the same service instance.
fn check_mount_free(
    state: &RailwayState,
    env: &str,
    service: &str,
    path: &str,
    except: Option<&str>,
) -> Result<(), GqlError> {
    let taken = state.volume_instances.values().any(|v| {
        v.environment_id == env
            && v.service_id.as_deref() == Some(service)
            && v.mount_path == path
            && Some(v.volume_id.as_str()) != except
    });
    if taken {
        return Err(GqlError::bad_input(format!(
            "A volume is already mounted at {path} for this service"
        )));
    }
    Ok(())
}

pub fn query(
    state: &RailwayState,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Value, GqlError> {
    match field {
        "tcpProxies" => {
            let (env, svc) = (arg(args, "environmentId")?, arg(args, "serviceId")?);
            state.environment(env)?;
            state.service(svc)?;
            Ok(Value::Array(
                ordered(&state.tcp_proxies, |p| {
                    p.environment_id == env && p.service_id == svc
                })
                .into_iter()
                .map(tcp_proxy)
                .collect(),
            ))
        }
        _ => state
            .volume_instances
            .get(arg(args, "id")?)
            .map(volume_instance)
            .ok_or_else(|| GqlError::not_found("Volume instance")),
    }
}

pub fn mutation(
    state: &mut RailwayState,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Value, GqlError> {
    match field {
        "volumeCreate" => volume_create(state, &input(args)),
        "volumeUpdate" => {
            let name = s(&input(args), "name").map(str::to_string);
            let v = state
                .volumes
                .get_mut(arg(args, "volumeId")?)
                .ok_or_else(|| GqlError::not_found("Volume"))?;
            if let Some(n) = name {
                if n.trim().is_empty() {
                    return Err(GqlError::bad_input("Volume name must not be empty"));
                }
                v.name = n;
            }
            Ok(volume(v))
        }
        "volumeInstanceUpdate" => volume_instance_update(state, args),
        "volumeDelete" => {
            let id = arg(args, "volumeId")?.to_string();
            state
                .volumes
                .remove(&id)
                .ok_or_else(|| GqlError::not_found("Volume"))?;
            state.volume_instances.retain(|_, v| v.volume_id != id);
            Ok(Value::Bool(true))
        }
        "tcpProxyCreate" => tcp_proxy_create(state, &input(args)),
        _ => state
            .tcp_proxies
            .remove(arg(args, "id")?)
            .map(|_| Value::Bool(true))
            .ok_or_else(|| GqlError::not_found("TCP proxy")),
    }
}

fn volume_create(state: &mut RailwayState, input: &Map<String, Value>) -> Result<Value, GqlError> {
    let project_id = s(input, "projectId").unwrap_or_default().to_string();
    let project = state.project(&project_id)?.clone();
    let path = s(input, "mountPath").unwrap_or_default().to_string();
    check_mount_path(&path)?;
    let service = s(input, "serviceId").map(str::to_string);
    if let Some(svc) = &service {
        if state.service(svc)?.project_id != project.id {
            return Err(GqlError::not_found("Service"));
        }
    }
    // `null` deploys nowhere, absent to every environment of the project.
    let envs: Vec<String> = match input.get("environmentId") {
        Some(Value::String(e)) => {
            if state.environment(e)?.project_id != project.id {
                return Err(GqlError::not_found("Environment"));
            }
            vec![e.clone()]
        }
        Some(_) => Vec::new(),
        None => ordered(&state.environments, |e| e.project_id == project.id)
            .into_iter()
            .map(|e| e.id.clone())
            .collect(),
    };
    let region = s(input, "region").map(str::to_string);
    if let Some(r) = &region {
        if !REGIONS.iter().any(|(id, _, _)| id == r) {
            return Err(GqlError::bad_input(format!("Invalid region \"{r}\"")));
        }
    }
    for env in &envs {
        if let Some(svc) = &service {
            state.instance(svc, env)?;
            check_mount_free(state, env, svc, &path, None)?;
        }
    }
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let v = Volume {
        id: id.clone(),
        seq,
        project_id: project.id,
        name: format!("{}-volume", slug(&rand_suffix(6))),
        created_at: t.clone(),
    };
    for env in envs {
        let instance_region = region.clone().unwrap_or_else(|| {
            service
                .as_deref()
                .and_then(|svc| state.instance(svc, &env).ok())
                .and_then(|i| i.settings.get("region").and_then(Value::as_str))
                .unwrap_or("us-west2")
                .to_string()
        });
        let (iid, seq) = (uuid(), state.next_seq());
        state.volume_instances.insert(
            iid.clone(),
            VolumeInstance {
                id: iid,
                seq,
                volume_id: id.clone(),
                environment_id: env,
                service_id: service.clone(),
                mount_path: path.clone(),
                size_mb: DEFAULT_SIZE_MB,
                region: instance_region,
                created_at: t.clone(),
            },
        );
    }
    let out = volume(&v);
    state.volumes.insert(id, v);
    Ok(out)
}

/// Update the volume's instance in one environment, or in all when `environmentId` is null.
fn volume_instance_update(
    state: &mut RailwayState,
    args: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let id = arg(args, "volumeId")?.to_string();
    let project = state
        .volumes
        .get(&id)
        .ok_or_else(|| GqlError::not_found("Volume"))?
        .project_id
        .clone();
    let env = args
        .get("environmentId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let input = input(args);
    let path = s(&input, "mountPath").map(str::to_string);
    if let Some(p) = &path {
        check_mount_path(p)?;
    }
    let service = s(&input, "serviceId").map(str::to_string);
    if let Some(svc) = &service {
        if state.service(svc)?.project_id != project {
            return Err(GqlError::not_found("Service"));
        }
    }
    let targets: Vec<String> = ordered(&state.volume_instances, |v| {
        v.volume_id == id && env.as_ref().is_none_or(|e| *e == v.environment_id)
    })
    .into_iter()
    .map(|v| v.id.clone())
    .collect();
    if targets.is_empty() {
        return Err(GqlError::not_found("Volume instance"));
    }
    for t in &targets {
        let v = &state.volume_instances[t];
        if let Some(svc) = &service {
            state.instance(svc, &v.environment_id)?;
            let p = path.clone().unwrap_or_else(|| v.mount_path.clone());
            check_mount_free(state, &v.environment_id, svc, &p, Some(&id))?;
        }
    }
    for t in targets {
        if let Some(v) = state.volume_instances.get_mut(&t) {
            if let Some(p) = &path {
                v.mount_path = p.clone();
            }
            v.service_id = service.clone();
        }
    }
    Ok(Value::Bool(true))
}

fn tcp_proxy_create(
    state: &mut RailwayState,
    input: &Map<String, Value>,
) -> Result<Value, GqlError> {
    let (env, svc) = (
        s(input, "environmentId").unwrap_or_default().to_string(),
        s(input, "serviceId").unwrap_or_default().to_string(),
    );
    state.environment(&env)?;
    state.service(&svc)?;
    state.instance(&svc, &env)?;
    let port = input
        .get("applicationPort")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if !(1..=65535).contains(&port) {
        return Err(GqlError::bad_input(format!(
            "applicationPort must be between 1 and 65535, got {port}"
        )));
    }
    if state
        .tcp_proxies
        .values()
        .any(|p| p.environment_id == env && p.service_id == svc && p.application_port == port)
    {
        return Err(GqlError::bad_input(format!(
            "A TCP proxy for port {port} already exists"
        )));
    }
    let proxy_port = loop {
        use rand::Rng;
        let p = rand::rng().random_range(10000..60000);
        if !state.tcp_proxies.values().any(|x| x.proxy_port == p) {
            break p;
        }
    };
    let (id, t, seq) = (uuid(), now(), state.next_seq());
    let p = TcpProxy {
        id: id.clone(),
        seq,
        environment_id: env,
        service_id: svc,
        application_port: port,
        proxy_port,
        domain: format!("{}.proxy.rlwy.net", rand_suffix(10)),
        created_at: t,
    };
    let out = tcp_proxy(&p);
    state.tcp_proxies.insert(id, p);
    Ok(out)
}

/// Relation fields of volumes (and the ones that lead to them); `None` for plain properties.
pub fn relation(
    state: &RailwayState,
    parent_type: &str,
    parent: &Value,
    field: &str,
    args: &Map<String, Value>,
) -> Result<Option<Value>, GqlError> {
    let id = id_arg(parent, "id");
    let v = match (parent_type, field) {
        ("Project", "volumes") => connection(
            ordered(&state.volumes, |v| v.project_id == id)
                .into_iter()
                .map(volume)
                .collect(),
            args,
        )?,
        ("Environment", "volumeInstances") => connection(
            ordered(&state.volume_instances, |v| v.environment_id == id)
                .into_iter()
                .map(volume_instance)
                .collect(),
            args,
        )?,
        ("Volume", "volumeInstances") => connection(
            ordered(&state.volume_instances, |v| v.volume_id == id)
                .into_iter()
                .map(volume_instance)
                .collect(),
            args,
        )?,
        ("Volume", "project") => state
            .projects
            .get(id_arg(parent, "projectId"))
            .map(project)
            .unwrap_or(Value::Null),
        ("VolumeInstance", "volume") => state
            .volumes
            .get(id_arg(parent, "volumeId"))
            .map(volume)
            .unwrap_or(Value::Null),
        ("VolumeInstance", "environment") => state
            .environments
            .get(id_arg(parent, "environmentId"))
            .map(environment)
            .unwrap_or(Value::Null),
        ("VolumeInstance", "service") => state
            .services
            .get(id_arg(parent, "serviceId"))
            .map(service)
            .unwrap_or(Value::Null),
        _ => return Ok(None),
    };
    Ok(Some(v))
}
