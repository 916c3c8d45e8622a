//! Render services and what hangs off them: env vars (one PUT replaces the set), secret files,
//! custom domains, autoscaling, disks, scale, deploys, static-site headers and routes.
//! Shapes follow render.openapi.json (`service`, `servicePOST`, `servicePATCH`, …). HTTP/JSON only.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{seg, RenderClient};
use crate::clouds::http::{ApiError, Call, GoneOk};

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BuildFilter {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub ignored_paths: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct IdRef {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Criterion {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub percentage: i64,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Criteria {
    #[serde(default)]
    pub cpu: Criterion,
    #[serde(default)]
    pub memory: Criterion,
}

/// `webServiceDetails.autoscaling` (also the body of PUT /services/{id}/autoscaling).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Autoscaling {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub min: i64,
    #[serde(default)]
    pub max: i64,
    #[serde(default)]
    pub criteria: Criteria,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDisk {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "sizeGB", default)]
    pub size_gb: Option<i64>,
    #[serde(default)]
    pub mount_path: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct MaintenanceMode {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub uri: String,
}

/// `envSpecificDetails`: docker fields or native build/start commands.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvSpecificDetails {
    pub docker_command: Option<String>,
    pub docker_context: Option<String>,
    pub dockerfile_path: Option<String>,
    pub pre_deploy_command: Option<String>,
    pub registry_credential: Option<IdRef>,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
}

/// The union of the five `*Details` variants (their fields do not clash).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetails {
    pub build_command: Option<String>,
    pub publish_path: Option<String>,
    pub pull_request_previews_enabled: Option<String>,
    pub url: Option<String>,
    pub autoscaling: Option<Autoscaling>,
    pub disk: Option<ServiceDisk>,
    pub env: Option<String>,
    pub runtime: Option<String>,
    pub env_specific_details: Option<EnvSpecificDetails>,
    pub health_check_path: Option<String>,
    pub maintenance_mode: Option<MaintenanceMode>,
    pub num_instances: Option<i64>,
    pub plan: Option<String>,
    pub region: Option<String>,
    pub max_shutdown_delay_seconds: Option<i64>,
    pub schedule: Option<String>,
    pub previews: Option<Previews>,
    pub render_subdomain_policy: Option<String>,
}

/// `previews`: how Render generates preview instances for pull requests.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Previews {
    #[serde(default)]
    pub generation: String,
}

/// `service`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(rename = "type", default)]
    pub service_type: String,
    pub repo: Option<String>,
    pub branch: Option<String>,
    pub auto_deploy: Option<String>,
    pub auto_deploy_trigger: Option<String>,
    pub build_filter: Option<BuildFilter>,
    pub root_dir: Option<String>,
    pub image_path: Option<String>,
    pub registry_credential: Option<IdRef>,
    pub environment_id: Option<String>,
    pub slug: Option<String>,
    pub suspended: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub dashboard_url: Option<String>,
    #[serde(default)]
    pub service_details: ServiceDetails,
}

/// `serviceAndDeploy`: the create answer.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAndDeploy {
    pub service: Option<Service>,
    pub deploy_id: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomain {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub verification_status: String,
    /// Set on the `www.` (or apex) twin Render adds itself to redirect to `name`'s sibling.
    #[serde(default)]
    pub redirect_for_name: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deploy {
    pub id: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Header {
    pub path: String,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Route {
    #[serde(rename = "type")]
    pub route_type: String,
    pub source: String,
    pub destination: String,
    #[serde(default, skip_serializing)]
    pub priority: i64,
}

#[derive(Deserialize)]
struct EnvVar {
    key: String,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize)]
struct SecretFile {
    name: String,
    #[serde(default)]
    content: String,
}

// ---- Request bodies (`servicePOST`, `servicePATCH`, …): every field optional, absent when None.

/// `envVarInput`: a value, or `generateValue: true` to let Render mint one.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarInput {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_value: Option<bool>,
}

/// `secretFileInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SecretFileInput {
    pub name: String,
    pub content: String,
}

/// `image` of `servicePOST` / `servicePATCH`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImageBody {
    pub owner_id: String,
    pub image_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_credential_id: Option<String>,
}

/// `envSpecificDetails` of a POST or PATCH: docker fields, or native build/start commands.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvSpecificBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_credential_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_command: Option<String>,
}

