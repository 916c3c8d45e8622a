//! Moves from the official Vercel provider (`vercel/vercel`) into ours of the same names, read on
//! a provider swap (UpgradeResourceState) or through a `moved` block: `vercel_project_domain`
//! (vercel/resource_project_domain.go at vercel/terraform-provider-vercel@c8a6711c, schema
//! version 0; same attribute names, `wait_for_ready` is our `wait_for_verification`) and
//! `vercel_project` (vercel/resource_project.go, schema version 0: protection scopes under the
//! official names, env vars with `sensitive` instead of `type`, a password in state where ours is
//! write-only). Pure: no I/O; must not import the client.

use serde_json::{json, Map, Value as Json};

use crate::clouds::vercel::project::schema::SKEW_WINDOWS;
use crate::framework::{moves::unmappable, Diagnostics, MoveSource, SourceState};

const PROJECT_REF: &str =
    "vercel/terraform-provider-vercel@c8a6711c565f (vercel/resource_project.go)";

pub fn project_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: "vercel/vercel",
        type_name: "vercel_project",
        schema_versions: &[0],
        map: project,
        renames: &[
            (
                "environment[*].sensitive = true",
                "environment[*].type = \"sensitive\"",
            ),
            ("environment[*].id", ""),
            (
                "password_protection.password",
                "password_protection.password_wo",
            ),
            (
                "deployment_type = \"standard_protection\"",
                "\"prod_deployment_urls_and_all_previews\"",
            ),
            (
                "deployment_type = \"standard_protection_new\"",
                "\"all_except_custom_domains\"",
            ),
            ("deployment_type = \"all_deployments\"", "\"all\""),
            (
                "deployment_type = \"only_preview_deployments\"",
                "\"preview\"",
            ),
            (
                "deployment_type = \"only_production_deployments\"",
                "\"production\"",
            ),
            (
                "trusted_ips.protection_mode = \"trusted_ip_required\"",
                "\"additional\"",
            ),
            (
                "trusted_ips.protection_mode = \"trusted_ip_optional\"",
                "\"exclusive\"",
            ),
            (
                "options_allowlist.paths = [{ value = \"/x\" }]",
                "options_allowlist.paths = [\"/x\"]",
            ),
            ("preview_comments", "enable_preview_feedback"),
            ("git_repository.deploy_hooks", ""),
            ("git_comments", ""),
            ("git_provider_options", ""),
            ("trusted_sources", ""),
            ("oidc_token_config", ""),
            ("protected_sourcemaps", ""),
            ("prioritise_production_builds", ""),
            ("on_demand_concurrent_builds", ""),
            ("build_machine_type", ""),
            ("preview_deployment_suffix", ""),
        ],
        schema_ref: PROJECT_REF,
    }]
}

/// Top-level attributes only the official schema has: a same-named state without any of them is
/// paasform's own (its attribute names are a subset of the official ones), decoded as it is.
const OFFICIAL_ONLY: &[&str] = &[
    "preview_deployment_suffix",
    "preview_comments",
    "git_comments",
    "git_provider_options",
    "trusted_sources",
    "oidc_token_config",
    "protected_sourcemaps",
    "prioritise_production_builds",
    "on_demand_concurrent_builds",
    "build_machine_type",
];

/// Attributes copied as they are (same name, same meaning).
const SAME: &[&str] = &[
    "id",
    "name",
    "team_id",
    "framework",
    "root_directory",
    "build_command",
    "output_directory",
    "install_command",
    "dev_command",
    "ignore_command",
    "node_version",
    "serverless_function_region",
    "public_source",
    "preview_deployments_disabled",
    "automatically_expose_system_environment_variables",
    "auto_assign_custom_domains",
    "directory_listing",
    "git_fork_protection",
    "git_lfs",
    "function_failover",
    "customer_success_code_visibility",
    "enable_preview_feedback",
    "enable_production_feedback",
    "enable_affected_projects_deployments",
];

/// The official protection scope names → the API's (ours); ours pass through unchanged.
fn deployment_type(v: &Json) -> Json {
    let mapped = match v.as_str() {
        Some("standard_protection") => "prod_deployment_urls_and_all_previews",
        Some("standard_protection_new") => "all_except_custom_domains",
        Some("all_deployments") => "all",
        Some("only_preview_deployments") => "preview",
        Some("only_production_deployments") => "production",
        _ => return v.clone(),
    };
    Json::String(mapped.into())
}

