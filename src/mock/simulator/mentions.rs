//! Rule 2a and 2b: values recognisable by their shape alone — format patterns (email, url,
//! date, time, phone) for format fields, and option values or labels for select fields.
//!
//! Owns assigning those matches to fields. It must not look at labels or context words:
//! that is the job of the phrasing and quantity rules.

use super::extract::Scan;
use super::fields::Kind;
use super::patterns;
use super::text::find_seq;
use crate::suite::model::StringFormat;
use serde_json::Value;
use std::ops::Range;

/// Formats in the order they are searched: dates before phones so "2026-03-14" is never a
/// phone number, emails before urls so a mail domain is never a web address.
const FORMAT_ORDER: [StringFormat; 5] = [
    StringFormat::Email,
    StringFormat::Url,
    StringFormat::Date,
    StringFormat::Time,
    StringFormat::Phone,
];

/// Gives each format match, in input order, to the fields of that format that still want
/// a value: fields without a value first (form order), then filled ones (a correction).
pub(crate) fn formats(scan: &mut Scan) {
    for format in FORMAT_ORDER {
        let mut targets: Vec<usize> = (0..scan.models.len())
            .filter(|&i| scan.models[i].kind == Kind::Format(format) && scan.wants(i))
            .collect();
        if targets.is_empty() {
            continue;
        }
        // Stable sort: missing fields first, form order within each group.
        targets.sort_by_key(|&i| !scan.is_missing(i));
        let matches = patterns::find(format, scan.input);
        let free: Vec<_> = matches
            .into_iter()
            .filter(|m| scan.is_free(&m.span))
            .collect();
        let mut free = free.into_iter();
        for field in targets {
            let Some(m) = free.next() else { break };
            scan.offer(field, Value::String(m.value), m.span.clone());
            scan.claim(m.span);
        }
    }
}

/// One mention of an option in the input: option index and token range.
struct Mention {
    option: usize,
    tokens: Range<usize>,
}

/// Select fields take the options whose value or label appears as whole words (any case).
/// A single-choice field takes the first option mentioned; a multi-choice field takes
/// every option mentioned, in option order. At one position the longest mention wins
/// ("VIP plus" over "VIP"); a word used by one field is not used again by a later field.
pub(crate) fn options(scan: &mut Scan) {
    for field in 0..scan.models.len() {
        let kind = scan.models[field].kind;
        if !matches!(kind, Kind::Single | Kind::Multi) || !scan.wants(field) {
            continue;
        }
        let mentions = mentions(scan, field);
        let Some(first) = mentions.first() else {
            continue;
        };
        let bytes =
            |m: &Mention| scan.tokens[m.tokens.start].start..scan.tokens[m.tokens.end - 1].end;
        let options = &scan.models[field].options;
        let (value, span) = if kind == Kind::Single {
            (options[first.option].option.value.clone(), bytes(first))
        } else {
            let mut chosen: Vec<usize> = mentions.iter().map(|m| m.option).collect();
            chosen.sort_unstable();
            chosen.dedup();
            let values = chosen
                .iter()
                .map(|&i| options[i].option.value.clone())
                .collect();
            let start = bytes(first).start;
            let end = mentions.iter().map(|m| bytes(m).end).max().unwrap_or(start);
            (Value::Array(values), start..end)
        };
        let claimed: Vec<Range<usize>> = if kind == Kind::Single {
            vec![bytes(first)]
        } else {
            mentions.iter().map(bytes).collect()
        };
        if scan.offer(field, value, span) {
            claimed.into_iter().for_each(|c| scan.claim(c));
        }
    }
}

/// Non-overlapping mentions of `field`'s options in free tokens, in input order.
fn mentions(scan: &Scan, field: usize) -> Vec<Mention> {
    let mut all: Vec<Mention> = Vec::new();
    for (option, model) in scan.models[field].options.iter().enumerate() {
        for words in &model.mentions {
            for at in find_seq(&scan.tokens, words) {
                let tokens = at..at + words.len();
                if tokens.clone().all(|t| scan.token_free(t)) {
                    all.push(Mention { option, tokens });
                }
            }
        }
    }
    all.sort_by_key(|m| (m.tokens.start, std::cmp::Reverse(m.tokens.end)));
    let mut kept: Vec<Mention> = Vec::new();
    for m in all {
        if kept.last().is_none_or(|k| k.tokens.end <= m.tokens.start) {
            kept.push(m);
        }
    }
    kept
}
