//! Blueprint → render resources: which Blueprint entry becomes which `render_service` /
//! `render_database`, the attribute-name table (one place to rename), per-type applicability
//! (taken from the render_service schema's own table so the module always validates), and the
//! collection of warnings and input variables. Env var wiring lives in `env_vars`.
//! Imports `model`, `hcl`, `env_vars` and the render schema's applicability table; no I/O.

use std::collections::{BTreeMap, BTreeSet};

use super::hcl::{snake, Block, Expr};
use super::model::{Blueprint, Database, EnvVarGroup, IpRule, Service};
use super::{env_vars, groups, projects};
use super::{BlueprintError, Variable, VariableKind, Warning};
use crate::clouds::render::service::schema::applies;

macro_rules! attr_table {
    ($($c:ident = $v:literal),+ $(,)?) => {
        $(pub const $c: &str = $v;)+
        /// Every attribute name the converter writes or references.
        pub const ALL: &[&str] = &[$($v),+];
    };
}

/// Attribute names of `render_service`, `render_database`, `render_project`, `render_env_group`
/// and `render_env_group_link` (and the nested objects), as the resources in `clouds::render`
/// define them. A rename there is one edit here.
pub mod attr {
    attr_table! {
        TYPE = "type", NAME = "name", REGION = "region", PLAN = "plan", RUNTIME = "runtime",
        REPO = "repo", BRANCH = "branch", ROOT_DIR = "root_dir", AUTO_DEPLOY = "auto_deploy",
        BUILD_FILTER = "build_filter", PATHS = "paths", IGNORED_PATHS = "ignored_paths",
        BUILD_COMMAND = "build_command", START_COMMAND = "start_command",
        PRE_DEPLOY_COMMAND = "pre_deploy_command", DOCKER = "docker",
        DOCKERFILE_PATH = "dockerfile_path", CONTEXT = "context", COMMAND = "command",
        REGISTRY_CREDENTIAL_ID = "registry_credential_id", IMAGE = "image", URL = "url",
        HEALTH_CHECK_PATH = "health_check_path", NUM_INSTANCES = "num_instances",
        AUTOSCALING = "autoscaling", ENABLED = "enabled", MIN = "min", MAX = "max",
        CPU_PERCENT = "cpu_percent", MEMORY_PERCENT = "memory_percent", DISK = "disk",
        MOUNT_PATH = "mount_path", SIZE_GB = "size_gb", SCHEDULE = "schedule",
        PUBLISH_PATH = "publish_path", HEADERS = "headers", PATH = "path", VALUE = "value",
        ROUTES = "routes", SOURCE = "source", DESTINATION = "destination",
        PULL_REQUEST_PREVIEWS = "pull_request_previews",
        AUTO_DEPLOY_TRIGGER = "auto_deploy_trigger", PREVIEWS_GENERATION = "previews_generation",
        RENDER_SUBDOMAIN_POLICY = "render_subdomain_policy",
        MAX_SHUTDOWN_DELAY_SECONDS = "max_shutdown_delay_seconds", ENV_VARS = "env_vars",
        GENERATE_VALUE = "generate_value", CUSTOM_DOMAINS = "custom_domains",
        ENGINE = "engine", VERSION = "version", DATABASE_NAME = "database_name",
        DATABASE_USER = "database_user", DISK_SIZE_GB = "disk_size_gb",
        HIGH_AVAILABILITY = "high_availability", IP_ALLOW_LIST = "ip_allow_list",
        CIDR_BLOCK = "cidr_block", DESCRIPTION = "description", READ_REPLICAS = "read_replicas",
        MAXMEMORY_POLICY = "maxmemory_policy", HOST = "host", PORT = "port", USER = "user",
        PASSWORD = "password", INTERNAL_CONNECTION_STRING = "internal_connection_string",
        ID = "id", ENVIRONMENT_ID = "environment_id", ENVIRONMENTS = "environments",
        PROTECTED_STATUS = "protected_status", NETWORK_ISOLATED = "network_isolated",
        ENV_GROUP_ID = "env_group_id", SERVICE_IDS = "service_ids",
    }
}

pub const SERVICE_RESOURCE: &str = "render_service";
pub const DATABASE_RESOURCE: &str = "render_database";
pub const PROJECT_RESOURCE: &str = "render_project";
pub const ENV_GROUP_RESOURCE: &str = "render_env_group";
pub const ENV_GROUP_LINK_RESOURCE: &str = "render_env_group_link";

/// Blueprint service `type` → render_service `type` (`web` with runtime `static` is a static site).
const SERVICE_TYPES: &[(&str, &str)] = &[
    ("web", "web_service"),
    ("pserv", "private_service"),
    ("worker", "background_worker"),
    ("cron", "cron_job"),
];
/// Blueprint service types that are Key Value instances (render_database, engine key_value).
const KEY_VALUE_TYPES: &[&str] = &["keyvalue", "redis"];
const RUNTIMES: &[&str] = &[
    "node", "python", "ruby", "go", "rust", "elixir", "docker", "image",
];
/// Plans pinned when the Blueprint leaves them to Render (`plan` is required by render_database).
const DEFAULT_POSTGRES_PLAN: &str = "basic_256mb";
const DEFAULT_KEY_VALUE_PLAN: &str = "starter";
/// The Blueprint keys a Key Value service may carry.
const KEY_VALUE_KEYS: &[&str] = &[
    "type",
    "name",
    "plan",
    "previewPlan",
    "region",
    "ipAllowList",
    "maxmemoryPolicy",
];

