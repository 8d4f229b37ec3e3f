//! The runner: turns a validated [`Plan`] into sessions, sends them through the
//! [`Client`](crate::api::client::Client), and evaluates every expectation.
//!
//! It owns execution and verdicts; it never prints (the CLI does) and never parses suites.

mod call;
pub mod describe;
pub mod evaluate;
mod evaluate_prompt;
pub mod functional;
pub mod load;
pub mod outcome;
pub mod plan;
pub mod retention;
pub mod scorecard;
pub mod session;

pub use functional::{ConversationSink, ConversationTiming, FunctionalOutcome};
pub use outcome::{
    ConversationResult, Failure, FieldMark, FieldScore, Operation, TurnError, TurnOutcome, Verdict,
};
pub use plan::{Endpoint, Plan, PlanError, RunOptions, TargetKind, build_plan};
pub use retention::Retention;

use crate::api::client::{Client, ClientConfig};
use crate::mock::{MockConfig, MockHandle};
use std::future::Future;
use std::time::{Duration, Instant};

/// A finished (or interrupted) run, ready for the reports.
#[derive(Debug)]
pub struct RunOutcome {
    /// Every conversation that finished; beyond the plan's [`Retention`], summarized.
    pub results: Vec<ConversationResult>,
    /// `timings[i]` belongs to `results[i]`.
    pub timings: Vec<ConversationTiming>,
    pub interrupted: bool,
    pub elapsed: Duration,
    /// The base URL requests went to (the embedded mock's when it was used).
    pub base_url: String,
    pub embedded_mock: bool,
    /// What a load run measured; `None` for a functional run (whose results are above).
    pub load: Option<load::LoadOutcome>,
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
/// outcome so far: empty, but with the target (the embedded mock's address is only
/// known once it listens), so the CLI can name it before a long run rather than after.
pub async fn execute_announced(
    plan: &Plan,
    stop: impl Future<Output = ()>,
    sink: &mut ConversationSink<'_>,
    progress: &mut load::ProgressHook<'_>,
    announce: &mut dyn FnMut(&RunOutcome),
) -> Result<RunOutcome, RunError> {
    let (base_url, auth, mock) = match &plan.endpoint {
        Endpoint::EmbeddedMock => {
            let config = MockConfig {
                stream_format: plan.stream_format,
                latency: plan.mock_latency,
                faults: plan.mock_faults.clone(),
                seed: plan.mock_seed,
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
        ..ClientConfig::default()
    };
    let client = Client::new(config).map_err(|e| RunError::Client(e.to_string()))?;
    let mut outcome = RunOutcome {
        results: Vec::new(),
        timings: Vec::new(),
        interrupted: false,
        elapsed: Duration::ZERO,
        base_url,
        embedded_mock: matches!(plan.endpoint, Endpoint::EmbeddedMock),
        load: None,
    };
    announce(&outcome);
    let started = Instant::now();
    match &plan.load {
        Some(spec) => {
            let measured = load::run_load(plan, &client, spec, stop, sink, progress).await;
            outcome.interrupted = measured.interrupted;
            outcome.load = Some(measured);
        }
        None => {
            let functional = functional::run_functional(plan, &client, stop, sink).await;
            outcome.results = functional.results;
            outcome.timings = functional.timings;
            outcome.interrupted = functional.interrupted;
        }
    }
    outcome.elapsed = started.elapsed();
    shutdown(mock).await;
    Ok(outcome)
}

async fn shutdown(mock: Option<MockHandle>) {
    if let Some(mock) = mock {
        // The run is over: a mock that fails to stop cleanly changes no result.
        let _ = mock.shutdown().await;
    }
}
