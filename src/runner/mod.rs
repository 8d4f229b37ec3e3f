//! The runner: turns a validated [`Plan`] into sessions, sends them through the
//! [`Client`](crate::api::client::Client), evaluates every expectation, and measures
//! every request into one [`Recorder`] whatever the mode.
//!
//! It owns execution and verdicts; it never prints, renders or parses suites (the
//! `pipeline` turns its [`RunOutcome`] into a result).
//!
//! - [`plan`]: suites and options → the immutable [`Plan`].
//! - [`session`] (with `call`): one conversation, request by request, with pacing.
//! - [`evaluate`] (with `evaluate_prompt`), [`scorecard`], [`describe`]: expectations →
//!   failures and field marks, as data.
//! - [`outcome`]: what a conversation produced.
//! - [`functional`]: every conversation once (or `repeat` times), at a concurrency.
//! - [`load`]: the load engine (closed and open models).
//! - [`measure`]: the one mapping from outcomes to the recorder, and the turn keys.
//! - [`listing`]: a plan as the rows `convoy list` prints.
//! - [`retention`]: which transcripts a large run keeps whole.
//! - [`summary`] (with [`summary_form`]): the suites' `summary:` checks of Generate Form
//!   Summary, once per suite per run.

mod call;
pub mod describe;
pub mod evaluate;
mod evaluate_prompt;
pub mod functional;
pub mod listing;
pub mod load;
pub mod measure;
pub mod outcome;
pub mod persona;
pub mod plan;
pub mod planned;
pub mod retention;
pub mod scorecard;
pub mod session;
pub mod summary;
pub mod summary_form;

pub use functional::{ConversationSink, ConversationTiming, FunctionalOutcome};
pub use outcome::{
    ConversationResult, Failure, FieldMark, FieldScore, Operation, TurnError, TurnOutcome, Verdict,
};
pub use plan::{Endpoint, Plan, PlanError, RunOptions, TargetKind, build_plan};
pub use retention::Retention;

use crate::api::client::{Client, ClientConfig};
use crate::metrics::{Recorder, TimelinePoint};
use crate::mock::{MockConfig, MockHandle};
pub use measure::{ConversationName, TurnKeys};
use std::future::Future;
use std::time::{Duration, Instant};

/// A finished (or interrupted) run, functional or load, ready to become a
/// [`RunResult`](crate::report::RunResult): both modes measure into one [`Recorder`].
#[derive(Debug)]
pub struct RunOutcome {
    /// Functional runs: every conversation that finished (beyond the plan's
    /// [`Retention`], summarized). Load runs: the first few failed iterations of each
    /// conversation, whole, as samples.
    pub results: Vec<ConversationResult>,
    /// `timings[i]` belongs to `results[i]`.
    pub timings: Vec<ConversationTiming>,
    /// Every request, session and extraction mark of the run.
    pub metrics: Recorder,
    /// The conversations of the plan and the turn keys `metrics` is keyed by.
    pub keys: TurnKeys,
    pub interrupted: bool,
    /// `--fail-fast` stopped a functional run at its first failed or errored conversation.
    pub stopped_early: bool,
    pub elapsed: Duration,
    /// The base URL requests went to (the embedded mock's when it was used).
    pub base_url: String,
    pub embedded_mock: bool,
    /// What only a load run has; `None` for a functional run.
    pub load: Option<LoadMeasures>,
    /// The suites' `summary:` checks, in plan order (recorded in `metrics` as the
    /// `summary` operation).
    pub summaries: Vec<summary::SummaryOutcome>,
}

/// The parts of a load run a functional run does not have.
#[derive(Debug)]
pub struct LoadMeasures {
    /// Per second from the start of the run.
    pub timeline: Vec<TimelinePoint>,
    /// Verdict counts per planned conversation, in plan order (their samples are in
    /// [`RunOutcome::results`]).
    pub tallies: Vec<load::ConversationTally>,
    /// Requests completing before this were left out of the headline figures.
    pub warmup: Duration,
    /// Worker threads the run used.
    pub workers: usize,
}

impl RunOutcome {
    /// The outcome of a functional run that produced `results` (made without running
    /// one: tests, tools), recorded as [`functional::run_functional`] records them.
    pub fn from_results(
        results: Vec<ConversationResult>,
        timings: Vec<ConversationTiming>,
        highest: Duration,
    ) -> RunOutcome {
        let (metrics, keys) = measure::record_results(&results, highest);
        RunOutcome {
            results,
            timings,
            metrics,
            keys,
            interrupted: false,
            stopped_early: false,
            elapsed: Duration::ZERO,
            base_url: String::new(),
            embedded_mock: false,
            load: None,
            summaries: Vec::new(),
        }
    }
}

/// Why a run could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not start the embedded mock: {0}")]
    MockStart(std::io::Error),
    #[error("could not build the HTTP client: {0}")]
    Client(String),
}

