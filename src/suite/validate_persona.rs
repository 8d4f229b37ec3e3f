//! Validation of `personas:`: the persona's own keys — `name` (required; its uniqueness,
//! shared with conversations, is checked in [`crate::suite::validate`]), `weight`,
//! `facts` (each a field of the form, its value checked by [`crate::suite::fact_check`]),
//! `style`, `opening`, `declines`, `say` and `max_turns`. `expect` is in
//! [`crate::suite::persona_expect`].
//!
//! Owns what a persona may say it knows and how it behaves; must not decide what a
//! simulated user says (that is the runner's simulator).

use crate::common::diagnostic::closest;
use crate::suite::context::Ctx;
use crate::suite::fact_check::fact_value;
use crate::suite::form_keys::FormKeys;
use crate::suite::model::{Persona, Style};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::persona_expect::{Facts, persona_expect};
use crate::suite::raw::RawPersona;
use crate::suite::validate_conv::{check_length, check_weight, entry_name, optional};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// `max_turns` when not written.
pub const DEFAULT_MAX_TURNS: u32 = 12;
/// The most user messages a persona may send: a stuck conversation costs one model call
/// per message, so a typo such as `1200` is refused rather than run.
pub const MAX_TURNS: u32 = 100;

const STYLE_HELP: &str = "write `reactive`, `eager`, `corrects` or `chunks:N` (N ≥ 1 facts \
                          per message, e.g. `chunks:2`)";

