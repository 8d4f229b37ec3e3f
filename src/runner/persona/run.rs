//! Runs one persona's conversation through the client: the create, then the simulated
//! user's messages until it ends the conversation, each request recorded and paced like a
//! scripted turn (think time, load hooks) with the simulator's reason kept on the turn.
//! Then the persona's `expect:` is judged: submitted, the fields (said, every fact, or a
//! matcher map), user turns and re-asks; every checked field gets a scorecard mark.

use super::{Ending, Next, Simulator, UserModel};
use crate::api::client::Client;
use crate::common::rng::{fnv1a, mix};
use crate::metrics::PersonaEnd;
use crate::runner::evaluate::ConversationState;
use crate::runner::outcome::{ConversationResult, Failure, FieldMark, FieldScore, PersonaOutcome};
use crate::runner::planned::PlannedConversation;
use crate::runner::session::{Opening, Pacing, UserMessage, create_session, send_turn};
use crate::suite::{Expect, FieldsExpect, Loc, Persona};
use serde_json::Value;
use std::time::Instant;

/// Executes `persona` once into `result` (see
/// [`run_conversation_into`](crate::runner::session::run_conversation_into)).
pub async fn run_persona(
    client: &Client,
    planned: &PlannedConversation,
    persona: &Persona,
    pacing: &mut Pacing<'_>,
    result: &mut ConversationResult,
) {
    let seed = pacing
        .next_seed()
        .unwrap_or_else(|| name_seed(&planned.suite.name, &persona.name));
    let mut user = Simulator::new(UserModel::of(persona), &planned.suite.form, seed);
    let mut state = ConversationState::default();
    let origin = Instant::now();
    let opening = Opening {
        prefill: None,
        start: None,
        loc: &persona.loc,
    };
    let (outcome, session_id) =
        create_session(client, planned, &opening, pacing, &mut state, origin).await;
    result.session_id = session_id;
    let created = outcome.error.is_none();
    user.observe(&outcome.chunks);
    result.turns.push(outcome);
    let Some(session) = result.session_id.as_deref().filter(|_| created) else {
        result.persona = Some(outcome_of(&user, PersonaEnd::Errored));
        return;
    };
    let session = client.session_uris(session);
    let no_expectations = Expect::default();
    let ending = loop {
        let message = match user.next_message() {
            Next::End(ending) => break ending,
            Next::Say(message) => message,
        };
        let turn = UserMessage {
            turn: result.turns.len(),
            user: Some(&message.text),
            current_values: None,
            expect: &no_expectations,
            loc: &persona.loc,
        };
        let mut outcome =
            send_turn(client, planned, &session, &turn, origin, pacing, &mut state).await;
        outcome.reason = Some(message.reason);
        user.observe(&outcome.chunks);
        let errored = outcome.error.is_some();
        result.turns.push(outcome);
        if errored {
            // Counted as one of the persona's runs, one that did not get through.
            result.planned_turns = user.turns() as usize;
            result.persona = Some(outcome_of(&user, PersonaEnd::Errored));
            return;
        }
    };
    result.planned_turns = user.turns() as usize;
    result.persona = Some(outcome_of(&user, ending_of(ending)));
    let (failures, marks) = judge(persona, &user, ending);
    result.final_failures = failures;
    if let Some(last) = result.turns.last_mut() {
        last.fields.extend(marks);
    }
}

/// A seed from the persona's name when the run gives none (functional runs): the same
/// persona says the same things run after run.
fn name_seed(suite: &str, persona: &str) -> u64 {
    let text = format!("{suite}\u{0}{persona}");
    mix(fnv1a(text.as_bytes()))
}

fn failure(loc: &Loc, subject: &str, expected: String, actual: String) -> Failure {
    Failure {
        loc: loc.clone(),
        subject: subject.to_string(),
        expected,
        actual,
    }
}

/// Whether an extracted value is the fact as given: numbers by value, lists as sets.
fn same_value(extracted: &Value, fact: &Value) -> bool {
    match (extracted, fact) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && b.iter().all(|v| a.iter().any(|x| same_value(x, v)))
        }
        (a, b) => a == b,
    }
}

fn ending_of(ending: Ending) -> PersonaEnd {
    match ending {
        Ending::Submitted => PersonaEnd::Submitted,
        Ending::OverBudget => PersonaEnd::OverBudget,
        Ending::Stuck => PersonaEnd::Stuck,
    }
}

fn outcome_of(user: &Simulator<'_>, ending: PersonaEnd) -> PersonaOutcome {
    PersonaOutcome {
        ending,
        turns: user.turns(),
        re_asks: user.re_asks(),
    }
}

fn ending_text(ending: Ending) -> &'static str {
    match ending {
        Ending::Submitted => "submitted",
        Ending::OverBudget => "no SUBMISSION within max_turns",
        Ending::Stuck => "stuck: asked twice for nothing the persona could answer",
    }
}

/// The persona's `expect:` against how the conversation went, and a scorecard mark per
/// checked field.
fn judge(
    persona: &Persona,
    user: &Simulator<'_>,
    ending: Ending,
) -> (Vec<Failure>, Vec<FieldScore>) {
    let expect = &persona.expect;
    let loc = expect.loc.as_ref().unwrap_or(&persona.loc);
    let mut failures = Vec::new();
    let submitted = ending == Ending::Submitted;
    if submitted != expect.submitted {
        let wanted = if expect.submitted {
            "a SUBMISSION"
        } else {
            "no SUBMISSION"
        };
        failures.push(failure(
            loc,
            "persona.submitted",
            wanted.into(),
            ending_text(ending).into(),
        ));
    }
    let extracted = user.extracted();
    let mut marks = Vec::new();
    let mut check = |key: &str, ok: Option<bool>, expected: String, loc: &Loc| {
        let mark = match ok {
            Some(true) => FieldMark::Correct,
            Some(false) => FieldMark::Wrong,
            None => FieldMark::Missed,
        };
        marks.push(FieldScore {
            key: key.to_string(),
            mark,
        });
        if ok != Some(true) {
            let actual = extracted.get(key).map_or_else(
                || format!("no value extracted for `{key}`"),
                crate::runner::describe::compact,
            );
            failures.push(failure(
                loc,
                &format!("persona.fields.{key}"),
                expected,
                actual,
            ));
        }
    };
    match &expect.fields {
        FieldsExpect::Said | FieldsExpect::Facts => {
            let all = matches!(expect.fields, FieldsExpect::Facts);
            for (key, fact) in &persona.facts {
                if !all && !user.said().contains(key) {
                    continue;
                }
                let ok = extracted.get(key).map(|v| same_value(v, fact));
                check(key, ok, crate::runner::describe::compact(fact), loc);
            }
        }
        FieldsExpect::Map(fields) => {
            // A fact never asked for and never said is "never asked", not a failure.
            let never_said = |key: &str| persona.fact(key).is_some() && !user.said().contains(key);
            for field in fields.iter().filter(|f| !never_said(&f.key)) {
                let ok = extracted
                    .get(&field.key)
                    .map(|v| field.matcher.matches(v, None));
                check(&field.key, ok, field.matcher.describe(), &field.loc);
            }
        }
    }
    let counts = [
        ("persona.turns", &expect.turns, user.turns()),
        ("persona.re_asks", &expect.re_asks, user.re_asks()),
    ];
    for (subject, range, count) in counts {
        if let Some(range) = range
            .as_ref()
            .filter(|r| !r.value.contains(f64::from(count)))
        {
            failures.push(failure(
                &range.loc,
                subject,
                range.value.describe(),
                count.to_string(),
            ));
        }
    }
    (failures, marks)
}
