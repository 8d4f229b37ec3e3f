//! Short human texts for expected and actual values in failures: compact JSON, chunk
//! type lists, prompts, durations. Pure formatting, shared by evaluation and reports.

use crate::common::wire::{Chunk, ChunkBody, ChunkType};
use crate::suite::PromptExpect;
use serde_json::Value;

pub fn is_input(chunk: &Chunk) -> bool {
    matches!(
        chunk.body,
        ChunkBody::SingleSelectInput(_)
            | ChunkBody::MultiSelectInput(_)
            | ChunkBody::NumberInput(_)
    )
}

pub fn offered_options(chunk: &Chunk) -> Vec<&Value> {
    match &chunk.body {
        ChunkBody::SingleSelectInput(d) | ChunkBody::MultiSelectInput(d) => {
            d.options.iter().map(|o| &o.value).collect()
        }
        _ => Vec::new(),
    }
}

pub fn describe_prompt(prompt: &PromptExpect) -> String {
    let kind = prompt.kind.as_ref().map_or("an input", |k| k.name());
    match &prompt.options {
        Some(options) => format!(
            "{kind} for `{}` offering {}",
            prompt.field,
            compact(&Value::Array(options.clone()))
        ),
        None => format!("{kind} for `{}`", prompt.field),
    }
}

pub fn describe_input(chunk: &Chunk) -> String {
    let target = chunk.field_target().unwrap_or("");
    let options = offered_options(chunk);
    if options.is_empty() {
        format!("{} for `{target}`", chunk.chunk_type())
    } else {
        let values: Vec<String> = options.iter().map(|v| compact(v)).collect();
        format!(
            "{} for `{target}` offering [{}]",
            chunk.chunk_type(),
            values.join(",")
        )
    }
}

pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

pub fn with_display(value: &Value, display: Option<&str>) -> String {
    match display {
        Some(display) => format!("{} (displayValue {})", compact(value), quote(display)),
        None => compact(value),
    }
}

/// Compact JSON for a value; never fails for a `serde_json::Value`.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

pub fn quote(text: &str) -> String {
    compact(&Value::String(text.to_string()))
}

pub fn type_list(types: &[ChunkType]) -> String {
    let names: Vec<String> = types.iter().map(ToString::to_string).collect();
    format!("[{}]", names.join(", "))
}
