//! The runner: turns a validated [`Plan`] into sessions, sends them through the
//! [`Client`](crate::api::client::Client), and evaluates every expectation.
//!
//! It owns execution and verdicts; it never prints (the CLI does) and never parses suites.

mod call;
pub mod describe;
pub mod evaluate;
pub mod functional;
pub mod outcome;
pub mod plan;
pub mod session;

pub use functional::{ConversationSink, ConversationTiming, FunctionalOutcome};
pub use outcome::{ConversationResult, Failure, Operation, TurnError, TurnOutcome, Verdict};
pub use plan::{Endpoint, Plan, PlanError, RunOptions, TargetKind, build_plan};

use crate::api::client::{Client, ClientConfig};
use crate::mock::{MockConfig, MockHandle};
use std::future::Future;
use std::time::{Duration, Instant};

/// A finished (or interrupted) run, ready for the reports.
#[derive(Debug)]
pub struct RunOutcome {
    pub results: Vec<ConversationResult>,
    /// `timings[i]` belongs to `results[i]`.
    pub timings: Vec<ConversationTiming>,
    pub interrupted: bool,
    pub elapsed: Duration,
    /// The base URL requests went to (the embedded mock's when it was used).
    pub base_url: String,
    pub embedded_mock: bool,
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
        ..ClientConfig::default()
    };
    let client = Client::new(config).map_err(|e| RunError::Client(e.to_string()))?;
    let started = Instant::now();
    let functional = functional::run_functional(plan, &client, stop, sink).await;
    let elapsed = started.elapsed();
    shutdown(mock).await;
    Ok(RunOutcome {
        results: functional.results,
        timings: functional.timings,
        interrupted: functional.interrupted,
        elapsed,
        base_url,
        embedded_mock: matches!(plan.endpoint, Endpoint::EmbeddedMock),
    })
}

async fn shutdown(mock: Option<MockHandle>) {
    if let Some(mock) = mock {
        // The run is over: a mock that fails to stop cleanly changes no result.
        let _ = mock.shutdown().await;
    }
}
