//! The simulated user against the mock's assistant, in process (no HTTP): every style
//! gets its facts extracted and the form submitted within a few turns, with a reason for
//! every message; declines, unknown fields and a corrected mistake behave as documented.

use super::*;
use crate::mock::simulator::{SessionState, Simulator as Assistant};
use crate::suite::Form;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn event_form() -> Form {
    let loaded = crate::suite::load_paths(&[std::path::PathBuf::from("suites/event.yaml")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.suites[0].form.clone()
}

fn facts() -> Vec<(String, Value)> {
    vec![
        ("first_name".into(), json!("Dana")),
        ("email".into(), json!("dana@example.com")),
        ("guests".into(), json!(3)),
        ("ticket".into(), json!("vip")),
        ("topics".into(), json!(["rust", "ai"])),
        ("newsletter".into(), json!(true)),
    ]
}

struct Run {
    ending: Ending,
    transcript: Vec<Message>,
    extracted: BTreeMap<String, Value>,
    said: Vec<String>,
    re_asks: u32,
}

/// A whole conversation: create, then messages until the simulator ends it.
fn converse(model: UserModel<'_>, form: &Form, seed: u64) -> Run {
    let assistant = Assistant::new(form);
    let mut state = SessionState::new(seed, true);
    let mut user = Simulator::new(model, form, seed);
    user.observe(&assistant.start(&mut state, None));
    let mut transcript = Vec::new();
    let ending = loop {
        match user.next_message() {
            Next::End(ending) => break ending,
            Next::Say(message) => {
                let chunks = assistant.reply(&mut state, Some(&message.text), None);
                transcript.push(message);
                user.observe(&chunks);
            }
        }
    };
    Run {
        ending,
        transcript,
        extracted: user.extracted().clone(),
        said: user.said().iter().cloned().collect(),
        re_asks: user.re_asks(),
    }
}

fn model<'a>(
    facts: &'a [(String, Value)],
    style: Style,
    declines: &'a [String],
    say: &'a BTreeMap<String, Vec<String>>,
) -> UserModel<'a> {
    UserModel {
        facts,
        style,
        opening: None,
        declines,
        say,
        max_turns: 12,
    }
}

/// Every fact the user said is extracted as given (a reactive user says only what is
/// asked: the required fields), and the form is submitted.
#[test]
fn every_style_gets_its_facts_extracted_and_the_form_submitted() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    for style in [
        Style::Reactive,
        Style::Eager,
        Style::Chunks(2),
        Style::Corrects,
    ] {
        for seed in 0..5 {
            let run = converse(model(&facts, style, &[], &say), &form, seed);
            let lines: Vec<String> = run
                .transcript
                .iter()
                .map(|m| format!("{} ({})", m.text, m.reason))
                .collect();
            assert_eq!(
                run.ending,
                Ending::Submitted,
                "{style:?} seed {seed}: {lines:#?}"
            );
            assert!(run.said.len() >= 3, "{lines:#?}");
            if style == Style::Eager {
                assert_eq!(run.said.len(), facts.len(), "eager says everything");
            }
            for (key, value) in facts.iter().filter(|(k, _)| run.said.contains(k)) {
                let got = run.extracted.get(key);
                let same = got
                    .is_some_and(|g| g == value || g.as_f64() == value.as_f64() && g.is_number());
                assert!(same, "{style:?} {key}: {got:?} in {lines:#?}");
            }
            assert!(run.transcript.iter().all(|m| !m.reason.is_empty()));
            assert!(run.transcript.len() <= 12);
            assert_eq!(run.re_asks, 0, "{lines:#?}");
        }
    }
}

#[test]
fn eager_users_need_fewer_turns_than_reactive_ones() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let reactive = converse(model(&facts, Style::Reactive, &[], &say), &form, 1);
    let eager = converse(model(&facts, Style::Eager, &[], &say), &form, 1);
    assert!(
        eager.transcript.len() < reactive.transcript.len(),
        "eager {} reactive {}",
        eager.transcript.len(),
        reactive.transcript.len()
    );
}

#[test]
fn a_reactive_user_answers_the_asked_field_with_its_reason() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let run = converse(model(&facts, Style::Reactive, &[], &say), &form, 2);
    let ticket = run
        .transcript
        .iter()
        .find(|m| m.reason.contains("SINGLE_SELECT_INPUT fieldTarget ticket"))
        .unwrap_or_else(|| panic!("no ticket question in {:#?}", run.transcript));
    assert_eq!(ticket.text, "VIP pass", "the option's label is said");
    assert!(
        ticket.reason.ends_with("→ says ticket"),
        "{}",
        ticket.reason
    );
}

#[test]
fn a_corrected_mistake_is_first_wrong_then_right() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let run = converse(model(&facts, Style::Corrects, &[], &say), &form, 3);
    assert!(
        run.transcript[0].reason.contains("with a mistake"),
        "{:#?}",
        run.transcript
    );
    assert!(
        run.transcript[1].text.starts_with("sorry, "),
        "{:#?}",
        run.transcript
    );
    assert_eq!(run.extracted.get("first_name"), Some(&json!("Dana")));
}

