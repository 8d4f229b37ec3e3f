//! Scores one response for the extraction scorecard: for each `fields:` expectation,
//! whether the field was extracted correctly, wrongly or not at all, and every TEXT_DATA
//! that should not have come (a `no_fields:` key, or a key the form does not have).
//!
//! Pure, like `evaluate`: it reads chunks already received and returns marks. It must
//! not produce failures (`evaluate` does) nor aggregate (the result model does).

use crate::common::wire::{Chunk, ChunkBody};
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
                let matches = |d: &&&crate::common::wire::TextDataDetails| {
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

#[cfg(test)]
mod tests {
    use super::score_response;
    use crate::common::wire::{Chunk, ChunkBody, TextDataDetails};
    use crate::runner::outcome::FieldMark;
    use serde_json::{Value, json};

    const SUITE: &str = r#"
version: 1
name: s
form:
  id: 2f0c1a5e-7b8d-4c3e-9f10-a1b2c3d4e5f6
  fields:
    - {key: email, type: string, required: true}
    - {key: age, type: number}
    - {key: city, type: string}
conversations:
  - name: c
    turns:
      - user: "x"
        expect:
          fields: {email: a@b.co, age: 3}
          no_fields: [city]
"#;

    fn data(key: &str, value: Value) -> Chunk {
        Chunk::from(ChunkBody::TextData(TextDataDetails {
            field_target: key.into(),
            text: String::new(),
            value,
            display_value: None,
        }))
    }

    /// Each mark once: a match, another value, nothing, a `no_fields` key and a key the
    /// form does not have (each unexpected key counted once per response).
    #[test]
    fn marks_every_outcome() {
        let suite = crate::suite::load_str("s.yaml", SUITE).expect("the suite loads");
        let expect = &suite.conversations[0].turns[0].expect;
        let chunks = [
            data("email", json!("other@b.co")),
            data("email", json!("a@b.co")),
            data("city", json!("Oslo")),
            data("ghost", json!(1)),
            data("ghost", json!(2)),
        ];
        let marks: Vec<(String, FieldMark)> = score_response(expect, &chunks, &suite.form)
            .into_iter()
            .map(|s| (s.key, s.mark))
            .collect();
        let expected = [
            ("email", FieldMark::Correct),
            ("age", FieldMark::Missed),
            ("city", FieldMark::Unexpected),
            ("ghost", FieldMark::Unexpected),
        ];
        let expected: Vec<(String, FieldMark)> =
            expected.iter().map(|(k, m)| (k.to_string(), *m)).collect();
        assert_eq!(marks, expected);
        let wrong = score_response(expect, &[data("age", json!(4))], &suite.form);
        assert_eq!(wrong[1].mark, FieldMark::Wrong);
    }
}
