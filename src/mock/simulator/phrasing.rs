//! Rule 1: explicit phrasings that name their field — `label: value`, `label = value` and
//! `[my|the|our] label is value` — and the reading of a written value as a field's type.
//!
//! Owns locating those phrasings and typing their values. It must not validate: a value
//! that does not fit is passed on as written, for validation to reject.

use super::extract::Scan;
use super::fields::{FieldModel, Kind};
use super::patterns;
use super::text::{self, find_seq};
use super::validate::number_json;
use regex::Regex;
use serde_json::Value;
use std::ops::Range;
use std::sync::LazyLock;

/// One place where a field's name is followed by a separator.
struct Hit {
    field: usize,
    /// From the optional "my"/"the" to the end of the value.
    whole: Range<usize>,
    value: Range<usize>,
    /// `label is value` (a weaker signal than `label: value`, see [`apply`]).
    with_is: bool,
}

const DETERMINERS: [&str; 4] = ["my", "the", "our", "your"];

/// Finds every phrasing, longest label first at each position, and offers its value. A
/// `label: value` whose value does not fit is still offered (validation rejects it, the
/// user said which field they meant); a `label is value` that does not read as a number,
/// yes/no or option is ignored, since "VIP ticket is what I want" is not an answer.
pub(crate) fn apply(scan: &mut Scan) {
    let mut hits = collect(scan);
    hits.sort_by_key(|h| (h.whole.start, std::cmp::Reverse(h.whole.end)));
    for hit in hits {
        if !scan.wants(hit.field) || !scan.is_free(&hit.whole) {
            continue;
        }
        let model = &scan.models[hit.field];
        let raw = scan.slice(hit.value.clone());
        let (value, span) = read_value(model, raw, hit.value.clone());
        let typed_kind = matches!(
            model.kind,
            Kind::Number | Kind::Boolean | Kind::Single | Kind::Multi
        );
        if hit.with_is && typed_kind && !fits_type(model, &value) {
            continue;
        }
        scan.offer(hit.field, value, span);
        scan.claim(hit.whole);
    }
}

fn collect(scan: &Scan) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (field, model) in scan.models.iter().enumerate() {
        if !scan.wants(field) {
            continue;
        }
        for name in &model.names {
            for at in find_seq(&scan.tokens, name) {
                if let Some(hit) = hit_at(scan, field, at, at + name.len()) {
                    hits.push(hit);
                }
            }
        }
    }
    hits
}

/// The phrasing whose label occupies tokens `from..to`, if a separator follows it.
fn hit_at(scan: &Scan, field: usize, from: usize, to: usize) -> Option<Hit> {
    let tokens = &scan.tokens;
    let label_end = tokens[to - 1].end;
    let after = scan.slice(label_end..scan.input.len());
    let gap = after.len() - after.trim_start().len();
    let sep = after.trim_start().chars().next()?;
    let (value_start, with_is) = if sep == ':' || sep == '=' {
        let rest = &after[gap + 1..];
        (
            label_end + gap + 1 + (rest.len() - rest.trim_start().len()),
            false,
        )
    } else {
        let next = tokens
            .get(to)
            .filter(|t| t.norm == "is" && t.start == label_end + gap)?;
        let rest = scan.slice(next.end..scan.input.len());
        (next.end + (rest.len() - rest.trim_start().len()), true)
    };
    let list = matches!(scan.models[field].kind, Kind::Multi | Kind::List);
    let value_end = text::value_end(scan.input, value_start, list);
    if value_end <= value_start || (!with_is && gap > 2) {
        return None;
    }
    let start = match from.checked_sub(1).map(|i| &tokens[i]) {
        Some(det)
            if DETERMINERS.contains(&det.norm.as_str())
                && ws_only(scan, det.end, tokens[from].start) =>
        {
            det.start
        }
        _ => tokens[from].start,
    };
    Some(Hit {
        field,
        whole: start..value_end,
        value: value_start..value_end,
        with_is,
    })
}

