//! `convoy validate` on every broken fixture: exit code 2, a `file:line:col` position, and
//! the whole message as an insta snapshot (read them: they are what a user sees).

mod common;

use common::convoy;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn validate(relative: &str) -> (i32, String, String) {
    let output = convoy()
        .args(["validate", relative])
        .output()
        .unwrap_or_else(|e| panic!("running convoy: {e}"));
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (code, stdout, stderr)
}

fn invalid_fixtures() -> Vec<String> {
    let dir = Path::new(ROOT).join("tests/fixtures/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

/// Every broken fixture fails with exit 2, names its file:line:col, and reads well.
#[test]
fn each_invalid_fixture_is_reported() {
    let fixtures = invalid_fixtures();
    assert!(
        fixtures.len() >= 25,
        "only {} invalid fixtures",
        fixtures.len()
    );
    for name in fixtures {
        let relative = format!("tests/fixtures/invalid/{name}");
        let (code, stdout, stderr) = validate(&relative);
        assert_eq!(code, 2, "{name}: exit code\n{stderr}");
        assert!(stdout.is_empty(), "{name}: printed to stdout: {stdout}");
        let position = format!("--> {relative}:");
        let after = stderr
            .split(&position)
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no `{position}` in\n{stderr}"));
        let line_col: Vec<&str> = after
            .split_whitespace()
            .next()
            .unwrap_or("")
            .split(':')
            .collect();
        assert!(
            line_col.len() == 2
                && line_col
                    .iter()
                    .all(|n| n.parse::<usize>().is_ok_and(|n| n > 0)),
            "{name}: no line:col after the file name\n{stderr}"
        );
        assert!(stderr.contains("= help: "), "{name}: no help\n{stderr}");
        let snapshot = name.trim_end_matches(".yaml").to_owned();
        insta::assert_snapshot!(snapshot, stderr);
    }
}

/// The valid fixtures pass with exit 0 and a summary on stdout.
#[test]
fn valid_fixtures_pass() {
    let (code, stdout, stderr) = validate("tests/fixtures/valid");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.starts_with("ok: "), "{stdout}");
}

/// A directory of broken suites reports the problems of every file, then the count.
#[test]
fn a_directory_reports_every_file() {
    let (code, _, stderr) = validate("tests/fixtures/invalid");
    assert_eq!(code, 2);
    let files = invalid_fixtures();
    for name in &files {
        assert!(
            stderr.contains(name.as_str()),
            "{name} missing from the directory run"
        );
    }
    let last = stderr.lines().last().unwrap_or("");
    assert!(
        last.starts_with("error: ") && last.ends_with("problem(s) found"),
        "{last}"
    );
}

/// A path that does not exist is a suite error, not a crash.
#[test]
fn a_missing_path_is_reported() {
    let (code, _, stderr) = validate("tests/fixtures/no-such-dir");
    assert_eq!(code, 2);
    insta::assert_snapshot!("missing-path", stderr);
}
