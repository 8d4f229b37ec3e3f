//! Threshold evaluation on a fixed RunResult: each metric reads the right histogram or
//! counter (`turn[N]` merges every conversation's turn N), each statistic and operator
//! compares as written, and a metric with no samples fails with that reason. The load
//! metrics read a load section (or, in a functional run, a run that kept its schedule),
//! and dropped arrivals fail the verdict unless a drop threshold judges them. The persona
//! metrics read the overall persona row, and fail with a reason without persona runs or
//! without a submitted one.

use convoy::common::error_class::ErrorClass;
use convoy::pipeline::RunConfigInfo;
use convoy::report::RunResult;
use convoy::report::result::{
    LatencyKey, LatencyRecord, LoadSection, OperationName, PersonaCounts, PersonaIdentity,
    PersonaSection, PersonaStats, RunConfig, Summary, encode_histogram,
};
use convoy::report::threshold::{ThresholdSpec, apply_thresholds, evaluate};
use convoy::runner::{
    ConversationResult, ConversationTiming, Operation, RunOutcome, TurnError, TurnOutcome,
};
use convoy::suite::Loc;
use hdrhistogram::Histogram;
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
        protocol: None,
        chunks: Vec::new(),
        failures: Vec::new(),
        error: None,
        fields: Vec::new(),
        reason: None,
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
        summarized: false,
        persona: None,
        aborted: false,
        tags: Vec::new(),
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
    let mut outcome = RunOutcome::from_results(
        vec![a, b, c],
        (0..3)
            .map(|i| ConversationTiming {
                start_offset: Duration::ZERO,
                finish_seq: i,
            })
            .collect(),
        Duration::from_secs(30),
    );
    outcome.interrupted = false;
    outcome.elapsed = Duration::from_millis(400);
    outcome.base_url = "http://127.0.0.1:9".into();
    outcome.embedded_mock = true;
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
            ..Default::default()
        },
    };
    convoy::pipeline::build_result(&outcome, &info).expect("builds")
}

fn check(result: &RunResult, expression: &str) -> (bool, Option<String>, Option<String>) {
    let spec = ThresholdSpec {
        threshold: convoy::common::threshold::parse(expression).expect("valid"),
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
        threshold: convoy::common::threshold::parse(e).expect("valid"),
        source: "s.yaml:4".into(),
    };
    apply_thresholds(&mut r, &[spec("send.max<1s"), spec("send.max<1ms")]);
    assert_eq!(r.thresholds.len(), 2);
    assert_eq!(r.thresholds[1].source, "s.yaml:4");
    assert_eq!(r.verdict().as_str(), "failed");
}

/// A histogram record of `key` holding `values_ms`.
fn record(key: LatencyKey, values_ms: &[u64]) -> LatencyRecord {
    let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).expect("bounds");
    for v in values_ms {
        h.record(v * 1000).expect("in range");
    }
    LatencyRecord {
        key,
        errors: 0,
        clamped: 0,
        summary: Summary::of(&h),
        hdr: encode_histogram(&h).expect("encodes"),
    }
}

/// [`result`] as an open-model load run: 30 sessions started, 5 of them late, 10
/// arrivals dropped; creates waited 900 ms and 1.2 s from their intended start.
fn load_result() -> RunResult {
    let mut r = result();
    let turn0 = LatencyKey::Turn {
        suite: "s".into(),
        conversation: "a".into(),
        turn: 0,
    };
    r.load = Some(LoadSection {
        sessions_started: 30,
        sessions_aborted: 0,
        late: 5,
        dropped: 10,
        warmup_us: 0,
        workers: 2,
        intended: vec![record(
            LatencyKey::Operation {
                operation: OperationName::Create,
            },
            &[900, 1200],
        )],
        intended_turns: vec![record(turn0, &[900, 1200])],
        gaps: Vec::new(),
        start_lag: Summary::default(),
        per_conversation: Vec::new(),
        shard: None,
    });
    r
}

#[test]
fn load_metrics_read_the_load_section() {
    let r = load_result();
    assert_eq!(observed(&r, "dropped==0"), "10");
    assert_eq!(observed(&r, "late<10"), "5");
    // 10 dropped of 40 scheduled (30 started + 10 dropped).
    assert_eq!(observed(&r, "dropped_rate<0.5"), "0.2500");
    assert!(check(&r, "dropped_rate<0.3").0 && !check(&r, "dropped_rate<0.2").0);
    assert!(check(&r, "late<=5").0 && !check(&r, "late<5").0);
    assert_eq!(observed(&r, "intended.create.max<2s"), "1200.127 ms");
    assert_eq!(observed(&r, "intended.turn[0].p50<2s"), "900.095 ms");
    // The service time is still the service time.
    assert_eq!(observed(&r, "create.max<2s"), "30.015 ms");
    let (passed, _, reason) = check(&r, "intended.send.p95<1s");
    assert!(!passed);
    assert_eq!(reason.as_deref(), Some("no samples"));
}

