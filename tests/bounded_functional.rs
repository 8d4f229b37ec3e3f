//! A functional run's memory does not grow with its conversations: however many run, only
//! a bounded number keep their transcript (chunks), while every count, histogram and
//! JUnit test case still covers all of them. Structural checks on the outcome, never
//! timings or RSS.

mod common;

use common::convoy;
use convoy::pipeline::RunConfigInfo;
use convoy::report::result::{RunConfig, RunResult};
use convoy::runner::{Retention, RunOptions, RunOutcome, Verdict, build_plan, execute};
use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// A suite whose conversation expands into one per row of `rows.csv`: even rows pass,
/// odd rows fail (the mock does not extract names with digits in them).
fn write_suite(dir: &Path, rows: usize) -> std::path::PathBuf {
    let mut csv = String::from("first,email\n");
    for row in 0..rows {
        let tag: String = letters(row);
        let first = if row % 2 == 0 {
            format!("Dana{tag}")
        } else {
            format!("Dana{row}")
        };
        csv.push_str(&format!("{first},dana.{tag}@example.com\n"));
    }
    fs::write(dir.join("rows.csv"), csv).unwrap_or_else(|e| panic!("{e}"));
    let suite = r#"version: 1
name: bounded
form:
  id: 7a3e5b1c-2d4f-4a6b-8c9d-0e1f2a3b4c5d
  fields:
    - {key: first_name, type: string}
    - {key: email, type: string, format: email}
conversations:
  - name: gives name and email
    data: rows.csv
    turns:
      - user: "Hi, I'm {{first}}, {{email}}"
        expect:
          fields: {first_name: "{{first}}", email: "{{email}}"}
"#;
    let path = dir.join("bounded.yaml");
    fs::write(&path, suite).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// `row` in base 26, as letters: a name the mock extracts.
fn letters(mut row: usize) -> String {
    let mut tag = String::new();
    loop {
        tag.push(char::from(b'a' + (row % 26) as u8));
        row /= 26;
        if row == 0 {
            return tag;
        }
    }
}

async fn run(rows: usize, retention: Retention) -> RunOutcome {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let loaded = convoy::suite::load_paths(&[write_suite(dir.path(), rows)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let options = RunOptions {
        concurrency: 16,
        ..RunOptions::default()
    };
    let mut plan = build_plan(loaded.suites, &options, |_| None).unwrap_or_else(|e| panic!("{e}"));
    plan.retention = retention;
    execute(&plan, std::future::pending(), &mut |_, _| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn result_of(outcome: &RunOutcome) -> RunResult {
    let config = RunConfig {
        target: "mock".into(),
        base_url: String::new(),
        embedded_mock: true,
        concurrency: 16,
        filters: Vec::new(),
        timeout_ms: 30_000,
        submit: false,
        ..RunConfig::default()
    };
    let info = RunConfigInfo {
        run_id: "r".into(),
        name: "bounded".into(),
        started_at: SystemTime::now(),
        config,
    };
    convoy::pipeline::build_result(outcome, &info).unwrap_or_else(|e| panic!("{e}"))
}

/// Whole transcripts and chunks held after the run, and the run's verdict counts.
fn retained(outcome: &RunOutcome) -> (usize, usize) {
    let whole = outcome.results.iter().filter(|r| !r.summarized).count();
    let chunks = outcome
        .results
        .iter()
        .flat_map(|r| &r.turns)
        .map(|t| t.chunks.len())
        .sum();
    (whole, chunks)
}

/// 200 and 2,000 conversations keep the same number of transcripts (the quotas), and no
/// summarized conversation holds a chunk; the aggregates still count every conversation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retained_transcripts_do_not_grow_with_conversations() {
    let retention = Retention {
        failed: 7,
        passed: 3,
    };
    let mut whole_counts = Vec::new();
    for rows in [200, 2000] {
        let outcome = run(rows, retention).await;
        assert_eq!(outcome.results.len(), rows);
        let failed = outcome
            .results
            .iter()
            .filter(|r| r.verdict() == Verdict::Failed)
            .count();
        assert_eq!(failed, rows / 2, "odd rows fail, even rows pass");
        let (whole, chunks) = retained(&outcome);
        whole_counts.push(whole);
        assert_eq!(whole, 10, "7 failed and 3 passed transcripts are kept");
        assert!(chunks > 0, "kept transcripts have their chunks");
        for summarized in outcome.results.iter().filter(|r| r.summarized) {
            assert!(summarized.turns.iter().all(|t| t.chunks.is_empty()));
            assert!(!summarized.turns.is_empty(), "turns (timings) are kept");
        }
        let result = result_of(&outcome);
        assert_eq!(result.counters.conversations, rows as u64);
        assert_eq!(result.counters.failed, (rows / 2) as u64);
        // A failed row misses `first_name` only: its email is still extracted.
        assert_eq!(result.counters.failures, (rows / 2) as u64);
        assert_eq!(result.counters.requests, 2 * rows as u64);
        assert_eq!(
            result.latency.turns.len(),
            2 * rows,
            "a row per conversation × turn"
        );
        let expected: u64 = result.scorecard.overall.iter().map(|r| r.expected).sum();
        assert_eq!(
            expected,
            2 * rows as u64,
            "two expected fields per conversation"
        );
        let correct: u64 = result.scorecard.overall.iter().map(|r| r.correct).sum();
        assert_eq!(
            correct,
            (rows + rows / 2) as u64,
            "email always, first_name half"
        );
        assert_eq!(
            result.conversations.len(),
            rows,
            "a JUnit case per conversation"
        );
        assert_eq!(
            result.conversations.iter().filter(|c| c.summarized).count(),
            rows - 10
        );
    }
    assert_eq!(whole_counts[0], whole_counts[1]);
}

/// A run with more passes than the default quota streams every row of turns.csv, marks
/// the summarized conversations in run.json, and `convoy report` leaves turns.csv as the
/// run wrote it (it could not rebuild the chunk types of summarized rows).
#[test]
fn report_keeps_the_streamed_turns_csv_of_a_summarized_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let passes = Retention::default().passed + 20;
    // Every even row passes: twice the rows for that many passes.
    let suite = write_suite(dir.path(), 2 * passes);
    let out = dir.path().join("out");
    convoy()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(&suite)
        .assert()
        .code(1);
    let turns = fs::read_to_string(out.join("turns.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        turns.lines().count(),
        1 + 2 * 2 * passes,
        "header + 2 rows a run"
    );
    let json = fs::read_to_string(out.join("run.json")).unwrap_or_else(|e| panic!("{e}"));
    let result = RunResult::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        result.conversations.iter().filter(|c| c.summarized).count(),
        20
    );
    let junit = fs::read_to_string(out.join("junit.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(junit.matches("<testcase ").count(), 2 * passes);
    let marked = format!("{turns}edited after the run\n");
    fs::write(out.join("turns.csv"), &marked).unwrap_or_else(|e| panic!("{e}"));
    convoy()
        .arg("report")
        .arg(out.join("run.json"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "turns.csv, written during the run",
        ));
    let after = fs::read_to_string(out.join("turns.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, marked);
}
