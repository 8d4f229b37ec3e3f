//! The simulator under a [`Variation`], drawn from `--vary` profiles as the server draws
//! them: shuffled order, paraphrased questions, missed values, re-asked and merged
//! questions — and nothing at all without a profile.

use super::{meetup, required};
use crate::common::wire::{Chunk, ChunkBody};
use crate::mock::ids::{IdKind, guid};
use crate::mock::simulator::{SessionState, Simulator, Variation};
use crate::mock::vary::VaryProfile;
use crate::suite::model::Form;
use std::collections::BTreeSet;

/// The variation the server would draw for `spec`, seed, session number and turn.
fn drawn(spec: &str, seed: u64, session: u64, turn: u64, sim: &Simulator) -> Variation {
    let profile = VaryProfile::parse_list(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let id = guid(IdKind::Session, session);
    profile.variation(seed, &id, turn, sim.field_count())
}

fn question(chunks: &[Chunk]) -> String {
    chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::Text(t) => Some(t.text.clone()),
            _ => None,
        })
        .next_back()
        .unwrap_or_default()
}

fn extracted(chunks: &[Chunk]) -> Vec<String> {
    chunks
        .iter()
        .filter_map(|c| match &c.body {
            ChunkBody::TextData(d) => Some(d.field_target.clone()),
            _ => None,
        })
        .collect()
}

fn submits(chunks: &[Chunk]) -> bool {
    chunks
        .iter()
        .any(|c| matches!(c.body, ChunkBody::Submission(_)))
}

/// The required field of the meetup form a question asks for, by its label.
fn asked_field(text: &str) -> &'static str {
    let lower = text.to_lowercase();
    ["first name", "email", "ticket"]
        .into_iter()
        .find(|label| lower.contains(label))
        .unwrap_or("?")
}

/// A bare answer to each required field of the meetup form.
fn answer(field: &str) -> &'static str {
    match field {
        "first name" => "Dana",
        "email" => "dana@example.com",
        _ => "vip",
    }
}

#[test]
fn no_profile_draws_no_variation() {
    let sim = Simulator::new(&meetup());
    let off = VaryProfile::default();
    assert_eq!(off.variation(3, "s", 1, 6), Variation::default());
    let zero = VaryProfile::parse_list("miss=0,reask=0,merge=0").expect("valid");
    assert_eq!(zero.variation(3, "s", 1, 6), Variation::default());
    let mut plain = SessionState::new(1, true);
    let mut varied = SessionState::new(1, true);
    assert_eq!(
        sim.start(&mut plain, None),
        sim.start_varied(&mut varied, None, &Variation::default())
    );
}

#[test]
fn order_differs_between_sessions_and_repeats_for_a_seed() {
    let sim = Simulator::new(&meetup());
    let first_question = |seed: u64, session: u64| {
        let mut state = SessionState::new(session, true);
        let variation = drawn("order", seed, session, 0, &sim);
        question(&sim.start_varied(&mut state, None, &variation))
    };
    let firsts: BTreeSet<&str> = (1..=20)
        .map(|s| asked_field(&first_question(3, s)))
        .collect();
    assert!(
        firsts.len() >= 2,
        "every session asked first for {firsts:?}"
    );
    for session in 1..=20 {
        assert_eq!(first_question(3, session), first_question(3, session));
    }
    let turn0 = drawn("order", 3, 5, 0, &sim);
    let turn4 = drawn("order", 3, 5, 4, &sim);
    assert_eq!(turn0.order, turn4.order, "the order is fixed per session");
}

/// Bare answers follow the shuffled questions: each goes to the field just asked.
#[test]
fn bare_answers_follow_the_shuffled_order_to_submission() {
    let sim = Simulator::new(&meetup());
    for session in 1..=10 {
        let mut state = SessionState::new(session, true);
        let variation = drawn("order", 7, session, 0, &sim);
        let mut said = sim.start_varied(&mut state, None, &variation);
        for turn in 1..=3 {
            let field = asked_field(&question(&said));
            let variation = drawn("order", 7, session, turn, &sim);
            said = sim.reply_varied(&mut state, Some(answer(field)), None, None, &variation);
            assert_eq!(extracted(&said).len(), 1, "{field}: {said:?}");
        }
        assert!(submits(&said), "session {session}: {said:?}");
    }
}

#[test]
fn paraphrases_vary_across_sessions_and_name_the_label() {
    let sim = Simulator::new(&meetup());
    let mut wordings = BTreeSet::new();
    for session in 1..=30 {
        let mut state = SessionState::new(session, true);
        let variation = drawn("paraphrase", 1, session, 0, &sim);
        let text = question(&sim.start_varied(&mut state, None, &variation));
        assert!(text.contains("first name"), "{text}");
        wordings.insert(text);
    }
    assert!(wordings.len() >= 4, "{wordings:?}");
}

