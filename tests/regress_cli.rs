//! End-to-end: repeats with pass rates, the extraction scorecard and `convoy compare`,
//! driving the `convoy` binary against the embedded mock.

mod common;

use common::convoy;
use convoy::report::result::{RunResult, VerdictName, wilson};
use std::path::Path;

const SIGNUP: &str = "tests/fixtures/regress/signup.yaml";

fn load(dir: &Path) -> RunResult {
    let text = std::fs::read_to_string(dir.join("run.json")).expect("run.json is written");
    RunResult::from_json(&text).expect("run.json parses")
}

/// Runs SIGNUP into `dir` with extra flags; returns the exit code and stdout.
fn run(dir: &Path, flags: &[&str]) -> (Option<i32>, String) {
    let output = convoy()
        .args(["run", SIGNUP, "--out"])
        .arg(dir)
        .args(flags)
        .output()
        .expect("convoy runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), stdout)
}

/// A mock that drops the email's extraction 30% of the time, run 50 times: the field's
/// recall and the conversation's pass rate land in the Wilson interval of 70% at n = 50,
/// the conversation is flagged flaky, and it passes its `min_pass_rate: 0.5`.
#[test]
fn a_flaky_field_shows_in_pass_rate_and_recall() {
    let dir = tempfile::tempdir().unwrap();
    let fault = "{kind: drop_field, field: email, rate: 0.3}";
    let (code, stdout) = run(dir.path(), &["--repeat", "50", "--fault", fault]);
    assert_eq!(code, Some(0), "{stdout}");
    let result = load(dir.path());
    let (low, high) = wilson(35, 50);
    let [rate] = result.pass_rates.as_slice() else {
        panic!("one conversation: {:?}", result.pass_rates);
    };
    assert_eq!(rate.runs, 50);
    assert!(low <= rate.rate && rate.rate <= high, "{rate:?}");
    assert!(rate.flaky);
    assert_eq!(rate.verdict, VerdictName::Passed);
    let email = result.scorecard.field("email").expect("an email row");
    let recall = email.recall.expect("email was expected");
    assert!(low <= recall && recall <= high, "{email:?}");
    assert_eq!(email.expected, 50);
    assert_eq!(email.correct + email.missed, 50);
    assert_eq!(
        result.scorecard.field("age").and_then(|f| f.recall),
        Some(1.0)
    );
    // Per-field pass rate of the repeated conversation agrees with the scorecard.
    let field = rate.fields.iter().find(|f| f.field == "email").unwrap();
    assert_eq!((field.expected, field.correct), (50, email.correct));
    assert!(stdout.contains("flaky"), "{stdout}");
    assert!(stdout.contains("extraction scorecard"), "{stdout}");
    // Every run is a JUnit testcase; the tolerated failures are flaky, not failed.
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 50);
    assert!(junit.contains("failures=\"0\""), "{junit}");
    let flaky = junit.matches("<flakyFailure").count() as u64;
    assert_eq!(flaky, 50 - rate.passed);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("<section id=\"pass-rates\">"),
        "pass rates in the page"
    );
    assert!(
        html.contains("<section id=\"extraction\">"),
        "scorecard in the page"
    );
    assert!(html.contains("title=\"passed (flaky)\""), "a flaky chip");
    let csv = std::fs::read_to_string(dir.path().join("fields.csv")).unwrap();
    assert!(csv.starts_with("scope,suite,field,expected,correct,wrong,missed,unexpected"));
}

/// Below its `min_pass_rate`, a repeated conversation fails the run (exit 1).
#[test]
fn a_pass_rate_below_the_minimum_fails() {
    let dir = tempfile::tempdir().unwrap();
    let fault = "{kind: drop_field, field: email, rate: 0.8}";
    let (code, stdout) = run(dir.path(), &["--repeat", "20", "--fault", fault]);
    assert_eq!(code, Some(1), "{stdout}");
    let result = load(dir.path());
    assert_eq!(result.pass_rates[0].verdict, VerdictName::Failed);
    assert_eq!(result.verdict(), VerdictName::Failed);
}

/// Each scorecard outcome is counted: correct, wrong (another value), missed (no
/// TEXT_DATA) and unexpected (a TEXT_DATA for a `no_fields:` key).
#[test]
fn the_scorecard_counts_each_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args(["run", "tests/fixtures/regress/scores.yaml", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let result = load(dir.path());
    let email = result.scorecard.field("email").unwrap();
    let age = result.scorecard.field("age").unwrap();
    let counts = |f: &convoy::report::result::FieldScoreRow| {
        (f.expected, f.correct, f.wrong, f.missed, f.unexpected)
    };
    assert_eq!(counts(email), (1, 1, 0, 0, 1));
    assert_eq!(counts(age), (2, 0, 1, 1, 0));
    assert_eq!(email.precision, Some(0.5));
    assert_eq!(email.recall, Some(1.0));
    assert_eq!(age.precision, Some(0.0));
    assert_eq!(age.recall, Some(0.0));
    assert_eq!(result.scorecard.suites.len(), 1);
}

/// An unreadable input is a usage error (2), not a regression.
#[test]
fn compare_refuses_unreadable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let output = convoy()
        .arg("compare")
        .arg(&bad)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

/// `run --baseline`: a run whose pass rate and email recall fell against the baseline
/// (30% of 60 runs lose the email: a drop that Fisher's test tells from noise) exits 1
/// and names them, although the run on its own passes (`min_pass_rate: 0.5`);
/// a run no worse than its baseline exits 0. Latency cannot flip either: the baseline's
/// mock is 300 ms slower than the new runs'.
#[test]
fn run_with_a_baseline_folds_regressions_into_the_exit_code() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let (code, stdout) = run(
        dirs[0].path(),
        &["--repeat", "60", "--latency", "all=300ms"],
    );
    assert_eq!(code, Some(0), "{stdout}");
    let base = dirs[0].path().join("run.json");
    let base = base.to_str().unwrap();
    let fault = "{kind: drop_field, field: email, rate: 0.3}";
    let flaky = ["--repeat", "60", "--fault", fault, "--baseline", base];
    let (code, stdout) = run(dirs[1].path(), &flaky);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("regressed: pass rate of signup / both fields at once"),
        "{stdout}"
    );
    assert!(
        stdout.contains("regressed: recall of field email"),
        "{stdout}"
    );
    let (code, stdout) = run(dirs[2].path(), &["--repeat", "60", "--baseline", base]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("no regression"), "{stdout}");
}
