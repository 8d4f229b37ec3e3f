//! The run's [`Recorder`] as report records, for functional and load runs alike: counters,
//! latency rows per operation and per conversation × turn (service time, streaming
//! figures, messages per response), the scorecard from the recorded marks, the personas
//! section (success and turns to completion per persona), and a load
//! run's own section (intended-start latency, start lag, per-conversation tallies, its
//! time series). Reads the outcome; measures nothing.

use super::records::micros;
use crate::metrics::recorder::OperationHistograms;
use crate::metrics::{LatencyHistogram, StreamHistograms, TimelinePoint as Interval};
use crate::report::result::{
    ChunkCountRecord, ConversationStats, Counters, LatencyKey, LatencyRecord, LatencyRecords,
    LoadSection, OperationName, PersonaIdentity, PersonaSection, PersonaStats, ResultError,
    Scorecard, TimelinePoint, encode_histogram, scorecard_from_counts,
};
use crate::runner::{LoadMeasures, RunOutcome, TurnKeys};
use std::collections::BTreeMap;

pub(super) fn counters(outcome: &RunOutcome) -> Counters {
    let c = &outcome.metrics.counters;
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

/// The scorecard from the recorder's mark counts (every run, not only the kept ones).
pub(super) fn scorecard(outcome: &RunOutcome) -> Scorecard {
    let names = &outcome.keys.conversations;
    scorecard_from_counts(
        outcome
            .metrics
            .field_marks
            .iter()
            .flat_map(|(conversation, fields)| {
                let suite = names.get(*conversation).map_or("", |n| n.suite.as_str());
                fields
                    .iter()
                    .map(move |(field, c)| (suite, field.as_str(), *c))
            }),
    )
}

/// The personas section from the recorder's tallies, in plan order; `None` without
/// persona runs.
pub(super) fn personas(outcome: &RunOutcome) -> Result<Option<PersonaSection>, ResultError> {
    let names = &outcome.keys.conversations;
    let stats = outcome
        .metrics
        .personas
        .iter()
        .filter_map(|(index, tally)| Some((names.get(*index)?, tally)))
        .map(|(name, tally)| {
            let identity = PersonaIdentity {
                suite: name.suite.clone(),
                suite_file: name.loc.file.to_string(),
                line: name.loc.line,
                persona: name.conversation.clone(),
            };
            PersonaStats::new(identity, tally.counts, &tally.turns_histogram())
        })
        .collect::<Result<Vec<_>, _>>()?;
    PersonaSection::of(stats)
}

/// In the order of the recorder's operation indexes.
const OPERATIONS: [OperationName; 3] = [
    OperationName::Create,
    OperationName::Send,
    OperationName::Summary,
];

/// One stored histogram record: the exact HDR data and its summary.
fn record(
    key: LatencyKey,
    histogram: &LatencyHistogram,
    errors: u64,
) -> Result<LatencyRecord, ResultError> {
    Ok(LatencyRecord {
        key,
        errors,
        clamped: histogram.clamped(),
        summary: histogram.percentiles().into(),
        hdr: encode_histogram(&histogram.to_hdr())?,
    })
}

/// One record per operation that had any request, from `pick`'s histogram.
fn per_operation(
    outcome: &RunOutcome,
    pick: impl Fn(&OperationHistograms) -> &LatencyHistogram,
    with_errors: bool,
) -> Result<Vec<LatencyRecord>, ResultError> {
    OPERATIONS
        .iter()
        .zip(&outcome.metrics.operations)
        .filter(|(_, op)| pick(op).count() > 0 || (with_errors && op.errors > 0))
        .map(|(operation, op)| {
            let errors = if with_errors { op.errors } else { 0 };
            let key = LatencyKey::Operation {
                operation: *operation,
            };
            record(key, pick(op), errors)
        })
        .collect()
}

/// The report key of turn key `index`.
fn turn_name(keys: &TurnKeys, index: usize) -> Option<LatencyKey> {
    let (conversation, turn) = *keys.keys.get(index)?;
    keys.conversations
        .get(conversation)
        .map(|name| LatencyKey::Turn {
            suite: name.suite.clone(),
            conversation: name.conversation.clone(),
            turn,
        })
}

/// One service-time record per turn key with a sample or an error.
fn service_per_turn(outcome: &RunOutcome) -> Result<Vec<LatencyRecord>, ResultError> {
    let metrics = &outcome.metrics;
    let mut records = Vec::new();
    for (index, (histogram, errors)) in metrics.turns.iter().zip(&metrics.turn_errors).enumerate() {
        let Some(key) = turn_name(&outcome.keys, index) else {
            continue;
        };
        match histogram {
            Some(histogram) => records.push(record(key, histogram, *errors)?),
            None if *errors > 0 => records.push(record(
                key,
                &LatencyHistogram::new(outcome_highest(outcome)),
                *errors,
            )?),
            None => {}
        }
    }
    Ok(records)
}

/// The ceiling of the run's histograms, for an empty row of its shape.
fn outcome_highest(outcome: &RunOutcome) -> std::time::Duration {
    std::time::Duration::from_micros(outcome.metrics.operations[0].service.highest_us())
}

/// One intended-start record per turn key with samples; the closed model schedules
/// nothing, so there it is the service time.
fn intended_per_turn(outcome: &RunOutcome) -> Result<Vec<LatencyRecord>, ResultError> {
    let metrics = &outcome.metrics;
    let mut records = Vec::new();
    for (index, (service, intended)) in metrics.turns.iter().zip(&metrics.turn_intended).enumerate()
    {
        if let (Some(service), Some(key)) = (service, turn_name(&outcome.keys, index)) {
            records.push(record(key, intended.as_ref().unwrap_or(service), 0)?);
        }
    }
    Ok(records)
}

/// One record per tag × operation: the per-turn histograms of every conversation with
/// the tag, merged once at the end (nothing more is recorded per request), tags in name
/// order, turn 0 being the create.
fn per_tag(outcome: &RunOutcome) -> Result<Vec<LatencyRecord>, ResultError> {
    let keys = &outcome.keys;
    let metrics = &outcome.metrics;
    // Keyed by (tag, is a send): creates sort before sends.
    let mut merged: BTreeMap<(&str, bool), (LatencyHistogram, u64)> = BTreeMap::new();
    for (index, (histogram, errors)) in metrics.turns.iter().zip(&metrics.turn_errors).enumerate() {
        let Some(&(conversation, turn)) = keys.keys.get(index) else {
            continue;
        };
        for tag in keys.tags.get(conversation).into_iter().flatten() {
            let (sum, sum_errors) = merged
                .entry((tag.as_str(), turn > 0))
                .or_insert_with(|| (LatencyHistogram::new(outcome_highest(outcome)), 0));
            if let Some(histogram) = histogram {
                sum.merge(histogram);
            }
            *sum_errors += errors;
        }
    }
    merged
        .into_iter()
        .filter(|(_, (histogram, errors))| histogram.count() > 0 || *errors > 0)
        .map(|((tag, send), (histogram, errors))| {
            let operation = if send {
                OperationName::Send
            } else {
                OperationName::Create
            };
            let key = LatencyKey::Tag {
                tag: tag.to_string(),
                operation,
            };
            record(key, &histogram, errors)
        })
        .collect()
}

pub(super) fn latency(outcome: &RunOutcome) -> Result<LatencyRecords, ResultError> {
    let streamed: Vec<(LatencyKey, &StreamHistograms)> = outcome
        .metrics
        .turn_streams
        .iter()
        .enumerate()
        .filter_map(|(index, stream)| Some((turn_name(&outcome.keys, index)?, stream.as_ref()?)))
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
        .zip(&outcome.metrics.operations)
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
        operations: per_operation(outcome, |op| &op.service, true)?,
        turns: service_per_turn(outcome)?,
        ttfc: per_operation(outcome, |op| &op.stream.ttfc, false)?,
        ttfc_turns: per_turn(|s| &s.ttfc)?,
        gaps: per_operation(outcome, |op| &op.stream.gaps, false)?,
        gap_turns: per_turn(|s| &s.gaps)?,
        eor: per_operation(outcome, |op| &op.stream.end, false)?,
        eor_turns: per_turn(|s| &s.end)?,
        tags: per_tag(outcome)?,
        chunks,
    })
}

pub(super) fn section(
    outcome: &RunOutcome,
    load: &LoadMeasures,
) -> Result<LoadSection, ResultError> {
    let c = &outcome.metrics.counters;
    let per_conversation = load
        .tallies
        .iter()
        .zip(&outcome.keys.conversations)
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
        workers: load.workers as u64,
        intended: per_operation(outcome, |op| &op.intended, false)?,
        intended_turns: intended_per_turn(outcome)?,
        gaps: Vec::new(),
        start_lag: outcome.metrics.start_lag.percentiles().into(),
        per_conversation,
        shard: None,
    })
}

/// The engine's per-second points, merged into wider ones past
/// [`MAX_POINTS`](crate::report::result::MAX_POINTS) so run.json stays bounded; a merged
/// point keeps the highest percentiles of its seconds.
pub(super) fn timeline(points: &[Interval]) -> Vec<TimelinePoint> {
    let width = (points.len() as u64)
        .div_ceil(crate::report::result::MAX_POINTS)
        .max(1);
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
