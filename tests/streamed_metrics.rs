//! Streaming figures per turn, as a user sees them: against a standalone `convoy mock`
//! that waits a known time before the first message and between messages, a streamed
//! run (functional or load) shows time to first chunk, gaps and time to END_OF_RESPONSE
//! per turn in the terminal, run.json, summary.md, latency.csv and report.html, no
//! shorter than the mock's delays; `ttfc.turn[N]` thresholds judge them; shards merge them by adding.
//! Loopback only, a few seconds.

mod common;

use common::{StandaloneMock, scratch_dir};
use convoy::report::RunResult;
use convoy::report::result::{by_turn_index, chunks_by_turn_index};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// The mock's delays: before the first message, and between messages.
const TTFC_MS: &str = "40ms";
const TTFC_US: u64 = 40_000;
const GAP_MS: &str = "15ms";
const GAP_US: u64 = 15_000;

fn paced_mock() -> StandaloneMock {
    StandaloneMock::start_with(&["--stream-ttfc", TTFC_MS, "--stream-gap", GAP_MS])
}

fn convoy(mock: &StandaloneMock, extra: &[&str], out: &Path) -> Output {
    let mut cmd = common::convoy();
    cmd.timeout(std::time::Duration::from_secs(120))
        .args(["run", "suites/contact.yaml", "--streamed"])
        .args(["--base-url", &mock.base_url])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("convoy runs")
}

fn run_json(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("run.json")).expect("run.json written");
    serde_json::from_str(&text).expect("run.json is JSON")
}

fn stat(record: &Value, name: &str) -> u64 {
    record["summary"][name].as_u64().expect("a summary figure")
}

/// Turn 1 has per-turn TTFC, gap and END_OF_RESPONSE records, and every conversation's
/// turn 1 together is no faster than the mock makes it.
fn assert_turn_one_figures(dir: &Path) {
    let text = std::fs::read_to_string(dir.join("run.json")).expect("run.json written");
    let result = RunResult::from_json(&text).expect("run.json reads");
    let l = &result.latency;
    let turn_one = |records| {
        by_turn_index(records)
            .expect("histograms decode")
            .remove(&1)
            .unwrap_or_else(|| panic!("no turn 1 in {records:?}"))
    };
    // The mock sleeps before the first message: no TTFC can be shorter, nor an end
    // sooner than one gap later.
    assert!(turn_one(&l.ttfc_turns).min() >= TTFC_US);
    assert!(turn_one(&l.eor_turns).min() >= TTFC_US + GAP_US);
    // A message read late shortens the next gap by as much, so one gap can fall a little
    // under the mock's pause; their median cannot fall far.
    let gaps = turn_one(&l.gap_turns);
    assert!(gaps.len() >= 2, "{}", gaps.len());
    assert!(gaps.value_at_quantile(0.5) >= GAP_US * 9 / 10);
    let counts = chunks_by_turn_index(&l.chunks);
    assert!(counts.get(&1).is_some_and(|c| c.min >= 2), "{counts:?}");
}

