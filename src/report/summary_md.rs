//! `summary.md`, written for `$GITHUB_STEP_SUMMARY`: the verdict line, counts, the personas
//! table (`persona_md`), a table of key percentiles (with the streaming figures of a streamed run, per operation and per
//! turn index), every failed conversation with `file:line`, expected and actual, and the
//! run's configuration (folded).
//!
//! Only reads a [`RunResult`]. Everything from the API or a suite goes through
//! [`md_escape`](crate::report::cells::md_escape), so it renders as text: no HTML tag, link or table break can form.

use crate::report::cells::{md_escape as esc, ms, run_title, seconds};
use crate::report::result::{
    ConversationRecord, FailureRecord, LatencyKey, RunResult, Summary, VerdictName, by_turn_index,
    chunks_by_turn_index,
};
use std::fmt::Write;

/// Renders `summary.md`.
pub fn summary_md(result: &RunResult) -> String {
    let mut out = String::new();
    verdict_line(&mut out, result);
    counts(&mut out, result);
    thresholds(&mut out, result);
    crate::report::regress_text::markdown(&mut out, result);
    crate::report::persona_md::markdown(&mut out, result);
    latency(&mut out, result);
    load(&mut out, result);
    failures(&mut out, result);
    crate::report::form_summary_text::markdown(&mut out, result);
    configuration(&mut out, result);
    out
}

/// What the run was asked to do, folded away (it is for reproducing the run, not for
/// reading first): one row per setting that is set.
fn configuration(out: &mut String, r: &RunResult) {
    let entries = r.config.entries();
    if entries.is_empty() {
        return;
    }
    // An HTML block must start after a blank line, or it is read as part of a list.
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str("<details><summary>Configuration</summary>\n\n| setting | value |\n|---|---|\n");
    for (label, value) in entries {
        let _ = writeln!(out, "| {} | {} |", esc(label), esc(&value));
    }
    out.push_str("\n</details>\n");
}

/// Load runs: sessions that did not run normally, and the latency from intended starts
/// (the figure that queueing cannot hide).
fn load(out: &mut String, r: &RunResult) {
    let Some(load) = &r.load else {
        return;
    };
    // Which part of a sharded run this is: a reader of one shard's summary must not
    // take its counts for the whole run's.
    let shard = match &load.shard {
        Some(s) if s.merged => format!(" · merged from {} shards", s.count),
        Some(s) => format!(" · shard {}/{} only", s.index, s.count),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "Load: {} sessions started · {} late · {} dropped · {} aborted{shard}\n",
        load.sessions_started, load.late, load.dropped, load.sessions_aborted
    );
    let differs = load
        .intended
        .iter()
        .zip(&r.latency.operations)
        .any(|(intended, service)| intended.summary != service.summary);
    if !differs {
        return;
    }
    out.push_str("| from intended start | count | p50 ms | p95 ms | p99 ms | max ms |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    for record in &load.intended {
        if let LatencyKey::Operation { operation } = &record.key {
            let s = &record.summary;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                operation.as_str(),
                s.count,
                ms(s.p50_us),
                ms(s.p95_us),
                ms(s.p99_us),
                ms(s.max_us)
            );
        }
    }
    out.push('\n');
}

fn verdict_line(out: &mut String, r: &RunResult) {
    // An interrupted run is incomplete whatever finished: never a green tick.
    let mark = match r.verdict() {
        _ if r.interrupted && r.verdict() == VerdictName::Passed => "⏹️",
        VerdictName::Passed => "✅",
        VerdictName::Failed => "❌",
        VerdictName::Errored => "⚠️",
    };
    // The headline is convoy's own words, written as they are.
    let _ = writeln!(out, "## {mark} {} {}\n", esc(&run_title(r)), r.headline());
    let reasons = r.verdict_reasons();
    for reason in &reasons {
        // convoy's own sentences (numbers and flag names, no API or suite text), so their
        // `code` spans are kept as Markdown.
        let _ = writeln!(out, "- {reason}");
    }
    if !reasons.is_empty() {
        out.push('\n');
    }
    let target = if r.config.embedded_mock {
        "embedded mock".to_string()
    } else {
        format!("{} at {}", esc(&r.config.target), esc(&r.config.base_url))
    };
    let _ = writeln!(
        out,
        "Run {} · started {} · {} s · {target}\n",
        esc(&r.run_id),
        // Written by convoy itself (RFC 3339), not API text.
        r.started_at,
        seconds(r.elapsed_us),
    );
}

fn counts(out: &mut String, r: &RunResult) {
    let c = &r.counters;
    let errors: u64 = c.errors_by_class.values().sum();
    out.push_str("| conversations | passed | failed | errored | requests | request errors |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {errors} |\n",
        c.conversations, c.passed, c.failed, c.errored, c.requests
    );
    if !c.errors_by_class.is_empty() {
        let list: Vec<String> = c
            .errors_by_class
            .iter()
            .map(|(class, n)| format!("{} × {n}", esc(class)))
            .collect();
        let _ = writeln!(out, "Errors: {}\n", list.join(", "));
    }
}

