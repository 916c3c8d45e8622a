//! `render_project`: a Render project and its environments, and the `render_project` data
//! source. Environments are a map attribute so each computed id is addressable by key
//! (`render_project.p.environments["staging"].id`); an entry's `name` renames in place. An update
//! first checks every environment it would remove and stops, naming what each still holds,
//! before it changes anything: Render would otherwise take services and databases with the
//! environment, so paasform never cascades. Delete applies the same rule to the whole project.
//! CRUD here is "call the client, map the answer"; the mapping lives in `model.rs`, the schemas
//! in `schema.rs`. Must not import the other Render resources' modules.

mod model;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;

use self::model::ProjectModel;
use super::client::projects::{Environment, Project};
use super::client::RenderClient;
use crate::clouds::support::api_diag;
use crate::framework::apply::KeepPartial;
use crate::framework::data_source::exactly_one;
use crate::framework::{
    create_or_adopt, poll_until, Applied, ApplyCx, Create, Diagnostic, Diagnostics, ImportId, Path,
    PlanContext, Poll, Schema, TypedDataSource, TypedResource, Update, Value, WaitSpec,
};

pub struct ProjectResource;

const TYPE: &str = "render_project";

/// `prj-` then letters, digits, `-` or `_`.
fn project_id_error(f: &BTreeMap<String, String>) -> Option<String> {
    let id = f.get("id").map(String::as_str).unwrap_or_default();
    let ok = id.strip_prefix("prj-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    (!ok).then(|| "expected a Render project id (\"prj-…\")".to_string())
}

/// Project and environments as they are now, or `None` when the project is gone.
async fn fetch(
    c: &RenderClient,
    id: &str,
) -> Result<Option<(Project, Vec<Environment>)>, Diagnostics> {
    let p = match c.get_project(id).await {
        Ok(p) => p,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(api_diag("Failed to read Render project", &e)),
    };
    let envs = c
        .list_environments(id)
        .await
        .map_err(|e| api_diag("Failed to list the Render project's environments", &e))?;
    Ok(Some((p, envs)))
}

/// An error per environment that still holds resources (no request is made after it).
fn refuse_non_empty(envs: &[&Environment], what: &str) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    for e in envs.iter().filter(|e| !e.resource_ids().is_empty()) {
        let ids = e.resource_ids();
        diags.push(
            Diagnostic::error(
                "Render environment is not empty",
                format!(
                    "{what} would delete environment {:?} ({}), which still holds {} resource(s): {}. paasform does not delete services, databases or env groups with their environment. Move them to another environment (set their `environment_id`) or destroy them first.",
                    e.name,
                    e.id,
                    ids.len(),
                    ids.join(", ")
                ),
            )
            .at(Path::root("environments")),
        );
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// After a lost create answer: the one project of that name with as many environments as the
/// plan, or nothing (two namesakes, or a different shape, are not safely this create's).
fn adoptable(found: Vec<Project>, plan: &ProjectModel) -> Option<Project> {
    match found.as_slice() {
        [one] if one.environment_ids.len() == plan.envs().len() => Some(one.clone()),
        _ => None,
    }
}

#[async_trait]
impl TypedResource for ProjectResource {
    type Model = ProjectModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::project_sources()
    }

    fn schema(&self) -> Schema {
        schema::resource()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let envs = config.attr("environments");
        let Some(entries) = envs.entries() else {
            return;
        };
        if entries.is_empty() {
            diags.error_at(
                Path::root("environments"),
                "No environments",
                "A Render project needs at least one environment.",
            );
        }
        let mut seen = BTreeSet::new();
        for (key, e) in entries {
            if let Some(name) = e.attr("name").as_str() {
                if !seen.insert(name.to_string()) {
                    diags.error_at(
                        Path::root("environments").key(key).attr("name"),
                        "Duplicate environment name",
                        format!(
                            "Two environments are named {name:?}; names are unique in a project."
                        ),
                    );
                }
            }
        }
    }

    /// An environment keeps its id for as long as its key stays: only new keys plan an unknown
    /// id (the generic pipeline marks every nested computed attribute unknown on any change).
    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        let Some(prior) = ctx.prior.attr("environments").entries().cloned() else {
            return;
        };
        let mut planned = ctx.planned.attr("environments").clone();
        let Some(entries) = planned.entries_mut() else {
            return;
        };
        for (key, e) in entries.iter_mut() {
            if let Some(old) = prior.get(key) {
                if e.attr("id").is_unknown() && old.attr("id").as_str().is_some() {
                    e.set_attr("id", old.attr("id").clone());
                }
            }
        }
        ctx.planned.set_attr("environments", planned);
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"]).check(project_id_error)
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let plan = op.plan;
        let req = plan.to_create_request(c.owner_id());
        let p = create_or_adopt(
            "Failed to create Render project",
            c.create_project(&req),
            || async {
                let found = c.find_projects_by_name(&req.name).await?;
                Ok(adoptable(found, &plan))
            },
        )
        .await?;
        let partial = ProjectModel::from_api(&p, &[], &plan);
        let envs = c
            .list_environments(&p.id)
            .await
            .map_err(|e| api_diag("Project created, but listing its environments failed", &e))
            .keep(partial)?;
        Ok(ProjectModel::from_api(&p, &envs, &plan))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<Option<ProjectModel>, Diagnostics> {
        let id = state.id.required("id")?.to_string();
        Ok(fetch(c, &id)
            .await?
            .map(|(p, envs)| ProjectModel::from_api(&p, &envs, &state)))
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<ProjectModel>,
        _cx: &ApplyCx,
    ) -> Applied<ProjectModel> {
        let id = op.prior.id.required("id")?.to_string();
        let changes = op.plan.environment_changes(&op.prior);
        // Every removal is checked before anything changes.
        let mut doomed = Vec::new();
        for (_, env_id) in &changes.remove {
            match c.get_environment(env_id).await {
                Ok(e) => doomed.push(e),
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(api_diag("Failed to read Render environment", &e).into()),
            }
        }
        refuse_non_empty(&doomed.iter().collect::<Vec<_>>(), "This change")?;
        let prior = op.prior.clone();
        let step = |e| api_diag("Failed to update Render project", &e);
        if let Some(name) = op.plan.renamed(&op.prior) {
            let req = super::client::projects::UpdateProjectRequest { name: Some(name) };
            c.update_project(&id, &req)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for e in &doomed {
            c.delete_environment(&e.id)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for (env_id, input) in &changes.update {
            c.update_environment(env_id, input)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for (_, env) in &changes.create {
            c.create_environment(&env.to_input(Some(&id)))
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        match fetch(c, &id).await.keep(prior.clone())? {
            Some((p, envs)) => Ok(ProjectModel::from_api(&p, &envs, &op.plan)),
            None => Err(Diagnostic::error(
                "Render project disappeared",
                format!("Project {id} was deleted outside Terraform during the update."),
            )
            .into()),
        }
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: ProjectModel,
        cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let id = state.id.required("id")?;
        let envs = match c.list_environments(id).await {
            Ok(envs) => envs,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => {
                return Err(api_diag(
                    "Failed to list the Render project's environments",
                    &e,
                ))
            }
        };
        if envs.iter().any(|e| !e.resource_ids().is_empty()) {
            // In a `destroy` the services and databases of the project's environments are often
            // being deleted at the same moment (a generated or hand-written configuration may
            // name environment ids literally, so Terraform sees no dependency): give them a
            // minute to go before refusing with the list of what is still there.
            let spec = WaitSpec::new(
                format!("the environments of Render project {id} to empty"),
                "timeouts.delete",
                std::time::Duration::from_secs(60),
            );
            let emptied = poll_until(&cx.stop, &spec, || async {
                let envs = c.list_environments(id).await.map_err(|e| {
                    api_diag("Failed to list the Render project's environments", &e)
                })?;
                let held: usize = envs.iter().map(|e| e.resource_ids().len()).sum();
                Ok(if held == 0 {
                    Poll::Ready(())
                } else {
                    Poll::Pending(format!("holding {held} resource(s)"))
                })
            })
            .await;
            if emptied.is_err() {
                let envs = c.list_environments(id).await.map_err(|e| {
                    api_diag("Failed to list the Render project's environments", &e)
                })?;
                refuse_non_empty(&envs.iter().collect::<Vec<_>>(), "Destroying the project")?;
            }
        }
        c.delete_project(id)
            .await
            .map_err(|e| api_diag("Failed to delete Render project", &e))
    }
}

/// The `render_project` data source: one project by `id`, or by `name`.
pub struct ProjectDataSource;

#[async_trait]
impl TypedDataSource for ProjectDataSource {
    type Model = ProjectModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema::data_source()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::lookup::id_or_name(config, diags, "`prj-…`", |id| {
            project_id_error(&[("id".to_string(), id.to_string())].into())
        });
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: ProjectModel,
        _cx: &ApplyCx,
    ) -> Result<ProjectModel, Diagnostics> {
        let id = match config.id.as_deref() {
            Some(id) => id.to_string(),
            None => {
                let name = config.name.as_deref().unwrap_or_default();
                let found = c
                    .find_projects_by_name(name)
                    .await
                    .map_err(|e| api_diag("Failed to list Render projects", &e))?;
                exactly_one(found, &format!("Render project named {name:?}"))?.id
            }
        };
        match fetch(c, &id).await? {
            Some((p, envs)) => Ok(ProjectModel::from_api(&p, &envs, &ProjectModel::default())),
            None => Err(Diagnostic::error(
                "Not found",
                format!("No Render project {id} exists (or the credentials cannot see it)."),
            )
            .into()),
        }
    }
}
