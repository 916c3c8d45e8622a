//! Waiting for a vendor object to settle (a deploy going live, a database becoming available):
//! one `poll_until` with capped exponential backoff that polls until the deadline (the last sleep
//! is cut to land on it), stops promptly on StopProvider, and logs a progress line about every
//! ten seconds. Must not import protocol or clouds.

use std::future::Future;
use std::time::Duration;

use super::diagnostics::{Diagnostic, Diagnostics};
use crate::stop::StopSignal;

/// What one probe saw.
pub enum Poll<T> {
    /// Done: the value to return.
    Ready(T),
    /// Not yet; the status to quote in progress lines and in the timeout message.
    Pending(String),
}

/// How to wait.
#[derive(Clone, Debug)]
pub struct WaitSpec {
    /// "Render deploy dep-123" — quoted in progress and error messages.
    pub what: String,
    /// The timeout attribute the user can raise ("timeouts.create").
    pub timeout_attr: &'static str,
    pub limit: Duration,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl WaitSpec {
    pub fn new(what: impl Into<String>, timeout_attr: &'static str, limit: Duration) -> Self {
        WaitSpec {
            what: what.into(),
            timeout_attr,
            limit,
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Probe until it is ready, the limit passes, the probe fails, or Terraform asks us to stop.
pub async fn poll_until<T, F, Fut>(
    stop: &StopSignal,
    spec: &WaitSpec,
    mut probe: F,
) -> Result<T, Diagnostics>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, Diagnostics>>,
{
    let started = tokio::time::Instant::now();
    let deadline = started + spec.limit;
    let mut delay = spec.first_delay;
    let mut last_progress = started;
    loop {
        let status = match probe().await? {
            Poll::Ready(t) => return Ok(t),
            Poll::Pending(status) => status,
        };
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(Diagnostic::error(
                format!("Timed out waiting for {}", spec.what),
                format!(
                    "{} is still {status:?} after {} (set {} to wait longer).",
                    spec.what,
                    human(spec.limit),
                    spec.timeout_attr
                ),
            )
            .into());
        }
        if now.duration_since(last_progress) >= PROGRESS_EVERY {
            tracing::info!(
                "still waiting for {}: {status}, {} s",
                spec.what,
                now.duration_since(started).as_secs()
            );
            last_progress = now;
        }
        // Never sleep past the deadline: the last probe lands on it.
        let sleep = delay.min(deadline.duration_since(now));
        if stop.sleep(sleep).await.is_err() {
            return Err(Diagnostic::error(
                "Interrupted",
                format!(
                    "Terraform asked the provider to stop while waiting for {} (last status {status:?}).",
                    spec.what
                ),
            )
            .into());
        }
        delay = (delay * 2).min(spec.max_delay);
    }
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else if s > 0 {
        format!("{s}s")
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn polls_until_ready() {
        let n = AtomicU32::new(0);
        let spec = WaitSpec::new("thing", "timeouts.create", Duration::from_secs(60));
        let got = poll_until(&StopSignal::default(), &spec, || async {
            let i = n.fetch_add(1, Ordering::SeqCst);
            Ok(if i == 3 {
                Poll::Ready(i)
            } else {
                Poll::Pending("building".into())
            })
        })
        .await;
        assert_eq!(got.ok(), Some(3));
    }

    #[tokio::test(start_paused = true)]
    async fn waits_the_whole_timeout_and_quotes_the_status() {
        let spec = WaitSpec::new(
            "Render deploy dep-1",
            "timeouts.create",
            Duration::from_secs(5),
        );
        let started = tokio::time::Instant::now();
        let err = poll_until(&StopSignal::default(), &spec, || async {
            Ok::<Poll<()>, Diagnostics>(Poll::Pending("build_in_progress".into()))
        })
        .await
        .expect_err("times out");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(5),
            "gave up early after {waited:?}"
        );
        assert!(waited < Duration::from_millis(5100), "overshot: {waited:?}");
        let text = err.to_string();
        assert!(
            text.contains("\"build_in_progress\"") && text.contains("timeouts.create"),
            "{text}"
        );
    }
}
