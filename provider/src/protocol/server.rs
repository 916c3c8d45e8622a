//! The plugin server: binds the unix socket, optionally wraps connections in AutoMTLS, serves
//! tfplugin6 + go-plugin's services, and winds down promptly on Shutdown. Two entry points:
//! [`serve_plugin`] (started by Terraform, after the cookie check) and [`serve_debug`] (started
//! by a human, prints `TF_REATTACH_PROVIDERS`). Must not import clouds.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tonic::transport::server::{Connected, Router};
use tonic::transport::Server;

use super::go_plugin::{Broker, Controller, HealthService, Stdio};
use super::handshake::{self, SocketDir};
use super::proto::health::health_server::HealthServer;
use super::proto::plugin::grpc_broker_server::GrpcBrokerServer;
use super::proto::plugin::grpc_controller_server::GrpcControllerServer;
use super::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use super::proto::tfplugin6::provider_server::ProviderServer;
use super::provider_service::ProviderService;
use super::{logging, tls};
use crate::framework::Host;

/// Terraform allows messages up to 256 MiB; tonic's default is 4 MiB.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;
/// After Shutdown, how long in-flight responses get before we stop serving regardless
/// (Terraform kills the process 2 s after asking).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// A client that has not finished the TLS handshake by then is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A one-way "please stop serving" flag shared by the controller, signals and the server.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            tx: Arc::new(watch::channel(false).0),
        }
    }
}

impl Shutdown {
    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }
    pub fn is_triggered(&self) -> bool {
        *self.tx.borrow()
    }
    pub async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|s| *s).await;
    }
}

fn router(host: Arc<Host>, shutdown: Shutdown) -> Router {
    let provider = ProviderServer::new(ProviderService::new(host))
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    Server::builder()
        .add_service(provider)
        .add_service(HealthServer::new(HealthService))
        .add_service(GrpcControllerServer::new(Controller { shutdown }))
        .add_service(GrpcStdioServer::new(Stdio))
        .add_service(GrpcBrokerServer::new(Broker))
}

/// Serve on `listener` until `shutdown` fires (plus a short grace for in-flight responses).
/// With `tls`, every connection must complete mutual TLS first.
pub async fn run(
    host: Arc<Host>,
    listener: UnixListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: Shutdown,
) -> Result<(), String> {
    let stop_host = host.clone();
    let router = router(host, shutdown.clone());
    let until = {
        let s = shutdown.clone();
        async move {
            s.wait().await;
            // Cancel in-flight vendor calls too, so the grace period is enough.
            stop_host.stop();
        }
    };
    let serving: Pin<
        Box<dyn std::future::Future<Output = Result<(), tonic::transport::Error>> + Send>,
    > = match tls {
        Some(config) => Box::pin(router.serve_with_incoming_shutdown(
            tls_incoming(listener, TlsAcceptor::from(config)),
            until,
        )),
        None => Box::pin(router.serve_with_incoming_shutdown(
            tokio_stream::wrappers::UnixListenerStream::new(listener),
            until,
        )),
    };
    let deadline = async {
        shutdown.wait().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = serving => r.map_err(|e| format!("gRPC server failed: {e}")),
        () = deadline => Ok(()),
    }
}

