//! The verdict rules of [`compare`]: a change needs both size (tolerance, floor) and
//! significance; too few samples never gate; rows on one side only never regress; and
//! samples of one distribution do not raise alarms. Personas: success rates judged as
//! pass rates, turns to completion as latency distributions.

use super::{Status, Tolerances, compare};
use crate::common::rng::SplitMix64;
use crate::metrics::LatencyHistogram;
use crate::report::result::{
    FieldScoreRow, LatencyKey, LatencyRecord, OperationName, PassRate, PersonaCounts,
    PersonaIdentity, PersonaSection, PersonaStats, RunResult, Scorecard, VerdictName,
    encode_histogram,
};
use std::time::Duration;

fn empty() -> RunResult {
    let text = r#"{"schema_version":1,"run_id":"r","name":"n","started_at":"t",
        "elapsed_us":0,"interrupted":false,
        "config":{"target":"mock","base_url":"","embedded_mock":true,"concurrency":1,
                  "filters":[],"timeout_ms":1000,"submit":false},
        "conversations":[],
        "counters":{"conversations":0,"passed":0,"failed":0,"errored":0,"requests":0,
                    "failures":0,"errors_by_class":{}},
        "latency":{"operations":[],"turns":[]}}"#;
    RunResult::from_json(text).expect("a minimal run.json parses")
}

fn send_record(samples: impl IntoIterator<Item = u64>) -> LatencyRecord {
    let mut h = LatencyHistogram::new(Duration::from_secs(10));
    for us in samples {
        h.record(Duration::from_micros(us));
    }
    LatencyRecord {
        key: LatencyKey::Operation {
            operation: OperationName::Send,
        },
        errors: 0,
        clamped: 0,
        summary: h.percentiles().into(),
        hdr: encode_histogram(&h.to_hdr()).expect("encodes"),
    }
}

/// A run with one conversation passing `passed` of `runs`, field `email` extracted right
/// `correct` times of 100, and `send` answering in `send_us` `samples` times.
fn run_with(passed: u64, runs: u64, correct: u64, send_us: u64, samples: usize) -> RunResult {
    let mut r = empty();
    r.pass_rates = vec![PassRate {
        suite: "s".into(),
        conversation: "c".into(),
        runs,
        passed,
        failed: runs - passed,
        errored: 0,
        rate: passed as f64 / runs as f64,
        low: 0.0,
        high: 1.0,
        min_pass_rate: 0.0,
        verdict: VerdictName::Passed,
        flaky: false,
        turns: Vec::new(),
        fields: Vec::new(),
    }];
    r.scorecard = Scorecard {
        overall: vec![FieldScoreRow {
            field: "email".into(),
            expected: 100,
            correct,
            missed: 100 - correct,
            recall: Some(correct as f64 / 100.0),
            ..FieldScoreRow::default()
        }],
        suites: Vec::new(),
    };
    r.latency.operations = vec![send_record(std::iter::repeat_n(send_us, samples))];
    r
}

fn run(passed: u64, correct: u64, send_us: u64) -> RunResult {
    run_with(passed, 100, correct, send_us, 100)
}

