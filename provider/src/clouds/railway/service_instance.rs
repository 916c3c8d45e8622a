//! `railway_service_instance`: one service's settings in one more environment (Railway keeps a
//! service instance per service and environment; `railway_service` manages the one in its own
//! `environment_id`). serviceInstanceUpdate scoped by `environmentId` on create and update (only
//! what changed), read with `serviceInstance(serviceId, environmentId)`. Delete forgets the
//! settings: the instance belongs to the service and stays. Model, pure mapping and CRUD in one
//! file; must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{ServiceInstance, ServiceInstanceUpdateInput};
use super::client::RailwayClient;
use super::environment::id_validator;
use super::railway_ids;
use super::service::model::send;
use super::service::schema::{REGIONS, RESTART_POLICIES};
use crate::clouds::support::api_diag;
use crate::framework::rules::{int_between, known_values, one_of};
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Schema, TypedResource,
    Update, Val,
};

pub struct ServiceInstanceResource;

/// `railway_service_instance` state. Optional settings are `Option`s (null = Railway's default),
/// optional+computed ones `Val`s (unset = whatever Railway has).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceInstanceModel {
    pub id: Val<String>,
    pub service_id: Val<String>,
    pub environment_id: Val<String>,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
    pub healthcheck_path: Option<String>,
    pub healthcheck_timeout: Option<i64>,
    pub cron_schedule: Option<String>,
    pub num_replicas: Val<i64>,
    pub region: Val<String>,
    pub restart_policy_type: Val<String>,
    pub restart_policy_max_retries: Val<i64>,
    pub sleep_application: Val<bool>,
}

