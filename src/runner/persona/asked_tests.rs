//! Which field a response asks for: each signal in its place of the precedence (input
//! chunk, IMPORTANT_TEXT, labels named in the TEXT, first required field missing), with
//! the reason the transcript keeps.

use super::*;
use crate::common::chunk::{
    ImportantTextDetails, NumberInputDetails, SelectInputDetails, TextDetails,
};

fn form() -> Form {
    let loaded = crate::suite::load_paths(&[std::path::PathBuf::from("suites/event.yaml")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.suites[0].form.clone()
}

fn text(words: &str) -> Chunk {
    Chunk::from(ChunkBody::Text(TextDetails {
        text: words.to_string(),
        style: None,
    }))
}

fn important(field: &str) -> Chunk {
    Chunk::from(ChunkBody::ImportantText(ImportantTextDetails {
        field_target: field.to_string(),
        text: "That is not allowed.".to_string(),
    }))
}

fn select(field: &str) -> Chunk {
    Chunk::from(ChunkBody::SingleSelectInput(SelectInputDetails {
        field_target: field.to_string(),
        ..SelectInputDetails::default()
    }))
}

fn number(field: &str) -> Chunk {
    Chunk::from(ChunkBody::NumberInput(NumberInputDetails {
        field_target: field.to_string(),
        ..NumberInputDetails::default()
    }))
}

fn read(chunks: &[Chunk], extracted: &[&str]) -> Asked {
    asked(chunks, &form(), &|key| extracted.contains(&key))
}

#[test]
fn an_input_chunk_wins_over_a_rejection_and_the_text() {
    let chunks = [
        important("email"),
        text("What is your email? And how many guests?"),
        number("guests"),
    ];
    let got = read(&chunks, &[]);
    assert_eq!(got.fields, ["guests"]);
    assert_eq!(got.reason, "asked by NUMBER_INPUT fieldTarget guests");
    assert!(!got.rejected);
    let got = read(&[text("Which ticket?"), select("ticket")], &[]);
    assert_eq!(
        got.reason,
        "asked by SINGLE_SELECT_INPUT fieldTarget ticket"
    );
}

#[test]
fn a_rejection_wins_over_the_text_and_says_so() {
    let got = read(
        &[text("Please give your email again."), important("guests")],
        &[],
    );
    assert_eq!(got.fields, ["guests"]);
    assert!(got.rejected);
    assert_eq!(
        got.reason,
        "value rejected: IMPORTANT_TEXT fieldTarget guests"
    );
}

#[test]
fn labels_named_in_the_text_are_read_in_the_order_they_appear() {
    let got = read(&[text("What's your email and first name?")], &[]);
    assert_eq!(got.fields, ["email", "first_name"]);
    assert_eq!(got.reason, "the question names email and first_name");
    // A field target the form does not know is no signal: the label decides.
    let got = read(&[select("no_such_field"), text("What is your email?")], &[]);
    assert_eq!(got.fields, ["email"]);
}

#[test]
fn without_a_signal_the_first_missing_required_field_is_asked() {
    let got = read(&[text("Thanks!")], &["first_name"]);
    assert_eq!(got.fields, ["email"]);
    assert_eq!(got.reason, "first required field still missing: email");
    let all = ["first_name", "email", "ticket"];
    let got = read(&[text("Thanks!")], &all);
    assert!(got.fields.is_empty());
    assert_eq!(got.reason, "nothing asked");
}
