//! Checks of a field's matcher against what the form declares about the field, for the
//! expectations that can never pass: a regex on a number field (a regex only matches text),
//! an expected option the field does not offer, an expected number outside the field's
//! `min`/`max`, a range that misses the field's range altogether.
//!
//! They run on a matcher that parsed without error, so its shape is known to be valid; the
//! `display:` part is never checked here, since a `displayValue` is always text.

use crate::common::diagnostic::{closest, quoted_list};
use crate::suite::context::Ctx;
use crate::suite::form_keys::FieldFacts;
use crate::suite::matcher::{Bound, NumRange, json_eq};
use crate::suite::model::FieldType;
use crate::suite::node::{Node, NodeValue, Pos};
use serde_json::Value;

/// One field's matcher and the facts it is checked against.
pub struct FieldCheck<'a> {
    pub key: &'a str,
    pub facts: &'a FieldFacts,
}

impl FieldCheck<'_> {
    /// Reports every part of the matcher `node` that contradicts the form.
    pub fn matcher(&self, node: &Node, cx: &mut Ctx) {
        let NodeValue::Map(entries) = &node.value else {
            self.expected_value(node, cx);
            return;
        };
        for (key, value) in entries {
            match key.as_str().unwrap_or_default() {
                "regex" => self.regex(key, cx),
                "eq" => self.expected_value(value, cx),
                "one_of" => items(value).for_each(|i| self.expected_value(i, cx)),
                "set" | "contains" if self.is_list() => self.elements(value, cx),
                "all_of" | "any_of" => items(value).for_each(|i| self.matcher(i, cx)),
                "between" => {
                    let ends: Vec<f64> = items(value).filter_map(Node::as_f64).collect();
                    if let [low, high] = ends[..] {
                        let range = inclusive(low, high);
                        self.range(range, key, &format!("between: [{low}, {high}]"), cx);
                    }
                }
                _ => {}
            }
        }
        self.bounds(entries, cx);
    }

    /// `prompt.options` of this field: each one must be an option of the field.
    pub fn prompt_options(&self, node: &Node, cx: &mut Ctx) {
        items(node).for_each(|i| self.option(i, cx));
    }

    fn is_list(&self) -> bool {
        self.facts.field_type == Some(FieldType::Array)
    }

    fn regex(&self, key: &Node, cx: &mut Ctx) {
        let (kind, help) = match self.facts.field_type {
            Some(FieldType::Number) => (
                "number",
                "compare numbers with a range: `{between: [0, 40]}`, `{gte: 0}` or \
                 `{lte: 40}` (or `eq` for one value)",
            ),
            Some(FieldType::Boolean) => ("boolean", "write the value itself: `true` or `false`"),
            Some(FieldType::Array) => (
                "list",
                "compare the elements with `contains: [...]` or `set: [...]`",
            ),
            Some(FieldType::Object) => ("object", "compare the object with `eq: {...}`"),
            Some(FieldType::String) | None => return,
        };
        cx.error(
            key.pos,
            format!(
                "a regex never matches a {kind}: `{}` is {} {kind} field",
                self.key,
                if kind == "object" { "an" } else { "a" }
            ),
            help,
        );
    }

    /// A whole expected value: the option and range rules of the field.
    fn expected_value(&self, node: &Node, cx: &mut Ctx) {
        if self.is_list() {
            if matches!(node.value, NodeValue::Seq(_)) {
                self.elements(node, cx);
            }
            return;
        }
        self.option(node, cx);
        if let (Some(FieldType::Number), Some(n)) = (self.facts.field_type, node.as_f64())
            && !self.field_range().contains(n)
        {
            let shown = node.scalar_text().unwrap_or_default();
            cx.error(
                node.pos,
                format!(
                    "{shown} is outside the range of `{}` ({})",
                    self.key,
                    self.range_text()
                ),
                format!(
                    "the form accepts {} for `{}`; to test that an answer out of range is \
                     refused, expect `no_fields: [{}]`",
                    self.range_text(),
                    self.key,
                    self.key
                ),
            );
        }
    }

    /// The elements of a list value (or one element) of a multi-select field.
    pub(super) fn elements(&self, node: &Node, cx: &mut Ctx) {
        match &node.value {
            NodeValue::Seq(list) => list.iter().for_each(|i| self.option(i, cx)),
            _ => self.option(node, cx),
        }
    }

    fn option(&self, node: &Node, cx: &mut Ctx) {
        if let Ok(value) = node.to_json() {
            self.option_value(&value, node.pos, cx);
        }
    }

    /// Reports `value`, written at `pos`, if the field has options and it is not one.
    pub(super) fn option_value(&self, value: &Value, pos: Pos, cx: &mut Ctx) {
        let Some(options) = &self.facts.options else {
            return;
        };
        if options.iter().any(|o| json_eq(o, value)) {
            return;
        }
        let texts: Vec<String> = options.iter().map(option_text).collect();
        let names: Vec<&str> = texts.iter().map(String::as_str).collect();
        let shown = option_text(value);
        let help = match closest(&shown, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("the options of `{}` are {}", self.key, quoted_list(&names)),
        };
        cx.error(
            pos,
            format!("`{shown}` is not an option of `{}`", self.key),
            help,
        );
    }

    /// `gt`/`gte`/`lt`/`lte` of one matcher mapping, as one range.
    fn bounds(&self, entries: &[(Node, Node)], cx: &mut Ctx) {
        let mut range = NumRange::default();
        let mut written = Vec::new();
        let mut first_key = None;
        for (key, value) in entries {
            let (Some(name), Some(n)) = (key.as_str(), value.as_f64()) else {
                continue;
            };
            let bound = Bound {
                value: n,
                inclusive: name.ends_with('e'),
            };
            match name {
                "gt" | "gte" => range.low = Some(bound),
                "lt" | "lte" => range.high = Some(bound),
                _ => continue,
            }
            written.push(format!("{name}: {n}"));
            first_key.get_or_insert(key);
        }
        if let Some(key) = first_key {
            self.range(range, key, &written.join(", "), cx);
        }
    }

    /// Reports a range with no number in common with the field's.
    fn range(&self, range: NumRange, key: &Node, written: &str, cx: &mut Ctx) {
        if self.facts.field_type != Some(FieldType::Number) {
            return;
        }
        let field = self.field_range();
        let low = tighter(range.low, field.low, |a, b| a > b);
        let high = tighter(range.high, field.high, |a, b| a < b);
        if !(NumRange { low, high }).is_empty() {
            return;
        }
        cx.error(
            key.pos,
            format!(
                "`{{{written}}}` never matches `{}`, whose range is {}",
                self.key,
                self.range_text()
            ),
            format!(
                "the form accepts {} for `{}`: expect a range that overlaps it",
                self.range_text(),
                self.key
            ),
        );
    }

    /// The field's `min`/`max` as a range (open where not declared).
    pub(super) fn field_range(&self) -> NumRange {
        let (min, max) = (self.facts.min, self.facts.max);
        let bound = |value| Bound {
            value,
            inclusive: true,
        };
        NumRange {
            low: min.map(bound),
            high: max.map(bound),
        }
    }

    /// The field's range in words: `0 to 5`, `at least 1`, `any number`.
    pub(super) fn range_text(&self) -> String {
        match (self.facts.min, self.facts.max) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => "any number".to_owned(),
        }
    }
}

fn inclusive(low: f64, high: f64) -> NumRange {
    let bound = |value| Bound {
        value,
        inclusive: true,
    };
    NumRange {
        low: Some(bound(low)),
        high: Some(bound(high)),
    }
}

/// The stricter of two bounds on the same side; `beyond(a, b)` says `a` is past `b`.
fn tighter(a: Option<Bound>, b: Option<Bound>, beyond: fn(f64, f64) -> bool) -> Option<Bound> {
    match (a, b) {
        (Some(x), Some(y)) if beyond(x.value, y.value) => Some(x),
        (Some(x), Some(y)) if x.value == y.value => Some(Bound {
            value: x.value,
            inclusive: x.inclusive && y.inclusive,
        }),
        (Some(_), Some(y)) => Some(y),
        (x, y) => x.or(y),
    }
}

fn items(node: &Node) -> impl Iterator<Item = &Node> {
    let list = match &node.value {
        NodeValue::Seq(items) => items.as_slice(),
        _ => &[],
    };
    list.iter()
}

/// An option as the user writes it: strings bare, other values as JSON.
fn option_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[path = "matcher_check_tests.rs"]
mod tests;