/// `maintenanceMode` of a web service.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct MaintenanceBody {
    pub enabled: bool,
    pub uri: String,
}

/// `disk` of a `*DetailsPOST`, and the body of POST /disks (with `service_id`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DiskPost {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(rename = "sizeGB", skip_serializing_if = "Option::is_none")]
    pub size_gb: Option<i64>,
}

/// `diskPATCH`: only what changed.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DiskPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(rename = "sizeGB", skip_serializing_if = "Option::is_none")]
    pub size_gb: Option<i64>,
}

impl DiskPatch {
    pub fn is_empty(&self) -> bool {
        *self == DiskPatch::default()
    }
}

/// The union of the `*DetailsPOST` / `*DetailsPATCH` variants (their fields do not clash).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DetailsBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request_previews_enabled: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<Header>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<Route>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_specific_details: Option<EnvSpecificBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_deploy_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_shutdown_delay_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_mode: Option<MaintenanceBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_instances: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<Autoscaling>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk: Option<DiskPost>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previews: Option<Previews>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_subdomain_policy: Option<String>,
}

/// `servicePOST`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServicePost {
    #[serde(rename = "type")]
    pub service_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub owner_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deploy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deploy_trigger: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_filter: Option<BuildFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_vars: Option<Vec<EnvVarInput>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_files: Option<Vec<SecretFileInput>>,
    pub service_details: DetailsBody,
}

/// `servicePATCH`. Equal bodies for prior state and plan mean no PATCH is needed.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServicePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deploy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deploy_trigger: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_filter: Option<BuildFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageBody>,
    pub service_details: DetailsBody,
}

#[derive(Serialize)]
struct NameBody<'a> {
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScaleBody {
    num_instances: i64,
}

fn to_body<T: Serialize>(v: &T) -> Result<Json, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Decode(e.to_string()))
}

impl RenderClient {
    fn svc(id: &str) -> String {
        format!("/services/{}", seg(id))
    }

    /// POST /services. Not retried after an ambiguous failure: the caller looks the name up.
    pub async fn create_service(&self, body: &ServicePost) -> Result<ServiceAndDeploy, ApiError> {
        self.http
            .send(Call::post("/services", to_body(body)?))
            .await
    }

    pub async fn get_service(&self, id: &str) -> Result<Service, ApiError> {
        self.http.send(Call::get(Self::svc(id))).await
    }

    /// Services of this workspace with exactly this name.
    pub async fn find_services_by_name(&self, name: &str) -> Result<Vec<Service>, ApiError> {
        let q = [
            ("name", name.to_string()),
            ("ownerId", self.owner_id().to_string()),
        ];
        let all: Vec<Service> = self.list_all("/services", &q, "service").await?;
        Ok(all.into_iter().filter(|s| s.name == name).collect())
    }

    /// PATCH /services/{id} with a `servicePATCH`.
    pub async fn update_service(&self, id: &str, body: &ServicePatch) -> Result<Service, ApiError> {
        // A PATCH of the same fields is harmless to repeat.
        self.http
            .send(Call::patch(Self::svc(id), to_body(body)?).idempotent(true))
            .await
    }

