//! Validation of `form:`: its id (a GUID or a whole `${VAR}`), and each field's key, type,
//! format, label, options and range. What expectations check against the form is in
//! [`crate::suite::form_keys`].

use crate::common::diagnostic::closest;
use crate::suite::context::Ctx;
use crate::suite::model::{Field, FieldOption, FieldType, Form, FormId, StringFormat};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawField, RawForm};
use crate::suite::validate::one_of;
use serde_saphyr::Spanned;

pub(super) const FIELD_TYPES: [(&str, FieldType); 5] = [
    ("string", FieldType::String),
    ("number", FieldType::Number),
    ("boolean", FieldType::Boolean),
    ("array", FieldType::Array),
    ("object", FieldType::Object),
];

pub(super) const FORMATS: [(&str, StringFormat); 5] = [
    ("email", StringFormat::Email),
    ("phone", StringFormat::Phone),
    ("date", StringFormat::Date),
    ("time", StringFormat::Time),
    ("url", StringFormat::Url),
];

/// The longest `fieldTarget` the API accepts.
const MAX_KEY_LEN: usize = 200;

/// Validates the form; `None` if it is unusable. Returns where its id is written.
pub fn validate_form(raw: Spanned<RawForm>, cx: &mut Ctx) -> Option<(Form, Pos)> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let id = match &raw.id {
        Some(id) => form_id(id, cx).map(|f| (f, Pos::of(id))),
        None => {
            cx.error(
                at,
                "missing `id` in `form`",
                "add the form's GUID, e.g. `id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10`, \
                 or `id: \"${WIX_FORM_ID}\"` to read it from the environment",
            );
            None
        }
    };
    let fields = match raw.fields {
        Some(fields) => validate_fields(fields, cx),
        None => {
            cx.error(
                at,
                "missing `fields` in `form`",
                "list the form's fields, e.g. `fields: [{key: email, type: string}]`",
            );
            None
        }
    };
    let (id, id_pos) = id?;
    let form = Form {
        id,
        name: raw.name,
        fields: fields?,
    };
    Some((form, id_pos))
}

fn form_id(id: &Spanned<String>, cx: &mut Ctx) -> Option<FormId> {
    let text = id.value.trim();
    if is_guid(text) {
        return Some(FormId::Guid(text.to_owned()));
    }
    if let Some(var) = placeholder(text) {
        return Some(FormId::Env {
            var: var.to_owned(),
            loc: cx.loc(Pos::of(id)),
        });
    }
    cx.error(
        Pos::of(id),
        format!("form id `{}` is not a GUID", id.value),
        "write the form's GUID (8-4-4-4-12 hex digits, e.g. \
         5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10), or a whole `${VAR}` placeholder",
    );
    None
}

/// 8-4-4-4-12 hexadecimal digits, any case.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `NAME` of a whole `${NAME}` (a letter or `_`, then letters, digits and `_`).
pub fn placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix("${")?.strip_suffix('}')?;
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// An ASCII letter, then letters, digits and `_`.
pub fn is_field_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key.len() <= MAX_KEY_LEN
}

fn validate_fields(raw: Spanned<Vec<Spanned<RawField>>>, cx: &mut Ctx) -> Option<Vec<Field>> {
    if raw.value.is_empty() {
        cx.error(
            Pos::of(&raw).start(),
            "the form has no fields",
            "declare at least one field, e.g. `fields: [{key: email, type: string}]`",
        );
        return None;
    }
    let mut fields = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut ok = true;
    for field in raw.value {
        if let Some(key) = &field.value.key {
            if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key.value) {
                cx.error(
                    Pos::of(key),
                    format!("duplicate field key `{}`", key.value),
                    format!("keys are unique in a form; `{}` is already declared on line {line}: rename or remove one", key.value),
                );
                ok = false;
            }
            seen.push((key.value.clone(), Pos::of(key).line));
        }
        match validate_field(field, cx) {
            Some(f) => fields.push(f),
            None => ok = false,
        }
    }
    ok.then_some(fields)
}

fn validate_field(raw: Spanned<RawField>, cx: &mut Ctx) -> Option<Field> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let key = field_key(raw.key.as_ref(), at, cx);
    let shown = key.clone().unwrap_or_else(|| "?".to_owned());
    let field_type = match &raw.field_type {
        Some(t) => one_of(&t.value, Pos::of(t), "field type", &FIELD_TYPES, cx),
        None => {
            cx.error(
                at,
                format!("missing `type` in field `{shown}`"),
                "add its type: `type: string`, `number`, `boolean`, `array` or `object`",
            );
            None
        }
    };
    let format = match &raw.format {
        None => Some(None),
        Some(f) => field_format(f, field_type, cx),
    };
    let options = match &raw.options {
        None => Some(Vec::new()),
        Some(node) => field_options(node, cx),
    };
    let range = field_range(&raw, field_type, cx);
    let key = key?;
    let (min, max) = range?;
    Some(Field {
        label: raw.label.unwrap_or_else(|| key.clone()),
        key,
        field_type: field_type?,
        format: format?,
        required: raw.required.unwrap_or(false),
        options: options?,
        min,
        max,
    })
}

