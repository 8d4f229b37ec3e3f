//! `convoy compare`: what changed between two runs, judged against tolerances. Pass rate
//! per conversation, the scorecard per field, and latency percentiles per operation and
//! per conversation × turn, read from the exact HDR histograms of both run.json files.
//!
//! Pure: two [`RunResult`]s in, a [`Comparison`] out; rendering is in [`render`]. It must
//! not read files or decide exit codes (the CLI does).

pub mod render;

use crate::report::result::{
    LatencyKey, LatencyRecord, ResultError, RunResult, decode_histogram, pass_rates,
};
use serde::Serialize;

/// How much worse a figure may get before it is a regression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tolerances {
    /// Percentage points a conversation's pass rate may drop (default 1).
    pub pass_rate_drop: f64,
    /// Percentage points a field's recall may drop (default 2).
    pub recall_drop: f64,
    /// Percent a p95 may grow (default 10).
    pub p95_increase: f64,
    /// A p95 growth smaller than this many microseconds is never a regression: timer
    /// and scheduling noise on sub-millisecond figures (default 1000 µs).
    pub latency_floor_us: u64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            pass_rate_drop: 1.0,
            recall_drop: 2.0,
            p95_increase: 10.0,
            latency_floor_us: 1000,
        }
    }
}

/// Both runs side by side; `None` on a side that does not have the row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub base_run: String,
    pub new_run: String,
    pub tolerances: Tolerances,
    pub pass_rates: Vec<RateChange>,
    pub fields: Vec<FieldChange>,
    pub latency: Vec<LatencyChange>,
    /// Any row regressed.
    pub regressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateChange {
    pub suite: String,
    pub conversation: String,
    pub base: Option<f64>,
    pub new: Option<f64>,
    pub regressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub base_recall: Option<f64>,
    pub new_recall: Option<f64>,
    pub base_precision: Option<f64>,
    pub new_precision: Option<f64>,
    pub regressed: bool,
}

/// Percentiles in µs of one histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyChange {
    /// `create`, `send`, or `suite / conversation / turn N`.
    pub name: String,
    /// `operation` or `turn`.
    pub scope: &'static str,
    pub base: Option<Percentiles>,
    pub new: Option<Percentiles>,
    /// new p95 / base p95 − 1, in percent.
    pub p95_change_pct: Option<f64>,
    pub regressed: bool,
}

/// Compares `new` with `base`. Fails only when a histogram cannot be decoded.
pub fn compare(
    base: &RunResult,
    new: &RunResult,
    tolerances: Tolerances,
) -> Result<Comparison, ResultError> {
    let pass_rates = rate_changes(base, new, &tolerances);
    let fields = field_changes(base, new, &tolerances);
    let latency = latency_changes(base, new, &tolerances)?;
    let regressed = pass_rates.iter().any(|r| r.regressed)
        || fields.iter().any(|f| f.regressed)
        || latency.iter().any(|l| l.regressed);
    Ok(Comparison {
        base_run: base.run_id.clone(),
        new_run: new.run_id.clone(),
        tolerances,
        pass_rates,
        fields,
        latency,
        regressed,
    })
}

