//! Moves from the official Vercel provider (`vercel/vercel`): `vercel_project_domain` into ours
//! of the same name (vercel/resource_project_domain.go at vercel/terraform-provider-vercel
//! @c8a6711c, schema version 0; same attribute names, `wait_for_ready` is our
//! `wait_for_verification`). Pure: no I/O.

use serde_json::{json, Value as Json};

use crate::framework::{Diagnostics, MoveSource, SourceState};

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
        "team_id": s.get("team_id"),
        "redirect": s.get("redirect"),
        "redirect_status_code": s.get("redirect_status_code"),
        "git_branch": s.get("git_branch"),
        "custom_environment_id": s.get("custom_environment_id"),
        "verified": s.get("verified"),
        "verification": verification,
        "wait_for_verification": s.get("wait_for_ready"),
    }))
}
