//! The validated suite model: what the runner, the mock and the reports consume.
//!
//! These types are plain data built by the loader after validation; they never come
//! straight from YAML and never hold anything invalid. Every expectation keeps the
//! [`Loc`] it was written at so a failure can cite the suite line.

use crate::common::wire::{ChunkType, Values};
use crate::suite::matcher::{Matcher, NumRange};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A position in a suite file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

/// One loaded suite file.
#[derive(Debug, Clone)]
pub struct Suite {
    pub path: PathBuf,
    /// `name:`, or the file stem.
    pub name: String,
    pub description: Option<String>,
    pub form: Form,
    pub defaults: Defaults,
    /// Empty for a form-only file (for `convoy mock --forms`) and a personas-only one.
    pub conversations: Vec<Conversation>,
    /// Simulated users; their names and the conversations' names are one namespace.
    pub personas: Vec<Persona>,
    /// `thresholds:`, checked on the whole run.
    pub thresholds: Vec<Located<crate::common::threshold::Threshold>>,
    /// `summary:`, checked once per run against Generate Form Summary for `form`.
    pub summary: Option<crate::suite::summary_expect::SummaryExpect>,
}

/// A form as declared in a suite: what the mock serves for `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// A GUID, or a whole `${VAR}` placeholder that is resolved when a run is planned.
    pub id: FormId,
    pub name: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormId {
    Guid(String),
    /// `${NAME}`: read from the environment at plan time.
    Env {
        var: String,
        loc: Loc,
    },
}

impl Form {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Number,
    Boolean,
    Array,
    Object,
}

pub use crate::common::string_format::StringFormat;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldOption {
    pub value: Value,
    /// Defaults to the value's text.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    /// Defaults to the key.
    pub label: String,
    pub field_type: FieldType,
    pub format: Option<StringFormat>,
    pub required: bool,
    /// Empty when the field has no fixed options.
    pub options: Vec<FieldOption>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

pub use crate::common::duration::DurationRange;

#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub dry_run: bool,
    pub streamed: bool,
    pub think_time: DurationRange,
    pub repeat: Option<u32>,
    pub min_pass_rate: Option<f64>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            dry_run: true,
            streamed: false,
            think_time: DurationRange::default(),
            repeat: None,
            min_pass_rate: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub name: String,
    pub tags: Vec<String>,
    /// Share in a load mix; > 0, default 1.
    pub weight: f64,
    /// `currentValues` sent at create.
    pub prefill: Option<Values>,
    pub start: Option<Expect>,
    pub turns: Vec<Turn>,
    pub final_state: Option<FinalExpect>,
    /// Overrides of the suite defaults.
    pub streamed: Option<bool>,
    pub repeat: Option<u32>,
    pub min_pass_rate: Option<f64>,
    /// The 1-based row of its `data:` file it was expanded from; `None` without `data:`.
    pub data_row: Option<usize>,
    /// Where `- name: ...` starts.
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub user: Option<String>,
    pub current_values: Option<Values>,
    pub streamed: Option<bool>,
    pub expect: Expect,
    pub loc: Loc,
}

/// Expectations on one response (a turn, or `start` on the create response).
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub fields: Vec<FieldExpect>,
    pub no_fields: Vec<Located<String>>,
    pub chunks: Option<Located<ChunkExpect>>,
    pub text: Option<Located<Matcher>>,
    pub prompt: Option<Located<PromptExpect>>,
    pub submitted: Option<Located<bool>>,
    pub error: Option<Located<bool>>,
    pub max_latency: Option<Located<Duration>>,
}