/// Executes `plan`: starts the embedded mock when the plan asks for it, runs every
/// conversation, and stops early (keeping what finished) when `stop` completes. `sink`
/// sees each conversation as it finishes.
pub async fn execute(
    plan: &Plan,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
) -> Result<RunOutcome, RunError> {
    execute_with_progress(plan, stop, sink, &mut |_| {}).await
}

/// [`execute`], calling `progress` once a second during a load run.
pub async fn execute_with_progress(
    plan: &Plan,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
    progress: &mut load::ProgressHook<'_>,
) -> Result<RunOutcome, RunError> {
    execute_announced(plan, stop, sink, progress, &mut |_| {}).await
}

/// [`execute_with_progress`], calling `announce` once before the first request with the
/// target (the embedded mock's address is only known once it listens), so the CLI can
/// name it before a long run rather than after.
pub async fn execute_announced(
    plan: &Plan,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
    progress: &mut load::ProgressHook<'_>,
    announce: &mut dyn FnMut(&Announced<'_>),
) -> Result<RunOutcome, RunError> {
    let (base_url, auth, mock) = match &plan.endpoint {
        Endpoint::EmbeddedMock => {
            let config = MockConfig {
                stream_format: plan.stream_format,
                latency: plan.mock_latency,
                faults: plan.mock_faults.clone(),
                seed: plan.mock_seed,
                vary: plan.mock_vary,
                ..MockConfig::default()
            };
            let mock = crate::mock::spawn(plan.forms.clone(), config)
                .await
                .map_err(RunError::MockStart)?;
            (mock.base_url(), None, Some(mock))
        }
        Endpoint::Url { base_url, auth } => (base_url.clone(), auth.clone(), None),
    };
    let config = ClientConfig {
        base_url: base_url.clone(),
        auth,
        timeout: plan.timeout,
        retries: plan.retries,
        max_rps: plan.max_rps,
        limits: plan.limits,
        http: plan.http,
        trace: plan.trace.clone(),
        ..ClientConfig::default()
    };
    let client = Client::new(config).map_err(|e| RunError::Client(e.to_string()))?;
    announce(&Announced {
        base_url: &base_url,
        embedded_mock: mock.is_some(),
    });
    // Before the conversations, so that a load run's clock and rates are its own. A stop
    // during the checks (a hanging server) drops them, and the run then stops at once.
    let stop = futures_util::FutureExt::shared(stop);
    let summaries = tokio::select! {
        checked = summary::check_summaries(plan, &client) => checked,
        () = stop.clone() => Vec::new(),
    };
    let started = Instant::now();
    let mut outcome = match &plan.load {
        Some(spec) => {
            let measured = load::run_load(plan, &client, spec, stop, sink, progress).await;
            from_load(measured, base_url)
        }
        None => {
            let functional = functional::run_functional(plan, &client, stop, sink).await;
            RunOutcome {
                results: functional.results,
                timings: functional.timings,
                metrics: functional.metrics,
                keys: functional.keys,
                interrupted: functional.interrupted,
                stopped_early: functional.stopped_early,
                elapsed: Duration::ZERO,
                base_url,
                embedded_mock: false,
                load: None,
                summaries: Vec::new(),
            }
        }
    };
    for checked in &summaries {
        measure::record_summary(&mut outcome.metrics, checked);
    }
    outcome.summaries = summaries;
    outcome.embedded_mock = mock.is_some();
    outcome.elapsed = started.elapsed();
    shutdown(mock).await;
    Ok(outcome)
}

/// Where a run sends its requests, known once the embedded mock listens: announced
/// before the first request so a long run names its target first.
#[derive(Debug, Clone, Copy)]
pub struct Announced<'a> {
    pub base_url: &'a str,
    pub embedded_mock: bool,
}

/// The load engine's measures as a run outcome: the tallies' samples become the results.
fn from_load(mut measured: load::LoadOutcome, base_url: String) -> RunOutcome {
    let (results, timings) = measured
        .tallies
        .iter_mut()
        .flat_map(|tally| std::mem::take(&mut tally.samples))
        .unzip();
    RunOutcome {
        results,
        timings,
        metrics: measured.metrics,
        keys: measured.keys,
        interrupted: measured.interrupted,
        stopped_early: false,
        elapsed: measured.elapsed,
        base_url,
        embedded_mock: false,
        load: Some(LoadMeasures {
            timeline: measured.timeline,
            tallies: measured.tallies,
            warmup: measured.warmup,
            workers: measured.workers,
        }),
        summaries: Vec::new(),
    }
}

async fn shutdown(mock: Option<MockHandle>) {
    if let Some(mock) = mock {
        // The run is over: a mock that fails to stop cleanly changes no result.
        let _ = mock.shutdown().await;
    }
}
