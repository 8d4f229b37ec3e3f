//! The run-level part of `junit.xml`: `<testsuite name="run">`, written only when the run
//! as a whole did not hold up, so that CI test views, which show only testcases, show it:
//! a failed `load delivered` testcase when dropped arrivals fail the run, an errored `run
//! completed` testcase when it was interrupted, and both facts as properties.
//!
//! Only reads a [`RunResult`]; the sentences are [`RunResult::verdict_reasons`]'.

use crate::report::cells::{xml_attr as esc, xml_text};
use crate::report::result::RunResult;
use std::fmt::Write;

/// Testcases, failures and errors of the run suite, for the `<testsuites>` totals.
pub fn counts(result: &RunResult) -> (u64, u64, u64) {
    let failed = u64::from(result.load_not_delivered().is_some());
    let errored = u64::from(result.interrupted);
    (failed + errored, failed, errored)
}

/// Writes `<testsuite name="run">`, or nothing for a run that completed and delivered.
pub fn run_suite(out: &mut String, result: &RunResult) {
    let (tests, failed, errored) = counts(result);
    if tests == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "  <testsuite name=\"run\" tests=\"{tests}\" failures=\"{failed}\" errors=\"{errored}\" skipped=\"0\" time=\"0.000\" timestamp=\"{}\">",
        esc(&result.started_at),
    );
    out.push_str("    <properties>\n");
    let _ = writeln!(
        out,
        "      <property name=\"verdict\" value=\"{}\"/>",
        esc(&result.headline())
    );
    let _ = writeln!(
        out,
        "      <property name=\"interrupted\" value=\"{}\"/>",
        result.interrupted
    );
    if let Some(load) = &result.load {
        let _ = writeln!(
            out,
            "      <property name=\"dropped\" value=\"{}\"/>",
            load.dropped
        );
    }
    out.push_str("    </properties>\n");
    if let Some(reason) = result.not_delivered_reason() {
        case(out, "load delivered", "failure", "dropped", &reason);
    }
    if let Some(reason) = result.interrupted_reason() {
        case(out, "run completed", "error", "interrupted", &reason);
    }
    out.push_str("  </testsuite>\n");
}

fn case(out: &mut String, name: &str, element: &str, kind: &str, message: &str) {
    let _ = writeln!(
        out,
        "    <testcase name=\"{name}\" classname=\"run\" time=\"0.000\">\n      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>\n    </testcase>",
        esc(message),
        xml_text(&format!("{message}\n")),
    );
}
