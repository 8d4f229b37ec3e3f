//! The load-run parts of `report.html`: the matrix of conversations with their pass
//! rates over every iteration, the session counts (late, dropped, aborted), and latency
//! from the intended start. Only reads a [`RunResult`]'s `load` section; markup is
//! maud's `html!` (every value escaped), nothing here is inserted unescaped.

use super::tables::{latency_table, num, table};
use super::text::visible;
use crate::report::result::{LoadSection, RunResult};
use maud::{Markup, html};

/// Chips per suite, each with `passed/runs` over the whole load run.
pub fn matrix(load: &LoadSection) -> Markup {
    let mut suites: Vec<&str> = Vec::new();
    for stats in &load.per_conversation {
        if !suites.contains(&stats.suite.as_str()) {
            suites.push(&stats.suite);
        }
    }
    html! {
        table.matrix { tbody {
            @for suite in suites {
                tr {
                    th scope="row" { (visible(suite)) }
                    td {
                        @for s in load.per_conversation.iter().filter(|s| s.suite == suite) {
                            @let class = if s.errored > 0 {
                                "errored"
                            } else if s.failed > 0 {
                                "failed"
                            } else {
                                "passed"
                            };
                            span.chip.(class) title=(class) {
                                (visible(&s.conversation)) " " (s.passed) "/" (s.runs)
                            }
                        }
                    }
                }
            }
        } }
    }
}

/// Sessions and what happened to them, then latency from the intended start.
pub fn sessions(r: &RunResult) -> Option<Markup> {
    let load = r.load.as_ref()?;
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
    let rows = html! {
        @for (name, count) in rows { tr { td { (name) } (num(count, count.to_string())) } }
    };
    Some(html! {
        (table(&["sessions", "count"], rows))
        @if !load.intended.is_empty() {
            h3 { "Latency from the intended start" }
            (latency_table(&load.intended))
        }
    })
}