#[derive(Debug, Clone)]
pub struct FieldExpect {
    pub key: String,
    pub matcher: Matcher,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkMode {
    /// A plain list, or `{contains: [...]}`: the listed multiset is contained in the
    /// response (each name at least as many times as listed).
    Contains,
    /// `{exact: [...]}`: the response's chunk types, in order, are exactly these.
    Exact,
    /// `{in_order: [...]}`: these appear as a subsequence, in this order.
    InOrder,
    /// `{none_of: [...]}`: none of these appear.
    NoneOf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChunkExpect {
    pub mode: ChunkMode,
    pub types: Vec<ChunkType>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PromptExpect {
    pub field: String,
    /// SINGLE_SELECT_INPUT, MULTI_SELECT_INPUT or NUMBER_INPUT.
    pub kind: Option<ChunkType>,
    /// Option values the prompt must offer (as a set).
    pub options: Option<Vec<Value>>,
    /// What a NUMBER_INPUT must declare: `rangeLimit.minInclusiveValue`,
    /// `rangeLimit.maxInclusiveValue` and `multipleOf`. Set only with kind NUMBER_INPUT.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub multiple_of: Option<f64>,
}

/// `final:` — state accumulated over the whole conversation.
#[derive(Debug, Clone, Default)]
pub struct FinalExpect {
    pub fields: Vec<FieldExpect>,
    pub no_fields: Vec<Located<String>>,
    pub submitted: Option<Located<bool>>,
    pub loc: Option<Loc>,
}

/// A simulated user: what it knows and how it behaves. A user simulator decides each
/// message from what the assistant asks; this is only what the suite says.
#[derive(Debug, Clone)]
pub struct Persona {
    pub name: String,
    pub tags: Vec<String>,
    /// Share in a load mix; > 0, default 1.
    pub weight: f64,
    /// What the user knows, in file order: field key → value as the form expects it
    /// (checked against the field's type, options, range and format). Never empty.
    pub facts: Vec<(String, Value)>,
    pub style: Style,
    /// The first message, when the user speaks first.
    pub opening: Option<String>,
    /// Fields the user refuses to give when asked; never keys of `facts`.
    pub declines: Vec<String>,
    /// Phrasings per fact key, each holding `{value}` at least once.
    pub say: BTreeMap<String, Vec<String>>,
    /// User messages at most; ≥ 1, default 12.
    pub max_turns: u32,
    pub expect: PersonaExpect,
    /// As on a conversation: its `data:` row, if any.
    pub data_row: Option<usize>,
    /// Where `- name: ...` starts.
    pub loc: Loc,
}

impl Persona {
    /// The value the user knows for `key`.
    pub fn fact(&self, key: &str) -> Option<&Value> {
        self.facts.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// How a persona hands out its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// Answers what is asked, and only that.
    #[default]
    Reactive,
    /// Says every fact at the first chance.
    Eager,
    /// Says this many facts per message (≥ 1), in the order of `facts`.
    Chunks(u32),
    /// Gives one fact wrong, then corrects it.
    Corrects,
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Style::Reactive => f.write_str("reactive"),
            Style::Eager => f.write_str("eager"),
            Style::Chunks(n) => write!(f, "chunks:{n}"),
            Style::Corrects => f.write_str("corrects"),
        }
    }
}

/// What a persona's whole conversation must achieve.
#[derive(Debug, Clone)]
pub struct PersonaExpect {
    /// A SUBMISSION arrived (default true).
    pub submitted: bool,
    pub fields: FieldsExpect,
    /// User messages until the SUBMISSION, as a range of counts (a number N is N..=N).
    pub turns: Option<Located<NumRange>>,
    /// Questions for a field already extracted correctly.
    pub re_asks: Option<Located<NumRange>>,
    /// Where `expect:` is written; `None` when the defaults apply.
    pub loc: Option<Loc>,
}

/// Which extracted fields a persona's conversation is checked on.
#[derive(Debug, Clone)]
pub enum FieldsExpect {
    /// Every fact the user said is extracted as given (the default).
    Said,
    /// Every fact is extracted as given, even one the user was never asked for.
    Facts,
    /// These fields (all keys of `facts`) match these matchers.
    Map(Vec<FieldExpect>),
}
