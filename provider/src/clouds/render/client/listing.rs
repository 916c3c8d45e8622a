//! Whole-workspace lists for `terraform query` (the list resources): every service, Postgres,
//! Key Value, project and env group of the bound workspace, all pages, with the server-side
//! filters Render's list endpoints accept (`type`, `environmentId`). Name prefixes are matched
//! by the caller: Render filters names exactly. HTTP and JSON only: must not import framework.

use super::databases::{Database, Engine};
use super::projects::{EnvGroup, Project};
use super::services::Service;
use super::{RenderClient, PAGE_LIMIT};
use crate::clouds::http::{ApiError, Call};

/// Server-side filters of a list; `None` lists everything of the workspace.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Render's service type (`web_service`, …); services only.
    pub service_type: Option<String>,
    pub environment_id: Option<String>,
}

impl ListFilter {
    fn query(&self, owner_id: &str) -> Vec<(&'static str, String)> {
        let mut q = vec![("ownerId", owner_id.to_string())];
        if let Some(t) = &self.service_type {
            q.push(("type", t.clone()));
        }
        if let Some(e) = &self.environment_id {
            q.push(("environmentId", e.clone()));
        }
        q
    }
}

impl RenderClient {
    pub async fn list_services(&self, f: &ListFilter) -> Result<Vec<Service>, ApiError> {
        self.list_all("/services", &f.query(self.owner_id()), "service")
            .await
    }

    pub async fn list_databases(
        &self,
        engine: Engine,
        f: &ListFilter,
    ) -> Result<Vec<Database>, ApiError> {
        let f = ListFilter {
            service_type: None,
            ..f.clone()
        };
        self.list_all(
            engine.collection(),
            &f.query(self.owner_id()),
            engine.list_key(),
        )
        .await
    }

    pub async fn list_projects(&self) -> Result<Vec<Project>, ApiError> {
        self.list_all(
            "/projects",
            &[("ownerId", self.owner_id().to_string())],
            "project",
        )
        .await
    }

    /// Env groups answer bare objects (no cursor wrapper): the next page starts after the last id.
    pub async fn list_env_groups(&self, f: &ListFilter) -> Result<Vec<EnvGroup>, ApiError> {
        let query: Vec<(&str, String)> = f
            .query(self.owner_id())
            .into_iter()
            .filter(|(k, _)| *k != "type")
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        self.pages_after_last_id("/env-groups", &query, |g: &EnvGroup| g.id.clone())
            .await
    }

    /// Every registry credential of the workspace (bare objects, paged like env groups).
    pub async fn list_registry_credentials(
        &self,
    ) -> Result<Vec<super::registry::RegistryCredential>, ApiError> {
        let query = [("ownerId", self.owner_id().to_string())];
        self.pages_after_last_id(
            "/registrycredentials",
            &query,
            |c: &super::registry::RegistryCredential| c.id.clone(),
        )
        .await
    }

    /// A list whose pages are bare arrays: the cursor of the next page is the last object's id.
    async fn pages_after_last_id<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        id: impl Fn(&T) -> String,
    ) -> Result<Vec<T>, ApiError> {
        let mut out: Vec<T> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut call = Call::get(path).query("limit", PAGE_LIMIT);
            for (k, v) in query {
                call = call.query(k, v);
            }
            if let Some(c) = &cursor {
                call = call.query("cursor", c);
            }
            let page: Vec<T> = self.http.send(call).await?;
            let n = page.len();
            let next = page.last().map(&id);
            out.extend(page);
            if n < PAGE_LIMIT || next.is_none() || next == cursor {
                return Ok(out);
            }
            cursor = next;
        }
    }
}
