//! Sessions cut short at the end of the grace period still leave a row in turns.csv for
//! every request they had answered, with the verdict `aborted`: the file has exactly as
//! many rows as run.json counts requests, and the aborted sessions are counted, neither
//! passed nor failed.

mod common;

use common::{convoy, report};

#[test]
fn aborted_sessions_keep_a_turns_csv_row_for_every_answered_request() {
    let out = tempfile::tempdir().expect("a temporary directory");
    // Four turns of 300 ms each per session: a 1 s run with a 100 ms grace period ends
    // with every session in flight.
    let output = convoy()
        .args(["run", "suites/event.yaml", "--vus", "4", "--duration", "1s"])
        .args(["--grace", "100ms", "--latency", "send=300ms", "-q"])
        .args(["--turns-csv", "all"])
        .arg("--out")
        .arg(out.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("convoy runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&report(out.path(), "run.json")).expect("run.json is JSON");
    let aborted = json["load"]["sessions_aborted"].as_u64().unwrap_or(0);
    assert!(
        aborted >= 1,
        "no session was aborted: {}\n{stderr}",
        json["load"]
    );
    let requests = json["counters"]["requests"]
        .as_u64()
        .expect("a request count");
    let csv = report(out.path(), "turns.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let verdict = headers
        .iter()
        .position(|h| h == "verdict")
        .expect("a verdict column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len() as u64, requests, "one row per counted request");
    let aborted_rows = rows.iter().filter(|r| &r[verdict] == "aborted").count();
    assert!(aborted_rows >= 1, "no `aborted` row in:\n{csv}");
    let completed = json["counters"]["conversations"].as_u64().unwrap_or(0);
    let started = json["load"]["sessions_started"].as_u64().unwrap_or(0);
    assert_eq!(completed + aborted, started, "{}", json["counters"]);
}
