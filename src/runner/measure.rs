//! How a run's requests and sessions reach the [`Recorder`]: the one mapping from runner
//! outcomes to [`RequestSample`]s, field marks and session ends, used by load sessions as
//! each request completes and by functional runs as each conversation finishes. Also the
//! plan's turn keys (conversation × turn indexes) both modes record under.
//!
//! Owns that mapping only: it measures nothing itself and renders nothing.

use crate::metrics::recorder::{
    MARK_CORRECT, MARK_MISSED, MARK_UNEXPECTED, MARK_WRONG, SUMMARY_OPERATION,
};
use crate::metrics::{PersonaRun, Recorder, RequestSample, SessionEnd, StreamSample};
use crate::runner::outcome::{ConversationResult, FieldMark, Operation, TurnOutcome, Verdict};
use crate::runner::plan::Plan;
use crate::runner::summary::SummaryOutcome;
use crate::suite::Loc;
use std::time::Duration;

/// A planned conversation, named for the reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationName {
    pub suite: String,
    pub conversation: String,
    pub loc: Loc,
}

/// Where each conversation's measurements go: its name and the index of its first turn
/// key (its create); turn `t` of conversation `c` is key `offsets[c] + t`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnKeys {
    pub conversations: Vec<ConversationName>,
    pub offsets: Vec<usize>,
    /// `(conversation index, turn index)` of each key.
    pub keys: Vec<(usize, usize)>,
    /// Each conversation's `tags:`, parallel to `conversations`.
    pub tags: Vec<Vec<String>>,
}

impl TurnKeys {
    /// Each planned conversation's create and user turns, in plan order.
    pub fn of_plan(plan: &Plan) -> TurnKeys {
        let mut keys = TurnKeys::default();
        for planned in &plan.conversations {
            keys.push(
                ConversationName {
                    suite: planned.suite.name.clone(),
                    conversation: planned.name().to_string(),
                    loc: planned.loc(),
                },
                planned.tags().to_vec(),
                planned.user_turns(),
            );
        }
        keys
    }

    /// The conversations of `results` (each distinct one once, in first-seen order),
    /// with as many turns as any of their runs planned: for results built without a plan.
    pub fn of_results(results: &[ConversationResult]) -> TurnKeys {
        let mut names: Vec<(ConversationName, &[String], usize)> = Vec::new();
        for result in results {
            let name = name_of(result);
            match names.iter_mut().find(|(n, ..)| *n == name) {
                Some((.., turns)) => *turns = (*turns).max(result.planned_turns),
                None => names.push((name, &result.tags, result.planned_turns)),
            }
        }
        let mut keys = TurnKeys::default();
        for (name, tags, turns) in names {
            keys.push(name, tags.to_vec(), turns);
        }
        keys
    }

    fn push(&mut self, name: ConversationName, tags: Vec<String>, user_turns: usize) {
        let index = self.conversations.len();
        self.tags.push(tags);
        self.offsets.push(self.keys.len());
        self.keys.extend((0..=user_turns).map(|turn| (index, turn)));
        self.conversations.push(name);
    }

    /// The index of the conversation `result` is a run of.
    pub fn index_of(&self, result: &ConversationResult) -> Option<usize> {
        let name = name_of(result);
        self.conversations.iter().position(|n| *n == name)
    }
}

fn name_of(result: &ConversationResult) -> ConversationName {
    ConversationName {
        suite: result.suite.clone(),
        conversation: result.conversation.clone(),
        loc: result.loc.clone(),
    }
}

/// The sample of one request; `headline` is false for requests in the warm-up.
pub fn request_sample(
    outcome: &TurnOutcome,
    turn_key: usize,
    intended: Option<Duration>,
    headline: bool,
) -> RequestSample<'_> {
    RequestSample {
        operation: match outcome.operation {
            Operation::Create => 0,
            Operation::Send => 1,
        },
        turn_key,
        service: outcome.latency,
        intended,
        stream: (!outcome.arrivals.is_empty()).then_some(StreamSample {
            arrivals: &outcome.arrivals,
            end: outcome.end_of_response,
        }),
        error: outcome.error.as_ref().map(|e| e.class),
        failures: u32::try_from(outcome.failures.len()).unwrap_or(u32::MAX),
        retries: outcome.retries,
        retry_time: outcome.retry_time,
        headline,
    }
}

