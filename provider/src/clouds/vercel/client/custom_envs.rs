//! Vercel custom environments: typed request and response structs for createCustomEnvironment,
//! getCustomEnvironment, the list, updateCustomEnvironment and removeCustomEnvironment
//! (`/v9/projects/{idOrName}/custom-environments`). HTTP and JSON only; must not import framework.

use serde::{Deserialize, Serialize};

use super::{body, VercelClient};
use crate::clouds::http::{encode_segment, ApiError, Call, GoneOk};

/// Which Git branches deploy to a custom environment (`branchMatcher`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct BranchMatcher {
    /// `equals`, `startsWith` or `endsWith`.
    #[serde(rename = "type")]
    pub kind: String,
    pub pattern: String,
}

/// A custom environment as the API reports it (`slug` is its name).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomEnvironment {
    pub id: String,
    pub slug: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub branch_matcher: Option<BranchMatcher>,
}

/// createCustomEnvironment's body.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomEnvironmentRequest {
    pub slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_matcher: Option<BranchMatcher>,
}

/// updateCustomEnvironment's body: `None` leaves a setting alone; `branch_matcher: Some(None)`
/// clears the matcher (JSON null), a cleared description is sent as `""`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCustomEnvironmentRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_matcher: Option<Option<BranchMatcher>>,
}

impl UpdateCustomEnvironmentRequest {
    pub fn is_empty(&self) -> bool {
        *self == UpdateCustomEnvironmentRequest::default()
    }
}

#[derive(Deserialize)]
struct CustomEnvironmentList {
    #[serde(default)]
    environments: Vec<CustomEnvironment>,
}

fn envs_path(project: &str) -> String {
    format!(
        "/v9/projects/{}/custom-environments",
        encode_segment(project)
    )
}

fn env_path(project: &str, slug_or_id: &str) -> String {
    format!("{}/{}", envs_path(project), encode_segment(slug_or_id))
}

impl VercelClient {
    pub async fn create_custom_environment(
        &self,
        team: Option<&str>,
        project: &str,
        req: &CreateCustomEnvironmentRequest,
    ) -> Result<CustomEnvironment, ApiError> {
        let call = Call::post(envs_path(project), body(req)?);
        self.http.send(self.scoped(call, team)).await
    }

    /// One environment by id or by name (slug).
    pub async fn get_custom_environment(
        &self,
        team: Option<&str>,
        project: &str,
        slug_or_id: &str,
    ) -> Result<CustomEnvironment, ApiError> {
        let call = Call::get(env_path(project, slug_or_id));
        self.http.send(self.scoped(call, team)).await
    }

    /// Every custom environment of the project.
    pub async fn list_custom_environments(
        &self,
        team: Option<&str>,
        project: &str,
    ) -> Result<Vec<CustomEnvironment>, ApiError> {
        let list: CustomEnvironmentList = self
            .http
            .send(self.scoped(Call::get(envs_path(project)), team))
            .await?;
        Ok(list.environments)
    }

    pub async fn update_custom_environment(
        &self,
        team: Option<&str>,
        project: &str,
        id: &str,
        req: &UpdateCustomEnvironmentRequest,
    ) -> Result<CustomEnvironment, ApiError> {
        let call = Call::patch(env_path(project, id), body(req)?).idempotent(true);
        self.http.send(self.scoped(call, team)).await
    }

    /// Remove a custom environment (its variables stay on their other targets); one already gone
    /// counts as removed.
    pub async fn delete_custom_environment(
        &self,
        team: Option<&str>,
        project: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        let call = Call::delete(env_path(project, id)).idempotent(true);
        self.http
            .send_empty(self.scoped(call, team))
            .await
            .gone_ok()
    }
}
