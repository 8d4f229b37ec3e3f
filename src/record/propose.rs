//! One recorded block (`start:`, `expect:` or `final:`): the hand-written checks kept as
//! written where they held, the observed value proposed where they did not, and what the
//! block did not check yet added from the observation.
//!
//! Whether a check held is decided by the runner's own evaluation (the [`Failure`]s of the
//! recorded run, by subject), never re-implemented here, so every matcher kind the suite
//! format has — today's and future ones — is kept or proposed the same way. A failing
//! check is replaced by the observed value and kept, commented out, just above it, so the
//! pending file passes against the target it was recorded from and a reviewer who
//! disagrees restores the original by uncommenting it.

use super::entries::Entry;
use super::merge::MergeError;
use super::observe::{Observation, chunks_lines, json};
use crate::common::format::format_duration;
use crate::runner::outcome::Failure;
use crate::suite::{ChunkExpect, ChunkMode, FieldExpect, Located};
use serde_json::Value;

/// A hand-written check that did not hold on the observed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// 1-based line of the check as written.
    pub line: usize,
    pub conversation: String,
    /// `start`, `turn N` or `final`.
    pub place: String,
    /// The check as written, on one line.
    pub was: String,
    /// What the target did instead.
    pub observed: String,
}

/// The hand-written checks of one block, from the loaded suite.
pub struct Checks<'a> {
    pub fields: &'a [FieldExpect],
    pub no_fields: &'a [Located<String>],
    pub chunks: Option<&'a ChunkExpect>,
    /// `expect:`/`start:` also get what they do not check yet; `final:` only has its
    /// failing checks replaced.
    pub add_unchecked: bool,
    /// `final.` for the subjects of `final:` failures, else empty.
    pub prefix: &'a str,
}

/// The block's lines below its key (indented by `step` per level) and its changes.
#[derive(Debug, Default)]
pub struct Block {
    pub lines: Vec<String>,
    pub changes: Vec<Change>,
}

/// Rebuilds a block from its entries as written (empty when there was none).
pub fn block(
    entries: &[Entry],
    step: usize,
    checks: &Checks,
    seen: &Observation,
    failures: &[&Failure],
) -> Result<Block, MergeError> {
    let mut builder = Builder {
        seen,
        checks,
        failed: failures
            .iter()
            .filter_map(|f| f.subject.strip_prefix(checks.prefix))
            .map(str::to_owned)
            .collect(),
        step: " ".repeat(step),
        out: Block::default(),
    };
    builder.build(entries)?;
    Ok(builder.out)
}

struct Builder<'a> {
    seen: &'a Observation,
    checks: &'a Checks<'a>,
    /// Subjects of the failures, without the prefix (`fields.email`, `chunks`).
    failed: Vec<String>,
    step: String,
    out: Block,
}

impl<'a> Builder<'a> {
    fn build(&mut self, entries: &[Entry]) -> Result<(), MergeError> {
        let moved = self.moved_to_no_fields();
        let unforbidden = self.unforbidden();
        let no_fields = self.no_fields_after(&moved, &unforbidden);
        let extra = self.extra_fields(&no_fields, &unforbidden);
        for entry in entries {
            match entry.key.as_str() {
                "fields" => self.fields(Some(entry), &extra)?,
                "no_fields" => self.no_fields(Some(entry), &no_fields, &moved, &unforbidden),
                "max_latency" if self.failed_top("max_latency") => {
                    let observed = format!(
                        "{}, over this budget; a budget is a decision, so it is kept as written",
                        format_duration(self.seen.latency)
                    );
                    self.replace(entry, 1, observed, entry.lines.clone());
                }
                key @ ("text" | "chunks" | "prompt" | "submitted" | "error")
                    if self.failed_top(key) =>
                {
                    let (observed, lines) = self.proposal(key);
                    self.replace(entry, 1, observed, lines);
                }
                _ => self.keep(entry, 1),
            }
        }
        let written = |key: &str| entries.iter().any(|e| e.key == key);
        if !written("fields") && !extra.is_empty() {
            self.fields(None, &extra)?;
        }
        if !written("no_fields") && !no_fields.is_empty() {
            self.no_fields(None, &no_fields, &moved, &unforbidden);
        }
        if self.checks.add_unchecked {
            self.add_unchecked(&written);
        }
        Ok(())
    }

