//! The persona tables of a rendered comparison: success rates (cells like pass rates) and
//! turns to completion (cells like latency, in turns rather than milliseconds), and the
//! regressed persona rows named for the verdict.

use super::{Section, p_text, proportion_cells};
use crate::report::compare::{Comparison, PersonaChange, Status, TurnPercentiles, TurnsChange};

fn signed(turns: i64) -> String {
    format!("{turns:+}")
}

fn turns_cells(name: String, c: &TurnsChange) -> Vec<String> {
    let judged =
        |p: Option<TurnPercentiles>| p.map_or_else(|| "-".into(), |v| v.judged.to_string());
    let count = |p: Option<TurnPercentiles>| p.map_or_else(|| "-".into(), |v| v.count.to_string());
    let change = match (c.change_pct, c.change_turns) {
        (Some(pct), Some(turns)) => format!("{pct:+.1}% ({})", signed(turns)),
        (None, Some(turns)) => signed(turns),
        _ => "-".into(),
    };
    vec![
        name,
        format!("{}/{}", count(c.base), count(c.new)),
        judged(c.base),
        judged(c.new),
        change,
        c.interval_turns.map_or_else(
            || "-".into(),
            |(lo, hi)| format!("[{}, {}]", signed(lo), signed(hi)),
        ),
        p_text(c.p_adjusted),
        c.status.label().into(),
    ]
}

/// The two persona tables, empty (so not shown) when neither run had personas.
pub(super) fn sections(c: &Comparison) -> Vec<Section> {
    let success = c
        .personas
        .iter()
        .map(|p| {
            let mut cells = vec![p.name()];
            cells.extend(proportion_cells(&p.success));
            (cells, p.success.status)
        })
        .collect();
    let turns = c
        .personas
        .iter()
        .filter_map(|p| {
            p.turns
                .as_ref()
                .map(|t| (turns_cells(p.name(), t), t.status))
        })
        .collect();
    vec![
        Section {
            title: "persona success".into(),
            header: vec![
                "persona", "base", "new", "change", "interval", "p", "status",
            ],
            rows: success,
        },
        Section {
            title: format!("persona turns to completion (p{})", c.tolerances.percentile),
            header: vec![
                "persona",
                "n base/new",
                "base",
                "new",
                "change",
                "interval",
                "p",
                "status",
            ],
            rows: turns,
        },
    ]
}

/// The rule for personas, added to the verdict only when there are persona rows.
pub(super) fn rule(c: &Comparison) -> Option<String> {
    let t = &c.tolerances;
    (!c.personas.is_empty()).then(|| {
        format!(
            "persona success -{} pt, persona turns p{} +{}% and at least 1 turn",
            t.pass_rate_drop, t.percentile, t.latency_increase
        )
    })
}

/// `all personas`, or `persona suite / name`, for a sentence.
fn subject(p: &PersonaChange) -> String {
    if p.suite.is_empty() {
        p.persona.clone()
    } else {
        format!("persona {}", p.name())
    }
}

/// The regressed persona rows, each with its effect and corrected p-value.
pub(super) fn regressions(c: &Comparison) -> Vec<String> {
    let regressed = |p: &&PersonaChange| p.success.status == Status::Regressed;
    let mut out: Vec<String> = c
        .personas
        .iter()
        .filter(regressed)
        .map(|p| {
            let points = p.success.change_points.unwrap_or(0.0);
            let p_adjusted = p_text(p.success.p_adjusted);
            format!(
                "success rate of {} ({points:+.1} pt, p = {p_adjusted})",
                subject(p)
            )
        })
        .collect();
    for p in &c.personas {
        let Some(turns) = p.turns.as_ref().filter(|t| t.status == Status::Regressed) else {
            continue;
        };
        let change = match (turns.change_pct, turns.change_turns) {
            (Some(pct), Some(n)) => format!("{pct:+.1}%, {} turns", signed(n)),
            (_, Some(n)) => format!("{} turns", signed(n)),
            _ => "-".into(),
        };
        out.push(format!(
            "p{} of turns to completion of {} ({change}, p = {})",
            c.tolerances.percentile,
            subject(p),
            p_text(turns.p_adjusted)
        ));
    }
    out
}
