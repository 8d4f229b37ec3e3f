//! Failure details of `report.html`: for each conversation that did not pass, where it
//! is written, each failed expectation (expected vs actual) and each request error, then
//! the transcript (what the user said and, for a persona, why; every chunk received, the
//! error).
//!
//! Only reads a [`RunResult`]; markup is maud's `html!`, so every value is escaped, and
//! text from the run or the API goes through [`visible`]. Nothing here is inserted
//! unescaped. At most [`MAX_SHOWN`] conversations are detailed, so a long load run's
//! page stays small.

use super::text::visible;
use crate::report::cells::ms;
use crate::report::result::{ConversationRecord, FailureRecord, RunResult, VerdictName};
use maud::{Markup, html};

/// Conversations detailed in the page; the rest are counted (run.json has them all).
pub const MAX_SHOWN: usize = 50;

/// `None` when every conversation passed.
pub fn failures(r: &RunResult) -> Option<Markup> {
    let bad: Vec<&ConversationRecord> = r
        .conversations
        .iter()
        .filter(|c| c.verdict != VerdictName::Passed)
        .collect();
    if bad.is_empty() {
        return None;
    }
    Some(html! {
        @for c in bad.iter().take(MAX_SHOWN) { (conversation(c)) }
        @if bad.len() > MAX_SHOWN {
            p.note {
                (bad.len() - MAX_SHOWN)
                " more conversation(s) did not pass: see run.json or junit.xml."
            }
        }
    })
}

fn conversation(c: &ConversationRecord) -> Markup {
    let verdict = c.verdict.as_str();
    html! {
        details.failure.(verdict) open {
            summary {
                span.badge.(verdict) { (verdict) }
                " " (visible(&c.suite)) " › " (visible(&c.conversation)) " "
                small { (visible(&c.suite_file)) ":" (c.line) }
            }
            div.body {
                @for t in &c.turns {
                    @if let Some(e) = &t.error {
                        div.error {
                            b { "turn " (t.turn) ": " (visible(&e.class)) }
                            pre { (visible(&e.message)) }
                        }
                    }
                    @for f in &t.failures { (failure(f, &format!("turn {}", t.turn))) }
                }
                @for f in &c.final_failures { (failure(f, "final")) }
                (transcript(c))
            }
        }
    }
}

/// A failed expectation: where it is written, what was expected and what came.
pub(super) fn failure(f: &FailureRecord, at: &str) -> Markup {
    html! {
        div.expect {
            div {
                b { (at) } " " code { (visible(&f.subject)) } " "
                small { (visible(&f.file)) ":" (f.line) ":" (f.column) }
            }
            dl {
                dt { "expected" } dd { pre { (visible(&f.expected)) } }
                dt { "actual" } dd { pre { (visible(&f.actual)) } }
            }
        }
    }
}

/// Also the persona transcripts of [`super::personas`].
pub(super) fn transcript(c: &ConversationRecord) -> Markup {
    html! {
        div.transcript {
            div.meta { "session " (visible(c.session_id.as_deref().unwrap_or("(none)"))) }
            @if c.summarized {
                div.meta { (crate::report::junit::SUMMARIZED_NOTE) }
            }
            @for t in &c.turns {
                @let status = t.status.map_or_else(|| "-".to_string(), |s| s.to_string());
                div.meta {
                    "turn " (t.turn) " · " (t.operation.as_str()) " · status " (status)
                    " · " (ms(t.latency_us)) " ms · request "
                    (visible(t.request_id.as_deref().unwrap_or("-")))
                }
                @match t.user.as_deref() {
                    Some("") => div.msg.user.empty { "(no message)" },
                    Some(user) => div.msg.user { (visible(user)) },
                    None => {},
                }
                // A persona's message: why the simulated user said it, right beside it.
                @if let Some(reason) = &t.reason {
                    div.reason { "why: " (visible(reason)) }
                }
                @for chunk in &t.chunks {
                    div.msg.bot {
                        span.kind { (visible(&chunk.kind)) }
                        " " (visible(chunk.text.as_deref().unwrap_or("")))
                    }
                }
                @if let Some(e) = &t.error {
                    div.msg.err { (visible(&e.class)) ": " (visible(&e.message)) }
                }
            }
        }
    }
}
