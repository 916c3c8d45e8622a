//! Client-side pacing, shared by every clone of one vendor client in this provider process: a
//! bound on requests in flight (a 500-resource plan must not open 2,000 connections), the
//! budget the vendor reports in its documented rate-limit headers (`Ratelimit-Remaining` /
//! `X-RateLimit-Remaining` with their reset time), spread over the time left instead of spent
//! until a 429, and optional token buckets for limits a vendor documents but does not report.
//! When a reported window runs out, one request probes before the rest follow: vendors that count
//! over a sliding window (as the emulator does) free one slot at the reset, not the whole budget.
//! Retry-After handling stays in `http.rs`; this only decides when a request may start. Knows
//! no vendor: each client passes its own numbers. Must not import the framework.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::stop::StopSignal;

/// Requests one vendor client keeps in flight at most (Terraform itself runs 10 operations at a
/// time; each may fan out into a few concurrent sub-reads).
pub const DEFAULT_IN_FLIGHT: usize = 16;

/// `count` requests per `window`, as a vendor documents a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub count: u32,
    pub window: Duration,
}

impl Budget {
    pub const fn per_minute(count: u32) -> Self {
        Budget {
            count,
            window: Duration::from_secs(60),
        }
    }
}

/// A vendor's documented limits that its answers do not report, per credential.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimits {
    /// GET (and HEAD); `None` = no documented limit.
    pub reads: Option<Budget>,
    /// Every other method; `None` = no documented limit.
    pub writes: Option<Budget>,
    /// One budget for every method (Cloudflare counts all requests together).
    pub all: Option<Budget>,
}

/// What the vendor's answers have said about the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reported {
    /// No answer with rate headers yet (or the vendor sends none): requests go freely.
    Unknown,
    /// `left` requests until `reset_at`.
    Known { left: u32, reset_at: Instant },
    /// The reported window ran out: one request (sent at `since`) asks what the new window holds;
    /// the others wait for its answer, so a sliding window that freed one slot is not met by a
    /// burst of 429s.
    Probing { since: Instant },
}

/// How long the others wait for a probe's answer before another request probes (the first may
/// have been lost with its connection, or answered without rate headers).
const PROBE_PATIENCE: Duration = Duration::from_secs(2);
/// How often a request waiting for a probe's answer looks again.
const PROBE_POLL: Duration = Duration::from_millis(20);

/// What a request must do before it goes.
enum Admission {
    /// Go after this delay (it is already counted against the budget).
    After(Duration),
    /// Not counted yet: wait this long, then ask again.
    AskAgainIn(Duration),
}

/// The pacing state of one client and its clones.
#[derive(Clone, Debug)]
pub struct Pacer {
    in_flight: Arc<Semaphore>,
    capacity: usize,
    /// What the vendor last said is left (less what was sent since) and when it resets.
    reported: Arc<Mutex<Reported>>,
    reads: Option<Arc<Bucket>>,
    writes: Option<Arc<Bucket>>,
    all: Option<Arc<Bucket>>,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(DEFAULT_IN_FLIGHT, RateLimits::default())
    }
}

impl Pacer {
    pub fn new(in_flight: usize, limits: RateLimits) -> Self {
        let bucket = |b: Option<Budget>| b.filter(|b| b.count > 0).map(Bucket::new);
        Pacer {
            in_flight: Arc::new(Semaphore::new(in_flight.max(1))),
            capacity: in_flight.max(1),
            reported: Arc::new(Mutex::new(Reported::Unknown)),
            reads: bucket(limits.reads),
            writes: bucket(limits.writes),
            all: bucket(limits.all),
        }
    }

    /// Waits until a request with this method may start; the permit bounds requests in flight
    /// until it is dropped. `Err` when Terraform asked the provider to stop while waiting.
    pub async fn admit(
        &self,
        method: &reqwest::Method,
        stop: &StopSignal,
    ) -> Result<OwnedSemaphorePermit, ()> {
        let read = matches!(*method, reqwest::Method::GET | reqwest::Method::HEAD);
        let class = if read { &self.reads } else { &self.writes };
        for bucket in [class, &self.all].into_iter().flatten() {
            loop {
                let wait = bucket.take();
                if wait.is_zero() {
                    break;
                }
                stop.sleep(wait).await.map_err(|_| ())?;
            }
        }
        // The slot first, then the reported budget: a request queued for a slot must look at
        // the budget as it stands when it can really go, not as it stood when it queued.
        let permit = self.in_flight.clone().acquire_owned();
        let permit = stop.race(permit).await.map_err(|_| ())?.map_err(|_| ())?;
        loop {
            match self.spend_reported() {
                Admission::After(wait) => {
                    if !wait.is_zero() {
                        stop.sleep(wait).await.map_err(|_| ())?;
                    }
                    return Ok(permit);
                }
                Admission::AskAgainIn(wait) => stop.sleep(wait).await.map_err(|_| ())?,
            }
        }
    }
}

