//! `convoy run --fail-fast` stops a functional run at its first failed or errored
//! conversation: nothing starts after it, the reports are written and say so, and the
//! exit code is the failure's. Load runs refuse the flag. One conversation at a time, so
//! "after the first failure" is the plan's order.

mod common;

use common::{convoy, report, scratch_dir};
use serde_json::Value;

fn planned_conversations() -> usize {
    let loaded = convoy::suite::load_paths(&[std::path::PathBuf::from("suites")]);
    (loaded.suites.iter())
        .map(|s| s.conversations.len() + s.personas.len())
        .sum()
}

#[test]
fn the_run_stops_after_the_first_failure_and_says_so() {
    let dir = scratch_dir();
    // The third send of the run fails: with one conversation at a time, an early one.
    let output = convoy()
        .args(["run", "suites/", "--fail-fast", "--concurrency", "1"])
        .args(["--fault", "{kind: http_500, endpoint: send, requests: [3]}"])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("stopped early (--fail-fast)"), "{stdout}");
    // Every report that states the verdict's reasons says so too.
    assert!(report(dir.path(), "summary.md").contains("stopped early (--fail-fast)"));
    assert!(report(dir.path(), "report.html").contains("stopped early (--fail-fast)"));
    let run: Value = serde_json::from_str(&report(dir.path(), "run.json")).unwrap();
    assert_eq!(run["stopped_early"], true);
    let reasons = run["verdict"]["reasons"].as_array().unwrap();
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap().starts_with("stopped early"))
    );
    let conversations = run["conversations"].as_array().unwrap();
    assert!(conversations.len() < planned_conversations());
    // Exactly one conversation did not pass, and it is the last one that ran.
    let verdicts: Vec<&str> = conversations
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts.iter().filter(|v| **v != "passed").count(),
        1,
        "{verdicts:?}"
    );
    let last = conversations
        .iter()
        .max_by_key(|c| c["finish_seq"].as_u64())
        .unwrap();
    assert_ne!(last["verdict"], "passed");
    // Passed conversations ran before it: the run failed (exit 1), it was not a run
    // where everything errored (exit 3).
    assert!(verdicts.contains(&"passed"));
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(dir.path().join("turns.csv").exists());
    assert!(dir.path().join("junit.xml").exists());
}

#[test]
fn a_passing_run_is_not_stopped() {
    let dir = scratch_dir();
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--fail-fast", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("stopped early"));
    let run: Value = serde_json::from_str(&report(dir.path(), "run.json")).unwrap();
    assert!(run.get("stopped_early").is_none(), "absent when false");
}

#[test]
fn load_runs_refuse_the_flag() {
    let output = convoy()
        .args(["run", "--fail-fast", "--vus", "2", "--duration", "1s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--fail-fast"));
}
