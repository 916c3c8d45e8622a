//! `vercel_project_domain`: a domain of a Vercel project — CRUD as "call the client, map the
//! answer" (mappings in `model.rs`, schema in `schema.rs`), with an optional wait until Vercel
//! verifies the domain. Data source `vercel_project_domain` (the DNS records to publish) in
//! `data_source.rs`. Must not import protocol.

pub mod data_source;
pub mod model;
pub mod schema;

use async_trait::async_trait;

use self::model::ProjectDomainModel;
use self::schema::{project_domain_schema, validate_project_domain};
use super::client::domains::ProjectDomain;
use super::client::VercelClient;
use super::project::team;
use crate::clouds::support::api_diag;
use crate::framework::{
    create_or_adopt, poll_until, Applied, ApplyCx, Create, Diagnostics, Failed, Identity, ImportId,
    KeepPartial, Poll, Schema, TypedResource, Update, Val, Value, WaitSpec,
};

pub struct ProjectDomainResource;

/// The project and domain naming a stored domain; blank ones never become a request.
fn keys(m: &ProjectDomainModel) -> Result<(&str, &str), Diagnostics> {
    Val::Known(m.project_id.clone()).required("project_id")?;
    Val::Known(m.domain.clone()).required("domain")?;
    Ok((&m.project_id, &m.domain))
}

/// Ask Vercel to verify the domain until it is, the timeout passes or Terraform stops us. A
/// `400` is Vercel saying "not yet" (its message, e.g. the TXT record it did not find, is the
/// status quoted in progress lines); any other failure ends the wait.
async fn wait_verified(
    c: &VercelClient,
    cx: &ApplyCx,
    team: Option<&str>,
    m: &ProjectDomainModel,
) -> Result<ProjectDomain, Diagnostics> {
    let spec = WaitSpec::new(
        format!("Vercel domain {} to be verified", m.domain),
        "timeouts.create",
        m.create_timeout(),
    );
    poll_until(&cx.stop, &spec, || async {
        match c
            .verify_project_domain(team, &m.project_id, &m.domain)
            .await
        {
            Ok(d) if d.verified => Ok(Poll::Ready(d)),
            Ok(_) => Ok(Poll::Pending("not verified".into())),
            Err(crate::clouds::http::ApiError::Api {
                status: 400,
                message,
            }) => Ok(Poll::Pending(message)),
            Err(e) => Err(api_diag("Failed to verify Vercel domain", &e)),
        }
    })
    .await
}

#[async_trait]
impl TypedResource for ProjectDomainResource {
    type Model = ProjectDomainModel;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project_domain";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        crate::clouds::vercel::moves::project_domain_sources()
    }

    fn schema(&self) -> Schema {
        project_domain_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_project_domain(config, diags);
    }

    /// `<project_id>/<domain>` or `<team_id>/<project_id>/<domain>`; the id is the domain.
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<project_id>/<domain>", "<team_id>/<project_id>/<domain>"])
            .id_from("domain")
    }

    fn identity(&self) -> Identity {
        Identity::new(&["project_id", "domain"]).optional(&["team_id"])
    }

    async fn create(
        &self,
        c: &VercelClient,
        op: Create<ProjectDomainModel>,
        cx: &ApplyCx,
    ) -> Applied<ProjectDomainModel> {
        let plan = op.plan;
        let team = team(c, &plan.team_id);
        let t = team.as_deref();
        // A domain is unique per account: after an ambiguous failure, adopt it if it is there.
        let d = create_or_adopt(
            "Failed to add the domain to the Vercel project",
            c.add_project_domain(t, &plan.project_id, &plan.to_add_request()),
            || async {
                match c
                    .get_project_domain(t, &plan.project_id, &plan.domain)
                    .await
                {
                    Ok(d) => Ok(Some(d)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            },
        )
        .await?;
        let state = plan.clone().with_api(&d, team.clone());
        if plan.wait_for_verification != Some(true) || d.verified {
            return Ok(state);
        }
        let d = wait_verified(c, cx, t, &plan).await.keep(state.clone())?;
        Ok(state.with_api(&d, team))
    }

    async fn read(
        &self,
        c: &VercelClient,
        state: ProjectDomainModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ProjectDomainModel>, Diagnostics> {
        let team = team(c, &state.team_id);
        let (project, domain) = keys(&state)?;
        match c.get_project_domain(team.as_deref(), project, domain).await {
            Ok(d) => Ok(Some(state.with_api(&d, team))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Vercel project domain", &e)),
        }
    }

    async fn update(
        &self,
        c: &VercelClient,
        op: Update<ProjectDomainModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectDomainModel> {
        let Update { prior, plan, .. } = op;
        let team = team(c, &plan.team_id);
        let (project, domain) = keys(&prior)?;
        let body = plan.to_update_request(&prior);
        if body.is_empty() {
            return Ok(plan);
        }
        let d = c
            .update_project_domain(team.as_deref(), project, domain, &body)
            .await
            .map_err(|e| api_diag("Failed to update Vercel project domain", &e))
            .map_err(|d| Failed::partial(prior.clone(), d))?;
        // Verification is planned as it was (it changes outside Terraform, seen on refresh).
        let mut state = plan.clone().with_api(&d, team);
        state.verified = plan.verified;
        state.verification = plan.verification;
        Ok(state)
    }

    async fn delete(
        &self,
        c: &VercelClient,
        state: ProjectDomainModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let team = team(c, &state.team_id);
        let (project, domain) = keys(&state)?;
        c.delete_project_domain(team.as_deref(), project, domain)
            .await
            .map_err(|e| api_diag("Failed to remove Vercel project domain", &e))
    }
}
