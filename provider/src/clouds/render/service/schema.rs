//! `render_service`'s schema and its configuration checks: the table of which attributes apply to
//! which service type, env var names and entries, the cron syntax of `schedule`. No network, no
//! client: must not import `client`.

use super::super::enums::{
    AUTO_DEPLOY_TRIGGERS, PREVIEW_GENERATIONS, REGIONS, ROUTE_TYPES, RUNTIMES, SERVICE_PLANS,
    SERVICE_TYPES, SUBDOMAIN_POLICIES,
};
use super::super::overrides;
use crate::framework::rules::{int_between, known_values, one_of};
use crate::framework::{Attribute, Diagnostics, Nesting, Path, PlanModifier, Schema, Type, Value};

const STATIC: &str = "static_site";
const WEB: &str = "web_service";
const PRIVATE: &str = "private_service";
const WORKER: &str = "background_worker";
const CRON: &str = "cron_job";

const NON_STATIC: &[&str] = &[WEB, PRIVATE, WORKER, CRON];
const LONG_RUNNING: &[&str] = &[WEB, PRIVATE, WORKER];

/// Which service types each type-specific attribute applies to (attributes not listed apply to all).
pub const APPLIES_TO: &[(&str, &[&str])] = &[
    ("region", NON_STATIC),
    ("plan", NON_STATIC),
    ("runtime", NON_STATIC),
    ("start_command", NON_STATIC),
    ("docker", NON_STATIC),
    ("image", NON_STATIC),
    ("pre_deploy_command", LONG_RUNNING),
    ("num_instances", LONG_RUNNING),
    ("autoscaling", LONG_RUNNING),
    ("disk", LONG_RUNNING),
    ("max_shutdown_delay_seconds", LONG_RUNNING),
    ("pull_request_previews", &[STATIC, WEB, PRIVATE, WORKER]),
    ("previews_generation", &[STATIC, WEB, PRIVATE, WORKER]),
    ("render_subdomain_policy", &[WEB, STATIC]),
    ("health_check_path", &[WEB]),
    ("maintenance_mode", &[WEB]),
    ("custom_domains", &[WEB, STATIC]),
    ("schedule", &[CRON]),
    ("publish_path", &[STATIC]),
    ("headers", &[STATIC]),
    ("routes", &[STATIC]),
    // The spec's resource ids are servers, cron jobs, Postgres and Key Value: no static sites.
    (overrides::LOG_STREAM_OVERRIDE, NON_STATIC),
];

/// Whether `attr` may be set on a service of type `ty`.
pub fn applies(attr: &str, ty: &str) -> bool {
    APPLIES_TO
        .iter()
        .find(|(a, _)| *a == attr)
        .is_none_or(|(_, types)| types.contains(&ty))
}

fn types_text(attr: &str) -> String {
    APPLIES_TO
        .iter()
        .find(|(a, _)| *a == attr)
        .map(|(_, t)| t.join(", "))
        .unwrap_or_default()
}

fn kept(a: Attribute) -> Attribute {
    a.optional_computed().keep_state()
}

/// An optional+computed attribute the configuration leaves unset keeps its prior value even when
/// that is null (an environment-less service, a web service's `publish_path`): no other input
/// moves it, so it must not plan as "(known after apply)" on an unrelated update (issue 18).
fn keep_prior_even_null() -> PlanModifier {
    PlanModifier::custom(
        "Keeps its prior value, also a null one, while the configuration leaves it unset.",
        |p| {
            (p.planned.is_unknown() && p.config.is_null() && !p.prior_object.is_null())
                .then(|| p.prior.clone())
        },
    )
}

