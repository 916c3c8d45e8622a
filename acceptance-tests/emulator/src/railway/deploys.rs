//! Deploys the API triggers (`serviceInstanceDeploy`, `serviceInstanceDeployV2`,
//! `serviceInstanceRedeploy`): their status follows the clock from the moment of the mutation
//! over `Config::deploy_ms` as it was then (no background tasks) — `INITIALIZING` for the first
//! quarter, `BUILDING` until half way, `DEPLOYING` until the end, then `SUCCESS`, or `FAILED` when
//! the service id or the commit is listed in `Config::fail_deploys` (`--fail-deploy`). Other
//! deployments (a service created with a source) keep their recorded status.
//! Must not import other vendors' modules.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::state::{Deployment, RailwayState};
use crate::world::{now_millis, Config};

const DEPLOY_MUTATIONS: [&str; 3] = [
    "serviceInstanceDeploy",
    "serviceInstanceDeployV2",
    "serviceInstanceRedeploy",
];

#[derive(Clone, Serialize, Deserialize)]
pub struct Timing {
    pub started_ms: u64,
    pub duration_ms: u64,
    pub fails: bool,
}

impl Timing {
    fn status_at(&self, now_ms: u64) -> &'static str {
        let elapsed = now_ms.saturating_sub(self.started_ms);
        let d = self.duration_ms;
        if elapsed >= d {
            if self.fails {
                "FAILED"
            } else {
                "SUCCESS"
            }
        } else if elapsed < d / 4 {
            "INITIALIZING"
        } else if elapsed < d / 2 {
            "BUILDING"
        } else {
            "DEPLOYING"
        }
    }
}

/// The deployment's status now.
pub fn status(d: &Deployment) -> String {
    match &d.timing {
        Some(t) => t.status_at(now_millis()).to_string(),
        None => d.status.clone(),
    }
}

/// After a deploy mutation succeeded: time the deployment it just recorded (the newest of the
/// service instance).
pub fn time_the_deploy(
    state: &mut RailwayState,
    config: &Config,
    field: &str,
    args: &Map<String, Value>,
) {
    if !DEPLOY_MUTATIONS.contains(&field) {
        return;
    }
    let arg = |k: &str| args.get(k).and_then(Value::as_str).unwrap_or_default();
    let (service, env) = (arg("serviceId"), arg("environmentId"));
    let newest = state
        .deployments
        .values_mut()
        .filter(|d| d.service_id == service && d.environment_id == env)
        .max_by_key(|d| d.seq);
    if let Some(d) = newest {
        let commit = d.commit_sha.clone().unwrap_or_default();
        d.timing = Some(Timing {
            started_ms: now_millis(),
            duration_ms: config.deploy_ms,
            fails: config.deploy_fails(&[service, commit.as_str()]),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_deploy_goes_through_railways_statuses() {
        let t = Timing {
            started_ms: 0,
            duration_ms: 400,
            fails: false,
        };
        let seen: Vec<&str> = [0, 100, 200, 400]
            .iter()
            .map(|ms| t.status_at(*ms))
            .collect();
        assert_eq!(seen, ["INITIALIZING", "BUILDING", "DEPLOYING", "SUCCESS"]);
        let t = Timing { fails: true, ..t };
        assert_eq!(t.status_at(400), "FAILED");
    }
}
