//! `convoy report RUN.json`: prints the terminal summary of a saved run (the one the run
//! printed, thresholds re-evaluated) and re-renders its report files. Reads `run.json`
//! and writes files; runs nothing.

use super::exit;
use super::formats::{FormatList, parse_format_list};
use crate::report::RunResult;
use crate::report::files::write_reports;
use crate::report::threshold::ThresholdSpec;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run.json written by `convoy run`.
    pub run_json: PathBuf,
    /// Output directory (default: the directory holding RUN.json).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Files to render: comma list of json, csv, junit, md, html (csv = latency.csv +
    /// turns.csv + fields.csv, + personas.csv when the run has personas).
    #[arg(long, default_value = "csv,junit,md,html", value_parser = parse_format_list, value_name = "LIST")]
    pub format: FormatList,
    /// Evaluate this threshold too (repeatable); a failed one makes the exit code 1.
    /// The run's own thresholds are always re-evaluated.
    #[arg(long = "threshold", value_name = "EXPR", value_parser = super::run::parse_threshold)]
    pub thresholds: Vec<crate::common::threshold::Threshold>,
    /// Do not print the run's summary (only notes and where the files went).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The run's stored thresholds (re-parsed; one that no longer parses keeps its stored
/// result), then the flags.
fn reevaluate(result: &mut RunResult, flags: &[crate::common::threshold::Threshold]) -> bool {
    let mut evaluated = Vec::new();
    for stored in &result.thresholds {
        evaluated.push(match crate::common::threshold::parse(&stored.expression) {
            Ok(threshold) => {
                let spec = ThresholdSpec {
                    threshold,
                    source: stored.source.clone(),
                };
                crate::report::threshold::evaluate(result, &spec)
            }
            Err(_) => stored.clone(),
        });
    }
    let mut flag_failed = false;
    for threshold in flags {
        let spec = ThresholdSpec {
            threshold: threshold.clone(),
            source: "--threshold".into(),
        };
        let t = crate::report::threshold::evaluate(result, &spec);
        flag_failed |= !t.passed;
        evaluated.push(t);
    }
    result.thresholds = evaluated;
    flag_failed
}

pub fn report(args: ReportArgs) -> u8 {
    let text = match std::fs::read_to_string(&args.run_json) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", args.run_json.display());
            return exit::USAGE;
        }
    };
    let mut result = match RunResult::from_json(&text) {
        Ok(result) => result,
        Err(err) => {
            eprintln!("error: {}: {err}", args.run_json.display());
            return exit::USAGE;
        }
    };
    let flag_failed = reevaluate(&mut result, &args.thresholds);
    if !args.quiet {
        out!("{}", crate::report::console::summary(&result));
    }
    let dir = args.out.unwrap_or_else(|| {
        args.run_json
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default()
    });
    // A load run's run.json keeps only sample iterations, and a large functional run's
    // keeps some conversations without their chunks: turns.csv, streamed during the run,
    // is then the only complete copy, so it is never rewritten from them.
    let summarized = result.conversations.iter().any(|c| c.summarized);
    let with_turns = result.load.is_none() && !summarized;
    if result.load.is_some() {
        outln!("note: turns.csv of a load run is written only during the run; left as it is");
    } else if summarized {
        outln!(
            "note: this run kept some conversations without their chunks; turns.csv, written during the run, is left as it is"
        );
    }
    match write_reports(&result, &dir, &args.format.0, with_turns) {
        Ok(_) => {
            outln!("reports: {}", dir.display());
            if flag_failed {
                exit::FAILED
            } else {
                exit::PASSED
            }
        }
        Err(err) => {
            eprintln!("error: could not write reports: {err}");
            exit::RUN_ERROR
        }
    }
}
