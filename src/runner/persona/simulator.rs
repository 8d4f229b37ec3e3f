//! The user simulator: an agenda-based simulated user (Schatzmann et al. 2007) driven by
//! the API's structured signals. After each response it reads which field is asked
//! ([`asked`](super::asked)), tracks what was extracted (TEXT_DATA) and whether the form
//! was submitted, and decides the next user message from the persona's facts and style,
//! keeping the reason for every message. It ends on SUBMISSION, on the turn budget, or
//! when the assistant asks twice in a row for nothing the user can answer ("stuck").
//!
//! Pure and deterministic for a seed: no I/O, no clock. The runner sends the messages.

use super::asked::{Asked, asked};
use super::phrase::{mistaken, phrase, spoken};
use crate::common::rng::SplitMix64;
use crate::common::wire::{Chunk, ChunkBody};
use crate::suite::{Form, Persona, Style};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Between two facts of one message: a sentence break, so a list value ("rust and ai")
/// does not run into the next fact.
const FACT_SEPARATOR: &str = ". ";

/// What the simulated user knows and how it talks: a persona's part the simulator reads.
#[derive(Debug, Clone, Copy)]
pub struct UserModel<'a> {
    /// Field → value, in the order the persona lists them.
    pub facts: &'a [(String, Value)],
    pub style: Style,
    pub opening: Option<&'a str>,
    /// Asked for these, the user refuses.
    pub declines: &'a [String],
    /// Phrasings per field, each with `{value}`.
    pub say: &'a BTreeMap<String, Vec<String>>,
    /// User messages at most.
    pub max_turns: u32,
}

impl<'a> UserModel<'a> {
    /// The simulated user of `persona`.
    pub fn of(persona: &'a Persona) -> UserModel<'a> {
        UserModel {
            facts: &persona.facts,
            style: persona.style,
            opening: persona.opening.as_deref(),
            declines: &persona.declines,
            say: &persona.say,
            max_turns: persona.max_turns,
        }
    }
}

/// One user message and why the simulator chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub reason: String,
}

/// Why a conversation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Submitted,
    /// `max_turns` messages were sent without a submission.
    OverBudget,
    /// The assistant asked twice in a row for nothing the user could answer.
    Stuck,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Say(Message),
    End(Ending),
}

/// A simulated user in one conversation.
pub struct Simulator<'a> {
    model: UserModel<'a>,
    form: &'a Form,
    rng: SplitMix64,
    extracted: BTreeMap<String, Value>,
    said: BTreeSet<String>,
    turns: u32,
    re_asks: u32,
    /// Responses in a row that asked for nothing the user could answer.
    unanswerable: u32,
    /// `corrects`: the field whose mistake is corrected next, once.
    correction: Option<String>,
    corrected: bool,
    submitted: bool,
    last: Option<Asked>,
}

