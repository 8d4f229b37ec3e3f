//! Validation of a persona's `expect:`: `submitted` (default true), `fields` (`said`,
//! `facts`, or a mapping of fact keys to matchers, parsed and checked as a turn's
//! `fields` are), and the counts `turns` and `re_asks` (a whole number or a number range
//! written as a matcher: `{lte: 6}`, `{between: [2, 6]}`).
//!
//! Owns what a persona's conversation must achieve; must not evaluate it.

use crate::suite::context::Ctx;
use crate::suite::expect::{field_expects, located};
use crate::suite::form_keys::FormKeys;
use crate::suite::matcher::{Bound, MatchOp, NumRange};
use crate::suite::matcher_parse::parse_matcher;
use crate::suite::model::{FieldsExpect, Located, PersonaExpect};
use crate::suite::node::{Node, NodeValue, Pos};
use crate::suite::raw::RawPersonaExpect;
use serde_json::Value;
use serde_saphyr::Spanned;

/// The keys of `facts` as written (even where a value is broken), with their lines, so
/// that `declines`, `say` and `expect` are checked against them whatever else is wrong.
pub struct Facts(Vec<(String, usize)>);

impl Facts {
    pub fn written(node: Option<&Node>) -> Facts {
        let keys = match node.map(|n| &n.value) {
            Some(NodeValue::Map(entries)) => entries
                .iter()
                .filter_map(|(k, _)| Some((k.scalar_text()?, k.pos.line)))
                .collect(),
            _ => Vec::new(),
        };
        Facts(keys)
    }

    /// The line of fact `key`, if it is one.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, line)| *line)
    }
}

pub fn persona_expect(
    raw: Option<Spanned<RawPersonaExpect>>,
    facts: &Facts,
    max_turns: u32,
    keys: &FormKeys,
    cx: &mut Ctx,
) -> Option<PersonaExpect> {
    let Some(raw) = raw else {
        return Some(PersonaExpect {
            submitted: true,
            fields: FieldsExpect::Said,
            turns: None,
            re_asks: None,
            loc: None,
        });
    };
    let start = cx.diagnostics.len();
    let loc = cx.loc(Pos::of(&raw).start());
    let raw = raw.value;
    let submitted = raw.submitted.as_ref().is_none_or(|s| s.value);
    let fields = match &raw.fields {
        None => Some(FieldsExpect::Said),
        Some(node) => fields(node, facts, keys, cx),
    };
    let turns = raw.turns.as_ref().and_then(|n| count(n, "turns", 1, cx));
    if let Some(turns) = &turns {
        turns_fit(turns, max_turns, raw.submitted.as_ref(), cx);
    }
    let re_asks = raw
        .re_asks
        .as_ref()
        .and_then(|n| count(n, "re_asks", 0, cx));
    let expect = PersonaExpect {
        submitted,
        fields: fields?,
        turns,
        re_asks,
        loc: Some(loc),
    };
    (cx.diagnostics.len() == start).then_some(expect)
}

/// `said`, `facts`, or `{key: matcher}` over keys of `facts`.
fn fields(node: &Node, facts: &Facts, keys: &FormKeys, cx: &mut Ctx) -> Option<FieldsExpect> {
    let help = "write `said` (every fact the user said), `facts` (every fact, even unasked) \
                or a mapping of fact keys to matchers, e.g. `{email: {regex: \"@\"}}`";
    let entries = match &node.value {
        NodeValue::String(s) if s == "said" => return Some(FieldsExpect::Said),
        NodeValue::String(s) if s == "facts" => return Some(FieldsExpect::Facts),
        NodeValue::String(s) => {
            let help = match crate::common::diagnostic::closest(s, &["said", "facts"]) {
                Some(c) => format!("did you mean `{c}`?"),
                None => help.to_owned(),
            };
            cx.error(
                node.pos,
                format!("unknown `fields` expectation `{s}`"),
                help,
            );
            return None;
        }
        NodeValue::Map(entries) => entries,
        _ => {
            let title = format!(
                "`fields` takes `said`, `facts` or a mapping, found {}",
                node.kind_name()
            );
            cx.error(node.pos, title, help);
            return None;
        }
    };
    for (key, _) in entries {
        let text = key.scalar_text().unwrap_or_default();
        if keys.has(&text) && facts.line(&text).is_none() {
            cx.error(
                key.pos,
                format!("`{text}` is expected but not in `facts`"),
                format!(
                    "the user can give only what it knows: add `{text}` to `facts`, or \
                     remove it from `expect.fields`"
                ),
            );
        }
    }
    field_expects(Some(node), keys, cx).map(FieldsExpect::Map)
}

