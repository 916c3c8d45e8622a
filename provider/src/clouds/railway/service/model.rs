//! railway_service's typed state and its pure mappings: what Railway reports (service, instance,
//! variables, domains, deploy triggers) → `ServiceModel` (`from_api`, in the configured form where
//! the API cannot tell unset from empty or never returns a value), and `ServiceModel` → the typed
//! GraphQL inputs (`to_create_request`, `to_update_request`, `instance_input`, `connect_input`,
//! `variables_input`). No network, no Terraform `Value`s, no GraphQL wire names (they live in the
//! client's input structs).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::clouds::railway::client::models::{
    Domains, RegionReplicas, RegistryCredentialsInput, ServiceConnectInput, ServiceCreateInput,
    ServiceInstanceUpdateInput, ServiceSourceInput, ServiceState, ServiceUpdateInput, Trigger,
    VariableCollectionUpsertInput,
};
use crate::framework::Val;

/// `registry_credentials`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryCredentials {
    pub username: String,
    pub password: String,
}

/// One element of `custom_domain_records`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRecord {
    pub domain: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub name: String,
    pub value: String,
}

/// `railway_service` state. Required attributes are `Val`s only because an import's partial
/// state lacks them until Read fills them; optional+computed ones are `Val`s, optional ones
/// `Option`s. Numbers of `multi_region_replicas` stay JSON numbers (the schema says Number).
// `default`: an import's partial state names only some attributes; the rest start null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceModel {
    pub id: Val<String>,
    pub project_id: Val<String>,
    pub environment_id: Val<String>,
    pub name: Val<String>,
    pub icon: Option<String>,
    pub source_repo: Option<String>,
    pub branch: Val<String>,
    pub root_directory: Option<String>,
    pub watch_patterns: Option<Vec<String>>,
    pub source_image: Option<String>,
    pub registry_credentials: Option<RegistryCredentials>,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
    pub pre_deploy_command: Option<Vec<String>>,
    pub builder: Val<String>,
    pub dockerfile_path: Option<String>,
    pub railway_config_file: Option<String>,
    pub healthcheck_path: Option<String>,
    pub healthcheck_timeout: Option<i64>,
    pub cron_schedule: Option<String>,
    pub num_replicas: Val<i64>,
    pub region: Val<String>,
    pub multi_region_replicas: Option<BTreeMap<String, serde_json::Number>>,
    pub restart_policy_type: Val<String>,
    pub restart_policy_max_retries: Val<i64>,
    pub sleep_application: Val<bool>,
    pub draining_seconds: Option<i64>,
    pub overlap_seconds: Option<i64>,
    pub variables: Val<BTreeMap<String, String>>,
    pub variables_wo: Option<BTreeMap<String, String>>,
    pub variables_wo_version: Option<i64>,
    pub variables_wo_names: Val<BTreeSet<String>>,
    pub service_domain: Val<bool>,
    pub service_domain_name: Val<String>,
    pub custom_domains: Val<Vec<String>>,
    pub custom_domain_records: Val<Vec<DomainRecord>>,
    /// Managed only when set (or being imported): null leaves Railway's port alone.
    pub service_domain_target_port: Val<i64>,
    /// Managed only when set (or being imported): null leaves Railway's generated name alone.
    pub service_domain_subdomain: Val<String>,
    pub custom_domain_target_ports: Val<BTreeMap<String, i64>>,
}

/// The first label of a generated domain (`web-production-1a2b` of
/// `web-production-1a2b.up.railway.app`).
pub fn subdomain_of(domain: &str) -> &str {
    domain.split_once('.').map_or(domain, |(label, _)| label)
}

/// `domain` renamed to `subdomain`, keeping its suffix (Railway's `suffix`, `up.railway.app`).
pub fn with_subdomain(domain: &str, subdomain: &str) -> String {
    match domain.split_once('.') {
        Some((_, suffix)) => format!("{subdomain}.{suffix}"),
        None => format!("{subdomain}.up.railway.app"),
    }
}

