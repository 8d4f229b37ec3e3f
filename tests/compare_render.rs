//! Snapshots of `convoy compare`'s terminal and Markdown output, from a hand-made
//! comparison (exact numbers, hostile names): the default view (significant rows and a
//! count of the rest) and `--all`.

use convoy::report::compare::render::{json, markdown, terminal};
use convoy::report::compare::{
    Comparison, FieldChange, LatencyChange, Percentiles, PersonaChange, Proportion,
    ProportionChange, RateChange, Status, Tolerances, TurnPercentiles, TurnsChange,
};

fn percentiles(us: u64, count: u64) -> Option<Percentiles> {
    Some(Percentiles {
        count,
        p50_us: us - 5_000,
        p90_us: us - 1_000,
        p95_us: us,
        p99_us: us + 2_000,
        judged_us: us,
    })
}

fn proportion(successes: u64, trials: u64) -> Option<Proportion> {
    Some(Proportion { successes, trials })
}

fn rate(
    base: Option<Proportion>,
    new: Option<Proportion>,
    p: Option<f64>,
    status: Status,
) -> ProportionChange {
    let points = match (base.and_then(|b| b.rate()), new.and_then(|n| n.rate())) {
        (Some(b), Some(n)) => Some((n - b) * 100.0),
        _ => None,
    };
    ProportionChange {
        base,
        new,
        change_points: points,
        interval_points: points.map(|x| (x - 12.5, x + 9.25)),
        p_value: p,
        p_adjusted: p.map(|p| (p * 3.0).min(1.0)),
        status,
    }
}

fn latency(name: &str, scope: &'static str, base: u64, new: u64, status: Status) -> LatencyChange {
    let change = new as i64 - base as i64;
    LatencyChange {
        name: name.into(),
        scope,
        base: percentiles(base, 400),
        new: percentiles(new, 400),
        change_pct: Some(change as f64 / base as f64 * 100.0),
        change_us: Some(change),
        interval_us: Some((change - 3_000, change + 2_500)),
        floor_us: 1_000,
        new_slower: Some(0.5 + change as f64 / base as f64),
        p_value: Some(2.5e-9),
        p_adjusted: Some(7.5e-9),
        status,
    }
}

fn comparison() -> Comparison {
    let mut few = latency(
        "signup / both / turn 0",
        "turn",
        210_000,
        260_000,
        Status::TooFewSamples,
    );
    few.base = percentiles(210_000, 1);
    few.new = percentiles(260_000, 1);
    (few.p_value, few.p_adjusted) = (None, None);
    Comparison {
        base_run: "base-1".into(),
        new_run: "new-2".into(),
        tolerances: Tolerances::default(),
        pass_rates: vec![
            RateChange {
                suite: "signup".into(),
                conversation: "both | fields *at once*".into(),
                change: rate(
                    proportion(20, 20),
                    proportion(12, 20),
                    Some(0.002),
                    Status::Regressed,
                ),
            },
            RateChange {
                suite: "signup".into(),
                conversation: "steady".into(),
                change: rate(
                    proportion(20, 20),
                    proportion(19, 20),
                    Some(1.0),
                    Status::Unchanged,
                ),
            },
            RateChange {
                suite: "signup".into(),
                conversation: "added later".into(),
                change: rate(None, proportion(1, 1), None, Status::Added),
            },
        ],
        fields: vec![FieldChange {
            field: "email".into(),
            recall: rate(
                proportion(100, 100),
                proportion(66, 100),
                Some(1e-12),
                Status::Regressed,
            ),
            precision: rate(
                proportion(100, 100),
                proportion(100, 100),
                Some(1.0),
                Status::Unchanged,
            ),
            status: Status::Regressed,
        }],
        latency: vec![
            latency("send", "operation", 210_000, 252_000, Status::Regressed),
            latency("create", "operation", 210_000, 180_000, Status::Improved),
            latency(
                "signup / both / turn 1",
                "turn",
                210_000,
                212_000,
                Status::Unchanged,
            ),
            few,
        ],
        personas: Vec::new(),
        regressed: true,
    }
}

/// What a person sees in a terminal: the significant rows, `!` on regressed and `+` on
/// improved ones, a count of the rest, the verdict with its rule, regressions named with
/// their p-values.
#[test]
fn terminal_table() {
    insta::assert_snapshot!(terminal(&comparison(), false));
}

