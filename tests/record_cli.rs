//! `convoy record` and `--accept` end to end against the embedded mock: a suite stripped of
//! every expectation is rebuilt into one that passes, comments survive, CI is refused.

mod common;

use common::convoy_in as convoy;
use std::fs;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The suite without its `expect:`, `start:` and `final:` blocks (found by indentation).
fn strip_expectations(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(level) = skipping {
            if trimmed.is_empty() || trimmed.starts_with('#') || indent > level {
                continue;
            }
            skipping = None;
        }
        let starts_block = ["expect:", "start:", "final:"]
            .iter()
            .any(|k| trimmed.starts_with(k));
        if starts_block {
            skipping = Some(indent);
            continue;
        }
        out.push(line);
    }
    out.join("\n") + "\n"
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Record + accept rebuilds a suite that passes against the same target, with real
/// expectations, comments kept, and the pending file gone.
#[test]
fn record_and_accept_rebuild_a_passing_suite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original = read(&Path::new(ROOT).join("suites/contact.yaml"));
    let stripped = strip_expectations(&original);
    assert!(!stripped.contains("expect:"), "{stripped}");
    let suite = dir.path().join("contact.yaml");
    fs::write(&suite, &stripped).unwrap_or_else(|e| panic!("{e}"));

    let out = convoy(dir.path()).args(["record", "contact.yaml"]).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pending = dir.path().join("contact.pending.yaml");
    assert_eq!(read(&suite), stripped, "record must not touch the suite");
    assert!(read(&pending).contains("fields:"));
    // The transcript beside it is what `convoy mock --replay DIR` reads.
    let replay = convoy::mock::Replay::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(replay.len() > 10, "{} recorded answers", replay.len());

    // A directory run ignores the pending file: it is not a suite until accepted.
    let out = convoy(dir.path()).args(["validate", "."]).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 suite(s)"));

    let out = convoy(dir.path())
        .args(["record", "--accept", "contact.yaml"])
        .output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!pending.exists(), "the pending file is consumed");
    let accepted = read(&suite);
    assert!(accepted.contains("fields:") && accepted.contains("submitted: true"));
    assert!(
        accepted.starts_with("# yaml-language-server: $schema=")
            && accepted.contains("\n# Lead capture"),
        "the header comments are kept:\n{accepted}"
    );

    let out = convoy(dir.path())
        .args(["run", "contact.yaml", "--out", "reports"])
        .output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// With `CI` set, neither recording nor accepting writes anything (exit 2).
#[test]
fn record_refuses_in_ci() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        Path::new(ROOT).join("suites/contact.yaml"),
        dir.path().join("c.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for args in [&["record", "c.yaml"][..], &["accept", "c.yaml"][..]] {
        let out = convoy(dir.path()).env("CI", "true").args(args).output();
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("CI"));
    }
    assert!(!dir.path().join("c.pending.yaml").exists());
}
