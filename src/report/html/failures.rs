//! Failure details of `report.html`: for each conversation that did not pass, where it
//! is written, each failed expectation (expected vs actual) and each request error, then
//! the transcript (what the user said and, for a persona, why; every chunk received, the
//! error).
//!
//! Only reads a [`RunResult`]; every text goes through [`esc`]. At most
//! [`MAX_SHOWN`] conversations are detailed, so a long load run's page stays small.

use super::escape::esc;
use crate::report::cells::ms;
use crate::report::result::{ConversationRecord, FailureRecord, RunResult, VerdictName};
use std::fmt::Write;

/// Conversations detailed in the page; the rest are counted (run.json has them all).
pub const MAX_SHOWN: usize = 50;

/// `None` when every conversation passed.
pub fn failures(r: &RunResult) -> Option<String> {
    let bad: Vec<&ConversationRecord> = r
        .conversations
        .iter()
        .filter(|c| c.verdict != VerdictName::Passed)
        .collect();
    if bad.is_empty() {
        return None;
    }
    let mut out = String::new();
    for c in bad.iter().take(MAX_SHOWN) {
        conversation(&mut out, c);
    }
    if bad.len() > MAX_SHOWN {
        let _ = write!(
            out,
            "<p class=\"note\">{} more conversation(s) did not pass: see run.json or junit.xml.</p>",
            bad.len() - MAX_SHOWN
        );
    }
    Some(out)
}

fn conversation(out: &mut String, c: &ConversationRecord) {
    let _ = write!(
        out,
        "<details class=\"failure {}\" open><summary><span class=\"badge {}\">{}</span> {} › {} <small>{}:{}</small></summary>",
        c.verdict.as_str(),
        c.verdict.as_str(),
        c.verdict.as_str(),
        esc(&c.suite),
        esc(&c.conversation),
        esc(&c.suite_file),
        c.line,
    );
    out.push_str("<div class=\"body\">");
    for t in &c.turns {
        if let Some(e) = &t.error {
            let _ = write!(
                out,
                "<div class=\"error\"><b>turn {}: {}</b><pre>{}</pre></div>",
                t.turn,
                esc(&e.class),
                esc(&e.message)
            );
        }
        for f in &t.failures {
            failure(out, f, &format!("turn {}", t.turn));
        }
    }
    for f in &c.final_failures {
        failure(out, f, "final");
    }
    transcript(out, c);
    out.push_str("</div></details>");
}

pub(super) fn failure(out: &mut String, f: &FailureRecord, at: &str) {
    let _ = write!(
        out,
        "<div class=\"expect\"><div><b>{}</b> <code>{}</code> <small>{}:{}:{}</small></div><dl><dt>expected</dt><dd><pre>{}</pre></dd><dt>actual</dt><dd><pre>{}</pre></dd></dl></div>",
        esc(at),
        esc(&f.subject),
        esc(&f.file),
        f.line,
        f.column,
        esc(&f.expected),
        esc(&f.actual),
    );
}

/// Also the persona transcripts of [`super::personas`].
pub(super) fn transcript(out: &mut String, c: &ConversationRecord) {
    let _ = write!(
        out,
        "<div class=\"transcript\"><div class=\"meta\">session {}</div>",
        esc(c.session_id.as_deref().unwrap_or("(none)"))
    );
    if c.summarized {
        let note = crate::report::junit::SUMMARIZED_NOTE;
        let _ = write!(out, "<div class=\"meta\">{}</div>", esc(note));
    }
    for t in &c.turns {
        let status = t
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".into());
        let _ = write!(
            out,
            "<div class=\"meta\">turn {} · {} · status {} · {} ms · request {}</div>",
            t.turn,
            esc(t.operation.as_str()),
            esc(&status),
            esc(&ms(t.latency_us)),
            esc(t.request_id.as_deref().unwrap_or("-"))
        );
        match t.user.as_deref() {
            Some("") => out.push_str("<div class=\"msg user empty\">(no message)</div>"),
            Some(user) => {
                let _ = write!(out, "<div class=\"msg user\">{}</div>", esc(user));
            }
            None => {}
        }
        // A persona's message: why the simulated user said it, right beside it.
        if let Some(reason) = &t.reason {
            let _ = write!(out, "<div class=\"reason\">why: {}</div>", esc(reason));
        }
        for chunk in &t.chunks {
            let _ = write!(
                out,
                "<div class=\"msg bot\"><span class=\"kind\">{}</span> {}</div>",
                esc(&chunk.kind),
                esc(chunk.text.as_deref().unwrap_or(""))
            );
        }
        if let Some(e) = &t.error {
            let _ = write!(
                out,
                "<div class=\"msg err\">{}: {}</div>",
                esc(&e.class),
                esc(&e.message)
            );
        }
    }
    out.push_str("</div>");
}
