//! Benchmark 3: HTTP requests per resource for create, refresh (plan), update and delete, as the
//! emulator's `/_emulator/requests` counts them per route. Each type runs twice, with 1 and with 2
//! resources in fresh emulators: the difference is the per-resource cost, the rest the per-run
//! cost (provider configuration, a shared Railway project). Create, update and delete run with
//! `-refresh=false` so each phase counts only its own calls; refresh is counted by `plan`.
//! Also counts GetProviderSchema calls per plan from Terraform's trace log. Imports `configs`,
//! `scale` (emulator flags), `table` and the harness.

use std::collections::BTreeMap;

use paasform_acceptance_tests::{Emulator, Workspace};

use crate::configs::{self, Kind, KINDS};
use crate::scale::FAST_RENDER;
use crate::table::Table;

/// Request counts per route.
pub type Counts = BTreeMap<String, i64>;

/// The phases counted, in order.
pub const PHASES: [&str; 4] = ["create", "refresh", "update", "delete"];

/// The counts of one kind: per phase, per resource and per run.
pub struct KindCounts {
    pub kind: Kind,
    pub per_resource: BTreeMap<&'static str, Counts>,
    pub per_run: BTreeMap<&'static str, Counts>,
    pub notes: Vec<String>,
}

/// Runs every kind.
pub fn run() -> Vec<KindCounts> {
    KINDS
        .iter()
        .map(|&kind| {
            eprintln!("bench: requests for {}", kind.type_name());
            let (one, mut notes) = phases(kind, 1);
            let (two, notes2) = phases(kind, 2);
            notes.extend(notes2);
            notes.dedup();
            let mut per_resource = BTreeMap::new();
            let mut per_run = BTreeMap::new();
            for phase in PHASES {
                let (a, b) = (
                    one.get(phase).cloned().unwrap_or_default(),
                    two.get(phase).cloned().unwrap_or_default(),
                );
                let each = diff(&b, &a);
                per_run.insert(phase, diff(&a, &each));
                per_resource.insert(phase, each);
            }
            KindCounts {
                kind,
                per_resource,
                per_run,
                notes,
            }
        })
        .collect()
}

/// `a - b` per route, dropping zeros.
fn diff(a: &Counts, b: &Counts) -> Counts {
    let mut out = a.clone();
    for (route, n) in b {
        *out.entry(route.clone()).or_insert(0) -= n;
    }
    out.retain(|_, n| *n != 0);
    out
}

/// The four phases with `count` resources of `kind` in a fresh emulator and workspace.
fn phases(kind: Kind, count: usize) -> (BTreeMap<&'static str, Counts>, Vec<String>) {
    let emulator = Emulator::start(&FAST_RENDER);
    let ws = Workspace::new(&format!("bench-requests-{}-{count}", kind.type_name()))
        .with_emulator(&emulator);
    let mut counts = BTreeMap::new();
    let mut notes = Vec::new();
    let mut step = |phase: &'static str, args: &[&str], ok: &[i32]| -> Option<i32> {
        emulator.reset_requests();
        let out = ws.run(args);
        let code = out.code.filter(|c| ok.contains(c));
        if code.is_none() {
            notes.push(format!(
                "{phase} with {count} failed: {}",
                out.combined()
                    .lines()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" / ")
            ));
        }
        let mine: Counts = emulator
            .requests()
            .into_iter()
            .map(|(route, n)| (route, n as i64))
            .collect();
        counts.insert(phase, mine);
        code
    };
    ws.write_file("main.tf", &configs::single(kind, count, 0));
    if step(
        "create",
        &["apply", "-auto-approve", "-input=false", "-refresh=false"],
        &[0],
    )
    .is_none()
    {
        return (counts, notes);
    }
    let refresh = step(
        "refresh",
        &["plan", "-detailed-exitcode", "-input=false"],
        &[0, 2],
    );
    ws.write_file("main.tf", &configs::single(kind, count, 1));
    step(
        "update",
        &["apply", "-auto-approve", "-input=false", "-refresh=false"],
        &[0],
    );
    let settled = ws.run(&["plan", "-detailed-exitcode", "-input=false"]).code;
    step(
        "delete",
        &["destroy", "-auto-approve", "-input=false", "-refresh=false"],
        &[0],
    );
    if refresh == Some(2) {
        notes.push(format!(
            "the plan after create was not empty ({count} resources)"
        ));
    }
    if settled != Some(0) {
        notes.push(format!(
            "the plan after the update was not empty ({count} resources)"
        ));
    }
    let left = emulator.leftovers();
    if !left.is_empty() {
        notes.push(format!("left after destroy: {left:?}"));
    }
    (counts, notes)
}

