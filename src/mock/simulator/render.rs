//! The chunks the simulated assistant says: greeting, questions with their input chunk,
//! TEXT_DATA for accepted values, IMPORTANT_TEXT for rejected ones, confirmation and
//! submission.
//!
//! Owns the wording and the shape of every chunk. It must not decide what to say next:
//! the conversation logic in `mod.rs` does.

use super::fields::{FieldModel, Kind, option_text};
use super::validate::number_text;
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

/// The question for `model` and, for selects and numbers, the input chunk that lets a UI
/// offer the choices or the range.
pub(crate) fn question(model: &FieldModel, lead: Option<&str>) -> Vec<Chunk> {
    let label = lower_first(model.label());
    let ask = match model.kind {
        Kind::Single => format!(
            "Which {label} would you like? The choices are: {}.",
            model.option_labels()
        ),
        Kind::Multi => format!(
            "Which {label} would you like? Pick any of: {}.",
            model.option_labels()
        ),
        Kind::Number => format!("What is the {label}?"),
        Kind::Boolean => format!("{}: yes or no?", model.label()),
        _ => format!("What is your {label}?"),
    };
    let ask = match lead {
        Some(lead) => format!("{lead} {ask}"),
        None => ask,
    };
    let mut chunks = vec![text(ask)];
    chunks.extend(input_chunk(model));
    chunks
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

/// "First name" → "first name" for use mid-sentence; acronyms ("VIP code") stay as written.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}
