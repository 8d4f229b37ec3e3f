//! Scores one response for the extraction scorecard: for each `fields:` expectation,
//! whether the field was extracted correctly, wrongly or not at all, and every TEXT_DATA
//! that should not have come (a `no_fields:` key, or a key the form does not have).
//!
//! Pure, like `evaluate`: it reads chunks already received and returns marks. It must
//! not produce failures (`evaluate` does) nor aggregate (the result model does).

use crate::api::wire::{Chunk, ChunkBody};
use crate::runner::outcome::{FieldMark, FieldScore};
use crate::suite::{Expect, Form};

/// The marks of one response, expectations first (in suite order), then unexpected keys
/// (in chunk order, each key once).
pub fn score_response(expect: &Expect, chunks: &[Chunk], form: &Form) -> Vec<FieldScore> {
    let extracted: Vec<_> = chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::TextData(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut marks = Vec::new();
    for field in &expect.fields {
        let mut values = extracted.iter().filter(|d| d.field_target == field.key);
        let mark = match values.next() {
            None => FieldMark::Missed,
            Some(first) => {
                let matches = |d: &&&crate::api::wire::TextDataDetails| {
                    field.matcher.matches(&d.value, d.display_value.as_deref())
                };
                if matches(&first) || values.any(|d| matches(&d)) {
                    FieldMark::Correct
                } else {
                    FieldMark::Wrong
                }
            }
        };
        marks.push(FieldScore {
            key: field.key.clone(),
            mark,
        });
    }
    let mut unexpected: Vec<&str> = Vec::new();
    for d in &extracted {
        let key = d.field_target.as_str();
        let forbidden = expect.no_fields.iter().any(|k| k.value == key);
        let unknown = !form.fields.iter().any(|f| f.key == key);
        // A key with a `fields:` expectation is scored above, even if not in the form.
        let expected = expect.fields.iter().any(|f| f.key == key);
        if (forbidden || unknown) && !expected && !unexpected.contains(&key) {
            unexpected.push(key);
        }
    }
    marks.extend(unexpected.into_iter().map(|key| FieldScore {
        key: key.to_string(),
        mark: FieldMark::Unexpected,
    }));
    marks
}
