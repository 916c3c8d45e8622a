//! cloudflare_dns_record's typed model and its pure mappings: the API record → state (keeping the
//! user's spelling of the name and content when the API's normalised form means the same), the
//! model → the create/PUT request, and the per-type content rules the plan checks. No I/O.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::super::client::{CaaData, DnsRecord, DnsRecordRequest};
use crate::framework::Val;

/// The record types this resource manages.
pub const TYPES: &[&str] = &["A", "AAAA", "CNAME", "TXT", "MX", "CAA"];
/// The types Cloudflare can proxy.
pub const PROXIABLE: &[&str] = &["A", "AAAA", "CNAME"];
pub const CAA_TAGS: &[&str] = &["issue", "issuewild", "iodef"];
/// Cloudflare's limit on a TXT record's content.
pub const TXT_MAX: usize = 2048;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DnsRecordModel {
    pub id: Val<String>,
    pub zone_id: String,
    pub name: Val<String>,
    #[serde(rename = "type")]
    pub kind: Val<String>,
    pub content: Val<String>,
    pub proxied: Val<bool>,
    pub ttl: Val<i64>,
    pub priority: Option<i64>,
    pub comment: Option<String>,
    pub tags: Option<Vec<String>>,
    pub hostname: Val<String>,
    pub proxiable: Val<bool>,
    pub created_on: Val<String>,
    pub modified_on: Val<String>,
}