    /// DELETE; a service already gone counts as deleted.
    pub async fn delete_service(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(Self::svc(id)))
            .await
            .gone_ok()
    }

    pub async fn list_env_vars(&self, id: &str) -> Result<Vec<(String, String)>, ApiError> {
        let vars: Vec<EnvVar> = self
            .list_all(&format!("{}/env-vars", Self::svc(id)), &[], "envVar")
            .await?;
        Ok(vars.into_iter().map(|v| (v.key, v.value)).collect())
    }

    /// PUT the whole set (`envVarInputArray`): keys not in `vars` are removed.
    pub async fn put_env_vars(&self, id: &str, vars: &[EnvVarInput]) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(
                format!("{}/env-vars", Self::svc(id)),
                to_body(&vars)?,
            ))
            .await
    }

    pub async fn list_secret_files(&self, id: &str) -> Result<Vec<(String, String)>, ApiError> {
        let files: Vec<SecretFile> = self
            .list_all(
                &format!("{}/secret-files", Self::svc(id)),
                &[],
                "secretFile",
            )
            .await?;
        Ok(files.into_iter().map(|f| (f.name, f.content)).collect())
    }

    /// PUT the whole set of secret files.
    pub async fn put_secret_files(
        &self,
        id: &str,
        files: &[SecretFileInput],
    ) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(
                format!("{}/secret-files", Self::svc(id)),
                to_body(&files)?,
            ))
            .await
    }

    pub async fn list_custom_domains(&self, id: &str) -> Result<Vec<CustomDomain>, ApiError> {
        self.list_all(
            &format!("{}/custom-domains", Self::svc(id)),
            &[],
            "customDomain",
        )
        .await
    }

    pub async fn add_custom_domain(&self, id: &str, name: &str) -> Result<(), ApiError> {
        match self
            .http
            .send_empty(Call::post(
                format!("{}/custom-domains", Self::svc(id)),
                to_body(&NameBody { name })?,
            ))
            .await
        {
            // Already attached (e.g. a retried apply): that is the state we want.
            Err(e) if e.is_conflict() => Ok(()),
            // The answer was lost: the domain may have been attached anyway. Look before failing,
            // so a retry neither fails on the conflict nor reports an attached domain as missing.
            Err(e) if e.is_ambiguous() => match self.list_custom_domains(id).await {
                Ok(domains) if domains.iter().any(|d| d.name.eq_ignore_ascii_case(name)) => Ok(()),
                _ => Err(e),
            },
            other => other,
        }
    }

    pub async fn delete_custom_domain(&self, id: &str, name: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!(
                "{}/custom-domains/{}",
                Self::svc(id),
                seg(name)
            )))
            .await
            .gone_ok()
    }

    pub async fn put_autoscaling(&self, id: &str, a: &Autoscaling) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(
                format!("{}/autoscaling", Self::svc(id)),
                to_body(a)?,
            ))
            .await
    }

    pub async fn delete_autoscaling(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!("{}/autoscaling", Self::svc(id))))
            .await
            .gone_ok()
    }

    pub async fn scale(&self, id: &str, num_instances: i64) -> Result<(), ApiError> {
        let call = Call::post(
            format!("{}/scale", Self::svc(id)),
            to_body(&ScaleBody { num_instances })?,
        )
        .idempotent(true);
        self.http.send_empty(call).await
    }

    /// POST /disks (`body.service_id` names the service).
    pub async fn add_disk(&self, body: &DiskPost) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::post("/disks", to_body(body)?))
            .await
    }

    pub async fn update_disk(&self, disk_id: &str, body: &DiskPatch) -> Result<(), ApiError> {
        self.http
            .send_empty(
                Call::patch(format!("/disks/{}", seg(disk_id)), to_body(body)?).idempotent(true),
            )
            .await
    }

    pub async fn delete_disk(&self, disk_id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!("/disks/{}", seg(disk_id))))
            .await
            .gone_ok()
    }

    pub async fn get_deploy(&self, service_id: &str, deploy_id: &str) -> Result<Deploy, ApiError> {
        self.http
            .send(Call::get(format!(
                "{}/deploys/{}",
                Self::svc(service_id),
                seg(deploy_id)
            )))
            .await
    }

    /// The newest deploy (the list is newest first), when the create answer did not name one.
    pub async fn latest_deploy(&self, service_id: &str) -> Result<Option<Deploy>, ApiError> {
        #[derive(Deserialize)]
        struct Entry {
            deploy: Option<Deploy>,
        }
        let page: Vec<Entry> = self
            .http
            .send(Call::get(format!("{}/deploys", Self::svc(service_id))).query("limit", 1))
            .await?;
        Ok(page.into_iter().find_map(|e| e.deploy))
    }

    pub async fn list_headers(&self, id: &str) -> Result<Vec<Header>, ApiError> {
        self.list_all(&format!("{}/headers", Self::svc(id)), &[], "header")
            .await
    }

    pub async fn put_headers(&self, id: &str, headers: &[Header]) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(
                format!("{}/headers", Self::svc(id)),
                to_body(&headers)?,
            ))
            .await
    }

    pub async fn list_routes(&self, id: &str) -> Result<Vec<Route>, ApiError> {
        let mut routes: Vec<Route> = self
            .list_all(&format!("{}/routes", Self::svc(id)), &[], "route")
            .await?;
        routes.sort_by_key(|r| r.priority);
        Ok(routes)
    }

    pub async fn put_routes(&self, id: &str, routes: &[Route]) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(
                format!("{}/routes", Self::svc(id)),
                to_body(&routes)?,
            ))
            .await
    }
}
