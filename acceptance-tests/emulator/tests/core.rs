//! Emulator core: introspection routes, request counting, fault injection, rate limits,
//! persistence and the binary's command line. Runs the router in-process on 127.0.0.1:0 (and the
//! built binary for the CLI tests). Uses the Tailscale API as the sample vendor.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use paasform_emulator::{Config, Emulator};
use serde_json::{json, Value};

const TOKEN: &str = "tskey-api-test";

struct Running {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(config: Config) -> Running {
    let (addr, task) = Emulator::new(config)
        .spawn()
        .await
        .expect("bind 127.0.0.1:0");
    Running {
        base: format!("http://{addr}"),
        task,
    }
}

/// No connection reuse: a dropped connection must not leak into the next request's outcome.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

fn keys_url(base: &str) -> String {
    format!("{base}/tailscale/api/v2/tailnet/-/keys")
}

fn auth_key_body(description: &str) -> Value {
    json!({
        "capabilities": { "devices": { "create": { "reusable": true, "tags": ["tag:ci"] } } },
        "description": description,
    })
}

async fn create_key(client: &reqwest::Client, base: &str, description: &str) -> Value {
    let response = client
        .post(keys_url(base))
        .bearer_auth(TOKEN)
        .json(&auth_key_body(description))
        .send()
        .await
        .expect("create request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("create body")
}

async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    let response = client.get(url).send().await.expect("request");
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().await.expect("json body")
}

/// The outcome of one request as a comparable string: the status, or "transport error".
async fn outcome(client: &reqwest::Client, base: &str) -> String {
    match client.get(keys_url(base)).bearer_auth(TOKEN).send().await {
        Ok(response) => response.status().as_u16().to_string(),
        Err(_) => "transport error".to_string(),
    }
}

fn temp_path(name: &str) -> PathBuf {
    let unique = format!(
        "paasform-emulator-{name}-{}-{}",
        std::process::id(),
        paasform_emulator::world::now_millis()
    );
    std::env::temp_dir().join(unique)
}

#[tokio::test]
async fn state_dump_shows_every_vendor_and_created_objects() {
    let emu = start(Config::default()).await;
    let client = client();
    let created = create_key(&client, &emu.base, "dumped").await;
    let state = get_json(&client, &format!("{}/_emulator/state", emu.base)).await;
    for vendor in ["tailscale", "render", "railway", "vercel", "r2"] {
        assert!(state.get(vendor).is_some(), "state lacks {vendor}: {state}");
    }
    let id = created["id"].as_str().expect("id");
    let tailnets = state["tailscale"]["tailnets"]
        .as_object()
        .expect("tailnets");
    let found = tailnets
        .values()
        .any(|t| t["keys"][id]["description"] == "dumped");
    assert!(found, "key {id} missing from {state}");
}

#[tokio::test]
async fn request_counts_use_route_templates_and_reset() {
    let emu = start(Config::default()).await;
    let client = client();
    let created = create_key(&client, &emu.base, "counted").await;
    let id = created["id"].as_str().expect("id");
    for _ in 0..2 {
        get_json_with_token(&client, &format!("{}/{id}", keys_url(&emu.base))).await;
    }
    let counts = get_json(&client, &format!("{}/_emulator/requests", emu.base)).await;
    assert_eq!(
        counts,
        json!({
            "POST /tailscale/api/v2/tailnet/{tailnet}/keys": 1,
            "GET /tailscale/api/v2/tailnet/{tailnet}/keys/{key_id}": 2,
        })
    );
    let reset = client
        .delete(format!("{}/_emulator/requests", emu.base))
        .send()
        .await
        .expect("reset");
    assert!(reset.status().is_success());
    let counts = get_json(&client, &format!("{}/_emulator/requests", emu.base)).await;
    assert_eq!(counts, json!({}));
}

async fn get_json_with_token(client: &reqwest::Client, url: &str) -> Value {
    let response = client
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().await.expect("json body")
}

async fn fault_sequence(seed: u64) -> Vec<String> {
    let emu = start(Config {
        fault_rate: 0.5,
        seed,
        ..Config::default()
    })
    .await;
    let client = client();
    let mut outcomes = Vec::new();
    for _ in 0..50 {
        outcomes.push(outcome(&client, &emu.base).await);
    }
    outcomes
}

#[tokio::test]
async fn same_seed_gives_the_same_fault_sequence() {
    let first = fault_sequence(42).await;
    let second = fault_sequence(42).await;
    assert_eq!(first, second);
    for expected in ["200", "429", "500", "503", "transport error"] {
        assert!(
            first.iter().any(|o| o == expected),
            "no {expected} in {first:?}"
        );
    }
    let other = fault_sequence(7).await;
    assert_ne!(
        first, other,
        "a different seed should give a different sequence"
    );
}

#[tokio::test]
async fn fault_rate_one_faults_every_vendor_request_but_not_introspection() {
    let emu = start(Config {
        fault_rate: 1.0,
        seed: 1,
        ..Config::default()
    })
    .await;
    let client = client();
    for _ in 0..30 {
        match client
            .get(keys_url(&emu.base))
            .bearer_auth(TOKEN)
            .send()
            .await
        {
            Err(_) => {}
            Ok(response) => {
                let status = response.status().as_u16();
                assert!(
                    [429, 500, 503].contains(&status),
                    "unexpected status {status}"
                );
                if status == 429 {
                    assert_eq!(
                        response.headers().get("retry-after").map(|v| v.as_bytes()),
                        Some(&b"1"[..])
                    );
                }
                let body: Value = response.json().await.expect("error body is JSON");
                assert!(body["message"].is_string(), "tailscale error shape: {body}");
            }
        }
    }
    get_json(&client, &format!("{}/_emulator/state", emu.base)).await;
    get_json(&client, &format!("{}/_emulator/requests", emu.base)).await;
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let emu = start(Config {
        fault_rate: 1.0,
        seed: 3,
        ..Config::default()
    })
    .await;
    let client = client();
    let mut dropped = 0;
    for _ in 0..40 {
        let result = client
            .get(keys_url(&emu.base))
            .bearer_auth(TOKEN)
            .send()
            .await;
        if let Err(error) = result {
            assert!(
                error.status().is_none(),
                "a drop carries no status: {error}"
            );
            dropped += 1;
        }
    }
    assert!(dropped > 0, "no dropped connection in 40 faulted requests");
}

#[tokio::test]
async fn drop_after_commit_commits_then_drops() {
    let state_file = temp_path("drop-after-commit");
    let emu = start(Config {
        drop_after_commit_rate: 1.0,
        state_file: Some(state_file.clone()),
        ..Config::default()
    })
    .await;
    let client = client();
    let result = client
        .post(keys_url(&emu.base))
        .bearer_auth(TOKEN)
        .json(&auth_key_body("committed"))
        .send()
        .await;
    assert!(
        result.is_err(),
        "the create should end in a dropped connection"
    );
    // Reads are not creates: they answer normally.
    let listed = get_json_with_token(&client, &keys_url(&emu.base)).await;
    let keys = listed["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1, "the create was committed: {listed}");
    assert_eq!(keys[0]["description"], "committed");
    let saved = std::fs::read_to_string(&state_file).expect("state file written");
    assert!(saved.contains("committed"));
    let _ = std::fs::remove_file(&state_file);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_per_credential() {
    let emu = start(Config {
        rate_limit_per_minute: 3,
        ..Config::default()
    })
    .await;
    let client = client();
    for _ in 0..3 {
        assert_eq!(outcome(&client, &emu.base).await, "200");
    }
    let limited = client
        .get(keys_url(&emu.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("numeric Retry-After");
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    // Another credential has its own budget; introspection has none.
    let other = client
        .get(keys_url(&emu.base))
        .bearer_auth("another-token")
        .send()
        .await
        .expect("request");
    assert_eq!(other.status(), 200);
    for _ in 0..5 {
        get_json(&client, &format!("{}/_emulator/state", emu.base)).await;
    }
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let state_file = temp_path("restart");
    let config = Config {
        state_file: Some(state_file.clone()),
        ..Config::default()
    };
    let client = client();
    let id = {
        let emu = start(config.clone()).await;
        let created = create_key(&client, &emu.base, "persisted").await;
        created["id"].as_str().expect("id").to_string()
    };
    let emu = start(config.clone()).await;
    let key = get_json_with_token(&client, &format!("{}/{id}", keys_url(&emu.base))).await;
    assert_eq!(key["description"], "persisted");
    assert_eq!(key["invalid"], false);
    assert!(key.get("key").is_none(), "the secret is never served again");

    std::fs::write(&state_file, "{ not json").expect("corrupt the file");
    assert!(
        Emulator::load(config).is_err(),
        "a corrupt state file is an error"
    );
    let _ = std::fs::remove_file(&state_file);
}

/// Kills the child when the test ends, pass or fail.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_one_json_line_with_base_urls() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_paasform-emulator"))
            .args(["--listen", "127.0.0.1:0", "--seed", "5"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the binary"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    })
    .await
    .expect("reader task")
    .expect("read the first line");
    let urls: Value = serde_json::from_str(line.trim()).expect("one JSON line");
    let addr = urls["addr"].as_str().expect("addr");
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );
    let root = format!("http://{addr}");
    assert_eq!(urls["render"], format!("{root}/render/v1"));
    assert_eq!(urls["railway"], format!("{root}/railway/graphql/v2"));
    assert_eq!(urls["vercel"], format!("{root}/vercel"));
    assert_eq!(urls["tailscale"], format!("{root}/tailscale"));
    assert_eq!(urls["cloudflare"], format!("{root}/cloudflare/client/v4"));
    let health = client()
        .get(format!("{root}/_emulator/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
}

#[test]
fn binary_rejects_bad_flags_with_exit_code_2() {
    for args in [
        vec!["--listen", "127.0.0.1:0", "--bogus"],
        vec!["--listen", "127.0.0.1:0", "--fault-rate", "1.5"],
        vec!["--listen", "127.0.0.1:0", "--seed", "-1"],
        vec!["--listen", "not-an-address"],
        vec!["--latency-ms"],
        vec![],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_paasform-emulator"))
            .args(&args)
            .output()
            .expect("run the binary");
        assert_eq!(output.status.code(), Some(2), "args {args:?}");
        assert!(output.stdout.is_empty(), "nothing on stdout for {args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("paasform-emulator:"), "{stderr}");
    }
    let help = Command::new(env!("CARGO_BIN_EXE_paasform-emulator"))
        .arg("--help")
        .output()
        .expect("run --help");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--rate-limit-per-minute"));
}
