//! `convoy list`: what `convoy run` with the same paths and `--filter` flags would
//! execute, as an aligned table or as JSON. Builds the run's own plan (so the two never
//! disagree) and sends nothing.

use super::{default_paths, exit, load_suites};
use crate::report::cells::visible;
use crate::runner::listing::{ListEntry, Listing, listing};
use crate::runner::{RunOptions, build_plan};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ListFormat {
    /// An aligned table for people.
    #[default]
    Table,
    /// One JSON document (docs/suite-format.md, "convoy list").
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Suite files or directories (default: ./suites).
    pub paths: Vec<PathBuf>,
    /// Only conversations with this tag, or whose name contains this text (repeatable),
    /// exactly as `convoy run --filter`.
    #[arg(long, value_name = "NAME|TAG")]
    pub filter: Vec<String>,
    /// Show the repeat count `convoy run --repeat N` would give.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// A GUID standing in for an unset `${VAR}` form id: listing needs no real form.
const PLACEHOLDER_FORM_ID: &str = "00000000-0000-0000-0000-000000000000";

pub fn list(args: &ListArgs) -> u8 {
    let Some(suites) = load_suites(&default_paths(&args.paths)) else {
        return exit::USAGE;
    };
    let options = RunOptions {
        filters: args.filter.clone(),
        repeat: args.repeat,
        ..RunOptions::default()
    };
    // A set variable is still checked as `run` checks it; an unset one does not stop a
    // listing, which never creates a session.
    let env = |name: &str| Some(std::env::var(name).unwrap_or(PLACEHOLDER_FORM_ID.into()));
    let plan = match build_plan(suites, &options, env) {
        Ok(plan) => plan,
        Err(err) => return super::plan_usage(err),
    };
    let listing = listing(&plan);
    match args.format {
        ListFormat::Table => out!("{}", table(&listing)),
        ListFormat::Json => match serde_json::to_string_pretty(&listing) {
            Ok(json) => outln!("{json}"),
            Err(err) => {
                eprintln!("error: could not render the listing: {err}");
                return exit::RUN_ERROR;
            }
        },
    }
    exit::PASSED
}

const COLUMNS: [&str; 9] = [
    "FILE", "NAME", "KIND", "TAGS", "WEIGHT", "TURNS", "REPEAT", "ROW", "SUITE",
];

/// The listing as left-aligned columns, every text from a suite made visible, then a
/// count line.
pub fn table(listing: &Listing) -> String {
    let rows: Vec<[String; 9]> = listing.entries.iter().map(cells).collect();
    let mut widths = COLUMNS.map(|c| c.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header = COLUMNS.map(String::from);
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(line.join("  ").trim_end());
        text.push('\n');
    }
    let personas = listing
        .entries
        .iter()
        .filter(|e| e.kind == crate::runner::listing::EntryKind::Persona)
        .count();
    text.push_str(&format!(
        "{} conversation(s), {personas} persona(s)\n",
        listing.entries.len() - personas
    ));
    text
}

fn cells(entry: &ListEntry) -> [String; 9] {
    let tags: Vec<String> = entry.tags.iter().map(|t| visible(t).into_owned()).collect();
    [
        format!("{}:{}", visible(&entry.file), entry.line),
        visible(&entry.name).into_owned(),
        entry.kind.as_str().to_string(),
        if tags.is_empty() {
            "-".into()
        } else {
            tags.join(",")
        },
        format!("{}", entry.weight),
        entry.turns.to_string(),
        entry.repeat.to_string(),
        entry.data_row.map_or("-".into(), |r| r.to_string()),
        visible(&entry.suite).into_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::listing::EntryKind;

    fn entry(name: &str) -> ListEntry {
        ListEntry {
            file: "suites/a.yaml".into(),
            line: 3,
            suite: "a".into(),
            name: name.into(),
            kind: EntryKind::Conversation,
            tags: vec!["smoke".into()],
            weight: 1.0,
            turns: 2,
            repeat: 1,
            data_row: Some(4),
        }
    }

    /// A name holding an escape sequence or a line break cannot reach the terminal raw
    /// nor split a row; columns stay aligned to the widest cell.
    #[test]
    fn names_are_made_visible_and_columns_aligned() {
        let listing = Listing {
            schema_version: 1,
            entries: vec![entry("evil\u{1b}[2J\nname"), entry("short")],
        };
        let text = table(&listing);
        assert!(!text.contains('\u{1b}'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        let kind_at = |line: &str| line.find("conversation").unwrap();
        assert_eq!(kind_at(lines[1]), kind_at(lines[2]));
        assert_eq!(lines[0].find("KIND").unwrap(), kind_at(lines[1]));
        assert!(lines[3].starts_with("2 conversation(s), 0 persona(s)"));
    }
}