/// A functional run schedules nothing: nothing dropped or late, and from the intended
/// start is the service time.
#[test]
fn load_metrics_of_a_functional_run() {
    let r = result();
    assert_eq!(observed(&r, "dropped==0"), "0");
    assert_eq!(observed(&r, "late==0"), "0");
    assert_eq!(observed(&r, "dropped_rate==0"), "0.0000");
    assert_eq!(observed(&r, "intended.create.max<1s"), "30.015 ms");
    assert_eq!(observed(&r, "intended.send.p99<1s"), "300.031 ms");
    assert_eq!(observed(&r, "intended.turn[1].p50<1s"), "100.031 ms");
    let mut empty = r.clone();
    empty.counters = Default::default();
    assert_eq!(
        check(&empty, "dropped_rate<1").2.as_deref(),
        Some("no samples")
    );
}

/// Dropped arrivals fail a load run; a `dropped` or `dropped_rate` threshold judges them
/// instead, a `late` one does not.
#[test]
fn dropped_arrivals_fail_the_verdict_unless_a_drop_threshold_judges_them() {
    let mut r = load_result();
    r.counters.errored = 0;
    r.counters.failed = 0;
    r.pass_rates.clear();
    let spec = |e: &str| ThresholdSpec {
        threshold: convoy::common::threshold::parse(e).expect("valid"),
        source: "--threshold".into(),
    };
    assert_eq!(r.verdict().as_str(), "failed");
    assert_eq!(r.headline(), "load not delivered");
    let reasons = r.verdict_reasons();
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("10 of 40 scheduled sessions were dropped"),
        "{reasons:?}"
    );
    apply_thresholds(&mut r, &[spec("late<100")]);
    assert_eq!(r.headline(), "load not delivered");
    for allowing in ["dropped_rate<0.3", "dropped<=10"] {
        apply_thresholds(&mut r, &[spec(allowing)]);
        assert_eq!(r.headline(), "passed", "{allowing}");
        assert!(r.verdict_reasons().is_empty());
    }
    // Then that threshold alone decides.
    apply_thresholds(&mut r, &[spec("dropped_rate<0.1")]);
    assert_eq!(r.headline(), "failed");
    r.interrupted = true;
    assert_eq!(r.headline(), "failed (interrupted)");
    apply_thresholds(&mut r, &[spec("dropped<11")]);
    assert_eq!(r.headline(), "interrupted");
    assert_eq!(r.verdict().as_str(), "passed");
}

/// A persona row: `succeeded` of `runs`, the submitted ones taking `turns` user messages.
fn persona(name: &str, succeeded: u64, runs: u64, turns: &[u64]) -> PersonaStats {
    let mut histogram = convoy::metrics::persona::turn_histogram();
    for t in turns {
        histogram.record(*t).expect("in range");
    }
    let counts = PersonaCounts {
        runs,
        succeeded,
        submitted: turns.len() as u64,
        ..PersonaCounts::default()
    };
    let identity = PersonaIdentity {
        persona: name.into(),
        ..PersonaIdentity::default()
    };
    PersonaStats::new(identity, counts, &histogram).expect("encodes")
}

fn with_personas(personas: Vec<PersonaStats>) -> RunResult {
    let mut r = result();
    r.personas = PersonaSection::of(personas).expect("sums");
    r
}

/// 59 of 60 persona runs succeeded; turns 2, 3, 3, 4 and 8 over both personas.
#[test]
fn persona_metrics_read_every_persona_together() {
    let r = with_personas(vec![
        persona("a", 30, 30, &[2, 3, 3, 4]),
        persona("b", 29, 30, &[8]),
    ]);
    assert_eq!(observed(&r, "persona.success_rate>=0.95"), "0.9833");
    assert!(check(&r, "persona.success_rate>=0.98").0);
    assert!(!check(&r, "persona.success_rate>=0.99").0);
    assert_eq!(observed(&r, "persona.turns.p50<=6"), "3");
    assert_eq!(observed(&r, "persona.turns.max<=6"), "8");
    assert_eq!(observed(&r, "persona.turns.mean<=6"), "4");
    assert!(check(&r, "persona.turns.p50<=3").0 && !check(&r, "persona.turns.p50<3").0);
    assert!(!check(&r, "persona.turns.p90<=6").0);
    assert!(check(&r, "persona.turns.p99<=8").0);
    let r = with_personas(vec![persona("a", 2, 2, &[2, 3])]);
    assert_eq!(observed(&r, "persona.turns.mean<=6"), "2.50");
}

#[test]
fn persona_metrics_without_persona_runs_fail_with_a_reason() {
    let r = result();
    for expression in ["persona.success_rate>=0", "persona.turns.p90<=100"] {
        let (passed, observed, reason) = check(&r, expression);
        assert!(!passed && observed.is_none(), "{expression}");
        assert_eq!(reason.as_deref(), Some("no persona runs"), "{expression}");
    }
    // Personas ran, none submitted (every one declined a required field, as expected).
    let r = with_personas(vec![persona("private", 3, 3, &[])]);
    assert_eq!(observed(&r, "persona.success_rate==1"), "1.0000");
    let (passed, observed, reason) = check(&r, "persona.turns.max<=100");
    assert!(!passed && observed.is_none());
    assert_eq!(reason.as_deref(), Some("no submitted persona runs"));
}
