//! `convoy compare`: what changed between two runs, and whether the change is larger than
//! the noise. Pass rate per conversation, recall and precision per field (Fisher's exact
//! test), and latency percentiles per operation, per conversation × turn and time to
//! first chunk (Mann–Whitney U on the exact HDR histograms of both run.json files), and
//! per persona (and overall) the success rate (as a pass rate) and turns to completion
//! (as a latency distribution, in turns), with Holm's correction over all the rows.
//!
//! Pure: two [`RunResult`]s in, a [`Comparison`] out; the numerics are in [`stats`],
//! the rows in `latency` and `rates`, rendering is in [`render`]. It must not read files or decide exit codes (the CLI does).

mod latency;
mod personas;
mod rates;
pub mod render;
pub mod stats;

pub use latency::{LatencyChange, Percentiles};
pub use personas::{PersonaChange, TurnPercentiles, TurnsChange};
pub use rates::{FieldChange, ProportionChange, RateChange};
pub use stats::Proportion;

use crate::report::result::{ResultError, RunResult};
use serde::Serialize;

/// How the p-values of many rows are corrected, so that comparing more rows does not
/// raise more false alarms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// Holm's step-down method: as safe as Bonferroni, never less powerful.
    Holm,
    /// Each p-value times the number of rows.
    Bonferroni,
}

/// What must hold before a change counts: its size (tolerances) and its significance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tolerances {
    /// Percentage points a conversation's pass rate may drop (default 1).
    pub pass_rate_drop: f64,
    /// Percentage points a field's recall may drop (default 2).
    pub recall_drop: f64,
    /// Percentage points a field's precision may drop (default 2).
    pub precision_drop: f64,
    /// The latency percentile that is judged, 0–100 (default 95).
    pub percentile: f64,
    /// Percent that percentile may grow (default 10).
    pub latency_increase: f64,
    /// A latency change smaller than this many microseconds is never a regression, nor
    /// smaller than the histograms' resolution at that value (default 1000 µs).
    pub latency_floor_us: u64,
    /// Significance level after correction (default 0.01).
    pub alpha: f64,
    /// Latency rows with fewer samples on either side are "too few samples" (default 30).
    pub min_samples: u64,
    pub correction: Correction,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            pass_rate_drop: 1.0,
            recall_drop: 2.0,
            precision_drop: 2.0,
            percentile: 95.0,
            latency_increase: 10.0,
            latency_floor_us: 1000,
            alpha: 0.01,
            min_samples: 30,
            correction: Correction::Holm,
        }
    }
}

impl Tolerances {
    fn adjust(&self, p_values: &[f64]) -> Vec<f64> {
        match self.correction {
            Correction::Holm => stats::holm(p_values),
            Correction::Bonferroni => stats::bonferroni(p_values),
        }
    }

    /// The normal quantile of the (1 − α) two-sided intervals shown beside changes.
    fn interval_z(&self) -> f64 {
        stats::normal_isf(self.alpha / 2.0)
    }
}

/// The verdict on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Worse by more than the tolerance, and significantly so.
    Regressed,
    /// Better by more than the tolerance, and significantly so.
    Improved,
    /// Within the tolerance, or not told apart from noise.
    Unchanged,
    /// Too few samples for any difference to be told from noise; never a regression.
    TooFewSamples,
    /// Only the new run has the row.
    Added,
    /// Only the base run has the row.
    Removed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Regressed => "regressed",
            Status::Improved => "improved",
            Status::Unchanged => "unchanged",
            Status::TooFewSamples => "too few samples",
            Status::Added => "new",
            Status::Removed => "gone",
        }
    }

    /// Rows the default table shows: those that changed significantly.
    pub fn is_significant(self) -> bool {
        matches!(self, Status::Regressed | Status::Improved)
    }

    /// The provisional verdict of a row from which sides have it.
    fn presence(base: bool, new: bool) -> Status {
        match (base, new) {
            (false, _) => Status::Added,
            (_, false) => Status::Removed,
            _ => Status::Unchanged,
        }
    }

    /// The worse of two verdicts on one row (a field's recall and precision).
    fn worst(self, other: Status) -> Status {
        let rank = |s: Status| match s {
            Status::Regressed => 0,
            Status::Improved => 1,
            Status::Unchanged => 3,
            Status::TooFewSamples => 2,
            Status::Added | Status::Removed => 4,
        };
        if rank(other) < rank(self) {
            other
        } else {
            self
        }
    }
}

