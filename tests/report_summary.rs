//! `convoy report run.json` prints the terminal summary the run printed: the same text,
//! byte for byte, for a passing and a failing functional run and for a short load run
//! (the summary is rendered from run.json alone). Each run takes a second or two on the
//! embedded mock and stops by itself.

mod common;

use common::convoy_process;
use std::path::Path;

/// stdout of `convoy ARGS`, which must exit with `code`.
fn stdout_of(args: &[&str], out: &Path, code: i32) -> String {
    let output = convoy_process()
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("convoy runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

/// The summary part: without the run's header line, notes and the `reports:` line.
fn summary_part(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| !l.starts_with("convoy run · "))
        .filter(|l| !l.starts_with("note: "))
        .filter(|l| !l.starts_with("reports: "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `args` with run.json written, then `convoy report` on it, and compares.
fn same_summary(args: &[&str], code: i32, expect_in_summary: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (run_dir, again) = (dir.path().join("run"), dir.path().join("again"));
    let mut run_args = vec!["run"];
    run_args.extend_from_slice(args);
    run_args.extend_from_slice(&["--format", "json"]);
    let ran = stdout_of(&run_args, &run_dir, code);
    let run_json = run_dir.join("run.json");
    let run_json = run_json.to_str().expect("a UTF-8 path");
    let reported = stdout_of(&["report", run_json, "--format", "md"], &again, 0);
    let (ran, reported) = (summary_part(&ran), summary_part(&reported));
    assert!(ran.contains(expect_in_summary), "{ran}");
    assert_eq!(ran, reported, "run:\n{ran}\n\nreport:\n{reported}");
    let quiet = stdout_of(&["report", run_json, "--format", "md", "-q"], &again, 0);
    assert!(!quiet.contains("verdict:"), "{quiet}");
}

#[test]
fn a_passing_functional_run_reads_the_same_from_run_json() {
    same_summary(&["suites/contact.yaml"], 0, "verdict: passed");
}

#[test]
fn a_failing_functional_run_reads_the_same_from_run_json() {
    same_summary(
        &[
            "tests/fixtures/regress/signup.yaml",
            "--fault",
            "{kind: drop_field, field: email, rate: 1.0}",
            "--threshold",
            "send.p99<1us",
        ],
        1,
        "Failures",
    );
}

#[test]
fn a_load_run_reads_the_same_from_run_json() {
    same_summary(
        &[
            "suites/contact.yaml",
            "--vus",
            "3",
            "--duration",
            "2s",
            "--think",
            "100ms",
            "--quiet",
        ],
        0,
        "per turn",
    );
}
