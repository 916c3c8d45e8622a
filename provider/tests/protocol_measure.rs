//! Measurements, not assertions (ignored by default): time from process start to the handshake
//! line (median of 20) and resident memory after GetProviderSchema. Run against a release build:
//! `PAASFORM_MEASURE_BIN=target/release/terraform-provider-paasform cargo test -p paasform
//!  --test protocol_measure -- --ignored --nocapture`.

mod protocol_common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use paasform::protocol::proto::tfplugin6::get_provider_schema;
use protocol_common::{paths, plugin_command, unary, unix_channel, TempDir, COOKIE};

fn binary(dir: &TempDir, identity: &str) -> PathBuf {
    let target = std::env::var("PAASFORM_MEASURE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-paasform")));
    let target = target.canonicalize().expect("binary path");
    let link = dir.path().join(format!("terraform-provider-{identity}"));
    std::os::unix::fs::symlink(target, &link).expect("symlink");
    link
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement; run explicitly with --ignored"]
async fn startup_time_and_memory() {
    let identity =
        std::env::var("PAASFORM_MEASURE_IDENTITY").unwrap_or_else(|_| "tailscale".into());
    let dir = TempDir::new("measure");
    let exe = binary(&dir, &identity);
    // With PAASFORM_MEASURE_TLS=1 the plugin also generates its AutoMTLS certificate.
    let tls = std::env::var("PAASFORM_MEASURE_TLS").is_ok_and(|v| v == "1");
    let client = protocol_common::terraform_like_client_cert();
    let mut env = vec![
        ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
        ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
    ];
    if tls {
        env.push(("PLUGIN_CLIENT_CERT", client.pem.as_str()));
    }
    let mut times = Vec::new();
    for round in 0..20 {
        let start = Instant::now();
        let mut child = plugin_command(&exe, &env).spawn().expect("spawn");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("handshake");
        times.push(start.elapsed());
        if round == 19 && !tls {
            let socket = line
                .trim_end()
                .split('|')
                .nth(3)
                .expect("socket")
                .to_string();
            let ch = unix_channel(std::path::Path::new(&socket))
                .await
                .expect("connect");
            let before = rss_kib(child.id());
            let _: get_provider_schema::Response = unary(
                &ch,
                paths::GET_PROVIDER_SCHEMA,
                get_provider_schema::Request {},
            )
            .await
            .expect("schema");
            let after = rss_kib(child.id());
            println!("RSS before schema: {before:?} KiB, after GetProviderSchema: {after:?} KiB");
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    let median = (times[9] + times[10]) / 2;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "handshake line after start (tls={tls}): median {:.2} ms (min {:.2}, max {:.2}) over 20 runs",
        ms(median),
        ms(times[0]),
        ms(times[19])
    );
}
