//! [`Recorder`]: what one shard of the load engine's workers measured — latency histograms
//! per operation (service time, time from the intended start, and the streaming figures
//! of [`StreamHistograms`]) and per conversation × turn (service time and streaming
//! figures, and from the intended start in the open model), counters, and the current
//! second of the time series. [`super::ShardedRecorder`] holds one per shard behind
//! uncontended locks.
//!
//! Recording allocates nothing once a key has been seen; merging is exact. This module
//! knows nothing of suites or HTTP: callers pass indexes and durations.

use crate::common::error_class::ErrorClass;
use crate::metrics::LatencyHistogram;
use crate::metrics::persona::{PersonaRun, PersonaTally};
use crate::metrics::stream::{StreamHistograms, StreamSample};
use std::collections::BTreeMap;
use std::time::Duration;

/// Operations are indexed: 0 = create, 1 = send, 2 = summary (Generate Form Summary).
pub const OPERATION_COUNT: usize = 3;

/// The index of Generate Form Summary among the operations.
pub const SUMMARY_OPERATION: usize = 2;

/// The histograms of one operation.
#[derive(Debug, Clone)]
pub struct OperationHistograms {
    /// From handing the request to the client until the response was complete.
    pub service: LatencyHistogram,
    /// From the intended start (open model) until the response was complete.
    pub intended: LatencyHistogram,
    /// Time to first chunk, gaps, time to END_OF_RESPONSE and chunk counts of streamed
    /// responses.
    pub stream: StreamHistograms,
    /// Requests that got no usable response (not latency samples: never "fast").
    pub errors: u64,
}

impl OperationHistograms {
    fn new(highest: Duration) -> Self {
        OperationHistograms {
            service: LatencyHistogram::new(highest),
            intended: LatencyHistogram::new(highest),
            stream: StreamHistograms::new(highest),
            errors: 0,
        }
    }

