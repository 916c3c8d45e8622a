//! Benchmark 2: wall time of `apply` (create N), `plan` (refresh N, no changes) and `destroy` for
//! N resources of the realistic mix against the emulator at each injected latency, beside N
//! `terraform_data` resources (the floor: Terraform doing no provider work). Terraform runs at
//! its default parallelism (10) through the acceptance harness's `Workspace` (dev_overrides).
//! Imports `configs`, `stats`, `table` and the harness.

use std::time::{Duration, Instant};

use paasform_acceptance_tests::{Emulator, Workspace};

use crate::configs;
use crate::cpu;
use crate::stats::{ratio, secs, summarize, Summary};
use crate::table::Table;

/// Emulator flags that take Render's simulated rollouts out of the measurement (the bench
/// measures the provider, not a deploy timer; `wait_for_deploy` is off in the mix anyway).
pub const FAST_RENDER: [&str; 4] = ["--render-deploy-ms", "0", "--render-db-ready-ms", "0"];

/// What to run.
pub struct Plan {
    pub sizes: Vec<usize>,
    pub latencies_ms: Vec<u64>,
    /// Repetitions per cell for N below `large`.
    pub repeat: usize,
    /// From this N on, each cell runs once.
    pub large: usize,
}

/// The emulator's process name, for its CPU time.
const EMULATOR: &str = "paasform-emulator";
/// The CLI's process name (`terraform` or `tofu`), for its own CPU time.
const TERRAFORM: &str = "terraform";

/// Picks one summary out of a result.
pub type Pick<T> = fn(&T) -> Option<Summary>;

/// CPU of one command: phase, wall time, (Terraform with its reaped providers, of which the
/// providers), and the emulator.
pub type CpuUse = (
    &'static str,
    Duration,
    Option<(Duration, Option<Duration>)>,
    Option<Duration>,
);

/// Timings of one cell: one N, floor or mix at one latency.
pub struct Cell {
    pub n: usize,
    /// `None` for the floor.
    pub latency_ms: Option<u64>,
    pub apply: Option<Summary>,
    pub plan: Option<Summary>,
    pub destroy: Option<Summary>,
    /// Last round, per phase.
    pub cpu: Vec<CpuUse>,
    pub notes: Vec<String>,
}

/// Runs every cell, printing progress on stderr.
pub fn run(plan: &Plan) -> Vec<Cell> {
    let mut cells = Vec::new();
    for &n in &plan.sizes {
        let repeat = if n >= plan.large {
            1
        } else {
            plan.repeat.max(1)
        };
        eprintln!("bench: N = {n}: floor ({repeat}×)");
        cells.push(measure(n, None, repeat));
        for &latency in &plan.latencies_ms {
            eprintln!("bench: N = {n}: mix at {latency} ms ({repeat}×)");
            cells.push(measure(n, Some(latency), repeat));
        }
    }
    cells
}

fn measure(n: usize, latency_ms: Option<u64>, repeat: usize) -> Cell {
    let latency = latency_ms.map(|l| l.to_string());
    let emulator = latency.as_deref().map(|l| {
        let mut args = vec!["--latency-ms", l];
        args.extend(FAST_RENDER);
        Emulator::start(&args)
    });
    let name = match latency_ms {
        Some(l) => format!("bench-mix-{n}-{l}ms"),
        None => format!("bench-floor-{n}"),
    };
    let mut ws = Workspace::new(&name);
    if let Some(emulator) = &emulator {
        ws = ws.with_emulator(emulator);
    }
    ws.write_file(
        "main.tf",
        &if latency_ms.is_some() {
            configs::mix(n)
        } else {
            configs::floor(n)
        },
    );
    let (mut apply, mut plan, mut destroy, mut notes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut cpu_use = Vec::new();
    for round in 0..repeat {
        let mut step = |args: &[&str], ok: &[i32], what: &'static str, notes: &mut Vec<String>| {
            let (tf0, emu0) = (cpu::reaped_children(), cpu::running_child(EMULATOR));
            let sampler = cpu::SelfCpuSampler::start(TERRAFORM);
            let start = Instant::now();
            let out = ws.run(args);
            let took = start.elapsed();
            let tf_self = sampler.finish();
            let tf = tf0
                .zip(cpu::reaped_children())
                .map(|(a, b)| b.saturating_sub(a))
                .map(|total| (total, tf_self.map(|own| total.saturating_sub(own))));
            let emu = emu0
                .zip(cpu::running_child(EMULATOR))
                .map(|(a, b)| b.saturating_sub(a));
            if round + 1 == repeat {
                cpu_use.push((what, took, tf, emu));
            }
            match out.code {
                Some(code) if ok.contains(&code) => Some((took, code)),
                _ => {
                    notes.push(format!(
                        "{what} failed (round {round}): {}",
                        tail(&out.combined())
                    ));
                    None
                }
            }
        };
        let applied = step(
            &["apply", "-auto-approve", "-input=false"],
            &[0],
            "apply",
            &mut notes,
        );
        let Some((took, _)) = applied else { break };
        apply.push(took);
        if let Some((took, code)) = step(
            &["plan", "-detailed-exitcode", "-input=false"],
            &[0, 2],
            "plan",
            &mut notes,
        ) {
            plan.push(took);
            if code == 2 {
                notes.push(format!("plan after apply was not empty (round {round})"));
            }
        }
        match step(
            &["destroy", "-auto-approve", "-input=false"],
            &[0],
            "destroy",
            &mut notes,
        ) {
            Some((took, _)) => destroy.push(took),
            None => break,
        }
        if let Some(emulator) = &emulator {
            let left = emulator.leftovers();
            if !left.is_empty() {
                notes.push(format!("{} objects left after destroy", left.len()));
                break;
            }
        }
    }
    Cell {
        n,
        latency_ms,
        apply: summarize(&apply),
        plan: summarize(&plan),
        destroy: summarize(&destroy),
        cpu: cpu_use,
        notes,
    }
}

