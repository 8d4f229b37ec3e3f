//! The fault profile parser: documented examples parse, mistakes get `file:line:col`
//! diagnostics, and no input — random bytes or mangled YAML — makes it panic.

use convoy::mock::faults::{FaultKind, parse_profile};
use convoy::mock::{EndpointSelector, FaultProfile};
use proptest::prelude::*;
use std::time::Duration;

const EXAMPLE: &str = "seed: 7
faults:
  - {kind: http_429, endpoint: send, rate: 0.05, retry_after: 1s}
  - {kind: reset, endpoint: all, rate: 0.02}
  - {kind: stall, at: 10s, duration: 2s}
";

/// The example of docs/faults.md parses to what it says.
#[test]
fn the_documented_example_parses() {
    let profile = parse_profile("p.yaml", EXAMPLE).expect("the example is valid");
    assert_eq!(profile.seed, Some(7));
    assert_eq!(profile.rules.len(), 2);
    assert_eq!(profile.rules[0].kind, FaultKind::Http429);
    assert_eq!(profile.rules[0].endpoint, EndpointSelector::Send);
    assert_eq!(profile.rules[0].retry_after, Duration::from_secs(1));
    assert_eq!(profile.rules[1].rate, 0.02);
    assert_eq!(profile.stalls.len(), 1);
    assert_eq!(profile.stalls[0].at, Duration::from_secs(10));
}

/// Mistakes point at their line and column.
#[test]
fn mistakes_have_positions() {
    let cases = [
        ("faults:\n  - {kind: http_418}\n", 2),
        ("faults:\n  - {kind: reset, rate: 2}\n", 2),
        ("faults:\n  - kind: reset\n    rat: 0.1\n", 3),
        ("faults:\n  - {kind: stall, at: 1s}\n", 2),
        ("faults:\n  - {kind: reset, from: soon}\n", 2),
        ("seed: -1\n", 1),
    ];
    for (yaml, line) in cases {
        let err = parse_profile("p.yaml", yaml).expect_err(yaml);
        assert_eq!(err.line, line, "{yaml}: {err}");
        assert!(
            err.to_string().contains(&format!("p.yaml:{line}:")),
            "{err}"
        );
    }
}

/// `--fault` takes one rule as a flow mapping.
#[test]
fn flags_add_rules() {
    let mut profile = FaultProfile::default();
    profile
        .push_flag("{kind: trickle, endpoint: create_streamed, duration: 2s}")
        .expect("a valid rule");
    assert_eq!(profile.rules[0].duration, Duration::from_secs(2));
    assert!(profile.push_flag("{kind: nope}").is_err());
    assert!(profile.push_flag("not yaml: [").is_err());
}

/// `drop_field` names its field, and only `drop_field` takes one.
#[test]
fn drop_field_needs_a_field() {
    let mut profile = FaultProfile::default();
    profile
        .push_flag("{kind: drop_field, field: email, rate: 0.3}")
        .expect("a valid rule");
    assert_eq!(profile.rules[0].kind, FaultKind::DropField);
    assert_eq!(profile.rules[0].field.as_deref(), Some("email"));
    assert!(profile.push_flag("{kind: drop_field}").is_err());
    assert!(profile.push_flag("{kind: reset, field: email}").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random bytes (as lossy text) never panic the parser.
    #[test]
    fn random_text_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_profile("p.yaml", &text);
        let _ = FaultProfile::default().push_flag(&text);
    }

    /// The example with one byte replaced or removed never panics the parser.
    #[test]
    fn mangled_profiles_never_panic(at in 0..EXAMPLE.len(), byte in any::<u8>(), remove in any::<bool>()) {
        let mut bytes = EXAMPLE.as_bytes().to_vec();
        if remove { bytes.remove(at); } else { bytes[at] = byte; }
        let _ = parse_profile("p.yaml", &String::from_utf8_lossy(&bytes));
    }

    /// Any token soup built from the format's own words never panics the parser.
    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(prop_oneof![
        Just("faults:"), Just("seed:"), Just("- "), Just("{"), Just("}"), Just("["), Just("]"),
        Just(","), Just("\n"), Just("  "), Just("kind: "), Just("stall"), Just("reset"),
        Just("rate: "), Just("1e309"), Just("-0.5"), Just("at: "), Just("duration: "),
        Just("99999999999999999999h"), Just("requests: "), Just("&a "), Just("*a"),
        Just("endpoint: "), Just("all"),
    ], 0..64)) {
        let _ = parse_profile("p.yaml", &tokens.concat());
    }
}

/// A long fuzzing run of the profile parser (stable Rust has no `cargo fuzz`): run with
/// `cargo test --test faults_profile -- --ignored`.
#[test]
#[ignore = "long-running fuzz; run on demand"]
fn fuzz_profile_parser_long() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200_000));
    let bytes = proptest::collection::vec(any::<u8>(), 0..2048);
    let result = runner.run(&bytes, |bytes| {
        let _ = parse_profile("p.yaml", &String::from_utf8_lossy(&bytes));
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
}
