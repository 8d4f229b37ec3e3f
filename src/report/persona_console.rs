//! The personas table of a functional run's terminal summary: per persona, its runs, how
//! many succeeded (with the 95% Wilson interval), turns to completion (median, p90, max
//! user messages), re-asks, and how many runs ended stuck or over budget. Read from the
//! persona records of the result's conversations (a load run keeps only samples, so it
//! has no such table yet). Renders text only.

use crate::report::console::sanitize;
use crate::report::result::{RunResult, VerdictName, wilson};
use std::fmt::Write;

/// One persona's runs.
#[derive(Default)]
struct Tally {
    runs: u64,
    succeeded: u64,
    turns: Vec<u32>,
    re_asks: u64,
    stuck: u64,
    over_budget: u64,
}

/// The value at `q` (0..=1) of sorted `values` (nearest rank); 0 when empty.
fn rank(values: &[u32], q: f64) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let at = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[at - 1]
}

/// Appends the table when the run has persona conversations.
pub(crate) fn render(out: &mut String, result: &RunResult) {
    let mut names: Vec<String> = Vec::new();
    let mut tallies: Vec<Tally> = Vec::new();
    for conversation in &result.conversations {
        let Some(persona) = &conversation.persona else {
            continue;
        };
        let name = format!("{} › {}", conversation.suite, conversation.conversation);
        let at = names.iter().position(|n| *n == name).unwrap_or_else(|| {
            names.push(name);
            tallies.push(Tally::default());
            names.len() - 1
        });
        let tally = &mut tallies[at];
        tally.runs += 1;
        tally.succeeded += u64::from(conversation.verdict == VerdictName::Passed);
        tally.turns.push(persona.turns);
        tally.re_asks += u64::from(persona.re_asks);
        tally.stuck += u64::from(persona.ending == "stuck");
        tally.over_budget += u64::from(persona.ending == "over budget");
    }
    if names.is_empty() {
        return;
    }
    let names: Vec<String> = names.iter().map(|n| sanitize(n)).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "\n{:<width$} {:>5} {:>8} {:>15} {:>12} {:>8} {:>6} {:>11}",
        "persona", "runs", "success", "95% interval", "turns p50/90", "max", "stuck", "over budget"
    );
    for (name, tally) in names.iter().zip(&mut tallies) {
        tally.turns.sort_unstable();
        let (low, high) = wilson(tally.succeeded, tally.runs);
        let rate = tally.succeeded as f64 / tally.runs.max(1) as f64;
        let _ = writeln!(
            out,
            "{name:<width$} {:>5} {:>7.1}% {:>15} {:>12} {:>8} {:>6} {:>11}{}",
            tally.runs,
            rate * 100.0,
            format!("[{:.1}%, {:.1}%]", low * 100.0, high * 100.0),
            format!("{}/{}", rank(&tally.turns, 0.5), rank(&tally.turns, 0.9)),
            rank(&tally.turns, 1.0),
            tally.stuck,
            tally.over_budget,
            match tally.re_asks {
                0 => String::new(),
                n => format!("  {n} re-ask{}", if n == 1 { "" } else { "s" }),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn ranks_are_nearest_rank_percentiles() {
        let turns = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(
            (rank(&turns, 0.5), rank(&turns, 0.9), rank(&turns, 1.0)),
            (5, 9, 10)
        );
        assert_eq!(rank(&[], 0.5), 0);
        assert_eq!(rank(&[4], 0.9), 4);
    }
}
