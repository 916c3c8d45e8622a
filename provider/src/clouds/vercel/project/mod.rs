//! `vercel_project`: a project, its Git link and its environment variables — CRUD as "call the
//! client, map the answer" (mappings in `model.rs`, schema in `schema.rs`). Env vars are
//! reconciled by identity (key + targets + git branch): one batch create for new ones, one batch
//! delete for removed ones, an edit only for those that changed. Sensitive values cannot be read
//! back, so the configured value is kept. Must not import protocol.

pub mod data_source;
pub mod model;
pub mod schema;

use async_trait::async_trait;

use self::model::{env_from_api, env_identity, ProjectModel};
use self::schema::{project_schema, validate_environment};
use super::client::{EnvVar, VercelClient};
use crate::clouds::support::{api_diag, when};
use crate::framework::orphan;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Create, Diagnostic, Diagnostics, Failed, Identity, ImportId,
    KeepPartial, Path, PlanContext, Schema, TypedResource, Update, Val, Value,
};

pub struct ProjectResource;

/// The team scoping a call: the state's, else the provider's.
pub(crate) fn team(client: &VercelClient, team_id: &Val<String>) -> Option<String> {
    team_id
        .as_deref()
        .map(str::to_string)
        .or_else(|| client.default_team.clone())
}

/// The stored project id (the bridge has refused an empty or missing one before any call).
fn project_id(m: &ProjectModel) -> Result<&str, Diagnostics> {
    m.id.non_empty().ok_or_else(|| {
        Diagnostic::error(
            "vercel_project has no id in state",
            "paasform cannot tell which project this is and sends no request.",
        )
        .at(Path::root("id"))
        .into()
    })
}

