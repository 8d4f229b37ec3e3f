//! Pass rates and the extraction scorecard as text: Markdown tables for `summary.md` and
//! plain tables for the terminal. Only reads a [`RunResult`]; names from suites and the
//! API are escaped for Markdown or stripped of control characters for the terminal.

use crate::report::cells::{md_escape, pass_rate_text, percent};
use crate::report::console::sanitize;
use crate::report::result::{PassRate, RunResult};
use std::fmt::Write;

/// Whether the pass-rate table is worth showing: some conversation ran more than once.
fn repeated(r: &RunResult) -> bool {
    r.pass_rates.iter().any(|p| p.runs > 1)
}

fn verdict_word(p: &PassRate) -> String {
    let flaky = if p.flaky { ", flaky" } else { "" };
    format!("{}{flaky}", p.verdict.as_str())
}

/// `summary.md`: a pass-rate table (with repeats) and the overall scorecard.
pub fn markdown(out: &mut String, r: &RunResult) {
    if repeated(r) {
        out.push_str("| conversation | pass rate (95% interval) | required | verdict |\n");
        out.push_str("|---|---|---:|---|\n");
        for p in &r.pass_rates {
            let _ = writeln!(
                out,
                "| {} / {} | {} | {} | {} |",
                md_escape(&p.suite),
                md_escape(&p.conversation),
                pass_rate_text(p),
                percent(Some(p.min_pass_rate)),
                verdict_word(p),
            );
        }
        out.push('\n');
    }
    if !r.scorecard.is_empty() {
        out.push_str(
            "| field | expected | correct | wrong | missed | unexpected | precision | recall |\n",
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for f in &r.scorecard.overall {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md_escape(&f.field),
                f.expected,
                f.correct,
                f.wrong,
                f.missed,
                f.unexpected,
                percent(f.precision),
                percent(f.recall),
            );
        }
        out.push('\n');
    }
}

/// The terminal: pass rates (with repeats) and the overall scorecard.
pub fn console(r: &RunResult) -> String {
    let mut out = String::new();
    if repeated(r) {
        out.push_str("\npass rates (95% Wilson interval):\n");
        for p in &r.pass_rates {
            let _ = writeln!(
                out,
                "  {} / {}: {}, required {} -> {}",
                sanitize(&p.suite),
                sanitize(&p.conversation),
                pass_rate_text(p),
                percent(Some(p.min_pass_rate)),
                verdict_word(p),
            );
            for f in p.fields.iter().filter(|f| f.correct < f.expected) {
                let rate = f.correct as f64 / f.expected as f64;
                let _ = writeln!(
                    out,
                    "      field {}: {}/{} {}",
                    sanitize(&f.field),
                    f.correct,
                    f.expected,
                    percent(Some(rate)),
                );
            }
        }
    }
    if !r.scorecard.is_empty() {
        // Two spaces between columns: a header as wide as its column still stands apart.
        let _ = writeln!(
            out,
            "\nextraction scorecard:\n  {:<24}  {:>8}  {:>7}  {:>5}  {:>6}  {:>10}  {:>9}  {:>6}",
            "field", "expected", "correct", "wrong", "missed", "unexpected", "precision", "recall"
        );
        for f in &r.scorecard.overall {
            let _ = writeln!(
                out,
                "  {:<24}  {:>8}  {:>7}  {:>5}  {:>6}  {:>10}  {:>9}  {:>6}",
                sanitize(&f.field),
                f.expected,
                f.correct,
                f.wrong,
                f.missed,
                f.unexpected,
                percent(f.precision),
                percent(f.recall),
            );
        }
    }
    out
}
