//! The latency part of a [`super::RunResult`]: one HDR histogram per operation and per
//! conversation × turn for the latency, and for the streaming figures of streamed
//! requests (time to first chunk, gaps between chunks, time to END_OF_RESPONSE), plus
//! the message counts of streamed responses. Plain data; builders and writers are
//! elsewhere.

use super::{OperationName, ResultError, decode_histogram};
use crate::metrics::ChunkCounts;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every histogram of a run. The streaming lists are empty (and not written) for a run
/// without streamed requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyRecords {
    /// One per operation that was called (create, then send).
    pub operations: Vec<LatencyRecord>,
    /// One per conversation × turn index, in plan order.
    pub turns: Vec<LatencyRecord>,
    /// Time to first chunk of streamed requests, one per operation that had any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ttfc: Vec<LatencyRecord>,
    /// Time to first chunk per conversation × turn that was streamed, in plan order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ttfc_turns: Vec<LatencyRecord>,
    /// Every gap between consecutive messages of streamed responses, per operation.
    /// (Older run.json files kept these in `load.gaps`, load runs only; reading moves them
    /// here.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<LatencyRecord>,
    /// The same gaps per conversation × turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gap_turns: Vec<LatencyRecord>,
    /// Time to END_OF_RESPONSE of streamed requests, per operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eor: Vec<LatencyRecord>,
    /// The same per conversation × turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eor_turns: Vec<LatencyRecord>,
    /// Per tag × operation, over the conversations carrying the tag (merged from their
    /// per-turn histograms at the end of the run); tags in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<LatencyRecord>,
    /// Messages per streamed response (END_OF_RESPONSE included): per operation, then per
    /// conversation × turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chunks: Vec<ChunkCountRecord>,
}

/// How many messages the streamed responses of an operation or a turn had. Sums, so
/// shards merge exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkCountRecord {
    #[serde(flatten)]
    pub key: LatencyKey,
    #[serde(flatten)]
    pub counts: ChunkCounts,
}

/// What a latency row is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LatencyKey {
    Operation {
        operation: OperationName,
    },
    Turn {
        suite: String,
        conversation: String,
        turn: usize,
    },
    /// Every request of `operation` in the conversations tagged `tag` (k6-style tags).
    Tag {
        tag: String,
        operation: OperationName,
    },
}

/// One histogram: the exact HDR V2 deflate data, and its summary for readers that do not
/// decode HDR. Only requests that got a response are recorded; errors are counted apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyRecord {
    #[serde(flatten)]
    pub key: LatencyKey,
    pub errors: u64,
    /// Samples above the histogram's highest trackable value (recorded as that value).
    pub clamped: u64,
    pub summary: Summary,
    /// HDR histogram V2 + deflate, base64 (standard alphabet, padded); µs.
    pub hdr: String,
}

/// Percentiles in whole microseconds; integers so that `run.json` round-trips exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub count: u64,
    pub min_us: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub max_us: u64,
    pub mean_us: u64,
}

impl From<crate::metrics::Percentiles> for Summary {
    fn from(p: crate::metrics::Percentiles) -> Self {
        Summary {
            count: p.count,
            min_us: p.min,
            p50_us: p.p50,
            p90_us: p.p90,
            p95_us: p.p95,
            p99_us: p.p99,
            p999_us: p.p999,
            max_us: p.max,
            // A mean of microsecond samples, to the microsecond: finer is noise.
            mean_us: p.mean.round() as u64,
        }
    }
}

impl Summary {
    /// The summary of a decoded (or merged) histogram.
    pub fn of(h: &Histogram<u64>) -> Summary {
        if h.is_empty() {
            return Summary::default();
        }
        Summary {
            count: h.len(),
            min_us: h.min(),
            p50_us: h.value_at_quantile(0.50),
            p90_us: h.value_at_quantile(0.90),
            p95_us: h.value_at_quantile(0.95),
            p99_us: h.value_at_quantile(0.99),
            p999_us: h.value_at_quantile(0.999),
            max_us: h.max(),
            mean_us: h.mean().round() as u64,
        }
    }
}

/// The per-conversation × turn records of `records`, their histograms added per turn
/// index (every conversation's turn N together), in turn order. Exact: HDR addition.
pub fn by_turn_index(
    records: &[LatencyRecord],
) -> Result<BTreeMap<usize, Histogram<u64>>, ResultError> {
    let mut merged: BTreeMap<usize, Histogram<u64>> = BTreeMap::new();
    for record in records {
        let LatencyKey::Turn { turn, .. } = record.key else {
            continue;
        };
        let histogram = decode_histogram(&record.hdr)?;
        match merged.get_mut(&turn) {
            Some(sum) => sum
                .add(&histogram)
                .map_err(|e| ResultError::Histogram(format!("{e:?}")))?,
            None => {
                let mut sum = histogram;
                // Records of one run share their bounds; growing is only a fallback.
                sum.auto(true);
                merged.insert(turn, sum);
            }
        }
    }
    Ok(merged)
}

/// The message counts of `records` per turn index (operation records left out).
pub fn chunks_by_turn_index(records: &[ChunkCountRecord]) -> BTreeMap<usize, ChunkCounts> {
    let mut merged: BTreeMap<usize, ChunkCounts> = BTreeMap::new();
    for record in records {
        if let LatencyKey::Turn { turn, .. } = record.key {
            merged.entry(turn).or_default().merge(&record.counts);
        }
    }
    merged
}
