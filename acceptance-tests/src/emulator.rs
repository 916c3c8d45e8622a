//! A running `paasform-emulator` process for one test: started on an ephemeral port, introspected
//! through `/_emulator/*`, killed on drop. Also the provider environment that points every vendor
//! at it. Imports `binaries`, `http` and `leftovers`; never the emulator crate itself (the tier
//! talks to the real binary, as Terraform's provider does).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::binaries::emulator_binary;
use crate::{http, leftovers, paths};

/// Token the harness gives the provider for every vendor unless the emulator was started with
/// `--token T` (then `T`).
pub const TEST_TOKEN: &str = "test-token";
/// Cloudflare account id the harness gives the provider (the shape of a real one: 32 hex digits).
pub const TEST_ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// How long the emulator may take to print its address line.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running emulator; killed when dropped.
pub struct Emulator {
    child: Child,
    /// Bound address, e.g. `127.0.0.1:41234`.
    pub addr: SocketAddr,
    /// Base URL of each vendor API as printed by the emulator: keys `render`, `railway`,
    /// `vercel`, `tailscale`, `cloudflare`.
    pub urls: BTreeMap<String, String>,
    token: String,
    log: PathBuf,
}

impl Emulator {
    /// Starts the emulator with extra flags (e.g. `&["--latency-ms", "20"]`); `--listen
    /// 127.0.0.1:0` is added. Panics (showing the emulator's stderr) when it does not come up.
    #[track_caller]
    pub fn start(args: &[&str]) -> Emulator {
        match Self::try_start(args) {
            Ok(emulator) => emulator,
            Err(message) => panic!("the emulator did not start: {message}"),
        }
    }