#[test]
fn persona_phrasings_are_used() {
    let form = event_form();
    let facts = facts();
    let mut say = BTreeMap::new();
    say.insert(
        "email".to_string(),
        vec!["write to {value} please".to_string()],
    );
    let run = converse(model(&facts, Style::Reactive, &[], &say), &form, 4);
    assert!(
        run.transcript
            .iter()
            .any(|m| m.text == "write to dana@example.com please"),
        "{:#?}",
        run.transcript
    );
    assert_eq!(run.ending, Ending::Submitted);
}

#[test]
fn a_required_field_the_user_declines_ends_stuck_not_in_a_loop() {
    let form = event_form();
    let facts: Vec<(String, Value)> = facts().into_iter().filter(|(k, _)| k != "email").collect();
    let declines = vec!["email".to_string()];
    let say = BTreeMap::new();
    let run = converse(model(&facts, Style::Reactive, &declines, &say), &form, 5);
    assert_eq!(run.ending, Ending::Stuck, "{:#?}", run.transcript);
    assert!(
        run.transcript
            .iter()
            .any(|m| m.text == "I'd rather not say")
    );
}

#[test]
fn the_turn_budget_ends_a_conversation() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let mut tight = model(&facts, Style::Reactive, &[], &say);
    tight.max_turns = 2;
    let run = converse(tight, &form, 6);
    assert_eq!(run.ending, Ending::OverBudget);
    assert_eq!(run.transcript.len(), 2);
}

#[test]
fn the_same_seed_gives_the_same_conversation() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let a = converse(model(&facts, Style::Chunks(2), &[], &say), &form, 9);
    let b = converse(model(&facts, Style::Chunks(2), &[], &say), &form, 9);
    assert_eq!(a.transcript, b.transcript);
}

/// `chunks:N`: each message says at most N facts, the asked one first and then facts not
/// said yet, so the first message says exactly N.
#[test]
fn chunks_say_n_facts_per_message() {
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    for n in [1, 2, 3] {
        let run = converse(model(&facts, Style::Chunks(n), &[], &say), &form, 7);
        assert_eq!(run.ending, Ending::Submitted, "{:#?}", run.transcript);
        let said = |m: &Message| {
            let (_, keys) = m.reason.rsplit_once("→ says ").expect("says facts");
            keys.split(", ").count()
        };
        assert_eq!(
            said(&run.transcript[0]),
            n as usize,
            "{:#?}",
            run.transcript
        );
        assert!(run.transcript.iter().all(|m| said(m) <= n as usize));
        let parts = run.transcript[0].text.split(". ").count();
        assert_eq!(parts, n as usize, "{}", run.transcript[0].text);
    }
}

fn chunk(body: crate::common::chunk::ChunkBody) -> crate::common::wire::Chunk {
    crate::common::wire::Chunk::from(body)
}

fn said_text(words: &str) -> crate::common::wire::Chunk {
    use crate::common::chunk::{ChunkBody, TextDetails};
    chunk(ChunkBody::Text(TextDetails {
        text: words.to_string(),
        style: None,
    }))
}

/// A value the assistant rejects (IMPORTANT_TEXT) is said again, and so is a field the
/// assistant asks for after extracting it right, which counts as a re-ask; a submission
/// ends the conversation.
#[test]
fn a_rejected_value_and_a_re_ask_are_answered_again() {
    use crate::common::chunk::{
        ChunkBody, ImportantTextDetails, SubmissionDetails, TextDataDetails,
    };
    let form = event_form();
    let facts = facts();
    let say = BTreeMap::new();
    let mut user = Simulator::new(model(&facts, Style::Reactive, &[], &say), &form, 1);
    user.observe(&[said_text("What is your first name?")]);
    let Next::Say(first) = user.next_message() else {
        panic!("a first message")
    };
    assert!(first.reason.ends_with("→ says first_name"), "{first:?}");
    user.observe(&[chunk(ChunkBody::ImportantText(ImportantTextDetails {
        field_target: "first_name".into(),
        text: "That does not look like a name.".into(),
    }))]);
    let Next::Say(again) = user.next_message() else {
        panic!("an answer to the rejection")
    };
    assert_eq!(
        again.reason,
        "value rejected: IMPORTANT_TEXT fieldTarget first_name → says first_name"
    );
    assert_eq!(user.re_asks(), 0, "a rejection is not a re-ask");
    let heard = chunk(ChunkBody::TextData(TextDataDetails {
        field_target: "first_name".into(),
        value: json!("Dana"),
        ..TextDataDetails::default()
    }));
    user.observe(&[heard, said_text("Could you tell me your first name again?")]);
    let Next::Say(re) = user.next_message() else {
        panic!("an answer to the re-ask")
    };
    assert!(re.reason.ends_with("→ says first_name"), "{re:?}");
    assert_eq!(user.re_asks(), 1);
    assert_eq!(user.extracted().get("first_name"), Some(&json!("Dana")));
    user.observe(&[chunk(ChunkBody::Submission(SubmissionDetails::default()))]);
    assert_eq!(user.next_message(), Next::End(Ending::Submitted));
    assert_eq!(user.turns(), 3);
}
