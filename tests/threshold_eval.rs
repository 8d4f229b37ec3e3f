//! Threshold evaluation on a fixed RunResult: each metric reads the right histogram or
//! counter (`turn[N]` merges every conversation's turn N), each statistic and operator
//! compares as written, and a metric with no samples fails with that reason.

use convoy::api::error::ErrorClass;
use convoy::report::result::RunConfig;
use convoy::report::threshold::{ThresholdSpec, apply_thresholds, evaluate};
use convoy::report::{RunConfigInfo, RunResult};
use convoy::runner::{
    ConversationResult, ConversationTiming, Operation, RunOutcome, TurnError, TurnOutcome,
};
use convoy::suite::Loc;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// A turn; a streamed one (with a TTFC) had three messages 4 ms apart, the last one
/// END_OF_RESPONSE.
fn turn(n: usize, latency_ms: u64, ttfc_ms: Option<u64>) -> TurnOutcome {
    let arrivals: Vec<Duration> = ttfc_ms
        .map(|first| {
            (0..3)
                .map(|i| Duration::from_millis(first + 4 * i))
                .collect()
        })
        .unwrap_or_default();
    TurnOutcome {
        turn: n,
        operation: if n == 0 {
            Operation::Create
        } else {
            Operation::Send
        },
        user: (n > 0).then(|| "hi".to_string()),
        offset: Duration::ZERO,
        latency: Duration::from_millis(latency_ms),
        retries: 0,
        retry_time: Duration::ZERO,
        ttfc: ttfc_ms.map(Duration::from_millis),
        end_of_response: arrivals.last().copied(),
        arrivals,
        status: Some(200),
        request_id: None,
        chunks: Vec::new(),
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
    }
}

fn conversation(name: &str, line: usize, turns: Vec<TurnOutcome>) -> ConversationResult {
    ConversationResult {
        suite: "s".into(),
        conversation: name.into(),
        loc: Loc {
            file: Arc::from("s.yaml"),
            line,
            column: 5,
        },
        session_id: None,
        planned_turns: turns.len() - 1,
        iteration: 1,
        repeat: 1,
        min_pass_rate: 1.0,
        turns,
        final_failures: Vec::new(),
    }
}

/// Two passed conversations (create 10 ms / 20 ms; turn 1 100 ms / 300 ms, streamed with
/// TTFC 5 ms / 15 ms and gaps of 4 ms) and one errored (create 30 ms, turn 1 a 503).
fn result() -> RunResult {
    let a = conversation("a", 1, vec![turn(0, 10, None), turn(1, 100, Some(5))]);
    let b = conversation("b", 2, vec![turn(0, 20, None), turn(1, 300, Some(15))]);
    let mut c = conversation("c", 3, vec![turn(0, 30, None), turn(1, 7, None)]);
    c.turns[1].error = Some(TurnError {
        class: ErrorClass::Http5xx(503),
        message: "down".into(),
    });
    let outcome = RunOutcome {
        results: vec![a, b, c],
        timings: (0..3)
            .map(|i| ConversationTiming {
                start_offset: Duration::ZERO,
                finish_seq: i,
            })
            .collect(),
        interrupted: false,
        elapsed: Duration::from_millis(400),
        base_url: "http://127.0.0.1:9".into(),
        load: None,
        embedded_mock: true,
    };
    let info = RunConfigInfo {
        run_id: "r".into(),
        name: "s".into(),
        started_at: UNIX_EPOCH,
        config: RunConfig {
            target: "mock".into(),
            base_url: String::new(),
            embedded_mock: true,
            concurrency: 1,
            filters: vec![],
            timeout_ms: 30_000,
            submit: false,
        },
    };
    RunResult::from_outcome(&outcome, &info).expect("builds")
}

fn check(result: &RunResult, expression: &str) -> (bool, Option<String>, Option<String>) {
    let spec = ThresholdSpec {
        threshold: convoy::threshold::parse(expression).expect("valid"),
        source: "--threshold".into(),
    };
    let t = evaluate(result, &spec);
    (t.passed, t.observed, t.reason)
}

