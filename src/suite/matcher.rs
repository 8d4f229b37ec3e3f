//! Value matchers of the suite format (`eq`, `regex`, `one_of`, `approx`, number ranges,
//! `all_of`/`any_of`, ...).
//!
//! A matcher is built by the loader (regexes compiled once) and evaluated by the runner;
//! evaluation is pure and never fails: a mismatch is `false`, not an error.

use regex::Regex;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Boolean,
    List,
    Object,
    Null,
}

/// One matcher operator.
#[derive(Debug, Clone)]
pub enum MatchOp {
    /// A plain value or `eq:`; numbers compare numerically, strings exactly.
    Eq(Value),
    Ne(Value),
    /// Case-insensitive string equality.
    Ieq(String),
    Regex(Regex),
    /// Substring of a string, or subset of a list.
    Contains(Value),
    OneOf(Vec<Value>),
    /// Unordered list equality.
    Set(Vec<Value>),
    Approx {
        value: f64,
        tol: f64,
    },
    /// `gt`/`gte`/`lt`/`lte` (one lower and one upper bound at most) or `between`.
    /// Only JSON numbers match: a string holding digits is not a number.
    Range(NumRange),
    /// `any: true`: present, any value.
    Any,
    Type(ValueType),
    /// Every matcher matches.
    AllOf(Vec<Matcher>),
    /// At least one matcher matches.
    AnyOf(Vec<Matcher>),
}

/// One end of a number range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

/// A number range; a missing end is open. The loader never builds an empty one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumRange {
    pub low: Option<Bound>,
    pub high: Option<Bound>,
}

/// A matcher: an operator and/or a `display:` matcher on `displayValue`.
/// At least one of the two is present.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub op: Option<MatchOp>,
    pub display: Option<Box<Matcher>>,
}

/// Operator names, in the order the format documents them (also the "did you mean" list).
pub const OPERATORS: [&str; 18] = [
    "eq", "ne", "ieq", "regex", "contains", "one_of", "set", "approx", "gt", "gte", "lt", "lte",
    "between", "any", "type", "all_of", "any_of", "display",
];

impl ValueType {
    pub const NAMES: [&'static str; 6] = ["string", "number", "boolean", "list", "object", "null"];

    pub fn from_name(name: &str) -> Option<ValueType> {
        Some(match name {
            "string" => ValueType::String,
            "number" => ValueType::Number,
            "boolean" => ValueType::Boolean,
            "list" => ValueType::List,
            "object" => ValueType::Object,
            "null" => ValueType::Null,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Number => "number",
            ValueType::Boolean => "boolean",
            ValueType::List => "list",
            ValueType::Object => "object",
            ValueType::Null => "null",
        }
    }

    pub fn of(value: &Value) -> ValueType {
        match value {
            Value::String(_) => ValueType::String,
            Value::Number(_) => ValueType::Number,
            Value::Bool(_) => ValueType::Boolean,
            Value::Array(_) => ValueType::List,
            Value::Object(_) => ValueType::Object,
            Value::Null => ValueType::Null,
        }
    }
}

impl Matcher {
    /// A plain-value matcher (`field: value`).
    pub fn eq(value: Value) -> Matcher {
        Matcher {
            op: Some(MatchOp::Eq(value)),
            display: None,
        }
    }

    /// Whether a present `value` (and its `displayValue`, if the chunk had one) matches.
    /// A `display:` matcher fails when there is no `displayValue`.
    pub fn matches(&self, value: &Value, display_value: Option<&str>) -> bool {
        let op_ok = self
            .op
            .as_ref()
            .is_none_or(|op| op.matches(value, display_value));
        let display_ok = match (&self.display, display_value) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(m), Some(shown)) => m.matches(&Value::String(shown.to_owned()), None),
        };
        op_ok && display_ok
    }

    /// A short text of what is expected, e.g. `"Dana"`, `regex ^dana@`, `approx 2 ± 0.1`.
    pub fn describe(&self) -> String {
        match (&self.op, &self.display) {
            (Some(op), None) => op.describe(),
            (Some(op), Some(d)) => format!("{}, displayed as {}", op.describe(), d.describe()),
            (None, Some(d)) => format!("displayed as {}", d.describe()),
            (None, None) => "any value".to_owned(),
        }
    }
}

impl NumRange {
    pub fn contains(&self, n: f64) -> bool {
        let above = self
            .low
            .is_none_or(|b| n > b.value || (b.inclusive && n == b.value));
        let below = self
            .high
            .is_none_or(|b| n < b.value || (b.inclusive && n == b.value));
        above && below
    }

    /// No number is in the range (`gte: 5, lt: 5`, `between: [9, 1]`).
    pub fn is_empty(&self) -> bool {
        match (self.low, self.high) {
            (Some(l), Some(h)) => {
                l.value > h.value || (l.value == h.value && !(l.inclusive && h.inclusive))
            }
            _ => false,
        }
    }