/// `auto_deploy` and `auto_deploy_trigger` are two views of one setting (Render keeps them in
/// step: `off` is `autoDeploy = no`). An unset one keeps its prior value unless the other is
/// configured to a new value, in which case Render moves it too: "(known after apply)".
fn keep_unless_partner_moves(partner: &'static str) -> PlanModifier {
    PlanModifier::custom(
        "Keeps its prior value while the configuration leaves it unset, unless the paired attribute changes.",
        move |p| {
            let moved = p.planned_object.attr(partner).is_known()
                && p.planned_object.attr(partner) != p.prior_object.attr(partner);
            (p.planned.is_unknown() && p.config.is_null() && !p.prior_object.is_null() && !moved)
                .then(|| p.prior.clone())
        },
    )
}

pub fn schema() -> Schema {
    let attrs = vec![
        Attribute::string("type").required().replace().validate(one_of(SERVICE_TYPES)).description(
            "Service type; it decides which of the other attributes apply.",
        ),
        Attribute::string("name").required().description("Service name, unique in the workspace."),
        kept(Attribute::string("region")).replace().validate(known_values(REGIONS)).description("Region (not for static sites)."),
        kept(Attribute::string("plan")).validate(known_values(SERVICE_PLANS)).description("Instance type (not for static sites)."),
        kept(Attribute::string("runtime")).validate(known_values(RUNTIMES)).description(
            "Runtime. Required for every type but static_site; native runtimes (all but `docker` and `image`) need `build_command` and `start_command`.",
        ),
        kept(Attribute::string("repo")).description("Git repository URL (e.g. https://github.com/org/repo)."),
        kept(Attribute::string("branch")).description("Branch to deploy (default: the repository's default branch)."),
        kept(Attribute::string("root_dir")).description("Directory inside the repository to build from."),
        Attribute::bool("auto_deploy").optional_computed().modifier(keep_unless_partner_moves("auto_deploy_trigger")).description(
            "Deploy automatically on every push to `branch` (the older form of `auto_deploy_trigger`: `false` is `off`, `true` is `commit` or `checksPass`).",
        ),
        Attribute::string("auto_deploy_trigger").optional_computed().modifier(keep_unless_partner_moves("auto_deploy")).validate(one_of(AUTO_DEPLOY_TRIGGERS)).description(
            "When Render deploys a push to `branch`: `commit` (every push), `checksPass` (once the commit's CI checks pass) or `off`.",
        ),
        Attribute::nested(
            "build_filter",
            Nesting::Single,
            vec![
                Attribute::list("paths", Type::String).optional().description("Only changes under these globs trigger a build."),
                Attribute::list("ignored_paths", Type::String).optional().description("Changes under these globs never trigger a build."),
            ],
        )
        .optional()
        .description("Which changed paths trigger a build."),
        kept(Attribute::string("build_command")).description("Build command (native runtimes and static sites)."),
        kept(Attribute::string("start_command")).description("Start command (native runtimes)."),
        Attribute::string("pre_deploy_command").optional().description("Runs before each deploy (web, private services and workers)."),
        Attribute::nested(
            "docker",
            Nesting::Single,
            vec![
                kept(Attribute::string("dockerfile_path")).description("Path of the Dockerfile (default ./Dockerfile)."),
                kept(Attribute::string("context")).description("Docker build context (default .)."),
                Attribute::string("command").optional().description("Overrides the image's CMD."),
                Attribute::string("registry_credential_id").optional().description("Registry credential for private base images."),
            ],
        )
        .optional()
        .description("Docker build settings (runtime = docker)."),
        Attribute::nested(
            "image",
            Nesting::Single,
            vec![
                Attribute::string("url").required().description("Image to deploy, e.g. docker.io/library/redis:8."),
                Attribute::string("registry_credential_id").optional().description("Registry credential for a private image."),
            ],
        )
        .optional()
        .description("Prebuilt image to deploy (runtime = image)."),
        Attribute::string("health_check_path").optional().description("HTTP path Render probes (web services)."),
        kept(Attribute::int("num_instances")).validate(int_between(1, 100)).description("Instance count when autoscaling is off."),
        Attribute::nested(
            "autoscaling",
            Nesting::Single,
            vec![
                Attribute::bool("enabled").required().description("Whether Render scales the instance count between `min` and `max`."),
                Attribute::int("min").required().validate(int_between(1, 100)).description("Fewest instances; at most `max`."),
                Attribute::int("max").required().validate(int_between(1, 100)).description("Most instances."),
                Attribute::int("cpu_percent").optional().validate(int_between(1, 90)).description("Target CPU utilisation (unset: CPU is not a criterion)."),
                Attribute::int("memory_percent").optional().validate(int_between(1, 90)).description("Target memory utilisation (unset: memory is not a criterion)."),
            ],
        )
        .optional()
        .description("Autoscaling (web, private services and workers)."),
        Attribute::nested(
            "disk",
            Nesting::Single,
            vec![
                Attribute::string("name").required().description("The disk's name."),
                Attribute::string("mount_path").required().description("Absolute path the disk is mounted at inside the service."),
                kept(Attribute::int("size_gb")).validate(int_between(1, 10000)).description("Size in GB (can only grow)."),
            ],
        )
        .optional()
        .description("A persistent disk (web, private services and workers)."),
        Attribute::string("schedule").optional().validate(crate::framework::cron::cron()).description("Cron schedule (cron jobs), five fields, UTC."),
        kept(Attribute::string("publish_path")).modifier(keep_prior_even_null()).description("Directory the static site publishes."),
        Attribute::nested(
            "headers",
            Nesting::List,
            vec![
                Attribute::string("path").required().description("Request paths the header is added to (a glob, e.g. `/*`)."),
                Attribute::string("name").required().description("Header name."),
                Attribute::string("value").required().description("Header value."),
            ],
        )
        .optional()
        .description("Response headers of a static site."),
        Attribute::nested(
            "routes",
            Nesting::List,
            vec![
                Attribute::string("type").required().validate(one_of(ROUTE_TYPES)).description("`redirect` answers with an HTTP redirect; `rewrite` serves `destination` under the requested path."),
                Attribute::string("source").required().description("Request path the rule matches (a glob, e.g. `/old/*`)."),
                Attribute::string("destination").required().description("Path or URL the request goes to."),
            ],
        )
        .optional()
        .description("Redirect and rewrite rules of a static site, in priority order."),
        kept(Attribute::bool("pull_request_previews")).description("Create preview instances for pull requests."),
        kept(Attribute::string("previews_generation")).validate(one_of(PREVIEW_GENERATIONS)).description(
            "How Render creates preview instances for pull requests: `off`, `manual` (on request) or `automatic` (not for cron jobs).",
        ),
        kept(Attribute::string("render_subdomain_policy")).validate(one_of(SUBDOMAIN_POLICIES)).description(
            "Whether the `onrender.com` subdomain serves the service: `enabled` or `disabled` (web services and static sites).",
        ),
        kept(Attribute::int("max_shutdown_delay_seconds")).validate(int_between(1, 300)).description("Grace period before a stopping instance is killed."),
        Attribute::nested(
            "maintenance_mode",
            Nesting::Single,
            vec![Attribute::bool("enabled").required().description("Whether the service answers with the maintenance page."), Attribute::string("uri").optional().description("Page shown while in maintenance.")],
        )
        .optional()
        .description("Maintenance mode (web services)."),
        overrides::notification_override_attribute(),
        overrides::log_stream_override_attribute(),
        kept(Attribute::string("environment_id")).modifier(keep_prior_even_null()).description(
            "Render environment (project stage) holding the service. Changing it moves the service in place (the environment resources endpoints): same id, no re-create.",
        ),
        Attribute::nested(
            "env_vars",
            Nesting::Map,
            vec![
                Attribute::string("value").optional_computed().sensitive().description("The value (may come from another resource)."),
                Attribute::bool("generate_value").optional().description("Let Render generate a random secret (Blueprint `generateValue`)."),
            ],
        )
        .optional()
        .description(
            "Environment variables, authoritative: one PUT sets the whole set, and a read returns every variable of the service (other than the `env_vars_wo` keys), so a variable added outside Terraform shows in `plan` and `plan -refresh-only` as a deletion. Each entry has exactly one of `value` or `generate_value = true`. Generated values are kept in state (sensitive).",
        ),
        Attribute::set("env_vars_wo_keys", Type::String).computed().description("The keys of `env_vars_wo` (kept in state so a read can tell them from variables added outside Terraform)."),
        Attribute::map("env_vars_wo", Type::String).optional().write_only().sensitive().description(
            "Write-only environment variables (Terraform ≥ 1.11): never stored in state; sent when `env_vars_wo_version` changes.",
        ),
        Attribute::int("env_vars_wo_version").optional().description("Change to send `env_vars_wo` again."),
        Attribute::map("secret_files", Type::String).optional().sensitive().description("Secret files, name → content, authoritative: one PUT sets the whole set, and a read returns every file of the service (other than the `secret_files_wo` names), so a file added outside Terraform shows in `plan` as a deletion."),
        Attribute::set("secret_files_wo_names", Type::String).computed().description("The names of `secret_files_wo` (kept in state so a read can tell them from files added outside Terraform)."),
        Attribute::map("secret_files_wo", Type::String).optional().write_only().sensitive().description(
            "Write-only secret files, name → content (Terraform ≥ 1.11): never stored in state; sent with every secret-file write and when `secret_files_wo_version` changes.",
        ),
        Attribute::int("secret_files_wo_version").optional().description("Change to send `secret_files_wo` again."),
        Attribute::set("custom_domains", Type::String).optional().description("Custom domains (web services and static sites), authoritative: a read returns every domain of the service except the `www.` redirect twins Render adds itself, so a domain added outside Terraform shows in `plan` as a deletion."),
        Attribute::map("custom_domain_status", Type::String).computed().modifier(PlanModifier::keep_unless_changed(&["custom_domains"])).description("Verification status of each custom domain (`verified` / `unverified`)."),
        Attribute::bool("wait_for_deploy").default(Value::Bool(false)).state_only().description("Wait for the first deploy to be live (bounded by timeouts.create)."),
        Attribute::string("id").computed().keep_state().description("Service id (`srv-…`)."),
        Attribute::string("slug").computed().keep_state().description("Service slug."),
        Attribute::string("url").computed().keep_state().description("Public URL (web services and static sites)."),
        Attribute::string("host").computed().keep_state().description("Host name: `<slug>.onrender.com` for public services; the internal host for private services."),
        Attribute::bool("suspended").computed().keep_state().description("Whether the service is suspended."),
        Attribute::string("created_at").computed().keep_state().description("Creation time (RFC 3339)."),
        Attribute::string("updated_at").computed().keep_state().description("Last update time (RFC 3339)."),
    ];
    Schema::new(
        "A Render service: web service, private service, background worker, static site or cron job.\n\n\
         Updates call only the endpoints whose inputs changed (service settings, env vars and secret files, \
         custom domains, autoscaling, disk, instance count), and a plan with no changes makes no call. \
         paasform never triggers a deploy itself: Render applies changed service settings, env vars and \
         secret files with its next deploy (an automatic one when `auto_deploy` is on and Render chooses to \
         redeploy after a settings change); scaling, autoscaling and custom domains take effect without one.",
        attrs,
    ).with_timeouts(&[("create", "30m")])
}

