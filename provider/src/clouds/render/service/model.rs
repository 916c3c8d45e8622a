//! `render_service` ⇄ Render: the typed POST and PATCH bodies built from a plan, the env var set
//! to PUT, and the state built from a `service` answer in the configured form (API defaults and
//! empty strings absorbed so a re-plan is empty). Pure functions: no I/O, no vendor wire names
//! (those live in `client::services`).

use std::collections::BTreeMap;

use super::super::client::services::{
    Autoscaling, BuildFilter, Criteria, Criterion, CustomDomain, DetailsBody, DiskPatch, DiskPost,
    EnvSpecificBody, EnvVarInput, Header, ImageBody, MaintenanceBody, Route, SecretFileInput,
    Service, ServicePatch, ServicePost,
};
pub use super::super::s;
use crate::framework::Value;

fn int(v: &Value, name: &str) -> Option<i64> {
    v.attr(name).as_i64()
}

fn yes_no(v: &Value, name: &str) -> Option<String> {
    v.attr(name)
        .as_bool()
        .map(|b| if b { "yes" } else { "no" }.to_string())
}

fn strings(v: &Value) -> Vec<String> {
    v.elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect()
}

/// A string attribute that the API clears with "": the configured value, or "" when unset.
fn clearable(v: &Value, name: &str) -> Option<String> {
    match v.attr(name) {
        Value::Unknown => None,
        x => Some(x.as_str().unwrap_or_default().to_string()),
    }
}

/// The configured value on POST; on PATCH a cleared one is sent as "".
fn post_or_clear(v: &Value, name: &str, patch: bool) -> Option<String> {
    if patch {
        clearable(v, name)
    } else {
        s(v, name)
    }
}

fn service_type(v: &Value) -> &str {
    v.attr("type").as_str().unwrap_or_default()
}

fn build_filter(v: &Value) -> Option<BuildFilter> {
    let bf = v.attr("build_filter");
    if bf.is_unknown() {
        return None;
    }
    Some(BuildFilter {
        paths: strings(bf.attr("paths")),
        ignored_paths: strings(bf.attr("ignored_paths")),
    })
}

/// `autoscaling` as the API's object (criteria disabled where no percentage is set).
pub fn autoscaling(v: &Value) -> Option<Autoscaling> {
    let a = v.attr("autoscaling");
    if a.is_null() || a.is_unknown() {
        return None;
    }
    let crit = |name: &str| match a.attr(name).as_i64() {
        Some(p) => Criterion {
            enabled: true,
            percentage: p,
        },
        // Render validates the percentage even for a disabled criterion: send a valid one.
        None => Criterion {
            enabled: false,
            percentage: 80,
        },
    };
    Some(Autoscaling {
        enabled: a.attr("enabled").as_bool().unwrap_or(false),
        min: a.attr("min").as_i64().unwrap_or(1),
        max: a.attr("max").as_i64().unwrap_or(1),
        criteria: Criteria {
            cpu: crit("cpu_percent"),
            memory: crit("memory_percent"),
        },
    })
}

/// `envSpecificDetails` for POST or PATCH: docker fields for runtime docker, build/start commands
/// for native runtimes, nothing for prebuilt images.
fn env_specific(v: &Value, patch: bool) -> Option<EnvSpecificBody> {
    let body = match v.attr("runtime").as_str() {
        Some("docker") => {
            let d = v.attr("docker");
            EnvSpecificBody {
                dockerfile_path: s(d, "dockerfile_path"),
                docker_context: s(d, "context"),
                docker_command: post_or_clear(d, "command", patch),
                registry_credential_id: s(d, "registry_credential_id"),
                ..Default::default()
            }
        }
        Some("image") | None => return None,
        Some(_) => EnvSpecificBody {
            build_command: s(v, "build_command"),
            start_command: s(v, "start_command"),
            ..Default::default()
        },
    };
    (body != EnvSpecificBody::default()).then_some(body)
}

