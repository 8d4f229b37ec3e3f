//! `convoy run` in load mode, as a user runs it: a graceful stop on SIGINT or SIGTERM
//! prints the whole summary and writes the reports; bad load flags are usage errors.

mod common;

use common::{convoy, convoy_process, send_signal, xmllint_junit};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Waits for the child at most `limit` (a hang guard), killing it if it overruns.
fn wait_bounded(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("child status") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("convoy did not stop within {limit:?}");
}

fn interrupt_mid_run(signal: &str) {
    let out = tempfile::tempdir().unwrap();
    let mut child = convoy_process()
        .args([
            "run",
            "suites/",
            "--vus",
            "4",
            "--duration",
            "60s",
            "--think",
            "20ms",
        ])
        .arg("--out")
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convoy starts");
    std::thread::sleep(Duration::from_secs(2));
    send_signal(&child, signal);
    let code = wait_bounded(&mut child, Duration::from_secs(30));
    let output = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Interrupted with every session passing: not a pass, not a failure (exit 3).
    assert_eq!(code, Some(3), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.contains("stopping: no new sessions"), "{stderr}");
    assert!(stdout.contains("sessions in"), "{stdout}");
    assert!(stdout.contains("pass rate 100.00%"), "{stdout}");
    assert!(stdout.contains("per turn"), "{stdout}");
    common::assert_interrupted_everywhere(out.path(), &stdout);
}

/// Ctrl-C (SIGINT) mid-run: no new sessions, a complete summary, every report saying
/// the run was interrupted.
#[test]
fn sigint_stops_gracefully_with_a_complete_summary() {
    interrupt_mid_run("-INT");
}

/// SIGTERM (what a scheduler sends) behaves the same.
#[test]
fn sigterm_stops_gracefully_with_a_complete_summary() {
    interrupt_mid_run("-TERM");
}

/// A load run that cannot end by itself, or a ramp above its ceiling, is refused.
#[test]
fn unbounded_or_inconsistent_load_flags_are_usage_errors() {
    let refused = |args: &[&str]| {
        let output = convoy()
            .arg("run")
            .arg("suites/")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(refused(&["--vus", "4"]).contains("--duration, --iterations or --ramp"));
    assert!(refused(&["--vus", "4", "--ramp", "10:1s"]).contains("--ramp reaches 10"));
    refused(&["--rate", "0/s", "--duration", "1s"]);
}

/// A short closed run passes, and its summary has the latency and conversation tables.
#[test]
fn a_short_load_run_passes() {
    let out = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/",
            "--vus",
            "4",
            "--iterations",
            "40",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("40 sessions in"), "{stdout}");
    assert!(stdout.contains("turn 0 (create)"), "{stdout}");
    assert!(
        stdout.contains("contact › gives everything at once"),
        "{stdout}"
    );
}

