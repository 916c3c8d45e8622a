//! Railway's emulated world: projects, environments, services, service instances (one per service
//! and environment), variables (per environment, shared or per service), service and custom
//! domains, deployments. Plain data with lookups and cascading deletes; the GraphQL shapes live
//! in `objects.rs`, the operations in `queries.rs`/`mutations.rs`. Imports only the error type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::GqlError;

#[derive(Default, Serialize, Deserialize)]
pub struct RailwayState {
    /// Creation counter: listings come back in creation order, as Railway's do.
    #[serde(default)]
    pub seq: u64,
    #[serde(default)]
    pub projects: BTreeMap<String, Project>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    #[serde(default)]
    pub services: BTreeMap<String, Service>,
    #[serde(default)]
    pub instances: BTreeMap<String, ServiceInstance>,
    /// Keyed by [`scope_key`]: `<environmentId>/<serviceId>` or `<environmentId>/shared`.
    #[serde(default)]
    pub variables: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub service_domains: BTreeMap<String, ServiceDomain>,
    #[serde(default)]
    pub custom_domains: BTreeMap<String, CustomDomain>,
    #[serde(default)]
    pub deployments: BTreeMap<String, Deployment>,
    #[serde(default)]
    pub volumes: BTreeMap<String, Volume>,
    /// A volume's presence in one environment (mount, size, region).
    #[serde(default)]
    pub volume_instances: BTreeMap<String, VolumeInstance>,
    #[serde(default)]
    pub tcp_proxies: BTreeMap<String, TcpProxy>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct VolumeInstance {
    pub id: String,
    pub seq: u64,
    pub volume_id: String,
    pub environment_id: String,
    /// None once the service is gone or the volume was disconnected.
    pub service_id: Option<String>,
    pub mount_path: String,
    pub size_mb: i64,
    pub region: String,
    pub created_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct TcpProxy {
    pub id: String,
    pub seq: u64,
    pub environment_id: String,
    pub service_id: String,
    pub application_port: i64,
    pub proxy_port: i64,
    pub domain: String,
    pub created_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub pr_deploys: bool,
    pub bot_pr_environments: bool,
    pub focused_pr_environments: bool,
    pub base_environment_id: Option<String>,
    pub primary_environment_id: Option<String>,
    pub workspace_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Environment {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub name: String,
    /// Set when the environment was forked from another (`sourceEnvironmentId`).
    pub source_environment_id: Option<String>,
    pub is_ephemeral: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub name: String,
    pub icon: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct ServiceInstance {
    pub id: String,
    pub seq: u64,
    pub service_id: String,
    pub environment_id: String,
    /// Everything `ServiceInstanceUpdateInput` set, by schema field name (absent = default).
    pub settings: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct ServiceDomain {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub domain: String,
    pub target_port: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct CustomDomain {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub domain: String,
    pub target_port: Option<i64>,
    /// The CNAME target the user must point the domain at.
    pub cname_target: String,
    pub verification_token: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Deployment {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub status: String,
    pub commit_sha: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Set for deploys the API triggered (see `deploys.rs`): the status then follows the clock.
    #[serde(default)]
    pub timing: Option<super::deploys::Timing>,
}

/// The variables map key of an environment's shared variables (`service == None`) or a service's.
pub fn scope_key(environment_id: &str, service_id: Option<&str>) -> String {
    format!("{environment_id}/{}", service_id.unwrap_or("shared"))
}

/// Records that carry a creation sequence number.
pub trait Sequenced {
    fn seq(&self) -> u64;
}

macro_rules! sequenced {
    ($($t:ty),*) => {$(impl Sequenced for $t { fn seq(&self) -> u64 { self.seq } })*};
}
sequenced!(
    Project,
    Environment,
    Service,
    ServiceInstance,
    ServiceDomain,
    CustomDomain,
    Deployment,
    Volume,
    VolumeInstance,
    TcpProxy
);

/// The records of `map` matching `keep`, in creation order.
pub fn ordered<T: Sequenced + Clone>(
    map: &BTreeMap<String, T>,
    keep: impl Fn(&T) -> bool,
) -> Vec<&T> {
    let mut v: Vec<&T> = map.values().filter(|r| keep(r)).collect();
    v.sort_by_key(|r| r.seq());
    v
}

impl RailwayState {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn project(&self, id: &str) -> Result<&Project, GqlError> {
        self.projects
            .get(id)
            .ok_or_else(|| GqlError::not_found("Project"))
    }

    pub fn environment(&self, id: &str) -> Result<&Environment, GqlError> {
        self.environments
            .get(id)
            .ok_or_else(|| GqlError::not_found("Environment"))
    }

    pub fn service(&self, id: &str) -> Result<&Service, GqlError> {
        self.services
            .get(id)
            .ok_or_else(|| GqlError::not_found("Service"))
    }

    pub fn instance_id(&self, service_id: &str, environment_id: &str) -> Option<String> {
        self.instances
            .values()
            .find(|i| i.service_id == service_id && i.environment_id == environment_id)
            .map(|i| i.id.clone())
    }

    pub fn instance(
        &self,
        service_id: &str,
        environment_id: &str,
    ) -> Result<&ServiceInstance, GqlError> {
        self.instance_id(service_id, environment_id)
            .and_then(|id| self.instances.get(&id))
            .ok_or_else(|| GqlError::not_found("ServiceInstance"))
    }

    /// Check that the environment (and the service, when given) belong to the project.
    pub fn check_scope(
        &self,
        project_id: &str,
        environment_id: &str,
        service_id: Option<&str>,
    ) -> Result<(), GqlError> {
        self.project(project_id)?;
        let env = self.environment(environment_id)?;
        if env.project_id != project_id {
            return Err(GqlError::not_found("Environment"));
        }
        if let Some(s) = service_id {
            if self.service(s)?.project_id != project_id {
                return Err(GqlError::not_found("Service"));
            }
        }
        Ok(())
    }

    /// Remove a service's presence in one environment: instance, variables, domains, deployments.
    pub fn remove_service_from_environment(&mut self, service_id: &str, environment_id: &str) {
        self.instances
            .retain(|_, i| !(i.service_id == service_id && i.environment_id == environment_id));
        self.variables
            .remove(&scope_key(environment_id, Some(service_id)));
        self.service_domains
            .retain(|_, d| !(d.service_id == service_id && d.environment_id == environment_id));
        self.custom_domains
            .retain(|_, d| !(d.service_id == service_id && d.environment_id == environment_id));
        self.deployments
            .retain(|_, d| !(d.service_id == service_id && d.environment_id == environment_id));
        self.tcp_proxies
            .retain(|_, p| !(p.service_id == service_id && p.environment_id == environment_id));
        // A volume outlives its service: it is disconnected, not deleted.
        for v in self.volume_instances.values_mut() {
            if v.service_id.as_deref() == Some(service_id) && v.environment_id == environment_id {
                v.service_id = None;
            }
        }
    }

    /// Delete a service everywhere.
    pub fn delete_service(&mut self, service_id: &str) {
        let envs: Vec<String> = self
            .instances
            .values()
            .filter(|i| i.service_id == service_id)
            .map(|i| i.environment_id.clone())
            .collect();
        for env in envs {
            self.remove_service_from_environment(service_id, &env);
        }
        let suffix = format!("/{service_id}");
        self.variables.retain(|k, _| !k.ends_with(&suffix));
        self.services.remove(service_id);
    }

    /// Delete an environment with everything in it.
    pub fn delete_environment(&mut self, environment_id: &str) {
        let services: Vec<String> = self
            .instances
            .values()
            .filter(|i| i.environment_id == environment_id)
            .map(|i| i.service_id.clone())
            .collect();
        for s in services {
            self.remove_service_from_environment(&s, environment_id);
        }
        let prefix = format!("{environment_id}/");
        self.variables.retain(|k, _| !k.starts_with(&prefix));
        self.volume_instances
            .retain(|_, v| v.environment_id != environment_id);
        if let Some(env) = self.environments.remove(environment_id) {
            if let Some(p) = self.projects.get_mut(&env.project_id) {
                for slot in [&mut p.base_environment_id, &mut p.primary_environment_id] {
                    if slot.as_deref() == Some(environment_id) {
                        *slot = None;
                    }
                }
            }
        }
    }

    /// Delete a project and everything in it.
    pub fn delete_project(&mut self, project_id: &str) {
        let envs: Vec<String> = ordered(&self.environments, |e| e.project_id == project_id)
            .into_iter()
            .map(|e| e.id.clone())
            .collect();
        for e in envs {
            self.delete_environment(&e);
        }
        let services: Vec<String> = ordered(&self.services, |s| s.project_id == project_id)
            .into_iter()
            .map(|s| s.id.clone())
            .collect();
        for s in services {
            self.delete_service(&s);
        }
        self.volumes.retain(|_, v| v.project_id != project_id);
        let volumes = &self.volumes;
        self.volume_instances
            .retain(|_, v| volumes.contains_key(&v.volume_id));
        self.projects.remove(project_id);
    }
}