fn thresholds(out: &mut String, r: &RunResult) {
    if r.thresholds.is_empty() {
        return;
    }
    out.push_str("| threshold | observed | result | source |\n|---|---:|---|---|\n");
    for t in &r.thresholds {
        let observed = t.reason.as_deref().or(t.observed.as_deref()).unwrap_or("");
        let verdict = if t.passed { "✅ passed" } else { "❌ failed" };
        let _ = writeln!(
            out,
            "| {} | {} | {verdict} | {} |",
            esc(&t.expression),
            esc(observed),
            esc(&t.source),
        );
    }
    out.push('\n');
}

fn latency(out: &mut String, r: &RunResult) {
    if r.latency.operations.is_empty() {
        return;
    }
    out.push_str("| operation | count | errors | p50 ms | p90 ms | p95 ms | p99 ms | max ms |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let l = &r.latency;
    let streaming = [
        (" ttfc", &l.ttfc),
        (" chunk gaps", &l.gaps),
        (" end of response", &l.eor),
    ];
    let streaming = streaming
        .into_iter()
        .flat_map(|(suffix, records)| records.iter().map(move |rec| (suffix, rec)));
    for (suffix, record) in l.operations.iter().map(|rec| ("", rec)).chain(streaming) {
        let LatencyKey::Operation { operation } = &record.key else {
            continue;
        };
        let s = &record.summary;
        let _ = writeln!(
            out,
            "| {}{suffix} | {} | {} | {} | {} | {} | {} | {} |",
            operation.as_str(),
            s.count,
            record.errors,
            ms(s.p50_us),
            ms(s.p90_us),
            ms(s.p95_us),
            ms(s.p99_us),
            ms(s.max_us),
        );
    }
    out.push('\n');
    streaming_by_turn(out, r);
}

/// Streamed runs: the streaming figures of every conversation's turn N together.
fn streaming_by_turn(out: &mut String, r: &RunResult) {
    let l = &r.latency;
    if l.ttfc_turns.is_empty() {
        return;
    }
    let merged = (
        by_turn_index(&l.ttfc_turns),
        by_turn_index(&l.gap_turns),
        by_turn_index(&l.eor_turns),
    );
    let (Ok(ttfc), Ok(gaps), Ok(eor)) = merged else {
        out.push_str("Streaming per turn: a histogram in run.json cannot be decoded.\n\n");
        return;
    };
    let chunks = chunks_by_turn_index(&l.chunks);
    out.push_str(
        "| turn | streamed | first chunk p50 ms | first chunk p95 ms | gap p50 ms | gap p95 ms | end of response p95 ms | chunks per response |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (turn, first) in &ttfc {
        let first = Summary::of(first);
        let gap = gaps.get(turn).map(Summary::of).unwrap_or_default();
        let end = eor.get(turn).map(Summary::of).unwrap_or_default();
        // A figure without samples (one-message responses have no gap) is left blank.
        let cell = |s: &Summary, us: u64| if s.count == 0 { String::new() } else { ms(us) };
        let per_response = chunks
            .get(turn)
            .map_or(String::new(), |c| format!("{:.1}", c.mean()));
        let _ = writeln!(
            out,
            "| {turn} | {} | {} | {} | {} | {} | {} | {per_response} |",
            first.count,
            cell(&first, first.p50_us),
            cell(&first, first.p95_us),
            cell(&gap, gap.p50_us),
            cell(&gap, gap.p95_us),
            cell(&end, end.p95_us),
        );
    }
    out.push('\n');
}

fn failures(out: &mut String, r: &RunResult) {
    let bad: Vec<&ConversationRecord> = r
        .conversations
        .iter()
        .filter(|c| c.verdict != VerdictName::Passed)
        .collect();
    if bad.is_empty() {
        return;
    }
    out.push_str("### Failed conversations\n\n");
    for c in bad {
        let run = if c.repeat > 1 {
            format!(" (run {}/{})", c.iteration, c.repeat)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- **{} / {}**{run} {} at {}:{}",
            esc(&c.suite),
            esc(&c.conversation),
            c.verdict.as_str(),
            esc(&c.suite_file),
            c.line,
        );
        for t in &c.turns {
            if let Some(e) = &t.error {
                let _ = writeln!(
                    out,
                    "  - turn {}: {}: {}",
                    t.turn,
                    esc(&e.class),
                    esc(&e.message)
                );
            }
        }
        let all = c
            .turns
            .iter()
            .flat_map(|t| &t.failures)
            .chain(&c.final_failures);
        for f in all {
            failure(out, f);
        }
    }
}

fn failure(out: &mut String, f: &FailureRecord) {
    let _ = writeln!(
        out,
        "  - {}:{} {}: expected {}, actual {}",
        esc(&f.file),
        f.line,
        esc(&f.subject),
        esc(&f.expected),
        esc(&f.actual),
    );
}
