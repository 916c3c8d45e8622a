//! Bad input, in process: a table of invalid configurations across every resource and provider
//! block, each of which must give an error diagnostic on exactly the expected attribute path at
//! validate (or plan) time, with zero HTTP requests to the emulator and no panic. Plus values of
//! the wrong type, which the cty codec must reject naming the attribute, and malformed import ids.
//! Imports only the crate's public API and the shared test set-up in `common`.

mod common;

use common::{errors_at, host, TestEmulator};
use paasform::framework::{Host, Value};
use paasform::protocol::cty;
use paasform_emulator::Config;
use serde_json::{json, Value as Json};

/// One invalid case: the resource type (or `provider:<identity>`), what to change in that type's
/// valid base configuration (`null` removes an attribute), and the path the error must name.
struct Case {
    target: &'static str,
    patch: Json,
    path: &'static str,
}

fn case(target: &'static str, patch: Json, path: &'static str) -> Case {
    Case {
        target,
        patch,
        path,
    }
}

/// A configuration every validator accepts, per resource type and provider identity.
fn base(target: &str) -> Json {
    match target {
        "tailscale_key" => json!({"tags": ["tag:ci"], "expiry": 3600, "description": "ci key"}),
        "r2_bucket" => json!({"name": "evidence-exports"}),
        "r2_credentials" => json!({"buckets": ["evidence-exports"], "permission": "read"}),
        "vercel_project" => json!({"name": "marketing-site"}),
        "render_service" => json!({
            "type": "web_service", "name": "api", "runtime": "node",
            "repo": "https://github.com/acme/api", "plan": "starter",
            "build_command": "npm ci", "start_command": "npm start"
        }),
        "render_database" => json!({"name": "db", "plan": "basic_1gb", "version": "17"}),
        "railway_project" => json!({"name": "codewarden"}),
        "railway_environment" => json!({"name": "staging", "project_id": "prj-1"}),
        "railway_service" => json!({
            "project_id": "prj-1", "name": "api", "source_repo": "acme/codewarden"
        }),
        "cloudflare_tunnel" => json!({"name": "macbook"}),
        "cloudflare_dns_record" => {
            json!({"zone_id": "0123456789abcdef0123456789abcdef", "name": "www", "type": "A", "content": "192.0.2.1"})
        }
        "cloudflare_tunnel_config" => json!({
            "tunnel_id": "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415",
            "ingress": [{"hostname": "api.example.com", "service": "http://localhost:8000"}, {"service": "http_status:404"}]
        }),
        "provider:tailscale" => json!({"api_key": "tskey-api-x"}),
        "provider:railway" => json!({"token": "t", "token_type": "account"}),
        "provider:render" => json!({"api_key": "rnd_x"}),
        "provider:vercel" => json!({"api_token": "v"}),
        "provider:r2" => json!({"api_token": "c", "account_id": "acct123"}),
        "data:vercel_project" => json!({"name": "marketing-site"}),
        "tailscale_acl" => json!({"acl": "{\"acls\": []}"}),
        "tailscale_device_authorization" => json!({"device_id": "n1CNTRL", "authorized": true}),
        "tailscale_device_tags" => json!({"device_id": "n1CNTRL", "tags": ["tag:desktop"]}),
        "tailscale_device_key" => json!({"device_id": "n1CNTRL", "key_expiry_disabled": true}),
        "tailscale_dns_preferences" => json!({"magic_dns": true}),
        "data:tailscale_device" => json!({"hostname": "desktop", "wait_for": "1m"}),
        "data:tailscale_devices" => json!({"name_prefix": "desk", "tag": "tag:desktop"}),
        "vercel_project_domain" => json!({"project_id": "prj_1", "domain": "app.example.com"}),
        "data:vercel_project_domain" => json!({"project_id": "prj_1", "domain": "app.example.com"}),
        "vercel_custom_environment" => json!({"project_id": "prj_1", "name": "staging"}),
        "render_project" => {
            json!({"name": "shop", "environments": {"staging": {"name": "staging"}}})
        }
        "data:render_project" => json!({"name": "shop"}),
        "render_env_group" => json!({"name": "shared", "env_vars": {"A": {"value": "1"}}}),
        "render_env_group_link" => json!({"env_group_id": "evg-abc", "service_ids": ["srv-abc"]}),
        "data:render_env_group" => json!({"name": "shared"}),
        "data:render_owner" => json!({"name": "Emulated Workspace"}),
        "railway_shared_variable" => json!({
            "project_id": "prj-1", "environment_id": "env-1", "name": "SENTRY_DSN", "value": "https://k@sentry.io/1"
        }),
        "render_registry_credential" => {
            json!({"name": "ghcr", "registry": "GITHUB", "username": "bot", "auth_token": "t"})
        }
        "render_notification_setting" => {
            json!({"email_enabled": false, "notifications_to_send": "all"})
        }
        "render_log_stream" => {
            json!({"endpoint": "logs.example.com:6514", "preview": "send", "token": "t"})
        }
        "data:render_registry_credential" => json!({"name": "ghcr"}),
        "railway_volume" => json!({
            "project_id": "prj-1", "environment_id": "env-1", "service_id": "svc-1", "mount_path": "/data"
        }),
        "railway_tcp_proxy" => json!({
            "environment_id": "env-1", "service_id": "svc-1", "application_port": 5432
        }),
        "railway_service_instance" => json!({
            "environment_id": "env-1", "service_id": "svc-1", "start_command": "arq worker"
        }),
        other => panic!("no base configuration for {other}"),
    }
}

/// `base` with `patch`'s top-level keys replaced.
fn patched(target: &str, patch: &Json) -> Json {
    let mut config = base(target);
    if let (Some(c), Some(p)) = (config.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            c.insert(k.clone(), v.clone());
        }
    }
    config
}

