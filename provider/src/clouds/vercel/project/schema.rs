//! vercel_project's schema, validators and the vendor's enums (from Vercel's OpenAPI spec); the
//! data source derives its schema from this one. Pure declarations: must not import the client.

use crate::framework::rules::{
    int_between, known_values, length_between, one_of, Validator, Verdict,
};
use crate::framework::{Attribute, Diagnostics, Nesting, Path, PlanModifier, Schema, Type, Value};

/// `framework` values in Vercel's spec (createProject); null means "Other".
pub const FRAMEWORKS: &[&str] = &[
    "blitzjs",
    "nextjs",
    "gatsby",
    "remix",
    "react-router",
    "astro",
    "hexo",
    "eleventy",
    "docusaurus-2",
    "docusaurus",
    "preact",
    "solidstart-1",
    "solidstart",
    "dojo",
    "ember",
    "vue",
    "scully",
    "ionic-angular",
    "angular",
    "polymer",
    "svelte",
    "sveltekit",
    "sveltekit-1",
    "ionic-react",
    "create-react-app",
    "gridsome",
    "umijs",
    "sapper",
    "saber",
    "stencil",
    "nuxtjs",
    "redwoodjs",
    "hugo",
    "jekyll",
    "brunch",
    "middleman",
    "zola",
    "hydrogen",
    "vite",
    "vitepress",
    "vuepress",
    "parcel",
    "fastapi",
    "flask",
    "fasthtml",
    "sanity-v3",
    "sanity",
    "storybook",
    "nitro",
    "hono",
    "express",
    "h3",
    "nestjs",
    "fastify",
    "xmcp",
];
pub const NODE_VERSIONS: &[&str] = &[
    "24.x", "22.x", "20.x", "18.x", "16.x", "14.x", "12.x", "10.x",
];
pub const GIT_TYPES: &[&str] = &["github", "gitlab", "bitbucket"];
pub const TARGETS: &[&str] = &["production", "preview", "development"];
pub const ENV_TYPES: &[&str] = &["plain", "encrypted", "sensitive"];
/// Deployment protection scopes (`ssoProtection` / `passwordProtection.deploymentType`).
pub const PROTECTION_TYPES: &[&str] = &[
    "all",
    "preview",
    "prod_deployment_urls_and_all_previews",
    "all_except_custom_domains",
];
/// `trustedIps.deploymentType` also takes `production`.
pub const TRUSTED_IP_TYPES: &[&str] = &[
    "all",
    "preview",
    "production",
    "prod_deployment_urls_and_all_previews",
    "all_except_custom_domains",
];
pub const TRUSTED_IP_MODES: &[&str] = &["additional", "exclusive"];

/// An IPv4 address or CIDR block (the API takes no IPv6 here).
fn ipv4_cidr_error(s: &str) -> Option<String> {
    let (ip, bits) = s.split_once('/').map_or((s, None), |(a, b)| (a, Some(b)));
    let ip_ok = ip.parse::<std::net::Ipv4Addr>().is_ok();
    let bits_ok = bits.is_none_or(|b| b.parse::<u8>().is_ok_and(|n| n <= 32));
    (!(ip_ok && bits_ok)).then(|| {
        format!(
            "{s:?} is not an IPv4 address or CIDR block (IPv6 is not supported by Vercel here)."
        )
    })
}

fn path_error(s: &str) -> Option<String> {
    (!s.starts_with('/')).then(|| format!("{s:?} must start with '/'."))
}

