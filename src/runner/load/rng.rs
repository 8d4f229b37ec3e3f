//! Seeded randomness for the load engine: weighted conversation picks, think times and
//! Poisson arrivals, drawn from the crate's one generator ([`crate::common::rng`]). Seeded so
//! a run's choices are reproducible; not for anything security-related.

use crate::common::rng::{SplitMix64, mix};
use crate::suite::DurationRange;
use std::time::Duration;

/// The load engine's view of the shared [`SplitMix64`]: the same generator as the mock's
/// and the retry jitter, plus what the engine draws (durations, weights, exponentials).
#[derive(Debug, Clone)]
pub struct Rng {
    inner: SplitMix64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            inner: SplitMix64::new(seed),
        }
    }

    /// An independent stream for worker `index` of a run seeded with `seed`.
    pub fn for_worker(seed: u64, index: u64) -> Rng {
        Rng::new(mix(seed ^ mix(index.wrapping_add(1))))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        self.inner.next_f64()
    }

    /// Uniform within the range (its minimum when the range is a single value).
    pub fn duration_in(&mut self, range: DurationRange) -> Duration {
        if range.max <= range.min {
            return range.min;
        }
        let span = (range.max - range.min).as_secs_f64();
        range.min + Duration::from_secs_f64(span * self.next_f64())
    }

    /// Exponentially distributed with the given mean (Poisson inter-arrival times).
    pub fn exponential(&mut self, mean: Duration) -> Duration {
        // 1 - u is in (0, 1], so the logarithm is finite.
        let u = 1.0 - self.next_f64();
        Duration::from_secs_f64(-u.ln() * mean.as_secs_f64())
    }

    /// An index into `cumulative` (running sums of positive weights), chosen by weight.
    pub fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let target = self.next_f64() * total;
        cumulative
            .iter()
            .position(|&c| target < c)
            .unwrap_or(cumulative.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_workers_differ() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(
            Rng::for_worker(7, 0).next_u64(),
            Rng::for_worker(7, 1).next_u64()
        );
    }

    #[test]
    fn weighted_picks_follow_weights() {
        let mut rng = Rng::new(1);
        let cumulative = [1.0, 4.0]; // weights 1 and 3
        let picks = (0..40_000)
            .filter(|_| rng.weighted(&cumulative) == 1)
            .count();
        let share = picks as f64 / 40_000.0;
        assert!((share - 0.75).abs() < 0.02, "{share}");
    }

    #[test]
    fn exponential_has_the_requested_mean() {
        let mut rng = Rng::new(3);
        let n = 50_000;
        let total: f64 = (0..n)
            .map(|_| rng.exponential(Duration::from_millis(10)).as_secs_f64())
            .sum();
        let mean_ms = total / n as f64 * 1000.0;
        assert!((mean_ms - 10.0).abs() < 0.3, "{mean_ms}");
    }
}
