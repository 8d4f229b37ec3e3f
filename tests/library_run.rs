//! `convoy::pipeline::run`, the library entry point, called as another program would:
//! suites → plan → one `RunResult` whose status is the run's verdict, for a functional
//! and a load run on the embedded mock, with sinks that see the run as it goes. No binary
//! is spawned; every run is bounded (a few conversations, or one second of load).

use convoy::pipeline::{Judging, RunConfigInfo, Sinks};
use convoy::report::result::{RunConfig, RunStatus};
use convoy::runner::load::{LoadModel, LoadSpec, Shape};
use convoy::runner::{Announced, ConversationResult, ConversationTiming, RunOptions, build_plan};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

fn plan(path: &str, options: &RunOptions) -> convoy::runner::Plan {
    let loaded = convoy::suite::load_paths(&[PathBuf::from(path)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    build_plan(loaded.suites, options, |_| None).unwrap_or_else(|e| panic!("{e}"))
}

fn info() -> RunConfigInfo {
    RunConfigInfo {
        run_id: "library".into(),
        name: "contact".into(),
        started_at: SystemTime::now(),
        config: RunConfig::default(),
    }
}

fn threshold(text: &str) -> convoy::report::threshold::ThresholdSpec {
    convoy::report::threshold::ThresholdSpec {
        threshold: convoy::common::threshold::parse(text).unwrap_or_else(|e| panic!("{e:?}")),
        source: "test".into(),
    }
}

#[tokio::test]
async fn a_functional_run_is_one_call_and_its_sinks_see_every_conversation() {
    let plan = plan("suites/contact.yaml", &RunOptions::default());
    let (mut announced, mut finished) = (Vec::new(), 0_usize);
    let mut announce =
        |a: &Announced<'_>| announced.push((a.base_url.to_string(), a.embedded_mock));
    let mut conversation = |_: &ConversationResult, _: &ConversationTiming| finished += 1;
    let sinks = Sinks {
        announce: Some(&mut announce),
        conversation: Some(&mut conversation),
        progress: None,
    };
    let judging = Judging {
        thresholds: vec![threshold("error_rate==0")],
        shard: None,
    };
    let result = convoy::pipeline::run(&plan, &info(), &judging, std::future::pending(), sinks)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(result.status(), RunStatus::Passed, "{:?}", result.counters);
    let conversations = plan.conversations.len();
    assert_eq!(finished, conversations);
    assert_eq!(result.counters.conversations, conversations as u64);
    assert_eq!(result.conversations.len(), conversations);
    let requests: usize = result.conversations.iter().map(|c| c.turns.len()).sum();
    assert_eq!(result.counters.requests, requests as u64);
    // Latency rows come from the same recorder a load run uses: every request counted.
    let rows: u64 = result
        .latency
        .operations
        .iter()
        .map(|r| r.summary.count)
        .sum();
    // Plus the suite's `summary:` check, a request of its own kept out of the counters.
    let checks = result.form_summaries.len() as u64;
    assert_eq!(rows, requests as u64 + checks);
    assert_eq!(announced.len(), 1);
    assert!(announced[0].1, "the embedded mock was announced");
    assert!(result.config.base_url.starts_with("http://127.0.0.1:"));
    assert!(result.thresholds.iter().all(|t| t.passed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_run_and_a_failed_threshold_give_one_status() {
    let options = RunOptions {
        load: Some(LoadSpec {
            model: LoadModel::Closed {
                vus: Shape::constant(2.0),
            },
            duration: Some(Duration::from_secs(1)),
            iterations: Some(200),
            warmup: Duration::ZERO,
            think: None,
            grace: Duration::from_secs(5),
            seed: 7,
            phase: 0.0,
            workers: Some(3),
        }),
        ..RunOptions::default()
    };
    let plan = plan("suites/contact.yaml", &options);
    let judging = Judging {
        thresholds: vec![threshold("send.p99<1us")],
        shard: None,
    };
    let result = convoy::pipeline::run(
        &plan,
        &info(),
        &judging,
        std::future::pending(),
        Sinks::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let load = result.load.as_ref().expect("a load section");
    assert!(load.sessions_started > 0);
    assert_eq!(load.workers, 3, "the worker threads asked for");
    assert_eq!(result.counters.errored, 0, "{:?}", result.counters);
    let sends = result
        .latency
        .operations
        .iter()
        .map(|r| r.summary.count)
        .sum::<u64>();
    let checks = result.form_summaries.len() as u64;
    assert_eq!(sends, result.counters.requests + checks);
    assert_eq!(
        result.status(),
        RunStatus::Failed,
        "the threshold fails the run"
    );
    assert!(!result.thresholds[0].passed);
}
