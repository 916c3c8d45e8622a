//! Tailscale API v2 client for tailnet keys, devices, the policy file and DNS preferences (and the
//! OAuth client-credentials exchange).
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

    /// The tailnet's valid keys as the list reports them.
    pub async fn list_keys(&self) -> Result<Vec<Key>, ApiError> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default)]
            keys: Vec<Key>,
        }
        // `all=true`: every key with its details (description, capabilities, created).
        let l: List = self
            .http
            .send(Call::get(self.keys_path()).query("all", "true"))
            .await?;
        Ok(l.keys)
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

/// A device as the API reports it (`fields=all`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// The legacy numeric id.
    #[serde(default)]
    pub id: String,
    pub node_id: String,
    /// The MagicDNS name (`host.tailnet.ts.net`).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub hostname: String,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub authorized: bool,
    #[serde(default)]
    pub key_expiry_disabled: bool,
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub blocks_incoming_connections: bool,
}

/// A policy file as read or written: its JSON form (canonical text) and the ETag naming this
/// version (sent back as `If-Match`).
#[derive(Clone, Debug)]
pub struct PolicyFile {
    pub json: String,
    pub etag: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DnsPreferences {
    #[serde(rename = "magicDNS")]
    pub magic_dns: bool,
}

#[derive(Serialize)]
struct Authorized {
    authorized: bool,
}

#[derive(Serialize)]
struct Tags<'a> {
    tags: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyExpiry {
    key_expiry_disabled: bool,
}

impl TailscaleClient {
    fn tailnet_path(&self, rest: &str) -> String {
        format!("/tailnet/{}/{rest}", urlencode(&self.tailnet))
    }

    pub async fn list_devices(&self) -> Result<Vec<Device>, ApiError> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default)]
            devices: Vec<Device>,
        }
        let call = Call::get(self.tailnet_path("devices")).query("fields", "all");
        let l: List = self.http.send(call).await?;
        Ok(l.devices)
    }

    pub async fn get_device(&self, id: &str) -> Result<Device, ApiError> {
        let call = Call::get(format!("/device/{}", urlencode(id))).query("fields", "all");
        self.http.send(call).await
    }

    async fn post_device(
        &self,
        id: &str,
        what: &str,
        body: impl Serialize,
    ) -> Result<(), ApiError> {
        let body = serde_json::to_value(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        // Setting a value is idempotent: a lost answer may be sent again.
        let call = Call::post(format!("/device/{}/{what}", urlencode(id)), body).idempotent(true);
        self.http.send_empty(call).await
    }

    pub async fn set_device_authorized(&self, id: &str, authorized: bool) -> Result<(), ApiError> {
        self.post_device(id, "authorized", Authorized { authorized })
            .await
    }

    pub async fn set_device_tags(&self, id: &str, tags: &[String]) -> Result<(), ApiError> {
        self.post_device(id, "tags", Tags { tags }).await
    }

    pub async fn set_device_key_expiry_disabled(
        &self,
        id: &str,
        disabled: bool,
    ) -> Result<(), ApiError> {
        self.post_device(
            id,
            "key",
            KeyExpiry {
                key_expiry_disabled: disabled,
            },
        )
        .await
    }

    /// The policy file in its JSON form, with its ETag.
    pub async fn get_policy(&self) -> Result<PolicyFile, ApiError> {
        let call = Call::get(self.tailnet_path("acl")).header("accept", "application/json");
        let (v, etag): (serde_json::Value, _) = self.http.send_keeping_header(call, "etag").await?;
        Ok(PolicyFile {
            json: v.to_string(),
            etag,
        })
    }

    /// Replace the policy file with `json` (a JSON object's text) only if the current version is
    /// `if_match` (an ETag, or `"ts-default"`: the untouched default). A mismatch is HTTP 412.
    pub async fn set_policy(&self, json: &str, if_match: &str) -> Result<PolicyFile, ApiError> {
        let body: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| ApiError::Decode(format!("policy file: {e}")))?;
        // Guarded by If-Match: sending it again after a lost answer fails with 412 rather than
        // overwriting anything.
        let call = Call::post(self.tailnet_path("acl"), body)
            .header("accept", "application/json")
            .header("if-match", if_match);
        let (v, etag): (serde_json::Value, _) = self.http.send_keeping_header(call, "etag").await?;
        Ok(PolicyFile {
            json: v.to_string(),
            etag,
        })
    }

    pub async fn get_dns_preferences(&self) -> Result<DnsPreferences, ApiError> {
        self.http
            .send(Call::get(self.tailnet_path("dns/preferences")))
            .await
    }

    pub async fn set_dns_preferences(
        &self,
        p: &DnsPreferences,
    ) -> Result<DnsPreferences, ApiError> {
        let body = serde_json::to_value(p).map_err(|e| ApiError::Decode(e.to_string()))?;
        let call = Call::post(self.tailnet_path("dns/preferences"), body).idempotent(true);
        self.http.send(call).await
    }
}

/// Percent-encode a path segment (kept here as the name other modules already use).
pub fn urlencode(s: &str) -> String {
    crate::clouds::http::encode_segment(s)
}
