//! What only a load run's [`RunResult`](super::RunResult) has: sessions started, aborted,
//! late and dropped, latency from the intended start, start lag, verdict counts per
//! conversation, and the shard it is (a load run keeps nothing per request: a few whole
//! sample iterations that failed are in the result's conversations). Plain data.

use super::{LatencyRecord, Summary};
use serde::{Deserialize, Serialize};

/// Failed or errored iterations a load run keeps whole per conversation, as samples for
/// the reports (and at most this many survive `convoy merge`).
pub const SAMPLES_PER_CONVERSATION: usize = 3;

/// What only a load run has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadSection {
    pub sessions_started: u64,
    /// Cut short at the end of the grace period.
    pub sessions_aborted: u64,
    /// Open model: started more than 10 ms after their intended time.
    pub late: u64,
    /// Open model: could not start before the run ended.
    pub dropped: u64,
    /// Requests completing in the warm-up are left out of the latency figures.
    pub warmup_us: u64,
    /// Worker threads that ran the sessions (`--workers`, else one per available CPU);
    /// summed over the shards of a merged run. 0 in older files.
    #[serde(default)]
    pub workers: u64,
    /// Latency from the intended start, per operation (equal to the service time in the
    /// closed model, where nothing is scheduled).
    pub intended: Vec<LatencyRecord>,
    /// The same per conversation × turn, in plan order (absent from older run.json
    /// files).
    #[serde(default)]
    pub intended_turns: Vec<LatencyRecord>,
    /// Only read, from older run.json files: [`RunResult::from_json`](super::RunResult::from_json) moves these gaps
    /// into `latency.gaps`, where every run keeps them now. Never written.
    #[serde(default, skip_serializing)]
    pub gaps: Vec<LatencyRecord>,
    /// How late the late sessions started.
    pub start_lag: Summary,
    pub per_conversation: Vec<ConversationStats>,
    /// Sharded runs only (`--shard i/N`): which shard, or that this is their merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// A shard of a run split over several processes (`--shard i/N`), or their merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// 0-based; 0 in a merged result.
    pub index: u32,
    pub count: u32,
    /// A hash of what every shard must agree on (the suites' conversations, the unsliced
    /// load flags, the thresholds): `convoy merge` refuses shards whose hashes differ.
    pub fingerprint: String,
    /// True in the result of `convoy merge` (which refuses to merge it again).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub merged: bool,
}

/// Verdict counts of one conversation over every iteration of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationStats {
    pub suite: String,
    pub suite_file: String,
    pub line: usize,
    pub conversation: String,
    pub runs: u64,
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
}
