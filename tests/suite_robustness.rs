//! The loader never panics and never hangs: random bytes, random edits of a valid suite and
//! hostile YAML all end in a suite or in positioned diagnostics.

use convoy::suite::{Diagnostic, load_bytes, load_str};
use proptest::prelude::*;
use std::time::{Duration, Instant};

const VALID: &str = include_str!("fixtures/valid/all-features.yaml");

fn assert_positioned(result: &Result<convoy::suite::Suite, Vec<Diagnostic>>) {
    if let Err(diagnostics) = result {
        assert!(!diagnostics.is_empty(), "an error with no diagnostic");
        for d in diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "no position: {d}");
            assert!(!d.title.is_empty() && !d.help.is_empty(), "{d}");
            // Rendering must not panic either.
            assert!(d.to_string().starts_with("error: "));
        }
    }
}

/// One edit of the text: delete a range, insert YAML punctuation, or repeat a slice.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Repeat(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let pos = 0..VALID.len();
    prop_oneof![
        (pos.clone(), 1..40usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        (pos.clone(), "[-:\\[\\]{}&*!|>'\"#%@`,?\n a-z0-9]{1,8}")
            .prop_map(|(at, s)| Edit::Insert(at, s)),
        (pos, 1..200usize).prop_map(|(at, len)| Edit::Repeat(at, len)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        let clamp = |i: usize, b: &Vec<u8>| i.min(b.len());
        match e {
            Edit::Delete(at, len) => {
                let at = clamp(*at, &bytes);
                let end = clamp(at + len, &bytes);
                bytes.drain(at..end);
            }
            Edit::Insert(at, s) => {
                let at = clamp(*at, &bytes);
                bytes.splice(at..at, s.bytes());
            }
            Edit::Repeat(at, len) => {
                let at = clamp(*at, &bytes);
                let end = clamp(at + len, &bytes);
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
        }
    }
    // Byte edits may split a UTF-8 sequence; that is part of what is being tested.
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Arbitrary bytes: an error with a position, never a panic.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let result = load_bytes("fuzz.yaml", &bytes);
        assert_positioned(&result);
    }

    /// Arbitrary text: the same.
    #[test]
    fn random_text_never_panics(text in "\\PC{0,300}") {
        assert_positioned(&load_str("fuzz.yaml", &text));
    }

    /// A valid suite with random edits: loads or reports, never panics.
    #[test]
    fn mutated_suites_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let text = apply(VALID, &edits);
        assert_positioned(&load_str("mutated.yaml", &text));
    }
}

/// The unmutated base of the mutation test is itself valid, so mutations start from a suite.
#[test]
fn the_mutation_base_is_valid() {
    assert!(load_str("all.yaml", VALID).is_ok());
}

/// Billion laughs, deep nesting and a very long document end with an error, not a hang.
#[test]
fn hostile_yaml_is_refused_without_hanging() {
    let mut bomb = String::from(
        "conversations:\n  - name: x\n    prefill:\n      f:\n        - &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
    );
    let mut prev = "a".to_owned();
    for level in 0..12 {
        let name = format!("l{level}");
        let refs = vec![format!("*{prev}"); 10].join(",");
        bomb.push_str(&format!("        - &{name} [{refs}]\n"));
        prev = name;
    }
    let deep_block: String = (8..2000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    let cases = [
        (bomb, "aliases expand to too much data"),
        (
            format!(
                "conversations: {}{}",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            "the YAML is nested too deeply",
        ),
        (
            format!("conversations:\n  - name: x\n    prefill:\n      f:\n{deep_block}"),
            "the YAML is nested too deeply",
        ),
        (
            format!(
                "conversations: [{}]",
                "{name: x, turns: [{user: a}]},".repeat(30_000)
            ),
            "the YAML expands to too much data",
        ),
    ];
    for (text, title) in cases {
        let started = Instant::now();
        let result = load_str("hostile.yaml", &text);
        assert_positioned(&result);
        let titles: Vec<String> = result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|d| d.title)
            .collect();
        assert_eq!(titles, [title]);
        // A hang guard, not a performance target: an unbounded expansion would run for
        // hours, while a loaded debug build may take seconds.
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "took {:?}",
            started.elapsed()
        );
    }
}
