//! Building [`Matcher`]s from YAML: a plain value means `eq`; a mapping holds exactly one
//! operator plus the optional modifiers `tol` (beside `approx` only) and `display`. The
//! bounds of a number range (`gte` with `lte`, ...) count as one operator; `all_of` and
//! `any_of` hold whole matchers, nested at most [`MAX_NESTING`] deep.
//! Regexes are compiled here, once, so a bad one is a load error and never a runtime one.

use crate::common::diagnostic::{quoted_list, suggest};
use crate::suite::context::Ctx;
use crate::suite::matcher::{MatchOp, Matcher, OPERATORS, ValueType};
use crate::suite::matcher_range::{between_arg, bounds_range, is_bound, same_side};
use crate::suite::node::{Node, NodeValue};
use regex::Regex;

/// Operators, `tol` and `display`: every key a matcher mapping may hold.
const MATCHER_KEYS: [&str; 19] = [
    "eq", "ne", "ieq", "regex", "contains", "one_of", "set", "approx", "gt", "gte", "lt", "lte",
    "between", "any", "type", "all_of", "any_of", "display", "tol",
];

/// How deep `all_of`/`any_of` may nest: deeper is unreadable, and the bound keeps a hostile
/// file from recursing far.
pub const MAX_NESTING: usize = 8;

/// An operator key, its node and its argument.
pub(super) type OpEntry<'n> = (&'n str, &'n Node, &'n Node);

/// The keys of one matcher mapping, sorted into their roles.
#[derive(Default)]
struct Parts<'n> {
    /// Operators in the order written; several only when they are range bounds.
    ops: Vec<OpEntry<'n>>,
    tol: Option<(&'n Node, &'n Node)>,
    display: Option<&'n Node>,
    broken: bool,
}

/// Parses a matcher, reporting every problem in it; `None` when it has any.
pub fn parse_matcher(node: &Node, cx: &mut Ctx) -> Option<Matcher> {
    parse_at(node, 0, cx)
}

/// `depth` counts the `all_of`/`any_of` around `node`.
fn parse_at(node: &Node, depth: usize, cx: &mut Ctx) -> Option<Matcher> {
    match &node.value {
        NodeValue::Map(entries) => parse_operator_map(node, entries, depth, cx),
        _ => cx.json(node).map(Matcher::eq),
    }
}

fn parse_operator_map(
    node: &Node,
    entries: &[(Node, Node)],
    depth: usize,
    cx: &mut Ctx,
) -> Option<Matcher> {
    if entries.is_empty() {
        cx.error(
            node.pos,
            "empty matcher",
            "write the expected value, or one operator such as `{regex: \"^a\"}`; \
             to expect an empty object, write `{eq: {}}`",
        );
        return None;
    }
    let parts = sort_keys(entries, cx);
    let mut ok = !parts.broken;
    let approx = parts
        .ops
        .first()
        .filter(|(name, _, _)| *name == "approx")
        .copied();
    match (approx, parts.tol) {
        (None, Some((tol_key, _))) => {
            cx.error(
                tol_key.pos,
                "`tol` is only allowed beside `approx`",
                "remove `tol`, or compare with a tolerance: `{approx: 2, tol: 0.1}`",
            );
            ok = false;
        }
        (Some((_, key, _)), None) => {
            cx.error(
                key.pos,
                "`approx` needs a `tol`",
                "add the tolerance beside it, e.g. `{approx: 2, tol: 0.1}`",
            );
            ok = false;
        }
        _ => {}
    }
    let op = match parts.ops.as_slice() {
        [] => None,
        [first, ..] if is_bound(first.0) => bounds_range(&parts.ops, cx).map(MatchOp::Range),
        [(name, key, value), ..] => parse_op(name, key, value, parts.tol, depth, cx),
    };
    let display = match parts.display {
        Some(d) => parse_at(d, depth, cx).map(Box::new),
        None => None,
    };
    ok &= parts.ops.is_empty() || op.is_some();
    ok &= parts.display.is_none() || display.is_some();
    (ok && (op.is_some() || display.is_some())).then_some(Matcher { op, display })
}

