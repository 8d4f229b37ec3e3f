//! The load-run parts of `report.html`: the matrix of conversations with their pass
//! rates over every iteration, the session counts (late, dropped, aborted), and latency
//! from the intended start. Only reads a [`RunResult`]'s `load` section.

use super::escape::esc;
use super::tables::{TABLE_END, latency_row, num, table_head};
use crate::report::result::{LoadSection, RunResult};
use std::fmt::Write;

/// Chips per suite, each with `passed/runs` over the whole load run.
pub fn matrix(load: &LoadSection) -> String {
    let mut out = String::from("<table class=\"matrix\"><tbody>");
    let mut suites: Vec<&str> = Vec::new();
    for stats in &load.per_conversation {
        if !suites.contains(&stats.suite.as_str()) {
            suites.push(&stats.suite);
        }
    }
    for suite in suites {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th><td>", esc(suite));
        for s in load.per_conversation.iter().filter(|s| s.suite == suite) {
            let class = if s.errored > 0 {
                "errored"
            } else if s.failed > 0 {
                "failed"
            } else {
                "passed"
            };
            let _ = write!(
                out,
                "<span class=\"chip {class}\" title=\"{class}\">{} {}/{}</span>",
                esc(&s.conversation),
                s.passed,
                s.runs
            );
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Sessions and what happened to them, then latency from the intended start.
pub fn sessions(r: &RunResult) -> Option<String> {
    let load = r.load.as_ref()?;
    let mut out = table_head(&["sessions", "count"]);
    let rows = [
        ("started", load.sessions_started),
        ("passed", r.counters.passed),
        ("failed", r.counters.failed),
        ("errored", r.counters.errored),
        (
            "aborted at the end of the grace period",
            load.sessions_aborted,
        ),
        (
            "late (started > 10 ms after their intended time)",
            load.late,
        ),
        ("dropped (could not start before the end)", load.dropped),
    ];
    for (name, count) in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td>{}</tr>",
            esc(name),
            num(count, count.to_string())
        );
    }
    out.push_str(TABLE_END);
    if !load.intended.is_empty() {
        out.push_str("<h3>Latency from the intended start</h3>");
        out.push_str(&table_head(&super::tables::LATENCY_COLUMNS));
        for record in &load.intended {
            latency_row(&mut out, record, "");
        }
        out.push_str(TABLE_END);
    }
    Some(out)
}
