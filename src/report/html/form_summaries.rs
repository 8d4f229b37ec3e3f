//! The suites' `summary:` checks in `report.html`: per suite, the verdict, the latency,
//! the summary received and why a check did not pass.
//!
//! Only reads a [`RunResult`]; markup is maud's `html!`, so every value is escaped, and
//! text from the API goes through [`visible`].

use super::text::visible;
use crate::report::cells::ms;
use crate::report::result::RunResult;
use maud::{Markup, html};

/// `None` when no suite has a `summary:` check.
pub fn form_summaries(r: &RunResult) -> Option<Markup> {
    if r.form_summaries.is_empty() {
        return None;
    }
    Some(html! {
        table {
            thead { tr { th { "suite" } th { "verdict" } th { "latency" } th { "summary" } } }
            tbody {
                @for check in &r.form_summaries {
                    @let verdict = check.verdict.as_str();
                    tr {
                        td { (visible(&check.suite)) " " small { (visible(&check.suite_file)) ":" (check.line) } }
                        td { span.badge.(verdict) { (verdict) } }
                        td { (ms(check.latency_us)) }
                        td {
                            @if let Some(summary) = &check.summary { (visible(summary)) }
                            @for f in &check.failures {
                                div.error {
                                    b { (visible(&f.subject)) } " (line " (f.line) "): expected "
                                    (visible(&f.expected)) ", got " (visible(&f.actual))
                                }
                            }
                            @if let Some(e) = &check.error {
                                div.error { b { (visible(&e.class)) } " " (visible(&e.message)) }
                            }
                        }
                    }
                }
            }
        }
    })
}
