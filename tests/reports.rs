//! End-to-end report files: `convoy run --out` leaves every file, `convoy report`
//! re-renders them byte for byte from run.json, junit.xml has the JUnit structure, an API
//! key never reaches any file, and a directory that cannot be written is exit 3.

mod common;

use common::{StandaloneMock, convoy, convoy_process, read, send_signal, xmllint_junit};
use convoy::report::RunResult;
use convoy::report::result::decode_histogram;
use std::path::Path;
use std::process::Stdio;

const FILES: [&str; 5] = [
    "run.json",
    "turns.csv",
    "latency.csv",
    "junit.xml",
    "summary.md",
];

fn run_into(dir: &Path) -> std::process::Output {
    run_into_with(dir, &[])
}

fn run_into_with(dir: &Path, extra: &[&str]) -> std::process::Output {
    let output = convoy()
        .args(["run", "suites/"])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!("reports: {}", dir.display())),
        "{stdout}"
    );
    output
}

/// A run leaves every report file; run.json parses and its histograms decode.
#[test]
fn run_writes_every_report_file() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path());
    for name in FILES {
        assert!(dir.path().join(name).is_file(), "{name} is missing");
    }
    let text = read(&dir.path().join("run.json"));
    let result = RunResult::from_json(&text).unwrap();
    assert_eq!(result.to_json().unwrap(), text, "run.json round-trips");
    assert_eq!(result.counters.conversations, 30);
    assert_eq!(result.counters.passed, 30);
    let rows = read(&dir.path().join("turns.csv")).lines().count() - 1;
    assert_eq!(
        rows as u64, result.counters.requests,
        "a turns.csv row per request"
    );
    for record in result
        .latency
        .operations
        .iter()
        .chain(&result.latency.turns)
    {
        let h = decode_histogram(&record.hdr).unwrap();
        assert_eq!(h.value_at_quantile(0.9), record.summary.p90_us);
    }
}

/// `convoy report` reproduces latency.csv, junit.xml, summary.md and turns.csv exactly,
/// streaming figures included (the run is streamed).
#[test]
fn report_rerenders_byte_identical_files() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    run_into_with(first.path(), &["--streamed"]);
    let text = read(&first.path().join("run.json"));
    let result = RunResult::from_json(&text).unwrap();
    assert!(!result.latency.gap_turns.is_empty(), "a streamed run");
    assert_eq!(result.to_json().unwrap(), text, "run.json round-trips");
    let output = convoy()
        .arg("report")
        .arg(first.path().join("run.json"))
        .arg("--out")
        .arg(second.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    for name in ["latency.csv", "junit.xml", "summary.md", "turns.csv"] {
        assert_eq!(
            read(&first.path().join(name)),
            read(&second.path().join(name)),
            "{name} differs"
        );
    }
}

/// junit.xml validates against the JUnit schema and its counts add up.
#[test]
fn junit_has_the_junit_structure() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path());
    let xml = read(&dir.path().join("junit.xml"));
    check_junit_structure(&xml);
    xmllint_valid(&dir.path().join("junit.xml"));
    // The schema is strict enough to fail: a testcase without its classname is refused.
    let broken = dir.path().join("broken.xml");
    std::fs::write(&broken, xml.replacen(" classname=", " class=", 1)).unwrap();
    if let Some(out) = xmllint_junit(&broken) {
        assert!(!out.status.success());
    }

    // And with a failure in it: a changed expectation in a copy of the contact suite.
    let suites = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/contact.yaml");
    let changed = read(&source).replacen("first_name: Dana", "first_name: Dina", 1);
    std::fs::write(suites.path().join("contact.yaml"), changed).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = convoy()
        .arg("run")
        .arg(suites.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let xml = read(&out.path().join("junit.xml"));
    assert!(xml.contains("<failure "), "{xml}");
    assert!(xml.contains("<system-out>"), "{xml}");
    check_junit_structure(&xml);
    xmllint_valid(&out.path().join("junit.xml"));
    let summary = read(&out.path().join("summary.md"));
    assert!(summary.contains("### Failed conversations"), "{summary}");
}

