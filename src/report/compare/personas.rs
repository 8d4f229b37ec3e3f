//! Persona rows of a comparison, per persona (matched by suite and persona name) and for
//! every persona together: the success rate, measured and judged exactly like a
//! conversation's pass rate (the same functions of `rates`), and turns to completion,
//! measured and judged like a latency distribution (the same [`latency::shift`] and
//! [`latency::judge_shift`]) but in turns: more turns is worse.

use super::latency;
use super::rates::{self, ProportionChange};
use super::stats::Proportion;
use super::{Status, Tolerances, union};
use crate::report::result::{PersonaStats, ResultError, RunResult, decode_histogram};
use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::HashMap;

/// A change of fewer turns than this never counts (turns are whole numbers).
const MIN_TURNS: u64 = 1;

/// Percentiles of turns to completion, and the judged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TurnPercentiles {
    /// Submitted runs the figures rest on.
    pub count: u64,
    pub p50: u64,
    pub p90: u64,
    pub p95: u64,
    pub p99: u64,
    /// The percentile that is judged (`Tolerances::percentile`, as for latency).
    pub judged: u64,
}

/// Turns to completion of one persona in both runs, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnsChange {
    pub base: Option<TurnPercentiles>,
    pub new: Option<TurnPercentiles>,
    /// Judged percentile: new / base − 1, in percent.
    pub change_pct: Option<f64>,
    /// Judged percentile: new − base, in turns.
    pub change_turns: Option<i64>,
    /// (1 − α) interval of new − base of the judged percentile, in turns.
    pub interval_turns: Option<(i64, i64)>,
    /// The smallest change that counts: one turn.
    pub floor_turns: u64,
    /// P(a new run takes more turns than a base one), from the U statistic.
    pub new_more: Option<f64>,
    /// Mann–Whitney two-sided p-value, then corrected with every row of the comparison.
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub status: Status,
}

/// One persona (or every persona together) in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonaChange {
    /// Empty for the row of every persona together.
    pub suite: String,
    /// The persona's name, or `all personas`.
    pub persona: String,
    /// Runs whose every expectation held / runs.
    pub success: ProportionChange,
    /// `None` when neither run has a submitted run of this persona.
    pub turns: Option<TurnsChange>,
}

impl PersonaChange {
    /// `suite / persona`, or `all personas` for the overall row.
    pub fn name(&self) -> String {
        if self.suite.is_empty() {
            self.persona.clone()
        } else {
            format!("{} / {}", self.suite, self.persona)
        }
    }
}

/// The overall row first, then each persona, of a run with personas.
fn rows(r: &RunResult) -> Vec<&PersonaStats> {
    r.personas
        .iter()
        .flat_map(|p| std::iter::once(&p.overall).chain(&p.personas))
        .collect()
}

type Key = (String, String);

fn key(s: &PersonaStats) -> Key {
    (s.suite.clone(), s.persona.clone())
}

fn success(s: &PersonaStats) -> Proportion {
    Proportion {
        successes: s.counts.succeeded,
        trials: s.counts.runs,
    }
}

/// The decoded turns histogram, `None` without a submitted run.
fn turns(s: Option<&&PersonaStats>) -> Result<Option<Histogram<u64>>, ResultError> {
    let Some(s) = s else {
        return Ok(None);
    };
    let h = decode_histogram(&s.turns_hdr)?;
    Ok((!h.is_empty()).then_some(h))
}

