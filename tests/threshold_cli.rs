//! Thresholds end to end: a failed `--threshold` makes `convoy run` exit 1 and is listed
//! failed in summary.md, junit.xml, report.html and run.json; a held one keeps exit 0; a
//! bad expression is a usage error pointing at the bad part; a suite's `thresholds:`
//! are evaluated with their `file:line`; `convoy report` re-evaluates them.

mod common;

use common::convoy;
use convoy::report::RunResult;
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    convoy()
        .args(["run", "suites/", "--out"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

/// `send.p95<1ms` cannot hold against a real server: exit 1, failed in every report.
#[test]
fn a_failed_threshold_fails_the_run_and_is_reported_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[
            "--threshold",
            "send.p95<1ms",
            "--threshold",
            "pass_rate>=0.99",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("thresholds: 1 passed, 1 failed"),
        "{stdout}"
    );
    assert!(stdout.contains("✗ send.p95<1ms (observed "), "{stdout}");
    assert!(
        stdout.contains("✓ pass_rate>=0.99 (observed 1.0000)"),
        "{stdout}"
    );

    let summary = read(&dir.path().join("summary.md"));
    assert!(
        summary.contains("## ❌ convoy run · 5 suites failed"),
        "{summary}"
    );
    assert!(summary.contains("| send\\.p95&lt;1ms |"), "{summary}");
    assert!(summary.contains("❌ failed"), "{summary}");

    let junit = read(&dir.path().join("junit.xml"));
    assert!(junit.contains("<testsuite name=\"thresholds\" tests=\"2\" failures=\"1\""));
    assert!(junit.contains("<testcase name=\"send.p95&lt;1ms\" classname=\"thresholds\""));
    assert!(junit.contains("type=\"threshold\""));
    assert!(junit.contains("<testcase name=\"pass_rate&gt;=0.99\" classname=\"thresholds\" file=\"--threshold\" time=\"0.000\"/>"));

    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("<span class=\"word\">FAILED</span>"));
    assert!(html.contains("<code>send.p95&lt;1ms</code>"));
    assert!(html.contains("<span class=\"badge failed\">failed</span>"));

    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).unwrap();
    let t: Vec<(&str, bool)> = result
        .thresholds
        .iter()
        .map(|t| (t.expression.as_str(), t.passed))
        .collect();
    assert_eq!(t, [("send.p95<1ms", false), ("pass_rate>=0.99", true)]);
}

/// A threshold that holds keeps the exit code 0; one with no samples fails with a reason.
#[test]
fn held_thresholds_pass_and_missing_samples_fail() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--threshold", "pass_rate>=0.99"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--threshold", "ttfc.p95<500ms"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("✗ ttfc.p95<500ms (no samples)"), "{stdout}");
    // Streamed, the same threshold has samples and holds.
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--streamed", "--threshold", "ttfc.p95<5s"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

/// A bad expression is exit 2 before anything runs, with a caret and a suggestion.
#[test]
fn a_bad_threshold_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--threshold", "sned.p95<2s"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown metric `sned`"), "{stderr}");
    assert!(stderr.contains("  | sned.p95<2s\n  | ^^^^\n"), "{stderr}");
    assert!(stderr.contains("did you mean `send`?"), "{stderr}");
    assert!(!dir.path().join("run.json").exists());
}

/// Suite-level `thresholds:` run with their `file:line` as source; `convoy report`
/// re-evaluates stored thresholds and a failing `--threshold` given to it is exit 1.
#[test]
fn suite_thresholds_and_report_reevaluation() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("contact.yaml");
    let mut text = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/contact.yaml"));
    let first_line = text.lines().count() + 2;
    text.push_str("thresholds:\n  - send.max<1ms\n  - \"error_rate<=0.01\"\n");
    std::fs::write(&suite, text).unwrap();
    let out = dir.path().join("out");
    let output = convoy()
        .arg("run")
        .arg(&suite)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("✗ send.max<1ms"), "{stdout}");
    assert!(
        stdout.contains("✓ error_rate<=0.01 (observed 0.0000)"),
        "{stdout}"
    );
    let result = RunResult::from_json(&read(&out.join("run.json"))).unwrap();
    let source = &result.thresholds[0].source;
    assert!(
        source.ends_with(&format!("contact.yaml:{first_line}")),
        "{source}"
    );

    let report = |extra: &[&str]| {
        convoy()
            .arg("report")
            .arg(out.join("run.json"))
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(report(&[]).status.code(), Some(0));
    assert!(read(&out.join("summary.md")).contains("send\\.max&lt;1ms"));
    let failing = report(&["--threshold", "send.p50<1ms"]);
    assert_eq!(failing.status.code(), Some(1), "{failing:?}");
    let junit = read(&out.join("junit.xml"));
    assert!(
        junit.contains("<testsuite name=\"thresholds\" tests=\"3\" failures=\"2\""),
        "{junit}"
    );
}

/// `convoy run ARGS --out DIR` on the example personas.
fn run_personas(dir: &Path, extra: &[&str]) -> std::process::Output {
    convoy()
        .args(["run", "suites/personas.yaml", "--out"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

/// The example personas all succeed within 4 turns on the default mock: success and
/// turn budgets hold (exit 0); a budget of 1 turn fails (exit 1) and shows the 4 seen.
#[test]
fn persona_thresholds_judge_the_example_personas() {
    let dir = tempfile::tempdir().unwrap();
    let held = [
        "--threshold",
        "persona.success_rate>=0.95",
        "--threshold",
        "persona.turns.p90<=6",
    ];
    let output = run_personas(dir.path(), &held);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("✓ persona.success_rate>=0.95 (observed 1.0000)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✓ persona.turns.p90<=6 (observed 4)"),
        "{stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let output = run_personas(dir.path(), &["--threshold", "persona.turns.max<=1"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("✗ persona.turns.max<=1 (observed 4)"),
        "{stdout}"
    );
    // A suite without personas has none to judge.
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--out"])
        .arg(dir.path())
        .args(["--threshold", "persona.success_rate>=0.95"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("✗ persona.success_rate>=0.95 (no persona runs)"),
        "{stdout}"
    );
}

/// A duration for turns is refused before anything runs, on the command line with a
/// caret and in a suite's `thresholds:` at its line and column.
#[test]
fn a_duration_for_persona_turns_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_personas(dir.path(), &["--threshold", "persona.turns.p90<=6s"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`6s` is a duration, but turns are counted"),
        "{stderr}"
    );
    assert!(stderr.contains("`6`, not `6s`"), "{stderr}");
    let suite = dir.path().join("personas.yaml");
    let mut text = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/personas.yaml"));
    let line = text.lines().count() + 2;
    text.push_str("thresholds:\n  - persona.turns.p90<=6s\n");
    std::fs::write(&suite, text).unwrap();
    let std::process::Output { status, stderr, .. } =
        convoy().arg("validate").arg(&suite).output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("personas.yaml:{line}:24")),
        "{stderr}"
    );
    assert!(stderr.contains("turns are counted"), "{stderr}");
}
