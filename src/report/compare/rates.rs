//! Proportion rows of a comparison: each conversation's pass rate and each field's recall
//! and precision, measured with Fisher's exact test, then judged on the corrected p-value.

use super::stats::{self, Proportion};
use super::{Status, Tolerances, union};
use crate::report::result::{FieldScoreRow, RunResult, pass_rates};
use serde::Serialize;
use std::collections::HashMap;

/// One proportion in both runs, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProportionChange {
    pub base: Option<Proportion>,
    pub new: Option<Proportion>,
    /// new − base, in percentage points.
    pub change_points: Option<f64>,
    /// (1 − α) interval of the change, in percentage points (Newcombe's method).
    pub interval_points: Option<(f64, f64)>,
    /// Fisher's exact two-sided p-value, then corrected for the rows of its kind.
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub status: Status,
}

impl ProportionChange {
    pub fn base_rate(&self) -> Option<f64> {
        self.base.and_then(Proportion::rate)
    }

    pub fn new_rate(&self) -> Option<f64> {
        self.new.and_then(Proportion::rate)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateChange {
    pub suite: String,
    pub conversation: String,
    #[serde(flatten)]
    pub change: ProportionChange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub recall: ProportionChange,
    pub precision: ProportionChange,
    /// The worse of the two.
    pub status: Status,
}

/// A proportion change before correction: the p-value is raw, the status provisional.
pub(super) fn measure(
    base: Option<Proportion>,
    new: Option<Proportion>,
    t: &Tolerances,
) -> ProportionChange {
    let present = |p: Option<Proportion>| p.filter(|p| p.trials > 0);
    let (base, new) = (present(base), present(new));
    let mut change = ProportionChange {
        base,
        new,
        change_points: None,
        interval_points: None,
        p_value: None,
        p_adjusted: None,
        status: Status::presence(base.is_some(), new.is_some()),
    };
    if let (Some(b), Some(n)) = (base, new) {
        let (rb, rn) = (b.rate().unwrap_or(0.0), n.rate().unwrap_or(0.0));
        change.change_points = Some((rn - rb) * 100.0);
        let (low, high) = stats::rate_difference_interval(b, n, t.interval_z());
        change.interval_points = Some((low * 100.0, high * 100.0));
        change.p_value = Some(stats::fisher_exact(b, n));
    }
    change
}

/// The verdict once the corrected p-value is known. A side that went from all successes
/// to none is a change whatever the counts (one run each included); otherwise the drop
/// must pass `tolerance_points` and the corrected p-value must be below α.
pub(super) fn judge(
    change: &mut ProportionChange,
    p_adjusted: f64,
    tolerance_points: f64,
    t: &Tolerances,
) {
    let (Some(b), Some(n)) = (change.base, change.new) else {
        return;
    };
    change.p_adjusted = Some(p_adjusted);
    let all = |p: Proportion| p.successes == p.trials;
    let none = |p: Proportion| p.successes == 0;
    let points = change.change_points.unwrap_or(0.0);
    change.status = if all(b) && none(n) {
        Status::Regressed
    } else if none(b) && all(n) {
        Status::Improved
    } else if points.abs() < 1e-9 {
        Status::Unchanged
    } else if stats::fisher_floor(b.trials, n.trials) > t.alpha {
        Status::TooFewSamples
    } else if p_adjusted < t.alpha && points.abs() > tolerance_points + 1e-9 {
        if points < 0.0 {
            Status::Regressed
        } else {
            Status::Improved
        }
    } else {
        Status::Unchanged
    };
}

/// Runs and passes per (suite, conversation): functional runs from their pass rates
/// (rebuilt from the records for files older than pass rates), load runs from
/// `per_conversation`.
fn outcomes(r: &RunResult) -> Vec<((String, String), Proportion)> {
    if let Some(load) = &r.load {
        return load
            .per_conversation
            .iter()
            .map(|s| {
                let key = (s.suite.clone(), s.conversation.clone());
                (
                    key,
                    Proportion {
                        successes: s.passed,
                        trials: s.runs,
                    },
                )
            })
            .collect();
    }
    let stored;
    let list = if r.pass_rates.is_empty() {
        stored = pass_rates(&r.conversations);
        &stored
    } else {
        &r.pass_rates
    };
    list.iter()
        .map(|p| {
            let key = (p.suite.clone(), p.conversation.clone());
            (
                key,
                Proportion {
                    successes: p.passed,
                    trials: p.runs,
                },
            )
        })
        .collect()
}

pub(super) fn rate_changes(base: &RunResult, new: &RunResult, t: &Tolerances) -> Vec<RateChange> {
    let (b, n) = (outcomes(base), outcomes(new));
    let keys = |list: &[((String, String), Proportion)]| -> Vec<(String, String)> {
        list.iter().map(|(k, _)| k.clone()).collect()
    };
    let by_key =
        |list: &[((String, String), Proportion)]| -> HashMap<(String, String), Proportion> {
            list.iter().cloned().collect()
        };
    let (base_by_key, new_by_key) = (by_key(&b), by_key(&n));
    let rows: Vec<RateChange> = union(&keys(&b), &keys(&n))
        .into_iter()
        .map(|key| {
            let (before, after) = (base_by_key.get(&key), new_by_key.get(&key));
            let change = measure(before.copied(), after.copied(), t);
            RateChange {
                suite: key.0,
                conversation: key.1,
                change,
            }
        })
        .collect();
    rows
}

fn recall(row: &FieldScoreRow) -> Proportion {
    Proportion {
        successes: row.correct,
        trials: row.expected,
    }
}

fn precision(row: &FieldScoreRow) -> Proportion {
    Proportion {
        successes: row.correct,
        trials: row.correct + row.wrong + row.unexpected,
    }
}

/// Recall and precision per field, measured; judged once all p-values are corrected.
pub(super) fn field_changes(base: &RunResult, new: &RunResult, t: &Tolerances) -> Vec<FieldChange> {
    let names = |r: &RunResult| -> Vec<String> {
        r.scorecard
            .overall
            .iter()
            .map(|f| f.field.clone())
            .collect()
    };
    let rows: Vec<FieldChange> = union(&names(base), &names(new))
        .into_iter()
        .map(|field| {
            let (b, n) = (base.scorecard.field(&field), new.scorecard.field(&field));
            FieldChange {
                recall: measure(b.map(recall), n.map(recall), t),
                precision: measure(b.map(precision), n.map(precision), t),
                status: Status::Unchanged,
                field,
            }
        })
        .collect();
    rows
}

/// A field missing on one side is new or gone; otherwise the worse of its two verdicts,
/// ignoring a side (precision with nothing extracted) that has no figure.
pub(super) fn field_status(recall: &ProportionChange, precision: &ProportionChange) -> Status {
    let judged = |c: &ProportionChange| c.base.is_some() && c.new.is_some();
    match (judged(recall), judged(precision)) {
        (true, true) => recall.status.worst(precision.status),
        (true, false) => recall.status,
        (false, true) => precision.status,
        (false, false) => recall.status,
    }
}
