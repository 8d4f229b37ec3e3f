//! [`Recorder`]: what one shard of the load engine's workers measured — latency histograms
//! per operation (service time, time from the intended start, time to first chunk, gaps
//! between chunks) and per conversation × turn, counters, and the current second of the
//! time series. [`ShardedRecorder`] holds one per shard behind uncontended locks.
//!
//! Recording allocates nothing once a key has been seen; merging is exact. This module
//! knows nothing of suites or HTTP: callers pass indexes and durations.

use crate::api::error::ErrorClass;
use crate::metrics::LatencyHistogram;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Operations are indexed: 0 = create, 1 = send.
pub const OPERATION_COUNT: usize = 2;

/// The histograms of one operation.
#[derive(Debug, Clone)]
pub struct OperationHistograms {
    /// From handing the request to the client until the response was complete.
    pub service: LatencyHistogram,
    /// From the intended start (open model) until the response was complete.
    pub intended: LatencyHistogram,
    /// Time to first chunk (streamed requests).
    pub ttfc: LatencyHistogram,
    /// Gaps between consecutive chunks of streamed responses.
    pub gaps: LatencyHistogram,
    /// Requests that got no usable response (not latency samples: never "fast").
    pub errors: u64,
}

impl OperationHistograms {
    fn new(highest: Duration) -> Self {
        OperationHistograms {
            service: LatencyHistogram::new(highest),
            intended: LatencyHistogram::new(highest),
            ttfc: LatencyHistogram::new(highest),
            gaps: LatencyHistogram::new(highest),
            errors: 0,
        }
    }

    fn merge(&mut self, other: &OperationHistograms) {
        self.service.merge(&other.service);
        self.intended.merge(&other.intended);
        self.ttfc.merge(&other.ttfc);
        self.gaps.merge(&other.gaps);
        self.errors += other.errors;
    }
}

/// Counts over the whole run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    pub sessions_started: u64,
    pub sessions_passed: u64,
    pub sessions_failed: u64,
    pub sessions_errored: u64,
    /// Sessions cut short by the end of the grace period.
    pub sessions_aborted: u64,
    pub requests: u64,
    pub request_errors: u64,
    /// Expectations that did not hold (turns and `final:`).
    pub expectation_failures: u64,
    /// Retries the client made, and the time they took (µs, backoff included).
    pub retries: u64,
    pub retry_time_us: u64,
    /// Open model: sessions that started after their intended time.
    pub late: u64,
    /// Open model: sessions that could not start before the run ended.
    pub dropped: u64,
    pub errors: BTreeMap<ErrorClass, u64>,
}

impl Counters {
    fn merge(&mut self, other: &Counters) {
        self.sessions_started += other.sessions_started;
        self.sessions_passed += other.sessions_passed;
        self.sessions_failed += other.sessions_failed;
        self.sessions_errored += other.sessions_errored;
        self.sessions_aborted += other.sessions_aborted;
        self.requests += other.requests;
        self.request_errors += other.request_errors;
        self.expectation_failures += other.expectation_failures;
        self.retries += other.retries;
        self.retry_time_us += other.retry_time_us;
        self.late += other.late;
        self.dropped += other.dropped;
        for (class, count) in &other.errors {
            *self.errors.entry(*class).or_default() += count;
        }
    }

    pub fn sessions_completed(&self) -> u64 {
        self.sessions_passed + self.sessions_failed + self.sessions_errored
    }
}

/// The current second of the time series, swept by the controller.
#[derive(Debug, Clone)]
pub struct Interval {
    pub sessions_started: u64,
    pub sessions_completed: u64,
    pub requests: u64,
    pub errors: u64,
    /// Service times of requests completed in this interval.
    pub latency: LatencyHistogram,
}

impl Interval {
    fn new(highest: Duration) -> Self {
        Interval {
            sessions_started: 0,
            sessions_completed: 0,
            requests: 0,
            errors: 0,
            latency: LatencyHistogram::coarse(highest),
        }
    }

    pub fn merge(&mut self, other: &Interval) {
        self.sessions_started += other.sessions_started;
        self.sessions_completed += other.sessions_completed;
        self.requests += other.requests;
        self.errors += other.errors;
        self.latency.merge(&other.latency);
    }

    fn reset(&mut self) {
        self.sessions_started = 0;
        self.sessions_completed = 0;
        self.requests = 0;
        self.errors = 0;
        self.latency.reset();
    }
}

/// One measured request, as the worker hands it over.
#[derive(Debug, Clone, Copy)]
pub struct RequestSample {
    /// 0 = create, 1 = send.
    pub operation: usize,
    /// Index of (conversation, turn) in the plan's flat turn list.
    pub turn_key: usize,
    pub service: Duration,
    pub intended: Option<Duration>,
    pub ttfc: Option<Duration>,
    pub error: Option<ErrorClass>,
    /// Expectations of this request that did not hold.
    pub failures: u32,
    /// Retries the client made for it, and their time.
    pub retries: u32,
    pub retry_time: Duration,
    /// False during the warm-up: counted in the time series, not in the headline figures.
    pub headline: bool,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    Passed,
    Failed,
    Errored,
    Aborted,
}

