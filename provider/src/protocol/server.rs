//! The plugin server: binds go-plugin's transport (see `transport`), optionally wraps
//! connections in AutoMTLS, serves tfplugin6 + go-plugin's services, and winds down promptly on
//! Shutdown or when its Terraform is gone. Two entry points:
//! [`serve_plugin`] (started by Terraform, after the cookie check) and [`serve_debug`] (started
//! by a human, prints `TF_REATTACH_PROVIDERS`). Must not import clouds.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tonic::transport::server::Router;
use tonic::transport::Server;

use super::go_plugin::{Broker, Controller, HealthService, Stdio};
use super::handshake;
use super::proto::health::health_server::HealthServer;
use super::proto::plugin::grpc_broker_server::GrpcBrokerServer;
use super::proto::plugin::grpc_controller_server::GrpcControllerServer;
use super::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use super::proto::tfplugin6::provider_server::ProviderServer;
use super::provider_service::ProviderService;
use super::transport::{self, Bound, ConnTracker, Listener};
use super::{logging, tls};
use crate::framework::Host;

/// Terraform allows messages up to 256 MiB; tonic's default is 4 MiB.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;
/// After Shutdown, how long in-flight responses get before we stop serving regardless
/// (Terraform kills the process 2 s after asking).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// After the client's last connection closed, how long a reconnect may take before we exit.
const CLIENT_GONE_GRACE: Duration = Duration::from_millis(300);

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
/// With `tls`, every connection must complete mutual TLS first. `tracker` counts the
/// connections being served.
pub async fn run(
    host: Arc<Host>,
    listener: Listener,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: Shutdown,
    tracker: ConnTracker,
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
    let incoming = transport::incoming(listener, tls.map(TlsAcceptor::from), tracker);
    let serving = router.serve_with_incoming_shutdown(incoming, until);
    let deadline = async {
        shutdown.wait().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = serving => r.map_err(|e| format!("gRPC server failed: {e}")),
        () = deadline => Ok(()),
    }
}

/// A provider whose Terraform died must not live on. Stop when the client is gone: every
/// connection it opened has closed (Terraform keeps one open, with go-plugin's broker and stdio
/// streams, for as long as it uses us), or the process that started us has exited.
fn stop_when_client_gone(parent: Option<u32>, tracker: &ConnTracker, shutdown: &Shutdown) {
    let (t, s) = (tracker.clone(), shutdown.clone());
    tokio::spawn(async move {
        t.drained(CLIENT_GONE_GRACE).await;
        tracing::debug!("the client closed its connection; exiting");
        s.trigger();
    });
    let s = shutdown.clone();
    tokio::spawn(async move {
        transport::parent_gone(parent).await;
        tracing::debug!("the process that started us exited; exiting");
        s.trigger();
    });
}

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Serve `host` to Terraform (the magic cookie was already checked). Returns the exit code.
/// stdout carries exactly one line, the handshake; everything else goes to stderr.
pub fn serve_plugin(host: Arc<Host>) -> i32 {
    let parent = transport::parent_pid();
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
        let bound = match Bound::from_env() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("Cannot listen for Terraform: {e}");
                return 1;
            }
        };
        let line = handshake::handshake_line(
            bound.network,
            &bound.address,
            tls.as_ref().map(|t| t.cert_der.as_slice()),
        );
        if let Err(e) = handshake::announce(&line) {
            eprintln!("Cannot write the handshake to stdout: {e}");
            return 1;
        }
        tracing::info!(
            provider = host.name(),
            tls = tls.is_some(),
            network = bound.network,
            "plugin serving"
        );
        let (shutdown, tracker) = (Shutdown::default(), ConnTracker::default());
        tokio::spawn(ignore_interrupts());
        stop_when_client_gone(parent, &tracker, &shutdown);
        let (listener, socket) = bound.split();
        let result = run(host, listener, tls.map(|t| t.config), shutdown, tracker).await;
        drop(socket);
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

/// The `TF_REATTACH_PROVIDERS` value for a debug server (`"Test": true` is required).
pub fn reattach_json(provider_address: &str, pid: u32, network: &str, address: &str) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": handshake::APP_PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": network, "String": address },
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
        let bound = match Bound::from_env() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("Cannot listen for Terraform: {e}");
                return 1;
            }
        };
        let address = format!("registry.terraform.io/paasform/{}", host.name());
        let json = reattach_json(&address, std::process::id(), bound.network, &bound.address);
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
        // A debugger's Terraform runs come and go: no exit when a client leaves.
        let (listener, socket) = bound.split();
        let result = run(host, listener, None, shutdown, ConnTracker::default()).await;
        drop(socket);
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
            "unix",
            "/t/p.sock",
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
