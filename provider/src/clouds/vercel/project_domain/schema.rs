//! vercel_project_domain's schema and validators (domain names, redirect codes, the cross-field
//! rules); the data source derives its lookup keys from these. Pure declarations: must not import
//! the client.

use crate::framework::rules::{length_between, Validator, Verdict};
use crate::framework::{Attribute, Diagnostics, Nesting, Path, Schema, Value};

/// The redirect status codes Vercel accepts (addProjectDomain's `redirectStatusCode`).
pub const REDIRECT_CODES: &[i64] = &[301, 302, 307, 308];
/// How long `wait_for_verification` waits by default.
pub const DEFAULT_VERIFY_TIMEOUT: &str = "10m";

/// Why `name` is not a domain Vercel would take, if it is not.
pub fn domain_error(name: &str) -> Option<String> {
    let labels: Vec<&str> = name.split('.').collect();
    if name.len() > 253 || labels.len() < 2 {
        return Some(format!(
            "{name:?} is not a domain name like \"app.example.com\"."
        ));
    }
    let bad = labels.iter().find(|l| {
        l.is_empty()
            || l.len() > 63
            || l.starts_with('-')
            || l.ends_with('-')
            || !l
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    bad.map(|l| {
        format!("{name:?}: the label {l:?} must be 1 to 63 lowercase letters, digits or '-', not starting or ending with '-'.")
    })
}

fn domain_validator() -> Validator {
    Validator::string(
        "A lowercase domain name such as `app.example.com`.",
        domain_error,
    )
}

fn redirect_code_validator() -> Validator {
    Validator::new("One of 301, 302, 307, 308.", |v| match v.as_number() {
        Some(n) => match n.as_i64() {
            Some(c) if REDIRECT_CODES.contains(&c) => Verdict::Ok,
            _ => Verdict::Error(format!("{n} is not one of {REDIRECT_CODES:?}.")),
        },
        None => Verdict::Ok,
    })
}

/// Project ids and names: letters, digits, '_', '-', '.'.
pub fn project_ref_error(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (!ok).then(|| format!("{s:?} is not a project id or name (letters, digits, '_', '-', '.')."))
}

pub fn project_ref_validator() -> Validator {
    Validator::string("A project id (`prj_…`) or name.", project_ref_error)
}

fn verification_attribute() -> Attribute {
    Attribute::nested(
        "verification",
        Nesting::List,
        vec![
            Attribute::string("type").computed().description("The record type to publish (`TXT`)."),
            Attribute::string("domain").computed().description("The record's full name (e.g. `_vercel.example.com`)."),
            Attribute::string("value").computed().description("The record's content."),
            Attribute::string("reason").computed().description("Why Vercel asks for it (e.g. `pending_domain_verification`)."),
        ],
    )
    .computed()
    .keep_state()
    .description("While `verified` is false: the DNS records to publish, one of which proves the domain is yours (Vercel asks when another Vercel account uses the domain's apex). Empty once verified.")
}

pub fn project_domain_schema() -> Schema {
    Schema::new(
        "A domain of a Vercel project: serves (or redirects to) the project's production deployment, a Git branch or a custom environment. Vercel asks for a TXT record when another Vercel account already uses the domain's apex: `verified` and `verification` say what to publish, and `wait_for_verification` waits until Vercel has seen it. The DNS records that point the domain at Vercel come from the `vercel_project_domain` data source.",
        vec![
            Attribute::string("id").computed().keep_state().description("The domain name (the object's id at Vercel)."),
            Attribute::string("project_id").required().replace().description("The project (id or name) the domain belongs to.").validate(project_ref_validator()),
            Attribute::string("domain").required().replace().description("The domain name, lowercase (e.g. `app.example.com`).").validate(domain_validator()),
            Attribute::string("team_id").optional_computed().keep_state().replace().description("The team owning the project (defaults to the provider's team)."),
            Attribute::string("redirect").optional().description("Redirect visitors to this domain (of the same project) instead of serving the project.").validate(domain_validator()),
            Attribute::int("redirect_status_code").optional().description("The HTTP status of the redirect: 301, 302, 307 or 308 (needs `redirect`).").validate(redirect_code_validator()),
            Attribute::string("git_branch").optional().description("Serve the latest deployment of this Git branch instead of production.").validate(length_between(1, 250)),
            Attribute::string("custom_environment_id").optional().replace().description("Serve this custom environment of the project instead of production (a change replaces the domain: Vercel cannot move it).").validate(length_between(1, 256)),
            Attribute::bool("verified").computed().keep_state().description("Whether Vercel has verified the domain for this project (an unverified domain is not served)."),
            verification_attribute(),
            Attribute::bool("wait_for_verification").default(Value::Bool(false)).state_only().description("At create, wait until Vercel verifies the domain (asking Vercel to check about every 10 s, bounded by `timeouts.create`). When the wait times out the domain exists but the apply fails: Terraform taints it and replaces it on the next apply; publish the records in `verification` first, or leave this off and check `verified`."),
        ],
    )
    .with_timeouts(&[("create", DEFAULT_VERIFY_TIMEOUT)])
}

/// Cross-field rules: a redirect code needs a redirect; a domain follows a branch or a custom
/// environment, not both.
pub fn validate_project_domain(config: &Value, diags: &mut Diagnostics) {
    if !config.attr("redirect_status_code").is_null() && config.attr("redirect").is_null() {
        diags.error_at(
            Path::root("redirect_status_code"),
            "Redirect status without a redirect",
            "`redirect_status_code` only applies with `redirect`: set the domain to redirect to, or remove the status code.",
        );
    }
    if !config.attr("git_branch").is_null() && !config.attr("custom_environment_id").is_null() {
        diags.error_at(
            Path::root("custom_environment_id"),
            "Conflicting targets",
            "A domain serves either a Git branch (`git_branch`) or a custom environment (`custom_environment_id`), not both.",
        );
    }
    if let (Some(r), Some(d)) = (
        config.attr("redirect").as_str(),
        config.attr("domain").as_str(),
    ) {
        if r == d {
            diags.error_at(
                Path::root("redirect"),
                "A domain cannot redirect to itself",
                format!("{d:?} redirects to itself; name another domain of the project."),
            );
        }
    }
}