    fn try_start(args: &[&str]) -> Result<Emulator, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let binary = emulator_binary(); // may build (or panic) before any file is created
        let dir = paths::target_dir().join("acc-tmp");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let log = dir.join(format!("emulator-{}-{n}.log", std::process::id()));
        let log_file =
            std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let spawned = Command::new(binary)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                let _ = std::fs::remove_file(&log);
                return Err(format!("cannot run {}: {e}", binary.display()));
            }
        };
        let first_line = read_first_line(&mut child);
        let parsed = first_line.and_then(|line| parse_address_line(&line));
        let (addr, urls) = match parsed {
            Ok(found) => found,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = std::fs::read_to_string(&log).unwrap_or_default();
                let _ = std::fs::remove_file(&log);
                return Err(format!("{e}\n--- emulator stderr ---\n{stderr}"));
            }
        };
        let token = flag_value(args, "--token")
            .unwrap_or(TEST_TOKEN)
            .to_string();
        Ok(Emulator {
            child,
            addr,
            urls,
            token,
            log,
        })
    }

    /// The whole world: `{"tailscale":{…},"render":{…},"railway":{…},"vercel":{…},"r2":{…}}`.
    #[track_caller]
    pub fn state(&self) -> Value {
        self.get_json("/_emulator/state")
    }

    /// Requests served so far, `{"METHOD /route": count}`.
    #[track_caller]
    pub fn requests(&self) -> BTreeMap<String, u64> {
        let json = self.get_json("/_emulator/requests");
        serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("unexpected /_emulator/requests body ({e}): {json}"))
    }

    /// How many times `route` (e.g. `"GET /render/v1/services/{serviceId}"`) was called.
    #[track_caller]
    pub fn request_count(&self, route: &str) -> u64 {
        self.requests().get(route).copied().unwrap_or(0)
    }

    /// Forgets the request counters.
    #[track_caller]
    pub fn reset_requests(&self) {
        self.call("DELETE", "/_emulator/requests");
    }

    /// How many requests the emulator refused with 429 for its `--rate-limit-per-minute`.
    #[track_caller]
    pub fn rate_limited(&self) -> u64 {
        self.get_json("/_emulator/rate-limited")["count"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Paths of objects still in the world (see `leftovers` for the rule); empty when clean.
    #[track_caller]
    pub fn leftovers(&self) -> Vec<String> {
        leftovers::leftovers(&self.state())
    }

    /// True when no vendor holds any object (see `leftovers` for the exact rule).
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        self.leftovers().is_empty()
    }

    /// Panics, listing what is left and the full state, unless the world is empty.
    #[track_caller]
    pub fn assert_empty(&self) {
        let state = self.state();
        let left = leftovers::leftovers(&state);
        if !left.is_empty() {
            let pretty = serde_json::to_string_pretty(&state).unwrap_or_default();
            panic!("the emulator still holds {left:?}\n--- state ---\n{pretty}");
        }
    }

    /// Provider settings pointing every vendor at this emulator, as environment variables.
    pub fn env(&self) -> Vec<(String, String)> {
        let url = |vendor: &str| self.urls.get(vendor).cloned().unwrap_or_default();
        let token = self.token.clone();
        [
            ("TAILSCALE_API_KEY", token.clone()),
            ("TAILSCALE_BASE_URL", url("tailscale")),
            ("RENDER_API_KEY", token.clone()),
            ("RENDER_BASE_URL", url("render")),
            ("RAILWAY_TOKEN", token.clone()),
            ("RAILWAY_BASE_URL", url("railway")),
            ("VERCEL_API_TOKEN", token.clone()),
            ("VERCEL_BASE_URL", url("vercel")),
            ("CLOUDFLARE_API_TOKEN", token),
            ("CLOUDFLARE_ACCOUNT_ID", TEST_ACCOUNT_ID.to_string()),
            ("CLOUDFLARE_BASE_URL", url("cloudflare")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// What the emulator wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    #[track_caller]
    fn get_json(&self, path: &str) -> Value {
        let body = self.call("GET", path);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"))
    }

    #[track_caller]
    fn call(&self, method: &str, path: &str) -> String {
        match http::request(self.addr, method, path) {
            Ok(r) if (200..300).contains(&r.status) => r.body,
            Ok(r) => panic!("{method} {path} answered {}: {}", r.status, r.body),
            Err(e) => panic!("{e}\n--- emulator stderr ---\n{}", self.log()),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !(std::thread::panicking() && crate::workspace::keep_tmp()) {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// Reads the child's first stdout line on a thread, giving up after [`START_TIMEOUT`].
fn read_first_line(child: &mut Child) -> Result<String, String> {
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let result = reader.read_line(&mut line).map(|_| line);
        let _ = tx.send(result);
        // Keep the pipe open (and drained) for the emulator's lifetime.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    match rx.recv_timeout(START_TIMEOUT) {
        Ok(Ok(line)) if !line.trim().is_empty() => Ok(line),
        Ok(Ok(_)) => Err("it exited without printing its address".into()),
        Ok(Err(e)) => Err(format!("reading its stdout: {e}")),
        Err(_) => Err(format!("no address line within {START_TIMEOUT:?}")),
    }
}

/// Parses `{"addr":"127.0.0.1:PORT","render":"http://…",…}`.
fn parse_address_line(line: &str) -> Result<(SocketAddr, BTreeMap<String, String>), String> {
    let json: Value = serde_json::from_str(line)
        .map_err(|e| format!("address line is not JSON ({e}): {line}"))?;
    let addr = json
        .get("addr")
        .and_then(Value::as_str)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("address line has no usable \"addr\": {line}"))?;
    let urls = json
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "addr")
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    Ok((addr, urls))
}

/// The value after `flag` in `args` (`--flag v` or `--flag=v`).
fn flag_value<'a>(args: &[&'a str], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if *arg == flag {
            args.get(i + 1).copied()
        } else {
            arg.strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_address_line() {
        let line = r#"{"addr":"127.0.0.1:4000","render":"http://127.0.0.1:4000/render/v1"}"#;
        let (addr, urls) = parse_address_line(line).expect("parses");
        assert_eq!(addr.port(), 4000);
        assert_eq!(urls["render"], "http://127.0.0.1:4000/render/v1");
        assert!(parse_address_line("listening").is_err());
    }

    #[test]
    fn finds_flag_values_in_both_spellings() {
        assert_eq!(flag_value(&["--token", "t1"], "--token"), Some("t1"));
        assert_eq!(
            flag_value(&["--seed=3", "--token=t2"], "--token"),
            Some("t2")
        );
        assert_eq!(flag_value(&["--tokens=x"], "--token"), None);
    }
}
