//! The terminal summary of a load run, from its [`RunResult`]: sessions and their pass
//! rate, throughput, latency tables per operation (service time, and from the intended
//! start for the open model), latency per turn index, streaming figures per operation and
//! per turn index, errors by class, late and dropped sessions, pass rate per
//! conversation, and a few sample failures. Renders text only.

use crate::common::error_class::ErrorClass;
use crate::common::format::format_duration;
use crate::metrics::Percentiles;
use crate::report::console::sanitize;
use crate::report::console_figures::{OPERATIONS, by_turn_index, operation, streams};
use crate::report::result::{ConversationRecord, LoadSection, OperationName, RunResult, Summary};
use crate::report::stream_console;
use std::collections::HashSet;
use std::fmt::Write;
use std::time::Duration;

/// Renders the summary of `result`, a load run (an empty string for any other run).
pub fn render(result: &RunResult) -> String {
    let Some(load) = &result.load else {
        return String::new();
    };
    let mut out = String::new();
    render_headline(&mut out, result, load);
    render_operations(&mut out, result, load);
    render_turn_indexes(&mut out, result);
    let (operations, turns) = streams(result);
    let operations: Vec<_> = operations.iter().map(|(n, s)| (*n, s)).collect();
    stream_console::render(&mut out, &operations, &turns);
    render_problems(&mut out, result, load);
    render_conversations(&mut out, load);
    crate::report::persona_console::render(&mut out, result);
    // The first kept sample of each conversation.
    let mut seen = HashSet::new();
    let samples: Vec<&ConversationRecord> = result
        .conversations
        .iter()
        .filter(|c| seen.insert((c.suite_file.as_str(), c.line, c.conversation.as_str())))
        .collect();
    if !samples.is_empty() {
        out.push_str("\nSample failures (first of each conversation)");
        crate::report::console_failures::render_failures(&mut out, &samples);
    }
    out
}

fn us(v: u64) -> String {
    format_duration(Duration::from_micros(v))
}

fn render_headline(out: &mut String, result: &RunResult, load: &LoadSection) {
    let c = &result.counters;
    let seconds = (result.elapsed_us as f64 / 1e6).max(f64::MIN_POSITIVE);
    let completed = c.conversations;
    let pass_rate = match completed {
        0 => "-".to_string(),
        n => format!("{:.2}%", 100.0 * c.passed as f64 / n as f64),
    };
    let _ = writeln!(
        out,
        "\n{} sessions in {}: {} passed, {} failed, {} errored, {} aborted · pass rate {pass_rate}",
        load.sessions_started,
        us(result.elapsed_us),
        c.passed,
        c.failed,
        c.errored,
        load.sessions_aborted,
    );
    let errors: u64 = c.errors_by_class.values().sum();
    let _ = writeln!(
        out,
        "throughput: {:.1} sessions/s · {:.1} requests/s · {} requests, {errors} errors",
        completed as f64 / seconds,
        c.requests as f64 / seconds,
        c.requests,
    );
    if load.warmup_us > 0 {
        let _ = writeln!(
            out,
            "warm-up: the first {} are left out of the latency figures",
            us(load.warmup_us)
        );
    }
}

fn header(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        "\n{title:<22} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "count", "p50", "p90", "p95", "p99", "p99.9", "max"
    );
}

fn row(out: &mut String, name: &str, p: &Percentiles) {
    if p.count == 0 {
        stream_console::no_samples_row(out, name, (22, 8));
        return;
    }
    let _ = writeln!(
        out,
        "{name:<22} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        p.count,
        us(p.p50),
        us(p.p90),
        us(p.p95),
        us(p.p99),
        us(p.p999),
        us(p.max)
    );
}

fn render_operations(out: &mut String, result: &RunResult, load: &LoadSection) {
    header(out, "latency");
    let mut queued = false;
    for (name, op) in OPERATIONS {
        let service = operation(&result.latency.operations, op).percentiles();
        // A run without `summary:` checks has no summary row at all.
        if op == OperationName::Summary && service.count == 0 {
            continue;
        }
        let intended = operation(&load.intended, op).percentiles();
        // Only the open model has intended starts that can differ from the actual sends.
        queued |= Summary::from(service) != Summary::from(intended);
        row(out, name, &service);
    }
    if queued {
        header(out, "from intended start");
        for (name, op) in OPERATIONS {
            if op == OperationName::Summary {
                continue;
            }
            row(out, name, &operation(&load.intended, op).percentiles());
        }
    }
}

fn render_turn_indexes(out: &mut String, result: &RunResult) {
    let by_index = by_turn_index(&result.latency.turns);
    let answered =
        |h: &Option<crate::metrics::LatencyHistogram>| h.as_ref().is_some_and(|h| h.count() > 0);
    // Nothing answered: the latency table above already says "no samples".
    if !by_index.iter().any(answered) {
        return;
    }
    header(out, "per turn");
    for (turn, histogram) in by_index.iter().enumerate() {
        let Some(histogram) = histogram.as_ref().filter(|h| h.count() > 0) else {
            continue;
        };
        let name = if turn == 0 {
            "turn 0 (create)".to_string()
        } else {
            format!("turn {turn}")
        };
        row(out, &name, &histogram.percentiles());
    }
}

fn render_problems(out: &mut String, result: &RunResult, load: &LoadSection) {
    let c = &result.counters;
    if c.retries > 0 {
        let _ = writeln!(
            out,
            "\nretries: {} (taking {} in all, counted in the latency of their requests)",
            c.retries,
            us(c.retry_time_us)
        );
    }
    if !c.errors_by_class.is_empty() {
        // In the taxonomy's order (timeouts first), as the counters were kept.
        let mut classes: Vec<(Option<ErrorClass>, &String, &u64)> = c
            .errors_by_class
            .iter()
            .map(|(name, n)| (name.parse().ok(), name, n))
            .collect();
        classes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let classes: Vec<String> = classes
            .iter()
            .map(|(_, name, n)| format!("{} {n}", sanitize(name)))
            .collect();
        let _ = writeln!(out, "\nerrors by class: {}", classes.join(", "));
    }
    if load.late > 0 || load.dropped > 0 {
        let lag = &load.start_lag;
        let lag = match lag.count {
            0 => "start lag: no samples".to_string(),
            _ => format!(
                "start lag p50 {}, p99 {}, max {}",
                us(lag.p50_us),
                us(lag.p99_us),
                us(lag.max_us)
            ),
        };
        let _ = writeln!(
            out,
            "\nlate sessions: {} ({lag}) · dropped: {}",
            load.late, load.dropped
        );
    }
}

fn render_conversations(out: &mut String, load: &LoadSection) {
    let names: Vec<String> = load
        .per_conversation
        .iter()
        .map(|c| format!("{} › {}", sanitize(&c.suite), sanitize(&c.conversation)))
        .collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = writeln!(
        out,
        "\n{:<width$} {:>8} {:>10}",
        "conversation", "runs", "pass rate"
    );
    for (stats, name) in load.per_conversation.iter().zip(&names) {
        let rate = match stats.runs {
            0 => "-".to_string(),
            runs => format!("{:.1}%", stats.passed as f64 / runs as f64 * 100.0),
        };
        let _ = writeln!(out, "{name:<width$} {:>8} {rate:>10}", stats.runs);
    }
}
