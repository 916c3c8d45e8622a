//! Summary statistics of repeated timings (median and nearest-rank percentiles) and the number
//! formats the tables use. Pure functions; imports nothing from the rest of the bench.

use std::time::Duration;

/// Median and 90th percentile of a sample, with its size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median: Duration,
    pub p90: Duration,
    pub min: Duration,
    pub runs: usize,
}

/// Summarises `samples`; `None` when there are none.
pub fn summarize(samples: &[Duration]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    };
    Some(Summary {
        median,
        p90: percentile(&sorted, 90),
        min: sorted[0],
        runs: n,
    })
}

/// Nearest-rank percentile of an ascending, non-empty slice.
fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Milliseconds with two decimals (`3.41`).
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Seconds with two decimals (`12.07`).
pub fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

/// `a / b` as `0.42×`, or `–` when `b` is zero.
pub fn ratio(a: f64, b: f64) -> String {
    if b == 0.0 {
        "–".to_string()
    } else {
        format!("{:.2}×", a / b)
    }
}

/// Bytes as MiB with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn median_of_odd_and_even_samples() {
        let odd = summarize(&[d(5), d(1), d(3)]).expect("summary");
        assert_eq!(odd.median, d(3));
        assert_eq!(odd.min, d(1));
        let even = summarize(&[d(4), d(1), d(3), d(2)]).expect("summary");
        assert_eq!(even.median, Duration::from_micros(2500));
        assert_eq!(even.runs, 4);
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=50).map(d).collect();
        assert_eq!(summarize(&samples).expect("summary").p90, d(45));
        assert_eq!(summarize(&[d(7)]).expect("summary").p90, d(7));
        assert!(summarize(&[]).is_none());
    }

    #[test]
    fn formats() {
        assert_eq!(ms(Duration::from_micros(3412)), "3.41");
        assert_eq!(ratio(1.0, 4.0), "0.25×");
        assert_eq!(ratio(1.0, 0.0), "–");
        assert_eq!(mib(15 * 1024 * 1024), "15.0");
    }
}
