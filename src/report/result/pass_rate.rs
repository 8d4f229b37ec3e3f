//! Pass rates of conversations: with `repeat:` / `--repeat`, each conversation's runs,
//! how many passed, the Wilson 95% interval of its pass rate, its verdict against its
//! `min_pass_rate`, whether it is flaky (both passed and failed), and pass rates per turn
//! and per field for repeated conversations.
//!
//! Built from the conversation records (functional runs), so `convoy report` and
//! `convoy compare` rebuild it from run.json. It must not run or evaluate anything.

use super::{ConversationRecord, MarkName, VerdictName};
use serde::{Deserialize, Serialize};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One conversation over all its runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassRate {
    pub suite: String,
    pub conversation: String,
    pub runs: u64,
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    /// passed / runs.
    pub rate: f64,
    /// Wilson score interval, 95%.
    pub low: f64,
    pub high: f64,
    pub min_pass_rate: f64,
    /// rate ≥ min_pass_rate.
    pub verdict: VerdictName,
    /// At least one run passed and at least one did not.
    pub flaky: bool,
    /// Repeated conversations only: per turn index (0 = the create).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<TurnRate>,
    /// Repeated conversations only: per `fields:` key, how often it was extracted right.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldRate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRate {
    pub turn: usize,
    /// Runs that executed this turn (an errored run stops early).
    pub runs: u64,
    /// Of those, runs where the turn had no failure and no error.
    pub passed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldRate {
    pub field: String,
    pub expected: u64,
    pub correct: u64,
}

/// The Wilson score interval of `passed` out of `runs` at 95%; `(0, 1)` with no runs.
pub fn wilson(passed: u64, runs: u64) -> (f64, f64) {
    if runs == 0 {
        return (0.0, 1.0);
    }
    let n = runs as f64;
    let p = passed as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// One entry per conversation (by suite file position and name), in first-run order.
pub fn pass_rates(conversations: &[ConversationRecord]) -> Vec<PassRate> {
    let mut groups: Vec<Vec<&ConversationRecord>> = Vec::new();
    for c in conversations {
        let same = |g: &Vec<&ConversationRecord>| {
            g.first().is_some_and(|f| {
                (&f.suite_file, f.line, f.column, &f.conversation)
                    == (&c.suite_file, c.line, c.column, &c.conversation)
            })
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(group) => group.push(c),
            None => groups.push(vec![c]),
        }
    }
    groups.iter().filter_map(|g| rate_of(g)).collect()
}

fn rate_of(runs: &[&ConversationRecord]) -> Option<PassRate> {
    let first = runs.first()?;
    let count = |v: VerdictName| runs.iter().filter(|r| r.verdict == v).count() as u64;
    let (passed, failed, errored) = (
        count(VerdictName::Passed),
        count(VerdictName::Failed),
        count(VerdictName::Errored),
    );
    let total = runs.len() as u64;
    let rate = passed as f64 / total as f64;
    let (low, high) = wilson(passed, total);
    let repeated = total > 1;
    Some(PassRate {
        suite: first.suite.clone(),
        conversation: first.conversation.clone(),
        runs: total,
        passed,
        failed,
        errored,
        rate,
        low,
        high,
        min_pass_rate: first.min_pass_rate,
        // A small tolerance so that 0.7 observed meets 0.7 required despite rounding.
        verdict: if rate + 1e-9 >= first.min_pass_rate {
            VerdictName::Passed
        } else if errored == total {
            VerdictName::Errored
        } else {
            VerdictName::Failed
        },
        flaky: passed > 0 && passed < total,
        turns: if repeated {
            turn_rates(runs)
        } else {
            Vec::new()
        },
        fields: if repeated {
            field_rates(runs)
        } else {
            Vec::new()
        },
    })
}

fn turn_rates(runs: &[&ConversationRecord]) -> Vec<TurnRate> {
    let mut rates: Vec<TurnRate> = Vec::new();
    for turn in runs.iter().flat_map(|r| &r.turns) {
        let index = match rates.iter().position(|t| t.turn == turn.turn) {
            Some(i) => i,
            None => {
                rates.push(TurnRate {
                    turn: turn.turn,
                    runs: 0,
                    passed: 0,
                });
                rates.len() - 1
            }
        };
        rates[index].runs += 1;
        rates[index].passed += u64::from(turn.failures.is_empty() && turn.error.is_none());
    }
    rates.sort_by_key(|t| t.turn);
    rates
}

fn field_rates(runs: &[&ConversationRecord]) -> Vec<FieldRate> {
    let mut rates: Vec<FieldRate> = Vec::new();
    let marks = runs.iter().flat_map(|r| &r.turns).flat_map(|t| &t.fields);
    for mark in marks.filter(|m| m.mark != MarkName::Unexpected) {
        let index = match rates.iter().position(|f| f.field == mark.field) {
            Some(i) => i,
            None => {
                rates.push(FieldRate {
                    field: mark.field.clone(),
                    expected: 0,
                    correct: 0,
                });
                rates.len() - 1
            }
        };
        rates[index].expected += 1;
        rates[index].correct += u64::from(mark.mark == MarkName::Correct);
    }
    rates
}

#[cfg(test)]
mod tests {
    use super::wilson;

    /// Reference values from the Wilson formula (e.g. 35/50 → [0.5617, 0.8089]).
    #[test]
    fn wilson_interval() {
        let (low, high) = wilson(35, 50);
        assert!((low - 0.5617).abs() < 1e-3, "{low}");
        assert!((high - 0.8089).abs() < 1e-3, "{high}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
        let (low, high) = wilson(10, 10);
        assert!(low > 0.69 && low < 0.73 && high > 0.999_999, "{low} {high}");
    }
}
