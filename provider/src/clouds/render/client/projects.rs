//! Render projects (`/projects`), their environments (`/environments`, with the resources-in-
//! environment endpoints) and env groups (`/env-groups`, their variables, secret files and service
//! links). Shapes follow render.openapi.json (`project`, `environment`, `envGroup`, …); request
//! bodies are typed; no wire name leaves this module. HTTP/JSON only.

use serde::{Deserialize, Serialize};

use super::{seg, RenderClient, PAGE_LIMIT};
use crate::clouds::http::{ApiError, Call, GoneOk};

/// The spec's `project`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub created_at: Option<String>,
    #[serde(default)]
    pub environment_ids: Vec<String>,
}

/// The spec's `environment`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub protected_status: String,
    #[serde(default)]
    pub network_isolation_enabled: bool,
    #[serde(default)]
    pub service_ids: Vec<String>,
    #[serde(default)]
    pub databases_ids: Vec<String>,
    #[serde(default)]
    pub redis_ids: Vec<String>,
    #[serde(default)]
    pub env_group_ids: Vec<String>,
}

impl Environment {
    /// Every resource the environment holds.
    pub fn resource_ids(&self) -> Vec<&str> {
        self.service_ids
            .iter()
            .chain(&self.databases_ids)
            .chain(&self.redis_ids)
            .chain(&self.env_group_ids)
            .map(String::as_str)
            .collect()
    }
}

/// One environment of `projectPOSTInput.environments`, or an `environmentPOSTInput` /
/// `environmentPATCHInput` (`project_id` only on a standalone create).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_isolation_enabled: Option<bool>,
}

/// `projectPOSTInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateProjectRequest {
    pub name: String,
    pub owner_id: String,
    pub environments: Vec<EnvironmentInput>,
}

/// `projectPATCHInput`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProjectRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceIds<'a> {
    resource_ids: &'a [String],
}

/// One `{key, value}` of an env group (answers only).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct GroupVar {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

/// One `{name, content}` secret file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct GroupFile {
    pub name: String,
    #[serde(default)]
    pub content: String,
}

/// One entry of `serviceLinks`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ServiceLink {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// The spec's `envGroup` (`envGroupMeta` in lists: no variables or files).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub environment_id: Option<String>,
    #[serde(default)]
    pub service_links: Vec<ServiceLink>,
    #[serde(default)]
    pub env_vars: Vec<GroupVar>,
    #[serde(default)]
    pub secret_files: Vec<GroupFile>,
}

/// A variable to set: a value, or `generate_value` (Render makes a random one).
#[derive(Clone, Debug, PartialEq)]
pub enum VarInput {
    Value(String),
    Generate,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VarBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generate_value: Option<bool>,
}

impl VarInput {
    fn body<'a>(&'a self, key: Option<&'a str>) -> VarBody<'a> {
        match self {
            VarInput::Value(v) => VarBody {
                key,
                value: Some(v),
                generate_value: None,
            },
            VarInput::Generate => VarBody {
                key,
                value: None,
                generate_value: Some(true),
            },
        }
    }
}

/// `envGroupPOSTInput`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateEnvGroupRequest {
    pub name: String,
    pub owner_id: String,
    pub environment_id: Option<String>,
    pub env_vars: Vec<(String, VarInput)>,
    pub secret_files: Vec<GroupFile>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateEnvGroupBody<'a> {
    name: &'a str,
    owner_id: &'a str,
    env_vars: Vec<VarBody<'a>>,
    secret_files: &'a [GroupFile],
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_id: Option<&'a str>,
}

#[derive(Serialize)]
struct NameBody<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct ContentBody<'a> {
    content: &'a str,
}

/// Not sent, so not ambiguous: a body that cannot be encoded is a plain failure.
pub(super) fn body<T: Serialize>(what: &str, b: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(b).map_err(|e| ApiError::Api {
        status: 0,
        message: format!("Render {what} body: {e}"),
    })
}

impl RenderClient {
    // Projects.

    /// POST (not retried after an ambiguous failure: the caller looks the name up).
    pub async fn create_project(&self, req: &CreateProjectRequest) -> Result<Project, ApiError> {
        self.http
            .send(Call::post("/projects", body("project", req)?))
            .await
    }

