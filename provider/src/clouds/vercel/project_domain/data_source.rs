//! Data source `vercel_project_domain`: one domain of a project with what it takes to point it at
//! Vercel — the configuration Vercel sees (`misconfigured`, `configured_by`), its recommended
//! CNAME / A targets, and `dns_records`, the records to publish (the A or CNAME record, plus the
//! verification TXT record while the domain is unverified) ready for a DNS resource's `for_each`.
//! Must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::model::{verification_from_api, VerificationModel};
use super::schema::{domain_error, project_ref_validator};
use crate::clouds::support::api_diag;
use crate::clouds::vercel::client::domains::{DomainConfig, ProjectDomain};
use crate::clouds::vercel::client::VercelClient;
use crate::clouds::vercel::project::team;
use crate::framework::rules::Validator;
use crate::framework::{ApplyCx, Attribute, Diagnostics, Nesting, Schema, TypedDataSource, Val};

pub struct ProjectDomainDataSource;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectDomainDataModel {
    pub project_id: String,
    pub domain: String,
    pub team_id: Val<String>,
    pub apex_name: Val<String>,
    pub redirect: Val<String>,
    pub redirect_status_code: Val<i64>,
    pub git_branch: Val<String>,
    pub custom_environment_id: Val<String>,
    pub verified: Val<bool>,
    pub verification: Val<Vec<VerificationModel>>,
    pub misconfigured: Val<bool>,
    pub configured_by: Val<String>,
    pub recommended_cname: Val<String>,
    pub recommended_ipv4: Val<Vec<String>>,
    pub dns_records: Val<Vec<DnsRecordModel>>,
}

/// One DNS record to publish: `name` is the record's full name.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DnsRecordModel {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub value: String,
}

/// The rank-1 CNAME target without its trailing dot, and the rank-1 IPv4 addresses.
fn preferred(cfg: &DomainConfig) -> (Option<String>, Vec<String>) {
    let cname = cfg
        .recommended_cname
        .iter()
        .min_by(|a, b| a.rank.total_cmp(&b.rank))
        .map(|c| c.value.trim_end_matches('.').to_string());
    let ips = cfg
        .recommended_ipv4
        .iter()
        .min_by(|a, b| a.rank.total_cmp(&b.rank))
        .map(|r| r.value.clone())
        .unwrap_or_default();
    (cname, ips)
}

impl ProjectDomainDataModel {
    /// The apex gets A records (a CNAME cannot sit at a zone's apex), a subdomain a CNAME;
    /// an unverified domain also needs its TXT challenges.
    fn with_api(mut self, d: &ProjectDomain, cfg: &DomainConfig, team: Option<String>) -> Self {
        let (cname, ips) = preferred(cfg);
        let is_apex = !d.apex_name.is_empty() && d.apex_name == d.name;
        let mut records: Vec<DnsRecordModel> = if is_apex {
            ips.iter()
                .map(|ip| DnsRecordModel {
                    kind: "A".into(),
                    name: d.name.clone(),
                    value: ip.clone(),
                })
                .collect()
        } else {
            cname
                .iter()
                .map(|c| DnsRecordModel {
                    kind: "CNAME".into(),
                    name: d.name.clone(),
                    value: c.clone(),
                })
                .collect()
        };
        if !d.verified {
            records.extend(d.verification.iter().map(|v| DnsRecordModel {
                kind: v.kind.clone(),
                name: v.domain.clone(),
                value: v.value.clone(),
            }));
        }
        self.team_id = team.into();
        self.apex_name = Val::Known(d.apex_name.clone());
        self.redirect = d.redirect.clone().into();
        self.redirect_status_code = d.redirect.as_ref().and(d.redirect_status_code).into();
        self.git_branch = d.git_branch.clone().into();
        self.custom_environment_id = d.custom_environment_id.clone().into();
        self.verified = Val::Known(d.verified);
        self.verification = Val::Known(if d.verified {
            Vec::new()
        } else {
            verification_from_api(&d.verification)
        });
        self.misconfigured = Val::Known(cfg.misconfigured);
        self.configured_by = cfg.configured_by.clone().into();
        self.recommended_cname = cname.into();
        self.recommended_ipv4 = Val::Known(ips);
        self.dns_records = Val::Known(records);
        self
    }
}

