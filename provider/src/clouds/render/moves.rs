//! Moves from the official Render provider (`render-oss/render`) into paasform's Render types: its
//! five service types into `render_service`, `render_postgres` and `render_keyvalue` into
//! `render_database`, `render_project` and `render_env_group` one to one. Each mapping reads the
//! official state shape (schema version 0 everywhere: none of its resources sets `Version`, see
//! internal/provider/*/resource/schema.go at render-oss/terraform-provider-render@033eb455) and
//! writes ours as plain JSON; Read completes it after the move. Sensitive values (env var values,
//! secret files, connection strings) carry over. Pure: no I/O; must not import the client.

use serde_json::{json, Map, Value as Json};

use crate::framework::moves::unmappable;
use crate::framework::{Diagnostics, MoveSource, SourceState};

const PROVIDER: &str = "render-oss/render";
const REF: &str =
    "render-oss/terraform-provider-render@033eb455fcbd (internal/provider/*/models.go)";

/// Renames shared by the service types (source → ours).
const SERVICE_RENAMES: &[(&str, &str)] = &[
    ("root_directory", "root_dir"),
    ("pull_request_previews_enabled", "pull_request_previews"),
    ("runtime_source.native_runtime.runtime", "runtime"),
    ("runtime_source.*.repo_url", "repo"),
    ("runtime_source.*.branch", "branch"),
    ("runtime_source.*.auto_deploy", "auto_deploy"),
    (
        "runtime_source.native_runtime.build_command",
        "build_command",
    ),
    ("runtime_source.*.build_filter", "build_filter"),
    (
        "runtime_source.docker.{dockerfile_path,context,registry_credential_id}",
        "docker.*",
    ),
    ("start_command (docker runtime)", "docker.command"),
    ("runtime_source.image.{image_url,tag,digest}", "image.url"),
    (
        "autoscaling.criteria.{cpu,memory}.percentage",
        "autoscaling.{cpu,memory}_percent",
    ),
    ("custom_domains[*].name", "custom_domains[*]"),
    ("secret_files.<name>.content", "secret_files.<name>"),
    ("active_custom_domains", ""),
    ("ip_allow_list", ""),
    ("previews", ""),
    ("notification_override", ""),
    ("log_stream_override", ""),
];

/// The sources `render_service` accepts.
pub fn service_sources() -> Vec<MoveSource> {
    let src = |type_name, map| MoveSource {
        provider: PROVIDER,
        type_name,
        schema_versions: &[0],
        map,
        renames: SERVICE_RENAMES,
        schema_ref: REF,
    };
    vec![
        src("render_web_service", web_service),
        src("render_private_service", private_service),
        src("render_background_worker", background_worker),
        src("render_cron_job", cron_job),
        src("render_static_site", static_site),
    ]
}

/// The sources `render_database` accepts.
pub fn database_sources() -> Vec<MoveSource> {
    vec![
        MoveSource {
            provider: PROVIDER,
            type_name: "render_postgres",
            schema_versions: &[0],
            map: postgres,
            renames: &[
                ("high_availability_enabled", "high_availability"),
                ("connection_info.password", "password"),
                (
                    "connection_info.{internal,external}_connection_string",
                    "{internal,external}_connection_string",
                ),
                (
                    "read_replicas[*].{id,parameter_overrides,log_stream_override}",
                    "",
                ),
                ("role, primary_postgres_id", ""),
                (
                    "datadog_api_key, parameter_overrides, log_stream_override",
                    "",
                ),
            ],
            schema_ref: REF,
        },
        MoveSource {
            provider: PROVIDER,
            type_name: "render_keyvalue",
            schema_versions: &[0],
            map: keyvalue,
            renames: &[
                ("(engine)", "engine = \"key_value\""),
                ("max_memory_policy", "maxmemory_policy"),
                (
                    "connection_info.{internal,external}_connection_string",
                    "{internal,external}_connection_string",
                ),
                ("persistence_mode, log_stream_override", ""),
            ],
            schema_ref: REF,
        },
    ]
}

pub fn project_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "render_project",
        schema_versions: &[0],
        map: project,
        renames: &[("environments.<key>.ip_allow_list", "")],
        schema_ref: REF,
    }]
}