/// A count of at least `least`: a whole number, or a number range holding one.
fn count(node: &Node, what: &str, least: u32, cx: &mut Ctx) -> Option<Located<NumRange>> {
    let help = format!(
        "write a whole number (`{what}: 3`) or a range: `{{lte: 6}}`, `{{gte: 2}}`, \
         `{{between: [2, 6]}}`"
    );
    let matcher = parse_matcher(node, cx)?;
    let range = match (&matcher.op, &matcher.display) {
        (Some(MatchOp::Eq(Value::Number(n))), None) => {
            let Some(n) = n.as_u64().filter(|n| *n >= u64::from(least)) else {
                let title = format!("`{what}` is a count of at least {least}, found {n}");
                cx.error(node.pos, title, help);
                return None;
            };
            let end = Some(Bound {
                value: n as f64,
                inclusive: true,
            });
            NumRange {
                low: end,
                high: end,
            }
        }
        (Some(MatchOp::Range(range)), None) => *range,
        _ => {
            let title = format!(
                "`{what}` takes a count or a number range, found {}",
                matcher.describe()
            );
            cx.error(node.pos, title, help);
            return None;
        }
    };
    if smallest_count(&range, least).is_none() {
        cx.error(
            node.pos,
            format!("no count of {what} is {}", range.describe()),
            format!("{what} is a whole number of at least {least}: {help}"),
        );
        return None;
    }
    Some(located(range, node.pos, cx))
}

/// The smallest whole number ≥ `least` in `range`, if any.
fn smallest_count(range: &NumRange, least: u32) -> Option<u64> {
    let least = f64::from(least);
    let from = match range.low {
        None => least,
        Some(b) if b.inclusive => b.value.ceil().max(least),
        Some(b) => (b.value.floor() + 1.0).max(least),
    };
    // Counts past 2^53 are not counts a conversation reaches.
    (from < 9.0e15 && range.contains(from)).then_some(from as u64)
}

/// `turns` must be reachable within `max_turns`, and needs a submission to count to.
fn turns_fit(
    turns: &Located<NumRange>,
    max_turns: u32,
    submitted: Option<&Spanned<bool>>,
    cx: &mut Ctx,
) {
    let pos = Pos {
        line: turns.loc.line,
        column: turns.loc.column,
        len: 1,
    };
    if let Some(s) = submitted.filter(|s| !s.value) {
        cx.error(
            Pos::of(s),
            "`turns` counts the messages until the submission, but `submitted: false` expects none",
            "remove `turns`, or expect `submitted: true`",
        );
        return;
    }
    if smallest_count(&turns.value, 1).is_some_and(|n| n > u64::from(max_turns)) {
        cx.error(
            pos,
            format!(
                "`turns` expects {} but the user sends at most {max_turns} messages",
                turns.value.describe()
            ),
            "raise `max_turns` (default 12), or expect fewer turns",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(low: Option<(f64, bool)>, high: Option<(f64, bool)>) -> NumRange {
        let bound = |(value, inclusive)| Bound { value, inclusive };
        NumRange {
            low: low.map(bound),
            high: high.map(bound),
        }
    }

    #[test]
    fn smallest_count_is_a_whole_number_in_range() {
        assert_eq!(smallest_count(&range(None, Some((6.0, true))), 1), Some(1));
        assert_eq!(smallest_count(&range(Some((2.5, true)), None), 1), Some(3));
        assert_eq!(smallest_count(&range(Some((3.0, false)), None), 0), Some(4));
        assert_eq!(smallest_count(&range(None, Some((1.0, false))), 1), None);
        let between = range(Some((2.2, true)), Some((2.8, true)));
        assert_eq!(smallest_count(&between, 0), None);
    }
}
