//! cloudflare_dns_record's schema and the cross-attribute rules checked at plan (content per
//! type, what may be proxied, proxied ⇒ automatic TTL, MX ⇒ priority), each on its attribute's
//! path with no request sent.

use super::model::{content_error, name_error, PROXIABLE, TYPES};
use crate::framework::rules::{int_between, length_between, one_of, Validator, Verdict};
use crate::framework::{Attribute, Diagnostics, Path, PlanModifier, Schema, Type, Value};

/// Why `id` is not a Cloudflare identifier (32 hex digits), if it is not: ids end up in URLs.
pub fn cf_id_error(id: &str) -> Option<String> {
    (id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("must be a Cloudflare id (32 hex digits), got {id:?}."))
}

fn ttl_rule() -> Validator {
    Validator::new("1 (automatic) or 60 to 86400 seconds.", |v| {
        match v.as_i64() {
            Some(1) | Some(60..=86_400) => Verdict::Ok,
            Some(n) => Verdict::Error(format!(
                "must be 1 (automatic) or 60 to 86400 seconds, got {n}."
            )),
            None => Verdict::Error("must be a whole number of seconds.".into()),
        }
    })
}

pub fn dns_record_schema() -> Schema {
    Schema::new(
        "A DNS record in a Cloudflare zone. `name` may be relative (`www`, `@` for the apex) or fully qualified, and `content` in any spelling the DNS reads the same (`2001:DB8::1`, a trailing dot): the state keeps yours, so the plan stays empty. After an import the name is fully qualified and the content in Cloudflare's form; write them that way (or accept one in-place update that changes only their spelling).",
        vec![
            Attribute::string("id").computed().keep_state().description("The record's id."),
            Attribute::string("zone_id").required().replace().description("The zone's id (e.g. from `data.cloudflare_zone`).").validate(Validator::string("A Cloudflare id (32 hex digits).", cf_id_error)),
            Attribute::string("name").required().description("The record name: relative to the zone (`www`, `@` for the apex), or fully qualified (`www.example.com`). Changed in place.").validate(Validator::string("A DNS name: letters, digits, hyphens and underscores; `*` as the first label; `@` for the apex.", name_error)),
            Attribute::string("type").required().replace().description("The record type: A, AAAA, CNAME, TXT, MX or CAA.").validate(one_of(TYPES)),
            Attribute::string("content").required().description("What the record holds: an IPv4 address (A), an IPv6 address (AAAA), a host name (CNAME, MX), text (TXT, up to 2048 characters) or `<flags> <tag> \"<value>\"` (CAA, e.g. `0 issue \"letsencrypt.org\"`)."),
            Attribute::bool("proxied").default(Value::Bool(false)).description("Whether traffic goes through Cloudflare's proxy (A, AAAA and CNAME only; a proxied record's TTL is automatic)."),
            Attribute::int("ttl").default(Value::int(1)).description("Time to live in seconds: 1 means automatic (the only value a proxied record takes), else 60 to 86400.").validate(ttl_rule()),
            Attribute::int("priority").optional().description("Required for MX records (lower is preferred); only MX records take it.").validate(int_between(0, 65_535)),
            Attribute::string("comment").optional().description("A note about the record, shown in the dashboard (up to 100 characters on Free plans, 500 on paid ones).").validate(length_between(1, 500)),
            Attribute::set("tags", Type::String).optional().description("Custom `name:value` tags (paid plans); they do not change DNS answers."),
            Attribute::string("hostname").computed().modifier(PlanModifier::keep_unless_changed(&["name"])).description("The record's fully qualified name, lower case."),
            Attribute::bool("proxiable").computed().keep_state().description("Whether Cloudflare can proxy this record."),
            Attribute::string("created_on").computed().keep_state().description("When the record was created."),
            Attribute::string("modified_on").computed().description("When the record was last modified."),
        ],
    )
    // The official provider's schema version: Terraform refuses a state whose version is newer
    // than the provider's, so a swap from cloudflare/cloudflare (state at 500) needs ours to be
    // at least that. Our own states of version 0 decode as they are.
    .version(500)
}

/// The rules that read several attributes; unknown values are checked at apply's plan.
pub fn check_record(config: &Value, diags: &mut Diagnostics) {
    let kind = config.attr("type").as_str().map(str::to_ascii_uppercase);
    let Some(kind) = kind.filter(|k| TYPES.contains(&k.as_str())) else {
        return;
    };
    if let Some(msg) = config
        .attr("content")
        .as_str()
        .and_then(|c| content_error(&kind, c))
    {
        diags.error_at(
            Path::root("content"),
            format!("Invalid {kind} record content"),
            msg,
        );
    }
    let proxied = config.attr("proxied").as_bool() == Some(true);
    if proxied && !PROXIABLE.contains(&kind.as_str()) {
        diags.error_at(
            Path::root("proxied"),
            "Record cannot be proxied",
            format!("Only A, AAAA and CNAME records can be proxied; this is a {kind} record."),
        );
    }
    if let Some(ttl) = config.attr("ttl").as_i64().filter(|t| proxied && *t != 1) {
        diags.error_at(
            Path::root("ttl"),
            "Proxied records have an automatic TTL",
            format!("A proxied record's TTL is always automatic (1); remove `ttl = {ttl}` or set `proxied = false`."),
        );
    }
    let priority = config.attr("priority");
    if kind == "MX" && priority.is_null() {
        diags.error_at(
            Path::root("priority"),
            "MX record needs a priority",
            "Set `priority` (0 to 65535, lower is preferred).",
        );
    }
    if kind != "MX" && priority.is_known() && !priority.is_null() {
        diags.error_at(
            Path::root("priority"),
            "Priority only applies to MX records",
            format!("Remove `priority` from this {kind} record."),
        );
    }
    if let Some(tags) = config.attr("tags").elements() {
        for t in tags.iter().filter_map(Value::as_str) {
            if t.trim().is_empty() || t.len() > 255 {
                diags.error_at(
                    Path::root("tags"),
                    "Invalid tag",
                    format!("Tags are `name:value` strings of 1 to 255 characters, got {t:?}."),
                );
            }
        }
    }
}
