//! The extraction pass over one user message: runs the rules in their documented
//! precedence and collects at most one candidate value per field.
//!
//! Owns the precedence and the bookkeeping shared by the rules (which input spans are
//! already used, which fields still want a value). It must not validate values or build
//! chunks: candidates go to `validate` and `render`.

use super::fields::FieldModel;
use super::text::{Token, overlaps, tokenize};
use super::{fallback, mentions, names, phrasing, quantities};
use serde_json::Value;
use std::ops::Range;

/// A value read from the input for one field, before validation. `span` is the byte
/// range of the input it was read from (reported as `meaningfulInput`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub field: usize,
    pub value: Value,
    pub span: Range<usize>,
}

/// What the extraction of one message needs to know about the session.
pub(crate) struct Situation<'a> {
    /// Per field: set through `currentValues` in this very message, so not extracted.
    pub overridden: &'a [bool],
    /// Per field: had no value before this message.
    pub missing: &'a [bool],
    /// The field the previous response asked for, if any.
    pub asked: Option<usize>,
}

/// The state of one extraction pass, handed to each rule in turn.
pub(crate) struct Scan<'a> {
    pub input: &'a str,
    pub tokens: Vec<Token>,
    pub models: &'a [FieldModel],
    pub missing: &'a [bool],
    pub asked: Option<usize>,
    open: Vec<bool>,
    found: Vec<Option<Candidate>>,
    claimed: Vec<Range<usize>>,
}

impl<'a> Scan<'a> {
    fn new(models: &'a [FieldModel], input: &'a str, situation: &Situation<'a>) -> Self {
        let open = models
            .iter()
            .enumerate()
            .map(|(i, m)| {
                !situation.overridden.get(i).copied().unwrap_or(false)
                    && m.kind != super::fields::Kind::Object
            })
            .collect();
        Scan {
            input,
            tokens: tokenize(input),
            models,
            missing: situation.missing,
            asked: situation.asked,
            open,
            found: vec![None; models.len()],
            claimed: Vec::new(),
        }
    }

    /// Whether field `field` may still receive a candidate in this pass.
    pub fn wants(&self, field: usize) -> bool {
        self.open.get(field).copied().unwrap_or(false) && self.found[field].is_none()
    }

    /// Whether field `field` had no value before this message.
    pub fn is_missing(&self, field: usize) -> bool {
        self.missing.get(field).copied().unwrap_or(true)
    }

    /// Whether no earlier rule used any byte of `span`.
    pub fn is_free(&self, span: &Range<usize>) -> bool {
        !self.claimed.iter().any(|c| overlaps(c, span))
    }

    pub fn token_free(&self, index: usize) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|t| self.is_free(&t.span()))
    }

    /// Marks `span` as used, so later rules do not read it again.
    pub fn claim(&mut self, span: Range<usize>) {
        self.claimed.push(span);
    }

    /// Records `value` for `field` if it still wants one. Returns whether it was taken.
    pub fn offer(&mut self, field: usize, value: Value, span: Range<usize>) -> bool {
        if !self.wants(field) {
            return false;
        }
        self.found[field] = Some(Candidate { field, value, span });
        true
    }

    /// Whether no rule has produced any candidate yet.
    pub fn nothing_found(&self) -> bool {
        self.found.iter().all(Option::is_none)
    }

    /// The text of the input between two byte offsets ("" when out of range).
    pub fn slice(&self, span: Range<usize>) -> &'a str {
        self.input.get(span).unwrap_or("")
    }

    fn into_candidates(self) -> Vec<Candidate> {
        self.found.into_iter().flatten().collect()
    }
}

/// Runs every rule over `input` in precedence order and returns the candidates in form
/// field order. A field takes the value of the first rule that finds one; a span of input
/// used by one rule is not read again by a later one.
pub(crate) fn extract(
    models: &[FieldModel],
    input: &str,
    situation: &Situation<'_>,
) -> Vec<Candidate> {
    let mut scan = Scan::new(models, input, situation);
    // 1. Explicit phrasings name their field: "email: x", "my ticket is vip".
    phrasing::apply(&mut scan);
    // 2. Unambiguous shapes: formats, then option words, then names.
    mentions::formats(&mut scan);
    mentions::options(&mut scan);
    names::apply(&mut scan);
    // 3. Numbers and yes/no tied to a label word ("two guests", "no newsletter").
    quantities::numbers_near_labels(&mut scan);
    quantities::booleans_near_labels(&mut scan);
    // 4. Context: a lone number for the only number still missing, or a bare answer to
    //    the question that was just asked.
    fallback::lone_number(&mut scan);
    fallback::bare_answer(&mut scan);
    scan.into_candidates()
}
