//! Combines checked shards into one result: counters add, histograms HDR-add, time series
//! add per wall-clock second, per-conversation and per-persona stats add, sample failures
//! concatenate.

use super::{MergeError, ShardFile};
use crate::report::result::SAMPLES_PER_CONVERSATION;
use crate::report::result::{
    ChunkCountRecord, ConversationRecord, ConversationStats, Counters, LatencyRecord,
    LatencyRecords, LoadSection, PersonaSection, RunResult, ShardInfo, Summary, TimelinePoint,
    decode_histogram, encode_histogram, parse_rfc3339_utc, rfc3339_utc,
};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// Merges checked shards, sorted by index (so the result does not depend on the order
/// the files were given in).
pub(super) fn combine(shards: &[ShardFile]) -> Result<RunResult, MergeError> {
    let starts = start_times(shards)?;
    let earliest = starts
        .iter()
        .copied()
        .min()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    // Each shard's start after the earliest: its seconds and offsets move by this much.
    let offsets: Vec<Duration> = starts
        .iter()
        .map(|t| t.duration_since(earliest).unwrap_or_default())
        .collect();
    let Some(first) = shards.first() else {
        return Err(MergeError::Empty);
    };
    let mut merged = first.result.clone();
    merged.started_at = rfc3339_utc(earliest);
    merged.elapsed_us = shards
        .iter()
        .zip(&offsets)
        .map(|(s, o)| micros(*o).saturating_add(s.result.elapsed_us))
        .max()
        .unwrap_or(0);
    merged.interrupted = shards.iter().any(|s| s.result.interrupted);
    merged.counters = counters(shards);
    merged.scorecard =
        crate::report::result::merge_scorecards(shards.iter().map(|s| &s.result.scorecard));
    merged.latency = latency(shards)?;
    merged.timeline = timeline(shards, &offsets);
    merged.conversations = samples(shards, &offsets);
    merged.form_summaries = form_summaries(shards);
    merged.load = Some(load_section(shards)?);
    merged.personas = PersonaSection::merge(
        shards.iter().filter_map(|s| s.result.personas.as_ref()),
    )
    .map_err(|e| MergeError::Histogram {
        file: "the personas section".to_string(),
        reason: e.to_string(),
    })?;
    // One config for the whole run: the shards' (checked to agree), but no shard index.
    if let Some(shard) = &mut merged.config.shard {
        shard.index = None;
        shard.merged = true;
    }
    Ok(merged)
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn start_times(shards: &[ShardFile]) -> Result<Vec<SystemTime>, MergeError> {
    shards
        .iter()
        .map(|s| {
            parse_rfc3339_utc(&s.result.started_at).ok_or_else(|| MergeError::StartedAt {
                file: s.label.clone(),
                started_at: s.result.started_at.clone(),
            })
        })
        .collect()
}

fn counters(shards: &[ShardFile]) -> Counters {
    shards.iter().fold(Counters::default(), |mut acc, s| {
        let c = &s.result.counters;
        acc.conversations += c.conversations;
        acc.passed += c.passed;
        acc.failed += c.failed;
        acc.errored += c.errored;
        acc.requests += c.requests;
        acc.failures += c.failures;
        acc.retries += c.retries;
        acc.retry_time_us += c.retry_time_us;
        for (class, n) in &c.errors_by_class {
            *acc.errors_by_class.entry(class.clone()).or_default() += n;
        }
        acc
    })
}

fn latency(shards: &[ShardFile]) -> Result<LatencyRecords, MergeError> {
    let pick = |f: fn(&RunResult) -> &[LatencyRecord]| -> Result<Vec<LatencyRecord>, MergeError> {
        add_records(shards, |s| f(&s.result))
    };
    Ok(LatencyRecords {
        operations: pick(|r| &r.latency.operations)?,
        turns: pick(|r| &r.latency.turns)?,
        ttfc: pick(|r| &r.latency.ttfc)?,
        ttfc_turns: pick(|r| &r.latency.ttfc_turns)?,
        gaps: pick(|r| &r.latency.gaps)?,
        gap_turns: pick(|r| &r.latency.gap_turns)?,
        eor: pick(|r| &r.latency.eor)?,
        eor_turns: pick(|r| &r.latency.eor_turns)?,
        tags: pick(|r| &r.latency.tags)?,
        chunks: chunk_counts(shards),
    })
}

/// Message counts per key, added (in the order keys first appear): sums, so exact.
fn chunk_counts(shards: &[ShardFile]) -> Vec<ChunkCountRecord> {
    let mut merged: Vec<ChunkCountRecord> = Vec::new();
    for record in shards.iter().flat_map(|s| &s.result.latency.chunks) {
        match merged.iter_mut().find(|m| m.key == record.key) {
            Some(into) => into.counts.merge(&record.counts),
            None => merged.push(record.clone()),
        }
    }
    merged
}

/// One record per key (in the order keys first appear), its histogram the HDR sum of
/// every shard's record with that key: exact, so merged percentiles are true ones.
pub(super) fn add_records<'a>(
    shards: &'a [ShardFile],
    records: impl Fn(&'a ShardFile) -> &'a [LatencyRecord],
) -> Result<Vec<LatencyRecord>, MergeError> {
    let mut merged: Vec<(LatencyRecord, Histogram<u64>)> = Vec::new();
    for shard in shards {
        let broken = |reason: String| MergeError::Histogram {
            file: shard.label.clone(),
            reason,
        };
        for record in records(shard) {
            let histogram = decode_histogram(&record.hdr).map_err(|e| broken(e.to_string()))?;
            match merged.iter_mut().find(|(r, _)| r.key == record.key) {
                Some((into, sum)) => {
                    sum.add(&histogram).map_err(|e| broken(format!("{e:?}")))?;
                    into.errors += record.errors;
                    into.clamped += record.clamped;
                }
                None => {
                    let mut sum = histogram;
                    // Shards share the timeout, hence the bounds; growing is a fallback.
                    sum.auto(true);
                    merged.push((record.clone(), sum));
                }
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut record, sum)| {
            record.summary = Summary::of(&sum);
            record.hdr = encode_histogram(&sum).map_err(|e| MergeError::Histogram {
                file: "the merged result".into(),
                reason: e.to_string(),
            })?;
            Ok(record)
        })
        .collect()
}

/// Points added per wall-clock second (each shard's seconds moved by its start offset,
/// rounded to the second). Per-second percentiles cannot be added: a merged point keeps
/// the highest of the shards' (an upper bound; the run's own percentiles are exact).
fn timeline(shards: &[ShardFile], offsets: &[Duration]) -> Vec<TimelinePoint> {
    let mut by_second: BTreeMap<u64, TimelinePoint> = BTreeMap::new();
    for (shard, offset) in shards.iter().zip(offsets) {
        let shift = (offset.as_secs_f64()).round() as u64;
        for p in &shard.result.timeline {
            let second = p.second + shift;
            let into = by_second.entry(second).or_insert_with(|| TimelinePoint {
                second,
                seconds: p.seconds,
                ..TimelinePoint::default()
            });
            into.seconds = into.seconds.max(p.seconds);
            into.sessions_started += p.sessions_started;
            into.sessions_completed += p.sessions_completed;
            into.turns += p.turns;
            into.errors += p.errors;
            into.p50_us = into.p50_us.max(p.p50_us);
            into.p95_us = into.p95_us.max(p.p95_us);
            into.p99_us = into.p99_us.max(p.p99_us);
        }
    }
    by_second.into_values().collect()
}

/// The shards' sample failures, at most [`SAMPLES_PER_CONVERSATION`] per conversation as
/// in one run; offsets moved to the merged start, finish order renumbered.
fn samples(shards: &[ShardFile], offsets: &[Duration]) -> Vec<ConversationRecord> {
    let mut kept: BTreeMap<(String, String, usize), usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (shard, offset) in shards.iter().zip(offsets) {
        let shift = micros(*offset);
        for record in &shard.result.conversations {
            let key = (
                record.suite.clone(),
                record.conversation.clone(),
                record.line,
            );
            let count = kept.entry(key).or_default();
            if *count >= SAMPLES_PER_CONVERSATION {
                continue;
            }
            *count += 1;
            let mut record = record.clone();
            record.start_offset_us = record.start_offset_us.saturating_add(shift);
            for turn in &mut record.turns {
                turn.start_offset_us = turn.start_offset_us.saturating_add(shift);
            }
            out.push(record);
        }
    }
    for (seq, record) in out.iter_mut().enumerate() {
        record.finish_seq = seq;
    }
    out
}

fn load_section(shards: &[ShardFile]) -> Result<LoadSection, MergeError> {
    let sections: Vec<&LoadSection> = shards
        .iter()
        .filter_map(|s| s.result.load.as_ref())
        .collect();
    let Some(first) = sections.first() else {
        return Err(MergeError::Empty);
    };
    let sum = |f: fn(&LoadSection) -> u64| sections.iter().map(|s| f(s)).sum::<u64>();
    let loads = |f: fn(&RunResult) -> &[LatencyRecord]| add_records(shards, move |s| f(&s.result));
    Ok(LoadSection {
        sessions_started: sum(|s| s.sessions_started),
        sessions_aborted: sum(|s| s.sessions_aborted),
        late: sum(|s| s.late),
        dropped: sum(|s| s.dropped),
        warmup_us: sections.iter().map(|s| s.warmup_us).max().unwrap_or(0),
        workers: sum(|s| s.workers),
        intended: loads(|r| r.load.as_ref().map_or(&[], |l| &l.intended))?,
        intended_turns: loads(|r| r.load.as_ref().map_or(&[], |l| &l.intended_turns))?,
        // Read from older files only, and moved to `latency.gaps` on reading.
        gaps: Vec::new(),
        start_lag: start_lag(&sections),
        per_conversation: per_conversation(&sections),
        shard: first.shard.as_ref().map(|s| ShardInfo {
            index: 0,
            merged: true,
            ..s.clone()
        }),
    })
}

/// Start lag is kept as a summary, not a histogram, so it cannot be merged exactly:
/// counts add, the mean is weighted, min and max are exact, and each percentile is the
/// highest of the shards' (an upper bound).
fn start_lag(sections: &[&LoadSection]) -> Summary {
    let lags: Vec<&Summary> = sections
        .iter()
        .map(|s| &s.start_lag)
        .filter(|l| l.count > 0)
        .collect();
    let count: u64 = lags.iter().map(|l| l.count).sum();
    if count == 0 {
        return Summary::default();
    }
    let top = |f: fn(&Summary) -> u64| lags.iter().map(|l| f(l)).max().unwrap_or(0);
    let weighted: f64 = lags.iter().map(|l| l.mean_us as f64 * l.count as f64).sum();
    Summary {
        count,
        min_us: lags.iter().map(|l| l.min_us).min().unwrap_or(0),
        p50_us: top(|l| l.p50_us),
        p90_us: top(|l| l.p90_us),
        p95_us: top(|l| l.p95_us),
        p99_us: top(|l| l.p99_us),
        p999_us: top(|l| l.p999_us),
        max_us: top(|l| l.max_us),
        mean_us: (weighted / count as f64).round() as u64,
    }
}

fn per_conversation(sections: &[&LoadSection]) -> Vec<ConversationStats> {
    let mut merged: Vec<ConversationStats> = Vec::new();
    for stats in sections.iter().flat_map(|s| &s.per_conversation) {
        let same = |m: &&mut ConversationStats| {
            m.suite == stats.suite && m.conversation == stats.conversation && m.line == stats.line
        };
        match merged.iter_mut().find(same) {
            Some(m) => {
                m.runs += stats.runs;
                m.passed += stats.passed;
                m.failed += stats.failed;
                m.errored += stats.errored;
            }
            None => merged.push(stats.clone()),
        }
    }
    merged
}

/// Each suite's `summary:` check once (every shard made its own): the first that did not
/// pass, else the first shard's, so a failure in any shard fails the merged run.
fn form_summaries(shards: &[ShardFile]) -> Vec<crate::report::result::FormSummaryRecord> {
    use crate::report::result::VerdictName;
    let mut merged: Vec<crate::report::result::FormSummaryRecord> = Vec::new();
    for record in shards.iter().flat_map(|s| &s.result.form_summaries) {
        let same = |m: &&mut crate::report::result::FormSummaryRecord| {
            m.suite == record.suite && m.suite_file == record.suite_file
        };
        match merged.iter_mut().find(same) {
            Some(kept) if kept.verdict == VerdictName::Passed => *kept = record.clone(),
            Some(_) => {}
            None => merged.push(record.clone()),
        }
    }
    merged
}
