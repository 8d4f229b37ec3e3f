//! Whole conversations through the simulator: greeting, questions, validation rejections,
//! submission in and out of dry-run, and determinism.

use super::meetup;
use crate::common::wire::{Chunk, ChunkBody, Values};
use crate::mock::ids::is_guid;
use crate::mock::simulator::{SessionState, Simulator};
use serde_json::{Value, json};

fn types(chunks: &[Chunk]) -> Vec<String> {
    chunks
        .iter()
        .map(|c| c.chunk_type().name().to_string())
        .collect()
}

fn data(chunks: &[Chunk]) -> Vec<(String, Value)> {
    chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::TextData(d) => Some((d.field_target.clone(), d.value.clone())),
            _ => None,
        })
        .collect()
}

fn texts(chunks: &[Chunk]) -> String {
    let parts: Vec<&str> = chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::Text(t) => Some(t.text.as_str()),
            ChunkBody::ImportantText(t) => Some(t.text.as_str()),
            _ => None,
        })
        .collect();
    parts.join("\n")
}

fn submission(chunks: &[Chunk]) -> Option<Option<String>> {
    chunks.iter().find_map(|c| match &c.body {
        ChunkBody::Submission(s) => Some(s.submission_id.clone()),
        _ => None,
    })
}

fn values(json: Value) -> Values {
    match json {
        Value::Object(map) => map,
        _ => Values::new(),
    }
}

#[test]
fn create_greets_and_asks_the_first_required_field() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let chunks = sim.start(&mut state, None);
    assert_eq!(types(&chunks), ["TEXT", "TEXT"]);
    let said = texts(&chunks);
    assert!(said.contains("Spring meetup registration"), "{said}");
    assert!(said.contains("What is your first name?"), "{said}");
}

#[test]
fn prefill_skips_to_the_next_question_with_its_input_chunk() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let prefill = values(json!({"first_name": "Dana", "email": "d@x.io", "unknown": 1}));
    let chunks = sim.start(&mut state, Some(&prefill));
    assert_eq!(types(&chunks), ["TEXT", "TEXT", "SINGLE_SELECT_INPUT"]);
    assert_eq!(chunks[2].field_target(), Some("ticket"));
    assert!(!state.values.contains_key("unknown"));
}

#[test]
fn the_design_conversation_reaches_submission() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(7, false);
    sim.start(&mut state, Some(&values(json!({"newsletter": false}))));
    let turn1 = sim.reply(&mut state, Some("Hi, I'm Dana, dana@example.com"), None);
    assert_eq!(
        types(&turn1),
        ["TEXT_DATA", "TEXT_DATA", "TEXT", "SINGLE_SELECT_INPUT"]
    );
    assert_eq!(
        data(&turn1),
        [
            ("first_name".into(), json!("Dana")),
            ("email".into(), json!("dana@example.com"))
        ]
    );
    let mi = turn1[0].meaningful_input.clone().unwrap_or_default();
    assert_eq!((mi.start_offset, mi.length), (8, 4));
    let turn2 = sim.reply(
        &mut state,
        Some("VIP please, two guests, topics rust and ai"),
        Some(&values(json!({"newsletter": true}))),
    );
    assert_eq!(
        data(&turn2),
        [
            ("guests".into(), json!(2)),
            ("ticket".into(), json!("vip")),
            ("topics".into(), json!(["rust", "ai"]))
        ]
    );
    let id = submission(&turn2).flatten().unwrap_or_default();
    assert!(is_guid(&id), "{id}");
    assert!(state.submitted);
    assert_eq!(state.values.get("newsletter"), Some(&json!(true)));
}

#[test]
fn dry_run_submission_has_no_id() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(7, true);
    sim.start(&mut state, None);
    let chunks = sim.reply(
        &mut state,
        Some("I'm Dana, dana@example.com, standard ticket"),
        None,
    );
    assert_eq!(submission(&chunks), Some(None));
    assert!(texts(&chunks).contains("dry run"));
}

#[test]
fn after_submission_nothing_more_is_submitted() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(7, false);
    sim.reply(
        &mut state,
        Some("I'm Dana, dana@example.com, standard ticket"),
        None,
    );
    let again = sim.reply(&mut state, Some("actually vip"), None);
    assert_eq!(types(&again), ["TEXT"]);
    assert!(texts(&again).contains("already been submitted"));
    assert_eq!(state.values.get("ticket"), Some(&json!("standard")));
}

