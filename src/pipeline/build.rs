//! The one builder of a [`RunResult`]: functional and load outcomes alike become one
//! result from the run's [`Recorder`](crate::metrics::Recorder) (counters, latency,
//! streaming figures, scorecard) and its kept conversations (records, pass rates), plus a
//! load run's own section and time series. Reads the outcome; runs nothing.

use super::measures;
use super::records::{conversation_record, form_summary_record, micros};
use crate::report::result::{
    ConversationRecord, ResultError, RunConfig, RunResult, SCHEMA_VERSION, pass_rates, rfc3339_utc,
    timeline,
};
use crate::runner::RunOutcome;
use std::time::SystemTime;

/// What the outcome does not know about its run: identity and the options it ran with.
#[derive(Debug, Clone)]
pub struct RunConfigInfo {
    pub run_id: String,
    pub name: String,
    pub started_at: SystemTime,
    /// `base_url` and `embedded_mock` are taken from the outcome (it knows the embedded
    /// mock's address).
    pub config: RunConfig,
}

impl RunConfigInfo {
    /// Characters of one text the reports keep (`--max-chunk-text`).
    pub fn text_limit(&self) -> usize {
        let limit = self.config.limits.unwrap_or_default().max_chunk_text;
        usize::try_from(limit).unwrap_or(usize::MAX)
    }
}

/// `outcome` as a result, thresholds not yet evaluated.
pub fn build_result(outcome: &RunOutcome, info: &RunConfigInfo) -> Result<RunResult, ResultError> {
    let conversations: Vec<ConversationRecord> = outcome
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let timing = outcome.timings.get(i).copied().unwrap_or_default();
            conversation_record(r, &timing, info.text_limit())
        })
        .collect();
    let mut config = info.config.clone();
    config.base_url = crate::api::endpoint::strip_userinfo(&outcome.base_url);
    config.embedded_mock = outcome.embedded_mock;
    let elapsed_us = micros(outcome.elapsed);
    let (load, timeline, pass_rates) = match &outcome.load {
        Some(load) => (
            Some(measures::section(outcome, load)?),
            measures::timeline(&load.timeline),
            // A load run's pass rates are per conversation in its load section.
            Vec::new(),
        ),
        None => (
            None,
            timeline(&conversations, elapsed_us),
            pass_rates(&conversations),
        ),
    };
    Ok(RunResult {
        schema_version: SCHEMA_VERSION,
        run_id: info.run_id.clone(),
        name: info.name.clone(),
        started_at: rfc3339_utc(info.started_at),
        elapsed_us,
        interrupted: outcome.interrupted,
        stopped_early: outcome.stopped_early,
        config,
        counters: measures::counters(outcome),
        latency: measures::latency(outcome)?,
        timeline,
        scorecard: measures::scorecard(outcome),
        pass_rates,
        thresholds: Vec::new(),
        conversations,
        load,
        personas: measures::personas(outcome)?,
        form_summaries: outcome
            .summaries
            .iter()
            .map(|s| form_summary_record(s, info.text_limit()))
            .collect(),
    })
}
