//! Vercel REST API client for projects and their environment variables: typed request and
//! response structs (the only place Vercel's wire names appear). Every call carries the team scope
//! (`teamId` for `team_…` ids, `slug` otherwise). HTTP and JSON only; must not import framework.
//! Project domains and domain configuration are in `domains.rs`, custom environments in
//! `custom_envs.rs`, deployments and promotion in `deployments.rs`.

pub mod custom_envs;
pub mod deployments;
pub mod domains;
pub mod listing;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use crate::clouds::http::{encode_segment, ApiError, Auth, Call, GoneOk, HttpClient, Secret};
use crate::stop::StopSignal;

pub const DEFAULT_BASE_URL: &str = "https://api.vercel.com";

#[derive(Clone, Debug)]
pub struct VercelClient {
    http: HttpClient,
    pub default_team: Option<String>,
}

/// A project as far as paasform reads it; everything else the API returns is ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub name: String,
    /// Unix milliseconds; tells a killed create's orphan (minutes old) from an older project.
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub framework: Option<String>,
    #[serde(default)]
    pub build_command: Option<String>,
    #[serde(default)]
    pub dev_command: Option<String>,
    #[serde(default)]
    pub install_command: Option<String>,
    #[serde(default)]
    pub output_directory: Option<String>,
    #[serde(default)]
    pub root_directory: Option<String>,
    #[serde(default)]
    pub command_for_ignoring_build_step: Option<String>,
    #[serde(default)]
    pub node_version: Option<String>,
    #[serde(default)]
    pub serverless_function_region: Option<String>,
    #[serde(default)]
    pub public_source: Option<bool>,
    #[serde(default)]
    pub auto_expose_system_envs: Option<bool>,
    #[serde(default)]
    pub preview_deployments_disabled: Option<bool>,
    #[serde(default)]
    pub link: Option<Json>,
    #[serde(default)]
    pub auto_assign_custom_domains: Option<bool>,
    #[serde(default)]
    pub directory_listing: Option<bool>,
    #[serde(default)]
    pub git_fork_protection: Option<bool>,
    /// Vercel Authentication (`ssoProtection`); null when off.
    #[serde(default)]
    pub sso_protection: Option<Protection>,
    /// Password protection; the API never returns the password.
    #[serde(default)]
    pub password_protection: Option<Protection>,
    #[serde(default)]
    pub trusted_ips: Option<TrustedIps>,
    #[serde(default)]
    pub options_allowlist: Option<OptionsAllowlist>,
    #[serde(default)]
    pub resource_config: Option<ResourceConfig>,
    /// Skew Protection's window in seconds (0: off).
    #[serde(default)]
    pub skew_protection_max_age: Option<i64>,
    #[serde(default, rename = "gitLFS")]
    pub git_lfs: Option<bool>,
    #[serde(default)]
    pub serverless_function_zero_config_failover: Option<bool>,
    #[serde(default)]
    pub oidc_token_config: Option<OidcTokenConfig>,
    #[serde(default)]
    pub customer_support_code_visibility: Option<bool>,
    #[serde(default)]
    pub enable_preview_feedback: Option<bool>,
    #[serde(default)]
    pub enable_production_feedback: Option<bool>,
    #[serde(default)]
    pub enable_affected_projects_deployments: Option<bool>,
}

/// `resourceConfig`: the defaults for the project's Vercel Functions. Sent with only the fields
/// paasform manages; the API answers with more (ignored).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourceConfig {
    /// `standard_legacy`, `standard` or `performance` (the dashboard's CPU type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_default_memory_type: Option<String>,
    /// Seconds; the spec types it as a number, so an answer may carry a fraction.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole_seconds"
    )]
    pub function_default_timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fluid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_default_regions: Option<Vec<String>>,
    /// `enhanced` or `turbo`; absent for the standard machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_machine_type: Option<String>,
}

/// `oidcTokenConfig`: who issues the OpenID Connect tokens the project's deployments get
/// (`team` or `global`). `enabled` is deprecated in the spec: it is read, never sent.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OidcTokenConfig {
    #[serde(default, skip_serializing)]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_mode: Option<String>,
}

impl ResourceConfig {
    pub fn is_empty(&self) -> bool {
        *self == ResourceConfig::default()
    }
}

fn whole_seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Option::<f64>::deserialize(d)?;
    // Whole seconds fit an i64 many times over (the API's maximum is 900).
    Ok(v.map(|f| f.round() as i64))
}

/// A deployment protection's scope (`ssoProtection`, `passwordProtection` as answered).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Protection {
    #[serde(default)]
    pub deployment_type: String,
}

