//! Personas in every report file: personas.csv (a row per persona and all personas,
//! rates that parse), the personas table of summary.md, the personas section of
//! report.html with the simulator's reason beside each message, a junit.xml testcase per
//! persona run (and per persona, with its figures, in a load run), and hostile persona
//! names and reasons kept as text in CSV, Markdown, HTML and XML.

mod common;

use common::{convoy, read};
use convoy::metrics::PersonaEnd;
use convoy::pipeline::RunConfigInfo;
use convoy::report::html::report_html;
use convoy::report::result::RunConfig;
use convoy::report::{RunResult, junit, personas_csv, summary_md};
use convoy::runner::outcome::PersonaOutcome;
use convoy::runner::{
    ConversationResult, ConversationTiming, Failure, Operation, RunOutcome, TurnOutcome,
};
use convoy::suite::Loc;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

const HEADER: &str = "suite,suite_file,line,persona,runs,succeeded,success_rate,success_low,success_high,submitted,over_budget,stuck,errored,re_asks,turns_count,turns_p50,turns_p90,turns_max,turns_mean";
const HOSTILE: &str = "=cmd <script>alert(1)</script> \"><img src=x onerror=alert(1)> ]]> \u{1b}[31m [l](http://evil.example)";

fn run(dir: &Path, args: &[&str]) {
    let output = convoy()
        .args(["run", "suites/personas.yaml", "--out"])
        .arg(dir)
        .args(args)
        .output()
        .expect("convoy runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The example personas, each run twice: every file has them.
#[test]
fn the_example_personas_reach_every_report_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    run(dir.path(), &["--repeat", "2"]);
    let csv = read(&dir.path().join("personas.csv"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 10, "9 personas and all personas:\n{csv}");
    for row in &rows {
        let rate: f64 = row[6].parse().expect("success_rate is a number");
        let low: f64 = row[7].parse().expect("success_low is a number");
        let high: f64 = row[8].parse().expect("success_high is a number");
        assert!(
            0.0 <= low && low <= rate && rate <= high && high <= 1.0,
            "{row:?}"
        );
    }
    assert_eq!(&rows[0][3], "Dana answers only what is asked");
    assert_eq!(&rows[0][4], "2", "two runs each");
    let overall = &rows[9];
    assert_eq!(
        (&overall[0], &overall[3], &overall[4]),
        ("", "all personas", "18")
    );
    // Ari never submits: no turns to completion, empty cells rather than zeros.
    let ari = rows.iter().find(|r| &r[3] == "Ari keeps the email private");
    let ari = ari.expect("Ari's row");
    assert_eq!((&ari[14], &ari[15], &ari[18]), ("0", "", ""));

    let md = read(&dir.path().join("summary.md"));
    assert!(
        md.contains("| persona | runs | success | 95% interval | turns p50/p90 |"),
        "{md}"
    );
    assert!(
        md.contains("| personas › Ari keeps the email private | 2 |"),
        "{md}"
    );
    assert!(md.contains("| **all personas** | 18 |"), "{md}");

    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("<section id=\"personas\"><h2>Personas</h2>"));
    assert!(html.contains("<b>all personas</b>"));
    assert!(
        html.contains("<div class=\"reason\">why: opening message</div>"),
        "a reason"
    );
    assert!(html.contains("run 2/2 · submitted"), "a transcript per run");
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own scripts"
    );

    let xml = read(&dir.path().join("junit.xml"));
    assert_eq!(
        xml.matches("<testcase name=\"persona: ").count(),
        18,
        "{xml}"
    );
    assert!(
        xml.contains("name=\"persona: Mei from the lead list [run 2/2]\" classname=\"personas\"")
    );

    // `convoy report` renders the same personas.csv from run.json.
    let again = tempfile::tempdir().expect("a temporary directory");
    let output = convoy()
        .arg("report")
        .arg(dir.path().join("run.json"))
        .args(["--format", "csv", "--out"])
        .arg(again.path())
        .output()
        .expect("convoy report runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(read(&again.path().join("personas.csv")), csv);
}

/// A load run keeps only failed samples, yet every file has the personas' figures, and
/// junit.xml has a testcase per persona that ran, with its success figures.
#[test]
fn a_load_run_reports_each_persona_with_its_figures() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    run(
        dir.path(),
        &["--vus", "2", "--iterations", "12", "--seed", "7"],
    );
    let result = RunResult::from_json(&read(&dir.path().join("run.json"))).expect("loads");
    let section = result.personas.expect("a personas section");
    let ran = section
        .personas
        .iter()
        .filter(|p| p.counts.runs > 0)
        .count();
    assert!(ran > 0);
    let csv = read(&dir.path().join("personas.csv"));
    assert_eq!(csv.lines().count(), 1 + section.personas.len() + 1, "{csv}");
    let xml = read(&dir.path().join("junit.xml"));
    assert_eq!(
        xml.matches("<testcase name=\"persona: ").count(),
        ran,
        "{xml}"
    );
    assert!(xml.contains(" runs succeeded: "), "{xml}");
    let md = read(&dir.path().join("summary.md"));
    assert!(md.contains("| persona | runs |"), "{md}");
    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("<section id=\"personas\">"));
}

fn loc(line: usize) -> Loc {
    Loc {
        file: Arc::from("suites/hostile.yaml"),
        line,
        column: 3,
    }
}

