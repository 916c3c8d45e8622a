//! Action `railway_redeploy`: deploy a service instance (one service in one environment) again —
//! `serviceInstanceDeployV2`, optionally at a given commit — and wait on the new deployment's
//! status: `SUCCESS` (or `SLEEPING`, a successful deployment put to sleep) ends the action;
//! `FAILED`, `CRASHED`, `REMOVED`, `REMOVING` or `SKIPPED` fails it with Railway's status.
//! Progress: one line per status. Imports the Railway client and the framework only.

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

use super::client::RailwayClient;
use super::environment::id_validator;
use crate::clouds::support::api_diag;
use crate::framework::rules::{duration, parse_duration};
use crate::framework::{
    poll_until, ApplyCx, Attribute, Diagnostic, Diagnostics, Poll, Progress, Schema, StatusLines,
    TypedAction, Validator, WaitSpec,
};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Statuses after which the deployment will not become `SUCCESS`.
pub const FAILED: &[&str] = &["FAILED", "CRASHED", "REMOVED", "REMOVING", "SKIPPED"];
const SUCCEEDED: &[&str] = &["SUCCESS", "SLEEPING"];

/// The configuration of one `action "railway_redeploy"` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeployConfig {
    pub service_id: String,
    pub environment_id: String,
    pub commit_sha: Option<String>,
    pub timeout: Option<String>,
}

impl RedeployConfig {
    fn limit(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(parse_duration)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}

pub struct RedeployAction;

#[async_trait]
impl TypedAction for RedeployAction {
    type Model = RedeployConfig;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_redeploy";

    fn schema(&self) -> Schema {
        Schema::new(
            "Deploys a Railway service instance (a service in one environment) again and waits until the new deployment succeeds. Invoke it with `terraform apply -invoke=action.railway_redeploy.<name>` or from a resource's `lifecycle { action_trigger { … } }` (Terraform 1.14 or later). A deployment that ends `FAILED`, `CRASHED`, `REMOVED` or `SKIPPED` fails the action with Railway's status.",
            vec![
                Attribute::string("service_id")
                    .required()
                    .description("The service to deploy.")
                    .validate(id_validator()),
                Attribute::string("environment_id")
                    .required()
                    .description("The environment whose instance of the service is deployed.")
                    .validate(id_validator()),
                Attribute::string("commit_sha")
                    .optional()
                    .description("Deploy this commit of the service's repository instead of the latest commit of its branch.")
                    .validate(Validator::string("A Git commit SHA (7 to 40 hex digits).", |s| {
                        let hex = s.chars().all(|c| c.is_ascii_hexdigit());
                        (!(hex && (7..=40).contains(&s.len()))).then(|| {
                            format!("{s:?} is not a Git commit SHA (7 to 40 hex digits).")
                        })
                    })),
                Attribute::string("timeout")
                    .optional()
                    .description("How long to wait for the deployment to succeed (default \"30m\").")
                    .validate(duration()),
            ],
        )
    }

    async fn invoke(
        &self,
        c: &RailwayClient,
        config: RedeployConfig,
        cx: &ApplyCx,
        progress: Progress<'_>,
    ) -> Result<(), Diagnostics> {
        let (sid, eid) = (config.service_id.as_str(), config.environment_id.as_str());
        progress(format!(
            "Deploying Railway service {sid} in environment {eid}"
        ));
        let id = c
            .deploy_service_instance(sid, eid, config.commit_sha.as_deref())
            .await
            .map_err(|e| api_diag(&format!("Failed to deploy Railway service {sid}"), &e))?;
        let what = format!("Deployment {id}");
        let lines = StatusLines::new(progress);
        let spec = WaitSpec::new(
            format!("Railway deployment {id} of service {sid}"),
            "timeout",
            config.limit(),
        );
        poll_until(&cx.stop, &spec, || async {
            let d = c
                .deployment(&id)
                .await
                .map_err(|e| api_diag("Failed to read the deployment", &e))?;
            lines.saw(&what, &d.status);
            let status = d.status.as_str();
            if SUCCEEDED.contains(&status) {
                return Ok(Poll::Ready(()));
            }
            if FAILED.contains(&status) {
                return Err(Diagnostic::error(
                    "Railway deployment failed",
                    format!(
                        "Deployment {id} of service {sid} in environment {eid} ended with status {status} (see the deployment's logs in the Railway dashboard)."
                    ),
                )
                .into());
            }
            Ok(Poll::Pending(d.status))
        })
        .await
    }
}
