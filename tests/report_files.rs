//! The report writers over a fixed run (fixed times and ids, so snapshots are stable):
//! junit.xml and summary.md snapshots, escaping of hostile API text, CSV formula
//! neutralisation, and the run.json round trip.

use convoy::common::error_class::ErrorClass;
use convoy::common::wire::{Chunk, ChunkBody, TextDetails};
use convoy::pipeline::RunConfigInfo;
use convoy::report::result::{RunConfig, decode_histogram};
use convoy::report::{RunResult, junit, latency_csv, summary_md, turns_csv};
use convoy::runner::{
    ConversationResult, ConversationTiming, Failure, Operation, RunOutcome, TurnError, TurnOutcome,
};
use convoy::suite::Loc;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

const HOSTILE: &str =
    "<script>alert(1)</script> ]]> & \u{1b}[31m =HYPERLINK(\"x\") [link](http://evil.example)";

fn loc(line: usize) -> Loc {
    Loc {
        file: Arc::from("suites/contact.yaml"),
        line,
        column: 7,
    }
}

fn text(t: &str) -> Chunk {
    Chunk::from(ChunkBody::Text(TextDetails {
        text: t.to_string(),
        style: None,
    }))
}

fn turn(n: usize, latency_ms: u64, chunks: Vec<Chunk>) -> TurnOutcome {
    TurnOutcome {
        turn: n,
        operation: if n == 0 {
            Operation::Create
        } else {
            Operation::Send
        },
        user: (n > 0).then(|| format!("user says {n}")),
        offset: Duration::ZERO,
        latency: Duration::from_millis(latency_ms),
        retries: 0,
        retry_time: Duration::ZERO,
        ttfc: None,
        arrivals: Vec::new(),
        end_of_response: None,
        status: Some(200),
        request_id: Some(format!("req-{n}")),
        protocol: None,
        chunks,
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
        reason: None,
    }
}

fn conversation(name: &str, turns: Vec<TurnOutcome>) -> ConversationResult {
    ConversationResult {
        suite: "contact".into(),
        conversation: name.into(),
        loc: loc(10),
        session_id: Some(format!("session-{name}")),
        planned_turns: turns.len().saturating_sub(1),
        iteration: 1,
        repeat: 1,
        min_pass_rate: 1.0,
        summarized: false,
        persona: None,
        aborted: false,
        tags: Vec::new(),
        turns,
        final_failures: Vec::new(),
    }
}

/// Three conversations: one passed, one failed (hostile API text), one errored (503).
fn fixed_result() -> RunResult {
    let passed = conversation(
        "passes",
        vec![turn(0, 12, vec![text("Hi")]), turn(1, 30, vec![])],
    );
    let mut failed = conversation(
        "=fails",
        vec![
            turn(0, 11, vec![text("Hello")]),
            turn(1, 45, vec![text(HOSTILE)]),
        ],
    );
    failed.turns[1].failures.push(Failure {
        loc: loc(21),
        subject: "fields.email".into(),
        expected: "\"dana@example.com\"".into(),
        actual: HOSTILE.into(),
    });
    let mut errored = conversation("errors", vec![turn(0, 9, vec![]), turn(1, 5000, vec![])]);
    errored.turns[1].status = Some(503);
    errored.turns[1].error = Some(TurnError {
        class: ErrorClass::Http5xx(503),
        message: "service unavailable <b>".into(),
    });
    let timings = (0..3)
        .map(|i| ConversationTiming {
            start_offset: Duration::from_millis(i * 3),
            finish_seq: 2 - i as usize,
        })
        .collect();
    let results = vec![passed, failed, errored];
    let mut outcome = RunOutcome::from_results(results, timings, Duration::from_secs(30));
    outcome.elapsed = Duration::from_millis(5100);
    outcome.base_url = "http://user:pw@127.0.0.1:9/forms".into();
    let info = RunConfigInfo {
        run_id: "20260102T030405Z-abcdef".into(),
        name: "contact".into(),
        started_at: UNIX_EPOCH + Duration::from_secs(1_767_323_045),
        config: RunConfig {
            target: "mock".into(),
            base_url: String::new(),
            embedded_mock: false,
            concurrency: 2,
            filters: vec!["smoke".into()],
            timeout_ms: 30_000,
            submit: false,
            ..Default::default()
        },
    };
    convoy::pipeline::build_result(&outcome, &info).expect("a fixed run builds")
}