impl Pacer {
    /// Learns the vendor's view from an answer's headers: `remaining` requests until `reset`
    /// (UTC epoch seconds, or seconds from now when the value is small, as some vendors send).
    /// Requests still in flight were not yet counted in that answer, so they are taken off.
    pub fn observe(&self, remaining: u32, reset: u64) {
        let now_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let secs = if reset > 1_000_000_000 {
            reset.saturating_sub(now_epoch)
        } else {
            reset
        };
        let busy = self.capacity - self.in_flight.available_permits().min(self.capacity);
        let left = remaining.saturating_sub(busy.saturating_sub(1) as u32);
        let reset_at = Instant::now() + Duration::from_secs(secs.min(3600));
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        *reported = match *reported {
            // Answers arrive out of order: within one window, an answer to an older request
            // reports more than is really left, so the budget only ever goes down.
            Reported::Known {
                left: known,
                reset_at: known_reset,
            } if reset_at <= known_reset + Duration::from_secs(1) => Reported::Known {
                left: known.min(left),
                reset_at: known_reset.max(reset_at),
            },
            _ => Reported::Known { left, reset_at },
        };
    }

    /// An answer without rate headers: a probe waiting for one will not learn more, so requests
    /// go freely again (a known budget stands until its reset).
    pub fn observe_unreported(&self) {
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(*reported, Reported::Probing { .. }) {
            *reported = Reported::Unknown;
        }
    }

    /// Spends one request of the reported budget: the delay spreads what is left evenly over the
    /// time until the reset once the budget runs low; when none is left, everyone waits for the
    /// reset, after which one request probes the new window before the rest follow.
    fn spend_reported(&self) -> Admission {
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        match *reported {
            Reported::Unknown => Admission::After(Duration::ZERO),
            Reported::Known { reset_at, .. } if now >= reset_at => {
                *reported = Reported::Probing { since: now };
                Admission::After(Duration::ZERO)
            }
            Reported::Known { left: 0, reset_at } => Admission::AskAgainIn(reset_at - now),
            Reported::Known { left, reset_at } => {
                *reported = Reported::Known {
                    left: left - 1,
                    reset_at,
                };
                if (left as usize) > self.capacity {
                    Admission::After(Duration::ZERO)
                } else {
                    Admission::After((reset_at - now) / left)
                }
            }
            Reported::Probing { since } if now.duration_since(since) < PROBE_PATIENCE => {
                Admission::AskAgainIn(PROBE_POLL)
            }
            Reported::Probing { .. } => {
                *reported = Reported::Probing { since: now };
                Admission::After(Duration::ZERO)
            }
        }
    }
}

/// A token bucket sized so that no sliding window ever holds more than the budget: a burst of a
/// tenth of it, the rest refilled evenly (burst + window × rate = budget).
#[derive(Debug)]
struct Bucket {
    capacity: f64,
    per_second: f64,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    fn new(budget: Budget) -> Arc<Self> {
        let window = budget.window.as_secs_f64().max(1.0);
        let budget = f64::from(budget.count);
        let capacity = (budget / 10.0).floor().max(1.0);
        let per_second = ((budget - capacity) / window).max(1.0 / window);
        Arc::new(Bucket {
            capacity,
            per_second,
            state: Mutex::new((capacity, Instant::now())),
        })
    }

