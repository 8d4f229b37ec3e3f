//! Which finished conversations of a functional run keep their whole transcript.
//!
//! A run of 10,000 conversations must not hold 10,000 transcripts until its reports are
//! written. Every conversation keeps a compact result (verdicts, timings, error classes,
//! scorecard marks, failures: what counters, histograms, pass rates, the scorecard and
//! JUnit need, so they stay exact), but only the first [`Retention::failed`] failed or
//! errored conversations and the first [`Retention::passed`] passed ones to finish keep
//! their chunks; the others are [`summarized`](ConversationResult::summarize).
//! `turns.csv` is streamed from every whole result before this choice is made.

use crate::runner::outcome::{ConversationResult, Failure, Verdict};

/// Failure texts (expected, actual) of a summarized conversation are cut to this many
/// characters: a mismatch against a long response is still recognisable, not stored whole.
pub const SUMMARY_TEXT_CHARS: usize = 200;

/// How many transcripts a functional run keeps in full (counted in finish order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Failed or errored conversations kept whole (their chunks are in the reports).
    pub failed: usize,
    /// Passed conversations kept whole, as samples of what a pass looked like.
    pub passed: usize,
}

impl Default for Retention {
    /// 1,000 failures and 100 passes: far more than a person reads, and a few MB.
    fn default() -> Self {
        Retention {
            failed: 1000,
            passed: 100,
        }
    }
}

impl Retention {
    /// Keeps every transcript (`convoy record` writes them all).
    pub fn all() -> Self {
        Retention {
            failed: usize::MAX,
            passed: usize::MAX,
        }
    }
}

/// Applies a [`Retention`] to conversations as they finish.
#[derive(Debug)]
pub struct Keeper {
    retention: Retention,
    failed: usize,
    passed: usize,
}

impl Keeper {
    pub fn new(retention: Retention) -> Self {
        Keeper {
            retention,
            failed: 0,
            passed: 0,
        }
    }

    /// Leaves `result` whole while its verdict's quota lasts, else summarizes it.
    pub fn apply(&mut self, result: &mut ConversationResult) {
        let (kept, limit) = match result.verdict() {
            Verdict::Passed => (&mut self.passed, self.retention.passed),
            Verdict::Failed | Verdict::Errored => (&mut self.failed, self.retention.failed),
        };
        if *kept < limit {
            *kept += 1;
        } else {
            result.summarize();
        }
    }
}

impl ConversationResult {
    /// Drops what only a transcript needs (the chunks of every turn) and shortens failure
    /// texts; keeps everything counted or timed, so the verdict and every aggregate stay
    /// the same.
    pub fn summarize(&mut self) {
        self.summarized = true;
        for turn in &mut self.turns {
            turn.chunks = Vec::new();
            turn.failures.iter_mut().for_each(shorten);
        }
        self.final_failures.iter_mut().for_each(shorten);
    }
}

fn shorten(failure: &mut Failure) {
    for text in [&mut failure.expected, &mut failure.actual] {
        if let Some((at, _)) = text.char_indices().nth(SUMMARY_TEXT_CHARS) {
            text.truncate(at);
            text.push('…');
            text.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_failure_texts_only() {
        let mut failure = Failure {
            loc: crate::suite::Loc {
                file: "s.yaml".into(),
                line: 1,
                column: 1,
            },
            subject: "text".into(),
            expected: "short".into(),
            actual: "é".repeat(SUMMARY_TEXT_CHARS + 5),
        };
        shorten(&mut failure);
        assert_eq!(failure.expected, "short");
        assert_eq!(failure.actual.chars().count(), SUMMARY_TEXT_CHARS + 1);
        assert!(failure.actual.ends_with('…'));
    }

    /// The note shown where a summarized transcript would be names the default quota.
    #[test]
    fn the_report_note_names_the_default_quota() {
        let quota = Retention::default().failed.to_string();
        assert!(crate::report::junit::SUMMARIZED_NOTE.contains(&quota));
    }
}