/// Import id parts are project ids, names or team ids/slugs: letters, digits, '_', '-', '.'.
pub(crate) fn import_parts_ok(
    fields: &std::collections::BTreeMap<String, String>,
) -> Option<String> {
    fields
        .iter()
        .find(|(_, s)| {
            !s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
        .map(|(k, s)| format!("{k} {s:?} may hold only letters, digits, '_', '-' and '.'"))
}

/// Unlink the old repository and link the new one, in place. A failure after the unlink keeps a
/// state without a repository (what the project then has).
async fn relink_git(
    client: &VercelClient,
    team: Option<String>,
    id: &str,
    prior: &ProjectModel,
    mut state: ProjectModel,
) -> Applied<ProjectModel> {
    let plan = state.clone();
    let Some((unlink, to)) = plan.relink(prior) else {
        return Ok(state);
    };
    let t = team.as_deref();
    let env = prior.environment.clone();
    let failed = |mut s: ProjectModel, d: Diagnostics| {
        s.environment = env.clone();
        Failed::partial(s, d)
    };
    if unlink {
        let mut kept = state.clone();
        kept.git_repository = prior.git_repository.clone();
        let p = client.unlink_git(t, id).await.map_err(|e| {
            failed(
                kept,
                api_diag("Failed to unlink the Vercel project's Git repository", &e),
            )
        })?;
        state = state.with_api(&p, team.clone());
    }
    if let Some(link) = to {
        let p = client.link_git(t, id, &link).await.map_err(|e| {
            failed(
                state.clone(),
                api_diag(
                    &format!("Failed to link the Vercel project to {}", link.repo),
                    &e,
                ),
            )
        })?;
        state = state.with_api(&p, team);
    }
    Ok(state)
}

/// Whether `w` is exactly as the prior state recorded it (a sensitive value cannot be compared
/// with the API's, only with what was last written).
fn unchanged_since(prior: &[EnvVar], w: &EnvVar) -> bool {
    prior.iter().any(|p| {
        env_identity(p) == env_identity(w)
            && p.value.is_some()
            && p.value == w.value
            && p.kind == w.kind
            && p.comment.as_deref().unwrap_or("") == w.comment.as_deref().unwrap_or("")
    })
}

/// Make the project's env vars equal `want` with the fewest calls: only variables that changed
/// since `prior` (the last applied set) are written.
async fn sync_env(
    client: &VercelClient,
    team: Option<&str>,
    id: &str,
    want: &[EnvVar],
    prior: &[EnvVar],
) -> Result<(), Diagnostics> {
    let have = client
        .list_env(team, id)
        .await
        .map_err(|e| api_diag("Failed to read Vercel environment variables", &e))?;
    let stale: Vec<String> = have
        .iter()
        .filter(|h| !want.iter().any(|w| env_identity(w) == env_identity(h)))
        .filter_map(|h| h.id.clone())
        .collect();
    client
        .delete_envs(team, id, &stale)
        .await
        .map_err(|e| api_diag("Failed to remove Vercel environment variables", &e))?;
    let mut new = Vec::new();
    for w in want {
        match have.iter().find(|h| env_identity(h) == env_identity(w)) {
            None => new.push(w.clone()),
            Some(h) => {
                // A sensitive value cannot be read back: it is the same when the plan has it as
                // the prior state does (the API lists it as empty or leaves it out).
                let unreadable = h.value.is_none() || h.kind == "sensitive";
                let same_value = if unreadable {
                    unchanged_since(prior, w)
                } else {
                    h.value == w.value
                };
                let same = h.kind == w.kind
                    && h.comment.as_deref().unwrap_or("") == w.comment.as_deref().unwrap_or("")
                    && same_value;
                if !same {
                    if let Some(env_id) = &h.id {
                        client.edit_env(team, id, env_id, w).await.map_err(|e| {
                            api_diag(
                                &format!("Failed to update Vercel environment variable {}", w.key),
                                &e,
                            )
                        })?;
                    }
                }
            }
        }
    }
    if !new.is_empty() {
        client
            .create_env(team, id, &new)
            .await
            .map_err(|e| api_diag("Failed to create Vercel environment variables", &e))?;
    }
    Ok(())
}

/// The error for a create whose name is taken (Vercel project names are unique per team): the
/// project's id, its age and the import command, or the API's own message when the lookup fails.
async fn name_taken(
    c: &VercelClient,
    team: Option<&str>,
    name: &str,
    conflict: &crate::clouds::http::ApiError,
) -> Diagnostics {
    match c.get_project(team, name).await {
        Ok(p) => {
            let age = p
                .created_at
                .map(|ms| orphan::age_secs_millis(ms, orphan::now_unix()));
            orphan::already_exists(
                "vercel_project",
                name,
                &p.id,
                age,
                "Vercel project names are unique per team and paasform never adopts an existing project on create: one created minutes ago is most likely the trace of an apply that was killed or lost its answer; import it and apply again.",
                "name",
            )
            .into()
        }
        Err(_) => api_diag("Failed to create Vercel project", conflict),
    }
}

#[async_trait]
impl TypedResource for ProjectResource {
    type Model = ProjectModel;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_project";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        crate::clouds::vercel::moves::project_sources()
    }

    fn schema(&self) -> Schema {
        project_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_environment(config, diags);
    }

    /// A relinked repository has its own production branch: unknown until Vercel reports it.
    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        let git = |v: &Value| {
            let g = v.attr("git_repository");
            (
                g.attr("type").clone(),
                g.attr("repo").as_str().map(str::to_ascii_lowercase),
            )
        };
        let planned_git = ctx.planned.attr("git_repository").clone();
        if ctx.prior.is_null() || planned_git.is_null() || git(ctx.prior) == git(ctx.planned) {
            return;
        }
        let mut g = planned_git;
        g.set_attr("production_branch", Value::Unknown);
        ctx.planned.set_attr("git_repository", g);
    }

    /// `<project_id>`, `<team_id>/<project_id>` or a project name (GET takes either).
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>", "<team_id>/<id>"])
            .read_in_full(&["environment"])
            .check(import_parts_ok)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["id"]).optional(&["team_id"])
    }

    async fn create(
        &self,
        c: &VercelClient,
        op: Create<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let Create { plan, config } = op;
        let team = team(c, &plan.team_id);
        let t = team.as_deref();
        // Names are unique per team: after an ambiguous failure, adopt the project if it exists.
        let project = match c.create_project(t, &plan.to_create_request()).await {
            // The name is taken: maybe by this resource's own orphan (a create killed before its
            // id reached state). Not adopted: its variables may be half made, so say what it is.
            Err(e) if e.is_conflict() => return Err(name_taken(c, t, &plan.name, &e).await.into()),
            first => first,
        };
        let project = create_or_adopt(
            "Failed to create Vercel project",
            std::future::ready(project),
            || async {
                match c.get_project(t, &plan.name).await {
                    Ok(p) => Ok(Some(p)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            },
        )
        .await?;
        let mut state = plan.clone().with_api(&project, team.clone());
        let mut patch = plan.to_create_patch();
        patch.password_protection = plan.password_update(&config, None);
        // The settings createProject does not take and the first variables are independent
        // follow-ups: both in flight at once (issue 16). A new project has no variables yet: one
        // batch create, nothing to reconcile.
        let vars = plan.env_vars();
        let (patched, created) = tokio::join!(
            when(!patch.is_empty(), || c.update_project(
                t,
                &project.id,
                &patch
            )),
            when(!vars.is_empty(), || c.create_env(t, &project.id, &vars)),
        );
        if let Some(p) = patched
            .map_err(|e| api_diag("Failed to configure the new Vercel project", &e))
            .keep(state.clone())?
        {
            state = state.with_api(&p, team.clone());
        }
        created
            .map_err(|e| api_diag("Failed to create Vercel environment variables", &e))
            .keep(state.clone())?;
        state.environment = plan.environment;
        Ok(state)
    }

    async fn read(
        &self,
        c: &VercelClient,
        state: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ProjectModel>, Diagnostics> {
        let team = team(c, &state.team_id);
        let t = team.as_deref();
        let id = project_id(&state)?;
        // The project and its variables are read concurrently: one round trip, not two
        // (issue 16). Variables are read only when the state manages them (or after an import).
        let (project, env) = tokio::join!(
            c.get_project(t, id),
            when(!state.environment.is_null(), || c.list_env(t, id)),
        );
        let project = match project {
            Ok(p) => p,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read Vercel project", &e)),
        };
        let env = env.map_err(|e| api_diag("Failed to read Vercel environment variables", &e))?;
        let prior_env = state.environment.clone();
        let mut next = state.with_api(&project, team.clone());
        if let Some(env) = env {
            let prior = prior_env.into_known().unwrap_or_default();
            next.environment = env_from_api(&env, &prior);
        }
        Ok(Some(next))
    }

    async fn update(
        &self,
        c: &VercelClient,
        op: Update<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let Update {
            prior,
            plan,
            config,
        } = op;
        let team = team(c, &plan.team_id);
        let t = team.as_deref();
        let id = project_id(&prior)?.to_string();
        let mut body = plan.to_update_request(&prior);
        body.password_protection = plan.password_update(&config, Some(&prior));
        let mut state = plan.clone();
        if !body.is_empty() {
            let p = c
                .update_project(t, &id, &body)
                .await
                .map_err(|e| api_diag("Failed to update Vercel project", &e))
                .keep(prior.clone())?;
            state = state.with_api(&p, team.clone());
        }
        let mut state = relink_git(c, team.clone(), &id, &prior, state).await?;
        if prior.environment != plan.environment {
            if let Err(d) = sync_env(c, t, &id, &plan.env_vars(), &prior.env_vars()).await {
                let mut partial = state;
                partial.environment = prior.environment;
                return Err(Failed::partial(partial, d));
            }
        }
        state.environment = plan.environment;
        Ok(state)
    }

    async fn delete(
        &self,
        c: &VercelClient,
        state: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let team = team(c, &state.team_id);
        c.delete_project(team.as_deref(), project_id(&state)?)
            .await
            .map_err(|e| api_diag("Failed to delete Vercel project", &e))
    }
}