/// The last lines of a failed command's output, for the report.
fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join(" / ")
}

/// Three tables (plan, apply, destroy): per N, the floor, then each latency with its ratio.
pub fn report(plan: &Plan, cells: &[Cell]) -> String {
    let mut out = String::new();
    let phases: [(&str, Pick<Cell>); 3] = [
        ("plan (refresh N, no changes)", |c| c.plan),
        ("apply (create N)", |c| c.apply),
        ("destroy (N)", |c| c.destroy),
    ];
    for (title, get) in phases {
        let mut header = vec!["N".to_string(), "floor s".to_string()];
        for l in &plan.latencies_ms {
            header.push(format!("mix @ {l} ms s"));
            header.push("× floor".to_string());
        }
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = Table::new(&header_refs);
        for &n in &plan.sizes {
            let floor = find(cells, n, None).and_then(get).map(|s| s.median);
            let mut row = vec![n.to_string(), floor.map_or("–".into(), secs)];
            for &l in &plan.latencies_ms {
                let mix = find(cells, n, Some(l)).and_then(get).map(|s| s.median);
                row.push(mix.map_or("–".into(), secs));
                row.push(match (mix, floor) {
                    (Some(m), Some(f)) => ratio(m.as_secs_f64(), f.as_secs_f64()),
                    _ => "–".into(),
                });
            }
            table.row(row);
        }
        out.push_str(&format!(
            "\n**{title}**, median wall time\n\n{}",
            table.render()
        ));
    }
    let runs: Vec<String> = plan
        .sizes
        .iter()
        .map(|&n| {
            format!(
                "N = {n}: {}×",
                if n >= plan.large {
                    1
                } else {
                    plan.repeat.max(1)
                }
            )
        })
        .collect();
    out.push_str(&format!("\nRuns per cell: {}.\n", runs.join(", ")));
    for cell in cells.iter().filter(|c| !c.notes.is_empty()) {
        let what = cell
            .latency_ms
            .map_or("floor".to_string(), |l| format!("mix @ {l} ms"));
        out.push_str(&format!(
            "- N = {} {what}: {}\n",
            cell.n,
            cell.notes.join("; ")
        ));
    }
    out.push_str(&cpu_report(plan, cells));
    if let Some(&n) = plan.sizes.iter().max() {
        let floor = find(cells, n, None).and_then(|c| c.plan).map(|s| s.median);
        let mix = find(cells, n, Some(0))
            .and_then(|c| c.plan)
            .map(|s| s.median);
        if let (Some(f), Some(m)) = (floor, mix) {
            let r = m.as_secs_f64() / f.as_secs_f64().max(f64::MIN_POSITIVE);
            let verdict = if r <= 1.5 { "met" } else { "**missed**" };
            out.push_str(&format!(
                "\nTarget: plan at 0 ms ≤ 1.5× the floor at N = {n}: {r:.2}× — {verdict}.\n"
            ));
        }
    }
    out
}

/// Where the time of the largest N went: CPU of Terraform, of its providers, and of the emulator.
fn cpu_report(plan: &Plan, cells: &[Cell]) -> String {
    let Some(&n) = plan.sizes.iter().max() else {
        return String::new();
    };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get()) as f64;
    let mut table = Table::new(&[
        "run",
        "phase",
        "wall s",
        "CPU s: Terraform + providers",
        "of which providers",
        "CPU s: emulator",
        "CPU / (wall × cores)",
    ]);
    for cell in cells.iter().filter(|c| c.n == n) {
        let what = cell
            .latency_ms
            .map_or("floor".to_string(), |l| format!("mix @ {l} ms"));
        for (phase, wall, tf, emu) in &cell.cpu {
            let busy = tf.map(|t| t.0).unwrap_or_default() + emu.unwrap_or_default();
            table.row(vec![
                what.clone(),
                phase.to_string(),
                secs(*wall),
                tf.map_or("–".into(), |t| secs(t.0)),
                tf.and_then(|t| t.1).map_or("–".into(), secs),
                emu.map_or("–".into(), secs),
                format!(
                    "{:.0} %",
                    100.0 * busy.as_secs_f64()
                        / (wall.as_secs_f64() * cores).max(f64::MIN_POSITIVE)
                ),
            ]);
        }
    }
    format!(
        "\n**CPU at N = {n}** (last round, from `/proc`: Terraform's figure includes the provider processes it \
         started and reaped; the providers' share is that minus Terraform's own CPU, sampled every {} ms)\n\n{}",
        cpu::SAMPLE_EVERY.as_millis(),
        table.render()
    )
}

fn find(cells: &[Cell], n: usize, latency_ms: Option<u64>) -> Option<&Cell> {
    cells
        .iter()
        .find(|c| c.n == n && c.latency_ms == latency_ms)
}
