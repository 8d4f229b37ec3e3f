//! [`RunConfig`]: what a run was asked to do, recorded in `run.json` so a result can be
//! reproduced and two results compared knowing what differed, and [`RunConfig::entries`],
//! the same as short label/value pairs for the reports' Configuration blocks.
//!
//! Never holds credentials: no API key or header, and every URL without its user-info.
//! Fields added after the first schema are `#[serde(default)]`, so older `run.json`
//! files still load (their new fields are simply not set).

use serde::{Deserialize, Serialize};
use std::ops::Not;

/// What the run was asked to do. Never holds credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// `mock` or `wix`.
    pub target: String,
    pub base_url: String,
    pub embedded_mock: bool,
    pub concurrency: usize,
    pub filters: Vec<String>,
    pub timeout_ms: u64,
    pub submit: bool,
    /// `functional`, `closed` or `open`; empty in older files.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    /// The load flags of a load run, as given (unsliced in a shard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadConfig>,
    /// `--repeat`: overrides the suites' `repeat:` (functional runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    /// `--streamed`: every request used the streamed endpoints.
    #[serde(default, skip_serializing_if = "Not::not")]
    pub streamed: bool,
    /// `--stream-format` of the embedded mock (`array`, `ndjson`, `sse`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stream_format: String,
    /// `http1` or `http2` when `--http1`/`--http2` forced the version; empty when it was
    /// negotiated (ALPN for `https`, HTTP/1.1 for `http`). Each turn's version is in
    /// `turns[].protocol`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub http: String,
    /// `--retries`.
    #[serde(default)]
    pub retries: u32,
    /// The client's cap in requests per second as applied (`--max-rps`, else the
    /// target's default); absent: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rps: Option<f64>,
    /// The run's seed as resolved (`--seed`, else the fault profile's, else 0). Each
    /// shard derives its own streams from it.
    #[serde(default)]
    pub seed: u64,
    /// The embedded mock's latency and fault flags as given; absent when none was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mock: Option<MockSettings>,
    /// Sharded runs: which shard of which run, or their merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardConfig>,
    /// The response and report limits in force (absent from older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsConfig>,
    /// `--turns-csv` as resolved: `all`, `failures`, `sample:N` or `off`; empty in older
    /// files, which kept every row.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub turns_csv: String,
    /// The convoy that ran it (`CARGO_PKG_VERSION`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub convoy_version: String,
    /// `git describe --always --dirty` of the checkout convoy was built from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_describe: Option<String>,
}

/// How much of each response was held, and how much of each text the reports keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitsConfig {
    /// `--max-response-bytes`.
    pub max_response_bytes: u64,
    /// `--max-chunks`: messages of one streamed response.
    pub max_chunks: u64,
    /// `--max-chunk-text`: characters of one chunk's text (or one failure's actual
    /// value) kept in the reports; longer ones are cut with a marker and their length.
    pub max_chunk_text: u64,
}

/// `--max-chunk-text`'s default: far above a form assistant's message, far below what
/// would make a report unreadable.
pub const DEFAULT_MAX_CHUNK_TEXT: u64 = 4096;

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_response_bytes: 16 * 1024 * 1024,
            max_chunks: 10_000,
            max_chunk_text: DEFAULT_MAX_CHUNK_TEXT,
        }
    }
}

/// The load flags of `convoy run`, as given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadConfig {
    /// `--vus`: the closed model's virtual users (the ceiling of a ramp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vus: Option<u32>,
    /// `--rate` in sessions per second (the open model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_s: Option<f64>,
    /// `--ramp` stages as written (`TARGET:DURATION,...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp: Option<String>,
    /// Open model: `constant` or `poisson`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<String>,
    /// Open model: `--max-sessions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_sessions: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_us: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<u64>,
    /// The think time sessions used: `--think` alone when given (it overrides every
    /// suite), else each suite's non-zero `think_time`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub think: Vec<ThinkRecord>,
    #[serde(default)]
    pub warmup_us: u64,
    #[serde(default)]
    pub grace_us: u64,
}

/// A think time and where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThinkRecord {
    /// `--think`, or the suite file whose `think_time` it is.
    pub source: String,
    /// Equal bounds for a fixed think time; else drawn uniformly between them.
    pub min_us: u64,
    pub max_us: u64,
}

