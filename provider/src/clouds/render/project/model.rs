//! `render_project`'s model and its pure mappings: the state struct (shared by the resource and
//! the data source), the create body, the per-environment changes an update makes, and the state
//! rebuilt from the API's project and environments (each environment keeps the key it had in
//! the prior state, matched by id; a new one is keyed by its name). No I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::super::client::projects::{
    CreateProjectRequest, Environment, EnvironmentInput, Project,
};
use crate::framework::Val;

/// One state of `render_project` (and one answer of its data source). Every field is a `Val`:
/// an import's partial state holds only `id`, and the data source looks up by either.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectModel {
    pub name: Val<String>,
    pub environments: Val<BTreeMap<String, EnvironmentModel>>,
    pub id: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EnvironmentModel {
    pub name: Val<String>,
    pub protected_status: Val<String>,
    pub network_isolated: Val<bool>,
    pub id: Val<String>,
}

impl EnvironmentModel {
    fn from_api(e: &Environment) -> Self {
        EnvironmentModel {
            name: Val::Known(e.name.clone()),
            protected_status: Val::Known(if e.protected_status.is_empty() {
                "unprotected".into()
            } else {
                e.protected_status.clone()
            }),
            network_isolated: Val::Known(e.network_isolation_enabled),
            id: Val::Known(e.id.clone()),
        }
    }

    /// The body that creates this environment (inside a project create, or on its own).
    pub fn to_input(&self, project_id: Option<&str>) -> EnvironmentInput {
        EnvironmentInput {
            name: self.name.known().cloned(),
            project_id: project_id.map(str::to_string),
            protected_status: self.protected_status.known().cloned(),
            network_isolation_enabled: self.network_isolated.known().copied(),
        }
    }

    /// The PATCH body that turns `prior` into this one, or `None` when nothing changed.
    pub fn to_update(&self, prior: &EnvironmentModel) -> Option<EnvironmentInput> {
        fn diff<T: Clone + PartialEq>(plan: &Val<T>, prior: &Val<T>) -> Option<T> {
            plan.known().filter(|v| prior.known() != Some(*v)).cloned()
        }
        let input = EnvironmentInput {
            name: diff(&self.name, &prior.name),
            project_id: None,
            protected_status: diff(&self.protected_status, &prior.protected_status),
            network_isolation_enabled: diff(&self.network_isolated, &prior.network_isolated),
        };
        (input != EnvironmentInput::default()).then_some(input)
    }
}

/// What an update does to the environments, computed from prior state and plan.
#[derive(Debug, Default, PartialEq)]
pub struct EnvironmentChanges {
    /// Environment ids whose entries left the configuration.
    pub remove: Vec<(String, String)>,
    /// (environment id, PATCH body).
    pub update: Vec<(String, EnvironmentInput)>,
    /// (key, create body without the project id).
    pub create: Vec<(String, EnvironmentModel)>,
}

impl ProjectModel {
    pub fn envs(&self) -> BTreeMap<String, EnvironmentModel> {
        self.environments.known().cloned().unwrap_or_default()
    }

    /// `projectPOSTInput`.
    pub fn to_create_request(&self, owner_id: &str) -> CreateProjectRequest {
        CreateProjectRequest {
            name: self.name.known().cloned().unwrap_or_default(),
            owner_id: owner_id.to_string(),
            environments: self.envs().values().map(|e| e.to_input(None)).collect(),
        }
    }

    /// The project name to PATCH, if it changed.
    pub fn renamed(&self, prior: &ProjectModel) -> Option<String> {
        self.name
            .known()
            .filter(|n| prior.name.known() != Some(*n))
            .cloned()
    }

    /// Environments to remove, update and create to go from `prior` to this plan.
    pub fn environment_changes(&self, prior: &ProjectModel) -> EnvironmentChanges {
        let (plan, before) = (self.envs(), prior.envs());
        let mut out = EnvironmentChanges::default();
        for (key, old) in &before {
            let Some(id) = old.id.known() else { continue };
            match plan.get(key) {
                None => out.remove.push((key.clone(), id.clone())),
                Some(new) => {
                    if let Some(input) = new.to_update(old) {
                        out.update.push((id.clone(), input));
                    }
                }
            }
        }
        for (key, new) in &plan {
            if before.get(key).and_then(|e| e.id.known()).is_none() {
                out.create.push((key.clone(), new.clone()));
            }
        }
        out
    }