/// The generated domain's target port as state: Railway's when managed or imported (unknown).
fn service_port_value(prior: &Val<i64>, api: Option<i64>) -> Val<i64> {
    if prior.is_null() {
        return Val::Null;
    }
    api.into()
}

/// The custom domains' target ports as state: for the domains the prior names (all of them on
/// import), Railway's ports; null when not managed.
fn custom_ports_value(
    prior: &Val<BTreeMap<String, i64>>,
    domains: &Domains,
) -> Val<BTreeMap<String, i64>> {
    let wanted = |d: &str| match prior {
        Val::Known(m) => m.keys().any(|k| k.eq_ignore_ascii_case(d)),
        _ => true,
    };
    let ports: BTreeMap<String, i64> = domains
        .custom_domains
        .iter()
        .filter(|d| wanted(&d.domain))
        .filter_map(|d| d.target_port.map(|p| (d.domain.clone(), p)))
        .collect();
    match prior {
        Val::Null => Val::Null,
        Val::Unknown if ports.is_empty() => Val::Null,
        _ => Val::Known(ports),
    }
}

/// A string from the API: empty is null, unless the prior value was "".
fn opt_string(api: Option<&str>, prior: Option<&str>) -> Option<String> {
    match api {
        Some(s) if !s.is_empty() => Some(s.to_string()),
        _ if prior == Some("") => Some(String::new()),
        _ => None,
    }
}

/// A list from the API: empty means unset, unless the prior value was an empty list.
fn opt_list(api: Option<Vec<String>>, prior: Option<&Vec<String>>) -> Option<Vec<String>> {
    match api {
        Some(l) if !l.is_empty() => Some(l),
        _ if prior.is_some_and(Vec::is_empty) => Some(Vec::new()),
        _ => None,
    }
}

