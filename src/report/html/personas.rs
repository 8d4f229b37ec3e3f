//! The personas section of `report.html`: the personas table (the terminal table's
//! figures, all personas in the footer so sorting leaves it last) and, in a functional
//! run, each persona run's transcript folded under its persona, with the simulator's
//! reason beside every user message.
//!
//! Only reads a [`RunResult`]; markup is maud's `html!`, so every value is escaped, and
//! text from the run goes through [`visible`]. Nothing here is inserted unescaped. The
//! page stays bounded: at most [`PER_PERSONA`] runs of a persona and [`MAX_TRANSCRIPTS`]
//! runs in all are embedded, and the page says how many were left out (run.json has
//! them). A load run keeps only a few failed samples, shown under Failures, so it gets
//! the table alone.

use super::failures;
use super::tables::{num, table_with_footer};
use super::text::visible;
use crate::report::persona_rows::{PersonaRow, rows};
use crate::report::result::{ConversationRecord, PersonaStats, RunResult};
use maud::{Markup, html};
use std::collections::HashMap;

/// Runs of one persona whose transcripts are embedded.
pub const PER_PERSONA: usize = 20;
/// Transcripts embedded in all, whatever the number of personas.
pub const MAX_TRANSCRIPTS: usize = 200;

const COLUMNS: [&str; 13] = [
    "persona",
    "runs",
    "success",
    "95% low",
    "95% high",
    "turns p50",
    "turns p90",
    "turns max",
    "submitted",
    "stuck",
    "over budget",
    "errored",
    "re-asks",
];

/// `None` when the run had no persona.
pub fn personas(r: &RunResult) -> Option<Markup> {
    let section = r.personas.as_ref()?;
    let (overall, each): (Vec<PersonaRow>, Vec<PersonaRow>) =
        rows(section).into_iter().partition(|row| row.overall);
    let body = html! { @for row in &each { (table_row(row)) } };
    let footer = html! { @for row in &overall { (table_row(row)) } };
    Some(html! {
        (table_with_footer(&COLUMNS, body, Some(footer)))
        @if r.load.is_none() { (transcripts(r, &section.personas)) }
    })
}

/// Sort key of a ratio cell: tenths of a percent.
fn key(ratio: f64) -> u64 {
    (ratio * 1000.0).round() as u64
}

fn table_row(row: &PersonaRow) -> Markup {
    let s = row.stats;
    let c = &s.counts;
    let [low, high] = s.success_interval;
    let pct = |r: f64| crate::report::cells::percent(Some(r));
    // Turn figures rest on the submitted runs: a dash, sorted first, without any.
    let turn = |v: u64| {
        if s.turns.count == 0 {
            num(0, "–".to_string())
        } else {
            num(v, v.to_string())
        }
    };
    html! {
        tr {
            td {
                @if row.overall { b { (visible(&row.label)) } } @else { (visible(&row.label)) }
            }
            (num(c.runs, c.runs.to_string()))
            (num(key(s.success_rate), pct(s.success_rate)))
            (num(key(low), pct(low)))
            (num(key(high), pct(high)))
            (turn(s.turns.p50))
            (turn(s.turns.p90))
            (turn(s.turns.max))
            (num(c.submitted, c.submitted.to_string()))
            (num(c.stuck, c.stuck.to_string()))
            (num(c.over_budget, c.over_budget.to_string()))
            (num(c.errored, c.errored.to_string()))
            (num(c.re_asks, c.re_asks.to_string()))
        }
    }
}

/// Where a persona is written and its name: what ties its runs to its row.
type PersonaKey<'a> = (&'a str, usize, &'a str);

/// Each persona's runs (at most [`PER_PERSONA`] kept) and how many it had in all.
fn runs_by_persona(r: &RunResult) -> HashMap<PersonaKey<'_>, (Vec<&ConversationRecord>, usize)> {
    let mut runs: HashMap<PersonaKey, (Vec<&ConversationRecord>, usize)> = HashMap::new();
    for c in r.conversations.iter().filter(|c| c.persona.is_some()) {
        let key = (c.suite_file.as_str(), c.line, c.conversation.as_str());
        let (kept, total) = runs.entry(key).or_default();
        if kept.len() < PER_PERSONA {
            kept.push(c);
        }
        *total += 1;
    }
    runs
}

/// Each persona's embedded runs under its name, within [`MAX_TRANSCRIPTS`] in all.
fn transcripts(r: &RunResult, personas: &[PersonaStats]) -> Markup {
    let runs = runs_by_persona(r);
    if runs.is_empty() {
        return html! {};
    }
    let mut budget = MAX_TRANSCRIPTS;
    let mut left_out = 0;
    let mut groups = Vec::new();
    for p in personas {
        let key = (p.suite_file.as_str(), p.line, p.persona.as_str());
        let Some((kept, total)) = runs.get(&key) else {
            continue;
        };
        let shown = kept.len().min(budget);
        budget -= shown;
        left_out += total - shown;
        if shown > 0 {
            groups.push(html! {
                h4 { (visible(&p.suite)) " › " (visible(&p.persona)) }
                @for c in &kept[..shown] { (persona_run(c)) }
                @if *total > shown {
                    p.note {
                        (total - shown) " more run(s) of this persona not shown: see run.json."
                    }
                }
            });
        }
    }
    html! {
        h3 { "Transcripts" }
        p.note { "Every user message is followed by why the simulated user said it." }
        @for group in &groups { (group) }
        @if budget == 0 && left_out > 0 {
            p.note {
                "The page embeds at most " (MAX_TRANSCRIPTS) " persona transcripts; "
                (left_out) " run(s) in all are not shown."
            }
        }
    }
}

/// One run, folded: its verdict, how it ended, its failed expectations and transcript.
fn persona_run(c: &ConversationRecord) -> Markup {
    let verdict = c.verdict.as_str();
    let (ending, turns, re_asks) = c
        .persona
        .as_ref()
        .map_or(("", 0, 0), |p| (p.ending.as_str(), p.turns, p.re_asks));
    html! {
        details.run {
            summary {
                span.badge.(verdict) { (verdict) }
                " run " (c.iteration) "/" (c.repeat) " · " (visible(ending)) " · "
                (turns) " turn(s) · " (re_asks) " re-ask(s)"
            }
            div.body {
                @for t in &c.turns {
                    @for f in &t.failures { (failures::failure(f, &format!("turn {}", t.turn))) }
                }
                @for f in &c.final_failures { (failures::failure(f, "final")) }
                (failures::transcript(c))
            }
        }
    }
}