fn maintenance(v: &Value) -> Option<MaintenanceBody> {
    let mm = v.attr("maintenance_mode");
    match mm {
        Value::Unknown => None,
        Value::Null => Some(MaintenanceBody::default()),
        _ => Some(MaintenanceBody {
            enabled: mm.attr("enabled").as_bool().unwrap_or(false),
            uri: s(mm, "uri").unwrap_or_default(),
        }),
    }
}

/// The static site's headers as planned.
pub fn plan_headers(v: &Value) -> Vec<Header> {
    v.attr("headers")
        .elements()
        .unwrap_or_default()
        .iter()
        .map(|h| Header {
            path: s(h, "path").unwrap_or_default(),
            name: s(h, "name").unwrap_or_default(),
            value: s(h, "value").unwrap_or_default(),
        })
        .collect()
}

/// The static site's routes as planned, in priority order.
pub fn plan_routes(v: &Value) -> Vec<Route> {
    v.attr("routes")
        .elements()
        .unwrap_or_default()
        .iter()
        .map(|r| Route {
            route_type: s(r, "type").unwrap_or_default(),
            source: s(r, "source").unwrap_or_default(),
            destination: s(r, "destination").unwrap_or_default(),
            priority: 0,
        })
        .collect()
}

/// A list the POST carries only when it has entries (the PATCH never carries it).
fn non_empty<T>(patch: bool, x: Vec<T>) -> Option<Vec<T>> {
    (!patch && !x.is_empty()).then_some(x)
}

/// `*DetailsPOST` / `*DetailsPATCH` for the plan's type.
fn details(v: &Value, patch: bool) -> DetailsBody {
    let ty = service_type(v);
    if ty == "static_site" {
        // Headers and routes have their own PUT endpoints after the create.
        return DetailsBody {
            build_command: s(v, "build_command"),
            publish_path: s(v, "publish_path"),
            pull_request_previews_enabled: yes_no(v, "pull_request_previews"),
            headers: non_empty(patch, plan_headers(v)),
            routes: non_empty(patch, plan_routes(v)),
            ..Default::default()
        };
    }
    let mut m = DetailsBody {
        runtime: s(v, "runtime"),
        plan: s(v, "plan"),
        env_specific_details: env_specific(v, patch),
        region: if patch { None } else { s(v, "region") },
        ..Default::default()
    };
    if ty == "cron_job" {
        m.schedule = s(v, "schedule");
        return m;
    }
    m.pre_deploy_command = post_or_clear(v, "pre_deploy_command", patch);
    m.pull_request_previews_enabled = yes_no(v, "pull_request_previews");
    m.max_shutdown_delay_seconds = int(v, "max_shutdown_delay_seconds");
    if ty == "web_service" {
        m.health_check_path = post_or_clear(v, "health_check_path", patch);
        m.maintenance_mode = if !patch && v.attr("maintenance_mode").is_null() {
            None
        } else {
            maintenance(v)
        };
    }
    if !patch {
        m.num_instances = int(v, "num_instances");
        m.autoscaling = autoscaling(v);
        let d = v.attr("disk");
        if !d.is_null() {
            m.disk = Some(DiskPost {
                service_id: None,
                name: s(d, "name"),
                mount_path: s(d, "mount_path"),
                size_gb: int(d, "size_gb"),
            });
        }
    }
    m
}

fn image(v: &Value, owner_id: &str) -> Option<ImageBody> {
    let i = v.attr("image");
    Some(ImageBody {
        owner_id: owner_id.to_string(),
        image_path: s(i, "url")?,
        registry_credential_id: s(i, "registry_credential_id"),
    })
}

