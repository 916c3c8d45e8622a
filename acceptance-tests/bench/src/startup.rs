//! Benchmark 1: process start to handshake line (interleaved launches of every subject, so
//! machine noise hits all alike), GetProviderSchema latency (connect + first call, then warm
//! calls), resident memory after the schema, and binary size. Imports `plugin`, `stats` and
//! `table`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use prost::Message;
use tokio::runtime::Runtime;

use crate::plugin::{self, Launch};
use crate::scale::Pick;
use crate::stats::{mib, ms, ratio, summarize, Summary};
use crate::table::Table;

/// Launches per subject used for the schema and memory measurements.
const SCHEMA_LAUNCHES: usize = 10;
/// Warm GetProviderSchema calls per schema launch.
const WARM_CALLS: usize = 10;

/// A plugin binary to measure.
pub struct Subject {
    /// Row label, e.g. `paasform (render)`.
    pub label: String,
    /// What to run (a link named after the provider identity, for ours).
    pub exe: PathBuf,
    /// True for the comparison provider (the ratios' denominator).
    pub reference: bool,
}

/// What was measured for one subject.
pub struct Measured {
    pub label: String,
    pub reference: bool,
    /// Plaintext (no `PLUGIN_CLIENT_CERT`).
    pub handshake: Option<Summary>,
    /// With a client certificate, as Terraform launches plugins (AutoMTLS).
    pub handshake_tls: Option<Summary>,
    /// Connect + first GetProviderSchema, per launch.
    pub schema_first: Option<Summary>,
    /// Later GetProviderSchema calls on the same connection.
    pub schema_warm: Option<Summary>,
    /// Median VmRSS right after the first GetProviderSchema.
    pub rss_after_schema: Option<u64>,
    pub schema_bytes: Option<usize>,
    pub resource_types: Option<usize>,
    pub size: u64,
    pub stripped: bool,
    pub notes: Vec<String>,
}

/// Runs the whole measurement; failures become notes in the result, never a panic.
pub fn run(rt: &Runtime, subjects: &[Subject], launches: usize, tmp: &Path) -> Vec<Measured> {
    let mut handshakes: Vec<Vec<Duration>> = vec![Vec::new(); subjects.len()];
    let mut handshakes_tls: Vec<Vec<Duration>> = vec![Vec::new(); subjects.len()];
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); subjects.len()];
    let client_cert = plugin::terraform_like_client_cert();
    if let Err(e) = &client_cert {
        notes
            .iter_mut()
            .for_each(|n| n.push(format!("AutoMTLS not measured: {e}")));
    }
    let mut seq = 0;
    for _ in 0..launches {
        for (i, subject) in subjects.iter().enumerate() {
            seq += 1;
            match Launch::start(&subject.exe, tmp, seq, &[]) {
                Ok(launch) => handshakes[i].push(launch.elapsed),
                Err(e) => push_once(&mut notes[i], e),
            }
            if let Ok(pem) = &client_cert {
                seq += 1;
                match Launch::start(&subject.exe, tmp, seq, &[("PLUGIN_CLIENT_CERT", pem)]) {
                    Ok(launch) if launch.uses_tls() => handshakes_tls[i].push(launch.elapsed),
                    Ok(_) => push_once(
                        &mut notes[i],
                        "ignored PLUGIN_CLIENT_CERT (no certificate in the handshake)".into(),
                    ),
                    Err(e) => push_once(&mut notes[i], e),
                }
            }
        }
    }
    subjects
        .iter()
        .enumerate()
        .map(|(i, subject)| {
            let (size, stripped) = binary_facts(&subject.exe);
            let mut measured = Measured {
                label: subject.label.clone(),
                reference: subject.reference,
                handshake: summarize(&handshakes[i]),
                handshake_tls: summarize(&handshakes_tls[i]),
                schema_first: None,
                schema_warm: None,
                rss_after_schema: None,
                schema_bytes: None,
                resource_types: None,
                size,
                stripped,
                notes: std::mem::take(&mut notes[i]),
            };
            measure_schema(rt, subject, tmp, &mut seq, &mut measured);
            measured
        })
        .collect()
}

