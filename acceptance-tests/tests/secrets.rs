//! Secrets through real Terraform: every provider token and every sensitive value (env var values,
//! secret files, connection strings, generated secrets, Tailscale keys) is absent from the
//! TF_LOG=trace log, from `apply`/`plan` output and from error messages; write-only arguments
//! (`env_vars_wo`, `variables_wo`) and an ephemeral `tailscale_key` feeding one (the vulcan
//! pattern) never reach the state file; the plugin's socket directory is private (0700) while
//! Terraform runs it. Every architecture module under examples/architectures/ sends each of its
//! secret (`sensitive`) inputs write-only: neither `show -json` nor the state file holds one, and
//! `secrets_version` rotates them. Strict mTLS (a client without the pinned certificate is
//! refused) is tested by the protocol tier: provider/tests/protocol_tls.rs.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paasform_acceptance_tests::{Emulator, Output, Workspace};
use serde_json::Value;

/// The one credential the emulator accepts, and so every provider's token.
const TOKEN: &str = "tok-S3cr3t-provider-91f2e";

/// Values the configuration supplies, each distinctive enough to search for.
const CONFIGURED: &[(&str, &str)] = &[
    ("render env var", "sec-render-env-value-4b1d"),
    ("render secret file", "sec-render-secret-file-77c2"),
    ("render write-only env var", "sec-render-wo-value-0e9a"),
    ("railway variable", "sec-railway-var-value-5d3c"),
    ("railway write-only variable", "sec-railway-wo-value-a8f1"),
    ("vercel env var", "sec-vercel-env-value-2c6e"),
    ("render log stream token", "sec-render-log-token-3e7d"),
];

/// Write-only values: never in state.
const WRITE_ONLY: &[&str] = &[
    "sec-render-wo-value-0e9a",
    "sec-railway-wo-value-a8f1",
    "sec-render-log-token-3e7d",
];

fn config() -> String {
    r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
    vercel    = { source = "paasform/vercel" }
    render    = { source = "paasform/render" }
    railway   = { source = "paasform/railway" }
  }
}

resource "tailscale_key" "stored" {
  reusable    = true
  tags        = ["tag:ci"]
  expiry      = 3600
  description = "stored key"
}

ephemeral "tailscale_key" "once" {
  reusable       = true
  ephemeral      = true
  preauthorized  = true
  tags           = ["tag:orchestrator"]
  expiry         = 3600
  keep_after_run = terraform.applying
}

resource "render_database" "db" {
  name = "secret-db"
  plan = "basic_1gb"
}

resource "render_service" "api" {
  type          = "web_service"
  name          = "secret-api"
  runtime       = "python"
  repo          = "https://github.com/acme/api"
  plan          = "starter"
  build_command = "pip install -r requirements.txt"
  start_command = "gunicorn app:app"
  env_vars = {
    API_SECRET   = { value = "sec-render-env-value-4b1d" }
    SESSION_KEY  = { generate_value = true }
    DATABASE_URL = { value = render_database.db.internal_connection_string }
    TS_STORED    = { value = tailscale_key.stored.key }
  }
  secret_files = { "creds.json" = "sec-render-secret-file-77c2" }
  # The vulcan pattern: an ephemeral key into a write-only env var, never in state.
  env_vars_wo = {
    TAILSCALE_AUTH_KEY = ephemeral.tailscale_key.once.key
    WO_SECRET          = "sec-render-wo-value-0e9a"
  }
  env_vars_wo_version = 1
}

# The workspace log stream's token: write-only, never answered by Render.
resource "render_log_stream" "logs" {
  endpoint         = "logs.example.com:6514"
  preview          = "drop"
  token_wo         = "sec-render-log-token-3e7d"
  token_wo_version = 1
}

resource "railway_project" "p" {
  name = "secret-project"
}

resource "railway_service" "worker" {
  project_id           = railway_project.p.id
  name                 = "secret-worker"
  source_image         = "redis:7"
  variables            = { TOKEN = "sec-railway-var-value-5d3c" }
  variables_wo         = { WO_TOKEN = "sec-railway-wo-value-a8f1" }
  variables_wo_version = 1
}

resource "vercel_project" "site" {
  name = "secret-site"
  environment = [{ key = "API_KEY", value = "sec-vercel-env-value-2c6e", target = ["production"] }]
}
"#
    .to_string()
}