fn sort_keys<'n>(entries: &'n [(Node, Node)], cx: &mut Ctx) -> Parts<'n> {
    let mut parts = Parts::default();
    for (key, value) in entries {
        let Some(name) = key.as_str() else {
            cx.error(
                key.pos,
                "a matcher key must be an operator name",
                format!("use one of {}", quoted_list(&MATCHER_KEYS)),
            );
            parts.broken = true;
            continue;
        };
        match name {
            "tol" => parts.tol = Some((key, value)),
            "display" => parts.display = Some(value),
            _ if OPERATORS.contains(&name) => {
                if conflicts(&parts.ops, name, key, cx) {
                    parts.broken = true;
                } else {
                    parts.ops.push((name, key, value));
                }
            }
            _ => {
                unknown_operator(key, name, cx);
                parts.broken = true;
            }
        }
    }
    parts
}

/// Whether operator `name` may not join those already read; reports why at `key`.
fn conflicts(ops: &[OpEntry<'_>], name: &str, key: &Node, cx: &mut Ctx) -> bool {
    let Some((first, _, _)) = ops.first() else {
        return false;
    };
    if is_bound(first) && is_bound(name) {
        let Some((twin, _, _)) = ops.iter().find(|(o, _, _)| same_side(o, name)) else {
            return false;
        };
        let (side, pair) = if same_side(name, "gt") {
            ("lower", "`gt` or `gte`")
        } else {
            ("upper", "`lt` or `lte`")
        };
        cx.error(
            key.pos,
            format!("two {side} bounds in one range: `{twin}` and `{name}`"),
            format!("a range has at most one {side} bound ({pair}); keep one"),
        );
        return true;
    }
    let help = if [*first, name].contains(&"between") {
        "`between: [low, high]` sets both ends already; write either `between` or \
         `gte`/`lte`"
            .to_owned()
    } else {
        "a matcher holds one operator (plus `tol` and `display`; a lower and an upper \
         bound such as `{gte: 0, lte: 40}` count as one); to require several, write \
         `all_of: [...]`, to accept any of several, `any_of: [...]`"
            .to_owned()
    };
    cx.error(
        key.pos,
        format!("two operators in one matcher: `{first}` and `{name}`"),
        help,
    );
    true
}

fn unknown_operator(key: &Node, name: &str, cx: &mut Ctx) {
    let help = match crate::common::diagnostic::closest(name, &MATCHER_KEYS) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!(
            "a mapping here is a matcher: use one of {}; to expect an object value, \
             write `{{eq: {{...}}}}`",
            quoted_list(&MATCHER_KEYS)
        ),
    };
    cx.error(key.pos, format!("unknown matcher `{name}`"), help);
}

fn parse_op(
    name: &str,
    key: &Node,
    value: &Node,
    tol: Option<(&Node, &Node)>,
    depth: usize,
    cx: &mut Ctx,
) -> Option<MatchOp> {
    Some(match name {
        "eq" => MatchOp::Eq(cx.json(value)?),
        "ne" => MatchOp::Ne(cx.json(value)?),
        "ieq" => MatchOp::Ieq(string_arg(name, value, cx)?.to_owned()),
        "regex" => MatchOp::Regex(regex_arg(value, cx)?),
        "contains" => MatchOp::Contains(cx.json(value)?),
        "one_of" => MatchOp::OneOf(list_arg(name, value, true, cx)?),
        "set" => MatchOp::Set(list_arg(name, value, false, cx)?),
        "approx" => {
            let target = number_arg(name, value, cx);
            let tol = tol_arg(tol?.1, cx);
            MatchOp::Approx {
                value: target?,
                tol: tol?,
            }
        }
        "between" => MatchOp::Range(between_arg(value, cx)?),
        "all_of" => MatchOp::AllOf(nested_arg(name, key, value, depth, cx)?),
        "any_of" => MatchOp::AnyOf(nested_arg(name, key, value, depth, cx)?),
        "any" => any_arg(value, cx)?,
        "type" => MatchOp::Type(type_arg(value, cx)?),
        _ => {
            // Only names from OPERATORS get here; an unknown one was reported already.
            unknown_operator(key, name, cx);
            return None;
        }
    })
}

fn string_arg<'n>(op: &str, value: &'n Node, cx: &mut Ctx) -> Option<&'n str> {
    let s = value.as_str();
    if s.is_none() {
        cx.error(
            value.pos,
            format!("`{op}` takes a string, found {}", value.kind_name()),
            format!("quote the text, e.g. `{{{op}: \"dana\"}}`"),
        );
    }
    s
}

