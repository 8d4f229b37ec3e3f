//! Rule 3: numbers and yes/no answers tied to a label word — "two guests", "guests 3",
//! "subscribe me to the newsletter", "no newsletter".
//!
//! Owns the notion of "near a label". It must not take numbers or yes/no words that no
//! label word points at: the fallback rules decide those from context.

use super::extract::Scan;
use super::fields::Kind;
use super::text::{self, clause_of, gap_breaks};
use super::validate::number_json;
use serde_json::Value;

/// How many words apart a number and a label word may be ("2 more guests" is 2 apart).
const MAX_DISTANCE: usize = 2;

/// The number token `index` stands for, with a minus sign written right before it
/// ("-3") when that sign is not part of a word ("x-3").
pub(crate) fn token_number(scan: &Scan, index: usize) -> Option<f64> {
    let token = scan.tokens.get(index)?;
    let n = text::number_value(&token.norm)?;
    let before = scan.slice(0..token.start);
    let negative = before
        .strip_suffix('-')
        .is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric()));
    Some(if negative { -n } else { n })
}

/// Each number field (form order) takes the closest free number within
/// [`MAX_DISTANCE`] words of one of its label words, with no punctuation between them. At
/// equal distance a number before the label wins ("two guests" over "guests three").
pub(crate) fn numbers_near_labels(scan: &mut Scan) {
    for field in 0..scan.models.len() {
        if scan.models[field].kind != Kind::Number || !scan.wants(field) {
            continue;
        }
        let mut best: Option<(usize, bool, usize)> = None;
        for (j, token) in scan.tokens.iter().enumerate() {
            if !scan.models[field].is_label_word(&token.norm) || !scan.token_free(j) {
                continue;
            }
            let lo = j.saturating_sub(MAX_DISTANCE);
            let hi = (j + MAX_DISTANCE).min(scan.tokens.len().saturating_sub(1));
            for i in lo..=hi {
                if i == j || !scan.token_free(i) || token_number(scan, i).is_none() {
                    continue;
                }
                let (a, b) = (i.min(j), i.max(j));
                let gap = scan.slice(scan.tokens[a].end..scan.tokens[b].start);
                if gap_breaks(gap) {
                    continue;
                }
                let key = (b - a, i > j, i);
                if best.is_none_or(|k| key < k) {
                    best = Some(key);
                }
            }
        }
        if let Some((_, _, i)) = best
            && let Some(n) = token_number(scan, i)
        {
            let span = scan.tokens[i].span();
            scan.offer(field, number_json(n), span.clone());
            scan.claim(span);
        }
    }
}

/// Each boolean field takes the yes/no reading of the clause around its first label word
/// that has one: a negation anywhere in the clause ("no", "don't", "not") makes it false,
/// otherwise an affirmation ("yes", "please", "subscribe", "want") makes it true. A label
/// word in a clause without either cue says nothing.
pub(crate) fn booleans_near_labels(scan: &mut Scan) {
    for field in 0..scan.models.len() {
        if scan.models[field].kind != Kind::Boolean || !scan.wants(field) {
            continue;
        }
        // Clauses are contiguous: once a clause is read, its other label words are
        // skipped, which keeps a long message linear.
        let mut read_until = 0;
        for j in 0..scan.tokens.len() {
            let is_label = scan.models[field].is_label_word(&scan.tokens[j].norm);
            if j < read_until || !is_label || !scan.token_free(j) {
                continue;
            }
            let clause = clause_of(scan.input, &scan.tokens, j);
            read_until = clause.end;
            let cues: Vec<bool> = clause
                .clone()
                .filter(|&t| scan.token_free(t))
                .filter_map(|t| text::polarity(&scan.tokens[t].norm))
                .collect();
            let answer = if cues.contains(&false) {
                false
            } else if cues.contains(&true) {
                true
            } else {
                continue;
            };
            let span = scan.tokens[clause.start].start..scan.tokens[clause.end - 1].end;
            scan.offer(field, Value::Bool(answer), span.clone());
            scan.claim(span);
            break;
        }
    }
}
