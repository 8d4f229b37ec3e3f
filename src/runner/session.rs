//! Runs one conversation through the client: create, then each user turn, evaluating
//! every expectation as responses arrive.
//!
//! A failed expectation does not stop the conversation (later turns still tell the user
//! something); a failed request does, since the session's state is then unknown. In load
//! mode, [`Pacing`] adds think time between turns, the intended start of the session, and
//! a hook that records each request the moment it completes.

use crate::api::client::Client;
use crate::api::endpoint::SessionUris;
use crate::api::error::{ApiError, ErrorClass};
use crate::common::wire::Values;
use crate::common::wire::{CreateSessionRequest, SendMessageRequest};
use crate::live::{LiveMetrics, LiveOperation};
use crate::runner::call::{self, Call, Received};
use crate::runner::evaluate::{ConversationState, evaluate_final, evaluate_response};
use crate::runner::load::rng::Rng;
use crate::runner::outcome::{ConversationResult, Operation, TurnError, TurnOutcome};
use crate::runner::plan::PlannedConversation;
use crate::runner::scorecard::score_response;
use crate::suite::{Conversation, DurationRange, Expect, Form, Loc};
use std::time::{Duration, Instant};

/// How one request went, beyond its [`TurnOutcome`]: what the load engine records.
#[derive(Debug, Clone, Copy)]
pub struct RequestTiming {
    /// From the intended start of the request (open model) to its end.
    pub intended_latency: Option<Duration>,
}

/// Called once per request, as soon as it completes.
pub type RequestHook<'a> = dyn FnMut(&TurnOutcome, &RequestTiming) + Send + 'a;

/// Load-mode pacing of a session ([`Pacing::none`] for functional runs), and where it is
/// counted live.
pub struct Pacing<'a> {
    /// Open model: when the session should have started.
    pub intended_start: Option<Instant>,
    /// Pause before each user turn.
    pub think: DurationRange,
    pub rng: Option<&'a mut Rng>,
    pub on_request: Option<&'a mut RequestHook<'a>>,
    /// `--metrics-listen`: counts each request and session live, in either mode.
    pub live: Option<&'a LiveMetrics>,
}

impl Pacing<'_> {
    pub fn none<'a>() -> Pacing<'a> {
        Pacing {
            intended_start: None,
            think: DurationRange::default(),
            rng: None,
            on_request: None,
            live: None,
        }
    }

    /// A seed for a simulated user, from the load run's generator; `None` in a
    /// functional run.
    pub(crate) fn next_seed(&mut self) -> Option<u64> {
        self.rng.as_deref_mut().map(Rng::next_u64)
    }

    pub(crate) fn think_time(&mut self) -> Duration {
        match self.rng.as_deref_mut() {
            Some(rng) => rng.duration_in(self.think),
            None => self.think.min,
        }
    }

    pub(crate) fn report(&mut self, outcome: &TurnOutcome, intended_from: Option<Instant>) {
        if let Some(live) = self.live {
            let operation = match outcome.operation {
                Operation::Create => LiveOperation::Create,
                Operation::Send => LiveOperation::Send,
            };
            let error = outcome.error.as_ref().map(|e| e.class);
            live.request_finished(operation, outcome.latency, error);
        }
        if let Some(hook) = self.on_request.as_deref_mut() {
            let timing = RequestTiming {
                intended_latency: intended_from.map(|start| start.elapsed()),
            };
            hook(outcome, &timing);
        }
    }
}

/// What one request was for: enough to evaluate its reply.
struct Step<'a> {
    turn: usize,
    operation: Operation,
    user: Option<&'a str>,
    expect: &'a Expect,
    loc: &'a Loc,
    /// When the conversation's first request was sent.
    origin: Instant,
    /// The suite's form: keys outside it are unexpected extractions.
    form: &'a Form,
}

/// Executes `planned` once (its scripted turns, or its persona's simulated user) and
/// returns everything it produced.
pub async fn run_conversation(
    client: &Client,
    planned: &PlannedConversation,
    pacing: &mut Pacing<'_>,
) -> ConversationResult {
    let mut result = start_result(planned);
    run_conversation_into(client, planned, pacing, &mut result).await;
    result
}

