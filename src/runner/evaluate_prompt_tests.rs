//! Unit tests of `prompt:` with a number range: each of `min`, `max`, `multiple_of` holds
//! only when the NUMBER_INPUT declares that very value.

use super::*;
use crate::common::wire::{ChunkType, RangeLimit};
use crate::runner::evaluate::evaluate_response;
use crate::suite::{Expect, Loc};
use std::time::Duration;

fn number_input(min: Option<f64>, max: Option<f64>, multiple_of: Option<f64>) -> Chunk {
    let range_limit = (min.is_some() || max.is_some()).then_some(RangeLimit {
        min_inclusive_value: min,
        max_inclusive_value: max,
        max_exclusive_value: None,
    });
    Chunk::from(ChunkBody::NumberInput(NumberInputDetails {
        field_target: "guests".into(),
        range_limit,
        multiple_of,
    }))
}

fn failures(prompt: PromptExpect, chunk: Chunk) -> Vec<Failure> {
    let loc = Loc {
        file: "suites/t.yaml".into(),
        line: 4,
        column: 5,
    };
    let expect = Expect {
        prompt: Some(Located {
            value: prompt,
            loc: loc.clone(),
        }),
        ..Expect::default()
    };
    evaluate_response(&expect, &[chunk], Duration::ZERO, &loc)
}

fn range(min: Option<f64>, max: Option<f64>, multiple_of: Option<f64>) -> PromptExpect {
    PromptExpect {
        field: "guests".into(),
        kind: Some(ChunkType::NumberInput),
        min,
        max,
        multiple_of,
        ..PromptExpect::default()
    }
}

#[test]
fn the_declared_range_must_be_the_expected_one() {
    let chunk = || number_input(Some(0.0), Some(40.0), Some(1.0));
    assert!(failures(range(Some(0.0), Some(40.0), Some(1.0)), chunk()).is_empty());
    assert!(failures(range(Some(0.0), None, None), chunk()).is_empty());
    assert!(failures(range(None, Some(40.0), None), chunk()).is_empty());
    let wrong_max = failures(range(Some(0.0), Some(5.0), None), chunk());
    assert_eq!(wrong_max.len(), 1);
    assert_eq!(wrong_max[0].subject, "prompt.range");
    assert_eq!(
        wrong_max[0].expected,
        "NUMBER_INPUT for `guests` with min 0, max 5"
    );
    assert_eq!(
        wrong_max[0].actual,
        "NUMBER_INPUT for `guests` with min 0, max 40, multiple_of 1"
    );
    assert_eq!(
        failures(range(None, None, Some(0.5)), chunk())[0].subject,
        "prompt.range"
    );
}

#[test]
fn a_missing_range_or_an_exclusive_max_is_not_the_expected_max() {
    let none = failures(range(Some(0.0), None, None), number_input(None, None, None));
    assert_eq!(none[0].actual, "NUMBER_INPUT for `guests` with no range");
    let exclusive = Chunk::from(ChunkBody::NumberInput(NumberInputDetails {
        field_target: "guests".into(),
        range_limit: Some(RangeLimit {
            min_inclusive_value: None,
            max_inclusive_value: None,
            max_exclusive_value: Some(41.0),
        }),
        multiple_of: None,
    }));
    let failed = failures(range(None, Some(40.0), None), exclusive);
    assert_eq!(
        failed[0].actual,
        "NUMBER_INPUT for `guests` with max (exclusive) 41"
    );
}

#[test]
fn a_range_prompt_needs_a_number_input_for_the_field() {
    let select = Chunk::from(ChunkBody::SingleSelectInput(Default::default()));
    let failed = failures(range(Some(0.0), None, None), select);
    assert_eq!(failed[0].subject, "prompt");
    assert_eq!(failed[0].expected, "NUMBER_INPUT for `guests` with min 0");
}