/// What kind of resource a Blueprint name resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A render_service of this `type` (web_service, private_service, …).
    Service(&'static str),
    Postgres,
    KeyValue,
}

/// A resource of the Blueprint, addressable by name from env vars.
#[derive(Clone, Debug)]
pub struct Target {
    pub path: String,
    pub name: String,
    /// The Blueprint `type` as written (`web`, `pserv`, `keyvalue`; `postgres` for databases).
    pub yaml_type: String,
    pub kind: Kind,
    /// `render_service.api`.
    pub address: String,
    /// Env var keys the service sets, each with the address of the env group it comes from
    /// (`None`: the service's own `env_vars`), for `fromService.envVarKey`.
    pub env_keys: Vec<(String, Option<String>)>,
    /// The literal `PORT` env var, when the service sets one.
    pub port: Option<String>,
    /// Where it sits (names resolve there first) and its environment.
    pub scope: Scope,
}

/// Where a Blueprint entry sits: the scope its references resolve in, and the environment it is
/// placed in (set by `projects`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The YAML path of the list's owner: "" (top level, `ungrouped`), `projects[0]` (a
    /// project's env groups) or `projects[0].environments[1]`.
    pub key: String,
    /// The environment's name, for entries inside one.
    pub env_name: Option<String>,
    /// `render_project.p.environments["staging"].id`, for entries inside an environment.
    pub environment_id: Option<Expr>,
}

impl Scope {
    /// The scopes a name is looked up in, nearest first: the environment, its project, the top
    /// level (Render resolves `fromGroup`, `fromService` and `fromDatabase` the same way).
    pub fn chain(&self) -> Vec<String> {
        let mut out = vec![self.key.clone()];
        if let Some(i) = self.key.rfind(".environments[") {
            out.push(self.key[..i].to_string());
        }
        if !self.key.is_empty() {
            out.push(String::new());
        }
        out
    }
}

/// A Blueprint name looked up from `scope`: the nearest scope that defines it wins.
pub fn lookup<'m, T>(
    map: &'m BTreeMap<(String, String), T>,
    scope: &Scope,
    name: &str,
) -> Option<&'m T> {
    scope
        .chain()
        .into_iter()
        .find_map(|k| map.get(&(k, name.to_string())))
}

/// An env group of the Blueprint, as `render_env_group.<tf>`.
#[derive(Clone, Debug)]
pub struct Group<'a> {
    pub path: String,
    pub name: String,
    pub group: &'a EnvVarGroup,
    /// `render_env_group.shared`.
    pub address: String,
    pub scope: Scope,
}

/// Everything the mapping has learnt so far, and what it reports.
pub struct Ctx<'a> {
    /// Keyed by (scope key, Blueprint name); see `lookup`.
    pub services: BTreeMap<(String, String), Target>,
    pub databases: BTreeMap<(String, String), Target>,
    pub groups: BTreeMap<(String, String), Group<'a>>,
    /// Group address → addresses of the services linked to it (`fromGroup`), in Blueprint order.
    pub links: BTreeMap<String, Vec<String>>,
    pub warnings: Vec<Warning>,
    pub variables: Vec<Variable>,
    /// Resource → resources it references, to keep the module free of cycles.
    pub edges: BTreeMap<String, BTreeSet<String>>,
}

