//! Merge on hand-made shards: what is refused, and how timelines and histograms add.

use super::{MergeError, ShardFile, merge};
use crate::report::result::{RunResult, encode_histogram};
use hdrhistogram::Histogram;
use serde_json::json;

fn histogram(values: &[u64]) -> String {
    let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
    values.iter().for_each(|v| h.record(*v).unwrap());
    encode_histogram(&h).unwrap()
}

/// Shard `index` of `count`, started `start_ms` after a fixed instant, with one create
/// latency sample per value and one timeline point per second of `per_second`.
fn shard(index: u32, count: u32, start_ms: u64, values: &[u64], per_second: &[u64]) -> ShardFile {
    let started = crate::report::result::rfc3339_utc(
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_798_306_091_000 + start_ms),
    );
    let n = values.len() as u64;
    let summary = json!({"count": n, "min_us": 0, "p50_us": 0, "p90_us": 0, "p95_us": 0,
        "p99_us": 0, "p999_us": 0, "max_us": 0, "mean_us": 0});
    let timeline: Vec<_> = per_second
        .iter()
        .enumerate()
        .map(|(s, started)| {
            json!({"second": s, "seconds": 1, "sessions_started": started,
            "sessions_completed": started, "turns": started, "errors": 0,
            "p50_us": 10, "p95_us": 10 * (index + 1), "p99_us": 0})
        })
        .collect();
    let value = json!({
        "schema_version": 1, "run_id": "T", "name": "run", "started_at": started,
        "elapsed_us": 3_000_000, "interrupted": false,
        "config": {"target": "mock", "base_url": "http://127.0.0.1:1/x", "embedded_mock": false,
            "concurrency": 8, "filters": [], "timeout_ms": 30000, "submit": false},
        "conversations": [],
        "counters": {"conversations": n, "passed": n, "failed": 0, "errored": 0,
            "requests": n, "failures": 0, "errors_by_class": {"timeout": 1}},
        "latency": {"operations": [{"kind": "operation", "operation": "create", "errors": 1,
            "clamped": 0, "summary": summary, "hdr": histogram(values)}], "turns": []},
        "timeline": timeline,
        "thresholds": [{"expression": "create.p50<1ms", "source": "--threshold",
            "observed": null, "passed": true}],
        "load": {"sessions_started": n, "sessions_aborted": 0, "late": 0, "dropped": 0,
            "warmup_us": 0, "intended": [], "start_lag": summary, "per_conversation": [],
            "shard": {"index": index, "count": count, "fingerprint": "f"}},
    });
    ShardFile {
        label: format!("shard-{index}/run.json"),
        result: serde_json::from_value::<RunResult>(value).unwrap(),
    }
}

#[test]
fn adds_counters_histograms_and_timelines_by_wall_clock() {
    let merged = merge(vec![
        shard(1, 2, 1_000, &[300, 400], &[5, 5]),
        shard(0, 2, 0, &[100, 200, 2_000], &[4, 4, 4]),
    ])
    .unwrap();
    assert_eq!(merged.counters.conversations, 5);
    assert_eq!(merged.counters.errors_by_class["timeout"], 2);
    let create = &merged.latency.operations[0];
    assert_eq!((create.summary.count, create.errors), (5, 2));
    assert_eq!(create.summary.p50_us, 300);
    assert_eq!(create.summary.max_us, 2_000);
    // Shard 1 started a second later: its second 0 is the merged second 1.
    let started: Vec<u64> = merged.timeline.iter().map(|p| p.sessions_started).collect();
    assert_eq!(started, vec![4, 9, 9]);
    assert_eq!(merged.timeline[1].p95_us, 20, "the highest of the shards'");
    assert_eq!(merged.elapsed_us, 4_000_000);
    assert!(
        merged.started_at.ends_with(":11.000Z"),
        "{}",
        merged.started_at
    );
    // The stored threshold is evaluated again, on the merged histogram.
    assert_eq!(merged.thresholds.len(), 1);
    assert!(merged.thresholds[0].passed, "{:?}", merged.thresholds[0]);
    let shard = merged.load.and_then(|l| l.shard).unwrap();
    assert!(shard.merged && shard.count == 2);
}

#[test]
fn refuses_what_does_not_belong_together() {
    let refused = |files: Vec<ShardFile>| merge(files).unwrap_err();
    assert_eq!(refused(vec![]), MergeError::Empty);
    let mut functional = shard(0, 1, 0, &[1], &[1]);
    functional.result.load = None;
    assert!(matches!(
        refused(vec![functional]),
        MergeError::NotAShard { .. }
    ));
    let mut other = shard(1, 2, 0, &[1], &[1]);
    other.result.run_id = "U".into();
    assert!(matches!(
        refused(vec![shard(0, 2, 0, &[1], &[1]), other]),
        MergeError::OtherRun { .. }
    ));
    let mut changed = shard(1, 2, 0, &[1], &[1]);
    if let Some(s) = changed.result.load.as_mut().and_then(|l| l.shard.as_mut()) {
        s.fingerprint = "g".into();
    }
    let err = refused(vec![shard(0, 2, 0, &[1], &[1]), changed]);
    assert!(err.to_string().contains("the plan"), "{err}");
    let err = refused(vec![shard(0, 2, 0, &[1], &[1]), shard(0, 2, 0, &[1], &[1])]);
    assert!(
        matches!(err, MergeError::Duplicate { index: 0, .. }),
        "{err}"
    );
    let err = refused(vec![shard(0, 3, 0, &[1], &[1]), shard(2, 3, 0, &[1], &[1])]);
    assert!(err.to_string().contains("shard(s) 1 of 3 missing"), "{err}");
    let merged = merge(vec![shard(0, 1, 0, &[1], &[1])]).unwrap();
    let again = ShardFile {
        label: "merged/run.json".into(),
        result: merged,
    };
    assert!(matches!(
        refused(vec![again]),
        MergeError::AlreadyMerged { .. }
    ));
}

