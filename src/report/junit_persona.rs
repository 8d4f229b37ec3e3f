//! Persona runs in `junit.xml`. A functional run's persona run is a testcase like any
//! conversation run, named `persona: NAME [run i/N]` so a CI view tells it from a
//! scripted conversation and from the persona's other runs; a failed one's message says
//! how the run ended (stuck, over budget, errored) and which expectations failed. In a
//! load run a testcase per persona (as per conversation) carries its success figures:
//! runs, success with its 95% interval, endings, re-asks, turns to completion.
//!
//! Only reads a [`RunResult`]; the testcase element itself, the failure blocks and the
//! transcript are `junit`'s, so persona and scripted testcases stay alike.

use crate::report::cells::{percent, xml_attr as esc, xml_text};
use crate::report::junit::{failure_block, transcript};
use crate::report::result::{
    ConversationRecord, ConversationStats, ErrorRecord, FailureRecord, PersonaStats, RunResult,
};
use std::fmt::Write;

/// Failed expectations named in a failure message; the rest are in the element's text.
const NAMED: usize = 5;

/// `persona: NAME [run i/N]` for a persona run; `None` for a scripted conversation.
pub(crate) fn run_name(c: &ConversationRecord) -> Option<String> {
    c.persona.as_ref()?;
    Some(format!(
        "persona: {} [run {}/{}]",
        c.conversation, c.iteration, c.repeat
    ))
}

/// A failed persona run's `<failure>` message: `persona run ended stuck; 2 expectation(s)
/// failed: persona.submitted, persona.turns`.
pub(crate) fn failure_message(
    c: &ConversationRecord,
    failures: &[&FailureRecord],
) -> Option<String> {
    let persona = c.persona.as_ref()?;
    let mut subjects: Vec<&str> = failures
        .iter()
        .take(NAMED)
        .map(|f| f.subject.as_str())
        .collect();
    if failures.len() > NAMED {
        subjects.push("…");
    }
    Some(format!(
        "persona run ended {}; {} expectation(s) failed: {}",
        persona.ending,
        failures.len(),
        subjects.join(", ")
    ))
}

/// An errored persona run's `<error>` message: `persona run errored at turn 3: …`.
pub(crate) fn error_message(
    c: &ConversationRecord,
    turn: usize,
    e: &ErrorRecord,
) -> Option<String> {
    c.persona.as_ref()?;
    Some(format!("persona run errored at turn {turn}: {}", e.message))
}

/// How a persona run ended, for the flaky message: ` (ended stuck)`; empty otherwise.
pub(crate) fn ending_note(c: &ConversationRecord) -> String {
    c.persona
        .as_ref()
        .map_or(String::new(), |p| format!(" (ended {})", p.ending))
}

/// The persona figures of a load run's conversation, when it is a persona.
pub(crate) fn stats_of<'a>(r: &'a RunResult, case: &ConversationStats) -> Option<&'a PersonaStats> {
    r.personas.as_ref()?.personas.iter().find(|p| {
        (p.suite_file.as_str(), p.line, p.persona.as_str())
            == (
                case.suite_file.as_str(),
                case.line,
                case.conversation.as_str(),
            )
    })
}

/// `4 of 6 runs succeeded: 66.7% [30.0%, 90.3%]; ended: 5 submitted, 1 stuck, 0 over
/// budget, 0 errored; 1 re-ask(s); turns to completion p50 4, p90 5, max 6`.
pub(crate) fn figures(s: &PersonaStats) -> String {
    let c = &s.counts;
    let [low, high] = s.success_interval;
    let mut text = format!(
        "{} of {} runs succeeded: {} [{}, {}]; ended: {} submitted, {} stuck, {} over budget, {} errored; {} re-ask(s)",
        c.succeeded,
        c.runs,
        percent(Some(s.success_rate)),
        percent(Some(low)),
        percent(Some(high)),
        c.submitted,
        c.stuck,
        c.over_budget,
        c.errored,
        c.re_asks,
    );
    let t = &s.turns;
    if t.count > 0 {
        let _ = write!(
            text,
            "; turns to completion p50 {}, p90 {}, max {}",
            t.p50, t.p90, t.max
        );
    }
    text
}

/// A load run's testcase of one persona over all its iterations: `<error>` when an
/// iteration errored, `<failure>` when one failed (the totals count them so), with the
/// figures as the message and the first kept sample's failures and transcript; a
/// `<skipped>` when the mix never picked it; else a pass that still shows its figures.
pub(crate) fn load_case(
    out: &mut String,
    case: &ConversationStats,
    stats: &PersonaStats,
    sample: Option<&ConversationRecord>,
) {
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0.000\">",
        esc(&format!("persona: {}", case.conversation)),
        esc(&case.suite),
        esc(&case.suite_file),
        case.line,
    );
    let summary = figures(stats);
    let element = match () {
        _ if case.runs == 0 => {
            out.push_str("      <skipped message=\"not run by the load mix\"/>\n    </testcase>\n");
            return;
        }
        _ if case.errored > 0 => Some(("error", "errored")),
        _ if case.failed > 0 => Some(("failure", "persona")),
        _ => None,
    };
    let mut system_out = format!("{summary}\n");
    if let Some((element, kind)) = element {
        let mut body = format!("{summary}\n");
        if let Some(sample) = sample {
            let failures = sample.turns.iter().flat_map(|t| &t.failures);
            for f in failures.chain(&sample.final_failures) {
                body.push_str(&failure_block(f));
            }
            if let Some(e) = sample.turns.iter().find_map(|t| t.error.as_ref()) {
                let _ = writeln!(body, "{}: {}", e.class, e.message);
            }
            system_out.push_str(&transcript(sample));
        }
        let _ = writeln!(
            out,
            "      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>",
            esc(&summary),
            xml_text(&body),
        );
    }
    let _ = writeln!(
        out,
        "      <system-out>{}</system-out>\n    </testcase>",
        xml_text(&system_out)
    );
}
