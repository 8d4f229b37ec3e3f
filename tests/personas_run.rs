//! Personas run end to end on the embedded mock: the example personas pass on the default
//! mock with every simulated message's reason kept in run.json, and under a mock that
//! varies like an LLM (`--vary order,paraphrase,reask=0.1 --repeat 20`) they still succeed
//! in at least 95% of runs while the scripted conversations of the same form visibly fail.
//! Each run is a second or two on loopback.

mod common;

use common::convoy_process;
use convoy::report::RunResult;
use std::path::Path;

fn run(args: &[&str], out: &Path) -> (Option<i32>, RunResult) {
    let (code, result, _) = run_with_stdout(args, out);
    (code, result)
}

fn run_with_stdout(args: &[&str], out: &Path) -> (Option<i32>, RunResult, String) {
    let output = convoy_process()
        .arg("run")
        .args(args)
        .args(["--format", "json", "--out"])
        .arg(out)
        .output()
        .expect("convoy runs");
    let text = std::fs::read_to_string(out.join("run.json"))
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&output.stderr)));
    let result = RunResult::from_json(&text).expect("run.json loads");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), result, stdout)
}

#[test]
fn the_example_personas_pass_and_keep_the_reason_of_every_message() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (code, result, stdout) = run_with_stdout(&["suites/personas.yaml"], dir.path());
    assert_eq!(code, Some(0), "{:?}", result.counters);
    // The terminal's personas table: success with its interval, turns, endings.
    let header = stdout.lines().find(|l| l.starts_with("persona "));
    let header = header.unwrap_or_else(|| panic!("no personas table in:\n{stdout}"));
    for column in [
        "success",
        "95% interval",
        "turns p50/90",
        "stuck",
        "over budget",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let ari = stdout
        .lines()
        .find(|l| l.starts_with("personas › Ari keeps the email private"));
    assert!(ari.is_some_and(|l| l.contains("100.0%")), "{stdout}");
    assert!(result.conversations.len() >= 6);
    for conversation in &result.conversations {
        let sends: Vec<_> = conversation.turns.iter().filter(|t| t.turn > 0).collect();
        assert!(!sends.is_empty(), "{}", conversation.conversation);
        for turn in sends {
            let reason = turn.reason.as_deref().unwrap_or_default();
            assert!(
                !reason.is_empty(),
                "{}: turn {} has no reason",
                conversation.conversation,
                turn.turn
            );
        }
    }
    // Persona fields feed the scorecard like scripted expectations.
    assert!(
        result
            .scorecard
            .field("email")
            .is_some_and(|r| r.correct > 0)
    );
}

#[test]
fn personas_survive_a_varying_assistant_that_breaks_scripts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/personas.yaml",
        "suites/event.yaml",
        "--vary",
        "order,paraphrase,reask=0.1",
        "--seed",
        "11",
        "--repeat",
        "20",
    ];
    let (code, result, stdout) = run_with_stdout(&args, dir.path());
    assert_eq!(code, Some(1), "the scripted conversations fail");
    let share = |suite: &str| {
        let rates = result.pass_rates.iter().filter(|p| p.suite == suite);
        let (passed, runs) = rates.fold((0, 0), |(p, r), rate| (p + rate.passed, r + rate.runs));
        assert!(runs > 0, "no runs of {suite}");
        passed as f64 / runs as f64
    };
    let (personas, scripted) = (share("personas"), share("event-registration"));
    assert!(
        personas >= 0.95,
        "personas succeeded in {personas:.3} of runs"
    );
    assert!(
        scripted < 0.9,
        "scripted conversations passed {scripted:.3} of runs"
    );
    // The personas section says the same, over every persona run.
    let section = result.personas.as_ref().expect("a personas section");
    let overall = &section.overall;
    assert_eq!(overall.counts.runs, 20 * section.personas.len() as u64);
    assert!(overall.success_rate >= 0.95, "{overall:?}");
    assert!(overall.turns.count > 0 && overall.turns.p90 >= overall.turns.p50);
    // The terminal shows both side by side: one pass-rate block with the personas' and the
    // scripted conversations' rows, some of the scripted ones failed.
    let block: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("pass rates (95% Wilson interval):"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let rows = |suite: &str| {
        let prefix = format!("  {suite} / ");
        block.iter().filter(|l| l.starts_with(&prefix)).count()
    };
    assert_eq!(rows("personas"), section.personas.len(), "{stdout}");
    assert_eq!(rows("event-registration"), 5, "{stdout}");
    let failed = |l: &&&str| l.starts_with("  event-registration / ") && l.contains("-> failed");
    assert!(block.iter().any(|l| failed(&l)), "{stdout}");
}

