//! report.html: API and suite text is escaped (a `<script>` or an `onerror=` attribute
//! from the API renders as text), the page needs no network (no URL, no external script,
//! stylesheet, font or image), it shows every section a run has, and no API key reaches
//! any file of a run.

mod common;

use common::{convoy, read};
use convoy::common::error_class::ErrorClass;
use convoy::common::wire::{Chunk, ChunkBody, TextDetails};
use convoy::pipeline::RunConfigInfo;
use convoy::report::RunResult;
use convoy::report::html::report_html;
use convoy::report::result::RunConfig;
use convoy::runner::{
    ConversationResult, ConversationTiming, Failure, Operation, RunOutcome, TurnError, TurnOutcome,
};
use convoy::suite::Loc;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

fn loc(line: usize) -> Loc {
    Loc {
        file: Arc::from(format!("suites/{SCRIPT}.yaml").as_str()),
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

fn turn(n: usize, chunks: Vec<Chunk>) -> TurnOutcome {
    TurnOutcome {
        turn: n,
        operation: if n == 0 {
            Operation::Create
        } else {
            Operation::Send
        },
        user: (n > 0).then(|| format!("user {IMG}")),
        offset: Duration::ZERO,
        latency: Duration::from_millis(10 + n as u64),
        retries: 0,
        retry_time: Duration::ZERO,
        ttfc: Some(Duration::from_millis(3)),
        arrivals: vec![Duration::from_millis(3), Duration::from_millis(5)],
        end_of_response: Some(Duration::from_millis(5)),
        status: Some(200),
        request_id: Some(format!("req-{IMG}")),
        protocol: None,
        chunks,
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
        reason: None,
    }
}

/// A run whose API text, names, failures and errors are all hostile.
fn hostile_result() -> RunResult {
    let mut failed = ConversationResult {
        suite: format!("suite {SCRIPT}"),
        conversation: format!("conv {IMG}"),
        loc: loc(10),
        session_id: Some(format!("session {SCRIPT}")),
        turns: vec![
            turn(0, vec![text(SCRIPT)]),
            turn(1, vec![text(IMG), text(SCRIPT)]),
        ],
        final_failures: Vec::new(),
        planned_turns: 1,
        iteration: 1,
        repeat: 1,
        min_pass_rate: 1.0,
        summarized: false,
        persona: None,
        aborted: false,
        tags: Vec::new(),
    };
    // A hostile field key reaches the scorecard table too.
    failed.turns[1].fields = vec![convoy::runner::FieldScore {
        key: format!("key {SCRIPT}"),
        mark: convoy::runner::FieldMark::Unexpected,
    }];
    failed.turns[1].failures.push(Failure {
        loc: loc(21),
        subject: format!("fields.{SCRIPT}"),
        expected: IMG.into(),
        actual: SCRIPT.into(),
    });
    let mut errored = failed.clone();
    errored.conversation = "errors".into();
    errored.turns[1].failures.clear();
    errored.turns[1].error = Some(TurnError {
        class: ErrorClass::Http5xx(503),
        message: format!("bad gateway {SCRIPT}{IMG}"),
    });
    let mut outcome = RunOutcome::from_results(
        vec![failed, errored],
        (0..2)
            .map(|i| ConversationTiming {
                start_offset: Duration::from_millis(i * 3),
                finish_seq: i as usize,
            })
            .collect(),
        Duration::from_secs(30),
    );
    outcome.interrupted = false;
    outcome.elapsed = Duration::from_millis(2100);
    outcome.base_url = format!("http://127.0.0.1:9/{SCRIPT}");
    outcome.embedded_mock = false;
    let info = RunConfigInfo {
        run_id: "20260102T030405Z-abcdef".into(),
        name: format!("name {IMG}"),
        started_at: UNIX_EPOCH + Duration::from_secs(1_767_323_045),
        config: RunConfig {
            target: "mock".into(),
            base_url: String::new(),
            embedded_mock: false,
            concurrency: 2,
            filters: vec![],
            timeout_ms: 30_000,
            submit: false,
            ..Default::default()
        },
    };
    convoy::pipeline::build_result(&outcome, &info).expect("a fixed run builds")
}

/// `<script>` and `"><img onerror=…>` from the API, the suite and the failure text
/// appear only escaped: the page's only tags are its own.
#[test]
fn api_text_renders_as_text() {
    let html = report_html(&hostile_result());
    assert!(!html.contains(SCRIPT), "raw <script> in the page");
    assert!(!html.contains("<img"), "an <img> tag formed");
    assert!(
        !html.contains("onerror=alert(1)>"),
        "a raw attribute survived"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // The page's own two inline scripts, and nothing else.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
    // The failure, the transcript and the error are all there, as text.
    for shown in [
        "expected",
        "actual",
        "bad gateway",
        "session &lt;script&gt;",
    ] {
        assert!(html.contains(shown), "{shown} missing");
    }
}

fn assert_offline(html: &str) {
    for banned in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "src=\"",
        "href=",
        "http://",
        "https://",
        "//cdn",
    ] {
        assert!(!html.contains(banned), "the page contains `{banned}`");
    }
}

/// A real run's page needs no network: no URL of any kind, no external resource; it
/// has the verdict, the matrix, three charts and the tables. `convoy report` renders
/// the same page from run.json.
#[test]
fn a_real_run_page_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args(["run", "suites/", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let html = read(&dir.path().join("report.html"));
    assert_offline(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<span class=\"word\">PASSED</span>"));
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    for section in ["matrix", "charts", "latency", "extraction"] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "{section}"
        );
    }
    let again = tempfile::tempdir().unwrap();
    let status = convoy()
        .arg("report")
        .arg(dir.path().join("run.json"))
        .arg("--out")
        .arg(again.path())
        .arg("--format")
        .arg("html")
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    assert_eq!(read(&again.path().join("report.html")), html);
}

