//! The suite file as written: serde types that mirror the YAML one to one.
//!
//! Every struct denies unknown keys, so a typo is an error rather than a silently ignored
//! expectation. Keys that the format requires are still `Option` here: the validator reports
//! a missing one at the start of its mapping, together with every other problem, instead of
//! serde stopping at the first. Free-form parts (matchers, `chunks`, values) are [`Node`]s.

use crate::suite::node::Node;
use serde::Deserialize;
use serde_saphyr::Spanned;

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSuite {
    pub version: Option<Node>,
    pub name: Option<S<String>>,
    pub description: Option<String>,
    pub form: Option<S<RawForm>>,
    pub defaults: Option<S<RawDefaults>>,
    pub conversations: Option<Vec<S<RawConversation>>>,
    /// Simulated users: what they know and how they behave, instead of fixed messages.
    pub personas: Option<Vec<S<RawPersona>>>,
    /// Threshold expressions (`send.p95<2s`), validated by [`crate::common::threshold::parse`].
    pub thresholds: Option<Vec<S<String>>>,
    /// Expectations of Generate Form Summary for the form, validated by
    /// [`crate::suite::summary_expect`].
    pub summary: Option<Node>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForm {
    pub id: Option<S<String>>,
    pub name: Option<String>,
    pub fields: Option<S<Vec<S<RawField>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub key: Option<S<String>>,
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub field_type: Option<S<String>>,
    pub format: Option<S<String>>,
    pub required: Option<bool>,
    pub options: Option<Node>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    pub dry_run: Option<bool>,
    pub streamed: Option<bool>,
    pub think_time: Option<S<String>>,
    pub repeat: Option<S<i64>>,
    pub min_pass_rate: Option<S<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConversation {
    pub name: Option<S<String>>,
    pub tags: Option<Vec<String>>,
    pub weight: Option<S<f64>>,
    pub prefill: Option<Node>,
    pub start: Option<S<RawExpect>>,
    pub turns: Option<S<Vec<S<RawTurn>>>>,
    #[serde(rename = "final")]
    pub final_state: Option<S<RawFinal>>,
    pub streamed: Option<bool>,
    pub repeat: Option<S<i64>>,
    pub min_pass_rate: Option<S<f64>>,
    /// `vars: {name: value}`: placeholders filled in every expansion.
    pub vars: Option<Node>,
    /// `data: file.csv`: one expansion per row (see [`crate::suite::expand`]).
    pub data: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTurn {
    pub user: Option<S<String>>,
    pub current_values: Option<Node>,
    pub streamed: Option<bool>,
    pub expect: Option<S<RawExpect>>,
}

/// Expectations on one response: a turn's `expect:` or a conversation's `start:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    pub fields: Option<Node>,
    pub no_fields: Option<Vec<S<String>>>,
    pub chunks: Option<Node>,
    pub text: Option<Node>,
    pub prompt: Option<S<RawPrompt>>,
    pub submitted: Option<S<bool>>,
    pub error: Option<S<bool>>,
    pub max_latency: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    pub field: Option<S<String>>,
    pub kind: Option<S<String>>,
    pub options: Option<Node>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
    pub multiple_of: Option<S<f64>>,
}

/// `final:` takes only the keys that make sense over a whole conversation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinal {
    pub fields: Option<Node>,
    pub no_fields: Option<Vec<S<String>>>,
    pub submitted: Option<S<bool>>,
}

/// A simulated user. `facts` and `say` are [`Node`]s so that each key keeps its position.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersona {
    pub name: Option<S<String>>,
    pub tags: Option<Vec<String>>,
    pub weight: Option<S<f64>>,
    pub facts: Option<Node>,
    pub style: Option<S<String>>,
    pub opening: Option<S<String>>,
    pub declines: Option<Vec<S<String>>>,
    pub say: Option<Node>,
    pub max_turns: Option<S<i64>>,
    pub expect: Option<S<RawPersonaExpect>>,
    /// As on a conversation (see [`crate::suite::expand`]).
    pub vars: Option<Node>,
    pub data: Option<S<String>>,
}

/// What a persona's whole conversation must achieve.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersonaExpect {
    pub submitted: Option<S<bool>>,
    /// `said`, `facts`, or a mapping of field keys to matchers.
    pub fields: Option<Node>,
    /// A count or a number range (`{lte: 6}`).
    pub turns: Option<Node>,
    pub re_asks: Option<Node>,
}
