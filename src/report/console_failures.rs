//! The Failures section of the terminal summary, from a result's conversation records:
//! each failed turn numbered, with where the expectation was written, what was expected
//! and what arrived (a structured diff for JSON), and the session and request ids. A
//! request error repeated word for word (every conversation refused by a closed port) is
//! shown once with its count. Renders text only; text from suites and the API is made
//! visible, never interpreted.

use crate::report::console::{run_name, sanitize};
use crate::report::diff::structured_diff;
use crate::report::result::{
    ConversationRecord, FailureRecord, OperationName, TurnRecord, VerdictName,
};
use std::collections::HashMap;
use std::fmt::Write;

fn turn_passed(turn: &TurnRecord) -> bool {
    turn.failures.is_empty() && turn.error.is_none()
}

/// The turn's error as a grouping key, when an error is all that went wrong.
fn error_only(turn: &TurnRecord) -> Option<(&str, &str)> {
    let error = turn.error.as_ref().filter(|_| turn.failures.is_empty())?;
    Some((error.class.as_str(), error.message.as_str()))
}

/// Appends the numbered failures of `conversations` (nothing when all passed).
pub(crate) fn render_failures(out: &mut String, conversations: &[&ConversationRecord]) {
    let failed = || {
        conversations
            .iter()
            .copied()
            .filter(|c| c.verdict != VerdictName::Passed)
    };
    let mut repeats: HashMap<(&str, &str), usize> = HashMap::new();
    for turn in failed().flat_map(|c| &c.turns) {
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
    for conversation in failed() {
        for turn in conversation.turns.iter().filter(|t| !turn_passed(t)) {
            let times = match error_only(turn) {
                // Shown at its first occurrence; later ones are in its count.
                Some(key) => repeats.remove(&key).unwrap_or(0),
                None => 1,
            };
            if times > 0 {
                let number = next(out);
                render_turn(out, number, conversation, turn, times);
            }
        }
        if !conversation.final_failures.is_empty() {
            let number = next(out);
            let _ = writeln!(
                out,
                "\n{number}) {} › {} › final",
                sanitize(&conversation.suite),
                run_name(conversation)
            );
            for failure in &conversation.final_failures {
                render_failure(out, failure);
            }
            render_ids(out, conversation.session_id.as_deref(), None);
        }
    }
}

/// One failed turn; `times` > 1 for an error that occurred that often (the first shown).
fn render_turn(
    out: &mut String,
    number: usize,
    conversation: &ConversationRecord,
    turn: &TurnRecord,
    times: usize,
) {
    match &turn.error {
        Some(error) if times > 1 => {
            let _ = writeln!(
                out,
                "\n{number}) {times}× error ({}): {}",
                sanitize(&error.class),
                sanitize(&error.message)
            );
            let _ = writeln!(out, "   first in {}", turn_title(conversation, turn));
        }
        error => {
            let _ = writeln!(out, "\n{number}) {}", turn_title(conversation, turn));
            if let Some(error) = error {
                let _ = writeln!(
                    out,
                    "   error ({}): {}",
                    sanitize(&error.class),
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
        conversation.session_id.as_deref(),
        turn.request_id.as_deref(),
    );
}

/// `suite › conversation › turn 2: what the user said`.
fn turn_title(conversation: &ConversationRecord, turn: &TurnRecord) -> String {
    let which = match turn.operation {
        OperationName::Create => "start (create)".to_string(),
        OperationName::Send => format!("turn {}", turn.turn),
        OperationName::Summary => "summary".to_string(),
    };
    let mut title = format!(
        "{} › {} › {which}",
        sanitize(&conversation.suite),
        run_name(conversation)
    );
    if let Some(user) = &turn.user {
        let _ = write!(title, ": {}", sanitize(&ellipsize(user, 60)));
    }
    title
}

fn render_failure(out: &mut String, failure: &FailureRecord) {
    let _ = writeln!(
        out,
        "   --> {}:{}:{}",
        sanitize(&failure.file),
        failure.line,
        failure.column
    );
    let _ = writeln!(out, "   {}", sanitize(&failure.subject));
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

fn ellipsize(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    short.push('…');
    short
}
