//! What running a conversation produced: per-turn outcomes, failures and verdicts.
//!
//! Plain data, built by the runner and read by the reports. A failed expectation is a
//! [`Failure`] (data), never an error; a transport or HTTP problem is a [`TurnError`].

use crate::common::error_class::ErrorClass;
use crate::common::wire::Chunk;
use crate::metrics::PersonaEnd;
use crate::suite::Loc;
use std::time::Duration;

/// Which API method a turn called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Create,
    Send,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Send => "send",
        }
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Where the expectation was written.
    pub loc: Loc,
    /// What was checked, e.g. `fields.email` or `chunks`.
    pub subject: String,
    pub expected: String,
    pub actual: String,
}

/// How one field fared in one response, for the extraction scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldMark {
    /// A `fields:` expectation held: a TEXT_DATA for the key matched.
    Correct,
    /// A `fields:` expectation had a TEXT_DATA for the key, but no value matched.
    Wrong,
    /// A `fields:` expectation had no TEXT_DATA for the key at all.
    Missed,
    /// A TEXT_DATA for a key the turn listed in `no_fields:`, or for a key not in the form.
    Unexpected,
}

impl FieldMark {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldMark::Correct => "correct",
            FieldMark::Wrong => "wrong",
            FieldMark::Missed => "missed",
            FieldMark::Unexpected => "unexpected",
        }
    }
}

/// One field key of one response and how it fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldScore {
    pub key: String,
    pub mark: FieldMark,
}

/// A request that did not produce a usable response.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnError {
    pub class: ErrorClass,
    pub message: String,
}

/// The outcome of one request: the create (`turn` 0) or a user turn (1-based).
#[derive(Debug, Clone)]
pub struct TurnOutcome {
    pub turn: usize,
    pub operation: Operation,
    pub user: Option<String>,
    /// When the request was sent, from the conversation's first request.
    pub offset: Duration,
    pub latency: Duration,
    /// Retries the client made for this request (`--retries`), and the time they took
    /// (included in `latency`).
    pub retries: u32,
    pub retry_time: Duration,
    /// Time to first chunk, for a streamed request that produced one.
    pub ttfc: Option<Duration>,
    /// When each message of a streamed response arrived (END_OF_RESPONSE included), from
    /// the start of the attempt that produced it, as `ttfc` is; empty for a unary request.
    pub arrivals: Vec<Duration>,
    /// When END_OF_RESPONSE arrived, on the same clock; `None` when none did.
    pub end_of_response: Option<Duration>,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// The HTTP version of the response (`HTTP/1.1`, `HTTP/2`); `None` when the request
    /// failed.
    pub protocol: Option<&'static str>,
    pub chunks: Vec<Chunk>,
    pub failures: Vec<Failure>,
    pub error: Option<TurnError>,
    /// The extraction scorecard marks of this response (empty when it errored).
    pub fields: Vec<FieldScore>,
    /// A persona's turn: why the simulated user said what it said.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// An expectation failed.
    Failed,
    /// A request failed, so the conversation could not be completed.
    Errored,
}

/// Everything one run of one conversation produced.
#[derive(Debug, Clone)]
pub struct ConversationResult {
    pub suite: String,
    pub conversation: String,
    pub loc: Loc,
    pub session_id: Option<String>,
    /// Turns that were executed, in order; stops at the first errored turn.
    pub turns: Vec<TurnOutcome>,
    /// Failures of the `final:` expectations.
    pub final_failures: Vec<Failure>,
    /// Number of user turns the conversation declares.
    pub planned_turns: usize,
    /// 1-based run of this conversation (`repeat:` / `--repeat`); 1 without repeats.
    pub iteration: u32,
    /// How many times the conversation runs in all (1 without repeats).
    pub repeat: u32,
    /// The share of its runs that must pass for the conversation to pass.
    pub min_pass_rate: f64,
    /// Its transcript was not kept (see [`crate::runner::retention`]): no chunks, failure
    /// texts shortened; every count, timing and mark is still there.
    pub summarized: bool,
    /// A persona's conversation: how it ended, in how many user turns, with how many
    /// re-asks. `None` for a scripted conversation.
    pub persona: Option<PersonaOutcome>,
    /// Cut short at the end of a load run's grace period: `turns` holds the requests
    /// answered before that (the one in flight is dropped); no verdict applies.
    pub aborted: bool,
    /// The conversation's `tags:`, for the reports' per-tag rows.
    pub tags: Vec<String>,
}

/// How a persona's conversation went, beside its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonaOutcome {
    /// Submitted, over budget, stuck, or errored (a request got no usable response).
    pub ending: PersonaEnd,
    /// User messages sent.
    pub turns: u32,
    /// Questions for a field already extracted right.
    pub re_asks: u32,
}

impl ConversationResult {
    pub fn verdict(&self) -> Verdict {
        if self.turns.iter().any(|t| t.error.is_some()) {
            Verdict::Errored
        } else if self.turns.iter().any(|t| !t.failures.is_empty())
            || !self.final_failures.is_empty()
        {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }
}
