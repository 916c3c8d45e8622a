//! Action `render_deploy`: trigger a deploy of a Render service (optionally a given commit or
//! image, optionally clearing the build cache) and wait until it is live; a deploy that ends
//! `build_failed`, `update_failed`, `pre_deploy_failed`, `canceled` or `deactivated` fails the
//! action with that status. Progress: one line per status the deploy goes through.
//! Imports the Render client and the framework only.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

use super::client::deploys::TriggerDeploy;
use super::client::RenderClient;
use super::enums::DEPLOY_FAILED;
use super::is_render_id;
use crate::clouds::support::api_diag;
use crate::framework::rules::duration;
use crate::framework::{
    poll_until, ApplyCx, Attribute, Diagnostic, Diagnostics, Path, Poll, Progress, Schema,
    TypedAction, Value, WaitSpec,
};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The configuration of one `action "render_deploy"` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    pub service_id: String,
    pub commit_id: Option<String>,
    pub image_url: Option<String>,
    pub clear_cache: Option<bool>,
    pub timeout: Option<String>,
}

impl DeployConfig {
    /// The `create-deploy` body. Pure.
    pub fn to_request(&self) -> TriggerDeploy {
        TriggerDeploy {
            clear_cache: self
                .clear_cache
                .map(|c| if c { "clear" } else { "do_not_clear" }),
            commit_id: self.commit_id.clone(),
            image_url: self.image_url.clone(),
        }
    }

    fn limit(&self) -> Duration {
        self.timeout
            .as_deref()
            .and_then(crate::framework::rules::parse_duration)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}

pub struct DeployAction;

fn non_empty(what: &'static str) -> crate::framework::Validator {
    crate::framework::Validator::string(format!("A non-empty {what}."), move |s| {
        s.trim()
            .is_empty()
            .then(|| format!("{what} must not be empty."))
    })
}

#[async_trait]
impl TypedAction for DeployAction {
    type Model = DeployConfig;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_deploy";

    fn schema(&self) -> Schema {
        Schema::new(
            "Deploys a Render service and waits until the deploy is live. Invoke it with `terraform apply -invoke=action.render_deploy.<name>` or from a resource's `lifecycle { action_trigger { … } }` (Terraform 1.14 or later). A deploy that fails or is canceled fails the action with Render's status.",
            vec![
                Attribute::string("service_id")
                    .required()
                    .description("The service to deploy (`srv-…`, `crn-…`).")
                    .validate(crate::framework::Validator::string(
                        "A Render service id such as \"srv-abc123\".",
                        |s| {
                            (!is_render_id(s)).then(|| {
                                format!("{s:?} is not a Render service id such as \"srv-abc123\".")
                            })
                        },
                    )),
                Attribute::string("commit_id")
                    .optional()
                    .description("Deploy this Git commit (SHA) instead of the latest commit of the connected branch. Not with `image_url`.")
                    .validate(non_empty("commit_id")),
                Attribute::string("image_url")
                    .optional()
                    .description("Deploy this image (image-backed services; host, repository and name must match the service's image). Not with `commit_id`.")
                    .validate(non_empty("image_url")),
                Attribute::bool("clear_cache")
                    .optional()
                    .description("Clear the build cache before building (default false)."),
                Attribute::string("timeout")
                    .optional()
                    .description("How long to wait for the deploy to go live (default \"30m\").")
                    .validate(duration()),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let set = |a: &str| !config.attr(a).is_null();
        if set("commit_id") && set("image_url") {
            diags.error_at(
                Path::root("image_url"),
                "Conflicting deploy source",
                "Set at most one of `commit_id` (Git-backed services) and `image_url` (image-backed services).",
            );
        }
    }

    async fn invoke(
        &self,
        c: &RenderClient,
        config: DeployConfig,
        cx: &ApplyCx,
        progress: Progress<'_>,
    ) -> Result<(), Diagnostics> {
        let sid = config.service_id.as_str();
        progress(format!("Triggering a deploy of Render service {sid}"));
        let started = c
            .trigger_deploy(sid, &config.to_request())
            .await
            .map_err(|e| api_diag(&format!("Failed to deploy Render service {sid}"), &e))?;
        let deploy = match started {
            Some(d) => d,
            // 202 Queued: the newest deploy is the one just queued.
            None => c
                .latest_deploy(sid)
                .await
                .map_err(|e| api_diag("Failed to list deploys", &e))?
                .ok_or_else(|| {
                    Diagnostic::error(
                        "Render deploy not found",
                        format!("Render queued a deploy of service {sid} but lists none."),
                    )
                })?,
        };
        let id = deploy.id;
        progress(format!("Deploy {id}: {}", deploy.status));
        let last = Mutex::new(deploy.status);
        let progress = Mutex::new(progress);
        let spec = WaitSpec::new(
            format!("Render deploy {id} of service {sid}"),
            "timeout",
            config.limit(),
        );
        poll_until(&cx.stop, &spec, || async {
            let d = c
                .get_deploy(sid, &id)
                .await
                .map_err(|e| api_diag("Failed to read deploy", &e))?;
            let changed = last
                .lock()
                .map(|mut l| std::mem::replace(&mut *l, d.status.clone()) != d.status)
                .unwrap_or(false);
            if changed {
                if let Ok(mut p) = progress.lock() {
                    (*p)(format!("Deploy {id}: {}", d.status));
                }
            }
            if d.status == "live" {
                return Ok(Poll::Ready(()));
            }
            if DEPLOY_FAILED.contains(&d.status.as_str()) {
                return Err(Diagnostic::error(
                    "Render deploy failed",
                    format!(
                        "Deploy {id} of service {sid} ended with status {} (see the deploy's logs in the Render dashboard).",
                        d.status
                    ),
                )
                .into());
            }
            Ok(Poll::Pending(d.status))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_maps_clear_cache_and_leaves_unset_fields_out() {
        let cfg = DeployConfig {
            service_id: "srv-1".into(),
            commit_id: Some("abc".into()),
            image_url: None,
            clear_cache: Some(true),
            timeout: None,
        };
        let body = serde_json::to_value(cfg.to_request()).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({"clearCache": "clear", "commitId": "abc"})
        );
        assert_eq!(cfg.limit(), DEFAULT_TIMEOUT);
    }
}
