//! [`LatencyHistogram`]: an HDR histogram of microseconds whose out-of-range samples are
//! clamped to the highest trackable value and counted, never lost.

use hdrhistogram::Histogram;
use std::time::Duration;

/// Highest value any histogram can track, whatever the timeout: one hour.
const MIN_HIGHEST: Duration = Duration::from_secs(3600);
const SIGNIFICANT_DIGITS: u8 = 3;

#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    histogram: Histogram<u64>,
    /// Samples above the highest trackable value, recorded as that value.
    clamped: u64,
}

/// The percentiles every report shows, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Percentiles {
    pub count: u64,
    pub min: u64,
    pub p50: u64,
    pub p90: u64,
    pub p95: u64,
    pub p99: u64,
    pub p999: u64,
    pub max: u64,
    pub mean: f64,
}

impl LatencyHistogram {
    /// A histogram able to hold at least `highest` (e.g. the request timeout).
    pub fn new(highest: Duration) -> Self {
        Self::with_digits(highest, SIGNIFICANT_DIGITS)
    }

    /// A cheaper histogram (2 significant digits, ~1% precision) for per-second time
    /// series, where many are kept and the headline figures come from the full ones.
    pub fn coarse(highest: Duration) -> Self {
        Self::with_digits(highest, 2)
    }

    fn with_digits(highest: Duration, digits: u8) -> Self {
        let highest_us = highest.max(MIN_HIGHEST).as_micros();
        let highest_us = u64::try_from(highest_us).unwrap_or(u64::MAX / 2);
        // The bounds are constants of ours (low 1, high ≥ one hour, 2 or 3 digits), which
        // hdrhistogram always accepts; no input reaches this call.
        let histogram = Histogram::new_with_bounds(1, highest_us, digits)
            .expect("constant histogram bounds are valid");
        LatencyHistogram {
            histogram,
            clamped: 0,
        }
    }

    /// Records one sample. Allocation-free: the histogram's buckets are preallocated.
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros())
            .unwrap_or(u64::MAX)
            .max(1);
        if micros > self.histogram.high() {
            self.clamped += 1;
        }
        self.histogram.saturating_record(micros);
    }

    /// Adds every sample of `other` (exact).
    pub fn merge(&mut self, other: &LatencyHistogram) {
        // Both sides were built with the same bounds, so `add` cannot fail for range;
        // if it ever did, record value by value rather than lose samples.
        if self.histogram.add(&other.histogram).is_err() {
            for value in other.histogram.iter_recorded() {
                let v = value.value_iterated_to();
                self.histogram
                    .saturating_record_n(v, value.count_at_value());
            }
        }
        self.clamped += other.clamped;
    }

    pub fn count(&self) -> u64 {
        self.histogram.len()
    }

    pub fn clamped(&self) -> u64 {
        self.clamped
    }

    pub fn percentiles(&self) -> Percentiles {
        let h = &self.histogram;
        if h.is_empty() {
            return Percentiles::default();
        }
        Percentiles {
            count: h.len(),
            min: h.min(),
            p50: h.value_at_quantile(0.50),
            p90: h.value_at_quantile(0.90),
            p95: h.value_at_quantile(0.95),
            p99: h.value_at_quantile(0.99),
            p999: h.value_at_quantile(0.999),
            max: h.max(),
            mean: h.mean(),
        }
    }

    /// Empties the histogram, keeping its buckets (no allocation).
    pub fn reset(&mut self) {
        self.histogram.reset();
        self.clamped = 0;
    }

    /// The value at `quantile` (0..=1) in microseconds; 0 when empty.
    pub fn quantile_us(&self, quantile: f64) -> u64 {
        if self.histogram.is_empty() {
            0
        } else {
            self.histogram.value_at_quantile(quantile)
        }
    }

    pub fn inner(&self) -> &Histogram<u64> {
        &self.histogram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_and_counts_samples_above_the_highest_value() {
        let mut h = LatencyHistogram::new(Duration::from_secs(1));
        h.record(Duration::from_secs(7200));
        h.record(Duration::from_millis(5));
        assert_eq!(h.count(), 2);
        assert_eq!(h.clamped(), 1);
        assert!(h.percentiles().max >= 3_600_000_000 * 999 / 1000);
    }

    #[test]
    fn merge_equals_one_histogram_fed_everything() {
        let mut a = LatencyHistogram::new(Duration::from_secs(30));
        let mut b = LatencyHistogram::new(Duration::from_secs(30));
        let mut all = LatencyHistogram::new(Duration::from_secs(30));
        for i in 1..=1000u64 {
            let d = Duration::from_micros(i * 137 % 90_000 + 1);
            if i % 3 == 0 {
                a.record(d)
            } else {
                b.record(d)
            }
            all.record(d);
        }
        a.merge(&b);
        assert_eq!(a.percentiles(), all.percentiles());
    }
}
