//! `convoy compare BASE.json NEW.json`, and the `--baseline` step of `convoy run`: reads
//! two run.json files, compares them, prints the table and decides the exit code (0 no
//! regression, 1 a regression, 2 an unreadable input). The comparing is `report::compare`.

use super::exit;
use crate::report::RunResult;
use crate::report::compare::{Tolerances, compare, render};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompareFormat {
    /// Aligned tables for a terminal.
    Table,
    /// Markdown, e.g. for `$GITHUB_STEP_SUMMARY`.
    Md,
    /// The whole comparison as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline run.json.
    pub base: PathBuf,
    /// The run.json to judge.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Percentage points a conversation's pass rate may drop.
    #[arg(long, default_value_t = 1.0, value_name = "POINTS", value_parser = non_negative)]
    pub max_pass_rate_drop: f64,
    /// Percentage points a field's recall may drop.
    #[arg(long, default_value_t = 2.0, value_name = "POINTS", value_parser = non_negative)]
    pub max_recall_drop: f64,
    /// Percent a p95 latency (per operation and per turn) may grow.
    #[arg(long, default_value_t = 10.0, value_name = "PERCENT", value_parser = non_negative)]
    pub max_p95_increase: f64,
    /// p95 growths smaller than this are never regressions (timer noise), e.g. 1ms.
    #[arg(long, default_value = "1ms", value_name = "D", value_parser = super::run::parse_duration)]
    pub latency_floor: std::time::Duration,
}

fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number ≥ 0")),
    }
}

fn read(path: &Path) -> Result<RunResult, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    RunResult::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn compare_command(args: CompareArgs) -> u8 {
    let (base, new) = match (read(&args.base), read(&args.new)) {
        (Ok(base), Ok(new)) => (base, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let tolerances = Tolerances {
        pass_rate_drop: args.max_pass_rate_drop,
        recall_drop: args.max_recall_drop,
        p95_increase: args.max_p95_increase,
        latency_floor_us: u64::try_from(args.latency_floor.as_micros()).unwrap_or(u64::MAX),
    };
    let comparison = match compare(&base, &new, tolerances) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    match args.format {
        CompareFormat::Table => print!("{}", render::terminal(&comparison)),
        CompareFormat::Md => print!("{}", render::markdown(&comparison)),
        CompareFormat::Json => match render::json(&comparison) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::RUN_ERROR;
            }
        },
    }
    if comparison.regressed {
        exit::FAILED
    } else {
        exit::PASSED
    }
}

/// `convoy run --baseline BASE.json`: compares the finished run with BASE (default
/// tolerances) and folds the verdict into the run's exit code: a regression turns a
/// pass into 1; an unreadable baseline is a usage error (2) unless the run already
/// exits 3.
pub fn fold_baseline(code: u8, base: &Path, result: &RunResult) -> u8 {
    let compared = read(base)
        .and_then(|base| compare(&base, result, Tolerances::default()).map_err(|e| e.to_string()));
    match compared {
        Ok(comparison) => {
            println!("\n{}", render::terminal(&comparison));
            match code {
                exit::PASSED if comparison.regressed => exit::FAILED,
                code => code,
            }
        }
        Err(e) => {
            eprintln!("error: --baseline: {e}");
            if code == exit::RUN_ERROR {
                code
            } else {
                exit::USAGE
            }
        }
    }
}