/// A load run's report set: run.json has the load section and stays the same size
/// however many sessions ran (nothing per request is kept); JUnit has one testcase per
/// conversation; the page shows the sessions; latency.csv has the intended-start rows;
/// `convoy report` re-renders it.
#[test]
fn load_reports_are_complete_and_bounded() {
    let run = |iterations: &str| {
        let out = tempfile::tempdir().unwrap();
        let output = convoy()
            .args([
                "run",
                "suites/",
                "--vus",
                "8",
                "--iterations",
                iterations,
                "-q",
                // Every row, not the load default's sample: the file is checked below.
                "--turns-csv",
                "all",
            ])
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        out
    };
    let small = run("40");
    let large = run("400");
    let size = |dir: &tempfile::TempDir| {
        std::fs::metadata(dir.path().join("run.json"))
            .unwrap()
            .len()
    };
    let (small_size, large_size) = (size(&small), size(&large));
    assert!(
        large_size < small_size * 3 / 2,
        "run.json grew with the sessions: {small_size} → {large_size} bytes"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(large.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(json["load"]["sessions_started"], 400);
    let per_conversation = json["load"]["per_conversation"].as_array().unwrap();
    let runs: u64 = per_conversation
        .iter()
        .map(|c| c["runs"].as_u64().unwrap())
        .sum();
    assert_eq!(runs, 400);
    let junit = std::fs::read_to_string(large.path().join("junit.xml")).unwrap();
    // One testcase per conversation, and one per suite's `summary:` check.
    let checks = json["form_summaries"].as_array().map_or(0, Vec::len);
    assert_eq!(
        junit.matches("<testcase ").count(),
        per_conversation.len() + checks
    );
    if let Some(out) = xmllint_junit(&large.path().join("junit.xml")) {
        assert!(out.status.success(), "{out:?}");
    }
    let html = std::fs::read_to_string(large.path().join("report.html")).unwrap();
    assert!(html.contains("<h2>Sessions</h2>"));
    // The closed model schedules nothing: each intended-start row of latency.csv repeats
    // its service-time row.
    let csv = std::fs::read_to_string(large.path().join("latency.csv")).unwrap();
    // Tag rows have service time only (no intended-start counterpart): left out here.
    let rows_of = |metric: &str| -> Vec<String> {
        csv.lines()
            .filter(|l| !l.starts_with("tag,"))
            .filter_map(|l| l.strip_suffix(&format!(",{metric}")))
            .map(str::to_string)
            .collect()
    };
    let service = rows_of("latency");
    assert!(!service.is_empty());
    assert_eq!(rows_of("intended"), service);
    // turns.csv, streamed during the run, has a row per request.
    let rows = std::fs::read_to_string(large.path().join("turns.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows as u64, json["counters"]["requests"].as_u64().unwrap());

    let again = tempfile::tempdir().unwrap();
    let output = convoy()
        .arg("report")
        .arg(large.path().join("run.json"))
        .arg("--out")
        .arg(again.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rerendered = std::fs::read_to_string(again.path().join("junit.xml")).unwrap();
    assert_eq!(rerendered, junit);
    // Its turns.csv cannot be rebuilt from the samples in run.json, so it is not written.
    assert!(!again.path().join("turns.csv").exists());
}

/// A load run's scorecard counts every iteration: an assistant that drops the email 30%
/// of the time shows missed emails and a recall well below 1.
#[test]
fn load_scorecard_counts_every_iteration() {
    let out = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/contact.yaml",
            "--vus",
            "4",
            "--iterations",
            "80",
            "-q",
        ])
        .args([
            "--fault",
            "{kind: drop_field, field: email, rate: 0.3}",
            "--seed",
            "3",
        ])
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    let rows = json["scorecard"]["overall"].as_array().unwrap();
    let email = rows.iter().find(|r| r["field"] == "email").unwrap();
    let expected = email["expected"].as_u64().unwrap();
    assert!(expected >= 25, "{email}");
    assert!(email["missed"].as_u64().unwrap() > 0, "{email}");
    let recall = email["recall"].as_f64().unwrap();
    assert!(recall > 0.4 && recall < 0.97, "{email}");
    let first_name = rows.iter().find(|r| r["field"] == "first_name").unwrap();
    assert_eq!(first_name["recall"].as_f64(), Some(1.0), "{first_name}");
}

/// Gaps between streamed chunks are their own histogram, and `gap.*` thresholds judge it:
/// with the mock pausing 5 ms between chunks, `gap.p50<1ms` fails and `gap.p50<60ms` holds.
#[test]
fn gap_thresholds_judge_the_chunk_gaps_of_a_streamed_load_run() {
    let mock = common::StandaloneMock::start_with(&["--stream-gap", "5ms"]);
    let out = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/contact.yaml",
            "--base-url",
            &mock.base_url,
            "--streamed",
        ])
        .args(["--vus", "2", "--iterations", "6", "-q"])
        .args(["--threshold", "gap.p50<1ms", "--threshold", "gap.p50<60ms"])
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    let thresholds = json["thresholds"].as_array().unwrap();
    assert_eq!(thresholds[0]["passed"], false, "{thresholds:?}");
    assert_eq!(thresholds[1]["passed"], true, "{thresholds:?}");
    let gaps = json["latency"]["gaps"].as_array().unwrap();
    let p50 = gaps
        .iter()
        .map(|g| g["summary"]["p50_us"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(p50 >= 5_000, "gaps shorter than the mock's pause: {gaps:?}");
}

/// Ctrl-C while a shard waits for `--start-at` still leaves a report (interrupted), not a
/// killed process with nothing written.
#[test]
fn interrupt_during_start_at_wait_writes_an_interrupted_report() {
    let out = tempfile::tempdir().unwrap();
    let start_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 120;
    let mut child = convoy_process()
        .args(["run", "suites/", "--rate", "5/s", "--duration", "5s", "-q"])
        .args(["--shard", "0/1", "--run-id", "wait-test", "--start-at"])
        .arg(start_at.to_string())
        .arg("--out")
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convoy starts");
    std::thread::sleep(Duration::from_secs(1));
    send_signal(&child, "-INT");
    let code = wait_bounded(&mut child, Duration::from_secs(30));
    assert_eq!(code, Some(3));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(json["interrupted"], true);
}
