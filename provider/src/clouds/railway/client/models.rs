//! The shapes paasform sends to and reads from Railway's GraphQL API: typed mutation inputs
//! (`ProjectCreateInput`, … — `None` fields are left out, so "unchanged" never travels as null)
//! and the answers (only the fields the documents in `queries.rs` select). Serde models only:
//! imports nothing from the framework.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub is_public: bool,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub base_environment_id: Option<String>,
    #[serde(default)]
    pub primary_environment_id: Option<String>,
}

impl Project {
    /// The default environment the answer names, when it names one.
    pub fn named_default_environment(&self) -> Option<&str> {
        self.primary_environment_id
            .as_deref()
            .or(self.base_environment_id.as_deref())
            .filter(|s| !s.is_empty())
    }
}

/// `ProjectCreateInput`.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectCreateInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub is_public: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

/// `ProjectUpdateInput`: only the fields that change.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProjectUpdateInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Some("")` clears the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
}

impl ProjectUpdateInput {
    pub fn is_empty(&self) -> bool {
        *self == ProjectUpdateInput::default()
    }
}

/// `EnvironmentCreateInput`.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentCreateInput {
    pub project_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_environment_id: Option<String>,
}

/// `ServiceSourceInput`: a repository or an image.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ServiceSourceInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// `RegistryCredentialsInput` (the password is registered as a secret by the HTTP layer).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct RegistryCredentialsInput {
    pub username: String,
    pub password: String,
}

/// `ServiceCreateInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCreateInput {
    pub project_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ServiceSourceInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_credentials: Option<RegistryCredentialsInput>,
}

/// `ServiceUpdateInput`: only the fields that change; `Some("")` clears the icon.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ServiceUpdateInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
}

impl ServiceUpdateInput {
    pub fn is_empty(&self) -> bool {
        *self == ServiceUpdateInput::default()
    }
}

/// `ServiceConnectInput`: `{repo, branch}` or `{image}`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ServiceConnectInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// One region's entry of `multiRegionConfig` (a JSON scalar in the schema).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegionReplicas {
    pub num_replicas: serde_json::Number,
}

/// `ServiceInstanceUpdateInput`: `None` = unchanged (left out), `Some(None)` = clear (null).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstanceUpdateInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<Option<String>>,
    /// A cleared list is sent as `[]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch_patterns: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_command: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_deploy_command: Option<Option<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub builder: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile_path: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub railway_config_file: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck_path: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck_timeout: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron_schedule: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_replicas: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sleep_application: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draining_seconds: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlap_seconds: Option<Option<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy_type: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy_max_retries: Option<Option<i64>>,
    /// `Some(None)` (null) when the map is cleared or empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_region_config: Option<Option<BTreeMap<String, RegionReplicas>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_credentials: Option<Option<RegistryCredentialsInput>>,
}

impl ServiceInstanceUpdateInput {
    pub fn is_empty(&self) -> bool {
        *self == ServiceInstanceUpdateInput::default()
    }
}

/// `VariableCollectionUpsertInput` with `replace: true`: the service's variables in one
/// environment become exactly `variables`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariableCollectionUpsertInput {
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub replace: bool,
    pub variables: BTreeMap<String, String>,
}

/// `VariableUpsertInput` for a shared (environment-level) variable: no `serviceId`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SharedVariableUpsertInput {
    pub project_id: String,
    pub environment_id: String,
    pub name: String,
    pub value: String,
}

/// `VariableDeleteInput` for a shared variable.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SharedVariableDeleteInput {
    pub project_id: String,
    pub environment_id: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct IdOnly {
    pub id: String,
}

/// A node of a listing: id and name.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub source_environment: Option<IdOnly>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub project_id: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Source {
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
}

/// A service's settings in one environment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstance {
    #[serde(default)]
    pub environment_id: String,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub root_directory: Option<String>,
    #[serde(default)]
    pub watch_patterns: Option<Vec<String>>,
    #[serde(default)]
    pub build_command: Option<String>,
    #[serde(default)]
    pub start_command: Option<String>,
    /// JSON in the schema: a list of commands (older services: one string).
    #[serde(default)]
    pub pre_deploy_command: Option<Json>,
    #[serde(default)]
    pub builder: Option<String>,
    #[serde(default)]
    pub dockerfile_path: Option<String>,
    #[serde(default)]
    pub railway_config_file: Option<String>,
    #[serde(default)]
    pub healthcheck_path: Option<String>,
    #[serde(default)]
    pub healthcheck_timeout: Option<i64>,
    #[serde(default)]
    pub cron_schedule: Option<String>,
    #[serde(default)]
    pub num_replicas: Option<i64>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub restart_policy_type: Option<String>,
    #[serde(default)]
    pub restart_policy_max_retries: Option<i64>,
    #[serde(default)]
    pub sleep_application: Option<bool>,
    #[serde(default)]
    pub draining_seconds: Option<i64>,
    #[serde(default)]
    pub overlap_seconds: Option<i64>,
}

