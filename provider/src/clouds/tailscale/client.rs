//! Tailscale API v2 client for tailnet keys (and the OAuth client-credentials exchange).
//! HTTP and JSON only: no Terraform types. Shapes follow Tailscale's OpenAPI spec.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clouds::http::{common_error_message, ApiError, Auth, Call, HttpClient, Secret};
use crate::stop::StopSignal;

pub const DEFAULT_BASE_URL: &str = "https://api.tailscale.com";

#[derive(Clone, Debug)]
pub struct TailscaleClient {
    http: HttpClient,
    tailnet: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateOptions {
    pub reusable: bool,
    pub ephemeral: bool,
    pub preauthorized: bool,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateKeyRequest {
    pub key_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_seconds: Option<i64>,
    pub capabilities: serde_json::Value,
}

impl CreateKeyRequest {
    pub fn auth_key(
        opts: &CreateOptions,
        description: Option<String>,
        expiry_seconds: Option<i64>,
    ) -> Self {
        CreateKeyRequest {
            key_type: "auth",
            description,
            expiry_seconds,
            capabilities: json!({"devices": {"create": {
                "reusable": opts.reusable,
                "ephemeral": opts.ephemeral,
                "preauthorized": opts.preauthorized,
                "tags": opts.tags,
            }}}),
        }
    }
}

/// A key as the API reports it. `key` (the secret) is only present in the create response.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Key {
    pub id: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub revoked: Option<String>,
    #[serde(default)]
    pub invalid: bool,
    #[serde(default)]
    pub expiry_seconds: Option<i64>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Capabilities {
    #[serde(default)]
    pub devices: Option<DeviceCapabilities>,
}
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DeviceCapabilities {
    #[serde(default)]
    pub create: Option<CreateOptions>,
}

impl Key {
    pub fn create_options(&self) -> CreateOptions {
        self.capabilities
            .as_ref()
            .and_then(|c| c.devices.as_ref())
            .and_then(|d| d.create.clone())
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
}

impl TailscaleClient {
    pub fn new(
        base_url: &str,
        auth: Auth,
        tailnet: &str,
        stop: StopSignal,
    ) -> Result<Self, ApiError> {
        let http = HttpClient::new(
            "Tailscale",
            &format!("{}/api/v2", base_url.trim_end_matches('/')),
            auth,
            common_error_message,
            stop,
        )?;
        Ok(TailscaleClient {
            http,
            tailnet: tailnet.to_string(),
        })
    }

    /// Exchange OAuth client credentials for an access token (client-credentials grant).
    pub async fn oauth_token(
        base_url: &str,
        client_id: &str,
        client_secret: &Secret,
        stop: StopSignal,
    ) -> Result<Secret, ApiError> {
        let http = HttpClient::new(
            "Tailscale",
            &format!("{}/api/v2", base_url.trim_end_matches('/')),
            Auth::None,
            common_error_message,
            stop,
        )?;
        let mut call = Call::new(reqwest::Method::POST, "/oauth/token").idempotent(true);
        call.form = Some(vec![
            ("client_id".into(), client_id.to_string()),
            ("client_secret".into(), client_secret.expose().to_string()),
            ("grant_type".into(), "client_credentials".into()),
        ]);
        let t: TokenResponse = http.send(call).await?;
        Ok(Secret::new(t.access_token))
    }

    fn keys_path(&self) -> String {
        format!("/tailnet/{}/keys", urlencode(&self.tailnet))
    }

    pub async fn create_key(&self, req: &CreateKeyRequest) -> Result<Key, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.http.send(Call::post(self.keys_path(), body)).await
    }

    pub async fn get_key(&self, id: &str) -> Result<Key, ApiError> {
        self.http
            .send(Call::get(format!("{}/{}", self.keys_path(), urlencode(id))))
            .await
    }

    pub async fn list_key_ids(&self) -> Result<Vec<String>, ApiError> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default)]
            keys: Vec<Key>,
        }
        let l: List = self.http.send(Call::get(self.keys_path())).await?;
        Ok(l.keys.into_iter().map(|k| k.id).collect())
    }

    /// Delete (revoke) a key; a key already gone counts as deleted.
    pub async fn delete_key(&self, id: &str) -> Result<(), ApiError> {
        match self
            .http
            .send_empty(Call::delete(format!(
                "{}/{}",
                self.keys_path(),
                urlencode(id)
            )))
            .await
        {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }
}

/// Percent-encode a path segment (kept here as the name other modules already use).
pub fn urlencode(s: &str) -> String {
    crate::clouds::http::encode_segment(s)
}
