//! The load engine: many concurrent sessions in a closed model (virtual users running
//! conversations back to back) or an open model (sessions arriving at a rate), with ramp
//! stages, think time, warm-up, and a graceful stop.
//!
//! Workers record each request into their shard of a [`ShardedRecorder`] the moment it
//! completes; a controller sweeps the shards once a second for the time series and the
//! progress callback, and receives each finished session (one message per session, not
//! per request) for the turns sink and the per-conversation tallies. Nothing per request
//! is kept for the whole run.
//!
//! - `controller`: runs the load, sweeps the shards, collects finished sessions.
//! - `closed` and `open`: the two models' drivers; [`schedule`]: ramp shapes and
//!   arrival times; `workers`: the worker runtimes.
//! - `session_task`: one session on a worker, recording as it goes.
//! - [`tally`]: verdict counts and sample failures per conversation.
//! - [`shard`]: the slice of a load a shard runs (`--shard i/N`); [`rng`]: seeded
//!   picks, think times and arrivals.
//!
//! [`ShardedRecorder`]: crate::metrics::ShardedRecorder

mod closed;
mod controller;
mod open;
pub mod rng;
pub mod schedule;
mod session_task;
pub mod shard;
pub mod tally;
mod workers;

pub use controller::run_load;
pub use schedule::{Arrival, Shape};
pub use tally::ConversationTally;

use crate::metrics::{Recorder, TimelinePoint};
use crate::runner::measure::TurnKeys;
use crate::suite::DurationRange;
use std::time::Duration;

/// How sessions are started.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadModel {
    /// `--vus N` (or a ramp of VUs): each virtual user runs conversations back to back.
    Closed { vus: Shape },
    /// `--rate R/s` (or a ramp of rates): sessions arrive on a schedule, whatever the
    /// service does; at most `max_sessions` run at once and the rest wait (late).
    Open {
        rate: Shape,
        arrival: Arrival,
        max_sessions: usize,
    },
}

/// A validated load run.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSpec {
    pub model: LoadModel,
    /// No new session starts after this; `None` when only `iterations` or a ramp bounds it.
    pub duration: Option<Duration>,
    /// At most this many sessions (iterations) in total.
    pub iterations: Option<u64>,
    /// Requests completing before this are left out of the headline figures.
    pub warmup: Duration,
    /// `--think`: overrides the suites' `think_time`.
    pub think: Option<DurationRange>,
    /// After the stop, how long sessions in flight may take to finish.
    pub grace: Duration,
    pub seed: u64,
    /// In [0, 1): shifts the open model's arrivals (so shards interleave).
    pub phase: f64,
    /// `--workers`: worker threads; `None` for one per available CPU.
    pub workers: Option<usize>,
}

impl LoadSpec {
    /// When new sessions stop: `duration`, else the end of the ramp, else `None`.
    pub fn horizon(&self) -> Option<Duration> {
        let shape = match &self.model {
            LoadModel::Closed { vus } => vus,
            LoadModel::Open { rate, .. } => rate,
        };
        self.duration
            .or_else(|| (!shape.stages.is_empty()).then(|| shape.length()))
    }

    /// Whether the run has any bound at all (a run must end by itself).
    pub fn is_bounded(&self) -> bool {
        self.horizon().is_some() || self.iterations.is_some()
    }
}

/// A snapshot for live progress, once a second.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    pub elapsed: Duration,
    pub remaining: Option<Duration>,
    pub active_sessions: u64,
    pub sessions_completed: u64,
    pub sessions_passed: u64,
    pub requests: u64,
    pub errors: u64,
    /// Requests completed in the last second.
    pub requests_per_second: u64,
    /// Over the run so far (time-series precision, ~1%).
    pub p50_us: u64,
    pub p95_us: u64,
    /// True once the stop was requested and sessions are finishing.
    pub stopping: bool,
}

/// Called once a second with the run's progress.
pub type ProgressHook<'a> = dyn FnMut(&Progress) + 'a;

/// Everything a load run measured.
#[derive(Debug)]
pub struct LoadOutcome {
    /// All shards merged.
    pub metrics: Recorder,
    pub timeline: Vec<TimelinePoint>,
    /// Per planned conversation, in plan order.
    pub tallies: Vec<ConversationTally>,
    /// Which conversation each tally is, and the turn keys of `metrics`.
    pub keys: TurnKeys,
    pub interrupted: bool,
    pub elapsed: Duration,
    pub warmup: Duration,
    /// Worker threads the run used (`--workers`, else one per available CPU).
    pub workers: usize,
}
