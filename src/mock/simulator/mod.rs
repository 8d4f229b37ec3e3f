//! The deterministic form-filling assistant behind the mock: given a form, a session's
//! state and a user message, it produces the response chunks and updates the state.
//!
//! Pure: no I/O, no clock, no randomness — the same form, state, message and
//! [`Variation`] always give the same chunks (the caller draws a variation, if any). It must not know about HTTP, session maps or request validation (the
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
mod variation;
mod wording;

#[cfg(test)]
mod tests;

use crate::common::string_format as patterns;
use crate::common::wire::{Chunk, Values};
use crate::mock::ids::{IdKind, guid};
use crate::suite::model::Form;
use extract::{Candidate, Situation, extract};
use fields::FieldModel;
use serde_json::Value;
pub use variation::Variation;

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
    /// The filled field the last response asked for again ([`Variation::reask`]): the
    /// next message's bare answer is read for it. Always `None` without variation.
    pub reasked: Option<usize>,
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

    /// How many fields the form has (the length a [`Variation`]'s per-field parts need).
    pub fn field_count(&self) -> usize {
        self.models.len()
    }

    /// The create response: pre-fills `current_values`, greets, and asks for the first
    /// missing required field. Never submits, even when nothing is missing: the user has
    /// not said anything yet, so the first message does.
    pub fn start(&self, state: &mut SessionState, current_values: Option<&Values>) -> Vec<Chunk> {
        self.start_varied(state, current_values, &Variation::default())
    }

    /// [`Simulator::start`], with the question asked as `variation` says.
    pub fn start_varied(
        &self,
        state: &mut SessionState,
        current_values: Option<&Values>,
        variation: &Variation,
    ) -> Vec<Chunk> {
        self.apply_values(state, current_values);
        let mut chunks = vec![render::greeting(&self.form_name)];
        match self.ask(state, None, variation) {
            Some(question) => chunks.extend(question),
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
        self.reply_varied(state, input, current_values, dropped, &Variation::default())
    }

    /// [`Simulator::reply_dropping`], departing from the plain assistant as `variation`
    /// says: values it misses are not extracted at all (as if absent from the message),
    /// and the next question follows its order, wording, re-ask and merge.
    pub fn reply_varied(
        &self,
        state: &mut SessionState,
        input: Option<&str>,
        current_values: Option<&Values>,
        dropped: Option<&str>,
        variation: &Variation,
    ) -> Vec<Chunk> {
        if state.submitted {
            return vec![render::text(format!(
                "{} has already been submitted, so there is nothing more to fill in. Start a new session to fill it in again.",
                self.form_name
            ))];
        }
        // What the previous response asked for: a field it asked again, else the next
        // missing one (the same order gives the same field).
        let asked = state
            .reasked
            .take()
            .or_else(|| self.missing_in_order(state, variation).first().copied());
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
        let mut candidates = extract(&self.models, input, &situation);
        candidates.retain(|c| !variation.misses(c.field));
        let (mut chunks, accepted) = self.take_values(state, input, &candidates, dropped);
        let heard_nothing = candidates.is_empty() && !input.trim().is_empty();
        chunks.extend(self.next_step(state, heard_nothing, accepted > 0, variation));
        chunks
    }

    /// Validates each candidate: stores and reports the accepted ones (TEXT_DATA),
    /// reports the rejected ones (IMPORTANT_TEXT). Returns the chunks and how many were
    /// accepted. A candidate for `dropped` is skipped.
    fn take_values(
        &self,
        state: &mut SessionState,
        input: &str,
        candidates: &[Candidate],
        dropped: Option<&str>,
    ) -> (Vec<Chunk>, usize) {
        let mut chunks = Vec::new();
        let mut accepted = 0;
        for candidate in candidates {
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
        (chunks, accepted)
    }

    /// Asks the next question; submits when there is none (nothing required missing and
    /// no field asked again).
    fn next_step(
        &self,
        state: &mut SessionState,
        heard_nothing: bool,
        took: bool,
        variation: &Variation,
    ) -> Vec<Chunk> {
        let lead = if heard_nothing {
            Some("Sorry, I couldn't find any of the form's details in that message.")
        } else if took {
            Some("Thanks!")
        } else {
            None
        };
        match self.ask(state, lead, variation) {
            Some(question) => question,
            None => self.submit(state),
        }
    }

    /// The question `variation` calls for: a filled field asked again, else the next
    /// missing required field (with the one after it when merging). `None` when nothing
    /// is to be asked.
    fn ask(
        &self,
        state: &mut SessionState,
        lead: Option<&str>,
        variation: &Variation,
    ) -> Option<Vec<Chunk>> {
        let wording = variation.wording.unwrap_or(0);
        let reasked = variation
            .reask
            .and_then(|_| variation.reask_among(&self.filled(state)));
        if let Some(field) = reasked {
            state.reasked = Some(field);
            return Some(render::question(&self.models[field], lead, wording));
        }
        let missing = self.missing_in_order(state, variation);
        Some(match (missing.first(), missing.get(1)) {
            (None, _) => return None,
            (Some(&first), Some(&second)) if variation.merge => {
                let (a, b) = (&self.models[first], &self.models[second]);
                render::question_pair(a, b, lead, wording)
            }
            (Some(&first), _) => render::question(&self.models[first], lead, wording),
        })
    }

    /// The confirmation and SUBMISSION; marks the session submitted.
    fn submit(&self, state: &mut SessionState) -> Vec<Chunk> {
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
        vec![render::text(confirmation), render::submission(id)]
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

    /// The required fields without a value, in asking order (form order unless
    /// `variation` says otherwise).
    fn missing_in_order(&self, state: &SessionState, variation: &Variation) -> Vec<usize> {
        let mut order = variation.asking_order(self.models.len());
        order.retain(|&i| {
            let model = &self.models[i];
            model.field.required && !self.is_filled(state, model)
        });
        order
    }

    /// The filled fields that could be asked for again (object fields are never asked).
    fn filled(&self, state: &SessionState) -> Vec<usize> {
        (0..self.models.len())
            .filter(|&i| {
                let model = &self.models[i];
                model.kind != fields::Kind::Object && self.is_filled(state, model)
            })
            .collect()
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
