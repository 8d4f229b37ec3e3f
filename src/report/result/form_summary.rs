//! The suites' `summary:` checks as a [`super::RunResult`] holds them: one record per
//! suite that expects something of Generate Form Summary, in plan order. Plain data;
//! the rule that a check that did not pass fails the run is in `verdict` beside the
//! others.

use super::{ErrorRecord, FailureRecord, RunResult, VerdictName};
use serde::{Deserialize, Serialize};

/// One suite's `summary:` check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormSummaryRecord {
    pub suite: String,
    /// Where `summary:` is written.
    pub suite_file: String,
    pub line: usize,
    pub column: usize,
    pub verdict: VerdictName,
    /// The summary received (its first 1,024 characters); absent when the call failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Characters of the whole summary received.
    #[serde(default)]
    pub length: usize,
    pub latency_us: u64,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub error: Option<ErrorRecord>,
    pub failures: Vec<FailureRecord>,
}

impl RunResult {
    /// The `summary:` checks that did not pass (failed or errored).
    pub fn form_summaries_failed(&self) -> usize {
        self.form_summaries
            .iter()
            .filter(|s| s.verdict != VerdictName::Passed)
            .count()
    }

    /// The run-level sentence for failed `summary:` checks (convoy's words only: the
    /// details, which hold API text, are in each report's own section).
    pub fn form_summaries_reason(&self) -> Option<String> {
        let failed = self.form_summaries_failed();
        (failed > 0).then(|| {
            format!(
                "{failed} of {} `summary:` checks did not pass (Generate Form Summary)",
                self.form_summaries.len()
            )
        })
    }
}
