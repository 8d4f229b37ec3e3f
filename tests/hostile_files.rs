//! Files that would exhaust memory or hang if read naively: a `data:` file that is a
//! device, a link to one or a FIFO (in `validate`, `run` and `mock --forms`), a suite
//! path that is a device, a suite or data file past its cap, a data file past the row
//! cap, a fault profile that is a device. Each ends at once with a classified error.
//! Every command runs under a timeout, so a regression fails instead of hanging CI.

mod common;

use common::convoy as convoy_cmd;
use std::fs;
use std::path::Path;
use std::time::Duration;

const FORM: &str = "version: 1
name: hostile
form:
  id: 5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10
  fields:
    - {key: email, type: string, format: email}
";

fn suite_with_data(dir: &Path, data: &str) -> std::path::PathBuf {
    let suite = format!(
        "{FORM}conversations:\n  - name: rows\n    data: {data}\n    turns:\n      - user: \"{{{{mail}}}}\"\n"
    );
    let path = dir.join("s.yaml");
    fs::write(&path, suite).expect("suite written");
    path
}

/// Runs convoy with ARGS; returns exit code and stderr.
fn convoy(args: &[&str], path: &Path) -> (Option<i32>, String) {
    let output = convoy_cmd()
        .args(args)
        .arg(path)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("convoy runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_data_file_that_is_a_device_is_refused_by_type() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let suite = suite_with_data(dir.path(), "/dev/zero");
    for command in [&["validate"][..], &["run", "--format", "json", "--out"]] {
        let mut args = command.to_vec();
        let out = dir.path().join("out");
        let out = out.to_str().expect("UTF-8 path");
        if args.last() == Some(&"--out") {
            args.push(out);
        }
        let (code, stderr) = convoy(&args, &suite);
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        assert!(
            stderr
                .contains("cannot read data file `/dev/zero`: not a regular file (it is a device)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("s.yaml:9:11"),
            "located at the `data:` value: {stderr}"
        );
    }
}

/// The three commands that read suites (and their `data:`), each followed by the suite.
fn every_reader(dir: &Path) -> Vec<Vec<String>> {
    let out = dir.join("out").to_string_lossy().into_owned();
    let commands: [&[&str]; 3] = [
        &["validate"],
        &["run", "--format", "json", "--out", &out],
        &["mock", "--port", "0", "--forms"],
    ];
    commands
        .iter()
        .map(|c| c.iter().map(|a| a.to_string()).collect())
        .collect()
}

/// `data: rows.csv` where rows.csv is made by `make`: every command refuses it at once,
/// saying `expected`.
fn refused_by_every_reader(make: impl FnOnce(&Path), expected: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    make(&dir.path().join("rows.csv"));
    let suite = suite_with_data(dir.path(), "rows.csv");
    for command in every_reader(dir.path()) {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let (code, stderr) = convoy(&args, &suite);
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains(expected), "{command:?}: {stderr}");
    }
}

#[test]
fn a_csv_link_to_a_device_is_a_device() {
    refused_by_every_reader(
        |path| std::os::unix::fs::symlink("/dev/zero", path).expect("a symlink"),
        "cannot read data file `rows.csv`: not a regular file (it is a device)",
    );
}

/// Opening a FIFO for reading would wait for a writer forever.
#[test]
fn a_data_file_that_is_a_fifo_is_refused_without_waiting() {
    refused_by_every_reader(
        |path| {
            let made = std::process::Command::new("mkfifo").arg(path).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        },
        "not a regular file (it is a FIFO)",
    );
}

#[test]
fn a_data_file_past_the_row_cap_is_refused() {
    refused_by_every_reader(
        |path| {
            let rows = "someone@example.com\n".repeat(10_001);
            fs::write(path, format!("mail\n{rows}")).expect("data written");
        },
        "`rows.csv` has more than 10000 rows",
    );
}

/// The suite's cap holds while reading; the error names the file.
#[test]
fn a_suite_file_past_its_cap_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("big.yaml");
    let padding = format!("# {}\n", "x".repeat(1022)).repeat(8 * 1024 + 1);
    fs::write(&path, format!("{FORM}{padding}")).expect("suite written");
    let (code, stderr) = convoy(&["validate"], &path);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("big.yaml"), "{stderr}");
    assert!(stderr.contains("larger than 8388608 bytes"), "{stderr}");
}

/// The cap holds while reading, whatever the file says its length is.
#[test]
fn a_data_file_past_its_cap_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let row = "someone@example.com\n";
    let rows = 16 * 1024 * 1024 / row.len() + 10;
    fs::write(
        dir.path().join("big.csv"),
        format!("mail\n{}", row.repeat(rows)),
    )
    .expect("data written");
    let suite = suite_with_data(dir.path(), "big.csv");
    let (code, stderr) = convoy(&["validate"], &suite);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("larger than 16777216 bytes"), "{stderr}");
    assert!(
        stderr.contains("split the rows over several data files"),
        "{stderr}"
    );
}

#[test]
fn a_suite_path_that_is_a_device_is_refused() {
    let (code, stderr) = convoy(&["validate"], Path::new("/dev/zero"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero"), "{stderr}");
    assert!(
        stderr.contains("not a regular file (it is a device)"),
        "{stderr}"
    );
}

#[test]
fn a_fault_profile_that_is_a_device_is_refused() {
    let (code, stderr) = convoy(&["mock", "--port", "0", "--faults"], Path::new("/dev/zero"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot read the fault profile /dev/zero: not a regular file"),
        "{stderr}"
    );
}