/// A nested object's attributes must all be known: the ones a newer official schema added are
/// named, and nothing is moved.
fn known_keys(attr: &str, obj: &Map<String, Json>, known: &[&str]) -> Result<(), Diagnostics> {
    let unknown: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(unmappable(
        "vercel_project",
        attr,
        format!(
            "paasform does not know its attributes {} (a source schema newer than {PROJECT_REF})",
            unknown.join(", ")
        ),
    ))
}

fn object<'a>(
    attr: &str,
    v: &'a Json,
    known: &[&str],
) -> Result<Option<&'a Map<String, Json>>, Diagnostics> {
    match v {
        Json::Object(o) => known_keys(attr, o, known).map(|()| Some(o)),
        _ => Ok(None),
    }
}

/// The official provider stores a personal account's missing team as `""`; ours stores null.
fn team_id(v: &Json) -> Json {
    match v {
        Json::String(t) if t.is_empty() => Json::Null,
        other => other.clone(),
    }
}

fn get(o: &Map<String, Json>, k: &str) -> Json {
    o.get(k).cloned().unwrap_or(Json::Null)
}

fn env_var(e: &Json) -> Result<Json, Diagnostics> {
    const KNOWN: &[&str] = &[
        "id",
        "key",
        "value",
        "target",
        "custom_environment_ids",
        "git_branch",
        "sensitive",
        "comment",
    ];
    let Some(o) = object("environment", e, KNOWN)? else {
        return Err(unmappable(
            "vercel_project",
            "environment",
            "an element is not an object",
        ));
    };
    // The official provider writes non-sensitive variables as `encrypted` (and reads `plain`
    // ones back as non-sensitive: the refresh after the move reads the real type).
    let kind = if get(o, "sensitive") == Json::Bool(true) {
        "sensitive"
    } else {
        "encrypted"
    };
    // It stores a missing comment as "": ours is null.
    let comment = get(o, "comment");
    let comment = if comment.as_str() == Some("") {
        Json::Null
    } else {
        comment
    };
    Ok(json!({
        "key": get(o, "key"),
        "value": get(o, "value"),
        "target": get(o, "target"),
        "custom_environment_ids": get(o, "custom_environment_ids"),
        "git_branch": get(o, "git_branch"),
        "type": kind,
        "comment": comment,
    }))
}

fn skew(v: &Json) -> Result<Json, Diagnostics> {
    match v.as_str() {
        None => Ok(Json::Null),
        Some(name) if SKEW_WINDOWS.iter().any(|(n, _)| *n == name) => Ok(v.clone()),
        Some(name) => Err(unmappable(
            "vercel_project",
            "skew_protection",
            format!(
                "{name:?} is not a window paasform can set (30 minutes, 12 hours, 1 day or 7 days)"
            ),
        )),
    }
}

