//! The rows and figure texts every personas table shares (summary.md, report.html): each
//! persona labelled `suite › persona` in plan order, then all personas together when
//! there are several (as the terminal table does), and the success, interval and turns
//! cells written the same way everywhere. Plain text: escaping is the caller's, since
//! each file escapes for its own language.

use crate::report::cells::percent;
use crate::report::result::{PersonaSection, PersonaStats};

/// A table row: its label (unescaped) and its figures.
pub(crate) struct PersonaRow<'a> {
    pub label: String,
    pub stats: &'a PersonaStats,
    /// The `all personas` row.
    pub overall: bool,
}

/// The personas in plan order, then all of them when there is more than one (a single
/// persona's overall row would repeat it).
pub(crate) fn rows(section: &PersonaSection) -> Vec<PersonaRow<'_>> {
    let mut rows: Vec<PersonaRow> = section
        .personas
        .iter()
        .map(|p| PersonaRow {
            label: format!("{} › {}", p.suite, p.persona),
            stats: p,
            overall: false,
        })
        .collect();
    if rows.len() > 1 {
        rows.push(PersonaRow {
            label: section.overall.persona.clone(),
            stats: &section.overall,
            overall: true,
        });
    }
    rows
}

/// `100.0%`.
pub(crate) fn success(stats: &PersonaStats) -> String {
    percent(Some(stats.success_rate))
}

/// `[20.7%, 100.0%]`.
pub(crate) fn interval(stats: &PersonaStats) -> String {
    let [low, high] = stats.success_interval;
    format!("[{}, {}]", percent(Some(low)), percent(Some(high)))
}

/// Turns to completion as `p50/p90` and `max`; `–` for both when no run submitted.
pub(crate) fn turns(stats: &PersonaStats) -> (String, String) {
    let t = &stats.turns;
    if t.count == 0 {
        ("–".to_string(), "–".to_string())
    } else {
        (format!("{}/{}", t.p50, t.p90), t.max.to_string())
    }
}
