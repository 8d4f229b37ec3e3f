//! Evaluates a response against its expectations, producing [`Failure`]s.
//!
//! Pure functions over chunks already received: no I/O, no clocks. Each failure carries
//! the suite location of the expectation that produced it and readable expected/actual
//! texts for the reports.

use crate::common::format::format_duration;
use crate::common::wire::{Chunk, ChunkBody, ChunkType};
use crate::runner::describe::{compact, quote, type_list, with_display};
use crate::runner::evaluate_prompt::check_prompt;
use crate::runner::outcome::Failure;
use crate::suite::{ChunkExpect, ChunkMode, Expect, FieldExpect, FinalExpect, Loc, Located};
use serde_json::{Map, Value};
use std::time::Duration;

/// Values a conversation accumulated: what the client sent and what the assistant
/// extracted (later values replace earlier ones), plus whether it was submitted.
#[derive(Debug, Default, Clone)]
pub struct ConversationState {
    pub values: Map<String, Value>,
    pub display_values: Map<String, Value>,
    pub submitted: bool,
}

impl ConversationState {
    /// Values sent by the client (`prefill`, `current_values`) are part of the form data.
    pub fn apply_sent(&mut self, sent: Option<&Map<String, Value>>) {
        for (key, value) in sent.into_iter().flatten() {
            self.values.insert(key.clone(), value.clone());
            self.display_values.remove(key);
        }
    }

    pub fn apply_chunks(&mut self, chunks: &[Chunk]) {
        for chunk in chunks {
            match &chunk.body {
                ChunkBody::TextData(d) => {
                    self.values.insert(d.field_target.clone(), d.value.clone());
                    match &d.display_value {
                        Some(display) => {
                            let display = Value::String(display.clone());
                            self.display_values.insert(d.field_target.clone(), display)
                        }
                        None => self.display_values.remove(&d.field_target),
                    };
                }
                ChunkBody::Submission(_) => self.submitted = true,
                _ => {}
            }
        }
    }
}

/// Checks one response (a turn, or the create response) against `expect`.
pub fn evaluate_response(
    expect: &Expect,
    chunks: &[Chunk],
    latency: Duration,
    turn_loc: &Loc,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    for field in &expect.fields {
        check_extracted(field, chunks, &mut failures);
    }
    for key in &expect.no_fields {
        check_not_extracted(key, chunks, &mut failures);
    }
    if let Some(chunk_expect) = &expect.chunks {
        check_chunk_types(chunk_expect, chunks, &mut failures);
    }
    if let Some(text) = &expect.text {
        let joined = text_of(chunks);
        if !text.value.matches(&Value::String(joined.clone()), None) {
            failures.push(failure(
                &text.loc,
                "text",
                text.value.describe(),
                quote(&joined),
            ));
        }
    }
    if let Some(prompt) = &expect.prompt {
        check_prompt(prompt, chunks, &mut failures);
    }
    if let Some(submitted) = &expect.submitted {
        let seen = has_type(chunks, &ChunkType::Submission);
        check_flag(
            submitted,
            seen,
            "submitted",
            "a SUBMISSION chunk",
            &mut failures,
        );
    }
    check_error_chunks(expect.error.as_ref(), chunks, turn_loc, &mut failures);
    if let Some(budget) = &expect.max_latency
        && latency > budget.value
    {
        failures.push(failure(
            &budget.loc,
            "max_latency",
            format!("at most {}", format_duration(budget.value)),
            format_duration(latency),
        ));
    }
    failures
}

/// Checks the `final:` expectations against the accumulated conversation state.
pub fn evaluate_final(expect: &FinalExpect, state: &ConversationState) -> Vec<Failure> {
    let mut failures = Vec::new();
    for field in &expect.fields {
        let display = state.display_values.get(&field.key).and_then(Value::as_str);
        match state.values.get(&field.key) {
            Some(value) if field.matcher.matches(value, display) => {}
            Some(value) => failures.push(failure(
                &field.loc,
                &format!("final.fields.{}", field.key),
                field.matcher.describe(),
                with_display(value, display),
            )),
            None => failures.push(failure(
                &field.loc,
                &format!("final.fields.{}", field.key),
                field.matcher.describe(),
                format!("no value for `{}` in the conversation", field.key),
            )),
        }
    }
    for key in &expect.no_fields {
        if let Some(value) = state.values.get(&key.value) {
            failures.push(failure(
                &key.loc,
                &format!("final.no_fields.{}", key.value),
                format!("no value for `{}`", key.value),
                compact(value),
            ));
        }
    }
    if let Some(submitted) = &expect.submitted {
        let subject = "final.submitted";
        check_flag(
            submitted,
            state.submitted,
            subject,
            "a SUBMISSION",
            &mut failures,
        );
    }
    failures
}

fn check_extracted(field: &FieldExpect, chunks: &[Chunk], failures: &mut Vec<Failure>) {
    let extracted: Vec<(&Value, Option<&str>)> = text_data(chunks)
        .filter(|d| d.field_target == field.key)
        .map(|d| (&d.value, d.display_value.as_deref()))
        .collect();
    if extracted
        .iter()
        .any(|(value, display)| field.matcher.matches(value, *display))
    {
        return;
    }
    let actual = match extracted.as_slice() {
        [] => format!(
            "no TEXT_DATA for `{}` ({})",
            field.key,
            extracted_summary(chunks)
        ),
        [(value, display)] => with_display(value, *display),
        many => many
            .iter()
            .map(|(value, display)| with_display(value, *display))
            .collect::<Vec<_>>()
            .join(" and "),
    };
    let subject = format!("fields.{}", field.key);
    failures.push(failure(
        &field.loc,
        &subject,
        field.matcher.describe(),
        actual,
    ));
}

