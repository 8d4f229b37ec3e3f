//! The extraction scorecard: for every field key, over the run, how often a `fields:`
//! expectation on it was evaluated (expected), held (correct), met a TEXT_DATA with
//! another value (wrong) or no TEXT_DATA at all (missed), and how often a TEXT_DATA for it
//! came when it should not have (unexpected: a `no_fields:` key, or a key not in the
//! form). Per suite and overall.
//!
//! Built from the marks the runner stored on each turn record, so `convoy report` and
//! `convoy compare` rebuild it from run.json alone. It must not evaluate responses (the
//! runner does). One row per field key: bounded by the forms, not by the number of turns.

use super::{ConversationRecord, MarkName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One field key's tally.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldScoreRow {
    pub field: String,
    pub expected: u64,
    pub correct: u64,
    pub wrong: u64,
    pub missed: u64,
    pub unexpected: u64,
    /// correct / (correct + wrong + unexpected): of the values extracted for the field
    /// where the suite had a say, the share that was right. `None` with nothing extracted.
    pub precision: Option<f64>,
    /// correct / expected: of the values the suite expected, the share extracted right.
    /// `None` when nothing was expected.
    pub recall: Option<f64>,
}

impl FieldScoreRow {
    fn add(&mut self, mark: MarkName) {
        match mark {
            MarkName::Correct => self.correct += 1,
            MarkName::Wrong => self.wrong += 1,
            MarkName::Missed => self.missed += 1,
            MarkName::Unexpected => self.unexpected += 1,
        }
        if mark != MarkName::Unexpected {
            self.expected += 1;
        }
    }

    /// A row from counts (a load run's recorder keeps counts, not marks).
    pub fn from_counts(field: &str, [correct, wrong, missed, unexpected]: [u64; 4]) -> Self {
        FieldScoreRow {
            field: field.to_string(),
            expected: correct + wrong + missed,
            correct,
            wrong,
            missed,
            unexpected,
            ..FieldScoreRow::default()
        }
        .finish()
    }

    fn finish(mut self) -> FieldScoreRow {
        let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 / den as f64);
        self.precision = ratio(self.correct, self.correct + self.wrong + self.unexpected);
        self.recall = ratio(self.correct, self.expected);
        self
    }
}

/// One suite's rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SuiteScorecard {
    pub suite: String,
    pub fields: Vec<FieldScoreRow>,
}

/// The whole run's scorecard: rows by field key, overall and per suite.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Every suite's rows summed per field key (keys in order).
    pub overall: Vec<FieldScoreRow>,
    /// In the order suites first appear in the run.
    pub suites: Vec<SuiteScorecard>,
}

impl Scorecard {
    pub fn is_empty(&self) -> bool {
        self.overall.is_empty()
    }

    /// The overall row of `field`.
    pub fn field(&self, field: &str) -> Option<&FieldScoreRow> {
        self.overall.iter().find(|r| r.field == field)
    }
}

/// Tallies every mark of every turn of `conversations`.
pub fn scorecard(conversations: &[ConversationRecord]) -> Scorecard {
    let mut overall: BTreeMap<&str, FieldScoreRow> = BTreeMap::new();
    let mut suites: Vec<(&str, BTreeMap<&str, FieldScoreRow>)> = Vec::new();
    for c in conversations {
        let position = suites.iter().position(|(s, _)| *s == c.suite);
        let index = position.unwrap_or_else(|| {
            suites.push((&c.suite, BTreeMap::new()));
            suites.len() - 1
        });
        for mark in c.turns.iter().flat_map(|t| &t.fields) {
            for table in [&mut overall, &mut suites[index].1] {
                let row = table.entry(&mark.field).or_insert_with(|| FieldScoreRow {
                    field: mark.field.clone(),
                    ..FieldScoreRow::default()
                });
                row.add(mark.mark);
            }
        }
    }
    let rows = |table: BTreeMap<&str, FieldScoreRow>| -> Vec<FieldScoreRow> {
        table.into_values().map(FieldScoreRow::finish).collect()
    };
    Scorecard {
        overall: rows(overall),
        suites: suites
            .into_iter()
            .filter(|(_, table)| !table.is_empty())
            .map(|(suite, table)| SuiteScorecard {
                suite: suite.to_string(),
                fields: rows(table),
            })
            .collect(),
    }
}

/// The scorecard of a load run from its per-conversation counts: rows per suite (suites in
/// plan order) and overall, keys in order.
pub fn scorecard_from_counts<'a>(
    counts: impl IntoIterator<Item = (&'a str, &'a str, [u64; 4])>,
) -> Scorecard {
    let mut overall: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let mut suites: Vec<(String, BTreeMap<String, [u64; 4]>)> = Vec::new();
    for (suite, field, c) in counts {
        let index = match suites.iter().position(|(s, _)| s == suite) {
            Some(index) => index,
            None => {
                suites.push((suite.to_string(), BTreeMap::new()));
                suites.len() - 1
            }
        };
        for table in [&mut overall, &mut suites[index].1] {
            let total = table.entry(field.to_string()).or_default();
            for (t, n) in total.iter_mut().zip(c) {
                *t += n;
            }
        }
    }
    let rows = |table: BTreeMap<String, [u64; 4]>| -> Vec<FieldScoreRow> {
        table
            .iter()
            .map(|(field, c)| FieldScoreRow::from_counts(field, *c))
            .collect()
    };
    Scorecard {
        overall: rows(overall),
        suites: suites
            .into_iter()
            .map(|(suite, table)| SuiteScorecard {
                fields: rows(table),
                suite,
            })
            .collect(),
    }
}

/// Sums scorecards (shards of one load run): rows added per suite and field, then the
/// ratios computed again from the sums.
pub fn merge_scorecards<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Scorecard {
    let counts: Vec<(&str, &str, [u64; 4])> = cards
        .into_iter()
        .flat_map(|card| &card.suites)
        .flat_map(|suite| {
            suite.fields.iter().map(move |row| {
                (
                    suite.suite.as_str(),
                    row.field.as_str(),
                    [row.correct, row.wrong, row.missed, row.unexpected],
                )
            })
        })
        .collect();
    scorecard_from_counts(counts)
}
