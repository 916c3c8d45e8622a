//! Faults through real Terraform, repeatable by seed: random 429/500/503/dropped connections,
//! creates that commit and then drop the connection, a per-token rate limit, and an interrupted
//! apply. After every scenario the objects in the emulator equal the objects in state (no orphan,
//! no duplicate: `destroy` empties the world, and no collection holds a name twice) and the next
//! plan is empty. Runtime is bounded: a small mixed stack for 10 seeds, the kirby-gen and
//! codewarden architectures for 2 seeds each.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use paasform_acceptance_tests::{terraform, workspace_root, Emulator, Output, Workspace};
use serde_json::Value;

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    tailscale = { source = "paasform/tailscale" }
    r2        = { source = "paasform/r2" }
    vercel    = { source = "paasform/vercel" }
    render    = { source = "paasform/render" }
    railway   = { source = "paasform/railway" }
  }
}
"#;

/// Fast databases and deploys: the scenarios wait for `available`, not for realism.
const FAST: [&str; 4] = ["--render-db-ready-ms", "200", "--render-deploy-ms", "200"];

/// Applies attempted before a scenario counts as not converging. Each apply under a 20% fault
/// rate makes progress, so a few are enough; more would hide a provider that never converges.
const MAX_APPLIES: usize = 8;

/// Several resources of every type, with sub-objects (env vars, variables) that take extra calls.
fn mixed_stack() -> String {
    format!(
        r#"{PROVIDERS}
resource "tailscale_key" "k" {{
  count       = 2
  tags        = ["tag:ci"]
  expiry      = 3600
  description = "fault key ${{count.index}}"
}}

resource "r2_bucket" "b" {{
  count = 2
  name  = "fault-bucket-${{count.index}}"
}}

resource "vercel_project" "p" {{
  count = 2
  name  = "fault-site-${{count.index}}"
  environment = [{{ key = "API_URL", value = "https://api.example.com", target = ["production"] }}]
}}

resource "render_service" "s" {{
  count    = 2
  type     = "web_service"
  name     = "fault-api-${{count.index}}"
  runtime  = "node"
  repo     = "https://github.com/acme/api"
  plan     = "starter"
  build_command = "npm ci"
  start_command = "npm start"
  env_vars = {{ LOG_LEVEL = {{ value = "info" }} }}
}}

resource "render_database" "db" {{
  name = "fault-db"
  plan = "basic_1gb"
}}

resource "railway_project" "rp" {{
  name = "fault-project"
}}

resource "railway_service" "rs" {{
  count        = 2
  project_id   = railway_project.rp.id
  name         = "fault-worker-${{count.index}}"
  source_image = "redis:7"
  variables    = {{ MODE = "worker" }}
}}
"#
    )
}

/// Asserts that a failed command failed *clearly*: Terraform's error block, no crash.
#[track_caller]
fn assert_clear_failure(output: &Output) {
    let text = output.combined();
    assert!(
        text.contains("Error:"),
        "a failure without an error message\n{output}"
    );
    for crash in [
        "panicked",
        "plugin crashed",
        "Plugin did not respond",
        "RUST_BACKTRACE",
    ] {
        assert!(
            !text.contains(crash),
            "the provider crashed ({crash})\n{output}"
        );
    }
}

/// Applies until one succeeds; every failure must be a clear error. Returns the attempts made.
#[track_caller]
fn converge(ws: &Workspace, args: &[&str], label: &str) -> usize {
    let mut full = vec!["apply", "-auto-approve", "-input=false"];
    full.extend_from_slice(args);
    let mut last = None;
    for attempt in 1..=MAX_APPLIES {
        let out = ws.run(&full);
        if out.success() {
            return attempt;
        }
        assert_clear_failure(&out);
        last = Some(out);
    }
    let last = last.map(|o| o.to_string()).unwrap_or_default();
    panic!("{label}: no successful apply in {MAX_APPLIES} attempts; the last one:\n{last}");
}

/// Plans until one answers (a refresh may still meet an injected fault after every retry);
/// the answer must be "no changes".
#[track_caller]
fn assert_converged(ws: &Workspace, args: &[&str], label: &str) {
    let mut full = vec!["plan", "-detailed-exitcode", "-input=false"];
    full.extend_from_slice(args);
    for _ in 0..MAX_APPLIES {
        let out = ws.run(&full);
        match out.code {
            Some(0) => return,
            Some(2) => panic!("{label}: the plan after convergence is not empty\n{out}"),
            _ => assert_clear_failure(&out),
        }
    }
    panic!("{label}: no plan answered in {MAX_APPLIES} attempts");
}

