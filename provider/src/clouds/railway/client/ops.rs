//! Railway's operations as typed calls: one method per GraphQL document in `queries.rs`. Deletes
//! of something already gone succeed. HTTP and JSON only: imports no framework types.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};

use super::models::{
    variables_from_json, CustomDomain, CustomDomainCreateInput, Domains, Environment,
    EnvironmentCreateInput, Named, Project, ProjectCreateInput, ProjectUpdateInput, Service,
    ServiceConnectInput, ServiceCreateInput, ServiceDomain, ServiceDomainCreateInput,
    ServiceDomainUpdateInput, ServiceInstance, ServiceInstanceUpdateInput, ServiceState,
    ServiceUpdateInput, SharedVariableDeleteInput, SharedVariableUpsertInput, TcpProxy,
    TcpProxyCreateInput, Trigger, VariableCollectionUpsertInput, Volume, VolumeCreateInput,
    VolumeInstance, VolumeInstanceUpdateInput, VolumeUpdateInput,
};
use super::queries as q;
use super::{decode, RailwayClient};
use crate::clouds::http::{ApiError, GoneOk};

fn vars(pairs: &[(&str, Json)]) -> Map<String, Json> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

impl RailwayClient {
    // ------------------------------------------------------------ projects

    pub async fn project(&self, id: &str) -> Result<Project, ApiError> {
        self.field(&q::PROJECT, json!({"id": id}), "project").await
    }

    pub async fn project_environments(&self, id: &str) -> Result<Vec<Named>, ApiError> {
        let nodes = self
            .paginate(
                &q::PROJECT_ENVIRONMENTS,
                vars(&[("id", json!(id))]),
                "/project/environments",
            )
            .await?;
        nodes
            .into_iter()
            .map(|n| decode(&q::PROJECT_ENVIRONMENTS, n))
            .collect()
    }

    pub async fn project_services(&self, id: &str) -> Result<Vec<Named>, ApiError> {
        let nodes = self
            .paginate(
                &q::PROJECT_SERVICES,
                vars(&[("id", json!(id))]),
                "/project/services",
            )
            .await?;
        nodes
            .into_iter()
            .map(|n| decode(&q::PROJECT_SERVICES, n))
            .collect()
    }

    /// Every project the token can see, optionally only those of one workspace.
    pub async fn projects(&self, workspace_id: Option<&str>) -> Result<Vec<Project>, ApiError> {
        let mut v = Map::new();
        if let Some(w) = workspace_id {
            v.insert("workspaceId".into(), json!(w));
        }
        let nodes = self.paginate(&q::PROJECTS, v, "/projects").await?;
        nodes.into_iter().map(|n| decode(&q::PROJECTS, n)).collect()
    }

    pub async fn create_project(&self, input: &ProjectCreateInput) -> Result<Project, ApiError> {
        self.field(&q::PROJECT_CREATE, json!({"input": input}), "projectCreate")
            .await
    }

    pub async fn update_project(
        &self,
        id: &str,
        input: &ProjectUpdateInput,
    ) -> Result<Project, ApiError> {
        self.field(
            &q::PROJECT_UPDATE,
            json!({"id": id, "input": input}),
            "projectUpdate",
        )
        .await
    }

