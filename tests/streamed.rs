//! End-to-end: every example suite passes with `--streamed`, in each framing of the
//! embedded mock and against a standalone `convoy mock --stream-format sse`.

mod common;

use assert_cmd::Command;
use common::{StandaloneMock, scratch_dir};

/// A hang guard: a stream that never ends fails the test instead of stalling it.
fn convoy() -> Command {
    let mut cmd = common::convoy();
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

fn assert_all_pass(args: &[&str]) {
    let output = convoy()
        .args(args)
        .arg("--out")
        .arg(scratch_dir().path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains(" 0 failed, 0 errored"), "{stdout}");
    // Streamed turns have a time to first chunk, shown with the streaming figures.
    assert!(stdout.contains("send first chunk"), "{stdout}");
}

/// Every example conversation passes streamed, whichever framing the embedded mock uses.
#[test]
fn example_suites_pass_streamed_in_every_framing() {
    for format in ["array", "ndjson", "sse"] {
        assert_all_pass(&["run", "suites/", "--streamed", "--stream-format", format]);
    }
}

/// The same, against a separate `convoy mock` process serving SSE with some pacing.
#[test]
fn example_suites_pass_streamed_against_a_standalone_sse_mock() {
    let mock = StandaloneMock::start_with(&["--stream-format", "sse", "--stream-gap", "1ms"]);
    assert_all_pass(&["run", "suites/", "--streamed", "--base-url", &mock.base_url]);
}
