//! The tables of `report.html`: headline counts, thresholds, the suite × conversation
//! matrix, per-operation and per-turn latency and errors by class (the streaming tables
//! are `streaming`'s).
//!
//! Only reads a [`RunResult`]; every text goes through [`esc`]. Numeric cells carry a
//! `data-v` so the inline sorter orders them as numbers.

use super::escape::esc;
use crate::report::cells::{ms, run_subject, seconds};
use crate::report::result::{LatencyKey, LatencyRecord, RunResult, VerdictName};
use std::fmt::Write;

/// The verdict banner and the counts under it.
pub fn headline(r: &RunResult) -> String {
    // An interrupted run is incomplete whatever finished: never a green banner.
    let class = if r.interrupted {
        "errored"
    } else {
        r.verdict().as_str()
    };
    let word = r.headline();
    let c = &r.counters;
    let errors: u64 = c.errors_by_class.values().sum();
    let failed_thresholds = r.thresholds.iter().filter(|t| !t.passed).count();
    let target = if r.config.embedded_mock {
        "embedded mock".to_string()
    } else {
        format!("{} at {}", r.config.target, r.config.base_url)
    };
    let reasons: String = r
        .verdict_reasons()
        .iter()
        .map(|reason| format!("<p>{}</p>", esc(reason)))
        .collect();
    let mut out = format!(
        "<header class=\"verdict {}\"><h1><span class=\"word\">{}</span> convoy · {}</h1><p>run {} · started {} · {} s · {}</p>{reasons}</header>",
        esc(class),
        esc(&word.to_uppercase()),
        esc(&run_subject(r)),
        esc(&r.run_id),
        esc(&r.started_at),
        esc(&seconds(r.elapsed_us)),
        esc(&target),
    );
    out.push_str("<div class=\"counts\">");
    let mut tile = |label: &str, value: String, class: &str| {
        let _ = write!(
            out,
            "<div class=\"tile {class}\"><b>{}</b><span>{}</span></div>",
            esc(&value),
            esc(label)
        );
    };
    tile("conversations", c.conversations.to_string(), "");
    tile("passed", c.passed.to_string(), "passed");
    tile(
        "failed",
        c.failed.to_string(),
        if c.failed > 0 { "failed" } else { "" },
    );
    tile(
        "errored",
        c.errored.to_string(),
        if c.errored > 0 { "errored" } else { "" },
    );
    tile("requests", c.requests.to_string(), "");
    tile(
        "request errors",
        errors.to_string(),
        if errors > 0 { "errored" } else { "" },
    );
    if !r.thresholds.is_empty() {
        let passed = r.thresholds.len() - failed_thresholds;
        let class = if failed_thresholds > 0 {
            "failed"
        } else {
            "passed"
        };
        tile(
            "thresholds passed",
            format!("{passed}/{}", r.thresholds.len()),
            class,
        );
    }
    out.push_str("</div>");
    out
}

pub fn thresholds(r: &RunResult) -> Option<String> {
    if r.thresholds.is_empty() {
        return None;
    }
    let mut out = String::from(
        "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>threshold</th><th>observed</th><th>result</th><th>source</th></tr></thead><tbody>",
    );
    for t in &r.thresholds {
        let observed = t.reason.as_deref().or(t.observed.as_deref()).unwrap_or("");
        let (class, word) = if t.passed {
            ("passed", "passed")
        } else {
            ("failed", "failed")
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td><span class=\"badge {class}\">{word}</span></td><td>{}</td></tr>",
            esc(&t.expression),
            esc(observed),
            esc(&t.source)
        );
    }
    out.push_str(TABLE_END);
    Some(out)
}

/// A conversation's name and the verdicts of its runs (several with `--repeat`).
type Runs<'a> = (&'a str, Vec<VerdictName>);

