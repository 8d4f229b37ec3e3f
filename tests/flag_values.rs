//! Durations on the command line follow one rule: a bare `0` is a duration; zero is
//! accepted where it means "none" (`--warmup`, `--think`, `--grace`) and refused, with
//! the same message, where it could never work (`--timeout`, `--duration`).

mod common;

use common::convoy;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().expect("a temporary directory");
    let output = convoy()
        .args([
            "run",
            "suites/contact.yaml",
            "--quiet",
            "--format",
            "json",
            "--out",
        ])
        .arg(out.path())
        .args(args)
        .output()
        .expect("convoy runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn zero_is_accepted_where_it_means_none() {
    for flag in ["--warmup", "--think", "--grace"] {
        let (code, stderr) = run(&["--vus", "1", "--iterations", "2", flag, "0"]);
        assert_eq!(code, Some(0), "{flag} 0: {stderr}");
    }
}

#[test]
fn zero_is_refused_with_one_message_where_it_cannot_work() {
    for (flag, extra) in [("--timeout", &[][..]), ("--duration", &["--vus", "1"][..])] {
        let mut args = extra.to_vec();
        args.extend([flag, "0"]);
        let (code, stderr) = run(&args);
        assert_eq!(code, Some(2), "{flag} 0: {stderr}");
        assert!(
            stderr.contains(&format!(
                "invalid value '0' for '{flag} <D>': `0`: must be longer than 0"
            )),
            "{stderr}"
        );
    }
}

/// A bad fault rule is a usage error said once: `error: <what>`, never `error: error:`.
#[test]
fn a_bad_fault_rule_is_reported_without_a_doubled_prefix() {
    for args in [
        &["--fault", "{kind: nope, rate: 0.5}"][..],
        &["--faults", "tests/fixtures/invalid/bad-duration.yaml"][..],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("error: error:"), "{stderr}");
    }
}