pub(crate) fn schema() -> Schema {
    let opt = |name: &str, desc: &str| Attribute::string(name).optional().description(desc);
    let kept = |a: Attribute| a.optional_computed().keep_state();
    Schema::new(
        "One Railway service's settings in one environment — for configuring a service differently in a second environment \
(e.g. one replica and a cron schedule in `staging`) than `railway_service` does in its own. Updates send only what changed. \
Destroying it leaves the instance and its settings in Railway (the instance belongs to the service). Do not manage the \
`railway_service`'s own environment with it as well.",
        vec![
            Attribute::string("id").computed().keep_state().description("The service id (an instance is named by its service and environment)."),
            Attribute::string("service_id").required().replace().validate(id_validator()).description("The service."),
            Attribute::string("environment_id").required().replace().validate(id_validator()).description("The environment whose instance of the service this configures."),
            opt("build_command", "The build command (default: detected by the builder)."),
            opt("start_command", "The start command (default: detected by the builder)."),
            opt("healthcheck_path", "HTTP path Railway probes before switching traffic to a new deploy."),
            Attribute::int("healthcheck_timeout").optional().validate(int_between(1, 3600)).description("Seconds to wait for the health check."),
            opt("cron_schedule", "Run the service on this crontab schedule (5 fields, UTC) instead of continuously.")
                .validate(crate::framework::cron::cron()),
            kept(Attribute::int("num_replicas")).validate(int_between(0, 1000)).description("Replicas (default: Railway's, 1)."),
            kept(Attribute::string("region")).validate(known_values(REGIONS)).description("The deployment region (default: Railway's)."),
            kept(Attribute::string("restart_policy_type")).validate(one_of(RESTART_POLICIES)).description("When Railway restarts the service (default: Railway's, ON_FAILURE)."),
            kept(Attribute::int("restart_policy_max_retries")).validate(int_between(0, 1000)).description("Restarts before giving up, for ON_FAILURE (default: Railway's, 10)."),
            kept(Attribute::bool("sleep_application")).description("Serverless: sleep the service when it receives no traffic."),
        ],
    )
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

impl ServiceInstanceModel {
    /// The state from Railway's instance (pure); ids from `self`.
    pub fn from_api(&self, i: &ServiceInstance) -> ServiceInstanceModel {
        let env = i.environment_id.clone();
        let env = if env.is_empty() {
            self.environment_id.clone()
        } else {
            Val::Known(env)
        };
        ServiceInstanceModel {
            id: self.service_id.clone(),
            service_id: self.service_id.clone(),
            environment_id: env,
            build_command: non_empty(i.build_command.as_deref()),
            start_command: non_empty(i.start_command.as_deref()),
            healthcheck_path: non_empty(i.healthcheck_path.as_deref()),
            healthcheck_timeout: i.healthcheck_timeout,
            cron_schedule: non_empty(i.cron_schedule.as_deref()),
            num_replicas: i.num_replicas.into(),
            region: non_empty(i.region.as_deref()).into(),
            restart_policy_type: non_empty(i.restart_policy_type.as_deref()).into(),
            restart_policy_max_retries: i.restart_policy_max_retries.into(),
            sleep_application: i.sleep_application.into(),
        }
    }

    /// serviceInstanceUpdate's input for what changed since `base` (None: a create).
    pub fn to_update_request(
        &self,
        base: Option<&ServiceInstanceModel>,
    ) -> ServiceInstanceUpdateInput {
        let o = |v: &Option<String>| -> Val<String> { v.clone().into() };
        let oi = |v: &Option<i64>| -> Val<i64> { (*v).into() };
        ServiceInstanceUpdateInput {
            build_command: send(base.map(|b| o(&b.build_command)), o(&self.build_command)),
            start_command: send(base.map(|b| o(&b.start_command)), o(&self.start_command)),
            healthcheck_path: send(
                base.map(|b| o(&b.healthcheck_path)),
                o(&self.healthcheck_path),
            ),
            healthcheck_timeout: send(
                base.map(|b| oi(&b.healthcheck_timeout)),
                oi(&self.healthcheck_timeout),
            ),
            cron_schedule: send(base.map(|b| o(&b.cron_schedule)), o(&self.cron_schedule)),
            num_replicas: send(
                base.map(|b| b.num_replicas.clone()),
                self.num_replicas.clone(),
            ),
            region: send(base.map(|b| b.region.clone()), self.region.clone()),
            restart_policy_type: send(
                base.map(|b| b.restart_policy_type.clone()),
                self.restart_policy_type.clone(),
            ),
            restart_policy_max_retries: send(
                base.map(|b| b.restart_policy_max_retries.clone()),
                self.restart_policy_max_retries.clone(),
            ),
            sleep_application: send(
                base.map(|b| b.sleep_application.clone()),
                self.sleep_application.clone(),
            ),
            ..ServiceInstanceUpdateInput::default()
        }
    }

    fn ids(&self) -> Result<(String, String), Diagnostics> {
        Ok((
            self.service_id.required("service_id")?.to_string(),
            self.environment_id.required("environment_id")?.to_string(),
        ))
    }
}

async fn write_and_read(
    c: &RailwayClient,
    plan: &ServiceInstanceModel,
    input: &ServiceInstanceUpdateInput,
) -> Applied<ServiceInstanceModel> {
    let (service, env) = plan.ids()?;
    if !input.is_empty() {
        c.update_service_instance(&service, &env, input)
            .await
            .map_err(|e| api_diag("Failed to update the Railway service instance", &e))?;
    }
    let i = c
        .service_instance(&service, &env)
        .await
        .map_err(|e| api_diag("Failed to read the Railway service instance", &e))?;
    Ok(plan.from_api(&i))
}

#[async_trait]
impl TypedResource for ServiceInstanceResource {
    type Model = ServiceInstanceModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_service_instance";

    fn schema(&self) -> Schema {
        schema()
    }

    /// `<environment_id>/<service_id>`.
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<environment_id>/<service_id>"])
            .id_from("service_id")
            .check(railway_ids)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["environment_id", "service_id"])
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<ServiceInstanceModel>,
        _cx: &ApplyCx,
    ) -> Applied<ServiceInstanceModel> {
        write_and_read(c, &op.plan, &op.plan.to_update_request(None)).await
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: ServiceInstanceModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ServiceInstanceModel>, Diagnostics> {
        let (service, env) = state.ids()?;
        match c.service_instance(&service, &env).await {
            Ok(i) => Ok(Some(state.from_api(&i))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read the Railway service instance", &e)),
        }
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<ServiceInstanceModel>,
        _cx: &ApplyCx,
    ) -> Applied<ServiceInstanceModel> {
        write_and_read(c, &op.plan, &op.plan.to_update_request(Some(&op.prior))).await
    }

    /// The instance belongs to the service: destroying this resource only forgets its settings.
    async fn delete(
        &self,
        _c: &RailwayClient,
        _state: ServiceInstanceModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_sends_what_is_set_and_an_update_what_changed() {
        let plan = ServiceInstanceModel {
            service_id: Val::Known("s1".into()),
            environment_id: Val::Known("e2".into()),
            start_command: Some("arq worker".into()),
            num_replicas: Val::Known(1),
            region: Val::Unknown,
            ..ServiceInstanceModel::default()
        };
        let create = plan.to_update_request(None);
        assert_eq!(create.start_command, Some(Some("arq worker".into())));
        assert_eq!(create.num_replicas, Some(Some(1)));
        assert_eq!(create.region, None, "unknown: Railway's");
        assert_eq!(create.build_command, None);
        let cleared = ServiceInstanceModel {
            start_command: None,
            ..plan.clone()
        };
        let update = cleared.to_update_request(Some(&plan));
        assert_eq!(update.start_command, Some(None), "a removed setting resets");
        assert_eq!(update.num_replicas, None, "unchanged: not sent");
    }
}