fn check_not_extracted(key: &Located<String>, chunks: &[Chunk], failures: &mut Vec<Failure>) {
    if let Some(d) = text_data(chunks).find(|d| d.field_target == key.value) {
        failures.push(failure(
            &key.loc,
            &format!("no_fields.{}", key.value),
            format!("no TEXT_DATA for `{}`", key.value),
            format!("TEXT_DATA {} = {}", key.value, compact(&d.value)),
        ));
    }
}

fn check_chunk_types(expect: &Located<ChunkExpect>, chunks: &[Chunk], failures: &mut Vec<Failure>) {
    let actual: Vec<ChunkType> = chunks.iter().map(Chunk::chunk_type).collect();
    let wanted = &expect.value.types;
    let holds = match expect.value.mode {
        ChunkMode::Contains => contains_multiset(&actual, wanted),
        ChunkMode::Exact => &actual == wanted,
        ChunkMode::InOrder => is_subsequence(wanted, &actual),
        ChunkMode::NoneOf => !actual.iter().any(|t| wanted.contains(t)),
    };
    if !holds {
        let mode = match expect.value.mode {
            ChunkMode::Contains => "contains",
            ChunkMode::Exact => "exactly",
            ChunkMode::InOrder => "in order",
            ChunkMode::NoneOf => "none of",
        };
        let expected = format!("{mode} {}", type_list(wanted));
        failures.push(failure(&expect.loc, "chunks", expected, type_list(&actual)));
    }
}

fn check_flag(
    expected: &Located<bool>,
    seen: bool,
    subject: &str,
    what: &str,
    failures: &mut Vec<Failure>,
) {
    if expected.value != seen {
        let describe = |present: bool| {
            if present {
                what.to_string()
            } else {
                format!("no {}", what.trim_start_matches("a "))
            }
        };
        failures.push(failure(
            &expected.loc,
            subject,
            describe(expected.value),
            describe(seen),
        ));
    }
}

/// `error: true|false` checks for an ERROR chunk; without it, any ERROR chunk fails the
/// turn, since an assistant error is never a silent pass.
fn check_error_chunks(
    expected: Option<&Located<bool>>,
    chunks: &[Chunk],
    turn_loc: &Loc,
    failures: &mut Vec<Failure>,
) {
    let message = chunks.iter().find_map(|c| match &c.body {
        ChunkBody::Error(d) => Some(d.message_text.as_str()),
        _ => None,
    });
    match (expected, message) {
        (Some(flag), _) if flag.value == message.is_some() => {}
        (Some(flag), Some(text)) => failures.push(failure(
            &flag.loc,
            "error",
            "no ERROR chunk".into(),
            error_text(text),
        )),
        (Some(flag), None) => failures.push(failure(
            &flag.loc,
            "error",
            "an ERROR chunk".into(),
            "no ERROR chunk".into(),
        )),
        (None, Some(text)) => failures.push(failure(
            turn_loc,
            "error",
            "no ERROR chunk (add `error: true` if it is expected)".into(),
            error_text(text),
        )),
        (None, None) => {}
    }
}

fn error_text(message: &str) -> String {
    format!("ERROR chunk {}", quote(message))
}

pub(super) fn failure(loc: &Loc, subject: &str, expected: String, actual: String) -> Failure {
    Failure {
        loc: loc.clone(),
        subject: subject.to_string(),
        expected,
        actual,
    }
}

fn text_data(chunks: &[Chunk]) -> impl Iterator<Item = &crate::common::wire::TextDataDetails> {
    chunks.iter().filter_map(|c| match &c.body {
        ChunkBody::TextData(d) => Some(d),
        _ => None,
    })
}

/// The TEXT chunks joined by newlines: what a `text:` check is matched against.
pub fn text_of(chunks: &[Chunk]) -> String {
    let texts: Vec<&str> = chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::Text(d) => Some(d.text.as_str()),
            _ => None,
        })
        .collect();
    texts.join("\n")
}

fn extracted_summary(chunks: &[Chunk]) -> String {
    let keys: Vec<&str> = text_data(chunks).map(|d| d.field_target.as_str()).collect();
    if keys.is_empty() {
        "nothing was extracted".into()
    } else {
        format!("extracted: {}", keys.join(", "))
    }
}

fn has_type(chunks: &[Chunk], wanted: &ChunkType) -> bool {
    chunks.iter().any(|c| c.chunk_type() == *wanted)
}

fn contains_multiset(actual: &[ChunkType], wanted: &[ChunkType]) -> bool {
    wanted.iter().all(|w| {
        let need = wanted.iter().filter(|x| *x == w).count();
        actual.iter().filter(|x| *x == w).count() >= need
    })
}

fn is_subsequence(wanted: &[ChunkType], actual: &[ChunkType]) -> bool {
    let mut rest = actual.iter();
    wanted.iter().all(|w| rest.any(|a| a == w))
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