/// The result of `planned` before any request, for [`run_conversation_into`].
pub fn start_result(planned: &PlannedConversation) -> ConversationResult {
    match planned.conversation() {
        Some(conversation) => empty_result(
            planned,
            &conversation.name,
            conversation.loc.clone(),
            conversation.turns.len(),
        ),
        None => empty_result(planned, planned.name(), planned.loc(), 0),
    }
}

/// Executes `planned` once into `result` (made by [`start_result`]), which holds every
/// answered request as soon as it is evaluated: a caller that drops this future (a load
/// run aborting its sessions at the end of the grace period) keeps what was done.
pub async fn run_conversation_into(
    client: &Client,
    planned: &PlannedConversation,
    pacing: &mut Pacing<'_>,
    result: &mut ConversationResult,
) {
    // Dropped with this future when a load run aborts the session: counted as aborted.
    let watch = pacing.live.map(LiveMetrics::session_started);
    match (planned.conversation(), planned.persona()) {
        (Some(conversation), _) => {
            run_scripted(client, planned, conversation, pacing, result).await;
        }
        (_, Some(persona)) => {
            crate::runner::persona::run::run_persona(client, planned, persona, pacing, result)
                .await;
        }
        // The plan only holds scripts its suites have.
        _ => {}
    }
    if let Some(watch) = watch {
        watch.finished(crate::runner::measure::session_end(result));
    }
}

/// The result before any request: named, nothing run yet.
pub(crate) fn empty_result(
    planned: &PlannedConversation,
    name: &str,
    loc: Loc,
    planned_turns: usize,
) -> ConversationResult {
    ConversationResult {
        suite: planned.suite.name.clone(),
        conversation: name.to_string(),
        loc,
        session_id: None,
        turns: Vec::with_capacity(planned_turns + 1),
        final_failures: Vec::new(),
        planned_turns,
        // A functional run numbers its repeats; a load run has none.
        iteration: 1,
        repeat: 1,
        min_pass_rate: planned.min_pass_rate,
        summarized: false,
        persona: None,
        aborted: false,
        tags: planned.tags().to_vec(),
    }
}

async fn run_scripted(
    client: &Client,
    planned: &PlannedConversation,
    conversation: &Conversation,
    pacing: &mut Pacing<'_>,
    result: &mut ConversationResult,
) {
    let mut state = ConversationState::default();
    let origin = Instant::now();
    let opening = Opening {
        prefill: conversation.prefill.as_ref(),
        start: conversation.start.as_ref(),
        loc: &conversation.loc,
    };
    let (outcome, session_id) =
        create_session(client, planned, &opening, pacing, &mut state, origin).await;
    result.session_id = session_id;
    let created = outcome.error.is_none();
    result.turns.push(outcome);
    let Some(session) = result.session_id.as_deref().filter(|_| created) else {
        return;
    };
    let session = client.session_uris(session);
    for (index, turn) in conversation.turns.iter().enumerate() {
        let message = UserMessage {
            turn: index + 1,
            user: turn.user.as_deref(),
            current_values: turn.current_values.as_ref(),
            expect: &turn.expect,
            loc: &turn.loc,
        };
        let outcome = send_turn(
            client, planned, &session, &message, origin, pacing, &mut state,
        )
        .await;
        let errored = outcome.error.is_some();
        result.turns.push(outcome);
        if errored {
            return;
        }
    }
    if let Some(final_expect) = &conversation.final_state {
        result.final_failures = evaluate_final(final_expect, &state);
    }
}

/// What the create request of a conversation carries and is checked against.
pub(crate) struct Opening<'a> {
    pub prefill: Option<&'a Values>,
    pub start: Option<&'a Expect>,
    pub loc: &'a Loc,
}

/// One user message to send, and what its reply is checked against.
pub(crate) struct UserMessage<'a> {
    /// 1-based.
    pub turn: usize,
    pub user: Option<&'a str>,
    pub current_values: Option<&'a Values>,
    pub expect: &'a Expect,
    pub loc: &'a Loc,
}