fn env_var(value: Json, generate: Json) -> Json {
    json!({"value": value, "generate_value": generate})
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let long = "x".repeat(101);
    let long_desc = "d".repeat(51);
    vec![
        // ---- rules every attribute shares (framework/validate.rs) ----
        // An explicitly empty credential or URL is an error, never a fall-back to the environment.
        case("provider:railway", json!({"token": ""}), "token"),
        case("provider:render", json!({"api_key": ""}), "api_key"),
        case("provider:render", json!({"base_url": ""}), "base_url"),
        case("provider:vercel", json!({"api_token": ""}), "api_token"),
        case("provider:r2", json!({"api_token": ""}), "api_token"),
        case("provider:r2", json!({"account_id": ""}), "account_id"),
        case("provider:tailscale", json!({"api_key": ""}), "api_key"),
        // A null inside a collection would be dropped and planned again on every run.
        case("tailscale_key", json!({"tags": ["tag:ci", null]}), "tags"),
        case("railway_service", json!({"variables": {"A": "1", "B": null}}), "variables[\"B\"]"),
        // NUL and control characters are refused wherever they appear.
        case("r2_bucket", json!({"name": "evidence\u{0}exports"}), "name"),
        case("vercel_project", json!({"name": "site\u{1b}[31m"}), "name"),
        case("railway_service", json!({"variables": {"A": "one\u{0}two"}}), "variables[\"A\"]"),
        case("render_service", json!({"start_command": "npm\u{7} start"}), "start_command"),

        // ---- provider blocks ----
        case("provider:tailscale", json!({"oauth_client_id": "id"}), "oauth_client_id"),
        case("provider:tailscale", json!({"oauth_client_secret": "s"}), "oauth_client_secret"),
        case("provider:railway", json!({"token_type": "personal"}), "token_type"),
        case("provider:railway", json!({"token_type": "ACCOUNT"}), "token_type"),
        case("provider:railway", json!({"token_type": ""}), "token_type"),

        // ---- tailscale_key ----
        case("tailscale_key", json!({"tags": ["server"]}), "tags"),
        case("tailscale_key", json!({"tags": ["tag:"]}), "tags"),
        case("tailscale_key", json!({"tags": ["tag:1abc"]}), "tags"),
        case("tailscale_key", json!({"tags": ["tag:has space"]}), "tags"),
        case("tailscale_key", json!({"tags": ["tag:ok", "TAG:bad"]}), "tags"),
        case("tailscale_key", json!({"expiry": 0}), "expiry"),
        case("tailscale_key", json!({"expiry": -1}), "expiry"),
        case("tailscale_key", json!({"expiry": 7_776_001}), "expiry"),
        case("tailscale_key", json!({"expiry": 1.5}), "expiry"),
        case("tailscale_key", json!({"description": long_desc}), "description"),
        case("tailscale_key", json!({"description": "semi;colon"}), "description"),
        case("tailscale_key", json!({"recreate_if_invalid": "sometimes"}), "recreate_if_invalid"),
        case("tailscale_key", json!({"recreate_if_invalid": ""}), "recreate_if_invalid"),

        // ---- tailscale_acl, device settings, DNS, device data sources ----
        case("tailscale_acl", json!({"acl": "{\"acls\": ["}), "acl"),
        case("tailscale_acl", json!({"acl": "[]"}), "acl"),
        case("tailscale_acl", json!({"acl": "{\"a\": 1,, }"}), "acl"),
        case("tailscale_acl", json!({"acl": "{} /* open"}), "acl"),
        case("tailscale_device_tags", json!({"tags": ["desktop"]}), "tags"),
        case("data:tailscale_device", json!({"hostname": null}), "hostname"),
        case("data:tailscale_device", json!({"wait_for": "soon"}), "wait_for"),
        case("data:tailscale_devices", json!({"tag": "desktop"}), "tag"),

        // ---- r2_credentials ----
        case("r2_credentials", json!({"buckets": []}), "buckets"),
        case("r2_credentials", json!({"buckets": ["ok-name", "Bad_Name"]}), "buckets"),
        case("r2_credentials", json!({"permission": "admin"}), "permission"),
        case("r2_credentials", json!({"jurisdiction": "us"}), "jurisdiction"),
        case("r2_credentials", json!({"expires_on": "next tuesday"}), "expires_on"),
        // ---- r2_bucket ----
        case("r2_bucket", json!({"name": "Bad_Name"}), "name"),
        case("r2_bucket", json!({"name": "-edge"}), "name"),
        case("r2_bucket", json!({"name": "edge-"}), "name"),
        case("r2_bucket", json!({"name": "ab"}), "name"),
        case("r2_bucket", json!({"name": "a".repeat(64)}), "name"),
        case("r2_bucket", json!({"name": "has.dot"}), "name"),
        case("r2_bucket", json!({"name": ""}), "name"),
        case("r2_bucket", json!({"location": "mars"}), "location"),
        case("r2_bucket", json!({"jurisdiction": "us"}), "jurisdiction"),
        case("r2_bucket", json!({"storage_class": "Glacier"}), "storage_class"),
        case("r2_bucket", json!({"cors": []}), "cors"),
        case("r2_bucket", json!({"lifecycle_rules": []}), "lifecycle_rules"),
        case("r2_bucket", json!({"cors": [{"allowed": {"origins": ["*"], "methods": ["PATCH"]}}]}), "cors[0].allowed.methods"),
        case("r2_bucket", json!({"cors": [{"allowed": {"origins": ["*"], "methods": ["GET"]}, "max_age_seconds": 86_401}]}), "cors[0].max_age_seconds"),
        case("r2_bucket", json!({"cors": [{"allowed": {"origins": ["*"], "methods": ["GET"]}, "max_age_seconds": -5}]}), "cors[0].max_age_seconds"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": ""}]}), "lifecycle_rules[0].id"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "delete_objects_after_days": 0}]}), "lifecycle_rules[0].delete_objects_after_days"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "delete_objects_after_days": 36_501}]}), "lifecycle_rules[0].delete_objects_after_days"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "abort_multipart_uploads_after_days": 0}]}), "lifecycle_rules[0].abort_multipart_uploads_after_days"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "delete_objects_on_date": "next tuesday"}]}), "lifecycle_rules[0].delete_objects_on_date"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "storage_class_transitions": [{"after_days": 0}]}]}), "lifecycle_rules[0].storage_class_transitions[0].after_days"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "storage_class_transitions": [{"after_days": 5, "storage_class": "Standard"}]}]}), "lifecycle_rules[0].storage_class_transitions[0].storage_class"),
        case("r2_bucket", json!({"lifecycle_rules": [{"id": "r", "storage_class_transitions": [{"on_date": "2027-13-01"}]}]}), "lifecycle_rules[0].storage_class_transitions[0].on_date"),
        case("r2_bucket", json!({"custom_domains": [{"domain": "cdn.example.com", "zone_id": "z", "min_tls": "1.4"}]}), "custom_domains.min_tls"),

        // ---- vercel_project ----
        case("vercel_project", json!({"name": "Marketing"}), "name"),
        case("vercel_project", json!({"name": "has space"}), "name"),
        case("vercel_project", json!({"name": "a---b"}), "name"),
        case("vercel_project", json!({"name": long}), "name"),
        case("vercel_project", json!({"name": ""}), "name"),
        case("vercel_project", json!({"framework": "rails"}), "framework"),
        case("vercel_project", json!({"git_repository": {"type": "svn", "repo": "acme/site"}}), "git_repository.type"),
        case("vercel_project", json!({"git_repository": {"type": "github", "repo": "site"}}), "git_repository.repo"),
        case("vercel_project", json!({"git_repository": {"type": "github", "repo": "acme/"}}), "git_repository.repo"),
        case("vercel_project", json!({"environment": [{"key": "BAD-KEY", "value": "v", "target": ["production"]}]}), "environment.key"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": []}]}), "environment.target"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": ["staging"]}]}), "environment.target"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": ["production"], "type": "secret"}]}), "environment.type"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": ["production"], "comment": "c".repeat(501)}]}), "environment.comment"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": ["preview"], "git_branch": ""}]}), "environment.git_branch"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "target": ["production", "preview"], "git_branch": "feat"}]}), "environment.git_branch"),
        case("vercel_project", json!({"oidc_token_config": {"issuer_mode": "tenant"}}), "oidc_token_config.issuer_mode"),
        case("vercel_project", json!({"oidc_token_config": {"issuer_mode": "Team"}}), "oidc_token_config.issuer_mode"),
        case("vercel_project", json!({"resource_config": {"build_machine_type": "standard"}}), "resource_config.build_machine_type"),
        case("vercel_project", json!({"resource_config": {"build_machine_type": "TURBO"}}), "resource_config.build_machine_type"),
        case("data:vercel_project", json!({"name": null}), "id"),
        case("data:vercel_project", json!({"id": "prj_1"}), "name"),
        case("data:vercel_project", json!({"name": "Has Caps"}), "name"),
        // ---- vercel_project_domain ----
        case("vercel_project_domain", json!({"domain": "App.Example.com"}), "domain"),
        case("vercel_project_domain", json!({"domain": "localhost"}), "domain"),
        case("vercel_project_domain", json!({"domain": "-app.example.com"}), "domain"),
        case("vercel_project_domain", json!({"domain": "app..example.com"}), "domain"),
        case("vercel_project_domain", json!({"project_id": "prj 1"}), "project_id"),
        case("vercel_project_domain", json!({"redirect": "www.example.com", "redirect_status_code": 303}), "redirect_status_code"),
        case("vercel_project_domain", json!({"redirect_status_code": 301}), "redirect_status_code"),
        case("vercel_project_domain", json!({"redirect": "app.example.com"}), "redirect"),
        case("vercel_project_domain", json!({"redirect": "not a domain"}), "redirect"),
        case("vercel_project_domain", json!({"git_branch": ""}), "git_branch"),
        case("vercel_project_domain", json!({"git_branch": "main", "custom_environment_id": "env_1"}), "custom_environment_id"),
        case("vercel_project_domain", json!({"timeouts": {"create": "soon"}}), "timeouts.create"),
        case("data:vercel_project_domain", json!({"domain": "Bad Domain"}), "domain"),
        case("data:vercel_project_domain", json!({"project_id": "prj/1"}), "project_id"),
        case("vercel_project", json!({"vercel_authentication": {"deployment_type": "everyone"}}), "vercel_authentication.deployment_type"),
        case("vercel_project", json!({"password_protection": {"deployment_type": "preview", "password_wo": ""}}), "password_protection.password_wo"),
        case("vercel_project", json!({"password_protection": {"deployment_type": "none", "password_wo": "pw"}}), "password_protection.deployment_type"),
        case("vercel_project", json!({"trusted_ips": {"deployment_type": "all", "addresses": [{"value": "2001:db8::/32"}]}}), "trusted_ips.addresses[0].value"),
        case("vercel_project", json!({"trusted_ips": {"deployment_type": "all", "protection_mode": "strict", "addresses": [{"value": "10.0.0.1"}]}}), "trusted_ips.protection_mode"),
        case("vercel_project", json!({"options_allowlist": {"paths": ["api"]}}), "options_allowlist.paths"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v"}]}), "environment.target"),
        case("vercel_project", json!({"environment": [{"key": "OK", "value": "v", "custom_environment_ids": []}]}), "environment.custom_environment_ids"),
        case("vercel_project", json!({"resource_config": {"function_default_cpu_type": "turbo"}}), "resource_config.function_default_cpu_type"),
        case("vercel_project", json!({"resource_config": {"function_default_timeout": 901}}), "resource_config.function_default_timeout"),
        case("vercel_project", json!({"resource_config": {"function_default_timeout": 0}}), "resource_config.function_default_timeout"),
        case("vercel_project", json!({"resource_config": {"function_default_regions": []}}), "resource_config.function_default_regions"),
        case("vercel_project", json!({"resource_config": {"function_default_regions": ["us-east-1"]}}), "resource_config.function_default_regions"),
        case("vercel_project", json!({"skew_protection": "2 hours"}), "skew_protection"),
        // ---- vercel_custom_environment ----
        case("vercel_custom_environment", json!({"name": "Staging"}), "name"),
        case("vercel_custom_environment", json!({"name": "preview"}), "name"),
        case("vercel_custom_environment", json!({"name": "production"}), "name"),
        case("vercel_custom_environment", json!({"name": ""}), "name"),
        case("vercel_custom_environment", json!({"name": "x".repeat(33)}), "name"),
        case("vercel_custom_environment", json!({"name": "qa/eu"}), "name"),
        case("vercel_custom_environment", json!({"project_id": "prj 1"}), "project_id"),
        case("vercel_custom_environment", json!({"description": ""}), "description"),
        case("vercel_custom_environment", json!({"branch_tracking": {"type": "contains", "pattern": "x"}}), "branch_tracking.type"),
        case("vercel_custom_environment", json!({"branch_tracking": {"type": "equals", "pattern": ""}}), "branch_tracking.pattern"),

        // ---- render_service: values ----
        case("render_service", json!({"type": "Web_Service"}), "type"),
        case("render_service", json!({"type": "lambda", "schedule": "0 * * * *"}), "type"),
        case("render_service", json!({"num_instances": 0}), "num_instances"),
        case("render_service", json!({"num_instances": 101}), "num_instances"),
        case("render_service", json!({"max_shutdown_delay_seconds": 0}), "max_shutdown_delay_seconds"),
        case("render_service", json!({"max_shutdown_delay_seconds": 301}), "max_shutdown_delay_seconds"),
        case("render_service", json!({"autoscaling": {"enabled": true, "min": 0, "max": 3}}), "autoscaling.min"),
        case("render_service", json!({"autoscaling": {"enabled": true, "min": 1, "max": 101}}), "autoscaling.max"),
        case("render_service", json!({"autoscaling": {"enabled": true, "min": 5, "max": 2}}), "autoscaling.min"),
        case("render_service", json!({"autoscaling": {"enabled": true, "min": 1, "max": 2, "cpu_percent": 95}}), "autoscaling.cpu_percent"),
        case("render_service", json!({"autoscaling": {"enabled": true, "min": 1, "max": 2, "memory_percent": 0}}), "autoscaling.memory_percent"),
        case("render_service", json!({"disk": {"name": "data", "mount_path": "/data", "size_gb": 0}}), "disk.size_gb"),
        case("render_service", json!({"env_vars": {"1BAD": env_var(json!("v"), json!(null))}}), "env_vars[\"1BAD\"]"),
        case("render_service", json!({"env_vars": {"BAD-NAME": env_var(json!("v"), json!(null))}}), "env_vars[\"BAD-NAME\"]"),
        case("render_service", json!({"env_vars": {"A": env_var(json!("v"), json!(true))}}), "env_vars[\"A\"].generate_value"),
        case("render_service", json!({"env_vars": {"A": env_var(json!("v"), json!(false))}}), "env_vars[\"A\"].generate_value"),
        case("render_service", json!({"env_vars": {"A": env_var(json!(null), json!(null))}}), "env_vars[\"A\"].value"),
        case("render_service", json!({"env_vars": {"A": env_var(json!(null), json!(false))}}), "env_vars[\"A\"].value"),
        case("render_service", json!({"env_vars_wo": {"has space": "v"}, "env_vars_wo_version": 1}), "env_vars_wo[\"has space\"]"),
        case("render_service", json!({"env_vars": {"A": env_var(json!("v"), json!(null))}, "env_vars_wo": {"A": "w"}, "env_vars_wo_version": 1}), "env_vars_wo[\"A\"]"),
        case("render_service", json!({"schedule": "* * *", "type": "cron_job"}), "schedule"),
        case("render_service", json!({"schedule": "61 * * * *", "type": "cron_job"}), "schedule"),
        case("render_service", json!({"schedule": "0 0 32 * *", "type": "cron_job"}), "schedule"),
        case("render_service", json!({"routes": [{"type": "proxy", "source": "/a", "destination": "/b"}], "type": "static_site", "runtime": null, "plan": null, "start_command": null}), "routes[0].type"),
        // ---- render_service: missing or type-specific attributes on the wrong type ----
        case("render_service", json!({"runtime": null}), "runtime"),
        case("render_service", json!({"type": "cron_job"}), "schedule"),
        case("render_service", json!({"build_command": null}), "build_command"),
        case("render_service", json!({"type": "background_worker", "start_command": null}), "start_command"),
        case("render_service", json!({"type": "static_site", "runtime": null, "plan": null, "start_command": "npm start"}), "start_command"),
        case("render_service", json!({"type": "static_site", "runtime": null, "start_command": null, "plan": "starter"}), "plan"),
        case("render_service", json!({"type": "static_site", "runtime": null, "start_command": null, "plan": null, "region": "oregon"}), "region"),
        case("render_service", json!({"type": "static_site", "runtime": null, "start_command": null, "plan": null, "disk": {"name": "d", "mount_path": "/d"}}), "disk"),
        case("render_service", json!({"type": "static_site", "runtime": null, "start_command": null, "plan": null, "autoscaling": {"enabled": true, "min": 1, "max": 2}}), "autoscaling"),
        case("render_service", json!({"publish_path": "dist"}), "publish_path"),
        case("render_service", json!({"headers": [{"path": "/*", "name": "X-A", "value": "b"}]}), "headers"),
        case("render_service", json!({"routes": [{"type": "redirect", "source": "/a", "destination": "/b"}]}), "routes"),
        case("render_service", json!({"schedule": "0 * * * *"}), "schedule"),
        case("render_service", json!({"type": "background_worker", "health_check_path": "/health"}), "health_check_path"),
        case("render_service", json!({"type": "background_worker", "custom_domains": ["api.example.com"]}), "custom_domains"),
        case("render_service", json!({"type": "private_service", "maintenance_mode": {"enabled": true}}), "maintenance_mode"),
        case("render_service", json!({"type": "cron_job", "schedule": "0 * * * *", "disk": {"name": "d", "mount_path": "/d"}}), "disk"),
        case("render_service", json!({"type": "cron_job", "schedule": "0 * * * *", "autoscaling": {"enabled": true, "min": 1, "max": 2}}), "autoscaling"),
        case("render_service", json!({"docker": {"dockerfile_path": "./Dockerfile"}}), "docker"),
        case("render_service", json!({"image": {"url": "docker.io/library/redis:8"}}), "image"),
        case("render_service", json!({"runtime": "docker", "image": {"url": "docker.io/library/redis:8"}}), "image"),

        // ---- render_database ----
        case("render_database", json!({"engine": "mysql"}), "engine"),
        case("render_database", json!({"disk_size_gb": 0}), "disk_size_gb"),
        case("render_database", json!({"disk_size_gb": 16_385}), "disk_size_gb"),
        case("render_database", json!({"maxmemory_policy": "allkeys_lru"}), "maxmemory_policy"),
        case("render_database", json!({"engine": "key_value", "plan": "starter", "version": null, "database_name": "app"}), "database_name"),
        case("render_database", json!({"engine": "key_value", "plan": "starter", "version": null, "database_user": "app"}), "database_user"),
        case("render_database", json!({"engine": "key_value", "plan": "starter", "version": null, "high_availability": true}), "high_availability"),
        case("render_database", json!({"engine": "key_value", "plan": "starter", "version": null, "disk_size_gb": 10}), "disk_size_gb"),
        case("render_database", json!({"engine": "key_value", "plan": "starter", "version": null, "read_replicas": [{"name": "r1"}]}), "read_replicas"),
        case("render_database", json!({"timeouts": {"create": "soon"}}), "timeouts.create"),
        case("render_database", json!({"timeouts": {"create": "-5m"}}), "timeouts.create"),

        // ---- render_project (and its data source) ----
        case("render_project", json!({"name": ""}), "name"),
        case("render_project", json!({"environments": {}}), "environments"),
        case("render_project", json!({"environments": {"a": {"name": "x"}, "b": {"name": "x"}}}), "environments[\"b\"].name"),
        case("render_project", json!({"environments": {"a": {"name": "a", "protected_status": "locked"}}}), "environments[\"a\"].protected_status"),
        case("render_project", json!({"environments": {"a": {"name": ""}}}), "environments[\"a\"].name"),
        case("data:render_project", json!({"name": null}), "id"),
        case("data:render_project", json!({"id": "prj-1"}), "name"),
        case("data:render_project", json!({"name": null, "id": "srv-1"}), "id"),
        case("data:render_project", json!({"name": " "}), "name"),

        // ---- render_env_group / render_env_group_link (and the data source) ----
        case("render_env_group", json!({"name": ""}), "name"),
        case("render_env_group", json!({"env_vars": {"A": {}}}), "env_vars[\"A\"].value"),
        case("render_env_group", json!({"env_vars": {"A": {"value": "1", "generate_value": true}}}), "env_vars[\"A\"].generate_value"),
        case("render_env_group", json!({"env_vars": {"A": {"generate_value": false}}}), "env_vars[\"A\"].generate_value"),
        case("render_env_group", json!({"env_vars_wo": {"A": "2"}, "env_vars_wo_version": 1}), "env_vars_wo[\"A\"]"),
        case("render_env_group", json!({"env_vars_wo": {"B": "2"}}), "env_vars_wo_version"),
        case("render_env_group", json!({"secret_files": {"f": "x"}, "secret_files_wo": {"f": "y"}, "secret_files_wo_version": 1}), "secret_files_wo[\"f\"]"),
        case("data:render_env_group", json!({"name": null}), "id"),
        case("data:render_env_group", json!({"id": "evg-1"}), "name"),
        case("data:render_env_group", json!({"name": null, "id": "prj-1"}), "id"),
        case("data:render_owner", json!({"name": null}), "name"),
        case("data:render_owner", json!({"email": "owner@example.com"}), "email"),

        // ---- issue 12: render_service deploy gating, previews, subdomain; registry credentials ----
        case("render_service", json!({"auto_deploy_trigger": "sometimes"}), "auto_deploy_trigger"),
        case("render_service", json!({"auto_deploy": false, "auto_deploy_trigger": "commit"}), "auto_deploy_trigger"),
        case("render_service", json!({"auto_deploy": true, "auto_deploy_trigger": "off"}), "auto_deploy_trigger"),
        case("render_service", json!({"previews_generation": "always"}), "previews_generation"),
        case("render_service", json!({"render_subdomain_policy": "maybe"}), "render_subdomain_policy"),
        case("render_service", json!({"type": "background_worker", "render_subdomain_policy": "disabled"}), "render_subdomain_policy"),
        case("render_registry_credential", json!({"registry": "QUAY"}), "registry"),
        case("render_registry_credential", json!({"name": " "}), "name"),
        case("render_registry_credential", json!({"auth_token": null}), "auth_token"),
        case("render_registry_credential", json!({"auth_token_wo": "x", "auth_token_wo_version": 1}), "auth_token_wo"),
        case("render_registry_credential", json!({"auth_token": null, "auth_token_wo": "x"}), "auth_token_wo_version"),
        case("render_notification_setting", json!({"notifications_to_send": "failures"}), "notifications_to_send"),
        case("render_notification_setting", json!({"owner_id": "srv-abc"}), "owner_id"),
        case("render_notification_setting", json!({"owner_id": "tea-"}), "owner_id"),
        case("render_log_stream", json!({"preview": "keep"}), "preview"),
        case("render_log_stream", json!({"endpoint": " "}), "endpoint"),
        case("render_log_stream", json!({"token_wo": "x", "token_wo_version": 1}), "token_wo"),
        case("render_log_stream", json!({"token": null, "token_wo": "x"}), "token_wo_version"),
        case("render_log_stream", json!({"owner_id": "usr_abc"}), "owner_id"),
        // ---- issue 12: render_service notification and log stream overrides ----
        case("render_database", json!({"log_stream_override": {"setting": "send"}}), "log_stream_override.endpoint"),
        case("render_database", json!({"log_stream_override": {"setting": "drop", "token": "t"}}), "log_stream_override.token"),
        case("render_database", json!({"engine": "key_value", "version": null, "plan": "starter", "datadog_api_key": "k"}), "datadog_api_key"),
        case("render_database", json!({"datadog_api_key": "k", "datadog_api_key_wo": "w", "datadog_api_key_wo_version": 1}), "datadog_api_key_wo"),
        case("render_database", json!({"datadog_api_key_wo": "w"}), "datadog_api_key_wo_version"),
        case("render_database", json!({"datadog_api_key": " "}), "datadog_api_key"),
        case("render_database", json!({"datadog_site": ""}), "datadog_site"),
        case("render_service", json!({"notification_override": {"notifications_to_send": "failures"}}), "notification_override.notifications_to_send"),
        case("render_service", json!({"notification_override": {"preview_notifications_enabled": "yes"}}), "notification_override.preview_notifications_enabled"),
        case("render_service", json!({"log_stream_override": {"setting": "keep", "endpoint": "l:1"}}), "log_stream_override.setting"),
        case("render_service", json!({"log_stream_override": {"setting": "send"}}), "log_stream_override.endpoint"),
        case("render_service", json!({"log_stream_override": {"setting": "send", "endpoint": " "}}), "log_stream_override.endpoint"),
        case("render_service", json!({"log_stream_override": {"setting": "drop", "endpoint": "l:1"}}), "log_stream_override.endpoint"),
        case("render_service", json!({"log_stream_override": {"setting": "send", "endpoint": "l:1", "token": "a", "token_wo": "b", "token_wo_version": 1}}), "log_stream_override.token_wo"),
        case("render_service", json!({"log_stream_override": {"setting": "send", "endpoint": "l:1", "token_wo": "b"}}), "log_stream_override.token_wo_version"),
        case("render_service", json!({"type": "static_site", "runtime": null, "start_command": null, "plan": null, "log_stream_override": {"setting": "drop"}}), "log_stream_override"),
        case("data:render_registry_credential", json!({"name": null}), "id"),
        case("data:render_registry_credential", json!({"id": "rgc-1"}), "name"),
        case("data:render_registry_credential", json!({"name": null, "id": "srv-1"}), "id"),
        case("data:render_registry_credential", json!({"name": " "}), "name"),

        // ---- railway_project / railway_environment ----
        case("railway_project", json!({"name": ""}), "name"),
        case("railway_project", json!({"name": long}), "name"),
        case("railway_environment", json!({"name": ""}), "name"),
        case("railway_environment", json!({"name": long}), "name"),
        case("railway_environment", json!({"project_id": "has space"}), "project_id"),
        case("railway_environment", json!({"project_id": "../etc"}), "project_id"),
        case("railway_environment", json!({"source_environment_id": "a/b"}), "source_environment_id"),

        // ---- railway_service ----
        case("railway_service", json!({"name": ""}), "name"),
        case("railway_service", json!({"name": long}), "name"),
        case("railway_service", json!({"source_image": "redis:7"}), "source_image"),
        case("railway_service", json!({"source_repo": null}), "source_repo"),
        case("railway_service", json!({"source_repo": "codewarden"}), "source_repo"),
        case("railway_service", json!({"cron_schedule": "*/5 * * *"}), "cron_schedule"),
        case("railway_service", json!({"cron_schedule": "0 25 * * *"}), "cron_schedule"),
        case("railway_service", json!({"draining_seconds": -1}), "draining_seconds"),
        case("railway_service", json!({"draining_seconds": 3601}), "draining_seconds"),
        case("railway_service", json!({"overlap_seconds": 3601}), "overlap_seconds"),
        case("railway_service", json!({"healthcheck_timeout": 0}), "healthcheck_timeout"),
        case("railway_service", json!({"num_replicas": 1001}), "num_replicas"),
        case("railway_service", json!({"num_replicas": 2.5}), "num_replicas"),
        case("railway_service", json!({"variables": {"1BAD": "x"}}), "variables[\"1BAD\"]"),
        case("railway_service", json!({"variables_wo": {"OPENAI API KEY": "x"}, "variables_wo_version": 1}), "variables_wo[\"OPENAI API KEY\"]"),
        case("railway_service", json!({"variables_wo": {"SECRET": "x"}}), "variables_wo_version"),
        case("railway_service", json!({"variables": {"A": "1"}, "variables_wo": {"A": "2"}, "variables_wo_version": 1}), "variables_wo[\"A\"]"),
        case("railway_service", json!({"source_repo": null, "source_image": "redis:7", "branch": "main"}), "branch"),
        case("railway_service", json!({"source_repo": null, "source_image": "redis:7", "root_directory": "api"}), "root_directory"),
        case("railway_service", json!({"source_repo": null, "source_image": "redis:7", "watch_patterns": ["src/**"]}), "watch_patterns"),
        case("railway_service", json!({"registry_credentials": {"username": "u", "password": "p"}}), "registry_credentials"),
        case("railway_service", json!({"multi_region_replicas": {"us-west2": 2}, "region": "us-west2"}), "region"),
        case("railway_service", json!({"multi_region_replicas": {"us-west2": 2}, "num_replicas": 2}), "num_replicas"),
        case("railway_service", json!({"restart_policy_type": "SOMETIMES"}), "restart_policy_type"),
        case("railway_service", json!({"restart_policy_type": "ON_FAILURE", "restart_policy_max_retries": 1001}), "restart_policy_max_retries"),
        case("railway_service", json!({"custom_domains": ["not a domain"]}), "custom_domains"),

        // ---- cloudflare_tunnel / cloudflare_tunnel_config ----
        case("cloudflare_tunnel", json!({"name": ""}), "name"),
        case("cloudflare_tunnel", json!({"config_src": "remote"}), "config_src"),
        case("cloudflare_tunnel", json!({"tunnel_secret_wo": "c2hvcnQ="}), "tunnel_secret_wo"),
        case("cloudflare_tunnel", json!({"tunnel_secret_wo": "not base64!"}), "tunnel_secret_wo"),
        case("cloudflare_tunnel_config", json!({"ingress": []}), "ingress"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"hostname": "api.example.com", "service": "http://localhost:8000"}]}), "ingress[0].hostname"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"path": "^/api", "service": "http://localhost:8000"}]}), "ingress[0].path"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"service": "localhost:8000"}]}), "ingress[0].service"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"service": "ftp://files"}]}), "ingress[0].service"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"service": "http_status:42"}]}), "ingress[0].service"),
        case("cloudflare_tunnel_config", json!({"ingress": [{"service": "http://x", "origin_request": {"connect_timeout": 0}}]}), "ingress[0].origin_request.connect_timeout"),

        // ---- railway_shared_variable ----
        case("railway_shared_variable", json!({"name": ""}), "name"),
        case("railway_shared_variable", json!({"name": "1BAD"}), "name"),
        case("railway_shared_variable", json!({"name": "SENTRY DSN"}), "name"),
        case("railway_shared_variable", json!({"project_id": "../etc"}), "project_id"),
        case("railway_shared_variable", json!({"environment_id": "a/b"}), "environment_id"),
        case("railway_shared_variable", json!({"value": null}), "value"),
        case("railway_shared_variable", json!({"value_wo": "s3cret", "value_wo_version": 1}), "value_wo"),

        // ---- railway_volume / railway_tcp_proxy ----
        case("railway_volume", json!({"mount_path": "data"}), "mount_path"),
        case("railway_volume", json!({"mount_path": "/"}), "mount_path"),
        case("railway_volume", json!({"mount_path": "/my data"}), "mount_path"),
        case("railway_volume", json!({"service_id": "../svc"}), "service_id"),
        case("railway_volume", json!({"environment_id": "a/b"}), "environment_id"),
        case("railway_volume", json!({"name": ""}), "name"),
        case("railway_tcp_proxy", json!({"application_port": 0}), "application_port"),
        case("railway_tcp_proxy", json!({"application_port": 65536}), "application_port"),
        case("railway_tcp_proxy", json!({"service_id": "svc 1"}), "service_id"),
        case("railway_service_instance", json!({"environment_id": "env 1"}), "environment_id"),
        case("railway_service_instance", json!({"cron_schedule": "*/5 * * *"}), "cron_schedule"),
        case("railway_service_instance", json!({"num_replicas": -1}), "num_replicas"),
        case("railway_service_instance", json!({"restart_policy_type": "SOMETIMES"}), "restart_policy_type"),
        case("railway_service_instance", json!({"healthcheck_timeout": 0}), "healthcheck_timeout"),
        case("railway_service", json!({"service_domain": true, "service_domain_target_port": 0}), "service_domain_target_port"),
        case("railway_service", json!({"service_domain": true, "service_domain_target_port": 65536}), "service_domain_target_port"),
        case("railway_service", json!({"service_domain": false, "service_domain_target_port": 8080}), "service_domain_target_port"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "Shop"}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "my_shop"}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "-shop"}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "shop-"}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "shop.example"}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": ""}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": true, "service_domain_subdomain": "a".repeat(64)}), "service_domain_subdomain"),
        case("railway_service", json!({"service_domain": false, "service_domain_subdomain": "shop"}), "service_domain_subdomain"),
        case("railway_service", json!({"custom_domains": ["a.example.com"], "custom_domain_target_ports": {"a.example.com": 0}}), "custom_domain_target_ports"),
        case("railway_service", json!({"custom_domains": ["a.example.com"], "custom_domain_target_ports": {"b.example.com": 80}}), "custom_domain_target_ports[\"b.example.com\"]"),

        // ---- issue 19 input classes: Tailscale device ids are URL segments, tags are tag:name ----
        case("tailscale_device_authorization", json!({"device_id": "../n1CNTRL"}), "device_id"),
        case("tailscale_device_key", json!({"device_id": "n1 CNTRL"}), "device_id"),
        case("tailscale_device_tags", json!({"device_id": ""}), "device_id"),
        case("tailscale_device_tags", json!({"tags": ["tag:ok", "tag:has space"]}), "tags"),

        // ---- issue #19 classes: sizes, traversing paths, relative mounts, duplicates, write-only without version ----
        case("vercel_project", json!({"environment": [{"key": "BIG", "value": "v".repeat(64 * 1024 + 1), "target": ["production"]}]}), "environment"),
        case("vercel_project", json!({"environment": [{"key": "API", "value": "a", "target": ["production", "preview"]}, {"key": "API", "value": "b", "target": ["preview", "production"]}]}), "environment"),
        case("render_service", json!({"secret_files": {"../../etc/passwd": "x"}}), "secret_files[\"../../etc/passwd\"]"),
        case("render_service", json!({"secret_files": {"conf/app.env": "x"}}), "secret_files[\"conf/app.env\"]"),
        case("render_service", json!({"secret_files_wo": {"..": "x"}, "secret_files_wo_version": 1}), "secret_files_wo[\"..\"]"),
        case("render_service", json!({"disk": {"name": "data", "mount_path": "var/data"}}), "disk.mount_path"),
        case("render_service", json!({"disk": {"name": "data", "mount_path": "/var/../etc"}}), "disk.mount_path"),
        case("render_service", json!({"env_vars_wo": {"API_KEY": "s"}}), "env_vars_wo_version"),

        // ---- cloudflare_dns_record ----
        case("cloudflare_dns_record", json!({"zone_id": "example.com"}), "zone_id"),
        case("cloudflare_dns_record", json!({"name": "a..b"}), "name"),
        case("cloudflare_dns_record", json!({"name": "api.*"}), "name"),
        case("cloudflare_dns_record", json!({"type": "SPF"}), "type"),
        case("cloudflare_dns_record", json!({"content": "2001:db8::1"}), "content"),
        case("cloudflare_dns_record", json!({"type": "AAAA", "content": "192.0.2.1"}), "content"),
        case("cloudflare_dns_record", json!({"type": "CNAME", "content": "https://x.example.com"}), "content"),
        case("cloudflare_dns_record", json!({"type": "TXT", "content": ""}), "content"),
        case("cloudflare_dns_record", json!({"type": "CAA", "content": "0 issues \"letsencrypt.org\""}), "content"),
        case("cloudflare_dns_record", json!({"type": "TXT", "content": "v=spf1 -all", "proxied": true}), "proxied"),
        case("cloudflare_dns_record", json!({"proxied": true, "ttl": 300}), "ttl"),
        case("cloudflare_dns_record", json!({"ttl": 30}), "ttl"),
        case("cloudflare_dns_record", json!({"type": "MX", "content": "mail.example.com"}), "priority"),
        case("cloudflare_dns_record", json!({"priority": 10}), "priority"),
        case("cloudflare_dns_record", json!({"type": "MX", "content": "mail.example.com", "priority": 70000}), "priority"),
        case("cloudflare_dns_record", json!({"comment": ""}), "comment"),
    ]
}