/// With `--target wix` and a key, no file of the run (report.html included) holds it.
#[test]
fn api_key_is_in_no_file() {
    let dir = tempfile::tempdir().unwrap();
    // The wix path needs a reachable target: any base URL that refuses is enough, since
    // the key would be written (if ever) whatever the outcome.
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--target", "wix"])
        .args([
            "--base-url",
            "http://127.0.0.1:9",
            "--timeout",
            "2s",
            "--out",
        ])
        .arg(dir.path())
        .env("WIX_API_KEY", "html-secret-key-123")
        .env("WIX_SITE_ID", "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("html-secret-key-123"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = read(&path);
        assert!(!text.contains("html-secret-key-123"), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 6, "only {seen} files");
    assert!(dir.path().join("report.html").exists());
}

/// The data behind the charts and the accuracy table: the timeline counts every session
/// and request once, and the extraction scorecard counts held and failed `fields:` checks.
#[test]
fn timeline_and_extraction_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/",
            "tests/fixtures/valid/all-features.yaml",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).unwrap();
    let sum = |f: fn(&convoy::report::result::TimelinePoint) -> u64| -> u64 {
        result.timeline.iter().map(f).sum()
    };
    assert_eq!(sum(|p| p.sessions_started), result.counters.conversations);
    assert_eq!(sum(|p| p.sessions_completed), result.counters.conversations);
    assert_eq!(sum(|p| p.turns), result.counters.requests);
    let errors: u64 = result.counters.errors_by_class.values().sum();
    assert_eq!(sum(|p| p.errors), errors);
    assert!(result.timeline.iter().all(|p| p.seconds == 1));

    let field = |key: &str| {
        result
            .scorecard
            .field(key)
            .unwrap_or_else(|| panic!("no row for {key}: {:?}", result.scorecard))
    };
    // suites/ check first_name often and it always holds; all-features' email fails.
    assert!(field("first_name").expected >= 5 && field("first_name").recall == Some(1.0));
    assert!(field("email").wrong + field("email").missed >= 1);
    // Every wrong or missed mark is a failed turn-level `fields:` expectation and back.
    let failed_field_checks: u64 = result
        .scorecard
        .overall
        .iter()
        .map(|f| f.wrong + f.missed)
        .sum();
    let failed_subjects = result
        .conversations
        .iter()
        .flat_map(|c| c.turns.iter().flat_map(|t| &t.failures))
        .filter(|f| f.subject.starts_with("fields."))
        .count() as u64;
    assert_eq!(failed_field_checks, failed_subjects);
    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("<section id=\"failures\">"));
    assert!(html.contains("<section id=\"errors\">"));
}

/// An interrupted run never gets a green banner, whatever finished.
#[test]
fn an_interrupted_run_is_not_shown_as_passed() {
    let mut result = hostile_result();
    result.conversations.clear();
    result.pass_rates.clear();
    result.counters = Default::default();
    result.interrupted = true;
    let html = report_html(&result);
    assert!(html.contains("<header class=\"verdict errored\">"));
    assert!(
        html.contains("<span class=\"word\">INTERRUPTED</span>"),
        "{html}"
    );
    assert!(html.contains("only what finished is reported"));
    assert!(!html.contains("PASSED"));
}
