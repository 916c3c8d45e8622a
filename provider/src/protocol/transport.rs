//! Where the plugin listens and how connections reach tonic: go-plugin's two transports (a unix
//! socket in a private directory everywhere but Windows; TCP on 127.0.0.1 within
//! `PLUGIN_MIN_PORT`..=`PLUGIN_MAX_PORT` on Windows, or on any host with
//! `PAASFORM_PLUGIN_TRANSPORT=tcp`), optional AutoMTLS per connection, and a count of the live
//! client connections so a provider whose Terraform went away stops instead of idling forever.
//! Must not import framework or clouds.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
#[cfg(unix)]
use tokio::net::UnixListener;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tonic::transport::server::Connected;

#[cfg(unix)]
use super::handshake::SocketDir;

/// Forces the TCP transport on a unix host (what Windows always uses), e.g. to test it on Linux.
pub const TRANSPORT_ENV: &str = "PAASFORM_PLUGIN_TRANSPORT";
/// A client that has not finished the TLS handshake by then is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

#[cfg(unix)]
type DirGuard = SocketDir;
#[cfg(not(unix))]
type DirGuard = ();

/// A bound plugin socket and where clients reach it. Keep it until the server is done:
/// dropping it removes the unix socket's private directory.
pub struct Bound {
    pub listener: Listener,
    /// go-plugin's network name (`unix` or `tcp`) and address, as in the handshake line.
    pub network: &'static str,
    pub address: String,
    _dir: Option<DirGuard>,
}

/// The socket the plugin accepts on.
pub enum Listener {
    #[cfg(unix)]
    Unix(UnixListener),
    Tcp(TcpListener),
}

impl Bound {
    /// go-plugin's `serverListener`: TCP on Windows, a unix socket elsewhere — unless
    /// [`TRANSPORT_ENV`] says `tcp`.
    pub fn from_env() -> Result<Bound, String> {
        let forced = std::env::var(TRANSPORT_ENV).unwrap_or_default();
        let tcp = match forced.trim() {
            "" => cfg!(windows),
            "tcp" => true,
            "unix" if cfg!(unix) => false,
            other => {
                return Err(format!(
                    "{TRANSPORT_ENV}={other:?} is not a transport: use \"tcp\"{}",
                    if cfg!(unix) { " or \"unix\"" } else { "" }
                ))
            }
        };
        if tcp {
            let (min, max) = port_range(
                std::env::var("PLUGIN_MIN_PORT").ok().as_deref(),
                std::env::var("PLUGIN_MAX_PORT").ok().as_deref(),
            )?;
            return Self::tcp(min, max);
        }
        #[cfg(unix)]
        {
            Self::unix().map_err(|e| format!("cannot create the plugin socket: {e}"))
        }
        #[cfg(not(unix))]
        unreachable!("non-unix hosts always choose TCP above")
    }

    /// A unix socket in a fresh private directory (go-plugin's `PLUGIN_UNIX_SOCKET_DIR` or the
    /// temp dir).
    #[cfg(unix)]
    pub fn unix() -> io::Result<Bound> {
        let dir = SocketDir::create()?;
        let listener = UnixListener::bind(dir.socket_path())?;
        Ok(Bound {
            listener: Listener::Unix(listener),
            network: "unix",
            address: dir.socket_path().display().to_string(),
            _dir: Some(dir),
        })
    }

