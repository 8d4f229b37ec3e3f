//! End-to-end: every example suite passes with `--streamed`, in each framing of the
//! embedded mock and against a standalone `convoy mock --stream-format sse`.

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

fn convoy() -> Command {
    let mut cmd = Command::cargo_bin("convoy").expect("the convoy binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("WIX_API_KEY")
        .env_remove("WIX_SITE_ID")
        .env_remove("WIX_ACCOUNT_ID");
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
}

/// A standalone `convoy mock` on a free loopback port; killed on drop.
struct StandaloneMock {
    child: Child,
    base_url: String,
}

impl StandaloneMock {
    fn start(extra: &[&str]) -> StandaloneMock {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_convoy"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["mock", "--port", "0", "--forms", "suites"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("convoy mock starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut first_line = String::new();
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("mock prints its address");
        let base_url = first_line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the mock's first line: {first_line}"))
            .to_string();
        StandaloneMock { child, base_url }
    }
}

impl Drop for StandaloneMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    let mock = StandaloneMock::start(&["--stream-format", "sse", "--stream-gap", "1ms"]);
    assert_all_pass(&["run", "suites/", "--streamed", "--base-url", &mock.base_url]);
}

/// A fresh directory for a run's report files, so tests never write into `reports/`.
/// Used as a temporary inside the statement that runs convoy, it is removed right after.
fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}
