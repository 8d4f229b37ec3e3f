//! The per-second time series of a load run: one [`TimelinePoint`] per interval, built
//! from the shards' merged [`Interval`](crate::metrics::recorder::Interval)s.

use crate::metrics::recorder::Interval;
use serde::{Deserialize, Serialize};

/// What happened during one second of the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// Seconds since the run started (the interval is `[second, second + 1)`).
    pub second: u64,
    pub sessions_started: u64,
    pub sessions_completed: u64,
    /// Requests completed in the interval (turns and creates).
    pub requests: u64,
    pub errors: u64,
    pub p50_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
}

impl TimelinePoint {
    pub fn from_interval(second: u64, interval: &Interval) -> TimelinePoint {
        TimelinePoint {
            second,
            sessions_started: interval.sessions_started,
            sessions_completed: interval.sessions_completed,
            requests: interval.requests,
            errors: interval.errors,
            p50_us: interval.latency.quantile_us(0.50),
            p95_us: interval.latency.quantile_us(0.95),
            p99_us: interval.latency.quantile_us(0.99),
        }
    }
}
