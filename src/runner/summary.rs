//! The suite-level `summary:` check: once per suite per run (functional and load runs
//! alike, before the conversations start), Generate Form Summary for the suite's form,
//! judged against the suite's [`SummaryExpect`].
//!
//! Owns calling and judging; results are data ([`SummaryOutcome`]). It must not print
//! nor record metrics (`measure` does, from the outcome).

use crate::api::client::Client;
use crate::common::format::cut;
use crate::runner::outcome::{Failure, TurnError, Verdict};
use crate::runner::plan::Plan;
use crate::runner::planned::PlannedConversation;
use crate::runner::summary_form::form_object;
use crate::suite::{Loc, SummaryExpect};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How much of a summary is kept for the reports: the service documents 255 characters,
/// so this shows a summary that broke that limit without holding what a server sends.
pub const KEPT_SUMMARY_CHARS: usize = 1024;

/// What one suite's summary check produced.
#[derive(Debug, Clone)]
pub struct SummaryOutcome {
    pub suite: String,
    /// Where `summary:` is written.
    pub loc: Loc,
    /// The summary, at most [`KEPT_SUMMARY_CHARS`] characters; `None` when the call failed.
    pub summary: Option<String>,
    /// Characters of the whole summary as received.
    pub length: usize,
    pub latency: Duration,
    pub retries: u32,
    pub retry_time: Duration,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub failures: Vec<Failure>,
    pub error: Option<TurnError>,
}

impl SummaryOutcome {
    pub fn verdict(&self) -> Verdict {
        if self.error.is_some() {
            Verdict::Errored
        } else if self.failures.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }
}

/// Each suite of the plan that has `summary:` and a selected conversation, once, in plan
/// order.
fn suites_to_check(plan: &Plan) -> Vec<&PlannedConversation> {
    let mut seen: Vec<&PlannedConversation> = Vec::new();
    for planned in &plan.conversations {
        let known = seen.iter().any(|s| Arc::ptr_eq(&s.suite, &planned.suite));
        if planned.suite.summary.is_some() && !known {
            seen.push(planned);
        }
    }
    seen
}

/// Checks the summary of every suite of `plan` that expects one, one after another
/// (a handful of suites, so no concurrency is worth its complexity).
pub async fn check_summaries(plan: &Plan, client: &Client) -> Vec<SummaryOutcome> {
    let mut outcomes = Vec::new();
    for planned in suites_to_check(plan) {
        if let Some(expect) = &planned.suite.summary {
            outcomes.push(check_one(planned, expect, client).await);
        }
    }
    outcomes
}

async fn check_one(
    planned: &PlannedConversation,
    expect: &SummaryExpect,
    client: &Client,
) -> SummaryOutcome {
    let form = form_object(&planned.suite.form, &planned.form_id);
    let started = Instant::now();
    let reply = client.generate_summary(&form).await;
    let mut outcome = SummaryOutcome {
        suite: planned.suite.name.clone(),
        loc: expect.loc.clone(),
        summary: None,
        length: 0,
        latency: Duration::ZERO,
        retries: 0,
        retry_time: Duration::ZERO,
        status: None,
        request_id: None,
        failures: Vec::new(),
        error: None,
    };
    match reply {
        Ok(reply) => {
            // The rate cap's wait is not service time, as for the session methods.
            outcome.latency = started.elapsed().saturating_sub(reply.pacing);
            outcome.retries = reply.attempts.saturating_sub(1);
            outcome.retry_time = reply.retry_time;
            outcome.status = Some(reply.status);
            outcome.request_id = reply.request_id;
            let summary = &reply.response.form_summary;
            outcome.length = summary.chars().count();
            outcome.failures = expect
                .check(summary)
                .into_iter()
                .map(|miss| Failure {
                    loc: miss.loc,
                    subject: miss.subject,
                    expected: miss.expected,
                    actual: cut(&miss.actual, KEPT_SUMMARY_CHARS),
                })
                .collect();
            outcome.summary = Some(cut(summary, KEPT_SUMMARY_CHARS));
        }
        Err(err) => {
            outcome.latency = started.elapsed().saturating_sub(err.pacing());
            outcome.retries = err.attempts().saturating_sub(1);
            outcome.retry_time = err.retry_time();
            outcome.status = err.status();
            outcome.request_id = err.request_id().map(str::to_string);
            outcome.error = Some(TurnError {
                class: err.class(),
                message: err.to_string(),
            });
        }
    }
    outcome
}
