//! The suite file as written: serde types that mirror the YAML one to one, and the source of
//! the suite's JSON Schema (`convoy schema`, see [`crate::suite::schema`]).
//!
//! Every struct denies unknown keys, so a typo is an error rather than a silently ignored
//! expectation. Keys that the format requires are still `Option` here: the validator reports
//! a missing one at the start of its mapping, together with every other problem, instead of
//! serde stopping at the first. Free-form parts (matchers, `chunks`, values) are [`Node`]s.
//!
//! Doc comments are the schema's descriptions (an editor shows them on hover), so they speak
//! to suite authors. `Spanned` is foreign to both serde-saphyr and schemars, so every spanned
//! field names the type its schema is taken from (`with = ...`): the plain value, or a shape
//! from [`shape`] for a [`Node`]. A key the validator requires is described as the plain,
//! non-optional type, which makes it `required` in the schema. This module must not
//! validate: that is the validator's job, with positions.

use crate::suite::node::Node;
use crate::suite::schema_shapes as shape;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

type S<T> = Spanned<T>;

/// A convoy suite: one form, and the conversations and personas that test an assistant
/// filling it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "convoy suite")]
pub struct RawSuite {
    /// The suite format's version: `1`, the only one there is.
    #[schemars(with = "Option<shape::Version>")]
    pub version: Option<Node>,
    /// The suite's name in reports (default: the file name without extension). Not empty.
    #[schemars(with = "Option<shape::Text>", length(min = 1))]
    pub name: Option<S<String>>,
    /// Free text, for people reading the suite.
    #[schemars(with = "Option<shape::Text>")]
    pub description: Option<String>,
    /// The form under test (required).
    #[schemars(with = "RawForm")]
    pub form: Option<S<RawForm>>,
    /// Inherited by every conversation that does not set its own.
    #[schemars(with = "Option<RawDefaults>")]
    pub defaults: Option<S<RawDefaults>>,
    /// Scripted conversations: fixed user messages and the expected responses. A file
    /// without conversations and personas is a form-only file (for `convoy mock --forms`).
    #[schemars(with = "Option<Vec<RawConversation>>")]
    pub conversations: Option<Vec<S<RawConversation>>>,
    /// Simulated users: what they know and how they behave, instead of fixed messages.
    #[schemars(with = "Option<Vec<RawPersona>>")]
    pub personas: Option<Vec<S<RawPersona>>>,
    /// Run-level pass/fail criteria such as `send.p95<2s` or `pass_rate>=0.99`.
    #[schemars(with = "Option<Vec<String>>")]
    pub thresholds: Option<Vec<S<String>>>,
    /// Expectations of the summary Generate Form Summary writes for the form: text
    /// matchers (`contains`, `regex`, ...), `mentions` (fields it must name) and
    /// `max_length`. Checked once per run.
    #[schemars(with = "Option<shape::SummaryExpect>")]
    pub summary: Option<Node>,
}

/// The form the assistant fills.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawForm {
    /// The form's id: a GUID, or a whole `${VAR}` placeholder read from the environment
    /// by `convoy run`.
    #[schemars(with = "String", regex(pattern = shape::FORM_ID_PATTERN))]
    pub id: Option<S<String>>,
    /// The form's display name.
    #[schemars(with = "Option<shape::Text>")]
    pub name: Option<String>,
    /// The form's fields (at least one); every key an expectation names must be one of them.
    #[schemars(with = "Vec<RawField>", length(min = 1))]
    pub fields: Option<S<Vec<S<RawField>>>>,
}

/// One field of the form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    {
        "if": {"required": ["type"], "properties": {"type": {"not": {"const": "string"}}}},
        "then": {"properties": {"format": {"type": "null"}}}
    },
    {
        "if": {"required": ["type"], "properties": {"type": {"not": {"const": "number"}}}},
        "then": {"properties": {"min": {"type": "null"}, "max": {"type": "null"}}}
    }
]))]
pub struct RawField {
    /// The field's key: an ASCII letter, then letters, digits and `_`; unique in the form.
    #[schemars(
        with = "String",
        regex(pattern = r"^[A-Za-z][A-Za-z0-9_]*$"),
        length(max = 200)
    )]
    pub key: Option<S<String>>,
    /// The label shown to the user (default: the key).
    #[schemars(with = "Option<shape::Text>")]
    pub label: Option<String>,
    /// The JSON type of the field's value.
    #[serde(rename = "type")]
    #[schemars(with = "shape::FieldType")]
    pub field_type: Option<S<String>>,
    /// The format of a `string` field's value (only on `type: string`).
    #[schemars(with = "Option<shape::FieldFormat>")]
    pub format: Option<S<String>>,
    /// Whether the form needs the field before it can be submitted (default `false`).
    pub required: Option<bool>,
    /// The values the field accepts: a plain value each, or `{value, label}`.
    #[schemars(with = "Option<shape::FieldOptions>")]
    pub options: Option<Node>,
    /// The smallest value of a `number` field (only there; at most `max`).
    #[schemars(with = "Option<f64>")]
    pub min: Option<S<f64>>,
    /// The largest value of a `number` field (only there; at least `min`).
    #[schemars(with = "Option<f64>")]
    pub max: Option<S<f64>>,
}

