//! Latency rows of a comparison: per operation, per conversation × turn and time to first
//! chunk, each judged on the chosen percentile (size: tolerance and floor) and on the
//! Mann–Whitney U test of the two whole histograms (significance, after correction).

use super::stats;
use super::{Status, Tolerances, union};
use crate::report::result::{LatencyKey, LatencyRecord, ResultError, RunResult, decode_histogram};
use hdrhistogram::Histogram;
use serde::Serialize;

/// Percentiles in µs of one histogram, and the judged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    /// The percentile that is judged (`Tolerances::percentile`).
    pub judged_us: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyChange {
    /// `create`, `send`, or `suite / conversation / turn N`.
    pub name: String,
    /// `operation`, `turn`, `ttfc` (time to first chunk per operation) or `ttfc turn`.
    pub scope: &'static str,
    pub base: Option<Percentiles>,
    pub new: Option<Percentiles>,
    /// Judged percentile: new / base − 1, in percent.
    pub change_pct: Option<f64>,
    /// Judged percentile: new − base, µs.
    pub change_us: Option<i64>,
    /// (1 − α) interval of new − base of the judged percentile, µs (conservative: each
    /// side's order-statistic interval at 1 − α/2).
    pub interval_us: Option<(i64, i64)>,
    /// The smallest change that counts here: the floor or the histograms' resolution.
    pub floor_us: u64,
    /// P(a new sample is slower than a base one), from the U statistic.
    pub new_slower: Option<f64>,
    /// Mann–Whitney two-sided p-value, then corrected for the latency rows compared.
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub status: Status,
}

impl LatencyChange {
    pub fn regressed(&self) -> bool {
        self.status == Status::Regressed
    }
}