/// Deployment protection: Vercel Authentication, password, trusted IPs, the OPTIONS allowlist.
fn protection_attributes() -> Vec<Attribute> {
    vec![
        Attribute::nested(
            "vercel_authentication",
            Nesting::Single,
            vec![Attribute::string("deployment_type").required().description("Which deployments need a Vercel login: `all`, `preview`, `prod_deployment_urls_and_all_previews`, `all_except_custom_domains`, or `none` (off).").validate(one_of(&["all", "preview", "prod_deployment_urls_and_all_previews", "all_except_custom_domains", "none"]))],
        )
        .optional_computed()
        .keep_state()
        .description("Vercel Authentication: visitors must be logged into Vercel with access to the team. Unset keeps what the project has (new projects: `preview`)."),
        Attribute::nested(
            "password_protection",
            Nesting::Single,
            vec![
                Attribute::string("deployment_type").required().description("Which deployments ask for the password: `all`, `preview`, `prod_deployment_urls_and_all_previews`, `all_except_custom_domains`.").validate(one_of(PROTECTION_TYPES)),
                Attribute::string("password_wo").required().write_only().sensitive().description("The password (write-only, never stored in state: Vercel does not return it). Sent when protection is turned on and whenever `password_wo_version` changes.").validate(length_between(1, 72)),
                Attribute::int("password_wo_version").optional().description("Change it to send `password_wo` again (e.g. after rotating the password)."),
            ],
        )
        .optional()
        .description("Password protection for deployments (a paid Vercel feature). Removing it turns the protection off."),
        Attribute::nested(
            "trusted_ips",
            Nesting::Single,
            vec![
                Attribute::string("deployment_type").required().description("Which deployments only trusted addresses reach: `all`, `preview`, `production`, `prod_deployment_urls_and_all_previews`, `all_except_custom_domains`.").validate(one_of(TRUSTED_IP_TYPES)),
                Attribute::string("protection_mode").default(Value::string("additional")).description("`additional`: a trusted address must also pass the other protections; `exclusive`: a trusted address is enough.").validate(one_of(TRUSTED_IP_MODES)),
                Attribute::nested(
                    "addresses",
                    Nesting::List,
                    vec![
                        Attribute::string("value").required().description("An address Vercel lets through, e.g. `203.0.113.7` or `203.0.113.0/24`.").validate(Validator::string("An IPv4 address or CIDR block.", ipv4_cidr_error)),
                        Attribute::string("note").optional().description("What the address is (at most 20 characters).").validate(length_between(1, 20)),
                    ],
                )
                .required()
                .description("The trusted addresses (at least one)."),
            ],
        )
        .optional()
        .description("Trusted IPs (a Vercel Enterprise feature): only these addresses reach the deployments. Removing it turns the restriction off."),
        Attribute::nested(
            "options_allowlist",
            Nesting::Single,
            vec![Attribute::list("paths", Type::String).required().description("Up to 5 path patterns (each starting with '/') whose CORS preflight requests bypass protection.").validate(Validator::new("1 to 5 paths, each starting with '/'.", |v| {
                let elems = v.elements().unwrap_or_default();
                if elems.is_empty() || elems.len() > 5 {
                    return Verdict::Error(format!("must list 1 to 5 paths, not {}.", elems.len()));
                }
                match elems.iter().filter_map(Value::as_str).find_map(path_error) {
                    Some(e) => Verdict::Error(e),
                    None => Verdict::Ok,
                }
            }))],
        )
        .optional()
        .description("Paths whose `OPTIONS` requests skip deployment protection (for CORS preflights)."),
    ]
}

/// `resourceConfig.functionDefaultMemoryType` values (the dashboard's "CPU type").
pub const CPU_TYPES: &[&str] = &["standard_legacy", "standard", "performance"];
/// updateProject's and createProject's `resourceConfig.buildMachineType` (the spec's enum; none
/// is the standard machine).
pub const BUILD_MACHINE_TYPES: &[&str] = &["enhanced", "turbo"];
/// `oidcTokenConfig.issuerMode`: `team` (`https://oidc.vercel.com/<team>`) or `global`.
pub const OIDC_ISSUER_MODES: &[&str] = &["team", "global"];
/// Skew Protection windows as the official provider names them, with their seconds
/// (`skewProtectionMaxAge`).
pub const SKEW_WINDOWS: &[(&str, i64)] = &[
    ("30 minutes", 1800),
    ("12 hours", 43_200),
    ("1 day", 86_400),
    ("7 days", 604_800),
];
const SKEW_NAMES: &[&str] = &["30 minutes", "12 hours", "1 day", "7 days"];

/// A region id such as `iad1`: 1 to 4 lowercase letters and digits (the spec: at most 4).
fn region_error(s: &str) -> Option<String> {
    let ok = (1..=4).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (!ok).then(|| format!("{s:?} is not a Vercel region id (e.g. iad1)."))
}