#[test]
fn at_the_tolerance_is_not_a_regression() {
    let c = compare(
        &run(100, 100, 100_000),
        &run(99, 98, 110_000),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn large_and_significant_changes_regress() {
    let base = run(100, 100, 100_000);
    let c = compare(&base, &run(80, 100, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Regressed);
    assert!(c.regressed);
    assert!(c.pass_rates[0].change.p_adjusted.expect("tested") < 0.01);
    let c = compare(&base, &run(100, 80, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.fields[0].status, Status::Regressed, "{c:#?}");
    assert_eq!(c.pass_rates[0].change.status, Status::Unchanged);
    let c = compare(&base, &run(100, 100, 112_000), Tolerances::default()).expect("compares");
    assert_eq!(c.latency[0].status, Status::Regressed, "{c:#?}");
    assert_eq!(c.latency[0].name, "send");
    let c = compare(&run(100, 100, 112_000), &base, Tolerances::default()).expect("compares");
    assert_eq!(c.latency[0].status, Status::Improved);
    assert!(!c.regressed);
}

/// A drop past the tolerance that a coin could produce is not a regression.
#[test]
fn a_drop_within_the_noise_is_unchanged() {
    let base = run(100, 100, 100_000);
    let c = compare(&base, &run(97, 97, 100_000), Tolerances::default()).expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Unchanged, "{c:#?}");
    assert_eq!(c.fields[0].status, Status::Unchanged);
    assert!(!c.regressed);
}

#[test]
fn all_to_none_regresses_even_on_one_run() {
    let c = compare(
        &run_with(1, 1, 100, 100_000, 100),
        &run_with(0, 1, 100, 100_000, 100),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert_eq!(c.pass_rates[0].change.status, Status::Regressed);
    let c = compare(
        &run_with(3, 3, 100, 100_000, 100),
        &run_with(2, 3, 100, 100_000, 100),
        Tolerances::default(),
    );
    assert_eq!(
        c.expect("compares").pass_rates[0].change.status,
        Status::TooFewSamples
    );
}

#[test]
fn growth_under_the_floor_is_noise() {
    let c = compare(
        &run(100, 100, 1_000),
        &run(100, 100, 1_500),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert!(c.latency[0].change_pct.expect("both sides") > 40.0);
    assert_eq!(c.latency[0].status, Status::Unchanged);
    assert!(!c.regressed, "{c:#?}");
}

#[test]
fn ten_samples_are_too_few_whatever_the_change() {
    let c = compare(
        &run_with(1, 1, 100, 100_000, 10),
        &run_with(1, 1, 100, 120_000, 10),
        Tolerances::default(),
    );
    let c = c.expect("compares");
    assert_eq!(c.latency[0].status, Status::TooFewSamples);
    assert!(!c.regressed);
}

#[test]
fn rows_on_one_side_only_never_regress() {
    let c = compare(&empty(), &run(50, 50, 100_000), Tolerances::default()).expect("compares");
    assert!(!c.regressed);
    assert_eq!(c.pass_rates[0].change.status, Status::Added);
    assert_eq!(c.latency[0].base, None);
}

/// Two runs drawn from one lognormal latency distribution: the significance test alone
/// (sizes set to zero) fires at about α, and the full rule at the defaults no more often.
#[test]
fn samples_of_one_distribution_rarely_test_significant() {
    let mut rng = SplitMix64::new(7);
    let mut sample = |n: usize| -> Vec<u64> {
        (0..n)
            .map(|_| (5_000.0 * (0.5 * rng.next_normal()).exp()) as u64)
            .collect()
    };
    let sensitive = Tolerances {
        latency_increase: 0.0,
        latency_floor_us: 0,
        ..Tolerances::default()
    };
    let (mut significant, mut regressed, pairs) = (0, 0, 400);
    for _ in 0..pairs {
        let mut base = empty();
        let mut new = empty();
        base.latency.operations = vec![send_record(sample(200))];
        new.latency.operations = vec![send_record(sample(200))];
        let c = compare(&base, &new, sensitive).expect("compares");
        significant += usize::from(c.latency[0].p_adjusted.expect("tested") < 0.01);
        let c = compare(&base, &new, Tolerances::default()).expect("compares");
        regressed += usize::from(c.regressed);
    }
    // Binomial(400, 0.01): mean 4, P(more than 14) < 1e-4. The full rule also needs the
    // size, so it fires at most as often.
    assert!(
        significant <= 14,
        "{significant} of {pairs} pairs significant"
    );
    assert!(
        regressed <= significant.min(8),
        "{regressed} of {pairs} pairs regressed"
    );
}

/// A run whose personas each passed `succeeded` of `runs`, the submitted runs taking
/// `turns` user messages each.
fn persona_run(personas: &[(&str, u64, u64, &[u64])]) -> RunResult {
    let rows = personas
        .iter()
        .map(|(name, succeeded, runs, turns)| {
            let mut h = crate::metrics::persona::turn_histogram();
            for t in turns.iter() {
                h.record(*t).expect("in range");
            }
            let counts = PersonaCounts {
                runs: *runs,
                succeeded: *succeeded,
                submitted: turns.len() as u64,
                ..PersonaCounts::default()
            };
            let identity = PersonaIdentity {
                suite: "s".into(),
                persona: (*name).into(),
                ..PersonaIdentity::default()
            };
            PersonaStats::new(identity, counts, &h).expect("encodes")
        })
        .collect();
    let mut r = empty();
    r.personas = PersonaSection::of(rows).expect("sums");
    r
}

/// `n` runs of 3 and 4 turns alternately, then `shift` more each.
fn turns(n: usize, shift: u64) -> Vec<u64> {
    (0..n).map(|i| 3 + (i % 2) as u64 + shift).collect()
}

fn persona<'a>(c: &'a super::Comparison, name: &str) -> &'a super::PersonaChange {
    let row = c.personas.iter().find(|p| p.persona == name);
    row.unwrap_or_else(|| panic!("no persona {name} in {c:#?}"))
}

#[test]
fn a_clear_drop_in_persona_success_regresses() {
    let base = persona_run(&[("a", 100, 100, &turns(100, 0)), ("b", 50, 50, &[])]);
    let new = persona_run(&[("a", 80, 100, &turns(100, 0)), ("b", 50, 50, &[])]);
    let c = compare(&base, &new, Tolerances::default()).expect("compares");
    assert_eq!(persona(&c, "a").success.status, Status::Regressed, "{c:#?}");
    assert_eq!(
        persona(&c, "all personas").success.status,
        Status::Regressed
    );
    assert_eq!(persona(&c, "b").success.status, Status::Unchanged);
    // Neither run has a submitted run of b: no turns row.
    assert_eq!(persona(&c, "b").turns, None);
    assert_eq!(c.personas[0].persona, "all personas");
    assert!(c.regressed);
    let named = super::render::regressions(&c);
    assert!(
        named
            .iter()
            .any(|n| n.starts_with("success rate of persona s / a (-20.0 pt, p = ")),
        "{named:?}"
    );
    // The mirror image is an improvement, not a regression.
    let c = compare(&new, &base, Tolerances::default()).expect("compares");
    assert_eq!(persona(&c, "a").success.status, Status::Improved);
    assert!(!c.regressed);
}

#[test]
fn the_same_persona_data_twice_is_no_regression() {
    let run = persona_run(&[("a", 97, 100, &turns(97, 0)), ("b", 40, 40, &turns(40, 2))]);
    let c = compare(&run, &run, Tolerances::default()).expect("compares");
    assert!(!c.regressed, "{c:#?}");
    for p in &c.personas {
        assert_eq!(p.success.status, Status::Unchanged, "{p:#?}");
        let turns = p.turns.as_ref().expect("submitted runs on both sides");
        assert_eq!(turns.status, Status::Unchanged, "{p:#?}");
        assert_eq!(turns.change_turns, Some(0));
    }
}

/// A few points of success and a few runs taking a turn more are noise at these counts.
#[test]
fn small_persona_noise_is_no_regression() {
    let mut noisy = turns(100, 0);
    noisy[..4].fill(5);
    let base = persona_run(&[("a", 97, 100, &turns(100, 0))]);
    let new = persona_run(&[("a", 94, 100, &noisy)]);
    let c = compare(&base, &new, Tolerances::default()).expect("compares");
    let a = persona(&c, "a");
    assert_eq!(a.success.status, Status::Unchanged, "{a:#?}");
    assert_eq!(a.turns.as_ref().expect("turns").status, Status::Unchanged);
    assert!(!c.regressed);
}

/// Two turns more per run regresses turns to completion (in turns, not durations); two
/// fewer improves them; with fewer than 30 submitted runs a side nothing is judged.
#[test]
fn more_turns_to_completion_regress() {
    let base = persona_run(&[("a", 100, 100, &turns(100, 0))]);
    let slow = persona_run(&[("a", 100, 100, &turns(100, 2))]);
    let c = compare(&base, &slow, Tolerances::default()).expect("compares");
    let t = persona(&c, "a").turns.clone().expect("turns");
    assert_eq!(t.status, Status::Regressed, "{t:#?}");
    assert_eq!(
        (t.base.map(|p| p.judged), t.new.map(|p| p.judged)),
        (Some(4), Some(6))
    );
    assert_eq!((t.change_turns, t.floor_turns), (Some(2), 1));
    assert!(t.new_more.expect("tested") > 0.5);
    assert!(c.regressed);
    let named = super::render::regressions(&c);
    assert!(
        named.iter().any(|n| n
            .starts_with("p95 of turns to completion of persona s / a (+50.0%, +2 turns, p = ")),
        "{named:?}"
    );
    let c = compare(&slow, &base, Tolerances::default()).expect("compares");
    assert_eq!(
        persona(&c, "a").turns.as_ref().expect("turns").status,
        Status::Improved
    );
    assert!(!c.regressed);
    let few = compare(
        &persona_run(&[("a", 20, 20, &turns(20, 0))]),
        &persona_run(&[("a", 20, 20, &turns(20, 3))]),
        Tolerances::default(),
    );
    let few = few.expect("compares");
    assert_eq!(
        persona(&few, "a").turns.as_ref().expect("turns").status,
        Status::TooFewSamples
    );
}

/// A persona only one run has is new or gone, never a regression; runs without personas
/// have no persona rows.
#[test]
fn personas_on_one_side_only_never_regress() {
    let base = persona_run(&[("a", 10, 10, &turns(10, 0))]);
    let new = persona_run(&[("a", 10, 10, &turns(10, 0)), ("z", 0, 10, &[])]);
    let c = compare(&base, &new, Tolerances::default()).expect("compares");
    assert_eq!(persona(&c, "z").success.status, Status::Added);
    assert!(!c.regressed, "{c:#?}");
    let c = compare(&empty(), &empty(), Tolerances::default()).expect("compares");
    assert!(c.personas.is_empty());
}

/// A whole distribution shifted "significantly" while its p95 is not established to have
/// moved (the percentile's interval holds zero) does not gate: that is what a loaded
/// machine does to one of two identical runs. With the interval above zero, it regresses.
#[test]
fn a_percentile_whose_interval_holds_zero_does_not_regress() {
    use super::latency::{Judged, judge_shift};
    let t = Tolerances::default();
    let unsure = Judged {
        change: 38_000,
        change_pct: Some(221.0),
        interval: Some((-32_000, 63_000)),
        floor: 1_000,
    };
    assert_eq!(judge_shift(&unsure, 0.0037, 0.7, &t), Status::Unchanged);
    let sure = Judged {
        interval: Some((12_000, 63_000)),
        ..unsure
    };
    assert_eq!(judge_shift(&sure, 0.0037, 0.7, &t), Status::Regressed);
    let faster = Judged {
        change: -38_000,
        change_pct: Some(-68.0),
        interval: Some((-63_000, 5_000)),
        floor: 1_000,
    };
    assert_eq!(judge_shift(&faster, 0.0037, 0.3, &t), Status::Unchanged);
}
