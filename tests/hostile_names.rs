//! Suite text with terminal control sequences (ESC colour and OSC window-title codes,
//! BEL, NUL, CR) in suite and conversation names: no raw control byte reaches the
//! terminal or any report file, in functional and load runs; each is written as a
//! visible escape instead.

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
  - name: "bell\a and \e]0;title\a osc\r"
    turns:
      - user: "my email is a@b.co"
        expect: {fields: {email: x@y.z}}
"#;

/// Control bytes other than the newline and tab that structure the files themselves.
fn raw_controls(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\t'))
        .count()
}

fn check_run(dir: &Path, extra: &[&str]) {
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
    for (name, stream) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert_eq!(
            raw_controls(stream),
            0,
            "{name}: {}",
            String::from_utf8_lossy(stream)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(r"bell\u{7} and \u{1b}]0;title\u{7} osc\r"),
        "{stdout}"
    );
    let mut files = 0;
    for entry in std::fs::read_dir(&out).expect("reports") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        assert_eq!(
            raw_controls(&bytes),
            0,
            "{} holds a raw control byte",
            path.display()
        );
        files += 1;
    }
    assert!(files >= 6, "{files} report files");
}

#[test]
fn control_characters_in_names_are_made_visible_everywhere() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("s.yaml"), SUITE).expect("suite written");
    check_run(dir.path(), &[]);
    check_run(dir.path(), &["--vus", "1", "--iterations", "2"]);
}
