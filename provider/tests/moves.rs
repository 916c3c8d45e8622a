//! Moves from the official providers through the host (MoveResourceState without the wire): each
//! fixture in tests/fixtures/moves/ is a state in the official provider's shape, written from its
//! published schema (the fixture names the file and commit). The moved state must carry every
//! mapped value (sensitive ones too), have an identity, and refuse what it cannot map.

use paasform::clouds;
use paasform::framework::{Diagnostics, Host};
use serde_json::{json, Value as Json};

struct Fixture {
    provider: String,
    type_name: String,
    version: i64,
    attributes: Json,
}

/// The fixture with its `${NAME}` placeholders filled.
fn fixture(path: &str, vars: &[(&str, &str)]) -> Fixture {
    let full = format!("{}/tests/fixtures/moves/{path}", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    for (k, v) in vars {
        text = text.replace(&format!("${{{k}}}"), v);
    }
    let j: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"));
    Fixture {
        provider: j["provider"].as_str().expect("provider").to_string(),
        type_name: j["type"].as_str().expect("type").to_string(),
        version: j["schema_version"].as_i64().expect("schema_version"),
        attributes: j["attributes"].clone(),
    }
}

fn host(identity: &str) -> Host {
    Host::new(clouds::provider(identity).expect("identity"))
}

/// Move `f` into `target` of `identity`: the state as plain JSON, plus diagnostics.
fn moved(identity: &str, f: &Fixture, target: &str) -> (Json, Diagnostics) {
    let h = host(identity);
    let (v, d) = h.move_resource_state(&f.provider, &f.type_name, f.version, &f.attributes, target);
    if !d.has_errors() {
        let id = h.identity_of(target, &v);
        assert!(!id.is_null(), "{target}: a moved state has an identity");
    }
    (v.to_plain_json(), d)
}

#[track_caller]
fn moved_ok(identity: &str, path: &str, vars: &[(&str, &str)], target: &str) -> Json {
    let f = fixture(path, vars);
    let (j, d) = moved(identity, &f, target);
    assert!(!d.has_errors(), "{path} → {target}: {d}");
    j
}

fn text(d: &Diagnostics) -> String {
    d.iter()
        .map(|x| format!("{}: {}", x.summary, x.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn render_web_service_moves_into_render_service_with_its_secrets() {
    let s = moved_ok(
        "render",
        "render/web_service.json",
        &[("ID", "srv-web1"), ("URL", "https://api.onrender.com")],
        "render_service",
    );
    assert_eq!(s["id"], "srv-web1");
    assert_eq!(s["type"], "web_service");
    assert_eq!(s["runtime"], "node");
    assert_eq!(s["repo"], "https://github.com/acme/api");
    assert_eq!(s["branch"], "main");
    assert_eq!(s["auto_deploy"], true);
    assert_eq!(s["build_command"], "npm ci");
    assert_eq!(s["start_command"], "npm start");
    assert_eq!(s["health_check_path"], "/healthz");
    assert_eq!(s["plan"], "starter");
    assert_eq!(s["region"], "oregon");
    assert_eq!(s["env_vars"]["API_SECRET"]["value"], "s3cr3t-value");
    assert_eq!(s["env_vars"]["NODE_ENV"]["generate_value"], Json::Null);
    assert_eq!(
        s["maintenance_mode"],
        Json::Null,
        "disabled maintenance is unset"
    );
    assert_eq!(s["wait_for_deploy"], false);
}

#[test]
fn render_private_service_on_docker_keeps_its_docker_settings_and_secret_files() {
    let s = moved_ok(
        "render",
        "render/private_service.json",
        &[("ID", "srv-priv1"), ("URL", "internal:10000")],
        "render_service",
    );
    assert_eq!(s["type"], "private_service");
    assert_eq!(s["runtime"], "docker");
    assert_eq!(s["docker"]["dockerfile_path"], "./Dockerfile");
    assert_eq!(s["docker"]["context"], ".");
    assert_eq!(s["repo"], "https://github.com/acme/worker");
    assert_eq!(s["secret_files"]["config.json"], "{\"k\":1}");
}

#[test]
fn render_background_worker_on_an_image_joins_url_and_tag() {
    let s = moved_ok(
        "render",
        "render/background_worker.json",
        &[("ID", "srv-bg1")],
        "render_service",
    );
    assert_eq!(s["type"], "background_worker");
    assert_eq!(s["runtime"], "image");
    assert_eq!(s["image"]["url"], "docker.io/library/redis:8");
}

#[test]
fn render_cron_job_and_static_site_move_into_render_service() {
    let c = moved_ok(
        "render",
        "render/cron_job.json",
        &[("ID", "crn-1")],
        "render_service",
    );
    assert_eq!(c["type"], "cron_job");
    assert_eq!(c["schedule"], "0 3 * * *");
    assert_eq!(c["runtime"], "python");
    let s = moved_ok(
        "render",
        "render/static_site.json",
        &[("ID", "srv-st1"), ("URL", "https://docs.onrender.com")],
        "render_service",
    );
    assert_eq!(s["type"], "static_site");
    assert_eq!(s["publish_path"], "dist");
    assert_eq!(s["build_command"], "npm run build");
    assert_eq!(s["repo"], "https://github.com/acme/docs");
}

#[test]
fn render_postgres_and_keyvalue_move_into_render_database_with_connection_secrets() {
    let vars = [
        ("ID", "dpg-1"),
        ("PASSWORD", "pw-secret"),
        ("INTERNAL", "postgresql://app:pw-secret@dpg-1-a/app"),
        (
            "EXTERNAL",
            "postgresql://app:pw-secret@dpg-1-a.oregon-postgres.render.com/app",
        ),
    ];
    let p = moved_ok("render", "render/postgres.json", &vars, "render_database");
    assert_eq!(p["engine"], "postgres");
    assert_eq!(p["password"], "pw-secret");
    assert_eq!(p["version"], "16");
    assert_eq!(p["database_name"], "app");
    assert_eq!(p["high_availability"], false);
    assert_eq!(p["disk_size_gb"], 15);
    let vars = [
        ("ID", "red-1"),
        ("INTERNAL", "redis://red-1:6379"),
        (
            "EXTERNAL",
            "rediss://red:pw@oregon-keyvalue.render.com:6379",
        ),
    ];
    let k = moved_ok("render", "render/keyvalue.json", &vars, "render_database");
    assert_eq!(k["engine"], "key_value");
    assert_eq!(k["maxmemory_policy"], "allkeys-lru");
    assert_eq!(
        k["external_connection_string"],
        "rediss://red:pw@oregon-keyvalue.render.com:6379"
    );
}

#[test]
fn render_project_and_env_group_move_one_to_one() {
    let p = moved_ok(
        "render",
        "render/project.json",
        &[("ID", "prj-1"), ("ENV_ID", "evm-1")],
        "render_project",
    );
    assert_eq!(p["environments"]["prod"]["id"], "evm-1");
    assert_eq!(p["environments"]["prod"]["name"], "production");
    let g = moved_ok(
        "render",
        "render/env_group.json",
        &[("ID", "evg-1")],
        "render_env_group",
    );
    assert_eq!(g["env_vars"]["LOG_LEVEL"]["value"], "info");
}

#[test]
fn an_attribute_the_mapping_never_heard_of_is_named_and_nothing_moves() {
    let mut f = fixture("render/env_group.json", &[("ID", "evg-1")]);
    f.attributes["rotation_policy"] = json!("weekly");
    let (j, d) = moved("render", &f, "render_env_group");
    assert!(d.has_errors());
    assert!(j.is_null());
    assert!(text(&d).contains("rotation_policy"), "{}", text(&d));
}

#[test]
fn a_set_attribute_paasform_does_not_manage_moves_with_a_warning_naming_it() {
    let mut f = fixture(
        "render/web_service.json",
        &[("ID", "srv-web1"), ("URL", "https://api.onrender.com")],
    );
    f.attributes["ip_allow_list"] = json!([{ "cidr_block": "10.0.0.0/8", "description": "vpn" }]);
    let (j, d) = moved("render", &f, "render_service");
    assert!(!d.has_errors(), "{d}");
    assert_eq!(j["id"], "srv-web1");
    assert!(text(&d).contains("ip_allow_list"), "{}", text(&d));
}

#[test]
fn an_unmappable_value_is_an_error_naming_the_attribute() {
    let mut f = fixture(
        "render/web_service.json",
        &[("ID", "srv-web1"), ("URL", "u")],
    );
    f.attributes["runtime_source"]["native_runtime"]["auto_deploy_trigger"] = json!("checksPass");
    let (_, d) = moved("render", &f, "render_service");
    assert!(d.has_errors());
    assert!(
        text(&d).contains("render_web_service.runtime_source.native_runtime.auto_deploy_trigger"),
        "{}",
        text(&d)
    );
}

#[test]
fn wrong_provider_unknown_source_and_newer_schema_version_are_refused() {
    let f = fixture("render/env_group.json", &[("ID", "evg-1")]);
    let h = host("render");
    let (_, d) = h.move_resource_state(
        "registry.terraform.io/someone/render",
        &f.type_name,
        0,
        &f.attributes,
        "render_env_group",
    );
    assert!(
        text(&d).contains("only from render-oss/render"),
        "{}",
        text(&d)
    );
    let (_, d) = h.move_resource_state(
        &f.provider,
        "render_redis",
        0,
        &f.attributes,
        "render_env_group",
    );
    assert!(
        text(&d).contains("render-oss/render's render_env_group"),
        "{}",
        text(&d)
    );
    let (_, d) = h.move_resource_state(
        &f.provider,
        &f.type_name,
        7,
        &f.attributes,
        "render_env_group",
    );
    assert!(text(&d).contains("schema version 7"), "{}", text(&d));
    // OpenTofu's registry host names the same provider.
    let (_, d) = h.move_resource_state(
        "registry.opentofu.org/render-oss/render",
        &f.type_name,
        0,
        &f.attributes,
        "render_env_group",
    );
    assert!(!d.has_errors(), "{d}");
}

#[test]
fn tailscale_tailnet_key_moves_into_tailscale_key_with_its_secret() {
    let k = moved_ok(
        "tailscale",
        "tailscale/tailnet_key.json",
        &[
            ("ID", "k123"),
            ("KEY", "tskey-auth-secret"),
            ("CREATED", "2026-12-01T10:00:00Z"),
            ("EXPIRES", "2026-12-01T11:00:00Z"),
            ("USER", "u1"),
        ],
        "tailscale_key",
    );
    assert_eq!(k["key"], "tskey-auth-secret");
    assert_eq!(k["tags"], json!(["tag:ci"]));
    assert_eq!(
        k["description"],
        Json::Null,
        "the official default \"\" is unset in ours"
    );
    assert_eq!(k["reusable"], true);
}

#[test]
fn cloudflare_r2_bucket_and_tunnel_move_from_schema_version_500() {
    let b = moved_ok(
        "r2",
        "cloudflare/r2_bucket.json",
        &[
            ("NAME", "evidence"),
            ("ACCOUNT", "acc1"),
            ("CREATED", "2026-01-01T00:00:00Z"),
        ],
        "r2_bucket",
    );
    assert_eq!(b["id"], "evidence");
    assert_eq!(b["location"], "enam");
    assert_eq!(b["jurisdiction"], "default");
    assert_eq!(
        b["cors"],
        Json::Null,
        "not held by the official resource: unmanaged"
    );
    let t = moved_ok(
        "cloudflare",
        "cloudflare/zero_trust_tunnel_cloudflared.json",
        &[
            ("ID", "6f1c1b4e-1111-2222-3333-444455556666"),
            ("ACCOUNT", "acc1"),
            ("CREATED", "2026-01-01T00:00:00Z"),
        ],
        "cloudflare_tunnel",
    );
    assert_eq!(t["name"], "edge");
    assert_eq!(t["config_src"], "cloudflare");
    // The official secret is sensitive state; ours is write-only and never stored.
    assert_eq!(t["tunnel_secret_wo"], Json::Null);
    let f = fixture(
        "cloudflare/r2_bucket.json",
        &[("NAME", "b"), ("ACCOUNT", "a"), ("CREATED", "c")],
    );
    let (_, d) = moved("r2", &Fixture { version: 1, ..f }, "r2_bucket");
    assert!(text(&d).contains("schema version 1"), "{}", text(&d));
}

#[test]
fn railway_project_environment_and_service_move_one_to_one() {
    let p = moved_ok(
        "railway",
        "railway/project.json",
        &[
            ("ID", "0bb01547-570d-4109-a5e8-138691f6a2d1"),
            ("TEAM", "6a1e0c5f-0a11-4c59-9d55-0b5e1a5c6d1f"),
            ("ENV_ID", "89fa0236-2b1b-4a8c-b12d-ae3634b30d97"),
        ],
        "railway_project",
    );
    assert_eq!(p["team_id"], "6a1e0c5f-0a11-4c59-9d55-0b5e1a5c6d1f");
    assert_eq!(
        p["default_environment_id"],
        "89fa0236-2b1b-4a8c-b12d-ae3634b30d97"
    );
    let e = moved_ok(
        "railway",
        "railway/environment.json",
        &[
            ("ID", "89fa0236-2b1b-4a8c-b12d-ae3634b30d97"),
            ("PROJECT", "0bb01547-570d-4109-a5e8-138691f6a2d1"),
        ],
        "railway_environment",
    );
    assert_eq!(e["name"], "staging");
    let s = moved_ok(
        "railway",
        "railway/service.json",
        &[
            ("ID", "1c4c5e7a-8b9d-4e2f-a1b3-c5d7e9f1a3b5"),
            ("PROJECT", "0bb01547-570d-4109-a5e8-138691f6a2d1"),
        ],
        "railway_service",
    );
    assert_eq!(s["branch"], "main");
    assert_eq!(s["region"], "us-west2");
    assert_eq!(s["num_replicas"], 2);
}

#[test]
fn vercel_project_domain_moves_one_to_one() {
    let d = moved_ok(
        "vercel",
        "vercel/project_domain.json",
        &[
            ("PROJECT", "prj_abc"),
            ("TEAM", "team_abc"),
            ("DOMAIN", "www.example.com"),
        ],
        "vercel_project_domain",
    );
    assert_eq!(d["domain"], "www.example.com");
    assert_eq!(d["project_id"], "prj_abc");
    assert_eq!(d["verified"], true);
}

#[test]
fn a_same_named_official_state_is_read_through_the_move_table_on_upgrade() {
    // Terraform switches render_env_group from render-oss/render to paasform/render without a
    // `moved` block: the official state (secret files as `{ content }` objects) arrives through
    // UpgradeResourceState.
    let mut f = fixture("render/env_group.json", &[("ID", "evg-1")]);
    f.attributes["secret_files"] = json!({ "app.env": { "content": "A=1" } });
    let (v, d) = host("render").upgrade_resource_state("render_env_group", 0, f.attributes);
    assert!(!d.has_errors(), "{d}");
    let j = v.to_plain_json();
    assert_eq!(j["secret_files"]["app.env"], "A=1");
    assert_eq!(j["env_vars"]["LOG_LEVEL"]["value"], "info");
}

#[test]
fn tailscale_tailnet_singletons_and_device_settings_read_the_official_state() {
    // Same-named types: a provider swap hands the official state to UpgradeResourceState; the
    // official random ids of the singletons become ours.
    let acl = r#"{"tagOwners": {"tag:desktop": ["autogroup:admin"]}}"#;
    let f = fixture("tailscale/acl.json", &[("ACL", &acl.replace('"', "\\\""))]);
    let (v, d) = host("tailscale").upgrade_resource_state("tailscale_acl", 0, f.attributes);
    assert!(!d.has_errors(), "{d}");
    let j = v.to_plain_json();
    assert_eq!(j["id"], "acl");
    assert_eq!(j["acl"], acl);
    assert_eq!(j["overwrite_existing_content"], true);
    assert!(
        j["etag"].is_null(),
        "the refresh after the swap reads the ETag"
    );

    let j = moved_ok(
        "tailscale",
        "tailscale/dns_preferences.json",
        &[],
        "tailscale_dns_preferences",
    );
    assert_eq!(j["id"], "dns_preferences");
    assert_eq!(j["magic_dns"], true);

    let dev = [("DEVICE", "nDeV1CE11CNTRL")];
    let j = moved_ok(
        "tailscale",
        "tailscale/device_authorization.json",
        &dev,
        "tailscale_device_authorization",
    );
    assert_eq!(
        (j["device_id"].as_str(), j["authorized"].as_bool()),
        (Some("nDeV1CE11CNTRL"), Some(true))
    );
    let j = moved_ok(
        "tailscale",
        "tailscale/device_tags.json",
        &dev,
        "tailscale_device_tags",
    );
    assert_eq!(j["tags"], json!(["tag:desktop", "tag:server"]));
    let j = moved_ok(
        "tailscale",
        "tailscale/device_key.json",
        &dev,
        "tailscale_device_key",
    );
    assert_eq!(j["key_expiry_disabled"], true);
    assert_eq!(j["id"], "nDeV1CE11CNTRL");

    // Our own state (it has the ETag) still decodes as ours on upgrade.
    let ours = json!({"id": "acl", "acl": "{}", "overwrite_existing_content": null,
        "reset_acl_on_destroy": null, "etag": "\"e1\""});
    let (v, d) = host("tailscale").upgrade_resource_state("tailscale_acl", 0, ours);
    assert!(!d.has_errors(), "{d}");
    assert_eq!(v.to_plain_json()["etag"], "\"e1\"");
}

#[test]
fn cloudflare_dns_record_moves_from_schema_500_and_refuses_types_paasform_lacks() {
    let zone = "023e105f4ecef8ad9ca31a8372d0c353";
    let id = "372e67954025e0ba6aaa6d586b9e0b59";
    let vars = |ty: &'static str, name: &'static str, content: &'static str| {
        vec![
            ("ID", id),
            ("ZONE", zone),
            ("TYPE", ty),
            ("NAME", name),
            ("CONTENT", content),
        ]
    };
    let j = moved_ok(
        "cloudflare",
        "cloudflare/dns_record.json",
        &vars("A", "app.example.com", "203.0.113.7"),
        "cloudflare_dns_record",
    );
    assert_eq!(j["content"], "203.0.113.7");
    assert_eq!(j["ttl"], 1, "the official float TTL becomes a whole number");
    assert!(
        j["tags"].is_null() && j["comment"].is_null(),
        "empty official defaults are unset in ours"
    );

    // An official CAA record written through `data` keeps its content.
    let mut f = fixture(
        "cloudflare/dns_record.json",
        &vars("CAA", "example.com", ""),
    );
    f.attributes["content"] = Json::Null;
    f.attributes["data"] = json!({"flags": 0.0, "tag": "issue", "value": "letsencrypt.org"});
    let (j, d) = moved("cloudflare", &f, "cloudflare_dns_record");
    assert!(!d.has_errors(), "{d}");
    assert_eq!(j["content"], "0 issue \"letsencrypt.org\"");

    // MX keeps its priority; an SRV record has no counterpart and is refused by name.
    let mut f = fixture(
        "cloudflare/dns_record.json",
        &vars("MX", "example.com", "mx.example.com"),
    );
    f.attributes["priority"] = json!(10.0);
    let (j, d) = moved("cloudflare", &f, "cloudflare_dns_record");
    assert!(!d.has_errors(), "{d}");
    assert_eq!(j["priority"], 10);
    let f = fixture(
        "cloudflare/dns_record.json",
        &vars("SRV", "_sip._tcp.example.com", "x"),
    );
    let (_, d) = moved("cloudflare", &f, "cloudflare_dns_record");
    assert!(
        text(&d).contains("cloudflare_dns_record.type") && text(&d).contains("SRV"),
        "{}",
        text(&d)
    );

    // A set record setting paasform does not manage moves with a warning naming it.
    let mut f = fixture(
        "cloudflare/dns_record.json",
        &vars("CNAME", "www.example.com", "example.com"),
    );
    f.attributes["settings"]["flatten_cname"] = json!(true);
    let (_, d) = moved("cloudflare", &f, "cloudflare_dns_record");
    assert!(
        !d.has_errors() && text(&d).contains("settings"),
        "{}",
        text(&d)
    );
}

const VERCEL_PROJECT_VARS: &[(&str, &str)] = &[
    ("ID", "prj_web1"),
    ("TEAM", "team_abc"),
    ("ENV1", "env_1"),
    ("ENV2", "env_2"),
];

#[test]
fn vercel_project_moves_with_official_names_mapped_and_its_secret_kept() {
    let p = moved_ok(
        "vercel",
        "vercel/project.json",
        VERCEL_PROJECT_VARS,
        "vercel_project",
    );
    assert_eq!(
        (p["id"].as_str(), p["name"].as_str()),
        (Some("prj_web1"), Some("web"))
    );
    assert_eq!(p["team_id"], "team_abc");
    assert_eq!(p["framework"], "nextjs");
    assert_eq!(p["build_command"], "npm run build");
    assert_eq!(p["skew_protection"], "1 day");
    // Official scope names → the API's; `{ value }` paths → strings.
    assert_eq!(
        p["vercel_authentication"]["deployment_type"],
        "all_except_custom_domains"
    );
    assert_eq!(p["options_allowlist"]["paths"], json!(["/api/health"]));
    assert_eq!(p["resource_config"]["function_default_timeout"], 300);
    let env = p["environment"].as_array().expect("environment");
    let var = |k: &str| {
        env.iter()
            .find(|e| e["key"] == k)
            .unwrap_or_else(|| panic!("{k} in {env:?}"))
    };
    assert_eq!(var("SECRET")["type"], "sensitive");
    assert_eq!(var("SECRET")["value"], "s3cr3t-value");
    assert_eq!(var("SECRET")["comment"], "signing key");
    assert_eq!(var("API_URL")["type"], "encrypted");
    assert!(
        var("API_URL")["comment"].is_null(),
        "official \"\" is our null"
    );
}

#[test]
fn vercel_project_is_read_through_the_move_table_on_a_provider_swap_and_ours_stays_as_it_is() {
    let f = fixture("vercel/project.json", VERCEL_PROJECT_VARS);
    let h = host("vercel");
    let (v, d) = h.upgrade_resource_state("vercel_project", 0, f.attributes.clone());
    assert!(!d.has_errors(), "{}", text(&d));
    let ours = v.to_plain_json();
    assert_eq!(
        ours["vercel_authentication"]["deployment_type"],
        "all_except_custom_domains"
    );
    // Our own state (its names are a subset of the official ones) decodes unchanged: the
    // mapping is not applied twice.
    let (again, d) = h.upgrade_resource_state("vercel_project", 0, ours.clone());
    assert!(!d.has_errors(), "{}", text(&d));
    assert_eq!(again.to_plain_json(), ours);
}

#[test]
fn vercel_project_attributes_that_cannot_move_are_named() {
    let h = host("vercel");
    // A window paasform cannot set: refused on a swap, not decoded with the value dropped.
    let mut f = fixture("vercel/project.json", VERCEL_PROJECT_VARS);
    f.attributes["skew_protection"] = json!("4 hours");
    let (_, d) = h.upgrade_resource_state("vercel_project", 0, f.attributes.clone());
    assert!(d.has_errors());
    assert!(
        text(&d).contains("vercel_project.skew_protection"),
        "{}",
        text(&d)
    );
    let (_, d) = moved("vercel", &f, "vercel_project");
    assert!(text(&d).contains("\"4 hours\""), "{}", text(&d));
    // A nested attribute of a newer official schema.
    let mut f = fixture("vercel/project.json", VERCEL_PROJECT_VARS);
    f.attributes["options_allowlist"]["paths"][0]["regex"] = json!(true);
    let (_, d) = moved("vercel", &f, "vercel_project");
    assert!(
        text(&d).contains("options_allowlist.paths") && text(&d).contains("regex"),
        "{}",
        text(&d)
    );
    // Settings paasform does not manage move with a warning naming them.
    let mut f = fixture("vercel/project.json", VERCEL_PROJECT_VARS);
    f.attributes["git_comments"] = json!({ "on_pull_request": true, "on_commit": false });
    f.attributes["oidc_token_config"] = json!({ "issuer_mode": "global" });
    let (_, d) = moved("vercel", &f, "vercel_project");
    assert!(!d.has_errors(), "{}", text(&d));
    let t = text(&d);
    assert!(
        t.contains("git_comments") && t.contains("oidc_token_config"),
        "{t}"
    );
}
