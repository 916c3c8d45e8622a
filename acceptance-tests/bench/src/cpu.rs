//! CPU time from `/proc`, to tell where a Terraform run's time goes on a small machine: the CPU
//! of finished children (Terraform, and through it the provider processes it reaped) and the CPU
//! of the running emulator (a child of this process). Linux only; `None` elsewhere. Imports
//! nothing from the rest of the bench.

use std::time::Duration;

/// Clock ticks per second of `/proc/*/stat` (USER_HZ, 100 on every Linux we run on).
const TICKS_PER_SECOND: u64 = 100;

/// The fields after `comm` of `/proc/<pid>/stat` (index 0 is field 3, `state`).
fn stat_fields(pid: &str) -> Option<(String, Vec<u64>)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_string();
    let rest = stat.get(close + 1..)?;
    // `state` is a letter: keep it as 0 so the indices stay aligned.
    let fields = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    Some((comm, fields))
}

fn ticks(n: u64) -> Duration {
    Duration::from_millis(n * 1000 / TICKS_PER_SECOND)
}

/// User + system CPU of this process's children that have been waited for (`cutime + cstime`).
pub fn reaped_children() -> Option<Duration> {
    let (_, f) = stat_fields("self")?;
    Some(ticks(f.get(13)? + f.get(14)?))
}

/// User + system CPU of the running child whose command name starts with `name` (first found).
pub fn running_child(name: &str) -> Option<Duration> {
    let me = u64::from(std::process::id());
    let entries = std::fs::read_dir("/proc").ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| stat_fields(&pid))
        // `comm` is cut to 15 bytes.
        .find(|(comm, f)| {
            f.get(1) == Some(&me)
                && comm.len() >= name.len().min(15)
                && name.starts_with(comm.as_str())
        })
        .and_then(|(_, f)| Some(ticks(f.get(11)? + f.get(12)?)))
}

/// Polls the own CPU (`utime + stime`, without its children) of a child process by name while a
/// command runs, so a run's CPU can be split into the child itself and the grandchildren it
/// reaped. The last sample is at most [`SAMPLE_EVERY`] old when the child exits.
pub struct SelfCpuSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Option<Duration>>,
}

/// Polling period of [`SelfCpuSampler`].
pub const SAMPLE_EVERY: Duration = Duration::from_millis(5);

impl SelfCpuSampler {
    pub fn start(name: &'static str) -> SelfCpuSampler {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut last = None;
            while !flag.load(Ordering::Relaxed) {
                if let Some(cpu) = running_child(name) {
                    last = Some(cpu);
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
            last
        });
        SelfCpuSampler { stop, handle }
    }

    /// The last own-CPU figure seen, if the child was ever found.
    pub fn finish(self) -> Option<Duration> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_and_finds_a_running_child() {
        assert!(reaped_children().is_some());
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep");
        let found = running_child("sleep");
        let _ = child.kill();
        let _ = child.wait();
        assert!(found.is_some(), "the sleep child is found by name");
        assert!(running_child("no-such-child-process").is_none());
    }
}
