//! `render_service`'s typed model and its pure mappings: `ServiceModel` (the state, decoded once
//! from the plan, prior state or configuration), the typed POST and PATCH bodies built from it, the
//! env var and secret-file sets to PUT, and the state rebuilt from a `service` answer and its
//! sub-objects in the configured form (API defaults and empty strings absorbed so a re-plan is
//! empty). Pure functions: no I/O, no vendor wire names (those live in `client::services`); must
//! not import the HTTP layer or the framework's host.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::client::services::{
    Autoscaling, BuildFilter, Criteria, Criterion, CustomDomain, DetailsBody, DiskPatch, DiskPost,
    EnvSpecificBody, EnvVarInput, Header, ImageBody, MaintenanceBody, Previews, Route,
    SecretFileInput, Service, ServicePatch, ServicePost,
};
use super::super::overrides::{LogStreamOverrideModel, NotificationOverrideModel};
use crate::framework::Val;

/// One state of `render_service`. Required attributes are plain, optional ones `Option`, computed
/// and optional+computed ones `Val`; so are the sub-objects an import marks "read in full"
/// (`env_vars`, `secret_files`, `custom_domains`, `docker`, `image`, `autoscaling`). Missing
/// attributes decode as null (an import's partial state holds only a few).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceModel {
    #[serde(rename = "type")]
    pub service_type: String,
    pub name: String,
    pub region: Val<String>,
    pub plan: Val<String>,
    pub runtime: Val<String>,
    pub repo: Val<String>,
    pub branch: Val<String>,
    pub root_dir: Val<String>,
    pub auto_deploy: Val<bool>,
    pub auto_deploy_trigger: Val<String>,
    pub build_filter: Option<BuildFilterModel>,
    pub build_command: Val<String>,
    pub start_command: Val<String>,
    pub pre_deploy_command: Option<String>,
    pub docker: Val<DockerModel>,
    pub image: Val<ImageModel>,
    pub health_check_path: Option<String>,
    pub num_instances: Val<i64>,
    pub autoscaling: Val<AutoscalingModel>,
    pub disk: Option<DiskModel>,
    pub schedule: Option<String>,
    pub publish_path: Val<String>,
    pub headers: Option<Vec<HeaderModel>>,
    pub routes: Option<Vec<RouteModel>>,
    pub pull_request_previews: Val<bool>,
    pub previews_generation: Val<String>,
    pub render_subdomain_policy: Val<String>,
    pub max_shutdown_delay_seconds: Val<i64>,
    pub maintenance_mode: Option<MaintenanceModel>,
    pub notification_override: Val<NotificationOverrideModel>,
    pub log_stream_override: Val<LogStreamOverrideModel>,
    pub environment_id: Val<String>,
    pub env_vars: Val<BTreeMap<String, EnvVarModel>>,
    pub env_vars_wo: Option<BTreeMap<String, String>>,
    pub env_vars_wo_version: Option<i64>,
    pub env_vars_wo_keys: Val<BTreeSet<String>>,
    pub secret_files: Val<BTreeMap<String, String>>,
    pub secret_files_wo: Option<BTreeMap<String, String>>,
    pub secret_files_wo_version: Option<i64>,
    pub secret_files_wo_names: Val<BTreeSet<String>>,
    pub custom_domains: Val<Vec<String>>,
    pub custom_domain_status: Val<BTreeMap<String, String>>,
    pub wait_for_deploy: Val<bool>,
    pub id: Val<String>,
    pub slug: Val<String>,
    pub url: Val<String>,
    pub host: Val<String>,
    pub suspended: Val<bool>,
    pub created_at: Val<String>,
    pub updated_at: Val<String>,
    pub timeouts: Option<ServiceTimeouts>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuildFilterModel {
    pub paths: Option<Vec<String>>,
    pub ignored_paths: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DockerModel {
    pub dockerfile_path: Val<String>,
    pub context: Val<String>,
    pub command: Option<String>,
    pub registry_credential_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImageModel {
    pub url: String,
    pub registry_credential_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AutoscalingModel {
    pub enabled: bool,
    pub min: i64,
    pub max: i64,
    pub cpu_percent: Option<i64>,
    pub memory_percent: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskModel {
    pub name: String,
    pub mount_path: String,
    pub size_gb: Val<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HeaderModel {
    pub path: String,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteModel {
    #[serde(rename = "type")]
    pub route_type: String,
    pub source: String,
    pub destination: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MaintenanceModel {
    pub enabled: bool,
    pub uri: Option<String>,
}

/// One `env_vars` entry: a value, or `generate_value = true` (the value then comes from Render).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvVarModel {
    pub value: Val<String>,
    pub generate_value: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceTimeouts {
    pub create: Val<String>,
}

/// The env var set as the model holds it.
pub type EnvVars = Val<BTreeMap<String, EnvVarModel>>;

fn known<T: Clone>(v: &Val<T>) -> Option<T> {
    v.known().cloned()
}

fn yes_no(v: &Val<bool>) -> Option<String> {
    v.known().map(|b| if *b { "yes" } else { "no" }.to_string())
}

/// A string the API clears with "": the configured value, or "" when unset.
fn clearable(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The configured value on POST; on PATCH a cleared one is sent as "".
fn post_or_clear(v: &Option<String>, patch: bool) -> Option<String> {
    if patch {
        Some(clearable(v))
    } else {
        v.clone()
    }
}

/// An API string as a state value: absent and empty are both null.
fn opt(x: &Option<String>) -> Val<String> {
    x.clone().filter(|s| !s.is_empty()).into()
}

fn list_or_null(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// A list the POST carries only when it has entries (the PATCH never carries it).
fn non_empty<T>(patch: bool, x: Vec<T>) -> Option<Vec<T>> {
    (!patch && !x.is_empty()).then_some(x)
}

/// What each env var should be: `Some(value)`, or `None` for "let Render generate it". A
/// generated entry whose value is already known (in state) keeps that value: re-sending
/// `generateValue` would mint a new secret.
pub fn env_desired(env: &EnvVars) -> BTreeMap<String, Option<String>> {
    env.known()
        .map(|m| {
            m.iter()
                .map(|(k, e)| (k.clone(), known(&e.value)))
                .collect()
        })
        .unwrap_or_default()
}

/// The `envVarInputArray` for the whole set: plain entries plus the write-only ones.
pub fn env_inputs(
    env: &EnvVars,
    write_only: &Option<BTreeMap<String, String>>,
) -> Vec<EnvVarInput> {
    let mut out: Vec<EnvVarInput> = env_desired(env)
        .into_iter()
        .map(|(key, value)| EnvVarInput {
            generate_value: value.is_none().then_some(true),
            key,
            value,
        })
        .collect();
    for (k, value) in write_only.iter().flatten() {
        out.push(EnvVarInput {
            key: k.clone(),
            value: Some(value.clone()),
            generate_value: None,
        });
    }
    out
}

/// `host` of a service: `<slug>.onrender.com` for public services (taken from the URL when
/// Render reports one); the internal host name (the slug) for the others.
pub fn host_of(ty: &str, url: Option<&str>, slug: Option<&str>) -> Option<String> {
    let public = matches!(ty, "web_service" | "static_site");
    if let Some(u) = url.filter(|_| public) {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !host.is_empty() {
            return Some(host.to_string());
        }
    }
    let slug = slug.filter(|s| !s.is_empty())?;
    Some(if public {
        format!("{slug}.onrender.com")
    } else {
        slug.to_string()
    })
}

impl ServiceModel {
    fn build_filter_body(&self) -> BuildFilter {
        let bf = self.build_filter.clone().unwrap_or_default();
        BuildFilter {
            paths: bf.paths.unwrap_or_default(),
            ignored_paths: bf.ignored_paths.unwrap_or_default(),
        }
    }

    /// `autoscaling` as the API's object (criteria disabled where no percentage is set).
    pub fn autoscaling_request(&self) -> Option<Autoscaling> {
        let a = self.autoscaling.known()?;
        let crit = |p: Option<i64>| match p {
            Some(p) => Criterion {
                enabled: true,
                percentage: p,
            },
            // Render validates the percentage even for a disabled criterion: send a valid one.
            None => Criterion {
                enabled: false,
                percentage: 80,
            },
        };
        Some(Autoscaling {
            enabled: a.enabled,
            min: a.min,
            max: a.max,
            criteria: Criteria {
                cpu: crit(a.cpu_percent),
                memory: crit(a.memory_percent),
            },
        })
    }

    /// `envSpecificDetails` for POST or PATCH: docker fields for runtime docker, build/start
    /// commands for native runtimes, nothing for prebuilt images.
    fn env_specific(&self, patch: bool) -> Option<EnvSpecificBody> {
        let body = match self.runtime.as_deref() {
            Some("docker") => {
                let d = self.docker.known().cloned().unwrap_or_default();
                EnvSpecificBody {
                    dockerfile_path: known(&d.dockerfile_path),
                    docker_context: known(&d.context),
                    docker_command: post_or_clear(&d.command, patch),
                    registry_credential_id: d.registry_credential_id.clone(),
                    ..Default::default()
                }
            }
            Some("image") | None => return None,
            Some(_) => EnvSpecificBody {
                build_command: known(&self.build_command),
                start_command: known(&self.start_command),
                ..Default::default()
            },
        };
        (body != EnvSpecificBody::default()).then_some(body)
    }

    fn maintenance(&self) -> MaintenanceBody {
        self.maintenance_mode
            .as_ref()
            .map(|m| MaintenanceBody {
                enabled: m.enabled,
                uri: clearable(&m.uri),
            })
            .unwrap_or_default()
    }

    /// The static site's headers as planned.
    pub fn headers_request(&self) -> Vec<Header> {
        self.headers
            .iter()
            .flatten()
            .map(|h| Header {
                path: h.path.clone(),
                name: h.name.clone(),
                value: h.value.clone(),
            })
            .collect()
    }

    /// The static site's routes as planned, in priority order.
    pub fn routes_request(&self) -> Vec<Route> {
        self.routes
            .iter()
            .flatten()
            .map(|r| Route {
                route_type: r.route_type.clone(),
                source: r.source.clone(),
                destination: r.destination.clone(),
                priority: 0,
            })
            .collect()
    }

    fn previews(&self) -> Option<Previews> {
        self.previews_generation.known().map(|g| Previews {
            generation: g.clone(),
        })
    }

    /// `*DetailsPOST` / `*DetailsPATCH` for this service's type.
    fn details(&self, patch: bool) -> DetailsBody {
        let mut body = self.type_details(patch);
        let ty = self.service_type.as_str();
        if ty != "cron_job" {
            body.previews = self.previews();
        }
        if ty == "web_service" || ty == "static_site" {
            body.render_subdomain_policy = known(&self.render_subdomain_policy);
        }
        body
    }

    fn type_details(&self, patch: bool) -> DetailsBody {
        let ty = self.service_type.as_str();
        if ty == "static_site" {
            // Headers and routes have their own PUT endpoints after the create.
            return DetailsBody {
                build_command: known(&self.build_command),
                publish_path: known(&self.publish_path),
                pull_request_previews_enabled: yes_no(&self.pull_request_previews),
                headers: non_empty(patch, self.headers_request()),
                routes: non_empty(patch, self.routes_request()),
                ..Default::default()
            };
        }
        let mut m = DetailsBody {
            runtime: known(&self.runtime),
            plan: known(&self.plan),
            env_specific_details: self.env_specific(patch),
            region: if patch { None } else { known(&self.region) },
            ..Default::default()
        };
        if ty == "cron_job" {
            m.schedule = self.schedule.clone();
            return m;
        }
        m.pre_deploy_command = post_or_clear(&self.pre_deploy_command, patch);
        m.pull_request_previews_enabled = yes_no(&self.pull_request_previews);
        m.max_shutdown_delay_seconds = known(&self.max_shutdown_delay_seconds);
        if ty == "web_service" {
            m.health_check_path = post_or_clear(&self.health_check_path, patch);
            m.maintenance_mode = if !patch && self.maintenance_mode.is_none() {
                None
            } else {
                Some(self.maintenance())
            };
        }
        if !patch {
            m.num_instances = known(&self.num_instances);
            m.autoscaling = self.autoscaling_request();
            m.disk = self.disk.as_ref().map(|d| DiskPost {
                service_id: None,
                name: Some(d.name.clone()),
                mount_path: Some(d.mount_path.clone()),
                size_gb: known(&d.size_gb),
            });
        }
        m
    }

    fn image_body(&self, owner_id: &str) -> Option<ImageBody> {
        let i = self.image.known()?;
        Some(ImageBody {
            owner_id: owner_id.to_string(),
            image_path: i.url.clone(),
            registry_credential_id: i.registry_credential_id.clone(),
        })
    }

    /// The stored secret files (of a plan or a state).
    pub fn secret_files_request(&self) -> Vec<SecretFileInput> {
        self.secret_files
            .known()
            .into_iter()
            .flatten()
            .map(|(name, content)| SecretFileInput {
                name: name.clone(),
                content: content.clone(),
            })
            .collect()
    }

    /// The secret files one PUT (or the create) sends: the stored ones of this plan plus the
    /// write-only ones, which only the configuration (`config`) holds.
    pub fn secret_files_with_wo(&self, config: &ServiceModel) -> Vec<SecretFileInput> {
        let mut files = self.secret_files_request();
        for (name, content) in config.secret_files_wo.iter().flatten() {
            files.push(SecretFileInput {
                name: name.clone(),
                content: content.clone(),
            });
        }
        files
    }

    /// The `servicePOST` body of this plan; `config` holds the write-only env vars and files.
    pub fn to_create_request(&self, owner_id: &str, config: &ServiceModel) -> ServicePost {
        let env_vars = env_inputs(&self.env_vars, &config.env_vars_wo);
        let files = self.secret_files_with_wo(config);
        ServicePost {
            service_type: self.service_type.clone(),
            name: Some(self.name.clone()),
            owner_id: owner_id.to_string(),
            repo: known(&self.repo),
            branch: known(&self.branch),
            root_dir: known(&self.root_dir),
            auto_deploy: yes_no(&self.auto_deploy),
            auto_deploy_trigger: known(&self.auto_deploy_trigger),
            build_filter: self.build_filter.as_ref().map(|_| self.build_filter_body()),
            image: self.image_body(owner_id),
            environment_id: known(&self.environment_id),
            env_vars: (!env_vars.is_empty()).then_some(env_vars),
            secret_files: (!files.is_empty()).then_some(files),
            service_details: self.details(false),
        }
    }

    /// The `servicePATCH` body of this plan or state.
    fn patch_request(&self, owner_id: &str) -> ServicePatch {
        ServicePatch {
            name: Some(self.name.clone()),
            repo: known(&self.repo),
            branch: known(&self.branch),
            root_dir: known(&self.root_dir),
            auto_deploy: yes_no(&self.auto_deploy),
            auto_deploy_trigger: known(&self.auto_deploy_trigger),
            build_filter: Some(self.build_filter_body()),
            image: self.image_body(owner_id),
            service_details: self.details(true),
        }
    }

    /// The `servicePATCH` from `prior` to this plan; `None` when the bodies are equal (nothing the
    /// PATCH carries changed: no PATCH, so a no-op never redeploys).
    pub fn to_update_request(&self, prior: &ServiceModel, owner_id: &str) -> Option<ServicePatch> {
        let body = self.patch_request(owner_id);
        (prior.patch_request(owner_id) != body).then_some(body)
    }

    /// `timeouts.create`, or the default.
    pub fn create_timeout(&self, default: Duration) -> Duration {
        self.timeouts
            .as_ref()
            .and_then(|t| t.create.as_deref())
            .and_then(crate::framework::rules::parse_duration)
            .unwrap_or(default)
    }

    /// This model (a plan or prior state) with everything the `service` answer reports filled
    /// in. Optional attributes the configuration left null stay null where the API only reports
    /// its defaults; sub-objects behind their own endpoints are left as they are.
    pub fn from_api(svc: &Service, base: &ServiceModel) -> ServiceModel {
        let mut m = base.clone();
        let d = &svc.service_details;
        let env = d.env_specific_details.clone().unwrap_or_default();
        let ty = svc.service_type.clone();
        m.env_vars_wo_keys = base.env_vars_wo_keys.clone().settle();
        m.secret_files_wo_names = base.secret_files_wo_names.clone().settle();

        m.id = Val::Known(svc.id.clone());
        m.name = svc.name.clone();
        m.service_type = ty.clone();
        m.slug = opt(&svc.slug);
        m.created_at = opt(&svc.created_at);
        m.updated_at = opt(&svc.updated_at);
        m.suspended = Val::Known(svc.suspended.as_deref() == Some("suspended"));
        m.repo = opt(&svc.repo);
        m.branch = opt(&svc.branch);
        m.root_dir = Val::Known(svc.root_dir.clone().unwrap_or_default());
        m.auto_deploy = svc.auto_deploy.as_deref().map(|a| a == "yes").into();
        m.auto_deploy_trigger = opt(&svc.auto_deploy_trigger);
        m.previews_generation = d
            .previews
            .as_ref()
            .map(|p| p.generation.clone())
            .filter(|g| !g.is_empty())
            .into();
        m.render_subdomain_policy = opt(&d.render_subdomain_policy);
        m.environment_id = opt(&svc.environment_id);
        m.build_filter = match &svc.build_filter {
            Some(bf) if !bf.paths.is_empty() || !bf.ignored_paths.is_empty() => {
                Some(BuildFilterModel {
                    paths: list_or_null(&bf.paths),
                    ignored_paths: list_or_null(&bf.ignored_paths),
                })
            }
            _ => None,
        };
        m.pull_request_previews = d
            .pull_request_previews_enabled
            .as_deref()
            .map(|p| p == "yes")
            .into();
        if ty == "static_site" {
            m.build_command = opt(&d.build_command);
            m.publish_path = opt(&d.publish_path);
        } else {
            m.region = opt(&d.region);
            m.plan = opt(&d.plan);
            let runtime = d.runtime.clone().or_else(|| d.env.clone());
            m.runtime = opt(&runtime);
            m.build_command = opt(&env.build_command);
            m.start_command = opt(&env.start_command);
            m.pre_deploy_command = opt(&env.pre_deploy_command).into_known();
            m.schedule = opt(&d.schedule).into_known();
            m.num_instances = d.num_instances.into();
            m.max_shutdown_delay_seconds = d.max_shutdown_delay_seconds.into();
            m.health_check_path = opt(&d.health_check_path).into_known();
            // Left null by the configuration: stays null (the API reports its defaults).
            let docker = match runtime.as_deref() {
                Some("docker") => Val::Known(DockerModel {
                    dockerfile_path: opt(&env.dockerfile_path),
                    context: opt(&env.docker_context),
                    command: opt(&env.docker_command).into_known(),
                    registry_credential_id: env.registry_credential.as_ref().map(|r| r.id.clone()),
                }),
                _ => Val::Null,
            };
            m.docker = if base.docker.is_null() {
                Val::Null
            } else {
                docker
            };
            let image = match &svc.image_path {
                Some(p) if !p.is_empty() => Val::Known(ImageModel {
                    url: p.clone(),
                    registry_credential_id: svc.registry_credential.as_ref().map(|r| r.id.clone()),
                }),
                _ => Val::Null,
            };
            m.image = if base.image.is_null() {
                Val::Null
            } else {
                image
            };
            m.autoscaling = match &d.autoscaling {
                Some(a) if a.enabled || !base.autoscaling.is_null() => {
                    Val::Known(AutoscalingModel {
                        enabled: a.enabled,
                        min: a.min,
                        max: a.max,
                        cpu_percent: a.criteria.cpu.enabled.then_some(a.criteria.cpu.percentage),
                        memory_percent: a
                            .criteria
                            .memory
                            .enabled
                            .then_some(a.criteria.memory.percentage),
                    })
                }
                _ => Val::Null,
            };
            m.disk = d.disk.as_ref().map(|disk| DiskModel {
                name: disk.name.clone(),
                mount_path: disk.mount_path.clone(),
                size_gb: disk.size_gb.into(),
            });
            m.maintenance_mode = match &d.maintenance_mode {
                Some(mm) if mm.enabled || base.maintenance_mode.is_some() => {
                    Some(MaintenanceModel {
                        enabled: mm.enabled,
                        uri: Some(mm.uri.clone()).filter(|u| !u.is_empty()),
                    })
                }
                _ => None,
            };
        }
        let url = d.url.clone().filter(|u| !u.is_empty());
        m.host = host_of(&ty, url.as_deref(), svc.slug.as_deref()).into();
        m.url = url.into();
        m
    }

    /// Env vars in state form: every key Render has except the write-only ones, so a variable
    /// added outside Terraform shows in the plan as a deletion (the PUT replaces the whole set).
    pub fn with_env_vars(mut self, api: &[(String, String)]) -> ServiceModel {
        self.env_vars_wo_keys = self.env_vars_wo_keys.clone().settle();
        let wo = self.env_vars_wo_keys.known().cloned().unwrap_or_default();
        self.env_vars = match &self.env_vars {
            Val::Null => Val::Null,
            prior => {
                let importing = prior.is_unknown();
                let managed = prior.known();
                let mut out = BTreeMap::new();
                for (k, v) in api.iter().filter(|(k, _)| !wo.contains(k)) {
                    let entry = managed.and_then(|m| m.get(k));
                    out.insert(
                        k.clone(),
                        EnvVarModel {
                            value: Val::Known(v.clone()),
                            generate_value: entry.and_then(|e| e.generate_value),
                        },
                    );
                }
                if importing && out.is_empty() {
                    Val::Null
                } else {
                    Val::Known(out)
                }
            }
        };
        self
    }

    /// Secret files in state form: every file Render has except the write-only ones (the PUT
    /// replaces the whole set, so one added outside Terraform must show in the plan).
    pub fn with_secret_files(mut self, api: &[(String, String)]) -> ServiceModel {
        self.secret_files_wo_names = self.secret_files_wo_names.clone().settle();
        let wo = self
            .secret_files_wo_names
            .known()
            .cloned()
            .unwrap_or_default();
        self.secret_files = match &self.secret_files {
            Val::Null => Val::Null,
            prior => {
                let importing = prior.is_unknown();
                let m: BTreeMap<String, String> = api
                    .iter()
                    .filter(|(k, _)| !wo.contains(k))
                    .map(|(k, c)| (k.clone(), c.clone()))
                    .collect();
                if importing && m.is_empty() {
                    Val::Null
                } else {
                    Val::Known(m)
                }
            }
        };
        self
    }

    /// Custom domains in state form and their statuses: every domain of the service, so one added
    /// outside Terraform shows as a deletion. Domains Render added itself (the `www.` redirect
    /// twin) are ignored unless configured, so they never show as drift.
    pub fn with_custom_domains(mut self, api: &[CustomDomain]) -> ServiceModel {
        let prior = &self.custom_domains;
        let configured: Vec<String> = prior.known().cloned().unwrap_or_default();
        let importing = prior.is_unknown();
        let ours: Vec<&CustomDomain> = api
            .iter()
            .filter(|d| {
                let auto = d
                    .redirect_for_name
                    .as_deref()
                    .is_some_and(|r| !r.is_empty());
                configured.contains(&d.name) || !auto
            })
            .collect();
        let status: BTreeMap<String, String> = ours
            .iter()
            .map(|d| (d.name.clone(), d.verification_status.clone()))
            .collect();
        self.custom_domains = if prior.is_null() || (importing && ours.is_empty()) {
            Val::Null
        } else {
            let mut names: Vec<String> = ours.iter().map(|d| d.name.clone()).collect();
            names.sort();
            names.dedup();
            Val::Known(names)
        };
        self.custom_domain_status = Val::Known(status);
        self
    }

    /// The static site's headers in state form (none: null).
    pub fn with_headers(mut self, api: &[Header]) -> ServiceModel {
        self.headers = (!api.is_empty()).then(|| {
            api.iter()
                .map(|h| HeaderModel {
                    path: h.path.clone(),
                    name: h.name.clone(),
                    value: h.value.clone(),
                })
                .collect()
        });
        self
    }

    /// The static site's routes in state form, in priority order (none: null).
    pub fn with_routes(mut self, api: &[Route]) -> ServiceModel {
        self.routes = (!api.is_empty()).then(|| {
            api.iter()
                .map(|r| RouteModel {
                    route_type: r.route_type.clone(),
                    source: r.source.clone(),
                    destination: r.destination.clone(),
                })
                .collect()
        });
        self
    }
}

/// The `diskPATCH` from the prior disk to the planned one: only the fields that changed.
pub fn disk_patch(before: Option<&DiskModel>, after: &DiskModel) -> DiskPatch {
    let changed = |a: &String, b: Option<&String>| Some(a.clone()).filter(|v| Some(v) != b);
    DiskPatch {
        name: changed(&after.name, before.map(|d| &d.name)),
        mount_path: changed(&after.mount_path, before.map(|d| &d.mount_path)),
        size_gb: known(&after.size_gb)
            .filter(|n| Some(*n) != before.and_then(|d| known(&d.size_gb))),
    }
}

/// The POST /disks body for a disk added to an existing service (Render's default size: 10 GB).
pub fn disk_post(service_id: &str, after: &DiskModel) -> DiskPost {
    DiskPost {
        service_id: Some(service_id.to_string()),
        name: Some(after.name.clone()),
        mount_path: Some(after.mount_path.clone()),
        size_gb: Some(known(&after.size_gb).unwrap_or(10)),
    }
}

/// What a create that met "a service named … already exists" does about that service.
#[derive(Debug)]
pub enum Namesake<'a> {
    /// No service carries the name (the conflict was about something else): report it.
    None,
    /// This resource's own orphan (a killed or lost create): adopt it.
    Adopt(&'a Service),
    /// A service that is not safely this resource's: stop, naming it (with its age in seconds).
    Refuse(&'a Service, Option<i64>),
}

/// When a `render_service` adopts the service that holds its name (issue #19), documented in the
/// diagnostic: Render service names are unique per workspace, so at most one holds it; it is
/// adopted when it was created within `framework::orphan::ORPHAN_WINDOW`, has the planned type,
/// the planned source (the repository, or the image URL) and, where the configuration sets it,
/// the planned environment. Anything else stops the create with the id and the import command.
pub const ADOPT_RULE: &str = "paasform adopts an existing service only when it was created within the last hour with the same type, the same repository or image and (where set) the same environment: the trace of a create that was killed or lost its answer.";

pub fn judge_namesake<'a>(
    plan: &ServiceModel,
    found: &'a [Service],
    now_unix: i64,
) -> Namesake<'a> {
    use crate::framework::orphan::{age_secs, is_recent};
    let Some(svc) = found.iter().find(|s| s.name == plan.name) else {
        return Namesake::None;
    };
    let age = svc
        .created_at
        .as_deref()
        .and_then(|c| age_secs(c, now_unix));
    let source = match (plan.repo.as_deref(), plan.image.known()) {
        (Some(repo), _) => svc.repo.as_deref() == Some(repo),
        (None, Some(image)) => svc.image_path.as_deref() == Some(image.url.as_str()),
        (None, None) => svc.repo.is_none() && svc.image_path.is_none(),
    };
    let env = plan
        .environment_id
        .as_deref()
        .is_none_or(|e| svc.environment_id.as_deref() == Some(e));
    let known_age = age.is_some();
    if known_age && is_recent(age) && svc.service_type == plan.service_type && source && env {
        Namesake::Adopt(svc)
    } else {
        Namesake::Refuse(svc, age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of(
                "web_service",
                Some("https://api-x1.onrender.com"),
                Some("api-x1")
            )
            .as_deref(),
            Some("api-x1.onrender.com")
        );
        assert_eq!(
            host_of("static_site", None, Some("web")).as_deref(),
            Some("web.onrender.com")
        );
        assert_eq!(
            host_of("private_service", Some("skills:10000"), Some("skills")).as_deref(),
            Some("skills")
        );
        assert_eq!(host_of("cron_job", None, None), None);
    }

    #[test]
    fn generated_entries_keep_their_value_once_known() {
        let entry = |value: Val<String>, generate_value: Option<bool>| EnvVarModel {
            value,
            generate_value,
        };
        let env: EnvVars = Val::Known(BTreeMap::from([
            ("A".to_string(), entry(Val::Known("1".into()), None)),
            ("B".to_string(), entry(Val::Unknown, Some(true))),
            (
                "C".to_string(),
                entry(Val::Known("kept".into()), Some(true)),
            ),
        ]));
        let wo = Some(BTreeMap::from([("W".to_string(), "secret".to_string())]));
        let body = serde_json::to_value(env_inputs(&env, &wo)).expect("serialises");
        assert_eq!(
            body,
            json!(vec![
                json!({"key": "A", "value": "1"}),
                json!({"key": "B", "generateValue": true}),
                json!({"key": "C", "value": "kept"}),
                json!({"key": "W", "value": "secret"}),
            ])
        );
    }

    #[test]
    fn a_namesake_is_adopted_only_when_fresh_with_the_planned_type_and_source() {
        let now = 1_796_130_000; // 2026-12-01T13:00:00Z
        let plan = ServiceModel {
            service_type: "web_service".into(),
            name: "web".into(),
            repo: Val::Known("https://github.com/a/b".into()),
            ..Default::default()
        };
        let svc = |created: &str, kind: &str, repo: &str| Service {
            id: "srv-1".into(),
            name: "web".into(),
            service_type: kind.into(),
            repo: Some(repo.into()),
            created_at: Some(created.into()),
            ..Default::default()
        };
        let fresh = svc(
            "2026-12-01T12:58:00Z",
            "web_service",
            "https://github.com/a/b",
        );
        assert!(matches!(judge_namesake(&plan, &[], now), Namesake::None));
        assert!(matches!(
            judge_namesake(&plan, std::slice::from_ref(&fresh), now),
            Namesake::Adopt(s) if s.id == "srv-1"
        ));
        for other in [
            svc(
                "2026-12-01T10:00:00Z",
                "web_service",
                "https://github.com/a/b",
            ),
            svc(
                "2026-12-01T12:58:00Z",
                "private_service",
                "https://github.com/a/b",
            ),
            svc(
                "2026-12-01T12:58:00Z",
                "web_service",
                "https://github.com/a/c",
            ),
            svc("not a time", "web_service", "https://github.com/a/b"),
        ] {
            assert!(
                matches!(judge_namesake(&plan, std::slice::from_ref(&other), now), Namesake::Refuse(s, _) if s.id == "srv-1"),
                "{other:?}"
            );
        }
    }
}