/// A workspace whose Terraform writes a trace log to `log`.
fn traced(name: &str, emulator: &Emulator, log: &Path) -> Workspace {
    Workspace::new(name)
        .with_emulator(emulator)
        .with_env("TF_LOG", "trace")
        .with_env("TF_LOG_PATH", &log.to_string_lossy())
}

fn log_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("paasform-{name}-{}.log", std::process::id()))
}

/// Asserts that no secret in `secrets` occurs in `text` (named `what`).
#[track_caller]
fn assert_absent(what: &str, text: &str, secrets: &[(String, String)]) {
    for (name, secret) in secrets {
        assert!(!secret.is_empty(), "{name}: empty secret");
        if let Some(at) = text.find(secret.as_str()) {
            let start = at.saturating_sub(200);
            let context: String = text[start..].chars().take(400).collect();
            panic!("{name} leaked into {what}:\n…{context}…");
        }
    }
}

/// The values of the state that are secrets the provider or the API generated.
fn generated_secrets(ws: &Workspace) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let key = ws
        .resource_values("tailscale_key.stored")
        .expect("key in state");
    out.push(("tailscale key".into(), str_of(&key["key"])));
    let db = ws
        .resource_values("render_database.db")
        .expect("db in state");
    for attr in [
        "password",
        "internal_connection_string",
        "external_connection_string",
    ] {
        out.push((format!("render database {attr}"), str_of(&db[attr])));
    }
    let api = ws
        .resource_values("render_service.api")
        .expect("service in state");
    out.push((
        "render generated env value".into(),
        str_of(&api["env_vars"]["SESSION_KEY"]["value"]),
    ));
    out
}

fn str_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string secret, got {v}"))
        .to_string()
}

