//! Evaluates `prompt:`: an input chunk for the field (of the expected kind) is in the
//! response, offers exactly the expected options, and, for a NUMBER_INPUT, declares the
//! expected `min`, `max` and `multiple_of`.

use crate::common::wire::{Chunk, ChunkBody, NumberInputDetails};
use crate::runner::describe::{
    describe_input, describe_prompt, is_input, offered_options, values_equal,
};
use crate::runner::evaluate::failure;
use crate::runner::outcome::Failure;
use crate::suite::{Located, PromptExpect};

pub(super) fn check_prompt(
    prompt: &Located<PromptExpect>,
    chunks: &[Chunk],
    failures: &mut Vec<Failure>,
) {
    let wanted = &prompt.value;
    let inputs: Vec<&Chunk> = chunks.iter().filter(|c| is_input(c)).collect();
    let found = inputs.iter().find(|c| {
        c.field_target() == Some(wanted.field.as_str())
            && wanted.kind.as_ref().is_none_or(|k| *k == c.chunk_type())
    });
    let expected = format!("{}{}", describe_prompt(wanted), expected_range(wanted));
    let Some(chunk) = found else {
        let actual = if inputs.is_empty() {
            "no input chunk".to_string()
        } else {
            let each: Vec<String> = inputs.iter().map(|c| describe(c)).collect();
            each.join(", ")
        };
        failures.push(failure(&prompt.loc, "prompt", expected, actual));
        return;
    };
    if let Some(options) = &wanted.options {
        let offered = offered_options(chunk);
        let same = options.len() == offered.len()
            && options
                .iter()
                .all(|o| offered.iter().any(|v| values_equal(o, v)));
        if !same {
            let actual = describe_input(chunk);
            failures.push(failure(&prompt.loc, "prompt.options", expected, actual));
        }
    } else if let ChunkBody::NumberInput(details) = &chunk.body
        && !same_range(wanted, details)
    {
        let actual = describe(chunk);
        failures.push(failure(&prompt.loc, "prompt.range", expected, actual));
    }
}

/// Each of `min`, `max`, `multiple_of` that the prompt names equals what the chunk declares
/// (`max` is the inclusive maximum: a chunk with only an exclusive one does not match).
fn same_range(wanted: &PromptExpect, chunk: &NumberInputDetails) -> bool {
    let limit = chunk.range_limit.clone().unwrap_or_default();
    let same =
        |expected: Option<f64>, actual: Option<f64>| expected.is_none_or(|e| actual == Some(e));
    same(wanted.min, limit.min_inclusive_value)
        && same(wanted.max, limit.max_inclusive_value)
        && same(wanted.multiple_of, chunk.multiple_of)
}

/// ` with min 0, max 40`, or nothing when the prompt names no range.
fn expected_range(wanted: &PromptExpect) -> String {
    range_text(&[
        ("min", wanted.min),
        ("max", wanted.max),
        ("multiple_of", wanted.multiple_of),
    ])
}

/// An input chunk as in the other failures, a NUMBER_INPUT with the range it declares.
fn describe(chunk: &Chunk) -> String {
    let ChunkBody::NumberInput(details) = &chunk.body else {
        return describe_input(chunk);
    };
    let limit = details.range_limit.clone().unwrap_or_default();
    let range = range_text(&[
        ("min", limit.min_inclusive_value),
        ("max", limit.max_inclusive_value),
        ("max (exclusive)", limit.max_exclusive_value),
        ("multiple_of", details.multiple_of),
    ]);
    if range.is_empty() {
        format!("{} with no range", describe_input(chunk))
    } else {
        format!("{}{range}", describe_input(chunk))
    }
}

fn range_text(parts: &[(&str, Option<f64>)]) -> String {
    let set: Vec<String> = parts
        .iter()
        .filter_map(|(name, v)| v.map(|v| format!("{name} {v}")))
        .collect();
    if set.is_empty() {
        String::new()
    } else {
        format!(" with {}", set.join(", "))
    }
}

#[cfg(test)]
#[path = "evaluate_prompt_tests.rs"]
mod tests;