/// Sends one user message after the pacing's think time, evaluates and reports it.
pub(crate) async fn send_turn(
    client: &Client,
    planned: &PlannedConversation,
    session: &Result<SessionUris, ApiError>,
    message: &UserMessage<'_>,
    origin: Instant,
    pacing: &mut Pacing<'_>,
    state: &mut ConversationState,
) -> TurnOutcome {
    let think = pacing.think_time();
    let intended = Instant::now() + think;
    if !think.is_zero() {
        tokio::time::sleep(think).await;
    }
    let request = SendMessageRequest {
        input: message.user.map(str::to_string),
        current_values: message.current_values.cloned(),
        ..SendMessageRequest::default()
    };
    state.apply_sent(message.current_values);
    let step = Step {
        turn: message.turn,
        operation: Operation::Send,
        user: message.user,
        expect: message.expect,
        loc: message.loc,
        origin,
        form: &planned.suite.form,
    };
    let started = Instant::now();
    let send = Call::Send {
        session,
        request: &request,
    };
    let in_flight = pacing.live.map(LiveMetrics::request_started);
    let reply = call::send(client, send, planned.turn_streamed(message.turn - 1)).await;
    drop(in_flight);
    let (outcome, _) = evaluate_reply(&step, started, reply, state);
    // A turn's intended start is the end of the think time: a late wake-up or a
    // client-side wait shows in the intended latency, never in the service time.
    let intended_from = pacing.intended_start.map(|_| intended);
    pacing.report(&outcome, intended_from);
    outcome
}

/// The create request (with `prefill`), evaluated against `start:`; a create that
/// answers without a session id is a decode error, since no turn could follow it.
pub(crate) async fn create_session(
    client: &Client,
    planned: &PlannedConversation,
    opening: &Opening<'_>,
    pacing: &mut Pacing<'_>,
    state: &mut ConversationState,
    origin: Instant,
) -> (TurnOutcome, Option<String>) {
    state.apply_sent(opening.prefill);
    let create = CreateSessionRequest {
        form_id: planned.form_id.to_string(),
        current_values: opening.prefill.cloned(),
        dry_run: planned.dry_run,
        client_time: None,
    };
    let no_expectations = Expect::default();
    let step = Step {
        turn: 0,
        operation: Operation::Create,
        user: None,
        expect: opening.start.unwrap_or(&no_expectations),
        loc: opening.loc,
        origin,
        form: &planned.suite.form,
    };
    let in_flight = pacing.live.map(LiveMetrics::request_started);
    let reply = call::send(client, Call::Create(&create), planned.create_streamed()).await;
    drop(in_flight);
    let (mut outcome, session_id) = evaluate_reply(&step, origin, reply, state);
    if outcome.error.is_none() && session_id.is_none() {
        outcome.error = Some(TurnError {
            class: ErrorClass::Decode,
            message: "the create response has no interactiveFormSession.id".into(),
        });
    }
    pacing.report(&outcome, pacing.intended_start);
    (outcome, session_id)
}

/// Turns a reply into an evaluated [`TurnOutcome`] and the session id it carried.
fn evaluate_reply(
    step: &Step<'_>,
    started: Instant,
    reply: Result<Received, ApiError>,
    state: &mut ConversationState,
) -> (TurnOutcome, Option<String>) {
    // Waiting for the client-side rate cap is not the service's time: leave it out.
    let paced = call::pacing(&reply);
    let (retries, retry_time) = call::retries(&reply);
    let latency = started.elapsed().saturating_sub(paced);
    let mut outcome = TurnOutcome {
        turn: step.turn,
        operation: step.operation,
        user: step.user.map(str::to_string),
        offset: started.saturating_duration_since(step.origin) + paced,
        latency,
        retries,
        retry_time,
        ttfc: None,
        arrivals: Vec::new(),
        end_of_response: None,
        status: None,
        request_id: None,
        protocol: None,
        chunks: Vec::new(),
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
        reason: None,
    };
    match reply {
        Ok(reply) => {
            outcome.status = Some(reply.status);
            outcome.request_id = reply.request_id;
            outcome.protocol = Some(reply.protocol);
            outcome.ttfc = reply.ttfc;
            outcome.arrivals = reply.arrivals;
            outcome.end_of_response = reply.end;
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
            outcome.fields = score_response(step.expect, &outcome.chunks, step.form);
            state.apply_chunks(&outcome.chunks);
            (outcome, reply.session_id)
        }
        Err(err) => {
            outcome.status = err.status();
            outcome.request_id = err.request_id().map(str::to_string);
            outcome.protocol = err.protocol();
            outcome.error = Some(TurnError {
                class: err.class(),
                message: err.to_string(),
            });
            (outcome, None)
        }
    }
}