fn turn(n: usize, reason: Option<&str>) -> TurnOutcome {
    TurnOutcome {
        turn: n,
        operation: if n == 0 {
            Operation::Create
        } else {
            Operation::Send
        },
        user: (n > 0).then(|| format!("user {HOSTILE}")),
        offset: Duration::ZERO,
        latency: Duration::from_millis(10),
        retries: 0,
        retry_time: Duration::ZERO,
        ttfc: None,
        arrivals: Vec::new(),
        end_of_response: None,
        status: Some(200),
        request_id: Some(format!("req-{n}")),
        protocol: None,
        chunks: Vec::new(),
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
        reason: reason.map(str::to_string),
    }
}

fn persona(name: &str, line: usize, ending: PersonaEnd) -> ConversationResult {
    ConversationResult {
        suite: format!("suite {HOSTILE}"),
        conversation: name.to_string(),
        loc: loc(line),
        session_id: Some("session-1".into()),
        turns: vec![turn(0, None), turn(1, Some(&format!("why {HOSTILE}")))],
        final_failures: Vec::new(),
        planned_turns: 1,
        iteration: 1,
        repeat: 1,
        min_pass_rate: 1.0,
        summarized: false,
        persona: Some(PersonaOutcome {
            ending,
            turns: 1,
            re_asks: 0,
        }),
        aborted: false,
        tags: Vec::new(),
    }
}

fn result_of(results: Vec<ConversationResult>) -> RunResult {
    let timings = (0..results.len())
        .map(|i| ConversationTiming {
            start_offset: Duration::from_millis(i as u64),
            finish_seq: i,
        })
        .collect();
    let mut outcome = RunOutcome::from_results(results, timings, Duration::from_secs(30));
    outcome.elapsed = Duration::from_millis(100);
    let info = RunConfigInfo {
        run_id: "20260102T030405Z-abcdef".into(),
        name: "hostile".into(),
        started_at: UNIX_EPOCH + Duration::from_secs(1_767_323_045),
        config: RunConfig {
            target: "mock".into(),
            timeout_ms: 30_000,
            ..Default::default()
        },
    };
    convoy::pipeline::build_result(&outcome, &info).expect("a fixed run builds")
}

/// Two personas with hostile names and reasons: one submitted, one stuck with a failed
/// expectation.
fn hostile_result() -> RunResult {
    let submitted = persona(HOSTILE, 10, PersonaEnd::Submitted);
    let mut stuck = persona("stuck <b>", 20, PersonaEnd::Stuck);
    stuck.final_failures.push(Failure {
        loc: loc(22),
        subject: "persona.submitted".into(),
        expected: "true".into(),
        actual: "stuck".into(),
    });
    result_of(vec![submitted, stuck])
}

/// A failed persona run's testcase says how it ended and which expectation failed.
#[test]
fn a_failed_persona_run_says_how_it_ended() {
    let xml = junit::junit_xml(&hostile_result());
    assert!(
        xml.contains("<failure message=\"persona run ended stuck; 1 expectation(s) failed: persona.submitted\""),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"persona: stuck &lt;b&gt; [run 1/1]\""),
        "{xml}"
    );
    assert!(
        xml.contains("    why: why =cmd &lt;script&gt;"),
        "the reason in system-out"
    );
}

/// Hostile persona names and reasons stay text in every file.
#[test]
fn hostile_persona_names_stay_text() {
    let result = hostile_result();
    let csv = personas_csv::personas_csv(&result)
        .expect("renders")
        .expect("the run has personas");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut names = Vec::new();
    for record in reader.records() {
        let record = record.expect("a row");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell:?}"
            );
            assert!(!cell.contains('\u{1b}'), "raw ESC in {cell:?}");
        }
        names.push(record[3].to_string());
    }
    assert_eq!(names.len(), 3);
    assert!(names[0].starts_with("'=cmd <script>") && names[0].contains("\\u{1b}[31m"));
    assert_eq!(names[2], "all personas");

    let md = summary_md::summary_md(&result);
    let html = report_html(&result);
    let xml = junit::junit_xml(&result);
    for (name, text) in [
        ("summary.md", &md),
        ("report.html", &html),
        ("junit.xml", &xml),
    ] {
        for raw in ["<script>alert", "<img", "stuck <b>", "\u{1b}"] {
            assert!(!text.contains(raw), "{name} holds a raw {raw:?}");
        }
    }
    assert!(!md.contains("](http"), "a link formed:\n{md}");
    assert!(md.contains("| persona | runs |"));
    assert!(
        html.contains("why: why =cmd &lt;script&gt;"),
        "the reason, escaped"
    );
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
    assert!(!xml.contains("]]>"));
}

/// personas.csv and the summary.md table of a fixed run are stable.
#[test]
fn personas_csv_and_table_snapshots() {
    let result = hostile_result();
    let csv = personas_csv::personas_csv(&result).expect("renders");
    insta::assert_snapshot!("personas_csv", csv.expect("the run has personas"));
    let md = summary_md::summary_md(&result);
    let table: String = md
        .lines()
        .skip_while(|l| !l.starts_with("| persona |"))
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("personas_md", table);
}

/// A persona run 25 times embeds 20 transcripts and says how many it left out.
#[test]
fn persona_transcripts_are_capped_per_persona() {
    let runs = (1..=25)
        .map(|i| {
            let mut run = persona("Dana", 10, PersonaEnd::Submitted);
            (run.iteration, run.repeat) = (i, 25);
            run
        })
        .collect();
    let html = report_html(&result_of(runs));
    assert_eq!(html.matches("<details class=\"run\">").count(), 20);
    assert!(html.contains("run 20/25 · submitted"));
    assert!(!html.contains("run 21/25"));
    assert!(
        html.contains("5 more run(s) of this persona not shown"),
        "{html}"
    );
}