/// Function defaults (`resourceConfig`), Skew Protection and the remaining project flags the
/// spec's updateProject takes. Optional+computed where the API has a default, kept from the prior
/// state when unset, so an unset one never plans a change.
fn function_attributes() -> Vec<Attribute> {
    let flag = |name: &str, desc: &str| {
        Attribute::bool(name)
            .optional_computed()
            .modifier(keep_prior())
            .description(desc)
    };
    vec![
        Attribute::nested(
            "resource_config",
            Nesting::Single,
            vec![
                Attribute::string("function_default_cpu_type").optional_computed().keep_state().description("CPU type of the project's functions: `standard_legacy`, `standard` or `performance`.").validate(one_of(CPU_TYPES)),
                Attribute::int("function_default_timeout").optional_computed().keep_state().description("Default maximum duration of a function, in seconds (1 to 900).").validate(int_between(1, 900)),
                Attribute::bool("fluid").optional_computed().keep_state().description("Whether Fluid compute is on."),
                Attribute::string("build_machine_type").optional_computed().keep_state().description("The build machine: `enhanced` or `turbo` (null: the standard machine).").validate(one_of(BUILD_MACHINE_TYPES)),
                Attribute::set("function_default_regions", Type::String).optional_computed().keep_state().description("Regions the functions are deployed to (at least one, e.g. `[\"iad1\"]`).").validate(Validator::new("1 or more region ids.", |v| {
                    let elems = v.elements().unwrap_or_default();
                    if elems.is_empty() {
                        return Verdict::Error("must name at least one region.".into());
                    }
                    match elems.iter().filter_map(Value::as_str).find_map(region_error) {
                        Some(e) => Verdict::Error(e),
                        None => Verdict::Ok,
                    }
                })),
            ],
        )
        .optional_computed()
        .keep_state()
        .description("Defaults for the project's Vercel Functions. Unset (or an unset field) keeps what the project has."),
        Attribute::string("skew_protection").optional().description("Skew Protection: how long a client keeps talking to the deployment it loaded: `30 minutes`, `12 hours`, `1 day` or `7 days`. Unset turns it off.").validate(one_of(SKEW_NAMES)),
        flag("git_lfs", "Whether Git LFS files are fetched when building."),
        Attribute::nested(
            "oidc_token_config",
            Nesting::Single,
            vec![Attribute::string("issuer_mode").optional_computed().keep_state().description("Who issues the deployments' OpenID Connect tokens: `team` (`https://oidc.vercel.com/<team slug>`, Vercel's default) or `global` (`https://oidc.vercel.com`).").validate(one_of(OIDC_ISSUER_MODES))],
        )
        .optional_computed()
        .keep_state()
        .description("OpenID Connect token configuration (Vercel's oidcTokenConfig; its deprecated `enabled` is not managed). Unset keeps what the project has."),
        flag("function_failover", "Whether Vercel Functions fail over to another region when theirs is down (Vercel's serverlessFunctionZeroConfigFailover)."),
        flag("customer_success_code_visibility", "Whether Vercel's support may see the source code (Vercel's customerSupportCodeVisibility)."),
        flag("enable_preview_feedback", "Whether the Vercel toolbar (comments) shows on preview deployments (null: the team's default)."),
        flag("enable_production_feedback", "Whether the Vercel toolbar (comments) shows on production deployments (null: the team's default)."),
        flag("enable_affected_projects_deployments", "Whether a monorepo commit that does not touch this project skips its deployment."),
    ]
}