fn push_once(notes: &mut Vec<String>, note: String) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

/// GetProviderSchema latency and memory over [`SCHEMA_LAUNCHES`] fresh processes.
fn measure_schema(
    rt: &Runtime,
    subject: &Subject,
    tmp: &Path,
    seq: &mut usize,
    out: &mut Measured,
) {
    let (mut first, mut warm, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SCHEMA_LAUNCHES {
        *seq += 1;
        let launch = match Launch::start(&subject.exe, tmp, *seq, &[]) {
            Ok(launch) => launch,
            Err(e) => return push_once(&mut out.notes, e),
        };
        if launch.uses_tls() {
            return push_once(
                &mut out.notes,
                "serves TLS only: schema not measured".into(),
            );
        }
        let Some(socket) = launch.socket() else {
            return push_once(
                &mut out.notes,
                format!("no unix socket in `{}`", launch.handshake),
            );
        };
        let result = rt.block_on(async {
            let start = Instant::now();
            let channel = plugin::connect(&socket).await?;
            let schema = plugin::get_provider_schema(&channel).await?;
            let first = start.elapsed();
            let rss = launch.rss_bytes();
            let mut warm = Vec::new();
            for _ in 0..WARM_CALLS {
                let t = Instant::now();
                plugin::get_provider_schema(&channel).await?;
                warm.push(t.elapsed());
            }
            Ok::<_, String>((first, warm, rss, schema))
        });
        match result {
            Ok((f, w, r, schema)) => {
                first.push(f);
                warm.extend(w);
                rss.extend(r);
                out.schema_bytes = Some(schema.encoded_len());
                out.resource_types = Some(schema.resource_schemas.len());
                if !schema.diagnostics.is_empty() {
                    push_once(
                        &mut out.notes,
                        "GetProviderSchema returned diagnostics".into(),
                    );
                }
            }
            Err(e) => return push_once(&mut out.notes, e),
        }
    }
    out.schema_first = summarize(&first);
    out.schema_warm = summarize(&warm);
    rss.sort_unstable();
    out.rss_after_schema = rss.get(rss.len() / 2).copied();
}

/// File size and whether the ELF still has a symbol table (`.symtab` in its section names).
fn binary_facts(exe: &Path) -> (u64, bool) {
    let real = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
    match std::fs::read(&real) {
        Ok(bytes) => {
            let has_symtab = bytes.windows(8).any(|w| w == b".symtab\0");
            (bytes.len() as u64, !has_symtab)
        }
        Err(_) => (0, false),
    }
}

/// The Markdown report: one table for all subjects, then target checks.
pub fn report(results: &[Measured]) -> String {
    let reference = results.iter().find(|m| m.reference);
    let ref_plain = reference
        .and_then(|r| r.handshake)
        .map(|s| s.median.as_secs_f64());
    let ref_tls = reference
        .and_then(|r| r.handshake_tls)
        .map(|s| s.median.as_secs_f64());
    let vs = |mine: Option<Summary>, go: Option<f64>| match (mine, go) {
        (Some(h), Some(r)) => ratio(h.median.as_secs_f64(), r),
        _ => "–".into(),
    };
    let cell = |s: Option<Summary>| {
        s.map_or("–".into(), |s| {
            format!("{} / {}", ms(s.median), ms(s.p90))
        })
    };
    let mut table = Table::new(&[
        "provider",
        "handshake ms, plaintext (median / p90)",
        "vs Go",
        "handshake ms, AutoMTLS as under Terraform (median / p90)",
        "vs Go",
        "connect + 1st GetProviderSchema ms",
        "warm GetProviderSchema ms",
        "schema KiB",
        "resource types",
        "RSS after schema MiB",
        "binary MiB",
    ]);
    for m in results {
        table.row(vec![
            m.label.clone(),
            cell(m.handshake),
            vs(m.handshake, ref_plain),
            cell(m.handshake_tls),
            vs(m.handshake_tls, ref_tls),
            m.schema_first.map_or("–".into(), |s| ms(s.median)),
            m.schema_warm.map_or("–".into(), |s| ms(s.median)),
            m.schema_bytes
                .map_or("–".into(), |b| format!("{:.1}", b as f64 / 1024.0)),
            m.resource_types.map_or("–".into(), |n| n.to_string()),
            m.rss_after_schema.map_or("–".into(), mib),
            format!(
                "{}{}",
                mib(m.size),
                if m.stripped { "" } else { " (not stripped)" }
            ),
        ]);
    }
    let mut out = table.render();
    let runs = results
        .iter()
        .filter_map(|m| m.handshake.map(|h| h.runs))
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "\nHandshake: spawn → first stdout line, {runs} launches per row and mode, all rows interleaved. \
         AutoMTLS: `PLUGIN_CLIENT_CERT` holds an ECDSA P-521 client certificate as Terraform sends, so the plugin \
         generates its server certificate before answering. Schema and RSS (plaintext): {SCHEMA_LAUNCHES} launches per row, \
         connect + first call timed from `connect()`, then {WARM_CALLS} warm calls each; RSS is `VmRSS` right after the first call.\n"
    ));
    for m in results.iter().filter(|m| !m.notes.is_empty()) {
        out.push_str(&format!("\n- {}: {}", m.label, m.notes.join("; ")));
    }
    out.push_str(&checks(results));
    out
}