/// Every wording of every kind of question names the label and keeps the input chunk.
#[test]
fn every_wording_keeps_the_label_and_the_input_chunk() {
    for field in meetup().fields {
        let label = field.label.to_lowercase();
        let form = Form {
            fields: vec![required(field)],
            ..meetup()
        };
        let sim = Simulator::new(&form);
        let plain = sim.start(&mut SessionState::default(), None);
        for wording in 0..10 {
            let variation = Variation {
                wording: Some(wording),
                ..Variation::default()
            };
            let said = sim.start_varied(&mut SessionState::default(), None, &variation);
            let text = question(&said);
            assert!(text.to_lowercase().contains(&label), "{text}");
            assert_eq!(said[2..], plain[2..], "input chunks of {label}");
        }
    }
}

#[test]
fn miss_all_never_extracts() {
    let sim = Simulator::new(&meetup());
    for session in 1..=20 {
        let mut state = SessionState::new(session, true);
        for turn in 1..=3 {
            let variation = drawn("miss=1.0", 9, session, turn, &sim);
            let message = "Hi, I'm Dana, dana@example.com, VIP please";
            let said = sim.reply_varied(&mut state, Some(message), None, None, &variation);
            assert!(extracted(&said).is_empty(), "{said:?}");
            assert!(question(&said).contains("couldn't find"), "{said:?}");
        }
        assert!(state.values.is_empty());
    }
}

#[test]
fn miss_some_extracts_about_the_rest() {
    let sim = Simulator::new(&meetup());
    let messages = 2_000;
    let taken: usize = (0..messages)
        .map(|session| {
            let mut state = SessionState::new(session, true);
            let variation = drawn("miss=0.3", 11, session, 1, &sim);
            let said =
                sim.reply_varied(&mut state, Some("dana@example.com"), None, None, &variation);
            extracted(&said).len()
        })
        .sum();
    let share = taken as f64 / messages as f64;
    // Binomial(2000, 0.7): the standard deviation is about 0.01.
    assert!((0.65..=0.75).contains(&share), "{share}");
}

#[test]
fn reask_asks_for_a_filled_field_and_holds_the_submission() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    sim.start(&mut state, None);
    let everything = "I'm Dana, dana@example.com, VIP please";
    let variation = drawn("reask=1.0", 5, 1, 1, &sim);
    let said = sim.reply_varied(&mut state, Some(everything), None, None, &variation);
    assert_eq!(extracted(&said).len(), 3, "{said:?}");
    assert!(!submits(&said) && !state.submitted, "{said:?}");
    let field = asked_field(&question(&said));
    assert_ne!(field, "?", "{said:?}");
    // The next message, without variation, submits.
    let said = sim.reply(&mut state, Some("ok"), None);
    assert!(submits(&said), "{said:?}");
}

/// A bare answer after a re-ask corrects the field that was asked again.
#[test]
fn a_bare_answer_to_a_reask_goes_to_that_field() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let reask_first = Variation {
        reask: Some(0),
        ..Variation::default()
    };
    let said = sim.reply_varied(&mut state, Some("I'm Dana"), None, None, &reask_first);
    assert!(question(&said).contains("first name"), "{said:?}");
    assert_eq!(state.reasked, Some(0));
    let said = sim.reply(&mut state, Some("Maria"), None);
    assert_eq!(extracted(&said), ["first_name"]);
    assert_eq!(state.values["first_name"], "Maria");
}

#[test]
fn merge_asks_two_fields_with_the_first_ones_input() {
    let sim = Simulator::new(&meetup());
    let mut state = SessionState::new(1, true);
    let variation = drawn("merge=1.0", 2, 1, 0, &sim);
    let said = sim.start_varied(&mut state, None, &variation);
    assert_eq!(question(&said), "What's your first name and email?");
    assert_eq!(said.len(), 2, "no input chunk for a text field: {said:?}");
    let ticket_first = Variation {
        order: Some(vec![3, 0, 1, 2, 4, 5]),
        merge: true,
        ..Variation::default()
    };
    let said = sim.start_varied(&mut SessionState::default(), None, &ticket_first);
    assert_eq!(question(&said), "What's your ticket and first name?");
    assert_eq!(said.len(), 3);
    assert_eq!(said[2].field_target(), Some("ticket"));
    // With one field left there is nothing to merge.
    let mut state = SessionState::default();
    let said = sim.reply_varied(
        &mut state,
        Some("I'm Dana, dana@example.com"),
        None,
        None,
        &ticket_first,
    );
    assert!(
        question(&said).starts_with("Thanks! Which ticket"),
        "{said:?}"
    );
}
