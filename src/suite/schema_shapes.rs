//! The JSON Schema shapes of the suite's free-form parts (matchers, `chunks`, option
//! lists, facts, durations...), which the loader reads as position-keeping `Node`s or
//! plain strings and checks in the validator.
//!
//! Each shape is a marker type named by a `#[schemars(with = ...)]` in [`super::raw`]; it
//! only describes, for editors. A shape says no more than the validator enforces, so a
//! suite that loads is never flagged; semantic rules (field keys that must exist in the
//! form, ranges no number satisfies, regexes that must compile) stay the validator's.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// A GUID (any case) or a whole `${VAR}` placeholder.
pub const FORM_ID_PATTERN: &str = r"^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\$\{[A-Za-z_][A-Za-z0-9_]*\})$";

/// One duration as `crate::common::duration` reads it: `0`, or a decimal and a unit.
const DURATION: &str = r"(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(us|µs|μs|ms|s|m|h))";

/// The API's `chunkType` values, as `chunks:` names them.
const CHUNK_TYPES: [&str; 13] = [
    "TEXT",
    "TEXT_DATA",
    "MULTI_SELECT_INPUT",
    "SINGLE_SELECT_INPUT",
    "NUMBER_INPUT",
    "SEPARATOR",
    "ERROR",
    "SUBMISSION",
    "IMPORTANT_TEXT",
    "DEBUG",
    "END_OF_RESPONSE",
    "FILE_UPLOAD",
    "SIGNATURE",
];

