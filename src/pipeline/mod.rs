//! The pipeline of a run, as a library: plan → execution → one [`RunResult`], the entry
//! point `convoy run` uses and that tests or other programs call ([`run`]).
//!
//! - [`build`]: the one builder of a result from a run's outcome, functional or load.
//! - [`records`]: runner outcomes copied into run.json's records (also the streamed
//!   `turns.csv` rows).
//! - [`measures`]: the run's recorder as counters, latency rows and the load section.
//!
//! It joins `runner` (which executes and measures) and `report` (which renders results):
//! `report` never sees a runner type, and the runner never renders. It prints nothing and
//! writes no file; the caller's sinks see the run as it goes.

pub mod build;
mod measures;
pub mod output;
pub mod records;

pub use build::{RunConfigInfo, build_result};
pub use records::conversation_record;

use crate::report::result::{ResultError, RunResult, ShardInfo};
use crate::report::threshold::{ThresholdSpec, apply_thresholds};
use crate::runner::load::{Progress, ProgressHook};
use crate::runner::{Announced, ConversationResult, ConversationSink, ConversationTiming, Plan};
use std::future::Future;

/// What the caller sees while a run goes on. Every sink is optional
/// ([`Sinks::default`] sees nothing).
#[derive(Default)]
pub struct Sinks<'a> {
    /// Once, before the first request: where requests go.
    pub announce: Option<&'a mut dyn FnMut(&Announced<'_>)>,
    /// Each conversation as it finishes (whole, before a large run summarizes it): the
    /// streamed `turns.csv` is written from it.
    pub conversation: Option<&'a mut ConversationSink<'a>>,
    /// Once a second during a load run.
    pub progress: Option<&'a mut ProgressHook<'a>>,
}

/// How the finished run is judged besides its expectations, and what it is part of.
#[derive(Debug, Clone, Default)]
pub struct Judging {
    /// Flags first, then each suite's `thresholds:`.
    pub thresholds: Vec<ThresholdSpec>,
    /// `--shard i/N`: recorded in the load section for `convoy merge`.
    pub shard: Option<ShardInfo>,
}

/// Why a run produced no result at all.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Run(#[from] crate::runner::RunError),
    #[error(transparent)]
    Result(#[from] ResultError),
}

/// Runs `plan` (functional or load) until it ends or `stop` completes, and returns its
/// result with thresholds evaluated: its [`RunResult::status`] is the run's verdict.
pub async fn run(
    plan: &Plan,
    info: &RunConfigInfo,
    judging: &Judging,
    stop: impl Future<Output = ()>,
    sinks: Sinks<'_>,
) -> Result<RunResult, PipelineError> {
    let Sinks {
        announce,
        conversation,
        progress,
    } = sinks;
    let mut no_announce = |_: &Announced<'_>| {};
    let mut no_conversation = |_: &ConversationResult, _: &ConversationTiming| {};
    let mut no_progress = |_: &Progress| {};
    let outcome = crate::runner::execute_announced(
        plan,
        stop,
        conversation.unwrap_or(&mut no_conversation),
        progress.unwrap_or(&mut no_progress),
        announce.unwrap_or(&mut no_announce),
    )
    .await?;
    let mut result = build_result(&outcome, info)?;
    if let Some(load) = &mut result.load {
        load.shard = judging.shard.clone();
    }
    apply_thresholds(&mut result, &judging.thresholds);
    Ok(result)
}
