//! End-to-end: a suite using number ranges (`between`, `{gte, lt}`), `all_of`/`any_of` and a
//! NUMBER_INPUT `prompt: {min, max}` passes on the embedded mock, and the same suite with
//! each of those expectations changed fails, each failure at its own suite line.

mod common;

use common::{convoy, scratch_dir};
use std::path::Path;
use std::time::Duration;

const SUITE: &str = "tests/fixtures/expectations/party.yaml";

fn run(path: &Path) -> (Option<i32>, String) {
    run_with(path, &[])
}

fn run_with(path: &Path, flags: &[&str]) -> (Option<i32>, String) {
    let output = convoy()
        .arg("run")
        .arg(path)
        .arg("--out")
        .arg(scratch_dir().path())
        .args(flags)
        .output()
        .expect("convoy runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    (output.status.code(), format!("{stdout}\n{stderr}"))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {SUITE}"))
        + 1
}

#[test]
fn ranges_combinations_and_number_prompts_pass_on_the_mock() {
    let (code, output) = run(Path::new(SUITE));
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("1 passed, 0 failed, 0 errored"), "{output}");
}

/// Each replacement breaks one expectation; the failure names its line, the expected text
/// and the value the mock really sent.
#[test]
fn each_changed_expectation_fails_at_its_line() {
    let original = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SUITE))
        .expect("the suite is readable");
    let changes = [
        (
            "{ieq: DANA}",
            "{ieq: DORA}",
            "all of (regex ^Da; \"DORA\" (any case))",
            "\"Dana\"",
        ),
        (
            "prompt: {field: guests, min: 1, max: 40}",
            "prompt: {field: guests, min: 1, max: 30}",
            "NUMBER_INPUT for `guests` with min 1, max 30",
            "NUMBER_INPUT for `guests` with min 1, max 40",
        ),
        (
            "{between: [1, 40]}",
            "{between: [13, 40]}",
            "all of (between 13 and 40;",
            "12",
        ),
        (
            "{ne: standard}",
            "{ne: vip}",
            "any of (\"standard\"; all of (\"vip\"; not \"vip\"))",
            "\"vip\"",
        ),
        (
            "{between: [12, 12]}",
            "{between: [13, 13]}",
            "any of (< 5; between 13 and 13)",
            "12",
        ),
    ];
    let mut broken = original.clone();
    for (from, to, _, _) in &changes {
        assert_eq!(
            broken.matches(from).count(),
            1,
            "`{from}` must be in the suite once"
        );
        broken = broken.replacen(from, to, 1);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("party.yaml");
    std::fs::write(&path, &broken).expect("the broken suite is written");

    let (code, output) = run(&path);
    assert_eq!(code, Some(1), "{output}");
    for (_, to, expected, actual) in &changes {
        let at = format!("{}:{}:", path.display(), line_of(&broken, to));
        let block = output
            .split("--> ")
            .find(|b| format!("--> {b}").contains(&format!("--> {at}")))
            .unwrap_or_else(|| panic!("no failure at {at}:\n{output}"));
        assert!(block.contains(&format!("expected: {expected}")), "{block}");
        assert!(block.contains(&format!("actual:   {actual}")), "{block}");
    }
    assert!(output.contains("0 passed, 1 failed"), "{output}");
}

/// `us` and `µs` are read wherever a duration is: a turn's `max_latency` and a threshold.
#[test]
fn microsecond_durations_in_suites_and_thresholds() {
    let suite = r#"
form:
  id: 7f3e2d1c-0b9a-4877-a6f5-e4d3c2b1a090
  fields: [{key: first_name, type: string}]
conversations:
  - name: fast
    turns:
      - user: "Hi"
        expect: {max_latency: 800us}
      - user: "Hi again"
        expect: {max_latency: "1500µs"}
thresholds: ["send.p95<800us", "create.p99<=2.5µs"]
"#;
    let suite = convoy::suite::load_str("us.yaml", suite).unwrap_or_else(|d| panic!("{}", d[0]));
    let budgets: Vec<_> = suite.conversations[0]
        .turns
        .iter()
        .filter_map(|t| t.expect.max_latency.as_ref().map(|l| l.value))
        .collect();
    assert_eq!(
        budgets,
        [Duration::from_micros(800), Duration::from_micros(1500)]
    );
    let limits: Vec<f64> = suite.thresholds.iter().map(|t| t.value.limit).collect();
    assert_eq!(limits, [800.0, 2.5], "threshold limits are in µs");
}

/// Command-line durations take `us`/`µs` too, and a wrong unit says so.
#[test]
fn microsecond_flags() {
    for timeout in ["30000000us", "30000000µs"] {
        let (code, output) = run_with(Path::new(SUITE), &["--timeout", timeout]);
        assert_eq!(code, Some(0), "--timeout {timeout}\n{output}");
    }
    let (code, output) = run_with(Path::new(SUITE), &["--timeout", "800xs"]);
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("`xs` is not a duration unit"), "{output}");
}
