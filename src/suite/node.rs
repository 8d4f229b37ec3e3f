//! A YAML value tree where every node and every mapping key keeps its source position.
//!
//! Typed raw structs cover the fixed shape of a suite; the free-form parts (matchers,
//! `chunks`, `prefill`, option values) are read as [`Node`]s so the validator can point at
//! the exact key or value that is wrong, e.g. the `regx` in `{regx: "^a"}`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::{Location, Spanned};
use std::fmt;

pub use crate::common::diagnostic::Pos;

impl Pos {
    pub fn from_location(loc: &Location) -> Pos {
        Pos {
            line: usize::try_from(loc.line()).unwrap_or(usize::MAX),
            column: usize::try_from(loc.column()).unwrap_or(usize::MAX),
            len: usize::try_from(loc.span().len()).unwrap_or(1),
        }
    }

    /// Where a spanned value is used (for an alias: the `*alias`, not the anchor).
    pub fn of<T>(spanned: &Spanned<T>) -> Pos {
        Pos::from_location(&spanned.referenced)
    }

    /// The same position underlining nothing but its first character: for a mapping, whose
    /// span would otherwise cover the whole block.
    pub fn start(self) -> Pos {
        Pos { len: 1, ..self }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(Vec<Node>),
    /// Entries in source order; keys are nodes so that their position is kept.
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub pos: Pos,
}

/// A node that cannot become JSON (a mapping key that is itself a list or a mapping).
#[derive(Debug, Clone, PartialEq)]
pub struct NotJson {
    pub pos: Pos,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            NodeValue::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The text of a scalar, as a mapping key or an option label would show it.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            NodeValue::Null => Some("null".to_owned()),
            NodeValue::Bool(b) => Some(b.to_string()),
            NodeValue::Number(n) => Some(n.to_string()),
            NodeValue::String(s) => Some(s.clone()),
            NodeValue::Seq(_) | NodeValue::Map(_) => None,
        }
    }

    /// A short name of the node's kind for error messages ("a list", "a mapping").
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::Seq(items) if items.is_empty() => "an empty list",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON; scalar mapping keys become their text, as JSON keys must be strings.
    pub fn to_json(&self) -> Result<Value, NotJson> {
        Ok(match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => {
                Value::Array(items.iter().map(Node::to_json).collect::<Result<_, _>>()?)
            }
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    let text = key.scalar_text().ok_or(NotJson { pos: key.pos })?;
                    map.insert(text, value.to_json()?);
                }
                Value::Object(map)
            }
        })
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let spanned = Spanned::<NodeValue>::deserialize(deserializer)?;
        let mut pos = Pos::of(&spanned);
        if matches!(spanned.value, NodeValue::Map(_) | NodeValue::Seq(_)) {
            pos = pos.start();
        }
        Ok(Node {
            value: spanned.value,
            pos,
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<NodeValue, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<NodeValue, E> {
        // JSON has no NaN or infinity; the parser already rejects them, this is a backstop.
        Number::from_f64(n)
            .map(NodeValue::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E>(self, s: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<NodeValue, E> {
        Ok(NodeValue::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(NodeValue::Map(entries))
    }
}