impl Ctx<'_> {
    pub fn new(warnings: Vec<Warning>) -> Self {
        Ctx {
            services: BTreeMap::new(),
            databases: BTreeMap::new(),
            groups: BTreeMap::new(),
            links: BTreeMap::new(),
            warnings,
            variables: Vec::new(),
            edges: BTreeMap::new(),
        }
    }

    pub fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// `var.<name>` for an input; one variable per `name` however many services use it.
    pub fn variable(&mut self, name: &str, kind: VariableKind, subject: &str, user: &str) -> Expr {
        let existing = self
            .variables
            .iter_mut()
            .find(|v| v.name == name && v.kind == kind);
        match existing {
            Some(v) => {
                if !v.used_by.iter().any(|u| u == user) {
                    v.used_by.push(user.to_string());
                }
            }
            None => {
                let taken: BTreeSet<String> =
                    self.variables.iter().map(|v| v.name.clone()).collect();
                let unique = unique_name(name, &taken);
                self.variables.push(Variable {
                    name: unique.clone(),
                    kind,
                    subject: subject.to_string(),
                    used_by: vec![user.to_string()],
                });
                return Expr::raw(format!("var.{unique}"));
            }
        }
        Expr::raw(format!("var.{name}"))
    }

    /// Record that `from` references `to`; false (and nothing recorded) when that would close
    /// a cycle, which Terraform rejects.
    pub fn link(&mut self, from: &str, to: &str) -> bool {
        if from == to || self.reaches(to, from) {
            return false;
        }
        self.edges
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
        true
    }

    fn reaches(&self, start: &str, goal: &str) -> bool {
        let mut stack = vec![start.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == goal {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(self.edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    }
}

pub fn unique_name(base: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| base.to_string())
}

pub fn err(path: &str, message: impl Into<String>) -> BlueprintError {
    BlueprintError {
        path: Some(path.to_string()),
        message: message.into(),
    }
}

/// The Blueprint's entries with their YAML paths and scopes, in document order: the top level,
/// `ungrouped`, then each project's groups and environments.
pub struct Entries<'a> {
    pub services: Vec<(String, &'a Service, Scope)>,
    pub databases: Vec<(String, &'a Database, Scope)>,
    pub groups: Vec<(String, &'a EnvVarGroup, Scope)>,
    /// One `render_project` block per project.
    pub projects: Vec<Block>,
}

pub fn entries<'a>(
    bp: &'a Blueprint,
    warnings: &mut Vec<Warning>,
) -> Result<Entries<'a>, BlueprintError> {
    let mut e = Entries {
        services: Vec::new(),
        databases: Vec::new(),
        groups: Vec::new(),
        projects: Vec::new(),
    };
    let top = Scope::default();
    add_all(
        &mut e,
        "",
        &top,
        &bp.services,
        &bp.databases,
        &bp.env_var_groups,
    );
    if let Some(u) = &bp.ungrouped {
        add_all(
            &mut e,
            "ungrouped.",
            &top,
            &u.services,
            &u.databases,
            &u.env_var_groups,
        );
    }
    let mut taken = BTreeSet::new();
    for (p, project) in bp.projects.iter().flatten().enumerate() {
        let (block, envs) = projects::project(p, project, &mut taken)?;
        e.projects.push(block);
        let project_scope = Scope {
            key: format!("projects[{p}]"),
            ..Scope::default()
        };
        add_all(
            &mut e,
            &format!("projects[{p}]."),
            &project_scope,
            &None,
            &None,
            &project.env_var_groups,
        );
        for (env, scope) in envs {
            add_all(
                &mut e,
                &format!("{}.", scope.key),
                &scope,
                &env.services,
                &env.databases,
                &env.env_var_groups,
            );
        }
    }
    if bp.previews.is_some() {
        warnings.push(Warning {
            path: "previews".into(),
            message: "preview environments are not expressed by the render resources; ignored"
                .into(),
        });
    }
    Ok(e)
}

fn add_all<'a>(
    e: &mut Entries<'a>,
    prefix: &str,
    scope: &Scope,
    services: &'a Option<Vec<Service>>,
    databases: &'a Option<Vec<Database>>,
    groups: &'a Option<Vec<EnvVarGroup>>,
) {
    for (i, s) in services.iter().flatten().enumerate() {
        e.services
            .push((format!("{prefix}services[{i}]"), s, scope.clone()));
    }
    for (i, d) in databases.iter().flatten().enumerate() {
        e.databases
            .push((format!("{prefix}databases[{i}]"), d, scope.clone()));
    }
    for (i, g) in groups.iter().flatten().enumerate() {
        e.groups
            .push((format!("{prefix}envVarGroups[{i}]"), g, scope.clone()));
    }
}

/// A service's render_service type (or Key Value), from its Blueprint `type` and runtime.
pub fn service_kind(path: &str, s: &Service) -> Result<Kind, BlueprintError> {
    let Some(ty) = s.kind.as_deref() else {
        return Err(err(
            &format!("{path}.type"),
            "missing `type` (web, pserv, worker, cron or keyvalue)",
        ));
    };
    if KEY_VALUE_TYPES.contains(&ty) {
        return Ok(Kind::KeyValue);
    }
    let Some((_, render)) = SERVICE_TYPES.iter().find(|(b, _)| *b == ty) else {
        return Err(err(
            &format!("{path}.type"),
            format!("unknown service type {ty:?} (expected web, pserv, worker, cron, keyvalue or redis)"),
        ));
    };
    if runtime_of(s) == Some("static") {
        return match ty {
            "web" => Ok(Kind::Service("static_site")),
            _ => Err(err(
                &format!("{path}.runtime"),
                format!("runtime \"static\" is only for `type: web` (a static site), not {ty:?}"),
            )),
        };
    }
    Ok(Kind::Service(render))
}

/// `runtime`, or its older name `env`.
pub fn runtime_of(s: &Service) -> Option<&str> {
    s.runtime.as_deref().or(s.env.as_deref())
}

