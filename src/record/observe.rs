//! What a response showed, written as expectation YAML: `fields` (last TEXT_DATA value per
//! field), `chunks` (the multiset of chunk types), `prompt` (the first input chunk),
//! `submitted`, `error`. Pure: turns chunks into text; never reads or writes files.
//!
//! Values are written in JSON syntax, which YAML 1.2 reads as flow scalars and collections,
//! so no value can be misread (`no`, `1e3`, `: `) whatever the assistant extracted.

use crate::api::chunk::{Chunk, ChunkBody, ChunkType};
use serde_json::Value;

/// The expectation lines for one response, each indented by `indent` spaces below a key
/// the caller writes (`expect:` or `start:`).
pub fn expect_lines(chunks: &[Chunk], indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    let fields = extracted(chunks);
    if !fields.is_empty() {
        lines.push(format!("{pad}fields:"));
        for (key, value) in fields {
            lines.push(format!("{pad}  {}: {}", yaml_key(&key), matcher(&value)));
        }
    }
    let types: Vec<String> = chunks
        .iter()
        .map(Chunk::chunk_type)
        .filter(|t| *t != ChunkType::EndOfResponse)
        .map(|t| t.name().to_owned())
        .collect();
    if !types.is_empty() {
        lines.push(format!("{pad}chunks: [{}]", types.join(", ")));
    }
    if let Some(prompt) = chunks.iter().find_map(prompt) {
        lines.push(format!("{pad}prompt: {prompt}"));
    }
    let submitted = chunks
        .iter()
        .any(|c| matches!(c.body, ChunkBody::Submission(_)));
    lines.push(format!("{pad}submitted: {submitted}"));
    if chunks.iter().any(|c| matches!(c.body, ChunkBody::Error(_))) {
        lines.push(format!("{pad}error: true"));
    }
    lines
}

/// TEXT_DATA values by field, in order of first appearance, the last value winning.
fn extracted(chunks: &[Chunk]) -> Vec<(String, Value)> {
    let mut fields: Vec<(String, Value)> = Vec::new();
    for chunk in chunks {
        if let ChunkBody::TextData(d) = &chunk.body {
            match fields.iter_mut().find(|(k, _)| *k == d.field_target) {
                Some(entry) => entry.1 = d.value.clone(),
                None => fields.push((d.field_target.clone(), d.value.clone())),
            }
        }
    }
    fields
}

/// A matcher for an observed value; volatile values only need to be present.
fn matcher(value: &Value) -> String {
    match value {
        Value::String(s) if is_volatile(s) => "{any: true}".to_owned(),
        // Lists compare as sets: the order of a multi-select says nothing about the form.
        Value::Array(_) => format!("{{set: {}}}", json(value)),
        Value::Object(_) => format!("{{eq: {}}}", json(value)),
        _ => json(value),
    }
}

fn prompt(chunk: &Chunk) -> Option<String> {
    let (kind, field, options) = match &chunk.body {
        ChunkBody::SingleSelectInput(d) => ("SINGLE_SELECT_INPUT", &d.field_target, &d.options),
        ChunkBody::MultiSelectInput(d) => ("MULTI_SELECT_INPUT", &d.field_target, &d.options),
        ChunkBody::NumberInput(d) => {
            return Some(format!(
                "{{field: {}, kind: NUMBER_INPUT}}",
                yaml_key(&d.field_target)
            ));
        }
        _ => return None,
    };
    let values: Vec<String> = options.iter().map(|o| json(&o.value)).collect();
    let options = if values.is_empty() {
        String::new()
    } else {
        format!(", options: [{}]", values.join(", "))
    };
    Some(format!(
        "{{field: {}, kind: {kind}{options}}}",
        yaml_key(field)
    ))
}

fn json(value: &Value) -> String {
    // Serializing a `Value` cannot fail; `null` is a safe stand-in all the same.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Field keys are validated identifiers; anything else is quoted.
fn yaml_key(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        key.to_owned()
    } else {
        json(&Value::String(key.to_owned()))
    }
}

/// Values that differ on every run: GUIDs (session, submission, request ids) and
/// ISO-8601 timestamps.
pub fn is_volatile(text: &str) -> bool {
    crate::suite::form::is_guid(text) || is_timestamp(text)
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 19
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::chunk::TextDataDetails;
    use serde_json::json;

    fn data(field: &str, value: Value) -> Chunk {
        Chunk::from(ChunkBody::TextData(TextDataDetails {
            field_target: field.into(),
            value,
            ..TextDataDetails::default()
        }))
    }

    #[test]
    fn writes_last_values_types_and_masks_ids() {
        let chunks = [
            data("email", json!("a@x.io")),
            data("email", json!("b@x.io")),
            data("ref", json!("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10")),
            data("topics", json!(["rust", "ai"])),
        ];
        let lines = expect_lines(&chunks, 2).join("\n");
        assert!(lines.contains("    email: \"b@x.io\""), "{lines}");
        assert!(lines.contains("    ref: {any: true}"), "{lines}");
        assert!(
            lines.contains("    topics: {set: [\"rust\",\"ai\"]}"),
            "{lines}"
        );
        assert!(lines.contains("  chunks: [TEXT_DATA, TEXT_DATA, TEXT_DATA, TEXT_DATA]"));
        assert!(lines.ends_with("  submitted: false"), "{lines}");
        assert!(is_volatile("2026-11-26T18:00:00Z"));
    }
}
