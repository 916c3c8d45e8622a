//! A provider whose Terraform is gone exits instead of idling with its socket: the real binary,
//! started as Terraform starts it (cookie, AutoMTLS), exits within a couple of seconds once the
//! client's connection closes, or once the process that started it is killed — and keeps
//! serving while the connection is held. Also the TCP transport's startup errors.

mod protocol_common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use base64::Engine;
use paasform::protocol::proto::tfplugin6::get_provider_schema;
use protocol_common::{
    binary_named, paths, plugin_command, terraform_like_client_cert, tls_channel, unary, Plugin,
    TempDir, COOKIE,
};

const EXIT_LIMIT: Duration = Duration::from_secs(3);

fn server_cert(handshake: &str) -> Vec<u8> {
    let field = handshake.split('|').nth(5).expect("cert field");
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(field)
        .expect("base64 cert")
}

async fn connect(
    plugin: &Plugin,
    id: &protocol_common::ClientIdentity,
) -> tonic::transport::Channel {
    tls_channel(plugin.target(), server_cert(&plugin.handshake), Some(id))
        .await
        .expect("connect")
}

async fn schema(ch: &tonic::transport::Channel) -> get_provider_schema::Response {
    unary(
        ch,
        paths::GET_PROVIDER_SCHEMA,
        get_provider_schema::Request {},
    )
    .await
    .expect("schema")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exits_when_the_client_closes_its_connection() {
    for transport in ["unix", "tcp"] {
        let terraform = terraform_like_client_cert();
        let mut plugin = Plugin::start(
            "render",
            &[
                ("PLUGIN_CLIENT_CERT", &terraform.pem),
                ("PAASFORM_PLUGIN_TRANSPORT", transport),
            ],
        );
        let ch = connect(&plugin, &terraform).await;
        schema(&ch).await;
        // Held well past the reconnect grace: still serving.
        tokio::time::sleep(Duration::from_millis(900)).await;
        assert!(
            plugin.child.try_wait().expect("poll").is_none(),
            "{transport}: alive"
        );
        schema(&ch).await;

        let dropped = Instant::now();
        drop(ch);
        let status = plugin
            .wait_exit(EXIT_LIMIT)
            .unwrap_or_else(|| panic!("{transport}: still running after the client left"));
        assert!(status.success(), "{transport}: clean exit, got {status}");
        eprintln!(
            "{transport}: exited {:?} after the client left",
            dropped.elapsed()
        );
        if transport == "unix" {
            assert!(!plugin.socket().exists(), "socket directory cleaned up");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_client_does_not_count_as_served() {
    let terraform = terraform_like_client_cert();
    let mut plugin = Plugin::start("render", &[("PLUGIN_CLIENT_CERT", &terraform.pem)]);
    let stranger = terraform_like_client_cert();
    let refused = tls_channel(
        plugin.target(),
        server_cert(&plugin.handshake),
        Some(&stranger),
    )
    .await;
    if let Ok(ch) = refused {
        let r = unary::<_, get_provider_schema::Response>(
            &ch,
            paths::GET_PROVIDER_SCHEMA,
            get_provider_schema::Request {},
        )
        .await;
        assert!(r.is_err(), "a stranger is never served");
    }
    assert!(
        plugin.wait_exit(Duration::from_millis(900)).is_none(),
        "a stranger's closed connection must not end the provider Terraform is about to use"
    );
    schema(&connect(&plugin, &terraform).await).await;
}

/// `/proc/<pid>` is gone or a zombie (the reaper of orphans may be slow to collect it).
fn has_exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn exits_when_the_process_that_started_it_is_killed() {
    let dir = TempDir::new("orphan");
    let exe = binary_named(&dir, "terraform-provider-render");
    let pid_file = dir.path().join("pid");
    let terraform = terraform_like_client_cert();
    // A stand-in for Terraform: a shell that starts the plugin and waits for it. Killing the
    // shell orphans the plugin, which never had a client connection to lose.
    let mut parent = plugin_command(
        std::path::Path::new("/bin/sh"),
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
            ("PLUGIN_CLIENT_CERT", &terraform.pem),
        ],
    )
    .arg("-c")
    .arg(r#""$0" & echo $! > "$1"; wait"#)
    .arg(&exe)
    .arg(&pid_file)
    .stderr(Stdio::null())
    .spawn()
    .expect("spawn parent");
    let mut out = BufReader::new(parent.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("handshake");
    assert!(line.starts_with("1|6|unix|"), "{line}");
    let socket = PathBuf::from(line.split('|').nth(3).expect("socket"));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid");
    assert!(!has_exited(pid));

    parent.kill().expect("kill parent");
    parent.wait().expect("reap parent");
    let killed = Instant::now();
    while !has_exited(pid) {
        assert!(
            killed.elapsed() < EXIT_LIMIT,
            "the orphaned provider {pid} still runs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("exited {:?} after its parent was killed", killed.elapsed());
    assert!(!socket.exists(), "socket directory cleaned up");
}

#[test]
fn tcp_startup_errors_are_clear() {
    let dir = TempDir::new("tcperr");
    let exe = binary_named(&dir, "terraform-provider-render");
    for (env, expect) in [
        (
            vec![("PLUGIN_MIN_PORT", "20"), ("PLUGIN_MAX_PORT", "10")],
            "greater than PLUGIN_MAX_PORT",
        ),
        (vec![("PLUGIN_MIN_PORT", "ten")], "PLUGIN_MIN_PORT"),
    ] {
        let mut all = vec![
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PAASFORM_PLUGIN_TRANSPORT", "tcp"),
        ];
        all.extend(env);
        let out = plugin_command(&exe, &all).output().expect("run");
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expect), "{stderr}");
    }
    let out = plugin_command(
        &exe,
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PAASFORM_PLUGIN_TRANSPORT", "pigeon"),
        ],
    )
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a transport"));
}

#[test]
fn tcp_listens_inside_the_port_range() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("probe");
    let low = probe
        .local_addr()
        .expect("addr")
        .port()
        .saturating_sub(200)
        .max(1024);
    drop(probe);
    let (min, max) = (low.to_string(), (low + 200).to_string());
    let plugin = Plugin::start(
        "r2",
        &[
            ("PAASFORM_PLUGIN_TRANSPORT", "tcp"),
            ("PLUGIN_MIN_PORT", &min),
            ("PLUGIN_MAX_PORT", &max),
        ],
    );
    let addr = plugin.fields()[3].clone();
    let port: u16 = addr
        .strip_prefix("127.0.0.1:")
        .expect("loopback")
        .parse()
        .expect("port");
    assert!(
        (low..=low + 200).contains(&port),
        "{addr} outside {min}..={max}"
    );
}
