//! What a run would execute, as plain rows: one per planned conversation or persona
//! (after `vars:`/`data:` expansion and `--filter`), for `convoy list`.
//!
//! Reads a built [`Plan`] so that the listing and the run can never disagree; renders
//! nothing and sends nothing.

use crate::runner::Plan;
use crate::runner::planned::Script;
use serde::Serialize;

/// Version of the `convoy list --format json` shape; bumped when a field changes meaning
/// or goes away (new fields may be added without a bump).
pub const LISTING_SCHEMA_VERSION: u32 = 1;

/// Everything a run with the same paths and `--filter` flags would execute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    pub schema_version: u32,
    /// In plan order: suite files in load order, conversations then personas in each.
    pub entries: Vec<ListEntry>,
}

/// One planned conversation or persona.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListEntry {
    /// The suite file it is written in, and where (`- name:` line).
    pub file: String,
    pub line: usize,
    /// The suite's `name:`.
    pub suite: String,
    /// The expanded name (what reports call it).
    pub name: String,
    pub kind: EntryKind,
    pub tags: Vec<String>,
    /// Its share in a load mix.
    pub weight: f64,
    /// User turns: the scripted turns, or a persona's `max_turns`.
    pub turns: usize,
    /// How many times a functional run executes it.
    pub repeat: u32,
    /// The 1-based row of its `data:` file; `None` when it has no `data:`.
    pub data_row: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Conversation,
    Persona,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Conversation => "conversation",
            EntryKind::Persona => "persona",
        }
    }
}

/// The listing of `plan`.
pub fn listing(plan: &Plan) -> Listing {
    let entries = plan
        .conversations
        .iter()
        .map(|planned| {
            let loc = planned.loc();
            let (kind, data_row) = match (planned.script, planned.conversation(), planned.persona())
            {
                (Script::Turns(_), Some(c), _) => (EntryKind::Conversation, c.data_row),
                (Script::Persona(_), _, Some(p)) => (EntryKind::Persona, p.data_row),
                (Script::Turns(_), ..) => (EntryKind::Conversation, None),
                (Script::Persona(_), ..) => (EntryKind::Persona, None),
            };
            ListEntry {
                file: loc.file.to_string(),
                line: loc.line,
                suite: planned.suite.name.clone(),
                name: planned.name().to_string(),
                kind,
                tags: planned.tags().to_vec(),
                weight: planned.weight(),
                turns: planned.user_turns(),
                repeat: planned.repeat,
                data_row,
            }
        })
        .collect();
    Listing {
        schema_version: LISTING_SCHEMA_VERSION,
        entries,
    }
}
