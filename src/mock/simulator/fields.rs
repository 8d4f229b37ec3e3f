//! What the simulator knows about each form field, computed once per form: its kind (which
//! extraction rules apply), the word sequences that name it, its content words, and the
//! words of its options.
//!
//! Owns the classification of fields only; it must not read user input.

use super::text::words;
use crate::suite::model::{Field, FieldOption, FieldType, StringFormat};
use serde_json::Value;

/// Which extraction and validation rules apply to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string without format or options.
    Text,
    /// A string field that holds a person's name (see [`name_part`]).
    Name(NamePart),
    /// A string with a format (declared, or inferred from an "email"/"phone" key or label).
    Format(StringFormat),
    /// A string with options: one choice.
    Single,
    /// An array with options: any number of choices.
    Multi,
    /// An array without options: a list of free strings.
    List,
    Number,
    Boolean,
    /// Objects are never extracted from text, only set through `currentValues`.
    Object,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamePart {
    First,
    Last,
    Full,
}

/// One option with the word sequences that mention it (its value text and its label).
#[derive(Debug, Clone)]
pub(crate) struct OptionModel {
    pub option: FieldOption,
    pub mentions: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub(crate) struct FieldModel {
    pub field: Field,
    pub kind: Kind,
    /// Word sequences naming the field (label, key with `_` as spaces), longest first.
    pub names: Vec<Vec<String>>,
    /// Content words of the label and key ("Number of guests" → "guests"), for the
    /// "near the label" rules.
    pub words: Vec<String>,
    pub options: Vec<OptionModel>,
}

/// Words too common to tie a number or a yes/no to a field.
const STOP_WORDS: [&str; 24] = [
    "a", "an", "the", "of", "to", "for", "in", "on", "at", "and", "or", "your", "my", "me",
    "number", "how", "many", "much", "is", "are", "do", "you", "i", "want",
];

/// Qualifiers that make a "... name" field something other than a person's name.
const NOT_PERSON: [&str; 16] = [
    "company",
    "business",
    "organization",
    "organisation",
    "org",
    "event",
    "project",
    "team",
    "product",
    "user",
    "file",
    "domain",
    "site",
    "brand",
    "pet",
    "street",
];

impl FieldModel {
    /// The option labels joined for a question or a requirement text ("Standard, VIP pass").
    pub fn option_labels(&self) -> String {
        let labels: Vec<&str> = self
            .options
            .iter()
            .map(|o| o.option.label.as_str())
            .collect();
        labels.join(", ")
    }

    pub fn new(field: &Field) -> FieldModel {
        let mut names = vec![words(&field.label), words(&field.key.replace('_', " "))];
        names.retain(|n| !n.is_empty());
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        let mut content: Vec<String> = names
            .iter()
            .flatten()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        content.sort();
        content.dedup();
        let options = field
            .options
            .iter()
            .map(|option| {
                let mut mentions = vec![words(&option_text(&option.value)), words(&option.label)];
                mentions.retain(|m| !m.is_empty());
                mentions.dedup();
                OptionModel {
                    option: option.clone(),
                    mentions,
                }
            })
            .collect();
        FieldModel {
            field: field.clone(),
            kind: kind_of(field),
            names,
            words: content,
            options,
        }
    }

    pub fn key(&self) -> &str {
        &self.field.key
    }

    pub fn label(&self) -> &str {
        &self.field.label
    }

    /// Whether token `norm` is one of the field's content words, allowing a plural "s"
    /// either way ("guest" ~ "guests").
    pub fn is_label_word(&self, norm: &str) -> bool {
        self.words.iter().any(|w| {
            w == norm
                || norm.strip_suffix('s') == Some(w.as_str())
                || w.strip_suffix('s') == Some(norm)
        })
    }

    /// The option whose value text or label equals `raw` word for word, ignoring case.
    pub fn option_for(&self, raw: &str) -> Option<&FieldOption> {
        let wanted = words(raw);
        self.options
            .iter()
            .find(|o| o.mentions.contains(&wanted))
            .map(|o| &o.option)
    }
}

/// The text an option value is mentioned by: a string as is, other JSON as written.
pub(crate) fn option_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kind_of(field: &Field) -> Kind {
    match field.field_type {
        FieldType::Number => Kind::Number,
        FieldType::Boolean => Kind::Boolean,
        FieldType::Object => Kind::Object,
        FieldType::Array if field.options.is_empty() => Kind::List,
        FieldType::Array => Kind::Multi,
        FieldType::String if !field.options.is_empty() => Kind::Single,
        FieldType::String => string_kind(field),
    }
}

fn string_kind(field: &Field) -> Kind {
    if let Some(format) = field.format {
        return Kind::Format(format);
    }
    let descr = format!("{} {}", field.key.replace(['_', '-'], " "), field.label).to_lowercase();
    let descr_words = words(&descr);
    let has = |w: &str| descr_words.iter().any(|d| d == w);
    if has("email") || has("e-mail") || descr.contains("email") {
        return Kind::Format(StringFormat::Email);
    }
    if has("phone") || descr.contains("phone") {
        return Kind::Format(StringFormat::Phone);
    }
    match name_part(&descr_words, &descr) {
        Some(part) => Kind::Name(part),
        None => Kind::Text,
    }
}

/// A field is a person's name when its key or label mentions "name" (also "firstname",
/// "surname") and no qualifier such as "company" makes it something else. "first"/"given"
/// make it the first name, "last"/"family"/"surname" the last name, anything else the
/// full name.
fn name_part(descr_words: &[String], descr: &str) -> Option<NamePart> {
    let has = |w: &str| descr_words.iter().any(|d| d == w);
    let qualified = NOT_PERSON
        .iter()
        .any(|q| has(q) || descr.contains(&format!("{q}name")));
    if !descr.contains("name") || qualified {
        return None;
    }
    if has("first") || has("given") || descr.contains("firstname") {
        Some(NamePart::First)
    } else if has("last")
        || has("family")
        || descr.contains("surname")
        || descr.contains("lastname")
    {
        Some(NamePart::Last)
    } else {
        Some(NamePart::Full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::simulator::tests::field;

    #[test]
    fn kinds_follow_type_format_options_and_names() {
        let kind = |f: Field| FieldModel::new(&f).kind;
        assert_eq!(
            kind(field("first_name", "First name", "string")),
            Kind::Name(NamePart::First)
        );
        assert_eq!(
            kind(field("surname", "Surname", "string")),
            Kind::Name(NamePart::Last)
        );
        assert_eq!(
            kind(field("name", "Your name", "string")),
            Kind::Name(NamePart::Full)
        );
        assert_eq!(kind(field("company_name", "Company", "string")), Kind::Text);
        assert_eq!(
            kind(field("contact", "E-mail", "string")),
            Kind::Format(StringFormat::Email)
        );
        assert_eq!(
            kind(field("mobile_phone", "Mobile", "string")),
            Kind::Format(StringFormat::Phone)
        );
        assert_eq!(kind(field("n", "Guests", "number")), Kind::Number);
        assert_eq!(kind(field("tags", "Tags", "array")), Kind::List);
    }

    #[test]
    fn label_words_skip_stop_words_and_allow_plurals() {
        let model = FieldModel::new(&field("guests", "Number of guests", "number"));
        assert_eq!(model.words, ["guests"]);
        assert!(model.is_label_word("guest"));
        assert!(!model.is_label_word("number"));
        assert_eq!(model.names[0], ["number", "of", "guests"]);
    }
}
