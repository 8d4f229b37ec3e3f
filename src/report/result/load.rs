//! The [`RunResult`] of a load run, built from what the load engine merged: histograms
//! and counters for every request, per-conversation tallies, the time series, and a few
//! whole sample iterations that failed (a load run keeps nothing per request, so
//! `run.json` stays small however long the run).

use super::build::{RunConfigInfo, micros};
use super::{
    ChunkCountRecord, ConversationRecord, Counters, LatencyKey, LatencyRecord, LatencyRecords,
    OperationName, ResultError, RunResult, SCHEMA_VERSION, Summary, TimelinePoint,
    conversation_record, encode_histogram,
};
use crate::api::endpoint::strip_userinfo;
use crate::metrics::{LatencyHistogram, StreamHistograms, TimelinePoint as Interval};
use crate::runner::RunOutcome;
use crate::runner::load::LoadOutcome;
use serde::{Deserialize, Serialize};

/// What only a load run has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadSection {
    pub sessions_started: u64,
    /// Cut short at the end of the grace period.
    pub sessions_aborted: u64,
    /// Open model: started more than 10 ms after their intended time.
    pub late: u64,
    /// Open model: could not start before the run ended.
    pub dropped: u64,
    /// Requests completing in the warm-up are left out of the latency figures.
    pub warmup_us: u64,
    /// Latency from the intended start, per operation (equal to the service time in the
    /// closed model, where nothing is scheduled).
    pub intended: Vec<LatencyRecord>,
    /// The same per conversation × turn, in plan order (absent from older run.json
    /// files).
    #[serde(default)]
    pub intended_turns: Vec<LatencyRecord>,
    /// Only read, from older run.json files: [`RunResult::from_json`] moves these gaps
    /// into `latency.gaps`, where every run keeps them now. Never written.
    #[serde(default, skip_serializing)]
    pub gaps: Vec<LatencyRecord>,
    /// How late the late sessions started.
    pub start_lag: Summary,
    pub per_conversation: Vec<ConversationStats>,
    /// Sharded runs only (`--shard i/N`): which shard, or that this is their merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// A shard of a run split over several processes (`--shard i/N`), or their merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// 0-based; 0 in a merged result.
    pub index: u32,
    pub count: u32,
    /// A hash of what every shard must agree on (the suites' conversations, the unsliced
    /// load flags, the thresholds): `convoy merge` refuses shards whose hashes differ.
    pub fingerprint: String,
    /// True in the result of `convoy merge` (which refuses to merge it again).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub merged: bool,
}

/// Verdict counts of one conversation over every iteration of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationStats {
    pub suite: String,
    pub suite_file: String,
    pub line: usize,
    pub conversation: String,
    pub runs: u64,
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
}

impl RunResult {
    pub(super) fn from_load(
        outcome: &RunOutcome,
        load: &LoadOutcome,
        info: &RunConfigInfo,
    ) -> Result<Self, ResultError> {
        let mut config = info.config.clone();
        config.base_url = strip_userinfo(&outcome.base_url);
        config.embedded_mock = outcome.embedded_mock;
        let conversations: Vec<ConversationRecord> = load
            .tallies
            .iter()
            .flat_map(|tally| &tally.samples)
            .map(|(result, timing)| conversation_record(result, timing))
            .collect();
        Ok(RunResult {
            schema_version: SCHEMA_VERSION,
            run_id: info.run_id.clone(),
            name: info.name.clone(),
            started_at: super::rfc3339_utc(info.started_at),
            elapsed_us: micros(outcome.elapsed),
            interrupted: outcome.interrupted,
            config,
            counters: counters(load),
            latency: latency(load)?,
            timeline: timeline(&load.timeline),
            // From the recorder's counts over every iteration, not the kept samples.
            scorecard: super::scorecard::scorecard_from_counts(
                load.metrics
                    .field_marks
                    .iter()
                    .flat_map(|(conversation, fields)| {
                        let suite = load
                            .conversations
                            .get(*conversation)
                            .map_or("", |name| name.suite.as_str());
                        fields
                            .iter()
                            .map(move |(field, c)| (suite, field.as_str(), *c))
                    }),
            ),
            pass_rates: Vec::new(),
            thresholds: Vec::new(),
            conversations,
            load: Some(section(load)?),
        })
    }
}

fn counters(load: &LoadOutcome) -> Counters {
    let c = &load.metrics.counters;
    Counters {
        conversations: c.sessions_completed(),
        passed: c.sessions_passed,
        failed: c.sessions_failed,
        errored: c.sessions_errored,
        requests: c.requests,
        failures: c.expectation_failures,
        retries: c.retries,
        retry_time_us: c.retry_time_us,
        errors_by_class: c
            .errors
            .iter()
            .map(|(class, n)| (class.to_string(), *n))
            .collect(),
    }
}

const OPERATIONS: [OperationName; 2] = [OperationName::Create, OperationName::Send];

/// One stored histogram record: the exact HDR data and its summary.
pub(super) fn record(
    key: LatencyKey,
    histogram: &LatencyHistogram,
    errors: u64,
) -> Result<LatencyRecord, ResultError> {
    Ok(LatencyRecord {
        key,
        errors,
        clamped: histogram.clamped(),
        summary: histogram.percentiles().into(),
        hdr: encode_histogram(histogram.inner())?,
    })
}