    /// The state from the API's answer. Each environment takes the key it has in `base` (by id,
    /// then by name); the rest are keyed by name.
    pub fn from_api(p: &Project, envs: &[Environment], base: &ProjectModel) -> ProjectModel {
        let prior = base.envs();
        let mut out = BTreeMap::new();
        for e in envs {
            let by_id = prior
                .iter()
                .find(|(_, m)| m.id.known() == Some(&e.id))
                .map(|(k, _)| k.clone());
            let by_name = || {
                prior
                    .iter()
                    .find(|(k, m)| {
                        m.id.is_unset() && m.name.known() == Some(&e.name) && !out.contains_key(*k)
                    })
                    .map(|(k, _)| k.clone())
            };
            let key = by_id.or_else(by_name).unwrap_or_else(|| e.name.clone());
            out.insert(key, EnvironmentModel::from_api(e));
        }
        ProjectModel {
            name: Val::Known(p.name.clone()),
            environments: Val::Known(out),
            id: Val::Known(p.id.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, id: Option<&str>) -> EnvironmentModel {
        EnvironmentModel {
            name: Val::Known(name.into()),
            protected_status: Val::Known("unprotected".into()),
            network_isolated: Val::Known(false),
            id: id.map(str::to_string).into(),
        }
    }

    fn project(envs: &[(&str, EnvironmentModel)]) -> ProjectModel {
        ProjectModel {
            name: Val::Known("p".into()),
            environments: Val::Known(
                envs.iter()
                    .map(|(k, e)| (k.to_string(), e.clone()))
                    .collect(),
            ),
            id: Val::Known("prj-1".into()),
        }
    }

    #[test]
    fn a_rename_is_a_patch_a_new_key_a_create_and_a_missing_key_a_removal() {
        let prior = project(&[
            ("staging", env("staging", Some("evm-s"))),
            ("old", env("old", Some("evm-o"))),
        ]);
        let plan = project(&[
            ("staging", env("preview", None)),
            ("production", env("production", None)),
        ]);
        let c = plan.environment_changes(&prior);
        assert_eq!(c.remove, vec![("old".to_string(), "evm-o".to_string())]);
        assert_eq!(c.update.len(), 1);
        assert_eq!(c.update[0].0, "evm-s");
        assert_eq!(c.update[0].1.name.as_deref(), Some("preview"));
        assert_eq!(c.update[0].1.protected_status, None, "only what changed");
        assert_eq!(c.create.len(), 1);
        assert_eq!(c.create[0].0, "production");
        assert_eq!(
            prior.environment_changes(&prior),
            EnvironmentChanges::default()
        );
    }

    #[test]
    fn api_environments_keep_their_keys() {
        let base = project(&[
            ("stg", env("staging", Some("evm-s"))),
            ("prod", env("production", None)),
        ]);
        let api = |id: &str, name: &str| Environment {
            id: id.into(),
            name: name.into(),
            ..Environment::default()
        };
        let p = Project {
            id: "prj-1".into(),
            name: "p".into(),
            ..Project::default()
        };
        let got = ProjectModel::from_api(
            &p,
            &[
                api("evm-s", "renamed"),
                api("evm-p", "production"),
                api("evm-x", "extra"),
            ],
            &base,
        );
        let envs = got.envs();
        assert_eq!(envs["stg"].id.as_deref(), Some("evm-s"));
        assert_eq!(envs["stg"].name.as_deref(), Some("renamed"));
        assert_eq!(envs["prod"].id.as_deref(), Some("evm-p"));
        assert_eq!(envs["extra"].id.as_deref(), Some("evm-x"));
        assert_eq!(
            envs["prod"].protected_status.as_deref(),
            Some("unprotected")
        );
    }
}