fn regex_arg(value: &Node, cx: &mut Ctx) -> Option<Regex> {
    let pattern = string_arg("regex", value, cx)?;
    match Regex::new(pattern) {
        Ok(re) => Some(re),
        Err(err) => {
            cx.error(
                value.pos,
                format!("invalid regex: {}", regex_reason(&err)),
                "fix the pattern (Rust regex syntax: https://docs.rs/regex/#syntax); inside \
                 YAML double quotes a backslash is written `\\\\`, or use single quotes",
            );
            None
        }
    }
}

/// The last line of the regex crate's message ("error: unclosed group"), without the
/// pattern echo and caret lines that do not fit a one-line title.
fn regex_reason(err: &regex::Error) -> String {
    let text = err.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_owned()
}

fn list_arg(
    op: &str,
    value: &Node,
    non_empty: bool,
    cx: &mut Ctx,
) -> Option<Vec<serde_json::Value>> {
    match &value.value {
        NodeValue::Seq(items) if !(non_empty && items.is_empty()) => {
            items.iter().map(|i| cx.json(i)).collect::<Option<Vec<_>>>()
        }
        _ => {
            let what = if non_empty {
                "a non-empty list"
            } else {
                "a list"
            };
            cx.error(
                value.pos,
                format!("`{op}` takes {what}, found {}", value.kind_name()),
                format!("write the values in brackets, e.g. `{{{op}: [vip, VIP]}}`"),
            );
            None
        }
    }
}

/// The matchers of `all_of`/`any_of`: a non-empty list, each item a whole matcher.
fn nested_arg(
    op: &str,
    key: &Node,
    value: &Node,
    depth: usize,
    cx: &mut Ctx,
) -> Option<Vec<Matcher>> {
    if depth >= MAX_NESTING {
        cx.error(
            key.pos,
            format!("`all_of`/`any_of` nested more than {MAX_NESTING} deep"),
            "flatten the matcher: an `all_of` inside an `all_of` (or an `any_of` inside an \
             `any_of`) can be one list",
        );
        return None;
    }
    let items = match &value.value {
        NodeValue::Seq(items) if !items.is_empty() => items,
        _ => {
            cx.error(
                value.pos,
                format!(
                    "`{op}` takes a non-empty list of matchers, found {}",
                    value.kind_name()
                ),
                format!(
                    "write the matchers in brackets, e.g. `{{{op}: [{{gte: 0}}, {{lte: 40}}]}}`"
                ),
            );
            return None;
        }
    };
    // Every item is parsed, so that all of their problems are reported at once.
    let parsed: Vec<Option<Matcher>> = items.iter().map(|i| parse_at(i, depth + 1, cx)).collect();
    parsed.into_iter().collect()
}

pub(super) fn number_arg(op: &str, value: &Node, cx: &mut Ctx) -> Option<f64> {
    let n = value.as_f64();
    if n.is_none() {
        cx.error(
            value.pos,
            format!("`{op}` takes a number, found {}", value.kind_name()),
            format!("write a number without quotes, e.g. `{{{op}: 2}}`"),
        );
    }
    n
}

fn tol_arg(value: &Node, cx: &mut Ctx) -> Option<f64> {
    let tol = number_arg("tol", value, cx)?;
    if tol < 0.0 {
        cx.error(
            value.pos,
            format!("`tol` must be 0 or more, found {tol}"),
            "the tolerance is a distance: write it without a sign, e.g. `tol: 0.1`",
        );
        return None;
    }
    Some(tol)
}

fn any_arg(value: &Node, cx: &mut Ctx) -> Option<MatchOp> {
    match value.value {
        NodeValue::Bool(true) => Some(MatchOp::Any),
        NodeValue::Bool(false) => {
            cx.error(
                value.pos,
                "`any: false` never matches",
                "to require that a field is not extracted, list it under `no_fields`",
            );
            None
        }
        _ => {
            cx.error(
                value.pos,
                format!("`any` takes `true`, found {}", value.kind_name()),
                "write `{any: true}` to accept any value",
            );
            None
        }
    }
}

fn type_arg(value: &Node, cx: &mut Ctx) -> Option<ValueType> {
    // `type: null` reads as YAML null, not the text "null".
    if value.value == NodeValue::Null {
        return Some(ValueType::Null);
    }
    let name = string_arg("type", value, cx)?;
    let found = ValueType::from_name(name);
    if found.is_none() {
        cx.error(
            value.pos,
            format!("unknown value type `{name}`"),
            suggest(name, &ValueType::NAMES),
        );
    }
    found
}
