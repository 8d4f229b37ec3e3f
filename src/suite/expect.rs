//! Validation of expectations: a turn's `expect:`, a conversation's `start:` and `final:`.
//! Field keys are checked against the form, chunk type names against the API's names, and
//! every matcher is built (regexes compiled) and checked against its field here; `prompt:`
//! is in [`crate::suite::expect_prompt`].

use crate::common::diagnostic::suggest;
use crate::common::duration::parse_duration;
use crate::common::wire::{CHUNK_TYPES, ChunkType};
use crate::suite::context::Ctx;
use crate::suite::expect_prompt::prompt;
use crate::suite::form_keys::FormKeys;
use crate::suite::matcher_check::FieldCheck;
use crate::suite::matcher_parse::parse_matcher;
use crate::suite::model::{ChunkExpect, ChunkMode, Expect, FieldExpect, FinalExpect, Located};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawExpect, RawFinal};
use crate::suite::validate::{duration_error, one_of};
use serde_saphyr::Spanned;

const CHUNK_MODES: [(&str, ChunkMode); 4] = [
    ("exact", ChunkMode::Exact),
    ("contains", ChunkMode::Contains),
    ("in_order", ChunkMode::InOrder),
    ("none_of", ChunkMode::NoneOf),
];

pub fn validate_expect(raw: RawExpect, keys: &FormKeys, cx: &mut Ctx) -> Option<Expect> {
    let start = cx.diagnostics.len();
    let fields = field_expects(raw.fields.as_ref(), keys, cx);
    let no_fields = no_fields(raw.no_fields, fields.as_deref(), keys, cx);
    let expect = Expect {
        fields: fields.unwrap_or_default(),
        no_fields,
        chunks: raw.chunks.as_ref().and_then(|c| chunk_expect(c, cx)),
        text: raw.text.as_ref().and_then(|t| {
            let matcher = parse_matcher(t, cx)?;
            Some(located(matcher, t.pos, cx))
        }),
        prompt: raw.prompt.and_then(|p| prompt(p, keys, cx)),
        submitted: raw.submitted.map(|s| spanned(s, cx)),
        error: raw.error.map(|e| spanned(e, cx)),
        max_latency: raw
            .max_latency
            .and_then(|d| match parse_duration(&d.value) {
                Ok(value) => Some(located(value, Pos::of(&d), cx)),
                Err(err) => {
                    duration_error(&d, &err.to_string(), false, cx);
                    None
                }
            }),
    };
    (cx.diagnostics.len() == start).then_some(expect)
}

pub fn validate_final(
    raw: Spanned<RawFinal>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<FinalExpect> {
    let start = cx.diagnostics.len();
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let fields = field_expects(raw.fields.as_ref(), keys, cx);
    let no_fields = no_fields(raw.no_fields, fields.as_deref(), keys, cx);
    let expect = FinalExpect {
        fields: fields.unwrap_or_default(),
        no_fields,
        submitted: raw.submitted.map(|s| spanned(s, cx)),
        loc: Some(cx.loc(at)),
    };
    (cx.diagnostics.len() == start).then_some(expect)
}

pub(super) fn located<T>(value: T, pos: Pos, cx: &Ctx) -> Located<T> {
    Located {
        value,
        loc: cx.loc(pos),
    }
}

fn spanned<T>(s: Spanned<T>, cx: &Ctx) -> Located<T> {
    let pos = Pos::of(&s);
    located(s.value, pos, cx)
}

/// `fields: {key: matcher}`. `None` when absent; problems are reported into `cx`.
pub(super) fn field_expects(
    node: Option<&Node>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Vec<FieldExpect>> {
    let node = node?;
    let NodeValue::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            format!(
                "`fields` must be a mapping of field keys to matchers, found {}",
                node.kind_name()
            ),
            "write e.g. `fields: {first_name: Dana, email: {regex: \"^dana@\"}}`",
        );
        return None;
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        let text = key.scalar_text().unwrap_or_default();
        let known = keys.check(&text, key.pos, cx);
        if let (Some(matcher), true) = (parse_matcher(value, cx), known) {
            if let Some(facts) = keys.facts(&text) {
                FieldCheck { key: &text, facts }.matcher(value, cx);
            }
            out.push(FieldExpect {
                key: text,
                matcher,
                loc: cx.loc(key.pos),
            });
        }
    }
    Some(out)
}

fn no_fields(
    raw: Option<Vec<Spanned<String>>>,
    expected: Option<&[FieldExpect]>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Vec<Located<String>> {
    let mut out = Vec::new();
    for key in raw.unwrap_or_default() {
        let pos = Pos::of(&key);
        if !keys.check(&key.value, pos, cx) {
            continue;
        }
        if let Some(both) = expected
            .unwrap_or_default()
            .iter()
            .find(|f| f.key == key.value)
        {
            cx.error(
                pos,
                format!("`{}` is in both `fields` and `no_fields`", key.value),
                format!(
                    "a field cannot be both expected and forbidden; remove it from one \
                     (`fields` has it on line {})",
                    both.loc.line
                ),
            );
            continue;
        }
        out.push(located(key.value, pos, cx));
    }
    out
}

fn chunk_expect(node: &Node, cx: &mut Ctx) -> Option<Located<ChunkExpect>> {
    let (mode, list) = match &node.value {
        NodeValue::Seq(_) => (ChunkMode::Contains, node),
        NodeValue::Map(entries) if entries.len() == 1 => {
            let (key, list) = &entries[0];
            let name = key.scalar_text().unwrap_or_default();
            let mode = one_of(&name, key.pos, "`chunks` mode", &CHUNK_MODES, cx)?;
            (mode, list)
        }
        NodeValue::Map(entries) if entries.len() > 1 => {
            let first = entries[0].0.scalar_text().unwrap_or_default();
            let second = entries[1].0.scalar_text().unwrap_or_default();
            cx.error(
                entries[1].0.pos,
                format!("`chunks` holds one mode, found `{first}` and `{second}`"),
                "keep one mode; `{exact: [...]}` already rules out every type it does not list",
            );
            return None;
        }
        _ => {
            cx.error(
                node.pos,
                "`chunks` must be a list or one mode",
                "write a list of chunk types (`chunks: [TEXT_DATA, TEXT]`), or exactly one of \
                 `{exact: [...]}`, `{contains: [...]}`, `{in_order: [...]}`, `{none_of: [...]}`",
            );
            return None;
        }
    };
    let types = chunk_types(list, cx)?;
    Some(located(ChunkExpect { mode, types }, node.pos, cx))
}

fn chunk_types(list: &Node, cx: &mut Ctx) -> Option<Vec<ChunkType>> {
    let NodeValue::Seq(items) = &list.value else {
        cx.error(
            list.pos,
            format!("expected a list of chunk types, found {}", list.kind_name()),
            "write the names in brackets, e.g. `[TEXT_DATA, TEXT]`",
        );
        return None;
    };
    let names: Vec<&str> = CHUNK_TYPES.iter().map(|(name, _)| *name).collect();
    let mut types = Vec::new();
    let mut ok = true;
    for item in items {
        let text = item.scalar_text().unwrap_or_default();
        let chunk_type = ChunkType::from_name(&text);
        if item.as_str().is_some() && chunk_type.is_known() {
            types.push(chunk_type);
        } else {
            cx.error(
                item.pos,
                format!("unknown chunk type `{text}`"),
                suggest(&text, &names),
            );
            ok = false;
        }
    }
    ok.then_some(types)
}
