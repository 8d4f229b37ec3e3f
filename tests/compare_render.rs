//! Snapshots of `convoy compare`'s terminal and Markdown output, from a hand-made
//! comparison (exact numbers, hostile names).

use convoy::report::compare::render::{json, markdown, terminal};
use convoy::report::compare::{
    Comparison, FieldChange, LatencyChange, Percentiles, RateChange, Tolerances,
};

fn p95(us: u64) -> Option<Percentiles> {
    Some(Percentiles {
        count: 100,
        p50_us: us - 5_000,
        p90_us: us - 1_000,
        p95_us: us,
        p99_us: us + 2_000,
    })
}

fn comparison() -> Comparison {
    Comparison {
        base_run: "base-1".into(),
        new_run: "new-2".into(),
        tolerances: Tolerances::default(),
        pass_rates: vec![
            RateChange {
                suite: "signup".into(),
                conversation: "both | fields *at once*".into(),
                base: Some(1.0),
                new: Some(0.66),
                regressed: true,
            },
            RateChange {
                suite: "signup".into(),
                conversation: "added later".into(),
                base: None,
                new: Some(1.0),
                regressed: false,
            },
        ],
        fields: vec![FieldChange {
            field: "email".into(),
            base_recall: Some(1.0),
            new_recall: Some(0.66),
            base_precision: Some(1.0),
            new_precision: Some(1.0),
            regressed: true,
        }],
        latency: vec![
            LatencyChange {
                name: "send".into(),
                scope: "operation",
                base: p95(210_000),
                new: p95(252_000),
                p95_change_pct: Some(20.0),
                regressed: true,
            },
            LatencyChange {
                name: "signup / both / turn 0".into(),
                scope: "turn",
                base: p95(210_000),
                new: p95(212_000),
                p95_change_pct: Some(1.0),
                regressed: false,
            },
        ],
        regressed: true,
    }
}

/// What a person sees in a terminal: aligned columns, `!` on regressed rows, names.
#[test]
fn terminal_table() {
    insta::assert_snapshot!(terminal(&comparison()));
}

/// The Markdown is a set of tables whose names cannot break a cell.
#[test]
fn markdown_tables() {
    insta::assert_snapshot!(markdown(&comparison()));
}

/// The JSON carries the verdict and every row.
#[test]
fn json_output() {
    let value: serde_json::Value = serde_json::from_str(&json(&comparison()).unwrap()).unwrap();
    assert_eq!(value["regressed"], true);
    assert_eq!(value["latency"][0]["new"]["p95_us"], 252_000);
    assert_eq!(value["tolerances"]["p95_increase"], 10.0);
}
