//! The five documented architectures (examples/architectures/<name>/) through real Terraform
//! against the emulator, exactly as a user runs them: `init` through the filesystem mirror (lock
//! file written), `validate`, `apply -var-file=demo.tfvars`, a second plan with no changes,
//! `terraform test` (the mocked plan test and the apply test), `destroy`, and an empty emulator.
//! Two stacks run again with 50 ms of injected latency and must still converge.
//! Owns nothing but these tests; reads the modules from the repository, never edits them.

use paasform_acceptance_tests::{workspace_root, Emulator, Output, Workspace};
use serde_json::Value;

/// Fast databases and deploys: the tests wait for `available`, not for wall-clock realism.
const FAST: [&str; 4] = ["--render-db-ready-ms", "200", "--render-deploy-ms", "200"];
const VAR_FILE: &str = "-var-file=demo.tfvars";

/// One architecture copied into a mirror-mode workspace, with its emulator.
struct Stack {
    name: &'static str,
    emulator: Emulator,
    ws: Workspace,
}

impl Stack {
    #[track_caller]
    fn new(name: &'static str, extra_flags: &[&str]) -> Stack {
        let mut flags: Vec<&str> = FAST.to_vec();
        flags.extend_from_slice(extra_flags);
        let emulator = Emulator::start(&flags);
        let ws = Workspace::with_mirror(&format!("arch_{name}")).with_emulator(&emulator);
        let source = workspace_root()
            .join("examples")
            .join("architectures")
            .join(name);
        ws.copy_module(&source);
        Stack { name, emulator, ws }
    }

    /// Runs a command and panics with everything Terraform printed unless it succeeded.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> Output {
        let out = self.ws.run(args);
        if !out.success() {
            panic!(
                "[{}] `terraform {}` failed ({:?})\n--- stdout\n{}\n--- stderr\n{}\n--- emulator\n{}",
                self.name,
                args.join(" "),
                out.code,
                out.stdout,
                out.stderr,
                self.emulator.log()
            );
        }
        out
    }

    /// `init` through the mirror: the lock file must pin every provider the module requires.
    #[track_caller]
    fn init(&self, identities: &[&str]) {
        self.ok(&["init", "-input=false"]);
        let lock = std::fs::read_to_string(self.ws.dir().join(".terraform.lock.hcl"))
            .unwrap_or_else(|e| panic!("[{}] no lock file after init: {e}", self.name));
        for id in identities {
            let entry = format!("provider \"registry.terraform.io/paasform/{id}\"");
            assert!(
                lock.contains(&entry),
                "[{}] lock file lacks {entry}:\n{lock}",
                self.name
            );
        }
    }

    #[track_caller]
    fn apply(&self, extra: &[&str]) {
        let mut args = vec!["apply", "-auto-approve", "-input=false", VAR_FILE];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    #[track_caller]
    fn assert_no_changes(&self, extra: &[&str]) {
        let mut args = vec!["plan", "-detailed-exitcode", "-input=false", VAR_FILE];
        args.extend_from_slice(extra);
        let out = self.ws.run(&args);
        assert_eq!(
            out.code,
            Some(0),
            "[{}] the second plan is not empty\n--- stdout\n{}\n--- stderr\n{}",
            self.name,
            out.stdout,
            out.stderr
        );
    }

    /// `terraform test`: both files (the plan test is mocked; the apply test uses the emulator).
    #[track_caller]
    fn test(&self) {
        let out = self.ok(&["test"]);
        for file in [
            "tests/plan.tftest.hcl... pass",
            "tests/apply.tftest.hcl... pass",
        ] {
            assert!(
                out.stdout.contains(file),
                "[{}] missing `{file}`:\n{}",
                self.name,
                out.stdout
            );
        }
        assert!(
            out.stdout.contains(" 0 failed"),
            "[{}] {}",
            self.name,
            out.stdout
        );
    }

    #[track_caller]
    fn destroy(&self, extra: &[&str]) {
        let mut args = vec!["destroy", "-auto-approve", "-input=false", VAR_FILE];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    /// The root module's outputs (`{"name": value}`).
    #[track_caller]
    fn outputs(&self) -> Value {
        let raw = self.ws.output_json();
        let map = raw.as_object().cloned().unwrap_or_default();
        Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, v["value"].clone()))
                .collect(),
        )
    }

    /// The full user journey, with `check` run against the applied stack.
    #[track_caller]
    fn lifecycle(&self, identities: &[&str], check: impl FnOnce(&Stack)) {
        self.init(identities);
        self.ok(&["validate"]);
        self.apply(&[]);
        self.assert_no_changes(&[]);
        check(self);
        self.test();
        self.destroy(&[]);
    }
}

