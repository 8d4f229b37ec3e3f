//! Snapshots of what `convoy run` prints to a terminal: a passing functional run, a
//! failing one, a load run, and runs that go wrong (a closed port, an errored turn). The
//! safety net for refactors of the terminal summary: timings, ports, ids and paths are
//! masked, everything else must stay as it is. Then assertions on what masking hides:
//! the header printed before a load run, latency in three significant figures, and the
//! messages and titles a new user meets first.

mod common;

use common::convoy_process;
use regex::Regex;
use std::io::BufRead;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// `convoy ARGS --format FORMATS --out DIR`: the output, with `DIR` in stdout as `<out>`.
fn convoy_run(args: &[&str], formats: &str, out: &std::path::Path) -> (Output, String) {
    let output = convoy_process()
        .args(args)
        .args(["--format", formats, "--out"])
        .arg(out)
        .output()
        .expect("convoy runs");
    let stdout =
        String::from_utf8_lossy(&output.stdout).replace(&out.display().to_string(), "<out>");
    (output, stdout)
}

fn convoy_stdout(args: &[&str]) -> String {
    let out = tempfile::tempdir().expect("a temporary directory");
    let (output, stdout) = convoy_run(args, "json", out.path());
    format!("exit {:?}\n{}", output.status.code(), mask(&stdout))
}

