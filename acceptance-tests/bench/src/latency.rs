//! Benchmark 4 (issue 16): what users feel at real API latency. The issue's stack — 10
//! `render_service` (env vars, a secret file, a custom domain), 5 `r2_bucket` (CORS, lifecycle)
//! and 5 `vercel_project` (env) — runs apply, plan (refresh, no changes) and destroy against the
//! emulator at 0 ms and at each latency; the difference divided by the latency is the number of
//! round trips on the critical path, shown beside the floor. Then each example architecture
//! (examples/architectures/<name>, `-var-file=demo.tfvars`, installed through the mirror as a
//! user would) the same way. Imports `configs`, `scale` (emulator flags), `table` and the harness.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use paasform_acceptance_tests::{workspace_root, Emulator, Workspace};

use crate::configs::Kind;
use crate::scale::FAST_RENDER;
use crate::table::Table;

/// The phases timed, in order.
const PHASES: [&str; 3] = ["apply", "plan", "destroy"];

/// Round trips a perfect provider needs for the stack at Terraform's parallelism of 10: plan =
/// configure + two waves of ten objects with one concurrent read each; apply = configure + two
/// waves of (create + one concurrent wave of follow-up calls); destroy = two waves of one delete.
const STACK_FLOOR: [(&str, u32); 3] = [("apply", 5), ("plan", 3), ("destroy", 2)];

