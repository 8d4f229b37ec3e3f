//! Value matchers of the suite format (`eq`, `regex`, `one_of`, `approx`, ...).
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
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    /// `any: true`: present, any value.
    Any,
    Type(ValueType),
}

/// A matcher: an operator and/or a `display:` matcher on `displayValue`.
/// At least one of the two is present.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub op: Option<MatchOp>,
    pub display: Option<Box<Matcher>>,
}
