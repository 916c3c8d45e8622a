//! `render_env_group`'s models and pure mappings: the resource state, the create body, the
//! per-key writes an update makes (only what changed), the state rebuilt from the API's answer
//! (only the managed keys; all of them after an import), and the data source's model. No I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::super::client::projects::{CreateEnvGroupRequest, EnvGroup, GroupFile, VarInput};
use crate::framework::Val;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvGroupModel {
    pub name: Val<String>,
    pub environment_id: Val<String>,
    pub env_vars: Val<BTreeMap<String, VarModel>>,
    pub env_vars_wo: Val<BTreeMap<String, String>>,
    pub env_vars_wo_version: Val<i64>,
    pub secret_files: Val<BTreeMap<String, String>>,
    pub secret_files_wo: Val<BTreeMap<String, String>>,
    pub secret_files_wo_version: Val<i64>,
    pub id: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct VarModel {
    pub value: Val<String>,
    pub generate_value: Val<bool>,
}

impl VarModel {
    fn generates(&self) -> bool {
        self.generate_value.known() == Some(&true)
    }
    fn input(&self) -> VarInput {
        match self.value.known() {
            Some(v) if !self.generates() => VarInput::Value(v.clone()),
            _ => VarInput::Generate,
        }
    }
}

/// The writes an update makes, key by key.
#[derive(Debug, Default, PartialEq)]
pub struct EnvGroupWrites {
    pub put_vars: Vec<(String, VarInput)>,
    pub delete_vars: Vec<String>,
    pub put_files: Vec<(String, String)>,
    pub delete_files: Vec<String>,
}

fn map<T: Clone>(v: &Val<BTreeMap<String, T>>) -> BTreeMap<String, T> {
    v.known().cloned().unwrap_or_default()
}

impl EnvGroupModel {
    /// `envGroupPOSTInput`; write-only values come from the configuration.
    pub fn to_create_request(
        &self,
        config: &EnvGroupModel,
        owner_id: &str,
    ) -> CreateEnvGroupRequest {
        let mut env_vars: Vec<(String, VarInput)> = map(&self.env_vars)
            .iter()
            .map(|(k, v)| (k.clone(), v.input()))
            .collect();
        env_vars.extend(
            map(&config.env_vars_wo)
                .into_iter()
                .map(|(k, v)| (k, VarInput::Value(v))),
        );
        let secret_files = map(&self.secret_files)
            .into_iter()
            .chain(map(&config.secret_files_wo))
            .map(|(name, content)| GroupFile { name, content })
            .collect();
        CreateEnvGroupRequest {
            name: self.name.known().cloned().unwrap_or_default(),
            owner_id: owner_id.to_string(),
            environment_id: self.environment_id.known().cloned(),
            env_vars,
            secret_files,
        }
    }

    /// Only what changed from `prior`: new or changed keys are PUT, removed ones deleted; the
    /// write-only maps (from `config`) are sent when their version changed. A generated value
    /// is never regenerated while `generate_value` stays true.
    pub fn writes(&self, prior: &EnvGroupModel, config: &EnvGroupModel) -> EnvGroupWrites {
        let mut w = EnvGroupWrites::default();
        let (plan_vars, prior_vars) = (map(&self.env_vars), map(&prior.env_vars));
        for (k, v) in &plan_vars {
            let old = prior_vars.get(k);
            let changed = match old {
                None => true,
                Some(o) if v.generates() => !o.generates(),
                Some(o) => o.generates() || (v.value.is_known() && v.value != o.value),
            };
            if changed {
                w.put_vars.push((k.clone(), v.input()));
            }
        }
        // A key now owned by `env_vars_wo` (after an import read it into `env_vars`) leaves the
        // state but stays in Render.
        let wo = map(&config.env_vars_wo);
        w.delete_vars = prior_vars
            .keys()
            .filter(|k| !plan_vars.contains_key(*k) && !wo.contains_key(*k))
            .cloned()
            .collect();
        if self.env_vars_wo_version != prior.env_vars_wo_version {
            w.put_vars.extend(
                map(&config.env_vars_wo)
                    .into_iter()
                    .map(|(k, v)| (k, VarInput::Value(v))),
            );
        }
        let (plan_files, prior_files) = (map(&self.secret_files), map(&prior.secret_files));
        for (name, content) in &plan_files {
            if prior_files.get(name) != Some(content) {
                w.put_files.push((name.clone(), content.clone()));
            }
        }
        let wo_files = map(&config.secret_files_wo);
        w.delete_files = prior_files
            .keys()
            .filter(|k| !plan_files.contains_key(*k) && !wo_files.contains_key(*k))
            .cloned()
            .collect();
        if self.secret_files_wo_version != prior.secret_files_wo_version {
            w.put_files.extend(map(&config.secret_files_wo));
        }
        w
    }

    /// The state from the API's answer. Managed keys are those in `base` (all of them when
    /// `base` left the map unknown: an import); a managed key gone from Render leaves the state.
    pub fn from_api(g: &EnvGroup, base: &EnvGroupModel) -> EnvGroupModel {
        let all = base.env_vars.is_unknown();
        let wanted = map(&base.env_vars);
        let vars: BTreeMap<String, VarModel> = g
            .env_vars
            .iter()
            .filter(|e| all || wanted.contains_key(&e.key))
            .map(|e| {
                let generate = wanted
                    .get(&e.key)
                    .map_or(Val::Null, |m| m.generate_value.clone().settle());
                let value = Val::Known(e.value.clone());
                (
                    e.key.clone(),
                    VarModel {
                        value,
                        generate_value: generate,
                    },
                )
            })
            .collect();
        let all_files = base.secret_files.is_unknown();
        let wanted_files = map(&base.secret_files);
        let files: BTreeMap<String, String> = g
            .secret_files
            .iter()
            .filter(|f| all_files || wanted_files.contains_key(&f.name))
            .map(|f| (f.name.clone(), f.content.clone()))
            .collect();
        // An empty map where the configuration has none would be a diff: keep null as null.
        let or_null = |known: bool, empty: bool| !known && empty;
        EnvGroupModel {
            name: Val::Known(g.name.clone()),
            environment_id: g.environment_id.clone().filter(|e| !e.is_empty()).into(),
            env_vars: if or_null(base.env_vars.is_known(), vars.is_empty()) {
                Val::Null
            } else {
                Val::Known(vars)
            },
            env_vars_wo: Val::Null,
            env_vars_wo_version: base.env_vars_wo_version.clone().settle(),
            secret_files: if or_null(base.secret_files.is_known(), files.is_empty()) {
                Val::Null
            } else {
                Val::Known(files)
            },
            secret_files_wo: Val::Null,
            secret_files_wo_version: base.secret_files_wo_version.clone().settle(),
            id: Val::Known(g.id.clone()),
        }
    }
}

/// The `render_env_group` data source's model.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvGroupData {
    pub id: Val<String>,
    pub name: Val<String>,
    pub environment_id: Val<String>,
    pub env_vars: Val<BTreeMap<String, String>>,
    pub secret_files: Val<BTreeMap<String, String>>,
    pub service_ids: Val<Vec<String>>,
}

