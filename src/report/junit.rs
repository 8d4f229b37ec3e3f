//! `junit.xml`: a `<testsuite>` per suite file, a `<testcase>` per conversation; failed
//! expectations are `<failure>`, transport/HTTP errors `<error>` (hurl keeps them apart
//! too), and a failed conversation's transcript goes to `<system-out>`.
//!
//! With `repeat:`, a testcase per run (`name [run i/N]`); a failed run of a conversation
//! that still met its `min_pass_rate` is a `<flakyFailure>` (Maven Surefire's element for
//! a flaky test), not a `<failure>`, so the totals agree with the exit code.
//!
//! Persona runs are testcases too, named and explained by [`crate::report::junit_persona`].
//!
//! A run that was interrupted, or whose load was not delivered, ends with the run suite
//! of [`crate::report::junit_run`].
//!
//! Only reads a [`RunResult`]. All text is escaped for XML 1.0, so API text stays data.

use crate::report::cells::{seconds, xml_attr as esc, xml_text};
use crate::report::junit_persona;
use crate::report::result::{
    ConversationRecord, ConversationStats, FailureRecord, RunResult, VerdictName,
};
use std::fmt::Write;

/// Renders `junit.xml`.
pub fn junit_xml(result: &RunResult) -> String {
    let (cases, failed, errored) = case_counts(result);
    let (run_cases, run_failed, run_errored) = crate::report::junit_run::counts(result);
    let (summary_cases, summary_failed, summary_errored) =
        crate::report::form_summary_text::junit_counts(result);
    let thresholds_failed = result.thresholds.iter().filter(|t| !t.passed).count() as u64;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"convoy {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">",
        esc(&result.name),
        cases + result.thresholds.len() as u64 + run_cases + summary_cases,
        failed + thresholds_failed + run_failed + summary_failed,
        errored + run_errored + summary_errored,
        seconds(result.elapsed_us),
    );
    match &result.load {
        Some(load) => load_suites(&mut out, result, &load.per_conversation),
        None => {
            for (file, conversations) in by_suite_file(&result.conversations) {
                suite(&mut out, result, file, &conversations);
            }
        }
    }
    crate::report::form_summary_text::junit(&mut out, result);
    thresholds(&mut out, result, thresholds_failed);
    crate::report::junit_run::run_suite(&mut out, result);
    out.push_str("</testsuites>\n");
    out
}

/// Testcases, failed ones and errored ones: a conversation each in a functional run, and
/// in a load run too (a conversation fails when any of its iterations failed).
fn case_counts(result: &RunResult) -> (u64, u64, u64) {
    match &result.load {
        Some(load) => {
            let stats = &load.per_conversation;
            let failed = stats
                .iter()
                .filter(|s| s.failed > 0 && s.errored == 0)
                .count();
            let errored = stats.iter().filter(|s| s.errored > 0).count();
            (stats.len() as u64, failed as u64, errored as u64)
        }
        None => {
            let count = |v: VerdictName| {
                let runs = result.conversations.iter();
                runs.filter(|c| effective(result, c) == v).count() as u64
            };
            let cases = result.conversations.len() as u64;
            (
                cases,
                count(VerdictName::Failed),
                count(VerdictName::Errored),
            )
        }
    }
}

/// A run that did not pass, of a repeated conversation whose pass rate still met its
/// `min_pass_rate`: reported as flaky, not failed.
fn tolerated(result: &RunResult, c: &ConversationRecord) -> bool {
    c.repeat > 1
        && c.verdict != VerdictName::Passed
        && result.pass_rates.iter().any(|p| {
            p.suite == c.suite
                && p.conversation == c.conversation
                && p.verdict == VerdictName::Passed
        })
}

/// The verdict a run counts with in the totals.
fn effective(result: &RunResult, c: &ConversationRecord) -> VerdictName {
    if tolerated(result, c) {
        VerdictName::Passed
    } else {
        c.verdict
    }
}

