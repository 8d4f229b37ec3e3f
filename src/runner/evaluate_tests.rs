//! Unit tests of expectation evaluation: each expectation kind, holding and failing.

use super::*;
use crate::common::wire::{
    ErrorDetails, SelectInputDetails, SelectOption, SubmissionDetails, TextDataDetails, TextDetails,
};
use crate::suite::PromptExpect;
use crate::suite::matcher::{MatchOp, Matcher};
use serde_json::json;

fn loc(line: usize) -> Loc {
    Loc {
        file: "suites/t.yaml".into(),
        line,
        column: 5,
    }
}

fn at<T>(value: T, line: usize) -> Located<T> {
    Located {
        value,
        loc: loc(line),
    }
}

fn eq(value: Value) -> Matcher {
    Matcher {
        op: Some(MatchOp::Eq(value)),
        display: None,
    }
}

fn data(key: &str, value: Value) -> Chunk {
    Chunk::from(ChunkBody::TextData(TextDataDetails {
        field_target: key.into(),
        text: format!("{key}: {value}"),
        value,
        display_value: None,
    }))
}

fn text(t: &str) -> Chunk {
    Chunk::from(ChunkBody::Text(TextDetails {
        text: t.into(),
        style: None,
    }))
}

fn select(key: &str, options: &[&str]) -> Chunk {
    Chunk::from(ChunkBody::SingleSelectInput(SelectInputDetails {
        field_target: key.into(),
        options: options
            .iter()
            .map(|o| SelectOption {
                value: json!(o),
                label: o.to_string(),
            })
            .collect(),
        allowed_custom_value: None,
    }))
}

fn submission() -> Chunk {
    Chunk::from(ChunkBody::Submission(SubmissionDetails::default()))
}

fn eval(expect: &Expect, chunks: &[Chunk]) -> Vec<Failure> {
    evaluate_response(expect, chunks, Duration::from_millis(10), &loc(1))
}

#[test]
fn field_expectations_hold_and_fail_with_the_actual_value() {
    let expect = Expect {
        fields: vec![FieldExpect {
            key: "first_name".into(),
            matcher: eq(json!("Dana")),
            loc: loc(7),
        }],
        ..Expect::default()
    };
    assert!(eval(&expect, &[data("first_name", json!("Dana"))]).is_empty());

    let failures = eval(&expect, &[data("first_name", json!("Dan"))]);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].loc.line, 7);
    assert_eq!(failures[0].subject, "fields.first_name");
    assert_eq!(failures[0].actual, "\"Dan\"");

    let failures = eval(&expect, &[data("email", json!("a@b.c"))]);
    assert!(failures[0].actual.contains("no TEXT_DATA for `first_name`"));
    assert!(failures[0].actual.contains("extracted: email"));
}

#[test]
fn no_fields_fails_when_the_field_was_extracted() {
    let expect = Expect {
        no_fields: vec![at("ticket".to_string(), 9)],
        ..Expect::default()
    };
    assert!(eval(&expect, &[data("email", json!("x@y.z"))]).is_empty());
    let failures = eval(&expect, &[data("ticket", json!("vip"))]);
    assert_eq!(failures[0].subject, "no_fields.ticket");
    assert!(failures[0].actual.contains("\"vip\""));
}

#[test]
fn chunk_modes() {
    use ChunkType::*;
    let chunks = [data("a", json!(1)), data("b", json!(2)), text("next?")];
    let check = |mode, types: Vec<ChunkType>| {
        let expect = Expect {
            chunks: Some(at(ChunkExpect { mode, types }, 3)),
            ..Expect::default()
        };
        eval(&expect, &chunks).is_empty()
    };
    assert!(check(ChunkMode::Contains, vec![TextData, TextData, Text]));
    assert!(!check(
        ChunkMode::Contains,
        vec![TextData, TextData, TextData]
    ));
    assert!(check(ChunkMode::Exact, vec![TextData, TextData, Text]));
    assert!(!check(ChunkMode::Exact, vec![TextData, Text]));
    assert!(check(ChunkMode::InOrder, vec![TextData, Text]));
    assert!(!check(ChunkMode::InOrder, vec![Text, TextData]));
    assert!(check(ChunkMode::NoneOf, vec![Submission, Error]));
    assert!(!check(ChunkMode::NoneOf, vec![Text]));
}

