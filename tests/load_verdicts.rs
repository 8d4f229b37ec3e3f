//! Honest load verdicts, as a user runs them: an open-model run that drops arrivals
//! (`--max-sessions` reached) did not deliver its load, so it exits 1 and says "dropped"
//! in the terminal and in every report, unless a drop threshold judges the drops; its
//! latency.csv has the latency from the intended start.

mod common;

use common::{convoy, report};
use std::path::Path;

/// 40 arrivals a second, at most 2 sessions at once, every request 50 ms: far more
/// arrive than 2 slots can serve, so many are still waiting when the 2 s run ends.
fn overloaded_run(out: &Path, thresholds: &[&str]) -> std::process::Output {
    let mut cmd = convoy();
    cmd.args(["run", "suites/", "--rate", "40/s", "--max-sessions", "2"])
        .args([
            "--latency",
            "all=50ms",
            "--duration",
            "2s",
            "--grace",
            "5s",
            "-q",
        ])
        .arg("--out")
        .arg(out);
    for t in thresholds {
        cmd.args(["--threshold", t]);
    }
    cmd.timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("convoy runs")
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&report(dir, "run.json")).expect("run.json is JSON")
}

/// The dropped run fails (exit 1) and every output says why; a `late` threshold does not
/// excuse the drops (it judges sessions that did start).
#[test]
fn a_run_that_drops_arrivals_fails_and_says_so_everywhere() {
    let out = tempfile::tempdir().unwrap();
    let output = overloaded_run(out.path(), &["late<100000"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let dir = out.path();
    let json = run_json(dir);
    let dropped = json["load"]["dropped"].as_u64().expect("a dropped count");
    assert!(dropped > 0, "nothing dropped: {}", json["load"]);
    assert_eq!(json["verdict"]["result"], "failed");
    assert_eq!(json["verdict"]["headline"], "load not delivered");
    let reason = json["verdict"]["reasons"][0].as_str().unwrap_or_default();
    assert!(reason.contains(&format!("{dropped} of ")), "{reason}");
    assert!(reason.contains("dropped"), "{reason}");
    assert_eq!(
        json["thresholds"][0]["passed"], true,
        "{}",
        json["thresholds"]
    );

    assert!(stdout.contains("verdict: load not delivered"), "{stdout}");
    assert!(stdout.contains(&format!("{dropped} of ")), "{stdout}");
    let summary = report(dir, "summary.md");
    let heading = summary.lines().next().unwrap_or_default();
    assert!(heading.starts_with("## ❌") && heading.contains("load not delivered"));
    assert!(summary.contains(&format!("{dropped} of ")), "{summary}");
    let html = report(dir, "report.html");
    assert!(html.contains("<header class=\"verdict failed\">"));
    assert!(html.contains("<span class=\"word\">LOAD NOT DELIVERED</span>"));
    assert!(html.contains(&format!("{dropped} of ")));
    let junit = report(dir, "junit.xml");
    assert!(
        junit.contains("<testcase name=\"load delivered\" classname=\"run\""),
        "{junit}"
    );
    assert!(junit.contains("type=\"dropped\""), "{junit}");
    assert!(junit.contains(&format!("<property name=\"dropped\" value=\"{dropped}\"/>")));
    // The totals count it, so a CI view shows a failure.
    let head = junit.lines().nth(1).unwrap_or_default();
    assert!(!head.contains("failures=\"0\""), "{head}");
}

/// A `dropped_rate` threshold judges the drops instead: it holds, so the run passes.
#[test]
fn a_drop_threshold_judges_the_drops_instead() {
    let out = tempfile::tempdir().unwrap();
    let output = overloaded_run(out.path(), &["dropped_rate<0.99"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let json = run_json(out.path());
    assert!(json["load"]["dropped"].as_u64().unwrap_or_default() > 0);
    assert_eq!(json["thresholds"][0]["passed"], true);
    assert_eq!(json["verdict"]["headline"], "passed");
    assert!(stdout.contains("verdict: passed"), "{stdout}");
    assert!(!report(out.path(), "junit.xml").contains("load delivered"));
    assert!(report(out.path(), "summary.md").starts_with("## ✅"));

    // latency.csv: the intended-start rows follow every other row but the per-tag rows
    // (appended last), one per operation and per conversation × turn with service times;
    // queued arrivals make the creates' intended-start latency the longer.
    let csv = report(out.path(), "latency.csv");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .filter(|r: &Vec<&str>| r[0] != "tag")
        .collect();
    fn metric<'a>(row: &[&'a str]) -> &'a str {
        row.last().copied().unwrap_or_default()
    }
    let first_intended = rows.iter().position(|r| metric(r) == "intended");
    let first_intended = first_intended.expect("intended rows");
    assert!(
        rows[first_intended..]
            .iter()
            .all(|r| metric(r) == "intended")
    );
    let count = |scope: &str, m: &str| {
        rows.iter()
            .filter(|r| r[0] == scope && metric(r) == m)
            .count()
    };
    assert_eq!(
        count("operation", "intended"),
        count("operation", "latency")
    );
    assert_eq!(count("turn", "intended"), count("turn", "latency"));
    let max_ms = |m: &str| -> f64 {
        let row = rows
            .iter()
            .find(|r| r[0] == "operation" && r[1] == "create" && metric(r) == m)
            .expect("a create row");
        row[13].parse().expect("max_ms")
    };
    assert!(max_ms("intended") > max_ms("latency") + 100.0, "{csv}");
}