/// The resources' names, kinds and addresses, before any of them is written (env vars may
/// reference resources defined later in the file). Env groups are registered in `ctx.groups`.
pub fn targets<'a>(e: &Entries<'a>, ctx: &mut Ctx<'a>) -> Result<Vec<Target>, BlueprintError> {
    groups::register(&e.groups, ctx)?;
    // Names used in more than one scope (the same service in staging and production): inside an
    // environment they get the environment's name, so both fit in one workspace and one module.
    // Keyed by (is a render_database, name): services and databases are separate namespaces.
    let mut scopes_of: BTreeMap<(bool, String), BTreeSet<String>> = BTreeMap::new();
    let is_key_value = |s: &Service| {
        s.kind
            .as_deref()
            .is_some_and(|k| KEY_VALUE_TYPES.contains(&k))
    };
    for (database, name, scope) in e
        .services
        .iter()
        .map(|(_, s, sc)| (is_key_value(s), &s.name, sc))
        .chain(e.databases.iter().map(|(_, d, sc)| (true, &d.name, sc)))
    {
        if let Some(n) = name {
            scopes_of
                .entry((database, n.clone()))
                .or_default()
                .insert(scope.key.clone());
        }
    }
    let shared = |database: bool, n: &str| {
        scopes_of
            .get(&(database, n.to_string()))
            .is_some_and(|s| s.len() > 1)
    };
    let mut service_names = BTreeSet::new();
    let mut database_names = BTreeSet::new();
    let mut out = Vec::new();
    for (path, s, scope) in &e.services {
        let Some(yaml_name) = s.name.clone() else {
            return Err(err(&format!("{path}.name"), "a service needs a `name`"));
        };
        let kind = service_kind(path, s)?;
        let shared_name = shared(kind == Kind::KeyValue, &yaml_name);
        let name = scoped_name(ctx, path, &yaml_name, scope, shared_name);
        let base = snake(&name);
        let (resource, taken) = match kind {
            Kind::KeyValue => (DATABASE_RESOURCE, &mut database_names),
            _ => (SERVICE_RESOURCE, &mut service_names),
        };
        let tf = unique_name(&base, taken);
        taken.insert(tf.clone());
        let (env_keys, port) = env_vars::declared_keys(s, scope, &ctx.groups);
        let t = Target {
            path: path.clone(),
            name,
            yaml_type: s.kind.clone().unwrap_or_default(),
            kind,
            address: format!("{resource}.{tf}"),
            env_keys,
            port,
            scope: scope.clone(),
        };
        register(ctx, &mut out, t, &yaml_name, true);
    }
    for (path, d, scope) in &e.databases {
        let Some(yaml_name) = d.name.clone() else {
            return Err(err(&format!("{path}.name"), "a database needs a `name`"));
        };
        let name = scoped_name(ctx, path, &yaml_name, scope, shared(true, &yaml_name));
        let tf = unique_name(&snake(&name), &database_names);
        database_names.insert(tf.clone());
        let t = Target {
            path: path.clone(),
            name: name.clone(),
            yaml_type: "postgres".into(),
            kind: Kind::Postgres,
            address: format!("{DATABASE_RESOURCE}.{tf}"),
            env_keys: Vec::new(),
            port: None,
            scope: scope.clone(),
        };
        register(ctx, &mut out, t, &yaml_name, false);
    }
    Ok(out)
}

/// The Render name of an entry: as written, or `<name>-<environment>` for a name several scopes
/// use. Render's API refuses a second service of one name in a workspace, and render_database
/// refuses to create a namesake (it could not tell a lost create from a second instance).
fn scoped_name(ctx: &mut Ctx<'_>, path: &str, name: &str, scope: &Scope, shared: bool) -> String {
    let (true, Some(env)) = (shared, &scope.env_name) else {
        return name.to_string();
    };
    let renamed = format!("{name}-{env}");
    ctx.warn(
        &format!("{path}.name"),
        format!("{name:?} is also defined in another environment, and one workspace cannot hold two services or databases of one name here (Render's API refuses a second service of a name; render_database refuses to create a namesake), so this one is named {renamed:?}; references by name still resolve in its environment"),
    );
    renamed
}

fn register(
    ctx: &mut Ctx<'_>,
    out: &mut Vec<Target>,
    t: Target,
    yaml_name: &str,
    is_service: bool,
) {
    let names = if is_service {
        &mut ctx.services
    } else {
        &mut ctx.databases
    };
    let key = (t.scope.key.clone(), yaml_name.to_string());
    if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(key) {
        slot.insert(t.clone());
    } else {
        let path = t.path.clone();
        ctx.warn(
            &format!("{path}.name"),
            format!(
                "the name {yaml_name:?} is used twice; references by name resolve to the first"
            ),
        );
    }
    out.push(t);
}

/// Writes one resource block, dropping (with a warning) attributes that do not apply.
struct Writer<'w, 'a> {
    ctx: &'w mut Ctx<'a>,
    path: String,
    ty: &'static str,
    block: Block,
}

impl Writer<'_, '_> {
    fn put(&mut self, yaml_key: &str, attr: &str, value: Expr) {
        if applies(attr, self.ty) {
            self.block.attr(attr, value);
        } else {
            let ty = self.ty;
            self.ctx.warn(
                &format!("{}.{yaml_key}", self.path),
                format!("`{yaml_key}` does not apply to a {ty} (Render ignores it there); dropped"),
            );
        }
    }
    fn put_str(&mut self, yaml_key: &str, attr: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.put(yaml_key, attr, Expr::str(v));
        }
    }
    fn put_int(&mut self, yaml_key: &str, attr: &str, v: Option<u32>) {
        if let Some(v) = v {
            self.put(yaml_key, attr, Expr::Int(v.into()));
        }
    }
}

