//! Unit tests of the simulator: one file per concern, sharing the form builders below.

mod extraction;
mod flow;
mod variation;

use crate::suite::model::{Field, FieldOption, FieldType, Form, FormId, StringFormat};
use serde_json::Value;

/// A field of `type_name` ("string", "number", "boolean", "array", "object").
pub(crate) fn field(key: &str, label: &str, type_name: &str) -> Field {
    let field_type = match type_name {
        "number" => FieldType::Number,
        "boolean" => FieldType::Boolean,
        "array" => FieldType::Array,
        "object" => FieldType::Object,
        _ => FieldType::String,
    };
    Field {
        key: key.to_string(),
        label: label.to_string(),
        field_type,
        format: None,
        required: false,
        options: Vec::new(),
        min: None,
        max: None,
    }
}

pub(crate) fn with_options(mut field: Field, values: &[&str]) -> Field {
    field.options = values
        .iter()
        .map(|v| FieldOption {
            value: Value::String(v.to_string()),
            label: v.to_string(),
        })
        .collect();
    field
}

pub(crate) fn required(mut field: Field) -> Field {
    field.required = true;
    field
}

pub(crate) fn formatted(mut field: Field, format: StringFormat) -> Field {
    field.format = Some(format);
    field
}

/// The spring meetup form the mock tests use (`tests/mock_common` has the same one).
pub(crate) fn meetup() -> Form {
    let mut guests = field("guests", "Number of guests", "number");
    guests.min = Some(0.0);
    guests.max = Some(5.0);
    Form {
        id: FormId::Guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10".to_string()),
        name: Some("Spring meetup registration".to_string()),
        fields: vec![
            required(field("first_name", "First name", "string")),
            required(formatted(
                field("email", "Email", "string"),
                StringFormat::Email,
            )),
            guests,
            required(with_options(
                field("ticket", "Ticket", "string"),
                &["standard", "vip"],
            )),
            with_options(field("topics", "Topics", "array"), &["rust", "ai", "web"]),
            field("newsletter", "Newsletter", "boolean"),
        ],
    }
}
