//! `--vary` end to end: scripted conversations written against the deterministic mock
//! fail in some runs once the mock varies like an LLM, the run still completes (exit 1,
//! not a crash) and records the profile; bad values are usage errors; the standalone
//! mock varies alike for the same seed.

mod common;

use common::{StandaloneMock, convoy, scratch_dir};
use serde_json::Value;
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `convoy run suites/contact.yaml --seed 3 --repeat 10 --concurrency 1` plus `extra`,
/// with the output and run.json (its summary.md added as `summary_md`).
fn run_contact(extra: &[&str]) -> (Output, Value) {
    let dir = scratch_dir();
    let output = convoy()
        .args([
            "run",
            "suites/contact.yaml",
            "--seed",
            "3",
            "--repeat",
            "10",
        ])
        // One session at a time: session ids, hence the draws, follow the plan's order.
        .args(["--concurrency", "1"])
        .args(extra)
        .arg("--out")
        .arg(dir.path())
        .output()
        .expect("convoy runs");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    let mut run: Value = serde_json::from_str(&read("run.json")).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut run {
        map.insert("summary_md".into(), Value::String(read("summary.md")));
    }
    (output, run)
}

/// Verdicts of every conversation run, in the plan's order.
fn verdicts(run: &Value) -> Vec<String> {
    run["conversations"]
        .as_array()
        .map(|all| all.iter().map(|c| c["verdict"].to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn scripted_conversations_fail_in_some_runs_when_the_mock_varies() {
    let (output, run) = run_contact(&["--vary", "order,paraphrase"]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("verdict: failed"), "{stdout}");
    let verdicts = verdicts(&run);
    assert_eq!(verdicts.len(), 70, "the run completed: {stdout}");
    let passed = verdicts.iter().filter(|v| v.contains("passed")).count();
    assert!(
        passed > 0 && passed < 70,
        "some runs pass and some fail: {passed}/70\n{stdout}"
    );
    assert_eq!(run["config"]["mock"]["vary"], "order,paraphrase");
    assert_eq!(run["config"]["seed"], 3);
    let summary = run["summary_md"].as_str().unwrap_or_default();
    assert!(summary.contains("--vary"), "{summary}");
}

#[test]
fn the_same_command_passes_without_vary() {
    let (output, run) = run_contact(&[]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(verdicts(&run).len(), 70);
    assert!(run["config"]["mock"]["vary"].is_null(), "{}", run["config"]);
}

#[test]
fn bad_vary_values_are_usage_errors_naming_the_bad_part() {
    let cases = [
        ("ordr", "did you mean `order`?"),
        ("order,miss=1.5", "got `1.5`"),
        ("merge", "`merge` needs a rate"),
        ("paraphrase=yes", "takes no value"),
        (
            "missing.yaml",
            "cannot read the --vary profile missing.yaml",
        ),
    ];
    for (spec, says) in cases {
        for command in [
            &["run", "suites/contact.yaml"][..],
            &["mock", "--port", "0"],
        ] {
            let output = convoy()
                .args(command)
                .args(["--vary", spec])
                .output()
                .expect("convoy runs");
            let stderr = text(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command:?} {spec}: {stderr}"
            );
            assert!(stderr.contains(says), "{spec}: {stderr}");
        }
    }
}

#[test]
fn a_yaml_profile_is_read_and_checked() {
    let dir = scratch_dir();
    let good = dir.path().join("vary.yaml");
    std::fs::write(&good, "order: true\nparaphrase: true\n").expect("written");
    let good = good.display().to_string();
    let (output, run) = run_contact(&["--vary", &good]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(run["config"]["mock"]["vary"], "order,paraphrase");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "order: true\nreask: 7\n").expect("written");
    let output = convoy()
        .args(["run", "suites/contact.yaml", "--vary"])
        .arg(&bad)
        .output()
        .expect("convoy runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`reask` takes a probability between 0 and 1, got `7`"));
}

#[test]
fn vary_is_refused_for_other_targets() {
    for target in [
        &["--base-url", "http://127.0.0.1:9"][..],
        &["--target", "wix"][..],
    ] {
        let output = convoy()
            .args(["run", "suites/contact.yaml", "--vary", "order"])
            .args(target)
            .output()
            .expect("convoy runs");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("--vary shape the embedded mock"),
            "{stderr}"
        );
    }
}

/// Two standalone mocks with the same profile and seed vary alike, and a run against
/// one of them fails like the embedded one.
#[test]
fn a_standalone_mock_varies_alike_for_the_same_seed() {
    let flags = ["--vary", "order,paraphrase,merge=0.3", "--seed", "5"];
    let results: Vec<(Option<i32>, Vec<String>)> = (0..2)
        .map(|_| {
            let mock = StandaloneMock::start_with(&flags);
            let dir = scratch_dir();
            let output = convoy()
                .args(["run", "suites/contact.yaml", "--repeat", "5"])
                .args(["--concurrency", "1", "--base-url", &mock.base_url])
                .arg("--out")
                .arg(dir.path())
                .output()
                .expect("convoy runs");
            let json = std::fs::read_to_string(dir.path().join("run.json")).unwrap_or_default();
            let run: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
            (output.status.code(), verdicts(&run))
        })
        .collect();
    assert_eq!(results[0].0, Some(1), "{results:?}");
    assert_eq!(results[0].1.len(), 35);
    assert_eq!(results[0], results[1]);
}
