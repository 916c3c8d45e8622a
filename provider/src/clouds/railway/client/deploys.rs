//! Railway deploys of a service instance: `serviceInstanceDeployV2` (answers the deployment id)
//! and the `deployment` query its status is read from. HTTP and JSON only: imports no framework
//! types.

use serde::Deserialize;
use serde_json::json;

use super::queries as q;
use super::RailwayClient;
use crate::clouds::http::ApiError;

/// A deployment as far as the `railway_redeploy` action reads it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    /// `DeploymentStatus`: `INITIALIZING`, `BUILDING`, `DEPLOYING`, `SUCCESS`, `FAILED`, `CRASHED`, …
    pub status: String,
    #[serde(default)]
    pub static_url: Option<String>,
}

impl RailwayClient {
    /// Deploy the service in the environment (`commit_sha`, or what Railway deploys by default);
    /// the new deployment's id.
    pub async fn deploy_service_instance(
        &self,
        service_id: &str,
        environment_id: &str,
        commit_sha: Option<&str>,
    ) -> Result<String, ApiError> {
        let v = json!({"serviceId": service_id, "environmentId": environment_id, "commitSha": commit_sha});
        self.field(&q::SERVICE_INSTANCE_DEPLOY_V2, v, "serviceInstanceDeployV2")
            .await
    }

    pub async fn deployment(&self, id: &str) -> Result<Deployment, ApiError> {
        self.field(&q::DEPLOYMENT, json!({"id": id}), "deployment")
            .await
    }
}
