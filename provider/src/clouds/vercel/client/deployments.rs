//! Vercel deployments: typed request and response structs for createDeployment with a
//! `gitSource` (`POST /v13/deployments`), getDeployment (`GET /v13/deployments/{idOrUrl}`),
//! promote (`POST /v10/projects/{projectId}/promote/{deploymentId}`) and the project's current
//! production deployment (`targets.production` of `GET /v9/projects/{idOrName}`). HTTP and JSON
//! only; must not import framework.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{body, Project, VercelClient};
use crate::clouds::http::{encode_segment, ApiError, Call};

/// `gitSource` of createDeployment, in the spelling the spec gives for each Git provider; the
/// repository comes from the project's link.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum GitSource {
    /// GitHub (`github`, `github-limited`): `repoId`.
    GitHub {
        #[serde(rename = "type")]
        kind: String,
        #[serde(rename = "ref")]
        git_ref: String,
        #[serde(rename = "repoId")]
        repo_id: Json,
        #[serde(skip_serializing_if = "Option::is_none")]
        sha: Option<String>,
    },
    /// GitLab: `projectId`.
    GitLab {
        #[serde(rename = "type")]
        kind: String,
        #[serde(rename = "ref")]
        git_ref: String,
        #[serde(rename = "projectId")]
        project_id: Json,
        #[serde(skip_serializing_if = "Option::is_none")]
        sha: Option<String>,
    },
    /// Bitbucket: `owner` and `slug`.
    Bitbucket {
        #[serde(rename = "type")]
        kind: String,
        #[serde(rename = "ref")]
        git_ref: String,
        owner: String,
        slug: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        sha: Option<String>,
    },
}

impl GitSource {
    /// The source for `git_ref` (and `sha`) of the repository `project` is linked to; `None` when
    /// the project has no Git link, or one this provider cannot name.
    pub fn for_project(project: &Project, git_ref: &str, sha: Option<String>) -> Option<Self> {
        let link = project.link.as_ref()?;
        let s = |k: &str| link.get(k).and_then(Json::as_str).map(str::to_string);
        let git_ref = git_ref.to_string();
        let kind = s("type")?;
        Some(match kind.as_str() {
            "gitlab" => GitSource::GitLab {
                kind,
                git_ref,
                project_id: link.get("projectId").cloned()?,
                sha,
            },
            "bitbucket" => GitSource::Bitbucket {
                kind,
                git_ref,
                owner: s("owner")?,
                slug: s("slug")?,
                sha,
            },
            _ => GitSource::GitHub {
                kind,
                git_ref,
                repo_id: link.get("repoId").cloned()?,
                sha,
            },
        })
    }
}

/// createDeployment's body for a Git deployment.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateDeploymentRequest {
    /// The project's name (required by the spec; `project` wins).
    pub name: String,
    pub project: String,
    pub target: String,
    pub git_source: GitSource,
}

/// A deployment as far as the action reads it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    /// `QUEUED`, `INITIALIZING`, `BUILDING`, `READY`, `ERROR` or `CANCELED`.
    pub ready_state: String,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub error_step: Option<String>,
}

#[derive(Deserialize)]
struct ProjectTargets {
    #[serde(default)]
    targets: Option<Targets>,
}

#[derive(Deserialize)]
struct Targets {
    #[serde(default)]
    production: Option<TargetDeployment>,
}

#[derive(Deserialize)]
struct TargetDeployment {
    id: String,
}

impl VercelClient {
    pub async fn create_deployment(
        &self,
        req: &CreateDeploymentRequest,
    ) -> Result<Deployment, ApiError> {
        self.http
            .send(self.scoped(Call::post("/v13/deployments", body(req)?), None))
            .await
    }

    pub async fn get_deployment(&self, id: &str) -> Result<Deployment, ApiError> {
        let call = Call::get(format!("/v13/deployments/{}", encode_segment(id)));
        self.http.send(self.scoped(call, None)).await
    }

    /// Point the project's production domains at an existing deployment (no rebuild).
    pub async fn promote_deployment(
        &self,
        project_id: &str,
        deployment_id: &str,
    ) -> Result<(), ApiError> {
        let call = Call::post(
            format!(
                "/v10/projects/{}/promote/{}",
                encode_segment(project_id),
                encode_segment(deployment_id)
            ),
            Json::Object(Default::default()),
        );
        self.http.send_empty(self.scoped(call, None)).await
    }

    /// The id of the project's current production deployment, if it has one.
    pub async fn production_deployment(
        &self,
        project_id: &str,
    ) -> Result<Option<String>, ApiError> {
        let call = Call::get(format!("/v9/projects/{}", encode_segment(project_id)));
        let p: ProjectTargets = self.http.send(self.scoped(call, None)).await?;
        Ok(p.targets.and_then(|t| t.production).map(|d| d.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn project(link: Json) -> Project {
        Project {
            link: Some(link),
            ..Project::default()
        }
    }

    #[test]
    fn the_git_source_names_the_linked_repository_the_way_the_spec_spells_it() {
        let gh = project(json!({"type": "github", "org": "acme", "repo": "web", "repoId": 42}));
        let src = GitSource::for_project(&gh, "main", None);
        assert_eq!(
            serde_json::to_value(src).unwrap_or_default(),
            json!({"type": "github", "ref": "main", "repoId": 42})
        );
        let gl = project(json!({"type": "gitlab", "projectId": "77", "projectName": "web"}));
        let src = GitSource::for_project(&gl, "v1", Some("abc".into()));
        assert_eq!(
            serde_json::to_value(src).unwrap_or_default(),
            json!({"type": "gitlab", "ref": "v1", "projectId": "77", "sha": "abc"})
        );
        let bb = project(json!({"type": "bitbucket", "owner": "acme", "slug": "web"}));
        let src = GitSource::for_project(&bb, "main", None);
        assert_eq!(
            serde_json::to_value(src).unwrap_or_default(),
            json!({"type": "bitbucket", "ref": "main", "owner": "acme", "slug": "web"})
        );
        assert_eq!(
            GitSource::for_project(&Project::default(), "main", None),
            None
        );
    }
}