impl EnvGroupData {
    pub fn from_api(g: &EnvGroup) -> EnvGroupData {
        EnvGroupData {
            id: Val::Known(g.id.clone()),
            name: Val::Known(g.name.clone()),
            environment_id: g.environment_id.clone().filter(|e| !e.is_empty()).into(),
            env_vars: Val::Known(
                g.env_vars
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect(),
            ),
            secret_files: Val::Known(
                g.secret_files
                    .iter()
                    .map(|f| (f.name.clone(), f.content.clone()))
                    .collect(),
            ),
            service_ids: Val::Known(g.service_links.iter().map(|l| l.id.clone()).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(value: Option<&str>, generate: bool) -> VarModel {
        VarModel {
            value: value.map(str::to_string).into(),
            generate_value: if generate {
                Val::Known(true)
            } else {
                Val::Null
            },
        }
    }

    fn model(
        vars: &[(&str, VarModel)],
        files: &[(&str, &str)],
        wo_version: Option<i64>,
    ) -> EnvGroupModel {
        EnvGroupModel {
            name: Val::Known("g".into()),
            env_vars: Val::Known(
                vars.iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            ),
            secret_files: Val::Known(
                files
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            env_vars_wo: Val::Known([("WO".to_string(), "s3cret".to_string())].into()),
            env_vars_wo_version: wo_version.into(),
            ..EnvGroupModel::default()
        }
    }

    #[test]
    fn only_changed_keys_are_written_and_generated_values_stay() {
        let prior = model(
            &[
                ("A", var(Some("1"), false)),
                ("GEN", var(Some("xyz"), true)),
                ("OLD", var(Some("o"), false)),
            ],
            &[(".npmrc", "a")],
            Some(1),
        );
        let plan = model(
            &[
                ("A", var(Some("2"), false)),
                ("GEN", var(None, true)),
                ("NEW", var(None, true)),
            ],
            &[(".npmrc", "a"), ("b.txt", "b")],
            Some(1),
        );
        let w = plan.writes(&prior, &plan);
        assert_eq!(
            w.put_vars,
            vec![
                ("A".to_string(), VarInput::Value("2".into())),
                ("NEW".to_string(), VarInput::Generate)
            ]
        );
        assert_eq!(w.delete_vars, vec!["OLD".to_string()]);
        assert_eq!(w.put_files, vec![("b.txt".to_string(), "b".to_string())]);
        assert!(w.delete_files.is_empty());
        let bumped = model(&[], &[], Some(2));
        let w = bumped.writes(&model(&[], &[], Some(1)), &bumped);
        assert_eq!(
            w.put_vars,
            vec![("WO".to_string(), VarInput::Value("s3cret".into()))]
        );
        assert_eq!(prior.writes(&prior, &prior), EnvGroupWrites::default());
    }
}
