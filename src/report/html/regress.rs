//! The regression tables of `report.html`: each conversation's pass rate over its runs
//! (Wilson 95% interval, flaky flag) and the extraction scorecard per field.
//!
//! Only reads a [`RunResult`]; every text goes through [`esc`].

use super::escape::esc;
use super::tables::{TABLE_END, num, table_head};
use crate::report::cells::percent;
use crate::report::result::{FieldScoreRow, RunResult};
use std::fmt::Write;

/// Sort key of a ratio cell: tenths of a percent, `0` for none.
fn key(ratio: Option<f64>) -> u64 {
    ratio.map_or(0, |r| (r * 1000.0).round() as u64)
}

/// One row per conversation; shown when some conversation ran more than once.
pub fn pass_rates(r: &RunResult) -> Option<String> {
    if !r.pass_rates.iter().any(|p| p.runs > 1) {
        return None;
    }
    let columns = [
        "conversation",
        "runs",
        "passed",
        "pass rate",
        "95% low",
        "95% high",
        "required",
        "verdict",
    ];
    let mut out = table_head(&columns);
    for p in &r.pass_rates {
        let flaky = if p.flaky { " · flaky" } else { "" };
        let _ = write!(
            out,
            "<tr><td>{} / {}</td>{}{}{}{}{}{}<td class=\"{}\">{}{}</td></tr>",
            esc(&p.suite),
            esc(&p.conversation),
            num(p.runs, p.runs.to_string()),
            num(p.passed, p.passed.to_string()),
            num(key(Some(p.rate)), percent(Some(p.rate))),
            num(key(Some(p.low)), percent(Some(p.low))),
            num(key(Some(p.high)), percent(Some(p.high))),
            num(key(Some(p.min_pass_rate)), percent(Some(p.min_pass_rate))),
            p.verdict.as_str(),
            p.verdict.as_str(),
            flaky,
        );
    }
    out.push_str(TABLE_END);
    Some(out)
}

/// The overall scorecard, then one per suite when the run has several.
pub fn scorecard(r: &RunResult) -> Option<String> {
    if r.scorecard.is_empty() {
        return None;
    }
    let mut out = rows_table(&r.scorecard.overall);
    if r.scorecard.suites.len() > 1 {
        for suite in &r.scorecard.suites {
            let _ = write!(out, "<h3>{}</h3>", esc(&suite.suite));
            out.push_str(&rows_table(&suite.fields));
        }
    }
    Some(out)
}

fn rows_table(rows: &[FieldScoreRow]) -> String {
    let columns = [
        "field",
        "expected",
        "correct",
        "wrong",
        "missed",
        "unexpected",
        "precision",
        "recall",
    ];
    let mut out = table_head(&columns);
    for f in rows {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td>{}{}{}{}{}{}{}</tr>",
            esc(&f.field),
            num(f.expected, f.expected.to_string()),
            num(f.correct, f.correct.to_string()),
            num(f.wrong, f.wrong.to_string()),
            num(f.missed, f.missed.to_string()),
            num(f.unexpected, f.unexpected.to_string()),
            num(key(f.precision), percent(f.precision)),
            num(key(f.recall), percent(f.recall)),
        );
    }
    out.push_str(TABLE_END);
    out
}
