//! How a simulated user says a fact: the value as a person would say it for its field
//! (select: the option's label; multi-select: labels joined with "and"; boolean: yes/no;
//! numbers without a trailing `.0`), inside a phrasing drawn by the seed from the
//! persona's `say:` list or from a built-in set per kind of field. A fact the assistant
//! asked for may be said bare; one the user volunteers names its field, so an assistant
//! can tell what it is. Also the plausible mistake of a user who `corrects` themselves.
//!
//! Pure text: no state, no I/O; randomness comes in as a seeded generator.

use crate::common::rng::SplitMix64;
use crate::suite::{Field, FieldType, StringFormat};
use serde_json::Value;

/// The value as a person would say it for `field`.
pub fn spoken(field: &Field, value: &Value) -> String {
    match value {
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Array(items) => {
            let words: Vec<String> = items.iter().map(|v| option_label(field, v)).collect();
            words.join(" and ")
        }
        other => option_label(field, other),
    }
}

/// The label of the option whose value is `value`, else the value's own text.
fn option_label(field: &Field, value: &Value) -> String {
    field
        .options
        .iter()
        .find(|o| o.value == *value)
        .map_or_else(|| plain(value), |o| o.label.clone())
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Recognisable by its shape alone (an email address, a phone number, a URL).
fn self_evident(field: &Field) -> bool {
    matches!(
        field.format,
        Some(StringFormat::Email | StringFormat::Phone | StringFormat::Url)
    )
}

/// Built-in phrasings of an answer to a question about `field`.
fn answer_templates(field: &Field) -> &'static [&'static str] {
    if self_evident(field) {
        &["{value}", "it's {value}", "my {label} is {value}"]
    } else if field.field_type == FieldType::Boolean || !field.options.is_empty() {
        &["{value}"]
    } else {
        &["{value}", "my {label} is {value}"]
    }
}

/// Built-in phrasings of a fact nobody asked for: they name the field.
fn volunteer_templates(field: &Field) -> &'static [&'static str] {
    if self_evident(field) {
        &["{value}", "my {label} is {value}"]
    } else if field.field_type == FieldType::Boolean || !field.options.is_empty() {
        &["{label}: {value}"]
    } else {
        &["my {label} is {value}", "{label}: {value}"]
    }
}

fn pick<'t>(rng: &mut SplitMix64, options: &[&'t str]) -> &'t str {
    let at = rng.next_u64() % options.len().max(1) as u64;
    options.get(at as usize).copied().unwrap_or("{value}")
}

fn fill(template: &str, field: &Field, value: &str) -> String {
    template
        .replace("{label}", &field.label.to_lowercase())
        .replace("{value}", value)
}

/// What the user says for `field`: from `say` when the persona has phrasings for it,
/// else built-in ones (bare answers allowed when it was `asked`).
pub fn phrase(
    field: &Field,
    value: &str,
    say: Option<&[String]>,
    asked: bool,
    rng: &mut SplitMix64,
) -> String {
    if let Some(own) = say.filter(|s| !s.is_empty()) {
        let own: Vec<&str> = own.iter().map(String::as_str).collect();
        return fill(pick(rng, &own), field, value);
    }
    let templates = if asked {
        answer_templates(field)
    } else {
        volunteer_templates(field)
    };
    fill(pick(rng, templates), field, value)
}

/// A plausible mistake in `value` for `field`, different from it: the wrong option, the
/// other yes/no, a number off by one, a letter dropped.
pub fn mistaken(field: &Field, value: &Value) -> Value {
    if let Some(other) = field.options.iter().find(|o| o.value != *value) {
        return match value {
            Value::Array(_) => Value::Array(vec![other.value.clone()]),
            _ => other.value.clone(),
        };
    }
    match value {
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let next = if field.max.is_some_and(|max| f + 1.0 > max) {
                f - 1.0
            } else {
                f + 1.0
            };
            serde_json::Number::from_f64(next).map_or(Value::Null, Value::Number)
        }
        Value::String(s) => Value::String(typo(s)),
        other => other.clone(),
    }
}

/// `dana@example.com` → `dan@example.com`; `Dana` → `Dan`: one letter dropped before the
/// end of the first word part, so a format still holds.
fn typo(text: &str) -> String {
    let end = text.find(['@', ' ']).unwrap_or(text.len());
    let chars: Vec<(usize, char)> = text[..end].char_indices().collect();
    match chars.len() {
        0 | 1 => format!("{text}x"),
        n => {
            let (at, c) = chars[n - 1];
            format!("{}{}", &text[..at], &text[at + c.len_utf8()..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::FieldOption;
    use serde_json::json;

    fn field(field_type: FieldType, format: Option<StringFormat>) -> Field {
        Field {
            key: "k".into(),
            label: "Guest count".into(),
            field_type,
            format,
            required: true,
            options: Vec::new(),
            min: None,
            max: Some(10.0),
        }
    }

    #[test]
    fn values_are_said_as_people_say_them() {
        let mut select = field(FieldType::Array, None);
        select.options = vec![
            FieldOption {
                value: json!("rs"),
                label: "Rust".into(),
            },
            FieldOption {
                value: json!("ai"),
                label: "AI".into(),
            },
        ];
        assert_eq!(spoken(&select, &json!(["rs", "ai"])), "Rust and AI");
        assert_eq!(
            spoken(&field(FieldType::Boolean, None), &json!(false)),
            "no"
        );
        assert_eq!(spoken(&field(FieldType::Number, None), &json!(3.0)), "3");
        assert_eq!(spoken(&field(FieldType::Number, None), &json!(2.5)), "2.5");
    }

    #[test]
    fn volunteered_facts_name_their_field_and_persona_phrasings_win() {
        let number = field(FieldType::Number, None);
        let mut rng = SplitMix64::new(1);
        for _ in 0..20 {
            let text = phrase(&number, "3", None, false, &mut rng);
            assert!(text.contains("guest count"), "{text}");
        }
        let own = vec!["we are {value}".to_string()];
        assert_eq!(phrase(&number, "3", Some(&own), true, &mut rng), "we are 3");
    }

    #[test]
    fn mistakes_differ_from_the_fact_and_keep_its_shape() {
        let email = field(FieldType::String, Some(StringFormat::Email));
        assert_eq!(
            mistaken(&email, &json!("dana@example.com")),
            json!("dan@example.com")
        );
        assert_eq!(
            mistaken(&field(FieldType::Number, None), &json!(10)),
            json!(9.0)
        );
        assert_eq!(
            mistaken(&field(FieldType::Boolean, None), &json!(true)),
            json!(false)
        );
    }
}
