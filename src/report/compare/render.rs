//! A [`Comparison`] for people (a terminal table, Markdown for a CI step summary) and
//! machines (JSON). By default the tables show only the rows that changed significantly
//! and count the rest in one line; `all` shows every row. Only reads the comparison;
//! names from suites are sanitised for the terminal and escaped for Markdown.

use super::{Comparison, LatencyChange, Proportion, ProportionChange, Status};
use crate::report::cells::{md_escape, ms};
use crate::report::console::sanitize;
use std::fmt::Write;

#[path = "render_personas.rs"]
mod personas;

/// One table: title, header, rows (cells and status).
struct Section {
    title: String,
    header: Vec<&'static str>,
    rows: Vec<(Vec<String>, Status)>,
}

/// A p-value as people read it; tiny ones (the normal tail underflows) as a bound.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 1e-16 => "<1e-16".into(),
        Some(p) if p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}

fn proportion(p: Option<Proportion>) -> String {
    match p {
        Some(p) => match p.rate() {
            Some(rate) => format!("{}/{} ({:.1}%)", p.successes, p.trials, rate * 100.0),
            None => "-".into(),
        },
        None => "-".into(),
    }
}

fn proportion_cells(c: &ProportionChange) -> Vec<String> {
    vec![
        proportion(c.base),
        proportion(c.new),
        c.change_points
            .map_or_else(|| "-".into(), |x| format!("{x:+.1} pt")),
        c.interval_points
            .map_or_else(|| "-".into(), |(l, h)| format!("[{l:+.1}, {h:+.1}] pt")),
        p_text(c.p_adjusted),
        c.status.label().into(),
    ]
}

fn signed_ms(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "+" };
    format!("{sign}{}", ms(us.unsigned_abs()))
}

fn latency_cells(l: &LatencyChange) -> Vec<String> {
    let judged = |p: Option<super::Percentiles>| p.map_or_else(|| "-".into(), |v| ms(v.judged_us));
    let count =
        |p: Option<super::Percentiles>| p.map_or_else(|| "-".into(), |v| v.count.to_string());
    let change = match (l.change_pct, l.change_us) {
        (Some(pct), Some(us)) => format!("{pct:+.1}% ({})", signed_ms(us)),
        (None, Some(us)) => signed_ms(us),
        _ => "-".into(),
    };
    vec![
        format!("{} {}", l.scope, l.name),
        format!("{}/{}", count(l.base), count(l.new)),
        judged(l.base),
        judged(l.new),
        change,
        l.interval_us.map_or_else(
            || "-".into(),
            |(lo, hi)| format!("[{}, {}]", signed_ms(lo), signed_ms(hi)),
        ),
        p_text(l.p_adjusted),
        l.status.label().into(),
    ]
}

fn sections(c: &Comparison) -> Vec<Section> {
    let percentile = c.tolerances.percentile;
    let rates = c
        .pass_rates
        .iter()
        .map(|r| {
            let mut cells = vec![format!("{} / {}", r.suite, r.conversation)];
            cells.extend(proportion_cells(&r.change));
            (cells, r.change.status)
        })
        .collect();
    let mut fields = Vec::new();
    for f in &c.fields {
        for (what, change) in [("recall", &f.recall), ("precision", &f.precision)] {
            if change.base.is_none() && change.new.is_none() {
                continue;
            }
            let mut cells = vec![format!("{} {what}", f.field)];
            cells.extend(proportion_cells(change));
            fields.push((cells, change.status));
        }
    }
    let latency = c
        .latency
        .iter()
        .map(|l| (latency_cells(l), l.status))
        .collect();
    let proportion_header = |first| vec![first, "base", "new", "change", "interval", "p", "status"];
    vec![
        Section {
            title: "pass rate".into(),
            header: proportion_header("conversation"),
            rows: rates,
        },
        Section {
            title: "extraction".into(),
            header: proportion_header("field"),
            rows: fields,
        },
        Section {
            title: format!("latency (p{percentile}, ms)"),
            header: vec![
                "row",
                "n base/new",
                "base",
                "new",
                "change",
                "interval",
                "p",
                "status",
            ],
            rows: latency,
        },
    ]
    .into_iter()
    .chain(personas::sections(c))
    .collect()
}

/// "3 unchanged, 12 too few samples": the rows a table left out, by status.
fn hidden_count(rows: &[(Vec<String>, Status)]) -> String {
    let order = [
        Status::Unchanged,
        Status::TooFewSamples,
        Status::Added,
        Status::Removed,
    ];
    let parts: Vec<String> = order
        .iter()
        .filter_map(|status| {
            let n = rows.iter().filter(|(_, s)| s == status).count();
            (n > 0).then(|| format!("{n} {}", status.label()))
        })
        .collect();
    parts.join(", ")
}

fn verdict(c: &Comparison) -> String {
    let t = &c.tolerances;
    let total = c.statuses().count();
    let regressed = c.statuses().filter(|s| *s == Status::Regressed).count();
    let head = if c.regressed {
        format!("REGRESSED: {regressed} of {total} rows")
    } else {
        format!("no regression in {total} rows")
    };
    let correction = match t.correction {
        super::Correction::Holm => "Holm",
        super::Correction::Bonferroni => "Bonferroni",
    };
    let personas = personas::rule(c).map_or_else(String::new, |rule| format!(", {rule}"));
    let samples = if c.personas.is_empty() {
        "latency rows"
    } else {
        "latency and turns rows"
    };
    format!(
        "{head} (a regression is p{} +{}% and at least {} ms, pass rate -{} pt, recall -{} pt, \
         precision -{} pt{personas}, at α {} after {correction}'s correction over all rows; \
         {samples} need {} samples a side)",
        t.percentile,
        t.latency_increase,
        ms(t.latency_floor_us),
        t.pass_rate_drop,
        t.recall_drop,
        t.precision_drop,
        t.alpha,
        t.min_samples
    )
}