#[derive(Debug, Clone)]
pub struct Recorder {
    highest: Duration,
    pub operations: [OperationHistograms; OPERATION_COUNT],
    /// Service time per (conversation, turn), created on the key's first sample.
    pub turns: Vec<Option<LatencyHistogram>>,
    /// Open model: how late sessions started.
    pub start_lag: LatencyHistogram,
    pub counters: Counters,
    pub interval: Interval,
    /// Extraction marks per conversation index and field key: correct, wrong, missed,
    /// unexpected (the scorecard of a load run).
    pub field_marks: BTreeMap<usize, BTreeMap<String, [u64; 4]>>,
}

/// Index of a mark in [`Recorder::field_marks`]' counts.
pub const MARK_CORRECT: usize = 0;
pub const MARK_WRONG: usize = 1;
pub const MARK_MISSED: usize = 2;
pub const MARK_UNEXPECTED: usize = 3;

impl Recorder {
    /// `turn_keys` is the number of (conversation, turn) pairs in the plan; `highest` the
    /// largest latency to track exactly (at least the request timeout).
    pub fn new(turn_keys: usize, highest: Duration) -> Recorder {
        Recorder {
            highest,
            operations: [
                OperationHistograms::new(highest),
                OperationHistograms::new(highest),
            ],
            turns: vec![None; turn_keys],
            start_lag: LatencyHistogram::new(highest),
            counters: Counters::default(),
            interval: Interval::new(highest),
            field_marks: BTreeMap::new(),
        }
    }

    /// Counts one extraction mark (`MARK_*`) of `field` in conversation `conversation`;
    /// allocates only the first time a conversation and field are seen.
    pub fn record_mark(&mut self, conversation: usize, field: &str, mark: usize) {
        let fields = self.field_marks.entry(conversation).or_default();
        let counts = match fields.get_mut(field) {
            Some(counts) => counts,
            None => fields.entry(field.to_string()).or_default(),
        };
        if let Some(count) = counts.get_mut(mark) {
            *count += 1;
        }
    }

    pub fn record_request(&mut self, sample: &RequestSample) {
        self.counters.requests += 1;
        self.counters.expectation_failures += u64::from(sample.failures);
        self.counters.retries += u64::from(sample.retries);
        self.counters.retry_time_us +=
            u64::try_from(sample.retry_time.as_micros()).unwrap_or(u64::MAX);
        self.interval.requests += 1;
        if let Some(class) = sample.error {
            self.counters.request_errors += 1;
            self.interval.errors += 1;
            *self.counters.errors.entry(class).or_default() += 1;
        } else {
            self.interval.latency.record(sample.service);
        }
        if !sample.headline {
            return;
        }
        let Some(op) = self.operations.get_mut(sample.operation) else {
            return;
        };
        if sample.error.is_some() {
            // A refused or broken request is counted, never recorded as a fast sample.
            op.errors += 1;
            return;
        }
        op.service.record(sample.service);
        op.intended
            .record(sample.intended.unwrap_or(sample.service));
        if let Some(ttfc) = sample.ttfc {
            op.ttfc.record(ttfc);
        }
        if let Some(slot) = self.turns.get_mut(sample.turn_key) {
            slot.get_or_insert_with(|| LatencyHistogram::new(self.highest))
                .record(sample.service);
        }
    }

    /// Counts the failed `final:` expectations of a session.
    pub fn record_final_failures(&mut self, failures: usize) {
        self.counters.expectation_failures += failures as u64;
    }

    /// Records the gaps between chunk arrivals of one streamed response.
    pub fn record_gaps(&mut self, operation: usize, arrivals: &[Duration]) {
        if let Some(op) = self.operations.get_mut(operation) {
            for pair in arrivals.windows(2) {
                op.gaps.record(pair[1].saturating_sub(pair[0]));
            }
        }
    }

    pub fn session_started(&mut self, start_lag: Option<Duration>) {
        self.counters.sessions_started += 1;
        self.interval.sessions_started += 1;
        if let Some(lag) = start_lag {
            self.counters.late += 1;
            self.start_lag.record(lag);
        }
    }

    pub fn session_ended(&mut self, end: SessionEnd) {
        let counters = &mut self.counters;
        match end {
            SessionEnd::Passed => counters.sessions_passed += 1,
            SessionEnd::Failed => counters.sessions_failed += 1,
            SessionEnd::Errored => counters.sessions_errored += 1,
            SessionEnd::Aborted => counters.sessions_aborted += 1,
        }
        if end != SessionEnd::Aborted {
            self.interval.sessions_completed += 1;
        }
    }