/// Collections (by path) that hold two records with the same `name`: duplicates.
fn duplicate_names(world: &Value) -> Vec<String> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    collect_names(world, "", &mut seen);
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|((path, name), n)| format!("{path}: {name:?} ×{n}"))
        .collect()
}

fn collect_names(v: &Value, path: &str, seen: &mut BTreeMap<(String, String), usize>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (format!("{path}.{k}"), c)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{path}[{i}]"), c))
            .collect(),
        _ => return,
    };
    for (child_path, child) in children {
        let record = child.as_object();
        let live = record.is_some_and(|r| {
            ["revoked", "deleted", "deletedAt"].iter().all(|f| {
                r.get(*f)
                    .is_none_or(|x| x.is_null() || *x == Value::Bool(false))
            })
        });
        if let (Some(r), true) = (record, live) {
            if let (Some(_), Some(name)) = (r.get("id"), r.get("name").and_then(Value::as_str)) {
                *seen
                    .entry((path.to_string(), name.to_string()))
                    .or_default() += 1;
            }
        }
        collect_names(child, &child_path, seen);
    }
}

/// Every resource id in state exists in the emulator, and no emulator collection holds a name
/// twice. (Orphans are caught by `destroy` + an empty world afterwards.)
#[track_caller]
fn assert_state_matches_world(ws: &Workspace, emulator: &Emulator, label: &str) {
    let world = emulator.state();
    let dups = duplicate_names(&world);
    assert!(
        dups.is_empty(),
        "{label}: duplicates in the emulator: {dups:?}"
    );
    let world_text = world.to_string();
    let state = ws.state_json();
    let mut ids = Vec::new();
    collect_ids(
        state.pointer("/values/root_module").unwrap_or(&Value::Null),
        &mut ids,
    );
    assert!(!ids.is_empty(), "{label}: nothing in state");
    for (address, id) in ids {
        assert!(
            world_text.contains(&format!("\"{id}\"")),
            "{label}: {address} (id {id}) is in state but not in the emulator"
        );
    }
}

fn collect_ids(module: &Value, out: &mut Vec<(String, String)>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        if r["mode"] == "managed" {
            if let (Some(a), Some(id)) = (r["address"].as_str(), r["values"]["id"].as_str()) {
                out.push((a.to_string(), id.to_string()));
            }
        }
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        collect_ids(child, out);
    }
}

/// Destroys (retrying through faults) and asserts the emulator holds nothing: no orphan.
#[track_caller]
fn destroy_to_empty(ws: &Workspace, emulator: &Emulator, args: &[&str], label: &str) {
    let mut full = vec!["destroy", "-auto-approve", "-input=false"];
    full.extend_from_slice(args);
    let mut done = false;
    for _ in 0..MAX_APPLIES {
        let out = ws.run(&full);
        if out.success() {
            done = true;
            break;
        }
        assert_clear_failure(&out);
    }
    assert!(
        done,
        "{label}: destroy did not succeed in {MAX_APPLIES} attempts"
    );
    let left = emulator.leftovers();
    assert!(
        left.is_empty(),
        "{label}: orphans left in the emulator: {left:?}"
    );
}

#[test]
fn small_mixed_stack_converges_under_random_faults_for_ten_seeds() {
    let mut report = Vec::new();
    for seed in 1..=10u32 {
        let label = format!("seed {seed}");
        let seed_text = seed.to_string();
        let mut flags = FAST.to_vec();
        flags.extend(["--fault-rate", "0.2", "--seed", seed_text.as_str()]);
        let emulator = Emulator::start(&flags);
        let ws = Workspace::new(&format!("faults_seed_{seed}")).with_emulator(&emulator);
        ws.write_file("main.tf", &mixed_stack());
        let attempts = converge(&ws, &[], &label);
        assert_converged(&ws, &[], &label);
        assert_state_matches_world(&ws, &emulator, &label);
        destroy_to_empty(&ws, &emulator, &[], &label);
        report.push(format!("{label}: converged in {attempts} apply(s)"));
    }
    eprintln!("{}", report.join("\n"));
}