fn ws_only(scan: &Scan, from: usize, to: usize) -> bool {
    scan.slice(from..to).chars().all(char::is_whitespace)
}

fn fits_type(model: &FieldModel, value: &Value) -> bool {
    match model.kind {
        Kind::Number => value.is_number(),
        Kind::Boolean => value.is_boolean(),
        Kind::Single => model.options.iter().any(|o| o.option.value == *value),
        Kind::Multi => value.as_array().is_some_and(|items| {
            items
                .iter()
                .all(|v| model.options.iter().any(|o| o.option.value == *v))
        }),
        _ => true,
    }
}

/// Reads the written value `raw` (found at byte range `span` of the input) as `model`'s
/// type: a number, yes/no, an option value, canonical date/time, capitalised name words.
/// What cannot be read is returned as the written string. For lists, the span shrinks to
/// the items that were read.
pub(crate) fn read_value(
    model: &FieldModel,
    raw: &str,
    span: Range<usize>,
) -> (Value, Range<usize>) {
    let trimmed = raw.trim().trim_end_matches(['.', '!']);
    let as_written = || Value::String(trimmed.to_string());
    let value = match model.kind {
        Kind::Number => text::parse_number(trimmed).map_or_else(as_written, number_json),
        Kind::Boolean => text::parse_bool(trimmed).map_or_else(as_written, Value::Bool),
        Kind::Single => model
            .option_for(trimmed)
            .map_or_else(as_written, |o| o.value.clone()),
        Kind::Multi | Kind::List => return read_list(model, raw, span),
        Kind::Format(format) => Value::String(patterns::normalize(format, trimmed)),
        Kind::Name(_) => name_value(trimmed).map_or_else(as_written, Value::String),
        Kind::Text | Kind::Object => as_written(),
    };
    (value, span)
}

/// A written name as stored: every word capitalised, single spaces ("first name: mary
/// ann" → "Mary Ann": the user named the field, so all the words are its value).
fn name_value(raw: &str) -> Option<String> {
    let words: Vec<String> = raw.split_whitespace().map(text::capitalize).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

static LIST_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|&|/|\band\b|\bor\b)\s*")
        .unwrap_or_else(|e| panic!("static list separator pattern: {e}"))
});

/// Splits a written list at `,`, `&`, `/`, "and", "or". For option fields, items are read
/// as options up to the first one that is not an option; if even the first is not, the
/// whole list is kept as written so validation can say which options exist.
fn read_list(model: &FieldModel, raw: &str, span: Range<usize>) -> (Value, Range<usize>) {
    let mut items: Vec<(Range<usize>, &str)> = Vec::new();
    let mut last = 0;
    let separators = LIST_SEPARATOR.find_iter(raw).map(|m| m.range());
    // A zero-width separator at the end, so the last item is split like the others.
    for sep in separators.chain(std::iter::once(raw.len()..raw.len())) {
        let item = raw[last..sep.start].trim();
        if !item.is_empty() {
            let offset =
                last + (raw[last..sep.start].len() - raw[last..sep.start].trim_start().len());
            items.push((offset..offset + item.len(), item));
        }
        last = sep.end;
    }
    if model.kind == Kind::List {
        let values = items
            .iter()
            .map(|(_, s)| Value::String(s.to_string()))
            .collect();
        return (Value::Array(values), span);
    }
    let mut values = Vec::new();
    let mut end = span.end;
    for (range, item) in &items {
        match model.option_for(item) {
            Some(option) => {
                values.push(option.value.clone());
                end = span.start + range.end;
            }
            None if values.is_empty() => {
                let written = items
                    .iter()
                    .map(|(_, s)| Value::String(s.to_string()))
                    .collect();
                return (Value::Array(written), span);
            }
            None => break,
        }
    }
    (Value::Array(values), span.start..end)
}