/// A functional streamed run records per-turn TTFC, gaps (which only load runs recorded
/// before) and END_OF_RESPONSE, shows them in the terminal and summary.md, and judges
/// `ttfc.turn[1]` and `gap.turn[1]` thresholds on them.
#[test]
fn functional_streamed_run_reports_per_turn_streaming_figures() {
    let mock = paced_mock();
    let out = scratch_dir();
    let output = convoy(
        &mock,
        &[
            "--threshold",
            "ttfc.turn[1].p50<20ms",
            "--threshold",
            "ttfc.turn[1].p50<5s",
            "--threshold",
            "gap.turn[1].p50>=10ms",
        ],
        out.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Every conversation passes: only the 20 ms TTFC budget fails the run.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(" 0 failed, 0 errored"), "{stdout}");
    for row in [
        "send first chunk",
        "send chunk gaps",
        "turn 1 first chunk",
        "turn 1 chunk gaps",
        "turn 1 end of response",
        "chunks per response",
    ] {
        assert!(stdout.contains(row), "{row} missing from\n{stdout}");
    }
    assert_turn_one_figures(out.path());
    let json = run_json(out.path());
    let gaps = json["latency"]["gaps"]
        .as_array()
        .expect("gaps per operation");
    assert_eq!(gaps.len(), 2, "create and send: {gaps:?}");
    let passed: Vec<&Value> = json["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["passed"])
        .collect();
    assert_eq!(passed, [false, true, true], "{}", json["thresholds"]);
    let summary = std::fs::read_to_string(out.path().join("summary.md")).unwrap();
    assert!(
        summary.contains("| turn | streamed | first chunk p50 ms"),
        "{summary}"
    );
    assert!(summary.contains("| send chunk gaps |"), "{summary}");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("<section id=\"streaming\">"),
        "no streaming section"
    );
    assert!(html.contains("turn 1 · chunk gaps"), "no per-turn gap row");
    let csv = std::fs::read_to_string(out.path().join("latency.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",metric"), "{csv}");
    let turn_gap = csv
        .lines()
        .filter(|l| l.starts_with("turn,send,contact,") && l.ends_with(",gap"))
        .count();
    assert!(turn_gap >= 1, "{csv}");
}

/// A streamed load run keeps the same per-turn figures (in each worker's recorder, merged
/// at the end) and shows them in its terminal summary.
#[test]
fn load_streamed_run_reports_per_turn_streaming_figures() {
    let mock = paced_mock();
    let out = scratch_dir();
    let output = convoy(&mock, &["--vus", "2", "--iterations", "6"], out.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for row in [
        "streaming per turn",
        "turn 1 first chunk",
        "turn 1 chunk gaps",
    ] {
        assert!(stdout.contains(row), "{row} missing from\n{stdout}");
    }
    assert_turn_one_figures(out.path());
    let json = run_json(out.path());
    assert!(
        json["load"].get("gaps").is_none(),
        "gaps live in latency now"
    );
}

/// Two shards of a streamed load run merge their per-turn TTFC histograms by adding: the
/// merged count of every conversation × turn is the sum of the shards'.
#[test]
fn merged_shards_add_per_turn_ttfc() {
    let mock = paced_mock();
    let dir = scratch_dir();
    let shards: Vec<_> = ["0/2", "1/2"]
        .iter()
        .map(|shard| {
            let out = dir.path().join(shard.replace('/', "-"));
            let flags = ["--vus", "2", "--iterations", "6", "--shard", shard];
            let output = convoy(
                &mock,
                &[&flags[..], &["--run-id", "S", "-q", "--format", "json"]].concat(),
                &out,
            );
            assert_eq!(output.status.code(), Some(0), "{output:?}");
            run_json(&out)
        })
        .collect();
    let merged_dir = dir.path().join("merged");
    let output = common::convoy()
        .arg("merge")
        .arg(dir.path().join("0-2").join("run.json"))
        .arg(dir.path().join("1-2").join("run.json"))
        .arg("--out")
        .arg(&merged_dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let merged = run_json(&merged_dir);
    let count = |json: &Value, conversation: &Value, turn: &Value| -> u64 {
        json["latency"]["ttfc_turns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| &r["conversation"] == conversation && &r["turn"] == turn)
            .map(|r| stat(r, "count"))
            .sum()
    };
    let records = merged["latency"]["ttfc_turns"].as_array().unwrap();
    assert!(!records.is_empty());
    let mut total = 0;
    for record in records {
        let (conversation, turn) = (&record["conversation"], &record["turn"]);
        let sum: u64 = shards.iter().map(|s| count(s, conversation, turn)).sum();
        assert_eq!(stat(record, "count"), sum, "{record}");
        total += sum;
    }
    // Each shard ran 3 sessions, each with a streamed create: every TTFC was kept.
    assert!(total >= 12, "{total}");
}
