//! The terminal summary of a load run: sessions and their pass rate, throughput, latency
//! tables per operation (service time, and from the intended start for the open model),
//! streaming figures per operation and per turn index, latency per turn index, errors by class, late and dropped sessions, pass
//! rate per conversation, and a few sample failures.

use crate::common::format::format_duration;
use crate::metrics::{LatencyHistogram, Percentiles, StreamHistograms};
use crate::report::console::sanitize;
use crate::report::stream_console;
use crate::runner::RunOutcome as LoadOutcome;
use crate::runner::plan::Plan;
use std::fmt::Write;
use std::time::Duration;

/// Renders the summary of `outcome`, a load run of `plan`.
pub fn render(outcome: &LoadOutcome, plan: &Plan) -> String {
    let mut out = String::new();
    render_headline(&mut out, outcome);
    render_operations(&mut out, outcome);
    render_turn_indexes(&mut out, outcome);
    render_streaming(&mut out, outcome);
    render_problems(&mut out, outcome);
    render_conversations(&mut out, outcome, plan);
    let mut seen = std::collections::HashSet::new();
    let samples: Vec<_> = outcome
        .results
        .iter()
        .filter(|r| seen.insert((r.suite.clone(), r.conversation.clone())))
        .cloned()
        .collect();
    if !samples.is_empty() {
        out.push_str("\nSample failures (first of each conversation)");
        crate::report::console::render_failures(&mut out, &samples);
    }
    out
}

fn render_headline(out: &mut String, outcome: &LoadOutcome) {
    let c = &outcome.metrics.counters;
    let seconds = outcome.elapsed.as_secs_f64().max(f64::MIN_POSITIVE);
    let completed = c.sessions_completed();
    let pass_rate = match completed {
        0 => "-".to_string(),
        n => format!("{:.2}%", 100.0 * c.sessions_passed as f64 / n as f64),
    };
    let _ = writeln!(
        out,
        "\n{} sessions in {}: {} passed, {} failed, {} errored, {} aborted · pass rate {pass_rate}",
        c.sessions_started,
        format_duration(outcome.elapsed),
        c.sessions_passed,
        c.sessions_failed,
        c.sessions_errored,
        c.sessions_aborted,
    );
    let _ = writeln!(
        out,
        "throughput: {:.1} sessions/s · {:.1} requests/s · {} requests, {} errors",
        completed as f64 / seconds,
        c.requests as f64 / seconds,
        c.requests,
        c.request_errors,
    );
    let warmup = outcome.load.as_ref().map(|l| l.warmup).unwrap_or_default();
    if !warmup.is_zero() {
        let _ = writeln!(
            out,
            "warm-up: the first {} are left out of the latency figures",
            format_duration(warmup)
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
    let us = |v: u64| format_duration(Duration::from_micros(v));
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

fn render_operations(out: &mut String, outcome: &LoadOutcome) {
    let ops = &outcome.metrics.operations;
    let names = ["create", "send"];
    header(out, "latency");
    for (name, op) in names.iter().zip(ops) {
        row(out, name, &op.service.percentiles());
    }
    // Only the open model has intended starts that can differ from the actual sends.
    let queued = ops
        .iter()
        .any(|op| op.intended.percentiles() != op.service.percentiles());
    if queued {
        header(out, "from intended start");
        for (name, op) in names.iter().zip(ops) {
            row(out, name, &op.intended.percentiles());
        }
    }
}

/// Time to first chunk, gaps and time to END_OF_RESPONSE, per operation and turn index.
fn render_streaming(out: &mut String, outcome: &LoadOutcome) {
    let ops = &outcome.metrics.operations;
    let streams: Vec<(&str, &StreamHistograms)> = ["create", "send"]
        .into_iter()
        .zip(ops)
        .map(|(name, op)| (name, &op.stream))
        .collect();
    let by_key = outcome.metrics.turn_streams.iter().zip(&outcome.keys.keys);
    let turns = stream_console::by_turn_index(
        by_key.filter_map(|(stream, (_, turn))| Some((*turn, stream.as_ref()?))),
    );
    stream_console::render(out, &streams, &turns);
}

fn render_turn_indexes(out: &mut String, outcome: &LoadOutcome) {
    let mut by_index: Vec<Option<LatencyHistogram>> = Vec::new();
    for (histogram, (_, turn)) in outcome.metrics.turns.iter().zip(&outcome.keys.keys) {
        let Some(histogram) = histogram else { continue };
        if by_index.len() <= *turn {
            by_index.resize(turn + 1, None);
        }
        match &mut by_index[*turn] {
            Some(total) => total.merge(histogram),
            slot => *slot = Some(histogram.clone()),
        }
    }
    // Nothing answered: the latency table above already says "no samples".
    if by_index.iter().all(Option::is_none) {
        return;
    }
    header(out, "per turn");
    for (turn, histogram) in by_index.iter().enumerate() {
        if let Some(histogram) = histogram {
            let name = if turn == 0 {
                "turn 0 (create)".to_string()
            } else {
                format!("turn {turn}")
            };
            row(out, &name, &histogram.percentiles());
        }
    }
}

fn render_problems(out: &mut String, outcome: &LoadOutcome) {
    let c = &outcome.metrics.counters;
    if c.retries > 0 {
        let _ = writeln!(
            out,
            "\nretries: {} (taking {} in all, counted in the latency of their requests)",
            c.retries,
            format_duration(Duration::from_micros(c.retry_time_us))
        );
    }
    if !c.errors.is_empty() {
        let classes: Vec<String> = c
            .errors
            .iter()
            .map(|(class, n)| format!("{class} {n}"))
            .collect();
        let _ = writeln!(out, "\nerrors by class: {}", classes.join(", "));
    }
    if c.late > 0 || c.dropped > 0 {
        let lag = outcome.metrics.start_lag.percentiles();
        let us = |v: u64| format_duration(Duration::from_micros(v));
        let lag = match lag.count {
            0 => "start lag: no samples".to_string(),
            _ => format!(
                "start lag p50 {}, p99 {}, max {}",
                us(lag.p50),
                us(lag.p99),
                us(lag.max)
            ),
        };
        let _ = writeln!(
            out,
            "\nlate sessions: {} ({lag}) · dropped: {}",
            c.late, c.dropped
        );
    }
}

fn render_conversations(out: &mut String, outcome: &LoadOutcome, plan: &Plan) {
    let names: Vec<String> = plan
        .conversations
        .iter()
        .map(|planned| {
            let (suite, conversation) = (&planned.suite.name, &planned.conversation().name);
            format!("{} › {}", sanitize(suite), sanitize(conversation))
        })
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
    let tallies = outcome
        .load
        .as_ref()
        .map(|l| l.tallies.as_slice())
        .unwrap_or_default();
    for (tally, name) in tallies.iter().zip(&names) {
        let rate = tally
            .pass_rate()
            .map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
        let _ = writeln!(out, "{name:<width$} {:>8} {rate:>10}", tally.runs());
    }
}
