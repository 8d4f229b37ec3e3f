//! Which form field the assistant is asking for, read from the structured signals of its
//! last response, in this order: an input chunk's `fieldTarget` (a select or number
//! input), then an IMPORTANT_TEXT's `fieldTarget` (a value was rejected), then the form
//! labels named in the question's TEXT (in the order they appear: a question may ask for
//! two), then the first required field not yet extracted (form order). Each answer keeps
//! its reason, in words, for the transcript.
//!
//! Pure: chunks and the form in, field keys out. It must not decide what the user says.

use crate::common::wire::{Chunk, ChunkBody};
use crate::suite::Form;

/// The fields asked for, and why the simulator thinks so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// Field keys, most important first; empty when nothing could be told.
    pub fields: Vec<String>,
    /// e.g. `asked by SINGLE_SELECT_INPUT fieldTarget ticket`.
    pub reason: String,
    /// True when a value of the first field was rejected (IMPORTANT_TEXT).
    pub rejected: bool,
}

/// Reads `chunks` (one response); `extracted` says whether a field already has a value.
pub fn asked(chunks: &[Chunk], form: &Form, extracted: &dyn Fn(&str) -> bool) -> Asked {
    let known = |key: &str| form.field(key).is_some();
    for chunk in chunks {
        let input = match &chunk.body {
            ChunkBody::SingleSelectInput(d) => {
                Some(("SINGLE_SELECT_INPUT", d.field_target.as_str()))
            }
            ChunkBody::MultiSelectInput(d) => Some(("MULTI_SELECT_INPUT", d.field_target.as_str())),
            ChunkBody::NumberInput(d) => Some(("NUMBER_INPUT", d.field_target.as_str())),
            _ => None,
        };
        if let Some((kind, key)) = input.filter(|(_, key)| known(key)) {
            return Asked {
                fields: vec![key.to_string()],
                reason: format!("asked by {kind} fieldTarget {key}"),
                rejected: false,
            };
        }
    }
    for chunk in chunks {
        if let ChunkBody::ImportantText(d) = &chunk.body
            && known(&d.field_target)
        {
            return Asked {
                fields: vec![d.field_target.clone()],
                reason: format!(
                    "value rejected: IMPORTANT_TEXT fieldTarget {}",
                    d.field_target
                ),
                rejected: true,
            };
        }
    }
    let named = labels_named(chunks, form);
    if !named.is_empty() {
        let reason = format!("the question names {}", named.join(" and "));
        return Asked {
            fields: named,
            reason,
            rejected: false,
        };
    }
    match form
        .fields
        .iter()
        .find(|f| f.required && !extracted(&f.key))
    {
        Some(field) => Asked {
            fields: vec![field.key.clone()],
            reason: format!("first required field still missing: {}", field.key),
            rejected: false,
        },
        None => Asked {
            fields: Vec::new(),
            reason: "nothing asked".to_string(),
            rejected: false,
        },
    }
}

/// The fields whose label (or key) the TEXT chunks name, in the order they appear; a
/// longer label wins over one it contains ("last name" over "name").
fn labels_named(chunks: &[Chunk], form: &Form) -> Vec<String> {
    let text: String = chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::Text(d) => Some(d.text.to_lowercase()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for field in &form.fields {
        let label = field.label.to_lowercase();
        let key = field.key.replace('_', " ").to_lowercase();
        let hit = [label.as_str(), key.as_str()]
            .into_iter()
            .filter(|l| !l.is_empty())
            .find_map(|l| word_position(&text, l).map(|at| (at, l.len())));
        if let Some((at, len)) = hit {
            found.push((at, len, field.key.as_str()));
        }
    }
    // Drop a label found inside a longer one at an overlapping place.
    let spans = found.clone();
    found.retain(|(at, len, _)| {
        !spans
            .iter()
            .any(|(a, l, _)| l > len && *a <= *at && at + len <= a + l)
    });
    found.sort();
    found
        .into_iter()
        .map(|(_, _, key)| key.to_string())
        .collect()
}

/// Where `needle` occurs in `haystack` as whole words.
fn word_position(haystack: &str, needle: &str) -> Option<usize> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    haystack
        .match_indices(needle)
        .map(|(at, _)| at)
        .find(|&at| {
            boundary(haystack[..at].chars().next_back())
                && boundary(haystack[at + needle.len()..].chars().next())
        })
}

#[cfg(test)]
#[path = "asked_tests.rs"]
mod tests;
