//! `personas.csv`: one row per persona in plan order, then the `all personas` row, with
//! the figures of the result's personas section (runs, success rate and its 95% Wilson
//! interval, how the runs ended, re-asks, turns to completion). Written only when the run
//! has personas. Only reads a [`RunResult`]; every text cell goes through [`csv_cell`].

use crate::report::cells::csv_cell;
use crate::report::result::{PersonaStats, RunResult};

const HEADER: [&str; 19] = [
    "suite",
    "suite_file",
    "line",
    "persona",
    "runs",
    "succeeded",
    "success_rate",
    "success_low",
    "success_high",
    "submitted",
    "over_budget",
    "stuck",
    "errored",
    "re_asks",
    "turns_count",
    "turns_p50",
    "turns_p90",
    "turns_max",
    "turns_mean",
];

/// Renders `personas.csv`; `None` when the run had no persona.
pub fn personas_csv(result: &RunResult) -> Result<Option<String>, csv::Error> {
    let Some(section) = &result.personas else {
        return Ok(None);
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER)?;
    // The overall row always comes last, even with one persona, so readers find it in
    // the same place in every file.
    for stats in section.personas.iter().chain([&section.overall]) {
        writer.write_record(row(stats).iter().map(|c| csv_cell(c).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn row(s: &PersonaStats) -> [String; 19] {
    // Rates as fractions with 4 decimals, like fields.csv.
    let ratio = |r: f64| format!("{r:.4}");
    let c = &s.counts;
    let t = &s.turns;
    // Turn figures rest on the submitted runs: empty cells when there were none, as a
    // latency row without samples has.
    let turn = |v: String| if t.count == 0 { String::new() } else { v };
    let [low, high] = s.success_interval;
    [
        s.suite.clone(),
        s.suite_file.clone(),
        // The overall row is written nowhere.
        if s.line == 0 {
            String::new()
        } else {
            s.line.to_string()
        },
        s.persona.clone(),
        c.runs.to_string(),
        c.succeeded.to_string(),
        ratio(s.success_rate),
        ratio(low),
        ratio(high),
        c.submitted.to_string(),
        c.over_budget.to_string(),
        c.stuck.to_string(),
        c.errored.to_string(),
        c.re_asks.to_string(),
        t.count.to_string(),
        turn(t.p50.to_string()),
        turn(t.p90.to_string()),
        turn(t.max.to_string()),
        turn(format!("{:.2}", t.mean)),
    ]
}
