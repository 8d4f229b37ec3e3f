//! The fault matrix, end to end: for each fault kind, `convoy run` (functional,
//! `--concurrency 4`) against a standalone `convoy mock --fault <kind at rate 1>` on
//! loopback. Each case checks the error class in run.json, the exit code, that run.json's
//! error counts equal the mock's own tally from `/__convoy/stats`, and that no turn that
//! met a fault was counted a success.

mod common;

use common::{StandaloneMock, convoy_process};
use serde_json::Value;

struct Ran {
    code: Option<i32>,
    run: Value,
}

fn run(base_url: &str, extra: &[&str]) -> Ran {
    let out = tempfile::tempdir().expect("a temporary dir");
    let output = convoy_process()
        .args([
            "run",
            "suites/",
            "--concurrency",
            "4",
            "--base-url",
            base_url,
        ])
        .args(extra)
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("convoy run runs");
    let text = std::fs::read_to_string(out.path().join("run.json")).unwrap_or_else(|e| {
        panic!(
            "run.json ({e}); stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Ran {
        code: output.status.code(),
        run: serde_json::from_str(&text).expect("run.json is JSON"),
    }
}

fn turns(run: &Value) -> Vec<&Value> {
    run["conversations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["turns"].as_array().into_iter().flatten())
        .collect()
}

fn errors_of(run: &Value, class: &str) -> u64 {
    run["counters"]["errors_by_class"][class]
        .as_u64()
        .unwrap_or(0)
}

/// Runs one error case: every injected fault is one errored turn of `class`, and every
/// conversation that met one is errored.
fn error_case(rule: &str, kind: &str, class: &str, extra: &[&str]) {
    let mock = StandaloneMock::start_with(&["--seed", "7", "--fault", rule]);
    let ran = run(&mock.base_url, extra);
    let tally = mock.stats()["faults"][kind].as_u64().unwrap_or(0);
    assert!(tally > 0, "{rule}: the mock injected nothing");
    assert_eq!(
        errors_of(&ran.run, class),
        tally,
        "{rule}: {}",
        ran.run["counters"]
    );
    let errored: Vec<&Value> = turns(&ran.run)
        .into_iter()
        .filter(|t| !t["error"].is_null())
        .collect();
    assert_eq!(errored.len() as u64, tally, "{rule}");
    assert!(
        errored.iter().all(|t| t["error"]["class"] == class),
        "{rule}"
    );
    let conversations = ran.run["conversations"].as_array().map_or(0, Vec::len);
    assert_eq!(
        ran.run["counters"]["errored"].as_u64(),
        Some(conversations as u64),
        "{rule}"
    );
    assert_eq!(ran.run["counters"]["passed"].as_u64(), Some(0), "{rule}");
    // Every conversation errored: the run itself could not be done.
    assert_eq!(ran.code, Some(3), "{rule}");
}

#[test]
fn http_429_is_rate_limited() {
    error_case(
        "{kind: http_429, endpoint: send, rate: 1.0, retry_after: 1s}",
        "http_429",
        "rate_limited",
        &[],
    );
}

#[test]
fn http_500_is_http_500() {
    error_case(
        "{kind: http_500, endpoint: create, rate: 1.0}",
        "http_500",
        "http_500",
        &[],
    );
}

#[test]
fn http_503_is_http_503() {
    error_case(
        "{kind: http_503, endpoint: send, rate: 1.0}",
        "http_503",
        "http_503",
        &[],
    );
}

#[test]
fn http_504_is_http_504() {
    error_case(
        "{kind: http_504, endpoint: send, rate: 1.0, delay: 50ms}",
        "http_504",
        "http_504",
        &[],
    );
}

/// A gateway slower than the client's deadline is a timeout.
#[test]
fn a_slow_504_is_a_timeout() {
    error_case(
        "{kind: http_504, endpoint: send, rate: 1.0, delay: 3s}",
        "http_504",
        "timeout",
        &["--timeout", "300ms"],
    );
}

#[test]
fn reset_is_reset() {
    error_case(
        "{kind: reset, endpoint: send, rate: 1.0}",
        "reset",
        "reset",
        &[],
    );
}

#[test]
fn truncated_unary_is_reset() {
    error_case(
        "{kind: truncated, endpoint: send, rate: 1.0}",
        "truncated",
        "reset",
        &[],
    );
}

#[test]
fn truncated_stream_is_stream_incomplete() {
    error_case(
        "{kind: truncated, endpoint: send, rate: 1.0}",
        "truncated",
        "stream_incomplete",
        &["--streamed"],
    );
}

#[test]
fn malformed_json_is_decode() {
    error_case(
        "{kind: malformed_json, endpoint: create, rate: 1.0}",
        "malformed_json",
        "decode",
        &[],
    );
}

#[test]
fn stream_cut_is_stream_incomplete() {
    error_case(
        "{kind: stream_cut, endpoint: send, rate: 1.0}",
        "stream_cut",
        "stream_incomplete",
        &["--streamed"],
    );
}

#[test]
fn end_failure_is_stream_incomplete() {
    error_case(
        "{kind: end_failure, endpoint: send, rate: 1.0}",
        "end_failure",
        "stream_incomplete",
        &["--streamed"],
    );
}

/// An ERROR chunk nobody expected fails its turn (an assertion, not a transport error):
/// exit 1, and exactly the faulted turns carry a failure.
#[test]
fn error_chunk_fails_the_turn() {
    let mock = StandaloneMock::start_with(&[
        "--seed",
        "7",
        "--fault",
        "{kind: error_chunk, endpoint: send, rate: 1.0}",
    ]);
    let ran = run(&mock.base_url, &[]);
    let tally = mock.stats()["faults"]["error_chunk"].as_u64().unwrap_or(0);
    assert!(tally > 0);
    let with_error: Vec<&Value> = turns(&ran.run)
        .into_iter()
        .filter(|t| {
            t["chunks"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "ERROR")
        })
        .collect();
    assert_eq!(with_error.len() as u64, tally);
    assert!(
        with_error
            .iter()
            .all(|t| !t["failures"].as_array().is_none_or(Vec::is_empty))
    );
    assert_eq!(ran.run["counters"]["passed"].as_u64(), Some(0));
    assert!(
        ran.run["counters"]["errors_by_class"]
            .as_object()
            .is_none_or(|m| m.is_empty())
    );
    assert_eq!(ran.code, Some(1));
}

/// A trickled body is slow, not wrong: everything passes.
#[test]
fn trickle_passes() {
    let mock = StandaloneMock::start_with(&[
        "--seed",
        "7",
        "--fault",
        "{kind: trickle, endpoint: all, rate: 1.0, duration: 30ms}",
    ]);
    let ran = run(&mock.base_url, &[]);
    let tally = mock.stats()["faults"]["trickle"].as_u64().unwrap_or(0);
    // The counters count the conversations' requests; each suite's `summary:` check is one
    // more request, recorded apart.
    let summaries = ran.run["form_summaries"].as_array().map_or(0, Vec::len) as u64;
    let requests = ran.run["counters"]["requests"].as_u64().unwrap_or(0);
    assert!(summaries > 0, "the example suites have summary: checks");
    assert_eq!(tally, requests + summaries);
    assert_eq!(ran.code, Some(0), "{}", ran.run["counters"]);
}

/// Nothing listening: every conversation is a `connect` error, exit 3.
#[test]
fn nothing_listening_is_connect() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let ran = run(&url, &[]);
    let conversations = ran.run["conversations"].as_array().map_or(0, Vec::len) as u64;
    assert!(conversations > 0);
    assert_eq!(errors_of(&ran.run, "connect"), conversations);
    assert_eq!(ran.code, Some(3));
}

/// With --retries, 429s that clear up are retried and the run passes; the mock saw them.
#[test]
fn retries_absorb_transient_429s() {
    let mock = StandaloneMock::start_with(&[
        "--seed",
        "7",
        "--fault",
        "{kind: http_429, endpoint: send, requests: [1, 2, 3], retry_after: 0s}",
    ]);
    let ran = run(&mock.base_url, &["--retries", "2"]);
    assert_eq!(mock.stats()["faults"]["http_429"].as_u64(), Some(3));
    assert_eq!(ran.code, Some(0), "{}", ran.run["counters"]);
    // Each absorbed 429 is a retry, counted apart from the requests.
    assert_eq!(
        ran.run["counters"]["retries"].as_u64(),
        Some(3),
        "{}",
        ran.run["counters"]
    );
    let retried: u64 = turns(&ran.run)
        .iter()
        .filter_map(|t| t["retries"].as_u64())
        .sum();
    assert_eq!(retried, 3);
}

/// The embedded mock takes the same flags: a send latency shows in every send turn (a
/// lower bound), and one injected 503 is absorbed by a retry.
#[test]
fn embedded_mock_takes_latency_and_fault_flags() {
    let out = tempfile::tempdir().expect("a temporary dir");
    let output = convoy_process()
        .args(["run", "suites/", "--concurrency", "4", "--retries", "1"])
        .args(["--latency", "send=40ms..60ms", "--seed", "3"])
        .args(["--fault", "{kind: http_503, endpoint: send, requests: [1]}"])
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("convoy run runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = std::fs::read_to_string(out.path().join("run.json")).expect("run.json");
    let run: Value = serde_json::from_str(&text).expect("run.json is JSON");
    let sends: Vec<&Value> = turns(&run)
        .into_iter()
        .filter(|t| t["operation"] == "send")
        .collect();
    assert!(!sends.is_empty());
    assert!(
        sends
            .iter()
            .all(|t| t["latency_us"].as_u64() >= Some(40_000))
    );
}

/// Mock flags make no sense against another server: a usage error, before any request.
#[test]
fn mock_flags_with_a_base_url_are_a_usage_error() {
    let output = convoy_process()
        .args([
            "run",
            "suites/",
            "--base-url",
            "http://127.0.0.1:9",
            "--stall",
            "1s@0s",
        ])
        .output()
        .expect("convoy run runs");
    assert_eq!(output.status.code(), Some(2));
    let output = convoy_process()
        .args(["run", "suites/", "--fault", "{kind: nope}"])
        .output()
        .expect("convoy run runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--fault:1:"));
}