/// `GET /render/v1/services/{serviceId} ×2, …` (or `none`).
fn describe(counts: &Counts) -> String {
    if counts.is_empty() {
        return "none".into();
    }
    counts
        .iter()
        .map(|(route, n)| {
            if *n == 1 {
                route.clone()
            } else {
                format!("{route} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn total(counts: &Counts) -> i64 {
    counts.values().sum()
}

/// A summary table (totals per resource per phase) and a detail table (the routes).
pub fn report(results: &[KindCounts]) -> String {
    let mut summary = Table::new(&[
        "resource",
        "create",
        "refresh (plan)",
        "update",
        "delete",
        "per-run (all phases)",
    ]);
    let mut detail = Table::new(&[
        "resource",
        "phase",
        "per resource",
        "per run (configure, shared objects)",
    ]);
    for r in results {
        let mut row = vec![format!("`{}`", r.kind.type_name())];
        for phase in PHASES {
            let each = r.per_resource.get(phase).cloned().unwrap_or_default();
            row.push(total(&each).to_string());
            let run = r.per_run.get(phase).cloned().unwrap_or_default();
            let phase_label = if phase == "update" {
                format!("update: {}", r.kind.update_change())
            } else {
                phase.to_string()
            };
            detail.row(vec![
                format!("`{}`", r.kind.type_name()),
                phase_label,
                describe(&each),
                describe(&run),
            ]);
        }
        let run_total: i64 = r.per_run.values().map(total).sum();
        row.push(run_total.to_string());
        summary.row(row);
    }
    let mut out = format!("\nHTTP requests per resource (1 vs 2 resources in fresh emulators, difference = per resource):\n\n{}", summary.render());
    out.push_str(&format!("\nRoutes:\n\n{}", detail.render()));
    for r in results.iter().filter(|r| !r.notes.is_empty()) {
        out.push_str(&format!(
            "- `{}`: {}\n",
            r.kind.type_name(),
            r.notes.join("; ")
        ));
    }
    out
}

/// GetProviderSchema traffic of one `plan` over the mix (all five providers), from Terraform's
/// trace log: calls that reached a provider versus answers served from Terraform's cache.
pub struct SchemaCalls {
    pub providers_started: usize,
    pub requested: usize,
    pub cached: usize,
}

pub fn schema_calls() -> Result<SchemaCalls, String> {
    let emulator = Emulator::start(&FAST_RENDER);
    let log = paasform_acceptance_tests::target_dir()
        .join("bench")
        .join("plan-trace.log");
    let ws = Workspace::new("bench-schema-calls")
        .with_emulator(&emulator)
        .with_env("TF_LOG", "trace")
        .with_env("TF_LOG_PATH", &log.to_string_lossy());
    ws.write_file("main.tf", &configs::mix(13));
    let applied = ws.run(&["apply", "-auto-approve", "-input=false"]);
    if !applied.success() {
        return Err(format!("apply failed: {}", applied.combined()));
    }
    let _ = std::fs::remove_file(&log);
    let planned = ws.run(&["plan", "-input=false"]);
    let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let _ = ws.run(&["destroy", "-auto-approve", "-input=false"]);
    if !planned.success() {
        return Err(format!("plan failed: {}", planned.combined()));
    }
    Ok(SchemaCalls {
        providers_started: text
            .lines()
            .filter(|l| l.contains("provider: starting plugin:"))
            .count(),
        requested: text
            .lines()
            .filter(|l| l.contains("GRPCProvider.v6: GetProviderSchema"))
            .count(),
        cached: text
            .lines()
            .filter(|l| l.contains("returning cached schema"))
            .count(),
    })
}

pub fn report_schema_calls(result: &Result<SchemaCalls, String>) -> String {
    match result {
        Ok(s) => format!(
            "\nGetProviderSchema during one `plan` of the mix (5 providers, Terraform's trace log): \
             {} provider processes started; {} schema lookups went to a provider (`GRPCProvider.v6: GetProviderSchema`), \
             {} were answered from Terraform's global schema cache (`returning cached schema`, which Terraform only does \
             when the provider sets `get_provider_schema_optional`).\n",
            s.providers_started, s.requested, s.cached
        ),
        Err(e) => format!("\nGetProviderSchema count not measured: {e}\n"),
    }
}