/// Cross-attribute checks. No network. Unknown values are skipped.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    // An unknown type is reported by its own validator; judging other attributes against it
    // would only add misleading errors.
    let known_type = config
        .attr("type")
        .as_str()
        .filter(|ty| SERVICE_TYPES.contains(ty));
    if let Some(ty) = known_type {
        for (attr, _) in APPLIES_TO {
            if !config.attr(attr).is_null() && !applies(attr, ty) {
                diags.error_at(
                    Path::root(attr),
                    "Attribute does not apply to this service type",
                    format!(
                        "`{attr}` applies only to {}; this service is a {ty}.",
                        types_text(attr)
                    ),
                );
            }
        }
        if ty != STATIC && config.attr("runtime").is_null() {
            diags.error_at(
                Path::root("runtime"),
                "Missing runtime",
                format!("A {ty} needs `runtime` (node, python, docker, image, …)."),
            );
        }
        if ty == CRON && config.attr("schedule").is_null() {
            diags.error_at(
                Path::root("schedule"),
                "Missing schedule",
                "A cron_job needs `schedule` (five cron fields).",
            );
        }
    }
    if let (Some(ty), Some(rt)) = (known_type, config.attr("runtime").as_str()) {
        // Render's native-runtime details (nativeEnvironmentDetailsPOST) require both commands;
        // say so at validate time instead of letting the create fail with an HTTP 400.
        if ty != STATIC && rt != "docker" && rt != "image" {
            for attr in ["build_command", "start_command"] {
                if config.attr(attr).is_null() {
                    diags.error_at(
                        Path::root(attr),
                        "Missing command",
                        format!("A {ty} with runtime {rt:?} needs `{attr}` (Render requires both build and start commands for native runtimes)."),
                    );
                }
            }
        }
    }
    if let Some(rt) = config.attr("runtime").as_str() {
        for (attr, wanted) in [("docker", "docker"), ("image", "image")] {
            if !config.attr(attr).is_null() && rt != wanted {
                diags.error_at(
                    Path::root(attr),
                    "Attribute does not apply to this runtime",
                    format!("`{attr}` needs runtime = \"{wanted}\"; runtime is {rt:?}."),
                );
            }
        }
    }
    overrides::validate_log_stream_override(config, diags);
    let auto = config.attr("autoscaling");
    if let (Some(min), Some(max)) = (auto.attr("min").as_i64(), auto.attr("max").as_i64()) {
        if min > max {
            diags.error_at(
                Path::root("autoscaling").attr("min"),
                "Invalid autoscaling range",
                format!("min ({min}) is greater than max ({max})."),
            );
        }
    }
    if let (Some(auto), Some(trigger)) = (
        config.attr("auto_deploy").as_bool(),
        config.attr("auto_deploy_trigger").as_str(),
    ) {
        if auto != (trigger != "off") {
            diags.error_at(
                Path::root("auto_deploy_trigger"),
                "Conflicting auto-deploy settings",
                format!("auto_deploy = {auto} contradicts auto_deploy_trigger = {trigger:?}; set only `auto_deploy_trigger`."),
            );
        }
    }
    validate_env_vars(config, diags);
    validate_secret_files(config, diags);
    validate_paths(config, diags);
}