pub fn env_group_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "render_env_group",
        schema_versions: &[0],
        map: env_group,
        renames: &[("secret_files.<name>.content", "secret_files.<name>")],
        schema_ref: REF,
    }]
}

fn obj(v: &Json) -> Option<&Map<String, Json>> {
    v.as_object()
}

/// `{ name = { value, generate_value } }` → ours (same shape; generate_value null when false).
fn env_vars(v: &Json) -> Json {
    let Some(m) = obj(v) else { return Json::Null };
    Json::Object(
        m.iter()
            .map(|(k, e)| {
                let generate = e.get("generate_value").and_then(Json::as_bool) == Some(true);
                (
                    k.clone(),
                    json!({
                        "value": e.get("value").cloned().unwrap_or(Json::Null),
                        "generate_value": if generate { Json::Bool(true) } else { Json::Null },
                    }),
                )
            })
            .collect(),
    )
}

/// `{ name = { content } }` → `{ name = content }`.
fn secret_files(v: &Json) -> Json {
    let Some(m) = obj(v) else { return Json::Null };
    Json::Object(
        m.iter()
            .map(|(k, f)| (k.clone(), f.get("content").cloned().unwrap_or(Json::Null)))
            .collect(),
    )
}

fn build_filter(v: Option<&Json>) -> Json {
    match v.and_then(obj) {
        Some(bf) => {
            let list = |k: &str| match bf.get(k) {
                Some(Json::Array(a)) if !a.is_empty() => Json::Array(a.clone()),
                _ => Json::Null,
            };
            let (paths, ignored) = (list("paths"), list("ignored_paths"));
            if paths.is_null() && ignored.is_null() {
                Json::Null
            } else {
                json!({ "paths": paths, "ignored_paths": ignored })
            }
        }
        None => Json::Null,
    }
}

/// Render's `auto_deploy_trigger` (commit, checksPass, off) has no paasform counterpart beyond
/// the `auto_deploy` switch: "checksPass" cannot be expressed.
fn auto_deploy(src: &Map<String, Json>, type_name: &str, at: &str) -> Result<Json, Diagnostics> {
    match src.get("auto_deploy_trigger").and_then(Json::as_str) {
        Some("checksPass") => Err(unmappable(
            type_name,
            &format!("{at}auto_deploy_trigger"),
            "paasform's auto_deploy is on (every commit) or off; \"checksPass\" has no counterpart",
        )),
        Some("off") => Ok(Json::Bool(false)),
        Some("commit") => Ok(Json::Bool(true)),
        _ => Ok(src.get("auto_deploy").cloned().unwrap_or(Json::Null)),
    }
}

