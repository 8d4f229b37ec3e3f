//! `convoy run --trace FILE` and `-v`/`-vv` against a standalone mock reached as the real
//! API (`--target wix` with a key): the HAR file has what HAR 1.2 requires and the
//! bodies, never the key; NDJSON has one object per line; streamed entries carry their
//! messages with offsets; a body over `--max-response-bytes` is cut; `--trace-limit`
//! bounds the file; Ctrl-C still leaves a whole trace; `-v` shows passing transcripts and
//! `-vv` raw exchanges, redacted.

mod common;

use base64::Engine;
use common::{StandaloneMock, convoy_process, report, send_signal};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

/// 32 characters, as a real key could be.
const KEY: &str = "IST.k3yS3cr3tF0rTh3Tr4c3T3sts_ab";

/// `convoy run suites/event.yaml` as the real API against `mock`, with `extra` flags.
fn run_wix(mock: &StandaloneMock, out: &Path, extra: &[&str]) -> Output {
    convoy_process()
        .args(["run", "suites/event.yaml", "--target", "wix"])
        .args(["--base-url", &mock.base_url, "--max-rps", "0"])
        .args(["--timeout", "10s", "--concurrency", "2"])
        .arg("--out")
        .arg(out.join("reports"))
        .args(extra)
        .env("WIX_API_KEY", KEY)
        .env("WIX_SITE_ID", "site-for-trace-tests")
        .output()
        .expect("convoy runs")
}

fn trace_path(out: &Path, name: &str) -> String {
    out.join(name).display().to_string()
}

/// Asserts the key appears nowhere in `text`, nor in any base64 spelling.
fn assert_no_key(text: &str, what: &str) {
    let engines = [
        base64::engine::general_purpose::STANDARD.encode(KEY),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY),
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:")),
    ];
    assert!(!text.contains(KEY), "{what} holds the key");
    for encoded in engines {
        assert!(!text.contains(&encoded), "{what} holds the key in base64");
    }
}

/// Every request the run made: its conversations' turns, and one Generate Form Summary
/// call per suite with a `summary:` check.
fn requests_in_run_json(reports: &Path) -> usize {
    let run: Value = serde_json::from_str(&report(reports, "run.json")).unwrap();
    let turns: usize = run["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["turns"].as_array().unwrap().len())
        .sum();
    turns + run["form_summaries"].as_array().map_or(0, Vec::len)
}

fn has(value: &Value, path: &str) -> bool {
    value.pointer(path).is_some()
}

#[test]
fn har_trace_has_every_required_field_and_the_bodies_but_never_the_key() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let path = trace_path(out.path(), "run.har");
    let output = run_wix(&mock, out.path(), &["--trace", &path]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_no_key(&text, "the HAR file");
    let har: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["creator"]["name"], "convoy");
    assert!(har["log"]["creator"]["version"].is_string());
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        requests_in_run_json(&out.path().join("reports"))
    );
    let required = [
        "/startedDateTime",
        "/time",
        "/request/method",
        "/request/url",
        "/request/httpVersion",
        "/request/cookies",
        "/request/headers",
        "/request/queryString",
        "/request/headersSize",
        "/request/bodySize",
        "/response/status",
        "/response/statusText",
        "/response/httpVersion",
        "/response/cookies",
        "/response/headers",
        "/response/content/size",
        "/response/content/mimeType",
        "/response/redirectURL",
        "/response/headersSize",
        "/response/bodySize",
        "/cache",
        "/timings/send",
        "/timings/wait",
        "/timings/receive",
    ];
    for entry in entries {
        for field in required {
            assert!(has(entry, field), "{field} missing in {entry}");
        }
        let started = entry["startedDateTime"].as_str().unwrap();
        assert!(started.ends_with('Z') && started.contains('T'), "{started}");
        for timing in ["send", "wait", "receive"] {
            assert!(entry["timings"][timing].as_f64().unwrap() >= 0.0);
        }
        let auth = entry["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "authorization")
            .unwrap_or_else(|| panic!("no authorization header in {entry}"));
        assert_eq!(auth["value"], "<redacted>");
        let sent: Value =
            serde_json::from_str(entry["request"]["postData"]["text"].as_str().unwrap()).unwrap();
        assert!(sent.is_object(), "{sent}");
        assert_eq!(entry["response"]["status"], 200);
        let received = entry["response"]["content"]["text"].as_str().unwrap();
        let summary = entry["request"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/generate-form-summary");
        let answer = if summary {
            "formSummary"
        } else {
            "interactiveFormSession"
        };
        assert!(received.contains(answer), "{received}");
    }
    assert!(stdout.contains(&format!("trace: {path}")), "{stdout}");
    assert!(!Path::new(&path).with_file_name(".run.har.partial").exists());
}

#[test]
fn ndjson_trace_is_one_entry_per_line() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let path = trace_path(out.path(), "run.ndjson");
    let output = run_wix(
        &mock,
        out.path(),
        &["--trace", &path, "--trace-format", "ndjson"],
    );
    assert_eq!(output.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_no_key(&text, "the NDJSON file");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        requests_in_run_json(&out.path().join("reports"))
    );
    for line in lines {
        let entry: Value = serde_json::from_str(line).unwrap();
        assert!(has(&entry, "/request/postData/text"), "{entry}");
        assert!(has(&entry, "/response/content/text"), "{entry}");
    }
}