    /// Takes a token now (returns zero) or says how long until one is free (takes nothing).
    fn take(&self) -> Duration {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, last) = *state;
        let now = Instant::now();
        let tokens =
            (tokens + now.duration_since(last).as_secs_f64() * self.per_second).min(self.capacity);
        if tokens >= 1.0 {
            *state = (tokens - 1.0, now);
            Duration::ZERO
        } else {
            *state = (tokens, now);
            Duration::from_secs_f64((1.0 - tokens) / self.per_second)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    /// With time paused, count how many requests a pacer admits in the first minute, and check
    /// that no sliding minute ever exceeds the budget.
    #[tokio::test(start_paused = true)]
    async fn no_sliding_minute_exceeds_the_budget() {
        let pacer = Pacer::new(
            1000,
            RateLimits {
                reads: Some(Budget::per_minute(400)),
                ..RateLimits::default()
            },
        );
        let stop = StopSignal::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..1200 {
            let _p = pacer.admit(&Method::GET, &stop).await.expect("admitted");
            times.push(start.elapsed());
        }
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + Duration::from_secs(60))
                .count();
            assert!(
                in_window <= 400,
                "{in_window} requests in the minute from {t:?}"
            );
        }
        // Smooth, not starved: after a burst of 40 the rest flows at 6/s (1,200 reads ≈ 193 s).
        let total = times.last().copied().unwrap_or_default();
        assert!(total <= Duration::from_secs(200), "took {total:?}");
        assert!(total >= Duration::from_secs(160), "took {total:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn writes_and_reads_have_separate_budgets() {
        let pacer = Pacer::new(
            100,
            RateLimits {
                reads: Some(Budget::per_minute(400)),
                writes: Some(Budget::per_minute(30)),
                ..RateLimits::default()
            },
        );
        let stop = StopSignal::default();
        let start = Instant::now();
        for _ in 0..3 {
            let _p = pacer.admit(&Method::POST, &stop).await.expect("admitted");
        }
        // The write burst is 3; the reads are not slowed by it.
        for _ in 0..40 {
            let _p = pacer.admit(&Method::GET, &stop).await.expect("admitted");
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        let _p = pacer.admit(&Method::PATCH, &stop).await.expect("admitted");
        assert!(
            start.elapsed() >= Duration::from_secs(2),
            "the fourth write waits"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_reported_budget_is_spread_until_its_reset() {
        let pacer = Pacer::new(4, RateLimits::default());
        let stop = StopSignal::default();
        let start = Instant::now();
        // Plenty left: no delay.
        pacer.observe(100, 30);
        let _p = pacer.admit(&Method::GET, &stop).await.expect("admitted");
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Later in the same window only two are left: they are spread, the third waits for the
        // reset. (An older answer reporting more changes nothing: the budget only goes down.)
        pacer.observe(2, 30);
        pacer.observe(50, 30);
        drop(_p);
        for _ in 0..3 {
            let _p = pacer.admit(&Method::GET, &stop).await.expect("admitted");
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_secs(30),
            "waited for the reset: {took:?}"
        );
        assert!(
            took <= Duration::from_secs(31),
            "no longer than needed: {took:?}"
        );
    }

    /// A vendor counting over a sliding window (the emulator does) frees one slot at the reset it
    /// reports, not the whole budget. Sixteen workers send 80 requests through one pacer against
    /// 20 per 10 s, honouring Retry-After: when the window runs out, one request probes the reset
    /// and the rest follow the slots as they free, instead of meeting each reset with a burst of
    /// 429s (without the probe: 64 refusals for the 80 requests; with it: at most 2).
    #[tokio::test(start_paused = true)]
    async fn a_sliding_window_is_not_met_with_a_burst() {
        use std::collections::VecDeque;
        use std::sync::atomic::{AtomicU32, Ordering};
        const LIMIT: usize = 20;
        const SPAN: Duration = Duration::from_secs(10);
        let pacer = Pacer::new(16, RateLimits::default());
        let window = Arc::new(Mutex::new(VecDeque::<Instant>::new()));
        let refused = Arc::new(AtomicU32::new(0));
        // The vendor: admits while fewer than LIMIT fall in the last SPAN; reports what is left and
        // the whole seconds until the oldest frees (rounded up, as the emulator does).
        let answer = {
            let window = window.clone();
            move || {
                let now = Instant::now();
                let mut w = window.lock().expect("window");
                while w.front().is_some_and(|t| now.duration_since(*t) >= SPAN) {
                    w.pop_front();
                }
                let admitted = w.len() < LIMIT;
                if admitted {
                    w.push_back(now);
                }
                let wait = SPAN.saturating_sub(now.duration_since(*w.front().unwrap_or(&now)));
                let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
                (admitted, (LIMIT - w.len()) as u32, secs)
            }
        };
        let start = Instant::now();
        let workers: Vec<_> = (0..16)
            .map(|_| {
                let (pacer, refused, answer) = (pacer.clone(), refused.clone(), answer.clone());
                tokio::spawn(async move {
                    let stop = StopSignal::default();
                    for _ in 0..5 {
                        loop {
                            let permit = pacer.admit(&Method::DELETE, &stop).await.expect("go");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            let (admitted, left, reset) = answer();
                            pacer.observe(left, reset);
                            drop(permit);
                            if admitted {
                                break;
                            }
                            refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_secs(reset)).await;
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.await.expect("worker");
        }
        let refused = refused.load(Ordering::Relaxed);
        assert!(refused <= 2, "{refused} requests refused");
        // Not starved either: 80 requests at 20 per 10 s need 30 s after the first burst; the
        // whole-second reset the headers carry costs up to a second per probe once the slots free
        // one by one (69 s measured; one probe at a time after each 2 s of patience would be 160 s).
        let took = start.elapsed();
        assert!(took <= Duration::from_secs(80), "took {took:?}");
    }

    #[tokio::test]
    async fn in_flight_is_bounded() {
        let pacer = Pacer::new(2, RateLimits::default());
        let stop = StopSignal::default();
        let a = pacer.admit(&Method::GET, &stop).await.expect("first");
        let _b = pacer.admit(&Method::GET, &stop).await.expect("second");
        let third =
            tokio::time::timeout(Duration::from_millis(50), pacer.admit(&Method::GET, &stop)).await;
        assert!(third.is_err(), "a third request must wait for a free slot");
        drop(a);
        let third =
            tokio::time::timeout(Duration::from_millis(50), pacer.admit(&Method::GET, &stop)).await;
        assert!(third.is_ok(), "a slot freed");
    }
}
