//! `convoy merge`: combines the `run.json` of every shard of a sharded load run
//! (`--shard i/N`) into the one [`RunResult`] a single machine would have produced.
//!
//! Exact where it can be: counters and verdict counts add, latency histograms are HDR
//! added (so merged percentiles are true percentiles), time series add per wall-clock
//! second. Before anything is combined, [`check`] makes sure the files are the N
//! distinct shards of one run with one configuration; `combine` adds them up. Pure:
//! reads results, writes nothing; thresholds are evaluated again on the merged result.

mod check;
mod combine;

use crate::report::result::RunResult;
use crate::report::result::ThresholdResult;
use crate::report::threshold::{ThresholdSpec, evaluate};

/// Why shards cannot be merged. Each names the file and what differs.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    #[error("nothing to merge: give the run.json of every shard")]
    Empty,
    #[error(
        "{file} is not a shard of a sharded load run: only load runs started with `--shard INDEX/COUNT --run-id ID` (or `--shards N`) can be merged"
    )]
    NotAShard { file: String },
    #[error("{file} is already a merged result: merge the shards' own run.json files")]
    AlreadyMerged { file: String },
    #[error(
        "{file} belongs to run `{found}`, but {first} to run `{expected}`: all shards of a run share one --run-id"
    )]
    OtherRun {
        file: String,
        first: String,
        found: String,
        expected: String,
    },
    #[error(
        "{file} differs from {first} in {field} (`{found}` vs `{expected}`): the shards of one run must run the same configuration"
    )]
    Differs {
        file: String,
        first: String,
        field: &'static str,
        found: String,
        expected: String,
    },
    #[error("shard {index}/{count} is given twice: {file} and {other}")]
    Duplicate {
        index: u32,
        count: u32,
        file: String,
        other: String,
    },
    #[error(
        "shard(s) {missing} of {count} missing: merge the run.json of all {count} shards (a partial merge would under-count the run)"
    )]
    Missing { missing: String, count: u32 },
    #[error("{file} has a start time that cannot be read: `{started_at}`")]
    StartedAt { file: String, started_at: String },
    #[error("cannot merge the latency histograms of {file}: {reason}")]
    Histogram { file: String, reason: String },
}

/// A shard's result and the name of the file it came from (for messages).
#[derive(Debug, Clone)]
pub struct ShardFile {
    pub label: String,
    pub result: RunResult,
}

/// Merges the shards of one run and evaluates the shards' thresholds on the merge.
pub fn merge(shards: Vec<ShardFile>) -> Result<RunResult, MergeError> {
    let mut shards = shards;
    check::check(&shards)?;
    shards.sort_by_key(|s| {
        s.result
            .load
            .as_ref()
            .and_then(|l| l.shard.as_ref())
            .map(|s| s.index)
    });
    let mut merged = combine::combine(&shards)?;
    merged.thresholds = merged
        .thresholds
        .iter()
        .map(|stored| reevaluate(&merged, stored))
        .collect();
    Ok(merged)
}

/// A stored threshold, evaluated on the merged result. One that this convoy cannot
/// parse any more fails rather than keeping a shard's (partial) verdict.
fn reevaluate(merged: &RunResult, stored: &ThresholdResult) -> ThresholdResult {
    match crate::common::threshold::parse(&stored.expression) {
        Ok(threshold) => evaluate(
            merged,
            &ThresholdSpec {
                threshold,
                source: stored.source.clone(),
            },
        ),
        Err(_) => ThresholdResult {
            observed: None,
            passed: false,
            reason: Some("this convoy cannot parse the expression".into()),
            ..stored.clone()
        },
    }
}

#[cfg(test)]
mod tests;
