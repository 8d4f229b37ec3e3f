//! `convoy record`: turns what a run observed into expectations written into a copy of the
//! suite (`SUITE.pending.yaml`), and `--accept` promotes that copy over the suite.
//!
//! Owns the mapping from results to edits ([`observe`] writes what a response showed,
//! [`entries`] reads a block as written, [`propose`] keeps or replaces each hand-written
//! check, [`merge`] edits the text) and the pending-file naming. Must not run anything: the CLI
//! runs the suite through the runner and hands the results here; this module only reads
//! results and suite text and returns text.

pub mod entries;
pub mod merge;
pub mod observe;
pub mod propose;
pub mod transcript;

use crate::runner::evaluate::ConversationState;
use crate::runner::outcome::{ConversationResult, Operation, TurnOutcome};
use crate::suite::{Conversation, Expect, Loc, Suite};
use merge::{Edit, MergeError};
use observe::Observation;
pub use propose::Change;
use propose::Checks;
use std::path::{Path, PathBuf};

/// What recording one suite produced.
#[derive(Debug)]
pub struct Recorded {
    /// The suite text with the observed expectations.
    pub text: String,
    /// Conversations left as written, and why (data-driven, errored, not run).
    pub skipped: Vec<String>,
    /// Expectation blocks written.
    pub blocks: usize,
    /// Hand-written checks that did not hold, each replaced by what was observed.
    pub changes: Vec<Change>,
}

/// `dir/contact.yaml` → `dir/contact.pending.yaml`.
pub fn pending_path(suite: &Path) -> PathBuf {
    let stem = suite
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = suite
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "yaml".to_owned());
    suite.with_file_name(format!("{stem}.pending.{ext}"))
}

/// The suite's text with `start:` and every turn's `expect:` rebuilt from what `results`
/// observed: hand-written checks that held are kept as written, failed ones are replaced
/// by the observation (the original commented out above it), and what a block did not
/// check yet is added. A failed `final:` check is replaced the same way. A conversation is
/// left as written when it is data-driven (its expectations are templates shared by every
/// row), or when it errored or did not run.
pub fn record(
    suite: &Suite,
    source: &str,
    results: &[ConversationResult],
) -> Result<Recorded, MergeError> {
    let lines: Vec<String> = source.lines().map(str::to_owned).collect();
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    let mut templates = Vec::new();
    for conversation in &suite.conversations {
        let result = match recordable(source, conversation, results, &mut templates) {
            Ok(result) => result,
            Err(Some(reason)) => {
                skipped.push(reason);
                continue;
            }
            Err(None) => continue,
        };
        for outcome in &result.turns {
            let Some((loc, key, expect)) = target(conversation, outcome) else {
                continue;
            };
            let place = match outcome.operation {
                Operation::Create => "start".to_owned(),
                Operation::Send => format!("turn {}", outcome.turn),
            };
            let checks = Checks {
                fields: expect.map_or(&[], |e| &e.fields),
                no_fields: expect.map_or(&[], |e| &e.no_fields),
                chunks: expect.and_then(|e| e.chunks.as_ref()).map(|c| &c.value),
                add_unchecked: true,
                prefix: "",
            };
            let seen = Observation::of_response(&outcome.chunks, outcome.latency);
            let failures: Vec<_> = outcome.failures.iter().collect();
            let request = Request {
                loc,
                key,
                checks: &checks,
                seen: &seen,
                failures: &failures,
            };
            let (edit, block) = rebuild(&lines, request)?;
            edits.push(edit);
            changes.extend(labelled(block.changes, conversation, &place));
        }
        if let Some((edit, block)) = final_block(&lines, conversation, result)? {
            edits.push(edit);
            changes.extend(labelled(block.changes, conversation, "final"));
        }
    }
    let blocks = edits.len();
    let text = merge::apply(source, &edits)?;
    changes.sort_by_key(|c| c.line);
    Ok(Recorded {
        text,
        skipped,
        blocks,
        changes,
    })
}