/// One run of one subject at one latency: wall time and request count per phase.
struct Run {
    phases: Vec<(&'static str, Option<Duration>, u64)>,
    notes: Vec<String>,
}

/// The issue's stack as HCL.
fn stack() -> String {
    let mut out = String::from(
        "terraform {\n  required_providers {\n    render = { source = \"paasform/render\" }\n    r2 = { source = \"paasform/r2\" }\n    vercel = { source = \"paasform/vercel\" }\n  }\n}\n\n",
    );
    for (kind, n) in [
        (Kind::RenderService, 10),
        (Kind::R2Bucket, 5),
        (Kind::VercelProject, 5),
    ] {
        for i in 0..n {
            out.push_str(&kind.block(i, 0));
        }
    }
    out
}

/// The example architectures, by directory name.
fn architectures() -> Vec<(String, PathBuf)> {
    let dir = workspace_root().join("examples").join("architectures");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().join("demo.tfvars").exists())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Runs apply → plan → destroy once in a fresh emulator at `latency_ms`.
fn measure(name: &str, latency_ms: u64, module: Option<&PathBuf>) -> Run {
    let latency = latency_ms.to_string();
    let mut flags = vec!["--latency-ms", latency.as_str()];
    flags.extend(FAST_RENDER);
    let emulator = Emulator::start(&flags);
    let label = format!("bench-latency-{name}-{latency_ms}ms");
    let (ws, var_file) = match module {
        Some(dir) => {
            let ws = Workspace::with_mirror(&label).with_emulator(&emulator);
            ws.copy_module(dir);
            (ws, Some("-var-file=demo.tfvars"))
        }
        None => {
            let ws = Workspace::new(&label).with_emulator(&emulator);
            ws.write_file("main.tf", &stack());
            (ws, None)
        }
    };
    let mut notes = Vec::new();
    if module.is_some() {
        let init = ws.run(&["init", "-input=false"]);
        if !init.success() {
            notes.push(format!("init failed: {}", last_line(&init.combined())));
            return Run {
                phases: Vec::new(),
                notes,
            };
        }
    }
    let mut phases = Vec::new();
    for phase in PHASES {
        let mut args: Vec<&str> = match phase {
            "apply" => vec!["apply", "-auto-approve", "-input=false"],
            "plan" => vec!["plan", "-detailed-exitcode", "-input=false"],
            _ => vec!["destroy", "-auto-approve", "-input=false"],
        };
        args.extend(var_file);
        emulator.reset_requests();
        let started = Instant::now();
        let out = ws.run(&args);
        let took = started.elapsed();
        let requests = emulator.requests().values().sum();
        let ok = match phase {
            "plan" => out.code == Some(0),
            _ => out.success(),
        };
        if !ok {
            notes.push(format!(
                "{phase} at {latency_ms} ms: exit {:?}: {}",
                out.code,
                last_line(&out.combined())
            ));
        }
        phases.push((phase, ok.then_some(took), requests));
        if !ok && phase == "apply" {
            break;
        }
    }
    if !emulator.is_empty() {
        notes.push(format!(
            "{} objects left after destroy at {latency_ms} ms",
            emulator.leftovers().len()
        ));
    }
    Run { phases, notes }
}

fn last_line(output: &str) -> String {
    output
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn cell(run: &Run, phase: &str) -> Option<(Duration, u64)> {
    run.phases
        .iter()
        .find(|(p, _, _)| *p == phase)
        .and_then(|(_, t, n)| t.map(|t| (t, *n)))
}

/// One table row per phase: time at 0 ms, at `latency_ms`, the round trips on the critical path
/// ((t − t₀) / latency), the floor where one is known, and the requests sent.
fn rows(
    table: &mut Table,
    subject: &str,
    base: &Run,
    slow: &Run,
    latency_ms: u64,
    floor: &[(&str, u32)],
) {
    for phase in PHASES {
        let (Some((t0, _)), Some((t1, n))) = (cell(base, phase), cell(slow, phase)) else {
            table.row(vec![subject.into(), phase.into(), "failed".into()]);
            continue;
        };
        let trips = (t1.as_secs_f64() - t0.as_secs_f64()) / (latency_ms as f64 / 1000.0);
        let floor = floor
            .iter()
            .find(|(p, _)| *p == phase)
            .map_or("–".to_string(), |(_, f)| f.to_string());
        table.row(vec![
            subject.into(),
            phase.into(),
            format!("{:.1}", t0.as_secs_f64()),
            format!("{:.1}", t1.as_secs_f64()),
            format!("{trips:.1}"),
            floor,
            n.to_string(),
        ]);
    }
}

/// The section's Markdown: the stack at each latency, then the architectures at the first
/// non-zero latency.
pub fn run(latencies_ms: &[u64]) -> String {
    let slow: Vec<u64> = latencies_ms.iter().copied().filter(|l| *l > 0).collect();
    let slow = if slow.is_empty() { vec![150] } else { slow };
    let mut out = String::new();
    let mut notes = Vec::new();
    eprintln!("bench: latency: the stack at 0 ms");
    let base = measure("stack", 0, None);
    notes.extend(base.notes.iter().cloned());
    for &latency in &slow {
        eprintln!("bench: latency: the stack at {latency} ms");
        let run = measure("stack", latency, None);
        notes.extend(run.notes.iter().cloned());
        let mut table = Table::new(&[
            "subject",
            "phase",
            "0 ms s",
            &format!("{latency} ms s"),
            "round trips",
            "floor",
            "requests",
        ]);
        rows(
            &mut table,
            "10 render_service + 5 r2_bucket + 5 vercel_project",
            &base,
            &run,
            latency,
            &STACK_FLOOR,
        );
        out.push_str(&format!(
            "#### The issue-16 stack at {latency} ms per request\n\n"
        ));
        out.push_str(&table.render());
        out.push('\n');
    }
    let latency = slow[0];
    let mut table = Table::new(&[
        "architecture",
        "phase",
        "0 ms s",
        &format!("{latency} ms s"),
        "round trips",
        "floor",
        "requests",
    ]);
    for (name, dir) in architectures() {
        eprintln!("bench: latency: architecture {name} at 0 and {latency} ms");
        let base = measure(&name, 0, Some(&dir));
        let run = measure(&name, latency, Some(&dir));
        notes.extend(
            base.notes
                .iter()
                .chain(&run.notes)
                .map(|n| format!("{name}: {n}")),
        );
        rows(&mut table, &name, &base, &run, latency, &[]);
    }
    out.push_str(&format!(
        "#### Each architecture at {latency} ms per request\n\n"
    ));
    out.push_str(&table.render());
    out.push('\n');
    out.push_str(&rate_limit(300));
    out.push_str("\nRound trips = (wall time at the latency − wall time at 0 ms) / latency: the requests on the critical path. Terraform refreshes and applies ten objects at a time.\n");
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in notes {
            out.push_str(&format!("- {n}\n"));
        }
    }
    out
}

/// Render's documented limit for reads (GET requests per minute per API key); the emulator
/// applies it to every request of the credential, which is stricter.
const RENDER_LIMIT_PER_MINUTE: &str = "400";

/// `n` Render env groups, each with one variable: the cheapest Render object to refresh.
fn render_groups(n: usize) -> String {
    let mut out = String::from(
        "terraform {\n  required_providers {\n    render = { source = \"paasform/render\" }\n  }\n}\n\n",
    );
    for i in 0..n {
        out.push_str(&format!(
            "resource \"render_env_group\" \"g{i}\" {{\n  name     = \"bench-group-{i}\"\n  env_vars = {{ LOG_LEVEL = {{ value = \"info\" }} }}\n}}\n"
        ));
    }
    out
}

/// A plan (and the apply and destroy around it) of `n` Render objects against the emulator
/// rate-limited at Render's documented limit: wall time, requests, and 429s (the target is none).
pub fn rate_limit(n: usize) -> String {
    eprintln!("bench: latency: {n} Render objects at {RENDER_LIMIT_PER_MINUTE} requests a minute");
    let mut flags = vec!["--rate-limit-per-minute", RENDER_LIMIT_PER_MINUTE];
    flags.extend(FAST_RENDER);
    let emulator = Emulator::start(&flags);
    let ws = Workspace::new(&format!("bench-rate-{n}")).with_emulator(&emulator);
    ws.write_file("main.tf", &render_groups(n));
    let mut table = Table::new(&["phase", "wall s", "requests", "429 answers"]);
    for phase in PHASES {
        let args: Vec<&str> = match phase {
            "apply" => vec!["apply", "-auto-approve", "-input=false"],
            "plan" => vec!["plan", "-detailed-exitcode", "-input=false"],
            _ => vec!["destroy", "-auto-approve", "-input=false"],
        };
        emulator.reset_requests();
        let before = emulator.rate_limited();
        let started = Instant::now();
        let out = ws.run(&args);
        let took = started.elapsed();
        let ok = if phase == "plan" {
            out.code == Some(0)
        } else {
            out.success()
        };
        let requests: u64 = emulator.requests().values().sum();
        table.row(vec![
            phase.into(),
            if ok {
                format!("{:.1}", took.as_secs_f64())
            } else {
                format!("failed: {}", last_line(&out.combined()))
            },
            requests.to_string(),
            (emulator.rate_limited() - before).to_string(),
        ]);
        if !ok && phase == "apply" {
            break;
        }
    }
    format!(
        "#### {n} `render_env_group` under Render's rate limit ({RENDER_LIMIT_PER_MINUTE} requests a minute)\n\n{}",
        table.render()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_is_the_issues_twenty_objects() {
        let hcl = stack();
        assert_eq!(hcl.matches("resource \"render_service\"").count(), 10);
        assert_eq!(hcl.matches("resource \"r2_bucket\"").count(), 5);
        assert_eq!(hcl.matches("resource \"vercel_project\"").count(), 5);
    }
}