/// Copies an architecture module into the workspace (no local state or lock files).
fn copy_module(from: &Path, to: &Path) {
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(".terraform") || name.contains(".tfstate") || name == "tests" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            let _ = std::fs::create_dir_all(&target);
            copy_module(&entry.path(), &target);
        } else if let Err(e) = std::fs::copy(entry.path(), &target) {
            panic!("cannot copy to {}: {e}", target.display());
        }
    }
}

fn architecture_under_faults(name: &str, seeds: &[u32]) {
    let source = workspace_root().join("examples/architectures").join(name);
    let var_file = ["-var-file=demo.tfvars"];
    for seed in seeds {
        let label = format!("{name} seed {seed}");
        let seed_text = seed.to_string();
        let mut flags = FAST.to_vec();
        flags.extend(["--fault-rate", "0.2", "--seed", seed_text.as_str()]);
        let emulator = Emulator::start(&flags);
        let ws = Workspace::new(&format!("faults_{name}_{seed}")).with_emulator(&emulator);
        copy_module(&source, ws.dir());
        let attempts = converge(&ws, &var_file, &label);
        assert_converged(&ws, &var_file, &label);
        assert_state_matches_world(&ws, &emulator, &label);
        destroy_to_empty(&ws, &emulator, &var_file, &label);
        eprintln!("{label}: converged in {attempts} apply(s)");
    }
}

#[test]
fn kirby_gen_converges_under_random_faults() {
    architecture_under_faults("kirby-gen", &[101, 102]);
}

#[test]
fn codewarden_converges_under_random_faults() {
    architecture_under_faults("codewarden", &[201, 202]);
}

/// Resources whose vendor has a unique name to find an object by after a lost answer.
fn adoptable_stack() -> String {
    format!(
        r#"{PROVIDERS}
resource "r2_bucket" "b" {{
  count = 2
  name  = "commit-bucket-${{count.index}}"
}}

resource "vercel_project" "p" {{
  count = 2
  name  = "commit-site-${{count.index}}"
}}

resource "render_service" "s" {{
  count   = 2
  type    = "web_service"
  name    = "commit-api-${{count.index}}"
  runtime = "node"
  repo    = "https://github.com/acme/api"
  plan    = "starter"
  build_command = "npm ci"
  start_command = "npm start"
}}

resource "render_database" "db" {{
  name = "commit-db"
  plan = "basic_1gb"
}}
"#
    )
}

#[test]
fn creates_that_commit_then_drop_the_connection_are_adopted_not_duplicated() {
    let mut flags = FAST.to_vec();
    // Not 1.0: an idempotent sub-object POST (Vercel's env upsert) is retried and needs an
    // answer eventually; lost answers of non-idempotent ones fail the apply (the resource is
    // tainted) and the re-apply must converge without leaving a second object behind.
    flags.extend(["--drop-after-commit-rate", "0.3", "--seed", "7"]);
    let emulator = Emulator::start(&flags);
    let ws = Workspace::new("faults_drop_after_commit").with_emulator(&emulator);
    ws.write_file("main.tf", &adoptable_stack());
    let label = "drop-after-commit 1.0";
    let attempts = converge(&ws, &[], label);
    assert_eq!(
        attempts, 1,
        "every lost create answer was adopted in the first apply"
    );
    assert_converged(&ws, &[], label);
    assert_state_matches_world(&ws, &emulator, label);
    let world = emulator.state();
    let services = world["render"]["services"].as_array().map_or(0, Vec::len);
    assert_eq!(services, 2, "exactly one object per resource: {world}");
    destroy_to_empty(&ws, &emulator, &[], label);
}

