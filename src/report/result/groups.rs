//! Latency rows keyed in first-seen order (per operation, per conversation × turn), and
//! the streaming figures of streamed turns, for [`RunResult`](super::RunResult) building.
//!
//! A full HDR histogram is ~180 KB whatever it holds, and a data-driven functional run
//! has a conversation × turn key per row (10,000 rows: 20,000 keys, 3.6 GB). So a key
//! keeps its few raw samples and only becomes a histogram when it has many; rows are
//! encoded one at a time at the end. The histogram of a row holds exactly the values it
//! would have held if recorded at once (HDR counts do not depend on order).

use super::{ChunkCountRecord, LatencyKey, LatencyRecord, ResultError, TurnRecord};
use crate::metrics::{ChunkCounts, LatencyHistogram};
use std::collections::HashMap;
use std::time::Duration;

/// Raw samples a key keeps before it turns into a histogram: 64 × 8 bytes is far below
/// the size of one histogram.
const RAW_SAMPLES: usize = 64;

/// The samples of one key: raw while few, a histogram once many.
enum Samples {
    Raw(Vec<u64>),
    Histogram(Box<LatencyHistogram>),
}

impl Samples {
    fn record(&mut self, us: u64, timeout: Duration) {
        match self {
            Samples::Raw(values) if values.len() < RAW_SAMPLES => values.push(us),
            Samples::Raw(values) => {
                let mut histogram = Box::new(filled(values, timeout));
                histogram.record(Duration::from_micros(us));
                *self = Samples::Histogram(histogram);
            }
            Samples::Histogram(histogram) => histogram.record(Duration::from_micros(us)),
        }
    }

    fn into_histogram(self, timeout: Duration) -> LatencyHistogram {
        match self {
            Samples::Raw(values) => filled(&values, timeout),
            Samples::Histogram(histogram) => *histogram,
        }
    }
}

fn filled(values: &[u64], timeout: Duration) -> LatencyHistogram {
    let mut histogram = LatencyHistogram::new(timeout);
    for us in values {
        histogram.record(Duration::from_micros(*us));
    }
    histogram
}

/// Histograms keyed in first-seen order, so rows follow the plan.
pub(super) struct Groups {
    keys: Vec<LatencyKey>,
    index: HashMap<LatencyKey, usize>,
    samples: Vec<(Samples, u64)>,
    timeout: Duration,
}

impl Groups {
    pub(super) fn new(timeout: Duration) -> Self {
        Groups {
            keys: Vec::new(),
            index: HashMap::new(),
            samples: Vec::new(),
            timeout,
        }
    }

    pub(super) fn record(&mut self, key: &LatencyKey, turn: &TurnRecord) {
        self.record_values(key, turn, [turn.latency_us]);
    }

    /// Records `values` of `turn` under `key`; an errored turn counts one error instead.
    /// A key gets its row on its first value or error, so no row is ever empty.
    fn record_values(
        &mut self,
        key: &LatencyKey,
        turn: &TurnRecord,
        values: impl IntoIterator<Item = u64>,
    ) {
        let mut values = values.into_iter().peekable();
        if turn.error.is_none() && values.peek().is_none() {
            return;
        }
        let slot = match self.index.get(key) {
            Some(slot) => *slot,
            None => {
                self.keys.push(key.clone());
                self.samples.push((Samples::Raw(Vec::new()), 0));
                self.index.insert(key.clone(), self.keys.len() - 1);
                self.keys.len() - 1
            }
        };
        let (samples, errors) = &mut self.samples[slot];
        // Only answered requests are latency samples: a refused connection is not "fast".
        if turn.error.is_some() {
            *errors += 1;
        } else {
            values.for_each(|us| samples.record(us, self.timeout));
        }
    }

    /// The rows, each histogram built, encoded and dropped before the next one.
    pub(super) fn into_records(self) -> Result<Vec<LatencyRecord>, ResultError> {
        let timeout = self.timeout;
        self.keys
            .into_iter()
            .zip(self.samples)
            .map(|(key, (samples, errors))| {
                let histogram = samples.into_histogram(timeout);
                super::load::record(key, &histogram, errors)
            })
            .collect()
    }
}

/// The streaming figures of one kind of key (operations or turns).
pub(super) struct StreamGroups {
    pub(super) ttfc: Groups,
    pub(super) gaps: Groups,
    pub(super) eor: Groups,
    pub(super) chunks: Vec<ChunkCountRecord>,
    /// Where each key's row is in `chunks` (one key per conversation × turn: no scan).
    chunk_rows: HashMap<LatencyKey, usize>,
}

impl StreamGroups {
    pub(super) fn new(timeout: Duration) -> Self {
        StreamGroups {
            ttfc: Groups::new(timeout),
            gaps: Groups::new(timeout),
            eor: Groups::new(timeout),
            chunks: Vec::new(),
            chunk_rows: HashMap::new(),
        }
    }

    /// Records a streamed turn (one that received a message; others have no figures).
    pub(super) fn record(&mut self, key: &LatencyKey, turn: &TurnRecord) {
        let Some(first) = turn.ttfc_us else {
            return;
        };
        self.ttfc.record_values(key, turn, [first]);
        let gaps = turn
            .arrivals_us
            .windows(2)
            .map(|w| w[1].saturating_sub(w[0]));
        self.gaps.record_values(key, turn, gaps);
        self.eor.record_values(key, turn, turn.eor_us);
        if turn.error.is_some() || turn.arrivals_us.is_empty() {
            return;
        }
        let at = match self.chunk_rows.get(key) {
            Some(at) => *at,
            None => {
                self.chunks.push(ChunkCountRecord {
                    key: key.clone(),
                    counts: ChunkCounts::default(),
                });
                self.chunk_rows.insert(key.clone(), self.chunks.len() - 1);
                self.chunks.len() - 1
            }
        };
        self.chunks[at].counts.record(turn.arrivals_us.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::result::{OperationName, encode_histogram};

    fn answered(latency_us: u64) -> TurnRecord {
        TurnRecord {
            turn: 1,
            operation: OperationName::Send,
            user: None,
            start_offset_us: 0,
            latency_us,
            retries: 0,
            retry_time_us: 0,
            ttfc_us: None,
            arrivals_us: Vec::new(),
            eor_us: None,
            status: Some(200),
            request_id: None,
            chunks: Vec::new(),
            error: None,
            failures: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// Few samples (kept raw) and many (a histogram from the 65th on) give the rows a
    /// histogram recorded directly would: same summary, same encoded bytes.
    #[test]
    fn raw_samples_give_the_histogram_recorded_directly() {
        let timeout = Duration::from_secs(30);
        for count in [1_u64, RAW_SAMPLES as u64, 500] {
            let key = LatencyKey::Operation {
                operation: OperationName::Send,
            };
            let mut groups = Groups::new(timeout);
            let mut direct = LatencyHistogram::new(timeout);
            for i in 0..count {
                let us = 1000 + i * 37 % 5000;
                groups.record(&key, &answered(us));
                direct.record(Duration::from_micros(us));
            }
            let rows = groups.into_records().expect("the rows encode");
            assert_eq!(rows.len(), 1);
            let expected: super::super::Summary = direct.percentiles().into();
            assert_eq!(rows[0].summary, expected, "{count} samples");
            let hdr = encode_histogram(direct.inner()).expect("it encodes");
            assert_eq!(rows[0].hdr, hdr, "{count} samples");
        }
    }
}