/// `--all`: every row, each with its status.
#[test]
fn terminal_table_all() {
    insta::assert_snapshot!(terminal(&comparison(), true));
}

/// The Markdown is a set of tables whose names cannot break a cell.
#[test]
fn markdown_tables() {
    insta::assert_snapshot!(markdown(&comparison(), false));
}

/// The JSON carries the verdict and every row, with statuses and p-values.
#[test]
fn json_output() {
    let value: serde_json::Value =
        serde_json::from_str(&json(&comparison()).expect("serialises")).expect("parses");
    assert_eq!(value["regressed"], true);
    assert_eq!(value["latency"][0]["new"]["p95_us"], 252_000);
    assert_eq!(value["latency"][0]["status"], "regressed");
    assert_eq!(value["latency"][3]["status"], "too_few_samples");
    assert_eq!(value["latency"][0]["p_adjusted"], 7.5e-9);
    assert_eq!(value["pass_rates"][0]["status"], "regressed");
    assert_eq!(value["pass_rates"][0]["base"]["trials"], 20);
    assert_eq!(value["tolerances"]["latency_increase"], 10.0);
    assert_eq!(value["tolerances"]["alpha"], 0.01);
}

fn turns(base: u64, new: u64, p: Option<f64>, status: Status) -> Option<TurnsChange> {
    let side = |judged: u64| {
        Some(TurnPercentiles {
            count: 120,
            p50: judged - 1,
            p90: judged,
            p95: judged,
            p99: judged + 1,
            judged,
        })
    };
    let change = new as i64 - base as i64;
    Some(TurnsChange {
        base: side(base),
        new: side(new),
        change_pct: Some(change as f64 / base as f64 * 100.0),
        change_turns: Some(change),
        interval_turns: Some((change - 1, change + 1)),
        floor_turns: 1,
        new_more: Some(if change > 0 { 0.8 } else { 0.5 }),
        p_value: p,
        p_adjusted: p.map(|p| (p * 3.0).min(1.0)),
        status,
    })
}

/// [`comparison`] without its other rows, with personas: every persona together, one
/// that regressed on both counts, one unchanged that never submits (no turns row).
fn with_personas() -> Comparison {
    let mut c = comparison();
    (c.pass_rates, c.fields, c.latency) = (Vec::new(), Vec::new(), Vec::new());
    c.personas = vec![
        PersonaChange {
            suite: String::new(),
            persona: "all personas".into(),
            success: rate(
                proportion(180, 180),
                proportion(139, 180),
                Some(1e-9),
                Status::Regressed,
            ),
            turns: turns(4, 9, Some(1e-20), Status::Regressed),
        },
        PersonaChange {
            suite: "personas".into(),
            persona: "Sam | says *everything*".into(),
            success: rate(
                proportion(20, 20),
                proportion(0, 20),
                Some(1e-10),
                Status::Regressed,
            ),
            turns: turns(1, 7, None, Status::TooFewSamples),
        },
        PersonaChange {
            suite: "personas".into(),
            persona: "Ari keeps the email private".into(),
            success: rate(
                proportion(20, 20),
                proportion(20, 20),
                Some(1.0),
                Status::Unchanged,
            ),
            turns: None,
        },
    ];
    c
}

/// Persona tables: success like pass rates, turns to completion in turns (not ms); the
/// verdict states the persona rule and names the regressed persona rows.
#[test]
fn terminal_table_with_personas() {
    insta::assert_snapshot!(terminal(&with_personas(), true));
}

#[test]
fn markdown_tables_with_personas() {
    insta::assert_snapshot!(markdown(&with_personas(), false));
}

#[test]
fn json_output_with_personas() {
    let value: serde_json::Value =
        serde_json::from_str(&json(&with_personas()).expect("serialises")).expect("parses");
    let all = &value["personas"][0];
    assert_eq!(all["persona"], "all personas");
    assert_eq!(all["success"]["status"], "regressed");
    assert_eq!(all["success"]["new"]["successes"], 139);
    assert_eq!(all["turns"]["new"]["judged"], 9);
    assert_eq!(all["turns"]["change_turns"], 5);
    assert_eq!(value["personas"][2]["turns"], serde_json::Value::Null);
    let plain = json(&comparison()).expect("serialises");
    assert!(plain.contains("\"personas\": []"), "{plain}");
}
