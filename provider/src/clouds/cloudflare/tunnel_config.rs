//! `cloudflare_tunnel_config`: the ingress rules of a remotely managed tunnel (public hostname
//! → local service), written whole with one PUT (authoritative). Checked at plan as cloudflared
//! checks them — the last rule catches all (no hostname, no path), every service is a URL of a
//! scheme cloudflared proxies or `http_status:NNN` — so a bad rule is an error on its attribute
//! path instead of an API refusal at apply. Cloudflare has no delete for a configuration:
//! destroy puts the catch-all-only `http_status:404` configuration back. Must not import
//! protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{CloudflareClient, IngressRule, OriginAccess, OriginRequest, TunnelConfig};
use super::tunnel::account_of;
use crate::clouds::support::api_diag;
use crate::framework::rules::int_between;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Nesting, Path,
    PlanModifier, Schema, Type, TypedResource, Update, Val, Value,
};

pub struct TunnelConfigResource;

/// The schemes cloudflared proxies to (the API's `ingressRule.service`).
pub const SCHEMES: &[&str] = &[
    "http", "https", "tcp", "ssh", "rdp", "smb", "unix", "unix+tls",
];

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TunnelConfigModel {
    pub id: Val<String>,
    pub account_id: Val<String>,
    pub tunnel_id: Val<String>,
    pub ingress: Val<Vec<IngressModel>>,
    pub version: Val<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressModel {
    pub hostname: Option<String>,
    pub path: Option<String>,
    pub service: String,
    pub origin_request: Option<OriginModel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginModel {
    pub connect_timeout: Option<i64>,
    pub no_tls_verify: Option<bool>,
    pub http_host_header: Option<String>,
    pub access: Option<AccessModel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessModel {
    pub team_name: String,
    pub aud_tag: Vec<String>,
    pub required: Option<bool>,
}

impl TunnelConfigModel {
    pub fn to_request(&self) -> TunnelConfig {
        let rules = self.ingress.known().cloned().unwrap_or_default();
        TunnelConfig {
            ingress: rules
                .into_iter()
                .map(|r| IngressRule {
                    hostname: r.hostname,
                    path: r.path,
                    service: r.service,
                    origin_request: r.origin_request.map(|o| OriginRequest {
                        connect_timeout: o.connect_timeout,
                        no_tls_verify: o.no_tls_verify,
                        http_host_header: o.http_host_header,
                        access: o.access.map(|a| OriginAccess {
                            aud_tag: a.aud_tag,
                            team_name: a.team_name,
                            required: a.required,
                        }),
                    }),
                })
                .collect(),
        }
    }

    pub fn from_api(
        config: &TunnelConfig,
        version: Option<i64>,
        account: &str,
        tunnel: &str,
    ) -> Self {
        let empty = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
        TunnelConfigModel {
            id: Val::Known(tunnel.to_string()),
            account_id: Val::Known(account.to_string()),
            tunnel_id: Val::Known(tunnel.to_string()),
            ingress: Val::Known(
                config
                    .ingress
                    .iter()
                    .map(|r| IngressModel {
                        hostname: empty(&r.hostname),
                        path: empty(&r.path),
                        service: r.service.clone(),
                        origin_request: r
                            .origin_request
                            .as_ref()
                            .filter(|o| **o != OriginRequest::default())
                            .map(|o| OriginModel {
                                connect_timeout: o.connect_timeout,
                                no_tls_verify: o.no_tls_verify,
                                http_host_header: o.http_host_header.clone(),
                                access: o.access.as_ref().map(|a| AccessModel {
                                    team_name: a.team_name.clone(),
                                    aud_tag: a.aud_tag.clone(),
                                    required: a.required,
                                }),
                            }),
                    })
                    .collect(),
            ),
            version: version.into(),
        }
    }
}

/// Why `s` is not a service cloudflared can proxy to, if it is not.
pub fn service_error(s: &str) -> Option<String> {
    if let Some(code) = s.strip_prefix("http_status:") {
        return match code.parse::<u16>() {
            Ok(c) if (100..=599).contains(&c) => None,
            _ => Some(format!(
                "{s:?}: http_status takes an HTTP status code 100–599, e.g. \"http_status:404\"."
            )),
        };
    }
    if s == "hello_world" || s == "bastion" {
        return None;
    }
    match s.split_once("://") {
        Some((scheme, rest)) if SCHEMES.contains(&scheme) && !rest.is_empty() => None,
        _ => Some(format!(
            "{s:?} is not a service cloudflared can reach: use a URL with one of the schemes {} (e.g. \"http://localhost:8000\"), or \"http_status:NNN\", \"hello_world\", \"bastion\".",
            SCHEMES.join(", ")
        )),
    }
}

/// A filter that narrows a rule: set, and not the match-all `*`.
fn narrows(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.is_empty() && s != "*") || v.is_unknown()
}

/// The plan-time ingress checks (unknown values pass; they are checked when known).
pub fn check_ingress(config: &Value, diags: &mut Diagnostics) {
    let Some(rules) = config.attr("ingress").elements() else {
        return;
    };
    let Some(last) = rules.len().checked_sub(1) else {
        diags.error_at(
            Path::root("ingress"),
            "No ingress rules",
            "A tunnel configuration needs at least one rule; the last one catches all traffic, e.g. `{ service = \"http_status:404\" }`.",
        );
        return;
    };
    // Each service is checked by its attribute's validator.
    let rule = &rules[last];
    for attr in ["hostname", "path"] {
        let v = rule.attr(attr);
        if v.is_known() && narrows(v) {
            diags.error_at(
                Path::root("ingress").index(last).attr(attr),
                "The last ingress rule must catch all traffic",
                format!("cloudflared needs a last rule without {attr} (Cloudflare refuses the configuration otherwise): add a final rule such as `{{ service = \"http_status:404\" }}` after this one."),
            );
        }
    }
}

fn origin_request_attribute() -> Attribute {
    Attribute::nested(
        "origin_request",
        Nesting::Single,
        vec![
            Attribute::int("connect_timeout").optional().description("Seconds to wait for a TCP connection to the origin (cloudflared's default: 30).").validate(int_between(1, 3600)),
            Attribute::bool("no_tls_verify").optional().description("Accept any certificate from an https origin (self-signed on localhost)."),
            Attribute::string("http_host_header").optional().description("The Host header sent to the origin."),
            Attribute::nested(
                "access",
                Nesting::Single,
                vec![
                    Attribute::string("team_name").required().description("Your Zero Trust team name."),
                    Attribute::list("aud_tag", Type::String).required().description("Audience tags of the Access applications allowed to reach this hostname."),
                    Attribute::bool("required").optional().description("Deny requests without a valid Access token."),
                ],
            )
            .optional()
            .description("Have cloudflared check each request's Cloudflare Access token."),
        ],
    )
    .optional()
    .description("How cloudflared talks to this rule's origin (a subset of Cloudflare's originRequest).")
}

pub fn tunnel_config_schema() -> Schema {
    Schema::new(
        "The ingress rules of a remotely managed `cloudflare_tunnel` (`config_src = \"cloudflare\"`): which public hostname (and path) goes to which local service. Authoritative: the whole configuration is written at once. The last rule must catch all traffic (no hostname, no path), e.g. `{ service = \"http_status:404\" }`. A public hostname also needs a proxied CNAME record pointing at the tunnel's `cname`.",
        vec![
            Attribute::string("id").computed().keep_state().description("The tunnel id (one configuration per tunnel)."),
            Attribute::string("account_id").optional_computed().keep_state().replace().description("The Cloudflare account id (defaults to the provider's)."),
            Attribute::string("tunnel_id").required().replace().description("The tunnel this configuration belongs to."),
            Attribute::nested(
                "ingress",
                Nesting::List,
                vec![
                    Attribute::string("hostname").optional().description("Public hostname this rule matches (a leading `*.` wildcard is allowed); omit on the last, catch-all rule."),
                    Attribute::string("path").optional().description("A regular expression the request path must match; omit on the last rule."),
                    Attribute::string("service").required().description("Where matching requests go: `http://localhost:8000`, `https://…`, `tcp://…`, `ssh://…`, `rdp://…`, `smb://…`, `unix://…`, or `http_status:404`, `hello_world`, `bastion`.").validate(crate::framework::rules::Validator::string("A URL of a scheme cloudflared proxies, or http_status:NNN, hello_world, bastion.", service_error)),
                    origin_request_attribute(),
                ],
            )
            .required()
            .description("The rules, first match wins; the last one must catch all."),
            Attribute::int("version").computed().modifier(PlanModifier::keep_unless_changed(&["ingress"])).description("The configuration version Cloudflare assigned (grows with every change)."),
        ],
    )
}

/// What destroy leaves: a configuration that answers 404 to everything.
fn reset_config() -> TunnelConfig {
    TunnelConfig {
        ingress: vec![IngressRule {
            service: "http_status:404".into(),
            ..IngressRule::default()
        }],
    }
}

#[async_trait]
impl TypedResource for TunnelConfigResource {
    type Model = TunnelConfigModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "cloudflare_tunnel_config";

    fn check_configured(&self, c: &CloudflareClient, config: &Value, diags: &mut Diagnostics) {
        crate::clouds::cloudflare::tunnel::require_account("cloudflare", config, c, diags);
    }

    fn schema(&self) -> Schema {
        tunnel_config_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_ingress(config, diags);
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<account_id>/<tunnel_id>"])
            .id_from("tunnel_id")
            .check(|f| super::tunnel::safe_import_ids(f, "tunnel_id"))
    }

    fn identity(&self) -> Identity {
        Identity::new(&["account_id", "tunnel_id"])
    }

    async fn create(
        &self,
        c: &CloudflareClient,
        op: Create<TunnelConfigModel>,
        _cx: &ApplyCx,
    ) -> Applied<TunnelConfigModel> {
        put(c, &op.plan).await
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        state: TunnelConfigModel,
        _cx: &ApplyCx,
    ) -> Result<Option<TunnelConfigModel>, Diagnostics> {
        let account = account_of(&state.account_id, c)?;
        let tunnel = state.tunnel_id.required("tunnel_id")?;
        let got = match c.get_tunnel_config(&account, tunnel).await {
            Ok(g) => g,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => {
                return Err(api_diag(
                    "Failed to read Cloudflare tunnel configuration",
                    &e,
                ))
            }
        };
        // No rules at all: nothing this resource wrote is there any more.
        match got.config.filter(|cfg| !cfg.ingress.is_empty()) {
            Some(cfg) => Ok(Some(TunnelConfigModel::from_api(
                &cfg,
                got.version,
                &account,
                tunnel,
            ))),
            None => Ok(None),
        }
    }

    async fn update(
        &self,
        c: &CloudflareClient,
        op: Update<TunnelConfigModel>,
        _cx: &ApplyCx,
    ) -> Applied<TunnelConfigModel> {
        put(c, &op.plan).await
    }

    async fn delete(
        &self,
        c: &CloudflareClient,
        state: TunnelConfigModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let account = account_of(&state.account_id, c)?;
        let tunnel = state.tunnel_id.required("tunnel_id")?;
        match c.put_tunnel_config(&account, tunnel, &reset_config()).await {
            Ok(_) => Ok(()),
            // The tunnel went first: its configuration went with it.
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(api_diag(
                "Failed to reset Cloudflare tunnel configuration",
                &e,
            )),
        }
    }
}

/// Create and update alike: one authoritative PUT (idempotent, so nothing to adopt).
async fn put(c: &CloudflareClient, plan: &TunnelConfigModel) -> Applied<TunnelConfigModel> {
    let account = account_of(&plan.account_id, c)?;
    let tunnel = plan.tunnel_id.required("tunnel_id")?;
    let got = c
        .put_tunnel_config(&account, tunnel, &plan.to_request())
        .await
        .map_err(|e| api_diag("Failed to write Cloudflare tunnel configuration", &e))?;
    Ok(TunnelConfigModel {
        id: Val::Known(tunnel.to_string()),
        account_id: Val::Known(account),
        version: got.version.into(),
        ..plan.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(hostname: Option<&str>, service: &str) -> Value {
        Value::object([
            ("hostname", hostname.map_or(Value::Null, Value::string)),
            ("path", Value::Null),
            ("service", Value::string(service)),
            ("origin_request", Value::Null),
        ])
    }

    fn diags_for(rules: Vec<Value>) -> Vec<String> {
        let mut d = Diagnostics::new();
        check_ingress(&Value::object([("ingress", Value::List(rules))]), &mut d);
        d.iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn the_last_rule_must_catch_all() {
        let good = vec![
            rule(Some("api.example.com"), "http://localhost:8000"),
            rule(None, "http_status:404"),
        ];
        assert_eq!(diags_for(good), Vec::<String>::new());
        let bad = vec![rule(Some("api.example.com"), "http://localhost:8000")];
        assert_eq!(diags_for(bad), vec!["ingress[0].hostname".to_string()]);
        assert_eq!(diags_for(vec![]), vec!["ingress".to_string()]);
    }

    #[test]
    fn services_are_urls_of_known_schemes() {
        for ok in [
            "http://localhost:8000",
            "tcp://db:5432",
            "ssh://localhost:22",
            "http_status:404",
            "hello_world",
        ] {
            assert_eq!(service_error(ok), None, "{ok}");
        }
        for bad in ["localhost:8000", "ftp://x", "http_status:42", "http://"] {
            assert!(service_error(bad).is_some(), "{bad}");
        }
    }
}