/// Settings every conversation inherits unless it sets its own.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    /// Ask the API not to submit the form (default `true`).
    pub dry_run: Option<bool>,
    /// Read responses as a stream of chunks (default `false`).
    pub streamed: Option<bool>,
    /// The pause before each user message: a duration (`500ms`, `2s`) or a range
    /// (`1s..3s`). Default `0`.
    #[schemars(with = "Option<shape::DurationRange>")]
    pub think_time: Option<S<String>>,
    /// Runs of each conversation (at least 1; `--repeat N` overrides it).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub repeat: Option<S<i64>>,
    /// The share of a conversation's runs that must pass, from 0 to 1 (default 1: all).
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub min_pass_rate: Option<S<f64>>,
}

/// A scripted conversation: the user's messages and what each response must hold.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConversation {
    /// The conversation's name: not empty, unique in the file among conversations and
    /// personas. May hold `{{var}}` placeholders.
    #[schemars(with = "shape::Text", length(min = 1))]
    pub name: Option<S<String>>,
    /// Tags for `--filter`.
    #[schemars(with = "Option<Vec<shape::Text>>")]
    pub tags: Option<Vec<String>>,
    /// The conversation's share in a load mix (greater than 0, default 1).
    #[schemars(with = "Option<f64>", extend("exclusiveMinimum" = 0))]
    pub weight: Option<S<f64>>,
    /// Field values sent when the session is created (`currentValues`), by field key.
    #[schemars(with = "Option<shape::FieldValues>")]
    pub prefill: Option<Node>,
    /// Expectations on the response that creates the session.
    #[schemars(with = "Option<RawExpect>")]
    pub start: Option<S<RawExpect>>,
    /// The user's turns, in order (at least one).
    #[schemars(with = "Vec<RawTurn>", length(min = 1))]
    pub turns: Option<S<Vec<S<RawTurn>>>>,
    /// Expectations over the whole conversation.
    #[serde(rename = "final")]
    #[schemars(with = "Option<RawFinal>")]
    pub final_state: Option<S<RawFinal>>,
    /// Read responses as a stream (overrides `defaults.streamed`).
    pub streamed: Option<bool>,
    /// Runs of this conversation (at least 1; overrides `defaults.repeat`).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub repeat: Option<S<i64>>,
    /// The share of runs that must pass, from 0 to 1 (overrides `defaults.min_pass_rate`).
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub min_pass_rate: Option<S<f64>>,
    /// Values for `{{name}}` placeholders, filled in every expansion.
    #[schemars(with = "Option<shape::Vars>")]
    pub vars: Option<Node>,
    /// A CSV file (relative to the suite file) with a header row: one conversation per
    /// data row, each column a `{{column}}` placeholder.
    #[schemars(with = "Option<shape::Text>")]
    pub data: Option<S<String>>,
    /// The 1-based `data:` row this entry was expanded from; set by the expansion.
    #[serde(skip)]
    pub data_row: Option<usize>,
}

/// One user turn: a message, field values to set, or both.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{"required": ["user"]}, {"required": ["current_values"]}]))]
pub struct RawTurn {
    /// The user's message (at most 10,000 characters; may be empty).
    #[schemars(with = "Option<shape::Text>")]
    pub user: Option<S<String>>,
    /// Field values to set with this turn, by field key.
    #[schemars(with = "Option<shape::FieldValues>")]
    pub current_values: Option<Node>,
    /// Read this turn's response as a stream (overrides the conversation).
    pub streamed: Option<bool>,
    /// Expectations on this turn's response.
    #[schemars(with = "Option<RawExpect>")]
    pub expect: Option<S<RawExpect>>,
}

/// Expectations on one response: a turn's `expect:` or a conversation's `start:`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// Fields extracted in this response (TEXT_DATA), each with a matcher for its value.
    #[schemars(with = "Option<shape::FieldMatchers>")]
    pub fields: Option<Node>,
    /// Fields that must not be extracted in this response.
    #[schemars(with = "Option<Vec<String>>")]
    pub no_fields: Option<Vec<S<String>>>,
    /// The chunk types of the response.
    #[schemars(with = "Option<shape::Chunks>")]
    pub chunks: Option<Node>,
    /// A matcher for the response's TEXT chunks, joined by newlines.
    #[schemars(with = "Option<shape::Matcher>")]
    pub text: Option<Node>,
    /// An input chunk (select or number) the response must offer.
    #[schemars(with = "Option<RawPrompt>")]
    pub prompt: Option<S<RawPrompt>>,
    /// Whether a SUBMISSION chunk arrives.
    #[schemars(with = "Option<bool>")]
    pub submitted: Option<S<bool>>,
    /// Whether an ERROR chunk arrives.
    #[schemars(with = "Option<bool>")]
    pub error: Option<S<bool>>,
    /// The slowest acceptable response: one duration (`2s`, `800ms`), no range.
    #[schemars(with = "Option<shape::Duration>")]
    pub max_latency: Option<S<String>>,
}

