//! Extraction accuracy per field: for each form field key, how many `fields:`
//! expectations on it were checked and how many failed, over the whole run.
//!
//! The runner does not record which fields a turn checked (only the failures), so the
//! expected keys come from the plan ([`FieldChecks::from_plan`]) and the failures from
//! the records (`fields.<key>` and `final.fields.<key>` subjects). A turn that errored was
//! not evaluated and counts for nothing. One row per field key: bounded by the forms, not
//! by the number of turns.

use super::ConversationRecord;
use crate::runner::Plan;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One field's tally.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldAccuracy {
    pub field: String,
    /// Expectations on this field that were evaluated.
    pub checked: u64,
    /// Of those, how many failed.
    pub failed: u64,
}

/// The field keys each conversation's expectations check, per turn index (0 = `start:`)
/// and for `final:`; keyed by the conversation's `file:line:col`.
#[derive(Debug, Clone, Default)]
pub struct FieldChecks {
    by_conversation: HashMap<String, ConversationChecks>,
}

#[derive(Debug, Clone, Default)]
struct ConversationChecks {
    turns: Vec<Vec<String>>,
    final_fields: Vec<String>,
}

impl FieldChecks {
    pub fn from_plan(plan: &Plan) -> FieldChecks {
        let mut by_conversation = HashMap::new();
        for planned in &plan.conversations {
            let Some(c) = planned.suite.conversations.get(planned.index) else {
                continue;
            };
            let keys = |fields: &[crate::suite::FieldExpect]| -> Vec<String> {
                fields.iter().map(|f| f.key.clone()).collect()
            };
            let mut turns = vec![
                c.start
                    .as_ref()
                    .map(|s| keys(&s.fields))
                    .unwrap_or_default(),
            ];
            turns.extend(c.turns.iter().map(|t| keys(&t.expect.fields)));
            let checks = ConversationChecks {
                turns,
                final_fields: c
                    .final_state
                    .as_ref()
                    .map(|f| keys(&f.fields))
                    .unwrap_or_default(),
            };
            by_conversation.insert(c.loc.to_string(), checks);
        }
        FieldChecks { by_conversation }
    }

    pub fn is_empty(&self) -> bool {
        self.by_conversation.is_empty()
    }
}

/// Tallies every field expectation of the run, fields in key order.
pub fn field_accuracy(
    conversations: &[ConversationRecord],
    checks: &FieldChecks,
) -> Vec<FieldAccuracy> {
    let mut tally: BTreeMap<String, FieldAccuracy> = BTreeMap::new();
    let mut count = |key: &str, failed: bool| {
        let row = tally
            .entry(key.to_string())
            .or_insert_with(|| FieldAccuracy {
                field: key.to_string(),
                ..FieldAccuracy::default()
            });
        row.checked += 1;
        row.failed += u64::from(failed);
    };
    for c in conversations {
        let loc = format!("{}:{}:{}", c.suite_file, c.line, c.column);
        let Some(expected) = checks.by_conversation.get(&loc) else {
            continue;
        };
        for turn in c.turns.iter().filter(|t| t.error.is_none()) {
            for key in expected.turns.get(turn.turn).into_iter().flatten() {
                let subject = format!("fields.{key}");
                count(key, turn.failures.iter().any(|f| f.subject == subject));
            }
        }
        // `final:` is evaluated only when every turn ran.
        let completed =
            c.turns.iter().all(|t| t.error.is_none()) && c.turns.len() > c.planned_turns;
        if completed {
            for key in &expected.final_fields {
                let subject = format!("final.fields.{key}");
                count(key, c.final_failures.iter().any(|f| f.subject == subject));
            }
        }
    }
    tally.into_values().collect()
}
