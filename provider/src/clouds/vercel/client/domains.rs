//! Vercel project domains and domain configuration: typed request and response structs for
//! addProjectDomain, getProjectDomain, updateProjectDomain, removeProjectDomain,
//! verifyProjectDomain and getDomainConfig. HTTP and JSON only; must not import framework.

use serde::{Deserialize, Serialize};

use super::{body, VercelClient};
use crate::clouds::http::{encode_segment, ApiError, Call, GoneOk};

/// A domain of a project as the API reports it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDomain {
    pub name: String,
    /// The registrable domain (`example.com` for `app.example.com`).
    #[serde(default)]
    pub apex_name: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub redirect: Option<String>,
    #[serde(default)]
    pub redirect_status_code: Option<i64>,
    #[serde(default)]
    pub git_branch: Option<String>,
    #[serde(default)]
    pub custom_environment_id: Option<String>,
    #[serde(default)]
    pub verified: bool,
    /// The challenges to complete while `verified` is false (absent once verified).
    #[serde(default)]
    pub verification: Vec<Verification>,
}

/// One verification challenge: publish a `kind` record named `domain` holding `value`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Verification {
    #[serde(rename = "type")]
    pub kind: String,
    pub domain: String,
    pub value: String,
    #[serde(default)]
    pub reason: String,
}

/// addProjectDomain's body.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AddProjectDomainRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_status_code: Option<i64>,
}

/// updateProjectDomain's body: `None` leaves a setting alone, `Some(None)` clears it.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProjectDomainRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_status_code: Option<Option<i64>>,
}

impl UpdateProjectDomainRequest {
    pub fn is_empty(&self) -> bool {
        *self == UpdateProjectDomainRequest::default()
    }
}

/// getDomainConfig's answer: how to point the domain at Vercel.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DomainConfig {
    #[serde(default)]
    pub configured_by: Option<String>,
    #[serde(default)]
    pub accepted_challenges: Vec<String>,
    #[serde(default, rename = "recommendedIPv4")]
    pub recommended_ipv4: Vec<RankedIps>,
    #[serde(default, rename = "recommendedCNAME")]
    pub recommended_cname: Vec<RankedName>,
    #[serde(default)]
    pub misconfigured: bool,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct RankedIps {
    pub rank: f64,
    #[serde(default)]
    pub value: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct RankedName {
    pub rank: f64,
    pub value: String,
}

fn domain_path(project: &str, domain: &str) -> String {
    format!(
        "/v9/projects/{}/domains/{}",
        encode_segment(project),
        encode_segment(domain)
    )
}

impl VercelClient {
    pub async fn add_project_domain(
        &self,
        team: Option<&str>,
        project: &str,
        req: &AddProjectDomainRequest,
    ) -> Result<ProjectDomain, ApiError> {
        let call = Call::post(
            format!("/v10/projects/{}/domains", encode_segment(project)),
            body(req)?,
        );
        self.http.send(self.scoped(call, team)).await
    }

    pub async fn get_project_domain(
        &self,
        team: Option<&str>,
        project: &str,
        domain: &str,
    ) -> Result<ProjectDomain, ApiError> {
        let call = Call::get(domain_path(project, domain));
        self.http.send(self.scoped(call, team)).await
    }

    pub async fn update_project_domain(
        &self,
        team: Option<&str>,
        project: &str,
        domain: &str,
        req: &UpdateProjectDomainRequest,
    ) -> Result<ProjectDomain, ApiError> {
        let call = Call::patch(domain_path(project, domain), body(req)?).idempotent(true);
        self.http.send(self.scoped(call, team)).await
    }

    /// Remove a domain from a project; one already gone counts as removed.
    pub async fn delete_project_domain(
        &self,
        team: Option<&str>,
        project: &str,
        domain: &str,
    ) -> Result<(), ApiError> {
        let call = Call::delete(domain_path(project, domain));
        self.http
            .send_empty(self.scoped(call, team))
            .await
            .gone_ok()
    }

    /// Ask Vercel to check the domain's challenge now.
    pub async fn verify_project_domain(
        &self,
        team: Option<&str>,
        project: &str,
        domain: &str,
    ) -> Result<ProjectDomain, ApiError> {
        let call = Call::new(
            reqwest::Method::POST,
            format!("{}/verify", domain_path(project, domain)),
        )
        .idempotent(true);
        self.http.send(self.scoped(call, team)).await
    }

    pub async fn get_domain_config(
        &self,
        team: Option<&str>,
        project: &str,
        domain: &str,
    ) -> Result<DomainConfig, ApiError> {
        let call = Call::get(format!("/v6/domains/{}/config", encode_segment(domain)))
            .query("projectIdOrName", project);
        self.http.send(self.scoped(call, team)).await
    }
}