/// A load run: a testcase per conversation over all its iterations; a failing one shows
/// the counts and its first failed iteration in full.
fn load_suites(out: &mut String, result: &RunResult, stats: &[ConversationStats]) {
    let mut files: Vec<&str> = Vec::new();
    for s in stats {
        if !files.contains(&s.suite_file.as_str()) {
            files.push(&s.suite_file);
        }
    }
    for file in files {
        let cases: Vec<&ConversationStats> =
            stats.iter().filter(|s| s.suite_file == file).collect();
        let name = cases.first().map_or(file, |s| s.suite.as_str());
        let failed = cases
            .iter()
            .filter(|s| s.failed > 0 && s.errored == 0)
            .count();
        let errored = cases.iter().filter(|s| s.errored > 0).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"{errored}\" skipped=\"0\" time=\"{}\" timestamp=\"{}\">",
            esc(name),
            esc(file),
            cases.len(),
            seconds(result.elapsed_us),
            esc(&result.started_at),
        );
        for case in cases {
            let sample = result
                .conversations
                .iter()
                .find(|c| c.suite_file == case.suite_file && c.conversation == case.conversation);
            if let Some(stats) = junit_persona::stats_of(result, case) {
                junit_persona::load_case(out, case, stats, sample);
                continue;
            }
            match sample {
                Some(sample) if case.failed + case.errored > 0 => testcase(out, sample, false),
                // The mix never picked it (a short run, a small weight): not a pass.
                _ if case.runs == 0 => {
                    let _ = writeln!(
                        out,
                        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0.000\">\n      <skipped message=\"not run by the load mix\"/>\n    </testcase>",
                        esc(&case.conversation),
                        esc(&case.suite),
                        esc(&case.suite_file),
                        case.line,
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0.000\"/>",
                        esc(&case.conversation),
                        esc(&case.suite),
                        esc(&case.suite_file),
                        case.line,
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
}

/// Groups conversations by suite file, files in the order they first appear.
fn by_suite_file(conversations: &[ConversationRecord]) -> Vec<(&str, Vec<&ConversationRecord>)> {
    let mut groups: Vec<(&str, Vec<&ConversationRecord>)> = Vec::new();
    for conversation in conversations {
        let file = conversation.suite_file.as_str();
        match groups.iter_mut().find(|(f, _)| *f == file) {
            Some((_, group)) => group.push(conversation),
            None => groups.push((file, vec![conversation])),
        }
    }
    groups
}

fn suite(out: &mut String, result: &RunResult, file: &str, cases: &[&ConversationRecord]) {
    let count = |v: VerdictName| cases.iter().filter(|c| effective(result, c) == v).count();
    let time: u64 = cases.iter().map(|c| conversation_us(c)).sum();
    let name = cases.first().map(|c| c.suite.as_str()).unwrap_or(file);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\" timestamp=\"{}\">",
        esc(name),
        esc(file),
        cases.len(),
        count(VerdictName::Failed),
        count(VerdictName::Errored),
        seconds(time),
        esc(&result.started_at),
    );
    for case in cases {
        testcase(out, case, tolerated(result, case));
    }
    out.push_str("  </testsuite>\n");
}

/// `<testsuite name="thresholds">`: a testcase per threshold, a `<failure>` when it failed.
fn thresholds(out: &mut String, result: &RunResult, failed: u64) {
    if result.thresholds.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  <testsuite name=\"thresholds\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"0.000\" timestamp=\"{}\">",
        result.thresholds.len(),
        esc(&result.started_at),
    );
    for t in &result.thresholds {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"thresholds\" file=\"{}\" time=\"0.000\"",
            esc(&t.expression),
            esc(&t.source),
        );
        if t.passed {
            out.push_str("/>\n");
            continue;
        }
        let why = match (&t.reason, &t.observed) {
            (Some(reason), _) => reason.clone(),
            (None, Some(observed)) => format!("observed {observed}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            ">\n      <failure message=\"{}: {}\" type=\"threshold\">{}</failure>\n    </testcase>",
            esc(&t.expression),
            esc(&why),
            xml_text(&format!(
                "{} failed: {why}\nsource: {}\n",
                t.expression, t.source
            )),
        );
    }
    out.push_str("  </testsuite>\n");
}

fn conversation_us(c: &ConversationRecord) -> u64 {
    c.turns.iter().map(|t| t.latency_us).sum()
}

fn testcase(out: &mut String, c: &ConversationRecord, flaky: bool) {
    let name = match junit_persona::run_name(c) {
        Some(name) => name,
        None if c.repeat > 1 => format!("{} [run {}/{}]", c.conversation, c.iteration, c.repeat),
        None => c.conversation.clone(),
    };
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{}\"",
        esc(&name),
        esc(&c.suite),
        esc(&c.suite_file),
        c.line,
        seconds(conversation_us(c)),
    );
    if c.verdict == VerdictName::Passed {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    let failures: Vec<&FailureRecord> = c
        .turns
        .iter()
        .flat_map(|t| &t.failures)
        .chain(&c.final_failures)
        .collect();
    let failure_text: String = failures.iter().map(|f| failure_block(f)).collect();
    let error = c.turns.iter().find_map(|t| t.error.as_ref());
    match c
        .turns
        .iter()
        .find_map(|t| t.error.as_ref().map(|e| (t.turn, e)))
    {
        _ if flaky => {
            let kind = error.map_or("assertion", |e| e.class.as_str());
            let _ = writeln!(
                out,
                "      <flakyFailure message=\"run {} of {} did not pass{}; the conversation met its min_pass_rate\" type=\"{}\">{}</flakyFailure>",
                c.iteration,
                c.repeat,
                esc(&junit_persona::ending_note(c)),
                esc(kind),
                xml_text(&failure_text),
            );
        }
        Some((turn, error)) => {
            let message = junit_persona::error_message(c, turn, error)
                .unwrap_or_else(|| format!("turn {turn}: {}", error.message));
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"{}\">{}</error>",
                esc(&message),
                esc(&error.class),
                xml_text(&format!(
                    "turn {turn}: {}: {}\n{failure_text}",
                    error.class, error.message
                )),
            );
        }
        None => {
            let message = junit_persona::failure_message(c, &failures)
                .unwrap_or_else(|| format!("{} expectation(s) failed", failures.len()));
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"assertion\">{}</failure>",
                esc(&message),
                xml_text(&failure_text),
            );
        }
    }
    let _ = writeln!(
        out,
        "      <system-out>{}</system-out>",
        xml_text(&transcript(c))
    );
    out.push_str("    </testcase>\n");
}