/// A disk mounts at an absolute path without `..` (Render refuses a relative one only at the API,
/// after the service exists), and `env_vars_wo` is sent only when its version changes, so it needs
/// one (issue #19).
fn validate_paths(config: &Value, diags: &mut Diagnostics) {
    if let Some(mount) = config.attr("disk").attr("mount_path").as_str() {
        let traverses = mount.split('/').any(|seg| seg == "..");
        if !mount.starts_with('/') || traverses {
            diags.error_at(
                Path::root("disk").attr("mount_path"),
                "Invalid disk mount path",
                format!("{mount:?}: a disk mounts at an absolute path without `..`, e.g. \"/var/data\"."),
            );
        }
    }
    let wo = config.attr("env_vars_wo");
    if wo.entries().is_some_and(|m| !m.is_empty()) && config.attr("env_vars_wo_version").is_null() {
        diags.error_at(
            Path::root("env_vars_wo_version"),
            "Missing version",
            "`env_vars_wo` is write-only: set `env_vars_wo_version` and change it to send new values.",
        );
    }
}

/// A secret file is a plain file name (Render puts it under `/etc/secrets/` and the service's
/// root): no directory separators, no `.` or `..`, not empty, no NUL.
pub fn secret_file_name_error(name: &str) -> Option<String> {
    let bad =
        name.trim().is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\0']);
    bad.then(|| format!("{name:?} is not a plain file name: secret files are named without directories, `.` or `..` (e.g. \".env.production\")."))
}

