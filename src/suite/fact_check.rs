//! Checks of one persona fact against its field: the value's type, then its options and
//! range (through [`FieldCheck`], the checks expectations get) and its format (through
//! [`crate::common::string_format`], the patterns the mock accepts values with). A fact
//! is what the simulated user answers and what its extraction is compared with, so it
//! must be a value the form accepts as it is: a date as `2026-03-14`, a time as `14:30`.
//!
//! Owns the type rules of facts and their wording; must not parse matchers, know styles or
//! decide what the user says.

use crate::common::string_format::{StringFormat, is_valid};
use crate::suite::context::Ctx;
use crate::suite::form_keys::FieldFacts;
use crate::suite::matcher_check::FieldCheck;
use crate::suite::model::FieldType;
use crate::suite::node::{Node, NodeValue};
use serde_json::Value;

/// The value of fact `key` written at `node`, checked against `facts` (what the form
/// declares about the field; `None` when unknown, and then only the value itself is
/// checked). A number given for a text field becomes its text (a phone number from a
/// CSV column). `None` when it is reported.
pub fn fact_value(
    key: &str,
    facts: Option<&FieldFacts>,
    node: &Node,
    cx: &mut Ctx,
) -> Option<Value> {
    if !says_something(key, node, cx) {
        return None;
    }
    let value = cx.json(node)?;
    let Some(facts) = facts else {
        return Some(value);
    };
    let value = match (facts.field_type, value) {
        (Some(FieldType::String), Value::Number(n)) => Value::String(n.to_string()),
        (_, value) => value,
    };
    if let Some(expected) = facts.field_type
        && !fits(expected, &value)
    {
        type_error(key, expected, node, cx);
        return None;
    }
    let start = cx.diagnostics.len();
    let check = FieldCheck { key, facts };
    match &value {
        Value::Array(_) => check.elements(node, cx),
        _ => check.option_value(&value, node.pos, cx),
    }
    in_range(&check, &value, node, cx);
    if let (Some(format), Value::String(text)) = (facts.format, &value)
        && !is_valid(format, text)
    {
        let (what, example) = format_words(format);
        cx.error(
            node.pos,
            format!("`{text}` is not {what}, the format of `{key}`"),
            format!("write the value as the form stores it, e.g. `{key}: {example}`"),
        );
    }
    (cx.diagnostics.len() == start).then_some(value)
}

/// A fact says something: not null, not empty text, not an empty list.
fn says_something(key: &str, node: &Node, cx: &mut Ctx) -> bool {
    let empty = match &node.value {
        NodeValue::Null => true,
        NodeValue::String(s) => s.trim().is_empty(),
        NodeValue::Seq(items) => items.is_empty(),
        NodeValue::Map(entries) => entries.is_empty(),
        NodeValue::Bool(_) | NodeValue::Number(_) => false,
    };
    if empty {
        cx.error(
            node.pos,
            format!("the fact `{key}` is empty ({})", node.kind_name()),
            format!(
                "write what the user answers for `{key}`; if the user does not know it, \
                 leave it out of `facts` (or list it under `declines` to have it refused)"
            ),
        );
    }
    !empty
}

fn fits(expected: FieldType, value: &Value) -> bool {
    matches!(
        (expected, value),
        (FieldType::String, Value::String(_))
            | (FieldType::Number, Value::Number(_))
            | (FieldType::Boolean, Value::Bool(_))
            | (FieldType::Array, Value::Array(_))
            | (FieldType::Object, Value::Object(_))
    )
}

fn type_error(key: &str, expected: FieldType, node: &Node, cx: &mut Ctx) {
    let (kind, help) = match expected {
        FieldType::String => (
            "text",
            format!(
                "write the text the user gives, quoted if it reads as another type, e.g. `{key}: \"yes\"`"
            ),
        ),
        FieldType::Number => (
            "number",
            format!("write the number without quotes, e.g. `{key}: 3`"),
        ),
        FieldType::Boolean => ("boolean", format!("write `{key}: true` or `{key}: false`")),
        FieldType::Array => (
            "list",
            format!("write the values in brackets, e.g. `{key}: [a, b]`"),
        ),
        FieldType::Object => ("object", format!("write a mapping, e.g. `{key}: {{a: 1}}`")),
    };
    cx.error(
        node.pos,
        format!("`{key}` is a {kind} field, found {}", node.kind_name()),
        help,
    );
}

/// A number outside the field's `min`/`max`.
fn in_range(check: &FieldCheck<'_>, value: &Value, node: &Node, cx: &mut Ctx) {
    let Some(n) = value.as_f64() else {
        return;
    };
    if check.field_range().contains(n) {
        return;
    }
    let (key, range) = (check.key, check.range_text());
    let shown = node.scalar_text().unwrap_or_else(|| n.to_string());
    cx.error(
        node.pos,
        format!("{shown} is outside the range of `{key}` ({range})"),
        format!(
            "the form accepts {range} for `{key}`, and a fact is an answer the form accepts; \
             to test a refused answer, write a conversation that expects `no_fields: [{key}]`"
        ),
    );
}

/// What a format is called and a value of it, as the form stores it.
fn format_words(format: StringFormat) -> (&'static str, &'static str) {
    match format {
        StringFormat::Email => ("an email address", "dana@example.com"),
        StringFormat::Phone => ("a phone number (7 to 15 digits)", "\"+1 415 555 0100\""),
        StringFormat::Date => ("a date as YYYY-MM-DD", "\"2026-03-14\""),
        StringFormat::Time => ("a 24-hour time as HH:MM", "\"14:30\""),
        StringFormat::Url => (
            "a web address (http://, https:// or www.)",
            "https://example.com",
        ),
    }
}
