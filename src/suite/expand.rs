//! Data-driven conversations: `vars:` and `data: FILE.csv` expand one written conversation
//! into one raw conversation per data row, with `{{name}}` placeholders filled in `name`,
//! `user`, `prefill`, `current_values` and the values of expectations.
//!
//! Runs on the raw types, before validation, so everything the validator checks (the
//! 10,000-character limit of `user`, regexes, field keys) is checked on the expanded text.
//! Owns reading the CSV file (the one file a suite may name); must not touch the network
//! or anything outside the suite module.

use crate::suite::context::Ctx;
use crate::suite::file;
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::{RawConversation, RawExpect, RawFinal};
use serde_json::Number;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// More rows than this is a load-test corpus, not a suite; refused rather than expanded.
const MAX_ROWS: usize = 10_000;

/// Variable name → value. Values are nodes so that a whole-placeholder scalar keeps the
/// variable's type (`guests: "{{n}}"` with `n: 2` is the number 2).
type Vars = BTreeMap<String, NodeValue>;

/// Expands every conversation; a conversation with neither `vars` nor `data` passes
/// through once, with any `{{placeholder}}` in it reported as unknown.
pub fn expand_conversations(
    raw: Vec<Spanned<RawConversation>>,
    suite_path: &Path,
    cx: &mut Ctx,
) -> Vec<Spanned<RawConversation>> {
    let mut out = Vec::new();
    for conversation in raw {
        let Some(base) = vars_of(&conversation.value, cx) else {
            continue;
        };
        let rows = match &conversation.value.data {
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
            let mut copy = conversation.clone();
            expand_one(&mut copy.value, row, &vars, cx);
            out.push(copy);
        }
    }
    out
}

/// `vars:`: a mapping of names to plain values; empty when absent, `None` when invalid.
fn vars_of(conversation: &RawConversation, cx: &mut Ctx) -> Option<Vars> {
    let mut vars = Vars::new();
    let Some(node) = &conversation.vars else {
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

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The rows of a `data:` CSV (header = variable names), numbered from 1 after the header.
fn read_rows(
    data: &Spanned<String>,
    suite_path: &Path,
    cx: &mut Ctx,
) -> Option<Vec<(usize, Vars)>> {
    let pos = Pos::of(data);
    let path = suite_path
        .parent()
        .unwrap_or(Path::new(""))
        .join(&data.value);
    let fail = |cx: &mut Ctx, title: String, help: &str| {
        cx.error(pos, title, help);
        None
    };
    let bytes = match file::read_capped(&path, file::MAX_DATA_BYTES) {
        Ok(bytes) => bytes,
        Err(err) => {
            let help = match err {
                file::ReadError::TooLarge { .. } => "split the rows over several data files",
                file::ReadError::NotRegular { .. } => {
                    "`data:` must name a regular CSV file, not a device, FIFO or directory"
                }
                _ => "`data:` names a CSV file relative to the suite file",
            };
            let title = format!("cannot read data file `{}`: {err}", data.value);
            return fail(cx, title, help);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(err) => return fail(cx, csv_problem(&data.value, &err), CSV_HELP),
    };
    if let Some(bad) = headers.iter().find(|h| !is_name(h)) {
        let title = format!("`{}`: column `{bad}` is not a variable name", data.value);
        return fail(
            cx,
            title,
            "the header row names the variables: letters, digits and `_`",
        );
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(err) => return fail(cx, csv_problem(&data.value, &err), CSV_HELP),
        };
        if rows.len() == MAX_ROWS {
            let title = format!("`{}` has more than {MAX_ROWS} rows", data.value);
            return fail(cx, title, "split the data over several conversations");
        }
        let vars = headers
            .iter()
            .zip(record.iter())
            .map(|(h, cell)| (h.clone(), cell_value(cell)))
            .collect();
        rows.push((index + 1, vars));
    }
    if rows.is_empty() {
        let title = format!("`{}` has no data rows", data.value);
        return fail(
            cx,
            title,
            "add one row per conversation below the header row",
        );
    }
    Some(rows)
}

const CSV_HELP: &str = "every row of a `data:` file has as many values as the header row";

fn csv_problem(file: &str, err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, csv::Position::line);
            format!("`{file}` line {line} has {len} values, the header has {expected_len}")
        }
        _ => format!("`{file}` is not valid CSV: {err}"),
    }
}

/// A CSV cell as a typed value: `true`/`false` and numbers that print back exactly as
/// written (so `01234` stays text) are typed; everything else is text.
fn cell_value(cell: &str) -> NodeValue {
    match cell {
        "true" => return NodeValue::Bool(true),
        "false" => return NodeValue::Bool(false),
        _ => {}
    }
    let number = cell
        .parse::<i64>()
        .ok()
        .map(Number::from)
        .or_else(|| cell.parse::<f64>().ok().and_then(Number::from_f64));
    match number {
        Some(n) if n.to_string() == cell => NodeValue::Number(n),
        _ => NodeValue::String(cell.to_owned()),
    }
}

fn expand_one(c: &mut RawConversation, row: Option<usize>, vars: &Vars, cx: &mut Ctx) {
    if let Some(name) = &mut c.name {
        let written = name.value.clone();
        let pos = Pos::of(name);
        name.value = expand_text(&written, pos, vars, cx);
        if let (Some(row), false) = (row, has_placeholder(&written)) {
            name.value = format!("{} [row {row}]", name.value);
        }
    }
    expand_opt(&mut c.prefill, vars, cx);
    if let Some(start) = &mut c.start {
        expand_expect(&mut start.value, vars, cx);
    }
    if let Some(turns) = &mut c.turns {
        for turn in &mut turns.value {
            let turn = &mut turn.value;
            if let Some(user) = &mut turn.user {
                let pos = Pos::of(user);
                user.value = expand_text(&user.value, pos, vars, cx);
            }
            expand_opt(&mut turn.current_values, vars, cx);
            if let Some(expect) = &mut turn.expect {
                expand_expect(&mut expect.value, vars, cx);
            }
        }
    }
    if let Some(final_state) = &mut c.final_state {
        let RawFinal { fields, .. } = &mut final_state.value;
        expand_opt(fields, vars, cx);
    }
}

fn expand_expect(e: &mut RawExpect, vars: &Vars, cx: &mut Ctx) {
    expand_opt(&mut e.fields, vars, cx);
    expand_opt(&mut e.text, vars, cx);
    if let Some(prompt) = &mut e.prompt {
        expand_opt(&mut prompt.value.options, vars, cx);
    }
}

fn expand_opt(node: &mut Option<Node>, vars: &Vars, cx: &mut Ctx) {
    if let Some(node) = node {
        expand_node(node, vars, cx);
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

    #[test]
    fn cells_are_typed_only_when_they_print_back() {
        assert_eq!(cell_value("2"), NodeValue::Number(2.into()));
        assert_eq!(cell_value("01234"), NodeValue::String("01234".into()));
        assert_eq!(cell_value("true"), NodeValue::Bool(true));
        assert_eq!(cell_value("Dana"), NodeValue::String("Dana".into()));
    }
}