pub fn validate_personas(
    raw: Vec<Spanned<RawPersona>>,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Vec<Persona> {
    let validated: Vec<Option<Persona>> = raw
        .into_iter()
        .map(|p| validate_persona(p, keys, cx))
        .collect();
    validated.into_iter().flatten().collect()
}

fn validate_persona(raw: Spanned<RawPersona>, keys: &FormKeys, cx: &mut Ctx) -> Option<Persona> {
    let at = Pos::of(&raw).start();
    let raw = raw.value;
    let example = "`- name: Dana answers only what is asked`";
    let name = entry_name(raw.name.as_ref(), at, "persona", example, cx);
    let shown = name.clone().unwrap_or_else(|| "?".to_owned());
    let weight = match &raw.weight {
        Some(w) => check_weight(w, cx),
        None => Some(1.0),
    };
    let written = Facts::written(raw.facts.as_ref());
    let facts = facts(raw.facts.as_ref(), &shown, at, keys, cx);
    let style = optional(raw.style.as_ref(), style, cx);
    let opening = optional(raw.opening.as_ref(), opening, cx);
    let declines = declines(raw.declines.unwrap_or_default(), &written, keys, cx);
    let say = optional(raw.say.as_ref(), |n, cx| say(n, &written, keys, cx), cx);
    let max_turns = optional(raw.max_turns.as_ref(), turn_limit, cx);
    let limit = max_turns.flatten().unwrap_or(DEFAULT_MAX_TURNS);
    let expect = persona_expect(raw.expect, &written, limit, keys, cx);
    Some(Persona {
        name: name?,
        tags: raw.tags.unwrap_or_default(),
        weight: weight?,
        facts: facts?,
        style: style?.unwrap_or_default(),
        opening: opening?,
        declines: declines?,
        say: say?.unwrap_or_default(),
        max_turns: max_turns?.unwrap_or(DEFAULT_MAX_TURNS),
        expect: expect?,
        data_row: raw.data_row,
        loc: cx.loc(at),
    })
}

/// `facts: {key: value}`: required, non-empty, in file order.
fn facts(
    node: Option<&Node>,
    persona: &str,
    at: Pos,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Vec<(String, Value)>> {
    let help = "list what the user knows, as the form expects the values, e.g. \
                `facts: {first_name: Dana, email: dana@example.com}`";
    let Some(node) = node else {
        cx.error(at, format!("missing `facts` in persona `{persona}`"), help);
        return None;
    };
    let entries = match &node.value {
        NodeValue::Map(entries) if !entries.is_empty() => entries,
        NodeValue::Map(_) => {
            cx.error(
                node.pos,
                format!("persona `{persona}` knows no facts"),
                help,
            );
            return None;
        }
        _ => {
            let title = format!(
                "`facts` must be a mapping of field keys to values, found {}",
                node.kind_name()
            );
            cx.error(node.pos, title, help);
            return None;
        }
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in entries {
        let text = key.scalar_text().unwrap_or_default();
        let known = keys.check(&text, key.pos, cx);
        let facts = keys.facts(&text).filter(|_| known);
        match fact_value(&text, facts, value, cx) {
            Some(v) if known => out.push((text, v)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// `reactive`, `eager`, `corrects` or `chunks:N` with N ≥ 1.
fn style(raw: &Spanned<String>, cx: &mut Ctx) -> Option<Style> {
    let pos = Pos::of(raw);
    let text = raw.value.trim();
    match text {
        "reactive" => return Some(Style::Reactive),
        "eager" => return Some(Style::Eager),
        "corrects" => return Some(Style::Corrects),
        _ => {}
    }
    if let Some(count) = text.strip_prefix("chunks:").map(str::trim) {
        return match count.parse::<u32>() {
            Ok(n) if n >= 1 => Some(Style::Chunks(n)),
            Ok(_) => {
                let title = format!("`{text}` gives no fact per message");
                cx.error(pos, title, STYLE_HELP);
                None
            }
            Err(_) => {
                let title = format!("`chunks:` takes a whole number, found `{count}`");
                cx.error(pos, title, STYLE_HELP);
                None
            }
        };
    }
    let (title, help) = if text == "chunks" {
        ("`chunks` needs a count".to_owned(), STYLE_HELP.to_owned())
    } else {
        let names = ["reactive", "eager", "corrects", "chunks:N"];
        let help = match closest(text, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None => STYLE_HELP.to_owned(),
        };
        (format!("unknown style `{text}`"), help)
    };
    cx.error(pos, title, help);
    None
}

fn opening(raw: &Spanned<String>, cx: &mut Ctx) -> Option<String> {
    let pos = Pos::of(raw);
    if raw.value.trim().is_empty() {
        cx.error(
            pos,
            "the opening is empty",
            "write the user's first message, or leave `opening` out to have the user wait \
             for the assistant's first question",
        );
        return None;
    }
    check_length(&raw.value, pos, "`opening`", cx).then(|| raw.value.clone())
}

/// `declines: [key]`: fields of the form that are not facts, each listed once.
fn declines(
    raw: Vec<Spanned<String>>,
    facts: &Facts,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for key in raw {
        let pos = Pos::of(&key);
        if !keys.check(&key.value, pos, cx) {
            ok = false;
        } else if let Some(line) = facts.line(&key.value) {
            cx.error(
                pos,
                format!("`{}` is both a fact and declined", key.value),
                format!(
                    "the user cannot both know a value and refuse to give it: remove it \
                     from `declines`, or from `facts` (line {line})"
                ),
            );
            ok = false;
        } else if out.contains(&key.value) {
            cx.error(
                pos,
                format!("`{}` is declined twice", key.value),
                "list each field once",
            );
            ok = false;
        } else {
            out.push(key.value);
        }
    }
    ok.then_some(out)
}

/// `say: {key: phrasing or [phrasings]}`: for facts only, each phrasing with `{value}`.
fn say(
    node: &Node,
    facts: &Facts,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<BTreeMap<String, Vec<String>>> {
    let NodeValue::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            format!(
                "`say` must be a mapping of field keys to phrasings, found {}",
                node.kind_name()
            ),
            "write e.g. `say: {email: [\"my email is {value}\", \"{value}\"]}`",
        );
        return None;
    };
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in entries {
        let text = key.scalar_text().unwrap_or_default();
        if !keys.check(&text, key.pos, cx) {
            ok = false;
            continue;
        }
        if facts.line(&text).is_none() {
            cx.error(
                key.pos,
                format!("`say` has phrasings for `{text}`, which is not in `facts`"),
                format!(
                    "the user says only what it knows: add `{text}` to `facts`, or remove \
                     its phrasings"
                ),
            );
            ok = false;
            continue;
        }
        match phrasings(&text, value, cx) {
            Some(list) => {
                out.insert(text, list);
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// One phrasing or a non-empty list of them, each holding `{value}`.
fn phrasings(key: &str, node: &Node, cx: &mut Ctx) -> Option<Vec<String>> {
    let items = match &node.value {
        NodeValue::Seq(items) if !items.is_empty() => items.iter().collect(),
        NodeValue::String(_) => vec![node],
        _ => {
            cx.error(
                node.pos,
                format!(
                    "the phrasings of `{key}` must be text or a non-empty list of texts, found {}",
                    node.kind_name()
                ),
                format!("write e.g. `{key}: [\"it's {{value}}\", \"{{value}}\"]`"),
            );
            return None;
        }
    };
    let mut out = Vec::new();
    for item in items {
        let Some(text) = item.as_str() else {
            cx.error(
                item.pos,
                format!("a phrasing must be text, found {}", item.kind_name()),
                "quote it: `\"my email is {value}\"`",
            );
            continue;
        };
        if !text.contains("{value}") {
            cx.error(
                item.pos,
                format!("a phrasing of `{key}` without `{{value}}`"),
                format!(
                    "write where the user's value goes, e.g. `\"it's {{value}}\"`; the \
                     simulated user replaces `{{value}}` with the fact of `{key}`"
                ),
            );
            continue;
        }
        if check_length(text, item.pos, "a phrasing", cx) {
            out.push(text.to_owned());
        }
    }
    (out.len() == items_len(node)).then_some(out)
}

fn items_len(node: &Node) -> usize {
    match &node.value {
        NodeValue::Seq(items) => items.len(),
        _ => 1,
    }
}

/// `max_turns`: 1 to [`MAX_TURNS`].
fn turn_limit(raw: &Spanned<i64>, cx: &mut Ctx) -> Option<u32> {
    match u32::try_from(raw.value) {
        Ok(n) if (1..=MAX_TURNS).contains(&n) => Some(n),
        _ => {
            cx.error(
                Pos::of(raw),
                format!(
                    "`max_turns` must be between 1 and {MAX_TURNS}, found {}",
                    raw.value
                ),
                format!(
                    "the user sends at most this many messages before the conversation is \
                     given up (default {DEFAULT_MAX_TURNS})"
                ),
            );
            None
        }
    }
}
