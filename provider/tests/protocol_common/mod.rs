//! Shared helpers for the protocol tests: spawning the real binary under a provider name, temp
//! dirs, gRPC channels over the plugin's unix socket or TCP port (plaintext or mutual TLS) and a generic
//! unary call (the build generates server code only).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::UnixStream;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint, Uri};

pub const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

pub mod paths {
    pub const GET_PROVIDER_SCHEMA: &str = "/tfplugin6.Provider/GetProviderSchema";
    pub const VALIDATE_RESOURCE_CONFIG: &str = "/tfplugin6.Provider/ValidateResourceConfig";
    pub const VALIDATE_DATA_RESOURCE_CONFIG: &str =
        "/tfplugin6.Provider/ValidateDataResourceConfig";
    pub const CONFIGURE_PROVIDER: &str = "/tfplugin6.Provider/ConfigureProvider";
    pub const UPGRADE_RESOURCE_STATE: &str = "/tfplugin6.Provider/UpgradeResourceState";
    pub const READ_RESOURCE: &str = "/tfplugin6.Provider/ReadResource";
    pub const PLAN_RESOURCE_CHANGE: &str = "/tfplugin6.Provider/PlanResourceChange";
    pub const APPLY_RESOURCE_CHANGE: &str = "/tfplugin6.Provider/ApplyResourceChange";
    pub const IMPORT_RESOURCE_STATE: &str = "/tfplugin6.Provider/ImportResourceState";
    pub const MOVE_RESOURCE_STATE: &str = "/tfplugin6.Provider/MoveResourceState";
    pub const READ_DATA_SOURCE: &str = "/tfplugin6.Provider/ReadDataSource";
    pub const GET_RESOURCE_IDENTITY_SCHEMAS: &str =
        "/tfplugin6.Provider/GetResourceIdentitySchemas";
    pub const GET_FUNCTIONS: &str = "/tfplugin6.Provider/GetFunctions";
    pub const CALL_FUNCTION: &str = "/tfplugin6.Provider/CallFunction";
    pub const STOP_PROVIDER: &str = "/tfplugin6.Provider/StopProvider";
    pub const OPEN_EPHEMERAL: &str = "/tfplugin6.Provider/OpenEphemeralResource";
    pub const CLOSE_EPHEMERAL: &str = "/tfplugin6.Provider/CloseEphemeralResource";
    pub const HEALTH_CHECK: &str = "/grpc.health.v1.Health/Check";
    pub const SHUTDOWN: &str = "/plugin.GRPCController/Shutdown";
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("paasform-{tag}-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The real binary, linked into a temp dir under `name` (argv[0] decides the identity).
pub fn binary_named(dir: &TempDir, name: &str) -> PathBuf {
    let link = dir.path().join(name);
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_terraform-provider-paasform"), &link)
        .expect("symlink binary");
    link
}

/// A command for `exe` with a clean plugin environment (no inherited TF_*/PLUGIN_* settings).
pub fn plugin_command(exe: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(exe);
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_") || k.starts_with("PLUGIN_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// A plugin process that has printed its handshake line.
pub struct Plugin {
    pub child: Child,
    pub handshake: String,
    pub stdout: BufReader<ChildStdout>,
    pub _dir: TempDir,
}

impl Plugin {
    /// Start `terraform-provider-<identity>` with the magic cookie plus `env`.
    pub fn start(identity: &str, env: &[(&str, &str)]) -> Plugin {
        let dir = TempDir::new("plugin");
        let exe = binary_named(&dir, &format!("terraform-provider-{identity}"));
        let mut all = vec![
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
        ];
        all.extend_from_slice(env);
        Plugin::spawn(plugin_command(&exe, &all), dir, Duration::from_secs(60))
    }

    /// Spawn `cmd` (stdout piped) and wait up to `limit` for its handshake line; panics with
    /// what happened when none comes (a wedged process is killed, not waited on forever).
    pub fn spawn(mut cmd: Command, dir: TempDir, limit: Duration) -> Plugin {
        let mut child = cmd.spawn().expect("spawn plugin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut handshake = String::new();
            let read = stdout.read_line(&mut handshake);
            let _ = tx.send((read, handshake, stdout));
        });
        let (read, handshake, stdout) = match rx.recv_timeout(limit) {
            Ok(got) => got,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no handshake line within {limit:?}");
            }
        };
        read.expect("read handshake");
        Plugin {
            child,
            handshake: handshake.trim_end().to_string(),
            stdout,
            _dir: dir,
        }
    }

    pub fn fields(&self) -> Vec<String> {
        self.handshake.split('|').map(str::to_string).collect()
    }

    pub fn socket(&self) -> PathBuf {
        PathBuf::from(&self.fields()[3])
    }

    /// Where the handshake line says to connect (`unix` socket or `tcp` address).
    pub fn target(&self) -> Target {
        let f = self.fields();
        match f[2].as_str() {
            "unix" => Target::Unix(PathBuf::from(&f[3])),
            "tcp" => Target::Tcp(f[3].clone()),
            other => panic!("unknown network {other:?} in {:?}", self.handshake),
        }
    }

    /// Everything the process wrote to stdout after the handshake line (reads to EOF).
    pub fn rest_of_stdout(&mut self) -> String {
        let mut s = String::new();
        let _ = self.stdout.read_to_string(&mut s);
        s
    }

    /// Wait up to `limit` for the process to exit; `None` if it is still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if start.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn endpoint() -> Endpoint {
    // The URI is a placeholder: the connector below always dials the unix socket.
    Endpoint::from_static("http://localhost")
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
}

/// A plugin's address from its handshake line.
#[derive(Clone, Debug)]
pub enum Target {
    Unix(PathBuf),
    Tcp(String),
}

impl From<&Path> for Target {
    fn from(p: &Path) -> Self {
        Target::Unix(p.to_path_buf())
    }
}

impl From<&PathBuf> for Target {
    fn from(p: &PathBuf) -> Self {
        Target::Unix(p.clone())
    }
}

/// A byte stream to the plugin, whatever the transport.
pub trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static> Io for T {}

async fn dial(target: &Target) -> std::io::Result<Box<dyn Io>> {
    Ok(match target {
        Target::Unix(p) => Box::new(UnixStream::connect(p).await?),
        Target::Tcp(a) => {
            let s = tokio::net::TcpStream::connect(a.as_str()).await?;
            s.set_nodelay(true)?;
            Box::new(s)
        }
    })
}

/// A plaintext gRPC channel over either transport.
pub async fn plain_channel(target: &Target) -> Result<Channel, tonic::transport::Error> {
    let target = target.clone();
    endpoint()
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let target = target.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(dial(&target).await?)) }
        }))
        .await
}