fn field_key(key: Option<&Spanned<String>>, at: Pos, cx: &mut Ctx) -> Option<String> {
    let Some(key) = key else {
        cx.error(
            at,
            "missing `key` in field",
            "add the field's key, as in `fieldTarget` and `currentValues`, e.g. `key: email`",
        );
        return None;
    };
    if !is_field_key(&key.value) {
        cx.error(
            Pos::of(key),
            format!("invalid field key `{}`", key.value),
            "a key starts with an ASCII letter, then letters, digits and `_` \
             (at most 200), e.g. `first_name`",
        );
        return None;
    }
    Some(key.value.clone())
}

fn field_format(
    format: &Spanned<String>,
    field_type: Option<FieldType>,
    cx: &mut Ctx,
) -> Option<Option<StringFormat>> {
    if field_type.is_some_and(|t| t != FieldType::String) {
        cx.error(
            Pos::of(format),
            "`format` applies only to string fields",
            "remove `format`, or make the field `type: string`",
        );
        return None;
    }
    one_of(&format.value, Pos::of(format), "format", &FORMATS, cx).map(Some)
}

/// A non-empty list of values or `{value, label}`; a label defaults to the value's text.
fn field_options(node: &Node, cx: &mut Ctx) -> Option<Vec<FieldOption>> {
    let items = match &node.value {
        NodeValue::Seq(items) if !items.is_empty() => items,
        _ => {
            cx.error(
                node.pos,
                format!(
                    "`options` must be a non-empty list, found {}",
                    node.kind_name()
                ),
                "list the choices, e.g. `options: [standard, vip]` or \
                 `options: [{value: vip, label: VIP ticket}]`",
            );
            return None;
        }
    };
    let options: Vec<Option<FieldOption>> = items.iter().map(|i| field_option(i, cx)).collect();
    options.into_iter().collect()
}

fn field_option(item: &Node, cx: &mut Ctx) -> Option<FieldOption> {
    match &item.value {
        NodeValue::Map(entries) => labelled_option(item, entries, cx),
        NodeValue::Seq(_) | NodeValue::Null => {
            cx.error(
                item.pos,
                format!(
                    "an option must be a value or `{{value, label}}`, found {}",
                    item.kind_name()
                ),
                "write a plain value such as `vip`, or `{value: vip, label: VIP ticket}`",
            );
            None
        }
        _ => Some(FieldOption {
            value: cx.json(item)?,
            label: item.scalar_text()?,
        }),
    }
}

fn labelled_option(item: &Node, entries: &[(Node, Node)], cx: &mut Ctx) -> Option<FieldOption> {
    let mut value = None;
    let mut label = None;
    let mut ok = true;
    for (key, v) in entries {
        match key.as_str() {
            Some("value") => value = Some(v),
            Some("label") => label = Some(v),
            _ => {
                let text = key.scalar_text().unwrap_or_default();
                let help = match closest(&text, &["value", "label"]) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "an option mapping holds `value` and, optionally, `label`".to_owned(),
                };
                cx.error(key.pos, format!("unknown key `{text}` in option"), help);
                ok = false;
            }
        }
    }
    let Some(value) = value else {
        cx.error(
            item.pos,
            "missing `value` in option",
            "write `{value: vip, label: VIP ticket}`, or just the value",
        );
        return None;
    };
    let label_text = match label {
        None => value.scalar_text(),
        Some(l) => option_label(l, cx),
    };
    let json = cx.json(value)?;
    let label = label_text.or_else(|| serde_json::to_string(&json).ok())?;
    ok.then_some(FieldOption { value: json, label })
}

fn option_label(label: &Node, cx: &mut Ctx) -> Option<String> {
    let text = label
        .scalar_text()
        .filter(|_| label.value != NodeValue::Null);
    if text.is_none() {
        cx.error(
            label.pos,
            format!("an option label must be text, found {}", label.kind_name()),
            "write the text shown to the user, e.g. `label: VIP ticket`",
        );
    }
    text
}

type Range = (Option<f64>, Option<f64>);

fn field_range(raw: &RawField, field_type: Option<FieldType>, cx: &mut Ctx) -> Option<Range> {
    let mut ok = true;
    for bound in [&raw.min, &raw.max].into_iter().flatten() {
        if field_type.is_some_and(|t| t != FieldType::Number) {
            cx.error(
                Pos::of(bound),
                "`min` and `max` apply only to number fields",
                "remove them, or make the field `type: number`",
            );
            ok = false;
        } else if !bound.value.is_finite() {
            cx.error(
                Pos::of(bound),
                "`min` and `max` must be finite numbers",
                "leave the bound out for an open range",
            );
            ok = false;
        }
    }
    if let (Some(min), Some(max)) = (&raw.min, &raw.max)
        && ok
        && min.value > max.value
    {
        cx.error(
            Pos::of(max),
            format!("`max` ({}) is less than `min` ({})", max.value, min.value),
            "swap them, or fix the bound: `min` must not exceed `max`",
        );
        ok = false;
    }
    ok.then_some((
        raw.min.as_ref().map(|m| m.value),
        raw.max.as_ref().map(|m| m.value),
    ))
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
