//! One launch of a Terraform plugin binary as Terraform does it (magic cookie, protocol 6,
//! stdout piped): the time from spawn to the go-plugin handshake line, then a plaintext gRPC
//! channel over the plugin's unix socket for GetProviderSchema, and the process's memory from
//! `/proc`. Works for any go-plugin server (ours or a Go one). Imports `paasform`'s generated
//! tfplugin6 types only; nothing from the provider's logic.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hyper_util::rt::TokioIo;
use paasform::protocol::proto::tfplugin6::get_provider_schema;
use tokio::net::UnixStream;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint, Uri};

/// go-plugin's magic cookie for Terraform providers.
pub const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const GET_PROVIDER_SCHEMA: &str = "/tfplugin6.Provider/GetProviderSchema";
/// Longest wait for a handshake line before the launch counts as failed.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(20);

/// A plugin process that printed its handshake line; killed (and its temp dir removed) on drop.
pub struct Launch {
    child: Child,
    /// The handshake line, without the newline.
    pub handshake: String,
    /// Spawn to handshake line read.
    pub elapsed: Duration,
    tmp: PathBuf,
}

impl Launch {
    /// Spawns `exe` with a clean plugin environment plus `env`, a private `TMPDIR` under
    /// `tmp_root` (where go-plugin servers put their socket), and waits for the first stdout line.
    pub fn start(
        exe: &Path,
        tmp_root: &Path,
        seq: usize,
        env: &[(&str, &str)],
    ) -> Result<Launch, String> {
        let tmp = tmp_root.join(format!("launch-{}-{seq}", std::process::id()));
        std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        let mut cmd = Command::new(exe);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("TF_") || key.starts_with("PLUGIN_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "6")
            .env("TMPDIR", &tmp)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let start = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("no stdout pipe".into());
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line).map(|_| (line, Instant::now()));
            let _ = tx.send(read);
            // Keep draining so the plugin never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut launch = Launch {
            child,
            handshake: String::new(),
            elapsed: Duration::ZERO,
            tmp,
        };
        match rx.recv_timeout(HANDSHAKE_LIMIT) {
            Ok(Ok((line, at))) if !line.trim().is_empty() => {
                launch.handshake = line.trim_end().to_string();
                launch.elapsed = at.duration_since(start);
                Ok(launch)
            }
            Ok(Ok(_)) => Err(format!("{} exited without a handshake", exe.display())),
            Ok(Err(e)) => Err(format!("reading the handshake of {}: {e}", exe.display())),
            Err(_) => Err(format!(
                "{}: no handshake within {HANDSHAKE_LIMIT:?}",
                exe.display()
            )),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The unix socket from the handshake (`CORE|APP|unix|ADDR|grpc|CERT`).
    pub fn socket(&self) -> Option<PathBuf> {
        let fields: Vec<&str> = self.handshake.split('|').collect();
        (fields.get(2) == Some(&"unix")).then(|| PathBuf::from(fields.get(3).unwrap_or(&"")))
    }

    /// True when the handshake carries a server certificate (the plugin expects TLS).
    pub fn uses_tls(&self) -> bool {
        self.handshake
            .split('|')
            .nth(5)
            .is_some_and(|cert| !cert.is_empty())
    }

    /// Resident memory now, from `/proc/<pid>/status` (`VmRSS`), in bytes.
    pub fn rss_bytes(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmRSS:").map(|kib| kib * 1024)
    }
}

impl Drop for Launch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// A client certificate shaped like the one Terraform sends in `PLUGIN_CLIENT_CERT` under
/// AutoMTLS (ECDSA P-521, self-signed, CA flag), as PEM. The plugin then generates its own server
/// certificate at startup, which is part of what Terraform waits for.
pub fn terraform_like_client_cert() -> Result<String, String> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)
        .map_err(|e| format!("client key: {e}"))?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .map_err(|e| format!("client cert: {e}"))?;
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("client cert: {e}"))?;
    Ok(cert.pem())
}

/// A `kB` field of `/proc/<pid>/status`.
fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A plaintext gRPC channel over a unix socket (go-plugin without `PLUGIN_CLIENT_CERT`).
pub async fn connect(socket: &Path) -> Result<Channel, String> {
    let socket = socket.to_path_buf();
    // The URI is a placeholder: the connector always dials the socket.
    Endpoint::from_static("http://localhost")
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let socket = socket.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(socket).await?)) }
        }))
        .await
        .map_err(|e| format!("connecting to the plugin socket: {e:?}"))
}

/// One GetProviderSchema call with Terraform's 256 MiB message limit.
pub async fn get_provider_schema(ch: &Channel) -> Result<get_provider_schema::Response, String> {
    let mut grpc = tonic::client::Grpc::new(ch.clone()).max_decoding_message_size(256 << 20);
    grpc.ready()
        .await
        .map_err(|e| format!("channel not ready: {e}"))?;
    let codec = tonic_prost::ProstCodec::<
        get_provider_schema::Request,
        get_provider_schema::Response,
    >::default();
    grpc.unary(
        tonic::Request::new(get_provider_schema::Request {}),
        PathAndQuery::from_static(GET_PROVIDER_SCHEMA),
        codec,
    )
    .await
    .map(tonic::Response::into_inner)
    .map_err(|status| format!("GetProviderSchema: {status}"))
}
