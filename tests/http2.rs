//! HTTP/2 end to end: `convoy run --http2` speaks h2c (prior knowledge) to a standalone
//! `convoy mock`, which serves it beside HTTP/1.1 on the same port, in every stream
//! framing; each turn's protocol is recorded in turns.csv and run.json.

mod common;

use assert_cmd::Command;
use common::{StandaloneMock, report, scratch_dir};
use std::path::Path;

/// A hang guard: a stream that never ends fails the test instead of stalling it.
fn convoy() -> Command {
    let mut cmd = common::convoy();
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

/// Runs the example suites against `base_url` with `extra` flags, expecting a pass, and
/// returns the distinct values of turns.csv's `protocol` column and of run.json's
/// `turns[].protocol`.
fn protocols(base_url: &str, extra: &[&str], out: &Path) -> (Vec<String>, Vec<String>) {
    let output = convoy()
        .args(["run", "suites/", "--base-url", base_url, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("convoy runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{extra:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains(" 0 failed, 0 errored"), "{stdout}");
    let csv = report(out, "turns.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    // Appended last, so the columns before it keep their positions.
    let column = headers.len().saturating_sub(1);
    assert_eq!(headers.get(column), Some("protocol"), "{headers:?}");
    let mut from_csv: Vec<String> = reader
        .records()
        .map(|r| r.expect("a row").get(column).unwrap_or("").to_string())
        .collect();
    from_csv.sort();
    from_csv.dedup();
    let run: serde_json::Value =
        serde_json::from_str(&report(out, "run.json")).expect("run.json is JSON");
    let mut from_json: Vec<String> = run["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .flat_map(|c| c["turns"].as_array().cloned().unwrap_or_default())
        .map(|t| t["protocol"].as_str().unwrap_or("").to_string())
        .collect();
    from_json.sort();
    from_json.dedup();
    (from_csv, from_json)
}

/// `--http2` against an `http://` mock is h2c in every framing; the streamed figures
/// (time to first chunk) are there as over HTTP/1.1.
#[test]
fn example_suites_pass_over_h2c_in_every_stream_framing() {
    for format in ["array", "ndjson", "sse"] {
        let mock = StandaloneMock::start_with(&["--stream-format", format]);
        let out = scratch_dir();
        let seen = protocols(&mock.base_url, &["--streamed", "--http2"], out.path());
        assert_eq!(
            seen,
            (vec!["HTTP/2".into()], vec!["HTTP/2".into()]),
            "{format}"
        );
        let csv = report(out.path(), "turns.csv");
        // Every streamed turn has its time to first chunk (column `ttfc_ms`).
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        for row in reader.records() {
            let row = row.expect("a row");
            assert!(!row.get(10).unwrap_or("").is_empty(), "{format}: {row:?}");
        }
    }
}

/// Without `--http2` (or with `--http1`) an `http://` target is spoken to in HTTP/1.1;
/// unary calls over h2c pass too.
#[test]
fn the_same_mock_port_serves_http1_and_h2c() {
    let mock = StandaloneMock::start();
    let http1 = vec!["HTTP/1.1".to_string()];
    let http2 = vec!["HTTP/2".to_string()];
    let out = scratch_dir();
    assert_eq!(
        protocols(&mock.base_url, &[], out.path()),
        (http1.clone(), http1.clone())
    );
    let out = scratch_dir();
    assert_eq!(
        protocols(&mock.base_url, &["--http1"], out.path()),
        (http1.clone(), http1)
    );
    let out = scratch_dir();
    assert_eq!(
        protocols(&mock.base_url, &["--http2"], out.path()),
        (http2.clone(), http2)
    );
}

#[test]
fn http1_and_http2_are_exclusive() {
    let output = convoy()
        .args(["run", "suites/", "--http1", "--http2"])
        .output()
        .expect("convoy runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--http2"), "{stderr}");
}

/// A turn that fails with an HTTP status still names the version it came in, and
/// run.json's config records the forced version (`http2`); a negotiated run records none.
#[test]
fn an_errored_turn_keeps_its_protocol_and_the_config_records_the_flag() {
    let mock =
        StandaloneMock::start_with(&["--fault", "{kind: http_500, endpoint: send, requests: [1]}"]);
    let out = scratch_dir();
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--http2", "--base-url"])
        .arg(&mock.base_url)
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("convoy runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "a run with an errored conversation"
    );
    let run: serde_json::Value =
        serde_json::from_str(&report(out.path(), "run.json")).expect("run.json is JSON");
    assert_eq!(run["config"]["http"], "http2");
    let errored: Vec<&serde_json::Value> = run["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .flat_map(|c| c["turns"].as_array().into_iter().flatten())
        .filter(|t| t["status"] == 500)
        .collect();
    assert_eq!(errored.len(), 1, "one send got the 500");
    assert_eq!(errored[0]["protocol"], "HTTP/2");
    let csv = report(out.path(), "turns.csv");
    let row = csv
        .lines()
        .find(|l| l.contains(",500,"))
        .unwrap_or_else(|| panic!("a row with status 500:\n{csv}"));
    assert!(row.ends_with(",HTTP/2"), "{row}");

    let negotiated = scratch_dir();
    let _ = protocols(&mock.base_url, &[], negotiated.path());
    let run: serde_json::Value =
        serde_json::from_str(&report(negotiated.path(), "run.json")).expect("run.json is JSON");
    assert!(run["config"].get("http").is_none(), "{}", run["config"]);
}
