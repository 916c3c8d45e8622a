//! vercel_project_domain's state as a typed model and its pure mappings: model → add/update
//! requests, API domain → model. No I/O; must not import the HTTP layer or the framework's host.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clouds::vercel::client::domains::{
    AddProjectDomainRequest, ProjectDomain, UpdateProjectDomainRequest, Verification,
};
use crate::framework::Val;

/// The resource's state (schema in `schema.rs`). Missing attributes decode as null: an import's
/// partial state names only the project, the domain (and team).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectDomainModel {
    pub id: Val<String>,
    pub project_id: String,
    pub domain: String,
    pub team_id: Val<String>,
    pub redirect: Option<String>,
    pub redirect_status_code: Option<i64>,
    pub git_branch: Option<String>,
    pub custom_environment_id: Option<String>,
    pub verified: Val<bool>,
    pub verification: Val<Vec<VerificationModel>>,
    pub wait_for_verification: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<DomainTimeouts>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct VerificationModel {
    #[serde(rename = "type")]
    pub kind: Val<String>,
    pub domain: Val<String>,
    pub value: Val<String>,
    pub reason: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DomainTimeouts {
    pub create: Option<String>,
}

/// The challenges as the attribute (an empty list once verified).
pub fn verification_from_api(v: &[Verification]) -> Vec<VerificationModel> {
    v.iter()
        .map(|c| VerificationModel {
            kind: Val::Known(c.kind.clone()),
            domain: Val::Known(c.domain.clone()),
            value: Val::Known(c.value.clone()),
            reason: Val::Known(c.reason.clone()),
        })
        .collect()
}

impl ProjectDomainModel {
    /// This state with the API's domain filled in (`team` scopes later calls). The project is
    /// kept as configured (an id or a name both work).
    pub fn with_api(mut self, d: &ProjectDomain, team: Option<String>) -> Self {
        self.id = Val::Known(d.name.clone());
        self.domain = d.name.clone();
        self.team_id = team.into();
        self.redirect = d.redirect.clone();
        self.redirect_status_code = d.redirect.as_ref().and(d.redirect_status_code);
        self.git_branch = d.git_branch.clone().filter(|b| !b.is_empty());
        self.custom_environment_id = d.custom_environment_id.clone().filter(|c| !c.is_empty());
        self.verified = Val::Known(d.verified);
        self.verification = Val::Known(if d.verified {
            Vec::new()
        } else {
            verification_from_api(&d.verification)
        });
        self.wait_for_verification = Some(self.wait_for_verification.unwrap_or(false));
        self
    }

    pub fn to_add_request(&self) -> AddProjectDomainRequest {
        AddProjectDomainRequest {
            name: self.domain.clone(),
            git_branch: self.git_branch.clone(),
            custom_environment_id: self.custom_environment_id.clone(),
            redirect: self.redirect.clone(),
            redirect_status_code: self.redirect.as_ref().and(self.redirect_status_code),
        }
    }

    /// Every setting the plan changes (a removed one is cleared).
    pub fn to_update_request(&self, prior: &ProjectDomainModel) -> UpdateProjectDomainRequest {
        let changed = |a: &Option<String>, b: &Option<String>| (a != b).then(|| b.clone());
        let code_changed = prior.redirect_status_code != self.redirect_status_code
            || prior.redirect != self.redirect;
        UpdateProjectDomainRequest {
            git_branch: changed(&prior.git_branch, &self.git_branch),
            redirect: changed(&prior.redirect, &self.redirect),
            redirect_status_code: code_changed.then_some(self.redirect_status_code),
        }
    }

    /// `timeouts.create`, or the default.
    pub fn create_timeout(&self) -> Duration {
        self.timeouts
            .as_ref()
            .and_then(|t| t.create.as_deref())
            .or(Some(super::schema::DEFAULT_VERIFY_TIMEOUT))
            .and_then(crate::framework::rules::parse_duration)
            .unwrap_or(Duration::from_secs(600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ProjectDomainModel {
        ProjectDomainModel {
            project_id: "prj_1".into(),
            domain: "app.example.com".into(),
            redirect: Some("www.example.com".into()),
            redirect_status_code: Some(308),
            ..ProjectDomainModel::default()
        }
    }

    #[test]
    fn add_sends_only_what_is_set() {
        let req = serde_json::to_value(model().to_add_request()).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"name": "app.example.com", "redirect": "www.example.com", "redirectStatusCode": 308})
        );
    }

    #[test]
    fn update_clears_a_removed_redirect_and_its_code() {
        let prior = model();
        assert!(prior.to_update_request(&prior).is_empty());
        let next = ProjectDomainModel {
            redirect: None,
            redirect_status_code: None,
            git_branch: Some("staging".into()),
            ..prior.clone()
        };
        let req = serde_json::to_value(next.to_update_request(&prior)).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"gitBranch": "staging", "redirect": null, "redirectStatusCode": null})
        );
    }

    #[test]
    fn an_unverified_domain_lists_its_challenge() {
        let api = ProjectDomain {
            name: "app.example.com".into(),
            verified: false,
            verification: vec![Verification {
                kind: "TXT".into(),
                domain: "_vercel.example.com".into(),
                value: "vc-domain-verify=app.example.com,1".into(),
                reason: "pending_domain_verification".into(),
            }],
            ..ProjectDomain::default()
        };
        let m = model().with_api(&api, None);
        assert_eq!(m.verified, Val::Known(false));
        assert_eq!(
            m.verification.known().map(|v| v[0].domain.clone()),
            Some(Val::Known("_vercel.example.com".into()))
        );
        assert_eq!(m.redirect, None);
        assert_eq!(m.redirect_status_code, None);
    }
}
