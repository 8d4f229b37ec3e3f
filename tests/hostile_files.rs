//! Files that would exhaust memory or hang if read naively: a `data:` file that is a
//! device or a link to one, a suite path that is a device, a data file past its cap, a
//! fault profile that is a device. Each ends at once with a located, classified error.
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

#[test]
fn a_csv_link_to_a_device_is_a_device() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("rows.csv")).expect("a symlink");
    let suite = suite_with_data(dir.path(), "rows.csv");
    let (code, stderr) = convoy(&["validate"], &suite);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("not a regular file (it is a device)"),
        "{stderr}"
    );
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
