//! run.json's `config` records the whole configuration of a run (load model and flags,
//! think time, functional flags, mock flags, the convoy build) and never a secret; the
//! summary and the HTML report show it. Each run is a couple of seconds on loopback.

mod common;

use common::{StandaloneMock, convoy_process, report, scratch_dir};
use convoy::report::RunResult;
use convoy::report::result::ThinkRecord;
use std::path::Path;
use std::process::Output;

/// `convoy run` with the suites of this repository, reports into `out`, no live output.
fn run(args: &[&str], out: &Path) -> Output {
    convoy_process()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("convoy runs")
}

fn result(dir: &Path) -> RunResult {
    RunResult::from_json(&report(dir, "run.json")).expect("run.json loads")
}

/// The summary and the page both carry the Configuration block with `needle` in it.
fn shown_in_reports(dir: &Path, needle: &str) {
    let summary = report(dir, "summary.md");
    let block = summary
        .split("<summary>Configuration</summary>")
        .nth(1)
        .unwrap_or_else(|| panic!("no Configuration block in summary.md:\n{summary}"));
    assert!(block.contains(needle), "{needle} not in:\n{block}");
    let html = report(dir, "report.html");
    let section = html
        .split("<section id=\"configuration\"><h2>Configuration</h2>")
        .nth(1)
        .unwrap_or_else(|| panic!("no Configuration section in report.html"));
    let section = section.split("</section>").next().unwrap_or_default();
    assert!(section.contains(needle), "{needle} not in: {section}");
}

#[test]
fn a_closed_load_run_records_vus_duration_and_think_time() {
    let dir = scratch_dir();
    let args = [
        "suites/contact.yaml",
        "--vus",
        "3",
        "--duration",
        "2s",
        "--think",
        "100ms",
        "--grace",
        "1s",
        "-q",
    ];
    let output = run(&args, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let config = result(dir.path()).config;
    assert_eq!(config.model, "closed");
    let load = config.load.expect("a load config");
    assert_eq!(load.vus, Some(3));
    assert_eq!(load.rate_per_s, None);
    assert_eq!(load.duration_us, Some(2_000_000));
    assert_eq!(load.grace_us, 1_000_000);
    let think = ThinkRecord {
        source: "--think".into(),
        min_us: 100_000,
        max_us: 100_000,
    };
    assert_eq!(load.think, vec![think]);
    assert_eq!(config.convoy_version, env!("CARGO_PKG_VERSION"));
    shown_in_reports(dir.path(), "--vus");
    shown_in_reports(dir.path(), "100ms");
}

#[test]
fn an_open_load_run_records_rate_arrival_and_max_sessions() {
    let dir = scratch_dir();
    let args = [
        "suites/contact.yaml",
        "--rate",
        "5/s",
        "--arrival",
        "poisson",
        "--max-sessions",
        "4",
        "--duration",
        "2s",
        "--grace",
        "1s",
        "-q",
    ];
    let output = run(&args, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let config = result(dir.path()).config;
    assert_eq!(config.model, "open");
    let load = config.load.expect("a load config");
    assert_eq!(load.rate_per_s, Some(5.0));
    assert_eq!(load.arrival.as_deref(), Some("poisson"));
    assert_eq!(load.max_sessions, Some(4));
    assert_eq!(load.duration_us, Some(2_000_000));
    assert_eq!(load.vus, None);
    shown_in_reports(dir.path(), "poisson");
}

#[test]
fn a_functional_run_records_its_flags_and_the_mock_settings() {
    let dir = scratch_dir();
    let args = [
        "suites/contact.yaml",
        "--concurrency",
        "3",
        "--repeat",
        "2",
        "--filter",
        "smoke",
        "--retries",
        "2",
        "--latency",
        "send=1ms",
        "--seed",
        "7",
    ];
    let output = run(&args, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let config = result(dir.path()).config;
    assert_eq!(config.model, "functional");
    assert_eq!(config.load, None);
    assert_eq!(
        (config.concurrency, config.repeat),
        (3, Some(2)),
        "{config:?}"
    );
    assert_eq!(config.filters, ["smoke"]);
    assert_eq!((config.retries, config.seed), (2, 7));
    let mock = config.mock.expect("the mock flags");
    assert_eq!(mock.latency, ["send=1ms"]);
    assert_eq!(mock.seed, Some(7));
    assert!(!config.convoy_version.is_empty());
    shown_in_reports(dir.path(), "smoke");
    shown_in_reports(dir.path(), "send=1ms");
}

/// Credentials in `--base-url` and the API key reach no report file; the recorded URL is
/// the one without its user-info.
#[test]
fn no_secret_is_recorded() {
    let mock = StandaloneMock::start();
    let authority = mock.base_url.trim_start_matches("http://");
    let with_credentials = format!("http://user:secretpw@{authority}");
    let dir = scratch_dir();
    let key = "config-secret-key-42";
    let output = common::convoy_process()
        .args(["run", "suites/contact.yaml", "--target", "wix"])
        .args(["--base-url", &with_credentials, "--max-rps", "0", "--out"])
        .arg(dir.path())
        .env("WIX_API_KEY", key)
        .env("WIX_SITE_ID", "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10")
        .output()
        .expect("convoy runs");
    // The terminal too: CI logs keep the first line forever.
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        for secret in ["secretpw", key] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.path()).expect("the report directory") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a text report");
        for secret in ["secretpw", key] {
            assert!(!text.contains(secret), "{} holds {secret}", path.display());
        }
        seen += 1;
    }
    assert!(seen >= 6, "only {seen} report files");
    let config = result(dir.path()).config;
    assert_eq!(config.target, "wix");
    assert_eq!(config.base_url, mock.base_url, "the URL without user-info");
}

/// Two shards of one run record the same configuration but for their shard, so they
/// merge; the merged configuration is the run's, marked merged.
#[test]
fn shards_of_one_run_merge_with_one_configuration() {
    let dir = scratch_dir();
    let mut files = Vec::new();
    for index in 0..2 {
        let out = dir.path().join(format!("shard-{index}"));
        let shard = format!("{index}/2");
        let args = [
            "suites/contact.yaml",
            "--vus",
            "2",
            "--iterations",
            "4",
            "--think",
            "1ms..5ms",
            "--shard",
            &shard,
            "--run-id",
            "config-merge",
            "--format",
            "json",
            "-q",
        ];
        let output = run(&args, &out);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let config = result(&out).config;
        let recorded = config.shard.expect("the shard is recorded");
        assert_eq!((recorded.index, recorded.count), (Some(index), 2));
        assert_eq!(recorded.run_id, "config-merge");
        assert_eq!(config.load.and_then(|l| l.vus), Some(2), "the whole run's");
        files.push(out.join("run.json"));
    }
    let merged_dir = dir.path().join("merged");
    let output = convoy_process()
        .arg("merge")
        .args(&files)
        .arg("--out")
        .arg(&merged_dir)
        .output()
        .expect("convoy merge runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let config = result(&merged_dir).config;
    let shard = config.shard.expect("the merged shard config");
    assert!(shard.merged && shard.index.is_none(), "{shard:?}");
    let think = &config.load.expect("the load config").think;
    assert_eq!(think.len(), 1);
    assert_eq!((think[0].min_us, think[0].max_us), (1_000, 5_000));
    shown_in_reports(&merged_dir, "merged from 2 shards");
}
