//! The deterministic form-filling assistant behind the mock: given a form, a session's
//! state and a user message, it produces the response chunks and updates the state.
//!
//! Pure: no I/O, no clock, no randomness — the same form, state and message always give
//! the same chunks. It must not know about HTTP, session maps or request validation (the
//! server does that). The rules and their precedence are documented in `docs/mock.md`.
//!
//! Parts: `fields` (what each form field accepts), `text` (words and clauses of a
//! message), the extraction rules in their order — `phrasing` (rule 1), `mentions`,
//! `names` and `patterns` (rule 2), `quantities` (rule 3), `fallback` (rule 4) — run by
//! `extract`; `validate` (a value against its field) and `render` (the chunks said).

mod extract;
mod fallback;
mod fields;
mod mentions;
mod names;
mod phrasing;
mod quantities;
mod render;
mod text;
mod validate;

#[cfg(test)]
mod tests;

use crate::common::string_format as patterns;
use crate::common::wire::{Chunk, Values};
use crate::mock::ids::{IdKind, guid};
use crate::suite::model::Form;
use extract::{Situation, extract};
use fields::FieldModel;
use serde_json::Value;

/// What a session remembers between messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionState {
    /// Field key → accepted value (only keys of the form's fields).
    pub values: Values,
    /// A SUBMISSION chunk was sent; later messages submit nothing more.
    pub submitted: bool,
    /// Created with `dryRun: true`: the SUBMISSION chunk carries no `submissionId`.
    pub dry_run: bool,
    /// Seeds the session's submission id, so it is deterministic and unique per session.
    pub seed: u64,
}

impl SessionState {
    pub fn new(seed: u64, dry_run: bool) -> SessionState {
        SessionState {
            seed,
            dry_run,
            ..SessionState::default()
        }
    }
}

/// The assistant for one form. Building it classifies the fields once, so serving a
/// message does no per-form setup.
#[derive(Debug, Clone)]
pub struct Simulator {
    form_name: String,
    models: Vec<FieldModel>,
}

impl Simulator {
    pub fn new(form: &Form) -> Simulator {
        Simulator {
            form_name: form.name.clone().unwrap_or_else(|| "the form".to_string()),
            models: form.fields.iter().map(FieldModel::new).collect(),
        }
    }

    /// The create response: pre-fills `current_values`, greets, and asks for the first
    /// missing required field. Never submits, even when nothing is missing: the user has
    /// not said anything yet, so the first message does.
    pub fn start(&self, state: &mut SessionState, current_values: Option<&Values>) -> Vec<Chunk> {
        self.apply_values(state, current_values);
        let mut chunks = vec![render::greeting(&self.form_name)];
        match self.next_missing(state) {
            Some(field) => chunks.extend(render::question(&self.models[field], None)),
            None => chunks.push(render::text(
                "Everything the form needs is already filled in. Send me a message when you are ready to submit.",
            )),
        }
        chunks
    }

    /// The response to one user message. `current_values` override the state for their
    /// keys first (no TEXT_DATA for them, and those keys are not extracted from `input`);
    /// then values are extracted from `input`, validated and stored; then the form is
    /// submitted if nothing required is missing, or the next missing field is asked for.
    pub fn reply(
        &self,
        state: &mut SessionState,
        input: Option<&str>,
        current_values: Option<&Values>,
    ) -> Vec<Chunk> {
        self.reply_dropping(state, input, current_values, None)
    }

    /// [`Simulator::reply`], except that a value extracted for the field `dropped` is
    /// neither stored nor sent (the `drop_field` fault): the assistant "missed" it.
    pub fn reply_dropping(
        &self,
        state: &mut SessionState,
        input: Option<&str>,
        current_values: Option<&Values>,
        dropped: Option<&str>,
    ) -> Vec<Chunk> {
        if state.submitted {
            return vec![render::text(format!(
                "{} has already been submitted, so there is nothing more to fill in. Start a new session to fill it in again.",
                self.form_name
            ))];
        }
        let asked = self.next_missing(state);
        let missing: Vec<bool> = self
            .models
            .iter()
            .map(|m| !self.is_filled(state, m))
            .collect();
        let overridden = self.apply_values(state, current_values);
        let input = input.unwrap_or("");
        let situation = Situation {
            overridden: &overridden,
            missing: &missing,
            asked,
        };
        let candidates = extract(&self.models, input, &situation);
        let mut chunks = Vec::new();
        let mut accepted = 0;
        for candidate in &candidates {
            let model = &self.models[candidate.field];
            if dropped == Some(model.key()) {
                continue;
            }
            match validate::validate(model, candidate.value.clone()) {
                Ok(value) => {
                    state.values.insert(model.key().to_string(), value.clone());
                    let start = text::char_offset(input, candidate.span.start);
                    let end = text::char_offset(input, candidate.span.end);
                    chunks.push(render::text_data(model, value, Some((start, end - start))));
                    accepted += 1;
                }
                Err(requirement) => chunks.push(render::important(model, requirement)),
            }
        }
        let heard_nothing = candidates.is_empty() && !input.trim().is_empty();
        chunks.extend(self.next_step(state, heard_nothing, accepted > 0));
        chunks
    }

    /// Submits when nothing required is missing; otherwise asks for the next field.
    fn next_step(&self, state: &mut SessionState, heard_nothing: bool, took: bool) -> Vec<Chunk> {
        let Some(field) = self.next_missing(state) else {
            state.submitted = true;
            let (confirmation, id) = if state.dry_run {
                (
                    format!(
                        "Thanks, that's everything for {}. This is a dry run, so nothing was submitted.",
                        self.form_name
                    ),
                    None,
                )
            } else {
                (
                    format!(
                        "Thanks, that's everything! I've submitted {}.",
                        self.form_name
                    ),
                    Some(guid(IdKind::Submission, state.seed)),
                )
            };
            return vec![render::text(confirmation), render::submission(id)];
        };
        let lead = if heard_nothing {
            Some("Sorry, I couldn't find any of the form's details in that message.")
        } else if took {
            Some("Thanks!")
        } else {
            None
        };
        render::question(&self.models[field], lead)
    }

    /// Applies `currentValues`: keys of form fields are stored as sent (null clears the
    /// field), other keys are ignored. Returns, per field, whether it was set.
    fn apply_values(&self, state: &mut SessionState, values: Option<&Values>) -> Vec<bool> {
        let mut overridden = vec![false; self.models.len()];
        let Some(values) = values else {
            return overridden;
        };
        for (i, model) in self.models.iter().enumerate() {
            match values.get(model.key()) {
                Some(Value::Null) => {
                    state.values.remove(model.key());
                }
                Some(value) => {
                    state.values.insert(model.key().to_string(), value.clone());
                }
                None => continue,
            }
            overridden[i] = true;
        }
        overridden
    }

    /// The first required field, in form order, without a value.
    fn next_missing(&self, state: &SessionState) -> Option<usize> {
        self.models
            .iter()
            .position(|m| m.field.required && !self.is_filled(state, m))
    }

    /// A field is filled when it has a value other than null, "" or [].
    fn is_filled(&self, state: &SessionState, model: &FieldModel) -> bool {
        match state.values.get(model.key()) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Array(items)) => !items.is_empty(),
            Some(_) => true,
        }
    }
}