/// updateProject's `passwordProtection`: the password only when it is (re)set.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PasswordProtection {
    pub deployment_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `trustedIps`: who may reach deployments by address.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TrustedIps {
    #[serde(default)]
    pub deployment_type: String,
    #[serde(default)]
    pub addresses: Vec<TrustedIp>,
    #[serde(default)]
    pub protection_mode: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TrustedIp {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `optionsAllowlist`: paths whose CORS preflight (`OPTIONS`) requests skip protection.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OptionsAllowlist {
    #[serde(default)]
    pub paths: Vec<PathValue>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PathValue {
    pub value: String,
}

impl Project {
    /// `(type, "owner/repo", production branch)` from the project's git link, whatever the provider.
    pub fn git(&self) -> Option<(String, String, Option<String>)> {
        let link = self.link.as_ref()?;
        let s = |k: &str| link.get(k).and_then(Json::as_str).map(str::to_string);
        let kind = s("type")?;
        let repo = match kind.as_str() {
            "gitlab" => format!("{}/{}", s("projectNamespace")?, s("projectName")?),
            "bitbucket" => format!("{}/{}", s("owner")?, s("slug")?),
            _ => match (s("org"), s("repo")) {
                (Some(org), Some(repo)) if !repo.contains('/') => format!("{org}/{repo}"),
                (_, Some(repo)) => repo,
                _ => return None,
            },
        };
        Some((kind, repo, s("productionBranch")))
    }
}

/// A Git link: `gitRepository` of createProject, and the body of the link call.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GitLink {
    #[serde(rename = "type")]
    pub kind: String,
    pub repo: String,
}

/// createProject's body: only the settings the configuration sets are sent.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateProjectRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_directory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_for_ignoring_build_step: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serverless_function_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_source: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_deployments_disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_protection: Option<Option<Protection>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_repository: Option<GitLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_config: Option<ResourceConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_token_config: Option<OidcTokenConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_preview_feedback: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_production_feedback: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_affected_projects_deployments: Option<bool>,
}

/// updateProject's body: `None` leaves a setting alone, `Some(None)` clears it (JSON null).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProjectRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_directory: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_command: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev_command: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_for_ignoring_build_step: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serverless_function_region: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_version: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_source: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_deployments_disabled: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_expose_system_envs: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_assign_custom_domains: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory_listing: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_fork_protection: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_protection: Option<Option<Protection>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_protection: Option<Option<PasswordProtection>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_ips: Option<Option<TrustedIps>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options_allowlist: Option<Option<OptionsAllowlist>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_config: Option<ResourceConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew_protection_max_age: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "gitLFS")]
    pub git_lfs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serverless_function_zero_config_failover: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_token_config: Option<OidcTokenConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_support_code_visibility: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_preview_feedback: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_production_feedback: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_affected_projects_deployments: Option<bool>,
}

impl UpdateProjectRequest {
    /// Nothing to send: the update call is skipped.
    pub fn is_empty(&self) -> bool {
        *self == UpdateProjectRequest::default()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    #[serde(default, skip_serializing)]
    pub id: Option<String>,
    pub key: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub target: Vec<String>,
    /// Custom environments (ids) the variable applies to, besides or instead of `target`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_environment_ids: Vec<String>,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Json::deserialize(d)?;
    Ok(match v {
        Json::String(s) => vec![s],
        Json::Array(a) => a
            .into_iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    })
}

/// A request struct as the JSON body of a call.
fn body<T: Serialize>(req: &T) -> Result<Json, ApiError> {
    serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Vercel's error body: `{"error": {"code", "message"}}`.
fn vercel_error_message(j: &Json) -> Option<String> {
    let e = j.get("error")?;
    let msg = e.get("message").and_then(Json::as_str)?;
    Some(match e.get("code").and_then(Json::as_str) {
        Some(c) => format!("{msg} ({c})"),
        None => msg.to_string(),
    })
}

impl VercelClient {
    pub fn new(
        base_url: &str,
        token: Secret,
        default_team: Option<String>,
        stop: StopSignal,
    ) -> Result<Self, ApiError> {
        let http = HttpClient::new(
            "Vercel",
            base_url,
            Auth::Bearer(token),
            vercel_error_message,
            stop,
        )?;
        Ok(VercelClient { http, default_team })
    }

    fn scoped<'a>(&self, call: Call<'a>, team: Option<&str>) -> Call<'a> {
        match team.or(self.default_team.as_deref()) {
            Some(t) if t.starts_with("team_") => call.query("teamId", t),
            Some(t) if !t.is_empty() => call.query("slug", t),
            _ => call,
        }
    }

