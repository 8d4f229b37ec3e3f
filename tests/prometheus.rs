//! Live metrics as Prometheus sees them: a real `prometheus` scraping `convoy run
//! --metrics-listen` during a load run and finding a non-zero request rate; the scrape's
//! counts agreeing with run.json for load and functional runs; every metric the Grafana
//! dashboard queries present in a scrape; and the standalone mock's own `/metrics`.
//!
//! The Prometheus test needs the `prometheus` binary (Debian's `prometheus` package, which
//! `.ci/run` installs); without it that test says SKIPPED and checks nothing. Every process
//! is killed on drop, and every wait is bounded.

mod common;

use common::{convoy_process, scratch_dir, skipped};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Stdio};
use std::time::{Duration, Instant};

/// A child process killed (and reaped) on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Killed {
    /// Waits up to `limit` for the process to exit by itself; its success.
    fn exits_ok_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.0.try_wait().expect("try_wait") {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("the process did not exit within {limit:?}");
    }
}

/// Reads stdout lines until one starts with `prefix`; that line's rest.
fn line_starting(lines: &mut BufReader<ChildStdout>, prefix: &str) -> String {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let read = lines.read_line(&mut line).expect("stdout readable");
        assert!(read > 0, "no `{prefix}` line in:\n{seen}");
        if let Some(rest) = line.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
        seen.push_str(&line);
    }
}

/// `host:port` of an `http://host:port/...` URL.
fn authority(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    rest.split('/').next().unwrap_or_default().to_string()
}

/// A plain HTTP/1.0 GET (no runtime needed); the status and body.
fn http_get(authority: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut socket = TcpStream::connect(authority)?;
    socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n");
    socket.write_all(request.as_bytes())?;
    let mut response = String::new();
    socket.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok((status, body.to_string()))
}

/// Sample name → summed value over all its series, from an OpenMetrics text.
fn samples(text: &str) -> BTreeMap<String, f64> {
    let mut sums = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let name = series.split('{').next().unwrap_or(series);
        let value: f64 = value.parse().unwrap_or(f64::NAN);
        *sums.entry(name.to_string()).or_insert(0.0) += value;
    }
    sums
}

/// The value of the one series of `name` whose labels include `label` (`key="value"`).
fn series(text: &str, name: &str, label: &str) -> f64 {
    let found: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) && l.contains(label))
        .collect();
    assert_eq!(found.len(), 1, "{name} {label}:\n{text}");
    found[0].rsplit(' ').next().unwrap().parse().unwrap()
}

/// `convoy run ARGS --metrics-listen 127.0.0.1:0 --out DIR --quiet`, its stdout read up
/// to the printed metrics URL; the process, the rest of stdout and the scrape authority.
fn run_with_metrics(args: &[&str], out: &Path) -> (Killed, BufReader<ChildStdout>, String) {
    let mut child = convoy_process()
        .args(["run", "suites/"])
        .args(args)
        .args(["--metrics-listen", "127.0.0.1:0", "--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("convoy run starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let child = Killed(child);
    let url = line_starting(&mut stdout, "metrics: ");
    assert!(url.ends_with("/metrics"), "{url}");
    (child, stdout, authority(&url))
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&common::report(dir, "run.json")).expect("run.json is JSON")
}

/// The scrape of a 2 s load run against the embedded mock answering 20% of sends with
/// 503, taken after its reports are written (it lingers), and its run.json.
fn faulted_load_run_scrape() -> (String, serde_json::Value) {
    let out = scratch_dir();
    let fault = "{kind: http_503, endpoint: send, rate: 0.2}";
    let args = "--vus 2 --duration 2s --format json --metrics-linger 60s --fault";
    let mut args: Vec<&str> = args.split(' ').collect();
    args.push(fault);
    let (_run, mut stdout, metrics) = run_with_metrics(&args, out.path());
    // Lingering: the reports are written and the final counts still served.
    line_starting(&mut stdout, "reports: ");
    let (status, text) = http_get(&metrics, "/metrics").expect("scrape");
    assert_eq!(status, 200, "{text}");
    (text, run_json(out.path()))
}

#[test]
fn final_scrape_of_a_load_run_with_faults_agrees_with_run_json() {
    let (text, run) = faulted_load_run_scrape();
    assert!(text.ends_with("# EOF\n"), "{text}");
    let counters = &run["counters"];
    let sums = samples(&text);
    let requests = counters["requests"].as_f64().unwrap();
    assert!(requests > 0.0);
    assert_eq!(sums["convoy_requests_total"], requests, "{text}");
    let errors = counters["errors_by_class"]["http_503"]
        .as_f64()
        .unwrap_or(0.0);
    assert!(errors > 0.0, "the fault never fired: {counters}");
    let scraped = series(&text, "convoy_request_errors_total", "class=\"http_503\"");
    assert_eq!(scraped, errors, "{text}");
    let errored = counters["errored"].as_f64().unwrap();
    let scraped = series(&text, "convoy_conversations_total", "verdict=\"errored\"");
    assert_eq!(scraped, errored, "{text}");
    assert_eq!(sums["convoy_requests_in_flight"], 0.0, "{text}");
    // Every series carries the run's id.
    let run_id = run["run_id"].as_str().unwrap().to_string();
    let label = format!("run_id=\"{run_id}\"");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(
            line.contains(&label) && line.contains("shard=\"0/1\""),
            "{line}"
        );
    }
}

