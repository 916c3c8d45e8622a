//! The stop signal: StopProvider and Shutdown flip it, long waits and HTTP calls race it.
//! Lives beside the rooms (not in `framework`) so that vendor clients can race it without importing
//! Terraform semantics. Imports nothing of this crate.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct StopSignal {
    rx: watch::Receiver<bool>,
    tx: std::sync::Arc<watch::Sender<bool>>,
}

impl Default for StopSignal {
    fn default() -> Self {
        let (tx, rx) = watch::channel(false);
        StopSignal {
            rx,
            tx: std::sync::Arc::new(tx),
        }
    }
}

/// Returned when an operation was interrupted by StopProvider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

impl StopSignal {
    pub fn stop(&self) {
        let _ = self.tx.send(true);
    }
    pub fn is_stopped(&self) -> bool {
        *self.rx.borrow()
    }
    /// Resolves once stop has been requested.
    pub async fn stopped(&self) {
        let mut rx = self.rx.clone();
        let _ = rx.wait_for(|s| *s).await;
    }
    /// Run `fut` unless stop comes first.
    pub async fn race<F: Future>(&self, fut: F) -> Result<F::Output, Stopped> {
        if self.is_stopped() {
            return Err(Stopped);
        }
        tokio::select! {
            out = fut => Ok(out),
            _ = self.stopped() => Err(Stopped),
        }
    }
    /// Sleep for `d`, or less if stopped.
    pub async fn sleep(&self, d: Duration) -> Result<(), Stopped> {
        self.race(tokio::time::sleep(d)).await
    }
}
