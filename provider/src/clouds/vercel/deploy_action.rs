//! Action `vercel_deploy`: either a production deployment of a Git ref (createDeployment with a
//! `gitSource` naming the project's linked repository, then wait until `readyState` is `READY`;
//! `ERROR` or `CANCELED` fails the action with Vercel's `errorMessage` / `errorCode`), or the
//! promotion of an existing deployment to production (promote, then wait until it is the
//! project's `targets.production`). Progress: one line per state the deployment goes through.
//! The team is the provider's. Imports the Vercel client and the framework only.

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

use super::client::deployments::{CreateDeploymentRequest, Deployment, GitSource};
use super::client::VercelClient;
use crate::clouds::support::api_diag;
use crate::framework::rules::{duration, parse_duration};
use crate::framework::{
    poll_until, ApplyCx, Attribute, Diagnostic, Diagnostics, Path, Poll, Progress, Schema,
    StatusLines, TypedAction, Validator, Value, WaitSpec,
};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The configuration of one `action "vercel_deploy"` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VercelDeployConfig {
    pub project_id: String,
    #[serde(rename = "ref")]
    pub git_ref: Option<String>,
    pub sha: Option<String>,
    pub deployment_id: Option<String>,
    pub timeout: Option<String>,
}

/// What one configuration asks for (validation made sure it is exactly one).
enum Plan<'a> {
    Build { git_ref: &'a str },
    Promote { deployment_id: &'a str },
}

impl VercelDeployConfig {
    fn plan(&self) -> Result<Plan<'_>, Diagnostics> {
        match (self.git_ref.as_deref(), self.deployment_id.as_deref()) {
            (Some(git_ref), None) => Ok(Plan::Build { git_ref }),
            (None, Some(deployment_id)) => Ok(Plan::Promote { deployment_id }),
            _ => Err(Diagnostic::error("Nothing to deploy", ONE_OF)
                .at(Path::root("ref"))
                .into()),
        }
    }

    /// createDeployment's body for `project` (its link names the repository). Pure.
    pub fn to_request(
        &self,
        project: &super::client::Project,
        git_ref: &str,
    ) -> Option<CreateDeploymentRequest> {
        Some(CreateDeploymentRequest {
            name: project.name.clone(),
            project: project.id.clone(),
            target: "production".into(),
            git_source: GitSource::for_project(project, git_ref, self.sha.clone())?,
        })
    }

    fn limit(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(parse_duration)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}

const ONE_OF: &str = "Set exactly one of `ref` (build and deploy a Git ref to production) and `deployment_id` (promote an existing deployment).";

/// Vercel's reason for a failed deployment, as the API words it.
pub fn failure_reason(d: &Deployment) -> String {
    let mut why = d
        .error_message
        .clone()
        .unwrap_or_else(|| "no error message".into());
    let extra: Vec<String> = [("code", &d.error_code), ("step", &d.error_step)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
        .collect();
    if !extra.is_empty() {
        why = format!("{why} ({})", extra.join(", "));
    }
    why
}

pub struct VercelDeployAction;

fn non_empty(what: &'static str) -> Validator {
    Validator::string(format!("A non-empty {what}."), move |s| {
        s.trim()
            .is_empty()
            .then(|| format!("{what} must not be empty."))
    })
}

#[async_trait]
impl TypedAction for VercelDeployAction {
    type Model = VercelDeployConfig;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_deploy";

    fn schema(&self) -> Schema {
        Schema::new(
            "Deploys a Vercel project to production and waits until the deployment is ready: either a new deployment of a Git ref of the project's connected repository (`ref`, optionally pinned to `sha`), or the promotion of an existing deployment (`deployment_id`, no rebuild). Invoke it with `terraform apply -invoke=action.vercel_deploy.<name>` or from a resource's `lifecycle { action_trigger { … } }` (Terraform 1.14 or later). A deployment that ends `ERROR` or `CANCELED` fails the action with Vercel's error message and code. The team is the provider's `team`.",
            vec![
                Attribute::string("project_id")
                    .required()
                    .description("The project (id `prj_…` or name).")
                    .validate(non_empty("project_id")),
                Attribute::string("ref")
                    .optional()
                    .description("Build and deploy this branch or tag of the project's connected Git repository to production. Not with `deployment_id`.")
                    .validate(non_empty("ref")),
                Attribute::string("sha")
                    .optional()
                    .description("Deploy this commit of `ref` instead of its head. Only with `ref`.")
                    .validate(non_empty("sha")),
                Attribute::string("deployment_id")
                    .optional()
                    .description("Promote this existing deployment (`dpl_…`) to production instead of building. Not with `ref`.")
                    .validate(Validator::string(
                        "A Vercel deployment id such as \"dpl_2qn7PZrx89yxY34vEZPD31Y9XVj6\".",
                        |s| {
                            (!s.starts_with("dpl_") || s.len() <= 4).then(|| {
                                format!("{s:?} is not a Vercel deployment id such as \"dpl_2qn7PZrx89yxY34vEZPD31Y9XVj6\".")
                            })
                        },
                    )),
                Attribute::string("timeout")
                    .optional()
                    .description("How long to wait for the deployment to be ready, or for the promotion (default \"30m\").")
                    .validate(duration()),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let set = |a: &str| !config.attr(a).is_null();
        match (set("ref"), set("deployment_id")) {
            (true, true) => diags.error_at(
                Path::root("deployment_id"),
                "Conflicting deploy source",
                ONE_OF,
            ),
            (false, false) => diags.error_at(Path::root("ref"), "Nothing to deploy", ONE_OF),
            _ => {}
        }
        if set("sha") && !set("ref") {
            diags.error_at(
                Path::root("sha"),
                "`sha` without `ref`",
                "`sha` pins the commit of a `ref` deployment; set `ref` too (a promotion deploys no commit).",
            );
        }
    }

    async fn invoke(
        &self,
        c: &VercelClient,
        config: VercelDeployConfig,
        cx: &ApplyCx,
        progress: Progress<'_>,
    ) -> Result<(), Diagnostics> {
        let pid = config.project_id.as_str();
        let spec = |what: String| WaitSpec::new(what, "timeout", config.limit());
        match config.plan()? {
            Plan::Build { git_ref } => {
                progress(format!(
                    "Creating a production deployment of {git_ref} for Vercel project {pid}"
                ));
                let project = c
                    .get_project(None, pid)
                    .await
                    .map_err(|e| api_diag(&format!("Failed to read Vercel project {pid}"), &e))?;
                let req = config.to_request(&project, git_ref).ok_or_else(|| {
                    Diagnostic::error(
                        "No Git repository to deploy",
                        format!("Vercel project {pid} is not connected to a Git repository; connect one (vercel_project `git_repository`) or promote an existing deployment with `deployment_id`."),
                    )
                })?;
                let d = c
                    .create_deployment(&req)
                    .await
                    .map_err(|e| api_diag(&format!("Failed to deploy Vercel project {pid}"), &e))?;
                let id = d.id.clone();
                let what = format!("Deployment {id}");
                let lines = StatusLines::new(progress);
                lines.saw(&what, &d.ready_state);
                let done = poll_until(
                    &cx.stop,
                    &spec(format!("Vercel deployment {id} of project {pid}")),
                    || async {
                        let d = c
                            .get_deployment(&id)
                            .await
                            .map_err(|e| api_diag("Failed to read the deployment", &e))?;
                        lines.saw(&what, &d.ready_state);
                        match d.ready_state.as_str() {
                            "READY" => Ok(Poll::Ready(d)),
                            "ERROR" | "CANCELED" => Err(Diagnostic::error(
                                "Vercel deployment failed",
                                format!(
                                    "Deployment {id} of project {pid} ended {}: {}",
                                    d.ready_state,
                                    failure_reason(&d)
                                ),
                            )
                            .into()),
                            other => Ok(Poll::Pending(other.to_string())),
                        }
                    },
                )
                .await?;
                if let Some(url) = done.url {
                    lines.line(format!("Deployment {id} is live at https://{url}"));
                }
                Ok(())
            }
            Plan::Promote { deployment_id } => {
                progress(format!(
                    "Promoting deployment {deployment_id} of Vercel project {pid} to production"
                ));
                c.promote_deployment(pid, deployment_id)
                    .await
                    .map_err(|e| {
                        api_diag(&format!("Failed to promote deployment {deployment_id}"), &e)
                    })?;
                poll_until(
                    &cx.stop,
                    &spec(format!(
                        "the promotion of Vercel deployment {deployment_id}"
                    )),
                    || async {
                        let now = c
                            .production_deployment(pid)
                            .await
                            .map_err(|e| api_diag("Failed to read the project", &e))?;
                        Ok(match now {
                            Some(id) if id == deployment_id => Poll::Ready(()),
                            Some(id) => Poll::Pending(format!("production is still {id}")),
                            None => Poll::Pending("no production deployment yet".into()),
                        })
                    },
                )
                .await?;
                progress(format!("Deployment {deployment_id} is production"));
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_reason_quotes_vercels_message_code_and_step() {
        let d = Deployment {
            error_message: Some("Command \"npm run build\" exited with 1".into()),
            error_code: Some("BUILD_UTILS_SPAWN_1".into()),
            error_step: Some("build".into()),
            ..Deployment::default()
        };
        assert_eq!(
            failure_reason(&d),
            "Command \"npm run build\" exited with 1 (code BUILD_UTILS_SPAWN_1, step build)"
        );
        assert_eq!(failure_reason(&Deployment::default()), "no error message");
    }
}
