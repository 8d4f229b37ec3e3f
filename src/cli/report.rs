//! `convoy report RUN.json`: re-renders the report files of a saved run. Reads `run.json`
//! and writes files; runs nothing.

use super::exit;
use super::output::{FormatList, parse_format_list};
use crate::report::RunResult;
use crate::report::files::write_reports;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run.json written by `convoy run`.
    pub run_json: PathBuf,
    /// Output directory (default: the directory holding RUN.json).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Files to render: comma list of json, csv, junit, md (csv = latency.csv + turns.csv).
    #[arg(long, default_value = "csv,junit,md", value_parser = parse_format_list, value_name = "LIST")]
    pub format: FormatList,
}

pub fn report(args: ReportArgs) -> u8 {
    let text = match std::fs::read_to_string(&args.run_json) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", args.run_json.display());
            return exit::USAGE;
        }
    };
    let result = match RunResult::from_json(&text) {
        Ok(result) => result,
        Err(err) => {
            eprintln!("error: {}: {err}", args.run_json.display());
            return exit::USAGE;
        }
    };
    let dir = args.out.unwrap_or_else(|| {
        args.run_json
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default()
    });
    match write_reports(&result, &dir, &args.format.0, true) {
        Ok(_) => {
            println!("reports: {}", dir.display());
            exit::PASSED
        }
        Err(err) => {
            eprintln!("error: could not write reports: {err}");
            exit::RUN_ERROR
        }
    }
}
