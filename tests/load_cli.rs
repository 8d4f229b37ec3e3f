//! `convoy run` in load mode, as a user runs it: a graceful stop on SIGINT or SIGTERM
//! prints the whole summary and writes the reports; bad load flags are usage errors.

use assert_cmd::Command;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn convoy() -> Command {
    let mut cmd = Command::cargo_bin("convoy").expect("the convoy binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Waits for the child at most `limit` (a hang guard), killing it if it overruns.
fn wait_bounded(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("child status") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("convoy did not stop within {limit:?}");
}

fn interrupt_mid_run(signal: &str) {
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_convoy"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "suites/",
            "--vus",
            "4",
            "--duration",
            "60s",
            "--think",
            "20ms",
        ])
        .arg("--out")
        .arg(out.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convoy starts");
    std::thread::sleep(Duration::from_secs(2));
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let code = wait_bounded(&mut child, Duration::from_secs(30));
    let output = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Interrupted with every session passing: not a pass, not a failure (exit 3).
    assert_eq!(code, Some(3), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.contains("stopping: no new sessions"), "{stderr}");
    assert!(stdout.contains("sessions in"), "{stdout}");
    assert!(stdout.contains("pass rate 100.00%"), "{stdout}");
    assert!(stdout.contains("per turn"), "{stdout}");
    assert!(out.path().join("run.json").exists());
}

/// Ctrl-C (SIGINT) mid-run: no new sessions, a complete summary, reports written.
#[test]
fn sigint_stops_gracefully_with_a_complete_summary() {
    interrupt_mid_run("-INT");
}

/// SIGTERM (what a scheduler sends) behaves the same.
#[test]
fn sigterm_stops_gracefully_with_a_complete_summary() {
    interrupt_mid_run("-TERM");
}

/// A load run that cannot end by itself, or a ramp above its ceiling, is refused.
#[test]
fn unbounded_or_inconsistent_load_flags_are_usage_errors() {
    let output = convoy()
        .args(["run", "suites/", "--vus", "4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--duration, --iterations or --ramp"));

    let output = convoy()
        .args(["run", "suites/", "--vus", "4", "--ramp", "10:1s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--ramp reaches 10"));

    let output = convoy()
        .args(["run", "suites/", "--rate", "0/s", "--duration", "1s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A short closed run passes, and its summary has the latency and conversation tables.
#[test]
fn a_short_load_run_passes() {
    let out = tempfile::tempdir().unwrap();
    let output = convoy()
        .args([
            "run",
            "suites/",
            "--vus",
            "4",
            "--iterations",
            "40",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("40 sessions in"), "{stdout}");
    assert!(stdout.contains("turn 0 (create)"), "{stdout}");
    assert!(
        stdout.contains("contact › gives everything at once"),
        "{stdout}"
    );
}
