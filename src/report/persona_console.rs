//! The personas table of the terminal summary (functional and load runs alike): per
//! persona, its runs, how many succeeded (with the 95% Wilson interval), turns to
//! completion (median, p90, max user messages of the submitted runs), and how many runs
//! ended stuck, over budget or errored, with the re-asks; then all personas together.
//! Read from the result's personas section. Renders text only.

use crate::report::console::sanitize;
use crate::report::result::{PersonaStats, RunResult};
use std::fmt::Write;

/// Appends the table when the run has persona conversations.
pub(crate) fn render(out: &mut String, result: &RunResult) {
    let Some(section) = &result.personas else {
        return;
    };
    let mut rows: Vec<(String, &PersonaStats)> = section
        .personas
        .iter()
        .map(|p| (sanitize(&format!("{} › {}", p.suite, p.persona)), p))
        .collect();
    if rows.len() > 1 {
        rows.push((section.overall.persona.clone(), &section.overall));
    }
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "\n{:<width$} {:>5} {:>8} {:>15} {:>12} {:>8} {:>6} {:>11} {:>7}",
        "persona",
        "runs",
        "success",
        "95% interval",
        "turns p50/90",
        "max",
        "stuck",
        "over budget",
        "errored"
    );
    for (name, stats) in rows {
        let counts = &stats.counts;
        let [low, high] = stats.success_interval;
        let turns = &stats.turns;
        let (middle, max) = if turns.count == 0 {
            ("–".to_string(), "–".to_string())
        } else {
            (
                format!("{}/{}", turns.p50, turns.p90),
                turns.max.to_string(),
            )
        };
        let _ = writeln!(
            out,
            "{name:<width$} {:>5} {:>7.1}% {:>15} {middle:>12} {max:>8} {:>6} {:>11} {:>7}{}",
            counts.runs,
            stats.success_rate * 100.0,
            format!("[{:.1}%, {:.1}%]", low * 100.0, high * 100.0),
            counts.stuck,
            counts.over_budget,
            counts.errored,
            match counts.re_asks {
                0 => String::new(),
                n => format!("  {n} re-ask{}", if n == 1 { "" } else { "s" }),
            },
        );
    }
}