/// One row per suite; a chip per conversation, coloured by its verdict (with `--repeat`,
/// the pass-rate verdict and how many runs passed; flaky ones say so in the title).
pub fn matrix(r: &RunResult) -> String {
    let mut suites: Vec<(&str, Vec<Runs>)> = Vec::new();
    for c in &r.conversations {
        let suite = match suites.iter_mut().position(|(s, _)| *s == c.suite) {
            Some(i) => &mut suites[i].1,
            None => {
                suites.push((&c.suite, Vec::new()));
                let last = suites.len() - 1;
                &mut suites[last].1
            }
        };
        match suite.iter_mut().find(|(name, _)| *name == c.conversation) {
            Some((_, verdicts)) => verdicts.push(c.verdict),
            None => suite.push((&c.conversation, vec![c.verdict])),
        }
    }
    let mut out = String::from("<table class=\"matrix\"><tbody>");
    for (suite, conversations) in suites {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th><td>", esc(suite));
        for (name, verdicts) in conversations {
            // A repeated conversation is judged by its pass rate, not its worst run.
            let rate = r
                .pass_rates
                .iter()
                .find(|p| p.suite == suite && p.conversation == name && p.runs > 1);
            let worst = rate.map(|p| p.verdict).unwrap_or_else(|| {
                [VerdictName::Errored, VerdictName::Failed]
                    .into_iter()
                    .find(|v| verdicts.contains(v))
                    .unwrap_or(VerdictName::Passed)
            });
            let flaky = if rate.is_some_and(|p| p.flaky) {
                " (flaky)"
            } else {
                ""
            };
            let passed = verdicts
                .iter()
                .filter(|v| **v == VerdictName::Passed)
                .count();
            let runs = if verdicts.len() > 1 {
                format!(" {passed}/{}", verdicts.len())
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<span class=\"chip {}\" title=\"{}{flaky}\">{}{}</span>",
                worst.as_str(),
                esc(worst.as_str()),
                esc(name),
                esc(&runs)
            );
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    out
}

pub(super) const LATENCY_COLUMNS: [&str; 8] = [
    "operation / turn",
    "count",
    "errors",
    "p50 ms",
    "p90 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
];

/// Latency per operation, then per suite × conversation × turn in a scrolling table;
/// both sortable.
pub fn latency(r: &RunResult) -> String {
    let mut out = table_head(&LATENCY_COLUMNS);
    for record in &r.latency.operations {
        latency_row(&mut out, record, "");
    }
    out.push_str(TABLE_END);
    if !r.latency.turns.is_empty() {
        out.push_str("<h3>Per conversation × turn</h3><div class=\"tall\">");
        out.push_str(&table_head(&LATENCY_COLUMNS));
        for record in &r.latency.turns {
            latency_row(&mut out, record, "");
        }
        out.push_str(TABLE_END);
        out.push_str("</div>");
    }
    out
}

/// A row named `{figure}{operation}` (`ttfc create`) or `suite › conversation › turn N`,
/// then ` · {figure}` when the figure is not the latency.
pub(super) fn latency_row(out: &mut String, record: &LatencyRecord, figure: &str) {
    let name = match &record.key {
        LatencyKey::Operation { operation } => format!("{figure}{}", operation.as_str()),
        LatencyKey::Turn {
            suite,
            conversation,
            turn,
        } if figure.is_empty() => format!("{suite} › {conversation} › turn {turn}"),
        LatencyKey::Turn {
            suite,
            conversation,
            turn,
        } => format!("{suite} › {conversation} › turn {turn} · {}", figure.trim()),
    };
    let s = &record.summary;
    let _ = write!(
        out,
        "<tr><td>{}</td>{}{}",
        esc(&name),
        num(s.count, s.count.to_string()),
        num(record.errors, record.errors.to_string())
    );
    for v in [s.p50_us, s.p90_us, s.p95_us, s.p99_us, s.max_us] {
        let text = if s.count == 0 { String::new() } else { ms(v) };
        out.push_str(&num(v, text));
    }
    out.push_str("</tr>");
}

pub fn errors(r: &RunResult) -> Option<String> {
    let total: u64 = r.counters.errors_by_class.values().sum();
    if total == 0 {
        return None;
    }
    let mut out = table_head(&["error class", "requests", "share"]);
    for (class, n) in &r.counters.errors_by_class {
        let share = *n as f64 / total as f64 * 100.0;
        let _ = write!(
            out,
            "<tr><td>{}</td>{}{}</tr>",
            esc(class),
            num(*n, n.to_string()),
            num((share * 10.0) as u64, format!("{share:.1}%"))
        );
    }
    out.push_str(TABLE_END);
    Some(out)
}

pub(super) const TABLE_END: &str = "</tbody></table></div>";

pub(super) fn table_head(columns: &[&str]) -> String {
    let mut out = String::from("<div class=\"scroll\"><table class=\"sortable\"><thead><tr>");
    for (i, c) in columns.iter().enumerate() {
        // Every column but the first is a number in these tables: align with the cells.
        let class = if i > 0 { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>");
    out
}

pub(super) fn num(sort_key: u64, text: String) -> String {
    format!("<td class=\"n\" data-v=\"{sort_key}\">{}</td>", esc(&text))
}