impl<'a> Simulator<'a> {
    pub fn new(model: UserModel<'a>, form: &'a Form, seed: u64) -> Simulator<'a> {
        Simulator {
            model,
            form,
            rng: SplitMix64::new(seed),
            extracted: BTreeMap::new(),
            said: BTreeSet::new(),
            turns: 0,
            re_asks: 0,
            unanswerable: 0,
            correction: None,
            corrected: false,
            submitted: false,
            last: None,
        }
    }

    /// User messages sent so far.
    pub fn turns(&self) -> u32 {
        self.turns
    }

    /// Questions for a field the assistant had already extracted right.
    pub fn re_asks(&self) -> u32 {
        self.re_asks
    }

    /// What the assistant extracted, field → last value.
    pub fn extracted(&self) -> &BTreeMap<String, Value> {
        &self.extracted
    }

    /// The facts the user said (at least once).
    pub fn said(&self) -> &BTreeSet<String> {
        &self.said
    }

    fn fact(&self, key: &str) -> Option<&'a Value> {
        self.model
            .facts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Reads one response (the create's, then each send's).
    pub fn observe(&mut self, chunks: &[Chunk]) {
        for chunk in chunks {
            match &chunk.body {
                ChunkBody::TextData(d) => {
                    self.extracted
                        .insert(d.field_target.clone(), d.value.clone());
                }
                ChunkBody::Submission(_) => self.submitted = true,
                _ => {}
            }
        }
        let extracted = &self.extracted;
        let now = asked(chunks, self.form, &|key| extracted.contains_key(key));
        if let Some(first) = now.fields.first().filter(|_| !now.rejected) {
            let right = self
                .fact(first)
                .is_some_and(|fact| self.extracted.get(first) == Some(fact));
            if right && self.said.contains(first) && !now.reason.starts_with("first required") {
                self.re_asks += 1;
            }
        }
        let answerable = now.fields.iter().any(|f| self.fact(f).is_some())
            || (now.fields.is_empty() && self.unsaid().next().is_some());
        self.unanswerable = if answerable { 0 } else { self.unanswerable + 1 };
        self.last = Some(now);
    }

    /// The next message, or why the conversation is over.
    pub fn next_message(&mut self) -> Next {
        if self.submitted {
            return Next::End(Ending::Submitted);
        }
        if self.turns >= self.model.max_turns {
            return Next::End(Ending::OverBudget);
        }
        if self.unanswerable >= 2 {
            return Next::End(Ending::Stuck);
        }
        let message = self.compose();
        self.turns += 1;
        Next::Say(message)
    }

    fn unsaid(&self) -> impl Iterator<Item = &'a String> + '_ {
        self.model
            .facts
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !self.said.contains(*k))
    }

    fn compose(&mut self) -> Message {
        if self.turns == 0 {
            if self.model.style == Style::Eager {
                let keys: Vec<&'a String> = self.model.facts.iter().map(|(k, _)| k).collect();
                let text = self.volunteer_all(&keys);
                return self.opened(text, "eager: says every fact at once".to_string());
            }
            if let Some(opening) = self.model.opening {
                return Message {
                    text: opening.to_string(),
                    reason: "opening message".to_string(),
                };
            }
        }
        if let Some(field) = self.correction.take() {
            let text = format!("sorry, {}", self.say_fact(&field, false, None));
            return Message {
                text,
                reason: format!("corrects: gives the right {field}"),
            };
        }
        let asked = self.last.clone().unwrap_or(Asked {
            fields: Vec::new(),
            reason: "nothing asked yet".to_string(),
            rejected: false,
        });
        self.answer(&asked)
    }

    fn opened(&self, text: String, reason: String) -> Message {
        match self.model.opening {
            Some(opening) => Message {
                text: format!("{opening} {text}"),
                reason,
            },
            None => Message { text, reason },
        }
    }

    fn answer(&mut self, asked: &Asked) -> Message {
        let Some(first) = asked.fields.first().cloned() else {
            return self.offer_unsaid(&asked.reason);
        };
        if self.model.declines.contains(&first) {
            return Message {
                text: "I'd rather not say".to_string(),
                reason: format!("{} → declines {first}", asked.reason),
            };
        }
        if self.fact(&first).is_none() {
            return Message {
                text: "I don't know".to_string(),
                reason: format!("{} → not a fact of this persona", asked.reason),
            };
        }
        let mistake = self.model.style == Style::Corrects && !self.corrected;
        let mut keys = vec![first.clone()];
        // A merged question: answer the second field too, when known.
        keys.extend(
            asked
                .fields
                .iter()
                .skip(1)
                .filter(|f| self.fact(f).is_some())
                .cloned(),
        );
        if let Style::Chunks(n) = self.model.style {
            let more: Vec<String> = self
                .unsaid()
                .filter(|k| !keys.contains(k))
                .cloned()
                .collect();
            let room = (n as usize).saturating_sub(keys.len());
            keys.extend(more.into_iter().take(room));
        }
        let mut parts = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let wrong =
                (mistake && i == 0).then(|| self.fact(key).map(|v| mistaken_of(self, key, v)));
            parts.push(self.say_fact(key, i == 0 && keys.len() == 1, wrong.flatten()));
        }
        if mistake {
            self.corrected = true;
            self.correction = Some(first.clone());
        }
        let what = if mistake {
            format!("says {first} with a mistake")
        } else {
            format!("says {}", keys.join(", "))
        };
        Message {
            text: parts.join(FACT_SEPARATOR),
            reason: format!("{} → {what}", asked.reason),
        }
    }

    /// Nothing was asked: volunteer the next fact not said yet, if any.
    fn offer_unsaid(&mut self, why: &str) -> Message {
        let next = self.unsaid().next().cloned();
        match next {
            Some(key) => Message {
                text: self.say_fact(&key, false, None),
                reason: format!("{why} → offers {key}"),
            },
            None => Message {
                text: "that's all I have".to_string(),
                reason: format!("{why} → nothing left to say"),
            },
        }
    }

    fn volunteer_all(&mut self, keys: &[&String]) -> String {
        let parts: Vec<String> = keys.iter().map(|k| self.say_fact(k, false, None)).collect();
        parts.join(FACT_SEPARATOR)
    }

    /// Says fact `key` (or `instead`, a mistaken value), marking it said.
    fn say_fact(&mut self, key: &str, asked: bool, instead: Option<Value>) -> String {
        let (Some(field), Some(fact)) = (self.form.field(key), self.fact(key)) else {
            return String::new();
        };
        let value = instead.as_ref().unwrap_or(fact);
        let words = spoken(field, value);
        let say = self.model.say.get(key).map(Vec::as_slice);
        self.said.insert(key.to_string());
        phrase(field, &words, say, asked, &mut self.rng)
    }
}

fn mistaken_of(sim: &Simulator<'_>, key: &str, value: &Value) -> Value {
    sim.form
        .field(key)
        .map_or_else(|| value.clone(), |field| mistaken(field, value))
}