#[test]
fn streamed_entries_carry_each_message_with_its_offset() {
    let mock = StandaloneMock::start_with(&["--stream-format", "ndjson"]);
    let out = tempfile::tempdir().unwrap();
    let path = trace_path(out.path(), "streamed.har");
    let output = run_wix(&mock, out.path(), &["--streamed", "--trace", &path]);
    assert_eq!(output.status.code(), Some(0));
    let har: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = har["log"]["entries"].as_array().unwrap();
    // Generate Form Summary has no streamed form: its entries are unary.
    let streamed: Vec<&Value> = entries
        .iter()
        .filter(|e| {
            !e["request"]["url"]
                .as_str()
                .unwrap()
                .ends_with("/generate-form-summary")
        })
        .collect();
    assert!(streamed.len() + 2 >= entries.len() && !streamed.is_empty());
    for entry in streamed {
        let messages = entry["response"]["_messages"]
            .as_array()
            .unwrap_or_else(|| panic!("no _messages in {entry}"));
        let offsets: Vec<f64> = messages
            .iter()
            .map(|m| m["offsetMs"].as_f64().unwrap())
            .collect();
        assert!(offsets.windows(2).all(|w| w[0] <= w[1]), "{offsets:?}");
        let last = messages.last().unwrap();
        assert_eq!(last["chunk"]["chunkType"], "END_OF_RESPONSE", "{entry}");
    }
}

#[test]
fn a_response_over_the_limit_is_cut_in_the_trace() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let path = trace_path(out.path(), "cut.har");
    let output = run_wix(
        &mock,
        out.path(),
        &["--max-response-bytes", "64", "--trace", &path],
    );
    assert_ne!(output.status.code(), Some(0));
    let har: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = har["log"]["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    for entry in entries {
        let content = &entry["response"]["content"];
        assert!(content["text"].as_str().unwrap().len() <= 64, "{entry}");
        assert!(content["size"].as_u64().unwrap() > 64, "{entry}");
        assert_eq!(content["_truncated"], true, "{entry}");
        assert!(entry["_error"].as_str().unwrap().contains("64 bytes"));
    }
}

#[test]
fn trace_limit_keeps_the_first_exchanges_and_notes_the_rest() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let path = trace_path(out.path(), "limited.har");
    let output = run_wix(&mock, out.path(), &["--trace", &path, "--trace-limit", "2"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    let har: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 2);
    let requests = requests_in_run_json(&out.path().join("reports"));
    assert_eq!(har["log"]["_notTraced"], requests as u64 - 2);
    assert!(
        har["log"]["comment"]
            .as_str()
            .unwrap()
            .contains("--trace-limit")
    );
    assert!(stdout.contains("not traced (--trace-limit 2)"), "{stdout}");
}

#[test]
fn v_shows_passing_transcripts_and_vv_raw_exchanges_redacted() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let quiet = run_wix(&mock, out.path(), &[]);
    let quiet = String::from_utf8_lossy(&quiet.stdout).to_string();
    assert!(!quiet.contains("Transcripts (passed)"), "{quiet}");
    let verbose = run_wix(&mock, out.path(), &["-v"]);
    let verbose = String::from_utf8_lossy(&verbose.stdout).to_string();
    assert!(verbose.contains("Transcripts (passed)"), "{verbose}");
    assert!(verbose.contains("    user: "), "{verbose}");
    assert!(!verbose.contains("> POST "), "{verbose}");
    let raw = run_wix(&mock, out.path(), &["-vv"]);
    let raw = String::from_utf8_lossy(&raw.stdout).to_string();
    assert!(raw.contains(&format!("> POST {}", mock.base_url)), "{raw}");
    assert!(raw.contains("> authorization: <redacted>"), "{raw}");
    assert!(raw.contains("< HTTP/1.1 200"), "{raw}");
    assert_no_key(&raw, "-vv output");
}

/// Polls `until` every 50 ms for at most `limit`; false when it never held.
fn poll(limit: Duration, mut until: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if until() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn exit_code_within(child: &mut Child, limit: Duration) -> Option<i32> {
    let mut code = None;
    let exited = poll(limit, || match child.try_wait() {
        Ok(Some(status)) => {
            code = status.code();
            true
        }
        _ => false,
    });
    if !exited {
        let _ = child.kill();
        panic!("convoy did not stop within {limit:?}");
    }
    code
}

#[test]
fn ctrl_c_leaves_a_whole_trace_of_what_was_exchanged() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("load.har");
    let partial = out.path().join(".load.har.partial");
    let mut child = convoy_process()
        .args([
            "run",
            "suites/event.yaml",
            "--vus",
            "2",
            "--duration",
            "60s",
            "-q",
        ])
        .arg("--trace")
        .arg(&path)
        .arg("--out")
        .arg(out.path().join("reports"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("convoy starts");
    // Entries are flushed as they end: wait for a few in the partial file.
    let traced = poll(Duration::from_secs(30), || {
        std::fs::read_to_string(&partial).is_ok_and(|t| t.matches("startedDateTime").count() >= 3)
    });
    send_signal(&child, "-INT");
    assert!(traced, "no exchange reached {}", partial.display());
    assert_eq!(
        exit_code_within(&mut child, Duration::from_secs(30)),
        Some(3)
    );
    let har: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(har["log"]["entries"].as_array().unwrap().len() >= 3);
    assert!(!partial.exists());
}

/// A trace file that cannot be created (its "directory" is a regular file) stops the run
/// before any request, with exit 3 and a message naming the trace; the mock sees nothing.
#[test]
fn a_trace_that_cannot_be_created_stops_the_run_before_any_request() {
    let mock = StandaloneMock::start();
    let out = tempfile::tempdir().unwrap();
    let blocker = out.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let missing = blocker.join("run.har");
    let output = run_wix(&mock, out.path(), &["--trace", missing.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("could not prepare the trace"), "{stderr}");
    assert!(!missing.exists());
    let stats = mock.stats();
    assert_eq!(stats["total"], 0, "{stats}");
}