pub(crate) fn failure_block(f: &FailureRecord) -> String {
    format!(
        "{}:{}:{} {}\n  expected: {}\n  actual:   {}\n",
        f.file, f.line, f.column, f.subject, f.expected, f.actual
    )
}

/// Why a transcript has no chunks: the run kept only a summary of it (so many failures
/// that keeping them all would have grown the run's memory without bound).
pub(crate) const SUMMARIZED_NOTE: &str = "(chunks not kept: a run keeps the first 1000 failed transcripts whole; chunk types are in turns.csv)";

/// What was said and received, turn by turn: enough to see why without re-running.
pub(crate) fn transcript(c: &ConversationRecord) -> String {
    let mut out = format!("session {}\n", c.session_id.as_deref().unwrap_or("(none)"));
    if c.summarized {
        out.push_str(SUMMARIZED_NOTE);
        out.push('\n');
    }
    for t in &c.turns {
        let status = t
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "turn {} {} status {status} {} ms request {}",
            t.turn,
            t.operation.as_str(),
            crate::report::cells::ms(t.latency_us),
            t.request_id.as_deref().unwrap_or("-"),
        );
        if let Some(user) = &t.user {
            let _ = writeln!(out, "  > {user}");
        }
        // A persona's message: why the simulated user said it.
        if let Some(reason) = &t.reason {
            let _ = writeln!(out, "    why: {reason}");
        }
        for chunk in &t.chunks {
            match &chunk.text {
                Some(text) => {
                    let _ = writeln!(out, "  < {}: {text}", chunk.kind);
                }
                None => {
                    let _ = writeln!(out, "  < {}", chunk.kind);
                }
            }
        }
        if let Some(error) = &t.error {
            let _ = writeln!(out, "  ! {}: {}", error.class, error.message);
        }
    }
    out
}
