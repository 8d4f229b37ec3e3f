//! What a response (or a conversation's final state) showed, and how each observation is
//! written as expectation YAML: `fields` (last TEXT_DATA value per field), `chunks`,
//! `prompt` (the first input chunk), `submitted`, `error`, `text`. Pure: chunks in, text
//! out; never reads or writes files.
//!
//! Values are written in JSON syntax, which YAML 1.2 reads as flow scalars and collections,
//! so no value can be misread (`no`, `1e3`, `: `) whatever the assistant extracted.

use crate::common::chunk::{Chunk, ChunkBody, ChunkType};
use crate::runner::evaluate::{ConversationState, text_of};
use serde_json::Value;
use std::time::Duration;

/// One field value the target produced: the last TEXT_DATA for the key in a response, or
/// the value a conversation ended with.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub key: String,
    pub value: Value,
    pub display: Option<String>,
}

/// Everything recording may write about one response or one conversation's final state.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    /// In order of first appearance.
    pub fields: Vec<Extracted>,
    /// Every chunk type, in order, END_OF_RESPONSE and unknown types included.
    pub types: Vec<ChunkType>,
    /// The first input chunk, as a `prompt:` value.
    pub prompt: Option<String>,
    pub submitted: bool,
    pub error: bool,
    /// The TEXT chunks joined as the `text:` check sees them.
    pub text: String,
    pub latency: Duration,
}

impl Observation {
    pub fn of_response(chunks: &[Chunk], latency: Duration) -> Observation {
        let mut fields: Vec<Extracted> = Vec::new();
        for chunk in chunks {
            if let ChunkBody::TextData(d) = &chunk.body {
                let seen = Extracted {
                    key: d.field_target.clone(),
                    value: d.value.clone(),
                    display: d.display_value.clone(),
                };
                match fields.iter_mut().find(|f| f.key == d.field_target) {
                    Some(entry) => *entry = seen,
                    None => fields.push(seen),
                }
            }
        }
        Observation {
            fields,
            types: chunks.iter().map(Chunk::chunk_type).collect(),
            prompt: chunks.iter().find_map(prompt),
            submitted: chunks
                .iter()
                .any(|c| matches!(c.body, ChunkBody::Submission(_))),
            error: chunks.iter().any(|c| matches!(c.body, ChunkBody::Error(_))),
            text: text_of(chunks),
            latency,
        }
    }

    /// The values a conversation ended with, as `final:` sees them.
    pub fn of_state(state: &ConversationState) -> Observation {
        let fields = state
            .values
            .iter()
            .map(|(key, value)| Extracted {
                key: key.clone(),
                value: value.clone(),
                display: state
                    .display_values
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
            .collect();
        Observation {
            fields,
            submitted: state.submitted,
            ..Observation::default()
        }
    }

    pub fn field(&self, key: &str) -> Option<&Extracted> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// `key: matcher` for an observed value; with `display`, the displayed text is checked too.
pub fn field_line(seen: &Extracted, display: bool) -> String {
    let matcher = matcher(&seen.value);
    let matcher = match (&seen.display, display) {
        (Some(shown), true) => {
            let shown = json(&Value::String(shown.clone()));
            match matcher.strip_suffix('}') {
                Some(open) if matcher.starts_with('{') => format!("{open}, display: {shown}}}"),
                _ => format!("{{eq: {matcher}, display: {shown}}}"),
            }
        }
        _ => matcher,
    };
    format!("{}: {matcher}", yaml_key(&seen.key))
}

/// The observed value as the terminal and a comment show it; the displayed text only when
/// it says something the value does not.
pub fn describe(seen: &Extracted) -> String {
    let plain = match &seen.value {
        Value::String(s) => s.clone(),
        other => json(other),
    };
    match seen.display.as_ref().filter(|shown| **shown != plain) {
        Some(shown) => format!(
            "{}, displayed as {}",
            json(&seen.value),
            json(&Value::String(shown.clone()))
        ),
        None => json(&seen.value),
    }
}

/// `chunks:` in `mode` (`None`: a plain list) over the observed types. A type this build
/// does not know cannot be named in a suite (it would not validate), so it is noted in a
/// comment instead; `exact` then becomes `in_order`, which the named types still satisfy.
pub fn chunks_lines(types: &[ChunkType], mode: Option<&str>) -> Vec<String> {
    let unknown: Vec<&str> = types
        .iter()
        .filter(|t| !t.is_known())
        .map(ChunkType::name)
        .collect();
    let mut mode = mode;
    if mode == Some("exact") && !unknown.is_empty() {
        mode = Some("in_order");
    }
    let listed: Vec<&str> = types
        .iter()
        .filter(|t| t.is_known())
        // Only `exact` must list END_OF_RESPONSE; elsewhere it says nothing.
        .filter(|t| mode == Some("exact") || **t != ChunkType::EndOfResponse)
        .map(ChunkType::name)
        .collect();
    let mut lines = Vec::new();
    if !unknown.is_empty() {
        lines.push(format!(
            "# convoy record: also observed {}: a chunk type this version of convoy does not \
             know, so `chunks:` cannot name it",
            unknown.join(", ")
        ));
    }
    match mode {
        _ if listed.is_empty() => {}
        None => lines.push(format!("chunks: [{}]", listed.join(", "))),
        Some(mode) => lines.push(format!("chunks: {{{mode}: [{}]}}", listed.join(", "))),
    }
    lines
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

pub fn json(value: &Value) -> String {
    // Serializing a `Value` cannot fail; `null` is a safe stand-in all the same.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Field keys are validated identifiers; anything else is quoted.
pub fn yaml_key(key: &str) -> String {
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
    use serde_json::json;

    use crate::record::record_tests::data;

    #[test]
    fn keeps_last_values_and_masks_ids() {
        let chunks = [
            data("email", json!("a@x.io"), None),
            data("email", json!("b@x.io"), None),
            data("ref", json!("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10"), None),
            data("topics", json!(["rust", "ai"]), None),
            data("vip", json!(true), Some("Yes")),
        ];
        let seen = Observation::of_response(&chunks, Duration::ZERO);
        let lines: Vec<String> = seen.fields.iter().map(|f| field_line(f, true)).collect();
        assert_eq!(
            lines,
            [
                "email: \"b@x.io\"",
                "ref: {any: true}",
                "topics: {set: [\"rust\",\"ai\"]}",
                "vip: {eq: true, display: \"Yes\"}",
            ]
        );
        assert!(is_volatile("2026-11-26T18:00:00Z"));
    }

    #[test]
    fn unknown_chunk_types_go_to_a_comment() {
        let types = [
            ChunkType::Text,
            ChunkType::Unknown("VIDEO_EMBED".into()),
            ChunkType::EndOfResponse,
        ];
        let lines = chunks_lines(&types, Some("exact"));
        assert!(lines[0].starts_with("# convoy record: also observed VIDEO_EMBED"));
        assert_eq!(lines[1], "chunks: {in_order: [TEXT]}");
        let only_unknown = chunks_lines(&types[1..2], None);
        assert_eq!(only_unknown.len(), 1, "{only_unknown:?}");
        assert_eq!(
            chunks_lines(&types, None).last().map(String::as_str),
            Some("chunks: [TEXT]")
        );
    }
}