/// A hand-rolled structural check: testsuites > testsuite > testcase, each with its
/// required attributes, and tests/failures/errors equal to what the testcases hold.
fn check_junit_structure(xml: &str) {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert!(xml.trim_end().ends_with("</testsuites>"));
    let suites: Vec<&str> = xml.split("<testsuite ").skip(1).collect();
    assert!(!suites.is_empty());
    let (mut total, mut total_failures, mut total_errors) = (0, 0, 0);
    for suite in suites {
        let suite = suite.split("</testsuite>").next().unwrap();
        let head = suite.split('>').next().unwrap();
        for attr in ["name=", "tests=", "failures=", "errors=", "time="] {
            assert!(head.contains(attr), "testsuite without {attr}: {head}");
        }
        let cases: Vec<&str> = suite.split("<testcase ").skip(1).collect();
        for case in &cases {
            for attr in ["name=", "classname=", "time="] {
                assert!(case.contains(attr), "testcase without {attr}: {case}");
            }
        }
        let failures = suite.matches("<failure ").count();
        let errors = suite.matches("<error ").count();
        assert_eq!(attr(head, "tests"), cases.len());
        assert_eq!(attr(head, "failures"), failures);
        assert_eq!(attr(head, "errors"), errors);
        total += cases.len();
        total_failures += failures;
        total_errors += errors;
    }
    let head = xml
        .split("<testsuites ")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert_eq!(attr(head, "tests"), total);
    assert_eq!(attr(head, "failures"), total_failures);
    assert_eq!(attr(head, "errors"), total_errors);
}

fn attr(tag: &str, name: &str) -> usize {
    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    tag[start..].split('"').next().unwrap().parse().unwrap()
}

/// Validates against the JUnit schema with xmllint, when xmllint is installed (`.ci/run`
/// installs it, and fails under CI without it).
fn xmllint_valid(path: &Path) {
    if let Some(out) = xmllint_junit(path) {
        assert!(out.status.success(), "{out:?}");
    }
}

/// With `--target wix` and a real-looking key, no output file contains the key.
#[test]
fn api_key_never_reaches_a_report_file() {
    let mock = StandaloneMock::start();
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/",
            "--target",
            "wix",
            "--base-url",
            &mock.base_url,
            // The real API's 200/min default cap would only slow the test down.
            "--max-rps",
            "0",
        ])
        .arg("--out")
        .arg(dir.path())
        .env("WIX_API_KEY", "some-secret-key")
        .env("WIX_SITE_ID", "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("some-secret-key"));
    for name in FILES {
        let text = read(&dir.path().join(name));
        assert!(
            !text.contains("some-secret-key"),
            "{name} holds the API key"
        );
    }
    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).unwrap();
    assert_eq!(result.config.target, "wix");
}

/// An output path that cannot be a directory is exit 3 with a message naming it, before
/// any request is sent.
#[test]
fn unwritable_output_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let output = convoy()
        .args(["run", "suites/", "--out"])
        .arg(file.join("reports"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("could not prepare reports"), "{stderr}");
    assert!(stderr.contains("a-file"), "{stderr}");
}

/// `--format` writes only the chosen files.
#[test]
fn format_selects_files() {
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--format", "json,md", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["run.json", "summary.md"]);
    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).unwrap();
    assert_eq!(result.name, "contact", "a single suite names the run");
}

/// A bad `--format` is a usage error.
#[test]
fn unknown_format_is_a_usage_error() {
    let output = convoy()
        .args(["run", "suites/", "--format", "json,pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("pdf"));
}

/// Ctrl-C during a run still writes the reports, each saying the run was interrupted.
#[cfg(unix)]
#[test]
fn an_interrupted_run_still_writes_its_reports() {
    // Accepts connections (the kernel does) but never answers: every request hangs.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let child = convoy_process()
        .args([
            "run",
            "suites/",
            "--base-url",
            &url,
            "--timeout",
            "60s",
            "--out",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // turns.csv (its header) exists once the run has started.
    let turns = dir.path().join("turns.csv");
    for _ in 0..200 {
        if turns.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Give the runner time to install its Ctrl-C handler and send the first requests.
    std::thread::sleep(std::time::Duration::from_millis(500));
    send_signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "an interrupted run is not a pass"
    );
    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).unwrap();
    assert!(result.interrupted);
    for name in FILES {
        assert!(dir.path().join(name).is_file(), "{name} is missing");
    }
    common::assert_interrupted_everywhere(dir.path(), &String::from_utf8_lossy(&output.stdout));
}