/// Records a suite's `summary:` check as one request of the `summary` operation. Not in
/// the run's counters: those count the conversations' requests (the check has its own
/// verdict and record).
pub fn record_summary(recorder: &mut Recorder, outcome: &SummaryOutcome) {
    recorder.record_side_request(SUMMARY_OPERATION, outcome.latency, outcome.error.is_some());
}

/// Counts the extraction marks of one response for conversation `conversation`.
pub fn record_marks(recorder: &mut Recorder, conversation: usize, outcome: &TurnOutcome) {
    for score in &outcome.fields {
        let mark = match score.mark {
            FieldMark::Correct => MARK_CORRECT,
            FieldMark::Wrong => MARK_WRONG,
            FieldMark::Missed => MARK_MISSED,
            FieldMark::Unexpected => MARK_UNEXPECTED,
        };
        recorder.record_mark(conversation, &score.key, mark);
    }
}

/// How a finished session ends in the counters.
pub fn session_end(result: &ConversationResult) -> SessionEnd {
    match result.verdict() {
        Verdict::Passed => SessionEnd::Passed,
        Verdict::Failed => SessionEnd::Failed,
        Verdict::Errored => SessionEnd::Errored,
    }
}

/// A persona conversation's run, for [`Recorder::record_persona`]; `None` for a scripted
/// one.
pub fn persona_run(result: &ConversationResult) -> Option<PersonaRun> {
    result.persona.map(|persona| PersonaRun {
        end: persona.ending,
        succeeded: result.verdict() == Verdict::Passed,
        turns: persona.turns,
        re_asks: persona.re_asks,
    })
}

/// Records how a finished session ended: its `final:` failures, its end, and its
/// persona's run when it is one.
pub fn record_session_end(
    recorder: &mut Recorder,
    conversation: usize,
    result: &ConversationResult,
) {
    recorder.record_final_failures(result.final_failures.len());
    recorder.session_ended(session_end(result));
    if let Some(run) = persona_run(result) {
        recorder.record_persona(conversation, run);
    }
}

/// Records a whole finished conversation at once, as a functional run does: its
/// session, every request (all in the headline figures: a functional run has no
/// warm-up), its marks and its `final:` failures.
pub fn record_conversation(
    recorder: &mut Recorder,
    keys: &TurnKeys,
    conversation: usize,
    result: &ConversationResult,
) {
    let Some(&offset) = keys.offsets.get(conversation) else {
        return;
    };
    let next = keys.offsets.get(conversation + 1).copied();
    recorder.session_started(None);
    for turn in &result.turns {
        let key = offset + turn.turn;
        // A turn beyond the plan's keys (never in practice) is counted, not keyed.
        let key = match next {
            Some(next) if key >= next => usize::MAX,
            _ => key,
        };
        let sample = request_sample(turn, key, None, true);
        recorder.record_request(&sample);
        recorder.record_turn_stream(&sample);
        record_marks(recorder, conversation, turn);
    }
    record_session_end(recorder, conversation, result);
}

/// A recorder holding every conversation of `results`, keyed as [`TurnKeys::of_results`]
/// keys them: what a functional run records, for results made without running one.
pub fn record_results(results: &[ConversationResult], highest: Duration) -> (Recorder, TurnKeys) {
    let keys = TurnKeys::of_results(results);
    let mut recorder = Recorder::new(keys.keys.len(), highest);
    for result in results {
        if let Some(index) = keys.index_of(result) {
            record_conversation(&mut recorder, &keys, index, result);
        }
    }
    (recorder, keys)
}
