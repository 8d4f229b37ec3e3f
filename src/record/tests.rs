//! Recording over hand-written suites, on responses made up here and judged by the
//! runner's own evaluator: held checks stay as written, failed ones are proposed beside
//! the original, unknown chunk types still give a suite that validates.

use super::*;
use crate::common::chunk::{Chunk, ChunkBody, TextDataDetails, TextDetails};
use crate::runner::evaluate::{evaluate_final, evaluate_response};
use crate::runner::outcome::TurnOutcome;
use serde_json::{Value, json};
use std::time::Duration;

const FORM: &str = "version: 1
form:
  id: 2f0c1a5e-7b8d-4c3e-9f10-a1b2c3d4e5f6
  fields:
    - {key: first_name, type: string}
    - {key: email, type: string}
    - {key: phone, type: string}
    - {key: newsletter, type: boolean}
conversations:
";

fn text(t: &str) -> Chunk {
    Chunk::from(ChunkBody::Text(TextDetails {
        text: t.into(),
        ..TextDetails::default()
    }))
}

pub(super) fn data(field: &str, value: Value, display: Option<&str>) -> Chunk {
    Chunk::from(ChunkBody::TextData(TextDataDetails {
        field_target: field.into(),
        value,
        display_value: display.map(str::to_owned),
        ..TextDataDetails::default()
    }))
}

fn unknown(name: &str) -> Chunk {
    Chunk::from(ChunkBody::Unknown {
        chunk_type: name.into(),
        details: json!({"url": "https://example.com/v.mp4"}),
    })
}

/// Records `conversations` (YAML, under the form above) as if the target had answered
/// the create with `responses[0]` and turn N with `responses[N]`.
fn record_on(conversations: &str, responses: &[Vec<Chunk>]) -> (Recorded, String) {
    let source = format!("{FORM}{conversations}");
    let suite = load_str("s.yaml", &source).unwrap_or_else(|d| panic!("{d:?}"));
    let conversation = &suite.conversations[0];
    let mut state = ConversationState::default();
    let mut turns = Vec::new();
    for (i, chunks) in responses.iter().enumerate() {
        let (operation, expect, loc) = match i {
            0 => (
                Operation::Create,
                conversation.start.clone(),
                &conversation.loc,
            ),
            n => {
                let turn = &conversation.turns[n - 1];
                (Operation::Send, Some(turn.expect.clone()), &turn.loc)
            }
        };
        let expect = expect.unwrap_or_default();
        let failures = evaluate_response(&expect, chunks, Duration::from_millis(30), loc);
        state.apply_chunks(chunks);
        turns.push(outcome(i, operation, chunks.clone(), failures));
    }
    let final_failures = conversation
        .final_state
        .as_ref()
        .map(|f| evaluate_final(f, &state))
        .unwrap_or_default();
    let result = ConversationResult {
        suite: suite.name.clone(),
        conversation: conversation.name.clone(),
        loc: conversation.loc.clone(),
        session_id: None,
        turns,
        final_failures,
        planned_turns: conversation.turns.len(),
        iteration: 1,
        repeat: 1,
        min_pass_rate: 1.0,
        summarized: false,
        persona: None,
        aborted: false,
        tags: Vec::new(),
    };
    let recorded = record(&suite, &source, &[result]).unwrap_or_else(|e| panic!("{e}"));
    if let Err(d) = load_str("s.pending.yaml", &recorded.text) {
        panic!(
            "the recorded suite does not validate: {d:?}\n{}",
            recorded.text
        );
    }
    let body = recorded.text[FORM.len()..].to_owned();
    (recorded, body)
}

fn outcome(
    turn: usize,
    operation: Operation,
    chunks: Vec<Chunk>,
    failures: Vec<crate::runner::outcome::Failure>,
) -> TurnOutcome {
    TurnOutcome {
        turn,
        operation,
        user: None,
        offset: Duration::ZERO,
        latency: Duration::from_millis(30),
        retries: 0,
        retry_time: Duration::ZERO,
        ttfc: None,
        arrivals: Vec::new(),
        end_of_response: None,
        status: Some(200),
        request_id: None,
        protocol: None,
        chunks,
        failures,
        error: None,
        fields: Vec::new(),
        reason: None,
    }
}

