//! End-to-end: the `convoy` binary running the example suites against the embedded mock
//! and against a standalone `convoy mock` reached with `--base-url`.

mod common;

use common::{StandaloneMock, convoy, convoy_process, scratch_dir};
use std::path::Path;
use std::process::Stdio;

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The README's main job: every example conversation passes on the embedded mock.
#[test]
fn example_suites_pass_on_the_embedded_mock() {
    let output = convoy()
        .args(["run", "suites/"])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    let stdout = stdout_of(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains(" 0 failed, 0 errored"), "{stdout}");
    assert!(!stdout.contains('✗'), "{stdout}");
}

/// One changed expectation makes the run fail, naming its file:line, expected and actual.
#[test]
fn a_changed_expectation_fails_with_its_suite_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/contact.yaml");
    let original = std::fs::read_to_string(source).unwrap();
    let needle = "first_name: Dana";
    let line = original
        .lines()
        .position(|l| l.contains(needle))
        .expect("contact.yaml expects first_name: Dana somewhere")
        + 1;
    let broken = original.replacen(needle, "first_name: Dora", 1);
    let path = dir.path().join("contact.yaml");
    std::fs::write(&path, broken).unwrap();

    let output = convoy()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let location = format!("{}:{line}:", path.display());
    assert!(
        stdout.contains(&location),
        "expected {location} in:\n{stdout}"
    );
    assert!(stdout.contains("expected: \"Dora\""), "{stdout}");
    assert!(stdout.contains("actual:   \"Dana\""), "{stdout}");
    assert!(stdout.contains("request id "), "{stdout}");
}

/// The real-API code path (auth headers, dry-run) pointed at a standalone mock.
#[test]
fn standalone_mock_via_base_url_passes_with_both_targets() {
    let mock = StandaloneMock::start();
    let output = convoy()
        .args(["run", "suites/", "--base-url", &mock.base_url])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout_of(&output));
    assert!(stdout_of(&output).contains(&mock.base_url));

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
        .env("WIX_API_KEY", "test-key-not-secret-1234")
        .env("WIX_SITE_ID", "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10")
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("test-key-not-secret-1234"));
}

/// An unreachable target is a run error (exit 3), each conversation classed `connect`.
#[test]
fn unreachable_target_exits_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The listener is dropped at the end of the statement, so nothing listens on `port`.
    let url = format!("http://127.0.0.1:{port}");
    let output = convoy()
        .args(["run", "suites/", "--base-url", &url, "--timeout", "5s"])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("error: connect"), "{stdout}");
}

/// --target wix without credentials is a configuration error: exit 2, nothing sent.
#[test]
fn wix_target_without_api_key_exits_2() {
    let output = convoy()
        .args(["run", "suites/", "--target", "wix"])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("WIX_API_KEY"));
}

/// --filter selects by tag or by part of a name; a filter matching nothing is exit 2.
#[test]
fn filter_selects_conversations() {
    let passed = |s: &str| {
        s.lines()
            .filter(|l| l.trim_start().starts_with('✓'))
            .count()
    };
    let all = stdout_of(
        &convoy()
            .args(["run", "suites/"])
            .arg("--out")
            .arg(scratch_dir().path())
            .output()
            .unwrap(),
    );
    let smoke = convoy()
        .args(["run", "suites/", "--filter", "smoke"])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    assert_eq!(smoke.status.code(), Some(0));
    let smoke_count = passed(&stdout_of(&smoke));
    assert!(
        smoke_count >= 1 && smoke_count < passed(&all),
        "smoke {smoke_count} of {}",
        passed(&all)
    );

    let none = convoy()
        .args(["run", "suites/", "--filter", "no-such-conversation-xyz"])
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
}

/// `convoy run | head -1`: a closed stdout is not a crash; the run still finishes.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let out = scratch_dir();
    let mut child = convoy_process()
        .args(["run", "suites/", "--out"])
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convoy starts");
    // Close our end of stdout at once, as `head` does after its first line.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("convoy ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(out.path().join("run.json").exists());
}
