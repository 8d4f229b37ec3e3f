//! Suite text with terminal control sequences (ESC colour, OSC window-title and OSC 8
//! hyperlink codes, BEL, NUL, CR, the C1 CSI) in suite, conversation and persona names:
//! no raw control character reaches the terminal or any report file, in functional and
//! load runs; each file writes it as the one visible escape (`\u{1b}`), escaped in turn
//! for its own language (Markdown's backslashes in summary.md).

mod common;

use common::convoy_process;
use std::path::Path;

const SUITE: &str = r#"version: 1
name: "ctl\e[31m\0"
form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: email, label: Email, type: string, format: email}
conversations:
  - name: "bell\a and \e]0;title\a osc\r \e]8;;http://x.test\e\\link\e]8;;\e\\ \u009b2J"
    turns:
      - user: "my email is a@b.co"
        expect: {fields: {email: x@y.z}}
personas:
  - name: "dana\e]0;title\a"
    facts: {email: dana@example.com}
    style: reactive
    opening: "Hi"
    max_turns: 3
"#;

/// The conversation's name as the terminal and every CSV, XML and HTML file show it.
const VISIBLE: &str = r"bell\u{7} and \u{1b}]0;title\u{7} osc\r \u{1b}]8;;http://x.test\u{1b}\link\u{1b}]8;;\u{1b}\ \u{9b}2J";

/// What each file must show, in its own escaping, of the names.
fn expected(file: &str) -> &'static [&'static str] {
    match file {
        "turns.csv" | "latency.csv" | "junit.xml" | "report.html" | "stdout" => &[VISIBLE],
        "fields.csv" => &[r"ctl\u{1b}[31m\u{0}"],
        "personas.csv" => &[r"dana\u{1b}]0;title\u{7}"],
        // Markdown escapes the backslashes and braces of the same escape.
        "summary.md" => &[r"bell\\u\{7\} and \\u\{1b\}\]0;title\\u\{7\} osc\\r"],
        // JSON has its own escapes for C0 controls (`\u001b`); C1 is valid JSON text.
        "run.json" => &[r"bell\u0007 and \u001b]0;title\u0007 osc\r"],
        _ => &[],
    }
}

/// Control characters other than the newline and tab that structure the files
/// themselves; C1 controls too, except in JSON, where they are ordinary text.
fn raw_controls(name: &str, bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .filter(|c| c.is_ascii() || name != "run.json")
        .count()
}

fn check_output(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert_eq!(
        raw_controls(name, bytes),
        0,
        "{name} holds a raw control:\n{text}"
    );
    for shown in expected(name) {
        assert!(
            text.contains(shown),
            "{name} does not show {shown}:\n{text}"
        );
    }
}

/// Runs the suite with `extra` flags and checks every output; `files` are the reports
/// the run must write.
fn check_run(dir: &Path, extra: &[&str], files_expected: &[&str]) {
    let out = dir.join(format!("out{}", extra.len()));
    let output = convoy_process()
        .arg("run")
        .arg(dir.join("s.yaml"))
        .args(extra)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("convoy runs");
    assert_eq!(output.status.code(), Some(1), "the expectation fails");
    check_output("stdout", &output.stdout);
    check_output("stderr", &output.stderr);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&out).expect("reports") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        check_output(&name, &std::fs::read(&path).expect("readable"));
        files.push(name);
    }
    files.sort();
    assert_eq!(files, files_expected, "every report is checked");
}

const REPORTS: [&str; 8] = [
    "fields.csv",
    "junit.xml",
    "latency.csv",
    "personas.csv",
    "report.html",
    "run.json",
    "summary.md",
    "turns.csv",
];

#[test]
fn control_characters_in_names_are_made_visible_everywhere() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("s.yaml"), SUITE).expect("suite written");
    check_run(dir.path(), &[], &REPORTS);
    // A load run of the conversation alone (its persona has no row to write).
    let load = ["--vus", "1", "--iterations", "2", "--filter", "bell"];
    let written: Vec<&str> = REPORTS
        .into_iter()
        .filter(|f| *f != "personas.csv")
        .collect();
    check_run(dir.path(), &load, &written);
}
