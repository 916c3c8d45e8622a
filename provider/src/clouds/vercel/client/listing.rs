//! Listing on the Vercel client (for `terraform query`): every page of the team's projects
//! (`GET /v10/projects`, next page `from` = `pagination.next`) and of a project's domains
//! (`GET /v9/projects/{idOrName}/domains`, next page `until` = `pagination.next`). HTTP and JSON
//! only; must not import the framework.

use serde::Deserialize;

use super::domains::ProjectDomain;
use super::{Project, VercelClient};
use crate::clouds::http::{encode_segment, ApiError, Call};

/// A runaway guard: no team of ours has more pages than this.
const MAX_PAGES: usize = 10_000;

#[derive(Deserialize, Default)]
struct Pagination {
    #[serde(default)]
    next: Option<u64>,
}

#[derive(Deserialize)]
struct ProjectPage {
    #[serde(default)]
    projects: Vec<Project>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct DomainPage {
    #[serde(default)]
    domains: Vec<ProjectDomain>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

impl VercelClient {
    /// Every project of the team whose name contains `search` (the API's own filter).
    pub async fn list_projects(
        &self,
        team: Option<&str>,
        search: Option<&str>,
    ) -> Result<Vec<Project>, ApiError> {
        let mut out = Vec::new();
        let mut from: Option<u64> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::get("/v10/projects").query("limit", 100);
            if let Some(f) = from {
                call = call.query("from", f);
            }
            if let Some(s) = search {
                call = call.query("search", s);
            }
            let page: ProjectPage = self.http.send(self.scoped(call, team)).await?;
            let n = page.projects.len();
            out.extend(page.projects);
            from = page.pagination.and_then(|p| p.next);
            if from.is_none() || n == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// Every domain of a project.
    pub async fn list_project_domains(
        &self,
        team: Option<&str>,
        project: &str,
    ) -> Result<Vec<ProjectDomain>, ApiError> {
        let path = format!("/v9/projects/{}/domains", encode_segment(project));
        let mut out = Vec::new();
        let mut until: Option<u64> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::get(path.clone()).query("limit", 100);
            if let Some(u) = until {
                call = call.query("until", u);
            }
            let page: DomainPage = self.http.send(self.scoped(call, team)).await?;
            let n = page.domains.len();
            out.extend(page.domains);
            until = page.pagination.and_then(|p| p.next);
            if until.is_none() || n == 0 {
                break;
            }
        }
        Ok(out)
    }
}
