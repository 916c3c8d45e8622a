//! vercel_project's state as a typed model and its pure mappings: model → create/update requests,
//! API project + env vars → model, env-var identity (key + targets + git branch). No I/O; must not
//! import the HTTP layer or the framework's host.

use serde::{Deserialize, Serialize};

use crate::clouds::vercel::client::{
    CreateProjectRequest, EnvVar, GitLink, Project, UpdateProjectRequest,
};
use crate::framework::Val;

/// The resource's state (schema in `schema.rs`). Missing attributes decode as null: an import's
/// partial state names only the id (and team).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectModel {
    pub id: Val<String>,
    pub name: String,
    pub team_id: Val<String>,
    pub framework: Val<String>,
    pub root_directory: Option<String>,
    pub build_command: Option<String>,
    pub output_directory: Option<String>,
    pub install_command: Option<String>,
    pub dev_command: Option<String>,
    pub ignore_command: Option<String>,
    pub node_version: Val<String>,
    pub serverless_function_region: Val<String>,
    pub public_source: Val<bool>,
    pub preview_deployments_disabled: Val<bool>,
    pub automatically_expose_system_environment_variables: Val<bool>,
    pub auto_assign_custom_domains: Val<bool>,
    pub directory_listing: Val<bool>,
    pub git_fork_protection: Val<bool>,
    pub git_repository: Option<GitRepository>,
    /// Unknown after an import: Read fetches the variables in full.
    pub environment: Val<Vec<EnvModel>>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct GitRepository {
    #[serde(rename = "type")]
    pub kind: String,
    pub repo: String,
    pub production_branch: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EnvModel {
    pub key: String,
    /// Null only when the API cannot reveal a value nobody configured (an imported secret).
    pub value: Option<String>,
    pub target: Vec<String>,
    pub git_branch: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub comment: Option<String>,
}

/// The project's Git link as the attribute, keeping `prior_repo`'s spelling when it names the
/// same repository (GitHub answers in its own case).
pub fn git_from_api(p: &Project, prior_repo: Option<&str>) -> Option<GitRepository> {
    let (kind, repo, branch) = p.git()?;
    let repo = match prior_repo {
        Some(r) if r.eq_ignore_ascii_case(&repo) => r.to_string(),
        _ => repo,
    };
    Some(GitRepository {
        kind,
        repo,
        production_branch: branch.into(),
    })
}

/// A changed setting for an update: `None` when unchanged or not yet known.
fn changed<T: Clone + PartialEq>(prior: &Val<T>, plan: &Val<T>) -> Option<Option<T>> {
    (!plan.is_unknown() && prior != plan).then(|| plan.known().cloned())
}

fn changed_opt<T: Clone + PartialEq>(prior: &Option<T>, plan: &Option<T>) -> Option<Option<T>> {
    (prior != plan).then(|| plan.clone())
}

impl ProjectModel {
    /// This state with the API's project filled in. Only a team the user named (or the provider's)
    /// scopes later calls; a personal account has none (its account id is not a team).
    pub fn with_api(mut self, p: &Project, team: Option<String>) -> Self {
        self.id = Val::Known(p.id.clone());
        self.name = p.name.clone();
        self.team_id = team.into();
        self.framework = p.framework.clone().into();
        self.root_directory = p.root_directory.clone();
        self.build_command = p.build_command.clone();
        self.output_directory = p.output_directory.clone();
        self.install_command = p.install_command.clone();
        self.dev_command = p.dev_command.clone();
        self.ignore_command = p.command_for_ignoring_build_step.clone();
        self.node_version = p.node_version.clone().into();
        self.serverless_function_region = p.serverless_function_region.clone().into();
        self.public_source = p.public_source.into();
        self.preview_deployments_disabled = p.preview_deployments_disabled.into();
        self.automatically_expose_system_environment_variables = p.auto_expose_system_envs.into();
        self.auto_assign_custom_domains = p.auto_assign_custom_domains.into();
        self.directory_listing = p.directory_listing.into();
        self.git_fork_protection = p.git_fork_protection.into();
        let prior_repo = self.git_repository.as_ref().map(|g| g.repo.clone());
        self.git_repository = git_from_api(p, prior_repo.as_deref());
        self
    }

    /// createProject: the settings the plan sets (node version and system-env exposure are not
    /// create fields: `to_create_patch` sends them right after).
    pub fn to_create_request(&self) -> CreateProjectRequest {
        CreateProjectRequest {
            name: self.name.clone(),
            framework: self.framework.known().cloned(),
            root_directory: self.root_directory.clone(),
            build_command: self.build_command.clone(),
            output_directory: self.output_directory.clone(),
            install_command: self.install_command.clone(),
            dev_command: self.dev_command.clone(),
            command_for_ignoring_build_step: self.ignore_command.clone(),
            serverless_function_region: self.serverless_function_region.known().cloned(),
            public_source: self.public_source.known().copied(),
            preview_deployments_disabled: self.preview_deployments_disabled.known().copied(),
            git_repository: self.git_repository.as_ref().map(|g| GitLink {
                kind: g.kind.clone(),
                repo: g.repo.clone(),
            }),
        }
    }

    /// The settings createProject does not take, for the update right after it.
    pub fn to_create_patch(&self) -> UpdateProjectRequest {
        UpdateProjectRequest {
            node_version: self.node_version.known().cloned().map(Some),
            auto_expose_system_envs: self
                .automatically_expose_system_environment_variables
                .known()
                .copied()
                .map(Some),
            auto_assign_custom_domains: self.auto_assign_custom_domains.known().copied().map(Some),
            directory_listing: self.directory_listing.known().copied().map(Some),
            git_fork_protection: self.git_fork_protection.known().copied().map(Some),
            ..UpdateProjectRequest::default()
        }
    }

    /// updateProject: every setting the plan changes (a removed one is cleared).
    pub fn to_update_request(&self, prior: &ProjectModel) -> UpdateProjectRequest {
        UpdateProjectRequest {
            name: (prior.name != self.name).then(|| self.name.clone()),
            framework: changed(&prior.framework, &self.framework),
            root_directory: changed_opt(&prior.root_directory, &self.root_directory),
            build_command: changed_opt(&prior.build_command, &self.build_command),
            output_directory: changed_opt(&prior.output_directory, &self.output_directory),
            install_command: changed_opt(&prior.install_command, &self.install_command),
            dev_command: changed_opt(&prior.dev_command, &self.dev_command),
            command_for_ignoring_build_step: changed_opt(
                &prior.ignore_command,
                &self.ignore_command,
            ),
            serverless_function_region: changed(
                &prior.serverless_function_region,
                &self.serverless_function_region,
            ),
            node_version: changed(&prior.node_version, &self.node_version),
            public_source: changed(&prior.public_source, &self.public_source),
            preview_deployments_disabled: changed(
                &prior.preview_deployments_disabled,
                &self.preview_deployments_disabled,
            ),
            auto_expose_system_envs: changed(
                &prior.automatically_expose_system_environment_variables,
                &self.automatically_expose_system_environment_variables,
            ),
            auto_assign_custom_domains: changed(
                &prior.auto_assign_custom_domains,
                &self.auto_assign_custom_domains,
            ),
            directory_listing: changed(&prior.directory_listing, &self.directory_listing),
            git_fork_protection: changed(&prior.git_fork_protection, &self.git_fork_protection),
        }
    }

    /// The Git link to make when the repository changes: `(unlink first, link to)`.
    pub fn relink(&self, prior: &ProjectModel) -> Option<(bool, Option<GitLink>)> {
        let key = |g: &Option<GitRepository>| {
            g.as_ref()
                .map(|g| (g.kind.clone(), g.repo.to_ascii_lowercase()))
        };
        if key(&prior.git_repository) == key(&self.git_repository) {
            return None;
        }
        let to = self.git_repository.as_ref().map(|g| GitLink {
            kind: g.kind.clone(),
            repo: g.repo.clone(),
        });
        Some((prior.git_repository.is_some(), to))
    }

    /// The planned variables as API env vars.
    pub fn env_vars(&self) -> Vec<EnvVar> {
        self.environment
            .known()
            .map(|v| v.iter().map(EnvModel::to_api).collect())
            .unwrap_or_default()
    }
}

impl EnvModel {
    fn to_api(&self) -> EnvVar {
        EnvVar {
            id: None,
            key: self.key.clone(),
            value: self.value.clone(),
            target: self.target.clone(),
            kind: self.kind.clone().unwrap_or_else(|| "encrypted".into()),
            git_branch: self.git_branch.clone(),
            comment: self.comment.clone(),
        }
    }
}

/// What an env var is reconciled by: key, sorted targets and git branch.
pub fn env_identity(e: &EnvVar) -> (String, Vec<String>, Option<String>) {
    let mut t = e.target.clone();
    t.sort();
    (e.key.clone(), t, e.git_branch.clone())
}

/// The API's env vars as the attribute, in the configured form where the API cannot tell
/// (a sensitive value is never read back: the configured one is kept).
pub fn env_from_api(api: &[EnvVar], prior: &[EnvModel]) -> Val<Vec<EnvModel>> {
    if api.is_empty() {
        return Val::Null;
    }
    let vars = api
        .iter()
        .map(|e| {
            let matched = prior
                .iter()
                .find(|p| env_identity(&p.to_api()) == env_identity(e));
            let value = match (&e.value, e.kind.as_str(), matched) {
                (_, "sensitive", Some(m)) => m.value.clone(),
                (Some(v), _, _) => Some(v.clone()),
                (None, _, Some(m)) => m.value.clone(),
                (None, _, None) => None,
            };
            let kind = if e.kind.is_empty() {
                "encrypted"
            } else {
                &e.kind
            };
            EnvModel {
                key: e.key.clone(),
                value,
                target: e.target.clone(),
                git_branch: e.git_branch.clone(),
                kind: Some(kind.to_string()),
                comment: e.comment.clone().filter(|c| !c.is_empty()),
            }
        })
        .collect();
    Val::Known(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> ProjectModel {
        ProjectModel {
            name: "web".into(),
            framework: Val::Unknown,
            build_command: Some("pnpm build".into()),
            node_version: Val::Known("18.x".into()),
            public_source: Val::Known(false),
            ..ProjectModel::default()
        }
    }

    #[test]
    fn create_sends_only_what_is_set_and_patches_the_rest() {
        let req = serde_json::to_value(plan().to_create_request()).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"name": "web", "buildCommand": "pnpm build", "publicSource": false})
        );
        let patch = serde_json::to_value(plan().to_create_patch()).expect("json");
        assert_eq!(patch, serde_json::json!({"nodeVersion": "18.x"}));
    }

    #[test]
    fn update_sends_changes_and_clears_removed_settings() {
        let prior = ProjectModel {
            framework: Val::Known("vite".into()),
            ..plan()
        };
        assert!(prior.to_update_request(&prior).is_empty());
        let next = ProjectModel {
            name: "web2".into(),
            build_command: None,
            ..prior.clone()
        };
        let req = serde_json::to_value(next.to_update_request(&prior)).expect("json");
        assert_eq!(
            req,
            serde_json::json!({"name": "web2", "buildCommand": null})
        );
    }

    #[test]
    fn sensitive_values_come_from_the_prior_state() {
        let prior = vec![EnvModel {
            key: "K".into(),
            value: Some("s3cret".into()),
            target: vec!["production".into()],
            kind: Some("sensitive".into()),
            ..EnvModel::default()
        }];
        let api = vec![EnvVar {
            key: "K".into(),
            value: None,
            target: vec!["production".into()],
            kind: "sensitive".into(),
            ..EnvVar::default()
        }];
        let got = env_from_api(&api, &prior);
        assert_eq!(
            got.known().map(|v| v[0].value.clone()),
            Some(Some("s3cret".into()))
        );
        assert!(env_from_api(&[], &prior).is_null());
    }
}