pub fn project_name_error(name: &str) -> Option<String> {
    if name.is_empty() || name.chars().count() > 100 {
        return Some("must be 1 to 100 characters long.".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Some("may contain only lowercase letters, digits, '.', '_' and '-'.".into());
    }
    if name.contains("---") {
        return Some("must not contain the sequence '---'.".into());
    }
    None
}

fn env_key_error(key: &str) -> Option<String> {
    let ok = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.chars().next().is_some_and(|c| c.is_ascii_digit());
    (!ok).then(|| format!("{key:?} is not a valid environment variable name (letters, digits and '_', not starting with a digit)."))
}

fn targets_validator() -> Validator {
    Validator::new(
        "A non-empty subset of production, preview, development.",
        |v| {
            let elems = v.elements().unwrap_or_default();
            if elems.is_empty() {
                return Verdict::Error("must name at least one target.".into());
            }
            for e in elems {
                if let Some(s) = e.as_str() {
                    if !TARGETS.contains(&s) {
                        return Verdict::Error(format!("{s:?} is not one of {TARGETS:?}."));
                    }
                }
            }
            Verdict::Ok
        },
    )
}

/// An unconfigured setting keeps its prior value on an update, null included (an unset
/// framework, a personal account's team): an unrelated change must not plan it as unknown.
fn keep_prior() -> PlanModifier {
    PlanModifier::custom(
        "Keeps its prior value (null included) unless configured.",
        |p| (p.planned.is_unknown() && !p.prior_object.is_null()).then(|| p.prior.clone()),
    )
}

pub fn project_schema() -> Schema {
    let opt = |name: &str, desc: &str| Attribute::string(name).optional().description(desc);
    Schema::new(
        "A Vercel project with its build settings, Git connection and environment variables.",
        vec![
            Attribute::string("id").computed().keep_state().description("The project id (`prj_…`)."),
            Attribute::string("name").required().description("The project name (renaming is in place): lowercase letters, digits, '.', '_', '-', at most 100 characters.").validate(Validator::string("Lowercase letters, digits, '.', '_' and '-'; at most 100 characters; no '---'.", project_name_error)),
            Attribute::string("team_id").optional_computed().modifier(keep_prior()).replace().description("The team owning the project (defaults to the provider's team)."),
            Attribute::string("framework").optional_computed().modifier(keep_prior()).description("The framework preset (null: \"Other\").").validate(one_of(FRAMEWORKS)),
            opt("root_directory", "Directory of the app inside the repository."),
            opt("build_command", "Build command (null: detected from the framework)."),
            opt("output_directory", "Build output directory (null: detected)."),
            opt("install_command", "Install command (null: detected)."),
            opt("dev_command", "Development command (null: detected)."),
            opt("ignore_command", "Command deciding whether to skip a build (Vercel's commandForIgnoringBuildStep)."),
            Attribute::string("node_version").optional_computed().keep_state().description("Node.js version for builds and functions.").validate(known_values(NODE_VERSIONS)),
            Attribute::string("serverless_function_region").optional_computed().keep_state().description("Region for serverless functions (e.g. iad1)."),
            Attribute::bool("public_source").optional_computed().modifier(keep_prior()).description("Whether deployment source and logs are public."),
            Attribute::bool("preview_deployments_disabled").optional_computed().keep_state().description("Whether preview deployments are disabled."),
            Attribute::bool("automatically_expose_system_environment_variables").optional_computed().keep_state().description("Whether Vercel's system environment variables are exposed to builds."),
            Attribute::bool("auto_assign_custom_domains").optional_computed().keep_state().description("Whether new production deployments are assigned the project's custom domains automatically."),
            Attribute::bool("directory_listing").optional_computed().keep_state().description("Whether a deployment without an index file lists its directory."),
            Attribute::bool("git_fork_protection").optional_computed().keep_state().description("Whether pull requests from forks need authorization before they deploy (they may read secrets)."),
            Attribute::nested(
                "git_repository",
                Nesting::Single,
                vec![
                    Attribute::string("type").required().description("The Git provider hosting the repository.").validate(one_of(GIT_TYPES)),
                    Attribute::string("repo").required().description("The repository to link.").validate(Validator::string("Of the form `owner/name`.", repo_error)),
                    Attribute::string("production_branch").computed().keep_state().description("The branch Vercel deploys to production (read from the Git link; set it in Vercel's Git settings)."),
                ],
            )
            .optional()
            .description("The connected Git repository. A change unlinks the old repository and links the new one in place: the project keeps its id, deployments, domains and variables."),
            Attribute::nested(
                "environment",
                Nesting::Set,
                vec![
                    Attribute::string("key").required().description("Variable name.").validate(Validator::string("Letters, digits and '_'.", env_key_error)),
                    Attribute::string("value").required().sensitive().description("Variable value. Values of type `sensitive` cannot be read back: the configured value is kept."),
                    Attribute::set("target", Type::String).optional().description("Where the variable applies: production, preview, development (at least one of `target` and `custom_environment_ids`).").validate(targets_validator()),
                    Attribute::set("custom_environment_ids", Type::String).optional().description("The custom environments (ids, e.g. a `vercel_custom_environment`'s `id`) the variable applies to (at least one of `target` and `custom_environment_ids`).").validate(Validator::new("A non-empty set of custom environment ids.", |v| match v.elements() {
                        Some([]) => Verdict::Error("must name at least one custom environment (or be left out).".into()),
                        _ => Verdict::Ok,
                    })),
                    Attribute::string("git_branch").optional().description("Only for this branch (requires target = [\"preview\"]).").validate(length_between(1, 250)),
                    Attribute::string("type").default(Value::string("encrypted")).description("How Vercel stores the value: `plain` is readable by anyone on the project, `encrypted` is readable through the dashboard and the API, `sensitive` is never readable again after it is written.").validate(one_of(ENV_TYPES)),
                    Attribute::string("comment").optional().description("What the variable is for.").validate(length_between(0, 500)),
                ],
            )
            .optional()
            .description("Environment variables managed with the project (authoritative: every variable of the project is read back, so one added outside Terraform shows in `plan` as a deletion, and variables not listed are removed). Matched by key, target and branch: a variable no longer listed is deleted, a new one created, and a listed one edited when its type, comment or value differs. Vercel never returns a `sensitive` value, so a sensitive variable is written again only when its configured value, type or comment differs from the last applied one (a change made outside Terraform to such a value is not seen)."),
        ]
        .into_iter()
        .chain(protection_attributes())
        .chain(function_attributes())
        .collect(),
    )
}

/// Cross-field rules: `git_branch` only with target exactly preview.
/// `owner/name` (GitLab allows `group/subgroup/name`): at least two non-empty parts, no spaces.
fn repo_error(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('/').collect();
    let bad = parts.len() < 2
        || parts
            .iter()
            .any(|p| p.is_empty() || p.contains(char::is_whitespace));
    bad.then(|| format!("{s:?} is not of the form owner/name."))
}

/// Vercel's limit for one environment variable's value (64 KB; the API refuses more only after
/// the project exists, tainting it).
const ENV_VALUE_MAX_BYTES: usize = 64 * 1024;

pub fn validate_environment(config: &Value, diags: &mut Diagnostics) {
    // Two entries for the same key and the same scope (targets, branch, custom environments) are
    // one variable on Vercel: the second create would fail after the project exists.
    let mut seen = std::collections::BTreeSet::new();
    for e in config.attr("environment").elements().unwrap_or_default() {
        let key = e.attr("key").as_str().unwrap_or("?");
        if let Some(v) = e.attr("value").as_str() {
            if v.len() > ENV_VALUE_MAX_BYTES {
                diags.error_at(
                    Path::root("environment"),
                    "Environment variable value too large",
                    format!("{key}: the value is {} bytes; Vercel accepts at most {ENV_VALUE_MAX_BYTES} (64 KB).", v.len()),
                );
            }
        }
        let scope = ["target", "git_branch", "custom_environment_ids"].map(|a| {
            let v = e.attr(a);
            match v.elements() {
                Some(items) => {
                    let mut names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    names.sort_unstable();
                    names.join(",")
                }
                None => v.as_str().unwrap_or_default().to_string(),
            }
        });
        let wholly_known = !e.contains_unknown();
        if wholly_known && !seen.insert((key.to_string(), scope.clone())) {
            diags.error_at(
                Path::root("environment"),
                "Duplicate environment variable",
                format!("{key} is listed twice for the same targets ({}); Vercel keeps one variable per key and scope.", scope[0]),
            );
        }
    }
    for e in config.attr("environment").elements().unwrap_or_default() {
        // Every variable applies somewhere: a target or a custom environment.
        if e.attr("target").is_null() && e.attr("custom_environment_ids").is_null() {
            let key = e.attr("key").as_str().unwrap_or("?");
            diags.error_at(
                Path::root("environment").attr("target"),
                "Invalid environment variable",
                format!("{key}: set `target`, `custom_environment_ids` or both (a variable must apply somewhere)."),
            );
        }
        if e.attr("git_branch").is_null()
            || e.attr("git_branch").is_unknown()
            || e.attr("target").contains_unknown()
        {
            continue;
        }
        let only_preview =
            matches!(e.attr("target").elements(), Some([t]) if t.as_str() == Some("preview"));
        if !only_preview {
            let key = e.attr("key").as_str().unwrap_or("?");
            diags.error_at(
                Path::root("environment").attr("git_branch"),
                "Invalid environment variable",
                format!("{key}: git_branch can only be set when target is exactly [\"preview\"]."),
            );
        }
    }
}
