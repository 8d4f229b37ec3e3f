//! `--turns-csv` decides which rows turns.csv keeps (every failure always, passing
//! conversations by mode), the mode is recorded in run.json, and each row carries its
//! conversation's tags. Functional runs against the embedded mock, bounded by their
//! conversation count; faults are injected so that there are failures to keep.

mod common;

use common::{convoy, report, scratch_dir};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// A functional run of the example suites, 600 conversation runs, with about 5% of sends
/// failing; the exit code is not the point (there are failures on purpose).
fn faulty_run(mode: &str, out: &Path) -> Value {
    let output = convoy()
        .args([
            "run",
            "suites/",
            "--repeat",
            "20",
            "--concurrency",
            "16",
            "--seed",
            "7",
        ])
        .args(["--fault", "{kind: http_500, endpoint: send, rate: 0.05}"])
        .args(["--turns-csv", mode, "--format", "json,csv", "--out"])
        .arg(out)
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .expect("convoy runs");
    assert!(
        matches!(output.status.code(), Some(1 | 3)),
        "{:?}",
        output.status
    );
    serde_json::from_str(&report(out, "run.json")).expect("run.json is JSON")
}

/// `(session_id, verdict)` of every conversation run in run.json.
fn conversations(run: &Value) -> Vec<(String, String)> {
    run["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let session = c["session_id"].as_str().unwrap_or_default().to_string();
            (session, c["verdict"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The rows of turns.csv as header name → value maps.
fn rows(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = report(dir, "turns.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn sample_keeps_about_one_percent_plus_every_failure() {
    let dir = scratch_dir();
    let run = faulty_run("sample:100", dir.path());
    assert_eq!(run["config"]["turns_csv"], "sample:100");
    let all = conversations(&run);
    assert!(all.len() >= 600, "{} conversation runs", all.len());
    let failed: BTreeSet<&str> = (all.iter())
        .filter(|(_, v)| v != "passed")
        .map(|(s, _)| s.as_str())
        .collect();
    assert!(!failed.is_empty(), "the injected faults made no failure");
    let rows = rows(dir.path());
    let sessions: BTreeSet<&str> = rows.iter().map(|r| r["session_id"].as_str()).collect();
    for session in &failed {
        assert!(
            sessions.contains(session),
            "failed session {session} has no row"
        );
    }
    let passing = all.len() - failed.len();
    let sampled = sessions.iter().filter(|s| !failed.contains(*s)).count();
    // About 1% of the passing runs (6 expected of ~600); 3% is far beyond chance.
    assert!(
        sampled * 100 <= passing * 3,
        "{sampled} of {passing} passing runs kept"
    );
    // Nothing but whole conversations: every kept session has its create row.
    for session in &sessions {
        assert!(
            rows.iter()
                .any(|r| r["session_id"] == *session && r["turn"] == "0")
        );
    }
}

#[test]
fn failures_keeps_only_failed_conversations_and_off_writes_no_file() {
    let dir = scratch_dir();
    let run = faulty_run("failures", dir.path());
    assert_eq!(run["config"]["turns_csv"], "failures");
    let failed: BTreeSet<String> = conversations(&run)
        .into_iter()
        .filter(|(_, v)| v != "passed")
        .map(|(s, _)| s)
        .collect();
    let kept: BTreeSet<String> = rows(dir.path())
        .into_iter()
        .map(|r| r["session_id"].clone())
        .collect();
    assert_eq!(kept, failed);

    let off = scratch_dir();
    let run = faulty_run("off", off.path());
    assert_eq!(run["config"]["turns_csv"], "off");
    assert!(!off.path().join("turns.csv").exists());
    assert!(!off.path().join("turns.csv.partial").exists());
    assert!(
        off.path().join("latency.csv").exists(),
        "latency.csv is unaffected"
    );
}

#[test]
fn each_row_carries_its_conversations_tags() {
    let dir = scratch_dir();
    let output = convoy()
        .args(["run", "suites/leads.yaml", "--format", "json,csv", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let run: Value = serde_json::from_str(&report(dir.path(), "run.json")).unwrap();
    assert_eq!(run["config"]["turns_csv"], "all", "the functional default");
    let rows = rows(dir.path());
    assert!(!rows.is_empty());
    // The suite's tags, as written: `[smoke, data]` on the data-driven conversation, none
    // on the other.
    let suite = convoy::suite::load_paths(&[Path::new("suites/leads.yaml").to_path_buf()]);
    for row in &rows {
        let written = suite.suites[0]
            .conversations
            .iter()
            .find(|c| c.name == row["conversation"])
            .expect("a conversation of the suite");
        assert_eq!(row["tags"], written.tags.join(";"), "{row:?}");
    }
    assert!(rows.iter().any(|r| r["tags"] == "smoke;data"));
    assert!(rows.iter().any(|r| r["tags"].is_empty()));
}

/// `convoy report` applies the recorded mode and seed again: the re-rendered turns.csv is
/// the streamed one, byte for byte.
#[test]
fn a_rerendered_turns_csv_keeps_the_same_rows() {
    let dir = scratch_dir();
    let output = convoy()
        .args(["run", "suites/", "--turns-csv", "sample:3", "--seed", "11"])
        .args(["--format", "json,csv", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", output.status);
    let streamed = report(dir.path(), "turns.csv");
    let again = scratch_dir();
    let output = convoy()
        .arg("report")
        .arg(dir.path().join("run.json"))
        .args(["--format", "csv", "--out"])
        .arg(again.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    assert_eq!(report(again.path(), "turns.csv"), streamed);
    // Some conversations were sampled and some were not.
    let all_rows = convoy::suite::load_paths(&[Path::new("suites").to_path_buf()]);
    let planned: usize = (all_rows.suites.iter())
        .map(|s| s.conversations.len() + s.personas.len())
        .sum();
    let kept: BTreeSet<String> = rows(dir.path())
        .into_iter()
        .map(|r| r["session_id"].clone())
        .collect();
    assert!(
        !kept.is_empty() && kept.len() < planned,
        "{} of {planned}",
        kept.len()
    );
}

#[test]
fn a_bad_mode_is_a_usage_error() {
    let output = convoy()
        .args(["run", "--turns-csv", "sample:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("sample:N"));
}