/// The ephemeral key as Render received it through the write-only env var.
fn ephemeral_key(emulator: &Emulator) -> String {
    let world = emulator.state();
    let service = world["render"]["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == "secret-api"))
        .cloned()
        .unwrap_or_else(|| panic!("no secret-api service: {world}"));
    let vars = service["envVars"].as_array().cloned().unwrap_or_default();
    let value = vars
        .iter()
        .find(|v| v["key"] == "TAILSCALE_AUTH_KEY")
        .and_then(|v| v["value"].as_str())
        .unwrap_or_else(|| panic!("TAILSCALE_AUTH_KEY not sent to Render: {service}"));
    assert!(value.starts_with("tskey-auth-"), "{value}");
    value.to_string()
}

/// Records the modes of directories that appear under `dir` until stopped.
fn watch_socket_dirs(dir: PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<u32>> {
    std::thread::spawn(move || {
        let mut modes = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if let Ok(meta) = entry.metadata() {
                    if meta.is_dir() {
                        modes.push(meta.permissions().mode() & 0o777);
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        modes
    })
}

#[test]
fn secrets_stay_out_of_logs_output_and_state() {
    let emulator = Emulator::start(&[
        "--token",
        TOKEN,
        "--render-db-ready-ms",
        "1500",
        "--render-deploy-ms",
        "200",
    ]);
    let log = log_path("secrets");
    let socket_base = std::env::temp_dir().join(format!("paasform-sockets-{}", std::process::id()));
    std::fs::create_dir_all(&socket_base).expect("socket base dir");
    let ws = traced("secrets", &emulator, &log)
        .with_env("PLUGIN_UNIX_SOCKET_DIR", &socket_base.to_string_lossy());
    ws.write_file("main.tf", &config());

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_socket_dirs(socket_base.clone(), stop.clone());
    let apply = ws.apply();
    stop.store(true, Ordering::Relaxed);
    let modes = watcher.join().unwrap_or_default();
    assert!(!modes.is_empty(), "no plugin socket directory was seen");
    assert!(
        modes.iter().all(|m| *m == 0o700),
        "plugin socket directories must be private: {:?}",
        modes.iter().map(|m| format!("{m:o}")).collect::<Vec<_>>()
    );

    let plan = ws.run(&["plan", "-input=false"]).assert_success();
    // A changed secret shows as sensitive in the plan, never as its value.
    ws.write_file(
        "main.tf",
        &config().replace("sec-render-env-value-4b1d", "sec-render-env-changed-6f0b"),
    );
    let changed_plan = ws.run(&["plan", "-input=false"]).assert_success();
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    // Positive control: the log holds the plugins' own output, so a leak there would show.
    assert!(
        trace.contains("provider.terraform-provider-render"),
        "the trace log holds the provider's output"
    );

    let mut secrets: Vec<(String, String)> = CONFIGURED
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    secrets.push(("provider token".into(), TOKEN.into()));
    secrets.push((
        "changed render env var".into(),
        "sec-render-env-changed-6f0b".into(),
    ));
    secrets.extend(generated_secrets(&ws));
    let ephemeral = ephemeral_key(&emulator);
    secrets.push(("ephemeral tailscale key".into(), ephemeral.clone()));

    assert_absent("the TF_LOG=trace log", &trace, &secrets);
    for (what, out) in [
        ("apply output", &apply),
        ("plan output", &plan),
        ("plan output of a changed secret", &changed_plan),
    ] {
        assert_absent(what, &out.combined(), &secrets);
    }

    // The state file holds no write-only value and not the ephemeral key.
    let state = std::fs::read_to_string(ws.dir().join("terraform.tfstate")).expect("state file");
    let never_stored: Vec<(String, String)> = WRITE_ONLY
        .iter()
        .map(|v| ("write-only value".to_string(), v.to_string()))
        .chain([("ephemeral tailscale key".to_string(), ephemeral)])
        .collect();
    assert_absent("the state file", &state, &never_stored);
    // Positive control: a plain sensitive value is in state (by design), so the search works.
    assert!(
        state.contains("sec-render-env-value-4b1d"),
        "state file read"
    );
    // …while the vendors did receive them.
    let world = emulator.state().to_string();
    for v in WRITE_ONLY {
        assert!(world.contains(v), "write-only value {v} was never sent");
    }

    ws.write_file("main.tf", &config());
    ws.destroy();
    let _ = std::fs::remove_dir_all(&socket_base);
}

/// Error messages: a rejected credential is never echoed, in output or in the trace log.
#[test]
fn a_rejected_token_is_not_echoed_in_errors_or_logs() {
    let emulator = Emulator::start(&["--token", TOKEN]);
    let wrong = "tok-wrong-S3cr3t-0a7d";
    let log = log_path("wrong-token");
    let mut ws = traced("secrets_wrong_token", &emulator, &log);
    for var in [
        "TAILSCALE_API_KEY",
        "RENDER_API_KEY",
        "RAILWAY_TOKEN",
        "VERCEL_API_TOKEN",
    ] {
        ws = ws.with_env(var, wrong);
    }
    ws.write_file("main.tf", &config());
    let out: Output = ws.try_apply().assert_failure();
    let text = out.combined();
    assert!(
        text.to_lowercase().contains("unauthorized") || text.contains("401"),
        "the error says the credential was refused:\n{out}"
    );
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    let secrets = vec![
        ("rejected token".to_string(), wrong.to_string()),
        ("real token".to_string(), TOKEN.to_string()),
    ];
    assert_absent("the error output", &text, &secrets);
    assert_absent("the TF_LOG=trace log", &trace, &secrets);
    for (name, v) in CONFIGURED {
        assert!(!text.contains(v), "{name} leaked into the error output");
    }
}

// ---- the architecture modules: user-supplied secrets never in state (issue #17) ----

/// One module under examples/architectures/, called as users call it (`module` block, local
/// source), with `demo.tfvars` as its inputs and a distinctive value for each secret input.
struct ModuleCase {
    name: &'static str,
    /// The provider identities it uses (the root declares them, the mirror serves them).
    identities: &'static [&'static str],
    /// `(variable, HCL value, the secret value to search for)` for every `sensitive` input.
    secrets: &'static [(&'static str, &'static str, &'static str)],
}

/// The module's variables declared `sensitive = true`, from its variables.tf.
fn sensitive_inputs(module: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(module.join("variables.tf")).expect("variables.tf");
    text.split("variable \"")
        .skip(1)
        .filter(|block| block.contains("sensitive   = true"))
        .filter_map(|block| block.split('"').next().map(str::to_string))
        .collect()
}

/// demo.tfvars without the secret inputs, which the case supplies instead.
fn demo_inputs(module: &Path, secrets: &[&str]) -> String {
    let text = std::fs::read_to_string(module.join("demo.tfvars")).expect("demo.tfvars");
    text.lines()
        .filter(|line| {
            let name = line.split('=').next().unwrap_or_default().trim();
            !secrets.contains(&name)
        })
        .map(|line| format!("  {line}\n"))
        .collect()
}

/// A root module calling `module` with demo.tfvars, `secrets` (`(variable, HCL value)`) instead
/// of demo.tfvars' values for them.
fn module_root(identities: &[&str], module: &Path, secrets: &[(&str, &str)]) -> String {
    let names: Vec<&str> = secrets.iter().map(|(n, _)| *n).collect();
    let providers: String = identities
        .iter()
        .map(|id| format!("    {id} = {{ source = \"paasform/{id}\" }}\n"))
        .collect();
    let secrets: String = secrets
        .iter()
        .map(|(name, hcl)| format!("  {name} = {hcl}\n"))
        .collect();
    format!(
        "terraform {{\n  required_providers {{\n{providers}  }}\n}}\n\nmodule \"stack\" {{\n  source = \"{}\"\n{}{secrets}}}\n",
        module.display(),
        demo_inputs(module, &names)
    )
}

fn architecture(name: &str) -> PathBuf {
    paasform_acceptance_tests::workspace_root()
        .join("examples/architectures")
        .join(name)
}

fn fast_emulator() -> Emulator {
    // vulcan looks its desktop up on the tailnet (a device that joined by itself) and infra402
    // its Cloudflare zone (added in the dashboard, outside Terraform); other stacks never see them.
    Emulator::start(&[
        "--cloudflare-zone",
        "infra402.example.com",
        "--render-db-ready-ms",
        "200",
        "--render-deploy-ms",
        "200",
        "--tailscale-device",
        "desktop:100.101.102.103",
    ])
}

/// Applies the module, then lists the secret inputs found in `show -json` and in the state file
/// (empty is the goal); checks that every secret did reach a vendor, then destroys.
#[track_caller]
/// The R2 credentials a module mints: the token value is nowhere in state or plan output, the
/// derived secret reached the vendor (the services' env) and is in state once only — the
/// `r2_credentials` attribute (sensitive), not the services' write-only copies.
fn minted_r2_secrets_leaked(
    name: &str,
    ws: &Workspace,
    emulator: &Emulator,
    file: &str,
) -> Vec<String> {
    let world = emulator.state();
    let tokens = world["cf_dns"]["account_tokens"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if !file.contains("r2_credentials") {
        return Vec::new();
    }
    assert!(
        !tokens.is_empty(),
        "[{name}] the module minted R2 credentials"
    );
    let plan = ws.run(&["plan", "-no-color"]);
    let plan_text = format!("{}{}", plan.stdout, plan.stderr);
    let shown = ws.state_json();
    let mut found = Vec::new();
    for token in tokens.values() {
        let value = token["value"].as_str().unwrap_or_default();
        assert!(!value.is_empty());
        if file.contains(value) || plan_text.contains(value) {
            found.push(format!("[{name}] the R2 token value"));
        }
    }
    let secrets: Vec<String> = shown["values"]["root_module"]["child_modules"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|m| m["resources"].as_array().cloned().unwrap_or_default())
        .filter(|r| r["type"] == "r2_credentials")
        .filter_map(|r| {
            r["values"]["secret_access_key"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert!(
        !secrets.is_empty(),
        "[{name}] r2_credentials holds its secret"
    );
    for s in &secrets {
        assert!(
            world.to_string().contains(s.as_str()),
            "[{name}] the R2 secret reached the services"
        );
        if file.matches(s.as_str()).count() != 1 {
            found.push(format!(
                "[{name}] the R2 secret outside r2_credentials (state file)"
            ));
        }
        if plan_text.contains(s.as_str()) {
            found.push(format!("[{name}] the R2 secret (plan output)"));
        }
    }
    found
}

fn module_secrets_in_state(case: &ModuleCase) -> Vec<String> {
    let module = architecture(case.name);
    let mut declared = sensitive_inputs(&module);
    declared.sort();
    let mut covered: Vec<String> = case.secrets.iter().map(|(n, _, _)| n.to_string()).collect();
    covered.sort();
    assert_eq!(
        declared, covered,
        "[{}] every sensitive input has a test value",
        case.name
    );

    let emulator = fast_emulator();
    let ws =
        Workspace::with_mirror(&format!("secrets_module_{}", case.name)).with_emulator(&emulator);
    let hcl: Vec<(&str, &str)> = case.secrets.iter().map(|(n, v, _)| (*n, *v)).collect();
    ws.write_file("main.tf", &module_root(case.identities, &module, &hcl));
    ws.init();
    ws.apply();
    let shown = ws.state_json().to_string();
    let file = std::fs::read_to_string(ws.dir().join("terraform.tfstate")).expect("state file");
    let world = emulator.state().to_string();
    let mut found = Vec::new();
    for (name, _, secret) in case.secrets {
        assert!(
            world.contains(secret),
            "[{}] {name} never reached the vendor",
            case.name
        );
        for (what, text) in [("show -json", &shown), ("state file", &file)] {
            if text.contains(secret) {
                found.push(format!("{name} ({what})"));
            }
        }
    }
    // Positive control: the state does hold the module's resources, so the search means something.
    assert!(file.contains("module.stack"), "[{}] state read", case.name);
    found.extend(minted_r2_secrets_leaked(case.name, &ws, &emulator, &file));
    ws.destroy();
    emulator.assert_empty();
    eprintln!(
        "[{}] secret inputs found in state: {} {found:?}",
        case.name,
        found.len()
    );
    found
}

#[track_caller]
fn assert_no_module_secret_in_state(case: &ModuleCase) {
    let found = module_secrets_in_state(case);
    assert!(
        found.is_empty(),
        "[{}] secret inputs in state: {found:?}",
        case.name
    );
}

#[test]
fn kirby_gen_secret_inputs_stay_out_of_state() {
    assert_no_module_secret_in_state(&ModuleCase {
        name: "kirby-gen",
        identities: &["render", "r2"],
        secrets: &[
            (
                "anthropic_api_key",
                "\"sec-kirby-anthropic-5e1f\"",
                "sec-kirby-anthropic-5e1f",
            ),
            (
                "render_api_key",
                "\"sec-kirby-render-key-4d8e\"",
                "sec-kirby-render-key-4d8e",
            ),
        ],
    });
}

#[test]
fn codewarden_secret_inputs_stay_out_of_state() {
    assert_no_module_secret_in_state(&ModuleCase {
        name: "codewarden",
        identities: &["railway", "vercel", "r2"],
        secrets: &[
            (
                "supabase_service_key",
                "\"sec-cw-supabase-svc-1a2b\"",
                "sec-cw-supabase-svc-1a2b",
            ),
            (
                "supabase_database_url",
                "\"postgresql://postgres:sec-cw-db-3c4d@db.xyz.supabase.co:5432/postgres\"",
                "sec-cw-db-3c4d",
            ),
            (
                "upstash_redis_url",
                "\"rediss://default:sec-cw-redis-5e6f@eu1.upstash.io:6379\"",
                "sec-cw-redis-5e6f",
            ),
            (
                "openobserve_password",
                "\"sec-cw-o2-pass-7a8b\"",
                "sec-cw-o2-pass-7a8b",
            ),
            (
                "openai_api_key",
                "\"sec-cw-openai-9c0d\"",
                "sec-cw-openai-9c0d",
            ),
            (
                "litellm_master_key",
                "\"sec-cw-litellm-1e2f\"",
                "sec-cw-litellm-1e2f",
            ),
        ],
    });
}

#[test]
fn robot_overlord_secret_inputs_stay_out_of_state() {
    assert_no_module_secret_in_state(&ModuleCase {
        name: "robot-overlord",
        identities: &["render"],
        secrets: &[
            (
                "google_oauth_client_secret",
                "\"sec-ro-google-7e8f\"",
                "sec-ro-google-7e8f",
            ),
            (
                "extra_env",
                "{ LLM_API_KEY = \"sec-ro-extra-env-9a0b\" }",
                "sec-ro-extra-env-9a0b",
            ),
        ],
    });
}

/// vulcan takes no secret input (its one secret, the Tailscale key, is minted by the vendor);
/// infra402 neither (its VITE_* values end up in public bundles). Both still run, so a secret
/// input added later without a test value fails here.
#[test]
fn vulcan_and_infra402_take_no_secret_input() {
    for (name, identities) in [
        ("vulcan", &["render", "tailscale"][..]),
        ("infra402", &["vercel", "cloudflare"][..]),
    ] {
        assert_no_module_secret_in_state(&ModuleCase {
            name,
            identities,
            secrets: &[],
        });
    }
}

/// Rotation: write-only values are invisible to plans, so a new secret alone changes nothing;
/// bumping `secrets_version` sends every secret again (Render and Railway).
#[test]
fn module_secrets_rotate_with_secrets_version() {
    for (name, identities, old, new) in [
        (
            "robot-overlord",
            &["render"][..],
            "sec-ro-google-old-1111",
            "sec-ro-google-new-2222",
        ),
        (
            "codewarden",
            &["railway", "vercel", "r2"][..],
            "sec-cw-openai-old-3333",
            "sec-cw-openai-new-4444",
        ),
    ] {
        let module = architecture(name);
        let var = if name == "codewarden" {
            "openai_api_key"
        } else {
            "google_oauth_client_secret"
        };
        // secrets_version replaces demo.tfvars' value like a secret input does.
        let root = |value: &str, version: &str| {
            let value = format!("\"{value}\"");
            module_root(
                identities,
                &module,
                &[(var, &value), ("secrets_version", version)],
            )
        };
        let emulator = fast_emulator();
        let ws = Workspace::with_mirror(&format!("secrets_rotate_{name}")).with_emulator(&emulator);
        ws.write_file("main.tf", &root(old, "1"));
        ws.init();
        ws.apply();
        assert!(
            emulator.state().to_string().contains(old),
            "[{name}] first value sent"
        );
        ws.write_file("main.tf", &root(new, "1"));
        assert_eq!(
            ws.plan_exit_code(),
            0,
            "[{name}] a new write-only value alone is no change"
        );
        ws.write_file("main.tf", &root(new, "2"));
        ws.apply();
        let world = emulator.state().to_string();
        assert!(
            world.contains(new) && !world.contains(old),
            "[{name}] the new secret replaced the old one"
        );
        ws.assert_no_changes();
        ws.destroy();
    }
}

/// Cloudflare tunnels: the write-only tunnel secret never reaches state, plan output or the
/// trace log; the connector token (sensitive, in state by design) never reaches plan output or
/// the trace log, and neither does the ephemeral `cloudflare_tunnel_token`'s copy of it.
#[test]
fn tunnel_secret_and_token_stay_out_of_logs_and_plans() {
    const TUNNEL_SECRET: &str = "c2VjLXR1bm5lbC1zZWNyZXQtdmFsdWUtMzJieXRlcy0xMjM0";
    let emulator = Emulator::start(&["--token", TOKEN]);
    let log = log_path("tunnel-secrets");
    let ws = traced("tunnel_secrets", &emulator, &log);
    ws.write_file(
        "main.tf",
        &format!(
            r#"
terraform {{
  required_providers {{
    cloudflare = {{ source = "paasform/cloudflare" }}
  }}
}}
resource "cloudflare_tunnel" "t" {{
  name                     = "secret-tunnel"
  tunnel_secret_wo         = "{TUNNEL_SECRET}"
  tunnel_secret_wo_version = 1
}}
ephemeral "cloudflare_tunnel_token" "t" {{
  tunnel_id = cloudflare_tunnel.t.id
}}
output "command" {{
  value     = "cloudflared tunnel run --token ${{cloudflare_tunnel.t.token}}"
  sensitive = true
}}
"#
        ),
    );
    let apply = ws.apply();
    let plan = ws.run(&["plan", "-input=false"]).assert_success();
    let state = ws.state_json().to_string();
    let token = ws.resource_values("cloudflare_tunnel.t").expect("in state")["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    ws.destroy();
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert!(
        trace.contains("terraform-provider-cloudflare"),
        "the trace log holds the provider's output"
    );
    let secret = vec![("tunnel secret".to_string(), TUNNEL_SECRET.to_string())];
    assert_absent("the state", &state, &secret);
    let both = vec![
        ("tunnel secret".to_string(), TUNNEL_SECRET.to_string()),
        ("connector token".to_string(), token),
        ("provider token".to_string(), TOKEN.to_string()),
    ];
    assert_absent("the TF_LOG=trace log", &trace, &both);
    assert_absent("apply output", &apply.combined(), &both);
    assert_absent("plan output", &plan.combined(), &both);
    emulator.assert_empty();
}
