//! Per-conversation verdict counts of a load run, and a bounded sample of its failed
//! iterations: a long run must not keep every result, but a user needs examples.

use crate::runner::functional::ConversationTiming;
use crate::runner::outcome::{ConversationResult, Verdict};

use crate::report::result::SAMPLES_PER_CONVERSATION;

#[derive(Debug, Clone, Default)]
pub struct ConversationTally {
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    /// The first few failed or errored iterations, whole, with when they ran.
    pub samples: Vec<(ConversationResult, ConversationTiming)>,
}

impl ConversationTally {
    pub fn add(&mut self, result: &ConversationResult, timing: &ConversationTiming) {
        if result.aborted {
            return;
        }
        match result.verdict() {
            Verdict::Passed => self.passed += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Errored => self.errored += 1,
        }
        if result.verdict() != Verdict::Passed && self.samples.len() < SAMPLES_PER_CONVERSATION {
            self.samples.push((result.clone(), *timing));
        }
    }

    pub fn runs(&self) -> u64 {
        self.passed + self.failed + self.errored
    }
}
