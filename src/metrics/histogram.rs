//! [`LatencyHistogram`]: an HDR histogram of microseconds whose out-of-range samples are
//! clamped to the highest trackable value and counted, never lost.
//!
//! A full HDR histogram takes ~180 KB whatever it holds, and a run keeps one per
//! operation and per conversation × turn (a data-driven suite of 10,000 rows has 20,000
//! turn keys). So a histogram keeps its first [`RAW_SAMPLES`] values raw and only
//! allocates its buckets when it gets more: a key seen a few times costs a few hundred
//! bytes. Percentiles, merges and encodings are exactly those of the full histogram fed
//! the same values (HDR counts do not depend on order).

use hdrhistogram::Histogram;
use std::borrow::Cow;
use std::time::Duration;

/// Highest value any histogram can track, whatever the timeout: one hour.
const MIN_HIGHEST: Duration = Duration::from_secs(3600);
const SIGNIFICANT_DIGITS: u8 = 3;
/// Values kept raw before the buckets are allocated: 64 × 8 bytes, far below one
/// histogram's buckets.
pub const RAW_SAMPLES: usize = 64;

#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    samples: Samples,
    /// Highest trackable value, µs.
    highest_us: u64,
    digits: u8,
    /// Samples above the highest trackable value, recorded as that value.
    clamped: u64,
}

/// The values of a histogram: raw while few, HDR buckets once many.
#[derive(Debug, Clone)]
enum Samples {
    /// Already clamped to `1..=highest_us`.
    Raw(Vec<u64>),
    Full(Box<Histogram<u64>>),
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
        LatencyHistogram {
            samples: Samples::Raw(Vec::new()),
            highest_us: u64::try_from(highest_us).unwrap_or(u64::MAX / 2),
            digits,
            clamped: 0,
        }
    }

    /// A histogram holding the values of `hdr` (one read back from run.json).
    pub fn from_hdr(hdr: Histogram<u64>) -> Self {
        LatencyHistogram {
            highest_us: hdr.high(),
            digits: hdr.sigfig(),
            samples: Samples::Full(Box::new(hdr)),
            clamped: 0,
        }
    }

    /// Empty HDR buckets with this histogram's bounds.
    fn buckets(&self) -> Histogram<u64> {
        // The bounds are constants of ours (low 1, high ≥ one hour, 2 or 3 digits), which
        // hdrhistogram always accepts; no input reaches this call.
        Histogram::new_with_bounds(1, self.highest_us, self.digits)
            .expect("constant histogram bounds are valid")
    }

    /// Records one sample. Allocation-free once the buckets exist; before that, the raw
    /// values' one small vector, then the buckets once.
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros())
            .unwrap_or(u64::MAX)
            .max(1);
        if micros > self.highest_us {
            self.clamped += 1;
        }
        self.record_us(micros.min(self.highest_us));
    }

    /// Records a value already within `1..=highest_us`.
    fn record_us(&mut self, micros: u64) {
        match &mut self.samples {
            Samples::Full(h) => h.saturating_record(micros),
            Samples::Raw(values) if values.len() < RAW_SAMPLES => {
                if values.capacity() == 0 {
                    values.reserve_exact(RAW_SAMPLES);
                }
                values.push(micros);
            }
            Samples::Raw(_) => {
                let mut full = self.full();
                full.saturating_record(micros);
                self.samples = Samples::Full(Box::new(full));
            }
        }
    }

    /// The values as HDR buckets (a copy when they are still raw).
    fn full(&self) -> Histogram<u64> {
        match &self.samples {
            Samples::Full(h) => (**h).clone(),
            Samples::Raw(values) => {
                let mut h = self.buckets();
                for v in values {
                    h.saturating_record(*v);
                }
                h
            }
        }
    }

    /// Adds every sample of `other` (exact).
    pub fn merge(&mut self, other: &LatencyHistogram) {
        match &other.samples {
            Samples::Raw(values) => values.iter().for_each(|v| self.record_us(*v)),
            Samples::Full(theirs) => {
                if let Samples::Raw(_) = self.samples {
                    self.samples = Samples::Full(Box::new(self.full()));
                }
                if let Samples::Full(mine) = &mut self.samples {
                    add(mine, theirs);
                }
            }
        }
        self.clamped += other.clamped;
    }

    pub fn count(&self) -> u64 {
        match &self.samples {
            Samples::Raw(values) => values.len() as u64,
            Samples::Full(h) => h.len(),
        }
    }

    /// The highest value it tracks exactly, µs.
    pub fn highest_us(&self) -> u64 {
        self.highest_us
    }

    pub fn clamped(&self) -> u64 {
        self.clamped
    }

    pub fn percentiles(&self) -> Percentiles {
        if self.count() == 0 {
            return Percentiles::default();
        }
        let h = self.to_hdr();
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
        match &mut self.samples {
            Samples::Raw(values) => values.clear(),
            Samples::Full(h) => h.reset(),
        }
        self.clamped = 0;
    }

    /// The value at `quantile` (0..=1) in microseconds; 0 when empty.
    pub fn quantile_us(&self, quantile: f64) -> u64 {
        if self.count() == 0 {
            0
        } else {
            self.to_hdr().value_at_quantile(quantile)
        }
    }

    /// The HDR histogram of every value (built on the fly while they are few), for
    /// encoding into run.json.
    pub fn to_hdr(&self) -> Cow<'_, Histogram<u64>> {
        match &self.samples {
            Samples::Full(h) => Cow::Borrowed(&**h),
            Samples::Raw(_) => Cow::Owned(self.full()),
        }
    }
}

/// `mine += theirs`. Both sides have the same bounds, so `add` cannot fail for range; if
/// it ever did, record value by value rather than lose samples.
fn add(mine: &mut Histogram<u64>, theirs: &Histogram<u64>) {
    if mine.add(theirs).is_err() {
        for value in theirs.iter_recorded() {
            mine.saturating_record_n(value.value_iterated_to(), value.count_at_value());
        }
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

    /// Few values (kept raw) and many (buckets from the 65th on) give what a histogram
    /// with buckets from the start gives: same percentiles, same HDR counts; merges of
    /// raw and full sides too.
    #[test]
    fn raw_values_match_buckets_recorded_directly() {
        for count in [0_u64, 1, RAW_SAMPLES as u64, RAW_SAMPLES as u64 + 1, 500] {
            let mut lazy = LatencyHistogram::new(Duration::from_secs(30));
            let mut direct = lazy.buckets();
            for i in 0..count {
                let us = 1000 + i * 37 % 5000;
                lazy.record(Duration::from_micros(us));
                direct.saturating_record(us);
            }
            assert_eq!(*lazy.to_hdr(), direct, "{count} values");
            assert_eq!(lazy.count(), count);
            let mut merged = LatencyHistogram::new(Duration::from_secs(30));
            let mut few = LatencyHistogram::new(Duration::from_secs(30));
            few.record(Duration::from_micros(7));
            merged.merge(&few);
            merged.merge(&lazy);
            merged.merge(&few);
            direct.saturating_record_n(7, 2);
            assert_eq!(*merged.to_hdr(), direct, "{count} values merged");
        }
    }
}
