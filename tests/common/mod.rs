//! Helpers shared by the integration tests that drive the `convoy` binary: a standalone
//! `convoy mock` on a free loopback port (killed on drop), its stats, and scratch dirs.
//! Each test crate uses a subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_convoy"))
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
pub fn report(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every report of the interrupted run in `dir` says it was interrupted, and none shows
/// it as a pass; so does its terminal output (`stdout`).
pub fn assert_interrupted_everywhere(dir: &std::path::Path, stdout: &str) {
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