/// The conversation's result when it can be recorded; otherwise why not (`None`: already
/// said, for the other rows of a data-driven conversation).
fn recordable<'r>(
    source: &str,
    conversation: &Conversation,
    results: &'r [ConversationResult],
    templates: &mut Vec<usize>,
) -> Result<&'r ConversationResult, Option<String>> {
    let (line, column) = (conversation.loc.line, conversation.loc.column);
    if merge::has_key(source, line, column, "vars") || merge::has_key(source, line, column, "data")
    {
        // Every row of a data-driven conversation shares its location: say it once.
        if templates.contains(&line) {
            return Err(None);
        }
        templates.push(line);
        return Err(Some(format!(
            "line {line}: data-driven (`vars`/`data`); its expectations are templates"
        )));
    }
    let Some(result) = results
        .iter()
        .find(|r| r.loc == conversation.loc && r.conversation == conversation.name)
    else {
        return Err(Some(format!("{}: did not run", conversation.name)));
    };
    if let Some(bad) = result.turns.iter().find(|t| t.error.is_some()) {
        return Err(Some(format!(
            "{}: request {} failed; nothing recorded for it",
            conversation.name, bad.turn
        )));
    }
    Ok(result)
}

/// Where an outcome's expectations are written: the mapping, the key and what it held.
fn target<'c>(
    conversation: &'c Conversation,
    outcome: &TurnOutcome,
) -> Option<(&'c Loc, &'static str, Option<&'c Expect>)> {
    match outcome.operation {
        Operation::Create => Some((&conversation.loc, "start", conversation.start.as_ref())),
        Operation::Send => {
            let turn = conversation.turns.get(outcome.turn.wrapping_sub(1))?;
            Some((&turn.loc, "expect", Some(&turn.expect)))
        }
    }
}

/// One block to rebuild: where, which key, its checks and what was observed.
struct Request<'a> {
    loc: &'a Loc,
    key: &'static str,
    checks: &'a Checks<'a>,
    seen: &'a Observation,
    failures: &'a [&'a crate::runner::outcome::Failure],
}

fn rebuild(lines: &[String], request: Request) -> Result<(Edit, propose::Block), MergeError> {
    let Request { loc, key, .. } = request;
    let indent = loc.column.saturating_sub(1);
    let (written, step) = match merge::find_block(lines, loc.line, loc.column, key)? {
        Some(at) => {
            let written = entries::mapping_entries(lines, at, indent, 0)
                .ok_or(MergeError::NotAMapping(at + 1))?;
            (written, entries::step(lines, at, indent))
        }
        None => (Vec::new(), entries::file_step(lines)),
    };
    let block = propose::block(
        &written,
        step,
        request.checks,
        request.seen,
        request.failures,
    )?;
    let edit = Edit {
        line: loc.line,
        column: loc.column,
        key,
        body: block.lines.clone(),
    };
    Ok((edit, block))
}

/// `final:` rebuilt when one of its checks failed; otherwise it is left as written.
fn final_block(
    lines: &[String],
    conversation: &Conversation,
    result: &ConversationResult,
) -> Result<Option<(Edit, propose::Block)>, MergeError> {
    let Some(expect) = conversation.final_state.as_ref() else {
        return Ok(None);
    };
    if result.final_failures.is_empty() {
        return Ok(None);
    }
    let mut state = ConversationState::default();
    for outcome in &result.turns {
        let sent = match outcome.operation {
            Operation::Create => conversation.prefill.as_ref(),
            Operation::Send => conversation
                .turns
                .get(outcome.turn.wrapping_sub(1))
                .and_then(|t| t.current_values.as_ref()),
        };
        state.apply_sent(sent);
        state.apply_chunks(&outcome.chunks);
    }
    let checks = Checks {
        fields: &expect.fields,
        no_fields: &expect.no_fields,
        chunks: None,
        add_unchecked: false,
        prefix: "final.",
    };
    let seen = Observation::of_state(&state);
    let failures: Vec<_> = result.final_failures.iter().collect();
    let request = Request {
        loc: &conversation.loc,
        key: "final",
        checks: &checks,
        seen: &seen,
        failures: &failures,
    };
    rebuild(lines, request).map(Some)
}

fn labelled(changes: Vec<Change>, conversation: &Conversation, place: &str) -> Vec<Change> {
    changes
        .into_iter()
        .map(|c| Change {
            conversation: conversation.name.clone(),
            place: place.to_owned(),
            ..c
        })
        .collect()
}

#[cfg(test)]
#[path = "tests.rs"]
mod record_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_names() {
        let p = pending_path(Path::new("suites/contact.yaml"));
        assert_eq!(p, Path::new("suites/contact.pending.yaml"));
    }
}
