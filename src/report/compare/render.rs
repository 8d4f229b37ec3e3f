//! A [`Comparison`] for people (a terminal table, Markdown for a CI step summary) and
//! machines (JSON). Only reads the comparison; names from suites are sanitised for the
//! terminal and escaped for Markdown.

use super::{Comparison, LatencyChange, Percentiles};
use crate::report::cells::{md_escape, ms, percent};
use crate::report::console::sanitize;
use std::fmt::Write;

/// One rendered row: cells, then whether it regressed.
type Row = (Vec<String>, bool);

fn change_points(base: Option<f64>, new: Option<f64>) -> String {
    match (base, new) {
        (Some(b), Some(a)) => format!("{:+.1} pt", (a - b) * 100.0),
        (None, Some(_)) => "new".into(),
        (Some(_), None) => "gone".into(),
        (None, None) => "-".into(),
    }
}

fn p(value: Option<Percentiles>, pick: fn(&Percentiles) -> u64) -> String {
    value.map_or_else(|| "-".into(), |v| ms(pick(&v)))
}

fn sections(c: &Comparison) -> Vec<(&'static str, Vec<&'static str>, Vec<Row>)> {
    let rates = c
        .pass_rates
        .iter()
        .map(|r| {
            let name = format!("{} / {}", r.suite, r.conversation);
            let cells = vec![
                name,
                percent(r.base),
                percent(r.new),
                change_points(r.base, r.new),
            ];
            (cells, r.regressed)
        })
        .collect();
    let fields = c
        .fields
        .iter()
        .map(|f| {
            let cells = vec![
                f.field.clone(),
                percent(f.base_recall),
                percent(f.new_recall),
                change_points(f.base_recall, f.new_recall),
                percent(f.base_precision),
                percent(f.new_precision),
            ];
            (cells, f.regressed)
        })
        .collect();
    let latency = c.latency.iter().map(latency_row).collect();
    vec![
        (
            "pass rate",
            vec!["conversation", "base", "new", "change"],
            rates,
        ),
        (
            "extraction",
            vec![
                "field",
                "base recall",
                "new recall",
                "change",
                "base precision",
                "new precision",
            ],
            fields,
        ),
        (
            "latency (ms)",
            vec![
                "operation / turn",
                "base p50",
                "new p50",
                "base p95",
                "new p95",
                "base p99",
                "new p99",
                "p95 change",
            ],
            latency,
        ),
    ]
}

fn latency_row(l: &LatencyChange) -> Row {
    let cells = vec![
        l.name.clone(),
        p(l.base, |v| v.p50_us),
        p(l.new, |v| v.p50_us),
        p(l.base, |v| v.p95_us),
        p(l.new, |v| v.p95_us),
        p(l.base, |v| v.p99_us),
        p(l.new, |v| v.p99_us),
        l.p95_change_pct
            .map_or_else(|| "-".into(), |c| format!("{c:+.1}%")),
    ];
    (cells, l.regressed)
}

fn verdict(c: &Comparison) -> String {
    let t = &c.tolerances;
    let word = if c.regressed {
        "REGRESSED"
    } else {
        "no regression"
    };
    format!(
        "{word} (tolerances: pass rate -{} pt, recall -{} pt, p95 +{}%)",
        t.pass_rate_drop, t.recall_drop, t.p95_increase
    )
}

/// Aligned plain-text tables, a `!` before each regressed row, then the regressions named.
pub fn terminal(c: &Comparison) -> String {
    let mut out = format!(
        "convoy compare · base {} · new {}\n",
        sanitize(&c.base_run),
        sanitize(&c.new_run)
    );
    for (title, header, rows) in sections(c) {
        if rows.is_empty() {
            continue;
        }
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        let rows: Vec<(Vec<String>, bool)> = rows
            .into_iter()
            .map(|(cells, bad)| (cells.iter().map(|c| sanitize(c)).collect(), bad))
            .collect();
        for (cells, _) in &rows {
            for (w, cell) in widths.iter_mut().zip(cells) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| match i {
                    0 => format!("{c:<w$}"),
                    _ => format!("{c:>w$}"),
                })
                .collect();
            padded.join("  ")
        };
        let _ = writeln!(out, "\n{title}:");
        let head: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let _ = writeln!(out, "    {}", line(&head));
        for (cells, bad) in &rows {
            let mark = if *bad { "  ! " } else { "    " };
            let _ = writeln!(out, "{mark}{}", line(cells));
        }
    }
    let _ = writeln!(out, "\n{}", verdict(c));
    for name in regressions(c) {
        let _ = writeln!(out, "  regressed: {}", sanitize(&name));
    }
    out
}

/// The names of the rows that regressed, for the closing lines.
pub fn regressions(c: &Comparison) -> Vec<String> {
    let rates = c
        .pass_rates
        .iter()
        .filter(|r| r.regressed)
        .map(|r| format!("pass rate of {} / {}", r.suite, r.conversation));
    let fields = c
        .fields
        .iter()
        .filter(|f| f.regressed)
        .map(|f| format!("recall of field {}", f.field));
    let latency = c
        .latency
        .iter()
        .filter(|l| l.regressed)
        .map(|l| format!("p95 of {} {}", l.scope, l.name));
    rates.chain(fields).chain(latency).collect()
}

/// Markdown tables (for `$GITHUB_STEP_SUMMARY`).
pub fn markdown(c: &Comparison) -> String {
    let mark = if c.regressed { "❌" } else { "✅" };
    let mut out = format!(
        "## {mark} convoy compare {} → {}\n\n{}\n",
        md_escape(&c.base_run),
        md_escape(&c.new_run),
        md_escape(&verdict(c))
    );
    for (title, header, rows) in sections(c) {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n\n| | {} |", header.join(" | "));
        let align: Vec<&str> = (0..header.len())
            .map(|i| if i == 0 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(out, "|---|{}|", align.join("|"));
        for (cells, bad) in rows {
            let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
            let flag = if bad { "❌" } else { "" };
            let _ = writeln!(out, "| {flag} | {} |", cells.join(" | "));
        }
    }
    out
}

/// The comparison as pretty JSON with a trailing newline.
pub fn json(c: &Comparison) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(c)?;
    text.push('\n');
    Ok(text)
}
