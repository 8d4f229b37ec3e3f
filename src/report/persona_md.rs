//! The personas table of `summary.md`: the terminal table's figures (runs, success with
//! its 95% interval, turns to completion p50/p90 and max, stuck, over budget, errored,
//! re-asks) per persona, then all personas. Only reads a [`RunResult`]; names go through
//! [`md_escape`] so a hostile persona name stays text.

use crate::report::cells::md_escape;
use crate::report::persona_rows::{interval, rows, success, turns};
use crate::report::result::RunResult;
use std::fmt::Write;

/// Appends the table when the run has personas.
pub(crate) fn markdown(out: &mut String, r: &RunResult) {
    let Some(section) = &r.personas else {
        return;
    };
    out.push_str(
        "| persona | runs | success | 95% interval | turns p50/p90 | turns max | stuck | over budget | errored | re-asks |\n",
    );
    out.push_str("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for row in rows(section) {
        let s = row.stats;
        let c = &s.counts;
        let (middle, max) = turns(s);
        let label = md_escape(&row.label);
        // The overall row stands out in bold; its label is convoy's own words.
        let label = if row.overall {
            format!("**{label}**")
        } else {
            label
        };
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {middle} | {max} | {} | {} | {} | {} |",
            c.runs,
            success(s),
            interval(s),
            c.stuck,
            c.over_budget,
            c.errored,
            c.re_asks,
        );
    }
    out.push('\n');
}