/// A persona whose second message gets a 500: the run is errored, the persona's run is
/// counted (errored, not successful, no turns to completion), and its transcript keeps
/// the messages sent up to the failure, with their reasons.
#[test]
fn a_persona_whose_request_fails_midway_counts_as_an_errored_run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/personas.yaml",
        "--filter",
        "Dana answers only what is asked",
        "--fault",
        "{kind: http_500, endpoint: send, requests: [2]}",
    ];
    let (code, result) = run(&args, dir.path());
    assert_eq!(code, Some(3), "an errored run: {:?}", result.counters);
    let section = result.personas.as_ref().expect("a personas section");
    assert_eq!(section.personas.len(), 1);
    let counts = &section.overall.counts;
    assert_eq!(
        (
            counts.runs,
            counts.succeeded,
            counts.errored,
            counts.submitted
        ),
        (1, 0, 1, 0)
    );
    assert_eq!(section.overall.turns.count, 0, "no turns to completion");
    let conversation = &result.conversations[0];
    let persona = conversation.persona.as_ref().expect("a persona record");
    assert_eq!((persona.ending.as_str(), persona.turns), ("errored", 2));
    let sends: Vec<_> = conversation.turns.iter().filter(|t| t.turn > 0).collect();
    assert_eq!(sends.len(), 2, "sent up to the failure, nothing after");
    assert!(sends[0].error.is_none() && sends[1].error.is_some());
    assert!(sends.iter().all(|t| t.reason.is_some()), "{sends:?}");
}

/// `--vary miss=0.3`: the scripted expectations' recall is the 70% the mock lets through
/// (inside the run's 95% Wilson interval), while personas, asked again for a missed
/// required field, still get every required fact extracted (and their success rate is
/// reported with its interval like any pass rate).
#[test]
fn missed_extractions_show_in_recall_and_personas_recover_required_fields() {
    use convoy::report::result::wilson;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/event.yaml",
        "suites/personas.yaml",
        "--vary",
        "miss=0.3",
        "--seed",
        "5",
        "--repeat",
        "40",
    ];
    let (_, result) = run(&args, dir.path());
    let suite = |name: &str| {
        result
            .scorecard
            .suites
            .iter()
            .find(|s| s.suite == name)
            .unwrap_or_else(|| panic!("no scorecard for {name}"))
    };
    let scripted = suite("event-registration");
    let (correct, expected) = scripted
        .fields
        .iter()
        .fold((0, 0), |(c, e), f| (c + f.correct, e + f.expected));
    let (low, high) = wilson(correct, expected);
    assert!(expected >= 400, "{expected} checks");
    assert!(
        low <= 0.7 && 0.7 <= high,
        "recall {correct}/{expected}: [{low:.3}, {high:.3}]"
    );
    // Required fields are asked again until extracted: the simulated user answers again.
    for field in ["first_name", "email", "ticket"] {
        let row = suite("personas").fields.iter().find(|f| f.field == field);
        let row = row.unwrap_or_else(|| panic!("no persona row for {field}"));
        assert_eq!(row.correct, row.expected, "{field}: {row:?}");
    }
    let personas: Vec<_> = result
        .pass_rates
        .iter()
        .filter(|p| p.suite == "personas")
        .collect();
    assert!(!personas.is_empty());
    assert!(personas.iter().all(|p| p.runs == 40), "{personas:?}");
}

