//! The suites' `summary:` checks in the text reports: a block of the terminal summary,
//! a section of `summary.md`, and a `<testsuite name="summary">` of `junit.xml` (one
//! testcase per suite: a `<failure>` for an expectation that did not hold, an `<error>`
//! when the call failed).
//!
//! Only reads a [`RunResult`]. The summary and error texts come from the API, so each
//! format escapes them (terminal control characters, Markdown, XML).

use crate::common::format::format_duration;
use crate::report::cells::{md_escape, ms, visible, xml_attr, xml_text};
use crate::report::result::{FormSummaryRecord, RunResult, VerdictName};
use std::fmt::Write;
use std::time::Duration;

/// `summary: contact ✓ 12.3 ms "Contact us form collecting: ..."`, and under a check
/// that did not pass, why.
pub fn console(out: &mut String, result: &RunResult) {
    if result.form_summaries.is_empty() {
        return;
    }
    out.push_str("\nform summaries (Generate Form Summary)\n");
    for check in &result.form_summaries {
        let mark = match check.verdict {
            VerdictName::Passed => "✓",
            VerdictName::Failed => "✗",
            VerdictName::Errored => "!",
        };
        let _ = writeln!(
            out,
            "  {mark} {} ({}:{})  {}",
            visible(&check.suite),
            visible(&check.suite_file),
            check.line,
            format_duration(Duration::from_micros(check.latency_us))
        );
        if let Some(summary) = &check.summary {
            let _ = writeln!(out, "      summary: {:?}", visible(summary));
        }
        for line in why(check) {
            let _ = writeln!(out, "      {}", visible(&line));
        }
    }
}

/// One line per failed expectation or error, in plain words.
fn why(check: &FormSummaryRecord) -> Vec<String> {
    let mut lines: Vec<String> = check
        .failures
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {}: expected {}, got {}",
                f.file, f.line, f.column, f.subject, f.expected, f.actual
            )
        })
        .collect();
    if let Some(error) = &check.error {
        lines.push(format!("error {}: {}", error.class, error.message));
    }
    lines
}

/// `## Form summaries`: one row per suite.
pub fn markdown(out: &mut String, result: &RunResult) {
    if result.form_summaries.is_empty() {
        return;
    }
    out.push_str("\n### Form summaries\n\n| suite | verdict | latency (ms) | summary | why |\n|---|---|---|---|---|\n");
    for check in &result.form_summaries {
        let summary = check.summary.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md_escape(&check.suite),
            check.verdict.as_str(),
            ms(check.latency_us),
            md_escape(summary),
            md_escape(&why(check).join("; "))
        );
    }
}

/// Testcases, failures and errors of the summary suite, for the `<testsuites>` totals.
pub fn junit_counts(result: &RunResult) -> (u64, u64, u64) {
    let count = |v: VerdictName| {
        let checks = result.form_summaries.iter();
        checks.filter(|c| c.verdict == v).count() as u64
    };
    (
        result.form_summaries.len() as u64,
        count(VerdictName::Failed),
        count(VerdictName::Errored),
    )
}

/// `<testsuite name="summary">`, or nothing without checks.
pub fn junit(out: &mut String, result: &RunResult) {
    let (tests, failed, errored) = junit_counts(result);
    if tests == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "  <testsuite name=\"summary\" tests=\"{tests}\" failures=\"{failed}\" errors=\"{errored}\" skipped=\"0\" time=\"0.000\" timestamp=\"{}\">",
        xml_attr(&result.started_at),
    );
    for check in &result.form_summaries {
        let _ = write!(
            out,
            "    <testcase name=\"summary\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.3}\"",
            xml_attr(&check.suite),
            xml_attr(&check.suite_file),
            check.line,
            check.latency_us as f64 / 1e6
        );
        let element = match check.verdict {
            VerdictName::Passed => {
                out.push_str("/>\n");
                continue;
            }
            VerdictName::Failed => "failure",
            VerdictName::Errored => "error",
        };
        let lines = why(check);
        let first = lines.first().cloned().unwrap_or_default();
        let _ = writeln!(
            out,
            ">\n      <{element} message=\"{}\" type=\"summary\">{}</{element}>\n    </testcase>",
            xml_attr(&first),
            xml_text(&format!("{}\n", lines.join("\n")))
        );
    }
    out.push_str("  </testsuite>\n");
}
