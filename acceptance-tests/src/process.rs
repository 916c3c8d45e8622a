//! Running a child process to completion with captured output and a time limit, and the
//! [`Output`] it yields (whose assertion messages always show stdout and stderr). Owns process
//! plumbing only; knows nothing about Terraform or the emulator.

use std::fmt;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a finished command printed and how it exited.
#[derive(Clone, Debug)]
pub struct Output {
    /// The command line, for messages.
    pub command: String,
    /// Exit code; `None` when killed by a signal or by the time limit.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Exit code 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// stdout followed by stderr: handy for `contains` checks on diagnostics, which Terraform
    /// splits between the two.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Panics, showing everything the command printed, unless it exited 0.
    #[track_caller]
    pub fn assert_success(self) -> Self {
        if !self.success() {
            panic!("command failed\n{self}");
        }
        self
    }

    /// Panics, showing everything the command printed, unless it exited with an error code.
    #[track_caller]
    pub fn assert_failure(self) -> Self {
        if self.success() || self.code.is_none() {
            panic!("command was expected to fail with an exit code\n{self}");
        }
        self
    }

    /// Panics unless the combined output contains `needle` (showing the output).
    #[track_caller]
    pub fn assert_contains(self, needle: &str) -> Self {
        if !self.combined().contains(needle) {
            panic!("output does not contain {needle:?}\n{self}");
        }
        self
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self
            .code
            .map_or_else(|| "killed".to_string(), |c| c.to_string());
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "exit code: {code}")?;
        writeln!(f, "--- stdout ---\n{}", self.stdout.trim_end())?;
        write!(f, "--- stderr ---\n{}", self.stderr.trim_end())
    }
}

/// Runs `cmd` with stdin closed and stdout/stderr captured; kills it after `limit`.
/// `label` names the command in messages.
pub fn run(cmd: &mut Command, label: String, limit: Duration) -> Result<Output, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{label}`: {e}"))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let code = wait_until(&mut child, limit).map_err(|e| format!("waiting for `{label}`: {e}"))?;
    let mut stderr = join(stderr);
    if code.is_err() {
        stderr.push_str(&format!("\n[harness: killed after {limit:?}]"));
    }
    Ok(Output {
        command: label,
        code: code.unwrap_or(None),
        stdout: join(stdout),
        stderr,
    })
}

/// `Ok(code)` when the child exits in time, `Err(())` when it had to be killed.
fn wait_until(child: &mut Child, limit: Duration) -> std::io::Result<Result<Option<i32>, ()>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ok(status.code()));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Err(()));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads a pipe to its end on a thread (so a chatty child never blocks on a full pipe).
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> Option<JoinHandle<String>> {
    let mut pipe = pipe?;
    Some(std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }))
}

fn join(handle: Option<JoinHandle<String>>) -> String {
    handle.and_then(|h| h.join().ok()).unwrap_or_default()
}

/// The time limit for one Terraform or build command: `PAASFORM_CMD_TIMEOUT_SECS`, default 600 s.
/// A generous guard so a wedged provider fails the test instead of hanging CI; never an assertion.
pub fn command_time_limit() -> Duration {
    let secs = std::env::var("PAASFORM_CMD_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(600);
    Duration::from_secs(secs)
}