impl ServiceInstance {
    /// The pre-deploy commands as a list, whatever form the API stored them in.
    pub fn pre_deploy_commands(&self) -> Option<Vec<String>> {
        match &self.pre_deploy_command {
            Some(Json::Array(a)) if !a.is_empty() => Some(
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect(),
            ),
            Some(Json::String(s)) if !s.is_empty() => Some(vec![s.clone()]),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDomain {
    pub id: String,
    #[serde(default)]
    pub domain: String,
    /// The port the domain routes to (`None`: Railway detects it).
    #[serde(default)]
    pub target_port: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DnsRecord {
    #[serde(default)]
    pub record_type: String,
    #[serde(default)]
    pub hostlabel: String,
    #[serde(default)]
    pub fqdn: String,
    #[serde(default)]
    pub zone: String,
    #[serde(default)]
    pub required_value: String,
}

impl DnsRecord {
    /// `DNS_RECORD_TYPE_CNAME` → `CNAME`.
    pub fn short_type(&self) -> &str {
        self.record_type
            .strip_prefix("DNS_RECORD_TYPE_")
            .unwrap_or(&self.record_type)
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomainStatus {
    #[serde(default)]
    pub dns_records: Vec<DnsRecord>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomain {
    pub id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub status: Option<CustomDomainStatus>,
    #[serde(default)]
    pub target_port: Option<i64>,
}

/// `ServiceDomainCreateInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDomainCreateInput {
    pub environment_id: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<i64>,
}

/// `ServiceDomainUpdateInput`: the domain (`<name>.up.railway.app`, the current one unless it is
/// being renamed) and the port (`None`: detected) are both set by every update.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDomainUpdateInput {
    pub domain: String,
    pub environment_id: String,
    pub service_domain_id: String,
    pub service_id: String,
    pub target_port: Option<i64>,
}

/// `CustomDomainCreateInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomainCreateInput {
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domains {
    #[serde(default)]
    pub service_domains: Vec<ServiceDomain>,
    #[serde(default)]
    pub custom_domains: Vec<CustomDomain>,
}

/// Everything `ServiceState` returns.
#[derive(Clone, Debug, Default)]
pub struct ServiceState {
    pub service: Service,
    pub instance: ServiceInstance,
    pub variables: BTreeMap<String, String>,
    pub domains: Domains,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Trigger {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub branch: String,
    #[serde(default)]
    pub repository: String,
}

/// Variables arrive as a JSON object (the `EnvironmentVariables` scalar); non-string values are
/// kept in their JSON text.
pub fn variables_from_json(j: &Json) -> BTreeMap<String, String> {
    j.as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `VolumeCreateInput`: a volume mounted into one service in one environment.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VolumeCreateInput {
    pub project_id: String,
    pub environment_id: String,
    pub service_id: String,
    pub mount_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// `VolumeUpdateInput`: the volume's name (the only field the schema lets change).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct VolumeUpdateInput {
    pub name: String,
}

/// `VolumeInstanceUpdateInput`. Both fields are always sent: the schema says a missing
/// `serviceId` disconnects the volume.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VolumeInstanceUpdateInput {
    pub mount_path: String,
    pub service_id: String,
}

/// `Volume` (what `volumeCreate`/`volumeUpdate` answer).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub project_id: String,
}

/// `VolumeInstance`: a volume in one environment (its mount, size and region there).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeInstance {
    pub id: String,
    pub volume_id: String,
    #[serde(default)]
    pub environment_id: String,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub mount_path: String,
    #[serde(default, rename = "sizeMB")]
    pub size_mb: i64,
    #[serde(default)]
    pub region: Option<String>,
    pub volume: Volume,
}

/// `TCPProxyCreateInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TcpProxyCreateInput {
    pub environment_id: String,
    pub service_id: String,
    pub application_port: i64,
}

/// `TCPProxy`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TcpProxy {
    pub id: String,
    pub application_port: i64,
    #[serde(default)]
    pub proxy_port: i64,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub environment_id: String,
    #[serde(default)]
    pub service_id: String,
}
