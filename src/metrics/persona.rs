//! [`PersonaTally`]: what one persona's runs came to — runs, successes, how they ended
//! (submitted, over budget, stuck, errored), re-asks, and the user turns the submitted
//! runs took. One per persona in each [`Recorder`](super::Recorder), recorded as each
//! persona session ends, merged exactly. Knows nothing of suites or reports: callers pass
//! a conversation index and a [`PersonaRun`].
//!
//! Turn counts are small integers (a persona's `max_turns` is at most 100), so they are
//! counted exactly per value — a few hundred bytes per persona, where an HDR histogram
//! takes kilobytes in every shard — and become an HDR histogram only for the reports.

use hdrhistogram::Histogram;

/// Largest turn count kept apart; larger ones are counted as this.
pub const MAX_TRACKED_TURNS: u64 = 1_000;

/// How a persona's conversation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonaEnd {
    Submitted,
    OverBudget,
    Stuck,
    /// A request got no usable response, so the conversation stopped early.
    Errored,
}

impl PersonaEnd {
    /// The word every report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonaEnd::Submitted => "submitted",
            PersonaEnd::OverBudget => "over budget",
            PersonaEnd::Stuck => "stuck",
            PersonaEnd::Errored => "errored",
        }
    }
}

/// One finished persona conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonaRun {
    pub end: PersonaEnd,
    /// Every expectation held.
    pub succeeded: bool,
    /// User messages sent.
    pub turns: u32,
    pub re_asks: u32,
}

/// Counts over a persona's runs (also the counts of the reports' personas section).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonaCounts {
    pub runs: u64,
    /// Runs whose every expectation held.
    pub succeeded: u64,
    pub submitted: u64,
    pub over_budget: u64,
    pub stuck: u64,
    /// A request got no usable response.
    pub errored: u64,
    /// Questions for a field already extracted right, over all runs.
    pub re_asks: u64,
}

impl PersonaCounts {
    pub fn add(&mut self, other: &PersonaCounts) {
        self.runs += other.runs;
        self.succeeded += other.succeeded;
        self.submitted += other.submitted;
        self.over_budget += other.over_budget;
        self.stuck += other.stuck;
        self.errored += other.errored;
        self.re_asks += other.re_asks;
    }
}

/// One persona's runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonaTally {
    pub counts: PersonaCounts,
    /// Runs that ended in a submission, by the user turns they took (index = turns):
    /// turns to completion.
    pub turns: Vec<u64>,
}

/// An empty histogram of turn counts, exact up to [`MAX_TRACKED_TURNS`].
pub fn turn_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_TRACKED_TURNS, 3)
        .expect("constant histogram bounds are valid")
}

impl PersonaTally {
    pub fn record(&mut self, run: PersonaRun) {
        let counts = &mut self.counts;
        counts.runs += 1;
        counts.succeeded += u64::from(run.succeeded);
        counts.re_asks += u64::from(run.re_asks);
        match run.end {
            PersonaEnd::Submitted => {
                counts.submitted += 1;
                let turns = u64::from(run.turns).clamp(1, MAX_TRACKED_TURNS) as usize;
                if self.turns.len() <= turns {
                    self.turns.resize(turns + 1, 0);
                }
                self.turns[turns] += 1;
            }
            PersonaEnd::OverBudget => counts.over_budget += 1,
            PersonaEnd::Stuck => counts.stuck += 1,
            PersonaEnd::Errored => counts.errored += 1,
        }
    }

    pub fn merge(&mut self, other: &PersonaTally) {
        self.counts.add(&other.counts);
        if self.turns.len() < other.turns.len() {
            self.turns.resize(other.turns.len(), 0);
        }
        for (mine, theirs) in self.turns.iter_mut().zip(&other.turns) {
            *mine += theirs;
        }
    }

    /// The turns to completion as an HDR histogram (for run.json, where shards and
    /// files are merged by adding histograms).
    pub fn turns_histogram(&self) -> Histogram<u64> {
        let mut histogram = turn_histogram();
        for (turns, count) in self.turns.iter().enumerate().filter(|(_, c)| **c > 0) {
            histogram.saturating_record_n(turns.max(1) as u64, *count);
        }
        histogram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(end: PersonaEnd, succeeded: bool, turns: u32) -> PersonaRun {
        PersonaRun {
            end,
            succeeded,
            turns,
            re_asks: 1,
        }
    }

    #[test]
    fn counts_endings_and_keeps_turns_of_submitted_runs_only() {
        let mut tally = PersonaTally::default();
        tally.record(run(PersonaEnd::Submitted, true, 3));
        tally.record(run(PersonaEnd::Submitted, false, 5));
        tally.record(run(PersonaEnd::OverBudget, false, 12));
        tally.record(run(PersonaEnd::Stuck, false, 2));
        tally.record(run(PersonaEnd::Errored, false, 1));
        let c = tally.counts;
        assert_eq!(
            (c.runs, c.succeeded, c.submitted),
            (5, 1, 2),
            "runs, successes, submissions"
        );
        assert_eq!((c.over_budget, c.stuck, c.errored), (1, 1, 1));
        assert_eq!(c.re_asks, 5);
        let turns = tally.turns_histogram();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns.max(), 5);
        assert_eq!(turns.value_at_quantile(0.5), 3);
    }

    #[test]
    fn merging_equals_recording_everything_in_one() {
        let runs: Vec<PersonaRun> = (1..=40)
            .map(|i| {
                let end = [PersonaEnd::Submitted, PersonaEnd::Stuck][i % 2];
                run(end, i % 3 == 0, u32::try_from(i).unwrap_or(0))
            })
            .collect();
        let mut whole = PersonaTally::default();
        let (mut left, mut right) = (PersonaTally::default(), PersonaTally::default());
        for (i, r) in runs.iter().enumerate() {
            whole.record(*r);
            if i % 2 == 0 { &mut left } else { &mut right }.record(*r);
        }
        left.merge(&right);
        assert_eq!(left, whole);
        assert_eq!(left.turns_histogram(), whole.turns_histogram());
    }
}