    /// The first free port of `min..=max` on 127.0.0.1 (0..=0: one the system picks), tried in
    /// order as go-plugin does.
    pub fn tcp(min: u16, max: u16) -> Result<Bound, String> {
        let mut last = None;
        for port in min..=max {
            match std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
                Ok(l) => {
                    let address = l.local_addr().map_err(|e| e.to_string())?.to_string();
                    l.set_nonblocking(true).map_err(|e| e.to_string())?;
                    let listener = TcpListener::from_std(l).map_err(|e| e.to_string())?;
                    return Ok(Bound {
                        listener: Listener::Tcp(listener),
                        network: "tcp",
                        address,
                        _dir: None,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        Err(format!(
            "cannot bind a plugin TCP port on 127.0.0.1 in {min}..={max}{}",
            last.map(|e| format!(": {e}")).unwrap_or_default()
        ))
    }
}

/// Keeps the unix socket's directory until dropped.
pub struct SocketGuard(#[allow(dead_code)] Option<DirGuard>);

impl Bound {
    /// The listener for the server, and the guard to hold until serving is over.
    pub fn split(self) -> (Listener, SocketGuard) {
        (self.listener, SocketGuard(self._dir))
    }
}

#[cfg(unix)]
impl From<UnixListener> for Listener {
    fn from(l: UnixListener) -> Self {
        Listener::Unix(l)
    }
}

impl From<TcpListener> for Listener {
    fn from(l: TcpListener) -> Self {
        Listener::Tcp(l)
    }
}

impl Listener {
    async fn accept(&self) -> io::Result<Box<dyn Io>> {
        match self {
            #[cfg(unix)]
            Listener::Unix(l) => Ok(Box::new(l.accept().await?.0)),
            Listener::Tcp(l) => {
                let (sock, _) = l.accept().await?;
                // gRPC sends small frames and waits for answers: Nagle would add 40 ms stalls.
                sock.set_nodelay(true)?;
                Ok(Box::new(sock))
            }
        }
    }
}

/// `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT` as go-plugin reads them: unset means 0.
pub fn port_range(min: Option<&str>, max: Option<&str>) -> Result<(u16, u16), String> {
    fn one(name: &str, v: Option<&str>) -> Result<u16, String> {
        match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(0),
            Some(s) => s
                .parse::<u16>()
                .map_err(|_| format!("{name}={s:?} is not a port number (0-65535)")),
        }
    }
    let (lo, hi) = (one("PLUGIN_MIN_PORT", min)?, one("PLUGIN_MAX_PORT", max)?);
    if lo > hi {
        return Err(format!(
            "PLUGIN_MIN_PORT value of {lo} is greater than PLUGIN_MAX_PORT value of {hi}"
        ));
    }
    Ok((lo, hi))
}

/// The byte stream of one connection, whatever the socket and TLS.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// Counts the client connections being served. `drained` fires when the last one has closed
/// (after at least one was served) and no new one arrived within `grace`.
#[derive(Clone, Default)]
pub struct ConnTracker {
    inner: Arc<TrackerInner>,
}

#[derive(Default)]
struct TrackerInner {
    live: AtomicUsize,
    served: AtomicBool,
    changed: tokio::sync::Notify,
}

impl ConnTracker {
    fn open(&self) -> ConnGuard {
        self.inner.served.store(true, Ordering::SeqCst);
        self.inner.live.fetch_add(1, Ordering::SeqCst);
        self.inner.changed.notify_waiters();
        ConnGuard(self.inner.clone())
    }

    fn idle(&self) -> bool {
        self.inner.served.load(Ordering::SeqCst) && self.inner.live.load(Ordering::SeqCst) == 0
    }

    /// Resolves once every served connection has been closed for `grace`.
    pub async fn drained(&self, grace: Duration) {
        loop {
            let changed = self.inner.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.idle() {
                tokio::select! {
                    () = tokio::time::sleep(grace) => {
                        if self.idle() {
                            return;
                        }
                    }
                    () = &mut changed => {}
                }
            } else {
                changed.await;
            }
        }
    }
}

struct ConnGuard(Arc<TrackerInner>);

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::SeqCst);
        self.0.changed.notify_waiters();
    }
}

/// One accepted (and, with AutoMTLS, authenticated) client connection, as tonic wants it.
pub struct PluginConn {
    io: Box<dyn Io>,
    _guard: ConnGuard,
}

impl Connected for PluginConn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for PluginConn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for PluginConn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// Accept connections and complete the TLS handshake (if any) of each in its own task, so one
/// slow or hostile client cannot hold up the others. Failed handshakes are logged and dropped
/// and never count as served. Accepting stops when tonic drops the stream.
pub fn incoming(
    listener: Listener,
    tls: Option<TlsAcceptor>,
    tracker: ConnTracker,
) -> impl futures::Stream<Item = io::Result<PluginConn>> {
    let (tx, rx) = mpsc::channel::<io::Result<PluginConn>>(16);
    tokio::spawn(async move {
        loop {
            let sock = tokio::select! {
                r = listener.accept() => r,
                () = tx.closed() => break,
            };
            let sock = match sock {
                Ok(sock) => sock,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Some(acceptor) = tls.clone() else {
                let conn = PluginConn {
                    io: sock,
                    _guard: tracker.open(),
                };
                if tx.send(Ok(conn)).await.is_err() {
                    break;
                }
                continue;
            };
            let (tx, tracker) = (tx.clone(), tracker.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(sock)).await {
                    Ok(Ok(stream)) => {
                        let conn = PluginConn {
                            io: Box::new(stream),
                            _guard: tracker.open(),
                        };
                        let _ = tx.send(Ok(conn)).await;
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake refused"),
                    Err(_) => tracing::warn!("TLS handshake timed out"),
                }
            });
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
}

/// The process that started us, where that can be observed (unix). Read it first thing: a
/// parent that dies before we look would otherwise pass unnoticed.
pub fn parent_pid() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(std::os::unix::process::parent_id())
    }
    #[cfg(not(unix))]
    None
}

/// Resolves when `parent` (from [`parent_pid`]) is no longer our parent: it exited and we were
/// re-parented to init or a subreaper. Never resolves for `None` (Windows: the closed
/// connection is the evidence there).
pub async fn parent_gone(parent: Option<u32>) {
    let Some(parent) = parent else {
        return futures::future::pending::<()>().await;
    };
    loop {
        if parent_pid() != Some(parent) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_range_reads_like_go_plugin() {
        assert_eq!(port_range(None, None), Ok((0, 0)));
        assert_eq!(port_range(Some("10000"), Some("25000")), Ok((10000, 25000)));
        assert_eq!(port_range(Some(""), Some(" 7 ")), Ok((0, 7)));
        let err = port_range(Some("9"), Some("8")).expect_err("inverted");
        assert!(err.contains("greater than PLUGIN_MAX_PORT"), "{err}");
        let err = port_range(Some("x"), None).expect_err("not a number");
        assert!(err.contains("PLUGIN_MIN_PORT"), "{err}");
        assert!(port_range(None, Some("70000")).is_err());
    }

    #[tokio::test]
    async fn tcp_takes_the_first_free_port_of_the_range() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = taken.local_addr().expect("addr").port();
        let b = Bound::tcp(port, port.saturating_add(50)).expect("a free port in the range");
        let (net, addr) = (b.network, b.address.clone());
        assert_eq!(net, "tcp");
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        assert_ne!(
            addr,
            format!("127.0.0.1:{port}"),
            "the taken port is skipped"
        );
        assert!(Bound::tcp(port, port).is_err(), "only a taken port");
    }

    #[tokio::test]
    async fn drained_waits_for_a_served_connection_to_close() {
        let tracker = ConnTracker::default();
        let grace = Duration::from_millis(20);
        // Nothing served yet: not drained.
        assert!(
            tokio::time::timeout(Duration::from_millis(60), tracker.drained(grace))
                .await
                .is_err()
        );
        let guard = tracker.open();
        assert!(
            tokio::time::timeout(Duration::from_millis(60), tracker.drained(grace))
                .await
                .is_err()
        );
        drop(guard);
        tokio::time::timeout(Duration::from_millis(500), tracker.drained(grace))
            .await
            .expect("drained after the last connection closed");
    }
}