/// Rows of every kind the runs have, with their scope names.
fn records(r: &RunResult) -> Vec<(&'static str, &LatencyRecord)> {
    let l = &r.latency;
    let mut out: Vec<(&'static str, &LatencyRecord)> = Vec::new();
    out.extend(l.operations.iter().map(|x| ("operation", x)));
    out.extend(l.turns.iter().map(|x| ("turn", x)));
    out.extend(l.ttfc.iter().map(|x| ("ttfc", x)));
    out.extend(l.ttfc_turns.iter().map(|x| ("ttfc turn", x)));
    out
}

fn display_name(key: &LatencyKey) -> String {
    match key {
        LatencyKey::Operation { operation } => operation.as_str().to_string(),
        LatencyKey::Turn {
            suite,
            conversation,
            turn,
        } => format!("{suite} / {conversation} / turn {turn}"),
        LatencyKey::Tag { tag, operation } => format!("tag {tag} / {}", operation.as_str()),
    }
}

pub(super) fn percentiles(h: &Histogram<u64>, judged: f64) -> Percentiles {
    let at = |q: f64| {
        if h.is_empty() {
            0
        } else {
            h.value_at_quantile(q)
        }
    };
    Percentiles {
        count: h.len(),
        p50_us: at(0.50),
        p90_us: at(0.90),
        p95_us: at(0.95),
        p99_us: at(0.99),
        judged_us: at(judged / 100.0),
    }
}

/// A run's records by (scope, key), for lookups while walking the union of both runs.
type Index<'a> = std::collections::HashMap<(&'static str, &'a LatencyKey), &'a LatencyRecord>;

fn index<'a>(list: &[(&'static str, &'a LatencyRecord)]) -> Index<'a> {
    list.iter()
        .map(|(scope, r)| ((*scope, &r.key), *r))
        .collect()
}

/// One side's decoded histogram, or `None` when the row is absent or empty.
fn side(
    index: &Index<'_>,
    scope: &'static str,
    key: &LatencyKey,
) -> Result<Option<Histogram<u64>>, ResultError> {
    let Some(record) = index.get(&(scope, key)) else {
        return Ok(None);
    };
    let h = decode_histogram(&record.hdr)?;
    Ok((!h.is_empty()).then_some(h))
}

pub(super) fn latency_changes(
    base: &RunResult,
    new: &RunResult,
    t: &Tolerances,
) -> Result<Vec<LatencyChange>, ResultError> {
    let (b, n) = (records(base), records(new));
    let keys = |list: &[(&'static str, &LatencyRecord)]| -> Vec<(&'static str, LatencyKey)> {
        list.iter().map(|(s, r)| (*s, r.key.clone())).collect()
    };
    let (base_index, new_index) = (index(&b), index(&n));
    let mut rows = Vec::new();
    for (scope, key) in union(&keys(&b), &keys(&n)) {
        let before = side(&base_index, scope, &key)?;
        let after = side(&new_index, scope, &key)?;
        rows.push(measure(
            display_name(&key),
            scope,
            before.as_ref(),
            after.as_ref(),
            t,
        ));
    }
    Ok(rows)
}

/// Sizes, interval and raw p-value of one row; its status is provisional (new, gone, too
/// few samples) until the p-values of all rows are corrected.
fn measure(
    name: String,
    scope: &'static str,
    base: Option<&Histogram<u64>>,
    new: Option<&Histogram<u64>>,
    t: &Tolerances,
) -> LatencyChange {
    let mut row = LatencyChange {
        name,
        scope,
        base: base.map(|h| percentiles(h, t.percentile)),
        new: new.map(|h| percentiles(h, t.percentile)),
        change_pct: None,
        change_us: None,
        interval_us: None,
        floor_us: t.latency_floor_us,
        new_slower: None,
        p_value: None,
        p_adjusted: None,
        status: Status::presence(base.is_some(), new.is_some()),
    };
    let (Some(b), Some(n)) = (base, new) else {
        return row;
    };
    let shift = shift(b, n, t.latency_floor_us, t);
    row.change_us = Some(shift.change);
    row.change_pct = shift.change_pct;
    row.floor_us = shift.floor;
    row.interval_us = Some(shift.interval);
    match shift.test {
        _ if shift.too_few => row.status = Status::TooFewSamples,
        Some(u) => {
            row.new_slower = Some(u.new_larger);
            row.p_value = Some(u.p_value);
        }
        None => {}
    }
    row
}

/// How one distribution moved against another, in the histograms' own unit (µs for
/// latency, turns for persona turns): the judged percentile's change, its interval, the
/// smallest change that counts, and the U test of the whole histograms.
pub(super) struct Shift {
    /// Judged percentile: new − base.
    pub change: i64,
    /// Judged percentile: new / base − 1, in percent; `None` when base is 0.
    pub change_pct: Option<f64>,
    /// (1 − α) interval of new − base of the judged percentile.
    pub interval: (i64, i64),
    /// `min_floor`, or the histograms' resolution at the percentile if coarser.
    pub floor: u64,
    /// Fewer than `min_samples` on a side: never judged.
    pub too_few: bool,
    /// `None` when too few samples (or a side is empty).
    pub test: Option<stats::UTest>,
}

/// The [`Shift`] of `new` from `base`, both non-empty; changes under `min_floor` never count.
pub(super) fn shift(
    b: &Histogram<u64>,
    n: &Histogram<u64>,
    min_floor: u64,
    t: &Tolerances,
) -> Shift {
    let q = t.percentile / 100.0;
    let (pb, pn) = (b.value_at_quantile(q), n.value_at_quantile(q));
    // The histograms cannot tell apart values closer than one bucket at this magnitude.
    let larger = pb.max(pn);
    let resolution = n.highest_equivalent(larger) - n.lowest_equivalent(larger) + 1;
    // Each side at 1 − α/2 so that the box of both holds the difference at ≥ 1 − α.
    let z = stats::normal_isf(t.alpha / 4.0);
    let (bl, bh) = stats::quantile_interval(b, q, z);
    let (nl, nh) = stats::quantile_interval(n, q, z);
    let too_few = b.len() < t.min_samples || n.len() < t.min_samples;
    Shift {
        change: pn as i64 - pb as i64,
        change_pct: (pb > 0).then(|| (pn as f64 / pb as f64 - 1.0) * 100.0),
        interval: (nl as i64 - bh as i64, nh as i64 - bl as i64),
        floor: min_floor.max(resolution),
        too_few,
        test: if too_few {
            None
        } else {
            stats::mann_whitney(b, n)
        },
    }
}

/// Regressed: the percentile grew past the tolerance and the floor, its interval lies
/// wholly above zero, and the whole distribution moved the same way significantly.
/// Improved: the mirror image.
pub(super) fn judge(row: &LatencyChange, t: &Tolerances) -> Status {
    let (Some(change_us), Some(p), Some(slower)) = (row.change_us, row.p_adjusted, row.new_slower)
    else {
        return row.status;
    };
    let shift = Judged {
        change: change_us,
        change_pct: row.change_pct,
        interval: row.interval_us,
        floor: row.floor_us,
    };
    judge_shift(&shift, p, slower, t)
}

/// What [`judge_shift`] weighs of a percentile's move, in the histograms' unit.
pub(super) struct Judged {
    pub change: i64,
    pub change_pct: Option<f64>,
    /// The (1 − α) interval of the change, when known.
    pub interval: Option<(i64, i64)>,
    pub floor: u64,
}

/// The rule of [`judge`] on a shift in any unit: `new_larger` is P(new > base) from the
/// U test, `p` its corrected p-value. The U test alone is not enough: a loaded machine can
/// slow one run's whole distribution a little, which many samples make "significant",
/// while the percentile itself is not established to have moved (its interval holds
/// zero). Both must agree before a row gates CI.
pub(super) fn judge_shift(shift: &Judged, p: f64, new_larger: f64, t: &Tolerances) -> Status {
    let change = shift.change;
    let pct = (shift.change_pct).unwrap_or(if change > 0 { f64::INFINITY } else { 0.0 });
    let large = pct.abs() > t.latency_increase && change.unsigned_abs() >= shift.floor;
    let significant = p < t.alpha;
    let (above, below) = shift
        .interval
        .map_or((true, true), |(low, high)| (low > 0, high < 0));
    if large && significant && above && change > 0 && new_larger > 0.5 {
        Status::Regressed
    } else if large && significant && below && change < 0 && new_larger < 0.5 {
        Status::Improved
    } else {
        Status::Unchanged
    }
}
