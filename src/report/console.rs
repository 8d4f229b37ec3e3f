//! The terminal summary of a run, rendered from its [`RunResult`] alone, so `convoy run`
//! and `convoy report run.json` print the same thing. A functional run gets a line per
//! conversation, each failure with where it was written and what arrived, a latency table
//! (and the streaming figures of streamed turns) and a one-line count; a load run gets the
//! tables of [`load_console`](super::load_console). Then the regression notes, the
//! thresholds and the verdict.
//!
//! Renders to a `String` (the CLI prints it) so the output can be snapshot-tested. Text
//! from suites and the API is sanitised: control characters are shown escaped, never
//! interpreted.

use crate::common::format::format_duration;
use crate::report::console_failures::render_failures;
use crate::report::console_figures::{OPERATIONS, operation, streams};
use crate::report::result::{ConversationRecord, RunResult, VerdictName};
use crate::report::threshold::threshold_line;
use std::fmt::Write;
use std::time::Duration;

/// The whole summary: the run's tables, regression notes, thresholds and verdict.
pub fn summary(result: &RunResult) -> String {
    let mut out = render(result);
    crate::report::form_summary_text::console(&mut out, result);
    out.push_str(&crate::report::regress_text::console(result));
    render_thresholds(&mut out, result);
    out.push_str(&verdict_lines(result));
    out
}

/// The run's own tables (without thresholds and verdict).
pub fn render(result: &RunResult) -> String {
    if result.load.is_some() {
        return crate::report::load_console::render(result);
    }
    let mut out = String::new();
    let conversations: Vec<&ConversationRecord> = result.conversations.iter().collect();
    render_conversations(&mut out, &conversations);
    render_failures(&mut out, &conversations);
    render_latency(&mut out, result);
    crate::report::persona_console::render(&mut out, result);
    render_counts(&mut out, result);
    out
}

/// The conversation's name, with `[run i/N]` when it is repeated.
pub(crate) fn run_name(conversation: &ConversationRecord) -> String {
    let name = sanitize(&conversation.conversation);
    if conversation.repeat > 1 {
        format!(
            "{name} [run {}/{}]",
            conversation.iteration, conversation.repeat
        )
    } else {
        name
    }
}

fn render_conversations(out: &mut String, conversations: &[&ConversationRecord]) {
    let width = conversations
        .iter()
        .map(|c| run_name(c).chars().count())
        .max()
        .unwrap_or(0);
    let mut current_suite: Option<&str> = None;
    for conversation in conversations {
        if current_suite != Some(conversation.suite.as_str()) {
            let _ = writeln!(out, "\n{}", sanitize(&conversation.suite));
            current_suite = Some(&conversation.suite);
        }
        // A send that errored was not done: only answered sends count.
        let sent = conversation
            .turns
            .iter()
            .filter(|t| t.turn > 0 && t.error.is_none())
            .count();
        let (mark, note) = match conversation.verdict {
            VerdictName::Passed => ("✓", String::new()),
            VerdictName::Failed => {
                let n = failure_count(conversation);
                let s = if n == 1 { "" } else { "s" };
                ("✗", format!("  {n} failure{s}"))
            }
            VerdictName::Errored => ("!", format!("  error: {}", error_class(conversation))),
        };
        let total: u64 = conversation.turns.iter().map(|t| t.latency_us).sum();
        let _ = writeln!(
            out,
            "  {mark} {:<width$}  {sent}/{} turns  {:>8}{note}",
            run_name(conversation),
            conversation.planned_turns,
            format_duration(Duration::from_micros(total)),
        );
    }
}

fn failure_count(conversation: &ConversationRecord) -> usize {
    let turns: usize = conversation.turns.iter().map(|t| t.failures.len()).sum();
    turns + conversation.final_failures.len()
}

fn error_class(conversation: &ConversationRecord) -> String {
    conversation
        .turns
        .iter()
        .find_map(|t| t.error.as_ref())
        .map_or_else(String::new, |e| sanitize(&e.class))
}

/// Latency per operation. Only answered requests are samples: a refused connection is
/// counted as an error, never as "fast".
fn render_latency(out: &mut String, result: &RunResult) {
    let rows: Vec<(&str, _)> = OPERATIONS
        .iter()
        .map(|(name, op)| {
            (
                *name,
                operation(&result.latency.operations, *op).percentiles(),
            )
        })
        .collect();
    if rows.iter().all(|(_, p)| p.count == 0) {
        return;
    }
    let _ = writeln!(
        out,
        "\n{:<11} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "latency", "count", "p50", "p90", "p95", "p99", "max"
    );
    for (name, p) in rows.iter().filter(|(_, p)| p.count > 0) {
        crate::report::stream_console::percentile_row(out, name, (11, 6), p);
    }
    let (operations, turns) = streams(result);
    let operations: Vec<_> = operations.iter().map(|(n, s)| (*n, s)).collect();
    crate::report::stream_console::render(out, &operations, &turns);
}

fn render_counts(out: &mut String, result: &RunResult) {
    let count = |v: VerdictName| {
        result
            .conversations
            .iter()
            .filter(|c| c.verdict == v)
            .count()
    };
    let requests: usize = result.conversations.iter().map(|c| c.turns.len()).sum();
    let _ = write!(
        out,
        "\n{} conversations: {} passed, {} failed, {} errored · {requests} requests in {}",
        result.conversations.len(),
        count(VerdictName::Passed),
        count(VerdictName::Failed),
        count(VerdictName::Errored),
        format_duration(Duration::from_micros(result.elapsed_us)),
    );
    let retries: u64 = result
        .conversations
        .iter()
        .flat_map(|c| &c.turns)
        .map(|t| u64::from(t.retries))
        .sum();
    if retries > 0 {
        let _ = write!(out, " · {retries} retries");
    }
    if result.interrupted {
        out.push_str(" · INTERRUPTED (results are partial)");
    }
    out.push('\n');
}

fn render_thresholds(out: &mut String, result: &RunResult) {
    let thresholds = &result.thresholds;
    if thresholds.is_empty() {
        return;
    }
    let failed = thresholds.iter().filter(|t| !t.passed).count();
    let passed = thresholds.len() - failed;
    let _ = writeln!(out, "\nthresholds: {passed} passed, {failed} failed");
    for t in thresholds {
        let _ = writeln!(out, "  {}", sanitize(&threshold_line(t)));
    }
}

/// The run's verdict, after everything else: `verdict: load not delivered`, then each
/// run-level reason on its own line.
pub fn verdict_lines(result: &RunResult) -> String {
    let mut out = format!("\nverdict: {}\n", result.headline());
    for reason in result.verdict_reasons() {
        let _ = writeln!(out, "  {reason}");
    }
    out
}

/// Escapes control characters so text from the API cannot move the cursor, change colours
/// or hide output in a terminal.
pub fn sanitize(text: &str) -> String {
    crate::report::cells::visible(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_terminal_control_sequences() {
        assert_eq!(sanitize("ok\u{1b}[2Jgone\n"), "ok\\u{1b}[2Jgone\\n");
        assert_eq!(sanitize("plain"), "plain");
    }
}
