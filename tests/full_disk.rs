//! Reports on a disk that fills up: each file is written whole or not at all (no 0-byte
//! run.json, no turns.csv cut mid-row, no half report.html), nothing partial is left
//! behind, and the error names the missing files. The full disk is a file-size limit
//! (`ulimit -f`, with SIGXFSZ ignored so writes fail with EFBIG instead of killing the
//! process), which fails writes just as ENOSPC does.

mod common;

use std::path::Path;
use std::process::Output;

/// `convoy run suites/` with files limited to `blocks` × 512 bytes.
fn run_with_file_limit(blocks: u32, out: &Path) -> Output {
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\"");
    std::process::Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_convoy")])
        .args(["run", "suites/", "-q", "--out"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("WIX_API_KEY")
        .output()
        .expect("sh runs")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the report directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// 150 blocks (75 KiB): run.json and report.html do not fit, the others do.
#[test]
fn files_that_do_not_fit_are_absent_and_named() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = run_with_file_limit(150, dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("cannot write run.json, report.html in"),
        "{stderr}"
    );
    assert!(stderr.contains("written whole: "), "{stderr}");
    let present = names(dir.path());
    assert_eq!(
        present,
        [
            "fields.csv",
            "junit.xml",
            "latency.csv",
            "personas.csv",
            "summary.md",
            "turns.csv"
        ],
        "no partial file is left"
    );
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).expect("junit.xml");
    assert!(junit.trim_end().ends_with("</testsuites>"), "{junit}");
    let turns = std::fs::read_to_string(dir.path().join("turns.csv")).expect("turns.csv");
    assert!(turns.ends_with('\n'));
    // One row per request of the example suites (as a normal run counts them).
    let normal = tempfile::tempdir().expect("a temporary directory");
    let full = run_with_file_limit(100_000, normal.path());
    assert_eq!(full.status.code(), Some(0));
    let expected = std::fs::read_to_string(normal.path().join("turns.csv")).expect("turns.csv");
    assert_eq!(turns.lines().count(), expected.lines().count());
}

/// 8 blocks (4 KiB): even the streamed turns.csv overflows; it is removed, not left cut.
#[test]
fn a_streamed_turns_csv_that_overflows_is_removed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = run_with_file_limit(8, dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let present = names(dir.path());
    assert!(
        !present.iter().any(|n| n.contains("turns.csv")),
        "{present:?}"
    );
    assert!(
        !present.iter().any(|n| n.ends_with(".partial")),
        "{present:?}"
    );
    assert!(!present.iter().any(|n| n == "run.json"), "{present:?}");
    assert!(stderr.contains("cannot write turns.csv, "), "{stderr}");
}
