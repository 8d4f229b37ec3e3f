//! Sharded runs end to end: four `convoy run --shard i/4` processes against one
//! standalone `convoy mock`, merged by `convoy merge`. Loopback only, a few seconds.

mod common;

use common::{StandaloneMock, convoy_process as convoy};
use convoy::report::RunResult;
use convoy::report::result::{LatencyKey, OperationName, decode_histogram};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

fn shard_run(base_url: &str, shard: &str, run_id: &str, start_at: u64, out: &Path) -> Child {
    convoy()
        .args(["run", "suites", "--base-url", base_url, "--rate", "40/s"])
        .args([
            "--duration",
            "5s",
            "--shard",
            shard,
            "--run-id",
            run_id,
            "-q",
        ])
        .args(["--start-at", &start_at.to_string(), "--format", "json"])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("convoy run starts")
}

fn finished(child: Child) -> Output {
    let output = child.wait_with_output().expect("convoy run finishes");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn read(path: &Path) -> RunResult {
    RunResult::from_json(&std::fs::read_to_string(path).expect("run.json")).expect("valid")
}

fn merge(files: &[PathBuf], out: &Path) -> Output {
    convoy()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(out)
        .output()
        .expect("convoy merge runs")
}

/// Four shards of 10/s each merge into one run of 40/s: totals add, merged percentiles
/// are those of one histogram fed every shard's samples, and the merged arrivals are
/// smooth (the shards interleave, they do not fire together).
#[test]
fn four_shards_merge_exactly_and_smoothly() {
    let mock = StandaloneMock::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Far enough ahead for all four processes to load their suites and wait.
    let start_at = now + 3;
    let outs: Vec<PathBuf> = (0..4)
        .map(|i| dir.path().join(format!("shard-{i}")))
        .collect();
    let children: Vec<Child> = outs
        .iter()
        .enumerate()
        .map(|(i, out)| shard_run(&mock.base_url, &format!("{i}/4"), "T", start_at, out))
        .collect();
    children.into_iter().for_each(|c| {
        finished(c);
    });
    let files: Vec<PathBuf> = outs.iter().map(|o| o.join("run.json")).collect();
    let shards: Vec<RunResult> = files.iter().map(|f| read(f)).collect();
    let merged_dir = dir.path().join("merged");
    let output = merge(&files, &merged_dir);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    for file in [
        "run.json",
        "latency.csv",
        "turns.csv",
        "junit.xml",
        "summary.md",
        "report.html",
    ] {
        assert!(merged_dir.join(file).is_file(), "{file} written");
    }
    let merged = read(&merged_dir.join("run.json"));
    let summary = std::fs::read_to_string(merged_dir.join("summary.md")).unwrap();
    assert!(summary.contains("merged from 4 shards"), "{summary}");

    let sum = |f: fn(&RunResult) -> u64| shards.iter().map(f).sum::<u64>();
    assert_eq!(
        merged.counters.conversations,
        sum(|r| r.counters.conversations)
    );
    assert_eq!(merged.counters.requests, sum(|r| r.counters.requests));
    let started = |r: &RunResult| r.load.as_ref().map_or(0, |l| l.sessions_started);
    assert_eq!(started(&merged), sum(started));
    assert!(
        (190..=210).contains(&started(&merged)),
        "{}",
        started(&merged)
    );

    // Merged percentiles = those of one histogram fed every shard's samples.
    for operation in [OperationName::Create, OperationName::Send] {
        let key = LatencyKey::Operation { operation };
        let hdr = |r: &RunResult| {
            let record = r
                .latency
                .operations
                .iter()
                .find(|o| o.key == key)
                .expect("op");
            decode_histogram(&record.hdr).expect("decodes")
        };
        let mut all = hdr(&shards[0]);
        shards[1..]
            .iter()
            .for_each(|s| all.add(hdr(s)).expect("adds"));
        let record = merged
            .latency
            .operations
            .iter()
            .find(|o| o.key == key)
            .unwrap();
        assert_eq!(record.summary.count, all.len());
        assert_eq!(record.summary.p50_us, all.value_at_quantile(0.50));
        assert_eq!(record.summary.p95_us, all.value_at_quantile(0.95));
        assert_eq!(record.summary.p99_us, all.value_at_quantile(0.99));
        assert_eq!(hdr(&merged).len(), all.len());
    }

    // Smooth: every middle second starts about 40 sessions, none a burst.
    let per_second: Vec<u64> = merged.timeline.iter().map(|p| p.sessions_started).collect();
    assert!(per_second.len() >= 5, "{per_second:?}");
    for started in &per_second[1..4] {
        assert!((28..=52).contains(started), "{per_second:?}");
    }
    assert!(per_second.iter().all(|n| *n <= 60), "{per_second:?}");

    // A shard of another run, or with another configuration, is refused (exit 2).
    let other = dir.path().join("other");
    finished(shard_run(&mock.base_url, "0/4", "U", 0, &other));
    let mut mixed = files[1..].to_vec();
    mixed.push(other.join("run.json"));
    let refused = merge(&mixed, &dir.path().join("refused"));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("run `U`") && stderr.contains("--run-id"),
        "{stderr}"
    );

    let mut edited = read(&files[3]);
    edited.config.timeout_ms += 1;
    let edited_path = dir.path().join("edited.json");
    std::fs::write(&edited_path, edited.to_json().unwrap()).unwrap();
    let mut mixed = files[..3].to_vec();
    mixed.push(edited_path);
    let refused = merge(&mixed, &dir.path().join("refused"));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");

    let refused = merge(&files[..3], &dir.path().join("refused"));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shard(s) 3 of 4 missing"), "{stderr}");
}