#[test]
fn prompt_needs_the_field_kind_and_options() {
    let prompt = |kind: Option<ChunkType>, options: Option<Vec<Value>>| Expect {
        prompt: Some(at(
            PromptExpect {
                field: "ticket".into(),
                kind,
                options,
                ..PromptExpect::default()
            },
            4,
        )),
        ..Expect::default()
    };
    let chunks = [
        text("Which ticket?"),
        select("ticket", &["standard", "vip"]),
    ];
    assert!(eval(&prompt(None, None), &chunks).is_empty());
    let single = Some(ChunkType::SingleSelectInput);
    assert!(eval(&prompt(single.clone(), None), &chunks).is_empty());
    assert!(!eval(&prompt(Some(ChunkType::NumberInput), None), &chunks).is_empty());
    let options = Some(vec![json!("vip"), json!("standard")]);
    assert!(eval(&prompt(single.clone(), options), &chunks).is_empty());
    let failures = eval(&prompt(single, Some(vec![json!("vip")])), &chunks);
    assert_eq!(failures[0].subject, "prompt.options");
    let failures = eval(&prompt(None, None), &[text("done")]);
    assert_eq!(failures[0].actual, "no input chunk");
}

#[test]
fn submitted_and_error_flags() {
    let submitted = |flag| Expect {
        submitted: Some(at(flag, 2)),
        ..Expect::default()
    };
    assert!(eval(&submitted(true), &[submission()]).is_empty());
    assert!(!eval(&submitted(true), &[text("hi")]).is_empty());
    assert!(eval(&submitted(false), &[text("hi")]).is_empty());
    assert!(!eval(&submitted(false), &[submission()]).is_empty());

    let error_chunk = Chunk::from(ChunkBody::Error(ErrorDetails {
        message_text: "boom".into(),
    }));
    // An ERROR chunk nobody expected fails the turn, at the turn's line.
    let failures = eval(&Expect::default(), std::slice::from_ref(&error_chunk));
    assert_eq!(failures[0].subject, "error");
    assert_eq!(failures[0].loc.line, 1);
    let expected = Expect {
        error: Some(at(true, 6)),
        ..Expect::default()
    };
    assert!(eval(&expected, &[error_chunk]).is_empty());
    assert!(!eval(&expected, &[text("fine")]).is_empty());
}

#[test]
fn max_latency_is_a_budget() {
    let expect = Expect {
        max_latency: Some(at(Duration::from_millis(5), 8)),
        ..Expect::default()
    };
    let failures = eval(&expect, &[]);
    assert_eq!(failures[0].expected, "at most 5ms");
    assert_eq!(failures[0].actual, "10ms");
    let relaxed = Expect {
        max_latency: Some(at(Duration::from_millis(50), 8)),
        ..Expect::default()
    };
    assert!(eval(&relaxed, &[]).is_empty());
}

#[test]
fn final_state_accumulates_sent_and_extracted_values() {
    let mut state = ConversationState::default();
    let mut prefill = Map::new();
    prefill.insert("newsletter".into(), json!(false));
    state.apply_sent(Some(&prefill));
    state.apply_chunks(&[data("email", json!("old@x.io"))]);
    state.apply_chunks(&[data("email", json!("new@x.io")), submission()]);
    let expect = FinalExpect {
        fields: vec![
            FieldExpect {
                key: "email".into(),
                matcher: eq(json!("new@x.io")),
                loc: loc(20),
            },
            FieldExpect {
                key: "newsletter".into(),
                matcher: eq(json!(false)),
                loc: loc(21),
            },
        ],
        no_fields: vec![at("phone".to_string(), 22)],
        submitted: Some(at(true, 23)),
        loc: None,
    };
    assert!(evaluate_final(&expect, &state).is_empty());

    state.apply_chunks(&[data("phone", json!("+1 555"))]);
    let failures = evaluate_final(&expect, &state);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].subject, "final.no_fields.phone");
}
