//! Builds a [`RunResult`] from the runner's [`RunOutcome`]: copies every turn into plain
//! records, counts verdicts and errors, and fills the latency histograms (and the
//! streaming ones of streamed turns) per operation and per conversation × turn. Reads the
//! outcome; runs nothing.

use super::groups::{Groups, StreamGroups};
use super::{
    ChunkRecord, ConversationRecord, Counters, ErrorRecord, FailureRecord, FieldMarkRecord,
    LatencyKey, LatencyRecords, MarkName, OperationName, ResultError, RunConfig, RunResult,
    SCHEMA_VERSION, TurnRecord, VerdictName,
};
use crate::common::wire::{Chunk, ChunkBody};
use crate::runner::{
    ConversationResult, ConversationTiming, Failure, FieldMark, FieldScore, Operation, RunOutcome,
    TurnOutcome, Verdict,
};
use std::time::{Duration, SystemTime};

/// What the outcome does not know about its run: identity and the options it ran with.
#[derive(Debug, Clone)]
pub struct RunConfigInfo {
    pub run_id: String,
    pub name: String,
    pub started_at: SystemTime,
    /// `base_url` is taken from the outcome (it knows the embedded mock's address).
    pub config: RunConfig,
}

impl RunResult {
    pub fn from_outcome(outcome: &RunOutcome, info: &RunConfigInfo) -> Result<Self, ResultError> {
        if let Some(load) = &outcome.load {
            return RunResult::from_load(outcome, load, info);
        }
        let conversations: Vec<ConversationRecord> = outcome
            .results
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let timing = outcome.timings.get(i).copied().unwrap_or_default();
                conversation_record(r, &timing)
            })
            .collect();
        let mut config = info.config.clone();
        config.base_url = crate::api::endpoint::strip_userinfo(&outcome.base_url);
        config.embedded_mock = outcome.embedded_mock;
        let timeout = Duration::from_millis(config.timeout_ms);
        Ok(RunResult {
            schema_version: SCHEMA_VERSION,
            run_id: info.run_id.clone(),
            name: info.name.clone(),
            started_at: super::rfc3339_utc(info.started_at),
            elapsed_us: micros(outcome.elapsed),
            interrupted: outcome.interrupted,
            config,
            counters: counters(&conversations),
            latency: latency(&conversations, timeout)?,
            timeline: super::timeline(&conversations, micros(outcome.elapsed)),
            scorecard: super::scorecard(&conversations),
            pass_rates: super::pass_rates(&conversations),
            thresholds: Vec::new(),
            conversations,
            load: None,
        })
    }
}

/// One conversation as plain data; also what the streamed `turns.csv` rows are made from,
/// so streamed and re-rendered rows are the same bytes.
pub fn conversation_record(
    result: &ConversationResult,
    timing: &ConversationTiming,
) -> ConversationRecord {
    let start = micros(timing.start_offset);
    let turns = result
        .turns
        .iter()
        .map(|t| turn_record(t, start + micros(t.offset)))
        .collect();
    ConversationRecord {
        suite: result.suite.clone(),
        suite_file: result.loc.file.to_string(),
        line: result.loc.line,
        column: result.loc.column,
        conversation: result.conversation.clone(),
        verdict: match result.verdict() {
            Verdict::Passed => VerdictName::Passed,
            Verdict::Failed => VerdictName::Failed,
            Verdict::Errored => VerdictName::Errored,
        },
        session_id: result.session_id.clone(),
        start_offset_us: micros(timing.start_offset),
        finish_seq: timing.finish_seq,
        planned_turns: result.planned_turns,
        turns,
        final_failures: result.final_failures.iter().map(failure_record).collect(),
        iteration: result.iteration,
        repeat: result.repeat,
        min_pass_rate: result.min_pass_rate,
        summarized: result.summarized,
    }
}

fn turn_record(turn: &TurnOutcome, start_offset_us: u64) -> TurnRecord {
    TurnRecord {
        turn: turn.turn,
        operation: match turn.operation {
            Operation::Create => OperationName::Create,
            Operation::Send => OperationName::Send,
        },
        user: turn.user.clone(),
        start_offset_us,
        latency_us: micros(turn.latency),
        retries: turn.retries,
        retry_time_us: micros(turn.retry_time),
        ttfc_us: turn.ttfc.map(micros),
        arrivals_us: turn.arrivals.iter().copied().map(micros).collect(),
        eor_us: turn.end_of_response.map(micros),
        status: turn.status,
        request_id: turn.request_id.clone(),
        chunks: turn.chunks.iter().map(chunk_record).collect(),
        error: turn.error.as_ref().map(|e| ErrorRecord {
            class: e.class.as_str().to_string(),
            message: e.message.clone(),
        }),
        failures: turn.failures.iter().map(failure_record).collect(),
        fields: turn.fields.iter().map(mark_record).collect(),
    }
}

