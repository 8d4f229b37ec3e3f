//! [`RunResult`]: the one serialisable, versioned model of a finished run that every
//! report file is rendered from (`run.json` is this struct, verbatim).
//!
//! It owns the schema and its (de)serialisation; it must not render anything nor hold
//! secrets: the config section has the target and base URL (user-info stripped), never
//! an API key or any header.
//!
//! Parts: `config` (what the run was started with), `latency` and `hdr` (histograms and
//! their encoding), `load` (what only a load run has), `pass_rate` (per conversation over
//! its runs, Wilson intervals), `form_summary` (the suites' `summary:` checks), `persona` (success and turns per persona), `scorecard` (extraction per field), `timeline` (per
//! second), `verdict` (the run's status and the words every report uses).

mod config;
mod form_summary;
mod hdr;
mod latency;
mod load;
mod pass_rate;
mod persona;
mod scorecard;
mod timeline;
mod verdict;

pub use crate::common::time::{compact_utc, parse_rfc3339_utc, rfc3339_utc};
pub use config::{
    DEFAULT_MAX_CHUNK_TEXT, LimitsConfig, LoadConfig, MockSettings, RunConfig, SHARD_LOCAL,
    ShardConfig, ThinkRecord, build_version, git_describe, human_us,
};
pub use form_summary::FormSummaryRecord;
pub use hdr::{decode_histogram, encode_histogram};
pub use latency::{
    ChunkCountRecord, LatencyKey, LatencyRecord, LatencyRecords, Summary, by_turn_index,
    chunks_by_turn_index,
};
pub use load::{ConversationStats, LoadSection, SAMPLES_PER_CONVERSATION, ShardInfo};
pub use pass_rate::{FieldRate, PassRate, TurnRate, pass_rates, wilson};
pub use persona::{
    ALL_PERSONAS, PersonaCounts, PersonaIdentity, PersonaSection, PersonaStats, TurnSummary,
};
pub use scorecard::{
    FieldScoreRow, Scorecard, SuiteScorecard, merge_scorecards, scorecard, scorecard_from_counts,
};
pub use timeline::{MAX_POINTS, TimelinePoint, timeline};
pub use verdict::{NotDelivered, RunStatus, VerdictRecord};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The schema version written to `run.json`; readers refuse any other.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ResultError {
    #[error("run.json is not valid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("run.json has schema_version {found}; this convoy reads version {SCHEMA_VERSION}")]
    Version { found: u32 },
    #[error("a latency histogram in run.json cannot be decoded: {0}")]
    Histogram(String),
}

/// A finished (or interrupted) run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub schema_version: u32,
    pub run_id: String,
    /// The single suite's name, or `run` for several.
    pub name: String,
    /// UTC, RFC 3339.
    pub started_at: String,
    pub elapsed_us: u64,
    pub interrupted: bool,
    /// `--fail-fast` stopped the run at its first failed or errored conversation: the
    /// ones not yet started never ran. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped_early: bool,
    pub config: RunConfig,
    /// In plan order (suite file order, then conversation order).
    pub conversations: Vec<ConversationRecord>,
    pub counters: Counters,
    pub latency: LatencyRecords,
    /// Per second from the run's start (at most [`MAX_POINTS`] points). Absent from
    /// older run.json files, hence the default.
    #[serde(default)]
    pub timeline: Vec<TimelinePoint>,
    /// The extraction scorecard, per field key, overall and per suite (functional runs).
    #[serde(default)]
    pub scorecard: Scorecard,
    /// Each conversation over its runs (`repeat:`), in plan order (functional runs).
    #[serde(default)]
    pub pass_rates: Vec<PassRate>,
    /// Every threshold of the run, in the order given (flags, then suite files).
    #[serde(default)]
    pub thresholds: Vec<ThresholdResult>,
    /// Load runs only: sessions, intended-start latency, per-conversation pass rates.
    /// `conversations` then holds only a few failed sample iterations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadSection>,
    /// Runs with personas only: per persona and overall, success and turns to completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personas: Option<PersonaSection>,
    /// The suites' `summary:` checks of Generate Form Summary, in plan order; absent when
    /// no suite has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_summaries: Vec<FormSummaryRecord>,
}

/// A threshold as evaluated on this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdResult {
    /// As written, e.g. `send.p95<2s`.
    pub expression: String,
    /// `--threshold`, or the suite's `file:line` where it is written.
    pub source: String,
    /// The observed value for people (`812.345 ms`, `0.9833`); `None` with no samples.
    pub observed: Option<String>,
    pub passed: bool,
    /// Why it failed without a comparison (e.g. `no samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictName {
    Passed,
    Failed,
    Errored,
}