/// The embedded mock's flags, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MockSettings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latency: Vec<String>,
    /// `--faults`: the profile's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<String>,
    /// `--fault` rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fault: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stall: Vec<String>,
    /// `--seed` as given (the resolved seed is [`RunConfig::seed`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `--vary` as resolved, in its comma form (`order,paraphrase,miss=0.05`; a file's
    /// keys rather than its path): the run used a mock that varies like an LLM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vary: Option<String>,
}

/// Which shard of which run (`--shard i/N --run-id ID`), or their merge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardConfig {
    /// 0-based; absent in a merged result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    pub count: u32,
    pub run_id: String,
    /// True in the result of `convoy merge`.
    #[serde(default, skip_serializing_if = "Not::not")]
    pub merged: bool,
}

/// This build's version, for [`RunConfig::convoy_version`].
pub fn build_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// `git describe` of the checkout this binary was built from (set by `build.rs`);
/// `None` for a build outside a git checkout or without git.
pub fn git_describe() -> Option<&'static str> {
    option_env!("CONVOY_GIT_DESCRIBE").filter(|d| !d.is_empty())
}

/// Labels [`RunConfig::entries`] uses that shards of one run may differ in (or that do
/// not change what was run): `convoy merge` compares every other entry.
pub const SHARD_LOCAL: [&str; 3] = ["shard", "--seed", "convoy"];

impl RunConfig {
    /// The settings that are set, as (label, value) text in a fixed order: flags by
    /// their flag name, the rest by a word. What the reports' Configuration blocks show.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut put = |label: &'static str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                out.push((label, value));
            }
        };
        put("model", Some(self.model.clone()));
        put("target", Some(self.target_text()));
        if let Some(load) = &self.load {
            load.entries(&mut put);
        } else {
            // Sessions of a load run are started by the model, not by --concurrency.
            put("--concurrency", Some(self.concurrency.to_string()));
        }
        put("--repeat", self.repeat.map(|r| r.to_string()));
        put("--filter", Some(self.filters.join(", ")));
        put("--streamed", self.streamed.then(|| "yes".into()));
        put("--http", Some(self.http.clone()));
        let framing = (self.embedded_mock && (self.streamed || self.stream_format != "array"))
            .then(|| self.stream_format.clone());
        put("--stream-format", framing);
        put(
            "--timeout",
            Some(human_us(self.timeout_ms.saturating_mul(1000))),
        );
        put(
            "--retries",
            (self.retries > 0).then(|| self.retries.to_string()),
        );
        put("--max-rps", self.max_rps.map(short));
        put("--submit", self.submit.then(|| "yes".into()));
        put("--seed", (self.seed != 0).then(|| self.seed.to_string()));
        if let Some(mock) = &self.mock {
            put("--latency", Some(mock.latency.join(", ")));
            put("--faults", mock.faults.clone());
            put("--fault", Some(mock.fault.join(", ")));
            put("--stall", Some(mock.stall.join(", ")));
            put("--vary", mock.vary.clone());
        }
        if let Some(limits) = self.limits.filter(|l| *l != LimitsConfig::default()) {
            put(
                "--max-response-bytes",
                Some(limits.max_response_bytes.to_string()),
            );
            put("--max-chunks", Some(limits.max_chunks.to_string()));
            put("--max-chunk-text", Some(limits.max_chunk_text.to_string()));
        }
        put("shard", self.shard.as_ref().map(ShardConfig::text));
        let version = match (&self.convoy_version, &self.git_describe) {
            (v, _) if v.is_empty() => None,
            (v, Some(describe)) => Some(format!("{v} ({describe})")),
            (v, None) => Some(v.clone()),
        };
        put("convoy", version);
        out
    }

    fn target_text(&self) -> String {
        if self.embedded_mock {
            "embedded mock".into()
        } else if self.base_url.is_empty() {
            self.target.clone()
        } else {
            format!("{} at {}", self.target, self.base_url)
        }
    }
}