/// A plaintext gRPC channel over the plugin's unix socket.
pub async fn unix_channel(socket: &Path) -> Result<Channel, tonic::transport::Error> {
    let socket = socket.to_path_buf();
    endpoint()
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let socket = socket.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(socket).await?)) }
        }))
        .await
}

/// A client certificate (DER) and its PKCS#8 key (DER).
pub struct ClientIdentity {
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
    pub pem: String,
}

/// A client certificate shaped like Terraform's: ECDSA P-521, self-signed, flagged as a CA.
pub fn terraform_like_client_cert() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("cert");
    ClientIdentity {
        cert_der: cert.der().to_vec(),
        key_der: key.serialize_der(),
        pem: cert.pem(),
    }
}

/// A mutual-TLS gRPC channel (unix socket or TCP) that trusts exactly `server_der` (as
/// go-plugin does with the cert from the handshake line) and presents `client` if given.
pub async fn tls_channel(
    target: impl Into<Target>,
    server_der: Vec<u8>,
    client: Option<&ClientIdentity>,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer {
            der: server_der,
            provider,
        }));
    let mut config = match client {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key_der.clone())),
            )
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let target = target.into();
    endpoint()
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let (target, connector) = (target.clone(), connector.clone());
            async move {
                let stream = dial(&target).await?;
                let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
                Ok::<_, std::io::Error>(TokioIo::new(connector.connect(name, stream).await?))
            }
        }))
        .await
}

/// Trusts exactly one server certificate (signatures still checked).
#[derive(Debug)]
struct PinnedServer {
    der: Vec<u8>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "unexpected server certificate".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One unary gRPC call by path, with Terraform's 256 MiB message limits.
pub async fn unary<Req, Resp>(
    ch: &Channel,
    path: &'static str,
    req: Req,
) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut grpc = tonic::client::Grpc::new(ch.clone())
        .max_decoding_message_size(256 << 20)
        .max_encoding_message_size(256 << 20);
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    grpc.unary(
        tonic::Request::new(req),
        PathAndQuery::from_static(path),
        codec,
    )
    .await
    .map(tonic::Response::into_inner)
}
