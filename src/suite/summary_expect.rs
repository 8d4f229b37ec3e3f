//! The suite's `summary:` block: what the Generate Form Summary answer for the suite's
//! form must satisfy — text matchers (`contains`, `regex`, `ieq`, ...: the value matchers
//! applied to the summary string), `mentions` (field keys or labels whose label the
//! summary must name, case-insensitive) and `max_length` (in characters).
//!
//! Owns the model and its validation with located errors. It must not call the API nor
//! judge a summary against it beyond the pure [`SummaryExpect::check`].

use crate::common::diagnostic::suggest;
use crate::suite::context::Ctx;
use crate::suite::matcher::{Matcher, OPERATORS};
use crate::suite::matcher_parse::parse_matcher;
use crate::suite::model::{Form, Loc, Located};
use crate::suite::node::{Node, NodeValue};
use serde_json::Value;

/// The keys a `summary:` block may hold besides the matcher operators.
const OWN_KEYS: [&str; 2] = ["mentions", "max_length"];

/// Matcher keys that make no sense on a summary string (`display` reads a displayValue,
/// `tol` only stands beside `approx`).
const NOT_FOR_TEXT: [&str; 2] = ["display", "tol"];

/// `summary:` as validated.
#[derive(Debug, Clone)]
pub struct SummaryExpect {
    /// Where `summary:` is written.
    pub loc: Loc,
    /// Each operator as its own matcher on the summary string, all of which must hold.
    pub text: Vec<Located<Matcher>>,
    pub mentions: Vec<Located<Mention>>,
    pub max_length: Option<Located<usize>>,
}

/// A field the summary must name.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// As written in the suite (a key or a label).
    pub written: String,
    /// The field's label, which the summary must contain (case-insensitive).
    pub label: String,
}

/// One expectation of `summary:` that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryMiss {
    pub loc: Loc,
    /// `summary`, `summary.mentions` or `summary.max_length`.
    pub subject: String,
    pub expected: String,
    pub actual: String,
}

impl SummaryExpect {
    /// Every expectation `summary` breaks, in the order written.
    pub fn check(&self, summary: &str) -> Vec<SummaryMiss> {
        let mut misses = Vec::new();
        let value = Value::String(summary.to_string());
        for matcher in &self.text {
            if !matcher.value.matches(&value, None) {
                misses.push(SummaryMiss {
                    loc: matcher.loc.clone(),
                    subject: "summary".to_string(),
                    expected: matcher.value.describe(),
                    actual: format!("{summary:?}"),
                });
            }
        }
        let lower = summary.to_lowercase();
        for mention in &self.mentions {
            if !lower.contains(&mention.value.label.to_lowercase()) {
                misses.push(SummaryMiss {
                    loc: mention.loc.clone(),
                    subject: "summary.mentions".to_string(),
                    expected: format!("mentions {:?} (any case)", mention.value.label),
                    actual: format!("{summary:?}"),
                });
            }
        }
        if let Some(max) = &self.max_length {
            let length = summary.chars().count();
            if length > max.value {
                misses.push(SummaryMiss {
                    loc: max.loc.clone(),
                    subject: "summary.max_length".to_string(),
                    expected: format!("at most {} characters", max.value),
                    actual: format!("{length} characters"),
                });
            }
        }
        misses
    }
}

/// Validates `summary:` against the suite's form (`None` when the form itself is
/// invalid: mentions are then not checked). `None` when anything is wrong.
pub fn validate_summary(node: &Node, form: Option<&Form>, cx: &mut Ctx) -> Option<SummaryExpect> {
    let NodeValue::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            format!("`summary` must be a mapping, found {}", node.kind_name()),
            "write e.g. `summary: {contains: contact, mentions: [email], max_length: 255}`",
        );
        return None;
    };
    if entries.is_empty() {
        cx.error(
            node.pos.start(),
            "empty `summary`",
            "expect something of the summary, e.g. `mentions: [email]`, or remove `summary`",
        );
        return None;
    }
    let mut expect = SummaryExpect {
        loc: cx.loc(node.pos.start()),
        text: Vec::new(),
        mentions: Vec::new(),
        max_length: None,
    };
    let mut ok = true;
    for (key, value) in entries {
        let name = key.scalar_text().unwrap_or_default();
        ok &= match name.as_str() {
            "mentions" => mentions(value, form, cx).map(|m| expect.mentions = m),
            "max_length" => max_length(value, cx).map(|m| expect.max_length = Some(m)),
            op if OPERATORS.contains(&op) && !NOT_FOR_TEXT.contains(&op) => {
                // One operator per matcher: `contains` and `regex` side by side both hold.
                let single = Node {
                    value: NodeValue::Map(vec![(key.clone(), value.clone())]),
                    pos: key.pos,
                };
                parse_matcher(&single, cx).map(|m| {
                    expect.text.push(Located {
                        value: m,
                        loc: cx.loc(key.pos),
                    })
                })
            }
            other => {
                let mut names: Vec<&str> = OWN_KEYS.to_vec();
                names.extend(OPERATORS.iter().filter(|o| !NOT_FOR_TEXT.contains(o)));
                cx.error(
                    key.pos,
                    format!("unknown key `{other}` in `summary`"),
                    suggest(other, &names),
                );
                None
            }
        }
        .is_some();
    }
    ok.then_some(expect)
}

fn max_length(node: &Node, cx: &mut Ctx) -> Option<Located<usize>> {
    let value = match &node.value {
        NodeValue::Number(n) => n.as_u64().filter(|n| *n > 0),
        _ => None,
    };
    let Some(value) = value.and_then(|n| usize::try_from(n).ok()) else {
        cx.error(
            node.pos,
            "`max_length` must be a positive whole number of characters",
            "write e.g. `max_length: 255` (the documented limit of a form summary)",
        );
        return None;
    };
    Some(Located {
        value,
        loc: cx.loc(node.pos),
    })
}

fn mentions(node: &Node, form: Option<&Form>, cx: &mut Ctx) -> Option<Vec<Located<Mention>>> {
    let NodeValue::Seq(items) = &node.value else {
        cx.error(
            node.pos,
            format!("`mentions` must be a list, found {}", node.kind_name()),
            "write field keys or labels in brackets, e.g. `mentions: [email, first_name]`",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(written) = item.as_str() else {
            cx.error(
                item.pos,
                format!(
                    "a mention must be a field key or label, found {}",
                    item.kind_name()
                ),
                "write the field's key or its label as text",
            );
            ok = false;
            continue;
        };
        let Some(form) = form else { continue };
        match mentioned_label(form, written) {
            Some(label) => out.push(Located {
                value: Mention {
                    written: written.to_string(),
                    label,
                },
                loc: cx.loc(item.pos),
            }),
            None => {
                let mut names: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
                names.extend(form.fields.iter().map(|f| f.label.as_str()));
                cx.error(
                    item.pos,
                    format!("`{written}` is neither a field key nor a label of the form"),
                    suggest(written, &names),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// The label of the field keyed `written`, else of the field labelled so (any case).
fn mentioned_label(form: &Form, written: &str) -> Option<String> {
    form.field(written)
        .or_else(|| {
            form.fields
                .iter()
                .find(|f| f.label.to_lowercase() == written.to_lowercase())
        })
        .map(|f| f.label.clone())
}

#[cfg(test)]
#[path = "summary_expect_tests.rs"]
mod tests;