#[test]
fn rejected_values_get_important_text_and_are_not_stored() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let chunks = sim.reply(
        &mut state,
        Some("I'm Dana, 9 guests, email: dana at home"),
        None,
    );
    assert_eq!(
        types(&chunks),
        ["TEXT_DATA", "IMPORTANT_TEXT", "IMPORTANT_TEXT", "TEXT"]
    );
    let said = texts(&chunks);
    assert!(
        said.contains("Number of guests must be between 0 and 5"),
        "{said}"
    );
    assert!(
        said.contains("Email must be a valid email address"),
        "{said}"
    );
    assert!(said.contains("What is your email?"), "{said}");
    assert!(!state.values.contains_key("guests"));
    assert_eq!(chunks[1].field_target(), Some("email"));
}

#[test]
fn unknown_option_is_rejected_with_the_choices() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    sim.start(
        &mut state,
        Some(&values(json!({"first_name": "Dana", "email": "d@x.io"}))),
    );
    let chunks = sim.reply(&mut state, Some("ticket: gold"), None);
    assert_eq!(
        types(&chunks),
        ["IMPORTANT_TEXT", "TEXT", "SINGLE_SELECT_INPUT"]
    );
    assert!(texts(&chunks).contains("Ticket must be one of: standard, vip"));
}

#[test]
fn nothing_extracted_is_said_politely_and_reasked() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let chunks = sim.reply(&mut state, Some("What a lovely day it is"), None);
    assert_eq!(types(&chunks), ["TEXT"]);
    let said = texts(&chunks);
    assert!(said.starts_with("Sorry, I couldn't find"), "{said}");
    assert!(said.contains("first name"), "{said}");
}

#[test]
fn current_values_alone_fill_without_text_data() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let all = values(json!({"first_name": "Dana", "email": "d@x.io", "ticket": "vip"}));
    let chunks = sim.reply(&mut state, None, Some(&all));
    assert_eq!(types(&chunks), ["TEXT", "SUBMISSION"]);
}

#[test]
fn number_prompt_carries_the_range() {
    let mut form = meetup();
    form.fields[2].required = true;
    let sim = Simulator::new(&form);
    let mut state = SessionState::new(1, true);
    let chunks = sim.start(
        &mut state,
        Some(&values(json!({"first_name": "D", "email": "d@x.io"}))),
    );
    let serialized = serde_json::to_value(&chunks[2]).unwrap_or_default();
    assert_eq!(
        serialized,
        json!({"chunkType": "NUMBER_INPUT", "numberInputDetails": {"fieldTarget": "guests", "rangeLimit": {"minInclusiveValue": 0.0, "maxInclusiveValue": 5.0}}})
    );
}

#[test]
fn text_data_wire_shape() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let chunks = sim.reply(&mut state, Some("Zoë here: no newsletter, vip"), None);
    let newsletter = chunks
        .iter()
        .find(|c| c.field_target() == Some("newsletter"));
    let serialized = newsletter
        .map(serde_json::to_value)
        .and_then(Result::ok)
        .unwrap_or_default();
    assert_eq!(
        serialized,
        json!({
            "chunkType": "TEXT_DATA",
            "textDataDetails": {"fieldTarget": "newsletter", "text": "Newsletter: No", "value": false, "displayValue": "No"},
            "meaningfulInput": {"startOffset": 10, "length": 13}
        })
    );
}

#[test]
fn same_input_same_output() {
    let sim = Simulator::new(&meetup());
    let script = ["hello", "I'm Dana", "dana@example.com, 2 guests", "vip"];
    let run = || {
        let mut state = SessionState::new(42, false);
        let mut all = sim.start(&mut state, None);
        for line in script {
            all.extend(sim.reply(&mut state, Some(line), None));
        }
        (all, state)
    };
    let (a, state_a) = run();
    let (b, state_b) = run();
    assert_eq!(a, b);
    assert_eq!(state_a, state_b);
    assert!(state_a.submitted);
}

#[test]
fn a_maximal_adversarial_input_is_answered_quickly() {
    let sim = Simulator::new(&meetup());
    let units = [
        "email: x my ticket is and newsletter no 2 guests 555-1234 I'm Dana, rust ",
        "newsletter ",
        "topics: ",
        "guests 1 ",
        "é ",
    ];
    let started = std::time::Instant::now();
    for unit in units {
        let input: String = unit.repeat(10_000).chars().take(10_000).collect();
        let mut state = SessionState::new(1, true);
        let chunks = sim.reply(&mut state, Some(&input), None);
        assert!(!chunks.is_empty());
    }
    // Generous for unoptimized builds on a busy machine; quadratic scans take far longer.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_overlong_value_is_rejected_not_cut() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let input = format!("first name: {}", "a".repeat(1_500));
    let chunks = sim.reply(&mut state, Some(&input), None);
    assert_eq!(types(&chunks), ["IMPORTANT_TEXT", "TEXT"]);
    assert!(texts(&chunks).contains("First name must be between 1 and 1000 characters"));
}
