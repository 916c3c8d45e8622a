//! Render deploys triggered on demand (`POST /services/{serviceId}/deploys`, operation
//! `create-deploy` of render.openapi.json). Reading a deploy lives with the services
//! (`services.rs`: `get_deploy`, `latest_deploy`). HTTP and JSON only.

use serde::Serialize;

use super::services::Deploy;
use super::{seg, RenderClient};
use crate::clouds::http::{ApiError, Call};

/// The `create-deploy` request body.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TriggerDeploy {
    /// `clear` or `do_not_clear` (Render's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clear_cache: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl RenderClient {
    /// Trigger a deploy. Render answers 201 with the deploy, or 202 "Queued" with no body (a
    /// deploy already running: this one waits behind it) — then `None`, and the caller finds
    /// the deploy in the list. Never retried: a second POST would start a second deploy.
    pub async fn trigger_deploy(
        &self,
        service_id: &str,
        body: &TriggerDeploy,
    ) -> Result<Option<Deploy>, ApiError> {
        let body = serde_json::to_value(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let call = Call::post(format!("/services/{}/deploys", seg(service_id)), body);
        let bytes = self.http.send_raw(&call).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ApiError::Decode(format!("render POST /services/…/deploys: {e}")))
    }
}