/// Render writes plan names with spaces or hyphens (`pro plus`, `basic-1gb`); the API uses `_`.
pub fn normalize_plan(p: &str) -> String {
    p.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

fn strings(v: &[String]) -> Expr {
    Expr::List(v.iter().map(Expr::str).collect())
}

/// One `resource "render_service"` block.
pub fn service_block(ctx: &mut Ctx<'_>, t: &Target, s: &Service) -> Result<Block, BlueprintError> {
    let Kind::Service(ty) = t.kind else {
        return key_value_block(ctx, t, s);
    };
    let tf = t.address.split('.').nth(1).unwrap_or_default().to_string();
    let path = t.path.clone();
    let mut w = Writer {
        ctx,
        path: path.clone(),
        ty,
        block: Block::new("resource", &[SERVICE_RESOURCE, &tf]),
    };
    w.block
        .attr(attr::TYPE, Expr::str(ty))
        .attr(attr::NAME, Expr::str(&t.name));
    if let Some(env) = &t.scope.environment_id {
        w.block.attr(attr::ENVIRONMENT_ID, env.clone());
    }
    let runtime = runtime(w.ctx, &path, s, ty)?;
    if let Some(rt) = &runtime {
        w.put(
            if s.runtime.is_some() {
                "runtime"
            } else {
                "env"
            },
            attr::RUNTIME,
            Expr::str(rt),
        );
    }
    if let Some(plan) = &s.plan {
        w.put("plan", attr::PLAN, Expr::str(normalize_plan(plan)));
    }
    w.put_str("region", attr::REGION, &s.region);
    source(&mut w, s, runtime.as_deref(), &t.name)?;
    build(&mut w, s, runtime.as_deref(), &t.name)?;
    scale(&mut w, s);
    static_site(&mut w, s);
    if ty == "cron_job" && s.schedule.is_none() {
        return Err(err(
            &format!("{path}.schedule"),
            "a cron service needs a `schedule`",
        ));
    }
    w.put_str("schedule", attr::SCHEDULE, &s.schedule);
    previews(&mut w, s)?;
    if let Some(d) = s.max_shutdown_delay_seconds {
        if !(1..=300).contains(&d) {
            return Err(err(
                &format!("{path}.maxShutdownDelaySeconds"),
                format!("{d} is out of range: Render accepts 1 to 300 seconds"),
            ));
        }
    }
    w.put_int(
        "maxShutdownDelaySeconds",
        attr::MAX_SHUTDOWN_DELAY_SECONDS,
        s.max_shutdown_delay_seconds,
    );
    if let Some(d) = &s.domains {
        w.put("domains", attr::CUSTOM_DOMAINS, strings(d));
    }
    for (key, set, why) in [
        ("previewPlan", s.preview_plan.is_some(), "preview environments are not expressed"),
        ("previews.plan", s.previews.as_ref().is_some_and(|p| p.plan.is_some()), "Render's API has no preview instance type for a service"),
        ("previews.numInstances", s.previews.as_ref().is_some_and(|p| p.num_instances.is_some()), "Render's API has no preview instance count for a service"),
        ("initialDeployHook", s.initial_deploy_hook.is_some(), "Render's API has no initial deploy hook (run it once by hand, or as `pre_deploy_command` if it is idempotent)"),
        ("ipAllowList", s.ip_allow_list.is_some(), "only Postgres and Key Value instances have an IP allow list"),
        ("maxmemoryPolicy", s.maxmemory_policy.is_some(), "only Key Value instances have an eviction policy"),
    ] {
        if set {
            w.ctx.warn(
                &format!("{path}.{key}"),
                format!("{why}; `{key}` is not expressed by render_service and ignored"),
            );
        }
    }
    let env = env_vars::service_env_vars(w.ctx, t, s);
    if !env.is_empty() {
        w.block.attr(attr::ENV_VARS, Expr::Object(env));
    }
    Ok(w.block)
}

fn runtime(
    ctx: &mut Ctx<'_>,
    path: &str,
    s: &Service,
    ty: &str,
) -> Result<Option<String>, BlueprintError> {
    if ty == "static_site" {
        return Ok(None);
    }
    if s.runtime.is_some() && s.env.is_some() && s.runtime != s.env {
        ctx.warn(
            &format!("{path}.env"),
            "both `runtime` and its older name `env` are set; `runtime` wins",
        );
    }
    let rt = match runtime_of(s) {
        Some(rt) => rt.to_string(),
        None if s.image.is_some() => "image".into(),
        None if s.dockerfile_path.is_some() || s.docker_context.is_some() => "docker".into(),
        None => {
            return Err(err(
                &format!("{path}.runtime"),
                format!("missing `runtime` (one of {})", RUNTIMES.join(", ")),
            ))
        }
    };
    if !RUNTIMES.contains(&rt.as_str()) {
        ctx.warn(
            &format!("{path}.runtime"),
            format!(
                "unknown runtime {rt:?} (known: {}); passed on as is",
                RUNTIMES.join(", ")
            ),
        );
    }
    Ok(Some(rt))
}

/// repo, branch, root dir, auto deploy and build filter. A service without `repo` deploys the
/// repository the Blueprint lives in: that becomes `var.repo`.
fn source(
    w: &mut Writer<'_, '_>,
    s: &Service,
    runtime: Option<&str>,
    name: &str,
) -> Result<(), BlueprintError> {
    match (&s.repo, runtime) {
        (Some(r), _) => w.put("repo", attr::REPO, Expr::str(r)),
        (None, Some("image")) => {}
        (None, _) => {
            let v = w.ctx.variable("repo", VariableKind::Repo, "repo", name);
            w.block.attr(attr::REPO, v);
        }
    }
    w.put_str("branch", attr::BRANCH, &s.branch);
    w.put_str("rootDir", attr::ROOT_DIR, &s.root_dir);
    let path = w.path.clone();
    match s.auto_deploy_trigger.as_deref() {
        Some(t @ ("commit" | "off" | "checksPass")) => {
            w.put(
                "autoDeployTrigger",
                attr::AUTO_DEPLOY_TRIGGER,
                Expr::Str(t.to_string()),
            );
        }
        Some(other) => {
            return Err(err(
                &format!("{path}.autoDeployTrigger"),
                format!("unknown trigger {other:?}: Render accepts commit, checksPass or off"),
            ));
        }
        None => {
            if let Some(a) = s.auto_deploy {
                w.put("autoDeploy", attr::AUTO_DEPLOY, Expr::Bool(a));
            }
        }
    }
    if let Some(f) = &s.build_filter {
        let mut o = Vec::new();
        if let Some(p) = &f.paths {
            o.push((attr::PATHS, strings(p)));
        }
        if let Some(p) = &f.ignored_paths {
            o.push((attr::IGNORED_PATHS, strings(p)));
        }
        w.put("buildFilter", attr::BUILD_FILTER, Expr::object(o));
    }
    Ok(())
}

/// Build and start commands, Docker settings, the prebuilt image and the health check.
fn build(
    w: &mut Writer<'_, '_>,
    s: &Service,
    runtime: Option<&str>,
    name: &str,
) -> Result<(), BlueprintError> {
    let path = w.path.clone();
    w.put_str("buildCommand", attr::BUILD_COMMAND, &s.build_command);
    w.put_str("startCommand", attr::START_COMMAND, &s.start_command);
    // Render refuses a native-runtime service without both commands (and so does render_service's
    // validate): a module that can never apply is an error here, not a warning to scroll past.
    let native = runtime.filter(|r| !matches!(*r, "docker" | "image"));
    if let Some(rt) = native {
        for (key, missing) in [
            ("buildCommand", s.build_command.is_none()),
            ("startCommand", s.start_command.is_none()),
        ] {
            if missing {
                return Err(err(
                    &format!("{path}.{key}"),
                    format!("missing: Render requires `buildCommand` and `startCommand` for the native runtime {rt:?} and refuses the service without them"),
                ));
            }
        }
    }
    w.put_str(
        "preDeployCommand",
        attr::PRE_DEPLOY_COMMAND,
        &s.pre_deploy_command,
    );
    let mut docker = Vec::new();
    for (key, a, v) in [
        ("dockerfilePath", attr::DOCKERFILE_PATH, &s.dockerfile_path),
        ("dockerContext", attr::CONTEXT, &s.docker_context),
        ("dockerCommand", attr::COMMAND, &s.docker_command),
    ] {
        if let Some(v) = v {
            docker.push((key, a, Expr::str(v)));
        }
    }
    let cred_name = s
        .registry_credential
        .as_ref()
        .and_then(|c| c.from_registry_creds.as_ref())
        .and_then(|n| n.name.clone());
    if let Some(c) = &cred_name {
        let v = w.ctx.variable(
            &format!("registry_credential_{}", snake(c)),
            VariableKind::RegistryCredential,
            c,
            name,
        );
        docker.push(("registryCredential", attr::REGISTRY_CREDENTIAL_ID, v));
    }
    if !docker.is_empty() {
        if runtime == Some("docker") {
            w.put(
                "dockerfilePath",
                attr::DOCKER,
                Expr::object(docker.into_iter().map(|(_, a, v)| (a, v))),
            );
        } else {
            for (key, _, _) in docker {
                w.ctx.warn(
                    &format!("{path}.{key}"),
                    "Docker settings need `runtime: docker`; dropped",
                );
            }
        }
    }
    if let Some(img) = &s.image {
        if runtime != Some("image") {
            w.ctx.warn(
                &format!("{path}.image"),
                "`image` needs `runtime: image`; dropped",
            );
        } else {
            let Some(url) = &img.url else {
                return Err(err(
                    &format!("{path}.image.url"),
                    "an image service needs `image.url`",
                ));
            };
            let mut o = vec![(attr::URL, Expr::str(url))];
            if let Some(c) = img
                .creds
                .as_ref()
                .and_then(|c| c.from_registry_creds.as_ref())
                .and_then(|n| n.name.clone())
            {
                o.push((
                    attr::REGISTRY_CREDENTIAL_ID,
                    w.ctx.variable(
                        &format!("registry_credential_{}", snake(&c)),
                        VariableKind::RegistryCredential,
                        &c,
                        name,
                    ),
                ));
            }
            w.put("image", attr::IMAGE, Expr::object(o));
        }
    } else if runtime == Some("image") {
        return Err(err(
            &format!("{path}.image.url"),
            "runtime `image` needs `image.url`",
        ));
    }
    w.put_str(
        "healthCheckPath",
        attr::HEALTH_CHECK_PATH,
        &s.health_check_path,
    );
    Ok(())
}

/// numInstances, scaling and disk.
fn scale(w: &mut Writer<'_, '_>, s: &Service) {
    let path = w.path.clone();
    if let Some(sc) = &s.scaling {
        match (sc.min_instances, sc.max_instances) {
            (Some(min), Some(max)) => {
                let mut o = vec![
                    (attr::ENABLED, Expr::Bool(true)),
                    (attr::MIN, Expr::Int(min.into())),
                    (attr::MAX, Expr::Int(max.into())),
                ];
                if let Some(c) = sc.target_cpu_percent {
                    o.push((attr::CPU_PERCENT, Expr::Int(c.into())));
                }
                if let Some(m) = sc.target_memory_percent {
                    o.push((attr::MEMORY_PERCENT, Expr::Int(m.into())));
                }
                w.put("scaling", attr::AUTOSCALING, Expr::object(o));
                if s.num_instances.is_some() {
                    w.ctx.warn(
                        &format!("{path}.numInstances"),
                        "ignored: `scaling` decides the instance count",
                    );
                }
            }
            _ => {
                w.ctx.warn(
                    &format!("{path}.scaling"),
                    "`scaling` needs both minInstances and maxInstances; dropped",
                );
                w.put_int("numInstances", attr::NUM_INSTANCES, s.num_instances);
            }
        }
    } else {
        w.put_int("numInstances", attr::NUM_INSTANCES, s.num_instances);
    }
    if let Some(d) = &s.disk {
        match (&d.name, &d.mount_path) {
            (Some(n), Some(m)) => {
                let mut o = vec![(attr::NAME, Expr::str(n)), (attr::MOUNT_PATH, Expr::str(m))];
                if let Some(g) = d.size_gb {
                    o.push((attr::SIZE_GB, Expr::Int(g.into())));
                }
                w.put("disk", attr::DISK, Expr::object(o));
            }
            _ => w.ctx.warn(
                &format!("{path}.disk"),
                "a disk needs `name` and `mountPath`; dropped",
            ),
        }
    }
}

/// Publish path, headers and routes of static sites.
fn static_site(w: &mut Writer<'_, '_>, s: &Service) {
    let path = w.path.clone();
    w.put_str(
        "staticPublishPath",
        attr::PUBLISH_PATH,
        &s.static_publish_path,
    );
    if let Some(hs) = &s.headers {
        let mut items = Vec::new();
        for (i, h) in hs.iter().enumerate() {
            match (&h.path, &h.name, &h.value) {
                (Some(p), Some(n), Some(v)) => items.push(Expr::object([
                    (attr::PATH, Expr::str(p)),
                    (attr::NAME, Expr::str(n)),
                    (attr::VALUE, Expr::str(v)),
                ])),
                _ => w.ctx.warn(
                    &format!("{path}.headers[{i}]"),
                    "a header needs `path`, `name` and `value`; dropped",
                ),
            }
        }
        w.put("headers", attr::HEADERS, Expr::List(items));
    }
    if let Some(rs) = &s.routes {
        let mut items = Vec::new();
        for (i, r) in rs.iter().enumerate() {
            match (&r.kind, &r.source, &r.destination) {
                (Some(t), Some(src), Some(d)) => items.push(Expr::object([
                    (attr::TYPE, Expr::str(t)),
                    (attr::SOURCE, Expr::str(src)),
                    (attr::DESTINATION, Expr::str(d)),
                ])),
                _ => w.ctx.warn(
                    &format!("{path}.routes[{i}]"),
                    "a route needs `type`, `source` and `destination`; dropped",
                ),
            }
        }
        w.put("routes", attr::ROUTES, Expr::List(items));
    }
}

fn previews(w: &mut Writer<'_, '_>, s: &Service) -> Result<(), BlueprintError> {
    let path = w.path.clone();
    match s.previews.as_ref().and_then(|p| p.generation.as_deref()) {
        Some(g @ ("automatic" | "manual" | "off")) => {
            w.put(
                "previews.generation",
                attr::PREVIEWS_GENERATION,
                Expr::Str(g.to_string()),
            );
        }
        Some(other) => {
            return Err(err(
                &format!("{path}.previews.generation"),
                format!(
                    "unknown preview generation {other:?}: Render accepts automatic, manual or off"
                ),
            ));
        }
        None => {}
    }
    if let Some(p) = s.pull_request_previews_enabled {
        w.put(
            "pullRequestPreviewsEnabled",
            attr::PULL_REQUEST_PREVIEWS,
            Expr::Bool(p),
        );
    }
    match s.render_subdomain_policy.as_deref() {
        Some(p @ ("enabled" | "disabled")) => {
            w.put(
                "renderSubdomainPolicy",
                attr::RENDER_SUBDOMAIN_POLICY,
                Expr::Str(p.to_string()),
            );
        }
        Some(other) => {
            return Err(err(
                &format!("{path}.renderSubdomainPolicy"),
                format!("unknown policy {other:?}: Render accepts enabled or disabled"),
            ));
        }
        None => {}
    }
    Ok(())
}

fn ip_allow_list(ctx: &mut Ctx<'_>, path: &str, rules: &[IpRule]) -> Expr {
    let mut items = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let Some(src) = &r.source else {
            ctx.warn(
                &format!("{path}.ipAllowList[{i}]"),
                "an IP rule needs `source`; dropped",
            );
            continue;
        };
        let mut o = vec![(attr::CIDR_BLOCK, Expr::str(src))];
        if let Some(d) = &r.description {
            o.push((attr::DESCRIPTION, Expr::str(d)));
        }
        items.push(Expr::object(o));
    }
    Expr::List(items)
}

