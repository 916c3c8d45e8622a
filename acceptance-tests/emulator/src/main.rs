//! `paasform-emulator` binary: parse flags, bind, print the base URLs as one JSON line, serve until
//! killed (SIGTERM/SIGINT end it cleanly). Owns the command line only; everything else is the lib.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use paasform_emulator::world::base_urls;
use paasform_emulator::{Config, Emulator};

const USAGE: &str = "\
usage: paasform-emulator --listen ADDR [options]

Serves the Render, Railway, Vercel, Tailscale and Cloudflare R2 APIs from one stateful world.
After binding, prints one JSON line with the address and each vendor's base URL.

options:
  --listen ADDR                   address to bind, e.g. 127.0.0.1:0 (required)
  --state FILE                    load the world from FILE and save it after every change
  --latency-ms N                  added latency per vendor request (default 0)
  --fault-rate P                  fraction 0..1 of vendor requests answered with 429/500/503 or a
                                  dropped connection (default 0)
  --seed N                        seed for fault injection (default 0)
  --token T                       accept only this credential (default: any non-empty one)
  --drop-after-commit-rate P      fraction 0..1 of creates that commit, then drop the connection
  --rate-limit-per-minute N       per-credential limit, answered with 429 + Retry-After (0 = none)
  --render-db-ready-ms N          time a Render database stays `creating` (default 300)
  --render-deploy-ms N            time a Render deploy takes to go live (default 300)
  --deploy-ms N                   time a Vercel deployment or a Railway deploy takes (default 300)
  --tailscale-device NAME[:IP]    a device every Tailscale tailnet starts with (repeatable)
  --strict-spec                   check every request and answer against the vendor specs; violations
                                  are listed by GET /_emulator/violations
  --cloudflare-zone NAME[@ACCOUNT]  a Cloudflare zone that exists from the start (repeatable; zones
                                  under .example/.test also appear on their first lookup by name)
  --fail-deploy KEY               deploys triggered through the API whose service id, commit or git
                                  ref is KEY end failed, the way the vendor reports it (repeatable)
  -h, --help                      print this help
";

/// What the command line asks for.
struct Args {
    listen: SocketAddr,
    config: Config,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut listen = None;
    let mut config = Config {
        render_db_ready_ms: 300,
        render_deploy_ms: 300,
        deploy_ms: 300,
        ..Config::default()
    };
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        // Accept both `--flag value` and `--flag=value`.
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_string(), Some(value.to_string()))
            }
            _ => (flag.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--strict-spec" => config.strict_spec = true,
            "--tailscale-device" => {
                let v = value()?;
                if v.split(':').next().is_none_or(str::is_empty) {
                    return Err("--tailscale-device needs NAME or NAME:IP".into());
                }
                config.tailscale_devices.push(v);
            }
            "--cloudflare-zone" => config.cloudflare_zones.push(value()?),
            "--listen" => {
                let v = value()?;
                listen =
                    Some(v.parse().map_err(|_| {
                        format!("--listen: {v:?} is not an address like 127.0.0.1:0")
                    })?);
            }
            "--state" => config.state_file = Some(PathBuf::from(value()?)),
            "--latency-ms" => config.latency_ms = number(&name, &value()?)?,
            "--fault-rate" => config.fault_rate = fraction(&name, &value()?)?,
            "--seed" => config.seed = number(&name, &value()?)?,
            "--token" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--token must not be empty".into());
                }
                config.token = Some(v);
            }
            "--drop-after-commit-rate" => {
                config.drop_after_commit_rate = fraction(&name, &value()?)?
            }
            "--rate-limit-per-minute" => config.rate_limit_per_minute = number(&name, &value()?)?,
            "--render-db-ready-ms" => config.render_db_ready_ms = number(&name, &value()?)?,
            "--render-deploy-ms" => config.render_deploy_ms = number(&name, &value()?)?,
            "--fail-deploy" => config.fail_deploys.push(value()?),
            "--deploy-ms" => config.deploy_ms = number(&name, &value()?)?,
            _ => return Err(format!("unknown flag {flag:?}")),
        }
    }
    let listen = listen.ok_or("--listen is required")?;
    Ok(Some(Args { listen, config }))
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: {v:?} is not a non-negative integer"))
}

fn fraction(flag: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{flag}: {v:?} is not a number between 0 and 1")),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("paasform-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("paasform-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("paasform-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let emulator = Emulator::load(args.config)?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot bind {}: {e}", args.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", base_urls(addr))
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    let app = emulator.router();
    tokio::select! {
        served = axum::serve(listener, app) => served.map_err(|e| format!("server failed: {e}")),
        () = shutdown_signal() => Ok(()),
    }
}

/// Resolves on SIGINT or SIGTERM (Ctrl-C only off Unix).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