    pub async fn delete_project(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::PROJECT_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    // ------------------------------------------------------------ environments

    pub async fn environment(
        &self,
        id: &str,
        project_id: Option<&str>,
    ) -> Result<Environment, ApiError> {
        self.field(
            &q::ENVIRONMENT,
            json!({"id": id, "projectId": project_id}),
            "environment",
        )
        .await
    }

    pub async fn create_environment(
        &self,
        input: &EnvironmentCreateInput,
    ) -> Result<Environment, ApiError> {
        self.field(
            &q::ENVIRONMENT_CREATE,
            json!({"input": input}),
            "environmentCreate",
        )
        .await
    }

    pub async fn rename_environment(&self, id: &str, name: &str) -> Result<Environment, ApiError> {
        self.field(
            &q::ENVIRONMENT_RENAME,
            json!({"id": id, "input": {"name": name}}),
            "environmentRename",
        )
        .await
    }

    pub async fn delete_environment(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::ENVIRONMENT_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    // ------------------------------------------------------------ services

    pub async fn service(&self, id: &str) -> Result<Service, ApiError> {
        self.field(&q::SERVICE, json!({"id": id}), "service").await
    }

    /// The service, its instance in `environment_id`, its variables and its domains, in one call.
    pub async fn service_state(
        &self,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
    ) -> Result<ServiceState, ApiError> {
        let op = &q::SERVICE_STATE;
        let data = self.execute(op, json!({"serviceId": service_id, "environmentId": environment_id, "projectId": project_id})).await?;
        let get = |k: &str| data.get(k).cloned().unwrap_or(Json::Null);
        let service: Service = decode(op, get("service"))?;
        let instance: ServiceInstance = decode(op, get("serviceInstance"))?;
        let domains: Domains = decode(op, get("domains"))?;
        Ok(ServiceState {
            service,
            instance,
            variables: variables_from_json(&get("variables")),
            domains,
        })
    }

    pub async fn deployment_triggers(
        &self,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
    ) -> Result<Vec<Trigger>, ApiError> {
        let v = vars(&[
            ("projectId", json!(project_id)),
            ("environmentId", json!(environment_id)),
            ("serviceId", json!(service_id)),
        ]);
        let nodes = self
            .paginate(&q::DEPLOYMENT_TRIGGERS, v, "/deploymentTriggers")
            .await?;
        nodes
            .into_iter()
            .map(|n| decode(&q::DEPLOYMENT_TRIGGERS, n))
            .collect()
    }

    pub async fn create_service(&self, input: &ServiceCreateInput) -> Result<Service, ApiError> {
        self.field(&q::SERVICE_CREATE, json!({"input": input}), "serviceCreate")
            .await
    }

    pub async fn update_service(
        &self,
        id: &str,
        input: &ServiceUpdateInput,
    ) -> Result<Service, ApiError> {
        self.field(
            &q::SERVICE_UPDATE,
            json!({"id": id, "input": input}),
            "serviceUpdate",
        )
        .await
    }

    /// Point the service at a repository (and branch) or an image.
    pub async fn connect_service(
        &self,
        id: &str,
        input: &ServiceConnectInput,
    ) -> Result<(), ApiError> {
        self.execute(&q::SERVICE_CONNECT, json!({"id": id, "input": input}))
            .await
            .map(|_| ())
    }

    /// The service's instance (settings) in one environment.
    pub async fn service_instance(
        &self,
        service_id: &str,
        environment_id: &str,
    ) -> Result<ServiceInstance, ApiError> {
        self.field(
            &q::SERVICE_INSTANCE,
            json!({"serviceId": service_id, "environmentId": environment_id}),
            "serviceInstance",
        )
        .await
    }

    pub async fn update_service_instance(
        &self,
        service_id: &str,
        environment_id: &str,
        input: &ServiceInstanceUpdateInput,
    ) -> Result<(), ApiError> {
        let v = json!({"serviceId": service_id, "environmentId": environment_id, "input": input});
        self.execute(&q::SERVICE_INSTANCE_UPDATE, v)
            .await
            .map(|_| ())
    }

    pub async fn delete_service(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::SERVICE_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    /// Make the service's variables in one environment exactly `variables` (one call).
    pub async fn replace_variables(
        &self,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
        variables: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let input = VariableCollectionUpsertInput {
            project_id: project_id.into(),
            environment_id: environment_id.into(),
            service_id: service_id.into(),
            replace: true,
            variables: variables.clone(),
        };
        self.upsert_variables(&input, &[]).await
    }

    /// One variableCollectionUpsert. `secrets` (the write-only values) are redacted from every
    /// error this client reports from now on, whether the API echoes them or not.
    pub async fn upsert_variables(
        &self,
        input: &VariableCollectionUpsertInput,
        secrets: &[&str],
    ) -> Result<(), ApiError> {
        self.execute_with_secrets(
            &q::VARIABLE_COLLECTION_UPSERT,
            json!({"input": input}),
            secrets,
        )
        .await
        .map(|_| ())
    }

    /// An environment's shared variables, name → unrendered value.
    pub async fn shared_variables(
        &self,
        project_id: &str,
        environment_id: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        let data = self
            .execute(
                &q::SHARED_VARIABLES,
                json!({"projectId": project_id, "environmentId": environment_id}),
            )
            .await?;
        Ok(variables_from_json(
            data.get("variables").unwrap_or(&Json::Null),
        ))
    }

    /// Set one shared variable. Its value is redacted from every error this client reports.
    pub async fn upsert_shared_variable(
        &self,
        input: &SharedVariableUpsertInput,
    ) -> Result<(), ApiError> {
        self.execute_with_secrets(
            &q::VARIABLE_UPSERT,
            json!({"input": input}),
            &[input.value.as_str()],
        )
        .await
        .map(|_| ())
    }

    /// Delete one shared variable; one already gone counts as deleted.
    pub async fn delete_shared_variable(
        &self,
        input: &SharedVariableDeleteInput,
    ) -> Result<(), ApiError> {
        self.execute(&q::VARIABLE_DELETE, json!({"input": input}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    pub async fn create_service_domain(
        &self,
        input: &ServiceDomainCreateInput,
    ) -> Result<ServiceDomain, ApiError> {
        self.field(
            &q::SERVICE_DOMAIN_CREATE,
            json!({"input": input}),
            "serviceDomainCreate",
        )
        .await
    }

    /// Rename the generated domain and set its target port (`None`: let Railway detect it).
    pub async fn update_service_domain(
        &self,
        input: &ServiceDomainUpdateInput,
    ) -> Result<(), ApiError> {
        self.execute(&q::SERVICE_DOMAIN_UPDATE, json!({"input": input}))
            .await
            .map(|_| ())
    }

    pub async fn delete_service_domain(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::SERVICE_DOMAIN_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    pub async fn create_custom_domain(
        &self,
        input: &CustomDomainCreateInput,
    ) -> Result<CustomDomain, ApiError> {
        self.field(
            &q::CUSTOM_DOMAIN_CREATE,
            json!({"input": input}),
            "customDomainCreate",
        )
        .await
    }

    /// Change a custom domain's target port (`None`: let Railway detect it).
    pub async fn update_custom_domain(
        &self,
        environment_id: &str,
        id: &str,
        target_port: Option<i64>,
    ) -> Result<(), ApiError> {
        let v = json!({"environmentId": environment_id, "id": id, "targetPort": target_port});
        self.execute(&q::CUSTOM_DOMAIN_UPDATE, v).await.map(|_| ())
    }

    pub async fn delete_custom_domain(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::CUSTOM_DOMAIN_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    // ------------------------------------------------------------ volumes

    /// Every volume instance of an environment (one page of 100 in all but huge projects).
    pub async fn environment_volume_instances(
        &self,
        environment_id: &str,
    ) -> Result<Vec<VolumeInstance>, ApiError> {
        let op = &q::ENVIRONMENT_VOLUME_INSTANCES;
        let nodes = self
            .paginate(
                op,
                vars(&[("id", json!(environment_id))]),
                "/environment/volumeInstances",
            )
            .await?;
        nodes.into_iter().map(|n| decode(op, n)).collect()
    }

    /// The instance of volume `volume_id` in `environment_id`, if there is one.
    pub async fn volume_instance(
        &self,
        environment_id: &str,
        volume_id: &str,
    ) -> Result<Option<VolumeInstance>, ApiError> {
        let all = self.environment_volume_instances(environment_id).await?;
        Ok(all.into_iter().find(|v| v.volume_id == volume_id))
    }

    pub async fn create_volume(&self, input: &VolumeCreateInput) -> Result<Volume, ApiError> {
        self.field(&q::VOLUME_CREATE, json!({"input": input}), "volumeCreate")
            .await
    }

    pub async fn update_volume(
        &self,
        volume_id: &str,
        input: &VolumeUpdateInput,
    ) -> Result<Volume, ApiError> {
        self.field(
            &q::VOLUME_UPDATE,
            json!({"volumeId": volume_id, "input": input}),
            "volumeUpdate",
        )
        .await
    }

    /// Change the volume's mount in one environment (never all: `environmentId` is always sent).
    pub async fn update_volume_instance(
        &self,
        volume_id: &str,
        environment_id: &str,
        input: &VolumeInstanceUpdateInput,
    ) -> Result<(), ApiError> {
        let v = json!({"volumeId": volume_id, "environmentId": environment_id, "input": input});
        self.execute(&q::VOLUME_INSTANCE_UPDATE, v)
            .await
            .map(|_| ())
    }

    pub async fn delete_volume(&self, volume_id: &str) -> Result<(), ApiError> {
        self.execute(&q::VOLUME_DELETE, json!({"volumeId": volume_id}))
            .await
            .map(|_| ())
            .gone_ok()
    }

    // ------------------------------------------------------------ TCP proxies

    pub async fn tcp_proxies(
        &self,
        environment_id: &str,
        service_id: &str,
    ) -> Result<Vec<TcpProxy>, ApiError> {
        self.field(
            &q::TCP_PROXIES,
            json!({"environmentId": environment_id, "serviceId": service_id}),
            "tcpProxies",
        )
        .await
    }

    pub async fn create_tcp_proxy(
        &self,
        input: &TcpProxyCreateInput,
    ) -> Result<TcpProxy, ApiError> {
        self.field(
            &q::TCP_PROXY_CREATE,
            json!({"input": input}),
            "tcpProxyCreate",
        )
        .await
    }

    pub async fn delete_tcp_proxy(&self, id: &str) -> Result<(), ApiError> {
        self.execute(&q::TCP_PROXY_DELETE, json!({"id": id}))
            .await
            .map(|_| ())
            .gone_ok()
    }
}

impl RailwayClient {
    /// The environment a project's services default to: its primary (oldest non-ephemeral,
    /// usually `production`) environment, else its base one, else the one named `production`,
    /// else the first.
    pub async fn default_environment_id(&self, project_id: &str) -> Result<String, ApiError> {
        let p = self.project(project_id).await?;
        if let Some(id) = p
            .primary_environment_id
            .or(p.base_environment_id)
            .filter(|s| !s.is_empty())
        {
            return Ok(id);
        }
        let envs = self.project_environments(project_id).await?;
        envs.iter()
            .find(|e| e.name == "production")
            .or_else(|| envs.first())
            .map(|e| e.id.clone())
            .ok_or_else(|| ApiError::NotFound {
                message: format!("Railway project {project_id} has no environment"),
            })
    }
}
