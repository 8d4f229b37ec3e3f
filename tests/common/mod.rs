//! Helpers shared by the integration tests that drive the `convoy` binary: the binary
//! itself in a clean environment, a standalone `convoy mock` on a free loopback port
//! (killed on drop), its stats, scratch dirs, and the honest skip of a test whose
//! external tool is missing. Each test crate uses a subset, hence the `dead_code`
//! allowance.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Variables of the developer's or CI's shell that would change what convoy does: Wix
/// credentials (a real key must never reach a test run or its reports), a shard index
/// (`JOB_COMPLETION_INDEX` turns a run into one shard of it) and `CI` (`convoy record`
/// refuses to run under CI). A test that wants one sets it after calling the helper.
const AMBIENT_ENV: [&str; 5] = [
    "WIX_API_KEY",
    "WIX_SITE_ID",
    "WIX_ACCOUNT_ID",
    "JOB_COMPLETION_INDEX",
    "CI",
];

/// The `convoy` binary run from the crate root (where `suites/` and `tests/fixtures/`
/// resolve), with none of [`AMBIENT_ENV`]: a std `Command`, for tests that spawn it
/// (signals, several runs at once).
pub fn convoy_process() -> Command {
    convoy_process_in(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// [`convoy_process`] run from `dir`.
pub fn convoy_process_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_convoy"));
    cmd.current_dir(dir);
    for name in AMBIENT_ENV {
        cmd.env_remove(name);
    }
    cmd
}

/// [`convoy_process`] as an `assert_cmd` command (`.timeout`, `.assert()`).
pub fn convoy() -> assert_cmd::Command {
    assert_cmd::Command::from_std(convoy_process())
}

/// [`convoy`] run from `dir` (a scratch copy of suites, for `convoy record`).
pub fn convoy_in(dir: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(convoy_process_in(dir))
}

/// Says on the test's terminal that a test did not check what it is for, and why.
/// Written to the process's stderr handle, not with `eprintln!`: the test harness
/// captures `eprintln!` of a passing test, so the skip would not show in `cargo test`'s
/// output. `.ci/run` makes sure CI has the tools, so no skip happens there.
pub fn skipped(reason: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {reason}");
}

/// `xmllint --noout --schema tests/fixtures/junit/junit.xsd PATH` (the JUnit format as
/// CI test views read it); `None`, said with [`skipped`], when xmllint is not installed.
pub fn xmllint_junit(path: &Path) -> Option<Output> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/junit.xsd");
    match Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(path)
        .output()
    {
        Ok(out) => Some(out),
        Err(e) => {
            skipped(&format!(
                "xmllint could not run ({e}): {} not checked against the JUnit schema \
                 (apt-get install libxml2-utils)",
                path.display()
            ));
            None
        }
    }
}

/// Sends `signal` (`-INT`, `-TERM`) to `child` with kill(1), as a user's Ctrl-C or an
/// orchestrator's stop would.
pub fn send_signal(child: &Child, signal: &str) {
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success(), "kill {signal} failed");
}

/// A standalone `convoy mock --forms suites` on a free loopback port; killed on drop.
pub struct StandaloneMock {
    pub child: Child,
    /// The base URL the mock printed on its first line.
    pub base_url: String,
}

impl StandaloneMock {
    pub fn start() -> StandaloneMock {
        StandaloneMock::start_with(&[])
    }

    /// With extra `convoy mock` flags (faults, latency, stream format...).
    pub fn start_with(extra: &[&str]) -> StandaloneMock {
        let mut child = convoy_process()
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
            .expect("the mock prints its address");
        let base_url = first_line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the mock's first line: {first_line}"))
            .to_string();
        StandaloneMock { child, base_url }
    }

    /// `GET /__convoy/stats` over a plain socket (no async runtime needed).
    pub fn stats(&self) -> serde_json::Value {
        let authority = self
            .base_url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default();
        let mut socket = TcpStream::connect(authority).expect("the mock accepts");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout set");
        let request = format!(
            "GET /__convoy/stats HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
        );
        socket.write_all(request.as_bytes()).expect("request sent");
        let mut response = String::new();
        socket.read_to_string(&mut response).expect("response read");
        let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).expect("stats are JSON")
    }
}

impl Drop for StandaloneMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory for a run's report files, so tests never write into `reports/`.
/// Used as a temporary inside the statement that runs convoy, it is removed right after.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Reads a report file of `dir`, naming it when it is missing.
pub fn report(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Reads a file, naming it when it is missing.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every report of the interrupted run in `dir` says it was interrupted, and none shows
/// it as a pass; so does its terminal output (`stdout`).
pub fn assert_interrupted_everywhere(dir: &Path, stdout: &str) {
    let verdict = stdout
        .lines()
        .find(|l| l.starts_with("verdict: "))
        .unwrap_or_else(|| panic!("no verdict line:\n{stdout}"));
    assert!(verdict.contains("interrupted"), "{verdict}");
    let summary = report(dir, "summary.md");
    let heading = summary.lines().next().unwrap_or_default();
    assert!(heading.contains("interrupted"), "{heading}");
    assert!(
        !heading.contains('✅') && !heading.contains("passed"),
        "{heading}"
    );
    let html = report(dir, "report.html");
    assert!(
        html.contains("<span class=\"word\">INTERRUPTED"),
        "no interrupted banner"
    );
    assert!(!html.contains("class=\"verdict passed\""));
    let junit = report(dir, "junit.xml");
    assert!(
        junit.contains("<property name=\"interrupted\" value=\"true\"/>"),
        "{junit}"
    );
    assert!(junit.contains("type=\"interrupted\""), "{junit}");
    let json: serde_json::Value =
        serde_json::from_str(&report(dir, "run.json")).expect("run.json is JSON");
    assert_eq!(json["interrupted"], true);
    assert_eq!(json["verdict"]["interrupted"], true);
    let headline = json["verdict"]["headline"].as_str().unwrap_or_default();
    assert!(headline.contains("interrupted"), "{headline}");
}
