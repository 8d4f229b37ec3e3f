//! The verdict of a whole run as every report states it: passed, failed or errored (what
//! the exit code follows), the headline people read (`load not delivered` for a load run
//! that dropped arrivals nobody allowed, `interrupted` for a stopped run) and the
//! run-level reasons behind it, which no conversation or threshold shows.
//!
//! The rule for drops: a load run that dropped any scheduled arrival did not deliver the
//! load it was asked for, so its figures describe a lighter load; it fails unless a
//! `dropped` or `dropped_rate` threshold is declared, in which case that threshold alone
//! judges the drops.

use super::{RunResult, VerdictName};
use serde::Serialize;

/// What a run came to: the one rule behind the exit code of `convoy run`, `convoy merge`
/// and `convoy report`, and the verdict every report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Every conversation passed its expectations (and pass rate), every threshold held.
    Passed,
    /// An expectation, pass rate or threshold did not hold.
    Failed,
    /// A load run dropped arrivals that no threshold allowed (and nothing else failed).
    NotDelivered,
    /// Nothing could be judged: every conversation errored, or none completed.
    Errored,
    /// Stopped early (Ctrl-C, SIGTERM) with nothing failed in what finished.
    Interrupted,
}

/// Dropped arrivals that fail a load run (no `dropped` or `dropped_rate` threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotDelivered {
    pub dropped: u64,
    /// Every arrival the schedule had by the end: started + dropped.
    pub scheduled: u64,
}

/// The verdict as written to run.json (derived when written, never read back: readers
/// derive it again from the rest, so it cannot disagree with the thresholds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictRecord {
    /// passed, failed or errored.
    pub result: VerdictName,
    /// What the reports head with: `passed`, `failed`, `errored`, `load not delivered`,
    /// `interrupted`, or one of the others followed by ` (interrupted)`.
    pub headline: String,
    pub interrupted: bool,
    /// Run-level reasons, one sentence each (empty for a pass).
    pub reasons: Vec<String>,
}

impl RunResult {
    /// Some when the load run dropped arrivals and no threshold judges drops.
    pub fn load_not_delivered(&self) -> Option<NotDelivered> {
        let load = self.load.as_ref().filter(|l| l.dropped > 0)?;
        let judged = self.thresholds.iter().any(|t| {
            crate::common::threshold::parse(&t.expression).is_ok_and(|t| t.metric.judges_drops())
        });
        (!judged).then_some(NotDelivered {
            dropped: load.dropped,
            scheduled: load.sessions_started + load.dropped,
        })
    }

    /// The run's [`RunStatus`]: errored when nothing completed or everything errored,
    /// else failed or not delivered when [`RunResult::verdict`] fails it, else
    /// interrupted when it was stopped early, else passed.
    pub fn status(&self) -> RunStatus {
        if self.counters.conversations == 0 {
            return if self.interrupted {
                RunStatus::Interrupted
            } else {
                RunStatus::Errored
            };
        }
        match self.verdict() {
            VerdictName::Errored => RunStatus::Errored,
            VerdictName::Failed if self.only_not_delivered() => RunStatus::NotDelivered,
            VerdictName::Failed => RunStatus::Failed,
            VerdictName::Passed if self.interrupted => RunStatus::Interrupted,
            VerdictName::Passed => RunStatus::Passed,
        }
    }

    /// True when undelivered load is the only reason the run fails.
    fn only_not_delivered(&self) -> bool {
        self.load_not_delivered().is_some()
            && !self.conversations_fail()
            && self.form_summaries_failed() == 0
            && self.thresholds.iter().all(|t| t.passed)
    }

    /// The headline word of the verdict; an interrupted run never reads as a pass.
    pub fn headline(&self) -> String {
        let verdict = self.verdict();
        let base = match verdict {
            VerdictName::Failed if self.load_not_delivered().is_some() => "load not delivered",
            other => other.as_str(),
        };
        match (self.interrupted, verdict) {
            (false, _) => base.to_string(),
            (true, VerdictName::Passed) => "interrupted".to_string(),
            (true, _) => format!("{base} (interrupted)"),
        }
    }

    /// Why the run is not a plain pass at the level of the whole run.
    pub fn verdict_reasons(&self) -> Vec<String> {
        [
            self.form_summaries_reason(),
            self.not_delivered_reason(),
            self.interrupted_reason(),
            self.stopped_early_reason(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The sentence for [`RunResult::load_not_delivered`].
    pub fn not_delivered_reason(&self) -> Option<String> {
        let n = self.load_not_delivered()?;
        Some(format!(
            "load not delivered: {} of {} scheduled sessions were dropped (no free slot under \
--max-sessions before the run ended); a `dropped` or `dropped_rate` threshold would judge \
drops instead",
            n.dropped, n.scheduled
        ))
    }

    pub fn interrupted_reason(&self) -> Option<String> {
        self.interrupted
            .then(|| "interrupted (Ctrl-C or SIGTERM): only what finished is reported".to_string())
    }

    pub fn stopped_early_reason(&self) -> Option<String> {
        self.stopped_early.then(|| {
            "stopped early (--fail-fast): no conversation started after the first failed or \
errored one"
                .to_string()
        })
    }

    pub fn verdict_record(&self) -> VerdictRecord {
        VerdictRecord {
            result: self.verdict(),
            headline: self.headline(),
            interrupted: self.interrupted,
            reasons: self.verdict_reasons(),
        }
    }
}
