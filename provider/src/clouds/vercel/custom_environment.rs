//! `vercel_custom_environment`: a custom environment of a Vercel project (beside production,
//! preview and development; e.g. `staging`), optionally tracking Git branches. Schema, the typed
//! model with its pure mappings, and CRUD as "call the client, map the answer". Must not import
//! protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::custom_envs::{
    BranchMatcher, CreateCustomEnvironmentRequest, CustomEnvironment,
    UpdateCustomEnvironmentRequest,
};
use super::client::VercelClient;
use super::project::{import_parts_ok, team};
use super::project_domain::schema::project_ref_validator;
use crate::clouds::support::api_diag;
use crate::framework::rules::{length_between, one_of, Validator};
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostics, Failed, Identity, ImportId,
    Nesting, Schema, TypedResource, Update, Val,
};

/// `branchMatcher.type` values in the spec.
pub const MATCH_TYPES: &[&str] = &["startsWith", "endsWith", "equals"];
/// Names Vercel keeps for its standard environments.
const RESERVED: &[&str] = &["production", "preview", "development"];

pub struct CustomEnvironmentResource;

/// The resource's state. Missing attributes decode as null: an import's partial state names only
/// the project, the environment (and team).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CustomEnvironmentModel {
    pub id: Val<String>,
    pub project_id: String,
    pub team_id: Val<String>,
    pub name: String,
    pub description: Option<String>,
    pub branch_tracking: Option<BranchTrackingModel>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BranchTrackingModel {
    pub pattern: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl BranchTrackingModel {
    fn to_api(&self) -> BranchMatcher {
        BranchMatcher {
            kind: self.kind.clone(),
            pattern: self.pattern.clone(),
        }
    }
}

impl CustomEnvironmentModel {
    /// This state with the API's environment filled in (`team` scopes later calls); an empty
    /// description is none.
    pub fn with_api(mut self, e: &CustomEnvironment, team: Option<String>) -> Self {
        self.id = Val::Known(e.id.clone());
        self.name = e.slug.clone();
        self.team_id = team.into();
        self.description = e.description.clone().filter(|d| !d.is_empty());
        self.branch_tracking = e.branch_matcher.as_ref().map(|m| BranchTrackingModel {
            pattern: m.pattern.clone(),
            kind: m.kind.clone(),
        });
        self
    }

    pub fn to_create_request(&self) -> CreateCustomEnvironmentRequest {
        CreateCustomEnvironmentRequest {
            slug: self.name.clone(),
            description: self.description.clone(),
            branch_matcher: self
                .branch_tracking
                .as_ref()
                .map(BranchTrackingModel::to_api),
        }
    }

    /// What the plan changes; a removed description is sent empty, a removed matcher as null.
    pub fn to_update_request(
        &self,
        prior: &CustomEnvironmentModel,
    ) -> UpdateCustomEnvironmentRequest {
        UpdateCustomEnvironmentRequest {
            slug: (self.name != prior.name).then(|| self.name.clone()),
            description: (self.description != prior.description)
                .then(|| self.description.clone().unwrap_or_default()),
            branch_matcher: (self.branch_tracking != prior.branch_tracking).then(|| {
                self.branch_tracking
                    .as_ref()
                    .map(BranchTrackingModel::to_api)
            }),
        }
    }
}

/// 1 to 32 lowercase letters, digits and '-', not one of Vercel's standard environments.
pub fn env_name_error(name: &str) -> Option<String> {
    if name.is_empty() || name.chars().count() > 32 {
        return Some(format!("{name:?} must be 1 to 32 characters long."));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some(format!(
            "{name:?} may contain only lowercase letters, digits and '-'."
        ));
    }
    RESERVED.contains(&name).then(|| {
        format!("{name:?} is one of Vercel's standard environments (production, preview, development); name the custom environment otherwise.")
    })
}

pub fn custom_environment_schema() -> Schema {
    Schema::new(
        "A custom environment of a Vercel project (beside production, preview and development), e.g. `staging`: deployments of the branches it tracks go to it, environment variables can target it (`vercel_project.environment[].custom_environment_ids`) and domains can serve it (`vercel_project_domain.custom_environment_id`).",
        vec![
            Attribute::string("id").computed().keep_state().description("The environment's id (`env_…`)."),
            Attribute::string("project_id").required().replace().description("The project (id or name) the environment belongs to.").validate(project_ref_validator()),
            Attribute::string("team_id").optional_computed().keep_state().replace().description("The team owning the project (defaults to the provider's team)."),
            Attribute::string("name").required().description("The environment's name (Vercel's slug; renaming is in place): 1 to 32 lowercase letters, digits and '-', not production, preview or development.").validate(Validator::string("1 to 32 lowercase letters, digits and '-'; not production, preview or development.", env_name_error)),
            Attribute::string("description").optional().description("What the environment is for.").validate(length_between(1, 256)),
            Attribute::nested(
                "branch_tracking",
                Nesting::Single,
                vec![
                    Attribute::string("pattern").required().description("The branch name, or the part of it `type` compares.").validate(length_between(1, 100)),
                    Attribute::string("type").required().description("How a branch name is compared with `pattern`: `equals`, `startsWith` or `endsWith`.").validate(one_of(MATCH_TYPES)),
                ],
            )
            .optional()
            .description("The Git branches whose deployments go to this environment (none: only deployments made for it explicitly)."),
        ],
    )
}

/// The project and the environment naming a stored environment; blank ones never become a request.
fn keys(m: &CustomEnvironmentModel) -> Result<(&str, &str), Diagnostics> {
    Val::Known(m.project_id.clone()).required("project_id")?;
    let id = m.id.required("id")?;
    Ok((&m.project_id, id))
}

#[async_trait]
impl TypedResource for CustomEnvironmentResource {
    type Model = CustomEnvironmentModel;
    type Client = VercelClient;
    const TYPE_NAME: &'static str = "vercel_custom_environment";

    fn schema(&self) -> Schema {
        custom_environment_schema()
    }

    /// `<project_id>/<id or name>` or `<team_id>/<project_id>/<id or name>` (Vercel looks an
    /// environment up by either; Read stores the id).
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<project_id>/<id>", "<team_id>/<project_id>/<id>"])
            .check(import_parts_ok)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["project_id", "id"]).optional(&["team_id"])
    }

    async fn create(
        &self,
        c: &VercelClient,
        op: Create<CustomEnvironmentModel>,
        _cx: &ApplyCx,
    ) -> Applied<CustomEnvironmentModel> {
        let plan = op.plan;
        let team = team(c, &plan.team_id);
        let t = team.as_deref();
        // Names are unique per project: after an ambiguous failure, adopt it if it is there.
        let e = create_or_adopt(
            "Failed to create the Vercel custom environment",
            c.create_custom_environment(t, &plan.project_id, &plan.to_create_request()),
            || async {
                match c
                    .get_custom_environment(t, &plan.project_id, &plan.name)
                    .await
                {
                    Ok(e) => Ok(Some(e)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            },
        )
        .await?;
        Ok(plan.with_api(&e, team))
    }

    async fn read(
        &self,
        c: &VercelClient,
        state: CustomEnvironmentModel,
        _cx: &ApplyCx,
    ) -> Result<Option<CustomEnvironmentModel>, Diagnostics> {
        let team = team(c, &state.team_id);
        let (project, id) = keys(&state)?;
        match c.get_custom_environment(team.as_deref(), project, id).await {
            Ok(e) => Ok(Some(state.with_api(&e, team))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Vercel custom environment", &e)),
        }
    }

    async fn update(
        &self,
        c: &VercelClient,
        op: Update<CustomEnvironmentModel>,
        _cx: &ApplyCx,
    ) -> Applied<CustomEnvironmentModel> {
        let Update { prior, plan, .. } = op;
        let team = team(c, &plan.team_id);
        let (project, id) = keys(&prior)?;
        let body = plan.to_update_request(&prior);
        if body.is_empty() {
            return Ok(plan);
        }
        let e = c
            .update_custom_environment(team.as_deref(), project, id, &body)
            .await
            .map_err(|e| api_diag("Failed to update Vercel custom environment", &e))
            .map_err(|d| Failed::partial(prior.clone(), d))?;
        Ok(plan.with_api(&e, team))
    }

    async fn delete(
        &self,
        c: &VercelClient,
        state: CustomEnvironmentModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let team = team(c, &state.team_id);
        let (project, id) = keys(&state)?;
        c.delete_custom_environment(team.as_deref(), project, id)
            .await
            .map_err(|e| api_diag("Failed to remove Vercel custom environment", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> CustomEnvironmentModel {
        CustomEnvironmentModel {
            project_id: "prj_1".into(),
            name: "staging".into(),
            branch_tracking: Some(BranchTrackingModel {
                pattern: "release/".into(),
                kind: "startsWith".into(),
            }),
            ..CustomEnvironmentModel::default()
        }
    }

    #[test]
    fn create_sends_the_slug_and_the_matcher() {
        let req = serde_json::to_value(model().to_create_request()).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"slug": "staging", "branchMatcher": {"type": "startsWith", "pattern": "release/"}})
        );
    }

    #[test]
    fn update_clears_a_removed_matcher_and_description() {
        let prior = CustomEnvironmentModel {
            description: Some("QA".into()),
            ..model()
        };
        assert!(prior.to_update_request(&prior).is_empty());
        let next = CustomEnvironmentModel {
            description: None,
            branch_tracking: None,
            ..prior.clone()
        };
        let req = serde_json::to_value(next.to_update_request(&prior)).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"description": "", "branchMatcher": null})
        );
    }

    #[test]
    fn names_follow_the_slug_rule() {
        assert_eq!(env_name_error("staging"), None);
        assert!(env_name_error("Preview").is_some());
        assert!(env_name_error("preview").is_some());
        assert!(env_name_error("a b").is_some());
        assert!(env_name_error(&"x".repeat(33)).is_some());
    }
}
