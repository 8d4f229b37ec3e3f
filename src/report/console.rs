//! The terminal report of a functional run: a line per conversation, each failure with
//! where it was written and what arrived, a latency table (and the streaming figures of
//! streamed turns, per operation and turn index) and a one-line verdict.
//!
//! Renders to a `String` (the CLI prints it) so the output can be snapshot-tested. Text
//! from the API is sanitised: control characters are shown escaped, never interpreted.

use crate::common::format::format_duration;
use crate::metrics::{LatencyHistogram, StreamHistograms, StreamSample};
use crate::report::diff::structured_diff;
use crate::runner::{ConversationResult, Failure, Operation, RunOutcome, TurnOutcome, Verdict};
use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

/// Renders the whole report.
pub fn render(run: &RunOutcome) -> String {
    let mut out = String::new();
    render_conversations(&mut out, &run.results);
    render_failures(&mut out, &run.results);
    render_latency(&mut out, &run.results);
    render_verdict(&mut out, run);
    out
}

/// The conversation's name, with `[run i/N]` when it is repeated.
fn run_name(result: &ConversationResult) -> String {
    let name = sanitize(&result.conversation);
    if result.repeat > 1 {
        format!("{name} [run {}/{}]", result.iteration, result.repeat)
    } else {
        name
    }
}

fn render_conversations(out: &mut String, results: &[ConversationResult]) {
    let width = results
        .iter()
        .map(|r| run_name(r).chars().count())
        .max()
        .unwrap_or(0);
    let mut current_suite: Option<&str> = None;
    for result in results {
        if current_suite != Some(result.suite.as_str()) {
            let _ = writeln!(out, "\n{}", sanitize(&result.suite));
            current_suite = Some(&result.suite);
        }
        // A send that errored was not done: only answered sends count.
        let sent = result
            .turns
            .iter()
            .filter(|t| t.turn > 0 && t.error.is_none())
            .count();
        let (mark, note) = match result.verdict() {
            Verdict::Passed => ("✓", String::new()),
            Verdict::Failed => {
                let n = failure_count(result);
                (
                    "✗",
                    format!("  {n} failure{}", if n == 1 { "" } else { "s" }),
                )
            }
            Verdict::Errored => ("!", format!("  error: {}", error_class(result))),
        };
        let _ = writeln!(
            out,
            "  {mark} {:<width$}  {sent}/{} turns  {:>8}{note}",
            run_name(result),
            result.planned_turns,
            format_duration(result.total_latency()),
        );
    }
}

fn failure_count(result: &ConversationResult) -> usize {
    result.turns.iter().map(|t| t.failures.len()).sum::<usize>() + result.final_failures.len()
}

fn error_class(result: &ConversationResult) -> String {
    result
        .turns
        .iter()
        .find_map(|t| t.error.as_ref())
        .map_or_else(String::new, |e| e.class.to_string())
}

/// Each failed turn, numbered; a request error that repeats word for word (every
/// conversation refused by a closed port) is shown once, with how many times it occurred.
pub(crate) fn render_failures(out: &mut String, results: &[ConversationResult]) {
    let failed = || results.iter().filter(|r| r.verdict() != Verdict::Passed);
    let mut repeats: HashMap<(String, &str), usize> = HashMap::new();
    for turn in failed().flat_map(|r| &r.turns) {
        if let Some(key) = error_only(turn) {
            *repeats.entry(key).or_default() += 1;
        }
    }
    let mut number = 0;
    let mut next = |out: &mut String| {
        number += 1;
        if number == 1 {
            out.push_str("\nFailures\n");
        }
        number
    };
    for result in failed() {
        for turn in result.turns.iter().filter(|t| !t.passed()) {
            let times = match error_only(turn) {
                // Shown at its first occurrence; later ones are in its count.
                Some(key) => repeats.remove(&key).unwrap_or(0),
                None => 1,
            };
            if times > 0 {
                let number = next(out);
                render_turn(out, number, result, turn, times);
            }
        }
        if !result.final_failures.is_empty() {
            let number = next(out);
            let _ = writeln!(
                out,
                "\n{number}) {} › {} › final",
                sanitize(&result.suite),
                run_name(result)
            );
            for failure in &result.final_failures {
                render_failure(out, failure);
            }
            render_ids(out, result.session_id.as_deref(), None);
        }
    }
}

/// The turn's error as a grouping key, when an error is all that went wrong.
fn error_only(turn: &TurnOutcome) -> Option<(String, &str)> {
    let error = turn.error.as_ref().filter(|_| turn.failures.is_empty())?;
    Some((error.class.to_string(), error.message.as_str()))
}

/// One failed turn; `times` > 1 for an error that occurred that often (the first shown).
fn render_turn(
    out: &mut String,
    number: usize,
    result: &ConversationResult,
    turn: &TurnOutcome,
    times: usize,
) {
    match &turn.error {
        Some(error) if times > 1 => {
            let _ = writeln!(
                out,
                "\n{number}) {times}× error ({}): {}",
                error.class,
                sanitize(&error.message)
            );
            let _ = writeln!(out, "   first in {}", turn_title(result, turn));
        }
        error => {
            let _ = writeln!(out, "\n{number}) {}", turn_title(result, turn));
            if let Some(error) = error {
                let _ = writeln!(
                    out,
                    "   error ({}): {}",
                    error.class,
                    sanitize(&error.message)
                );
            }
        }
    }
    for failure in &turn.failures {
        render_failure(out, failure);
    }
    render_ids(
        out,
        result.session_id.as_deref(),
        turn.request_id.as_deref(),
    );
}