/// Pass rate per (suite, conversation): functional runs from their pass rates (rebuilt
/// from the records for files older than pass rates), load runs from `per_conversation`.
fn rates(r: &RunResult) -> Vec<(String, String, f64)> {
    if let Some(load) = &r.load {
        return load
            .per_conversation
            .iter()
            .filter(|s| s.runs > 0)
            .map(|s| {
                let rate = s.passed as f64 / s.runs as f64;
                (s.suite.clone(), s.conversation.clone(), rate)
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
        .map(|p| (p.suite.clone(), p.conversation.clone(), p.rate))
        .collect()
}

/// Rows of `new` in its order, then rows only `base` has.
fn union<K: PartialEq + Clone>(base: &[K], new: &[K]) -> Vec<K> {
    let mut keys: Vec<K> = new.to_vec();
    keys.extend(base.iter().filter(|k| !new.contains(k)).cloned());
    keys
}

fn rate_changes(base: &RunResult, new: &RunResult, t: &Tolerances) -> Vec<RateChange> {
    let (b, n) = (rates(base), rates(new));
    let key = |list: &[(String, String, f64)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(s, c, _)| (s.clone(), c.clone()))
            .collect()
    };
    let find = |list: &[(String, String, f64)], k: &(String, String)| {
        list.iter()
            .find(|(s, c, _)| (s, c) == (&k.0, &k.1))
            .map(|e| e.2)
    };
    union(&key(&b), &key(&n))
        .into_iter()
        .map(|k| {
            let (before, after) = (find(&b, &k), find(&n, &k));
            RateChange {
                regressed: dropped(before, after, t.pass_rate_drop),
                suite: k.0,
                conversation: k.1,
                base: before,
                new: after,
            }
        })
        .collect()
}

/// A ratio fell by more than `points` percentage points (small epsilon for rounding).
fn dropped(before: Option<f64>, after: Option<f64>, points: f64) -> bool {
    match (before, after) {
        (Some(b), Some(a)) => (b - a) * 100.0 > points + 1e-9,
        _ => false,
    }
}

fn field_changes(base: &RunResult, new: &RunResult, t: &Tolerances) -> Vec<FieldChange> {
    let names = |r: &RunResult| -> Vec<String> {
        r.scorecard
            .overall
            .iter()
            .map(|f| f.field.clone())
            .collect()
    };
    union(&names(base), &names(new))
        .into_iter()
        .map(|field| {
            let (b, n) = (base.scorecard.field(&field), new.scorecard.field(&field));
            let (base_recall, new_recall) = (b.and_then(|f| f.recall), n.and_then(|f| f.recall));
            FieldChange {
                regressed: dropped(base_recall, new_recall, t.recall_drop),
                base_recall,
                new_recall,
                base_precision: b.and_then(|f| f.precision),
                new_precision: n.and_then(|f| f.precision),
                field,
            }
        })
        .collect()
}

fn latency_changes(
    base: &RunResult,
    new: &RunResult,
    t: &Tolerances,
) -> Result<Vec<LatencyChange>, ResultError> {
    let records = |r: &RunResult| -> Vec<LatencyRecord> {
        let latency = &r.latency;
        latency
            .operations
            .iter()
            .chain(&latency.turns)
            .cloned()
            .collect()
    };
    let (b, n) = (records(base), records(new));
    let keys = |list: &[LatencyRecord]| -> Vec<LatencyKey> {
        list.iter().map(|r| r.key.clone()).collect()
    };
    let mut changes = Vec::new();
    for key in union(&keys(&b), &keys(&n)) {
        let find = |list: &[LatencyRecord]| list.iter().find(|r| r.key == key).map(percentiles);
        let before = find(&b).transpose()?.filter(|p| p.count > 0);
        let after = find(&n).transpose()?.filter(|p| p.count > 0);
        let p95_change_pct = match (before, after) {
            (Some(b), Some(a)) if b.p95_us > 0 => {
                Some((a.p95_us as f64 / b.p95_us as f64 - 1.0) * 100.0)
            }
            _ => None,
        };
        let regressed = match (before, after, p95_change_pct) {
            (Some(b), Some(a), Some(change)) => {
                change > t.p95_increase && a.p95_us.saturating_sub(b.p95_us) >= t.latency_floor_us
            }
            _ => false,
        };
        let (name, scope) = match &key {
            LatencyKey::Operation { operation } => (operation.as_str().to_string(), "operation"),
            LatencyKey::Turn {
                suite,
                conversation,
                turn,
            } => (format!("{suite} / {conversation} / turn {turn}"), "turn"),
        };
        changes.push(LatencyChange {
            name,
            scope,
            base: before,
            new: after,
            p95_change_pct,
            regressed,
        });
    }
    Ok(changes)
}

/// Percentiles from the exact histogram (the stored summary is only for readers).
fn percentiles(record: &LatencyRecord) -> Result<Percentiles, ResultError> {
    let h = decode_histogram(&record.hdr)?;
    let at = |q: f64| {
        if h.is_empty() {
            0
        } else {
            h.value_at_quantile(q)
        }
    };
    Ok(Percentiles {
        count: h.len(),
        p50_us: at(0.50),
        p90_us: at(0.90),
        p95_us: at(0.95),
        p99_us: at(0.99),
    })
}

#[cfg(test)]
mod tests;