/// `--vary miss=R` against tests/fixtures/personas/miss.yaml, whose personas' chances
/// follow from the mock's miss model (each value extracted from a message is missed with
/// probability R, independently per field and message; the mock asks for the first
/// missing required field and submits once none is missing):
/// - Kim, one message for the required name: succeeds iff it is heard, P = 1 - R.
/// - Jo, eager with 3 messages: the optional guests is said once (never asked), heard with
///   1 - R; the name is asked again until heard, within 3 messages with 1 - R^3; so
///   success is (1 - R)(1 - R^3), and the name's recall 1 - R^3.
///
/// Each expected rate must lie in the Wilson interval of what the run observed: the
/// persona success rates (personas section and pass rates), the missed fields' recall.
#[test]
fn under_missed_extractions_success_and_recall_match_the_miss_model() {
    use convoy::report::result::wilson;
    const R: f64 = 0.3;
    const RUNS: u64 = 200;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "tests/fixtures/personas/miss.yaml",
        "--vary",
        "miss=0.3",
        "--seed",
        "5",
        "--repeat",
        "200",
    ];
    let (_, result) = run(&args, dir.path());
    let within = |what: &str, hits: u64, runs: u64, expected: f64| {
        assert_eq!(runs, RUNS, "{what}");
        let (low, high) = wilson(hits, runs);
        assert!(
            low <= expected && expected <= high,
            "{what}: {hits}/{runs} [{low:.3}, {high:.3}] misses the expected {expected:.3}"
        );
    };
    let kim = 1.0 - R;
    let jo_name = 1.0 - R.powi(3);
    let jo = (1.0 - R) * jo_name;
    let section = result.personas.as_ref().expect("a personas section");
    for (name, expected) in [("Kim has one message", kim), ("Jo says it all once", jo)] {
        let stats = section.personas.iter().find(|p| p.persona == name);
        let stats = stats.unwrap_or_else(|| panic!("no persona row for {name}"));
        within(name, stats.counts.succeeded, stats.counts.runs, expected);
        // The pass rates count the same successes.
        let rate = result.pass_rates.iter().find(|p| p.conversation == name);
        let rate = rate.unwrap_or_else(|| panic!("no pass rate for {name}"));
        assert_eq!(rate.passed, stats.counts.succeeded, "{name}");
    }
    let kim_rate = section
        .personas
        .iter()
        .find(|p| p.persona.starts_with("Kim"));
    let kim_counts = kim_rate.expect("Kim's row").counts;
    assert_eq!(
        kim_counts.over_budget,
        kim_counts.runs - kim_counts.succeeded,
        "Kim fails only by running out of messages"
    );
    let field = |conversation: &str, field: &str| {
        let rate = result
            .pass_rates
            .iter()
            .find(|p| p.conversation == conversation);
        let rate = rate.unwrap_or_else(|| panic!("no pass rate for {conversation}"));
        let row = rate.fields.iter().find(|f| f.field == field);
        let row = row.unwrap_or_else(|| panic!("{conversation}: no {field} row"));
        (row.correct, row.expected)
    };
    let (correct, expected) = field("Kim has one message", "first_name");
    within("Kim's first_name recall", correct, expected, 1.0 - R);
    let (correct, expected) = field("Jo says it all once", "guests");
    within("Jo's guests recall", correct, expected, 1.0 - R);
    let (correct, expected) = field("Jo says it all once", "first_name");
    within("Jo's first_name recall", correct, expected, jo_name);
}

/// `expect:` judged after the conversation: turns, a field matcher and `submitted`, each
/// failing where it is written, with what was expected and what happened.
#[test]
fn persona_expectations_fail_where_they_are_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (code, result) = run(&["tests/fixtures/personas/expect-fails.yaml"], dir.path());
    assert_eq!(code, Some(1), "{:?}", result.counters);
    let failures: Vec<String> = result
        .conversations
        .iter()
        .flat_map(|c| {
            let who = c.conversation.split(' ').next().unwrap_or_default();
            c.final_failures.iter().map(move |f| {
                format!(
                    "{who} :{} {}: {} / {}",
                    f.line, f.subject, f.expected, f.actual
                )
            })
        })
        .collect();
    assert_eq!(
        failures,
        [
            "Pat :15 persona.turns: between 1 and 1 / 2",
            "Bo :20 persona.fields.guests: >= 3 / 2",
            "Cy :23 persona.submitted: no SUBMISSION / submitted",
        ]
    );
    let section = result.personas.as_ref().expect("a personas section");
    assert_eq!(section.overall.counts.succeeded, 0);
}

/// The example personas all pass, every run, under a mock that shuffles its questions and
/// rewords them (`--vary order,paraphrase`): they follow what is asked, not an order.
#[test]
fn the_example_personas_pass_under_a_shuffled_and_reworded_assistant() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/personas.yaml",
        "--vary",
        "order,paraphrase",
        "--seed",
        "3",
        "--repeat",
        "10",
    ];
    let (code, result) = run(&args, dir.path());
    let overall = &result
        .personas
        .as_ref()
        .expect("a personas section")
        .overall;
    assert_eq!(code, Some(0), "{overall:?}");
    assert_eq!(
        result.config.mock.as_ref().map(|m| m.vary.as_deref()),
        Some(Some("order,paraphrase"))
    );
    assert_eq!((overall.counts.succeeded, overall.counts.runs), (90, 90));
    // The questions did come in different orders: Dana's first answer is to different
    // fields across her runs.
    let answers: std::collections::BTreeSet<&str> = result
        .conversations
        .iter()
        .filter(|c| c.conversation == "Dana answers only what is asked")
        .filter_map(|c| c.turns.iter().find(|t| t.turn == 2))
        .filter_map(|t| t.reason.as_deref()?.rsplit_once("→ ").map(|(_, said)| said))
        .collect();
    assert!(answers.len() > 1, "{answers:?}");
}
