//! Generate Form Summary in the mock: a deterministic summary of the form in the request
//! body, naming its purpose (the form's name) and its input fields' labels, cut to the
//! documented 255 characters; `400 INVALID_FORM` for a form without input fields.
//!
//! Owns that text and the request's checks. It must not look up served forms (the
//! method is not about a session: the form comes whole in the body) nor shape error
//! bodies (`errors` does).

use super::errors::MockError;
use super::handlers::parse;
use crate::common::form_wire::{FormField, MAX_SUMMARY_CHARS, SummaryRequest, SummaryResponse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;

/// `POST {base}/generate-form-summary`.
pub(crate) async fn generate_form_summary(
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SummaryResponse>, MockError> {
    let request: SummaryRequest = parse(body)?;
    let form = request.form.ok_or(MockError::InvalidField {
        field: "form",
        description: "is required".to_string(),
        rule: "REQUIRED",
    })?;
    let labels: Vec<String> = form
        .form_fields
        .iter()
        .filter(|f| f.is_input())
        .map(field_label)
        .collect();
    if labels.is_empty() {
        return Err(MockError::InvalidForm);
    }
    let purpose = form
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    Ok(Json(SummaryResponse {
        form_summary: summarize(purpose, &labels),
    }))
}

/// What a field is called in the summary: its label, else its key, else its kind.
fn field_label(field: &FormField) -> String {
    let options = field.input_options.as_ref();
    let text = options
        .and_then(|o| o.label.as_deref())
        .or_else(|| options.and_then(|o| o.target.as_deref()))
        .or(field.identifier.as_deref())
        .unwrap_or("unnamed field");
    one_line(text)
}

/// Whitespace runs (newlines included) as one space: a summary is one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `"{purpose}" collects: A, B, and C.` with as many labels as fit in 255 characters,
/// then `and N more`; an over-long purpose or label is cut with an ellipsis.
pub(crate) fn summarize(purpose: Option<&str>, labels: &[String]) -> String {
    let head = match purpose {
        Some(name) => format!("{} form collecting: ", cut(&one_line(name), 120)),
        None => "A form collecting: ".to_string(),
    };
    let mut text = head;
    let mut listed = 0;
    for (index, label) in labels.iter().enumerate() {
        let left = labels.len() - index - 1;
        // Room for this label, its separator, and an `and N more.` tail if others stay out.
        let tail = if left > 0 {
            format!(", and {left} more.").chars().count()
        } else {
            1
        };
        let label = cut(label, 60);
        let separator = if index == 0 { "" } else { ", " };
        let needed = separator.chars().count() + label.chars().count() + tail;
        if text.chars().count() + needed > MAX_SUMMARY_CHARS {
            break;
        }
        text.push_str(separator);
        text.push_str(&label);
        listed += 1;
    }
    let rest = labels.len() - listed;
    if rest > 0 {
        let tail = if listed == 0 {
            format!("{rest} fields.")
        } else {
            format!(", and {rest} more.")
        };
        text.push_str(&tail);
    } else {
        text.push('.');
    }
    cut(&text, MAX_SUMMARY_CHARS)
}

/// `text` in at most `max` characters, ending in `…` when it was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize, len: usize) -> Vec<String> {
        (0..n).map(|i| format!("{i}{}", "x".repeat(len))).collect()
    }

    #[test]
    fn names_the_purpose_and_every_field_that_fits() {
        let text = summarize(Some("Contact us"), &["Email".into(), "First name".into()]);
        assert_eq!(text, "Contact us form collecting: Email, First name.");
    }

    #[test]
    fn stays_within_255_characters_whatever_the_form() {
        for (n, len) in [(1, 500), (40, 20), (300, 3), (3, 70)] {
            let text = summarize(Some(&"N".repeat(400)), &labels(n, len));
            assert!(
                text.chars().count() <= MAX_SUMMARY_CHARS,
                "{n}x{len}: {text}"
            );
        }
        let many = summarize(None, &labels(300, 3));
        assert!(many.ends_with("more."), "{many}");
        assert!(many.starts_with("A form collecting: 0xxx, 1xxx"), "{many}");
    }

    #[test]
    fn multibyte_labels_are_cut_on_character_boundaries() {
        let text = summarize(Some("Ünïcödé"), &["é".repeat(300)]);
        assert!(text.chars().count() <= MAX_SUMMARY_CHARS);
        assert!(text.contains('…'));
    }
}