    /// `>= 3`, `between 0 and 40` (both ends inclusive), `> 0 and < 1`.
    pub fn describe(&self) -> String {
        let side = |b: Bound, strict: &str, loose: &str| {
            let op = if b.inclusive { loose } else { strict };
            format!("{op} {}", b.value)
        };
        match (self.low, self.high) {
            (Some(l), Some(h)) if l.inclusive && h.inclusive => {
                format!("between {} and {}", l.value, h.value)
            }
            (Some(l), Some(h)) => format!("{} and {}", side(l, ">", ">="), side(h, "<", "<=")),
            (Some(l), None) => side(l, ">", ">="),
            (None, Some(h)) => side(h, "<", "<="),
            (None, None) => "any number".to_owned(),
        }
    }
}

impl MatchOp {
    /// `display` is the chunk's `displayValue`, for the `display:` matchers nested in
    /// `all_of`/`any_of`.
    pub fn matches(&self, value: &Value, display: Option<&str>) -> bool {
        match self {
            MatchOp::Eq(expected) => json_eq(expected, value),
            MatchOp::Ne(expected) => !json_eq(expected, value),
            MatchOp::Ieq(expected) => value
                .as_str()
                .is_some_and(|s| s.to_lowercase() == expected.to_lowercase()),
            MatchOp::Regex(re) => value.as_str().is_some_and(|s| re.is_match(s)),
            MatchOp::Contains(needle) => contains(value, needle),
            MatchOp::OneOf(choices) => choices.iter().any(|c| json_eq(c, value)),
            MatchOp::Set(expected) => value.as_array().is_some_and(|a| same_multiset(expected, a)),
            MatchOp::Approx { value: target, tol } => {
                number(value).is_some_and(|n| within(n, *target, *tol))
            }
            MatchOp::Range(range) => number(value).is_some_and(|n| range.contains(n)),
            MatchOp::Any => true,
            MatchOp::Type(t) => ValueType::of(value) == *t,
            MatchOp::AllOf(all) => all.iter().all(|m| m.matches(value, display)),
            MatchOp::AnyOf(any) => any.iter().any(|m| m.matches(value, display)),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            MatchOp::Eq(v) => json_text(v),
            MatchOp::Ne(v) => format!("not {}", json_text(v)),
            MatchOp::Ieq(s) => format!("{} (any case)", json_text(&Value::String(s.clone()))),
            MatchOp::Regex(re) => format!("regex {}", re.as_str()),
            MatchOp::Contains(v) => format!("contains {}", json_text(v)),
            MatchOp::OneOf(vs) => format!("one of {}", json_text(&Value::Array(vs.clone()))),
            MatchOp::Set(vs) => format!("{} in any order", json_text(&Value::Array(vs.clone()))),
            MatchOp::Approx { value, tol } => format!("approx {value} ± {tol}"),
            MatchOp::Range(range) => range.describe(),
            MatchOp::Any => "any value".to_owned(),
            MatchOp::Type(t) => format!("any {}", t.name()),
            MatchOp::AllOf(all) => format!("all of ({})", describe_each(all)),
            MatchOp::AnyOf(any) => format!("any of ({})", describe_each(any)),
        }
    }
}

fn describe_each(matchers: &[Matcher]) -> String {
    let parts: Vec<String> = matchers.iter().map(Matcher::describe).collect();
    parts.join("; ")
}

fn json_text(value: &Value) -> String {
    // Serializing a `Value` cannot fail (its map keys are strings); the fallback is a guard.
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// `|n - target| <= tol`, forgiving the last bits of float rounding so that 1.9 is within
/// 0.1 of 2 as the user means it.
fn within(n: f64, target: f64, tol: f64) -> bool {
    let slack = 4.0 * f64::EPSILON * n.abs().max(target.abs()).max(1.0);
    (n - target).abs() <= tol + slack
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

/// Equality where numbers compare by value (`2 == 2.0`) at any depth; strings exactly.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            // Both integers: compare exactly, since f64 loses precision above 2^53.
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| json_eq(x, y)))
        }
        _ => a == b,
    }
}

/// Substring of a string; for a list value, a list needle is a subset and any other needle
/// is an element.
fn contains(value: &Value, needle: &Value) -> bool {
    match (value, needle) {
        (Value::String(s), Value::String(n)) => s.contains(n.as_str()),
        (Value::Array(items), Value::Array(wanted)) => {
            wanted.iter().all(|w| items.iter().any(|i| json_eq(i, w)))
        }
        (Value::Array(items), single) => items.iter().any(|i| json_eq(i, single)),
        _ => false,
    }
}

/// Unordered equality, counting duplicates (`[a, a, b]` is not `[a, b, b]`).
fn same_multiset(expected: &[Value], actual: &[Value]) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        let slot = actual
            .iter()
            .enumerate()
            .position(|(i, a)| !used[i] && json_eq(e, a));
        match slot {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "matcher_range_tests.rs"]
mod range_tests;
