//! The JSON of Generate Form Summary: its request (`{form}`, a Wix Forms form object in
//! the Form Schemas shape) and its response (`{formSummary}`).
//!
//! Owns (de)serialization only. Members a reader does not know are kept in `extra` so a
//! form passes through unchanged; nothing here decides what a form should contain.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The most characters the service documents for a form summary.
pub const MAX_SUMMARY_CHARS: usize = 255;

/// Body of Generate Form Summary. `form` is optional on the way in so that a server can
/// answer a body without it with a validation error instead of a parse failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormObject>,
}

/// Response of Generate Form Summary. The official SDK types `formSummary` as optional
/// (proto3 JSON leaves an empty string out), so a missing one reads as empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryResponse {
    #[serde(default)]
    pub form_summary: String,
}

/// A Wix Forms form: `{id, name, formFields}`, other members passed through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub form_fields: Vec<FormField>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One field of a form: an input (`fieldType: "INPUT"`, with `inputOptions`) or a
/// display element (`fieldType: "DISPLAY"`, with `displayOptions`, kept in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_options: Option<InputOptions>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FormField {
    /// Whether this is an input field (what a summary is about).
    pub fn is_input(&self) -> bool {
        self.field_type.as_deref() == Some("INPUT") || self.input_options.is_some()
    }
}

/// The input options of an input field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputOptions {
    /// The field key (`fieldTarget` in chunks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `STRING`, `NUMBER`, `BOOLEAN`, `ARRAY`, `OBJECT`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Choices of a dropdown, radio or checkbox group: `[{value, label}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldChoice>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One choice of a field with fixed options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChoice {
    pub value: Value,
    pub label: String,
}