/// The regressed rows, each with its effect and corrected p-value.
pub fn regressions(c: &Comparison) -> Vec<String> {
    let proportion = |what: String, ch: &ProportionChange| {
        let points = ch.change_points.unwrap_or(0.0);
        format!("{what} ({points:+.1} pt, p = {})", p_text(ch.p_adjusted))
    };
    let mut out = Vec::new();
    for r in c
        .pass_rates
        .iter()
        .filter(|r| r.change.status == Status::Regressed)
    {
        let name = format!("pass rate of {} / {}", r.suite, r.conversation);
        out.push(proportion(name, &r.change));
    }
    for f in &c.fields {
        for (what, ch) in [("recall", &f.recall), ("precision", &f.precision)] {
            if ch.status == Status::Regressed {
                out.push(proportion(format!("{what} of field {}", f.field), ch));
            }
        }
    }
    for l in c.latency.iter().filter(|l| l.regressed()) {
        let change = match (l.change_pct, l.change_us) {
            (Some(pct), Some(us)) => format!("{pct:+.1}%, {} ms", signed_ms(us)),
            (_, Some(us)) => format!("{} ms", signed_ms(us)),
            _ => "-".into(),
        };
        out.push(format!(
            "p{} of {} {} ({change}, p = {})",
            c.tolerances.percentile,
            l.scope,
            l.name,
            p_text(l.p_adjusted)
        ));
    }
    out.extend(personas::regressions(c));
    out
}

fn aligned(widths: &[usize], cells: &[String]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (c, w))| match i {
            0 => format!("{c:<w$}"),
            _ => format!("{c:>w$}"),
        })
        .collect();
    padded.join("  ").trim_end().to_string()
}

fn terminal_section(out: &mut String, section: Section, all: bool) {
    if section.rows.is_empty() {
        return;
    }
    let shown: Vec<(Vec<String>, Status)> = section
        .rows
        .iter()
        .filter(|(_, s)| all || s.is_significant())
        .map(|(cells, s)| (cells.iter().map(|c| sanitize(c)).collect(), *s))
        .collect();
    let hidden: Vec<(Vec<String>, Status)> = section
        .rows
        .into_iter()
        .filter(|(_, s)| !(all || s.is_significant()))
        .collect();
    if shown.is_empty() {
        let _ = writeln!(out, "\n{}: {}", section.title, hidden_count(&hidden));
        return;
    }
    let mut widths: Vec<usize> = section.header.iter().map(|h| h.chars().count()).collect();
    for (cells, _) in &shown {
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let _ = writeln!(out, "\n{}:", section.title);
    let head: Vec<String> = section.header.iter().map(|h| h.to_string()).collect();
    let _ = writeln!(out, "    {}", aligned(&widths, &head));
    for (cells, status) in &shown {
        let mark = match status {
            Status::Regressed => "  ! ",
            Status::Improved => "  + ",
            _ => "    ",
        };
        let _ = writeln!(out, "{mark}{}", aligned(&widths, cells));
    }
    if !hidden.is_empty() {
        let _ = writeln!(
            out,
            "    … and {} (--all shows them)",
            hidden_count(&hidden)
        );
    }
}

/// Aligned plain-text tables (`!` before regressed rows, `+` before improved ones), then
/// the verdict and the regressions named.
pub fn terminal(c: &Comparison, all: bool) -> String {
    let mut out = format!(
        "convoy compare · base {} · new {}\n",
        sanitize(&c.base_run),
        sanitize(&c.new_run)
    );
    for section in sections(c) {
        terminal_section(&mut out, section, all);
    }
    let _ = writeln!(out, "\n{}", verdict(c));
    for name in regressions(c) {
        let _ = writeln!(out, "  regressed: {}", sanitize(&name));
    }
    out
}

/// Markdown tables (for `$GITHUB_STEP_SUMMARY`), the same rows as [`terminal`].
pub fn markdown(c: &Comparison, all: bool) -> String {
    let mark = if c.regressed { "❌" } else { "✅" };
    let mut out = format!(
        "## {mark} convoy compare {} → {}\n\n{}\n",
        md_escape(&c.base_run),
        md_escape(&c.new_run),
        md_escape(&verdict(c))
    );
    for section in sections(c) {
        if section.rows.is_empty() {
            continue;
        }
        let (shown, hidden): (Vec<_>, Vec<_>) = section
            .rows
            .into_iter()
            .partition(|(_, s)| all || s.is_significant());
        let _ = writeln!(out, "\n### {}\n", md_escape(&section.title));
        if !shown.is_empty() {
            let _ = writeln!(out, "| | {} |", section.header.join(" | "));
            let align: Vec<&str> = (0..section.header.len())
                .map(|i| if i == 0 { "---" } else { "---:" })
                .collect();
            let _ = writeln!(out, "|---|{}|", align.join("|"));
            for (cells, status) in shown {
                let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
                let flag = match status {
                    Status::Regressed => "❌",
                    Status::Improved => "⬆️",
                    _ => "",
                };
                let _ = writeln!(out, "| {flag} | {} |", cells.join(" | "));
            }
        }
        if !hidden.is_empty() {
            let _ = writeln!(out, "\nNot shown: {}.", hidden_count(&hidden));
        }
    }
    out
}

/// The comparison as pretty JSON with a trailing newline (every row, always).
pub fn json(c: &Comparison) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(c)?;
    text.push('\n');
    Ok(text)
}