#[test]
fn an_apply_over_the_rate_limit_backs_off_and_completes() {
    // 100 resources at Terraform's default parallelism (10) against 60 requests per minute: the
    // apply must wait out the 429s (Retry-After) instead of failing. Checks after the apply read
    // the emulator's introspection routes (not limited) and plan without a refresh, so the
    // scenario costs about one rate-limit window.
    let emulator = Emulator::start(&["--rate-limit-per-minute", "60"]);
    let log = std::env::temp_dir().join(format!("paasform-ratelimit-{}.log", std::process::id()));
    let ws = Workspace::new("faults_rate_limit")
        .with_emulator(&emulator)
        .with_env("TF_LOG", "debug")
        .with_env("TF_LOG_PATH", &log.to_string_lossy());
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "tailscale_key" "k" {{
  count       = 100
  tags        = ["tag:ci"]
  expiry      = 3600
  description = "limited ${{count.index}}"
}}
"#
        ),
    );
    ws.apply();
    let total: u64 = emulator.requests().values().sum();
    assert!(
        total > 60,
        "the apply needed more requests than the limit allows: {total}"
    );
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert!(
        text.contains("retrying") && text.contains("rate limit"),
        "the provider backed off on 429 (no `retrying … rate limited` in the debug log)"
    );
    let out = ws.run(&[
        "plan",
        "-refresh=false",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(
        out.code,
        Some(0),
        "the state matches the configuration\n{out}"
    );
    assert_state_matches_world(&ws, &emulator, "rate limit");
    let world = emulator.state();
    let live = world["tailscale"]["tailnets"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values())
        .flat_map(|t| t["keys"].as_object().cloned().unwrap_or_default())
        .filter(|(_, k)| k["revoked"].is_null())
        .count();
    assert_eq!(live, 100, "exactly one key per resource, none orphaned");
}

/// Starts `terraform apply` in `ws` as a child process (the harness's `run` waits for the end).
fn spawn_apply(ws: &Workspace, emulator: &Emulator) -> Child {
    let config = ws
        .dir()
        .parent()
        .map(|p| p.join("terraform.tfrc"))
        .expect("workspace root");
    let mut cmd = Command::new(&terraform().path);
    cmd.args(["apply", "-no-color", "-auto-approve", "-input=false"])
        .current_dir(ws.dir())
        .env("TF_CLI_CONFIG_FILE", &config)
        .env("TOFU_CLI_CONFIG_FILE", &config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .envs(emulator.env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("terraform starts")
}

/// Polls the emulator until a Render Postgres instance exists (the apply is now waiting for it).
fn wait_for_postgres(emulator: &Emulator, child: &mut Child) {
    let guard = Instant::now() + Duration::from_secs(120);
    loop {
        let world = emulator.state();
        let text = world["render"].to_string();
        if text.contains("\"dpg-") {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("terraform ended ({status}) before the database was created");
        }
        assert!(Instant::now() < guard, "no database was created: {world}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_interrupted_apply_stops_promptly_keeps_what_it_created_and_converges() {
    // The database stays `creating` for 20 s: long enough to interrupt the wait.
    let emulator = Emulator::start(&["--render-db-ready-ms", "20000", "--render-deploy-ms", "200"]);
    let ws = Workspace::new("faults_interrupt").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
resource "render_database" "db" {{
  name = "interrupted-db"
  plan = "basic_1gb"
}}
"#
        ),
    );
    let mut child = spawn_apply(&ws, &emulator);
    wait_for_postgres(&emulator, &mut child);
    let interrupted = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGINT delivered");
    // A hang guard, not a timing assertion: the wait must end long before the database is ready.
    let guard = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > guard {
            let _ = child.kill();
            panic!("terraform did not exit after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = interrupted.elapsed();
    let output = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("terraform exited {status} {took:?} after SIGINT");
    assert!(
        !status.success(),
        "an interrupted apply is not a success\n{stdout}\n{stderr}"
    );
    assert!(
        !format!("{stdout}{stderr}").contains("panicked"),
        "{stdout}\n{stderr}"
    );
    // The database the apply created is in state (tainted or not), so nothing is orphaned.
    let db = ws.resource_values("render_database.db");
    assert!(
        db.as_ref()
            .and_then(|d| d["id"].as_str())
            .is_some_and(|id| id.starts_with("dpg-")),
        "the created database is recorded in state: {db:?}\n{stdout}\n{stderr}"
    );
    ws.apply();
    ws.assert_no_changes();
    assert_state_matches_world(&ws, &emulator, "interrupt");
    ws.destroy();
    emulator.assert_empty();
}

/// Parents created without faults, then children and sub-objects (env vars, custom domains,
/// service domains, Railway environments and services) created while creates often commit and
/// then lose their answer: an emulator restarted on the same `--state` file with
/// `--drop-after-commit-rate 0.3`.
#[test]
fn sub_object_creates_that_lose_their_answer_converge_without_duplicates() {
    let state_file =
        std::env::temp_dir().join(format!("paasform-drop-world-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&state_file);
    let state_arg = state_file.to_string_lossy().to_string();
    let parents = format!(
        r#"{PROVIDERS}
resource "railway_project" "rp" {{
  name = "drop-project"
}}

resource "vercel_project" "p" {{
  name = "drop-site"
}}
"#
    );
    let children = format!(
        r#"{parents}
resource "railway_environment" "staging" {{
  project_id = railway_project.rp.id
  name       = "staging"
}}

resource "railway_service" "api" {{
  project_id     = railway_project.rp.id
  name           = "drop-api"
  source_image   = "ghcr.io/acme/api:1"
  variables      = {{ MODE = "api" }}
  service_domain = true
  custom_domains = ["api.drop.example.com"]
}}

resource "vercel_project" "q" {{
  name = "drop-site-env"
  environment = [
    {{ key = "API_URL", value = "https://api.drop.example.com", target = ["production"] }},
    {{ key = "FLAG", value = "on", target = ["preview"] }},
  ]
}}

resource "render_service" "web" {{
  type           = "web_service"
  name           = "drop-web"
  runtime        = "node"
  repo           = "https://github.com/acme/web"
  plan           = "starter"
  build_command  = "npm ci"
  start_command  = "npm start"
  custom_domains = ["www.drop.example.com"]
  env_vars       = {{ LOG_LEVEL = {{ value = "info" }} }}
}}
"#
    );
    let mut flags = FAST.to_vec();
    flags.extend(["--state", state_arg.as_str()]);
    let clean = Emulator::start(&flags);
    let ws = Workspace::new("faults_drop_children").with_emulator(&clean);
    ws.write_file("main.tf", &parents);
    ws.apply();
    drop(clean);

    // Not 1.0: an idempotent sub-object POST (Vercel's env upsert) is retried and needs an
    // answer eventually; lost answers of non-idempotent ones fail the apply (the resource is
    // tainted) and the re-apply must converge without leaving a second object behind.
    flags.extend(["--drop-after-commit-rate", "0.3", "--seed", "7"]);
    let emulator = Emulator::start(&flags);
    let ws = ws.with_emulator(&emulator);
    ws.write_file("main.tf", &children);
    let label = "sub-object drop-after-commit 0.3";
    let attempts = converge(&ws, &[], label);
    eprintln!("{label}: converged in {attempts} apply(s)");
    assert_converged(&ws, &[], label);
    assert_state_matches_world(&ws, &emulator, label);
    let world = emulator.state();
    let text = world.to_string();
    for name in ["www.drop.example.com", "api.drop.example.com"] {
        let copies = text.matches(&format!("\"{name}\"")).count();
        assert!(copies >= 1, "{name} was created: {world}");
    }
    destroy_to_empty(&ws, &emulator, &[], label);
    let _ = std::fs::remove_file(&state_file);
}

/// The processes whose parent is `pid` (Terraform's provider plugins), read from `/proc`.
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    // `pid (comm) state ppid …`: the comm may hold spaces, so split after `)`.
                    let rest = s.rsplit_once(')')?.1.split_whitespace().nth(1)?.to_string();
                    rest.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect()
}

/// Alive = listed in `/proc` and neither a zombie nor dead (a reparented exited child can stay a
/// zombie when PID 1 does not reap: it no longer runs, so it counts as gone).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, r)| r.trim_start().starts_with(['Z', 'X']))
        })
        .is_some_and(|dead| !dead)
}

/// What one hard kill left, after the re-apply converged.
struct KillOutcome {
    duplicates: usize,
    orphans: usize,
    providers_alive: usize,
}

/// `kill -9` Terraform once `ready(world)` holds plus `after`, then re-apply until the state
/// converges: the providers the killed Terraform started must exit, the re-apply must not make
/// a second object (a refusal naming the object and `terraform import` is followed by that import),
/// the plan after it is empty, and `destroy` leaves the emulator empty (no orphan).
fn kill_then_reapply(
    label: &str,
    flags: &[&str],
    config: &str,
    address: &str,
    ready: impl Fn(&Value) -> bool,
    after: Duration,
) -> KillOutcome {
    let emulator = Emulator::start(flags);
    let ws = Workspace::new(&format!("kill_{label}")).with_emulator(&emulator);
    ws.write_file("main.tf", &format!("{PROVIDERS}\n{config}"));
    let mut child = spawn_apply(&ws, &emulator);
    let guard = Instant::now() + Duration::from_secs(120);
    while !ready(&emulator.state()) {
        if let Ok(Some(status)) = child.try_wait() {
            let out = child.wait_with_output().expect("output");
            panic!(
                "{label}: terraform ended ({status}) before the kill point\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(Instant::now() < guard, "{label}: the kill point never came");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(after);
    let providers = children_of(child.id());
    assert!(
        !providers.is_empty(),
        "{label}: no provider process to watch"
    );
    child.kill().expect("SIGKILL delivered");
    let _ = child.wait();
    // The orphaned providers notice their parent is gone (they poll every 250 ms).
    let deadline = Instant::now() + Duration::from_secs(10);
    while providers.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let providers_alive = providers.iter().filter(|p| alive(**p)).count();
    assert_eq!(
        providers_alive, 0,
        "{label}: provider processes {providers:?} outlived the killed Terraform"
    );

    let out = ws.try_apply();
    if !out.success() {
        // The provider refused to adopt: it must name the object and the import command.
        // Terraform wraps diagnostics at 78 columns when not on a terminal: unwrap first.
        let text = out
            .combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let id = text
            .split("already exists as ")
            .nth(1)
            .and_then(|r| r.split([',', ':', ' ']).next())
            .unwrap_or_else(|| {
                panic!("{label}: the re-apply failed without naming the object\n{out}")
            });
        assert!(
            text.contains("terraform import"),
            "{label}: no import command\n{out}"
        );
        ws.import(address, id);
        ws.apply();
    }
    ws.assert_no_changes();
    let duplicates = duplicate_names(&emulator.state()).len();
    assert_state_matches_world(&ws, &emulator, label);
    ws.destroy();
    let orphans = emulator.leftovers().len();
    emulator.assert_empty();
    KillOutcome {
        duplicates,
        orphans,
        providers_alive,
    }
}

#[test]
fn a_terraform_killed_mid_create_leaves_no_duplicate_no_orphan_and_no_provider() {
    let db = r#"
resource "render_database" "db" {
  name = "killed-db"
  plan = "basic_1gb"
}
"#;
    let svc = r#"
resource "render_service" "s" {
  type            = "web_service"
  name            = "killed-api"
  runtime         = "node"
  repo            = "https://github.com/acme/api"
  plan            = "starter"
  build_command   = "npm ci"
  start_command   = "npm start"
  wait_for_deploy = true
}
"#;
    let site = r#"
resource "vercel_project" "p" {
  name        = "killed-site"
  environment = [
    { key = "API_URL", value = "https://api.example.com", target = ["production"] },
    { key = "MODE", value = "strict", target = ["preview"] },
  ]
}
"#;
    let has = |vendor: &'static str, needle: &'static str| {
        move |w: &Value| w[vendor].to_string().contains(needle)
    };
    let slow_db = ["--render-db-ready-ms", "6000", "--render-deploy-ms", "200"];
    let slow_deploy = ["--render-db-ready-ms", "200", "--render-deploy-ms", "6000"];
    let slow_calls = ["--latency-ms", "700"];
    // (label, emulator flags, configuration, address, "the create has begun" test, kill delay ms)
    type Scenario<'a> = (
        &'a str,
        &'a [&'a str],
        &'a str,
        &'a str,
        Box<dyn Fn(&Value) -> bool>,
        u64,
    );
    let scenarios: [Scenario; 5] = [
        (
            "db_created",
            &slow_db,
            db,
            "render_database.db",
            Box::new(has("render", "\"dpg-")),
            0,
        ),
        (
            "db_waiting",
            &slow_db,
            db,
            "render_database.db",
            Box::new(has("render", "\"dpg-")),
            2500,
        ),
        (
            "service_created",
            &slow_deploy,
            svc,
            "render_service.s",
            Box::new(has("render", "\"srv-")),
            0,
        ),
        (
            "service_deploying",
            &slow_deploy,
            svc,
            "render_service.s",
            Box::new(has("render", "\"srv-")),
            2500,
        ),
        (
            "site_follow_ups",
            &slow_calls,
            site,
            "vercel_project.p",
            Box::new(has("vercel", "\"killed-site\"")),
            100,
        ),
    ];
    let mut report = Vec::new();
    for (label, flags, config, address, ready, after) in scenarios {
        let o = kill_then_reapply(
            label,
            flags,
            config,
            address,
            ready,
            Duration::from_millis(after),
        );
        report.push(format!(
            "{label}: duplicates {} orphans {} providers alive {}",
            o.duplicates, o.orphans, o.providers_alive
        ));
    }
    eprintln!("kill -9 outcomes:\n{}", report.join("\n"));
}
