//! Rule 4: readings that depend on the conversation rather than the words alone — a lone
//! number for the only number field still needed, and a short bare answer ("Dana", "3",
//! "yes", "vip") to the question the previous response asked.
//!
//! Owns those two context rules. They run last, on input no other rule used.

use super::extract::Scan;
use super::fields::{Kind, NamePart};
use super::phrasing::read_value;
use super::quantities::token_number;
use super::text::{self, FILLERS};
use super::validate::number_json;
use serde_json::Value;

/// The longest message (in words) still read as a bare answer.
const MAX_BARE_WORDS: usize = 8;

/// The first free number goes to the number field that was just asked for, or else to
/// the only number field that still has no value (when exactly one has none).
pub(crate) fn lone_number(scan: &mut Scan) {
    let asked = scan
        .asked
        .filter(|&a| scan.models.get(a).is_some_and(|m| m.kind == Kind::Number) && scan.wants(a));
    let target = asked.or_else(|| {
        let missing: Vec<usize> = (0..scan.models.len())
            .filter(|&i| scan.models[i].kind == Kind::Number && scan.is_missing(i))
            .collect();
        match missing.as_slice() {
            [only] if scan.wants(*only) => Some(*only),
            _ => None,
        }
    });
    let Some(field) = target else { return };
    let number = (0..scan.tokens.len())
        .filter(|&i| scan.token_free(i))
        .find_map(|i| token_number(scan, i).map(|n| (i, n)));
    if let Some((i, n)) = number {
        let span = scan.tokens[i].span();
        scan.offer(field, number_json(n), span.clone());
        scan.claim(span);
    }
}

/// When no rule found anything, a short message (at most [`MAX_BARE_WORDS`] words) is the
/// answer to the field that was asked for, read as that field's type. A message opening
/// with small talk ("hi", "thanks", "what...") is not an answer, except "yes"/"no" to a
/// yes/no question. Name fields take at most three plain words.
pub(crate) fn bare_answer(scan: &mut Scan) {
    let Some(field) = scan.asked.filter(|&a| scan.wants(a)) else {
        return;
    };
    if !scan.nothing_found() || scan.tokens.is_empty() || scan.tokens.len() > MAX_BARE_WORDS {
        return;
    }
    let model = &scan.models[field];
    let first = scan.tokens[0].norm.as_str();
    if model.kind != Kind::Boolean && FILLERS.contains(&first) {
        return;
    }
    let trimmed = scan.input.trim().trim_end_matches(['.', '!']);
    let start = scan.input.len() - scan.input.trim_start().len();
    let span = start..start + trimmed.len();
    let (value, span) = match model.kind {
        Kind::Boolean => match text::parse_bool(trimmed) {
            Some(answer) => (Value::Bool(answer), span),
            None => (Value::String(trimmed.to_string()), span),
        },
        Kind::Number => match text::parse_number(trimmed) {
            Some(n) => (number_json(n), span),
            None => (Value::String(trimmed.to_string()), span),
        },
        Kind::Name(part) => match bare_name(scan, part) {
            Some(found) => found,
            None => return,
        },
        _ => read_value(model, trimmed, span),
    };
    scan.offer(field, value, span.clone());
    scan.claim(span);
}

/// A bare name: one to three alphabetic words; a first name takes the first, a last name
/// the last, a full name all, each capitalised.
fn bare_name(scan: &Scan, part: NamePart) -> Option<(Value, std::ops::Range<usize>)> {
    let tokens = &scan.tokens;
    let alphabetic = |t: &text::Token| scan.slice(t.span()).chars().all(char::is_alphabetic);
    if tokens.len() > 3 || !tokens.iter().all(alphabetic) {
        return None;
    }
    let (first, last) = (tokens.first()?, tokens.last()?);
    let written = |t: &text::Token| text::capitalize(scan.slice(t.span()));
    Some(match part {
        NamePart::First => (Value::String(written(first)), first.span()),
        NamePart::Last => (Value::String(written(last)), last.span()),
        NamePart::Full => {
            let all: Vec<String> = tokens.iter().map(written).collect();
            (Value::String(all.join(" ")), first.start..last.end)
        }
    })
}