/// Fields of the runtime source that land in ours: runtime, repo, branch, auto_deploy,
/// build_command, build_filter, docker, image.
fn runtime_source(
    s: &SourceState,
    type_name: &str,
    out: &mut Map<String, Json>,
) -> Result<(), Diagnostics> {
    let rs = s.get("runtime_source");
    let Some(rs) = obj(rs) else {
        return Err(unmappable(type_name, "runtime_source", "it is missing"));
    };
    let start = s.str("start_command").map(str::to_string);
    let git = |src: &Map<String, Json>,
               at: &str,
               out: &mut Map<String, Json>|
     -> Result<(), Diagnostics> {
        out.insert(
            "repo".into(),
            src.get("repo_url").cloned().unwrap_or(Json::Null),
        );
        out.insert(
            "branch".into(),
            src.get("branch").cloned().unwrap_or(Json::Null),
        );
        out.insert("auto_deploy".into(), auto_deploy(src, type_name, at)?);
        out.insert("build_filter".into(), build_filter(src.get("build_filter")));
        Ok(())
    };
    if let Some(native) = rs.get("native_runtime").and_then(obj) {
        out.insert(
            "runtime".into(),
            native.get("runtime").cloned().unwrap_or(Json::Null),
        );
        out.insert(
            "build_command".into(),
            native.get("build_command").cloned().unwrap_or(Json::Null),
        );
        out.insert(
            "start_command".into(),
            start.map_or(Json::Null, Json::String),
        );
        git(native, "runtime_source.native_runtime.", out)?;
    } else if let Some(docker) = rs.get("docker").and_then(obj) {
        out.insert("runtime".into(), json!("docker"));
        out.insert(
            "docker".into(),
            json!({
                "dockerfile_path": docker.get("dockerfile_path"),
                "context": docker.get("context"),
                "command": start,
                "registry_credential_id": docker.get("registry_credential_id"),
            }),
        );
        git(docker, "runtime_source.docker.", out)?;
    } else if let Some(image) = rs.get("image").and_then(obj) {
        let url = image
            .get("image_url")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let url = match (
            image.get("digest").and_then(Json::as_str),
            image.get("tag").and_then(Json::as_str),
        ) {
            (Some(d), _) if !d.is_empty() => format!("{url}@{d}"),
            (_, Some(t)) if !t.is_empty() => format!("{url}:{t}"),
            _ => url.to_string(),
        };
        out.insert("runtime".into(), json!("image"));
        out.insert(
            "image".into(),
            json!({ "url": url, "registry_credential_id": image.get("registry_credential_id") }),
        );
        out.insert(
            "start_command".into(),
            start.map_or(Json::Null, Json::String),
        );
    } else {
        return Err(unmappable(
            type_name,
            "runtime_source",
            "none of native_runtime, docker or image is set",
        ));
    }
    Ok(())
}

fn autoscaling(v: &Json) -> Json {
    let Some(a) = obj(v) else { return Json::Null };
    let percent = |k: &str| {
        let c = a.get("criteria").and_then(|c| c.get(k));
        match c.and_then(|c| c.get("enabled")).and_then(Json::as_bool) {
            Some(true) => c
                .and_then(|c| c.get("percentage"))
                .cloned()
                .unwrap_or(Json::Null),
            _ => Json::Null,
        }
    };
    json!({
        "enabled": a.get("enabled"),
        "min": a.get("min"),
        "max": a.get("max"),
        "cpu_percent": percent("cpu"),
        "memory_percent": percent("memory"),
    })
}

fn disk(v: &Json) -> Json {
    match obj(v) {
        Some(d) => {
            json!({ "name": d.get("name"), "mount_path": d.get("mount_path"), "size_gb": d.get("size_gb") })
        }
        None => Json::Null,
    }
}

fn maintenance(v: &Json) -> Json {
    match obj(v) {
        Some(m) if m.get("enabled").and_then(Json::as_bool) == Some(true) => {
            let uri = m
                .get("uri")
                .and_then(Json::as_str)
                .filter(|u| !u.is_empty());
            json!({ "enabled": true, "uri": uri })
        }
        _ => Json::Null,
    }
}

/// `[{ name, … }]` → `[name]`; redirect entries (the www twin Render adds) are not ours.
fn custom_domains(v: &Json) -> Json {
    match v.as_array() {
        Some(a) if !a.is_empty() => Json::Array(
            a.iter()
                .filter(|d| {
                    d.get("redirect_for_name")
                        .and_then(Json::as_str)
                        .is_none_or(str::is_empty)
                })
                .filter_map(|d| d.get("name").cloned())
                .collect(),
        ),
        _ => Json::Null,
    }
}

/// "off" is Render's default preview generation: only another value is worth a warning.
fn previews(s: &SourceState) {
    match s.get("previews").get("generation").and_then(Json::as_str) {
        None | Some("off") => {}
        Some(_) => s.unmanaged(&["previews"]),
    }
}

/// The attributes every non-static service shares.
fn service_common(
    s: &SourceState,
    type_name: &str,
    ty: &str,
) -> Result<Map<String, Json>, Diagnostics> {
    let mut out = Map::new();
    out.insert("type".into(), json!(ty));
    for (ours, theirs) in [
        ("id", "id"),
        ("name", "name"),
        ("slug", "slug"),
        ("region", "region"),
        ("plan", "plan"),
        ("environment_id", "environment_id"),
        ("root_dir", "root_directory"),
    ] {
        out.insert(ours.into(), s.get(theirs).clone());
    }
    out.insert("env_vars".into(), env_vars(s.get("env_vars")));
    out.insert("secret_files".into(), secret_files(s.get("secret_files")));
    runtime_source(s, type_name, &mut out)?;
    s.unmanaged(&["notification_override", "log_stream_override"]);
    out.insert("wait_for_deploy".into(), json!(false));
    Ok(out)
}

