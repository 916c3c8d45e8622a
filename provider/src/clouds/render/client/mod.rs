//! Render Public API v1 client (shapes from render.openapi.json): the shared parts — the client
//! itself, Render's error body, cursor pagination and workspaces (owners). Services live in
//! `services.rs`, Postgres and Key Value in `databases.rs`, projects, environments and env
//! groups in `projects.rs`, registry credentials in `registry.rs`, notification settings and log
//! streams in `settings.rs`. HTTP and JSON only: must not import
//! `framework` beyond the stop signal.

pub mod databases;
pub mod deploys;
pub mod listing;
pub mod projects;
pub mod registry;
pub mod services;
pub mod settings;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value as Json;

use crate::clouds::http::{ApiError, Auth, Call, HttpClient, Secret};
use crate::stop::StopSignal;

pub const DEFAULT_BASE_URL: &str = "https://api.render.com/v1";

/// The page size asked for on every list (the spec's maximum).
pub const PAGE_LIMIT: usize = 100;

/// A configured Render client bound to one workspace (owner).
#[derive(Clone, Debug)]
pub struct RenderClient {
    pub(crate) http: HttpClient,
    owner_id: String,
}

/// Render's error body is `{ "id": "...", "message": "..." }`.
pub fn render_error_message(j: &Json) -> Option<String> {
    let message = j
        .get("message")
        .and_then(Json::as_str)
        .filter(|m| !m.is_empty());
    let id = j.get("id").and_then(Json::as_str).filter(|m| !m.is_empty());
    match (message, id) {
        (Some(m), _) => Some(m.to_string()),
        (None, Some(id)) => Some(format!("Render error {id}")),
        (None, None) => None,
    }
}

/// A workspace as `GET /owners` lists it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Owner {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(rename = "type", default)]
    pub owner_type: String,
}

/// Percent-encode one path segment.
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl RenderClient {
    /// A client that is not yet bound to a workspace (used to resolve one with `list_owners`).
    pub fn unbound(base_url: &str, api_key: Secret, stop: StopSignal) -> Result<Self, ApiError> {
        let http = HttpClient::new(
            "Render",
            base_url,
            Auth::Bearer(api_key),
            render_error_message,
            stop,
        )?;
        Ok(RenderClient {
            http,
            owner_id: String::new(),
        })
    }

    pub fn with_owner(mut self, owner_id: &str) -> Self {
        self.owner_id = owner_id.to_string();
        self
    }

    pub fn owner_id(&self) -> &str {
        &self.owner_id
    }

    pub fn http_mut(&mut self) -> &mut HttpClient {
        &mut self.http
    }

    /// Every item of a cursor-paginated list. Render answers `[{ "cursor": "…", "<key>": {…} }]`;
    /// the next page starts after the last cursor. Stops on a short or empty page, or a cursor
    /// that does not advance (a defence against a server that ignores `cursor`).
    pub async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        key: &str,
    ) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut call = Call::get(path).query("limit", PAGE_LIMIT);
            for (k, v) in query {
                call = call.query(k, v);
            }
            if let Some(c) = &cursor {
                call = call.query("cursor", c);
            }
            let page: Vec<Json> = self.http.send(call).await?;
            let n = page.len();
            let next = page
                .last()
                .and_then(|e| e.get("cursor"))
                .and_then(Json::as_str)
                .map(str::to_string);
            for entry in page {
                let item = entry.get(key).cloned().unwrap_or(Json::Null);
                let decoded = serde_json::from_value(item)
                    .map_err(|e| ApiError::Decode(format!("Render GET {path}: {e}")))?;
                out.push(decoded);
            }
            if n < PAGE_LIMIT || next.is_none() || next == cursor {
                return Ok(out);
            }
            cursor = next;
        }
    }

    /// The workspaces the API key can see.
    pub async fn list_owners(&self) -> Result<Vec<Owner>, ApiError> {
        self.list_all("/owners", &[], "owner").await
    }
}