/// Both runs side by side, every row judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub base_run: String,
    pub new_run: String,
    pub tolerances: Tolerances,
    pub pass_rates: Vec<RateChange>,
    pub fields: Vec<FieldChange>,
    pub latency: Vec<LatencyChange>,
    /// Every persona together first, then each persona; empty when neither run has any.
    pub personas: Vec<PersonaChange>,
    /// Any row regressed.
    pub regressed: bool,
}

impl Comparison {
    /// Every row's status, for the one-line count of the rows a table leaves out.
    pub fn statuses(&self) -> impl Iterator<Item = Status> + '_ {
        let rates = self.pass_rates.iter().map(|r| r.change.status);
        let fields = self.fields.iter().map(|f| f.status);
        let latency = self.latency.iter().map(|l| l.status);
        let success = self.personas.iter().map(|p| p.success.status);
        let turns = self
            .personas
            .iter()
            .filter_map(|p| p.turns.as_ref().map(|t| t.status));
        rates
            .chain(fields)
            .chain(latency)
            .chain(success)
            .chain(turns)
    }
}

/// Compares `new` with `base`. Fails only when a histogram cannot be decoded.
pub fn compare(
    base: &RunResult,
    new: &RunResult,
    tolerances: Tolerances,
) -> Result<Comparison, ResultError> {
    let pass_rates = rates::rate_changes(base, new, &tolerances);
    let fields = rates::field_changes(base, new, &tolerances);
    let latency = latency::latency_changes(base, new, &tolerances)?;
    let personas = personas::persona_changes(base, new, &tolerances)?;
    let mut comparison = Comparison {
        base_run: base.run_id.clone(),
        new_run: new.run_id.clone(),
        tolerances,
        pass_rates,
        fields,
        latency,
        personas,
        regressed: false,
    };
    judge_all(&mut comparison);
    let regressed = comparison.statuses().any(|s| s == Status::Regressed);
    comparison.regressed = regressed;
    Ok(comparison)
}

/// Corrects every row's p-value as one family, so that the chance of any false alarm in
/// the whole comparison stays at α however many rows it has, then judges each row.
fn judge_all(c: &mut Comparison) {
    let t = c.tolerances;
    let raw: Vec<f64> = c
        .pass_rates
        .iter()
        .map(|r| &r.change)
        .chain(c.fields.iter().flat_map(|f| [&f.recall, &f.precision]))
        .filter_map(|c| c.p_value)
        .chain(c.latency.iter().filter_map(|l| l.p_value))
        .chain(personas::p_values(&c.personas))
        .collect();
    let mut adjusted = t.adjust(&raw).into_iter();
    let mut next = || adjusted.next().unwrap_or(1.0);
    for row in c
        .pass_rates
        .iter_mut()
        .filter(|r| r.change.p_value.is_some())
    {
        rates::judge(&mut row.change, next(), t.pass_rate_drop, &t);
    }
    for row in c.fields.iter_mut() {
        for (change, tolerance) in [
            (&mut row.recall, t.recall_drop),
            (&mut row.precision, t.precision_drop),
        ] {
            if change.p_value.is_some() {
                rates::judge(change, next(), tolerance, &t);
            }
        }
        row.status = rates::field_status(&row.recall, &row.precision);
    }
    for row in c.latency.iter_mut().filter(|l| l.p_value.is_some()) {
        row.p_adjusted = Some(next());
        row.status = latency::judge(row, &t);
    }
    personas::judge(&mut c.personas, &mut next, &t);
}

/// Keys of `new` in its order, then keys only `base` has.
/// Hashed, since a data-driven run has tens of thousands of per-turn rows.
fn union<K: Eq + std::hash::Hash + Clone>(base: &[K], new: &[K]) -> Vec<K> {
    let in_new: std::collections::HashSet<&K> = new.iter().collect();
    let mut keys: Vec<K> = new.to_vec();
    keys.extend(base.iter().filter(|k| !in_new.contains(k)).cloned());
    keys
}

#[cfg(test)]
mod tests;