fn plan_or_default(ctx: &mut Ctx<'_>, path: &str, plan: &Option<String>, default: &str) -> Expr {
    match plan {
        Some(p) => Expr::str(normalize_plan(p)),
        None => {
            ctx.warn(&format!("{path}.plan"), format!("no plan: Render would pick its default; the module pins {default:?} (render_database needs a plan)"));
            Expr::str(default)
        }
    }
}

/// A Key Value service → `render_database` with engine key_value.
fn key_value_block(ctx: &mut Ctx<'_>, t: &Target, s: &Service) -> Result<Block, BlueprintError> {
    let tf = t.address.split('.').nth(1).unwrap_or_default();
    let path = &t.path;
    let mut b = Block::new("resource", &[DATABASE_RESOURCE, tf]);
    b.attr(attr::ENGINE, Expr::str("key_value"))
        .attr(attr::NAME, Expr::str(&t.name));
    if let Some(env) = &t.scope.environment_id {
        b.attr(attr::ENVIRONMENT_ID, env.clone());
    }
    b.attr(
        attr::PLAN,
        plan_or_default(ctx, path, &s.plan, DEFAULT_KEY_VALUE_PLAN),
    );
    if let Some(r) = &s.region {
        b.attr(attr::REGION, Expr::str(r));
    }
    if let Some(p) = &s.maxmemory_policy {
        b.attr(attr::MAXMEMORY_POLICY, Expr::str(normalize_plan(p)));
    }
    if let Some(rules) = &s.ip_allow_list {
        b.attr(attr::IP_ALLOW_LIST, ip_allow_list(ctx, path, rules));
    }
    if let Ok(serde_yaml::Value::Mapping(m)) = serde_yaml::to_value(s) {
        for (k, v) in m {
            let k = k.as_str().unwrap_or_default().to_string();
            if !v.is_null() && !KEY_VALUE_KEYS.contains(&k.as_str()) {
                ctx.warn(
                    &format!("{path}.{k}"),
                    format!("`{k}` does not apply to a Key Value instance; ignored"),
                );
            }
        }
    }
    if s.preview_plan.is_some() {
        ctx.warn(
            &format!("{path}.previewPlan"),
            "preview environments are not expressed; ignored",
        );
    }
    Ok(b)
}