    fn merge(&mut self, other: &OperationHistograms) {
        self.service.merge(&other.service);
        self.intended.merge(&other.intended);
        self.stream.merge(&other.stream);
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
    pub(super) fn new(highest: Duration) -> Self {
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

    pub(super) fn reset(&mut self) {
        self.sessions_started = 0;
        self.sessions_completed = 0;
        self.requests = 0;
        self.errors = 0;
        self.latency.reset();
    }
}

/// One measured request, as the worker hands it over.
#[derive(Debug, Clone, Copy)]
pub struct RequestSample<'a> {
    /// 0 = create, 1 = send, 2 = summary.
    pub operation: usize,
    /// Index of (conversation, turn) in the plan's flat turn list.
    pub turn_key: usize,
    pub service: Duration,
    pub intended: Option<Duration>,
    /// The messages of a streamed response; `None` for a unary one.
    pub stream: Option<StreamSample<'a>>,
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
    /// Requests per (conversation, turn) that got no usable response.
    pub turn_errors: Vec<u64>,
    /// Streaming figures per (conversation, turn), created on the key's first streamed
    /// sample (so a unary run never pays for them); see [`Recorder::record_turn_stream`].
    pub turn_streams: Vec<Option<StreamHistograms>>,
    /// Open model: latency from the intended start per (conversation, turn), created on
    /// the key's first such sample (the closed model has none: it equals `turns`).
    pub turn_intended: Vec<Option<LatencyHistogram>>,
    /// Open model: how late sessions started.
    pub start_lag: LatencyHistogram,
    pub counters: Counters,
    pub interval: Interval,
    /// Extraction marks per conversation index and field key: correct, wrong, missed,
    /// unexpected (the scorecard of a load run).
    pub field_marks: BTreeMap<usize, BTreeMap<String, [u64; 4]>>,
    /// Per persona (by conversation index): its runs, endings and turns to completion.
    pub personas: BTreeMap<usize, PersonaTally>,
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
            operations: std::array::from_fn(|_| OperationHistograms::new(highest)),
            turns: vec![None; turn_keys],
            turn_errors: vec![0; turn_keys],
            turn_streams: vec![None; turn_keys],
            turn_intended: vec![None; turn_keys],
            start_lag: LatencyHistogram::new(highest),
            counters: Counters::default(),
            interval: Interval::new(highest),
            field_marks: BTreeMap::new(),
            personas: BTreeMap::new(),
        }
    }

    /// Counts one finished run of the persona at conversation index `conversation`.
    pub fn record_persona(&mut self, conversation: usize, run: PersonaRun) {
        self.personas.entry(conversation).or_default().record(run);
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

    pub fn record_request(&mut self, sample: &RequestSample<'_>) {
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
            if let Some(errors) = self.turn_errors.get_mut(sample.turn_key) {
                *errors += 1;
            }
            return;
        }
        op.service.record(sample.service);
        op.intended
            .record(sample.intended.unwrap_or(sample.service));
        if let Some(stream) = &sample.stream {
            op.stream.record(stream);
        }
        if let Some(slot) = self.turns.get_mut(sample.turn_key) {
            slot.get_or_insert_with(|| LatencyHistogram::new(self.highest))
                .record(sample.service);
        }
    }

    /// Records a request made outside the conversations (a suite's `summary:` check) into
    /// its operation's histograms only: the counters and the time series stay about the
    /// conversations' requests, so they keep adding up to each other.
    pub fn record_side_request(&mut self, operation: usize, service: Duration, errored: bool) {
        let Some(op) = self.operations.get_mut(operation) else {
            return;
        };
        if errored {
            op.errors += 1;
        } else {
            op.service.record(service);
            op.intended.record(service);
        }
    }

    /// Records the per-turn streaming figures of a streamed, answered, headline sample
    /// (anything else is ignored). Apart from [`Recorder::record_request`] so that
    /// [`ShardedRecorder`](super::ShardedRecorder) can keep them in one shard per turn key.
    pub fn record_turn_stream(&mut self, sample: &RequestSample<'_>) {
        let Some(stream) = sample
            .stream
            .filter(|_| sample.headline && sample.error.is_none())
        else {
            return;
        };
        if let Some(slot) = self.turn_streams.get_mut(sample.turn_key) {
            slot.get_or_insert_with(|| StreamHistograms::new(self.highest))
                .record(&stream);
        }
    }

    /// Records the per-turn latency from the intended start of an answered, headline
    /// sample that has one (open model); anything else is ignored. Apart from
    /// [`Recorder::record_request`] for the same reason as [`Recorder::record_turn_stream`].
    pub fn record_turn_intended(&mut self, sample: &RequestSample<'_>) {
        let Some(intended) = sample
            .intended
            .filter(|_| sample.headline && sample.error.is_none())
        else {
            return;
        };
        if let Some(slot) = self.turn_intended.get_mut(sample.turn_key) {
            slot.get_or_insert_with(|| LatencyHistogram::new(self.highest))
                .record(intended);
        }
    }

    /// Counts the failed `final:` expectations of a session.
    pub fn record_final_failures(&mut self, failures: usize) {
        self.counters.expectation_failures += failures as u64;
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
        merge_slots(&mut self.turns, &other.turns);
        for (mine, theirs) in self.turn_errors.iter_mut().zip(&other.turn_errors) {
            *mine += theirs;
        }
        merge_slots(&mut self.turn_intended, &other.turn_intended);
        for (mine, theirs) in self.turn_streams.iter_mut().zip(&other.turn_streams) {
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
        for (conversation, tally) in &other.personas {
            self.personas.entry(*conversation).or_default().merge(tally);
        }
    }
}

/// Adds each of `theirs` to the same key of `mine`, creating it there when missing.
fn merge_slots(mine: &mut [Option<LatencyHistogram>], theirs: &[Option<LatencyHistogram>]) {
    for (mine, theirs) in mine.iter_mut().zip(theirs) {
        if let Some(theirs) = theirs {
            match mine {
                Some(mine) => mine.merge(theirs),
                None => *mine = Some(theirs.clone()),
            }
        }
    }
}

#[cfg(test)]
#[path = "recorder_tests.rs"]
mod tests;
