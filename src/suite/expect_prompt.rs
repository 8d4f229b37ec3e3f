//! Validation of `prompt:`, the input chunk a response must carry: its field, its kind, the
//! options a select input offers, and the range (`min`, `max`, `multiple_of`) a
//! NUMBER_INPUT declares. A prompt with a range is a NUMBER_INPUT, whether or not `kind`
//! says so.

use crate::common::wire::ChunkType;
use crate::suite::context::Ctx;
use crate::suite::expect::located;
use crate::suite::form_keys::FormKeys;
use crate::suite::matcher_check::FieldCheck;
use crate::suite::model::{FieldType, Located, PromptExpect};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::RawPrompt;
use crate::suite::validate::one_of;
use serde_saphyr::Spanned;

const PROMPT_KINDS: [(&str, ChunkType); 3] = [
    ("SINGLE_SELECT_INPUT", ChunkType::SingleSelectInput),
    ("MULTI_SELECT_INPUT", ChunkType::MultiSelectInput),
    ("NUMBER_INPUT", ChunkType::NumberInput),
];

/// `min`, `max` and `multiple_of` of a prompt, checked.
#[derive(Default)]
struct NumberRange {
    min: Option<f64>,
    max: Option<f64>,
    multiple_of: Option<f64>,
}

pub fn prompt(
    raw: Spanned<RawPrompt>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Located<PromptExpect>> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let Some(field) = &raw.field else {
        cx.error(
            at,
            "missing `field` in `prompt`",
            "name the field the input is for, e.g. `prompt: {field: ticket, kind: SINGLE_SELECT_INPUT}`",
        );
        return None;
    };
    let field_ok = keys.check(&field.value, Pos::of(field), cx);
    let kind = match &raw.kind {
        None => Some(None),
        Some(k) => one_of(&k.value, Pos::of(k), "prompt kind", &PROMPT_KINDS, cx).map(Some),
    };
    let options = match &raw.options {
        None => Some(None),
        Some(node) => prompt_options(node, cx).map(Some),
    };
    let facts = keys.facts(&field.value).filter(|_| field_ok);
    if let (Some(node), Some(facts), Some(Some(_))) = (&raw.options, facts, &options) {
        let key = &field.value;
        FieldCheck { key, facts }.prompt_options(node, cx);
    }
    let number = number_range(&raw, facts.and_then(|f| f.field_type), cx);
    let mut kind = kind?;
    let number = number?;
    if number.min.is_some() || number.max.is_some() || number.multiple_of.is_some() {
        kind = Some(ChunkType::NumberInput);
    }
    let prompt = PromptExpect {
        field: field.value.clone(),
        kind,
        options: options?,
        min: number.min,
        max: number.max,
        multiple_of: number.multiple_of,
    };
    field_ok.then(|| located(prompt, at, cx))
}

fn prompt_options(node: &Node, cx: &mut Ctx) -> Option<Vec<serde_json::Value>> {
    let NodeValue::Seq(items) = &node.value else {
        cx.error(
            node.pos,
            format!(
                "`prompt.options` must be a list of option values, found {}",
                node.kind_name()
            ),
            "list the values the input must offer, e.g. `options: [standard, vip]`",
        );
        return None;
    };
    items.iter().map(|i| cx.json(i)).collect()
}

/// The NUMBER_INPUT part of a prompt; `None` when it is wrong.
fn number_range(
    raw: &RawPrompt,
    field_type: Option<FieldType>,
    cx: &mut Ctx,
) -> Option<NumberRange> {
    let written = [
        ("min", &raw.min),
        ("max", &raw.max),
        ("multiple_of", &raw.multiple_of),
    ];
    let Some((first, first_at)) = written
        .iter()
        .find_map(|(name, v)| v.as_ref().map(|v| (*name, Pos::of(v))))
    else {
        return Some(NumberRange::default());
    };
    let mut ok = true;
    for (name, value) in written.iter().filter_map(|(n, v)| Some((*n, v.as_ref()?))) {
        let positive = name == "multiple_of";
        if !value.value.is_finite() || (positive && value.value <= 0.0) {
            let what = if positive {
                "a number above 0"
            } else {
                "a finite number"
            };
            cx.error(
                Pos::of(value),
                format!("`prompt.{name}` must be {what}, found {}", value.value),
                "write the value the NUMBER_INPUT declares, e.g. `{min: 0, max: 40, multiple_of: 1}`",
            );
            ok = false;
        }
    }
    if let (Some(min), Some(max)) = (&raw.min, &raw.max)
        && min.value > max.value
    {
        cx.error(
            Pos::of(max),
            format!(
                "`prompt.max` ({}) is less than `prompt.min` ({})",
                max.value, min.value
            ),
            "swap them: `min` is the lowest value the input accepts, `max` the highest",
        );
        ok = false;
    }
    ok &= fits_the_prompt(raw, field_type, first, first_at, cx);
    ok.then(|| NumberRange {
        min: raw.min.as_ref().map(|v| v.value),
        max: raw.max.as_ref().map(|v| v.value),
        multiple_of: raw.multiple_of.as_ref().map(|v| v.value),
    })
}

/// A range belongs to a NUMBER_INPUT: not beside `options` or another kind, and only for a
/// number field. `first` is the first range key written, where the problem is reported.
fn fits_the_prompt(
    raw: &RawPrompt,
    field_type: Option<FieldType>,
    first: &str,
    first_at: Pos,
    cx: &mut Ctx,
) -> bool {
    let mut ok = true;
    if let Some(kind) = raw.kind.as_ref().filter(|k| k.value != "NUMBER_INPUT") {
        cx.error(
            Pos::of(kind),
            format!(
                "`prompt.{first}` describes a NUMBER_INPUT, not a {}",
                kind.value
            ),
            "write `kind: NUMBER_INPUT` (or leave `kind` out), or remove `min`, `max` and \
             `multiple_of`",
        );
        ok = false;
    }
    if raw.options.is_some() {
        cx.error(
            first_at,
            format!("`prompt.{first}` and `prompt.options` describe different inputs"),
            "`options` are offered by a select input, `min`/`max`/`multiple_of` declared \
             by a NUMBER_INPUT: keep the ones of the input you expect",
        );
        ok = false;
    }
    if let Some(other) = field_type.filter(|t| *t != FieldType::Number) {
        cx.error(
            first_at,
            format!(
                "`prompt.{first}` needs a number field: `{}` is {}",
                raw.field.as_ref().map_or("", |f| f.value.as_str()),
                match other {
                    FieldType::Array => "an array field",
                    FieldType::Object => "an object field",
                    FieldType::Boolean => "a boolean field",
                    _ => "a string field",
                }
            ),
            "a NUMBER_INPUT is for a `type: number` field",
        );
        ok = false;
    }
    ok
}
