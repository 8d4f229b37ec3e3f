//! The load engine against the embedded mock: ramps reach their targets, the open model
//! keeps its rate, a concurrency cap makes sessions late (never silently skipped), and
//! think time paces turns. Every run is bounded by a duration or an iteration count.

use convoy::runner::RunOutcome;
use convoy::runner::load::{Arrival, LoadModel, LoadSpec, Progress, Shape};
use convoy::runner::{RunOptions, build_plan, execute_with_progress};
use convoy::suite::DurationRange;
use std::path::PathBuf;
use std::time::Duration;

fn spec(model: LoadModel) -> LoadSpec {
    LoadSpec {
        model,
        duration: None,
        iterations: None,
        warmup: Duration::ZERO,
        think: None,
        grace: Duration::from_secs(5),
        seed: 1,
        phase: 0.0,
        workers: None,
    }
}

fn think(ms: u64) -> Option<DurationRange> {
    Some(DurationRange {
        min: Duration::from_millis(ms),
        max: Duration::from_millis(ms),
    })
}

async fn run(spec: LoadSpec) -> (RunOutcome, Vec<Progress>) {
    let loaded = convoy::suite::load_paths(&[PathBuf::from("suites")]);
    assert!(loaded.diagnostics.is_empty());
    let options = RunOptions {
        load: Some(spec),
        ..RunOptions::default()
    };
    let plan = build_plan(loaded.suites, &options, |_| None).unwrap();
    let mut snapshots = Vec::new();
    let outcome = execute_with_progress(&plan, std::future::pending(), &mut |_, _| {}, &mut |p| {
        snapshots.push(*p)
    })
    .await
    .unwrap();
    assert!(outcome.load.is_some(), "a load run");
    (outcome, snapshots)
}

/// A VU ramp climbs to its target, holds it, and comes back down; it never overshoots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ramp_stages_reach_their_targets() {
    let mut load = spec(LoadModel::Closed {
        vus: Shape::parse_ramp("6:1s,6:2s,0:1s").unwrap(),
    });
    load.think = think(100);
    let (outcome, snapshots) = run(load).await;
    let active: Vec<u64> = snapshots.iter().map(|p| p.active_sessions).collect();
    assert!(active.iter().all(|&a| a <= 6), "{active:?}");
    // Seconds 2 and 3 are in the hold stage: every user is in a session.
    assert!(active[1..3].contains(&6), "{active:?}");
    assert!(outcome.metrics.counters.sessions_started > 6);
    assert_eq!(outcome.metrics.counters.sessions_failed, 0);
    assert_eq!(outcome.metrics.counters.sessions_aborted, 0);
}

/// The open model starts sessions at the requested rate (within 5% over 10 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_model_keeps_its_rate() {
    let mut load = spec(LoadModel::Open {
        rate: Shape::constant(40.0),
        arrival: Arrival::Constant,
        max_sessions: 1000,
    });
    load.duration = Some(Duration::from_secs(10));
    let (outcome, snapshots) = run(load).await;
    let started = outcome.metrics.counters.sessions_started as f64;
    assert!(
        (started - 400.0).abs() <= 20.0,
        "{started} sessions in 10 s at 40/s"
    );
    assert_eq!(outcome.metrics.counters.dropped, 0);
    // Per second, too: the time series shows an even rate, not bursts (a loaded machine
    // may shift an arrival across a second boundary, hence the margin).
    let busy: Vec<u64> = outcome.load.as_ref().expect("a load run").timeline[1..9]
        .iter()
        .map(|p| p.sessions_started)
        .collect();
    assert!(busy.iter().all(|&n| (30..=50).contains(&n)), "{busy:?}");
    assert!(snapshots.len() >= 9, "one progress snapshot a second");
}

/// With a concurrency cap the schedule cannot keep, sessions start late (and the
/// intended-start latency shows the wait) or are dropped at the end; none vanish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_session_cap_makes_sessions_late_or_dropped() {
    let mut load = spec(LoadModel::Open {
        rate: Shape::constant(20.0),
        arrival: Arrival::Constant,
        max_sessions: 2,
    });
    load.duration = Some(Duration::from_secs(3));
    load.think = think(150);
    let (outcome, _) = run(load).await;
    let c = &outcome.metrics.counters;
    assert!(c.late > 0, "{c:?}");
    assert!(c.dropped > 0, "{c:?}");
    // Every scheduled arrival (60) either started or was dropped.
    assert_eq!(c.sessions_started + c.dropped, 60, "{c:?}");
    let create = &outcome.metrics.operations[0];
    assert!(create.intended.percentiles().p99 > create.service.percentiles().p99 * 10);
}

/// An iteration budget bounds a closed run exactly, and think time paces the turns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iterations_bound_a_closed_run_and_think_time_paces_it() {
    let mut load = spec(LoadModel::Closed {
        vus: Shape::constant(3.0),
    });
    load.iterations = Some(9);
    load.think = think(30);
    let (outcome, _) = run(load).await;
    let c = &outcome.metrics.counters;
    assert_eq!(c.sessions_started, 9);
    assert_eq!(c.sessions_passed, 9);
    let runs: u64 = outcome
        .load
        .as_ref()
        .expect("a load run")
        .tallies
        .iter()
        .map(|t| t.runs())
        .sum();
    assert_eq!(runs, 9);
    // 3 users × 3 sessions, each with at least one 30 ms pause before its first turn.
    assert!(outcome.elapsed >= Duration::from_millis(90));
}
