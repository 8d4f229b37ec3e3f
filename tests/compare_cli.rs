//! End-to-end: `convoy compare` on saved runs of the embedded mock with known delays.
//!
//! In a test binary of its own: cargo runs test binaries one at a time, so no other test
//! of this crate competes for the CPU while these runs are timed.

use assert_cmd::Command;

const SIGNUP: &str = "tests/fixtures/regress/signup.yaml";

fn convoy() -> Command {
    let mut cmd = Command::cargo_bin("convoy").expect("the convoy binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("WIX_API_KEY")
        .env_remove("WIX_SITE_ID")
        .env_remove("WIX_ACCOUNT_ID");
    cmd
}

/// Two saved runs, the second with the mock 20% slower, make `convoy compare` exit 1 and
/// name the operations and turns that regressed; two runs of the same config exit 0.
///
/// Robust on a loaded machine: the three runs go at the same time, so whatever load the
/// machine is under hits all of them alike (common-mode noise), the delays are large
/// (1 s, so that scheduling delays of tens of ms stay a few percent) and each histogram
/// holds 60 samples, so a few stalled requests cannot move
/// a p95.
#[test]
fn compare_flags_a_slower_mock_and_passes_the_same_config() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let children: Vec<_> = dirs
        .iter()
        .zip(["all=200ms", "all=240ms", "all=200ms"])
        .map(|(dir, delay)| {
            std::process::Command::new(env!("CARGO_BIN_EXE_convoy"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["run", SIGNUP, "--repeat", "100", "--concurrency", "4"])
                .args(["--latency", delay, "--format", "json", "--out"])
                .arg(dir.path())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("convoy runs")
        })
        .collect();
    for mut child in children {
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
    let json = |i: usize| dirs[i].path().join("run.json");
    let output = convoy()
        .arg("compare")
        .arg(json(0))
        .arg(json(1))
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{table}");
    for name in [
        "p95 of operation create",
        "p95 of operation send",
        "p95 of turn signup / both fields at once / turn 0",
        "p95 of turn signup / both fields at once / turn 1",
    ] {
        assert!(
            table.contains(&format!("regressed: {name}")),
            "{name}: {table}"
        );
    }
    let as_json = convoy()
        .args(["compare", "--format", "json"])
        .arg(json(0))
        .arg(json(1))
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&as_json.stdout).expect("JSON output");
    assert_eq!(value["regressed"], true);

    let same = convoy()
        .arg("compare")
        .arg(json(0))
        .arg(json(2))
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&same.stdout).into_owned();
    assert_eq!(same.status.code(), Some(0), "{table}");
    assert!(table.contains("no regression"), "{table}");
}
