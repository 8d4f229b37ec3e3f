//! `convoy compare BASE.json NEW.json`, and the `--baseline` step of `convoy run`: reads
//! two run.json files, compares them, prints the table and decides the exit code (0 no
//! regression, 1 a regression, 2 an unreadable input). The comparing is `report::compare`.

use super::exit;
use crate::report::RunResult;
use crate::report::compare::{Correction, Tolerances, compare, render};
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
    /// Show every row, not only those that changed significantly.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub tolerances: ToleranceArgs,
}

/// How large and how certain a change must be to count; shared by `convoy compare` and
/// `convoy run --baseline`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Comparison (compare, run --baseline)")]
pub struct ToleranceArgs {
    /// Percentage points a conversation's pass rate may drop.
    #[arg(long, default_value_t = 1.0, value_name = "POINTS", value_parser = non_negative)]
    pub max_pass_rate_drop: f64,
    /// Percentage points a field's recall may drop.
    #[arg(long, default_value_t = 2.0, value_name = "POINTS", value_parser = non_negative)]
    pub max_recall_drop: f64,
    /// Percentage points a field's precision may drop.
    #[arg(long, default_value_t = 2.0, value_name = "POINTS", value_parser = non_negative)]
    pub max_precision_drop: f64,
    /// The latency percentile that is judged (per operation, turn and time to first chunk).
    #[arg(long, default_value_t = 95.0, value_name = "P", value_parser = percentile)]
    pub percentile: f64,
    /// Percent that percentile may grow.
    #[arg(long, alias = "max-p95-increase", default_value_t = 10.0, value_name = "PERCENT", value_parser = non_negative)]
    pub max_latency_increase: f64,
    /// Latency changes smaller than this are never regressions (nor smaller than the
    /// histograms' resolution), e.g. 1ms, 500us.
    #[arg(long, default_value = "1ms", value_name = "D", value_parser = crate::common::parse::duration)]
    pub latency_floor: std::time::Duration,
    /// Significance level, after correction for the number of rows compared.
    #[arg(long, default_value_t = 0.01, value_name = "A", value_parser = probability)]
    pub alpha: f64,
    /// Latency rows with fewer samples on either side are "too few samples" (never a
    /// regression).
    #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(u64).range(2..))]
    pub min_samples: u64,
    /// Correction of the p-values for the number of rows of each kind.
    #[arg(long, value_enum, default_value_t = Correction::Holm)]
    pub correction: Correction,
}

impl ToleranceArgs {
    pub fn tolerances(&self) -> Tolerances {
        Tolerances {
            pass_rate_drop: self.max_pass_rate_drop,
            recall_drop: self.max_recall_drop,
            precision_drop: self.max_precision_drop,
            percentile: self.percentile,
            latency_increase: self.max_latency_increase,
            latency_floor_us: u64::try_from(self.latency_floor.as_micros()).unwrap_or(u64::MAX),
            alpha: self.alpha,
            min_samples: self.min_samples,
            correction: self.correction,
        }
    }
}

fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number ≥ 0")),
    }
}

fn percentile(text: &str) -> Result<f64, String> {
    match text.trim_start_matches('p').parse::<f64>() {
        Ok(v) if v > 0.0 && v < 100.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a percentile between 0 and 100 (e.g. 95, 99.9)"
        )),
    }
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a significance level between 0 and 1 (e.g. 0.01)"
        )),
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
    let comparison = match compare(&base, &new, args.tolerances.tolerances()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    match args.format {
        CompareFormat::Table => print!("{}", render::terminal(&comparison, args.all)),
        CompareFormat::Md => print!("{}", render::markdown(&comparison, args.all)),
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

/// `convoy run --baseline BASE.json`: compares the finished run with BASE (the tolerance
/// flags of `run`) and folds the verdict into the run's exit code: a regression turns a
/// pass into 1; an unreadable baseline is a usage error (2) unless the run already
/// exits 3.
pub fn fold_baseline(code: u8, base: &Path, result: &RunResult, tolerances: Tolerances) -> u8 {
    let compared =
        read(base).and_then(|base| compare(&base, result, tolerances).map_err(|e| e.to_string()));
    match compared {
        Ok(comparison) => {
            println!("\n{}", render::terminal(&comparison, false));
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
