//! vercel_project's state as a typed model and its pure mappings: model → create/update requests,
//! API project + env vars → model, env-var identity (key + targets + git branch). No I/O; must not
//! import the HTTP layer or the framework's host.

use serde::{Deserialize, Serialize};

use crate::clouds::vercel::client::{
    CreateProjectRequest, EnvVar, GitLink, OidcTokenConfig, OptionsAllowlist, PasswordProtection,
    PathValue, Project, Protection, ResourceConfig, TrustedIp, TrustedIps, UpdateProjectRequest,
};
use crate::clouds::vercel::project::schema::SKEW_WINDOWS;
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
    /// `deployment_type` `none` when off (the API's null), so it is never ambiguous.
    pub vercel_authentication: Val<VercelAuthModel>,
    pub password_protection: Option<PasswordModel>,
    pub trusted_ips: Option<TrustedIpsModel>,
    pub options_allowlist: Option<OptionsAllowlistModel>,
    pub resource_config: Val<ResourceConfigModel>,
    pub skew_protection: Option<String>,
    pub git_lfs: Val<bool>,
    pub function_failover: Val<bool>,
    pub oidc_token_config: Val<OidcModel>,
    pub customer_success_code_visibility: Val<bool>,
    pub enable_preview_feedback: Val<bool>,
    pub enable_production_feedback: Val<bool>,
    pub enable_affected_projects_deployments: Val<bool>,
}

/// Function defaults (`resourceConfig`); each field optional+computed.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ResourceConfigModel {
    pub function_default_cpu_type: Val<String>,
    pub function_default_timeout: Val<i64>,
    pub fluid: Val<bool>,
    pub function_default_regions: Val<Vec<String>>,
    pub build_machine_type: Val<String>,
}

/// `oidcTokenConfig` without the spec's deprecated `enabled`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OidcModel {
    pub issuer_mode: Val<String>,
}

impl OidcModel {
    fn from_api(o: &OidcTokenConfig) -> Self {
        OidcModel {
            issuer_mode: o.issuer_mode.clone().into(),
        }
    }

    /// `None` when nothing is known to send (an unset issuer keeps the project's).
    fn to_api(&self) -> Option<OidcTokenConfig> {
        let issuer_mode = self.issuer_mode.known().cloned();
        issuer_mode.is_some().then_some(OidcTokenConfig {
            enabled: None,
            issuer_mode,
        })
    }
}

impl ResourceConfigModel {
    fn from_api(r: &ResourceConfig) -> Self {
        let mut regions = r.function_default_regions.clone();
        if let Some(v) = regions.as_mut() {
            v.sort();
        }
        ResourceConfigModel {
            function_default_cpu_type: r.function_default_memory_type.clone().into(),
            function_default_timeout: r.function_default_timeout.into(),
            fluid: r.fluid.into(),
            function_default_regions: regions.into(),
            build_machine_type: r.build_machine_type.clone().into(),
        }
    }

    /// Every known field: sent whole, so the API's merge or replace ends the same.
    fn to_api(&self) -> ResourceConfig {
        ResourceConfig {
            function_default_memory_type: self.function_default_cpu_type.known().cloned(),
            function_default_timeout: self.function_default_timeout.known().copied(),
            fluid: self.fluid.known().copied(),
            function_default_regions: self.function_default_regions.known().cloned(),
            build_machine_type: self.build_machine_type.known().cloned(),
        }
    }
}

/// Skew Protection's window name for `skewProtectionMaxAge` seconds (0 or none: off); a window
/// set outside Terraform that has no name reads as its seconds.
fn skew_from_api(seconds: Option<i64>) -> Option<String> {
    let s = seconds.filter(|s| *s > 0)?;
    Some(
        SKEW_WINDOWS
            .iter()
            .find(|(_, n)| *n == s)
            .map_or_else(|| format!("{s} seconds"), |(name, _)| name.to_string()),
    )
}