/// A configured host per identity, all pointing at one emulator.
async fn hosts(emu: &TestEmulator) -> Vec<(&'static str, Host)> {
    let s = |v: &str| Value::string(v);
    vec![
        (
            "tailscale",
            host(
                "tailscale",
                &[
                    ("api_key", s("tskey-api-test")),
                    ("base_url", s(&emu.url("tailscale"))),
                ],
            )
            .await,
        ),
        (
            "r2",
            host(
                "r2",
                &[
                    ("api_token", s("cf-test")),
                    ("account_id", s("acct123")),
                    ("base_url", s(&emu.url("cloudflare/client/v4"))),
                ],
            )
            .await,
        ),
        (
            "cloudflare",
            host(
                "cloudflare",
                &[
                    ("api_token", s("cf-test")),
                    ("account_id", s("acct123")),
                    ("base_url", s(&emu.url("cloudflare/client/v4"))),
                ],
            )
            .await,
        ),
        (
            "vercel",
            host(
                "vercel",
                &[
                    ("api_token", s("v-test")),
                    ("team", s("team_paasform")),
                    ("base_url", s(&emu.url("vercel"))),
                ],
            )
            .await,
        ),
        (
            "render",
            host(
                "render",
                &[
                    ("api_key", s("rnd_test")),
                    ("base_url", s(&emu.url("render/v1"))),
                ],
            )
            .await,
        ),
        (
            "railway",
            host(
                "railway",
                &[
                    ("token", s("rw-test")),
                    ("base_url", s(&emu.url("railway/graphql/v2"))),
                ],
            )
            .await,
        ),
    ]
}

