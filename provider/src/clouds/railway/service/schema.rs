//! railway_service's schema, its validators (cron schedules, variable names, hostnames) and
//! Railway's enums in one place (from the GraphQL schema's `Builder` and `RestartPolicyType`, and
//! Railway's published region list). No network, no client.

use crate::framework::rules::{
    int_between, known_values, length_between, one_of, Validator, Verdict,
};
use crate::framework::{Attribute, Diagnostics, Nesting, Path, Schema, Type, Value};

/// `Builder` in Railway's schema.
pub const BUILDERS: &[&str] = &["RAILPACK", "NIXPACKS", "HEROKU", "PAKETO"];
/// `RestartPolicyType` in Railway's schema.
pub const RESTART_POLICIES: &[&str] = &["ON_FAILURE", "ALWAYS", "NEVER"];
/// Railway's deployment regions (a warning, not an error, for others: Railway adds regions).
pub const REGIONS: &[&str] = &[
    "us-west2",
    "us-east4-eqdc4a",
    "europe-west4-drams3a",
    "asia-southeast1-eqsg3a",
    "us-west1",
    "us-east4",
    "europe-west4",
    "asia-southeast1",
];

/// Why a variable name is invalid (letters, digits and `_`, not starting with a digit).
pub fn variable_name_error(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    (!ok).then(|| format!("{name:?} is not a valid variable name: use letters, digits and '_', not starting with a digit."))
}

fn hostname_error(h: &str) -> Option<String> {
    let labels_ok = h.split('.').count() >= 2
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    (!labels_ok || h.len() > 253)
        .then(|| format!("{h:?} is not a domain name like \"api.example.com\"."))
}

/// Why a generated domain's name (`<name>.up.railway.app`) is invalid: one DNS label of
/// lowercase letters, digits and hyphens, 1 to 63 long, not starting or ending with a hyphen.
pub fn subdomain_error(s: &str) -> Option<String> {
    let ok = (1..=63).contains(&s.len())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (!ok).then(|| {
        format!(
            "{s:?} is not a Railway domain name: use 1 to 63 lowercase letters, digits and '-', \
             not starting or ending with '-' (it becomes <name>.up.railway.app)."
        )
    })
}

fn domains_validator() -> Validator {
    Validator::new("Domain names such as \"api.example.com\".", |v| {
        for e in v.elements().unwrap_or_default() {
            if let Some(msg) = e.as_str().and_then(hostname_error) {
                return Verdict::Error(msg);
            }
        }
        Verdict::Ok
    })
}

fn ports_validator() -> Validator {
    Validator::new("Ports between 1 and 65535.", |v| {
        for (domain, p) in v.entries().into_iter().flatten() {
            match p.as_i64() {
                Some(n) if (1..=65535).contains(&n) => {}
                None if p.is_unknown() || p.is_null() => {}
                _ => {
                    return Verdict::Error(format!(
                        "The target port of {domain:?} must be a whole number between 1 and 65535."
                    ))
                }
            }
        }
        Verdict::Ok
    })
}

fn repo_error(s: &str) -> Option<String> {
    let ok = matches!(s.split_once('/'), Some((o, r)) if !o.is_empty() && !r.is_empty() && !r.contains('/'));
    (!ok).then(|| format!("{s:?} is not a repository of the form \"owner/name\"."))
}

