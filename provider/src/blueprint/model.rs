//! The Render Blueprint (`render.yaml`) as serde structs, and the check for keys they do not know.
//! Every field is optional here (what is required is `mapping`'s business, so it can say which
//! YAML path is missing); types are strict, so a wrong type is a parse error that serde_yaml
//! reports with its path (`services[1].numInstances: invalid type …`). The set of known keys of
//! each struct is derived from the struct itself (serialising its default), so it cannot drift.
//! Imports only serde; knows nothing of HCL or of the render resources.

use serde::{Deserialize, Serialize};
use serde_yaml::Value as Yaml;

/// A scalar that Blueprints write as string, number or bool (`value: 3000`, `postgresMajorVersion: 16`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

/// By hand rather than `untagged`, so a list or mapping is reported as "expected a string,
/// number or boolean" at its own path.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(n).map_or(Scalar::Str(n.to_string()), Scalar::Int))
            }
            fn visit_f64<E>(self, f: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(f))
            }
            fn visit_str<E>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(s.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Scalar {
    pub fn text(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Blueprint {
    pub version: Option<Scalar>,
    pub services: Option<Vec<Service>>,
    pub databases: Option<Vec<Database>>,
    pub env_var_groups: Option<Vec<EnvVarGroup>>,
    pub projects: Option<Vec<Project>>,
    pub ungrouped: Option<Ungrouped>,
    pub previews: Option<Yaml>,
}

/// `ungrouped`: resources that belong to no environment (same shape as the top level's lists).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Ungrouped {
    pub services: Option<Vec<Service>>,
    pub databases: Option<Vec<Database>>,
    pub env_var_groups: Option<Vec<EnvVarGroup>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Project {
    pub name: Option<String>,
    pub environments: Option<Vec<Environment>>,
    /// Groups every environment of the project can use.
    pub env_var_groups: Option<Vec<EnvVarGroup>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Environment {
    pub name: Option<String>,
    pub services: Option<Vec<Service>>,
    pub databases: Option<Vec<Database>>,
    pub env_var_groups: Option<Vec<EnvVarGroup>>,
    pub networking: Option<Networking>,
    pub permissions: Option<Permissions>,
}

/// `networking.isolation: enabled | disabled` of an environment.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Networking {
    pub isolation: Option<String>,
}

/// `permissions.protection: enabled | disabled` of an environment.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Permissions {
    pub protection: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Service {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub runtime: Option<String>,
    /// The older name of `runtime`.
    pub env: Option<String>,
    pub plan: Option<String>,
    pub preview_plan: Option<String>,
    pub region: Option<String>,
    pub repo: Option<String>,
    pub branch: Option<String>,
    pub root_dir: Option<String>,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
    pub pre_deploy_command: Option<String>,
    pub health_check_path: Option<String>,
    pub num_instances: Option<u32>,
    pub scaling: Option<Scaling>,
    pub disk: Option<Disk>,
    pub schedule: Option<String>,
    pub static_publish_path: Option<String>,
    pub headers: Option<Vec<Header>>,
    pub routes: Option<Vec<Route>>,
    pub pull_request_previews_enabled: Option<bool>,
    pub previews: Option<ServicePreviews>,
    pub domains: Option<Vec<String>>,
    pub auto_deploy: Option<bool>,
    pub auto_deploy_trigger: Option<String>,
    pub build_filter: Option<BuildFilter>,
    pub dockerfile_path: Option<String>,
    pub docker_context: Option<String>,
    pub docker_command: Option<String>,
    pub registry_credential: Option<RegistryCredential>,
    pub image: Option<Image>,
    pub env_vars: Option<Vec<EnvVar>>,
    pub max_shutdown_delay_seconds: Option<u32>,
    pub initial_deploy_hook: Option<String>,
    pub render_subdomain_policy: Option<String>,
    /// Key Value only.
    pub ip_allow_list: Option<Vec<IpRule>>,
    /// Key Value only.
    pub maxmemory_policy: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Scaling {
    pub min_instances: Option<u32>,
    pub max_instances: Option<u32>,
    #[serde(rename = "targetCPUPercent")]
    pub target_cpu_percent: Option<u32>,
    pub target_memory_percent: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Disk {
    pub name: Option<String>,
    pub mount_path: Option<String>,
    #[serde(rename = "sizeGB")]
    pub size_gb: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Header {
    pub path: Option<String>,
    pub name: Option<String>,
    pub value: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Route {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub source: Option<String>,
    pub destination: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServicePreviews {
    pub generation: Option<String>,
    /// Instance type in preview environments.
    pub plan: Option<String>,
    pub num_instances: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BuildFilter {
    pub paths: Option<Vec<String>>,
    pub ignored_paths: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RegistryCredential {
    pub from_registry_creds: Option<NamedRef>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NamedRef {
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Image {
    pub url: Option<String>,
    pub creds: Option<RegistryCredential>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVar {
    pub key: Option<String>,
    pub value: Option<Scalar>,
    pub generate_value: Option<bool>,
    pub sync: Option<bool>,
    pub from_database: Option<FromDatabase>,
    pub from_service: Option<FromService>,
    pub from_group: Option<String>,
    pub preview_value: Option<Scalar>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FromDatabase {
    pub name: Option<String>,
    pub property: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FromService {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub property: Option<String>,
    pub env_var_key: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVarGroup {
    pub name: Option<String>,
    pub env_vars: Option<Vec<EnvVar>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Database {
    pub name: Option<String>,
    pub database_name: Option<String>,
    pub user: Option<String>,
    pub plan: Option<String>,
    pub preview_plan: Option<String>,
    pub region: Option<String>,
    pub postgres_major_version: Option<Scalar>,
    pub ip_allow_list: Option<Vec<IpRule>>,
    pub high_availability: Option<HighAvailability>,
    pub read_replicas: Option<Vec<NamedRef>>,
    #[serde(rename = "diskSizeGB")]
    pub disk_size_gb: Option<u32>,
    #[serde(rename = "previewDiskSizeGB")]
    pub preview_disk_size_gb: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HighAvailability {
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IpRule {
    pub source: Option<String>,
    pub description: Option<String>,
}

/// Parse a Blueprint. Errors carry serde_yaml's path and position.
pub fn parse(yaml: &str) -> Result<Blueprint, serde_yaml::Error> {
    if yaml.trim().is_empty() {
        return Ok(Blueprint::default());
    }
    serde_yaml::from_str(yaml)
}

// ---- unknown keys ----------------------------------------------------------------------------

/// The keys a struct knows: the field names of its serialised default.
fn known<T: Default + Serialize>() -> Vec<String> {
    match serde_yaml::to_value(T::default()) {
        Ok(Yaml::Mapping(m)) => m
            .keys()
            .filter_map(|k| k.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// A key the model does not know, and the known key it most likely meant.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownKey {
    /// YAML path, e.g. `services[0].startComand`.
    pub path: String,
    pub suggestion: Option<String>,
}

/// A checker for the value found under a key.
type Check = fn(&Yaml, &str, &mut Vec<UnknownKey>);

/// For each struct: which of its keys hold other structs (or lists of them) to check in turn.
trait Shape: Default + Serialize {
    fn children() -> &'static [(&'static str, Check)] {
        &[]
    }
}

macro_rules! shape {
    ($t:ty) => { impl Shape for $t {} };
    ($t:ty, $($k:literal => $c:ty),+) => {
        impl Shape for $t {
            fn children() -> &'static [(&'static str, Check)] {
                &[$(($k, check::<$c>)),+]
            }
        }
    };
}

shape!(Blueprint, "services" => Service, "databases" => Database, "envVarGroups" => EnvVarGroup, "projects" => Project,
    "ungrouped" => Ungrouped);
shape!(Ungrouped, "services" => Service, "databases" => Database, "envVarGroups" => EnvVarGroup);
shape!(Project, "environments" => Environment, "envVarGroups" => EnvVarGroup);
shape!(Environment, "services" => Service, "databases" => Database, "envVarGroups" => EnvVarGroup,
    "networking" => Networking, "permissions" => Permissions);
shape!(Networking);
shape!(Permissions);
shape!(Service, "scaling" => Scaling, "disk" => Disk, "headers" => Header, "routes" => Route,
    "previews" => ServicePreviews, "buildFilter" => BuildFilter, "registryCredential" => RegistryCredential,
    "image" => Image, "envVars" => EnvVar, "ipAllowList" => IpRule);
shape!(Scaling);
shape!(Disk);
shape!(Header);
shape!(Route);
shape!(ServicePreviews);
shape!(BuildFilter);
shape!(RegistryCredential, "fromRegistryCreds" => NamedRef);
shape!(NamedRef);
shape!(Image, "creds" => RegistryCredential);
shape!(EnvVar, "fromDatabase" => FromDatabase, "fromService" => FromService);
shape!(FromDatabase);
shape!(FromService);
shape!(EnvVarGroup, "envVars" => EnvVar);
shape!(Database, "ipAllowList" => IpRule, "highAvailability" => HighAvailability, "readReplicas" => NamedRef);
shape!(HighAvailability);
shape!(IpRule);

/// Check `v` (a mapping of `T`, or a list of them) for keys `T` does not know; push their paths.
fn check<T: Shape>(v: &Yaml, path: &str, out: &mut Vec<UnknownKey>) {
    match v {
        Yaml::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                check::<T>(item, &format!("{path}[{i}]"), out);
            }
        }
        Yaml::Mapping(m) => {
            let keys = known::<T>();
            for (k, child) in m {
                let name = match k {
                    Yaml::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default(),
                };
                let child_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if !keys.contains(&name) {
                    out.push(UnknownKey {
                        path: child_path,
                        suggestion: closest(&name, &keys),
                    });
                } else if let Some((_, c)) = T::children().iter().find(|(key, _)| *key == name) {
                    c(child, &child_path, out);
                }
            }
        }
        _ => {}
    }
}

/// The known key `name` is most likely a misspelling of: the nearest by edit distance (ignoring
/// case, so `startcommand` finds `startCommand`), if it is near enough to be a typo rather than a
/// different word — at most a third of the key's length, and never more than 3 edits.
fn closest(name: &str, keys: &[String]) -> Option<String> {
    let lower = name.to_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    keys.iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

/// Levenshtein distance, with a swap of two neighbours counting as one edit (a common typo).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d: Vec<Vec<usize>> = (0..=a.len())
        .map(|i| {
            let mut row = vec![0usize; b.len() + 1];
            row[0] = i;
            row
        })
        .collect();
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Every key the Blueprint model does not know, in document order.
pub fn unknown_keys(yaml: &str) -> Vec<UnknownKey> {
    let mut out = Vec::new();
    if let Ok(v) = serde_yaml::from_str::<Yaml>(yaml) {
        check::<Blueprint>(&v, "", &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_come_from_the_struct() {
        let keys = known::<Scaling>();
        assert_eq!(
            keys,
            [
                "minInstances",
                "maxInstances",
                "targetCPUPercent",
                "targetMemoryPercent"
            ]
        );
        assert!(known::<Service>().contains(&"type".to_string()));
        assert!(known::<Database>().contains(&"diskSizeGB".to_string()));
    }

    #[test]
    fn unknown_keys_are_found_at_any_depth() {
        let y = "services:\n  - name: a\n    colour: blue\n    scaling: {minInstances: 1, burst: 2}\n    envVars:\n      - key: A\n        fromService: {name: b, kind: web}\nextra: 1\n";
        let paths: Vec<String> = unknown_keys(y).into_iter().map(|k| k.path).collect();
        assert_eq!(
            paths,
            [
                "services[0].colour",
                "services[0].scaling.burst",
                "services[0].envVars[0].fromService.kind",
                "extra"
            ]
        );
    }

    #[test]
    fn misspelt_keys_get_the_known_key_they_meant() {
        let y = "services:\n  - name: a\n    startComand: x\n    buildcommand: y\n    healthCheckPaht: /h\n    colour: blue\n    envVars:\n      - key: A\n        fromDatabase: {name: d, propety: host}\n";
        let found: Vec<(String, Option<String>)> = unknown_keys(y)
            .into_iter()
            .map(|k| (k.path, k.suggestion))
            .collect();
        let want = [
            ("services[0].startComand", Some("startCommand")),
            ("services[0].buildcommand", Some("buildCommand")),
            ("services[0].healthCheckPaht", Some("healthCheckPath")),
            ("services[0].colour", None),
            (
                "services[0].envVars[0].fromDatabase.propety",
                Some("property"),
            ),
        ];
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(p, s)| (p.to_string(), s.map(String::from)))
            .collect();
        assert_eq!(found, want);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn scalars_accept_the_three_yaml_kinds() {
        let e: EnvVar = serde_yaml::from_str("{key: P, value: 3000}").expect("parse");
        assert_eq!(e.value.map(|v| v.text()).as_deref(), Some("3000"));
        let e: EnvVar = serde_yaml::from_str("{key: P, value: true}").expect("parse");
        assert_eq!(e.value.map(|v| v.text()).as_deref(), Some("true"));
    }
}