/// web, private and background services: scaling, disk, pre-deploy, shutdown delay, previews.
fn long_running(
    s: &SourceState,
    type_name: &str,
    ty: &str,
) -> Result<Map<String, Json>, Diagnostics> {
    let mut out = service_common(s, type_name, ty)?;
    out.insert("num_instances".into(), s.get("num_instances").clone());
    out.insert("autoscaling".into(), autoscaling(s.get("autoscaling")));
    out.insert("disk".into(), disk(s.get("disk")));
    out.insert(
        "pre_deploy_command".into(),
        s.get("pre_deploy_command").clone(),
    );
    out.insert(
        "max_shutdown_delay_seconds".into(),
        s.get("max_shutdown_delay_seconds").clone(),
    );
    out.insert(
        "pull_request_previews".into(),
        s.get("pull_request_previews_enabled").clone(),
    );
    previews(s);
    Ok(out)
}

fn web_service(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = long_running(s, "render_web_service", "web_service")?;
    out.insert(
        "health_check_path".into(),
        s.get("health_check_path").clone(),
    );
    out.insert(
        "maintenance_mode".into(),
        maintenance(s.get("maintenance_mode")),
    );
    out.insert(
        "custom_domains".into(),
        custom_domains(s.get("custom_domains")),
    );
    out.insert("url".into(), s.get("url").clone());
    s.computed(&["active_custom_domains"]);
    s.unmanaged(&["ip_allow_list"]);
    Ok(Json::Object(out))
}

fn private_service(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = long_running(s, "render_private_service", "private_service")?;
    out.insert("url".into(), s.get("url").clone());
    Ok(Json::Object(out))
}

fn background_worker(s: &SourceState) -> Result<Json, Diagnostics> {
    Ok(Json::Object(long_running(
        s,
        "render_background_worker",
        "background_worker",
    )?))
}

fn cron_job(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = service_common(s, "render_cron_job", "cron_job")?;
    out.insert("schedule".into(), s.get("schedule").clone());
    Ok(Json::Object(out))
}

fn static_site(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = Map::new();
    out.insert("type".into(), json!("static_site"));
    for (ours, theirs) in [
        ("id", "id"),
        ("name", "name"),
        ("slug", "slug"),
        ("environment_id", "environment_id"),
        ("root_dir", "root_directory"),
        ("repo", "repo_url"),
        ("branch", "branch"),
        ("build_command", "build_command"),
        ("publish_path", "publish_path"),
        ("url", "url"),
        ("pull_request_previews", "pull_request_previews_enabled"),
    ] {
        out.insert(ours.into(), s.get(theirs).clone());
    }
    let top = s_obj(s, &["auto_deploy", "auto_deploy_trigger", "build_filter"]);
    out.insert(
        "auto_deploy".into(),
        auto_deploy(&top, "render_static_site", "")?,
    );
    out.insert("build_filter".into(), build_filter(top.get("build_filter")));
    out.insert("env_vars".into(), env_vars(s.get("env_vars")));
    out.insert(
        "custom_domains".into(),
        custom_domains(s.get("custom_domains")),
    );
    let list = |k: &str| match s.get(k) {
        Json::Array(a) if !a.is_empty() => Json::Array(a.clone()),
        _ => Json::Null,
    };
    out.insert("headers".into(), list("headers"));
    out.insert("routes".into(), list("routes"));
    out.insert("wait_for_deploy".into(), json!(false));
    s.computed(&["active_custom_domains"]);
    previews(s);
    s.unmanaged(&["ip_allow_list", "notification_override"]);
    Ok(Json::Object(out))
}

/// Some top-level attributes as an object of their own (for helpers that read a runtime source).
fn s_obj(s: &SourceState, keys: &[&str]) -> Map<String, Json> {
    keys.iter()
        .map(|k| ((*k).to_string(), s.get(k).clone()))
        .collect()
}