/// A shard whose slice is empty (2 VUs over 3 shards) runs nothing, exits 0, and still
/// writes a run.json that the merge counts.
#[test]
fn an_empty_shard_exits_0_and_merges() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |shard: &str| {
        let out = dir.path().join("shards").join(shard.replace('/', "-"));
        let output = convoy()
            .args([
                "run",
                "suites",
                "--vus",
                "2",
                "--iterations",
                "4",
                "--shard",
                shard,
            ])
            .args(["--run-id", "E", "-q", "--format", "json", "--out"])
            .arg(&out)
            .output()
            .expect("runs");
        (output, out.join("run.json"))
    };
    let (empty, empty_file) = run("2/3");
    assert_eq!(empty.status.code(), Some(0), "{empty:?}");
    assert!(String::from_utf8_lossy(&empty.stdout).contains("nothing to run"));
    let files: Vec<PathBuf> = ["0/3", "1/3"]
        .into_iter()
        .map(|s| {
            let (output, file) = run(s);
            assert_eq!(output.status.code(), Some(0), "{output:?}");
            file
        })
        .chain([empty_file])
        .collect();
    let merged_dir = dir.path().join("merged");
    let output = merge(&files, &merged_dir);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let merged = read(&merged_dir.join("run.json"));
    assert_eq!(merged.counters.conversations, 4);
    // A directory stands for its */run.json files.
    let again = dir.path().join("again");
    let output = merge(&[dir.path().join("shards")], &again);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(read(&again.join("run.json")), merged);
}

/// `--shard` needs `--run-id`, and a functional run is not sharded: usage errors.
#[test]
fn shard_flags_are_checked() {
    let output = convoy()
        .args([
            "run",
            "suites",
            "--vus",
            "2",
            "--iterations",
            "2",
            "--shard",
            "0/2",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--run-id"));
    let output = convoy()
        .args(["run", "suites", "--shard", "0/2", "--run-id", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("functional run"));
    let output = convoy()
        .args([
            "run",
            "suites",
            "--vus",
            "2",
            "--iterations",
            "2",
            "--shards",
            "2",
        ])
        .args(["--run-id", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("JOB_COMPLETION_INDEX"));
}