    pub async fn get_project(&self, id: &str) -> Result<Project, ApiError> {
        self.http
            .send(Call::get(format!("/projects/{}", seg(id))))
            .await
    }

    /// The workspace's projects named `name`.
    pub async fn find_projects_by_name(&self, name: &str) -> Result<Vec<Project>, ApiError> {
        let q = [
            ("name", name.to_string()),
            ("ownerId", self.owner_id().to_string()),
        ];
        let all: Vec<Project> = self.list_all("/projects", &q, "project").await?;
        Ok(all.into_iter().filter(|p| p.name == name).collect())
    }

    pub async fn update_project(
        &self,
        id: &str,
        req: &UpdateProjectRequest,
    ) -> Result<Project, ApiError> {
        let call = Call::patch(format!("/projects/{}", seg(id)), body("project", req)?);
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE; a project already gone counts as deleted.
    pub async fn delete_project(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!("/projects/{}", seg(id))))
            .await
            .gone_ok()
    }

    // Environments.

    /// Every environment of a project.
    pub async fn list_environments(&self, project_id: &str) -> Result<Vec<Environment>, ApiError> {
        let q = [("projectId", project_id.to_string())];
        self.list_all("/environments", &q, "environment").await
    }

    pub async fn get_environment(&self, id: &str) -> Result<Environment, ApiError> {
        self.http
            .send(Call::get(format!("/environments/{}", seg(id))))
            .await
    }

    pub async fn create_environment(
        &self,
        req: &EnvironmentInput,
    ) -> Result<Environment, ApiError> {
        self.http
            .send(Call::post("/environments", body("environment", req)?))
            .await
    }

    pub async fn update_environment(
        &self,
        id: &str,
        req: &EnvironmentInput,
    ) -> Result<Environment, ApiError> {
        let call = Call::patch(
            format!("/environments/{}", seg(id)),
            body("environment", req)?,
        );
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE; an environment already gone counts as deleted.
    pub async fn delete_environment(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!("/environments/{}", seg(id))))
            .await
            .gone_ok()
    }

    /// Move resources (services, Postgres, Key Value, env groups) into an environment.
    pub async fn add_to_environment(
        &self,
        environment_id: &str,
        resource_ids: &[String],
    ) -> Result<Environment, ApiError> {
        let call = Call::post(
            format!("/environments/{}/resources", seg(environment_id)),
            body("environment resources", &ResourceIds { resource_ids })?,
        );
        self.http.send(call.idempotent(true)).await
    }

    /// Take resources out of an environment.
    pub async fn remove_from_environment(
        &self,
        environment_id: &str,
        resource_ids: &[String],
    ) -> Result<(), ApiError> {
        let call = Call::delete(format!("/environments/{}/resources", seg(environment_id)))
            .query("resourceIds", resource_ids.join(","));
        self.http.send_empty(call).await
    }

    /// Move one resource (service, Postgres, Key Value, env group) between environments in place:
    /// into `to` (from wherever it is), or out of `from` when `to` is `None`. No call when both
    /// are `None` or equal. Never a delete and re-create: the resource keeps its id.
    pub async fn move_to_environment(
        &self,
        resource_id: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(), ApiError> {
        let ids = [resource_id.to_string()];
        match (from, to) {
            (_, Some(to)) if from != Some(to) => self.add_to_environment(to, &ids).await.map(drop),
            (Some(from), None) => self.remove_from_environment(from, &ids).await,
            _ => Ok(()),
        }
    }

    // Env groups.

    pub async fn create_env_group(
        &self,
        req: &CreateEnvGroupRequest,
    ) -> Result<EnvGroup, ApiError> {
        let b = CreateEnvGroupBody {
            name: &req.name,
            owner_id: &req.owner_id,
            env_vars: req.env_vars.iter().map(|(k, v)| v.body(Some(k))).collect(),
            secret_files: &req.secret_files,
            environment_id: req.environment_id.as_deref(),
        };
        let mut call = Call::post("/env-groups", body("env group", &b)?);
        for (_, v) in &req.env_vars {
            if let VarInput::Value(v) = v {
                call = call.secret(v.as_str());
            }
        }
        for f in &req.secret_files {
            call = call.secret(f.content.as_str());
        }
        self.http.send(call).await
    }

    pub async fn get_env_group(&self, id: &str) -> Result<EnvGroup, ApiError> {
        self.http
            .send(Call::get(format!("/env-groups/{}", seg(id))))
            .await
    }

    /// The workspace's env groups named `name` (list entries carry no variables). The list
    /// answers bare objects (no cursor wrapper): the next page starts after the last id.
    pub async fn find_env_groups_by_name(&self, name: &str) -> Result<Vec<EnvGroup>, ApiError> {
        let mut out: Vec<EnvGroup> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut call = Call::get("/env-groups")
                .query("limit", PAGE_LIMIT)
                .query("name", name)
                .query("ownerId", self.owner_id());
            if let Some(c) = &cursor {
                call = call.query("cursor", c);
            }
            let page: Vec<EnvGroup> = self.http.send(call).await?;
            let n = page.len();
            let next = page.last().map(|g| g.id.clone());
            out.extend(page);
            if n < PAGE_LIMIT || next.is_none() || next == cursor {
                return Ok(out.into_iter().filter(|g| g.name == name).collect());
            }
            cursor = next;
        }
    }

    pub async fn rename_env_group(&self, id: &str, name: &str) -> Result<EnvGroup, ApiError> {
        let call = Call::patch(
            format!("/env-groups/{}", seg(id)),
            body("env group", &NameBody { name })?,
        );
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE; an env group already gone counts as deleted.
    pub async fn delete_env_group(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!("/env-groups/{}", seg(id))))
            .await
            .gone_ok()
    }

    pub async fn put_env_group_var(
        &self,
        id: &str,
        key: &str,
        value: &VarInput,
    ) -> Result<EnvGroup, ApiError> {
        let call = Call::put(
            format!("/env-groups/{}/env-vars/{}", seg(id), seg(key)),
            body("env var", &value.body(None))?,
        );
        let call = match value {
            VarInput::Value(v) => call.secret(v.as_str()),
            VarInput::Generate => call,
        };
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE one variable; one already gone counts as deleted.
    pub async fn delete_env_group_var(&self, id: &str, key: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!(
                "/env-groups/{}/env-vars/{}",
                seg(id),
                seg(key)
            )))
            .await
            .gone_ok()
    }

    pub async fn put_env_group_file(
        &self,
        id: &str,
        name: &str,
        content: &str,
    ) -> Result<EnvGroup, ApiError> {
        let call = Call::put(
            format!("/env-groups/{}/secret-files/{}", seg(id), seg(name)),
            body("secret file", &ContentBody { content })?,
        )
        .secret(content);
        self.http.send(call.idempotent(true)).await
    }

    /// DELETE one secret file; one already gone counts as deleted.
    pub async fn delete_env_group_file(&self, id: &str, name: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!(
                "/env-groups/{}/secret-files/{}",
                seg(id),
                seg(name)
            )))
            .await
            .gone_ok()
    }

    /// Link a service to an env group (linking twice is harmless, so retried).
    pub async fn link_env_group(&self, id: &str, service_id: &str) -> Result<EnvGroup, ApiError> {
        let call = Call::new(
            reqwest::Method::POST,
            format!("/env-groups/{}/services/{}", seg(id), seg(service_id)),
        );
        self.http.send(call.idempotent(true)).await
    }

    /// Unlink; a link already gone counts as removed.
    pub async fn unlink_env_group(&self, id: &str, service_id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(format!(
                "/env-groups/{}/services/{}",
                seg(id),
                seg(service_id)
            )))
            .await
            .gone_ok()
    }

    /// Workspaces matching a name or an email (`GET /owners?name=…` / `?email=…`).
    pub async fn find_owners(
        &self,
        name: Option<&str>,
        email: Option<&str>,
    ) -> Result<Vec<super::Owner>, ApiError> {
        let mut q = Vec::new();
        if let Some(n) = name {
            q.push(("name", n.to_string()));
        }
        if let Some(e) = email {
            q.push(("email", e.to_string()));
        }
        let all: Vec<super::Owner> = self.list_all("/owners", &q, "owner").await?;
        Ok(all
            .into_iter()
            .filter(|o| name.is_none_or(|n| o.name == n) && email.is_none_or(|e| o.email == e))
            .collect())
    }
}
