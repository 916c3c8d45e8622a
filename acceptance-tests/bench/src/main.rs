//! `paasform-bench`: the benchmarks of issue 7 — startup, schema, memory and size beside a Go
//! terraform-plugin-framework provider; Terraform plan/apply wall time at scale against the
//! emulator beside `terraform_data`; HTTP requests per resource. Prints Markdown and writes it to
//! `--out`. Measurements only: nothing here asserts a target (the report says met or missed).
//! Normally run by `scripts/bench.sh`, which builds release binaries and fetches the Go provider.
//! Imports the acceptance harness (Terraform workspaces, emulator) and `paasform`'s wire types.

mod configs;
mod cpu;
mod latency;
mod plugin;
mod requests;
mod scale;
mod startup;
mod stats;
mod table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use paasform_acceptance_tests::{provider_binary, target_dir, terraform, IDENTITIES};

const USAGE: &str = "usage: paasform-bench [options]
  --provider PATH     provider binary (default: the one beside this bench, target/<profile>/)
  --go PATH           Go comparison provider (skipped when absent)
  --launches N        launches per subject for the handshake (default 50)
  --sizes LIST        resource counts for plan/apply (default 10,100,500)
  --latencies LIST    emulator latencies in ms (default 0,50)
  --repeat N          repetitions per plan/apply cell below --large (default 3)
  --large N           from this N on, one repetition (default 500)
  --sections LIST     startup,scale,requests,latency,ratelimit (default all; latency includes
                      ratelimit: 300 Render objects under Render's documented limit)
  --stack-latencies LIST  latencies for the latency section (default 150)
  --out PATH          Markdown output (default target/bench/results.md)";

struct Args {
    provider: Option<PathBuf>,
    go: Option<PathBuf>,
    launches: usize,
    scale: scale::Plan,
    sections: Vec<String>,
    stack_latencies_ms: Vec<u64>,
    out: PathBuf,
}

fn parse_list<T: std::str::FromStr>(flag: &str, value: &str) -> Result<Vec<T>, String> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| format!("{flag}: not a number: {s:?}"))
        })
        .collect()
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        provider: None,
        go: None,
        launches: 50,
        scale: scale::Plan {
            sizes: vec![10, 100, 500],
            latencies_ms: vec![0, 50],
            repeat: 3,
            large: 500,
        },
        sections: vec![
            "startup".into(),
            "scale".into(),
            "requests".into(),
            "latency".into(),
        ],
        stack_latencies_ms: vec![150],
        out: target_dir().join("bench").join("results.md"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.into());
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let one = |v: &str| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag}: not a number: {v:?}"))
        };
        match flag.as_str() {
            "--provider" => args.provider = Some(PathBuf::from(value)),
            "--go" => args.go = Some(PathBuf::from(value)).filter(|p| p.exists()),
            "--launches" => args.launches = one(&value)?.max(1),
            "--sizes" => args.scale.sizes = parse_list(&flag, &value)?,
            "--latencies" => args.scale.latencies_ms = parse_list(&flag, &value)?,
            "--repeat" => args.scale.repeat = one(&value)?,
            "--large" => args.scale.large = one(&value)?,
            "--stack-latencies" => args.stack_latencies_ms = parse_list(&flag, &value)?,
            "--sections" => args.sections = value.split(',').map(str::to_string).collect(),
            "--out" => args.out = PathBuf::from(value),
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(args)
}

/// Links `exe` as `terraform-provider-<identity>` in `dir` (the name picks the identity).
fn identity_link(exe: &Path, dir: &Path, identity: &str) -> Result<PathBuf, String> {
    let link = dir.join(format!("terraform-provider-{identity}"));
    let _ = std::fs::remove_file(&link);
    let target = exe
        .canonicalize()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    std::os::unix::fs::symlink(&target, &link).map_err(|e| format!("{}: {e}", link.display()))?;
    Ok(link)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores ({cpu})")
}

fn startup_section(args: &Args, provider: &Path, work: &Path) -> Result<String, String> {
    let bin = work.join("bin");
    let tmp = work.join("tmp");
    for dir in [&bin, &tmp] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut subjects = Vec::new();
    for identity in IDENTITIES {
        subjects.push(startup::Subject {
            label: format!("paasform ({identity})"),
            exe: identity_link(provider, &bin, identity)?,
            reference: false,
        });
    }
    if let Some(go) = &args.go {
        subjects.push(startup::Subject {
            label: "Go plugin-framework 1.19 (workato 0.16.0)".into(),
            exe: go.clone(),
            reference: true,
        });
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let results = startup::run(&rt, &subjects, args.launches, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    let mut out = String::from("### Startup, schema, memory, size\n\n");
    if args.go.is_none() {
        out.push_str("(Go comparison provider not given: no ratios.)\n\n");
    }
    out.push_str(&startup::report(&results));
    Ok(out)
}

fn run(args: &Args) -> Result<String, String> {
    let provider = match &args.provider {
        Some(p) => p.clone(),
        None => provider_binary().clone(),
    };
    let work = target_dir().join("bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let has = |s: &str| args.sections.iter().any(|x| x == s);
    let mut out = format!(
        "## Benchmark results\n\nMachine: {}; Terraform {}; provider {}.\n\n",
        machine(),
        if has("scale") || has("requests") || has("latency") {
            terraform().version.clone()
        } else {
            "(not used)".into()
        },
        provider.display()
    );
    let started = Instant::now();
    if has("startup") {
        eprintln!("bench: startup ({} launches per subject)", args.launches);
        out.push_str(&startup_section(args, &provider, &work)?);
        out.push('\n');
    }
    if has("scale") {
        let cells = scale::run(&args.scale);
        out.push_str("### plan / apply wall time vs `terraform_data`\n");
        out.push_str(&scale::report(&args.scale, &cells));
        out.push_str(&format!(
            "\nThe mix: {} (`railway_service`s share one `railway_project`). Emulator flags: `{}` plus `--latency-ms`.\n\n",
            configs::mix_counts(args.scale.sizes.iter().copied().max().unwrap_or(0))
                .iter()
                .map(|(t, n)| format!("{n} `{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
            scale::FAST_RENDER.join(" ")
        ));
    }
    if has("requests") {
        let counts = requests::run();
        out.push_str("### HTTP requests per resource\n");
        out.push_str(&requests::report(&counts));
        out.push_str(&requests::report_schema_calls(&requests::schema_calls()));
    }
    if has("latency") {
        out.push_str("### At real API latency (issue 16)\n\n");
        out.push_str(&latency::run(&args.stack_latencies_ms));
    } else if has("ratelimit") {
        out.push_str("### Under Render's rate limit (issue 16)\n\n");
        out.push_str(&latency::rate_limit(300));
    }
    out.push_str(&format!(
        "\nBench wall time: {:.0} s.\n",
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(markdown) => {
            print!("{markdown}");
            if let Some(dir) = args.out.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = std::fs::write(&args.out, &markdown) {
                eprintln!("cannot write {}: {e}", args.out.display());
                return ExitCode::FAILURE;
            }
            eprintln!("bench: wrote {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("paasform-bench: {message}");
            ExitCode::FAILURE
        }
    }
}
