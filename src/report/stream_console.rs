//! The streaming tables of both terminal summaries (functional and load runs): per
//! operation and per turn index (every conversation's turn N merged, 0 = the create),
//! time to first chunk, gaps between chunks and time to END_OF_RESPONSE, then the
//! messages per streamed response. Renders [`StreamHistograms`]; measures nothing.

use crate::common::format::format_duration;
use crate::metrics::{ChunkCounts, Percentiles, StreamHistograms};
use std::fmt::Write;
use std::time::Duration;

/// Renders both tables; nothing when no streamed response was recorded.
pub(crate) fn render(
    out: &mut String,
    operations: &[(&str, &StreamHistograms)],
    turns: &[Option<StreamHistograms>],
) {
    if operations.iter().all(|(_, s)| s.is_empty()) {
        return;
    }
    header(out, "streaming");
    for (name, stream) in operations.iter().filter(|(_, s)| !s.is_empty()) {
        rows(out, name, stream);
    }
    header(out, "streaming per turn");
    for (turn, stream) in turns.iter().enumerate() {
        if let Some(stream) = stream.as_ref().filter(|s| !s.is_empty()) {
            rows(out, &format!("turn {turn}"), stream);
        }
    }
    let mut counts: Vec<String> = operations
        .iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(name, s)| format!("{name} {}", chunk_text(&s.chunks)))
        .collect();
    counts.extend(turns.iter().enumerate().filter_map(|(turn, s)| {
        let s = s.as_ref().filter(|s| !s.is_empty())?;
        Some(format!("turn {turn} {}", chunk_text(&s.chunks)))
    }));
    let _ = writeln!(
        out,
        "chunks per response (END_OF_RESPONSE included): {}",
        counts.join(" · ")
    );
}

/// `3.5 (3–4)`: the mean, then the fewest and most when they differ.
fn chunk_text(c: &ChunkCounts) -> String {
    if c.min == c.max {
        format!("{:.1}", c.mean())
    } else {
        format!("{:.1} ({}–{})", c.mean(), c.min, c.max)
    }
}

const NAME_WIDTH: usize = 24;

fn header(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        "\n{title:<NAME_WIDTH$} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "count", "p50", "p90", "p95", "p99", "max"
    );
}

fn rows(out: &mut String, name: &str, stream: &StreamHistograms) {
    row(
        out,
        &format!("{name} first chunk"),
        &stream.ttfc.percentiles(),
    );
    row(
        out,
        &format!("{name} chunk gaps"),
        &stream.gaps.percentiles(),
    );
    row(
        out,
        &format!("{name} end of response"),
        &stream.end.percentiles(),
    );
}

fn row(out: &mut String, name: &str, p: &Percentiles) {
    percentile_row(out, name, (NAME_WIDTH, 7), p);
}

/// `name count p50 p90 p95 p99 max`, durations in the summary's units; `widths` are the
/// name and count columns of the table it belongs to.
pub(crate) fn percentile_row(
    out: &mut String,
    name: &str,
    widths: (usize, usize),
    p: &Percentiles,
) {
    let (name_width, count_width) = widths;
    if p.count == 0 {
        no_samples_row(out, name, widths);
        return;
    }
    let us = |v: u64| format_duration(Duration::from_micros(v));
    let _ = writeln!(
        out,
        "{name:<name_width$} {:>count_width$} {:>9} {:>9} {:>9} {:>9} {:>9}",
        p.count,
        us(p.p50),
        us(p.p90),
        us(p.p95),
        us(p.p99),
        us(p.max)
    );
}

/// A row without samples (a response of one message has no gap, a cut stream no end, a
/// run whose creates all failed has no create latency): say so, rather than `0µs`.
pub(crate) fn no_samples_row(out: &mut String, name: &str, widths: (usize, usize)) {
    let (name_width, count_width) = widths;
    let _ = writeln!(out, "{name:<name_width$} {:>count_width$}  no samples", 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::StreamSample;

    fn streamed(ttfc_ms: u64, gap_ms: u64, messages: u64) -> StreamHistograms {
        let mut h = StreamHistograms::new(Duration::from_secs(30));
        let arrivals: Vec<Duration> = (0..messages)
            .map(|i| Duration::from_millis(ttfc_ms + i * gap_ms))
            .collect();
        h.record(&StreamSample {
            arrivals: &arrivals,
            end: arrivals.last().copied(),
        });
        h
    }

    /// Turn indexes merge over conversations; the tables name each turn and its figures.
    #[test]
    fn renders_operations_turn_indexes_and_chunk_counts() {
        let (a, b, c) = (streamed(50, 10, 3), streamed(80, 20, 4), streamed(90, 5, 5));
        let mut turn1 = b.clone();
        turn1.merge(&c);
        let turns = vec![Some(a.clone()), Some(turn1.clone())];
        assert_eq!((turn1.ttfc.count(), turn1.gaps.count()), (2, 7));
        let mut out = String::new();
        render(&mut out, &[("create", &a), ("send", &b)], &turns);
        for line in [
            "create first chunk",
            "send chunk gaps",
            "turn 0 end of response",
            "turn 1 first chunk",
            "turn 1 4.5 (4–5)",
            "create 3.0",
        ] {
            assert!(out.contains(line), "{line} in\n{out}");
        }
        // One message per response: no gaps, and a row that says so.
        let single = streamed(40, 0, 1);
        let mut out = String::new();
        render(&mut out, &[("send", &single)], &[]);
        assert!(out.contains("send chunk gaps"), "{out}");
        let gaps = out.lines().find(|l| l.starts_with("send chunk gaps"));
        assert!(gaps.is_some_and(|l| l.ends_with(" 0  no samples")), "{out}");
        let empty = StreamHistograms::new(Duration::from_secs(1));
        let mut none = String::new();
        render(&mut none, &[("create", &empty)], &[]);
        assert!(none.is_empty(), "{none}");
    }
}