fn skew_to_api(name: Option<&String>) -> i64 {
    name.and_then(|n| SKEW_WINDOWS.iter().find(|(w, _)| w == n))
        .map_or(0, |(_, s)| *s)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct VercelAuthModel {
    pub deployment_type: String,
}

/// The password is write-only (null in plan and state): it is sent at create and whenever
/// `password_wo_version` changes.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PasswordModel {
    pub deployment_type: String,
    pub password_wo: Option<String>,
    pub password_wo_version: Option<i64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TrustedIpsModel {
    pub deployment_type: String,
    pub protection_mode: String,
    pub addresses: Vec<TrustedIpModel>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TrustedIpModel {
    pub value: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OptionsAllowlistModel {
    pub paths: Vec<String>,
}

/// Vercel Authentication's `none`: the API's null.
pub const PROTECTION_OFF: &str = "none";

fn sso_to_api(m: &VercelAuthModel) -> Option<Protection> {
    (m.deployment_type != PROTECTION_OFF).then(|| Protection {
        deployment_type: m.deployment_type.clone(),
    })
}

fn trusted_to_api(m: &TrustedIpsModel) -> TrustedIps {
    TrustedIps {
        deployment_type: m.deployment_type.clone(),
        protection_mode: m.protection_mode.clone(),
        addresses: m
            .addresses
            .iter()
            .map(|a| TrustedIp {
                value: a.value.clone(),
                note: a.note.clone(),
            })
            .collect(),
    }
}

fn allowlist_to_api(m: &OptionsAllowlistModel) -> OptionsAllowlist {
    OptionsAllowlist {
        paths: m
            .paths
            .iter()
            .map(|p| PathValue { value: p.clone() })
            .collect(),
    }
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
    pub target: Option<Vec<String>>,
    pub custom_environment_ids: Option<Vec<String>>,
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
        self.vercel_authentication = Val::Known(VercelAuthModel {
            deployment_type: p
                .sso_protection
                .as_ref()
                .map_or(PROTECTION_OFF.into(), |s| s.deployment_type.clone()),
        });
        let version = self
            .password_protection
            .as_ref()
            .and_then(|m| m.password_wo_version);
        self.password_protection = p.password_protection.as_ref().map(|pp| PasswordModel {
            deployment_type: pp.deployment_type.clone(),
            password_wo: None,
            password_wo_version: version,
        });
        self.trusted_ips = p
            .trusted_ips
            .as_ref()
            .filter(|t| !t.addresses.is_empty())
            .map(|t| TrustedIpsModel {
                deployment_type: t.deployment_type.clone(),
                protection_mode: t.protection_mode.clone(),
                addresses: t
                    .addresses
                    .iter()
                    .map(|a| TrustedIpModel {
                        value: a.value.clone(),
                        // An empty note reads back as none.
                        note: a.note.clone().filter(|n| !n.is_empty()),
                    })
                    .collect(),
            });
        self.options_allowlist = p.options_allowlist.as_ref().map(|o| OptionsAllowlistModel {
            paths: o.paths.iter().map(|p| p.value.clone()).collect(),
        });
        self.resource_config = p
            .resource_config
            .as_ref()
            .map(ResourceConfigModel::from_api)
            .into();
        self.skew_protection = skew_from_api(p.skew_protection_max_age);
        self.git_lfs = p.git_lfs.into();
        self.function_failover = p.serverless_function_zero_config_failover.into();
        self.oidc_token_config = p.oidc_token_config.as_ref().map(OidcModel::from_api).into();
        self.customer_success_code_visibility = p.customer_support_code_visibility.into();
        self.enable_preview_feedback = p.enable_preview_feedback.into();
        self.enable_production_feedback = p.enable_production_feedback.into();
        self.enable_affected_projects_deployments = p.enable_affected_projects_deployments.into();
        self
    }

    /// updateProject's `passwordProtection` for this plan: cleared when removed; the password
    /// (from the configuration: it is write-only) when protection is new or its version changed;
    /// otherwise only a changed deployment type.
    pub fn password_update(
        &self,
        config: &ProjectModel,
        prior: Option<&ProjectModel>,
    ) -> Option<Option<PasswordProtection>> {
        let before = prior.and_then(|p| p.password_protection.as_ref());
        match (&self.password_protection, before) {
            (None, None) => None,
            (None, Some(_)) => Some(None),
            (Some(p), before) => {
                let new_password =
                    before.is_none_or(|b| b.password_wo_version != p.password_wo_version);
                let new_type = before.is_none_or(|b| b.deployment_type != p.deployment_type);
                (new_password || new_type).then(|| {
                    Some(PasswordProtection {
                        deployment_type: p.deployment_type.clone(),
                        password: new_password
                            .then(|| {
                                config
                                    .password_protection
                                    .as_ref()
                                    .and_then(|c| c.password_wo.clone())
                            })
                            .flatten(),
                    })
                })
            }
        }
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
            sso_protection: self.vercel_authentication.known().map(sso_to_api),
            git_repository: self.git_repository.as_ref().map(|g| GitLink {
                kind: g.kind.clone(),
                repo: g.repo.clone(),
            }),
            resource_config: self
                .resource_config
                .known()
                .map(ResourceConfigModel::to_api)
                .filter(|r| !r.is_empty()),
            oidc_token_config: self.oidc_token_config.known().and_then(OidcModel::to_api),
            enable_preview_feedback: self.enable_preview_feedback.known().copied(),
            enable_production_feedback: self.enable_production_feedback.known().copied(),
            enable_affected_projects_deployments: self
                .enable_affected_projects_deployments
                .known()
                .copied(),
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
            trusted_ips: self.trusted_ips.as_ref().map(|t| Some(trusted_to_api(t))),
            options_allowlist: self
                .options_allowlist
                .as_ref()
                .map(|o| Some(allowlist_to_api(o))),
            skew_protection_max_age: self.skew_protection.as_ref().map(|n| skew_to_api(Some(n))),
            git_lfs: self.git_lfs.known().copied(),
            serverless_function_zero_config_failover: self.function_failover.known().copied(),
            customer_support_code_visibility: self
                .customer_success_code_visibility
                .known()
                .copied(),
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
            sso_protection: changed(&prior.vercel_authentication, &self.vercel_authentication)
                .map(|m| m.as_ref().and_then(sso_to_api)),
            // Set by the caller from the configuration (`password_update`): it is write-only.
            password_protection: None,
            trusted_ips: changed_opt(&prior.trusted_ips, &self.trusted_ips)
                .map(|t| t.as_ref().map(trusted_to_api)),
            options_allowlist: changed_opt(&prior.options_allowlist, &self.options_allowlist)
                .map(|o| o.as_ref().map(allowlist_to_api)),
            resource_config: changed(&prior.resource_config, &self.resource_config)
                .flatten()
                .map(|r| r.to_api())
                .filter(|r| !r.is_empty()),
            skew_protection_max_age: changed_opt(&prior.skew_protection, &self.skew_protection)
                .map(|n| skew_to_api(n.as_ref())),
            git_lfs: changed(&prior.git_lfs, &self.git_lfs).flatten(),
            serverless_function_zero_config_failover: changed(
                &prior.function_failover,
                &self.function_failover,
            )
            .flatten(),
            oidc_token_config: changed(&prior.oidc_token_config, &self.oidc_token_config)
                .flatten()
                .and_then(|o| o.to_api()),
            customer_support_code_visibility: changed(
                &prior.customer_success_code_visibility,
                &self.customer_success_code_visibility,
            )
            .flatten(),
            enable_preview_feedback: changed(
                &prior.enable_preview_feedback,
                &self.enable_preview_feedback,
            ),
            enable_production_feedback: changed(
                &prior.enable_production_feedback,
                &self.enable_production_feedback,
            ),
            enable_affected_projects_deployments: changed(
                &prior.enable_affected_projects_deployments,
                &self.enable_affected_projects_deployments,
            )
            .flatten(),
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
            target: self.target.clone().unwrap_or_default(),
            custom_environment_ids: self.custom_environment_ids.clone().unwrap_or_default(),
            kind: self.kind.clone().unwrap_or_else(|| "encrypted".into()),
            git_branch: self.git_branch.clone(),
            comment: self.comment.clone(),
        }
    }
}

/// What an env var is reconciled by: key, sorted targets, git branch and sorted custom
/// environments.
pub fn env_identity(e: &EnvVar) -> (String, Vec<String>, Option<String>, Vec<String>) {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    (
        e.key.clone(),
        sorted(&e.target),
        e.git_branch.clone(),
        sorted(&e.custom_environment_ids),
    )
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
                target: (!e.target.is_empty()).then(|| e.target.clone()),
                custom_environment_ids: (!e.custom_environment_ids.is_empty())
                    .then(|| e.custom_environment_ids.clone()),
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
    fn the_write_only_password_is_sent_only_when_new_or_its_version_changes() {
        let with = |version: i64, kind: &str, pw: Option<&str>| ProjectModel {
            password_protection: Some(PasswordModel {
                deployment_type: kind.into(),
                password_wo: pw.map(str::to_string),
                password_wo_version: Some(version),
            }),
            ..plan()
        };
        let config = with(1, "preview", Some("pw"));
        let first = with(1, "preview", None).password_update(&config, None);
        assert_eq!(first.flatten().and_then(|p| p.password), Some("pw".into()));
        let prior = with(1, "preview", None);
        assert_eq!(
            with(1, "preview", None).password_update(&config, Some(&prior)),
            None
        );
        let retyped = with(1, "all", None).password_update(&config, Some(&prior));
        assert_eq!(
            retyped,
            Some(Some(PasswordProtection {
                deployment_type: "all".into(),
                password: None
            }))
        );
        let rotated = with(2, "preview", None).password_update(&config, Some(&prior));
        assert_eq!(
            rotated.flatten().and_then(|p| p.password),
            Some("pw".into())
        );
        assert_eq!(plan().password_update(&plan(), Some(&prior)), Some(None));
    }

    #[test]
    fn sensitive_values_come_from_the_prior_state() {
        let prior = vec![EnvModel {
            key: "K".into(),
            value: Some("s3cret".into()),
            target: Some(vec!["production".into()]),
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