use crate::suite::load_str;

/// Every check holds: each line of the written block comes back as written, and only
/// what was not checked is added.
#[test]
fn held_checks_are_kept_byte_for_byte() {
    let conversations = "  - name: holds
    turns:
      - user: hi
        expect:   # the greeting
          fields: {first_name: {regex: '^Da'}, email: \"d@x.io\"}
          # no phone yet
          no_fields:
          - phone
          text: {contains: \"thanks\"}
          max_latency: 2s
";
    let answer = vec![
        data("first_name", json!("Dana"), None),
        data("email", json!("d@x.io"), None),
        text("thanks!"),
    ];
    let (recorded, body) = record_on(conversations, &[vec![text("hello")], answer]);
    assert!(recorded.changes.is_empty(), "{:?}", recorded.changes);
    for line in conversations.lines() {
        assert!(body.contains(line), "`{line}` was not kept:\n{body}");
    }
    insta::assert_snapshot!(body);
}

/// Failed checks of every kind: the observed value replaces each, the original is kept
/// commented out above it, and each is listed as a change.
#[test]
fn failed_checks_are_proposed_beside_the_original() {
    let conversations = "  - name: fails
    turns:
      - user: hi
        expect:
          fields:
            first_name: {ieq: dana}
            email: {regex: '^d@', display: D}
            newsletter: true
          no_fields: [phone]
          chunks: {none_of: [TEXT_DATA, SUBMISSION]}
          text: {contains: \"welcome\"}
          prompt:
            field: email
          submitted: true
          error: true
          max_latency: 10ms
    final:
      fields: {first_name: Dana}
";
    let answer = vec![
        data("first_name", json!("Omar"), None),
        data("email", json!("o@x.io"), Some("O")),
        data("phone", json!("+1 415"), None),
        text("thanks!"),
    ];
    let (recorded, body) = record_on(conversations, &[vec![text("hello")], answer]);
    let changed: Vec<(usize, &str, &str)> = recorded
        .changes
        .iter()
        .map(|c| (c.line, c.place.as_str(), c.was.as_str()))
        .collect();
    let at = FORM.lines().count();
    assert_eq!(
        changed,
        [
            (at + 6, "turn 1", "first_name: {ieq: dana}"),
            (at + 7, "turn 1", "email: {regex: '^d@', display: D}"),
            (at + 8, "turn 1", "newsletter: true"),
            (at + 9, "turn 1", "no_fields: [phone]"),
            (
                at + 10,
                "turn 1",
                "chunks: {none_of: [TEXT_DATA, SUBMISSION]}"
            ),
            (at + 11, "turn 1", "text: {contains: \"welcome\"}"),
            (at + 12, "turn 1", "prompt: field: email"),
            (at + 14, "turn 1", "submitted: true"),
            (at + 15, "turn 1", "error: true"),
            (at + 16, "turn 1", "max_latency: 10ms"),
            (at + 18, "final", "first_name: Dana"),
        ]
    );
    insta::assert_snapshot!(body);
}

/// A response with a chunk type this build does not know still records a valid suite,
/// whether the block checks chunks or not.
#[test]
fn unknown_chunk_types_record_a_valid_suite() {
    let conversations = "  - name: video
    turns:
      - user: hi
        expect:
          chunks: {exact: [TEXT]}
      - user: again
";
    let answer = vec![text("look"), unknown("VIDEO_EMBED")];
    let (recorded, body) = record_on(
        conversations,
        &[vec![unknown("VIDEO_EMBED")], answer.clone(), answer],
    );
    assert_eq!(recorded.changes.len(), 1);
    assert_eq!(
        body.matches("also observed VIDEO_EMBED").count(),
        3,
        "{body}"
    );
    insta::assert_snapshot!(body);
}