/// A Blueprint database → `render_database` (Postgres).
pub fn database_block(ctx: &mut Ctx<'_>, t: &Target, d: &Database) -> Block {
    let tf = t.address.split('.').nth(1).unwrap_or_default();
    let path = &t.path;
    let lower = t.name.to_ascii_lowercase();
    if ["redis", "valkey", "keyvalue", "key-value"]
        .iter()
        .any(|w| lower.contains(w))
    {
        ctx.warn(path, format!("{:?} looks like a Redis/Key Value instance, but Blueprint `databases` are Postgres (Key Value is a `services` entry with `type: keyvalue`); converted as Postgres", t.name));
    }
    let mut b = Block::new("resource", &[DATABASE_RESOURCE, tf]);
    b.attr(attr::ENGINE, Expr::str("postgres"))
        .attr(attr::NAME, Expr::str(&t.name));
    if let Some(env) = &t.scope.environment_id {
        b.attr(attr::ENVIRONMENT_ID, env.clone());
    }
    b.attr(
        attr::PLAN,
        plan_or_default(ctx, path, &d.plan, DEFAULT_POSTGRES_PLAN),
    );
    if let Some(r) = &d.region {
        b.attr(attr::REGION, Expr::str(r));
    }
    if let Some(v) = &d.postgres_major_version {
        b.attr(attr::VERSION, Expr::str(v.text()));
    }
    if let Some(n) = &d.database_name {
        b.attr(attr::DATABASE_NAME, Expr::str(n));
    }
    if let Some(u) = &d.user {
        b.attr(attr::DATABASE_USER, Expr::str(u));
    }
    if let Some(g) = d.disk_size_gb {
        b.attr(attr::DISK_SIZE_GB, Expr::Int(g.into()));
    }
    if let Some(h) = d.high_availability.as_ref().and_then(|h| h.enabled) {
        b.attr(attr::HIGH_AVAILABILITY, Expr::Bool(h));
    }
    if let Some(rules) = &d.ip_allow_list {
        b.attr(attr::IP_ALLOW_LIST, ip_allow_list(ctx, path, rules));
    }
    if let Some(rs) = &d.read_replicas {
        let mut items = Vec::new();
        for (i, r) in rs.iter().enumerate() {
            match &r.name {
                Some(n) => items.push(Expr::object([(attr::NAME, Expr::str(n))])),
                None => ctx.warn(
                    &format!("{path}.readReplicas[{i}]"),
                    "a read replica needs `name`; dropped",
                ),
            }
        }
        b.attr(attr::READ_REPLICAS, Expr::List(items));
    }
    for (key, set) in [
        ("previewPlan", d.preview_plan.is_some()),
        ("previewDiskSizeGB", d.preview_disk_size_gb.is_some()),
    ] {
        if set {
            ctx.warn(
                &format!("{path}.{key}"),
                "preview environments are not expressed; ignored",
            );
        }
    }
    b
}

