//! The verdict rules of [`compare`]: a change needs both size (tolerance, floor) and
//! significance; too few samples never gate; rows on one side only never regress; and
//! samples of one distribution do not raise alarms.

use super::{Status, Tolerances, compare};
use crate::common::rng::SplitMix64;
use crate::metrics::LatencyHistogram;
use crate::report::result::{
    FieldScoreRow, LatencyKey, LatencyRecord, OperationName, PassRate, RunResult, Scorecard,
    VerdictName, encode_histogram,
};
use std::time::Duration;

fn empty() -> RunResult {
    let text = r#"{"schema_version":1,"run_id":"r","name":"n","started_at":"t",
        "elapsed_us":0,"interrupted":false,
        "config":{"target":"mock","base_url":"","embedded_mock":true,"concurrency":1,
                  "filters":[],"timeout_ms":1000,"submit":false},
        "conversations":[],
        "counters":{"conversations":0,"passed":0,"failed":0,"errored":0,"requests":0,
                    "failures":0,"errors_by_class":{}},
        "latency":{"operations":[],"turns":[]}}"#;
    RunResult::from_json(text).expect("a minimal run.json parses")
}

fn send_record(samples: impl IntoIterator<Item = u64>) -> LatencyRecord {
    let mut h = LatencyHistogram::new(Duration::from_secs(10));
    for us in samples {
        h.record(Duration::from_micros(us));
    }
    LatencyRecord {
        key: LatencyKey::Operation {
            operation: OperationName::Send,
        },
        errors: 0,
        clamped: 0,
        summary: h.percentiles().into(),
        hdr: encode_histogram(&h.to_hdr()).expect("encodes"),
    }
}

/// A run with one conversation passing `passed` of `runs`, field `email` extracted right
/// `correct` times of 100, and `send` answering in `send_us` `samples` times.
fn run_with(passed: u64, runs: u64, correct: u64, send_us: u64, samples: usize) -> RunResult {
    let mut r = empty();
    r.pass_rates = vec![PassRate {
        suite: "s".into(),
        conversation: "c".into(),
        runs,
        passed,
        failed: runs - passed,
        errored: 0,
        rate: passed as f64 / runs as f64,
        low: 0.0,
        high: 1.0,
        min_pass_rate: 0.0,
        verdict: VerdictName::Passed,
        flaky: false,
        turns: Vec::new(),
        fields: Vec::new(),
    }];
    r.scorecard = Scorecard {
        overall: vec![FieldScoreRow {
            field: "email".into(),
            expected: 100,
            correct,
            missed: 100 - correct,
            recall: Some(correct as f64 / 100.0),
            ..FieldScoreRow::default()
        }],
        suites: Vec::new(),
    };
    r.latency.operations = vec![send_record(std::iter::repeat_n(send_us, samples))];
    r
}

fn run(passed: u64, correct: u64, send_us: u64) -> RunResult {
    run_with(passed, 100, correct, send_us, 100)
}

#[test]
fn at_the_tolerance_is_not_a_regression() {
    let c = compare(
        &run(100, 100, 100_000),
        &run(99, 98, 110_000),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn large_and_significant_changes_regress() {
    let base = run(100, 100, 100_000);
    let c = compare(&base, &run(80, 100, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Regressed);
    assert!(c.regressed);
    assert!(c.pass_rates[0].change.p_adjusted.expect("tested") < 0.01);
    let c = compare(&base, &run(100, 80, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.fields[0].status, Status::Regressed, "{c:#?}");
    assert_eq!(c.pass_rates[0].change.status, Status::Unchanged);
    let c = compare(&base, &run(100, 100, 112_000), Tolerances::default()).expect("compares");
    assert_eq!(c.latency[0].status, Status::Regressed, "{c:#?}");
    assert_eq!(c.latency[0].name, "send");
    let c = compare(&run(100, 100, 112_000), &base, Tolerances::default()).expect("compares");
    assert_eq!(c.latency[0].status, Status::Improved);
    assert!(!c.regressed);
}

/// A drop past the tolerance that a coin could produce is not a regression.
#[test]
fn a_drop_within_the_noise_is_unchanged() {
    let base = run(100, 100, 100_000);
    let c = compare(&base, &run(97, 97, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Unchanged, "{c:#?}");
    assert_eq!(c.fields[0].status, Status::Unchanged);
    assert!(!c.regressed);
}

#[test]
fn all_to_none_regresses_even_on_one_run() {
    let c = compare(
        &run_with(1, 1, 100, 100_000, 100),
        &run_with(0, 1, 100, 100_000, 100),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Regressed);
    let c = compare(
        &run_with(3, 3, 100, 100_000, 100),
        &run_with(2, 3, 100, 100_000, 100),
        Tolerances::default(),
    );
    assert_eq!(
        c.expect("compares").pass_rates[0].change.status,
        Status::TooFewSamples
    );
}

#[test]
fn growth_under_the_floor_is_noise() {
    let c = compare(
        &run(100, 100, 1_000),
        &run(100, 100, 1_500),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert!(c.latency[0].change_pct.expect("both sides") > 40.0);
    assert_eq!(c.latency[0].status, Status::Unchanged);
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn ten_samples_are_too_few_whatever_the_change() {
    let c = compare(
        &run_with(1, 1, 100, 100_000, 10),
        &run_with(1, 1, 100, 120_000, 10),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert_eq!(c.latency[0].status, Status::TooFewSamples);
    assert!(!c.regressed);
}

#[test]
fn rows_on_one_side_only_never_regress() {
    let c = compare(&empty(), &run(50, 50, 100_000), Tolerances::default()).expect("compares");
    assert!(!c.regressed);
    assert_eq!(c.pass_rates[0].change.status, Status::Added);
    assert_eq!(c.latency[0].base, None);
}

/// Two runs drawn from one lognormal latency distribution: the significance test alone
/// (sizes set to zero) fires at about α, and the full rule at the defaults no more often.
#[test]
fn samples_of_one_distribution_rarely_test_significant() {
    let mut rng = SplitMix64::new(7);
    let mut sample = |n: usize| -> Vec<u64> {
        (0..n)
            .map(|_| (5_000.0 * (0.5 * rng.next_normal()).exp()) as u64)
            .collect()
    };
    let sensitive = Tolerances {
        latency_increase: 0.0,
        latency_floor_us: 0,
        ..Tolerances::default()
    };
    let (mut significant, mut regressed, pairs) = (0, 0, 400);
    for _ in 0..pairs {
        let mut base = empty();
        let mut new = empty();
        base.latency.operations = vec![send_record(sample(200))];
        new.latency.operations = vec![send_record(sample(200))];
        let c = compare(&base, &new, sensitive).expect("compares");
        significant += usize::from(c.latency[0].p_adjusted.expect("tested") < 0.01);
        let c = compare(&base, &new, Tolerances::default()).expect("compares");
        regressed += usize::from(c.regressed);
    }
    // Binomial(400, 0.01): mean 4, P(more than 14) < 1e-4. The full rule also needs the
    // size, so it fires at most as often.
    assert!(
        significant <= 14,
        "{significant} of {pairs} pairs significant"
    );
    assert!(
        regressed <= significant.min(8),
        "{regressed} of {pairs} pairs regressed"
    );
}
