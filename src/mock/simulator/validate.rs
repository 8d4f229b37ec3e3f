//! Checks an extracted value against its field (type, range, options, format) and says
//! what the field requires when it does not fit.
//!
//! Owns the acceptance decision and the wording of IMPORTANT_TEXT requirements. It must not
//! extract anything: rules hand it their best typed reading of the user's words.

use super::fields::{FieldModel, Kind, option_text};
use super::patterns;
use crate::suite::model::StringFormat;
use serde_json::Value;

/// Longest free-text value the mock stores (a guard, far above any real field).
pub(crate) const MAX_TEXT: usize = 1_000;

/// The value to store, canonicalized (options in option order), or the requirement the
/// user's value broke, phrased for an IMPORTANT_TEXT chunk.
pub(crate) fn validate(model: &FieldModel, value: Value) -> Result<Value, String> {
    let label = model.label();
    match model.kind {
        Kind::Number => number(model, value),
        Kind::Boolean => match value {
            Value::Bool(_) => Ok(value),
            _ => Err(format!("{label}: please answer yes or no")),
        },
        Kind::Single => single(model, value),
        Kind::Multi => multi(model, value),
        Kind::Format(format) => match &value {
            Value::String(s) if patterns::is_valid(format, s) => Ok(value),
            _ => Err(format!("{label} must be {}", format_requirement(format))),
        },
        Kind::Text | Kind::Name(_) => match &value {
            Value::String(s) if !s.trim().is_empty() && s.chars().count() <= MAX_TEXT => Ok(value),
            _ => Err(format!(
                "{label} must be between 1 and {MAX_TEXT} characters"
            )),
        },
        Kind::List => match &value {
            Value::Array(items) if !items.is_empty() => Ok(value),
            _ => Err(format!("{label} must list at least one item")),
        },
        Kind::Object => match value {
            Value::Object(_) => Ok(value),
            _ => Err(format!("{label} must be an object")),
        },
    }
}

/// A number as written for people: `2` rather than `2.0`.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The JSON number for `n`: an integer when it has no fraction, so `2` is sent as `2`.
pub(crate) fn number_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn number(model: &FieldModel, value: Value) -> Result<Value, String> {
    let label = model.label();
    let Some(n) = value.as_f64() else {
        return Err(format!("{label} must be a number"));
    };
    let (min, max) = (model.field.min, model.field.max);
    let in_range = min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
    if in_range {
        return Ok(number_json(n));
    }
    Err(match (min, max) {
        (Some(lo), Some(hi)) => format!(
            "{label} must be between {} and {}",
            number_text(lo),
            number_text(hi)
        ),
        (Some(lo), None) => format!("{label} must be at least {}", number_text(lo)),
        (None, Some(hi)) => format!("{label} must be at most {}", number_text(hi)),
        (None, None) => format!("{label} must be a number"),
    })
}

fn matching_option(model: &FieldModel, value: &Value) -> Option<Value> {
    model
        .options
        .iter()
        .map(|o| &o.option)
        .find(|o| o.value == *value || option_text(&o.value) == option_text(value))
        .map(|o| o.value.clone())
}

fn single(model: &FieldModel, value: Value) -> Result<Value, String> {
    matching_option(model, &value).ok_or_else(|| {
        format!(
            "{} must be one of: {}",
            model.label(),
            model.option_labels()
        )
    })
}

fn multi(model: &FieldModel, value: Value) -> Result<Value, String> {
    let reject = || {
        format!(
            "{} must be chosen from: {}",
            model.label(),
            model.option_labels()
        )
    };
    let Value::Array(items) = value else {
        return Err(reject());
    };
    let chosen: Option<Vec<Value>> = items.iter().map(|v| matching_option(model, v)).collect();
    let chosen = chosen.filter(|c| !c.is_empty()).ok_or_else(reject)?;
    // Canonical order is option order, whatever order the user named them in.
    let ordered = model
        .options
        .iter()
        .map(|o| o.option.value.clone())
        .filter(|v| chosen.contains(v))
        .collect();
    Ok(Value::Array(ordered))
}

fn format_requirement(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Email => "a valid email address, like name@example.com",
        StringFormat::Phone => "a phone number with 7 to 15 digits",
        StringFormat::Date => "a valid date, like 2026-03-14 or March 14, 2026",
        StringFormat::Time => "a valid time, like 14:30 or 2:30pm",
        StringFormat::Url => "a web address starting with http://, https:// or www.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::simulator::tests::{field, with_options};
    use serde_json::json;

    fn model(f: crate::suite::model::Field) -> FieldModel {
        FieldModel::new(&f)
    }

    #[test]
    fn number_range_messages() {
        let mut f = field("guests", "Number of guests", "number");
        f.min = Some(0.0);
        f.max = Some(5.0);
        let m = model(f);
        assert_eq!(validate(&m, json!(2.0)), Ok(json!(2)));
        assert_eq!(
            validate(&m, json!(9)),
            Err("Number of guests must be between 0 and 5".to_string())
        );
        assert_eq!(
            validate(&m, json!("lots")),
            Err("Number of guests must be a number".to_string())
        );
        let mut f = field("age", "Age", "number");
        f.min = Some(18.0);
        assert_eq!(
            validate(&model(f), json!(2.5)),
            Err("Age must be at least 18".into())
        );
    }

    #[test]
    fn options_are_checked_and_ordered() {
        let single = model(with_options(
            field("ticket", "Ticket", "string"),
            &["standard", "vip"],
        ));
        assert_eq!(validate(&single, json!("vip")), Ok(json!("vip")));
        assert_eq!(
            validate(&single, json!("gold")),
            Err("Ticket must be one of: standard, vip".to_string())
        );
        let multi = model(with_options(
            field("topics", "Topics", "array"),
            &["rust", "ai", "web"],
        ));
        assert_eq!(
            validate(&multi, json!(["web", "rust"])),
            Ok(json!(["rust", "web"]))
        );
        assert!(validate(&multi, json!(["rust", "cooking"])).is_err());
        assert!(validate(&multi, json!([])).is_err());
    }

    #[test]
    fn formats_booleans_and_text() {
        let mut f = field("email", "Email", "string");
        f.format = Some(StringFormat::Email);
        let email = model(f);
        assert!(validate(&email, json!("a@b.io")).is_ok());
        assert_eq!(
            validate(&email, json!("dana at home")),
            Err("Email must be a valid email address, like name@example.com".to_string())
        );
        let yes = model(field("newsletter", "Newsletter", "boolean"));
        assert!(validate(&yes, json!(true)).is_ok());
        assert!(validate(&yes, json!("maybe")).is_err());
        let text = model(field("notes", "Notes", "string"));
        assert!(validate(&text, json!("  ")).is_err());
    }
}
