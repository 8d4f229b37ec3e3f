//! Functional mode: every planned conversation `repeat` times (once by default), at most
//! `concurrency` at a time, results returned in plan order (then iteration order)
//! whatever order they finished in.
//!
//! Each finished conversation is also handed to a sink at once (the CLI streams
//! `turns.csv` from it), so per-turn rows reach disk while the run goes on, and recorded
//! into the run's [`Recorder`] as a load run's requests are. Then only a
//! bounded number of results keep their transcript ([`crate::runner::retention`]), so
//! a run's memory does not grow with its chunks. Under `--fail-fast`, no conversation
//! starts after the first failed or errored one; those in flight finish.

use crate::api::client::Client;
use crate::metrics::Recorder;
use crate::runner::measure::{TurnKeys, record_conversation};
use crate::runner::outcome::{ConversationResult, Verdict};
use crate::runner::plan::Plan;
use crate::runner::retention::Keeper;
use crate::runner::session::{Pacing, run_conversation};
use futures_util::StreamExt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// When a conversation ran, relative to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConversationTiming {
    /// From the start of the run to the conversation's first request.
    pub start_offset: Duration,
    /// 0 for the first conversation to finish, and so on.
    pub finish_seq: usize,
}

/// Called once per conversation, as it finishes (in finish order, not plan order).
pub type ConversationSink<'a> = dyn FnMut(&ConversationResult, &ConversationTiming) + 'a;

/// What a functional run produced, in plan order.
#[derive(Debug)]
pub struct FunctionalOutcome {
    /// Every finished conversation; only `plan.retention` of them with their chunks.
    pub results: Vec<ConversationResult>,
    /// Every request, session and mark, recorded as each conversation finished (before
    /// its transcript could be summarized), under `keys`.
    pub metrics: Recorder,
    pub keys: TurnKeys,
    /// `timings[i]` belongs to `results[i]`.
    pub timings: Vec<ConversationTiming>,
    /// True when `stop` fired before every conversation finished.
    pub interrupted: bool,
    /// True when `--fail-fast` kept conversations from starting after a failure.
    pub stopped_early: bool,
}

/// Runs every conversation of `plan`; when `stop` completes, conversations not yet
/// finished are abandoned and the ones that finished are still returned.
pub async fn run_functional(
    plan: &Plan,
    client: &Client,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
) -> FunctionalOutcome {
    let started = Instant::now();
    // Every iteration is its own session; iterations of one conversation run as
    // concurrently as different conversations do.
    let runs = plan
        .conversations
        .iter()
        .enumerate()
        .flat_map(|(index, planned)| {
            (1..=planned.repeat).map(move |iteration| (index, iteration, planned))
        });
    let mut finished: Vec<((usize, u32), ConversationResult, ConversationTiming)> =
        Vec::with_capacity(plan.conversations.len());
    // Set at the first failure under --fail-fast: a conversation not yet started then
    // never starts; those in flight finish, so every session that began is reported.
    let failed = &AtomicBool::new(false);
    let mut pending = futures_util::stream::iter(runs)
        .map(|(index, iteration, planned)| async move {
            if failed.load(Ordering::Relaxed) {
                return None;
            }
            // Measured when the stream first polls it: that is when it really starts.
            let start_offset = started.elapsed();
            let mut pacing = Pacing {
                live: plan.live.as_deref(),
                ..Pacing::none()
            };
            let mut result = run_conversation(client, planned, &mut pacing).await;
            result.iteration = iteration;
            result.repeat = planned.repeat;
            Some(((index, iteration), start_offset, result))
        })
        .buffer_unordered(plan.concurrency);
    tokio::pin!(stop);
    let mut keeper = Keeper::new(plan.retention);
    let keys = TurnKeys::of_plan(plan);
    let mut metrics = Recorder::new(keys.keys.len(), plan.timeout);
    let mut interrupted = false;
    let mut stopped_early = false;
    loop {
        tokio::select! {
            next = pending.next() => match next {
                Some(None) => stopped_early = true,
                Some(Some((index, start_offset, mut result))) => {
                    if plan.fail_fast && result.verdict() != Verdict::Passed {
                        failed.store(true, Ordering::Relaxed);
                    }
                    let timing = ConversationTiming { start_offset, finish_seq: finished.len() };
                    // The sink (turns.csv) sees the whole result; what stays is bounded.
                    sink(&result, &timing);
                    record_conversation(&mut metrics, &keys, index.0, &result);
                    keeper.apply(&mut result);
                    finished.push((index, result, timing));
                }
                None => break,
            },
            () = &mut stop => {
                interrupted = true;
                break;
            }
        }
    }
    // Reports must not depend on which conversation happened to finish first.
    finished.sort_by_key(|(index, _, _)| *index);
    let (results, timings) = finished.into_iter().map(|(_, r, t)| (r, t)).unzip();
    FunctionalOutcome {
        results,
        metrics,
        keys,
        timings,
        interrupted,
        stopped_early,
    }
}