/// One record per operation that had any request, from `pick`'s histogram.
fn per_operation(
    load: &LoadOutcome,
    pick: impl Fn(&crate::metrics::recorder::OperationHistograms) -> &LatencyHistogram,
    with_errors: bool,
) -> Result<Vec<LatencyRecord>, ResultError> {
    OPERATIONS
        .iter()
        .zip(&load.metrics.operations)
        .filter(|(_, op)| pick(op).count() > 0 || (with_errors && op.errors > 0))
        .map(|(operation, op)| {
            let errors = if with_errors { op.errors } else { 0 };
            record(
                LatencyKey::Operation {
                    operation: *operation,
                },
                pick(op),
                errors,
            )
        })
        .collect()
}

/// The report key of a `(conversation, turn)` turn key.
fn turn_name(load: &LoadOutcome, (conversation, turn): &(usize, usize)) -> Option<LatencyKey> {
    load.conversations
        .get(*conversation)
        .map(|name| LatencyKey::Turn {
            suite: name.suite.clone(),
            conversation: name.conversation.clone(),
            turn: *turn,
        })
}

/// One record per turn key with samples: `pick` chooses its histogram from the service
/// time's and the intended start's.
fn per_turn(
    load: &LoadOutcome,
    pick: impl for<'h> Fn(&'h LatencyHistogram, Option<&'h LatencyHistogram>) -> &'h LatencyHistogram,
) -> Result<Vec<LatencyRecord>, ResultError> {
    let metrics = &load.metrics;
    let mut records = Vec::new();
    for ((service, intended), key) in metrics
        .turns
        .iter()
        .zip(&metrics.turn_intended)
        .zip(&load.turn_keys)
    {
        if let (Some(service), Some(key)) = (service, turn_name(load, key)) {
            records.push(record(key, pick(service, intended.as_ref()), 0)?);
        }
    }
    Ok(records)
}

fn latency(load: &LoadOutcome) -> Result<LatencyRecords, ResultError> {
    let names = |key: &(usize, usize)| turn_name(load, key);
    let turns = per_turn(load, |service, _| service)?;
    let streamed: Vec<(LatencyKey, &StreamHistograms)> = load
        .metrics
        .turn_streams
        .iter()
        .zip(&load.turn_keys)
        .filter_map(|(stream, key)| Some((names(key)?, stream.as_ref()?)))
        .collect();
    let per_turn = |pick: fn(&StreamHistograms) -> &LatencyHistogram| {
        streamed
            .iter()
            .filter(|(_, s)| pick(s).count() > 0)
            .map(|(key, s)| record(key.clone(), pick(s), 0))
            .collect::<Result<Vec<_>, _>>()
    };
    let chunks = OPERATIONS
        .iter()
        .zip(&load.metrics.operations)
        .map(|(operation, op)| {
            let key = LatencyKey::Operation {
                operation: *operation,
            };
            (key, &op.stream)
        })
        .chain(streamed.iter().map(|(key, s)| (key.clone(), *s)))
        .filter(|(_, s)| !s.is_empty())
        .map(|(key, s)| ChunkCountRecord {
            key,
            counts: s.chunks,
        })
        .collect();
    Ok(LatencyRecords {
        operations: per_operation(load, |op| &op.service, true)?,
        turns,
        ttfc: per_operation(load, |op| &op.stream.ttfc, false)?,
        ttfc_turns: per_turn(|s| &s.ttfc)?,
        gaps: per_operation(load, |op| &op.stream.gaps, false)?,
        gap_turns: per_turn(|s| &s.gaps)?,
        eor: per_operation(load, |op| &op.stream.end, false)?,
        eor_turns: per_turn(|s| &s.end)?,
        chunks,
    })
}

fn section(load: &LoadOutcome) -> Result<LoadSection, ResultError> {
    let c = &load.metrics.counters;
    let per_conversation = load
        .tallies
        .iter()
        .zip(&load.conversations)
        .map(|(tally, name)| ConversationStats {
            suite: name.suite.clone(),
            suite_file: name.loc.file.to_string(),
            line: name.loc.line,
            conversation: name.conversation.clone(),
            runs: tally.runs(),
            passed: tally.passed,
            failed: tally.failed,
            errored: tally.errored,
        })
        .collect();
    Ok(LoadSection {
        sessions_started: c.sessions_started,
        sessions_aborted: c.sessions_aborted,
        late: c.late,
        dropped: c.dropped,
        warmup_us: micros(load.warmup),
        intended: per_operation(load, |op| &op.intended, false)?,
        // The closed model schedules nothing: from the intended start is the service time.
        intended_turns: per_turn(load, |service, intended| intended.unwrap_or(service))?,
        gaps: Vec::new(),
        start_lag: load.metrics.start_lag.percentiles().into(),
        per_conversation,
        shard: None,
    })
}

/// The engine's per-second points, merged into wider ones past [`super::MAX_POINTS`] so
/// run.json stays bounded; a merged point keeps the highest percentiles of its seconds.
fn timeline(points: &[Interval]) -> Vec<TimelinePoint> {
    let width = (points.len() as u64).div_ceil(super::MAX_POINTS).max(1);
    points
        .chunks(width as usize)
        .map(|chunk| {
            let first = chunk.first().map_or(0, |p| p.second);
            chunk.iter().fold(
                TimelinePoint {
                    second: first,
                    seconds: chunk.len() as u64,
                    ..TimelinePoint::default()
                },
                |mut acc, p| {
                    acc.sessions_started += p.sessions_started;
                    acc.sessions_completed += p.sessions_completed;
                    acc.turns += p.requests;
                    acc.errors += p.errors;
                    acc.p50_us = acc.p50_us.max(p.p50_us);
                    acc.p95_us = acc.p95_us.max(p.p95_us);
                    acc.p99_us = acc.p99_us.max(p.p99_us);
                    acc
                },
            )
        })
        .collect()
}