impl VerdictName {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictName::Passed => "passed",
            VerdictName::Failed => "failed",
            VerdictName::Errored => "errored",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationName {
    Create,
    Send,
    /// Generate Form Summary (a suite's `summary:` check).
    Summary,
}

impl OperationName {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationName::Create => "create",
            OperationName::Send => "send",
            OperationName::Summary => "summary",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    pub suite: String,
    pub suite_file: String,
    pub line: usize,
    pub column: usize,
    pub conversation: String,
    pub verdict: VerdictName,
    pub session_id: Option<String>,
    /// When the conversation started, from the start of the run.
    pub start_offset_us: u64,
    /// 0 for the first conversation to finish: the order of the streamed `turns.csv`.
    pub finish_seq: usize,
    pub planned_turns: usize,
    pub turns: Vec<TurnRecord>,
    pub final_failures: Vec<FailureRecord>,
    /// 1-based run of the conversation (`repeat:`); 1 in older files.
    #[serde(default = "one")]
    pub iteration: u32,
    /// How many runs the conversation has in all.
    #[serde(default = "one")]
    pub repeat: u32,
    /// The share of runs that must pass.
    #[serde(default = "full")]
    pub min_pass_rate: f64,
    /// Only a summary was kept to bound the run's memory: no chunks, failure texts
    /// shortened (counts, timings and marks are whole). Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summarized: bool,
    /// Cut short at the end of a load run's grace period (its rows in turns.csv read
    /// `aborted`). Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aborted: bool,
    /// A persona's conversation: how it ended, user turns, re-asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<PersonaRecord>,
    /// The conversation's `tags:` (absent when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// How a persona's conversation went (see the suite format's personas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonaRecord {
    /// `submitted`, `over budget` or `stuck`.
    pub ending: String,
    pub turns: u32,
    pub re_asks: u32,
}

fn one() -> u32 {
    1
}

fn full() -> f64 {
    1.0
}

/// How one field fared in one response (see [`Scorecard`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkName {
    Correct,
    Wrong,
    Missed,
    Unexpected,
}

/// A field key of one response and its [`MarkName`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldMarkRecord {
    pub field: String,
    pub mark: MarkName,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// 0 for the create, then 1-based user turns.
    pub turn: usize,
    pub operation: OperationName,
    pub user: Option<String>,
    /// When the request was sent, from the start of the run.
    pub start_offset_us: u64,
    pub latency_us: u64,
    /// Retries the client made (`--retries`) and their time, included in `latency_us`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retry_time_us: u64,
    /// Time to the first chunk of a streamed turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttfc_us: Option<u64>,
    /// When each message of a streamed turn arrived (END_OF_RESPONSE included, so one
    /// more than `chunks`), from the start of the attempt that produced it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arrivals_us: Vec<u64>,
    /// When END_OF_RESPONSE arrived, on the same clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eor_us: Option<u64>,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// The HTTP version of the response, `HTTP/1.1` or `HTTP/2`; absent when the request
    /// failed, and in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    pub chunks: Vec<ChunkRecord>,
    pub error: Option<ErrorRecord>,
    pub failures: Vec<FailureRecord>,
    /// The scorecard marks of this response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMarkRecord>,
    /// A persona's turn: why the simulated user said what it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A received chunk: its type and, for chunks that carry one, its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRecord {
    pub class: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailureRecord {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub subject: String,
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    pub conversations: u64,
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    pub requests: u64,
    /// Failed expectations (not requests).
    pub failures: u64,
    /// Transport and HTTP errors by class name (`timeout`, `http_503`, …).
    pub errors_by_class: BTreeMap<String, u64>,
    /// Retries made by the client (`--retries`), counted apart from requests, and the time
    /// they took (backoff included).
    #[serde(default)]
    pub retries: u64,
    #[serde(default)]
    pub retry_time_us: u64,
}

impl RunResult {
    /// Pretty JSON with a trailing newline: `run.json`, the model followed by its
    /// derived `verdict`.
    pub fn to_json(&self) -> Result<String, ResultError> {
        #[derive(Serialize)]
        struct Written<'a> {
            #[serde(flatten)]
            result: &'a RunResult,
            verdict: VerdictRecord,
        }
        let written = Written {
            result: self,
            verdict: self.verdict_record(),
        };
        let mut text = serde_json::to_string_pretty(&written)?;
        text.push('\n');
        Ok(text)
    }

    /// Parses `run.json`, refusing other schema versions before reading the rest.
    pub fn from_json(text: &str) -> Result<RunResult, ResultError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            schema_version: u32,
        }
        let version: VersionOnly = serde_json::from_str(text)?;
        if version.schema_version != SCHEMA_VERSION {
            return Err(ResultError::Version {
                found: version.schema_version,
            });
        }
        let mut result: RunResult = serde_json::from_str(text)?;
        // Older files kept the gaps of load runs in `load.gaps`; they live with the other
        // streaming figures now, so every reader finds them in one place.
        if let Some(load) = &mut result.load {
            if result.latency.gaps.is_empty() {
                result.latency.gaps = std::mem::take(&mut load.gaps);
            }
            load.gaps.clear();
        }
        Ok(result)
    }

    /// Conversations in the order they finished: the row order of `turns.csv`.
    pub fn in_finish_order(&self) -> Vec<&ConversationRecord> {
        let mut records: Vec<&ConversationRecord> = self.conversations.iter().collect();
        records.sort_by_key(|r| r.finish_seq);
        records
    }

    /// Errored when every conversation errored; failed when a conversation is below its
    /// `min_pass_rate` (without pass rates: any failed or errored run), a `summary:`
    /// check did not pass, a threshold did not hold, or the load was not delivered (see [`RunResult::load_not_delivered`]);
    /// else passed.
    pub fn verdict(&self) -> VerdictName {
        let below = self.conversations_fail();
        if self.counters.errored > 0 && self.counters.errored == self.counters.conversations {
            VerdictName::Errored
        } else if below
            || self.form_summaries_failed() > 0
            || self.thresholds.iter().any(|t| !t.passed)
            || self.load_not_delivered().is_some()
        {
            VerdictName::Failed
        } else {
            VerdictName::Passed
        }
    }

    /// True when a conversation is below its `min_pass_rate` (without pass rates: when
    /// any run of one failed or errored).
    pub(crate) fn conversations_fail(&self) -> bool {
        if self.pass_rates.is_empty() {
            self.counters.failed > 0 || self.counters.errored > 0
        } else {
            self.pass_rates
                .iter()
                .any(|p| p.verdict != VerdictName::Passed)
        }
    }
}