pub fn service_schema() -> Schema {
    let opt = |name: &str, desc: &str| Attribute::string(name).optional().description(desc);
    let kept = |a: Attribute| a.optional_computed().keep_state();
    Schema::new(
        "A Railway service: its source (a GitHub repository or a Docker image), its settings in one environment (build and start commands, \
         replicas, region, health check, cron, restart policy), its variables and its domains. Updates call only what changed; Railway \
         redeploys the service after a settings or variables change.",
        vec![
            Attribute::string("id").computed().keep_state().description("The service id."),
            Attribute::string("project_id").required().replace().description("The project the service belongs to."),
            kept(Attribute::string("environment_id")).description(
                "The environment whose service instance the settings, variables and domains apply to; default: the project's production environment. \
                 Changing it applies them to the new environment (the old environment keeps its own).",
            ),
            Attribute::string("name").required().validate(length_between(1, 100)).description("The service name (renaming is in place)."),
            opt("icon", "An icon URL or name shown on the canvas."),
            opt("source_repo", "Deploy from this GitHub repository. Exactly one of `source_repo` and `source_image`.")
                .validate(Validator::string("Of the form `owner/name`.", repo_error)),
            kept(Attribute::string("branch")).description("The branch of `source_repo` to deploy (default: the repository's default branch)."),
            opt("root_directory", "The directory of the service inside the repository (monorepos)."),
            Attribute::list("watch_patterns", Type::String).optional().description("Only changes to files matching these gitignore-style patterns trigger a deploy."),
            opt("source_image", "Deploy this Docker image (e.g. `ghcr.io/acme/worker:1.2`). Exactly one of `source_repo` and `source_image`."),
            Attribute::nested(
                "registry_credentials",
                Nesting::Single,
                vec![
                    Attribute::string("username").required().description("Registry user name."),
                    Attribute::string("password").required().sensitive().description("Registry password or token."),
                ],
            )
            .optional()
            .description("Credentials for a private `source_image` registry. Railway cannot return them: the configured value is kept."),
            opt("build_command", "The build command (default: detected by the builder)."),
            opt("start_command", "The start command (default: detected by the builder)."),
            Attribute::list("pre_deploy_command", Type::String).optional().description("Commands run before each deploy (e.g. migrations)."),
            kept(Attribute::string("builder")).validate(known_values(BUILDERS)).description("The builder that turns the source into an image (default: Railway's)."),
            opt("dockerfile_path", "Build with this Dockerfile instead of the builder."),
            opt("railway_config_file", "Path of a railway.json/railway.toml config-as-code file."),
            opt("healthcheck_path", "HTTP path Railway probes before switching traffic to a new deploy."),
            Attribute::int("healthcheck_timeout").optional().validate(int_between(1, 3600)).description("Seconds to wait for the health check."),
            opt("cron_schedule", "Run the service on this crontab schedule (5 fields, UTC) instead of continuously.")
                .validate(crate::framework::cron::cron()),
            kept(Attribute::int("num_replicas")).validate(int_between(0, 1000)).description("Replicas in `region` (default: Railway's, 1)."),
            kept(Attribute::string("region")).validate(known_values(REGIONS)).description("The deployment region (default: Railway's)."),
            Attribute::map("multi_region_replicas", Type::Number)
                .optional()
                .description("Replicas per region (`{\"us-west2\" = 2, \"europe-west4-drams3a\" = 1}`), instead of `region` and `num_replicas`. Railway cannot return it: the configured value is kept."),
            kept(Attribute::string("restart_policy_type"))
                .validate(one_of(RESTART_POLICIES))
                .description("When Railway restarts the service (default: Railway's, ON_FAILURE)."),
            kept(Attribute::int("restart_policy_max_retries"))
                .validate(int_between(0, 1000))
                .description("Restarts before giving up, for ON_FAILURE (default: Railway's, 10)."),
            kept(Attribute::bool("sleep_application")).description("Serverless: sleep the service when it receives no traffic."),
            Attribute::int("draining_seconds").optional().validate(int_between(0, 3600)).description("Seconds an old deploy keeps running after SIGTERM."),
            Attribute::int("overlap_seconds").optional().validate(int_between(0, 3600)).description("Seconds old and new deploys overlap."),
            kept(Attribute::map("variables", Type::String)).sensitive().description(
                "The service's variables in the environment (authoritative when set: variables not listed, other than `variables_wo` and \
                 Railway's own `RAILWAY_*`, are read back, so one added outside Terraform shows in `plan`, and are removed; `{}` removes all). Written with one variableCollectionUpsert per apply, only when \
                 they changed. Values may reference others (`${{shared.X}}`, `${{api.RAILWAY_PRIVATE_DOMAIN}}`).",
            ),
            Attribute::map("variables_wo", Type::String).optional().sensitive().write_only().description(
                "Secret variables never stored in state (Terraform 1.11+). Sent with the other variables when `variables_wo_version` changes.",
            ),
            Attribute::int("variables_wo_version").optional().description("Change this to send `variables_wo` again."),
            Attribute::set("variables_wo_names", Type::String).computed().description("The names in `variables_wo` (kept so reads can tell them from drift)."),
            kept(Attribute::bool("service_domain")).description("Whether the service has a generated `*.up.railway.app` domain (false removes it)."),
            Attribute::string("service_domain_name").computed().description("The generated domain, when `service_domain` is true."),
            kept(Attribute::set("custom_domains", Type::String)).validate(domains_validator()).description("Custom domains of the service (authoritative when set)."),
            Attribute::list(
                "custom_domain_records",
                Type::object([("domain", Type::String), ("type", Type::String), ("name", Type::String), ("value", Type::String)]),
            )
            .computed()
            .description("The DNS records to create for `custom_domains`: domain, type (CNAME, TXT, …), name (the FQDN) and value."),
            Attribute::int("service_domain_target_port").optional().validate(int_between(1, 65535)).description(
                "The port the generated domain routes to (changed in place with serviceDomainUpdate). Unset: Railway detects it; removing it leaves the port as it is.",
            ),
            Attribute::string("service_domain_subdomain").optional().validate(Validator::new("A DNS label: lowercase letters, digits and '-'.", |v| {
                match v.as_str().and_then(subdomain_error) {
                    Some(e) => Verdict::Error(e),
                    None => Verdict::Ok,
                }
            })).description(
                "The generated domain's name, `<name>` in `<name>.up.railway.app` (1 to 63 lowercase letters, digits and '-'), set with serviceDomainUpdate right after the domain is created and changed in place. A name another service has fails the apply with Railway's answer. Unset: Railway's generated name, left alone.",
            ),
            Attribute::map("custom_domain_target_ports", Type::Number).optional().validate(ports_validator()).description(
                "Target ports of custom domains, by domain (`{\"api.example.com\" = 8080}`; each a domain of `custom_domains`), changed in place with customDomainUpdate. A domain not listed keeps the port Railway has.",
            ),
        ],
    )
}

