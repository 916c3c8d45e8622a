//! Request validation for Vercel projects: the name rule, the framework and Node.js enums, and a
//! small field table per operation (the spec's bodies are `additionalProperties: false`).
//! Must not import other vendor modules.

use serde_json::{Map, Value};

/// `framework` values the spec accepts (besides `null`).
pub const FRAMEWORKS: [&str; 55] = [
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

/// `nodeVersion` values `updateProject` accepts.
pub const NODE_VERSIONS: [&str; 8] = [
    "24.x", "22.x", "20.x", "18.x", "16.x", "14.x", "12.x", "10.x",
];

pub const DEFAULT_NODE_VERSION: &str = "22.x";

const SSO_DEPLOYMENT_TYPES: [&str; 4] = [
    "all",
    "preview",
    "prod_deployment_urls_and_all_previews",
    "all_except_custom_domains",
];

/// Vercel's own wording for the project-name rule.
pub const NAME_RULE: &str = "Project names can be up to 100 characters long and must be lowercase. They can include letters, digits, and the following characters: '.', '_', '-'. However, they cannot contain the sequence '---'.";

/// Lowercase, at most 100 characters, letters digits `.` `_` `-`, no `---`.
pub fn valid_project_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && !name.contains("---")
}

/// What a body field may hold.
#[derive(Clone, Copy)]
pub enum Kind {
    Bool,
    /// A string of at most this many characters.
    Str(usize),
    Int,
    Object,
    Array,
    Framework,
    NodeVersion,
    /// `{deploymentType}` as in `ssoProtection`.
    Protection,
    /// A whole number of seconds, not negative (`skewProtectionMaxAge`).
    Seconds,
    /// `resourceConfig`: the spec's object, `additionalProperties: false`.
    ResourceConfig,
    /// `oidcTokenConfig`: `{enabled?, issuerMode?}`, `additionalProperties: false`.
    Oidc,
}

/// `oidcTokenConfig.issuerMode` values.
const OIDC_ISSUER_MODES: [&str; 2] = ["team", "global"];

/// `oidcTokenConfig`'s members as the spec types them (the same object in create and update).
fn oidc_error(v: &Value) -> Option<String> {
    let m = v.as_object()?;
    for (k, x) in m {
        let ok = match k.as_str() {
            "enabled" => x.is_boolean(),
            "issuerMode" => x.as_str().is_some_and(|t| OIDC_ISSUER_MODES.contains(&t)),
            _ => {
                return Some(format!(
                    "Invalid request: `oidcTokenConfig` should NOT have additional property `{k}`."
                ))
            }
        };
        if !ok {
            return Some(format!(
                "Invalid request: `oidcTokenConfig.{k}` should be equal to one of the allowed values."
            ));
        }
    }
    None
}

const MEMORY_TYPES: [&str; 3] = ["standard_legacy", "standard", "performance"];

/// `resourceConfig`'s members as the spec types them (create and update take the same object;
/// update's `buildMachineType` may also be null).
fn resource_config_error(v: &Value) -> Option<String> {
    let Some(m) = v.as_object() else {
        return Some("Invalid request: `resourceConfig` should be object.".into());
    };
    for (k, x) in m {
        let ok = match k.as_str() {
            "fluid"
            | "elasticConcurrencyEnabled"
            | "isNSNBDisabled"
            | "functionZeroConfigFailover" => x.is_boolean(),
            "functionDefaultTimeout" => x.as_f64().is_some_and(|n| (1.0..=900.0).contains(&n)),
            "functionDefaultMemoryType" => x.as_str().is_some_and(|t| MEMORY_TYPES.contains(&t)),
            "buildMachineType" => x.is_null() || matches!(x.as_str(), Some("enhanced" | "turbo")),
            "functionDefaultRegions" => x.as_array().is_some_and(|a| {
                let names: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                let mut unique = names.clone();
                unique.sort_unstable();
                unique.dedup();
                !a.is_empty()
                    && names.len() == a.len()
                    && unique.len() == names.len()
                    && names.iter().all(|r| r.chars().count() <= 4)
            }),
            _ => {
                return Some(format!(
                    "Invalid request: `resourceConfig` should NOT have additional property `{k}`."
                ))
            }
        };
        if !ok {
            return Some(format!("Invalid request: `resourceConfig.{k}` is invalid."));
        }
    }
    None
}