impl LoadConfig {
    fn entries(&self, put: &mut impl FnMut(&'static str, Option<String>)) {
        put("--vus", self.vus.map(|v| v.to_string()));
        put("--rate", self.rate_per_s.map(|r| format!("{}/s", short(r))));
        put("--ramp", self.ramp.clone());
        put("--arrival", self.arrival.clone());
        put("--max-sessions", self.max_sessions.map(|m| m.to_string()));
        put("--duration", self.duration_us.map(human_us));
        put("--iterations", self.iterations.map(|i| i.to_string()));
        let think: Vec<String> = self.think.iter().map(ThinkRecord::text).collect();
        put("think time", Some(think.join(", ")));
        put(
            "--warmup",
            (self.warmup_us > 0).then(|| human_us(self.warmup_us)),
        );
        put("--grace", Some(human_us(self.grace_us)));
    }
}

impl ThinkRecord {
    /// `100ms (--think)`, `1s..3s (suites/contact.yaml)`.
    fn text(&self) -> String {
        let value = if self.min_us == self.max_us {
            human_us(self.min_us)
        } else {
            format!("{}..{}", human_us(self.min_us), human_us(self.max_us))
        };
        format!("{value} ({})", self.source)
    }
}

impl ShardConfig {
    /// `1/4 of run ID`, or `merged from 4 shards of run ID`.
    pub fn text(&self) -> String {
        match self.index {
            Some(index) if !self.merged => {
                format!("{index}/{} of run {}", self.count, self.run_id)
            }
            _ => format!("merged from {} shards of run {}", self.count, self.run_id),
        }
    }
}

/// A rate with at most three decimals: `5`, `3.333`, `0.5`.
fn short(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A duration as a flag would be written: `2s`, `1.5s`, `100ms`, `800µs`.
pub fn human_us(us: u64) -> String {
    if us == 0 {
        "0s".into()
    } else if !us.is_multiple_of(1000) {
        format!("{us}µs")
    } else if us < 1_000_000 {
        format!("{}ms", us / 1000)
    } else {
        let ms = us / 1000;
        let fraction = format!("{:03}", ms % 1000);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            format!("{}s", ms / 1000)
        } else {
            format!("{}.{fraction}s", ms / 1000)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_flags() {
        assert_eq!(human_us(0), "0s");
        assert_eq!(human_us(800), "800µs");
        assert_eq!(human_us(100_000), "100ms");
        assert_eq!(human_us(2_000_000), "2s");
        assert_eq!(human_us(1_500_000), "1.5s");
        assert_eq!(human_us(1_250_000), "1.25s");
        assert_eq!(short(200.0 / 60.0), "3.333");
        assert_eq!(short(5.0), "5");
        assert_eq!(short(0.5), "0.5");
    }

    #[test]
    fn an_older_config_loads_and_shows_only_what_it_has() {
        let old = r#"{"target": "mock", "base_url": "http://127.0.0.1:9/x",
            "embedded_mock": true, "concurrency": 8, "filters": [], "timeout_ms": 30000,
            "submit": false}"#;
        let config: RunConfig = serde_json::from_str(old).unwrap();
        assert_eq!(config.load, None);
        assert_eq!(config.convoy_version, "");
        let labels: Vec<&str> = config.entries().iter().map(|(l, _)| *l).collect();
        assert_eq!(labels, ["target", "--concurrency", "--timeout"]);
    }

    #[test]
    fn a_load_config_shows_its_flags() {
        let config = RunConfig {
            model: "open".into(),
            target: "mock".into(),
            embedded_mock: true,
            stream_format: "array".into(),
            http: String::new(),
            timeout_ms: 30_000,
            load: Some(LoadConfig {
                rate_per_s: Some(5.0),
                arrival: Some("poisson".into()),
                max_sessions: Some(4),
                duration_us: Some(2_000_000),
                think: vec![ThinkRecord {
                    source: "--think".into(),
                    min_us: 1_000_000,
                    max_us: 3_000_000,
                }],
                grace_us: 10_000_000,
                ..LoadConfig::default()
            }),
            shard: Some(ShardConfig {
                index: Some(1),
                count: 2,
                run_id: "r1".into(),
                merged: false,
            }),
            convoy_version: "0.1.0".into(),
            git_describe: Some("abc123-dirty".into()),
            ..RunConfig::default()
        };
        let entries = config.entries();
        let get = |label: &str| {
            entries
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("--rate"), Some("5/s"));
        assert_eq!(get("--arrival"), Some("poisson"));
        assert_eq!(get("--max-sessions"), Some("4"));
        assert_eq!(get("--duration"), Some("2s"));
        assert_eq!(get("think time"), Some("1s..3s (--think)"));
        assert_eq!(get("shard"), Some("1/2 of run r1"));
        assert_eq!(get("convoy"), Some("0.1.0 (abc123-dirty)"));
        assert_eq!(get("--concurrency"), None, "not a load run's setting");
        assert_eq!(get("--stream-format"), None, "the default framing");
    }
}
