//! The controller of a load run: starts the driver of the chosen model, sweeps the
//! shards once a second (time series, progress), hands each finished session to the
//! sink and the tallies, and turns the stop signal or the horizon into a graceful stop.

use crate::api::client::Client;
use crate::metrics::{LatencyHistogram, SessionEnd, ShardedRecorder, TimelinePoint};
use crate::runner::functional::ConversationSink;
use crate::runner::load::session_task::{Finished, Shared};
use crate::runner::load::tally::ConversationTally;
use crate::runner::load::workers::{self, Workers};
use crate::runner::load::{LoadModel, LoadOutcome, LoadSpec, Progress, ProgressHook, closed, open};
use crate::runner::measure::TurnKeys;
use crate::runner::plan::Plan;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

const SWEEP: Duration = Duration::from_secs(1);
/// Finished sessions waiting for the controller; workers wait when it is full.
const FINISHED_QUEUE: usize = 1024;

/// Runs `plan` under `spec`. `stop` completing (Ctrl-C) stops new sessions and gives the
/// ones in flight `spec.grace` to finish; everything measured so far is returned.
pub async fn run_load(
    plan: &Plan,
    client: &Client,
    spec: &LoadSpec,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
    progress: &mut ProgressHook<'_>,
) -> LoadOutcome {
    let keys = TurnKeys::of_plan(plan);
    let highest = plan.timeout;
    // Threads that cannot be started leave the run on the caller's runtime, slower but whole.
    let count = spec.workers.unwrap_or_else(workers::default_count);
    let workers = Workers::start(count).unwrap_or_else(|_| Workers::current());
    let (stop_tx, stop_rx) = watch::channel(false);
    let (finished_tx, mut finished_rx) = mpsc::channel(FINISHED_QUEUE);
    let started = Instant::now();
    let shared = Arc::new(Shared {
        plan: Arc::new(plan.clone()),
        clients: workers.handles().iter().map(|_| client.fork()).collect(),
        workers: workers.handles().to_vec(),
        recorder: ShardedRecorder::new(workers.handles().len(), keys.keys.len(), highest),
        cumulative_weights: cumulative_weights(plan),
        turn_offsets: keys.offsets.clone(),
        think: spec.think,
        started,
        warmup_end: started + spec.warmup,
        stop: stop_rx,
        abort: watch::channel(false).0,
        finished: finished_tx,
        seed: spec.seed,
    });
    let mut driver = tokio::spawn(drive(Arc::clone(&shared), spec.clone()));
    let mut state = Sweeper::new(plan.conversations.len(), highest);
    let horizon = spec.horizon().map(|h| started + h);
    let mut ticker = tokio::time::interval_at((started + SWEEP).into(), SWEEP);
    tokio::pin!(stop);
    let mut interrupted = false;
    let aborted = loop {
        tokio::select! {
            Some(done) = finished_rx.recv() => state.finish(done, sink),
            _ = ticker.tick() => {
                let remaining = horizon.map(|h| h.saturating_duration_since(Instant::now()));
                progress(&state.sweep(&shared, remaining, *stop_tx.borrow()));
            }
            () = &mut stop, if !*stop_tx.borrow() => {
                interrupted = true;
                let _ = stop_tx.send(true);
            }
            () = sleep_until(horizon), if !*stop_tx.borrow() => { let _ = stop_tx.send(true); }
            joined = &mut driver => break joined.unwrap_or(0),
        }
    };
    while let Ok(done) = finished_rx.try_recv() {
        state.finish(done, sink);
    }
    drop(workers);
    {
        let mut shard = shared.recorder.shard(0);
        (0..aborted).for_each(|_| shard.session_ended(SessionEnd::Aborted));
    }
    state.sweep(&shared, None, true);
    LoadOutcome {
        metrics: shared.recorder.take_merged(keys.keys.len(), highest),
        timeline: state.timeline,
        tallies: state.tallies,
        keys,
        interrupted,
        elapsed: started.elapsed(),
        warmup: spec.warmup,
        workers: shared.workers.len(),
    }
}

