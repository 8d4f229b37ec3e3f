//! The tables of `report.html`: headline counts, thresholds, the suite × conversation
//! matrix, per-operation and per-turn latency and errors by class (the streaming tables
//! are `streaming`'s).
//!
//! Only reads a [`RunResult`]; markup is maud's `html!`, so every value is escaped, and
//! text from the run goes through [`visible`]. Nothing here is inserted unescaped.
//! Numeric cells carry a `data-v` so the inline sorter orders them as numbers.

use super::text::visible;
use crate::report::cells::{ms, run_subject, seconds};
use crate::report::result::{LatencyKey, LatencyRecord, RunResult, VerdictName};
use maud::{Markup, html};

/// The verdict banner and the counts under it.
pub fn headline(r: &RunResult) -> Markup {
    // An interrupted run is incomplete whatever finished: never a green banner.
    let class = if r.interrupted {
        "errored"
    } else {
        r.verdict().as_str()
    };
    let word = r.headline();
    let c = &r.counters;
    let errors: u64 = c.errors_by_class.values().sum();
    let target = if r.config.embedded_mock {
        "embedded mock".to_string()
    } else {
        format!("{} at {}", r.config.target, r.config.base_url)
    };
    let flag = |bad: bool, class: &'static str| if bad { class } else { "" };
    let mut tiles = vec![
        ("conversations", c.conversations.to_string(), ""),
        ("passed", c.passed.to_string(), "passed"),
        ("failed", c.failed.to_string(), flag(c.failed > 0, "failed")),
        (
            "errored",
            c.errored.to_string(),
            flag(c.errored > 0, "errored"),
        ),
        ("requests", c.requests.to_string(), ""),
        (
            "request errors",
            errors.to_string(),
            flag(errors > 0, "errored"),
        ),
    ];
    if !r.thresholds.is_empty() {
        let failed = r.thresholds.iter().filter(|t| !t.passed).count();
        let passed = r.thresholds.len() - failed;
        let class = if failed > 0 { "failed" } else { "passed" };
        let value = format!("{passed}/{}", r.thresholds.len());
        tiles.push(("thresholds passed", value, class));
    }
    html! {
        header.verdict.(class) {
            h1 {
                span.word { (visible(&word.to_uppercase())) }
                " convoy · " (visible(&run_subject(r)))
            }
            p {
                "run " (visible(&r.run_id)) " · started " (visible(&r.started_at))
                " · " (seconds(r.elapsed_us)) " s · " (visible(&target))
            }
            @for reason in r.verdict_reasons() { p { (visible(&reason)) } }
        }
        div.counts {
            @for (label, value, class) in &tiles {
                div.tile.(class) { b { (value) } span { (label) } }
            }
        }
    }
}

pub fn thresholds(r: &RunResult) -> Option<Markup> {
    if r.thresholds.is_empty() {
        return None;
    }
    Some(html! {
        div.scroll { table.sortable {
            thead { tr { th { "threshold" } th { "observed" } th { "result" } th { "source" } } }
            tbody {
                @for t in &r.thresholds {
                    @let observed = t.reason.as_deref().or(t.observed.as_deref()).unwrap_or("");
                    @let word = if t.passed { "passed" } else { "failed" };
                    tr {
                        td { code { (visible(&t.expression)) } }
                        td { (visible(observed)) }
                        td { span.badge.(word) { (word) } }
                        td { (visible(&t.source)) }
                    }
                }
            }
        } }
    })
}

/// A conversation's name and the verdicts of its runs (several with `--repeat`).
type Runs<'a> = (&'a str, Vec<VerdictName>);

/// Conversations grouped by suite, in the order they first appear.
fn by_suite(r: &RunResult) -> Vec<(&str, Vec<Runs<'_>>)> {
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
    suites
}

/// One row per suite; a chip per conversation, coloured by its verdict (with `--repeat`,
/// the pass-rate verdict and how many runs passed; flaky ones say so in the title).
pub fn matrix(r: &RunResult) -> Markup {
    html! {
        table.matrix { tbody {
            @for (suite, conversations) in by_suite(r) {
                tr {
                    th scope="row" { (visible(suite)) }
                    td {
                        @for (name, verdicts) in &conversations { (chip(r, suite, name, verdicts)) }
                    }
                }
            }
        } }
    }
}

fn chip(r: &RunResult, suite: &str, name: &str, verdicts: &[VerdictName]) -> Markup {
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
    html! {
        span.chip.(worst.as_str()) title={ (worst.as_str()) (flaky) } {
            (visible(name))
            @if verdicts.len() > 1 { " " (passed) "/" (verdicts.len()) }
        }
    }
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
pub fn latency(r: &RunResult) -> Markup {
    html! {
        (latency_table(&r.latency.operations))
        @if !r.latency.turns.is_empty() {
            h3 { "Per conversation × turn" }
            div.tall {
                (latency_table(&r.latency.turns))
            }
        }
    }
}

/// A latency table of `records`, one [`latency_row`] each.
pub(super) fn latency_table(records: &[LatencyRecord]) -> Markup {
    table(
        &LATENCY_COLUMNS,
        html! { @for record in records { (latency_row(record, "")) } },
    )
}

/// A row named `{figure}{operation}` (`ttfc create`) or `suite › conversation › turn N`,
/// then ` · {figure}` when the figure is not the latency.
pub(super) fn latency_row(record: &LatencyRecord, figure: &str) -> Markup {
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
        LatencyKey::Tag { tag, operation } => {
            format!("{figure}tag {tag} › {}", operation.as_str())
        }
    };
    let s = &record.summary;
    html! {
        tr {
            td { (visible(&name)) }
            (num(s.count, s.count.to_string()))
            (num(record.errors, record.errors.to_string()))
            @for v in [s.p50_us, s.p90_us, s.p95_us, s.p99_us, s.max_us] {
                (num(v, if s.count == 0 { String::new() } else { ms(v) }))
            }
        }
    }
}

pub fn errors(r: &RunResult) -> Option<Markup> {
    let total: u64 = r.counters.errors_by_class.values().sum();
    if total == 0 {
        return None;
    }
    let rows = html! {
        @for (class, n) in &r.counters.errors_by_class {
            @let share = *n as f64 / total as f64 * 100.0;
            tr {
                td { (visible(class)) }
                (num(*n, n.to_string()))
                (num((share * 10.0) as u64, format!("{share:.1}%")))
            }
        }
    };
    Some(table(&["error class", "requests", "share"], rows))
}

/// A scrolling sortable table: a head of `columns`, then `rows` as its body.
pub(super) fn table(columns: &[&str], rows: Markup) -> Markup {
    table_with_footer(columns, rows, None)
}

/// [`table`] with a `<tfoot>` the sorter leaves alone.
pub(super) fn table_with_footer(columns: &[&str], rows: Markup, footer: Option<Markup>) -> Markup {
    html! {
        div.scroll { table.sortable {
            thead { tr {
                @for (i, c) in columns.iter().enumerate() {
                    // Every column but the first is a number in these tables: align with the cells.
                    th class=[(i > 0).then_some("n")] { (c) }
                }
            } }
            tbody { (rows) }
            @if let Some(footer) = footer { tfoot { (footer) } }
        } }
    }
}

/// A number cell: `text` shown, `sort_key` for the sorter.
pub(super) fn num(sort_key: u64, text: String) -> Markup {
    html! { td.n data-v=(sort_key) { (text) } }
}