fn mark_record(score: &FieldScore) -> FieldMarkRecord {
    FieldMarkRecord {
        field: score.key.clone(),
        mark: match score.mark {
            FieldMark::Correct => MarkName::Correct,
            FieldMark::Wrong => MarkName::Wrong,
            FieldMark::Missed => MarkName::Missed,
            FieldMark::Unexpected => MarkName::Unexpected,
        },
    }
}

fn chunk_record(chunk: &Chunk) -> ChunkRecord {
    let text = match &chunk.body {
        ChunkBody::Text(d) => Some(d.text.clone()),
        ChunkBody::TextData(d) => Some(format!("{}: {}", d.field_target, d.text)),
        ChunkBody::ImportantText(d) => Some(d.text.clone()),
        ChunkBody::Error(d) => Some(d.message_text.clone()),
        _ => None,
    };
    ChunkRecord {
        kind: chunk.chunk_type().to_string(),
        text,
    }
}

fn failure_record(failure: &Failure) -> FailureRecord {
    FailureRecord {
        file: failure.loc.file.to_string(),
        line: failure.loc.line,
        column: failure.loc.column,
        subject: failure.subject.clone(),
        expected: failure.expected.clone(),
        actual: failure.actual.clone(),
    }
}

fn counters(conversations: &[ConversationRecord]) -> Counters {
    let mut c = Counters::default();
    for conversation in conversations {
        c.conversations += 1;
        match conversation.verdict {
            VerdictName::Passed => c.passed += 1,
            VerdictName::Failed => c.failed += 1,
            VerdictName::Errored => c.errored += 1,
        }
        c.failures += conversation.final_failures.len() as u64;
        for turn in &conversation.turns {
            c.requests += 1;
            c.failures += turn.failures.len() as u64;
            c.retries += u64::from(turn.retries);
            c.retry_time_us += turn.retry_time_us;
            if let Some(error) = &turn.error {
                *c.errors_by_class.entry(error.class.clone()).or_default() += 1;
            }
        }
    }
    c
}

fn latency(
    conversations: &[ConversationRecord],
    timeout: Duration,
) -> Result<LatencyRecords, ResultError> {
    let mut operations = Groups::new(timeout);
    let mut turns = Groups::new(timeout);
    let mut op_streams = StreamGroups::new(timeout);
    let mut turn_streams = StreamGroups::new(timeout);
    // Create first, then send, whatever order they were seen in.
    for operation in [OperationName::Create, OperationName::Send] {
        let key = LatencyKey::Operation { operation };
        for turn in conversations.iter().flat_map(|c| &c.turns) {
            if turn.operation == operation {
                operations.record(&key, turn);
                // Only streamed turns that got a first chunk have streaming figures; an
                // errored one is counted as an error of its rows, as for latency.
                op_streams.record(&key, turn);
            }
        }
    }
    for conversation in conversations {
        for turn in &conversation.turns {
            let key = LatencyKey::Turn {
                suite: conversation.suite.clone(),
                conversation: conversation.conversation.clone(),
                turn: turn.turn,
            };
            turns.record(&key, turn);
            turn_streams.record(&key, turn);
        }
    }
    let mut chunks = op_streams.chunks;
    chunks.append(&mut turn_streams.chunks);
    Ok(LatencyRecords {
        operations: operations.into_records()?,
        turns: turns.into_records()?,
        ttfc: op_streams.ttfc.into_records()?,
        ttfc_turns: turn_streams.ttfc.into_records()?,
        gaps: op_streams.gaps.into_records()?,
        gap_turns: turn_streams.gaps.into_records()?,
        eor: op_streams.eor.into_records()?,
        eor_turns: turn_streams.eor.into_records()?,
        chunks,
    })
}

pub(super) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use crate::api::endpoint::strip_userinfo;

    #[test]
    fn strips_credentials_from_urls() {
        assert_eq!(strip_userinfo("http://a:b@h:1/x"), "http://h:1/x");
        assert_eq!(strip_userinfo("http://h:1/x@y"), "http://h:1/x@y");
        assert_eq!(strip_userinfo("nonsense"), "nonsense");
    }
}
