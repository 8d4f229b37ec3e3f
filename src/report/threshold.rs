//! Evaluates thresholds on a finished [`RunResult`]: reads its histograms and counters,
//! and stores one [`ThresholdResult`] per threshold in it. Reads nothing else and runs
//! nothing; parsing is [`crate::common::threshold`]'s.
//!
//! A metric with no samples (no streamed turn for `ttfc`, no turn 5 for `turn[5]` or
//! `ttfc.turn[5]`, no conversation for `pass_rate`) fails its threshold with the reason `no samples`: a
//! criterion that could not be checked is not a pass.
//!
//! The persona metrics read the run's overall persona row: a run without personas fails
//! them with `no persona runs`, and `persona.turns` with personas but no submitted run
//! with `no submitted persona runs` (turns to completion need a completion).
//!
//! A functional run schedules nothing, so the load metrics read as a run that kept its
//! schedule: `dropped` and `late` are 0, `dropped_rate` is 0 over its conversations, and
//! latency from the intended start is the service time (as in the closed model).

use crate::common::threshold::{Metric, Series, Stat, Threshold};
use crate::report::cells::ms;
use crate::report::result::{
    LatencyKey, LatencyRecord, OperationName, PersonaStats, RunResult, ThresholdResult,
    decode_histogram,
};
use hdrhistogram::Histogram;

/// A threshold and where it came from (`--threshold` or a suite's `file:line`).
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdSpec {
    pub threshold: Threshold,
    pub source: String,
}

/// Evaluates every spec, replacing the result's thresholds.
pub fn apply_thresholds(result: &mut RunResult, specs: &[ThresholdSpec]) {
    result.thresholds = specs.iter().map(|s| evaluate(result, s)).collect();
}

/// Evaluates one threshold against the run.
pub fn evaluate(result: &RunResult, spec: &ThresholdSpec) -> ThresholdResult {
    let t = &spec.threshold;
    let observed = match t.metric {
        Metric::PassRate => rate(result.counters.passed, result.counters.conversations),
        Metric::ErrorRate => {
            let errors: u64 = result.counters.errors_by_class.values().sum();
            rate(errors, result.counters.requests)
        }
        Metric::Latency(series, stat) => latency(result, series, stat),
        Metric::Dropped => Ok(result.load.as_ref().map_or(0, |l| l.dropped) as f64),
        Metric::Late => Ok(result.load.as_ref().map_or(0, |l| l.late) as f64),
        Metric::DroppedRate => match &result.load {
            Some(l) => rate(l.dropped, l.sessions_started + l.dropped),
            None => rate(0, result.counters.conversations),
        },
        Metric::PersonaSuccessRate => {
            persona_overall(result).map(|o| o.counts.succeeded as f64 / o.counts.runs as f64)
        }
        Metric::PersonaTurns(stat) => persona_turns(result, stat),
    };
    let (observed, passed, reason) = match observed {
        Ok(value) => (
            Some(shown(t.metric, value)),
            t.op.holds(value, t.limit),
            None,
        ),
        Err(reason) => (None, false, Some(reason)),
    };
    ThresholdResult {
        expression: t.expression.clone(),
        source: spec.source.clone(),
        observed,
        passed,
        reason,
    }
}

fn rate(part: u64, whole: u64) -> Result<f64, String> {
    if whole == 0 {
        return Err("no samples".into());
    }
    Ok(part as f64 / whole as f64)
}

