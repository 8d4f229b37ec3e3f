//! The client-side rate cap (`--max-rps`): a token bucket of one token shared by every
//! session of a run, so requests leave at most `rate` per second, evenly spaced.
//!
//! Owns the schedule only. Waiting is an async sleep until the request's slot (never a
//! busy loop, never a blocked thread). The wait is reported to the caller, so that it
//! is counted but kept out of the request's latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// A shared pacer: request n may start no earlier than n / rate after the first.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    /// When the next request may leave. A std mutex: held for two assignments only.
    next: Mutex<Option<Instant>>,
    waits: AtomicU64,
    waited_micros: AtomicU64,
}

impl Pacer {
    /// `None` for a rate that is not a positive, finite number of requests per second.
    pub fn new(per_second: f64) -> Option<Pacer> {
        if !(per_second.is_finite() && per_second > 0.0) {
            return None;
        }
        Some(Pacer {
            interval: Duration::try_from_secs_f64(1.0 / per_second).ok()?,
            next: Mutex::new(None),
            waits: AtomicU64::new(0),
            waited_micros: AtomicU64::new(0),
        })
    }

    /// Waits for this request's slot and returns how long that took.
    pub async fn acquire(&self) -> Duration {
        let now = Instant::now();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            // An idle pacer does not bank tokens: the slot is never earlier than now.
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        if slot <= now {
            return Duration::ZERO;
        }
        tokio::time::sleep_until(slot).await;
        let waited = slot - now;
        self.waits.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
        self.waited_micros.fetch_add(micros, Ordering::Relaxed);
        waited
    }

    /// How many requests had to wait, and for how long in total.
    pub fn totals(&self) -> (u64, Duration) {
        (
            self.waits.load(Ordering::Relaxed),
            Duration::from_micros(self.waited_micros.load(Ordering::Relaxed)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten requests at 50/s take at least 180 ms, and the waits add up.
    #[tokio::test]
    async fn requests_are_spaced_by_the_rate() {
        let pacer = Pacer::new(50.0).expect("a valid rate");
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        for _ in 0..10 {
            waited += pacer.acquire().await;
        }
        assert!(started.elapsed() >= Duration::from_millis(180));
        let (waits, total) = pacer.totals();
        // The first request never waits; a later one may not either when the machine is
        // so loaded that its turn had already come.
        assert!((1..=9).contains(&waits), "{waits}");
        // The totals are kept in whole microseconds.
        assert!(waited.saturating_sub(total) < Duration::from_millis(1));
        assert!(Pacer::new(0.0).is_none() && Pacer::new(f64::NAN).is_none());
    }

    /// Concurrent callers share one schedule.
    #[tokio::test]
    async fn sessions_share_the_bucket() {
        let pacer = std::sync::Arc::new(Pacer::new(50.0).expect("a valid rate"));
        let started = Instant::now();
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let pacer = std::sync::Arc::clone(&pacer);
                tokio::spawn(async move { pacer.acquire().await })
            })
            .collect();
        for task in tasks {
            assert!(task.await.is_ok());
        }
        assert!(started.elapsed() >= Duration::from_millis(80));
    }
}
