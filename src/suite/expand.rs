//! Data-driven conversations and personas: `vars:` and `data: FILE.csv` expand one written
//! entry into one raw entry per data row, with `{{name}}` placeholders filled: in a
//! conversation's `name`, `user`, `prefill`, `current_values` and the values of its
//! expectations; in a persona's `name`, `facts` values, `opening`, `say` phrasings and the
//! values of `expect.fields`. Both go through the one driver, [`expand`], over the
//! [`Expandable`] trait.
//!
//! Runs on the raw types, before validation, so everything the validator checks (the
//! 10,000-character limit of `user`, regexes, field keys, fact values) is checked on the
//! expanded text. The CSV file is read by [`crate::suite::expand_data`]; this module must
//! not touch the network or anything outside the suite module.

use crate::suite::context::Ctx;
use crate::suite::expand_data::read_rows;
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawConversation, RawExpect, RawFinal, RawPersona};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// Variable name → value. Values are nodes so that a whole-placeholder scalar keeps the
/// variable's type (`guests: "{{n}}"` with `n: 2` is the number 2).
pub(super) type Vars = BTreeMap<String, NodeValue>;

/// An entry that `vars:`/`data:` expand: a conversation or a persona.
pub(super) trait Expandable: Clone {
    fn vars(&self) -> Option<&Node>;
    fn data(&self) -> Option<&Spanned<String>>;
    fn name_mut(&mut self) -> Option<&mut Spanned<String>>;
    /// Remembers the `data:` row it came from, for `convoy list`.
    fn set_data_row(&mut self, row: Option<usize>);
    /// Fills the placeholders of everything but the name.
    fn fill(&mut self, fill: &mut Fill<'_, '_>);
}

/// Fills placeholders with one row's variables, reporting unknown ones.
pub(super) struct Fill<'f, 'a> {
    vars: &'f Vars,
    cx: &'f mut Ctx<'a>,
}

impl Fill<'_, '_> {
    /// A text, placeholders replaced by their variables' text.
    pub fn text(&mut self, text: &mut Spanned<String>) {
        let pos = Pos::of(text);
        text.value = expand_text(&text.value, pos, self.vars, self.cx);
    }

    /// Every string value below the node (mapping keys stay as written).
    pub fn node(&mut self, node: &mut Option<Node>) {
        if let Some(node) = node {
            expand_node(node, self.vars, self.cx);
        }
    }
}

/// Expands every entry; one with neither `vars` nor `data` passes through once, with any
/// `{{placeholder}}` in it reported as unknown.
pub(super) fn expand<T: Expandable>(
    raw: Vec<Spanned<T>>,
    suite_path: &Path,
    cx: &mut Ctx,
) -> Vec<Spanned<T>> {
    let mut out = Vec::new();
    for entry in raw {
        let Some(base) = vars_of(entry.value.vars(), cx) else {
            continue;
        };
        let rows = match entry.value.data() {
            None => vec![(None, base)],
            Some(data) => match read_rows(data, suite_path, cx) {
                Some(rows) => rows
                    .into_iter()
                    .map(|(n, row)| {
                        let mut vars = base.clone();
                        vars.extend(row);
                        (Some(n), vars)
                    })
                    .collect(),
                None => continue,
            },
        };
        for (row, vars) in rows {
            let mut copy = entry.clone();
            expand_one(&mut copy.value, row, &vars, cx);
            out.push(copy);
        }
    }
    out
}

/// `vars:`: a mapping of names to plain values; empty when absent, `None` when invalid.
fn vars_of(node: Option<&Node>, cx: &mut Ctx) -> Option<Vars> {
    let mut vars = Vars::new();
    let Some(node) = node else {
        return Some(vars);
    };
    let NodeValue::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            format!(
                "`vars` must be a mapping of names to values, found {}",
                node.kind_name()
            ),
            "write e.g. `vars: {first: Dana, guests: 2}`",
        );
        return None;
    };
    let mut ok = true;
    for (key, value) in entries {
        let name = key.scalar_text().unwrap_or_default();
        if !is_name(&name) {
            cx.error(
                key.pos,
                format!("`{name}` is not a variable name"),
                "a variable name is a letter or `_`, then letters, digits and `_`",
            );
            ok = false;
        } else if matches!(value.value, NodeValue::Seq(_) | NodeValue::Map(_)) {
            cx.error(
                value.pos,
                format!(
                    "variable `{name}` must be a plain value, found {}",
                    value.kind_name()
                ),
                "a variable holds text, a number or a boolean",
            );
            ok = false;
        } else {
            vars.insert(name, value.value.clone());
        }
    }
    ok.then_some(vars)
}

pub(super) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn expand_one<T: Expandable>(entry: &mut T, row: Option<usize>, vars: &Vars, cx: &mut Ctx) {
    entry.set_data_row(row);
    if let Some(name) = entry.name_mut() {
        let written = name.value.clone();
        let pos = Pos::of(name);
        name.value = expand_text(&written, pos, vars, cx);
        if let (Some(row), false) = (row, has_placeholder(&written)) {
            name.value = format!("{} [row {row}]", name.value);
        }
    }
    entry.fill(&mut Fill { vars, cx });
}

impl Expandable for RawConversation {
    fn vars(&self) -> Option<&Node> {
        self.vars.as_ref()
    }

    fn data(&self) -> Option<&Spanned<String>> {
        self.data.as_ref()
    }

    fn name_mut(&mut self) -> Option<&mut Spanned<String>> {
        self.name.as_mut()
    }