fn connection(s: &SourceState, out: &mut Map<String, Json>, with_password: bool) {
    let ci = s.get("connection_info");
    for k in ["internal_connection_string", "external_connection_string"] {
        out.insert(k.into(), ci.get(k).cloned().unwrap_or(Json::Null));
    }
    if with_password {
        out.insert(
            "password".into(),
            ci.get("password").cloned().unwrap_or(Json::Null),
        );
    }
}

fn cidrs(v: &Json) -> Json {
    match v.as_array() {
        Some(a) => Json::Array(
            a.iter()
                .map(|c| json!({ "cidr_block": c.get("cidr_block"), "description": c.get("description") }))
                .collect(),
        ),
        None => Json::Null,
    }
}

fn postgres(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = Map::new();
    out.insert("engine".into(), json!("postgres"));
    for (ours, theirs) in [
        ("id", "id"),
        ("name", "name"),
        ("plan", "plan"),
        ("region", "region"),
        ("version", "version"),
        ("database_name", "database_name"),
        ("database_user", "database_user"),
        ("disk_size_gb", "disk_size_gb"),
        ("high_availability", "high_availability_enabled"),
        ("environment_id", "environment_id"),
    ] {
        out.insert(ours.into(), s.get(theirs).clone());
    }
    out.insert("ip_allow_list".into(), cidrs(s.get("ip_allow_list")));
    let replicas = match s.get("read_replicas").as_array() {
        Some(a) if !a.is_empty() => {
            Json::Array(a.iter().map(|r| json!({ "name": r.get("name") })).collect())
        }
        _ => Json::Null,
    };
    out.insert("read_replicas".into(), replicas);
    connection(s, &mut out, true);
    s.computed(&["role", "primary_postgres_id"]);
    s.unmanaged(&[
        "datadog_api_key",
        "parameter_overrides",
        "log_stream_override",
    ]);
    Ok(Json::Object(out))
}

fn keyvalue(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = Map::new();
    out.insert("engine".into(), json!("key_value"));
    for (ours, theirs) in [
        ("id", "id"),
        ("name", "name"),
        ("plan", "plan"),
        ("region", "region"),
        ("maxmemory_policy", "max_memory_policy"),
        ("environment_id", "environment_id"),
    ] {
        out.insert(ours.into(), s.get(theirs).clone());
    }
    out.insert("ip_allow_list".into(), cidrs(s.get("ip_allow_list")));
    connection(s, &mut out, false);
    s.unmanaged(&["log_stream_override"]);
    // Render's default persistence mode; anything else is set outside paasform's reach.
    if s.str("persistence_mode").is_some_and(|m| m != "off") {
        s.unmanaged(&["persistence_mode"]);
    }
    Ok(Json::Object(out))
}

fn project(s: &SourceState) -> Result<Json, Diagnostics> {
    let envs = match obj(s.get("environments")) {
        Some(m) => Json::Object(
            m.iter()
                .map(|(k, e)| {
                    (
                        k.clone(),
                        json!({
                            "id": e.get("id"),
                            "name": e.get("name"),
                            "protected_status": e.get("protected_status"),
                            "network_isolated": e.get("network_isolated"),
                        }),
                    )
                })
                .collect(),
        ),
        None => Json::Null,
    };
    let allow: Vec<&String> = obj(s.get("environments"))
        .map(|m| {
            m.iter()
                .filter(|(_, e)| {
                    e.get("ip_allow_list")
                        .and_then(Json::as_array)
                        .is_some_and(|a| !a.is_empty())
                })
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default();
    if !allow.is_empty() {
        s.unmanaged(&["environments"]);
    }
    Ok(json!({ "id": s.get("id"), "name": s.get("name"), "environments": envs }))
}

fn env_group(s: &SourceState) -> Result<Json, Diagnostics> {
    Ok(json!({
        "id": s.get("id"),
        "name": s.get("name"),
        "environment_id": s.get("environment_id"),
        "env_vars": env_vars(s.get("env_vars")),
        "secret_files": secret_files(s.get("secret_files")),
    }))
}
