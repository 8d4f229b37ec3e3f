//! The chunks the simulated assistant says: greeting, questions with their input chunk,
//! TEXT_DATA for accepted values, IMPORTANT_TEXT for rejected ones, confirmation and
//! submission.
//!
//! Owns the shape of every chunk and the wording of all but the questions (`wording` has
//! those). It must not decide what to say next: the conversation logic in `mod.rs` does.

use super::fields::{FieldModel, Kind, option_text};
use super::validate::number_text;
use super::wording;
use crate::common::wire::{
    Chunk, ChunkBody, ImportantTextDetails, MeaningfulInput, NumberInputDetails, RangeLimit,
    SelectInputDetails, SelectOption, SubmissionDetails, TextDataDetails, TextDetails,
};
use serde_json::Value;

/// At most this many options go into a select input chunk (docs/wire-format.md: 1..100).
const MAX_OPTIONS: usize = 100;

pub(crate) fn text(text: impl Into<String>) -> Chunk {
    ChunkBody::Text(TextDetails {
        text: text.into(),
        style: Some("NORMAL".to_string()),
    })
    .into()
}

pub(crate) fn greeting(form_name: &str) -> Chunk {
    text(format!(
        "Hi! I'm here to help you fill in {form_name}. You can tell me everything at once or answer one question at a time."
    ))
}

/// The question for `model` in wording `wording` (0 is the plain one, see `wording`) and,
/// for selects and numbers, the input chunk that lets a UI offer the choices or the range.
pub(crate) fn question(model: &FieldModel, lead: Option<&str>, wording: usize) -> Vec<Chunk> {
    let mut chunks = vec![text(led(lead, wording::ask(model, wording)))];
    chunks.extend(input_chunk(model));
    chunks
}

/// One question for two fields, with the input chunk of the first only (if it has one).
pub(crate) fn question_pair(
    first: &FieldModel,
    second: &FieldModel,
    lead: Option<&str>,
    wording: usize,
) -> Vec<Chunk> {
    let ask = wording::ask_two(first, second, wording);
    let mut chunks = vec![text(led(lead, ask))];
    chunks.extend(input_chunk(first));
    chunks
}

fn led(lead: Option<&str>, ask: String) -> String {
    match lead {
        Some(lead) => format!("{lead} {ask}"),
        None => ask,
    }
}

/// SINGLE_SELECT_INPUT, MULTI_SELECT_INPUT or NUMBER_INPUT for the field, when it has one.
pub(crate) fn input_chunk(model: &FieldModel) -> Option<Chunk> {
    let field_target = model.key().to_string();
    let select = || SelectInputDetails {
        field_target: field_target.clone(),
        options: model
            .options
            .iter()
            .take(MAX_OPTIONS)
            .map(|o| SelectOption {
                value: o.option.value.clone(),
                label: o.option.label.clone(),
            })
            .collect(),
        allowed_custom_value: None,
    };
    let body = match model.kind {
        Kind::Single => ChunkBody::SingleSelectInput(select()),
        Kind::Multi => ChunkBody::MultiSelectInput(select()),
        Kind::Number => {
            let (min, max) = (model.field.min, model.field.max);
            ChunkBody::NumberInput(NumberInputDetails {
                field_target,
                range_limit: (min.is_some() || max.is_some()).then_some(RangeLimit {
                    min_inclusive_value: min,
                    max_inclusive_value: max,
                    max_exclusive_value: None,
                }),
                multiple_of: None,
            })
        }
        _ => return None,
    };
    Some(body.into())
}

/// TEXT_DATA for an accepted value; `span` is `(start, length)` in Unicode scalar values.
pub(crate) fn text_data(model: &FieldModel, value: Value, span: Option<(usize, usize)>) -> Chunk {
    let display = display(model, &value);
    let body = ChunkBody::TextData(TextDataDetails {
        field_target: model.key().to_string(),
        text: format!("{}: {display}", model.label()),
        value,
        display_value: Some(display),
    });
    Chunk {
        body,
        meaningful_input: span.map(|(start, length)| MeaningfulInput {
            start_offset: u32::try_from(start).unwrap_or(u32::MAX),
            length: u32::try_from(length).unwrap_or(u32::MAX),
        }),
    }
}

pub(crate) fn important(model: &FieldModel, requirement: String) -> Chunk {
    ChunkBody::ImportantText(ImportantTextDetails {
        field_target: model.key().to_string(),
        text: requirement,
    })
    .into()
}

pub(crate) fn submission(submission_id: Option<String>) -> Chunk {
    ChunkBody::Submission(SubmissionDetails {
        submission_id,
        checkout_id: None,
    })
    .into()
}

/// How a value reads to people: "Yes"/"No", option labels, numbers without ".0".
pub(crate) fn display(model: &FieldModel, value: &Value) -> String {
    let label_of = |v: &Value| {
        model
            .options
            .iter()
            .find(|o| o.option.value == *v)
            .map_or_else(|| plain(v), |o| o.option.label.clone())
    };
    match value {
        Value::Bool(true) => "Yes".to_string(),
        Value::Bool(false) => "No".to_string(),
        Value::Array(items) => items.iter().map(label_of).collect::<Vec<_>>().join(", "),
        other => label_of(other),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), number_text),
        other => option_text(other),
    }
}
