//! The figures of the terminal summary, read back from a [`RunResult`]'s stored
//! histograms: per operation, merged per turn index, and the streaming figures, as the
//! metrics types the tables render. Decodes only; a histogram that cannot be decoded
//! (a hand-edited run.json) reads as empty rather than failing the summary.

use crate::metrics::{ChunkCounts, LatencyHistogram, StreamHistograms};
use crate::report::result::{
    ChunkCountRecord, LatencyKey, LatencyRecord, OperationName, RunResult, decode_histogram,
};
use std::time::Duration;

/// The ceiling of an empty histogram made for a missing row (any ceiling will do: it
/// holds nothing).
const EMPTY_CEILING: Duration = Duration::from_secs(3600);

pub(crate) const OPERATIONS: [(&str, OperationName); 3] = [
    ("create", OperationName::Create),
    ("send", OperationName::Send),
    ("summary", OperationName::Summary),
];

fn empty() -> LatencyHistogram {
    LatencyHistogram::new(EMPTY_CEILING)
}

/// The values of one stored record.
pub(crate) fn histogram(record: &LatencyRecord) -> LatencyHistogram {
    decode_histogram(&record.hdr).map_or_else(|_| empty(), LatencyHistogram::from_hdr)
}

/// The record of `operation` in `records`, as a histogram (empty when there is none).
pub(crate) fn operation(records: &[LatencyRecord], operation: OperationName) -> LatencyHistogram {
    records
        .iter()
        .find(|r| r.key == LatencyKey::Operation { operation })
        .map_or_else(empty, histogram)
}

/// Every conversation's turn `i` merged into slot `i`; `None` where no record has it.
pub(crate) fn by_turn_index(records: &[LatencyRecord]) -> Vec<Option<LatencyHistogram>> {
    let mut merged: Vec<Option<LatencyHistogram>> = Vec::new();
    for record in records {
        let LatencyKey::Turn { turn, .. } = record.key else {
            continue;
        };
        if merged.len() <= turn {
            merged.resize(turn + 1, None);
        }
        let histogram = histogram(record);
        match &mut merged[turn] {
            Some(total) => total.merge(&histogram),
            slot => *slot = Some(histogram),
        }
    }
    merged
}

fn counts_of(records: &[ChunkCountRecord], key: &LatencyKey) -> ChunkCounts {
    let mut counts = ChunkCounts::default();
    for record in records.iter().filter(|r| r.key == *key) {
        counts.merge(&record.counts);
    }
    counts
}

/// The streaming figures per operation (create, send), then per turn index.
pub(crate) fn streams(
    result: &RunResult,
) -> (
    Vec<(&'static str, StreamHistograms)>,
    Vec<Option<StreamHistograms>>,
) {
    let latency = &result.latency;
    let operations = OPERATIONS
        .iter()
        .map(|(name, op)| {
            let key = LatencyKey::Operation { operation: *op };
            let figures = StreamHistograms {
                ttfc: operation(&latency.ttfc, *op),
                gaps: operation(&latency.gaps, *op),
                end: operation(&latency.eor, *op),
                chunks: counts_of(&latency.chunks, &key),
            };
            (*name, figures)
        })
        .collect();
    let (ttfc, gaps, end) = (
        by_turn_index(&latency.ttfc_turns),
        by_turn_index(&latency.gap_turns),
        by_turn_index(&latency.eor_turns),
    );
    let mut chunks: Vec<ChunkCounts> = Vec::new();
    for record in &latency.chunks {
        if let LatencyKey::Turn { turn, .. } = record.key {
            if chunks.len() <= turn {
                chunks.resize(turn + 1, ChunkCounts::default());
            }
            chunks[turn].merge(&record.counts);
        }
    }
    let slots = [ttfc.len(), gaps.len(), end.len(), chunks.len()];
    let turns = (0..slots.into_iter().max().unwrap_or(0))
        .map(|turn| {
            let take = |v: &Vec<Option<LatencyHistogram>>| v.get(turn).cloned().flatten();
            let figures = StreamHistograms {
                ttfc: take(&ttfc).unwrap_or_else(empty),
                gaps: take(&gaps).unwrap_or_else(empty),
                end: take(&end).unwrap_or_else(empty),
                chunks: chunks.get(turn).copied().unwrap_or_default(),
            };
            (!figures.is_empty()).then_some(figures)
        })
        .collect();
    (operations, turns)
}