pub fn project_domain_data_schema() -> Schema {
    let c = |a: Attribute, d: &str| a.computed().description(d);
    let record = |name: &str, d: &str| Attribute::string(name).computed().description(d);
    Schema::new(
        "Reads one domain of a Vercel project and how to point it at Vercel: the configuration Vercel sees and the DNS records to publish (`dns_records`, ready for a DNS resource).",
        vec![
            Attribute::string("project_id").required().description("The project (id or name) the domain belongs to.").validate(project_ref_validator()),
            Attribute::string("domain").required().description("The domain name.").validate(Validator::string("A lowercase domain name such as `app.example.com`.", domain_error)),
            Attribute::string("team_id").optional_computed().description("The team owning the project (defaults to the provider's team)."),
            c(Attribute::string("apex_name"), "The registrable domain (`example.com` for `app.example.com`)."),
            c(Attribute::string("redirect"), "The domain this one redirects to, if any."),
            c(Attribute::int("redirect_status_code"), "The HTTP status of the redirect."),
            c(Attribute::string("git_branch"), "The Git branch the domain serves, if not production."),
            c(Attribute::string("custom_environment_id"), "The custom environment the domain serves, if any."),
            c(Attribute::bool("verified"), "Whether Vercel has verified the domain for this project."),
            Attribute::nested(
                "verification",
                Nesting::List,
                vec![
                    record("type", "The record type to publish (`TXT`)."),
                    record("domain", "The record's full name."),
                    record("value", "The record's content."),
                    record("reason", "Why Vercel asks for it."),
                ],
            )
            .computed()
            .description("While unverified: the challenges, one of which proves the domain is yours."),
            c(Attribute::bool("misconfigured"), "Whether the domain's DNS does not (yet) point at Vercel, so Vercel cannot serve it or issue its certificate."),
            c(Attribute::string("configured_by"), "How Vercel sees the domain pointed at it (`CNAME`, `A`, `http`, `dns-01`), or null."),
            c(Attribute::string("recommended_cname"), "The CNAME target Vercel recommends (rank 1, without the trailing dot)."),
            c(Attribute::list("recommended_ipv4", crate::framework::Type::String), "The IPv4 addresses Vercel recommends for A records (rank 1)."),
            Attribute::nested(
                "dns_records",
                Nesting::List,
                vec![
                    record("type", "`A`, `CNAME` or `TXT`."),
                    record("name", "The record's full name."),
                    record("value", "The record's content."),
                ],
            )
            .computed()
            .description("The records to publish: A records for an apex domain or a CNAME for a subdomain, plus the verification TXT record while the domain is unverified."),
        ],
    )
}

#[async_trait]
impl TypedDataSource for ProjectDomainDataSource {
    type Model = ProjectDomainDataModel;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project_domain";

    fn schema(&self) -> Schema {
        project_domain_data_schema()
    }

    async fn read(
        &self,
        c: &VercelClient,
        config: ProjectDomainDataModel,
        _cx: &ApplyCx,
    ) -> Result<ProjectDomainDataModel, Diagnostics> {
        let team = team(c, &config.team_id);
        let t = team.as_deref();
        let d = c
            .get_project_domain(t, &config.project_id, &config.domain)
            .await
            .map_err(|e| {
                api_diag(
                    &format!(
                        "Failed to read domain {:?} of Vercel project {:?}",
                        config.domain, config.project_id
                    ),
                    &e,
                )
            })?;
        let cfg = c
            .get_domain_config(t, &config.project_id, &config.domain)
            .await
            .map_err(|e| api_diag("Failed to read the Vercel domain configuration", &e))?;
        Ok(config.with_api(&d, &cfg, team))
    }
}