async fn drive(shared: Arc<Shared>, spec: LoadSpec) -> u64 {
    let horizon = spec.horizon();
    match spec.model {
        LoadModel::Closed { vus } => closed::drive(shared, vus, spec.iterations, spec.grace).await,
        LoadModel::Open {
            rate,
            arrival,
            max_sessions,
        } => {
            let model = open::OpenModel {
                horizon,
                rate,
                arrival,
                max_sessions,
                iterations: spec.iterations,
                grace: spec.grace,
                phase: spec.phase,
            };
            open::drive(shared, model).await
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

/// How long sessions told to abort get to hand over what they did before their tasks
/// are cancelled outright (uncounted in turns.csv).
const HAND_OVER: Duration = Duration::from_secs(2);

/// Waits for every task, or, once the stop is set, for at most `grace`; then tells the
/// sessions still running to abort (each hands over its answered requests and counts
/// itself aborted), and cancels whatever has not ended [`HAND_OVER`] later. Returns how
/// many tasks were cancelled that way.
pub(crate) async fn drain(
    mut tasks: JoinSet<()>,
    stop: &mut watch::Receiver<bool>,
    abort: &watch::Sender<bool>,
    grace: Duration,
) -> u64 {
    while !*stop.borrow() {
        tokio::select! {
            joined = tasks.join_next() => if joined.is_none() { return 0 },
            changed = stop.changed() => if changed.is_err() { break },
        }
    }
    let deadline = tokio::time::sleep(grace);
    tokio::pin!(deadline);
    let mut told = false;
    loop {
        tokio::select! {
            joined = tasks.join_next() => if joined.is_none() { return 0 },
            () = &mut deadline => {
                if told {
                    let aborted = tasks.len() as u64;
                    tasks.abort_all();
                    while tasks.join_next().await.is_some() {}
                    return aborted;
                }
                told = true;
                let _ = abort.send(true);
                deadline.as_mut().reset(tokio::time::Instant::now() + HAND_OVER);
            }
        }
    }
}

/// The controller's own state: the time series so far, and the tallies.
struct Sweeper {
    timeline: Vec<TimelinePoint>,
    tallies: Vec<ConversationTally>,
    finished: usize,
    /// All intervals so far, for the progress percentiles.
    overall: LatencyHistogram,
    highest: Duration,
}

impl Sweeper {
    fn new(conversations: usize, highest: Duration) -> Sweeper {
        Sweeper {
            timeline: Vec::new(),
            tallies: vec![ConversationTally::default(); conversations],
            finished: 0,
            overall: LatencyHistogram::coarse(highest),
            highest,
        }
    }

    fn finish(&mut self, mut done: Finished, sink: &mut ConversationSink<'_>) {
        done.timing.finish_seq = self.finished;
        self.finished += 1;
        sink(&done.result, &done.timing);
        if let Some(tally) = self.tallies.get_mut(done.conversation) {
            tally.add(&done.result, &done.timing);
        }
    }

    fn sweep(&mut self, shared: &Shared, remaining: Option<Duration>, stopping: bool) -> Progress {
        let interval = shared.recorder.take_interval(self.highest);
        self.overall.merge(&interval.latency);
        let second = self.timeline.len() as u64;
        let point = TimelinePoint::from_interval(second, &interval);
        self.timeline.push(point);
        let totals = self
            .timeline
            .iter()
            .fold(TimelinePoint::default(), |acc, p| TimelinePoint {
                sessions_started: acc.sessions_started + p.sessions_started,
                sessions_completed: acc.sessions_completed + p.sessions_completed,
                requests: acc.requests + p.requests,
                errors: acc.errors + p.errors,
                ..acc
            });
        let passed = self.tallies.iter().map(|t| t.passed).sum();
        Progress {
            elapsed: shared.started.elapsed(),
            remaining,
            active_sessions: totals
                .sessions_started
                .saturating_sub(totals.sessions_completed),
            sessions_completed: totals.sessions_completed,
            sessions_passed: passed,
            requests: totals.requests,
            errors: totals.errors,
            requests_per_second: point.requests,
            p50_us: self.overall.quantile_us(0.50),
            p95_us: self.overall.quantile_us(0.95),
            stopping,
        }
    }
}

fn cumulative_weights(plan: &Plan) -> Vec<f64> {
    plan.conversations
        .iter()
        .scan(0.0, |sum, planned| {
            *sum += planned.weight();
            Some(*sum)
        })
        .collect()
}
