//! `convoy record`: turns what a run observed into expectations written into a copy of the
//! suite (`SUITE.pending.yaml`), and `--accept` promotes that copy over the suite.
//!
//! Owns the mapping from results to edits ([`observe`] writes the YAML of one response,
//! [`merge`] edits the text) and the pending-file naming. Must not run anything: the CLI
//! runs the suite through the runner and hands the results here; this module only reads
//! results and suite text and returns text.

pub mod merge;
pub mod observe;
pub mod transcript;

use crate::runner::outcome::{ConversationResult, Operation};
use crate::suite::Suite;
use merge::{Edit, MergeError};
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

/// The suite's text with `start:` and every turn's `expect:` replaced by what `results`
/// observed. A conversation is left as written when it is data-driven (its expectations
/// are templates shared by every row), or when it errored or did not run.
pub fn record(
    suite: &Suite,
    source: &str,
    results: &[ConversationResult],
) -> Result<Recorded, MergeError> {
    let mut edits = Vec::new();
    let mut skipped = Vec::new();
    let mut templates = Vec::new();
    for conversation in &suite.conversations {
        let (line, column) = (conversation.loc.line, conversation.loc.column);
        if merge::has_key(source, line, column, "vars")
            || merge::has_key(source, line, column, "data")
        {
            // Every row of a data-driven conversation shares its location: say it once.
            if templates.contains(&line) {
                continue;
            }
            templates.push(line);
            skipped.push(format!(
                "line {line}: data-driven (`vars`/`data`); its expectations are templates"
            ));
            continue;
        }
        let Some(result) = results
            .iter()
            .find(|r| r.loc == conversation.loc && r.conversation == conversation.name)
        else {
            skipped.push(format!("{}: did not run", conversation.name));
            continue;
        };
        if let Some(bad) = result.turns.iter().find(|t| t.error.is_some()) {
            skipped.push(format!(
                "{}: request {} failed; nothing recorded for it",
                conversation.name, bad.turn
            ));
            continue;
        }
        for outcome in &result.turns {
            let (loc, key) = match outcome.operation {
                Operation::Create => (&conversation.loc, "start"),
                Operation::Send => match conversation.turns.get(outcome.turn.wrapping_sub(1)) {
                    Some(turn) => (&turn.loc, "expect"),
                    None => continue,
                },
            };
            edits.push(Edit {
                line: loc.line,
                column: loc.column,
                key,
                body: observe::expect_lines(&outcome.chunks, 0),
            });
        }
    }
    let blocks = edits.len();
    let text = merge::apply(source, &edits)?;
    Ok(Recorded {
        text,
        skipped,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_names() {
        let p = pending_path(Path::new("suites/contact.yaml"));
        assert_eq!(p, Path::new("suites/contact.pending.yaml"));
    }
}