/// Every persona row of both runs, measured; judged once all p-values are corrected.
pub(super) fn persona_changes(
    base: &RunResult,
    new: &RunResult,
    t: &Tolerances,
) -> Result<Vec<PersonaChange>, ResultError> {
    let (b, n) = (rows(base), rows(new));
    let keys = |list: &[&PersonaStats]| -> Vec<Key> { list.iter().map(|s| key(s)).collect() };
    // The first row of a name wins, as one row per name is shown.
    let by_key = |list: &[&'_ PersonaStats]| -> HashMap<Key, usize> {
        let mut map = HashMap::new();
        for (i, s) in list.iter().enumerate() {
            map.entry(key(s)).or_insert(i);
        }
        map
    };
    let (base_by_key, new_by_key) = (by_key(&b), by_key(&n));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for k in union(&keys(&b), &keys(&n)) {
        if !seen.insert(k.clone()) {
            continue;
        }
        let before = base_by_key.get(&k).map(|&i| &b[i]);
        let after = new_by_key.get(&k).map(|&i| &n[i]);
        let (tb, tn) = (turns(before)?, turns(after)?);
        let turns =
            (tb.is_some() || tn.is_some()).then(|| measure_turns(tb.as_ref(), tn.as_ref(), t));
        out.push(PersonaChange {
            success: rates::measure(before.map(|s| success(s)), after.map(|s| success(s)), t),
            turns,
            suite: k.0,
            persona: k.1,
        });
    }
    Ok(out)
}

fn turn_percentiles(h: &Histogram<u64>, t: &Tolerances) -> TurnPercentiles {
    let p = latency::percentiles(h, t.percentile);
    TurnPercentiles {
        count: p.count,
        p50: p.p50_us,
        p90: p.p90_us,
        p95: p.p95_us,
        p99: p.p99_us,
        judged: p.judged_us,
    }
}

/// Sizes, interval and raw p-value of turns to completion; the status is provisional
/// (new, gone, too few samples) until the p-values of all rows are corrected.
fn measure_turns(
    base: Option<&Histogram<u64>>,
    new: Option<&Histogram<u64>>,
    t: &Tolerances,
) -> TurnsChange {
    let mut row = TurnsChange {
        base: base.map(|h| turn_percentiles(h, t)),
        new: new.map(|h| turn_percentiles(h, t)),
        change_pct: None,
        change_turns: None,
        interval_turns: None,
        floor_turns: MIN_TURNS,
        new_more: None,
        p_value: None,
        p_adjusted: None,
        status: Status::presence(base.is_some(), new.is_some()),
    };
    let (Some(b), Some(n)) = (base, new) else {
        return row;
    };
    let shift = latency::shift(b, n, MIN_TURNS, t);
    row.change_pct = shift.change_pct;
    row.change_turns = Some(shift.change);
    row.interval_turns = Some(shift.interval);
    row.floor_turns = shift.floor;
    match shift.test {
        _ if shift.too_few => row.status = Status::TooFewSamples,
        Some(u) => {
            row.new_more = Some(u.new_larger);
            row.p_value = Some(u.p_value);
        }
        None => {}
    }
    row
}

/// The raw p-values of every persona row, success rates first, in the order [`judge`]
/// takes the corrected ones back.
pub(super) fn p_values(rows: &[PersonaChange]) -> impl Iterator<Item = f64> + '_ {
    let success = rows.iter().filter_map(|r| r.success.p_value);
    let turns = rows
        .iter()
        .filter_map(|r| r.turns.as_ref().and_then(|c| c.p_value));
    success.chain(turns)
}

/// Judges every row with the corrected p-values drawn from `next`, in [`p_values`]'s order.
pub(super) fn judge(rows: &mut [PersonaChange], next: &mut impl FnMut() -> f64, t: &Tolerances) {
    for row in rows.iter_mut().filter(|r| r.success.p_value.is_some()) {
        rates::judge(&mut row.success, next(), t.pass_rate_drop, t);
    }
    let tested = rows
        .iter_mut()
        .filter_map(|r| r.turns.as_mut())
        .filter(|c| c.p_value.is_some());
    for change in tested {
        // Taken before anything else, so that every tested row takes its own p-value.
        let p = next();
        change.p_adjusted = Some(p);
        if let (Some(turns), Some(more)) = (change.change_turns, change.new_more) {
            let shift = latency::Judged {
                change: turns,
                change_pct: change.change_pct,
                interval: change.interval_turns,
                floor: change.floor_turns,
            };
            change.status = latency::judge_shift(&shift, p, more, t);
        }
    }
}
