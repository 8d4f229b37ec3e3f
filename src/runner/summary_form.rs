//! A suite's form in the Form Schemas shape that Generate Form Summary takes: `{id, name,
//! formFields: [{id, fieldType: "INPUT", identifier, inputOptions: {target, inputType,
//! required, label, options}}]}`.
//!
//! Owns the mapping from field type, format and options to the Wix Forms identifier
//! (docs/suite-format.md has the table). Pure: it must not call the API.

use crate::common::form_wire::{FieldChoice, FormField, FormObject, InputOptions};
use crate::common::rng::mix;
use crate::suite::{Field, FieldType, Form, StringFormat};
use serde_json::{Map, Value};

/// `form` as Generate Form Summary's `form`, under the resolved `form_id`.
pub fn form_object(form: &Form, form_id: &str) -> FormObject {
    FormObject {
        id: Some(form_id.to_string()),
        name: form.name.clone(),
        form_fields: form.fields.iter().map(form_field).collect(),
        extra: Map::new(),
    }
}

fn form_field(field: &Field) -> FormField {
    let mut extra = Map::new();
    if let Some(min) = field.min {
        extra.insert("minimum".to_string(), Value::from(min));
    }
    if let Some(max) = field.max {
        extra.insert("maximum".to_string(), Value::from(max));
    }
    FormField {
        id: Some(field_id(&field.key)),
        field_type: Some("INPUT".to_string()),
        identifier: Some(identifier(field).to_string()),
        input_options: Some(InputOptions {
            target: Some(field.key.clone()),
            input_type: Some(input_type(field.field_type).to_string()),
            required: field.required,
            label: Some(field.label.clone()),
            options: field
                .options
                .iter()
                .map(|o| FieldChoice {
                    value: o.value.clone(),
                    label: o.label.clone(),
                })
                .collect(),
            extra,
        }),
        extra: Map::new(),
    }
}

fn input_type(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::String => "STRING",
        FieldType::Number => "NUMBER",
        FieldType::Boolean => "BOOLEAN",
        FieldType::Array => "ARRAY",
        FieldType::Object => "OBJECT",
    }
}

/// The Wix Forms component a field of this shape would be.
fn identifier(field: &Field) -> &'static str {
    let has_options = !field.options.is_empty();
    match (field.field_type, field.format) {
        (FieldType::String, _) if has_options => "DROPDOWN",
        (FieldType::String, Some(StringFormat::Email)) => "CONTACTS_EMAIL",
        (FieldType::String, Some(StringFormat::Phone)) => "CONTACTS_PHONE",
        (FieldType::String, Some(StringFormat::Date)) => "DATE_INPUT",
        (FieldType::String, Some(StringFormat::Time)) => "TIME_INPUT",
        (FieldType::String, Some(StringFormat::Url)) => "URL_INPUT",
        (FieldType::String, None) => "TEXT_INPUT",
        (FieldType::Number, _) if has_options => "RADIO_GROUP",
        (FieldType::Number, _) => "NUMBER_INPUT",
        (FieldType::Boolean, _) => "CHECKBOX",
        (FieldType::Array, _) if has_options => "CHECKBOX_GROUP",
        (FieldType::Array, _) => "TAGS",
        (FieldType::Object, _) => "TEXT_INPUT",
    }
}

/// A GUID-shaped id that depends on the key alone, so the same form is always sent the
/// same way (FNV-1a of the key, spread by SplitMix64's mixer).
fn field_id(key: &str) -> String {
    let fnv = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let (high, low) = (mix(fnv), mix(fnv ^ 0x9e37_79b9_7f4a_7c15));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::load_str;
    use serde_json::json;

    const SUITE: &str = "version: 1
form:
  id: 2f0c1a5e-7b8d-4c3e-9f10-a1b2c3d4e5f6
  name: Contact us
  fields:
    - {key: email, label: Email, type: string, format: email, required: true}
    - {key: plan, type: string, options: [basic, {value: pro, label: Pro plan}]}
    - {key: guests, label: Guests, type: number, min: 1, max: 8}
    - {key: topics, type: array, options: [rust, ai]}
    - {key: newsletter, type: boolean}
";

    /// The JSON sent is the documented Form Schemas shape, field by field.
    #[test]
    fn the_form_sent_has_the_documented_shape() {
        let suite = load_str("s.yaml", SUITE).unwrap();
        let sent = serde_json::to_value(form_object(&suite.form, "form-1")).unwrap();
        assert_eq!(sent["id"], "form-1");
        assert_eq!(sent["name"], "Contact us");
        let fields = sent["formFields"].as_array().unwrap();
        assert_eq!(fields.len(), 5);
        for field in fields {
            assert_eq!(field["fieldType"], "INPUT");
            let id = field["id"].as_str().unwrap();
            assert_eq!(id.len(), 36, "{id}");
        }
        assert_eq!(
            fields[0],
            json!({"id": fields[0]["id"], "fieldType": "INPUT", "identifier": "CONTACTS_EMAIL",
                "inputOptions": {"target": "email", "inputType": "STRING", "required": true,
                    "label": "Email"}})
        );
        assert_eq!(fields[1]["identifier"], "DROPDOWN");
        assert_eq!(
            fields[1]["inputOptions"]["options"],
            json!([{"value": "basic", "label": "basic"}, {"value": "pro", "label": "Pro plan"}])
        );
        assert_eq!(fields[2]["identifier"], "NUMBER_INPUT");
        assert_eq!(fields[2]["inputOptions"]["inputType"], "NUMBER");
        assert_eq!(fields[2]["inputOptions"]["minimum"], 1.0);
        assert_eq!(fields[3]["identifier"], "CHECKBOX_GROUP");
        assert_eq!(fields[3]["inputOptions"]["inputType"], "ARRAY");
        assert_eq!(fields[4]["identifier"], "CHECKBOX");
        assert_eq!(fields[4]["inputOptions"]["required"], false);
    }

    #[test]
    fn field_ids_are_stable_and_distinct() {
        assert_eq!(field_id("email"), field_id("email"));
        assert_ne!(field_id("email"), field_id("emai1"));
    }
}
