//! [`StreamHistograms`]: the streaming figures of one operation or one conversation ×
//! turn — time to first chunk, every gap between chunks, time to END_OF_RESPONSE — and
//! [`ChunkCounts`], how many messages each streamed response had.
//!
//! Fed one [`StreamSample`] per streamed response that got an answer; recording
//! allocates nothing, merging is exact. Knows nothing of HTTP: callers pass offsets.

use crate::metrics::LatencyHistogram;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What one streamed response showed. Offsets are from the start of the attempt that
/// produced the stream (a retried request's earlier attempts are not part of them).
#[derive(Debug, Clone, Copy)]
pub struct StreamSample<'a> {
    /// When each message arrived, END_OF_RESPONSE included, in arrival order.
    pub arrivals: &'a [Duration],
    /// When END_OF_RESPONSE arrived; `None` when none did.
    pub end: Option<Duration>,
}

/// Messages per streamed response: sums, not a histogram, since a count of a few
/// messages needs no percentiles and sums merge exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkCounts {
    /// Streamed responses counted.
    pub responses: u64,
    /// Messages over all of them (END_OF_RESPONSE included).
    pub chunks: u64,
    /// Fewest and most messages in one response (0 when no response was counted).
    pub min: u64,
    pub max: u64,
}

impl ChunkCounts {
    pub fn record(&mut self, chunks: usize) {
        let chunks = chunks as u64;
        self.min = if self.responses == 0 {
            chunks
        } else {
            self.min.min(chunks)
        };
        self.max = self.max.max(chunks);
        self.responses += 1;
        self.chunks += chunks;
    }

    pub fn merge(&mut self, other: &ChunkCounts) {
        if other.responses == 0 {
            return;
        }
        self.min = if self.responses == 0 {
            other.min
        } else {
            self.min.min(other.min)
        };
        self.max = self.max.max(other.max);
        self.responses += other.responses;
        self.chunks += other.chunks;
    }

    /// Messages per response on average; 0 with no response.
    pub fn mean(&self) -> f64 {
        if self.responses == 0 {
            0.0
        } else {
            self.chunks as f64 / self.responses as f64
        }
    }
}

/// The streaming histograms of one operation or one conversation × turn.
#[derive(Debug, Clone)]
pub struct StreamHistograms {
    /// Time to the first message.
    pub ttfc: LatencyHistogram,
    /// Every gap between consecutive messages (a response of n messages gives n − 1).
    pub gaps: LatencyHistogram,
    /// Time to END_OF_RESPONSE.
    pub end: LatencyHistogram,
    pub chunks: ChunkCounts,
}

impl StreamHistograms {
    pub fn new(highest: Duration) -> Self {
        StreamHistograms {
            ttfc: LatencyHistogram::new(highest),
            gaps: LatencyHistogram::new(highest),
            end: LatencyHistogram::new(highest),
            chunks: ChunkCounts::default(),
        }
    }

    /// Records one response; a response without any message records nothing.
    pub fn record(&mut self, sample: &StreamSample<'_>) {
        let Some(first) = sample.arrivals.first() else {
            return;
        };
        self.ttfc.record(*first);
        for pair in sample.arrivals.windows(2) {
            self.gaps.record(pair[1].saturating_sub(pair[0]));
        }
        if let Some(end) = sample.end {
            self.end.record(end);
        }
        self.chunks.record(sample.arrivals.len());
    }

    pub fn merge(&mut self, other: &StreamHistograms) {
        self.ttfc.merge(&other.ttfc);
        self.gaps.merge(&other.gaps);
        self.end.merge(&other.end);
        self.chunks.merge(&other.chunks);
    }

    /// True when no response was recorded.
    pub fn is_empty(&self) -> bool {
        self.chunks.responses == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    /// One response of four messages: a TTFC, three gaps, an end, four chunks.
    #[test]
    fn a_response_gives_its_first_chunk_gaps_end_and_count() {
        let mut h = StreamHistograms::new(Duration::from_secs(30));
        let arrivals = ms(&[100, 130, 130, 190]);
        h.record(&StreamSample {
            arrivals: &arrivals,
            end: Some(Duration::from_millis(190)),
        });
        assert_eq!(h.ttfc.count(), 1);
        assert!(h.ttfc.percentiles().min >= 99_900);
        assert_eq!(h.gaps.count(), 3);
        // A zero gap is recorded as the smallest trackable value, not dropped.
        assert_eq!(h.gaps.percentiles().min, 1);
        assert!(h.gaps.percentiles().max >= 59_900);
        assert_eq!(h.end.count(), 1);
        let c = h.chunks;
        assert_eq!((c.responses, c.chunks, c.min, c.max), (1, 4, 4, 4));
        h.record(&StreamSample {
            arrivals: &[],
            end: None,
        });
        assert_eq!(h.chunks.responses, 1, "an empty stream is not a response");
    }

    /// Counts merge to what one counter fed everything holds, whatever is empty.
    #[test]
    fn chunk_counts_merge_exactly() {
        let mut a = ChunkCounts::default();
        let mut b = ChunkCounts::default();
        let mut all = ChunkCounts::default();
        for (i, n) in [3usize, 7, 2, 5, 9].iter().enumerate() {
            if i % 2 == 0 { &mut a } else { &mut b }.record(*n);
            all.record(*n);
        }
        let mut merged = ChunkCounts::default();
        merged.merge(&a);
        merged.merge(&ChunkCounts::default());
        merged.merge(&b);
        assert_eq!(merged, all);
        assert_eq!((all.min, all.max, all.chunks), (2, 9, 26));
        assert!((all.mean() - 5.2).abs() < 1e-9);
    }
}