/// Target checks on the worst of our rows: handshake ≤ 5 ms median and ≤ half the Go
/// provider's (both modes reported), RSS ≤ 20 MB, stripped binary ≤ 15 MB (MB = 10^6 bytes).
fn checks(results: &[Measured]) -> String {
    let reference = results.iter().find(|m| m.reference);
    let ours: Vec<&Measured> = results.iter().filter(|m| !m.reference).collect();
    let worst = |f: &dyn Fn(&Measured) -> Option<f64>| {
        ours.iter()
            .filter_map(|m| f(m))
            .fold(None, |a: Option<f64>, v| {
                Some(a.map_or(v, |a: f64| a.max(v)))
            })
    };
    let to_ms = |s: Option<Summary>| s.map(|h| h.median.as_secs_f64() * 1000.0);
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let mut out = String::from("\n\nTargets (worst of our rows):\n");
    let modes: [(&str, Pick<Measured>); 2] = [
        ("plaintext", |m| m.handshake),
        ("AutoMTLS", |m| m.handshake_tls),
    ];
    for (mode, get) in modes {
        let Some(hs) = worst(&|m| to_ms(get(m))) else {
            continue;
        };
        out.push_str(&format!(
            "- handshake ({mode}) median {hs:.2} ms ≤ 5 ms: {}",
            mark(hs <= 5.0)
        ));
        if let Some(go) = reference.and_then(|r| to_ms(get(r))) {
            out.push_str(&format!(
                "; ≤ half the Go provider's {go:.2} ms: {} (ratio {})",
                mark(hs <= go / 2.0),
                ratio(hs, go)
            ));
        }
        out.push('\n');
    }
    if let Some(rss) = worst(&|m| m.rss_after_schema.map(|b| b as f64 / 1e6)) {
        out.push_str(&format!(
            "- RSS after schema {rss:.1} MB ≤ 20 MB: {}\n",
            mark(rss <= 20.0)
        ));
    }
    if let Some(size) = worst(&|m| Some(m.size as f64 / 1e6)) {
        out.push_str(&format!(
            "- stripped binary {size:.1} MB ≤ 15 MB: {}\n",
            mark(size <= 15.0)
        ));
    }
    out
}
