//! What expectations are checked against: the fields of the form as written, read leniently
//! so that a broken form (reported on its own) still lets every expectation be checked.
//! [`FormKeys::check`] reports a key the form does not declare; [`FieldFacts`] carries the
//! type, options, range and format that expected values and persona facts are compared
//! with.

use crate::common::diagnostic::closest;
use crate::suite::context::Ctx;
use crate::suite::form::{FIELD_TYPES, FORMATS};
use crate::suite::model::{FieldType, StringFormat};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawField, RawForm};
use serde_json::Value;

/// What the form says about one field, where it says it validly; unknown parts are `None`
/// and are then not checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldFacts {
    pub field_type: Option<FieldType>,
    /// The option values, when the field lists options and every one is readable.
    pub options: Option<Vec<Value>>,
    /// The declared range, when it is a valid one (finite, `min` ≤ `max`).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The declared format, on a string field.
    pub format: Option<StringFormat>,
}

/// The keys of the form, for checking the keys that expectations and values name. When the
/// form itself is missing or broken, nothing is checked: that error is reported already.
pub struct FormKeys {
    fields: Option<Vec<(String, FieldFacts)>>,
}

impl FormKeys {
    /// The keys as written, even where the rest of a field is broken, so that expectations
    /// are checked against them whatever else is wrong with the form.
    pub fn declared(form: Option<&RawForm>) -> FormKeys {
        let fields = form.and_then(|f| f.fields.as_ref());
        FormKeys {
            fields: fields.map(|fields| {
                let with_key = fields.value.iter().filter_map(|f| {
                    let key = f.value.key.as_ref()?;
                    Some((key.value.clone(), facts(&f.value)))
                });
                with_key.collect()
            }),
        }
    }

    /// What the form declares about field `key`; `None` when unknown.
    pub fn facts(&self, key: &str) -> Option<&FieldFacts> {
        let fields = self.fields.as_ref()?;
        fields.iter().find(|(k, _)| k == key).map(|(_, f)| f)
    }

    /// Whether `key` is a field of the form, without reporting anything; true when the
    /// form's fields are unknown (that error is reported already).
    pub fn has(&self, key: &str) -> bool {
        self.fields
            .as_ref()
            .is_none_or(|fields| fields.iter().any(|(k, _)| k == key))
    }

    /// Whether `key` is a field of the form; reports it at `pos` if not.
    pub fn check(&self, key: &str, pos: Pos, cx: &mut Ctx) -> bool {
        let Some(fields) = &self.fields else {
            return true;
        };
        if fields.iter().any(|(k, _)| k == key) {
            return true;
        }
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        let help = match closest(key, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "declare it in `form.fields`, or use one of {}",
                crate::common::diagnostic::quoted_list(&names)
            ),
        };
        cx.error(pos, format!("`{key}` is not a field of the form"), help);
        false
    }
}

fn facts(field: &RawField) -> FieldFacts {
    let field_type = field.field_type.as_ref().and_then(|t| {
        let found = FIELD_TYPES.iter().find(|(name, _)| *name == t.value);
        found.map(|(_, ty)| *ty)
    });
    let (min, max) = (field.min.as_ref(), field.max.as_ref());
    let finite = [min, max]
        .into_iter()
        .flatten()
        .all(|b| b.value.is_finite());
    let ordered = match (min, max) {
        (Some(lo), Some(hi)) => lo.value <= hi.value,
        _ => true,
    };
    let range_ok = finite && ordered && field_type == Some(FieldType::Number);
    let format = field.format.as_ref().and_then(|f| {
        let found = FORMATS.iter().find(|(name, _)| *name == f.value);
        found.map(|(_, format)| *format)
    });
    FieldFacts {
        field_type,
        options: field.options.as_ref().and_then(option_values),
        min: min.filter(|_| range_ok).map(|m| m.value),
        max: max.filter(|_| range_ok).map(|m| m.value),
        format: format.filter(|_| field_type == Some(FieldType::String)),
    }
}

/// The values of `options:` (plain values or `{value, label}`); `None` if any is unreadable.
fn option_values(node: &Node) -> Option<Vec<Value>> {
    let NodeValue::Seq(items) = &node.value else {
        return None;
    };
    let values = items.iter().map(|item| match &item.value {
        NodeValue::Map(entries) => {
            let value = entries.iter().find(|(k, _)| k.as_str() == Some("value"));
            value.and_then(|(_, v)| v.to_json().ok())
        }
        NodeValue::Seq(_) | NodeValue::Null => None,
        _ => item.to_json().ok(),
    });
    let values: Option<Vec<Value>> = values.collect();
    values.filter(|v| !v.is_empty())
}