/// Outputs: the URL of public services, the host of private ones, the id of the others.
pub fn output_blocks(targets: &[Target]) -> Vec<Block> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for t in targets {
        let tf = t.address.split('.').nth(1).unwrap_or_default();
        let (suffix, a, what) = match t.kind {
            Kind::Service("web_service" | "static_site") => ("url", attr::URL, "Public URL"),
            Kind::Service("private_service") => ("host", attr::HOST, "Internal host name"),
            Kind::Service(_) => ("id", attr::ID, "Service id"),
            Kind::Postgres => ("id", attr::ID, "Postgres id"),
            Kind::KeyValue => ("id", attr::ID, "Key Value id"),
        };
        let name = unique_name(&format!("{tf}_{suffix}"), &taken);
        taken.insert(name.clone());
        let mut b = Block::new("output", &[&name]);
        b.attr(
            attr::DESCRIPTION,
            Expr::str(format!("{what} of {}.", t.name)),
        )
        .attr(attr::VALUE, Expr::raw(format!("{}.{a}", t.address)));
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_normalized() {
        assert_eq!(normalize_plan("Pro Plus"), "pro_plus");
        assert_eq!(normalize_plan("basic-1gb"), "basic_1gb");
        assert_eq!(normalize_plan("standard"), "standard");
    }

    #[test]
    fn cycles_are_refused() {
        let mut ctx = Ctx::new(Vec::new());
        assert!(ctx.link("a", "b"));
        assert!(ctx.link("b", "c"));
        assert!(!ctx.link("c", "a"));
        assert!(!ctx.link("a", "a"));
        assert!(ctx.link("a", "c"));
    }
}