/// Render services in the emulator, by name.
fn render_service<'a>(state: &'a Value, name: &str) -> &'a Value {
    state["render"]["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no Render service {name} in the emulator: {state}"))
}

/// The value of env var `key` of a Render service as the emulator holds it.
fn render_env<'a>(service: &'a Value, key: &str) -> &'a str {
    service["envVars"]
        .as_array()
        .and_then(|vars| vars.iter().find(|v| v["key"] == key))
        .and_then(|v| v["value"].as_str())
        .unwrap_or_else(|| panic!("env var {key} missing on {}", service["name"]))
}

/// The emulated Render env group named `name`.
fn render_env_group<'a>(state: &'a Value, name: &str) -> &'a Value {
    state["render"]["env_groups"]
        .as_array()
        .and_then(|groups| groups.iter().find(|g| g["name"] == name))
        .unwrap_or_else(|| panic!("no Render env group named {name}"))
}

/// Ids of the Tailscale keys that are not revoked.
fn live_tailscale_keys(state: &Value) -> Vec<String> {
    let tailnets = state["tailscale"]["tailnets"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    tailnets
        .values()
        .flat_map(|t| t["keys"].as_object().cloned().unwrap_or_default())
        .filter(|(_, k)| k["revoked"].is_null())
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn infra402() {
    // The demo hostname api.infra402.example.com lives in this zone (seeded: not under .example).
    let stack = Stack::new("infra402", &["--cloudflare-zone", "infra402.example.com"]);
    stack.lifecycle(&["vercel", "cloudflare"], |s| {
        let out = s.outputs();
        assert_eq!(out["frontend_url"], "https://infra402.vercel.app");
        // The tunnel routes the API hostname to the MacBook's backend; the one command to run
        // there is an output (sensitive: it carries the token).
        let state = s.emulator.state();
        let tunnels = state["tunnels"]["tunnels"].as_object().cloned().unwrap_or_default();
        let tunnel = tunnels
            .values()
            .find(|t| t["name"] == "infra402-macbook")
            .expect("the tunnel exists at Cloudflare");
        assert_eq!(
            tunnel["config"]["ingress"][0],
            serde_json::json!({"hostname": "api.infra402.example.com", "service": "http://localhost:8000"})
        );
        let command = out["cloudflared_command"].as_str().unwrap_or_default();
        assert!(command.starts_with("cloudflared tunnel run --token ey"), "{out}");
        // The API hostname is a proxied CNAME into the tunnel, in the zone the module looked up.
        let records = state["cf_dns"]["dns_records"].as_object().cloned().unwrap_or_default();
        let record = records
            .values()
            .find(|r| r["name"] == "api.infra402.example.com")
            .expect("the CNAME exists at Cloudflare");
        assert_eq!(record["type"], "CNAME", "{record}");
        assert_eq!(record["proxied"], true, "{record}");
        let tunnel_id = tunnel["id"].as_str().unwrap_or_default();
        assert_eq!(record["content"], format!("{tunnel_id}.cfargotunnel.com"), "{record}");
        assert_eq!(record["zone_name"], "infra402.example.com", "{record}");
        assert_eq!(out["api_record_id"], record["id"], "{out}");
        let projects = s.emulator.state()["vercel"]["projects"].clone();
        let project = projects
            .as_object()
            .and_then(|p| p.values().find(|p| p["name"] == "infra402"))
            .cloned()
            .expect("the project exists at Vercel");
        let env = project["env"].as_array().cloned().unwrap_or_default();
        assert!(
            env.iter().any(|e| e["key"] == "VITE_CHAT_API_BASE"
                && e["value"] == "https://api.infra402.example.com"),
            "the tunnel URL reached Vercel: {env:?}"
        );
    });
    // Destroy removed the CNAME too (zones outlive stacks; records do not).
    assert_eq!(
        stack.emulator.state()["cf_dns"]["dns_records"],
        serde_json::json!({})
    );
    stack.emulator.assert_empty();
}

/// The desktop PC vulcan's orchestrator reaches: it joined the tailnet by itself.
const DESKTOP: [&str; 2] = ["--tailscale-device", "desktop:100.101.102.103"];

#[test]
fn vulcan() {
    let stack = Stack::new("vulcan", &DESKTOP);
    stack.lifecycle(&["render", "tailscale"], |s| {
        let state = s.emulator.state();
        let web = render_service(&state, "vulcan-web");
        let orchestrator = render_service(&state, "vulcan-orchestrator");
        assert_eq!(
            render_env(web, "NEXT_PUBLIC_API_URL"),
            "https://vulcan-orchestrator.onrender.com"
        );
        // Built from the looked-up device, not typed: the seeded address and the server's port.
        assert_eq!(
            render_env(orchestrator, "DESKTOP_SERVER_URL"),
            "http://100.101.102.103:8000"
        );
        assert_eq!(
            s.outputs()["desktop_server_url"],
            "http://100.101.102.103:8000"
        );
        let key = render_env(orchestrator, "TAILSCALE_AUTH_KEY");
        let live = live_tailscale_keys(&state);
        assert!(
            live.iter().any(|id| key.contains(id.as_str())),
            "TAILSCALE_AUTH_KEY {key} is none of the live keys {live:?}"
        );
        let desktop = tailscale_device(&state, "desktop");
        assert_eq!(desktop["authorized"], true, "{desktop}");
        assert_eq!(desktop["key_expiry_disabled"], true, "{desktop}");
        assert_eq!(desktop["tags"], serde_json::json!(["tag:vulcan-desktop"]));
        let policy: Value = serde_json::from_str(&tailscale_policy(&state).expect("a policy"))
            .expect("the stack sends JSON");
        assert_eq!(
            policy["grants"],
            serde_json::json!([{
                "src": ["tag:vulcan-orchestrator"],
                "dst": ["tag:vulcan-desktop"],
                "ip": ["tcp:8000"]
            }]),
            "{policy}"
        );
        assert_eq!(
            policy["tagOwners"]["tag:vulcan-desktop"],
            serde_json::json!(["autogroup:admin"])
        );
    });
    // The default key is managed: destroy revoked it, and no plan left one behind. The policy is
    // back to Tailscale's default (demo.tfvars: reset_tailnet_policy_on_destroy).
    stack.emulator.assert_empty();
    let state = stack.emulator.state();
    assert_eq!(tailscale_policy(&state), None, "the policy was reset");
    // Devices are the user's: destroy removes the tag and turns key expiry back on, and leaves the
    // approval (revoking it would lock the machine out).
    let desktop = tailscale_device(&state, "desktop");
    assert_eq!(desktop["authorized"], true, "{desktop}");
    assert_eq!(desktop["key_expiry_disabled"], false, "{desktop}");
    assert_eq!(desktop["tags"], serde_json::json!([]), "{desktop}");
}

/// The emulated Tailscale device with hostname `hostname` (in any tailnet).
fn tailscale_device<'a>(state: &'a Value, hostname: &str) -> &'a Value {
    state["tailscale"]["tailnets"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(|t| t["devices"].as_object())
        .flat_map(|d| d.values())
        .find(|d| d["hostname"] == hostname)
        .unwrap_or_else(|| panic!("no Tailscale device {hostname}: {state}"))
}

/// The tailnet policy text once changed from the default (`None`: the untouched default).
fn tailscale_policy(state: &Value) -> Option<String> {
    state["tailscale"]["tailnets"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values())
        .find_map(|t| t["policy"]["text"].as_str())
        .map(str::to_string)
}

#[test]
fn kirby_gen() {
    let stack = Stack::new("kirby-gen", &[]);
    stack.lifecycle(&["render", "r2"], |s| {
        let state = s.emulator.state();
        let api = render_service(&state, "kirby-gen-api");
        let worker = render_service(&state, "kirby-gen-worker");
        let web = render_service(&state, "kirby-gen-web");
        // The API and the worker share one env group: the worker copies nothing.
        let group = render_env_group(&state, "kirby-gen-backend");
        let mut linked: Vec<&Value> = group["serviceIds"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let mut wanted = vec![&api["id"], &worker["id"]];
        linked.sort_by_key(|v| v.to_string());
        wanted.sort_by_key(|v| v.to_string());
        assert_eq!(
            linked, wanted,
            "the group is linked to the API and the worker"
        );
        assert!(
            worker["envVars"].as_array().is_none_or(Vec::is_empty),
            "{worker}"
        );
        let database_url = render_env(group, "DATABASE_URL");
        assert!(database_url.starts_with("postgres"), "{database_url}");
        assert!(render_env(group, "REDIS_URL").starts_with("redis"));
        assert!(
            !render_env(api, "JWT_SECRET").is_empty(),
            "Render generated JWT_SECRET"
        );
        assert_eq!(render_env(group, "S3_BUCKET"), "kirby-gen-storage");
        assert!(
            !render_env(group, "CLAUDE_API_KEY").is_empty(),
            "write-only secrets reach the group"
        );
        assert_eq!(
            render_env(web, "VITE_API_URL"),
            "https://api.kirby-gen.example.com"
        );
        let out = s.outputs();
        assert_eq!(
            out["skills_internal_url"],
            render_env(group, "SKILLS_BASE_URL")
        );
        assert_eq!(out["storage"]["endpoint"], render_env(group, "S3_ENDPOINT"));
    });
    stack.emulator.assert_empty();
}

#[test]
fn codewarden() {
    let stack = Stack::new("codewarden", &[]);
    stack.lifecycle(&["railway", "vercel", "r2"], |s| {
        let out = s.outputs();
        assert_eq!(out["api_url"], "https://api.codewarden.io");
        assert_eq!(out["evidence_bucket"]["name"], "codewarden-evidence");
        let domain = &out["dashboard_domain"];
        assert_eq!(domain["domain"], "app.codewarden.io", "{out}");
        assert_eq!(domain["verified"], true, "{out}");
        assert_eq!(domain["dns_records"][0]["type"], "CNAME", "{out}");
        assert_eq!(
            domain["dns_records"][0]["name"], "app.codewarden.io",
            "{out}"
        );
        let api =
            s.ws.resource_values("railway_service.api")
                .expect("api in state");
        let worker =
            s.ws.resource_values("railway_service.worker")
                .expect("worker in state");
        assert_eq!(api["source_repo"], worker["source_repo"]);
        assert_ne!(api["start_command"], worker["start_command"]);
        assert_eq!(
            api["healthcheck_path"], "/healthz",
            "deploys wait on the API"
        );
        assert_eq!(
            api["variables"]["R2_BUCKET"],
            worker["variables"]["R2_BUCKET"]
        );
        // The secrets are write-only: both services received them, the state holds none.
        let railway = s.emulator.state()["railway"]["variables"].clone();
        for service in [&api, &worker] {
            let scope = format!(
                "{}/{}",
                service["environment_id"].as_str().unwrap_or_default(),
                service["id"].as_str().unwrap_or_default()
            );
            assert_eq!(
                railway[&scope]["REDIS_URL"], "rediss://default:demo@eu1-demo.upstash.io:6379",
                "{scope} got the queue URL: {railway}"
            );
        }
        assert!(
            !s.ws
                .state_json()
                .to_string()
                .contains("demo@eu1-demo.upstash.io"),
            "a write-only secret leaked into state"
        );
    });
    stack.emulator.assert_empty();
}

#[test]
fn robot_overlord() {
    let stack = Stack::new("robot-overlord", &[]);
    stack.lifecycle(&["render"], |s| {
        let state = s.emulator.state();
        for (env, branch) in [("staging", "staging"), ("production", "main")] {
            let api = render_service(&state, &format!("robot-overlord-{env}-api"));
            assert_eq!(api["top"]["branch"], branch, "{env} deploys {branch}");
            let redis = render_service(&state, &format!("robot-overlord-{env}-redis"));
            assert_eq!(
                render_env(api, "REDIS_URL"),
                format!(
                    "redis://{}:6379",
                    redis["slug"].as_str().unwrap_or_default()
                )
            );
        }
        // One project; each stack's services and database sit in its own environment.
        let envs = state["render"]["environments"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(envs.len(), 2, "{envs:?}");
        for env in &envs {
            let name = env["name"].as_str().unwrap_or_default();
            let api = render_service(&state, &format!("robot-overlord-{name}-api"));
            assert_eq!(api["top"]["environmentId"], env["id"], "{name} api");
            let db = state["render"]["postgres"]
                .as_array()
                .and_then(|dbs| dbs.iter().find(|d| d["environmentId"] == env["id"]));
            assert!(db.is_some(), "{name} has its Postgres database");
        }
        let prod = render_service(&state, "robot-overlord-production-api");
        assert_eq!(
            render_env(prod, "CORS_ORIGINS"),
            "https://therobotoverlord.com,https://www.therobotoverlord.com"
        );
        let out = s.outputs();
        assert_eq!(
            out["staging"]["api_url"],
            "https://api.staging.therobotoverlord.com"
        );
    });
    stack.emulator.assert_empty();
}

/// With 50 ms on every vendor call, the biggest Render stack still converges and cleans up.
#[test]
fn kirby_gen_with_latency() {
    let stack = Stack::new("kirby-gen", &["--latency-ms", "50"]);
    stack.init(&["render", "r2"]);
    stack.apply(&[]);
    stack.assert_no_changes(&[]);
    stack.destroy(&[]);
    stack.emulator.assert_empty();
}

/// The steps after which [`vulcan_key_counts`] counts live Tailscale keys.
const KEY_STEPS: [&str; 5] = ["plan", "apply", "plan", "apply (no changes)", "destroy"];

/// Live Tailscale keys in the emulator after each of [`KEY_STEPS`] of a vulcan run in one key
/// mode (`extra` picks it); `check` sees the stack after the first apply.
#[track_caller]
fn vulcan_key_counts(extra: &[&str], check: impl FnOnce(&Stack)) -> Vec<usize> {
    let stack = Stack::new("vulcan", &DESKTOP);
    let live = || live_tailscale_keys(&stack.emulator.state()).len();
    stack.init(&["render", "tailscale"]);
    let mut plan = vec!["plan", "-input=false", VAR_FILE];
    plan.extend_from_slice(extra);
    let mut counts = Vec::new();
    stack.ok(&plan);
    counts.push(live());
    stack.apply(extra);
    counts.push(live());
    check(&stack);
    stack.ok(&plan);
    counts.push(live());
    stack.apply(extra);
    counts.push(live());
    stack.destroy(extra);
    counts.push(live());
    let steps: Vec<String> = KEY_STEPS
        .iter()
        .zip(&counts)
        .map(|(step, n)| format!("{step} {n}"))
        .collect();
    eprintln!(
        "vulcan {extra:?}: live Tailscale keys after {}",
        steps.join(", ")
    );
    counts
}

/// Issue #17: credentials the stack mints must not outlive it. The default (a managed key): a
/// plan mints nothing, apply mints the one key the orchestrator uses, destroy revokes it.
#[test]
fn vulcan_default_keys_do_not_outlive_the_stack() {
    let counts = vulcan_key_counts(&[], |s| {
        let state = s.emulator.state();
        let key = render_env(
            render_service(&state, "vulcan-orchestrator"),
            "TAILSCALE_AUTH_KEY",
        );
        let stored =
            s.ws.resource_values("tailscale_key.orchestrator[0]")
                .expect("the key is in state");
        assert_eq!(stored["key"], key, "Render got the managed key");
    });
    assert_eq!(counts, [0, 1, 1, 1, 0], "live keys after {KEY_STEPS:?}");
}

/// write_only mode: plans mint nothing that stays valid (revoked on Close); the key Render
/// received is live and not in state. Each apply keeps its key (it cannot know whether Render
/// took it), and they outlive destroy until they expire: the trade-off the README documents.
#[test]
fn vulcan_write_only_plans_leave_no_live_key() {
    let counts = vulcan_key_counts(&["-var=tailscale_key_storage=write_only"], |s| {
        let state = s.emulator.state();
        let key = render_env(
            render_service(&state, "vulcan-orchestrator"),
            "TAILSCALE_AUTH_KEY",
        );
        let live = live_tailscale_keys(&state);
        assert!(
            live.iter().any(|id| key.contains(id.as_str())),
            "TAILSCALE_AUTH_KEY {key} is none of the live keys {live:?}"
        );
        assert!(
            !s.ws.state_json().to_string().contains(key),
            "the write-only key leaked into state"
        );
    });
    assert_eq!(
        counts[..3],
        [0, 1, 1],
        "live keys after {KEY_STEPS:?}: {counts:?}"
    );
    assert!(
        counts[4] <= 2,
        "at most the two applies' keys outlive destroy: {counts:?}"
    );
}

/// vulcan with its key kept in state, under latency: converges, and leaves nothing behind.
#[test]
fn vulcan_state_key_with_latency() {
    let stack = Stack::new("vulcan", &["--latency-ms", "50", DESKTOP[0], DESKTOP[1]]);
    let state_mode = ["-var=tailscale_key_storage=state"];
    stack.init(&["render", "tailscale"]);
    stack.apply(&state_mode);
    stack.assert_no_changes(&state_mode);
    let orchestrator = stack
        .ws
        .resource_values("render_service.orchestrator")
        .expect("in state");
    let key = stack
        .ws
        .resource_values("tailscale_key.orchestrator[0]")
        .expect("the key is in state");
    assert_eq!(
        orchestrator["env_vars"]["TAILSCALE_AUTH_KEY"]["value"],
        key["key"]
    );
    stack.destroy(&state_mode);
    stack.emulator.assert_empty();
}