fn observed(result: &RunResult, expression: &str) -> String {
    check(result, expression)
        .1
        .unwrap_or_else(|| panic!("{expression}: no value"))
}

#[test]
fn each_metric_reads_its_own_data() {
    let r = result();
    // HDR keeps 3 significant digits: 10 ms and 30 ms are exact, 300 ms within 0.1%.
    assert_eq!(observed(&r, "create.max<1s"), "30.015 ms");
    assert_eq!(observed(&r, "create.p50<1s"), "20.015 ms");
    assert_eq!(observed(&r, "create.mean<1s"), "20.007 ms");
    // The errored send is not a latency sample.
    assert_eq!(observed(&r, "send.p99<1s"), "300.031 ms");
    assert_eq!(observed(&r, "turn[1].p50<1s"), "100.031 ms");
    assert_eq!(observed(&r, "turn[0].max<1s"), "30.015 ms");
    assert_eq!(observed(&r, "ttfc.max<1s"), "15.007 ms");
    assert_eq!(observed(&r, "ttfc.turn[1].p50<1s"), "5.003 ms");
    assert_eq!(observed(&r, "ttfc.turn[1].max<1s"), "15.007 ms");
    assert_eq!(observed(&r, "gap.max<1s"), "4.001 ms");
    assert_eq!(observed(&r, "gap.turn[1].p50<1s"), "4.001 ms");
    assert_eq!(observed(&r, "pass_rate>0.5"), "0.6667");
    assert_eq!(observed(&r, "error_rate<0.5"), "0.1667");
}

#[test]
fn operators_compare_as_written() {
    let r = result();
    assert!(check(&r, "send.max<1s").0);
    assert!(!check(&r, "send.max<200ms").0);
    assert!(check(&r, "send.max>200ms").0);
    assert!(check(&r, "pass_rate>=0.6").0);
    assert!(!check(&r, "pass_rate>=0.99").0);
    assert!(check(&r, "error_rate<=0.2").0);
    assert!(!check(&r, "error_rate==0").0);
    // Turn 1's TTFCs are 5 ms and 15 ms: a 10 ms budget on its p95 fails, 20 ms holds.
    assert!(!check(&r, "ttfc.turn[1].p95<10ms").0);
    assert!(check(&r, "ttfc.turn[1].p95<20ms").0);
    assert!(check(&r, "gap.turn[1].p99<=5ms").0);
}

#[test]
fn no_samples_fails_with_a_reason() {
    let r = result();
    // The creates were not streamed: turn 0 has latency but no streaming figures.
    for expression in [
        "turn[5].p95<1s",
        "ttfc.turn[0].p95<1s",
        "gap.turn[2].p95<1s",
    ] {
        let (passed, observed, reason) = check(&r, expression);
        assert!(!passed && observed.is_none(), "{expression}");
        assert_eq!(reason.as_deref(), Some("no samples"), "{expression}");
    }
    let mut empty = r.clone();
    empty.latency.ttfc.clear();
    empty.counters = Default::default();
    for expression in ["ttfc.p95<500ms", "pass_rate>=0", "error_rate<1"] {
        let (passed, _, reason) = check(&empty, expression);
        assert!(!passed, "{expression}");
        assert_eq!(reason.as_deref(), Some("no samples"), "{expression}");
    }
}

#[test]
fn a_failed_threshold_fails_the_verdict() {
    let mut r = result();
    r.counters.errored = 0;
    r.counters.failed = 0;
    // Without pass rates the verdict reads the counters, which now say all passed.
    r.pass_rates.clear();
    assert_eq!(r.verdict().as_str(), "passed");
    let spec = |e: &str| ThresholdSpec {
        threshold: convoy::threshold::parse(e).expect("valid"),
        source: "s.yaml:4".into(),
    };
    apply_thresholds(&mut r, &[spec("send.max<1s"), spec("send.max<1ms")]);
    assert_eq!(r.thresholds.len(), 2);
    assert_eq!(r.thresholds[1].source, "s.yaml:4");
    assert_eq!(r.verdict().as_str(), "failed");
}
