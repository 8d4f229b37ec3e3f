//! Personas as virtual users of a load run: mixed by weight with scripted conversations
//! in the open model, paced by think time in the closed model, judged by the persona
//! thresholds, and with turns to completion (p50/p90/max of the HDR histogram) in every
//! report: the terminal, run.json, personas.csv, report.html, summary.md and junit.xml.
//! Each run is bounded by `--iterations` and takes a second or two on loopback.

mod common;

use common::{convoy_process, read};
use convoy::report::RunResult;
use convoy::report::result::wilson;
use std::path::Path;
use std::process::Output;

fn run(out: &Path, args: &[&str]) -> (Output, RunResult) {
    let output = convoy_process()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("convoy runs");
    let text = std::fs::read_to_string(out.join("run.json"))
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&output.stderr)));
    (output, RunResult::from_json(&text).expect("run.json loads"))
}

/// The `<td>` texts of the HTML table row that starts with `first`.
fn html_row(html: &str, first: &str) -> Vec<String> {
    let start = html.find(first).unwrap_or_else(|| panic!("no {first} row"));
    let row = &html[start..];
    let row = &row[..row.find("</tr>").expect("the row ends")];
    row.split("<td class=\"n\"")
        .skip(1)
        .map(|cell| {
            let text = &cell[cell.find('>').expect("a cell") + 1..];
            text[..text.find("</td>").expect("the cell ends")].to_string()
        })
        .collect()
}

/// 150 arrivals at 100/s over the example personas and the scripted event suite. The
/// plan's weights are Dana 2 and 8 more personas of 1 (suites/personas.yaml), and
/// `gives everything in two messages` 3 and 4 more conversations of 1 (suites/event.yaml):
/// 17 in all, so Dana is picked with 2/17 and any persona with 10/17.
#[test]
fn an_open_load_mixes_personas_by_weight_and_every_report_has_turns_to_completion() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/personas.yaml",
        "suites/event.yaml",
        "--rate",
        "100",
        "--iterations",
        "150",
        "--think",
        "1ms..3ms",
        "--seed",
        "7",
        "--threshold",
        "persona.success_rate>=0.95",
        "--threshold",
        "persona.turns.p90<=6",
    ];
    let (output, result) = run(dir.path(), &args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let section = result.personas.as_ref().expect("a personas section");
    let overall = &section.overall;
    let sessions = result.counters.conversations;
    assert_eq!(sessions, 150, "{:?}", result.counters);
    let share = |hits: u64, expected: f64, what: &str| {
        let (low, high) = wilson(hits, sessions);
        assert!(
            low <= expected && expected <= high,
            "{what}: {hits}/{sessions} [{low:.3}, {high:.3}], expected {expected:.3}"
        );
    };
    share(overall.counts.runs, 10.0 / 17.0, "personas");
    let dana = section
        .personas
        .iter()
        .find(|p| p.persona.starts_with("Dana answers"));
    share(dana.expect("Dana's row").counts.runs, 2.0 / 17.0, "Dana");
    assert!(overall.counts.runs < sessions, "scripted sessions ran too");

    // Turns to completion, the same figures everywhere.
    let turns = overall.turns;
    assert!(turns.count > 0 && turns.p50 >= 1 && turns.p50 <= turns.p90 && turns.p90 <= turns.max);
    assert!(!overall.turns_hdr.is_empty(), "the histogram is kept");
    let (p50, p90, max) = (turns.p50, turns.p90, turns.max);
    let terminal = stdout.lines().find(|l| l.starts_with("all personas"));
    let terminal = terminal.unwrap_or_else(|| panic!("no all personas row:\n{stdout}"));
    assert!(terminal.contains(&format!(" {p50}/{p90} ")), "{terminal}");
    assert!(
        stdout.contains("✓ persona.success_rate>=0.95 (observed "),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("✓ persona.turns.p90<=6 (observed {p90})")),
        "{stdout}"
    );

    let csv = read(&dir.path().join("personas.csv"));
    let last = csv.lines().last().expect("rows");
    let cells: Vec<&str> = last.split(',').collect();
    assert_eq!(cells[3], "all personas", "{csv}");
    let figures = [turns.count, p50, p90, max].map(|n| n.to_string());
    assert_eq!(cells[14..18], figures, "{csv}");

    let md = read(&dir.path().join("summary.md"));
    let row = format!(" | {p50}/{p90} | {max} | ");
    let md_row = md.lines().find(|l| l.starts_with("| **all personas** |"));
    assert!(md_row.is_some_and(|l| l.contains(&row)), "{md}");

    let html = read(&dir.path().join("report.html"));
    assert!(html.contains("<th class=\"n\">turns p50</th><th class=\"n\">turns p90</th>"));
    let cells = html_row(&html, "<td><b>all personas</b></td>");
    assert_eq!(
        cells[4..7],
        [p50, p90, max].map(|n| n.to_string()),
        "{cells:?}"
    );

    let xml = read(&dir.path().join("junit.xml"));
    let figures = format!("turns to completion p50 {p50}, p90 {p90}, max {max}");
    assert!(xml.contains(&figures), "{xml}");
}

/// One closed-model VU, Dana three times, 100 ms of think time before each message: the
/// run lasts at least the think times of the user messages the personas sent.
#[test]
fn think_time_paces_persona_messages_in_a_closed_load() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = [
        "suites/personas.yaml",
        "--filter",
        "Dana answers only what is asked",
        "--vus",
        "1",
        "--iterations",
        "3",
        "--think",
        "100ms",
        "--quiet",
    ];
    let (output, result) = run(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let overall = &result
        .personas
        .as_ref()
        .expect("a personas section")
        .overall;
    assert_eq!((overall.counts.runs, overall.counts.submitted), (3, 3));
    let messages = (overall.turns.mean * overall.turns.count as f64).round() as u64;
    assert!(messages >= 3, "{overall:?}");
    assert!(
        result.elapsed_us >= messages * 100_000,
        "{messages} messages with 100 ms of think time each in {} µs",
        result.elapsed_us
    );
}
