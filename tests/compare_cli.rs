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

/// The three runs of one attempt: base (200 ms), slow (+20%: 240 ms) and the base's
/// config again; returns their directories.
fn three_runs() -> Vec<tempfile::TempDir> {
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
    dirs
}

/// `convoy compare BASE NEW` (table): exit code and stdout.
fn compare(dirs: &[tempfile::TempDir], base: usize, new: usize) -> (Option<i32>, String) {
    let output = convoy()
        .arg("compare")
        .arg(dirs[base].path().join("run.json"))
        .arg(dirs[new].path().join("run.json"))
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), table)
}

/// Two saved runs, the second with the mock 20% slower, make `convoy compare` exit 1 and
/// name the operations and turns that regressed; two runs of the same config exit 0.
///
/// Robust on a loaded machine: the three runs go at the same time, so load on the
/// machine hits them alike (common-mode noise); 4 sessions at a time keep the runs' own
/// CPU use low and their cold first requests under 5% of the 100 samples of each
/// histogram. A p95 stays a statistic, so a machine that is very busy at the wrong
/// moment can still blur one attempt; an attempt counts only if *both* verdicts come
/// out as expected, and up to three are made.
#[test]
fn compare_flags_a_slower_mock_and_passes_the_same_config() {
    let mut report = String::new();
    for _attempt in 0..3 {
        let dirs = three_runs();
        let (slow_code, slow) = compare(&dirs, 0, 1);
        let (same_code, same) = compare(&dirs, 0, 2);
        let named = [
            "p95 of operation create",
            "p95 of operation send",
            "p95 of turn signup / both fields at once / turn 0",
            "p95 of turn signup / both fields at once / turn 1",
        ]
        .iter()
        .all(|name| slow.contains(&format!("regressed: {name}")));
        if slow_code != Some(1) || !named || same_code != Some(0) {
            report = format!("{slow}\n{same}");
            continue;
        }
        assert!(same.contains("no regression"), "{same}");
        let as_json = convoy()
            .args(["compare", "--format", "json"])
            .arg(dirs[0].path().join("run.json"))
            .arg(dirs[1].path().join("run.json"))
            .output()
            .unwrap();
        let value: serde_json::Value =
            serde_json::from_slice(&as_json.stdout).expect("JSON output");
        assert_eq!(value["regressed"], true);
        return;
    }
    panic!("three attempts blurred by machine load; the last:\n{report}");
}
