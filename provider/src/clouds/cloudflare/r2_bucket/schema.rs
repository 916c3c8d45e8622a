//! r2_bucket's schema and its validators, with the vendor's enums kept in one place (the
//! `r2_bucket` data source reuses the name and jurisdiction rules).

use crate::framework::rules::{int_between, length_between, one_of, Validator, Verdict};
use crate::framework::{Attribute, Nesting, PlanModifier, Schema, Type, Value};

pub const LOCATIONS: &[&str] = &["apac", "eeur", "enam", "weur", "wnam", "oc"];
pub const JURISDICTIONS: &[&str] = &["default", "eu", "fedramp"];
pub const STORAGE_CLASSES: &[&str] = &["Standard", "InfrequentAccess"];
pub const CORS_METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];
pub const MIN_TLS: &[&str] = &["1.0", "1.1", "1.2", "1.3"];

/// Why `name` is not a valid R2 bucket name, if it is not.
pub fn bucket_name_error(name: &str) -> Option<String> {
    let n = name.len();
    if !(3..=63).contains(&n) {
        return Some(format!("must be 3 to 63 characters long, got {n}."));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("may contain only lowercase letters, digits and hyphens.".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("must not start or end with a hyphen.".into());
    }
    None
}

fn each_string(description: &'static str, allowed: &'static [&'static str]) -> Validator {
    Validator::new(description, move |v| {
        for e in v.elements().unwrap_or_default() {
            if let Some(s) = e.as_str() {
                if !allowed.contains(&s) {
                    return Verdict::Error(format!("{s:?} is not one of {allowed:?}."));
                }
            }
        }
        Verdict::Ok
    })
}

fn non_empty_list() -> Validator {
    Validator::new(
        "At least one element (omit the attribute instead of an empty list).",
        |v| match v.elements() {
            Some([]) => Verdict::Error(
                "must not be empty: omit the attribute to leave it unmanaged.".into(),
            ),
            _ => Verdict::Ok,
        },
    )
}

pub(crate) fn date_validator() -> Validator {
    Validator::string(
        "An RFC 3339 date-time such as \"2027-01-01T00:00:00Z\".",
        |s| {
            let ok = s.len() >= 20
                && s.as_bytes().get(4) == Some(&b'-')
                && s.as_bytes().get(10) == Some(&b'T');
            (!ok).then(|| {
                format!("{s:?} is not an RFC 3339 date-time like \"2027-01-01T00:00:00Z\".")
            })
        },
    )
}

fn cors_attribute() -> Attribute {
    Attribute::nested(
        "cors",
        Nesting::List,
        vec![
            Attribute::string("id")
                .optional()
                .description("An identifier for the rule."),
            Attribute::nested(
                "allowed",
                Nesting::Single,
                vec![
                    Attribute::list("origins", Type::String)
                        .required()
                        .description("Allowed origins (Access-Control-Allow-Origin)."),
                    Attribute::list("methods", Type::String)
                        .required()
                        .description("Allowed methods: GET, PUT, POST, DELETE, HEAD.")
                        .validate(each_string(
                            "Each one of GET, PUT, POST, DELETE, HEAD.",
                            CORS_METHODS,
                        )),
                    Attribute::list("headers", Type::String)
                        .optional()
                        .description("Allowed request headers."),
                ],
            )
            .required()
            .description("Origins, methods and headers this rule allows."),
            Attribute::list("expose_headers", Type::String)
                .optional()
                .description("Response headers exposed to the browser."),
            Attribute::int("max_age_seconds")
                .optional()
                .description("How long browsers may cache the preflight answer, in seconds.")
                .validate(int_between(0, 86_400)),
        ],
    )
    .optional()
    .validate(non_empty_list())
    .description("The bucket's CORS policy (authoritative: replaces any policy set elsewhere, and is read in full, so a rule added outside Terraform shows in `plan` as a deletion).")
}

fn lifecycle_attribute() -> Attribute {
    Attribute::nested(
        "lifecycle_rules",
        Nesting::List,
        vec![
            Attribute::string("id").required().description("A unique name for the rule.").validate(length_between(1, 255)),
            Attribute::bool("enabled").default(Value::Bool(true)).description("Whether the rule is in effect."),
            Attribute::string("prefix").default(Value::string("")).description("Only objects whose key starts with this prefix (empty: all objects)."),
            Attribute::int("delete_objects_after_days").optional().description("Delete objects this many days after upload.").validate(int_between(1, 36_500)),
            Attribute::string("delete_objects_on_date").optional().description("Delete objects on this date (RFC 3339).").validate(date_validator()),
            Attribute::int("abort_multipart_uploads_after_days").optional().description("Abort incomplete multipart uploads after this many days.").validate(int_between(1, 36_500)),
            Attribute::nested(
                "storage_class_transitions",
                Nesting::List,
                vec![
                    Attribute::int("after_days").optional().description("Transition this many days after upload.").validate(int_between(1, 36_500)),
                    Attribute::string("on_date").optional().description("Transition on this date (RFC 3339).").validate(date_validator()),
                    Attribute::string("storage_class").default(Value::string("InfrequentAccess")).description("The target storage class.").validate(one_of(&["InfrequentAccess"])),
                ],
            )
            .optional()
            .description("Storage class transitions."),
        ],
    )
    .optional()
    .validate(non_empty_list())
    .description("Object lifecycle rules (authoritative: the whole set is written at once and read in full, so a rule added outside Terraform shows in `plan` as a deletion). `lifecycle` is reserved by Terraform, hence the name.")
}

fn custom_domains_attribute() -> Attribute {
    Attribute::nested(
        "custom_domains",
        Nesting::Set,
        vec![
            Attribute::string("domain")
                .required()
                .description("The custom domain name."),
            Attribute::string("zone_id")
                .required()
                .description("The Cloudflare zone id the domain belongs to: `data.cloudflare_zone.<name>.id` (provider `cloudflare`) looks it up by the zone's name."),
            Attribute::bool("enabled")
                .default(Value::Bool(true))
                .description("Whether public access through this domain is enabled."),
            Attribute::string("min_tls")
                .optional()
                .description("Minimum TLS version.")
                .validate(one_of(MIN_TLS)),
        ],
    )
    .optional()
    .description("Custom domains serving the bucket publicly (authoritative: read in full, so a domain added outside Terraform shows in `plan` as a deletion).")
}

pub fn bucket_schema() -> Schema {
    Schema::new(
        "A Cloudflare R2 bucket (S3-compatible object storage without egress fees), with its CORS policy, lifecycle rules and public domains. Deleting a bucket that still holds objects fails at Cloudflare: empty it first.",
        vec![
            Attribute::string("id").computed().keep_state().description("The bucket name."),
            Attribute::string("name").required().replace().description("The bucket name, unique in the account (and jurisdiction).").validate(Validator::string("3–63 lowercase letters, digits and hyphens; no leading or trailing hyphen.", bucket_name_error)),
            Attribute::string("account_id").optional_computed().keep_state().replace().description("The Cloudflare account id (defaults to the provider's)."),
            Attribute::string("location").optional_computed().keep_state().replace().modifier(PlanModifier::case_insensitive()).description("A hint for the region the bucket's data is placed in.").validate(Validator::string("One of apac, eeur, enam, weur, wnam, oc (any case).", |s| {
                (!LOCATIONS.contains(&s.to_ascii_lowercase().as_str())).then(|| format!("{s:?} is not one of {LOCATIONS:?}."))
            })),
            Attribute::string("jurisdiction").default(Value::string("default")).replace().description("Where objects are guaranteed to be stored (`eu`: in the EU; `fedramp`: FedRAMP-compliant data centres). Sent as the cf-r2-jurisdiction header.").validate(one_of(JURISDICTIONS)),
            Attribute::string("storage_class").default(Value::string("Standard")).description("Default storage class for new objects (changed in place).").validate(one_of(STORAGE_CLASSES)),
            cors_attribute(),
            lifecycle_attribute(),
            custom_domains_attribute(),
            Attribute::bool("public_dev_domain_enabled").default(Value::Bool(false)).description("Whether the bucket is publicly readable at its r2.dev domain."),
            Attribute::string("public_dev_domain").computed().modifier(PlanModifier::keep_unless_changed(&["public_dev_domain_enabled"])).description("The bucket's r2.dev domain while public access is enabled."),
            Attribute::string("creation_date").computed().keep_state().description("When the bucket was created."),
        ],
    )
}
