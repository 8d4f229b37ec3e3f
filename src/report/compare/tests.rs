//! Tolerance boundaries of [`compare`]: exactly at a tolerance is not a regression, just
//! past it is; sub-floor latency growth never is; rows on one side only never are.

use super::{Tolerances, compare};
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

/// A run with one conversation at `rate`, field `email` at `recall`, and `send`
/// answering in `send_us` every time.
fn run(rate: f64, recall: f64, send_us: u64) -> RunResult {
    let mut r = empty();
    r.pass_rates = vec![PassRate {
        suite: "s".into(),
        conversation: "c".into(),
        runs: 100,
        passed: (rate * 100.0) as u64,
        failed: 0,
        errored: 0,
        rate,
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
            correct: (recall * 100.0) as u64,
            recall: Some(recall),
            ..FieldScoreRow::default()
        }],
        suites: Vec::new(),
    };
    let mut h = LatencyHistogram::new(Duration::from_secs(10));
    for _ in 0..100 {
        h.record(Duration::from_micros(send_us));
    }
    r.latency.operations = vec![LatencyRecord {
        key: LatencyKey::Operation {
            operation: OperationName::Send,
        },
        errors: 0,
        clamped: 0,
        summary: h.percentiles().into(),
        hdr: encode_histogram(h.inner()).expect("encodes"),
    }];
    r
}

#[test]
fn at_the_tolerance_is_not_a_regression() {
    let base = run(1.0, 1.0, 100_000);
    let new = run(0.99, 0.98, 110_000);
    let c = compare(&base, &new, Tolerances::default()).unwrap();
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn past_each_tolerance_is_a_regression() {
    let base = run(1.0, 1.0, 100_000);
    let c = compare(&base, &run(0.98, 1.0, 100_000), Tolerances::default()).unwrap();
    assert!(c.pass_rates[0].regressed && c.regressed);
    let c = compare(&base, &run(1.0, 0.97, 100_000), Tolerances::default()).unwrap();
    assert!(c.fields[0].regressed && !c.pass_rates[0].regressed);
    let c = compare(&base, &run(1.0, 1.0, 112_000), Tolerances::default()).unwrap();
    assert!(c.latency[0].regressed, "{c:#?}");
    assert_eq!(c.latency[0].name, "send");
}

#[test]
fn growth_under_the_floor_is_noise() {
    let c = compare(
        &run(1.0, 1.0, 1_000),
        &run(1.0, 1.0, 1_500),
        Tolerances::default(),
    );
    let c = c.unwrap();
    assert!(c.latency[0].p95_change_pct.unwrap() > 40.0);
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn rows_on_one_side_only_never_regress() {
    let c = compare(&empty(), &run(0.5, 0.5, 100_000), Tolerances::default()).unwrap();
    assert!(!c.regressed);
    assert_eq!(c.pass_rates[0].base, None);
    assert_eq!(c.latency[0].base, None);
}