    pub async fn create_project(
        &self,
        team: Option<&str>,
        req: &CreateProjectRequest,
    ) -> Result<Project, ApiError> {
        self.http
            .send(self.scoped(Call::post("/v11/projects", body(req)?), team))
            .await
    }

    pub async fn get_project(
        &self,
        team: Option<&str>,
        id_or_name: &str,
    ) -> Result<Project, ApiError> {
        self.http
            .send(self.scoped(
                Call::get(format!("/v9/projects/{}", encode_segment(id_or_name))),
                team,
            ))
            .await
    }

    pub async fn update_project(
        &self,
        team: Option<&str>,
        id: &str,
        req: &UpdateProjectRequest,
    ) -> Result<Project, ApiError> {
        let call = Call::patch(format!("/v9/projects/{}", encode_segment(id)), body(req)?)
            .idempotent(true);
        self.http.send(self.scoped(call, team)).await
    }

    /// Connect a Git repository to a project that has none (in place; the project keeps its id,
    /// deployments and domains).
    pub async fn link_git(
        &self,
        team: Option<&str>,
        id: &str,
        link: &GitLink,
    ) -> Result<Project, ApiError> {
        let call = Call::post(
            format!("/v9/projects/{}/link", encode_segment(id)),
            body(link)?,
        );
        self.http.send(self.scoped(call, team)).await
    }

    /// Disconnect a project's Git repository (the project stays).
    pub async fn unlink_git(&self, team: Option<&str>, id: &str) -> Result<Project, ApiError> {
        let call = Call::delete(format!("/v9/projects/{}/link", encode_segment(id)));
        self.http.send(self.scoped(call, team)).await
    }

    /// Delete a project; one already gone counts as deleted.
    pub async fn delete_project(&self, team: Option<&str>, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(self.scoped(
                Call::delete(format!("/v9/projects/{}", encode_segment(id))),
                team,
            ))
            .await
            .gone_ok()
    }

    /// All env vars of a project, values decrypted where the API allows (never for `sensitive`).
    pub async fn list_env(&self, team: Option<&str>, id: &str) -> Result<Vec<EnvVar>, ApiError> {
        let call =
            Call::get(format!("/v10/projects/{}/env", encode_segment(id))).query("decrypt", "true");
        let j: Json = self.http.send(self.scoped(call, team)).await?;
        let list = match &j {
            Json::Array(_) => j.clone(),
            Json::Object(m) if m.contains_key("envs") => m["envs"].clone(),
            Json::Object(_) => Json::Array(vec![j.clone()]),
            _ => Json::Array(Vec::new()),
        };
        serde_json::from_value(list).map_err(|e| ApiError::Decode(format!("Vercel env list: {e}")))
    }

    /// Create (or upsert) several env vars in one call; the answer's `created` (one object or an
    /// array) gives their ids.
    pub async fn create_env(
        &self,
        team: Option<&str>,
        id: &str,
        vars: &[EnvVar],
    ) -> Result<Vec<EnvVar>, ApiError> {
        let call = Call::post(
            format!("/v10/projects/{}/env", encode_segment(id)),
            json!(vars),
        )
        .query("upsert", "true")
        .idempotent(true);
        let j: Json = self.http.send(self.scoped(call, team)).await?;
        let created = match j.get("created") {
            Some(Json::Array(a)) => Json::Array(a.clone()),
            Some(one @ Json::Object(_)) => Json::Array(vec![one.clone()]),
            _ => Json::Array(Vec::new()),
        };
        serde_json::from_value(created)
            .map_err(|e| ApiError::Decode(format!("Vercel created env vars: {e}")))
    }

    pub async fn edit_env(
        &self,
        team: Option<&str>,
        id: &str,
        env_id: &str,
        var: &EnvVar,
    ) -> Result<(), ApiError> {
        let call = Call::patch(
            format!(
                "/v9/projects/{}/env/{}",
                encode_segment(id),
                encode_segment(env_id)
            ),
            body(var)?,
        )
        .idempotent(true);
        self.http.send_empty(self.scoped(call, team)).await
    }

    /// Remove several env vars in one call.
    pub async fn delete_envs(
        &self,
        team: Option<&str>,
        id: &str,
        env_ids: &[String],
    ) -> Result<(), ApiError> {
        if env_ids.is_empty() {
            return Ok(());
        }
        let call = Call::delete(format!("/v1/projects/{}/env", encode_segment(id)))
            .json(json!({"ids": env_ids}));
        self.http
            .send_empty(self.scoped(call, team))
            .await
            .gone_ok()
    }
}
