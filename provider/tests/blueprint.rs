//! The Blueprint converter end to end (no Terraform): the two documented architectures'
//! Blueprints (and the converter output checked in next to them), the CLI's `--out`/`--force`, a Blueprint using every mapped field, a multi-environment project with env groups, a table of broken inputs (clear error with
//! the path, never a panic), truncation/mutation fuzzing, and the attribute table checked against
//! the render resources' real schemas. `terraform validate`/`apply` of the output lives in
//! acceptance-tests/tests/blueprint.rs.

use paasform::blueprint::mapping::attr;
use paasform::blueprint::{convert, Conversion, VariableKind};
use paasform::clouds;
use paasform::framework::{Attribute, Host};

/// The architectures whose Blueprint lives next to their module, with the converter's output in
/// `blueprint/` beside it.
const ARCHITECTURES: &[&str] = &["vulcan", "kirby-gen"];

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A documented architecture's Blueprint (examples/architectures/<name>/render.yaml) or, for the
/// others, a test Blueprint under tests/fixtures/blueprints.
fn fixture(name: &str) -> String {
    let path = if ARCHITECTURES.contains(&name) {
        root()
            .join("examples/architectures")
            .join(name)
            .join("render.yaml")
    } else {
        root().join(format!(
            "provider/tests/fixtures/blueprints/{name}.render.yaml"
        ))
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok(yaml: &str) -> Conversion {
    convert(yaml).unwrap_or_else(|e| panic!("conversion failed: {e}\n{yaml}"))
}

fn main_tf(c: &Conversion) -> &str {
    c.file("main.tf").expect("main.tf")
}

/// The lines of main.tf, trimmed and with runs of spaces collapsed (alignment-independent).
fn lines(c: &Conversion, file: &str) -> Vec<String> {
    c.file(file)
        .expect("file")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[track_caller]
fn has_line(c: &Conversion, file: &str, line: &str) {
    let all = lines(c, file);
    assert!(
        all.iter().any(|l| l == line),
        "{file} has no line `{line}`:\n{}",
        c.file(file).unwrap_or_default()
    );
}

fn warning_paths(c: &Conversion) -> Vec<&str> {
    c.warnings.iter().map(|w| w.path.as_str()).collect()
}

#[track_caller]
fn warns(c: &Conversion, path: &str, needle: &str) {
    assert!(
        c.warnings
            .iter()
            .any(|w| w.path == path && w.message.contains(needle)),
        "no warning at {path} containing {needle:?}; warnings: {:#?}",
        c.warnings
    );
}

#[test]
fn vulcan_blueprint() {
    let c = ok(&fixture("vulcan"));
    let names: Vec<&str> = c.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "versions.tf",
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "terraform.tfvars.example"
        ]
    );
    has_line(&c, "main.tf", r#"resource "render_service" "vulcan_web" {"#);
    has_line(
        &c,
        "main.tf",
        r#"resource "render_service" "vulcan_orchestrator" {"#,
    );
    has_line(&c, "main.tf", r#"type = "web_service""#);
    has_line(&c, "main.tf", r#"runtime = "node""#);
    has_line(&c, "main.tf", r#"runtime = "python""#);
    has_line(&c, "main.tf", r#"root_dir = "apps/web""#);
    has_line(&c, "main.tf", r#"start_command = "gunicorn core.api:app""#);
    has_line(&c, "main.tf", "repo = var.repo");
    // fromService host → a reference; generateValue; sync: false → a sensitive variable.
    has_line(
        &c,
        "main.tf",
        "NEXT_PUBLIC_API_URL = { value = render_service.vulcan_orchestrator.host }",
    );
    has_line(
        &c,
        "main.tf",
        "TAILSCALE_AUTH_KEY = { generate_value = true }",
    );
    has_line(
        &c,
        "main.tf",
        "DESKTOP_SERVER_URL = { value = var.desktop_server_url }",
    );
    has_line(&c, "variables.tf", r#"variable "desktop_server_url" {"#);
    has_line(&c, "variables.tf", "sensitive = true");
    has_line(&c, "outputs.tf", "value = render_service.vulcan_web.url");
    has_line(
        &c,
        "versions.tf",
        r#"render = { source = "paasform/render", version = "~> 0.1" }"#,
    );
    assert!(!main_tf(&c).contains("render_database"));
    assert!(c.warnings.is_empty(), "{:#?}", c.warnings);
    let vars: Vec<(&str, VariableKind)> = c
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.kind))
        .collect();
    assert_eq!(
        vars,
        [
            ("repo", VariableKind::Repo),
            ("desktop_server_url", VariableKind::Secret)
        ]
    );
}

#[test]
fn kirby_gen_blueprint() {
    let c = ok(&fixture("kirby-gen"));
    // env: static on a web service → a static site.
    has_line(
        &c,
        "main.tf",
        r#"resource "render_service" "kirby_gen_web" {"#,
    );
    has_line(&c, "main.tf", r#"type = "static_site""#);
    has_line(&c, "main.tf", r#"publish_path = "packages/web/dist""#);
    has_line(&c, "main.tf", r#"type = "private_service""#);
    has_line(&c, "main.tf", r#"type = "background_worker""#);
    has_line(&c, "main.tf", r#"health_check_path = "/api/health""#);
    has_line(&c, "main.tf", "auto_deploy = true");
    // A YAML number becomes a string value.
    has_line(&c, "main.tf", r#"PORT = { value = "3000" }"#);
    has_line(
        &c,
        "main.tf",
        "DATABASE_URL = { value = render_database.kirby_gen_db.internal_connection_string }",
    );
    has_line(
        &c,
        "main.tf",
        "REDIS_URL = { value = render_database.kirby_gen_redis.internal_connection_string }",
    );
    has_line(&c, "main.tf", "JWT_SECRET = { generate_value = true }");
    has_line(
        &c,
        "main.tf",
        r#"SKILLS_BASE_URL = { value = "http://${render_service.kirby_gen_skills.host}:10000" }"#,
    );
    has_line(
        &c,
        "main.tf",
        r#"resource "render_database" "kirby_gen_db" {"#,
    );
    has_line(&c, "main.tf", r#"database_name = "kirby_gen""#);
    has_line(&c, "main.tf", r#"plan = "standard""#);
    // The same sync:false key in two services is one variable.
    let claude: Vec<_> = c
        .variables
        .iter()
        .filter(|v| v.subject == "CLAUDE_API_KEY")
        .collect();
    assert_eq!(claude.len(), 1);
    assert_eq!(claude[0].used_by, ["kirby-gen-api", "kirby-gen-worker"]);
    assert_eq!(
        lines(&c, "main.tf")
            .iter()
            .filter(|l| *l == "CLAUDE_API_KEY = { value = var.claude_api_key }")
            .count(),
        2
    );
    has_line(
        &c,
        "outputs.tf",
        "value = render_service.kirby_gen_skills.host",
    );
    has_line(&c, "outputs.tf", "value = render_database.kirby_gen_db.id");
    // What the Blueprint says that the module cannot (or that Render would not accept).
    warns(
        &c,
        "services[1].envVars[11].fromService.type",
        "is a `pserv` service, not `web`",
    );
    warns(
        &c,
        "services[1].envVars[11].fromService.property",
        "`url` is not a Blueprint property",
    );
    warns(
        &c,
        "services[2].healthCheckPath",
        "does not apply to a private_service",
    );
    warns(&c, "databases[1]", "looks like a Redis/Key Value instance");
    assert!(
        !lines(&c, "main.tf").contains(&r#"health_check_path = "/health""#.to_string()),
        "dropped on the private service"
    );
    assert_eq!(c.warnings.len(), 7, "{:#?}", c.warnings);
}

#[test]
fn every_mapped_field() {
    let c = ok(&fixture("everything"));
    let has = |l: &str| has_line(&c, "main.tf", l);
    // Service fields.
    has(r#"plan = "pro_plus""#);
    has(r#"region = "frankfurt""#);
    has(r#"repo = "https://github.com/acme/app""#);
    has(r#"branch = "main""#);
    has(r#"root_dir = "api""#);
    has(r#"auto_deploy_trigger = "checksPass""#);
    has(r#"paths = ["api/**"]"#);
    has(r#"ignored_paths = ["api/docs/**"]"#);
    has(r#"dockerfile_path = "./Dockerfile.prod""#);
    has(r#"context = ".""#);
    has(r#"command = "./serve --port 8080""#);
    has("registry_credential_id = var.registry_credential_ghcr");
    has(r#"health_check_path = "/healthz""#);
    has(r#"pre_deploy_command = "./migrate""#);
    has("enabled = true");
    has("min = 2");
    has("max = 6");
    has("cpu_percent = 60");
    has("memory_percent = 70");
    has(r#"disk = { name = "data", mount_path = "/var/data", size_gb = 10 }"#);
    has(r#"custom_domains = ["api.acme.dev"]"#);
    has("max_shutdown_delay_seconds = 60");
    has("pull_request_previews = true");
    has(r#"schedule = "0 3 * * *""#);
    has(r#"publish_path = "dist""#);
    has(r#"headers = [{ path = "/*", name = "X-Frame-Options", value = "DENY" }]"#);
    has(r#"routes = [{ type = "rewrite", source = "/*", destination = "/index.html" }]"#);
    has(r#"custom_domains = ["www.acme.dev"]"#);
    has(r#"runtime = "image""#);
    has(r#"url = "ghcr.io/acme/mirror:1""#);
    // Multi-line commands become heredocs, with template introducers escaped.
    assert!(
        main_tf(&c).contains(
            "build_command = <<EOT\npip install -r requirements.txt\necho \"$${BUILD_ID}\"\nEOT\n"
        ),
        "{}",
        main_tf(&c)
    );
    has(r#"TEMPLATE = { value = "Hello $${NAME} and %%{if x} \"quoted\" \\ back" }"#);
    // An env group is a render_env_group linked to the services using it; the service's own
    // entry stays on the service (it wins over the group's on Render).
    has(r#"resource "render_env_group" "shared" {"#);
    has(r#"LOG_LEVEL = { value = "debug" }"#);
    has(r#"LOG_LEVEL = { value = "info" }"#);
    has("SHARED_SECRET = { generate_value = true }");
    has(r#"resource "render_env_group_link" "shared" {"#);
    has("env_group_id = render_env_group.shared.id");
    has("service_ids = [render_service.api.id, render_service.jobs.id]");
    assert_eq!(
        lines(&c, "main.tf")
            .iter()
            .filter(|l| l.starts_with("SHARED_SECRET ="))
            .count(),
        1,
        "the generated value lives in the group only"
    );
    has("STRIPE_KEY = { value = var.stripe_key }");
    // References.
    has(r#"DB_HOSTPORT = { value = "${render_database.main.host}:${render_database.main.port}" }"#);
    has("DB_NAME = { value = render_database.main.database_name }");
    has("DB_PASSWORD = { value = render_database.main.password }");
    has("CACHE_URL = { value = render_database.cache.internal_connection_string }");
    has(
        r#"CACHE_HOSTPORT = { value = "${render_database.cache.host}:${render_database.cache.port}" }"#,
    );
    has(r#"API_HOSTPORT = { value = "${render_service.api.host}:8080" }"#);
    // envVarKey of a key the service gets from a group reads the group.
    has(r#"API_SECRET = { value = render_env_group.shared.env_vars["SHARED_SECRET"].value }"#);
    has("MISSING = { value = var.missing }");
    // Key Value and Postgres.
    has(r#"resource "render_database" "cache" {"#);
    has(r#"engine = "key_value""#);
    has(r#"maxmemory_policy = "allkeys_lru""#);
    has(r#"ip_allow_list = [{ cidr_block = "0.0.0.0/0", description = "everywhere" }]"#);
    has(r#"plan = "basic_1gb""#);
    has(r#"version = "16""#);
    has(r#"database_name = "app""#);
    has(r#"database_user = "app_user""#);
    has("disk_size_gb = 20");
    has("high_availability = true");
    has(r#"read_replicas = [{ name = "main-replica" }]"#);
    has("ip_allow_list = []");
    // A project with its environment; the service listed in it is placed there.
    has(r#"resource "render_project" "extra" {"#);
    has(r#"staging = { name = "staging", protected_status = "protected" }"#);
    has(r#"resource "render_service" "staging_worker" {"#);
    has(r#"environment_id = render_project.extra.environments["staging"].id"#);

    warns(&c, "services[0].numInstances", "`scaling` decides");
    warns(
        &c,
        "envVarGroups[0].envVars[2]",
        "`sync: false` does not apply to groups",
    );
    warns(
        &c,
        "services[1].envVars[3].fromService",
        "no service named \"nowhere\"",
    );
    warns(&c, "services[3].plan", "does not apply to a static_site");
    warns(
        &c,
        "services[5].startCommand",
        "does not apply to a Key Value instance",
    );
    warns(&c, "databases[0].previewPlan", "preview");
    assert!(
        !warning_paths(&c).iter().any(|p| p.starts_with("projects")),
        "projects are expressed: {:#?}",
        c.warnings
    );
    warns(&c, "previews", "ignored");
    warns(&c, "surprise", "unknown key");
    // The registry credential is one input, not sensitive; secrets are sensitive.
    let cred = c
        .variables
        .iter()
        .find(|v| v.name == "registry_credential_ghcr")
        .expect("cred var");
    assert_eq!(cred.used_by, ["api", "registry-mirror"]);
    assert!(!cred.sensitive());
    assert!(c
        .variables
        .iter()
        .find(|v| v.name == "stripe_key")
        .is_some_and(|v| v.sensitive()));
    has_line(&c, "outputs.tf", "value = render_database.cache.id");
    has_line(&c, "outputs.tf", "value = render_service.nightly.id");
}

/// `projects:` → one render_project; everything listed in an environment is placed in it, and
/// names resolve in the environment first (the same names in staging and production).
/// `envVarGroups` at every level → render_env_group + one render_env_group_link per group.
#[test]
fn projects_environments_and_env_groups() {
    let c = ok(&fixture("projects"));
    let has = |l: &str| has_line(&c, "main.tf", l);
    has(r#"resource "render_project" "robot" {"#);
    has(r#"staging = { name = "staging" }"#);
    has(
        r#"production = { name = "production", protected_status = "protected", network_isolated = true }"#,
    );
    let staging = r#"environment_id = render_project.robot.environments["staging"].id"#;
    let production = r#"environment_id = render_project.robot.environments["production"].id"#;
    // Each resource block and the environment it is placed in (None: no environment_id).
    let placed: Vec<(String, Option<&str>)> = main_tf(&c)
        .split("\nresource ")
        .skip(1)
        .map(|b| {
            let head = b.lines().next().unwrap_or_default().to_string();
            let flat: Vec<String> = b
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            let env = [("staging", staging), ("production", production)]
                .into_iter()
                .find(|(_, line)| flat.iter().any(|l| l == line))
                .map(|(e, _)| e);
            (head, env)
        })
        .collect();
    let want: &[(&str, Option<&str>)] = &[
        (r#""render_project" "robot" {"#, None),
        (r#""render_env_group" "global" {"#, None),
        (r#""render_env_group" "shared" {"#, None),
        (
            r#""render_env_group" "env_config_staging" {"#,
            Some("staging"),
        ),
        (
            r#""render_env_group" "env_config_production" {"#,
            Some("production"),
        ),
        (r#""render_service" "report" {"#, None),
        (r#""render_service" "api_staging" {"#, Some("staging")),
        (r#""render_service" "jobs" {"#, Some("staging")),
        (r#""render_service" "api_production" {"#, Some("production")),
        (r#""render_database" "cache" {"#, Some("production")),
        (r#""render_database" "db_staging" {"#, Some("staging")),
        (r#""render_database" "db_production" {"#, Some("production")),
        (r#""render_env_group_link" "global" {"#, None),
        (r#""render_env_group_link" "shared" {"#, None),
        (r#""render_env_group_link" "env_config_staging" {"#, None),
        (r#""render_env_group_link" "env_config_production" {"#, None),
    ];
    let got: Vec<(&str, Option<&str>)> = placed.iter().map(|(h, e)| (h.as_str(), *e)).collect();
    assert_eq!(got, want, "{}", main_tf(&c));
    // One workspace cannot hold two of one name (Render's API for services, render_database's
    // namesake rule for databases): names repeated across environments get the environment's.
    has(r#"name = "db-staging""#);
    has(r#"name = "db-production""#);
    has(r#"name = "api-staging""#);
    has(r#"name = "api-production""#);
    warns(
        &c,
        "projects[0].environments[1].services[0].name",
        "named \"api-production\"",
    );
    // References resolve in the service's own environment.
    has("DATABASE_URL = { value = render_database.db_staging.internal_connection_string }");
    has("DATABASE_URL = { value = render_database.db_production.internal_connection_string }");
    has("CACHE_URL = { value = render_database.cache.internal_connection_string }");
    // One generated value, kept by the group; envVarKey of a grouped key reads the group.
    has("SESSION_SECRET = { generate_value = true }");
    has(r#"SECRET_COPY = { value = render_env_group.shared.env_vars["SESSION_SECRET"].value }"#);
    // fromGroup resolves environment → project → top level.
    has("service_ids = [render_service.api_staging.id, render_service.jobs.id, render_service.api_production.id]");
    has("env_group_id = render_env_group.env_config_staging.id");
    has("service_ids = [render_service.api_staging.id]");
    has("service_ids = [render_service.api_production.id]");
    assert_eq!(c.warnings.len(), 4, "{:#?}", c.warnings);
    has_line(
        &c,
        "main.tf",
        "# Generated from a Render Blueprint by `terraform-provider-paasform blueprint`: 4 service(s), 3 database(s), 1 project(s), 4 env group(s).",
    );
}

/// What Render refuses in projects, env groups and the newly mapped keys is an error at its path;
/// what its API cannot express is a warning at its path.
#[test]
fn environments_groups_and_service_keys_render_refuses() {
    let refused: &[(&str, &str)] = &[
        ("projects:\n  - name: p\n", "projects[0].environments: a project needs at least one environment"),
        ("projects:\n  - environments: [{name: a}]\n", "projects[0].name"),
        ("projects:\n  - name: p\n    environments: [{name: a}, {name: a}]\n", "projects[0].environments[1].name"),
        ("projects:\n  - name: p\n    environments: [{}]\n", "projects[0].environments[0].name"),
        ("projects:\n  - name: p\n    environments:\n      - {name: a, permissions: {protection: yes}}\n", "projects[0].environments[0].permissions.protection"),
        ("projects:\n  - name: p\n    environments:\n      - {name: a, networking: {isolation: strict}}\n", "projects[0].environments[0].networking.isolation"),
        ("envVarGroups:\n  - name: g\n    envVars:\n      - key: DB\n        fromDatabase: {name: d, property: host}\n", "envVarGroups[0].envVars[0].fromDatabase"),
        ("projects:\n  - name: p\n    envVarGroups:\n      - name: g\n        envVars: [{key: A, fromService: {name: s, type: web, property: host}}]\n    environments: [{name: a}]\n", "projects[0].envVarGroups[0].envVars[0].fromService"),
        ("services:\n  - {type: worker, name: w, runtime: docker, maxShutdownDelaySeconds: 301}\n", "services[0].maxShutdownDelaySeconds: 301 is out of range"),
        ("services:\n  - {type: worker, name: w, runtime: docker, maxShutdownDelaySeconds: 0}\n", "services[0].maxShutdownDelaySeconds"),
    ];
    assert_refused(refused);
    let c = ok("services:\n  - type: web\n    name: w\n    runtime: docker\n    dockerCommand: ./run\n    initialDeployHook: ./seed\n    previews: {generation: manual, plan: starter, numInstances: 1}\n    maxShutdownDelaySeconds: 300\n");
    has_line(&c, "main.tf", r#"docker = { command = "./run" }"#);
    has_line(&c, "main.tf", r#"previews_generation = "manual""#);
    has_line(&c, "main.tf", "max_shutdown_delay_seconds = 300");
    warns(
        &c,
        "services[0].initialDeployHook",
        "no initial deploy hook",
    );
    warns(&c, "services[0].previews.plan", "no preview instance type");
    warns(
        &c,
        "services[0].previews.numInstances",
        "no preview instance count",
    );
    assert_eq!(c.warnings.len(), 3, "{:#?}", c.warnings);
    // A service and a database may share a name across environments (separate namespaces).
    let c = ok("projects:\n  - name: p\n    environments:\n      - name: a\n        services: [{type: worker, name: db, runtime: docker}]\n      - name: b\n        databases: [{name: db, plan: free}]\n");
    has_line(&c, "main.tf", r#"resource "render_service" "db" {"#);
    has_line(&c, "main.tf", r#"resource "render_database" "db" {"#);
    assert!(c.warnings.is_empty(), "{:#?}", c.warnings);
    // Environment keys of old drafts are unknown keys now (Render's are networking/permissions).
    let c = ok("projects:\n  - name: p\n    environments:\n      - {name: a, protectionStatus: protected}\n");
    warns(
        &c,
        "projects[0].environments[0].protectionStatus",
        "unknown key",
    );
    // A group variable Render ignores is dropped with a warning; a group no service uses gets no link.
    let c = ok("envVarGroups:\n  - name: g\n    envVars:\n      - {key: A, sync: false}\n      - {key: B, value: 1}\n");
    warns(&c, "envVarGroups[0].envVars[0]", "dropped");
    has_line(&c, "main.tf", r#"B = { value = "1" }"#);
    assert!(
        !main_tf(&c).contains("render_env_group_link"),
        "{}",
        main_tf(&c)
    );
    assert!(!main_tf(&c).contains("A = "), "{}", main_tf(&c));
}

/// Each Blueprint is refused with an error naming `needle` (its path and why).
#[track_caller]
fn assert_refused(table: &[(&str, &str)]) {
    for (yaml, needle) in table {
        match convert(yaml) {
            Ok(c) => panic!("{yaml:?} converted: {}", main_tf(&c)),
            Err(e) => {
                let text = e.to_string();
                assert!(text.starts_with("invalid Blueprint: "), "{text}");
                assert!(text.contains(needle), "{yaml:?}: {text:?} lacks {needle:?}");
            }
        }
    }
}

#[test]
fn conversion_is_deterministic() {
    for text in [
        fixture("kirby-gen"),
        fixture("everything"),
        fixture("projects"),
    ] {
        let a = ok(&text);
        let b = ok(&text);
        assert_eq!(a.files, b.files);
        assert_eq!(a.warnings, b.warnings);
    }
}

#[test]
fn names_collide_and_cycles_break() {
    let c = ok(r#"
services:
  - {type: web, name: my-api, runtime: docker, envVars: [{key: B_HOST, fromService: {type: web, name: my_api, property: host}}]}
  - {type: web, name: my_api, runtime: docker, envVars: [{key: A_HOST, fromService: {type: web, name: my-api, property: host}}]}
  - {type: worker, name: self, runtime: docker, envVars: [{key: ME, fromService: {type: worker, name: self, property: host}}]}
"#);
    has_line(&c, "main.tf", r#"resource "render_service" "my_api" {"#);
    has_line(&c, "main.tf", r#"resource "render_service" "my_api_2" {"#);
    has_line(
        &c,
        "main.tf",
        "B_HOST = { value = render_service.my_api_2.host }",
    );
    // The reverse reference would close a cycle: an input instead, with a warning.
    has_line(&c, "main.tf", "A_HOST = { value = var.a_host }");
    warns(&c, "services[1].envVars[0].fromService", "cycle");
    warns(
        &c,
        "services[2].envVars[0].fromService",
        "references itself",
    );
}

#[test]
fn unknown_keys_are_warnings_not_errors() {
    let c = ok("services:\n  - type: worker\n    name: w\n    runtime: docker\n    colour: blue\n    envVars:\n      - key: A\n        value: x\n        secret: yes\nversion: \"1\"\n");
    assert_eq!(
        warning_paths(&c),
        ["services[0].colour", "services[0].envVars[0].secret"]
    );
    // A misspelt key names the key it most likely meant; an unrelated one does not guess.
    let c = ok(
        "services:\n  - {type: worker, name: w, runtime: docker, dockerComand: x, colour: blue}\n",
    );
    warns(
        &c,
        "services[0].dockerComand",
        "did you mean `dockerCommand`?",
    );
    assert!(c
        .warnings
        .iter()
        .any(|w| w.path == "services[0].colour" && !w.message.contains("did you mean")));
    let empty = ok("");
    assert!(empty.warnings.is_empty());
    assert!(empty
        .file("variables.tf")
        .is_some_and(|v| v.contains("no input variables")));
}

/// Broken Blueprints: each is a clear error naming where the problem is.
#[test]
fn broken_inputs_are_clear_errors() {
    let table: &[(&str, &str)] = &[
        ("services: 3", "services: invalid type"),
        ("- a\n- b", "top level must be a mapping"),
        ("just text", "top level must be a mapping"),
        ("services:\n  - type: web\n    numInstances: lots\n", "services[0].numInstances: invalid type"),
        ("services:\n  - name: a\n    scaling: {minInstances: [1]}\n", "services[0].scaling.minInstances"),
        ("services:\n  - name: a\n    envVars: {key: A}\n", "services[0].envVars: invalid type"),
        ("services:\n  - {name: a, runtime: node}\n", "services[0].type: missing"),
        ("services:\n  - {type: web, runtime: node}\n", "services[0].name"),
        ("services:\n  - {type: lambda, name: a}\n", "services[0].type: unknown service type \"lambda\""),
        ("services:\n  - {type: web, name: a}\n", "services[0].runtime: missing"),
        // Render refuses a native-runtime service without both commands: an error, not a warning.
        ("services:\n  - {type: worker, name: w, runtime: node, startCommand: x}\n", "services[0].buildCommand: missing"),
        ("services:\n  - {type: web, name: w, runtime: python, buildCommand: x}\n", "services[0].startCommand: missing"),
        ("services:\n  - {type: worker, name: a, runtime: static}\n", "services[0].runtime: runtime \"static\""),
        ("services:\n  - {type: cron, name: a, runtime: docker}\n", "services[0].schedule"),
        ("services:\n  - {type: web, name: a, runtime: image}\n", "services[0].image.url"),
        ("databases:\n  - plan: free\n", "databases[0].name"),
        ("envVarGroups:\n  - envVars: []\n", "envVarGroups[0].name"),
        ("services:\n  - type: web\n    name: a\n    name: b\n", "duplicate"),
        ("services:\n  - {type: web, name: a, numInstances: -1}\n", "numInstances"),
        ("services:\n  - {type: web, name: a, autoDeploy: maybe}\n", "autoDeploy"),
        ("services: [", "line"),
        ("services:\n\t- type: web\n", "line"),
        ("a: &x [*x, *x]\nb: *y\n", "at line 1"),
        ("services:\n  - type: web\n    name: a\n    envVars:\n      - key: A\n        value: [1, 2]\n", "services[0].envVars[0].value"),
    ];
    assert_refused(table);
}

/// Every prefix of the fixtures, and each line dropped or duplicated, converts or fails
/// cleanly: never a panic.
#[test]
fn truncated_and_mutated_inputs_never_panic() {
    for text in [
        fixture("vulcan"),
        fixture("kirby-gen"),
        fixture("everything"),
        fixture("projects"),
    ] {
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .step_by(7)
            .collect();
        for i in cuts {
            let _ = convert(&text[..i]);
        }
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut dropped = lines.clone();
            dropped.remove(i);
            let _ = convert(&dropped.join("\n"));
            let mut doubled = lines.clone();
            doubled.insert(i, lines[i]);
            let _ = convert(&doubled.join("\n"));
            let mut shifted = lines.clone();
            shifted[i] = lines[i].trim_start();
            let _ = convert(&shifted.join("\n"));
        }
    }
    // Deep nesting and alias bombs are refused, not followed.
    let deep = format!("services: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(convert(&deep).is_err());
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        bomb.push_str(&format!("b{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let _ = convert(&bomb);
}

/// Every attribute name the converter writes exists in the render resources' schemas.
#[test]
fn attribute_table_matches_the_render_schemas() {
    let provider = clouds::provider("render").expect("render provider");
    let host = Host::new(provider);
    let mut names = Vec::new();
    for ty in [
        "render_service",
        "render_database",
        "render_project",
        "render_env_group",
        "render_env_group_link",
    ] {
        let schema = host
            .resource_schema(ty)
            .unwrap_or_else(|| panic!("{ty} schema"));
        collect(&schema.block.attributes, &mut names);
    }
    for a in attr::ALL {
        assert!(names.iter().any(|n| n == a), "{a} is in no render schema");
    }
}

fn collect(attrs: &[Attribute], out: &mut Vec<String>) {
    for a in attrs {
        out.push(a.name.clone());
        if let Some(nested) = a.nested_attributes() {
            collect(nested, out);
        }
    }
}

/// examples/architectures/<name>/blueprint/ is what the converter makes of the render.yaml next
/// to it. Regenerate with
/// `terraform-provider-paasform blueprint examples/architectures/<name>/render.yaml --out examples/architectures/<name>/blueprint --force`.
#[test]
fn checked_in_conversions_are_what_the_converter_writes() {
    for name in ARCHITECTURES {
        let c = ok(&fixture(name));
        let dir = root()
            .join("examples/architectures")
            .join(name)
            .join("blueprint");
        for (file, content) in &c.files {
            let path = dir.join(file);
            let on_disk = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                &on_disk,
                content,
                "{} differs from the converter's output; regenerate it (see this test's doc)",
                path.display()
            );
        }
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("blueprint dir")
            .filter_map(|e| e.ok().and_then(|e| e.file_name().into_string().ok()))
            .collect();
        names.sort();
        let mut want: Vec<String> = c.files.iter().map(|(n, _)| n.clone()).collect();
        want.sort();
        assert_eq!(
            names,
            want,
            "{}: files the converter does not write",
            dir.display()
        );
    }
}

/// `--out` into a directory that already holds a module refuses (and writes nothing) unless
/// `--force`.
#[test]
fn out_refuses_to_overwrite_a_module_without_force() {
    let dir = std::env::temp_dir().join(format!("paasform-blueprint-force-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let yaml = dir.join("render.yaml");
    std::fs::write(
        &yaml,
        "services:\n  - {type: worker, name: w, runtime: docker}\n",
    )
    .expect("write");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-paasform"))
            .arg("blueprint")
            .arg(&yaml)
            .args(["--out"])
            .arg(dir.join("m"))
            .args(extra)
            .output()
            .expect("run the binary")
    };
    let first = run(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let main_tf = dir.join("m/main.tf");
    std::fs::write(&main_tf, "# edited by hand\n").expect("edit");
    let refused = run(&[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "overwrote without --force");
    assert!(
        stderr.contains("--force") && stderr.contains("main.tf"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&main_tf).expect("read"),
        "# edited by hand\n"
    );
    let forced = run(&["--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(std::fs::read_to_string(&main_tf)
        .expect("read")
        .contains("render_service"));
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-paasform"))
        .args(["blueprint", "--help"])
        .output()
        .expect("run the binary");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--force"));
    let _ = std::fs::remove_dir_all(&dir);
}