fn latency(result: &RunResult, series: Series, stat: Stat) -> Result<f64, String> {
    let records: Vec<&LatencyRecord> = match series {
        Series::Create => operation(&result.latency.operations, OperationName::Create),
        Series::Send => operation(&result.latency.operations, OperationName::Send),
        Series::Summary => operation(&result.latency.operations, OperationName::Summary),
        Series::Ttfc => result.latency.ttfc.iter().collect(),
        Series::Gap => result.latency.gaps.iter().collect(),
        Series::Turn(n) => turn(&result.latency.turns, n),
        Series::TtfcTurn(n) => turn(&result.latency.ttfc_turns, n),
        Series::GapTurn(n) => turn(&result.latency.gap_turns, n),
        Series::IntendedCreate => operation(intended_operations(result), OperationName::Create),
        Series::IntendedSend => operation(intended_operations(result), OperationName::Send),
        Series::IntendedTurn(n) => {
            // A functional run has no intended starts: its service times stand in.
            let records = result.load.as_ref().map(|l| &l.intended_turns);
            turn(records.unwrap_or(&result.latency.turns), n)
        }
    };
    let mut merged: Option<Histogram<u64>> = None;
    for record in records {
        let h = decode_histogram(&record.hdr).map_err(|e| e.to_string())?;
        match &mut merged {
            Some(m) => m
                .add(&h)
                .map_err(|e| format!("cannot merge histograms: {e:?}"))?,
            None => merged = Some(h),
        }
    }
    let Some(h) = merged.filter(|h| !h.is_empty()) else {
        return Err("no samples".into());
    };
    Ok(statistic(&h, stat))
}

fn statistic(h: &Histogram<u64>, stat: Stat) -> f64 {
    match stat.quantile() {
        Some(q) => h.value_at_quantile(q) as f64,
        None if stat == Stat::Max => h.max() as f64,
        None => h.mean(),
    }
}

/// Every persona together, when the run had at least one persona run.
fn persona_overall(result: &RunResult) -> Result<&PersonaStats, String> {
    result
        .personas
        .as_ref()
        .map(|p| &p.overall)
        .filter(|o| o.counts.runs > 0)
        .ok_or_else(|| "no persona runs".to_string())
}

/// Turns to completion over every persona, from the exact histogram (the summary has
/// no p95 or p99).
fn persona_turns(result: &RunResult, stat: Stat) -> Result<f64, String> {
    let overall = persona_overall(result)?;
    let h = decode_histogram(&overall.turns_hdr).map_err(|e| e.to_string())?;
    if h.is_empty() {
        return Err("no submitted persona runs".into());
    }
    Ok(statistic(&h, stat))
}

/// Latency from the intended start per operation; a functional run's service times.
fn intended_operations(result: &RunResult) -> &[LatencyRecord] {
    result
        .load
        .as_ref()
        .map_or(&result.latency.operations, |l| &l.intended)
}

/// Turn `n` of every conversation.
fn turn(records: &[LatencyRecord], n: usize) -> Vec<&LatencyRecord> {
    records
        .iter()
        .filter(|r| matches!(r.key, LatencyKey::Turn { turn, .. } if turn == n))
        .collect()
}

fn operation(records: &[LatencyRecord], op: OperationName) -> Vec<&LatencyRecord> {
    records
        .iter()
        .filter(|r| r.key == LatencyKey::Operation { operation: op })
        .collect()
}

fn shown(metric: Metric, value: f64) -> String {
    if metric.is_latency() {
        format!("{} ms", ms(value.round() as u64))
    } else if metric.is_count() {
        format!("{value:.0}")
    } else if metric.is_turns() {
        // Percentiles and max are whole turns; a mean keeps two decimals.
        if value.fract() == 0.0 {
            format!("{value:.0}")
        } else {
            format!("{value:.2}")
        }
    } else {
        format!("{value:.4}")
    }
}

/// One line per threshold for the terminal and summaries: `✓ send.p95<2s (812.345 ms)`.
pub fn threshold_line(t: &ThresholdResult) -> String {
    let mark = if t.passed { "✓" } else { "✗" };
    let detail = match (&t.observed, &t.reason) {
        (_, Some(reason)) => reason.clone(),
        (Some(observed), None) => format!("observed {observed}"),
        (None, None) => String::new(),
    };
    format!("{mark} {} ({detail}) [{}]", t.expression, t.source)
}