fn validate_env_vars(config: &Value, diags: &mut Diagnostics) {
    let plain = config
        .attr("env_vars")
        .entries()
        .cloned()
        .unwrap_or_default();
    for (key, entry) in &plain {
        let path = Path::root("env_vars").key(key);
        if let Some(msg) = env_var_name_error(key) {
            diags.error_at(path.clone(), "Invalid environment variable name", msg);
            continue;
        }
        let value = entry.attr("value");
        let generate = entry.attr("generate_value");
        if generate.is_unknown() {
            continue;
        }
        match (value.is_null(), generate.as_bool()) {
            (false, Some(true)) => diags.error_at(
                path.attr("generate_value"),
                "Conflicting env var settings",
                format!("{key}: set either `value` or `generate_value = true`, not both."),
            ),
            (true, None | Some(false)) => diags.error_at(
                path.attr("value"),
                "Missing env var value",
                format!(
                    "{key}: set `value`, or `generate_value = true` to let Render generate one."
                ),
            ),
            (false, Some(false)) => diags.error_at(
                path.attr("generate_value"),
                "Conflicting env var settings",
                format!("{key}: `generate_value = false` with a value; remove `generate_value`."),
            ),
            _ => {}
        }
    }
    for key in config
        .attr("env_vars_wo")
        .entries()
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let path = Path::root("env_vars_wo").key(&key);
        if let Some(msg) = env_var_name_error(&key) {
            diags.error_at(path, "Invalid environment variable name", msg);
        } else if plain.contains_key(&key) {
            diags.error_at(
                path,
                "Duplicate environment variable",
                format!("{key} is set in both `env_vars` and `env_vars_wo`."),
            );
        }
    }
}