/// Accept unix connections and complete the TLS handshake of each in its own task, so one slow
/// or hostile client cannot hold up the others. Failed handshakes are logged and dropped.
fn tls_incoming(
    listener: UnixListener,
    acceptor: TlsAcceptor,
) -> impl futures::Stream<Item = io::Result<TlsConn>> {
    let (tx, rx) = mpsc::channel::<io::Result<TlsConn>>(16);
    tokio::spawn(async move {
        loop {
            let sock = tokio::select! {
                r = listener.accept() => r,
                () = tx.closed() => break,
            };
            let sock = match sock {
                Ok((sock, _)) => sock,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(sock)).await {
                    Ok(Ok(stream)) => {
                        let _ = tx.send(Ok(TlsConn(stream))).await;
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake refused"),
                    Err(_) => tracing::warn!("TLS handshake timed out"),
                }
            });
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
}

/// A server-side TLS connection, as tonic wants it (it only knows its own TLS types).
pub struct TlsConn(tokio_rustls::server::TlsStream<UnixStream>);

impl Connected for TlsConn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for TlsConn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsConn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Serve `host` to Terraform (the magic cookie was already checked). Returns the exit code.
/// stdout carries exactly one line, the handshake; everything else goes to stderr.
pub fn serve_plugin(host: Arc<Host>) -> i32 {
    if let Err(msg) = handshake::check_protocol_versions(
        std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref(),
    ) {
        eprintln!("{msg}");
        return 1;
    }
    logging::init();
    let tls = match tls::from_env() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("Cannot set up TLS with Terraform: {e}");
            return 1;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Cannot start the async runtime: {e}");
            return 1;
        }
    };
    let code = rt.block_on(async move {
        let (dir, listener) = match bind() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("Cannot create the plugin socket: {e}");
                return 1;
            }
        };
        let line = handshake::handshake_line(
            &dir.socket_path(),
            tls.as_ref().map(|t| t.cert_der.as_slice()),
        );
        if let Err(e) = handshake::announce(&line) {
            eprintln!("Cannot write the handshake to stdout: {e}");
            return 1;
        }
        tracing::info!(
            provider = host.name(),
            tls = tls.is_some(),
            "plugin serving"
        );
        let shutdown = Shutdown::default();
        tokio::spawn(ignore_interrupts());
        let result = run(host, listener, tls.map(|t| t.config), shutdown).await;
        drop(dir);
        match result {
            Ok(()) => 0,
            Err(e) => {
                tracing::error!(error = %e, "server stopped");
                1
            }
        }
    });
    rt.shutdown_background();
    code
}

/// Terraform forwards Ctrl-C to the whole process group, then cancels via StopProvider and
/// Shutdown. Dying on SIGINT would lose the state of an in-flight apply, so swallow it.
async fn ignore_interrupts() {
    while tokio::signal::ctrl_c().await.is_ok() {
        tracing::debug!("interrupt received; waiting for Terraform to stop us");
    }
}

fn bind() -> io::Result<(SocketDir, UnixListener)> {
    let dir = SocketDir::create()?;
    let listener = UnixListener::bind(dir.socket_path())?;
    Ok((dir, listener))
}

/// The `TF_REATTACH_PROVIDERS` value for a debug server (`"Test": true` is required).
pub fn reattach_json(provider_address: &str, pid: u32, socket: &std::path::Path) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": handshake::APP_PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": socket.display().to_string() },
        }
    })
    .to_string()
}

/// Serve `host` without TLS for a debugger: print the reattach value and serve until Ctrl-C.
pub fn serve_debug(host: Arc<Host>) -> i32 {
    logging::init();
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Cannot start the async runtime: {e}");
            return 1;
        }
    };
    let code = rt.block_on(async move {
        let (dir, listener) = match bind() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("Cannot create the plugin socket: {e}");
                return 1;
            }
        };
        let address = format!("registry.terraform.io/paasform/{}", host.name());
        let json = reattach_json(&address, std::process::id(), &dir.socket_path());
        println!(
            "Provider {address} is serving in debug mode. In another shell, run Terraform with:\n"
        );
        println!("  export TF_REATTACH_PROVIDERS='{json}'\n");
        println!("Press Ctrl-C to stop.");
        let shutdown = Shutdown::default();
        let on_interrupt = shutdown.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            on_interrupt.trigger();
        });
        let result = run(host, listener, None, shutdown).await;
        drop(dir);
        match result {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("{e}");
                1
            }
        }
    });
    rt.shutdown_background();
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_value_shape() {
        let j: serde_json::Value = serde_json::from_str(&reattach_json(
            "registry.terraform.io/paasform/render",
            42,
            std::path::Path::new("/t/p.sock"),
        ))
        .expect("json");
        let p = &j["registry.terraform.io/paasform/render"];
        assert_eq!(p["Protocol"], "grpc");
        assert_eq!(p["ProtocolVersion"], 6);
        assert_eq!(p["Pid"], 42);
        assert_eq!(p["Test"], true);
        assert_eq!(p["Addr"]["Network"], "unix");
        assert_eq!(p["Addr"]["String"], "/t/p.sock");
    }
}