fn project(s: &SourceState) -> Result<Json, Diagnostics> {
    if !OFFICIAL_ONLY.iter().any(|k| s.has(k)) {
        return Err(unmappable(
            "vercel_project",
            "(state)",
            "it has none of the official schema's own attributes, so it is not an official state",
        ));
    }
    let mut out = Map::new();
    for k in SAME {
        out.insert((*k).to_string(), s.get(k).clone());
    }
    out.insert("team_id".to_string(), team_id(s.get("team_id")));
    // Answer-only, and the deprecated alias of enable_preview_feedback (read from the same field).
    s.computed(&["preview_deployment_suffix", "preview_comments"]);
    s.unmanaged(&[
        "git_comments",
        "git_provider_options",
        "trusted_sources",
        "protected_sourcemaps",
        "prioritise_production_builds",
        "on_demand_concurrent_builds",
        "build_machine_type",
    ]);
    // The official default is `{ issuer_mode = "team" }`: only another mode is a setting lost.
    let oidc = s.get("oidc_token_config");
    if let Some(o) = object("oidc_token_config", oidc, &["enabled", "issuer_mode"])? {
        if !matches!(
            o.get("issuer_mode").and_then(Json::as_str),
            None | Some("team")
        ) {
            s.unmanaged_value("oidc_token_config", oidc);
        }
    }

    let git = match object(
        "git_repository",
        s.get("git_repository"),
        &["type", "repo", "production_branch", "deploy_hooks"],
    )? {
        Some(g) => {
            s.unmanaged_value(
                "git_repository.deploy_hooks",
                g.get("deploy_hooks").unwrap_or(&Json::Null),
            );
            json!({ "type": get(g, "type"), "repo": get(g, "repo"), "production_branch": get(g, "production_branch") })
        }
        None => Json::Null,
    };
    out.insert("git_repository".into(), git);

    let env = match s.get("environment") {
        Json::Array(a) => Json::Array(a.iter().map(env_var).collect::<Result<_, _>>()?),
        _ => Json::Null,
    };
    out.insert("environment".into(), env);

    let auth = object(
        "vercel_authentication",
        s.get("vercel_authentication"),
        &["deployment_type"],
    )?
    .map_or(
        Json::Null,
        |o| json!({ "deployment_type": deployment_type(&get(o, "deployment_type")) }),
    );
    out.insert("vercel_authentication".into(), auth);

    // The password stays at Vercel; ours is write-only, never in state.
    let password = object(
        "password_protection",
        s.get("password_protection"),
        &["deployment_type", "password"],
    )?
    .map_or(Json::Null, |o| {
        json!({ "deployment_type": deployment_type(&get(o, "deployment_type")), "password_wo": null, "password_wo_version": null })
    });
    out.insert("password_protection".into(), password);

    let trusted = match object(
        "trusted_ips",
        s.get("trusted_ips"),
        &["addresses", "deployment_type", "protection_mode"],
    )? {
        Some(o) => {
            let mode = match o.get("protection_mode").and_then(Json::as_str) {
                Some("trusted_ip_optional") => json!("exclusive"),
                Some("trusted_ip_required") | None => json!("additional"),
                Some(m) => json!(m),
            };
            let mut addresses = Vec::new();
            for a in get(o, "addresses").as_array().into_iter().flatten() {
                let a = object("trusted_ips.addresses", a, &["value", "note"])?
                    .cloned()
                    .unwrap_or_default();
                addresses.push(json!({ "value": get(&a, "value"), "note": get(&a, "note") }));
            }
            json!({ "deployment_type": deployment_type(&get(o, "deployment_type")), "protection_mode": mode, "addresses": addresses })
        }
        None => Json::Null,
    };
    out.insert("trusted_ips".into(), trusted);

    let allow = match object("options_allowlist", s.get("options_allowlist"), &["paths"])? {
        Some(o) => {
            let mut paths = Vec::new();
            for p in get(o, "paths").as_array().into_iter().flatten() {
                // Official: `{ value = "/x" }` objects; ours: plain strings.
                match p {
                    Json::Object(po) => {
                        known_keys("options_allowlist.paths", po, &["value"])?;
                        paths.push(get(po, "value"));
                    }
                    other => paths.push(other.clone()),
                }
            }
            json!({ "paths": paths })
        }
        None => Json::Null,
    };
    out.insert("options_allowlist".into(), allow);

    let rc = s.get("resource_config");
    object(
        "resource_config",
        rc,
        &[
            "function_default_cpu_type",
            "function_default_timeout",
            "function_default_regions",
            "fluid",
        ],
    )?;
    out.insert("resource_config".into(), rc.clone());
    out.insert("skew_protection".into(), skew(s.get("skew_protection"))?);
    Ok(Json::Object(out))
}

pub fn project_domain_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: "vercel/vercel",
        type_name: "vercel_project_domain",
        schema_versions: &[0],
        map: project_domain,
        renames: &[
            ("wait_for_ready", "wait_for_verification"),
            ("misconfigured", ""),
        ],
        schema_ref:
            "vercel/terraform-provider-vercel@c8a6711c565f (vercel/resource_project_domain.go)",
    }]
}

fn project_domain(s: &SourceState) -> Result<Json, Diagnostics> {
    s.computed(&["misconfigured"]);
    let verification = match s.get("verification") {
        Json::Array(a) => Json::Array(
            a.iter()
                .map(|v| {
                    json!({
                        "type": v.get("type"),
                        "domain": v.get("domain"),
                        "value": v.get("value"),
                        "reason": v.get("reason"),
                    })
                })
                .collect(),
        ),
        _ => Json::Null,
    };
    Ok(json!({
        "id": s.get("id"),
        "project_id": s.get("project_id"),
        "domain": s.get("domain"),
        "team_id": team_id(s.get("team_id")),
        "redirect": s.get("redirect"),
        "redirect_status_code": s.get("redirect_status_code"),
        "git_branch": s.get("git_branch"),
        "custom_environment_id": s.get("custom_environment_id"),
        "verified": s.get("verified"),
        "verification": verification,
        "wait_for_verification": s.get("wait_for_ready"),
    }))
}