/// Declares a marker type whose schema is the given body; `$generator` lets the body refer
/// to other shapes (`$ref`s into `$defs`, which is also how [`Matcher`] recurses).
macro_rules! shape {
    ($(#[$doc:meta])* $name:ident, |$generator:ident| $body:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn json_schema($generator: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

/// Free text (names, messages, labels, tags). The loader reads a plain number or boolean
/// there as its text (`name: 2024`), so the schema accepts those too. Inline, so that a
/// field's `length(...)` lands on it.
pub struct Text;

impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Text")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

shape!(
    /// `version: 1`.
    Version,
    |_generator| json_schema!({ "description": "The suite format's version.", "const": 1 })
);

shape!(
    /// Any JSON value, described as such.
    AnyValue,
    |_generator| json_schema!({ "description": "Any value." })
);

shape!(
    /// A field's `type`.
    FieldType,
    |_generator| json_schema!({
        "description": "The JSON type of the field's value.",
        "enum": ["string", "number", "boolean", "array", "object"]
    })
);

shape!(
    /// A `string` field's `format`.
    FieldFormat,
    |_generator| json_schema!({
        "description": "The format of a string field's value: an email address, a phone number \
                        of 7 to 15 digits, a date `YYYY-MM-DD`, a 24-hour time `HH:MM`, or a URL.",
        "enum": ["email", "phone", "date", "time", "url"]
    })
);

shape!(
    /// A field's `options`.
    FieldOptions,
    |_generator| json_schema!({
        "description": "The values the field accepts (at least one): each a plain value (`vip`, `2`, \
                        `true`; its label is its text) or `{value, label}`.",
        "type": "array",
        "minItems": 1,
        "items": {
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                {
                    "type": "object",
                    "properties": {
                        "value": { "description": "The value the form stores: any JSON value." },
                        "label": { "description": "The text shown to the user (default: the value's text).", "type": ["string", "number", "boolean"] }
                    },
                    "required": ["value"],
                    "additionalProperties": false
                }
            ]
        }
    })
);

shape!(
    /// `prefill` and `current_values`.
    FieldValues,
    |_generator| json_schema!({
        "description": "Field values by field key, sent as written as the API's `currentValues`.",
        "type": "object"
    })
);

shape!(
    /// `vars:`.
    Vars,
    |_generator| json_schema!({
        "description": "Placeholder values by name: `{{name}}` in the conversation or persona is \
                        replaced by the value (a whole-placeholder string takes the value's type).",
        "type": "object",
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
        "additionalProperties": { "type": ["string", "number", "boolean", "null"] }
    })
);

shape!(
    /// `fields:` of an expectation.
    FieldMatchers,
    |generator| json_schema!({
        "description": "Matchers by field key: a plain value means equality, a mapping is an \
                        operator such as `{regex: \"^D\"}`.",
        "type": "object",
        "additionalProperties": generator.subschema_for::<Matcher>()
    })
);

shape!(
    /// A matcher: see `docs/suite-format.md#matchers`.
    Matcher,
    |generator| matcher_schema(generator)
);

shape!(
    /// `chunks:`.
    Chunks,
    |generator| chunks_schema(generator)
);

shape!(
    /// One name in `chunks:`.
    ChunkType,
    |_generator| json_schema!({ "description": "The API's `chunkType`.", "enum": CHUNK_TYPES })
);

shape!(
    /// `prompt.kind`.
    PromptKind,
    |_generator| json_schema!({
        "description": "The input chunk's type.",
        "enum": ["SINGLE_SELECT_INPUT", "MULTI_SELECT_INPUT", "NUMBER_INPUT"]
    })
);

shape!(
    /// `max_latency`: one duration.
    Duration,
    |_generator| json_schema!({
        "description": "A duration: a number and a unit (`us`, `µs`, `ms`, `s`, `m`, `h`), e.g. \
                        `800ms`, `1.5s`; or `0`.",
        "anyOf": [
            { "type": "string", "pattern": format!(r"^\s*{DURATION}\s*$") },
            { "const": 0 }
        ]
    })
);

shape!(
    /// `think_time`: a duration or a range.
    DurationRange,
    |_generator| json_schema!({
        "description": "A duration (`500ms`, `2s`, `0`) or a range `A..B` (uniform between A and B).",
        "anyOf": [
            { "type": "string", "pattern": format!(r"^\s*{DURATION}\s*(\.\.\s*{DURATION}\s*)?$") },
            { "const": 0 }
        ]
    })
);

shape!(
    /// A persona's `facts`.
    Facts,
    |_generator| json_schema!({
        "description": "What the user knows, by field key: text for a string field, a number, \
                        `true`/`false`, a list for an array field, a mapping for an object field.",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": { "not": { "type": "null" } }
    })
);

shape!(
    /// A persona's `style`.
    Style,
    |_generator| json_schema!({
        "description": "`reactive` answers only what is asked; `eager` gives every fact at once; \
                        `corrects` gives one fact wrong, then corrects it; `chunks:N` gives N facts \
                        per message.",
        "anyOf": [
            { "enum": ["reactive", "eager", "corrects"] },
            { "type": "string", "pattern": r"^\s*chunks:\s*0*[1-9][0-9]*\s*$" }
        ]
    })
);

shape!(
    /// A persona's `say`.
    Say,
    |_generator| {
        let phrasing = json_schema!({ "type": "string", "pattern": r"\{value\}" });
        json_schema!({
            "description": "Phrasings by fact key, each holding `{value}`, e.g. \
                            `email: [\"my email is {value}\", \"{value}\"]`.",
            "type": "object",
            "additionalProperties": {
                "anyOf": [phrasing, { "type": "array", "minItems": 1, "items": phrasing }]
            }
        })
    }
);

shape!(
    /// A persona's `expect.fields`.
    PersonaFields,
    |generator| json_schema!({
        "anyOf": [
            { "enum": ["said", "facts"] },
            { "type": "object", "additionalProperties": generator.subschema_for::<Matcher>() }
        ]
    })
);

shape!(
    /// A persona's `expect.turns`.
    TurnCount,
    |_generator| count_schema(1)
);

shape!(
    /// A persona's `expect.re_asks`.
    ReAskCount,
    |_generator| count_schema(0)
);

/// A whole number of at least `min`, or a number range written as a matcher (`{lte: 6}`).
fn count_schema(min: u32) -> Schema {
    let number = json_schema!({ "type": "number" });
    let count = json_schema!({ "type": "integer", "minimum": min });
    json_schema!({
        "anyOf": [
            count,
            {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": false,
                "properties": {
                    "eq": count,
                    "gt": number, "gte": number, "lt": number, "lte": number,
                    "between": { "type": "array", "minItems": 2, "maxItems": 2, "items": number }
                }
            }
        ]
    })
}

/// A plain value (equality), or a mapping holding one operator and its modifiers.
fn matcher_schema(generator: &mut SchemaGenerator) -> Schema {
    let matcher = generator.subschema_for::<Matcher>();
    let matchers = json_schema!({ "type": "array", "minItems": 1, "items": matcher });
    let number = json_schema!({ "type": "number" });
    json_schema!({
        "description": "A plain value (a scalar or a list) means equality; a mapping holds one \
                        operator (`eq`, `ne`, `ieq`, `regex`, `contains`, `one_of`, `set`, `approx`, \
                        `gt`/`gte`/`lt`/`lte`, `between`, `any`, `type`, `all_of`, `any_of`), with \
                        `tol` beside `approx` and `display` beside any.",
        "anyOf": [
            { "type": ["string", "number", "boolean", "null", "array"] },
            {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": false,
                "dependentRequired": { "approx": ["tol"], "tol": ["approx"] },
                "properties": {
                    "eq": { "description": "Equals the value (numbers by value, lists in order)." },
                    "ne": { "description": "Does not equal the value." },
                    "ieq": { "description": "A string equal ignoring case.", "type": "string" },
                    "regex": { "description": "A string the regex finds (unanchored).", "type": "string" },
                    "contains": { "description": "A substring, a subset of a list, or an element of a list." },
                    "one_of": { "description": "Equals one of them.", "type": "array", "minItems": 1 },
                    "set": { "description": "A list with the same elements in any order.", "type": "array" },
                    "approx": { "description": "A number within `tol` of this one.", "type": "number" },
                    "tol": { "description": "The tolerance of `approx`.", "type": "number", "minimum": 0 },
                    "gt": number, "gte": number, "lt": number, "lte": number,
                    "between": {
                        "description": "`[low, high]`, both included.",
                        "type": "array", "minItems": 2, "maxItems": 2, "items": number
                    },
                    "any": { "description": "Present, with any value.", "const": true },
                    "type": {
                        "description": "Has this JSON type.",
                        "enum": ["string", "number", "boolean", "list", "object", "null"]
                    },
                    "all_of": matchers, "any_of": matchers,
                    "display": matcher
                }
            }
        ]
    })
}

/// A plain list of chunk types (`contains`), or a mapping with exactly one mode.
fn chunks_schema(generator: &mut SchemaGenerator) -> Schema {
    let names = json_schema!({ "type": "array", "items": generator.subschema_for::<ChunkType>() });
    json_schema!({
        "description": "Chunk types of the response: a plain list (= `contains`), or one of \
                        `contains` (each at least as often as listed), `exact` (exactly these, in \
                        order), `in_order` (a subsequence), `none_of`.",
        "anyOf": [
            names,
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "additionalProperties": false,
                "properties": { "contains": names, "exact": names, "in_order": names, "none_of": names }
            }
        ]
    })
}

shape!(
    /// `summary:`: expectations of Generate Form Summary's text.
    SummaryExpect,
    |generator| {
        let matcher = generator.subschema_for::<Matcher>();
        let matchers = json_schema!({ "type": "array", "minItems": 1, "items": matcher });
        let number = json_schema!({ "type": "number" });
        json_schema!({
            "description": "Checked once per run against the summary the service generates for \
                            the form. Each matcher operator is its own check on the summary \
                            text; all must hold.",
            "type": "object",
            "minProperties": 1,
            "additionalProperties": false,
            "properties": {
                "mentions": {
                    "description": "Field keys or labels whose label the summary must name (any case).",
                    "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 }
                },
                "max_length": {
                    "description": "The most characters the summary may have.",
                    "type": "integer", "minimum": 1
                },
                "eq": { "description": "The summary is exactly this text." },
                "ne": { "description": "The summary is not this text." },
                "ieq": { "description": "The summary equals this text ignoring case.", "type": "string" },
                "regex": { "description": "A regex the summary matches (unanchored).", "type": "string" },
                "contains": { "description": "A substring of the summary." },
                "one_of": { "description": "The summary is one of these texts.", "type": "array", "minItems": 1 },
                "set": { "type": "array" },
                "gt": number, "gte": number, "lt": number, "lte": number,
                "between": { "type": "array", "minItems": 2, "maxItems": 2, "items": number },
                "any": { "const": true },
                "type": { "enum": ["string", "number", "boolean", "list", "object", "null"] },
                "all_of": matchers, "any_of": matchers
            }
        })
    }
);