/// A body field: name, kind, whether `null` is allowed.
pub type Field = (&'static str, Kind, bool);

/// `createProject` fields checked here; `name`, `gitRepository` and `environmentVariables` are
/// checked by their own code.
pub const CREATE_FIELDS: &[Field] = &[
    ("name", Kind::Str(100), false),
    ("gitRepository", Kind::Object, false),
    ("environmentVariables", Kind::Array, false),
    ("framework", Kind::Framework, true),
    ("buildCommand", Kind::Str(256), true),
    ("devCommand", Kind::Str(256), true),
    ("installCommand", Kind::Str(256), true),
    ("outputDirectory", Kind::Str(256), true),
    ("rootDirectory", Kind::Str(256), true),
    ("commandForIgnoringBuildStep", Kind::Str(256), true),
    ("serverlessFunctionRegion", Kind::Str(4), true),
    ("publicSource", Kind::Bool, true),
    ("enablePreviewFeedback", Kind::Bool, true),
    ("enableProductionFeedback", Kind::Bool, true),
    ("previewDeploymentsDisabled", Kind::Bool, true),
    ("skipGitConnectDuringLink", Kind::Bool, false),
    ("ssoProtection", Kind::Protection, true),
    ("serverlessFunctionZeroConfigFailover", Kind::Bool, false),
    ("oidcTokenConfig", Kind::Oidc, false),
    ("enableAffectedProjectsDeployments", Kind::Bool, false),
    ("resourceConfig", Kind::ResourceConfig, false),
];

/// `updateProject` fields.
pub const UPDATE_FIELDS: &[Field] = &[
    ("autoExposeSystemEnvs", Kind::Bool, false),
    ("autoAssignCustomDomains", Kind::Bool, false),
    ("autoAssignCustomDomainsUpdatedBy", Kind::Str(256), false),
    ("buildCommand", Kind::Str(256), true),
    ("commandForIgnoringBuildStep", Kind::Str(256), true),
    ("customerSupportCodeVisibility", Kind::Bool, false),
    ("devCommand", Kind::Str(256), true),
    ("directoryListing", Kind::Bool, false),
    ("framework", Kind::Framework, true),
    ("gitForkProtection", Kind::Bool, false),
    ("gitLFS", Kind::Bool, false),
    ("installCommand", Kind::Str(256), true),
    ("name", Kind::Str(100), false),
    ("nodeVersion", Kind::NodeVersion, false),
    ("outputDirectory", Kind::Str(256), true),
    ("previewDeploymentsDisabled", Kind::Bool, true),
    ("publicSource", Kind::Bool, true),
    ("resourceConfig", Kind::ResourceConfig, false),
    ("rootDirectory", Kind::Str(256), true),
    ("serverlessFunctionRegion", Kind::Str(4), true),
    ("serverlessFunctionZeroConfigFailover", Kind::Bool, false),
    ("skewProtectionBoundaryAt", Kind::Int, false),
    ("skewProtectionMaxAge", Kind::Seconds, false),
    ("skipGitConnectDuringLink", Kind::Bool, false),
    ("sourceFilesOutsideRootDirectory", Kind::Bool, false),
    ("enablePreviewFeedback", Kind::Bool, true),
    ("enableProductionFeedback", Kind::Bool, true),
    ("enableAffectedProjectsDeployments", Kind::Bool, false),
    ("staticIps", Kind::Object, false),
    ("oidcTokenConfig", Kind::Oidc, false),
    ("passwordProtection", Kind::Object, true),
    ("ssoProtection", Kind::Protection, true),
    ("trustedIps", Kind::Object, true),
    ("optionsAllowlist", Kind::Object, true),
    ("connectConfigurations", Kind::Array, true),
];

/// Every field of `body` is known and holds a value of its kind; the message names the first
/// that does not, the way Vercel's schema validator does.
pub fn check_fields(body: &Map<String, Value>, fields: &[Field]) -> Result<(), String> {
    for (key, value) in body {
        let Some((_, kind, nullable)) = fields.iter().find(|(name, _, _)| name == key) else {
            return Err(format!(
                "Invalid request: should NOT have additional property `{key}`."
            ));
        };
        if value.is_null() {
            if *nullable {
                continue;
            }
            return Err(format!("Invalid request: `{key}` should not be null."));
        }
        if let (Kind::ResourceConfig, Some(e)) = (kind, resource_config_error(value)) {
            return Err(e);
        }
        if let (Kind::Oidc, Some(e)) = (kind, oidc_error(value)) {
            return Err(e);
        }
        check_kind(key, *kind, value)?;
    }
    Ok(())
}

fn check_kind(key: &str, kind: Kind, value: &Value) -> Result<(), String> {
    let ok = match kind {
        Kind::Bool => value.is_boolean(),
        Kind::Str(max) => value.as_str().is_some_and(|s| s.chars().count() <= max),
        Kind::Int => value.as_i64().is_some(),
        Kind::Object | Kind::Oidc => value.is_object(),
        Kind::Array => value.is_array(),
        Kind::Framework => value.as_str().is_some_and(|f| FRAMEWORKS.contains(&f)),
        Kind::NodeVersion => value.as_str().is_some_and(|v| NODE_VERSIONS.contains(&v)),
        Kind::Seconds => value.as_i64().is_some_and(|n| n >= 0),
        Kind::ResourceConfig => value.is_object(),
        Kind::Protection => value
            .get("deploymentType")
            .and_then(Value::as_str)
            .is_some_and(|t| SSO_DEPLOYMENT_TYPES.contains(&t)),
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        Kind::Framework => format!(
            "Invalid request: `{key}` should be equal to one of the allowed values \"{}\".",
            FRAMEWORKS.join("\", \"")
        ),
        Kind::NodeVersion => format!(
            "Invalid request: `{key}` should be equal to one of the allowed values \"{}\".",
            NODE_VERSIONS.join("\", \"")
        ),
        Kind::Str(max) => {
            format!("Invalid request: `{key}` should be a string of at most {max} characters.")
        }
        Kind::Protection => format!(
            "Invalid request: `{key}.deploymentType` should be equal to one of the allowed values."
        ),
        Kind::Bool => format!("Invalid request: `{key}` should be boolean."),
        Kind::Int => format!("Invalid request: `{key}` should be integer."),
        Kind::Seconds => format!("Invalid request: `{key}` should be >= 0."),
        Kind::Object | Kind::ResourceConfig | Kind::Oidc => {
            format!("Invalid request: `{key}` should be object.")
        }
        Kind::Array => format!("Invalid request: `{key}` should be array."),
    })
}