fn host_for<'a>(hosts: &'a [(&'static str, Host)], target: &str) -> &'a Host {
    let target = target.strip_prefix("data:").unwrap_or(target);
    let identity = target
        .strip_prefix("provider:")
        .unwrap_or_else(|| target.split('_').next().unwrap_or_default());
    hosts
        .iter()
        .find(|(name, _)| *name == identity)
        .map(|(_, h)| h)
        .unwrap_or_else(|| panic!("no host for {target}"))
}

/// Validate `config` (plain JSON) as `target` after converting it to the schema's type.
fn validate(host: &Host, target: &str, config: &Json) -> paasform::framework::Diagnostics {
    if target.starts_with("provider:") {
        let ty = host.provider_schema().value_type();
        let value = Value::from_plain_json(config, &ty).expect("provider config fits its type");
        return host.validate_provider_config(&value);
    }
    if let Some(t) = target.strip_prefix("data:") {
        let ty = host
            .data_source_schema(t)
            .expect("data source")
            .value_type();
        let value = Value::from_plain_json(config, &ty).expect("config fits its type");
        return host.validate_data_source_config(t, &value);
    }
    let ty = host
        .resource_schema(target)
        .expect("resource type")
        .value_type();
    let value = Value::from_plain_json(config, &ty)
        .unwrap_or_else(|e| panic!("{target}: {config} does not fit the schema type: {e}"));
    host.validate_resource_config(target, &value)
}

#[tokio::test]
async fn every_invalid_config_names_its_attribute_without_a_request() {
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = hosts(&emu).await;
    reset_requests(&emu).await;

    // The valid bases are valid: each case fails for its patch alone.
    for target in [
        "tailscale_key",
        "r2_bucket",
        "vercel_project",
        "render_service",
        "render_database",
        "railway_project",
        "railway_environment",
        "railway_service",
        "provider:tailscale",
        "provider:railway",
        "provider:render",
        "provider:vercel",
        "provider:r2",
        "data:vercel_project",
        "tailscale_acl",
        "tailscale_device_authorization",
        "tailscale_device_tags",
        "tailscale_device_key",
        "tailscale_dns_preferences",
        "data:tailscale_device",
        "data:tailscale_devices",
        "vercel_project_domain",
        "data:vercel_project_domain",
        "vercel_custom_environment",
        "render_project",
        "data:render_project",
        "render_env_group",
        "render_env_group_link",
        "data:render_env_group",
        "data:render_owner",
        "railway_shared_variable",
        "render_notification_setting",
        "render_log_stream",
        "data:render_registry_credential",
        "railway_volume",
        "railway_tcp_proxy",
        "railway_service_instance",
    ] {
        let diags = validate(host_for(&hosts, target), target, &base(target));
        assert!(
            !diags.has_errors(),
            "{target}: the base configuration must be valid: {diags}"
        );
    }

    let cases = cases();
    assert!(cases.len() >= 100, "the table holds {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let config = patched(c.target, &c.patch);
        let host = host_for(&hosts, c.target);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            validate(host, c.target, &config)
        }));
        let diags = match outcome {
            Ok(d) => d,
            Err(_) => {
                failures.push(format!("{} {}: PANIC", c.target, c.patch));
                continue;
            }
        };
        let mut paths = errors_at(&diags);
        paths.dedup();
        if paths != vec![c.path.to_string()] {
            failures.push(format!(
                "{} {}: expected an error at {:?}, got {paths:?}: {diags}",
                c.target, c.patch, c.path
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(
        emu.request_total().await,
        0,
        "validation made HTTP requests"
    );
}

/// Values of the wrong type never reach a validator: Terraform's wire form is decoded against the
/// schema type, and the codec names the attribute. Checked for every resource.
#[rustfmt::skip]
#[tokio::test]
async fn wrong_types_are_rejected_by_the_codec_naming_the_attribute() {
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = hosts(&emu).await;
    let cases: Vec<(&str, Json, &str)> = vec![
        ("tailscale_key", json!({"expiry": "soon"}), ".expiry"),
        ("tailscale_key", json!({"reusable": "yes"}), ".reusable"),
        ("tailscale_key", json!({"tags": "tag:ci"}), ".tags"),
        ("r2_bucket", json!({"name": ["a"]}), ".name"),
        ("r2_bucket", json!({"cors": {"allowed": {}}}), ".cors"),
        ("r2_bucket", json!({"public_dev_domain_enabled": 1}), ".public_dev_domain_enabled"),
        ("vercel_project", json!({"environment": "A=1"}), ".environment"),
        ("vercel_project", json!({"public_source": "maybe"}), ".public_source"),
        ("render_service", json!({"num_instances": "two"}), ".num_instances"),
        ("render_service", json!({"env_vars": ["A"]}), ".env_vars"),
        ("render_service", json!({"autoscaling": {"enabled": "on", "min": 1, "max": 2}}), ".autoscaling.enabled"),
        ("render_database", json!({"disk_size_gb": {"gb": 5}}), ".disk_size_gb"),
        ("render_database", json!({"ip_allow_list": "0.0.0.0/0"}), ".ip_allow_list"),
        ("render_project", json!({"environments": ["staging"]}), ".environments"),
        ("railway_project", json!({"private": "no"}), ".private"),
        ("railway_service", json!({"variables": ["A=1"]}), ".variables"),
        ("railway_service", json!({"multi_region_replicas": {"us-west2": "two"}}), ".multi_region_replicas"),
    ];
    for (target, patch, step) in cases {
        let host = host_for(&hosts, target);
        let ty = host.resource_schema(target).expect("type").value_type();
        let config = patched(target, &patch);
        let bytes = serde_json::to_vec(&config).expect("json");
        match cty::decode_json(&bytes, &ty) {
            Ok(v) => panic!("{target} {patch}: decoded as {v:?}"),
            Err(e) => assert!(e.0.contains(step), "{target} {patch}: {e} does not name {step}"),
        }
        assert!(Value::from_plain_json(&config, &ty).is_err(), "{target} {patch}");
    }
}

#[tokio::test]
async fn plan_time_errors_name_their_attribute() {
    // Render cannot upgrade Postgres in place: caught when planning, before any request.
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = hosts(&emu).await;
    reset_requests(&emu).await;
    let host = host_for(&hosts, "render_database");
    let t = "render_database";
    let ty = host.resource_schema(t).expect("type").value_type();
    let mut prior_json = base(t);
    prior_json["id"] = json!("dpg-abc123");
    prior_json["engine"] = json!("postgres");
    prior_json["version"] = json!("16");
    let prior = Value::from_plain_json(&prior_json, &ty).expect("prior");
    let config =
        Value::from_plain_json(&patched(t, &json!({"version": "17"})), &ty).expect("config");
    let outcome = host.plan_resource_change(t, &prior, &config, &config);
    assert_eq!(
        errors_at(&outcome.diags),
        vec!["version".to_string()],
        "{}",
        outcome.diags
    );
    assert_eq!(emu.request_total().await, 0);
}

/// A resource that needs a provider setting the provider block lacks (the Cloudflare account
/// id) fails at plan, on its `account_id`, naming the provider setting and its env var; zero
/// requests. Validation cannot see the provider block, so the same configuration validates.
#[tokio::test]
async fn missing_provider_settings_fail_at_plan_without_a_request() {
    let emu = TestEmulator::start(Config::default()).await;
    let settings = [
        ("api_token", Value::string("cf-test")),
        ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
    ];
    let (r2, cloudflare) = (
        host("r2", &settings).await,
        host("cloudflare", &settings).await,
    );
    reset_requests(&emu).await;
    for (host, identity, target) in [
        (&r2, "r2", "r2_bucket"),
        (&r2, "r2", "r2_credentials"),
        (&cloudflare, "cloudflare", "cloudflare_tunnel"),
        (&cloudflare, "cloudflare", "cloudflare_tunnel_config"),
    ] {
        let ty = host.resource_schema(target).expect("type").value_type();
        let config = Value::from_plain_json(&base(target), &ty).expect("config");
        assert!(
            !validate(host, target, &base(target)).has_errors(),
            "{target}"
        );
        let outcome = host.plan_resource_change(target, &Value::Null, &config, &config);
        assert_eq!(
            errors_at(&outcome.diags),
            vec!["account_id".to_string()],
            "{target}: {}",
            outcome.diags
        );
        let text = outcome.diags.to_string();
        assert!(
            text.contains(&format!("provider \"{identity}\""))
                && text.contains("CLOUDFLARE_ACCOUNT_ID"),
            "{target}: {text}"
        );
        // With the account id on the resource itself the plan succeeds.
        let mut own = base(target);
        own["account_id"] = json!("acct123");
        let config = Value::from_plain_json(&own, &ty).expect("config");
        let outcome = host.plan_resource_change(target, &Value::Null, &config, &config);
        assert!(!outcome.diags.has_errors(), "{target}: {}", outcome.diags);
    }
    assert_eq!(emu.request_total().await, 0, "planning made HTTP requests");
}

#[rustfmt::skip]
#[tokio::test]
async fn malformed_import_ids_are_rejected_without_a_request() {
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = hosts(&emu).await;
    reset_requests(&emu).await;
    let cases: &[(&str, &[&str])] = &[
        ("tailscale_key", &["", " ", "../etc", "k123/456", "k 1", "k123?x=1", "k123#", "ключ"]),
        ("r2_bucket", &["", "acct", "acct/bad_name", "acct/us/name-ok", "a/b/c/d", "/name-ok", "acct/", "ac ct/name-ok"]),
        ("vercel_project", &["", "/", "team/", "/prj", "a/b/c", "has space", "prj?x", "prj#frag"]),
        ("vercel_project_domain", &["", "prj_1", "prj_1/", "/app.example.com", "prj_1/App.Example.com", "a/b/c/d", "prj 1/app.example.com", "prj_1/localhost"]),
        ("vercel_custom_environment", &["", "prj_1", "prj_1/", "/env_1", "a/b/c/d", "prj 1/env_1", "prj_1/env?x", "prj_1/env#f"]),
        ("render_service", &["", "srv", "srv-", "SRV-abc", "-abc", "srv-abc/def", "srv-a b", "toolongprefix-abc"]),
        ("render_database", &["", "dpg", "dpg-", "srv-abc", "red-", "dpg-a/b", "DPG-abc", "dpg-a%2Fb"]),
        ("render_project", &["", "prj", "prj-", "evm-abc", "prj-a/b", "PRJ-abc", "prj-a b"]),
        ("render_env_group", &["", "evg", "evg-", "prj-abc", "evg-a/b", "EVG-abc"]),
        ("render_env_group_link", &["", "evg-", "srv-abc", "evg-a/b", "evg-a b"]),
        ("render_registry_credential", &["", "rgc", "rgc-", "srv-abc", "rgc-a/b", "RGC-abc", "rgc-a b"]),
        ("render_notification_setting", &["", "tea", "tea-", "srv-abc", "tea-a/b", "TEA-abc", "tea-a b"]),
        ("render_log_stream", &["", "usr", "usr-", "prj-abc", "usr-a/b", "tea-a?b"]),
        ("railway_project", &["", "p/x", "has space", "/", "p?x", "a".repeat(101).leak()]),
        ("railway_environment", &["", "p/e/x", "p/", "/e", "p e", "p/e?"]),
        ("r2_credentials", &["", "tok1", "acct/", "/tok1", "a/b/c", "acct/tok 1"]),
        ("railway_service", &["", "a/b/c/d", "has space", "/x", "p//s", "p/e/s/"]),
        ("cloudflare_tunnel", &["", "just-an-id", "a/b/c"]),
        ("cloudflare_tunnel_config", &["", "just-an-id", "a/b/c"]),
        ("railway_shared_variable", &["", "p/e", "p/e/NAME/x", "p//NAME", "p/e/BAD NAME", "p/e?/NAME"]),
        ("railway_volume", &["", "vol-1", "e/", "/v", "e/v/x", "e v/v", "e/v?"]),
        ("railway_service_instance", &["", "e", "e/", "/s", "e/s/x", "e s/s", "e/s?"]),
        ("railway_tcp_proxy", &["", "e/s", "e/s/", "//p", "e/s/p/x", "e/s p/p", "e/s/p#"]),
        ("cloudflare_dns_record", &["", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef/not-hex", "x/0123456789abcdef0123456789abcdef", "a/b/c"]),
    ];
    let mut count = 0;
    for (t, ids) in cases {
        let host = host_for(&hosts, t);
        for id in *ids {
            let (state, diags) = host.import_resource_state(t, id).await;
            assert!(diags.has_errors(), "{t} import id {id:?} must be rejected");
            assert!(state.is_null(), "{t} {id:?}: a rejected import has no state");
            assert!(diags.to_string().contains("import id"), "{t} {id:?}: {diags}");
            count += 1;
        }
    }
    assert!(count >= 50);
    assert_eq!(emu.request_total().await, 0, "a malformed import id made HTTP requests");
}

async fn reset_requests(emu: &TestEmulator) {
    let resp = reqwest::Client::new()
        .delete(format!("http://{}/_emulator/requests", emu.addr))
        .send()
        .await
        .expect("emulator reachable");
    assert!(resp.status().is_success());
    assert_eq!(emu.request_total().await, 0);
}

/// A stored state whose `id` is empty or missing is an error before any request: refresh, update
/// and destroy of every resource type (a `DELETE …/services/` would 404 and count as "gone").
#[tokio::test]
async fn empty_or_missing_ids_never_become_requests() {
    let emu = TestEmulator::start(Config::default()).await;
    let hosts = hosts(&emu).await;
    reset_requests(&emu).await;
    let mut checked = 0;
    for (_, host) in &hosts {
        let types: Vec<String> = host
            .resource_schemas()
            .map(|(t, _)| t.to_string())
            .collect();
        for t in types {
            let names: Vec<String> = host
                .resource_schema(&t)
                .map(|s| s.block.attributes.iter().map(|a| a.name.clone()).collect())
                .unwrap_or_default();
            for id in [Value::string(""), Value::string("  "), Value::Null] {
                let state = common::object_of(&names, &[("id", id.clone())]);
                let (kept, diags) = host.read_resource(&t, &state).await;
                assert!(
                    diags.to_string().contains("no id in state"),
                    "{t} read {id:?}: {diags}"
                );
                assert_eq!(kept, state, "{t}: a refused refresh keeps the state");
                let (kept, diags) = host
                    .apply_resource_change(&t, &state, &Value::Null, &Value::Null)
                    .await;
                assert!(
                    diags.has_errors(),
                    "{t} delete with id {id:?} must fail, not count as gone"
                );
                assert_eq!(
                    kept, state,
                    "{t}: a refused delete keeps the object in state"
                );
                let (_, diags) = host.apply_resource_change(&t, &state, &state, &state).await;
                assert!(diags.has_errors(), "{t} update with id {id:?} must fail");
                checked += 1;
            }
        }
    }
    let types: usize = hosts
        .iter()
        .map(|(_, h)| h.resource_schemas().count())
        .sum();
    assert_eq!(checked, types * 3, "every resource type checked");
    assert_eq!(
        emu.request_total().await,
        0,
        "an empty id made HTTP requests"
    );
}