#[test]
fn a_functional_run_counts_its_conversations_live() {
    let out = scratch_dir();
    let args = ["--format", "json", "--metrics-linger", "60s"];
    let (_run, mut stdout, metrics) = run_with_metrics(&args, out.path());
    line_starting(&mut stdout, "reports: ");
    let (_, text) = http_get(&metrics, "/metrics").expect("scrape");
    let counters = &run_json(out.path())["counters"];
    let sums = samples(&text);
    assert_eq!(
        sums["convoy_requests_total"],
        counters["requests"].as_f64().unwrap()
    );
    let passed = series(&text, "convoy_conversations_total", "verdict=\"passed\"");
    assert_eq!(passed, counters["passed"].as_f64().unwrap(), "{text}");
    let conversations = counters["conversations"].as_f64().unwrap();
    assert_eq!(
        sums["convoy_sessions_started_total"], conversations,
        "{text}"
    );
    assert_eq!(
        sums["convoy_sessions_completed_total"], conversations,
        "{text}"
    );
}

/// Every `convoy_*` name an expression of the dashboard uses.
fn dashboard_metric_names() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/grafana-dashboard.json");
    let dashboard: serde_json::Value =
        serde_json::from_str(&common::read(&path)).expect("the dashboard is JSON");
    fn exprs(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value.as_str()) {
                        ("expr", Some(expr)) => out.push(expr.to_string()),
                        _ => exprs(value, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| exprs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    exprs(&dashboard, &mut found);
    assert!(found.len() >= 6, "too few queries: {found:?}");
    let names = regex::Regex::new(r"convoy_[a-z_]+").unwrap();
    let mut metrics: Vec<String> = found
        .iter()
        .flat_map(|e| names.find_iter(e).map(|m| m.as_str().to_string()))
        .collect();
    metrics.sort();
    metrics.dedup();
    metrics
}

#[test]
fn every_metric_the_grafana_dashboard_queries_is_in_a_scrape() {
    let queried = dashboard_metric_names();
    for needed in [
        "convoy_requests_total",
        "convoy_request_errors_total",
        "convoy_request_duration_seconds_bucket",
        "convoy_requests_in_flight",
        "convoy_conversations_total",
    ] {
        assert!(queried.iter().any(|q| q == needed), "{needed} not charted");
    }
    let (text, _) = faulted_load_run_scrape();
    let scraped = samples(&text);
    for name in &queried {
        assert!(
            scraped.contains_key(name),
            "the dashboard queries {name}, not in:\n{text}"
        );
    }
}

#[test]
fn standalone_mock_serves_its_counters_apart_from_the_api() {
    let mut child = convoy_process()
        .args(["mock", "--port", "0", "--forms", "suites"])
        .args(["--metrics-listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("convoy mock starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let _mock = Killed(child);
    let base_url = line_starting(&mut stdout, "convoy mock serving ");
    let base_url = base_url
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the mock's URL")
        .to_string();
    let metrics = authority(&line_starting(&mut stdout, "metrics: "));
    let out = scratch_dir();
    common::convoy()
        .args([
            "run",
            "suites/",
            "--base-url",
            &base_url,
            "--format",
            "json",
            "--out",
        ])
        .arg(out.path())
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let (status, text) = http_get(&metrics, "/metrics").expect("scrape");
    assert_eq!(status, 200);
    let counters = &run_json(out.path())["counters"];
    let answered = samples(&text)["convoy_mock_requests_total"];
    // The suites' `summary:` checks are answered too, but kept out of the run's counters.
    let checks = run_json(out.path())["form_summaries"]
        .as_array()
        .map_or(0, Vec::len) as f64;
    let summaries = series(
        &text,
        "convoy_mock_requests_total",
        "endpoint=\"generateFormSummary\"",
    );
    assert_eq!(summaries, checks, "{text}");
    assert_eq!(
        answered - summaries,
        counters["requests"].as_f64().unwrap(),
        "{text}"
    );
    let created = series(&text, "convoy_mock_requests_total", "endpoint=\"create\"");
    assert_eq!(
        created,
        counters["conversations"].as_f64().unwrap(),
        "{text}"
    );
    assert!(text.contains("convoy_mock_sessions_live "), "{text}");
    // The API's own port keeps its surface: no /metrics there.
    let (status, _) = http_get(&authority(&base_url), "/metrics").expect("API port answers");
    assert_ne!(status, 200);
}

/// `prometheus` on PATH, else Debian's /usr/bin/prometheus.
fn prometheus_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("prometheus"))
        .chain([PathBuf::from("/usr/bin/prometheus")])
        .find(|candidate| candidate.is_file())
}

/// A loopback port free a moment ago (Prometheus needs its port before it starts).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// The first value of an instant query, when Prometheus has one.
fn query(prometheus: &str, expr: &str) -> Option<f64> {
    let encoded: String = expr
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let (status, body) = http_get(prometheus, &format!("/api/v1/query?query={encoded}")).ok()?;
    if status != 200 {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&body).ok()?;
    json["data"]["result"][0]["value"][1].as_str()?.parse().ok()
}

#[test]
fn prometheus_scrapes_a_load_run_and_sees_its_request_rate() {
    let Some(prometheus) = prometheus_binary() else {
        skipped(
            "prometheus is not installed (apt-get install prometheus): live metrics not scraped by Prometheus",
        );
        return;
    };
    let out = scratch_dir();
    let args = [
        "--vus",
        "4",
        "--duration",
        "20s",
        "--think",
        "100ms..300ms",
        "--run-id",
        "prom-test",
        "--format",
        "json",
    ];
    let (mut run, _stdout, metrics) = run_with_metrics(&args, out.path());
    let home = scratch_dir();
    let config = home.path().join("prometheus.yml");
    let scrape = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: convoy\n    static_configs:\n      - targets: ['{metrics}']\n"
    );
    std::fs::write(&config, scrape).expect("config written");
    let listen = format!("127.0.0.1:{}", free_port());
    let log = std::fs::File::create(home.path().join("prometheus.log")).expect("log");
    let server = std::process::Command::new(prometheus)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            home.path().join("data").display()
        ))
        .arg(format!("--web.listen-address={listen}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("prometheus starts");
    let _server = Killed(server);
    let expr = r#"sum(rate(convoy_requests_total{run_id="prom-test",shard="0/1"}[10s]))"#;
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut rate = None;
    while Instant::now() < deadline && rate.is_none_or(|r| r <= 0.0) {
        std::thread::sleep(Duration::from_millis(500));
        rate = query(&listen, expr);
    }
    let log = std::fs::read_to_string(home.path().join("prometheus.log")).unwrap_or_default();
    let rate = rate.unwrap_or_else(|| panic!("no answer to {expr}; prometheus said:\n{log}"));
    assert!(rate > 0.0, "{expr} = {rate}; prometheus said:\n{log}");
    // Scraping never disturbs the run.
    assert!(
        run.exits_ok_within(Duration::from_secs(60)),
        "the run failed"
    );
}

#[test]
fn a_metrics_address_in_use_stops_the_run_before_any_request() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("address").to_string();
    let out = scratch_dir();
    let output = common::convoy()
        .args([
            "run",
            "suites/",
            "--format",
            "json",
            "--metrics-listen",
            &address,
        ])
        .arg("--out")
        .arg(out.path())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("convoy runs");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen for metrics on {address}")),
        "{stderr}"
    );
    assert!(!out.path().join("run.json").exists(), "the run went ahead");
}

#[test]
fn a_shard_labels_its_series_with_its_run_id_and_shard() {
    let out = scratch_dir();
    let args =
        "--vus 2 --iterations 4 --shard 1/2 --run-id nightly-7 --format json --metrics-linger 60s";
    let args: Vec<&str> = args.split(' ').collect();
    let (_run, mut stdout, metrics) = run_with_metrics(&args, out.path());
    line_starting(&mut stdout, "reports: ");
    let (_, text) = http_get(&metrics, "/metrics").expect("scrape");
    let requests = series(&text, "convoy_requests_total", "operation=\"create\"");
    assert!(requests > 0.0, "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.contains(r#"run_id="nightly-7",shard="1/2""#), "{line}");
    }
}
