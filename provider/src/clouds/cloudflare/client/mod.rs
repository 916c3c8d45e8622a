//! The Cloudflare API v4 client shared by both Cloudflare identities (`r2` and `cloudflare`): one
//! HTTP client, the `{success, errors, messages, result}` envelope unwrapped once, the default
//! account. Each API family adds its typed calls in its own file (`r2.rs`, …) as `impl
//! CloudflareClient` blocks. HTTP and JSON only; must not import the framework.

pub mod dns;
pub mod listing;
pub mod r2;
pub mod tokens;
pub mod tunnels;

pub use dns::*;
pub use listing::*;
pub use r2::*;
pub use tokens::*;
pub use tunnels::*;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value as Json};

use std::time::Duration;

use crate::clouds::http::{ApiError, Auth, Budget, Call, HttpClient, RateLimits, Secret};
use crate::stop::StopSignal;

pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

#[derive(Clone, Debug)]
pub struct CloudflareClient {
    http: HttpClient,
    /// The provider block's `account_id` (or CLOUDFLARE_ACCOUNT_ID), for resources that omit it.
    pub default_account_id: Option<String>,
    /// How errors name the API ("Cloudflare R2", "Cloudflare").
    label: &'static str,
}

/// Cloudflare's failure envelope → "message (code N)" for the diagnostic.
fn cf_error_message(j: &Json) -> Option<String> {
    let errs = j.get("errors")?.as_array()?;
    let parts: Vec<String> = errs
        .iter()
        .map(|e| {
            let msg = e.get("message").and_then(Json::as_str).unwrap_or("error");
            match e.get("code").and_then(Json::as_i64) {
                Some(c) => format!("{msg} (code {c})"),
                None => msg.to_string(),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<Json>,
    result: Option<T>,
}

impl CloudflareClient {
    pub fn new(
        label: &'static str,
        base_url: &str,
        token: Secret,
        default_account_id: Option<String>,
        stop: StopSignal,
    ) -> Result<Self, ApiError> {
        // Cloudflare's global limit: 1,200 requests per five minutes per user, across every
        // method and endpoint; its v4 answers carry no remaining-budget headers to pace by.
        let http = HttpClient::new(label, base_url, Auth::Bearer(token), cf_error_message, stop)?
            .with_rate_limits(RateLimits {
                all: Some(Budget {
                    count: 1200,
                    window: Duration::from_secs(300),
                }),
                ..RateLimits::default()
            });
        Ok(CloudflareClient {
            http,
            default_account_id,
            label,
        })
    }

    /// Registers a value the API may echo (a minted token, a tunnel secret) so that no error
    /// this client surfaces ever prints it.
    pub fn register_secret(&self, value: &str) {
        self.http.register_secret(value);
    }

    fn failure(&self, errors: Vec<Json>) -> ApiError {
        ApiError::Api {
            status: 200,
            message: self.http.redact(
                &cf_error_message(&json!({ "errors": errors }))
                    .unwrap_or_else(|| "request failed".into()),
            ),
        }
    }

    /// Sends a call and unwraps the envelope: `success: false` is an error even on a 2xx, and a
    /// success must carry a result.
    pub(crate) async fn send_enveloped<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, ApiError> {
        let env: Envelope<T> = self.http.send(call).await?;
        if !env.success {
            return Err(self.failure(env.errors));
        }
        env.result.ok_or_else(|| {
            ApiError::Decode(format!("{} answered success without a result", self.label))
        })
    }

    /// Like `send_enveloped`, for answers whose result may be null, empty or absent.
    pub(crate) async fn send_enveloped_unit(&self, call: Call<'_>) -> Result<(), ApiError> {
        let env: Option<Envelope<Json>> = self.http.send(call).await?;
        match env {
            Some(e) if !e.success => Err(self.failure(e.errors)),
            _ => Ok(()),
        }
    }
}

/// A path segment, percent-encoded.
pub(crate) fn enc(s: &str) -> String {
    crate::clouds::http::encode_segment(s)
}