/// The `servicePOST` body. `env_vars` is the full `envVarInputArray` to send.
pub fn post_body(
    v: &Value,
    owner_id: &str,
    env_vars: Vec<EnvVarInput>,
    files: Vec<SecretFileInput>,
) -> ServicePost {
    ServicePost {
        service_type: service_type(v).to_string(),
        name: s(v, "name"),
        owner_id: owner_id.to_string(),
        repo: s(v, "repo"),
        branch: s(v, "branch"),
        root_dir: s(v, "root_dir"),
        auto_deploy: yes_no(v, "auto_deploy"),
        build_filter: if v.attr("build_filter").is_null() {
            None
        } else {
            build_filter(v)
        },
        image: image(v, owner_id),
        environment_id: s(v, "environment_id"),
        env_vars: (!env_vars.is_empty()).then_some(env_vars),
        secret_files: (!files.is_empty()).then_some(files),
        service_details: details(v, false),
    }
}

/// The `servicePATCH` body. Equal bodies for prior state and plan mean no PATCH is needed.
pub fn patch_body(v: &Value, owner_id: &str) -> ServicePatch {
    ServicePatch {
        name: s(v, "name"),
        repo: s(v, "repo"),
        branch: s(v, "branch"),
        root_dir: s(v, "root_dir"),
        auto_deploy: yes_no(v, "auto_deploy"),
        build_filter: build_filter(v),
        image: image(v, owner_id),
        service_details: details(v, true),
    }
}

/// The `diskPATCH` from the prior disk to the planned one: only the fields that changed.
pub fn disk_patch(before: &Value, after: &Value) -> DiskPatch {
    let changed = |attr: &str| s(after, attr).filter(|v| Some(v) != s(before, attr).as_ref());
    DiskPatch {
        name: changed("name"),
        mount_path: changed("mount_path"),
        size_gb: int(after, "size_gb").filter(|n| Some(*n) != int(before, "size_gb")),
    }
}

/// The POST /disks body for a disk added to an existing service (Render's default size: 10 GB).
pub fn disk_post(service_id: &str, after: &Value) -> DiskPost {
    DiskPost {
        service_id: Some(service_id.to_string()),
        name: Some(s(after, "name").unwrap_or_default()),
        mount_path: Some(s(after, "mount_path").unwrap_or_default()),
        size_gb: Some(int(after, "size_gb").unwrap_or(10)),
    }
}

/// The secret files one PUT (or the create) sends: the stored ones from `v` plus the write-only
/// ones, which only the configuration holds.
pub fn secret_files_with_wo(v: &Value, config: &Value) -> Vec<SecretFileInput> {
    let mut files = secret_files(v);
    for (name, content) in config
        .attr("secret_files_wo")
        .entries()
        .into_iter()
        .flatten()
    {
        if let Some(c) = content.as_str() {
            files.push(SecretFileInput {
                name: name.clone(),
                content: c.to_string(),
            });
        }
    }
    files
}