/// An input chunk the response must offer for a field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    /// The field the input is for (its `fieldTarget`).
    #[schemars(with = "String")]
    pub field: Option<S<String>>,
    /// The input's chunk type (implied `NUMBER_INPUT` by `min`, `max`, `multiple_of`).
    #[schemars(with = "Option<shape::PromptKind>")]
    pub kind: Option<S<String>>,
    /// Option values the input must offer, compared as a set.
    #[schemars(with = "Option<Vec<shape::AnyValue>>")]
    pub options: Option<Node>,
    /// The NUMBER_INPUT's inclusive minimum.
    #[schemars(with = "Option<f64>")]
    pub min: Option<S<f64>>,
    /// The NUMBER_INPUT's inclusive maximum.
    #[schemars(with = "Option<f64>")]
    pub max: Option<S<f64>>,
    /// The NUMBER_INPUT's step (greater than 0).
    #[schemars(with = "Option<f64>", extend("exclusiveMinimum" = 0))]
    pub multiple_of: Option<S<f64>>,
}

/// Expectations over a whole conversation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFinal {
    /// Fields extracted by the end of the conversation, each with a matcher.
    #[schemars(with = "Option<shape::FieldMatchers>")]
    pub fields: Option<Node>,
    /// Fields never extracted in the conversation.
    #[schemars(with = "Option<Vec<String>>")]
    pub no_fields: Option<Vec<S<String>>>,
    /// Whether the form was submitted.
    #[schemars(with = "Option<bool>")]
    pub submitted: Option<S<bool>>,
}

/// A simulated user: what the user knows (`facts`) and how the user behaves (`style`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPersona {
    /// The persona's name: not empty, unique in the file among conversations and personas.
    #[schemars(with = "shape::Text", length(min = 1))]
    pub name: Option<S<String>>,
    /// Tags for `--filter`.
    #[schemars(with = "Option<Vec<shape::Text>>")]
    pub tags: Option<Vec<String>>,
    /// The persona's share in a load mix (greater than 0, default 1).
    #[schemars(with = "Option<f64>", extend("exclusiveMinimum" = 0))]
    pub weight: Option<S<f64>>,
    /// What the user knows, by field key, as the form stores the values (at least one).
    #[schemars(with = "shape::Facts")]
    pub facts: Option<Node>,
    /// How the user gives facts (default `reactive`).
    #[schemars(with = "Option<shape::Style>")]
    pub style: Option<S<String>>,
    /// The user's first message (at most 10,000 characters).
    #[schemars(with = "Option<shape::Text>", length(min = 1))]
    pub opening: Option<S<String>>,
    /// Fields the user refuses to give (fields of the form, not in `facts`).
    #[schemars(with = "Option<Vec<String>>")]
    pub declines: Option<Vec<S<String>>>,
    /// Phrasings for giving a fact, by fact key; `{value}` stands for the fact.
    #[schemars(with = "Option<shape::Say>")]
    pub say: Option<Node>,
    /// The most messages the user sends before giving up (1 to 100, default 12).
    #[schemars(with = "Option<i64>", range(min = 1, max = 100))]
    pub max_turns: Option<S<i64>>,
    /// What the whole conversation must achieve.
    #[schemars(with = "Option<RawPersonaExpect>")]
    pub expect: Option<S<RawPersonaExpect>>,
    /// Values for `{{name}}` placeholders, as on a conversation.
    #[schemars(with = "Option<shape::Vars>")]
    pub vars: Option<Node>,
    /// A CSV file: one persona per data row, as on a conversation.
    #[schemars(with = "Option<shape::Text>")]
    pub data: Option<S<String>>,
    #[serde(skip)]
    pub data_row: Option<usize>,
}

/// What a persona's whole conversation must achieve.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPersonaExpect {
    /// Whether the form is submitted (default `true`).
    #[schemars(with = "Option<bool>")]
    pub submitted: Option<S<bool>>,
    /// `said` (default: every fact the user said was extracted), `facts` (every fact was
    /// extracted), or a mapping of fact keys to matchers.
    #[schemars(with = "Option<shape::PersonaFields>")]
    pub fields: Option<Node>,
    /// User messages until the submission: a whole number (at least 1) or a range
    /// (`{lte: 6}`).
    #[schemars(with = "Option<shape::TurnCount>")]
    pub turns: Option<Node>,
    /// Questions for a field already extracted correctly: a whole number or a range.
    #[schemars(with = "Option<shape::ReAskCount>")]
    pub re_asks: Option<Node>,
}