/// A loopback base URL nothing listens on (a port just bound, then let go).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Replaces what changes from run to run, then collapses the padding that the varying
/// widths leave behind (columns are aligned to their widest cell).
fn mask(text: &str) -> String {
    let rules = [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<id>",
        ),
        (r"\b\d+(\.\d+)?(ms|µs|s)\b", "<t>"),
        (r"\b\d+\.\d+ (sessions|requests)/s", "<n> $1/s"),
    ];
    let mut text = text.to_string();
    for (pattern, replacement) in rules {
        let re = Regex::new(pattern).expect("a valid pattern");
        text = re.replace_all(&text, replacement).into_owned();
    }
    let spaces = Regex::new(r" {2,}").expect("a valid pattern");
    text.lines()
        .map(|line| spaces.replace_all(line.trim_end(), "  ").into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn functional_run_that_passes() {
    insta::assert_snapshot!(convoy_stdout(&["run", "suites/contact.yaml"]));
}

/// The email is dropped from every answer: failures cite the suite line, expected and
/// actual; the scorecard counts the misses.
#[test]
fn functional_run_that_fails() {
    insta::assert_snapshot!(convoy_stdout(&[
        "run",
        "tests/fixtures/regress/signup.yaml",
        "--fault",
        "{kind: drop_field, field: email, rate: 1.0}",
    ]));
}

/// One virtual user, ten sessions: the mix and every count are deterministic.
#[test]
fn load_run() {
    insta::assert_snapshot!(convoy_stdout(&[
        "run",
        "suites/contact.yaml",
        "--vus",
        "1",
        "--iterations",
        "10",
        "--quiet",
    ]));
}

/// No network: every conversation is refused the same way, and the refusal is shown once
/// with its count rather than once per conversation.
#[test]
fn identical_errors_are_grouped() {
    let base_url = closed_port();
    let stdout = convoy_stdout(&["run", "suites/contact.yaml", "--base-url", &base_url]);
    assert!(
        stdout.contains("1) 7× error (connect): cannot connect"),
        "{stdout}"
    );
    assert!(!stdout.contains("\n2) "), "{stdout}");
    insta::assert_snapshot!(stdout);
}

/// A send answered with HTTP 500 was not done: `0/1 turns`, not `1/1`.
#[test]
fn an_errored_turn_is_not_counted_as_done() {
    let stdout = convoy_stdout(&[
        "run",
        "tests/fixtures/regress/signup.yaml",
        "--fault",
        "{kind: http_500, endpoint: send, rate: 1.0}",
    ]);
    assert!(
        stdout.contains("! both fields at once  0/1 turns"),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
}

/// A load run where nothing was answered: its latency rows say "no samples", not `0µs`.
#[test]
fn rows_without_samples_say_so() {
    let base_url = closed_port();
    let stdout = convoy_stdout(&[
        "run",
        "suites/contact.yaml",
        "--base-url",
        &base_url,
        "--vus",
        "1",
        "--iterations",
        "3",
        "--quiet",
    ]);
    assert!(stdout.contains("\ncreate  0  no samples\n"), "{stdout}");
    assert!(!stdout.contains("<t>  <t>"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

/// The header names the target before a load run starts, not after it ends: the first
/// line arrives while a 60-second run is still going.
#[test]
fn the_header_comes_before_a_load_run() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let started = Instant::now();
    let mut child = convoy_process()
        .args([
            "run",
            "suites/contact.yaml",
            "--vus",
            "1",
            "--duration",
            "60s",
        ])
        .args(["--max-rps", "20", "--format", "json", "--out"])
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("convoy starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first = String::new();
    let read = std::io::BufReader::new(stdout).read_line(&mut first);
    let running = child.try_wait().expect("a status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    read.expect("a first line");
    assert!(
        first.starts_with("convoy run · 7 conversation(s) · embedded mock http://127.0.0.1:"),
        "{first}"
    );
    assert!(running, "the run had ended before its first line");
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Latency cells of 1 ms and more have three significant figures (`5.12ms`, not `5ms`).
#[test]
fn latency_has_three_significant_figures() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let args = ["run", "suites/contact.yaml", "--latency", "all=5ms..9ms"];
    let (_, stdout) = convoy_run(&args, "json", out.path());
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("create ") || l.starts_with("send "))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    let three = Regex::new(r"^(\d\.\d\dms|\d\d\.\dms|\d{3}ms|\d\.\d\ds)$").expect("a pattern");
    for cell in rows.iter().flat_map(|row| row.split_whitespace().skip(2)) {
        assert!(three.is_match(cell), "{cell} in\n{stdout}");
    }
}

/// An unknown metric gets the list of every metric, run-level ones included.
#[test]
fn an_unknown_threshold_metric_lists_every_metric() {
    let output = convoy_process()
        .args(["run", "suites", "--threshold", "foo<1"])
        .output()
        .expect("convoy runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown metric `foo`"), "{stderr}");
    assert!(stderr.contains("`send`, `turn[N]`"), "{stderr}");
    assert!(stderr.contains("`pass_rate`, `error_rate`"), "{stderr}");
}

/// An unset `${VAR}` form id: the suite's diagnostic, prefixed `error:` once.
#[test]
fn an_unset_form_id_variable_is_reported_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let suite = std::fs::read_to_string("tests/fixtures/regress/signup.yaml").expect("a suite");
    let suite = suite.replace(
        "5d2c8e1a-4b3f-4a6e-9c7d-1e2f3a4b5c6d",
        "${CONVOY_UNSET_VAR}",
    );
    let path = dir.path().join("signup.yaml");
    std::fs::write(&path, suite).expect("written");
    let output = convoy_process()
        .env_remove("CONVOY_UNSET_VAR")
        .arg("run")
        .arg(&path)
        .args(["--format", "json", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("convoy runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: environment variable `CONVOY_UNSET_VAR` is not set"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

/// Several suites make a run named `run`: titles count the suites instead of saying
/// "convoy run run".
#[test]
fn titles_of_a_run_of_several_suites() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let (output, stdout) = convoy_run(&["run", "suites"], "md,html", out.path());
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let summary = std::fs::read_to_string(out.path().join("summary.md")).expect("summary.md");
    assert!(
        summary.starts_with("## ✅ convoy run · 5 suites passed\n"),
        "{summary}"
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(html.contains("<title>convoy · 5 suites · passed</title>"));
    assert!(html.contains("</span> convoy · 5 suites</h1>"));
    for text in [&summary, &html] {
        assert!(!text.contains("convoy run run") && !text.contains("convoy · run"));
    }
}
