//! One session of a load run: picks up its pacing, records every request into the
//! worker's shard as it completes, and hands the finished result to the controller.

use crate::api::client::Client;
use crate::metrics::{SessionEnd, ShardedRecorder};
use crate::runner::functional::ConversationTiming;
use crate::runner::load::rng::Rng;
use crate::runner::measure::{record_marks, record_session_end, request_sample};
use crate::runner::outcome::{ConversationResult, TurnOutcome};
use crate::runner::plan::Plan;
use crate::runner::session::{Pacing, RequestTiming, run_conversation_into, start_result};
use crate::suite::DurationRange;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// A finished session on its way to the controller.
pub(crate) struct Finished {
    pub conversation: usize,
    pub result: ConversationResult,
    pub timing: ConversationTiming,
}

/// What every worker of a run shares (read-only but for the recorder's shards).
pub(crate) struct Shared {
    pub plan: Arc<Plan>,
    /// One client (connection pool) per worker runtime.
    pub clients: Vec<Client>,
    /// The worker runtimes sessions are spawned on; worker `w` records into shard `w`.
    pub workers: Vec<tokio::runtime::Handle>,
    pub recorder: ShardedRecorder,
    /// Running sums of conversation weights, for the weighted mix.
    pub cumulative_weights: Vec<f64>,
    /// First turn key of each conversation (its create); turn `t` is `offset + t`.
    pub turn_offsets: Vec<usize>,
    pub think: Option<DurationRange>,
    pub started: Instant,
    pub warmup_end: Instant,
    pub stop: watch::Receiver<bool>,
    /// Set at the end of the grace period: sessions still running stop where they are
    /// and hand over what they did (see [`run_session`]).
    pub abort: watch::Sender<bool>,
    pub finished: mpsc::Sender<Finished>,
    pub seed: u64,
}

impl Shared {
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// The worker that runs session or user number `index`, and its runtime.
    pub fn worker(&self, index: usize) -> (usize, &tokio::runtime::Handle) {
        let worker = index % self.workers.len();
        (worker, &self.workers[worker])
    }
}

/// Runs conversation `conversation` once on worker `worker` (its client and its shard).
pub(crate) async fn run_session(
    shared: &Shared,
    worker: usize,
    conversation: usize,
    intended_start: Option<Instant>,
    rng: &mut Rng,
) {
    let start_lag = intended_start
        .map(|intended| Instant::now().saturating_duration_since(intended))
        .filter(|lag| *lag > crate::runner::load::open::LATE_AFTER);
    shared.recorder.shard(worker).session_started(start_lag);
    let planned = &shared.plan.conversations[conversation];
    let key_base = shared.turn_offsets[conversation];
    let warmup_end = shared.warmup_end;
    let recorder = &shared.recorder;
    let mut hook = |outcome: &TurnOutcome, timing: &RequestTiming| {
        let headline = Instant::now() >= warmup_end;
        let sample = request_sample(
            outcome,
            key_base + outcome.turn,
            timing.intended_latency,
            headline,
        );
        let mut shard = recorder.shard(worker);
        shard.record_request(&sample);
        record_marks(&mut shard, conversation, outcome);
        // Released first: the per-turn figures may live in another shard.
        drop(shard);
        recorder.record_per_turn(&sample);
    };
    let start_offset = shared.started.elapsed();
    let mut pacing = Pacing {
        intended_start,
        think: shared.think.unwrap_or(planned.suite.defaults.think_time),
        rng: Some(rng),
        on_request: Some(&mut hook),
        live: shared.plan.live.as_deref(),
    };
    let client = &shared.clients[worker % shared.clients.len()];
    let mut result = start_result(planned);
    let mut abort = shared.abort.subscribe();
    // Dropping the conversation's future at the abort keeps every answered request in
    // `result`, so turns.csv still gets a row for each.
    let aborted = tokio::select! {
        () = run_conversation_into(client, planned, &mut pacing, &mut result) => false,
        _ = abort.wait_for(|aborted| *aborted) => true,
    };
    result.aborted = aborted;
    if result.aborted {
        shared
            .recorder
            .shard(worker)
            .session_ended(SessionEnd::Aborted);
    } else {
        record_session_end(&mut shared.recorder.shard(worker), conversation, &result);
    }
    let finished = Finished {
        conversation,
        result,
        timing: ConversationTiming {
            start_offset,
            finish_seq: 0,
        },
    };
    // The controller only stops listening after every session ended or was aborted.
    let _ = shared.finished.send(finished).await;
}

/// Waits `duration`, or less if the run is stopping; true when it is stopping.
pub(crate) async fn pause_unless_stopping(
    stop: &mut watch::Receiver<bool>,
    duration: Duration,
) -> bool {
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}
