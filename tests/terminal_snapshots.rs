//! Snapshots of what `convoy run` prints to a terminal: a passing functional run, a
//! failing one, and a load run. The safety net for refactors of the terminal summary:
//! timings, ports, ids and paths are masked, everything else must stay as it is.

mod common;

use common::convoy_process;
use regex::Regex;

fn convoy_stdout(args: &[&str]) -> String {
    let out = tempfile::tempdir().expect("a temporary directory");
    let output = convoy_process()
        .args(args)
        .args(["--format", "json", "--out"])
        .arg(out.path())
        .output()
        .expect("convoy runs");
    let stdout =
        String::from_utf8_lossy(&output.stdout).replace(&out.path().display().to_string(), "<out>");
    format!("exit {:?}\n{}", output.status.code(), mask(&stdout))
}

/// Replaces what changes from run to run, then collapses the padding that the varying
/// widths leave behind (columns are aligned to their widest cell).
fn mask(text: &str) -> String {
    let rules = [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<id>",
        ),
        (r"\b\d+(\.\d+)?(ms|µs|s)\b", "<t>"),
        (r"\b\d+\.\d+ (sessions|requests)/s", "<n> $1/s"),
    ];
    let mut text = text.to_string();
    for (pattern, replacement) in rules {
        let re = Regex::new(pattern).expect("a valid pattern");
        text = re.replace_all(&text, replacement).into_owned();
    }
    let spaces = Regex::new(r" {2,}").expect("a valid pattern");
    text.lines()
        .map(|line| spaces.replace_all(line.trim_end(), "  ").into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn functional_run_that_passes() {
    insta::assert_snapshot!(convoy_stdout(&["run", "suites/contact.yaml"]));
}

/// The email is dropped from every answer: failures cite the suite line, expected and
/// actual; the scorecard counts the misses.
#[test]
fn functional_run_that_fails() {
    insta::assert_snapshot!(convoy_stdout(&[
        "run",
        "tests/fixtures/regress/signup.yaml",
        "--fault",
        "{kind: drop_field, field: email, rate: 1.0}",
    ]));
}

/// One virtual user, ten sessions: the mix and every count are deterministic.
#[test]
fn load_run() {
    insta::assert_snapshot!(convoy_stdout(&[
        "run",
        "suites/contact.yaml",
        "--vus",
        "1",
        "--iterations",
        "10",
        "--quiet",
    ]));
}
