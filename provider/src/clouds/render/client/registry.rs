//! Render registry credentials (`/registrycredentials`): shapes from render.openapi.json
//! (`registryCredential`, the POST and PATCH bodies). The token goes out in request bodies only;
//! answers never carry it. HTTP/JSON only; no wire name leaves this module.

use serde::{Deserialize, Serialize};

use super::{seg, RenderClient};
use crate::clouds::http::{ApiError, Call, GoneOk};

/// The spec's `registryCredential` (no token).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegistryCredential {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub registry: String,
    #[serde(default)]
    pub username: String,
    pub updated_at: Option<String>,
}

/// The POST body (with `owner_id`) and the PATCH body (without it: the spec's PATCH requires
/// the other four fields, so every update sends the token again).
#[derive(Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegistryCredentialRequest {
    pub name: String,
    pub registry: String,
    pub username: String,
    pub auth_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// The token stays out of `Debug` output (a logged request must not carry it).
impl std::fmt::Debug for RegistryCredentialRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryCredentialRequest")
            .field("name", &self.name)
            .field("registry", &self.registry)
            .field("username", &self.username)
            .field("auth_token", &"<redacted>")
            .finish()
    }
}

fn body(b: &RegistryCredentialRequest) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(b).map_err(|e| ApiError::Api {
        status: 0,
        message: format!("Render registry credential body: {e}"),
    })
}

impl RenderClient {
    fn credential_path(id: &str) -> String {
        format!("/registrycredentials/{}", seg(id))
    }

    /// POST (not retried after an ambiguous failure: the caller looks the name up).
    pub async fn create_registry_credential(
        &self,
        req: &RegistryCredentialRequest,
    ) -> Result<RegistryCredential, ApiError> {
        self.http
            .send(Call::post("/registrycredentials", body(req)?))
            .await
    }

    pub async fn get_registry_credential(&self, id: &str) -> Result<RegistryCredential, ApiError> {
        self.http.send(Call::get(Self::credential_path(id))).await
    }

    /// This workspace's credentials named exactly `name` (the list is a bare array).
    pub async fn find_registry_credentials(
        &self,
        name: &str,
    ) -> Result<Vec<RegistryCredential>, ApiError> {
        let all: Vec<RegistryCredential> = self
            .http
            .send(
                Call::get("/registrycredentials")
                    .query("name", name)
                    .query("ownerId", self.owner_id())
                    .query("limit", super::PAGE_LIMIT),
            )
            .await?;
        Ok(all.into_iter().filter(|c| c.name == name).collect())
    }

    /// PATCH with every field (the same body is harmless to repeat).
    pub async fn update_registry_credential(
        &self,
        id: &str,
        req: &RegistryCredentialRequest,
    ) -> Result<RegistryCredential, ApiError> {
        self.http
            .send(Call::patch(Self::credential_path(id), body(req)?).idempotent(true))
            .await
    }

    /// DELETE; a credential already gone counts as deleted.
    pub async fn delete_registry_credential(&self, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(Self::credential_path(id)))
            .await
            .gone_ok()
    }
}