    fn set_data_row(&mut self, row: Option<usize>) {
        self.data_row = row;
    }

    fn fill(&mut self, fill: &mut Fill<'_, '_>) {
        fill.node(&mut self.prefill);
        if let Some(start) = &mut self.start {
            expand_expect(&mut start.value, fill);
        }
        for turn in self.turns.iter_mut().flat_map(|t| t.value.iter_mut()) {
            let turn = &mut turn.value;
            if let Some(user) = &mut turn.user {
                fill.text(user);
            }
            fill.node(&mut turn.current_values);
            if let Some(expect) = &mut turn.expect {
                expand_expect(&mut expect.value, fill);
            }
        }
        if let Some(final_state) = &mut self.final_state {
            let RawFinal { fields, .. } = &mut final_state.value;
            fill.node(fields);
        }
    }
}

impl Expandable for RawPersona {
    fn vars(&self) -> Option<&Node> {
        self.vars.as_ref()
    }

    fn data(&self) -> Option<&Spanned<String>> {
        self.data.as_ref()
    }

    fn name_mut(&mut self) -> Option<&mut Spanned<String>> {
        self.name.as_mut()
    }

    fn set_data_row(&mut self, row: Option<usize>) {
        self.data_row = row;
    }

    fn fill(&mut self, fill: &mut Fill<'_, '_>) {
        fill.node(&mut self.facts);
        if let Some(opening) = &mut self.opening {
            fill.text(opening);
        }
        fill.node(&mut self.say);
        if let Some(expect) = &mut self.expect {
            fill.node(&mut expect.value.fields);
        }
    }
}

fn expand_expect(e: &mut RawExpect, fill: &mut Fill<'_, '_>) {
    fill.node(&mut e.fields);
    fill.node(&mut e.text);
    if let Some(prompt) = &mut e.prompt {
        fill.node(&mut prompt.value.options);
    }
}

/// Fills placeholders in every string value below `node` (mapping keys stay as written).
fn expand_node(node: &mut Node, vars: &Vars, cx: &mut Ctx) {
    match &mut node.value {
        NodeValue::String(text) => {
            if let Some(name) = whole_placeholder(text)
                && let Some(value) = vars.get(name)
            {
                node.value = value.clone();
                return;
            }
            *text = expand_text(text, node.pos, vars, cx);
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|n| expand_node(n, vars, cx)),
        NodeValue::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| expand_node(v, vars, cx)),
        NodeValue::Null | NodeValue::Bool(_) | NodeValue::Number(_) => {}
    }
}

/// The placeholders of a text: (start byte, end byte, variable name).
fn placeholders(text: &str) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let Some(close) = text[open + 2..].find("}}").map(|i| i + open + 2) else {
            break;
        };
        let name = text[open + 2..close].trim();
        if is_name(name) {
            found.push((open, close + 2, name));
            from = close + 2;
        } else {
            // Not a placeholder (e.g. literal braces): leave it, look further on.
            from = open + 1;
        }
    }
    found
}

fn has_placeholder(text: &str) -> bool {
    !placeholders(text).is_empty()
}

fn whole_placeholder(text: &str) -> Option<&str> {
    match placeholders(text).as_slice() {
        [(0, end, name)] if *end == text.len() => Some(name),
        _ => None,
    }
}

/// The text with each placeholder replaced by its variable's text; an unknown variable is
/// reported at the placeholder and left as written.
fn expand_text(text: &str, pos: Pos, vars: &Vars, cx: &mut Ctx) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (start, end, name) in placeholders(text) {
        out.push_str(&text[last..start]);
        match vars.get(name) {
            Some(value) => out.push_str(&scalar_text(value)),
            None => {
                let known: Vec<&str> = vars.keys().map(String::as_str).collect();
                let help = if known.is_empty() {
                    "declare it in `vars:` or as a column of the `data:` file".to_owned()
                } else {
                    format!("known variables: {}", known.join(", "))
                };
                let at = placeholder_pos(cx, pos, text[..start].chars().count(), &text[start..end]);
                cx.error(at, format!("unknown variable `{name}`"), help);
                out.push_str(&text[start..end]);
            }
        }
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

fn scalar_text(value: &NodeValue) -> String {
    match value {
        NodeValue::String(s) => s.clone(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Number(n) => n.to_string(),
        NodeValue::Null => String::new(),
        NodeValue::Seq(_) | NodeValue::Map(_) => String::new(),
    }
}

/// Where a placeholder sits in the source: the scalar's start, past an opening quote, plus
/// the characters before it (exact for one-line scalars, which placeholders usually are).
fn placeholder_pos(cx: &Ctx, scalar: Pos, before: usize, placeholder: &str) -> Pos {
    let quoted = cx
        .source
        .lines()
        .nth(scalar.line.saturating_sub(1))
        .and_then(|l| l.chars().nth(scalar.column.saturating_sub(1)))
        .is_some_and(|c| c == '"' || c == '\'');
    Pos {
        line: scalar.line,
        column: scalar.column + usize::from(quoted) + before,
        len: placeholder.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_skips_literal_braces() {
        let found = placeholders("a {{ x }} {{1}} {{y}}");
        let names: Vec<&str> = found.iter().map(|p| p.2).collect();
        assert_eq!(names, ["x", "y"]);
        assert_eq!(whole_placeholder("{{n}}"), Some("n"));
        assert_eq!(whole_placeholder("{{n}} guests"), None);
    }
}