/// The service's variables as the `variables` attribute: write-only ones are left out, and so are
/// Railway's own `RAILWAY_*` variables unless the configuration manages them.
pub fn variables_value(
    api: &BTreeMap<String, String>,
    prior_vars: &Val<BTreeMap<String, String>>,
    wo_names: &Val<BTreeSet<String>>,
) -> BTreeMap<String, String> {
    let wo = wo_names.known();
    let managed = |k: &str| prior_vars.known().is_some_and(|m| m.contains_key(k));
    api.iter()
        .filter(|(k, _)| !wo.is_some_and(|w| w.contains(k.as_str())))
        .filter(|(k, _)| !k.starts_with("RAILWAY_") || managed(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `custom_domain_records`: one record per DNS record Railway asks for, sorted.
pub fn records_value(domains: &Domains) -> Vec<DomainRecord> {
    let mut recs: Vec<DomainRecord> = Vec::new();
    for d in &domains.custom_domains {
        for r in d
            .status
            .as_ref()
            .map(|s| s.dns_records.as_slice())
            .unwrap_or_default()
        {
            let name = if r.fqdn.is_empty() {
                r.hostlabel.clone()
            } else {
                r.fqdn.clone()
            };
            recs.push(DomainRecord {
                domain: d.domain.clone(),
                record_type: r.short_type().to_string(),
                name,
                value: r.required_value.clone(),
            });
        }
    }
    recs.sort();
    recs.dedup();
    recs
}

/// The branch deployed from `repo`, from the instance's deploy triggers.
pub fn branch_of(triggers: &[Trigger], repo: &str) -> Option<String> {
    triggers
        .iter()
        .find(|t| t.repository.eq_ignore_ascii_case(repo))
        .or_else(|| triggers.first())
        .map(|t| t.branch.clone())
        .filter(|b| !b.is_empty())
}

/// What an instance-settings field sends: `None` when it is unchanged (or unknown), else the new
/// value (`Some(None)` clears it). `base` is None for a new instance, which gets what is set.
pub(crate) fn send<T: Clone + PartialEq>(base: Option<Val<T>>, plan: Val<T>) -> Option<Option<T>> {
    if plan.is_unknown() {
        return None;
    }
    match base {
        None => plan.into_known().map(Some),
        Some(b) if b != plan => Some(plan.into_known()),
        Some(_) => None,
    }
}

/// An optional attribute as a `Val` (so `send` treats both kinds alike).
fn o<T: Clone>(v: &Option<T>) -> Val<T> {
    v.clone().into()
}

/// A field of `base`, when there is one.
fn at<T>(base: Option<&ServiceModel>, f: impl Fn(&ServiceModel) -> Val<T>) -> Option<Val<T>> {
    base.map(f)
}

impl ServiceModel {
    /// The full state from Railway's answer. `prior` supplies what Railway cannot return and the
    /// configured form of empty values; `triggers` is None when the service has no repository.
    pub fn from_api(
        prior: &ServiceModel,
        environment_id: &str,
        st: &ServiceState,
        triggers: Option<&[Trigger]>,
    ) -> ServiceModel {
        let i = &st.instance;
        let source = i.source.clone().unwrap_or_default();
        let repo = source.repo.filter(|r| !r.is_empty());
        // Railway may report the repository in another case than configured: keep the configured form.
        let source_repo = match (&repo, prior.source_repo.as_deref()) {
            (Some(r), Some(c)) if r.eq_ignore_ascii_case(c) => Some(c.to_string()),
            (Some(r), _) => Some(r.clone()),
            (None, _) => None,
        };
        let kept_branch = || prior.branch.clone().settle();
        let branch = match (&repo, triggers) {
            (Some(r), Some(t)) => branch_of(t, r).map_or_else(kept_branch, Val::Known),
            (Some(_), None) => kept_branch(),
            (None, _) => Val::Null,
        };
        // The write-only names Railway has: a name whose write failed (or that was deleted
        // outside) drops out, so the next plan sends the write-only values again.
        let wo_names = prior.variables_wo_names.clone().settle().map(|names| {
            names
                .into_iter()
                .filter(|n| st.variables.contains_key(n))
                .collect()
        });
        let service_domain = st.domains.service_domains.first();
        ServiceModel {
            id: Val::Known(st.service.id.clone()),
            project_id: if st.service.project_id.is_empty() {
                prior.project_id.clone().settle()
            } else {
                Val::Known(st.service.project_id.clone())
            },
            environment_id: Val::Known(environment_id.to_string()),
            name: Val::Known(st.service.name.clone()),
            icon: opt_string(st.service.icon.as_deref(), prior.icon.as_deref()),
            source_repo,
            branch,
            root_directory: opt_string(
                i.root_directory.as_deref(),
                prior.root_directory.as_deref(),
            ),
            watch_patterns: opt_list(i.watch_patterns.clone(), prior.watch_patterns.as_ref()),
            source_image: opt_string(source.image.as_deref(), prior.source_image.as_deref()),
            registry_credentials: prior.registry_credentials.clone(),
            build_command: opt_string(i.build_command.as_deref(), prior.build_command.as_deref()),
            start_command: opt_string(i.start_command.as_deref(), prior.start_command.as_deref()),
            pre_deploy_command: opt_list(
                i.pre_deploy_commands(),
                prior.pre_deploy_command.as_ref(),
            ),
            builder: match i.builder.as_deref().filter(|b| !b.is_empty()) {
                Some(b) => Val::Known(b.to_string()),
                None => prior.builder.clone().settle(),
            },
            dockerfile_path: opt_string(
                i.dockerfile_path.as_deref(),
                prior.dockerfile_path.as_deref(),
            ),
            railway_config_file: opt_string(
                i.railway_config_file.as_deref(),
                prior.railway_config_file.as_deref(),
            ),
            healthcheck_path: opt_string(
                i.healthcheck_path.as_deref(),
                prior.healthcheck_path.as_deref(),
            ),
            healthcheck_timeout: i.healthcheck_timeout,
            cron_schedule: opt_string(i.cron_schedule.as_deref(), prior.cron_schedule.as_deref()),
            num_replicas: i.num_replicas.into(),
            region: opt_string(i.region.as_deref(), prior.region.as_deref()).into(),
            multi_region_replicas: prior.multi_region_replicas.clone(),
            restart_policy_type: opt_string(
                i.restart_policy_type.as_deref(),
                prior.restart_policy_type.as_deref(),
            )
            .into(),
            restart_policy_max_retries: i.restart_policy_max_retries.into(),
            sleep_application: i.sleep_application.into(),
            draining_seconds: i.draining_seconds,
            overlap_seconds: i.overlap_seconds,
            variables: Val::Known(variables_value(&st.variables, &prior.variables, &wo_names)),
            variables_wo: None,
            variables_wo_names: wo_names,
            variables_wo_version: prior.variables_wo_version,
            service_domain: Val::Known(service_domain.is_some()),
            service_domain_name: service_domain.map(|d| d.domain.clone()).into(),
            custom_domains: Val::Known(
                st.domains
                    .custom_domains
                    .iter()
                    .map(|d| d.domain.clone())
                    .collect(),
            ),
            custom_domain_records: Val::Known(records_value(&st.domains)),
            service_domain_target_port: service_port_value(
                &prior.service_domain_target_port,
                service_domain.and_then(|d| d.target_port),
            ),
            service_domain_subdomain: if prior.service_domain_subdomain.is_null() {
                Val::Null
            } else {
                service_domain
                    .map(|d| subdomain_of(&d.domain).to_string())
                    .into()
            },
            custom_domain_target_ports: custom_ports_value(
                &prior.custom_domain_target_ports,
                &st.domains,
            ),
        }
    }

    /// The target port the plan names for custom domain `domain`.
    pub fn custom_domain_port(&self, domain: &str) -> Option<i64> {
        self.custom_domain_target_ports.known().and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(domain))
                .map(|(_, p)| *p)
        })
    }

    fn credentials_input(&self) -> Option<RegistryCredentialsInput> {
        self.registry_credentials
            .as_ref()
            .map(|c| RegistryCredentialsInput {
                username: c.username.clone(),
                password: c.password.clone(),
            })
    }

    /// serviceCreate's input. Only an explicit environment (`configured_environment`, from the
    /// configuration) scopes the creation: in a forked environment the service then exists only
    /// there; otherwise Railway creates it in every environment.
    pub fn to_create_request(
        &self,
        project_id: &str,
        configured_environment: Option<&str>,
    ) -> ServiceCreateInput {
        let mut input = ServiceCreateInput {
            project_id: project_id.to_string(),
            name: self.name.as_deref().unwrap_or_default().to_string(),
            icon: self.icon.clone(),
            environment_id: configured_environment.map(str::to_string),
            ..ServiceCreateInput::default()
        };
        match (&self.source_repo, &self.source_image) {
            (Some(repo), _) => {
                input.source = Some(ServiceSourceInput {
                    repo: Some(repo.clone()),
                    image: None,
                });
                input.branch = self.branch.known().cloned();
            }
            (None, Some(image)) => {
                input.source = Some(ServiceSourceInput {
                    repo: None,
                    image: Some(image.clone()),
                });
                input.registry_credentials = self.credentials_input();
            }
            (None, None) => {}
        }
        input
    }

    /// serviceUpdate's input: the name and icon when they changed (an empty icon clears it).
    pub fn to_update_request(&self, prior: &ServiceModel) -> ServiceUpdateInput {
        let name = send(Some(prior.name.clone()), self.name.clone());
        let icon = send(Some(prior.icon.clone().into()), self.icon.clone().into());
        ServiceUpdateInput {
            name: name.map(Option::unwrap_or_default),
            icon: icon.map(Option::unwrap_or_default),
        }
    }

    /// Whether the source (repository, branch or image) changed since `prior`.
    pub fn source_changed(&self, prior: &ServiceModel) -> bool {
        send(
            Some(prior.source_repo.clone().into()),
            self.source_repo.clone().into(),
        )
        .is_some()
            || send(Some(prior.branch.clone()), self.branch.clone()).is_some()
            || send(
                Some(prior.source_image.clone().into()),
                self.source_image.clone().into(),
            )
            .is_some()
    }

    /// serviceConnect's input: `{repo, branch}` or `{image}`.
    pub fn connect_input(&self) -> ServiceConnectInput {
        match (&self.source_repo, &self.source_image) {
            (Some(repo), _) => ServiceConnectInput {
                repo: Some(repo.clone()),
                branch: self.branch.known().cloned(),
                image: None,
            },
            (None, Some(image)) => ServiceConnectInput {
                image: Some(image.clone()),
                ..ServiceConnectInput::default()
            },
            (None, None) => ServiceConnectInput::default(),
        }
    }

    /// serviceInstanceUpdate's input for what changed since `base` (None: a new instance, which
    /// gets everything set). Credentials travel with serviceCreate, so only a change of an
    /// existing instance (`base` set) sends them here.
    pub fn instance_input(&self, base: Option<&ServiceModel>) -> ServiceInstanceUpdateInput {
        let multi_region_config = send(
            at(base, |p| o(&p.multi_region_replicas)),
            o(&self.multi_region_replicas),
        )
        .map(|m| {
            m.filter(|m| !m.is_empty()).map(|m| {
                m.into_iter()
                    .map(|(region, n)| (region, RegionReplicas { num_replicas: n }))
                    .collect()
            })
        });
        let registry_credentials = base
            .and_then(|p| {
                send(
                    Some(o(&p.registry_credentials)),
                    o(&self.registry_credentials),
                )
            })
            .map(|_| self.credentials_input());
        ServiceInstanceUpdateInput {
            root_directory: send(at(base, |p| o(&p.root_directory)), o(&self.root_directory)),
            // A cleared pattern list is an empty list.
            watch_patterns: send(at(base, |p| o(&p.watch_patterns)), o(&self.watch_patterns))
                .map(Option::unwrap_or_default),
            build_command: send(at(base, |p| o(&p.build_command)), o(&self.build_command)),
            start_command: send(at(base, |p| o(&p.start_command)), o(&self.start_command)),
            pre_deploy_command: send(
                at(base, |p| o(&p.pre_deploy_command)),
                o(&self.pre_deploy_command),
            ),
            builder: send(at(base, |p| p.builder.clone()), self.builder.clone()),
            dockerfile_path: send(
                at(base, |p| o(&p.dockerfile_path)),
                o(&self.dockerfile_path),
            ),
            railway_config_file: send(
                at(base, |p| o(&p.railway_config_file)),
                o(&self.railway_config_file),
            ),
            healthcheck_path: send(
                at(base, |p| o(&p.healthcheck_path)),
                o(&self.healthcheck_path),
            ),
            healthcheck_timeout: send(
                at(base, |p| o(&p.healthcheck_timeout)),
                o(&self.healthcheck_timeout),
            ),
            cron_schedule: send(at(base, |p| o(&p.cron_schedule)), o(&self.cron_schedule)),
            num_replicas: send(
                at(base, |p| p.num_replicas.clone()),
                self.num_replicas.clone(),
            ),
            region: send(at(base, |p| p.region.clone()), self.region.clone()),
            sleep_application: send(
                at(base, |p| p.sleep_application.clone()),
                self.sleep_application.clone(),
            ),
            draining_seconds: send(
                at(base, |p| o(&p.draining_seconds)),
                o(&self.draining_seconds),
            ),
            overlap_seconds: send(
                at(base, |p| o(&p.overlap_seconds)),
                o(&self.overlap_seconds),
            ),
            restart_policy_type: send(
                at(base, |p| p.restart_policy_type.clone()),
                self.restart_policy_type.clone(),
            ),
            restart_policy_max_retries: send(
                at(base, |p| p.restart_policy_max_retries.clone()),
                self.restart_policy_max_retries.clone(),
            ),
            multi_region_config,
            registry_credentials,
        }
    }

    /// Whether the variables must be written: on a new instance when any are set; else when the
    /// managed map, the write-only version or the write-only names changed.
    pub fn variables_changed(&self, base: Option<&ServiceModel>, config: &ServiceModel) -> bool {
        match base {
            None => {
                self.variables.known().is_some_and(|m| !m.is_empty())
                    || config.variables_wo.is_some()
            }
            Some(p) => {
                p.variables != self.variables
                    || p.variables_wo_version != self.variables_wo_version
                    || p.variables_wo_names != self.variables_wo_names
            }
        }
    }

    /// All the variables to write: the managed map plus the write-only ones from `config`.
    /// Returns the upsert and the write-only values (secrets to redact from any error).
    pub fn variables_input(
        &self,
        config: &ServiceModel,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
    ) -> (VariableCollectionUpsertInput, Vec<String>) {
        let mut variables = self.variables.known().cloned().unwrap_or_default();
        let wo = config.variables_wo.clone().unwrap_or_default();
        let secrets = wo.values().cloned().collect();
        variables.extend(wo);
        let input = VariableCollectionUpsertInput {
            project_id: project_id.to_string(),
            environment_id: environment_id.to_string(),
            service_id: service_id.to_string(),
            replace: true,
            variables,
        };
        (input, secrets)
    }

    /// Whether the domains must be synced: on a new instance when any are wanted; else when
    /// `service_domain` or `custom_domains` changed.
    pub fn domains_changed(&self, base: Option<&ServiceModel>) -> bool {
        match base {
            None => {
                self.service_domain.known() == Some(&true)
                    || self.custom_domains.known().is_some_and(|d| !d.is_empty())
            }
            Some(p) => {
                p.service_domain != self.service_domain
                    || p.custom_domains != self.custom_domains
                    || (self.service_domain_target_port.is_known()
                        && p.service_domain_target_port != self.service_domain_target_port)
                    || (self.service_domain_subdomain.is_known()
                        && p.service_domain_subdomain != self.service_domain_subdomain)
                    || (self.custom_domain_target_ports.is_known()
                        && p.custom_domain_target_ports != self.custom_domain_target_ports)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_instance_sends_what_is_set_and_a_cleared_list_is_empty() {
        let plan = ServiceModel {
            build_command: Some("make".into()),
            num_replicas: Val::Unknown,
            ..ServiceModel::default()
        };
        let create = plan.instance_input(None);
        assert_eq!(create.build_command, Some(Some("make".into())));
        assert_eq!(create.num_replicas, None, "unknown is never sent");
        assert_eq!(create.watch_patterns, None);
        let prior = ServiceModel {
            watch_patterns: Some(vec!["src/**".into()]),
            build_command: Some("make".into()),
            ..ServiceModel::default()
        };
        let update = ServiceModel {
            build_command: None,
            ..ServiceModel::default()
        }
        .instance_input(Some(&prior));
        assert_eq!(update.watch_patterns, Some(vec![]));
        assert_eq!(update.build_command, Some(None), "cleared is sent as null");
    }

    #[test]
    fn write_only_values_are_sent_and_named_as_secrets() {
        let plan = ServiceModel {
            variables: Val::Known([("A".to_string(), "1".to_string())].into()),
            ..ServiceModel::default()
        };
        let config = ServiceModel {
            variables_wo: Some([("S".to_string(), "sk_live".to_string())].into()),
            ..ServiceModel::default()
        };
        let (input, secrets) = plan.variables_input(&config, "p", "e", "s");
        assert_eq!(input.variables.len(), 2);
        assert_eq!(secrets, vec!["sk_live".to_string()]);
        assert!(plan.variables_changed(None, &config));
    }
}