/// `suite › conversation › turn 2: what the user said`.
fn turn_title(result: &ConversationResult, turn: &TurnOutcome) -> String {
    let which = match turn.operation {
        Operation::Create => "start (create)".to_string(),
        Operation::Send => format!("turn {}", turn.turn),
    };
    let mut title = format!(
        "{} › {} › {which}",
        sanitize(&result.suite),
        run_name(result)
    );
    if let Some(user) = &turn.user {
        let _ = write!(title, ": {}", sanitize(&ellipsize(user, 60)));
    }
    title
}

fn render_failure(out: &mut String, failure: &Failure) {
    let _ = writeln!(out, "   --> {}", failure.loc);
    let _ = writeln!(out, "   {}", failure.subject);
    match structured_diff(&failure.expected, &failure.actual) {
        Some(diff) => {
            out.push_str("     - expected  + actual\n");
            for line in diff.lines() {
                let _ = writeln!(out, "     {}", sanitize(line));
            }
        }
        None => {
            let _ = writeln!(out, "     expected: {}", sanitize(&failure.expected));
            let _ = writeln!(out, "     actual:   {}", sanitize(&failure.actual));
        }
    }
}

fn render_ids(out: &mut String, session: Option<&str>, request: Option<&str>) {
    let session = session.map_or("-".to_string(), sanitize);
    let request = request.map_or("-".to_string(), sanitize);
    let _ = writeln!(out, "   session {session} · request id {request}");
}

/// Latency per operation. Only answered requests are samples: a refused connection is
/// counted as an error, never as "fast".
fn render_latency(out: &mut String, results: &[ConversationResult]) {
    let new = || LatencyHistogram::new(Duration::from_secs(60));
    let (mut create, mut send) = (new(), new());
    let answered = || {
        results
            .iter()
            .flat_map(|r| &r.turns)
            .filter(|t| t.error.is_none())
    };
    for turn in answered() {
        match turn.operation {
            Operation::Create => create.record(turn.latency),
            Operation::Send => send.record(turn.latency),
        }
    }
    if create.count() + send.count() == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\n{:<11} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "latency", "count", "p50", "p90", "p95", "p99", "max"
    );
    for (name, histogram) in [("create", &create), ("send", &send)] {
        let p = histogram.percentiles();
        if p.count == 0 {
            continue;
        }
        crate::report::stream_console::percentile_row(out, name, (11, 6), &p);
    }
    render_streaming(out, answered());
}

/// Streaming figures of the answered streamed turns, per operation and turn index.
fn render_streaming<'a>(out: &mut String, answered: impl Iterator<Item = &'a TurnOutcome>) {
    let new = || StreamHistograms::new(Duration::from_secs(60));
    let (mut create, mut send) = (new(), new());
    let mut turns: Vec<Option<StreamHistograms>> = Vec::new();
    for turn in answered.filter(|t| !t.arrivals.is_empty()) {
        let sample = StreamSample {
            arrivals: &turn.arrivals,
            end: turn.end_of_response,
        };
        match turn.operation {
            Operation::Create => create.record(&sample),
            Operation::Send => send.record(&sample),
        }
        if turns.len() <= turn.turn {
            turns.resize(turn.turn + 1, None);
        }
        turns[turn.turn].get_or_insert_with(new).record(&sample);
    }
    crate::report::stream_console::render(out, &[("create", &create), ("send", &send)], &turns);
}

fn render_verdict(out: &mut String, run: &RunOutcome) {
    let count = |v: Verdict| run.results.iter().filter(|r| r.verdict() == v).count();
    let requests: usize = run.results.iter().map(|r| r.turns.len()).sum();
    let _ = write!(
        out,
        "\n{} conversations: {} passed, {} failed, {} errored · {requests} requests in {}",
        run.results.len(),
        count(Verdict::Passed),
        count(Verdict::Failed),
        count(Verdict::Errored),
        format_duration(run.elapsed),
    );
    let retries: u32 = run
        .results
        .iter()
        .flat_map(|r| &r.turns)
        .map(|t| t.retries)
        .sum();
    if retries > 0 {
        let _ = write!(out, " · {retries} retries");
    }
    if run.interrupted {
        out.push_str(" · INTERRUPTED (results are partial)");
    }
    out.push('\n');
}

/// The run's verdict, after everything else: `verdict: load not delivered`, then each
/// run-level reason on its own line.
pub fn verdict_lines(result: &crate::report::result::RunResult) -> String {
    let mut out = format!("\nverdict: {}\n", result.headline());
    for reason in result.verdict_reasons() {
        let _ = writeln!(out, "  {reason}");
    }
    out
}

fn ellipsize(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    short.push('…');
    short
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
