//! Runner outcomes as report records: each finished conversation, turn, chunk, failure
//! and mark copied into the plain, serialisable types of run.json. The streamed
//! `turns.csv` rows and the result's conversations are made here, so both are the same
//! bytes. Copies only; decides nothing.

use crate::common::wire::{Chunk, ChunkBody};
use crate::report::result::{
    ChunkRecord, ConversationRecord, ErrorRecord, FailureRecord, FieldMarkRecord,
    FormSummaryRecord, MarkName, OperationName, PersonaRecord, TurnRecord, VerdictName,
};
use crate::runner::summary::SummaryOutcome;
use crate::runner::{
    ConversationResult, ConversationTiming, Failure, FieldMark, FieldScore, Operation, TurnOutcome,
    Verdict,
};
use std::time::Duration;

pub use crate::common::format::cut;

/// One conversation as plain data; also what the streamed `turns.csv` rows are made from,
/// so streamed and re-rendered rows are the same bytes. Chunk texts, error messages and
/// failures' values longer than `text_limit` characters are cut (see [`cut`]).
pub fn conversation_record(
    result: &ConversationResult,
    timing: &ConversationTiming,
    text_limit: usize,
) -> ConversationRecord {
    let start = micros(timing.start_offset);
    let turns = result
        .turns
        .iter()
        .map(|t| turn_record(t, start + micros(t.offset), text_limit))
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
        final_failures: result
            .final_failures
            .iter()
            .map(|f| failure_record(f, text_limit))
            .collect(),
        iteration: result.iteration,
        repeat: result.repeat,
        min_pass_rate: result.min_pass_rate,
        summarized: result.summarized,
        aborted: result.aborted,
        persona: result.persona.map(|p| PersonaRecord {
            ending: p.ending.as_str().to_string(),
            turns: p.turns,
            re_asks: p.re_asks,
        }),
        tags: result.tags.clone(),
    }
}

fn turn_record(turn: &TurnOutcome, start_offset_us: u64, text_limit: usize) -> TurnRecord {
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
        protocol: turn.protocol.map(str::to_string),
        chunks: turn
            .chunks
            .iter()
            .map(|c| chunk_record(c, text_limit))
            .collect(),
        error: turn.error.as_ref().map(|e| ErrorRecord {
            class: e.class.as_str().to_string(),
            message: cut(&e.message, text_limit),
        }),
        failures: turn
            .failures
            .iter()
            .map(|f| failure_record(f, text_limit))
            .collect(),
        fields: turn.fields.iter().map(mark_record).collect(),
        reason: turn.reason.clone(),
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

fn chunk_record(chunk: &Chunk, text_limit: usize) -> ChunkRecord {
    let text = match &chunk.body {
        ChunkBody::Text(d) => Some(cut(&d.text, text_limit)),
        ChunkBody::TextData(d) => Some(cut(&format!("{}: {}", d.field_target, d.text), text_limit)),
        ChunkBody::ImportantText(d) => Some(cut(&d.text, text_limit)),
        ChunkBody::Error(d) => Some(cut(&d.message_text, text_limit)),
        _ => None,
    };
    ChunkRecord {
        // A server's own chunk type names are its text too: an unknown one is cut alike.
        kind: cut(&chunk.chunk_type().to_string(), text_limit),
        text,
    }
}

/// A suite's `summary:` check as stored.
pub(super) fn form_summary_record(
    outcome: &SummaryOutcome,
    text_limit: usize,
) -> FormSummaryRecord {
    FormSummaryRecord {
        suite: outcome.suite.clone(),
        suite_file: outcome.loc.file.to_string(),
        line: outcome.loc.line,
        column: outcome.loc.column,
        verdict: match outcome.verdict() {
            Verdict::Passed => VerdictName::Passed,
            Verdict::Failed => VerdictName::Failed,
            Verdict::Errored => VerdictName::Errored,
        },
        summary: outcome.summary.as_deref().map(|s| cut(s, text_limit)),
        length: outcome.length,
        latency_us: micros(outcome.latency),
        status: outcome.status,
        request_id: outcome.request_id.clone(),
        error: outcome.error.as_ref().map(|e| ErrorRecord {
            class: e.class.as_str().to_string(),
            message: cut(&e.message, text_limit),
        }),
        failures: outcome
            .failures
            .iter()
            .map(|f| failure_record(f, text_limit))
            .collect(),
    }
}

fn failure_record(failure: &Failure, text_limit: usize) -> FailureRecord {
    FailureRecord {
        file: failure.loc.file.to_string(),
        line: failure.loc.line,
        column: failure.loc.column,
        subject: failure.subject.clone(),
        expected: cut(&failure.expected, text_limit),
        actual: cut(&failure.actual, text_limit),
    }
}

pub(super) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn long_texts_are_cut_with_their_length() {
        assert_eq!(cut("short", 16), "short");
        assert_eq!(cut("exactly-16-chars", 16), "exactly-16-chars");
        let long = "é".repeat(20);
        assert_eq!(
            cut(&long, 16),
            format!("{}…[cut: 20 characters in all]", "é".repeat(16))
        );
    }
}
