//! Render services and what hangs off them: env vars (one PUT replaces the set), secret files,
//! custom domains, autoscaling, disks, scale, deploys, static-site headers and routes.
//! Shapes follow render.openapi.json (`service`, `servicePOST`, `servicePATCH`, …). HTTP/JSON only.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use super::{gone_ok, seg, RenderClient};
use crate::clouds::http::{ApiError, Call};

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

fn to_body<T: Serialize>(v: &T) -> Result<Json, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Decode(e.to_string()))
}

impl RenderClient {
    fn svc(id: &str) -> String {
        format!("/services/{}", seg(id))
    }

    /// POST /services. Not retried after an ambiguous failure: the caller looks the name up.
    pub async fn create_service(&self, body: Json) -> Result<ServiceAndDeploy, ApiError> {
        self.http.send(Call::post("/services", body)).await
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

    pub async fn update_service(&self, id: &str, body: Json) -> Result<Service, ApiError> {
        // A PATCH of the same fields is harmless to repeat.
        self.http
            .send(Call::patch(Self::svc(id), body).idempotent(true))
            .await
    }

    /// DELETE; a service already gone counts as deleted.
    pub async fn delete_service(&self, id: &str) -> Result<(), ApiError> {
        gone_ok(self.http.send_empty(Call::delete(Self::svc(id))).await)
    }

    pub async fn list_env_vars(&self, id: &str) -> Result<Vec<(String, String)>, ApiError> {
        let vars: Vec<EnvVar> = self
            .list_all(&format!("{}/env-vars", Self::svc(id)), &[], "envVar")
            .await?;
        Ok(vars.into_iter().map(|v| (v.key, v.value)).collect())
    }

    /// PUT the whole set (`envVarInputArray`): keys not in `vars` are removed.
    pub async fn put_env_vars(&self, id: &str, vars: Json) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::put(format!("{}/env-vars", Self::svc(id)), vars))
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
        files: &[(String, String)],
    ) -> Result<(), ApiError> {
        let body: Vec<Json> = files
            .iter()
            .map(|(n, c)| json!({"name": n, "content": c}))
            .collect();
        self.http
            .send_empty(Call::put(
                format!("{}/secret-files", Self::svc(id)),
                Json::Array(body),
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
                json!({"name": name}),
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
        gone_ok(
            self.http
                .send_empty(Call::delete(format!(
                    "{}/custom-domains/{}",
                    Self::svc(id),
                    seg(name)
                )))
                .await,
        )
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
        gone_ok(
            self.http
                .send_empty(Call::delete(format!("{}/autoscaling", Self::svc(id))))
                .await,
        )
    }

    pub async fn scale(&self, id: &str, num_instances: i64) -> Result<(), ApiError> {
        let call = Call::post(
            format!("{}/scale", Self::svc(id)),
            json!({"numInstances": num_instances}),
        )
        .idempotent(true);
        self.http.send_empty(call).await
    }

    pub async fn add_disk(
        &self,
        service_id: &str,
        name: &str,
        mount_path: &str,
        size_gb: i64,
    ) -> Result<(), ApiError> {
        let body = json!({"serviceId": service_id, "name": name, "mountPath": mount_path, "sizeGB": size_gb});
        self.http.send_empty(Call::post("/disks", body)).await
    }

    pub async fn update_disk(&self, disk_id: &str, body: Json) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::patch(format!("/disks/{}", seg(disk_id)), body).idempotent(true))
            .await
    }

    pub async fn delete_disk(&self, disk_id: &str) -> Result<(), ApiError> {
        gone_ok(
            self.http
                .send_empty(Call::delete(format!("/disks/{}", seg(disk_id))))
                .await,
        )
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
