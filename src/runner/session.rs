//! Runs one conversation through the client: create, then each user turn, evaluating
//! every expectation as responses arrive.
//!
//! A failed expectation does not stop the conversation (later turns still tell the user
//! something); a failed request does, since the session's state is then unknown.

use crate::api::client::Client;
use crate::api::error::{ApiError, ErrorClass};
use crate::api::wire::{CreateSessionRequest, SendMessageRequest};
use crate::runner::call::{self, Call, Received};
use crate::runner::evaluate::{ConversationState, evaluate_final, evaluate_response};
use crate::runner::outcome::{ConversationResult, Operation, TurnError, TurnOutcome};
use crate::runner::plan::PlannedConversation;
use crate::suite::{Expect, Loc};
use std::time::{Duration, Instant};

/// What one request was for: enough to evaluate its reply.
struct Step<'a> {
    turn: usize,
    operation: Operation,
    user: Option<&'a str>,
    expect: &'a Expect,
    loc: &'a Loc,
}

/// Executes `planned` once and returns everything it produced.
pub async fn run_conversation(
    client: &Client,
    planned: &PlannedConversation,
) -> ConversationResult {
    let conversation = planned.conversation();
    let mut result = ConversationResult {
        suite: planned.suite.name.clone(),
        conversation: conversation.name.clone(),
        loc: conversation.loc.clone(),
        session_id: None,
        turns: Vec::with_capacity(conversation.turns.len() + 1),
        final_failures: Vec::new(),
        planned_turns: conversation.turns.len(),
    };
    let mut state = ConversationState::default();
    state.apply_sent(conversation.prefill.as_ref());
    let create = CreateSessionRequest {
        form_id: planned.form_id.to_string(),
        current_values: conversation.prefill.clone(),
        dry_run: planned.dry_run,
        client_time: None,
    };
    let no_expectations = Expect::default();
    let step = Step {
        turn: 0,
        operation: Operation::Create,
        user: None,
        expect: conversation.start.as_ref().unwrap_or(&no_expectations),
        loc: &conversation.loc,
    };
    let started = Instant::now();
    let reply = call::send(client, Call::Create(&create), planned.create_streamed()).await;
    let latency = started.elapsed().saturating_sub(call::pacing(&reply));
    let (mut outcome, session_id) = evaluate_reply(&step, latency, reply, &mut state);
    if outcome.error.is_none() && session_id.is_none() {
        outcome.error = Some(TurnError {
            class: ErrorClass::Decode,
            message: "the create response has no interactiveFormSession.id".into(),
        });
    }
    result.session_id = session_id;
    let created = outcome.error.is_none();
    result.turns.push(outcome);
    let Some(session_id) = result.session_id.clone().filter(|_| created) else {
        return result;
    };
    for (index, turn) in conversation.turns.iter().enumerate() {
        let request = SendMessageRequest {
            input: turn.user.clone(),
            current_values: turn.current_values.clone(),
            ..SendMessageRequest::default()
        };
        state.apply_sent(turn.current_values.as_ref());
        let step = Step {
            turn: index + 1,
            operation: Operation::Send,
            user: turn.user.as_deref(),
            expect: &turn.expect,
            loc: &turn.loc,
        };
        let started = Instant::now();
        let send = Call::Send {
            session_id: &session_id,
            request: &request,
        };
        let reply = call::send(client, send, planned.turn_streamed(index)).await;
        let latency = started.elapsed().saturating_sub(call::pacing(&reply));
        let (outcome, _) = evaluate_reply(&step, latency, reply, &mut state);
        let errored = outcome.error.is_some();
        result.turns.push(outcome);
        if errored {
            return result;
        }
    }
    if let Some(final_expect) = &conversation.final_state {
        result.final_failures = evaluate_final(final_expect, &state);
    }
    result
}

/// Turns a reply into an evaluated [`TurnOutcome`] and the session id it carried.
fn evaluate_reply(
    step: &Step<'_>,
    latency: Duration,
    reply: Result<Received, ApiError>,
    state: &mut ConversationState,
) -> (TurnOutcome, Option<String>) {
    let mut outcome = TurnOutcome {
        turn: step.turn,
        operation: step.operation,
        user: step.user.map(str::to_string),
        latency,
        ttfc: None,
        status: None,
        request_id: None,
        chunks: Vec::new(),
        failures: Vec::new(),
        error: None,
    };
    match reply {
        Ok(reply) => {
            outcome.status = Some(reply.status);
            outcome.request_id = reply.request_id;
            outcome.ttfc = reply.ttfc;
            outcome.chunks = reply.chunks;
            if let Some(message) = reply.incomplete {
                // The response is not whole, so its expectations cannot be judged fairly.
                outcome.error = Some(TurnError {
                    class: ErrorClass::StreamIncomplete,
                    message,
                });
                return (outcome, None);
            }
            outcome.failures = evaluate_response(step.expect, &outcome.chunks, latency, step.loc);
            state.apply_chunks(&outcome.chunks);
            (outcome, reply.session_id)
        }
        Err(err) => {
            outcome.status = err.status();
            outcome.request_id = err.request_id().map(str::to_string);
            outcome.error = Some(TurnError {
                class: err.class(),
                message: err.to_string(),
            });
            (outcome, None)
        }
    }
}