/// Per-turn streaming records of the same conversation × turn add: TTFC and gap counts
/// sum and their percentiles are those of the added histograms; chunk counts add.
#[test]
fn adds_per_turn_streaming_figures() {
    use crate::report::result::{ChunkCountRecord, LatencyKey, LatencyRecord, Summary};
    let key = LatencyKey::Turn {
        suite: "contact".into(),
        conversation: "c".into(),
        turn: 1,
    };
    let streamed = |mut file: ShardFile, ttfc: &[u64], chunks: u64| {
        let record = |values: &[u64]| LatencyRecord {
            key: key.clone(),
            errors: 0,
            clamped: 0,
            summary: Summary::default(),
            hdr: histogram(values),
        };
        let latency = &mut file.result.latency;
        latency.ttfc_turns = vec![record(ttfc)];
        latency.gap_turns = vec![record(&[10_000])];
        latency.chunks = vec![ChunkCountRecord {
            key: key.clone(),
            counts: crate::metrics::ChunkCounts {
                responses: ttfc.len() as u64,
                chunks,
                min: 3,
                max: 4,
            },
        }];
        file
    };
    let merged = merge(vec![
        streamed(shard(0, 2, 0, &[1], &[1]), &[40_000, 41_000], 7),
        streamed(shard(1, 2, 0, &[1], &[1]), &[90_000, 42_000, 43_000], 9),
    ])
    .unwrap();
    let ttfc = &merged.latency.ttfc_turns;
    assert_eq!(ttfc.len(), 1);
    assert_eq!(ttfc[0].key, key);
    assert_eq!(ttfc[0].summary.count, 5);
    assert_eq!(ttfc[0].summary.p50_us, 42_015);
    assert_eq!(ttfc[0].summary.max_us, 90_047);
    assert_eq!(merged.latency.gap_turns[0].summary.count, 2);
    let counts = merged.latency.chunks[0].counts;
    assert_eq!((counts.responses, counts.chunks), (5, 16));
}

/// A run.json from before gaps moved keeps them in `load.gaps`: reading moves them to
/// `latency.gaps`, so a shard of either age merges, and they are never written back there.
#[test]
fn older_load_gaps_are_read_into_latency_gaps() {
    let gap = |values: &[u64]| {
        json!({"kind": "operation", "operation": "send", "errors": 0, "clamped": 0,
            "summary": {"count": values.len(), "min_us": 0, "p50_us": 0, "p90_us": 0,
                "p95_us": 0, "p99_us": 0, "p999_us": 0, "max_us": 0, "mean_us": 0},
            "hdr": histogram(values)})
    };
    let read = |index: u32, old: bool| {
        let mut value = serde_json::to_value(shard(index, 2, 0, &[1], &[1]).result).unwrap();
        let gaps = json!([gap(&[5_000, 6_000])]);
        if old {
            value["load"]["gaps"] = gaps;
        } else {
            value["latency"]["gaps"] = gaps;
        }
        let result = RunResult::from_json(&value.to_string()).expect("reads");
        ShardFile {
            label: format!("shard-{index}/run.json"),
            result,
        }
    };
    let old = read(0, true);
    assert_eq!(old.result.latency.gaps.len(), 1);
    assert!(old.result.load.as_ref().is_some_and(|l| l.gaps.is_empty()));
    let text = old.result.to_json().unwrap();
    assert_eq!(text.matches("\"gaps\"").count(), 1, "{text}");
    let merged = merge(vec![old, read(1, false)]).unwrap();
    assert_eq!(merged.latency.gaps[0].summary.count, 4);
}

/// Shards record the whole run's configuration: they may differ in their shard and seed
/// only; any other setting that differs is refused, by name. The merge keeps the shared
/// configuration, marked merged.
#[test]
fn shards_share_their_configuration_but_for_shard_and_seed() {
    use crate::report::result::{LoadConfig, ShardConfig, ThinkRecord};
    let configured = |index: u32, think_ms: u64| {
        let mut file = shard(index, 2, 0, &[1], &[1]);
        let config = &mut file.result.config;
        config.model = "closed".into();
        config.seed = 100 + u64::from(index);
        config.load = Some(LoadConfig {
            vus: Some(4),
            think: vec![ThinkRecord {
                source: "--think".into(),
                min_us: think_ms * 1000,
                max_us: think_ms * 1000,
            }],
            ..LoadConfig::default()
        });
        config.shard = Some(ShardConfig {
            index: Some(index),
            count: 2,
            run_id: "T".into(),
            merged: false,
        });
        file
    };
    let merged = merge(vec![configured(0, 100), configured(1, 100)]).unwrap();
    let shard = merged.config.shard.as_ref().unwrap();
    assert!(shard.merged && shard.index.is_none() && shard.count == 2);
    assert_eq!(shard.text(), "merged from 2 shards of run T");
    assert_eq!(merged.config.load.as_ref().and_then(|l| l.vus), Some(4));
    let err = merge(vec![configured(0, 100), configured(1, 200)]).unwrap_err();
    assert!(
        matches!(
            &err,
            MergeError::Differs {
                field: "think time",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("200ms (--think)"), "{err}");
}
