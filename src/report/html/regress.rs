//! The regression tables of `report.html`: each conversation's pass rate over its runs
//! (Wilson 95% interval, flaky flag) and the extraction scorecard per field.
//!
//! Only reads a [`RunResult`]; markup is maud's `html!`, so every value is escaped, and
//! text from the run goes through [`visible`]. Nothing here is inserted unescaped.

use super::tables::{num, table};
use super::text::visible;
use crate::report::cells::percent;
use crate::report::result::{FieldScoreRow, RunResult};
use maud::{Markup, html};

/// Sort key of a ratio cell: tenths of a percent, `0` for none.
fn key(ratio: Option<f64>) -> u64 {
    ratio.map_or(0, |r| (r * 1000.0).round() as u64)
}

/// A cell for a ratio: shown as a percentage, sorted by [`key`].
fn ratio(r: Option<f64>) -> Markup {
    num(key(r), percent(r))
}

/// One row per conversation; shown when some conversation ran more than once.
pub fn pass_rates(r: &RunResult) -> Option<Markup> {
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
    let rows = html! {
        @for p in &r.pass_rates {
            tr {
                td { (visible(&p.suite)) " / " (visible(&p.conversation)) }
                (num(p.runs, p.runs.to_string()))
                (num(p.passed, p.passed.to_string()))
                (ratio(Some(p.rate)))
                (ratio(Some(p.low)))
                (ratio(Some(p.high)))
                (ratio(Some(p.min_pass_rate)))
                td.(p.verdict.as_str()) {
                    (p.verdict.as_str())
                    @if p.flaky { " · flaky" }
                }
            }
        }
    };
    Some(table(&columns, rows))
}

/// The overall scorecard, then one per suite when the run has several.
pub fn scorecard(r: &RunResult) -> Option<Markup> {
    if r.scorecard.is_empty() {
        return None;
    }
    Some(html! {
        (rows_table(&r.scorecard.overall))
        @if r.scorecard.suites.len() > 1 {
            @for suite in &r.scorecard.suites {
                h3 { (visible(&suite.suite)) }
                (rows_table(&suite.fields))
            }
        }
    })
}

fn rows_table(rows: &[FieldScoreRow]) -> Markup {
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
    let body = html! {
        @for f in rows {
            tr {
                td { code { (visible(&f.field)) } }
                (num(f.expected, f.expected.to_string()))
                (num(f.correct, f.correct.to_string()))
                (num(f.wrong, f.wrong.to_string()))
                (num(f.missed, f.missed.to_string()))
                (num(f.unexpected, f.unexpected.to_string()))
                (ratio(f.precision))
                (ratio(f.recall))
            }
        }
    };
    table(&columns, body)
}
