//! Generate Form Summary end to end: the standalone mock's `/generate-form-summary`
//! answers in the documented shapes, and a suite's `summary:` check passes or fails a
//! run, shows in its reports, and is the `summary` operation of latency and thresholds.

mod common;

use common::{StandaloneMock, convoy, report, scratch_dir};
use serde_json::{Value, json};
use std::path::Path;

const FORM: &str = "version: 1
name: summary-check
form:
  id: 7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b
  name: Newsletter signup
  fields:
    - {key: email, label: Email address, type: string, format: email, required: true}
    - {key: first_name, label: First name, type: string}
conversations:
  - name: says hello
    turns:
      - user: \"Hi, I'm Dana, dana@example.com\"
";

async fn post(mock: &StandaloneMock, body: Value) -> (u16, Value) {
    let url = format!("{}/generate-form-summary", mock.base_url);
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn write_suite(dir: &Path, summary: &str) -> String {
    let path = dir.join("summary-check.yaml");
    std::fs::write(&path, format!("{FORM}summary:\n{summary}")).unwrap();
    path.to_string_lossy().into_owned()
}

/// A form with input fields gets `{formSummary}` of at most 255 characters naming them.
#[tokio::test]
async fn the_mock_summarizes_a_form_within_255_characters() {
    let mock = StandaloneMock::start();
    let field = |key: &str, label: &str| {
        json!({"id": key, "fieldType": "INPUT", "identifier": "TEXT_INPUT",
            "inputOptions": {"target": key, "inputType": "STRING", "required": false,
                "label": label}})
    };
    let form = json!({"id": "f1", "name": "Job application",
        "formFields": [field("cv_link", "Link to CV"), field("years", "Years of experience"),
            {"id": "d1", "fieldType": "DISPLAY", "displayOptions": {"header": {}}}]});
    let (status, body) = post(&mock, json!({ "form": form })).await;
    assert_eq!(status, 200, "{body}");
    let summary = body["formSummary"].as_str().unwrap();
    assert!(summary.chars().count() <= 255, "{summary}");
    for name in ["Job application", "Link to CV", "Years of experience"] {
        assert!(summary.contains(name), "{name} missing from {summary}");
    }
    let many: Vec<Value> = (0..200)
        .map(|i| {
            field(
                &format!("f{i}"),
                &format!("A rather long field label number {i}"),
            )
        })
        .collect();
    let (status, body) = post(&mock, json!({"form": {"name": "Big", "formFields": many}})).await;
    assert_eq!(status, 200);
    assert!(body["formSummary"].as_str().unwrap().chars().count() <= 255);
    assert_eq!(mock.stats()["endpoints"]["generateFormSummary"]["total"], 2);
}

/// A form without input fields is `400 INVALID_FORM` in the documented error body; a
/// body without `form` is a 400 validation error naming `form`.
#[tokio::test]
async fn forms_without_input_fields_are_invalid() {
    let mock = StandaloneMock::start();
    let display_only = json!({"form": {"id": "f2", "name": "Notice",
        "formFields": [{"id": "d1", "fieldType": "DISPLAY", "displayOptions": {}}]}});
    for body in [
        display_only,
        json!({"form": {"name": "Empty", "formFields": []}}),
    ] {
        let (status, error) = post(&mock, body).await;
        assert_eq!(status, 400);
        assert_eq!(
            error["details"]["applicationError"]["code"], "INVALID_FORM",
            "{error}"
        );
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, error) = post(&mock, json!({})).await;
    assert_eq!(status, 400);
    let violation = &error["details"]["validationError"]["fieldViolations"][0];
    assert_eq!(violation["field"], "form", "{error}");
}

/// `convoy run SUITE --out DIR/out`: its output and the report directory.
fn run_suite(suite: &str, dir: &Path) -> (std::process::Output, std::path::PathBuf) {
    let out = dir.join("out");
    let run = convoy()
        .args(["run", suite, "--out"])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    (run, out)
}

/// A suite whose summary meets its expectations passes, and the check is in run.json,
/// junit.xml, summary.md and latency.csv (a `summary` row).
#[test]
fn a_passing_summary_check_passes_and_is_reported() {
    let dir = scratch_dir();
    let suite = write_suite(
        dir.path(),
        "  contains: Newsletter signup\n  mentions: [email, First name]\n  max_length: 255\n",
    );
    let (run, out) = run_suite(&suite, dir.path());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("form summaries"), "{stdout}");
    let result: Value = serde_json::from_str(&report(&out, "run.json")).unwrap();
    let check = &result["form_summaries"][0];
    assert_eq!(check["verdict"], "passed", "{check}");
    assert!(check["summary"].as_str().unwrap().contains("Email address"));
    let csv = report(&out, "latency.csv");
    assert!(
        csv.lines().any(|l| l.starts_with("operation,summary,")),
        "{csv}"
    );
    let junit = report(&out, "junit.xml");
    assert!(junit.contains("<testsuite name=\"summary\" tests=\"1\" failures=\"0\""));
    assert!(report(&out, "summary.md").contains("Form summaries"));
    assert!(report(&out, "report.html").contains("Form summaries"));
}

/// A summary that misses an expectation fails the run (exit 1) and every report says
/// which expectation and why.
#[test]
fn a_failing_summary_check_fails_the_run_and_says_why() {
    let dir = scratch_dir();
    let suite = write_suite(
        dir.path(),
        "  contains: Job application\n  mentions: [email]\n  max_length: 10\n",
    );
    let (run, out) = run_suite(&suite, dir.path());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("summary.max_length: expected at most 10 characters"),
        "{stdout}"
    );
    assert!(stdout.contains("summary: expected"), "{stdout}");
    assert!(
        stdout.contains("`summary:` checks did not pass"),
        "{stdout}"
    );
    let result: Value = serde_json::from_str(&report(&out, "run.json")).unwrap();
    assert_eq!(result["verdict"]["result"], "failed");
    let failures = result["form_summaries"][0]["failures"].as_array().unwrap();
    let subjects: Vec<&str> = failures
        .iter()
        .filter_map(|f| f["subject"].as_str())
        .collect();
    assert_eq!(subjects, ["summary", "summary.max_length"]);
    let junit = report(&out, "junit.xml");
    assert!(junit.contains("<failure message=\""), "{junit}");
    assert!(junit.contains("tests=\"1\" failures=\"1\""), "{junit}");
}

/// `summary.p95` thresholds parse and are judged on the summary's own latency: the mock
/// delays summaries by 50 ms, so a 10 ms limit fails and a 10 minute one holds.
#[test]
fn summary_latency_thresholds_are_evaluated() {
    let dir = scratch_dir();
    let suite = write_suite(dir.path(), "  max_length: 255\n");
    let run = |threshold: &str| {
        convoy()
            .args([
                "run",
                &suite,
                "--latency",
                "summary=50ms",
                "--threshold",
                threshold,
            ])
            .arg("--out")
            .arg(dir.path().join(threshold.replace(['<', '.'], "_")))
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap()
    };
    let held = run("summary.p95<10m");
    assert_eq!(
        held.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&held.stdout)
    );
    let broken = run("summary.p95<10ms");
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("summary.p95<10ms"), "{stdout}");
}
