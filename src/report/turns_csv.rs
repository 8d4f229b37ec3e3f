//! `turns.csv`: one row per executed turn. [`TurnsCsvWriter`] appends the rows of each
//! conversation as it finishes and flushes, so a long or interrupted run keeps its rows on
//! disk; [`turns_csv`] renders the same bytes again from a saved `run.json`.
//!
//! Only reads finished conversations; rows never depend on anything but their record.
//! Which conversations get rows is [`crate::report::turns_mode`]'s rule, applied by the
//! caller of [`TurnsCsvWriter::append`] and by [`turns_csv`] alike.

use crate::common::format::cut;
use crate::report::cells::{csv_cell, ms};
use crate::report::result::{ConversationRecord, FailureRecord, RunResult, TurnRecord};
use std::io::Write;

const HEADER: [&str; 18] = [
    "run_id",
    "suite",
    "conversation",
    "iteration",
    "turn",
    "session_id",
    "request_id",
    "endpoint",
    "start_offset_ms",
    "latency_ms",
    "ttfc_ms",
    "status",
    "error_class",
    "chunk_types",
    "verdict",
    "failure_message",
    // Appended after the first release's columns, so consumers keep their positions.
    "protocol",
    // The conversation's `tags:`, joined with `;`.
    "tags",
];

/// Characters one cell holds at most; a longer one (the chunk types of a response with
/// thousands of chunks) is cut with the `…[cut: N characters in all]` marker, so that CSV
/// readers with a field limit (Python's `csv`: 131,072) accept every row.
pub const MAX_CELL_CHARS: usize = 65_536;

/// Appends `turns.csv` rows to a writer, one conversation at a time.
pub struct TurnsCsvWriter<W: Write> {
    writer: csv::Writer<W>,
    run_id: String,
}

impl<W: Write> TurnsCsvWriter<W> {
    /// Writes the header row at once, so even an empty run leaves a valid file.
    pub fn new(inner: W, run_id: &str) -> Result<Self, csv::Error> {
        let mut writer = csv::Writer::from_writer(inner);
        writer.write_record(HEADER)?;
        writer.flush()?;
        Ok(TurnsCsvWriter {
            writer,
            run_id: run_id.to_string(),
        })
    }

    /// Writes the rows of one conversation and flushes them to the underlying writer.
    pub fn append(&mut self, conversation: &ConversationRecord) -> Result<(), csv::Error> {
        let last = conversation.turns.len().saturating_sub(1);
        for (i, turn) in conversation.turns.iter().enumerate() {
            let row = row(&self.run_id, conversation, turn, i == last);
            self.writer
                .write_record(row.iter().map(|c| cut(&csv_cell(c), MAX_CELL_CHARS)))?;
        }
        self.writer.flush()?;
        Ok(())
    }

    pub fn into_inner(self) -> Result<W, csv::Error> {
        self.writer.into_inner().map_err(|e| e.into_error().into())
    }
}

/// Renders the whole `turns.csv` of a saved run, in the order conversations finished —
/// the order the streamed file was written in.
pub fn turns_csv(result: &RunResult) -> Result<String, csv::Error> {
    let filter = crate::report::turns_mode::TurnsFilter::of_result(result);
    let mut writer = TurnsCsvWriter::new(Vec::new(), &result.run_id)?;
    for conversation in result
        .in_finish_order()
        .into_iter()
        .filter(|c| filter.keeps(c))
    {
        writer.append(conversation)?;
    }
    let bytes = writer.into_inner()?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn row(run_id: &str, c: &ConversationRecord, t: &TurnRecord, last: bool) -> Vec<String> {
    // `final:` expectations are checked after the last turn: they are reported on it.
    let finals: &[FailureRecord] = if last { &c.final_failures } else { &[] };
    let failures: Vec<String> = t.failures.iter().chain(finals).map(failure_text).collect();
    let verdict = if c.aborted {
        "aborted"
    } else if t.error.is_some() {
        "errored"
    } else if failures.is_empty() {
        "passed"
    } else {
        "failed"
    };
    let chunk_types: Vec<&str> = t.chunks.iter().map(|k| k.kind.as_str()).collect();
    vec![
        run_id.to_string(),
        c.suite.clone(),
        c.conversation.clone(),
        // One iteration per conversation in a functional run; load runs will count up.
        "1".to_string(),
        t.turn.to_string(),
        c.session_id.clone().unwrap_or_default(),
        t.request_id.clone().unwrap_or_default(),
        t.operation.as_str().to_string(),
        ms(t.start_offset_us),
        ms(t.latency_us),
        // Empty for unary turns, which have no first chunk to time.
        t.ttfc_us.map(ms).unwrap_or_default(),
        t.status.map(|s| s.to_string()).unwrap_or_default(),
        t.error
            .as_ref()
            .map(|e| e.class.clone())
            .unwrap_or_default(),
        chunk_types.join(" "),
        verdict.to_string(),
        messages(t, failures).join("; "),
        // Empty for a request that got no usable response.
        t.protocol.clone().unwrap_or_default(),
        c.tags.join(";"),
    ]
}

/// The error of an errored turn first, then its failed expectations.
fn messages(turn: &TurnRecord, failures: Vec<String>) -> Vec<String> {
    let error = turn
        .error
        .as_ref()
        .map(|e| format!("{}: {}", e.class, e.message));
    error.into_iter().chain(failures).collect()
}

fn failure_text(f: &FailureRecord) -> String {
    format!(
        "{}:{}:{}: {}: expected {}, got {}",
        f.file, f.line, f.column, f.subject, f.expected, f.actual
    )
}