/// A DNS name compared the way DNS does: case-insensitive, trailing dot optional.
fn dns_name(s: &str) -> String {
    s.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The content in one spelling per meaning: IPv4/IPv6 as parsed, host names lower case without
/// the trailing dot, CAA as `flags tag "value"`, TXT without one pair of surrounding quotes.
pub fn canonical_content(kind: &str, content: &str) -> String {
    match kind {
        "A" => content
            .parse::<Ipv4Addr>()
            .map_or_else(|_| content.to_string(), |a| a.to_string()),
        "AAAA" => content
            .parse::<Ipv6Addr>()
            .map_or_else(|_| content.to_string(), |a| a.to_string()),
        "CNAME" | "MX" => dns_name(content),
        "CAA" => CaaData::parse(content).map_or_else(
            || content.to_string(),
            |d| format!("{} {} \"{}\"", d.flags, d.tag, d.value),
        ),
        _ => content
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .filter(|c| !c.contains('"'))
            .unwrap_or(content)
            .to_string(),
    }
}

/// Why `name` cannot name a record (relative like `www`, `@` for the apex, or fully qualified;
/// `*` may be the first label), if it cannot.
pub fn name_error(name: &str) -> Option<String> {
    if name == "@" {
        return None;
    }
    let n = name.strip_suffix('.').unwrap_or(name);
    if n.is_empty() {
        return Some("must not be empty (use `@` for the zone apex).".into());
    }
    if !n.is_ascii() {
        return Some("must be ASCII: write internationalised names in Punycode (`xn--…`).".into());
    }
    if n.len() > 253 {
        return Some(format!("must be at most 253 characters, got {}.", n.len()));
    }
    for (i, label) in n.split('.').enumerate() {
        if i == 0 && label == "*" {
            continue;
        }
        if label.is_empty() || label.len() > 63 {
            return Some(format!(
                "label {label:?} must be 1 to 63 characters (no empty labels)."
            ));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some(format!(
                "label {label:?} may contain only letters, digits, hyphens and underscores (`*` only as the whole first label)."
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "label {label:?} must not start or end with a hyphen."
            ));
        }
    }
    None
}

/// Why `content` is not valid for a record of `kind`, if it is not.
pub fn content_error(kind: &str, content: &str) -> Option<String> {
    match kind {
        "A" if content.parse::<Ipv4Addr>().is_err() => {
            Some(format!("an A record needs an IPv4 address, got {content:?}."))
        }
        "AAAA" if content.parse::<Ipv6Addr>().is_err() => Some(format!(
            "an AAAA record needs an IPv6 address, got {content:?}."
        )),
        "CNAME" | "MX" => {
            let host = content.strip_suffix('.').unwrap_or(content);
            let wild = host.starts_with("*.") || host == "*";
            (wild || host == "@" || name_error(host).is_some() || !host.contains('.')).then(|| {
                format!("a {kind} record needs a fully qualified host name (e.g. `target.example.com`), got {content:?}.")
            })
        }
        "TXT" if content.is_empty() || content.chars().count() > TXT_MAX => Some(format!(
            "a TXT record needs 1 to {TXT_MAX} characters, got {}.",
            content.chars().count()
        )),
        "CAA" => match CaaData::parse(content) {
            None => Some(format!("a CAA record's content is `<flags 0-255> <tag> \"<value>\"`, e.g. `0 issue \"letsencrypt.org\"`; got {content:?}.")),
            Some(d) if !CAA_TAGS.contains(&d.tag.as_str()) => Some(format!(
                "the CAA tag must be one of {CAA_TAGS:?}, got {:?}.",
                d.tag
            )),
            Some(d) if d.value.is_empty() => Some("the CAA value must not be empty.".into()),
            Some(_) => None,
        },
        _ => None,
    }
}

impl DnsRecordModel {
    /// State from the API's record. `prior` is the plan (create, update) or the stored state
    /// (read): its spelling of the name and content stays when the API's means the same.
    pub fn from_api(api: &DnsRecord, prior: &DnsRecordModel) -> DnsRecordModel {
        let kind = match prior.kind.as_deref() {
            Some(k) if k.eq_ignore_ascii_case(&api.kind) => k.to_string(),
            _ => api.kind.to_ascii_uppercase(),
        };
        // The plan's name was just sent (its hostname is still unknown, or known and unchanged);
        // a stored name stays while the API's name is the hostname last seen.
        let name = match (prior.name.as_deref(), &prior.hostname) {
            (Some(n), Val::Unknown) => n.to_string(),
            (Some(n), Val::Known(h)) if dns_name(h) == dns_name(&api.name) => n.to_string(),
            (Some(n), Val::Null) if dns_name(n) == dns_name(&api.name) => n.to_string(),
            _ => api.name.clone(),
        };
        let content = match prior.content.as_deref() {
            Some(c) if canonical_content(&kind, c) == canonical_content(&kind, &api.content) => {
                c.to_string()
            }
            _ => api.content.clone(),
        };
        let mut tags = api.tags.clone();
        tags.sort();
        DnsRecordModel {
            id: Val::Known(api.id.clone()),
            zone_id: prior.zone_id.clone(),
            name: Val::Known(name),
            content: Val::Known(content),
            proxied: Val::Known(api.proxied),
            ttl: Val::Known(api.ttl),
            priority: if kind == "MX" { api.priority } else { None },
            comment: api.comment.clone().filter(|c| !c.is_empty()),
            tags: (!tags.is_empty() || prior.tags.is_some()).then_some(tags),
            hostname: Val::Known(dns_name(&api.name)),
            proxiable: Val::Known(api.proxiable),
            created_on: api.created_on.clone().into(),
            modified_on: api.modified_on.clone().into(),
            kind: Val::Known(kind),
        }
    }

    /// The whole desired record (create and PUT): CAA travels as structured data.
    pub fn to_request(&self) -> DnsRecordRequest {
        let kind = self
            .kind
            .as_deref()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let content = self.content.as_deref().unwrap_or_default().to_string();
        let proxied = self.proxied.known().copied().unwrap_or(false);
        let (content, data) = match kind.as_str() {
            "CAA" => (None, CaaData::parse(&content)),
            _ => (Some(content), None),
        };
        DnsRecordRequest {
            name: self.name.as_deref().unwrap_or_default().to_string(),
            content,
            data,
            proxied,
            ttl: if proxied {
                1
            } else {
                self.ttl.known().copied().unwrap_or(1)
            },
            priority: if kind == "MX" { self.priority } else { None },
            comment: self.comment.clone(),
            tags: self.tags.clone().unwrap_or_default(),
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(name: &str, kind: &str, content: &str) -> DnsRecord {
        DnsRecord {
            id: "r1".into(),
            name: name.into(),
            kind: kind.into(),
            content: content.into(),
            ttl: 1,
            ..DnsRecord::default()
        }
    }

    fn plan(name: &str, kind: &str, content: &str) -> DnsRecordModel {
        DnsRecordModel {
            zone_id: "z".into(),
            name: Val::Known(name.into()),
            kind: Val::Known(kind.into()),
            content: Val::Known(content.into()),
            hostname: Val::Unknown,
            ..DnsRecordModel::default()
        }
    }

    #[test]
    fn the_users_spelling_stays_when_the_api_normalises() {
        let p = plan("www", "AAAA", "2001:DB8:0:0::1");
        let s = DnsRecordModel::from_api(&api("www.example.test", "AAAA", "2001:db8::1"), &p);
        assert_eq!(s.name.as_deref(), Some("www"));
        assert_eq!(s.content.as_deref(), Some("2001:DB8:0:0::1"));
        assert_eq!(s.hostname.as_deref(), Some("www.example.test"));
        // A refresh keeps it while the API's name is the hostname last seen ...
        let again = DnsRecordModel::from_api(&api("www.example.test", "AAAA", "2001:db8::1"), &s);
        assert_eq!(again.name.as_deref(), Some("www"));
        // ... and shows a rename or a new address made elsewhere.
        let moved = DnsRecordModel::from_api(&api("api.example.test", "AAAA", "2001:db8::2"), &s);
        assert_eq!(moved.name.as_deref(), Some("api.example.test"));
        assert_eq!(moved.content.as_deref(), Some("2001:db8::2"));
        let c = plan("x", "CNAME", "Target.Example.com.");
        let s = DnsRecordModel::from_api(&api("x.example.test", "CNAME", "target.example.com"), &c);
        assert_eq!(s.content.as_deref(), Some("Target.Example.com."));
    }

    #[test]
    fn an_import_takes_the_apis_form_and_empty_comment_and_tags_stay_null() {
        let imported = DnsRecordModel {
            zone_id: "z".into(),
            ..DnsRecordModel::default()
        };
        let mut a = api("www.example.test", "A", "192.0.2.1");
        a.comment = Some(String::new());
        let s = DnsRecordModel::from_api(&a, &imported);
        assert_eq!(s.name.as_deref(), Some("www.example.test"));
        assert!(s.comment.is_none() && s.tags.is_none());
    }

    #[test]
    fn requests_carry_caa_as_data_and_proxied_records_at_automatic_ttl() {
        let mut m = plan("@", "CAA", "0 issue \"letsencrypt.org\"");
        m.ttl = Val::Known(300);
        let r = m.to_request();
        assert!(r.content.is_none());
        assert_eq!(r.data.as_ref().map(|d| d.tag.as_str()), Some("issue"));
        let mut p = plan("www", "A", "192.0.2.1");
        p.proxied = Val::Known(true);
        p.ttl = Val::Known(300);
        assert_eq!(p.to_request().ttl, 1);
    }

    #[test]
    fn content_rules_per_type() {
        assert!(content_error("A", "192.0.2.1").is_none());
        assert!(content_error("A", "2001:db8::1").is_some());
        assert!(content_error("AAAA", "2001:db8::1").is_none());
        assert!(content_error("AAAA", "192.0.2.1").is_some());
        assert!(content_error("CNAME", "x.cfargotunnel.com.").is_none());
        assert!(content_error("CNAME", "http://x.example.com").is_some());
        assert!(content_error("CNAME", "localhost").is_some());
        assert!(content_error("TXT", "").is_some());
        assert!(content_error("TXT", &"a".repeat(TXT_MAX + 1)).is_some());
        assert!(content_error("CAA", "0 issue \"letsencrypt.org\"").is_none());
        assert!(content_error("CAA", "0 issues \"letsencrypt.org\"").is_some());
        assert!(content_error("CAA", "issue letsencrypt.org").is_some());
        assert!(name_error("*.api").is_none());
        assert!(name_error("_acme-challenge.www").is_none());
        assert!(name_error("a..b").is_some());
        assert!(name_error("bücher").is_some());
        assert!(name_error("api.*").is_some());
    }
}