/// The stored secret files of `v` (a plan or a state).
pub fn secret_files(v: &Value) -> Vec<SecretFileInput> {
    v.attr("secret_files")
        .entries()
        .map(|m| {
            m.iter()
                .filter_map(|(k, c)| {
                    c.as_str().map(|c| SecretFileInput {
                        name: k.clone(),
                        content: c.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What each env var should be: `Some(value)`, or `None` for "let Render generate it". A
/// generated entry whose value is already known (in state) keeps that value: re-sending
/// `generateValue` would mint a new secret.
pub fn env_desired(env: &Value) -> BTreeMap<String, Option<String>> {
    env.entries()
        .map(|m| {
            m.iter()
                .map(|(k, e)| {
                    let value = e.attr("value").as_str().map(str::to_string);
                    (k.clone(), value)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `envVarInputArray` for the whole set: plain entries plus the write-only ones.
pub fn env_inputs(env: &Value, write_only: &Value) -> Vec<EnvVarInput> {
    let mut out: Vec<EnvVarInput> = env_desired(env)
        .into_iter()
        .map(|(key, value)| EnvVarInput {
            generate_value: value.is_none().then_some(true),
            key,
            value,
        })
        .collect();
    for (k, v) in write_only.entries().into_iter().flatten() {
        if let Some(value) = v.as_str() {
            out.push(EnvVarInput {
                key: k.clone(),
                value: Some(value.to_string()),
                generate_value: None,
            });
        }
    }
    out
}

/// Fill `base` (a plan or prior state) from the API's `service`. Optional attributes the
/// configuration left null stay null where the API only reports its defaults.
pub fn apply_service(mut base: Value, svc: &Service) -> Value {
    let d = &svc.service_details;
    let env = d.env_specific_details.clone().unwrap_or_default();
    let opt = |x: &Option<String>| {
        x.clone()
            .filter(|s| !s.is_empty())
            .map_or(Value::Null, Value::String)
    };
    let known_or = |base: &Value, name: &str, v: Value| {
        if base.attr(name).is_null() && !base.attr(name).is_unknown() {
            Value::Null
        } else {
            v
        }
    };
    let ty = svc.service_type.clone();
    let is_static = ty == "static_site";

    base.set_attr("id", Value::string(&svc.id));
    base.set_attr("name", Value::string(&svc.name));
    base.set_attr("type", Value::string(&ty));
    base.set_attr("slug", opt(&svc.slug));
    base.set_attr("created_at", opt(&svc.created_at));
    base.set_attr("updated_at", opt(&svc.updated_at));
    base.set_attr(
        "suspended",
        Value::Bool(svc.suspended.as_deref() == Some("suspended")),
    );
    base.set_attr("repo", opt(&svc.repo));
    base.set_attr("branch", opt(&svc.branch));
    base.set_attr(
        "root_dir",
        Value::string(svc.root_dir.clone().unwrap_or_default()),
    );
    base.set_attr(
        "auto_deploy",
        svc.auto_deploy
            .as_deref()
            .map_or(Value::Null, |a| Value::Bool(a == "yes")),
    );
    base.set_attr("environment_id", opt(&svc.environment_id));
    base.set_attr(
        "build_filter",
        match &svc.build_filter {
            Some(bf) if !bf.paths.is_empty() || !bf.ignored_paths.is_empty() => Value::object([
                ("paths", list_or_null(&bf.paths)),
                ("ignored_paths", list_or_null(&bf.ignored_paths)),
            ]),
            _ => Value::Null,
        },
    );
    base.set_attr(
        "pull_request_previews",
        d.pull_request_previews_enabled
            .as_deref()
            .map_or(Value::Null, |p| Value::Bool(p == "yes")),
    );
    if is_static {
        base.set_attr("build_command", opt(&d.build_command));
        base.set_attr("publish_path", opt(&d.publish_path));
    } else {
        base.set_attr("region", opt(&d.region));
        base.set_attr("plan", opt(&d.plan));
        let runtime = d.runtime.clone().or_else(|| d.env.clone());
        base.set_attr("runtime", opt(&runtime));
        base.set_attr("build_command", opt(&env.build_command));
        base.set_attr("start_command", opt(&env.start_command));
        base.set_attr("pre_deploy_command", opt(&env.pre_deploy_command));
        base.set_attr("schedule", opt(&d.schedule));
        base.set_attr(
            "num_instances",
            d.num_instances.map_or(Value::Null, Value::int),
        );
        base.set_attr(
            "max_shutdown_delay_seconds",
            d.max_shutdown_delay_seconds.map_or(Value::Null, Value::int),
        );
        base.set_attr("health_check_path", opt(&d.health_check_path));
        let docker = match runtime.as_deref() {
            Some("docker") => Value::object([
                ("dockerfile_path", opt(&env.dockerfile_path)),
                ("context", opt(&env.docker_context)),
                ("command", opt(&env.docker_command)),
                (
                    "registry_credential_id",
                    env.registry_credential
                        .as_ref()
                        .map_or(Value::Null, |r| Value::string(&r.id)),
                ),
            ]),
            _ => Value::Null,
        };
        let docker = known_or(&base, "docker", docker);
        base.set_attr("docker", docker);
        let image = match &svc.image_path {
            Some(p) if !p.is_empty() => Value::object([
                ("url", Value::string(p)),
                (
                    "registry_credential_id",
                    svc.registry_credential
                        .as_ref()
                        .map_or(Value::Null, |r| Value::string(&r.id)),
                ),
            ]),
            _ => Value::Null,
        };
        let image = known_or(&base, "image", image);
        base.set_attr("image", image);
        base.set_attr(
            "autoscaling",
            match &d.autoscaling {
                Some(a) if a.enabled || !base.attr("autoscaling").is_null() => Value::object([
                    ("enabled", Value::Bool(a.enabled)),
                    ("min", Value::int(a.min)),
                    ("max", Value::int(a.max)),
                    (
                        "cpu_percent",
                        if a.criteria.cpu.enabled {
                            Value::int(a.criteria.cpu.percentage)
                        } else {
                            Value::Null
                        },
                    ),
                    (
                        "memory_percent",
                        if a.criteria.memory.enabled {
                            Value::int(a.criteria.memory.percentage)
                        } else {
                            Value::Null
                        },
                    ),
                ]),
                _ => Value::Null,
            },
        );
        base.set_attr(
            "disk",
            match &d.disk {
                Some(disk) => Value::object([
                    ("name", Value::string(&disk.name)),
                    ("mount_path", Value::string(&disk.mount_path)),
                    ("size_gb", disk.size_gb.map_or(Value::Null, Value::int)),
                ]),
                None => Value::Null,
            },
        );
        let mm = match &d.maintenance_mode {
            Some(m) if m.enabled || !base.attr("maintenance_mode").is_null() => Value::object([
                ("enabled", Value::Bool(m.enabled)),
                ("uri", opt(&Some(m.uri.clone()))),
            ]),
            _ => Value::Null,
        };
        base.set_attr("maintenance_mode", mm);
    }
    let url = d.url.clone().filter(|u| !u.is_empty());
    base.set_attr("url", url.clone().map_or(Value::Null, Value::String));
    base.set_attr(
        "host",
        host_of(&ty, url.as_deref(), svc.slug.as_deref()).map_or(Value::Null, Value::String),
    );
    base
}

fn list_or_null(v: &[String]) -> Value {
    if v.is_empty() {
        Value::Null
    } else {
        Value::List(v.iter().map(Value::string).collect())
    }
}

/// `<slug>.onrender.com` for public services (taken from the URL when Render reports one); the
/// internal host name (the slug) for the others.
pub fn host_of(ty: &str, url: Option<&str>, slug: Option<&str>) -> Option<String> {
    let public = matches!(ty, "web_service" | "static_site");
    if let Some(u) = url.filter(|_| public) {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !host.is_empty() {
            return Some(host.to_string());
        }
    }
    let slug = slug.filter(|s| !s.is_empty())?;
    Some(if public {
        format!("{slug}.onrender.com")
    } else {
        slug.to_string()
    })
}

/// Env vars in state form: managed keys only (all keys when `prior` is unknown, after import).
pub fn env_state(prior: &Value, api: &[(String, String)]) -> Value {
    if prior.is_null() {
        return Value::Null;
    }
    let importing = prior.is_unknown();
    let mut out = BTreeMap::new();
    for (k, v) in api {
        let managed = prior.attr(k);
        if importing || !managed.is_null() {
            let generate = if importing {
                Value::Null
            } else {
                managed.attr("generate_value").clone()
            };
            out.insert(
                k.clone(),
                Value::object([("value", Value::string(v)), ("generate_value", generate)]),
            );
        }
    }
    if importing && out.is_empty() {
        return Value::Null;
    }
    Value::Map(out)
}

/// Secret files in state form: managed names only (all when `prior` is unknown).
pub fn files_state(prior: &Value, api: &[(String, String)]) -> Value {
    if prior.is_null() {
        return Value::Null;
    }
    let importing = prior.is_unknown();
    let m: BTreeMap<String, Value> = api
        .iter()
        .filter(|(k, _)| importing || !prior.attr(k).is_null())
        .map(|(k, c)| (k.clone(), Value::string(c)))
        .collect();
    if importing && m.is_empty() {
        return Value::Null;
    }
    Value::Map(m)
}

/// Custom domains in state form and their statuses. Domains Render added itself (the `www.`
/// redirect twin) are ignored unless configured, so they never show as drift.
pub fn domains_state(prior: &Value, api: &[CustomDomain]) -> (Value, Value) {
    let configured: Vec<String> = strings(prior);
    let importing = prior.is_unknown();
    let ours: Vec<&CustomDomain> = api
        .iter()
        .filter(|d| {
            let auto = d
                .redirect_for_name
                .as_deref()
                .is_some_and(|r| !r.is_empty());
            configured.contains(&d.name) || (importing && !auto)
        })
        .collect();
    let status: BTreeMap<String, Value> = ours
        .iter()
        .map(|d| (d.name.clone(), Value::string(&d.verification_status)))
        .collect();
    let names = if prior.is_null() || (importing && ours.is_empty()) {
        Value::Null
    } else {
        Value::set(ours.iter().map(|d| Value::string(&d.name)).collect())
    };
    (names, Value::Map(status))
}

pub fn headers_state(api: &[Header]) -> Value {
    if api.is_empty() {
        return Value::Null;
    }
    Value::List(
        api.iter()
            .map(|h| {
                Value::object([
                    ("path", Value::string(&h.path)),
                    ("name", Value::string(&h.name)),
                    ("value", Value::string(&h.value)),
                ])
            })
            .collect(),
    )
}

pub fn routes_state(api: &[Route]) -> Value {
    if api.is_empty() {
        return Value::Null;
    }
    Value::List(
        api.iter()
            .map(|r| {
                Value::object([
                    ("type", Value::string(&r.route_type)),
                    ("source", Value::string(&r.source)),
                    ("destination", Value::string(&r.destination)),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of(
                "web_service",
                Some("https://api-x1.onrender.com"),
                Some("api-x1")
            )
            .as_deref(),
            Some("api-x1.onrender.com")
        );
        assert_eq!(
            host_of("static_site", None, Some("web")).as_deref(),
            Some("web.onrender.com")
        );
        assert_eq!(
            host_of("private_service", Some("skills:10000"), Some("skills")).as_deref(),
            Some("skills")
        );
        assert_eq!(host_of("cron_job", None, None), None);
    }

    #[test]
    fn generated_entries_keep_their_value_once_known() {
        let env = Value::Map(BTreeMap::from([
            (
                "A".to_string(),
                Value::object([
                    ("value", Value::string("1")),
                    ("generate_value", Value::Null),
                ]),
            ),
            (
                "B".to_string(),
                Value::object([
                    ("value", Value::Unknown),
                    ("generate_value", Value::Bool(true)),
                ]),
            ),
            (
                "C".to_string(),
                Value::object([
                    ("value", Value::string("kept")),
                    ("generate_value", Value::Bool(true)),
                ]),
            ),
        ]));
        let wo = Value::Map(BTreeMap::from([("W".to_string(), Value::string("secret"))]));
        let body = serde_json::to_value(env_inputs(&env, &wo)).expect("serialises");
        assert_eq!(
            body,
            json!(vec![
                json!({"key": "A", "value": "1"}),
                json!({"key": "B", "generateValue": true}),
                json!({"key": "C", "value": "kept"}),
                json!({"key": "W", "value": "secret"}),
            ])
        );
    }
}
