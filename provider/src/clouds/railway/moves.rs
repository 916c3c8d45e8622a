//! Moves from the community Railway provider (`terraform-community-providers/railway`):
//! `railway_project`, `railway_environment` and `railway_service` into ours of the same names
//! (internal/provider/resource_*.go at terraform-community-providers/terraform-provider-railway
//! @b1cd755c, schema version 0). Its service has no environment (it is the service in every
//! environment); ours is a service instance, so `environment_id` stays null and Read settles it on
//! the project's default environment. Pure: no I/O.

use serde_json::{json, Map, Value as Json};

use crate::framework::moves::unmappable;
use crate::framework::{Diagnostics, MoveSource, SourceState};

const PROVIDER: &str = "terraform-community-providers/railway";
const REF: &str = "terraform-community-providers/terraform-provider-railway@b1cd755cb124 (internal/provider/resource_*.go)";

pub fn project_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "railway_project",
        schema_versions: &[0],
        map: project,
        renames: &[
            ("workspace_id", "team_id"),
            ("default_environment.id", "default_environment_id"),
            ("has_pr_deploys", ""),
        ],
        schema_ref: REF,
    }]
}

pub fn environment_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "railway_environment",
        schema_versions: &[0],
        map: environment,
        renames: &[],
        schema_ref: REF,
    }]
}

pub fn service_sources() -> Vec<MoveSource> {
    vec![MoveSource {
        provider: PROVIDER,
        type_name: "railway_service",
        schema_versions: &[0],
        map: service,
        renames: &[
            ("source_repo_branch", "branch"),
            ("config_path", "railway_config_file"),
            (
                "source_image_registry_{username,password}",
                "registry_credentials.{username,password}",
            ),
            ("regions[0].{region,num_replicas}", "region, num_replicas"),
            ("regions (several)", "multi_region_replicas"),
            ("volume", ""),
        ],
        schema_ref: REF,
    }]
}

fn project(s: &SourceState) -> Result<Json, Diagnostics> {
    if s.get("has_pr_deploys").as_bool() == Some(true) {
        s.unmanaged(&["has_pr_deploys"]);
    }
    Ok(json!({
        "id": s.get("id"),
        "name": s.get("name"),
        "description": s.str("description").filter(|d| !d.is_empty()),
        "team_id": s.get("workspace_id"),
        "private": s.get("private"),
        "default_environment_id": s.get("default_environment").get("id"),
    }))
}

fn environment(s: &SourceState) -> Result<Json, Diagnostics> {
    Ok(json!({
        "id": s.get("id"),
        "name": s.get("name"),
        "project_id": s.get("project_id"),
    }))
}

fn service(s: &SourceState) -> Result<Json, Diagnostics> {
    let mut out = Map::new();
    for (ours, theirs) in [
        ("id", "id"),
        ("name", "name"),
        ("project_id", "project_id"),
        ("cron_schedule", "cron_schedule"),
        ("source_image", "source_image"),
        ("source_repo", "source_repo"),
        ("branch", "source_repo_branch"),
        ("root_directory", "root_directory"),
        ("railway_config_file", "config_path"),
    ] {
        out.insert(ours.into(), s.get(theirs).clone());
    }
    match (
        s.str("source_image_registry_username"),
        s.str("source_image_registry_password"),
    ) {
        (Some(u), Some(p)) => {
            out.insert(
                "registry_credentials".into(),
                json!({ "username": u, "password": p }),
            );
        }
        (None, None) => {}
        _ => {
            return Err(unmappable(
                "railway_service",
                "source_image_registry_username",
                "a registry username and password come as a pair",
            ))
        }
    }
    let regions = s.get("regions").as_array().cloned().unwrap_or_default();
    match regions.as_slice() {
        [] => {}
        [one] => {
            out.insert(
                "region".into(),
                one.get("region").cloned().unwrap_or(Json::Null),
            );
            out.insert(
                "num_replicas".into(),
                one.get("num_replicas").cloned().unwrap_or(Json::Null),
            );
        }
        many => {
            let m: Map<String, Json> = many
                .iter()
                .filter_map(|r| {
                    Some((
                        r.get("region")?.as_str()?.to_string(),
                        r.get("num_replicas")?.clone(),
                    ))
                })
                .collect();
            out.insert("multi_region_replicas".into(), Json::Object(m));
        }
    }
    s.unmanaged(&["volume"]);
    Ok(Json::Object(out))
}