    pub fn session_dropped(&mut self) {
        self.counters.dropped += 1;
    }

    /// Adds everything `other` recorded (the current interval too).
    pub fn merge(&mut self, other: &Recorder) {
        for (mine, theirs) in self.operations.iter_mut().zip(&other.operations) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.turns.iter_mut().zip(&other.turns) {
            if let Some(theirs) = theirs {
                match mine {
                    Some(mine) => mine.merge(theirs),
                    None => *mine = Some(theirs.clone()),
                }
            }
        }
        self.start_lag.merge(&other.start_lag);
        self.counters.merge(&other.counters);
        self.interval.merge(&other.interval);
        for (conversation, fields) in &other.field_marks {
            let mine = self.field_marks.entry(*conversation).or_default();
            for (field, counts) in fields {
                let total = mine.entry(field.clone()).or_default();
                for (t, c) in total.iter_mut().zip(counts) {
                    *t += c;
                }
            }
        }
    }
}

/// One recorder per shard; a worker always records into the same shard, so locks are
/// rarely contended, and no message is sent per request.
#[derive(Debug)]
pub struct ShardedRecorder {
    shards: Vec<Mutex<Recorder>>,
}

impl ShardedRecorder {
    pub fn new(shards: usize, turn_keys: usize, highest: Duration) -> ShardedRecorder {
        let shards = (0..shards.max(1))
            .map(|_| Mutex::new(Recorder::new(turn_keys, highest)))
            .collect();
        ShardedRecorder { shards }
    }

    /// The shard of worker `worker`. The lock is never held across an `.await`: callers
    /// record and release.
    pub fn shard(&self, worker: usize) -> MutexGuard<'_, Recorder> {
        let shard = &self.shards[worker % self.shards.len()];
        // A panic while recording cannot leave a histogram half-updated in a way that
        // matters more than losing the run's data, so recover the guard.
        shard.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes and resets the current interval of every shard, merged.
    pub fn take_interval(&self, highest: Duration) -> Interval {
        let mut total = Interval::new(highest);
        for shard in &self.shards {
            let mut recorder = shard.lock().unwrap_or_else(PoisonError::into_inner);
            total.merge(&recorder.interval);
            recorder.interval.reset();
        }
        total
    }

    /// Everything recorded so far, merged.
    pub fn merged(&self, turn_keys: usize, highest: Duration) -> Recorder {
        let mut total = Recorder::new(turn_keys, highest);
        for shard in &self.shards {
            total.merge(&shard.lock().unwrap_or_else(PoisonError::into_inner));
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(operation: usize, micros: u64, error: Option<ErrorClass>) -> RequestSample {
        RequestSample {
            operation,
            turn_key: operation,
            service: Duration::from_micros(micros),
            intended: Some(Duration::from_micros(micros + 100)),
            ttfc: None,
            error,
            failures: 0,
            retries: 0,
            retry_time: Duration::ZERO,
            headline: true,
        }
    }

    #[test]
    fn shards_merge_into_the_same_figures_as_one_recorder() {
        let highest = Duration::from_secs(30);
        let sharded = ShardedRecorder::new(3, 4, highest);
        let mut single = Recorder::new(4, highest);
        for i in 0..300u64 {
            let s = sample((i % 2) as usize, 100 + i * 37 % 5000, None);
            sharded.shard(i as usize).record_request(&s);
            single.record_request(&s);
        }
        let merged = sharded.merged(4, highest);
        for op in 0..OPERATION_COUNT {
            assert_eq!(
                merged.operations[op].service.percentiles(),
                single.operations[op].service.percentiles()
            );
        }
        assert_eq!(merged.counters, single.counters);
    }

    #[test]
    fn warmup_samples_count_in_the_interval_only() {
        let mut recorder = Recorder::new(2, Duration::from_secs(30));
        let mut s = sample(1, 500, Some(ErrorClass::Timeout));
        s.headline = false;
        recorder.record_request(&s);
        assert_eq!(recorder.operations[1].service.count(), 0);
        assert_eq!(recorder.operations[1].errors, 0);
        assert_eq!(recorder.interval.requests, 1);
        assert_eq!(recorder.interval.errors, 1);
        assert_eq!(recorder.counters.errors.get(&ErrorClass::Timeout), Some(&1));
    }

    #[test]
    fn taking_the_interval_resets_it() {
        let highest = Duration::from_secs(30);
        let sharded = ShardedRecorder::new(2, 2, highest);
        sharded.shard(0).record_request(&sample(0, 1000, None));
        sharded.shard(1).session_started(None);
        let interval = sharded.take_interval(highest);
        assert_eq!((interval.requests, interval.sessions_started), (1, 1));
        assert_eq!(sharded.take_interval(highest).requests, 0);
        assert_eq!(sharded.merged(2, highest).counters.requests, 1);
    }
}