/// junit.xml of a fixed run is stable and keeps failures and errors apart.
#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", junit::junit_xml(&fixed_result()));
}

/// summary.md of a fixed run is stable.
#[test]
fn summary_snapshot() {
    insta::assert_snapshot!("summary", summary_md::summary_md(&fixed_result()));
}

/// API text cannot become markup: no raw `<script>`, no raw `]]>`, no forbidden control
/// character in junit.xml; no tag, link or raw control character in summary.md.
#[test]
fn api_text_is_escaped_in_xml_and_markdown() {
    let result = fixed_result();
    for (name, text) in [
        ("junit.xml", junit::junit_xml(&result)),
        ("summary.md", summary_md::summary_md(&result)),
    ] {
        assert!(!text.contains("<script>"), "{name}:\n{text}");
        assert!(!text.contains("<b>"), "{name}:\n{text}");
        assert!(!text.contains("]]>"), "{name}:\n{text}");
        assert!(!text.contains('\u{1b}'), "{name}:\n{text}");
    }
    let md = summary_md::summary_md(&result);
    assert!(!md.contains("](http"), "a link formed:\n{md}");
    assert!(!md.contains("http://evil"), "an autolink formed:\n{md}");
}

/// No CSV cell a spreadsheet would run as a formula, in either CSV file.
#[test]
fn csv_cells_are_neutralised() {
    let result = fixed_result();
    let files = [
        turns_csv::turns_csv(&result).unwrap(),
        latency_csv::latency_csv(&result).unwrap(),
    ];
    let mut saw_conversation = false;
    for file in files {
        let mut reader = csv::Reader::from_reader(file.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "formula cell {cell:?}"
                );
                saw_conversation |= cell == "'=fails";
            }
        }
    }
    assert!(
        saw_conversation,
        "the `=fails` conversation is kept, neutralised"
    );
}

/// run.json round-trips exactly, and its histograms decode to the same percentiles.
#[test]
fn run_json_round_trips() {
    let result = fixed_result();
    let text = result.to_json().unwrap();
    let back = RunResult::from_json(&text).unwrap();
    assert_eq!(back, result);
    assert_eq!(back.to_json().unwrap(), text);
    for record in back.latency.operations.iter().chain(&back.latency.turns) {
        let h = decode_histogram(&record.hdr).unwrap();
        assert_eq!(h.len(), record.summary.count);
        if record.summary.count > 0 {
            assert_eq!(h.value_at_quantile(0.5), record.summary.p50_us);
            assert_eq!(h.value_at_quantile(0.99), record.summary.p99_us);
            assert_eq!(h.max(), record.summary.max_us);
        }
    }
    assert!(!text.contains("user:pw"), "URL credentials are stripped");
}

/// Another schema version is refused with a clear message, not misread.
#[test]
fn other_schema_versions_are_refused() {
    let text = fixed_result().to_json().unwrap().replacen(
        "\"schema_version\": 1",
        "\"schema_version\": 2",
        1,
    );
    let err = RunResult::from_json(&text).unwrap_err().to_string();
    assert!(err.contains("schema_version 2"), "{err}");
}

/// turns.csv rows follow finish order (the order the streamed file was written in).
#[test]
fn turns_csv_rows_follow_finish_order() {
    let csv = turns_csv::turns_csv(&fixed_result()).unwrap();
    let order: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap_or(""))
        .collect();
    assert_eq!(
        order,
        ["errors", "errors", "'=fails", "'=fails", "passes", "passes"]
    );
}