fn known(v: &Value) -> bool {
    !v.is_null() && !v.contains_unknown()
}

/// Cross-attribute rules: exactly one source; repo-only and image-only settings; multi-region
/// against region/replicas; variable names; write-only variables.
pub fn validate_service(config: &Value, diags: &mut Diagnostics) {
    let repo = config.attr("source_repo");
    let image = config.attr("source_image");
    if !repo.is_unknown() && !image.is_unknown() {
        match (repo.is_null(), image.is_null()) {
            (false, false) => diags.error_at(Path::root("source_image"), "Conflicting attributes", "Only one of `source_repo` and `source_image` may be set."),
            (true, true) => diags.error_at(Path::root("source_repo"), "Missing source", "Set exactly one of `source_repo` (a GitHub repository) and `source_image` (a Docker image)."),
            _ => {}
        }
    }
    if known(image) || (image.is_unknown() && repo.is_null()) {
        for attr in ["branch", "root_directory", "watch_patterns"] {
            if !config.attr(attr).is_null() {
                diags.error_at(
                    Path::root(attr),
                    "Invalid attribute for an image source",
                    format!("`{attr}` applies to `source_repo` only."),
                );
            }
        }
    }
    if known(repo) && !config.attr("registry_credentials").is_null() {
        diags.error_at(
            Path::root("registry_credentials"),
            "Invalid attribute for a repository source",
            "`registry_credentials` applies to `source_image` only.",
        );
    }
    if !config.attr("multi_region_replicas").is_null() {
        for attr in ["region", "num_replicas"] {
            if !config.attr(attr).is_null() {
                diags.error_at(
                    Path::root(attr),
                    "Conflicting attributes",
                    format!("`{attr}` cannot be set with `multi_region_replicas`."),
                );
            }
        }
    }
    for attr in ["service_domain_target_port", "service_domain_subdomain"] {
        if config.attr("service_domain").as_bool() == Some(false) && !config.attr(attr).is_null() {
            diags.error_at(
                Path::root(attr),
                "Conflicting attributes",
                format!("`{attr}` needs `service_domain = true`."),
            );
        }
    }
    let domains = config.attr("custom_domains");
    if let (Some(ports), Some(listed)) = (
        config.attr("custom_domain_target_ports").entries(),
        domains.elements().filter(|_| known(domains)),
    ) {
        for d in ports.keys() {
            if !listed
                .iter()
                .any(|l| l.as_str().is_some_and(|l| l.eq_ignore_ascii_case(d)))
            {
                diags.error_at(
                    Path::root("custom_domain_target_ports").key(d),
                    "Unknown custom domain",
                    format!("{d:?} is not in `custom_domains`."),
                );
            }
        }
    }
    for attr in ["variables", "variables_wo"] {
        for name in config
            .attr(attr)
            .entries()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if let Some(msg) = variable_name_error(&name) {
                diags.error_at(Path::root(attr).key(&name), "Invalid variable name", msg);
            }
        }
    }
    let wo = config.attr("variables_wo");
    if let (Some(wo_vars), Some(plain)) = (wo.entries(), config.attr("variables").entries()) {
        for name in wo_vars.keys().filter(|k| plain.contains_key(*k)) {
            diags.error_at(
                Path::root("variables_wo").key(name),
                "Duplicate variable",
                format!("{name} is in both `variables` and `variables_wo`."),
            );
        }
    }
    if !wo.is_null() && config.attr("variables_wo_version").is_null() {
        diags.error_at(Path::root("variables_wo_version"), "Missing variables_wo_version", "Set `variables_wo_version` with `variables_wo`, and change it whenever the secret values change.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names() {
        assert!(variable_name_error("OPENAI_API_KEY").is_none());
        assert!(variable_name_error("_x1").is_none());
        for bad in ["", "1X", "A-B", "A B", "É"] {
            assert!(variable_name_error(bad).is_some(), "{bad}");
        }
    }
}