/// A write-only secret file must not also be a stored one (one PUT would carry both).
pub fn validate_secret_files(config: &Value, diags: &mut Diagnostics) {
    let stored = config.attr("secret_files");
    for attr in ["secret_files", "secret_files_wo"] {
        for name in config
            .attr(attr)
            .entries()
            .into_iter()
            .flat_map(|m| m.keys())
        {
            if let Some(msg) = secret_file_name_error(name) {
                diags.error_at(Path::root(attr).key(name), "Invalid secret file name", msg);
            }
        }
    }
    for name in config
        .attr("secret_files_wo")
        .entries()
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if stored.entries().is_some_and(|m| m.contains_key(&name)) {
            diags.error_at(
                Path::root("secret_files_wo").key(&name),
                "Duplicate secret file",
                format!("{name} is set in both `secret_files` and `secret_files_wo`."),
            );
        }
    }
}

/// Letters, digits and underscores, not starting with a digit (what shells and Render accept).
pub fn env_var_name_error(key: &str) -> Option<String> {
    let mut chars = key.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    (!first_ok || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| format!("{key:?} is not a valid name: use letters, digits and underscores, not starting with a digit."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names() {
        assert!(env_var_name_error("DATABASE_URL").is_none());
        assert!(env_var_name_error("_X1").is_none());
        for bad in ["1X", "MY-VAR", "", "A B"] {
            assert!(env_var_name_error(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn type_table() {
        assert!(applies("schedule", "cron_job") && !applies("schedule", "web_service"));
        assert!(!applies("disk", "static_site") && applies("disk", "private_service"));
        assert!(applies("name", "static_site"));
    }
}