    /// `chunks`, `prompt`, `submitted` and `error` as observed, where not written.
    fn add_unchecked(&mut self, written: &dyn Fn(&str) -> bool) {
        let mut lines = Vec::new();
        if !written("chunks") {
            lines.extend(chunks_lines(&self.seen.types, None));
        }
        if let (false, Some(prompt)) = (written("prompt"), &self.seen.prompt) {
            lines.push(format!("prompt: {prompt}"));
        }
        if !written("submitted") {
            lines.push(format!("submitted: {}", self.seen.submitted));
        }
        if !written("error") && self.seen.error {
            lines.push("error: true".to_owned());
        }
        self.push(1, &lines);
    }

    fn failed_top(&self, key: &str) -> bool {
        self.failed
            .iter()
            .any(|f| f == key || f.strip_prefix(key).is_some_and(|r| r.starts_with('.')))
    }

    fn failed_field(&self, key: &str) -> bool {
        self.failed_top(&format!("fields.{key}"))
    }

    /// What a failed top-level check becomes: the observation, and the lines replacing it.
    fn proposal(&self, key: &str) -> (String, Vec<String>) {
        let seen = self.seen;
        match key {
            "text" => {
                let text = json(&Value::String(seen.text.clone()));
                (text.clone(), vec![format!("text: {text}")])
            }
            "chunks" => {
                let names: Vec<&str> = seen.types.iter().map(|t| t.name()).collect();
                let observed = format!("[{}]", names.join(", "));
                (observed, self.chunks_proposal())
            }
            "prompt" => match &seen.prompt {
                Some(prompt) => (prompt.clone(), vec![format!("prompt: {prompt}")]),
                None => ("no input chunk".into(), Vec::new()),
            },
            "submitted" => (
                seen.submitted.to_string(),
                vec![format!("submitted: {}", seen.submitted)],
            ),
            _ => (
                seen.error.to_string(),
                vec![format!("error: {}", seen.error)],
            ),
        }
    }

    /// The written `chunks` mode over the observed types; `none_of` keeps the types that
    /// still did not come.
    fn chunks_proposal(&self) -> Vec<String> {
        let types = &self.seen.types;
        let Some(written) = self.checks.chunks else {
            return chunks_lines(types, None);
        };
        match written.mode {
            ChunkMode::Contains => chunks_lines(types, None),
            ChunkMode::Exact => chunks_lines(types, Some("exact")),
            ChunkMode::InOrder => chunks_lines(types, Some("in_order")),
            ChunkMode::NoneOf => {
                let absent: Vec<&str> = written
                    .types
                    .iter()
                    .filter(|t| !types.contains(t))
                    .map(|t| t.name())
                    .collect();
                if absent.is_empty() {
                    chunks_lines(types, None)
                } else {
                    vec![format!("chunks: {{none_of: [{}]}}", absent.join(", "))]
                }
            }
        }
    }

    /// The entry as written.
    fn keep(&mut self, entry: &Entry, depth: usize) {
        self.push(depth, &entry.comments);
        self.push(depth, &entry.lines);
    }

    /// The entry commented out under a note of what was observed, then `lines`.
    fn replace(&mut self, entry: &Entry, depth: usize, observed: String, lines: Vec<String>) {
        self.push(depth, &entry.comments);
        let was = entry.one_line();
        let mut note = vec![format!("# convoy record: observed {observed} — was:")];
        if entry.lines.len() == 1 {
            note[0].push(' ');
            note[0].push_str(&was);
        } else {
            note.extend(entry.lines.iter().map(|l| format!("# {l}")));
        }
        self.push(depth, &note);
        self.push(depth, &lines);
        self.out.changes.push(Change {
            line: entry.line,
            conversation: String::new(),
            place: String::new(),
            was,
            observed,
        });
    }

    fn push(&mut self, depth: usize, lines: &[String]) {
        let pad = self.step.repeat(depth);
        for line in lines {
            if line.trim().is_empty() {
                self.out.lines.push(String::new());
            } else {
                self.out.lines.push(format!("{pad}{line}"));
            }
        }
    }
}

#[path = "propose_fields.rs"]
mod fields;
