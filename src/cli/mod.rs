//! Command-line flags and exit codes: parses flags, installs signals, calls the library
//! and maps a run's status to the process exit code. The only place that prints; the
//! library returns data.
//!
//! One file per command — `run` (with `load_args`, `shard_args`, `run_config`,
//! `progress`, `live_metrics`, `trace_args`), `list`, `mock`, `record`, `report`, `merge`,
//! `compare`, `schema` — plus `formats` (the `--format` list), `signals` (Ctrl-C and
//! SIGTERM as a graceful stop) and [`exit`].

/// `println!` that ignores a closed stdout (`convoy run | head`): a closed pipe must not
/// turn into a panic; the reports are still written and the exit code still tells.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` with the same tolerance as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod compare;
mod formats;
mod list;
mod live_metrics;
mod load_args;
mod merge;
mod mock;
mod progress;
mod record;
mod report;
pub(crate) mod run;
mod run_config;
mod schema;
mod shard_args;
mod signals;
mod trace_args;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit codes (README, "Exit codes").
pub mod exit {
    /// Everything passed.
    pub const PASSED: u8 = 0;
    /// An expectation or threshold failed.
    pub const FAILED: u8 = 1;
    /// Usage, configuration or suite error: nothing was sent.
    pub const USAGE: u8 = 2;
    /// The run itself could not be done (target unreachable, all sessions errored).
    pub const RUN_ERROR: u8 = 3;

    /// The exit code of a run's status: the one mapping `run`, `merge` and `report` use.
    pub fn of(status: crate::report::result::RunStatus) -> u8 {
        use crate::report::result::RunStatus;
        match status {
            RunStatus::Passed => PASSED,
            RunStatus::Failed | RunStatus::NotDelivered => FAILED,
            RunStatus::Errored | RunStatus::Interrupted => RUN_ERROR,
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "convoy",
    version,
    about = "Test and load-test AI form-filling conversations (Wix Interactive Form Sessions)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run suites against the embedded mock (default) or a real target.
    Run(Box<run::RunArgs>),
    /// Lint suites; print every error with file:line:col; exit 2 on error.
    Validate {
        /// Suite files or directories (default: ./suites).
        paths: Vec<PathBuf>,
    },
    /// List the conversations and personas `run` would execute (same paths and
    /// `--filter`), after `vars:`/`data:` expansion.
    List(list::ListArgs),
    /// Re-render latency.csv, turns.csv, junit.xml and summary.md from a saved run.json.
    Report(report::ReportArgs),
    /// Serve the mock API on a loopback port until Ctrl-C.
    Mock(mock::MockArgs),
    /// Merge the run.json of every shard of a sharded run (`run --shard i/N`) into one
    /// report set; thresholds are evaluated on the merged result.
    Merge(merge::MergeArgs),
    /// Compare two run.json files (pass rates, extraction scorecard, latency
    /// percentiles); exit 1 on a regression.
    Compare(compare::CompareArgs),
    /// Run suites and write the observed expectations to SUITE.pending.yaml (never in CI).
    Record(record::RecordArgs),
    /// Promote SUITE.pending.yaml over each suite (same as `record --accept`).
    Accept {
        /// Suite files or directories (default: ./suites).
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the suite format, for editors (or write it with --out).
    Schema(schema::SchemaArgs),
}

pub(crate) fn default_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("suites")]
    } else {
        paths.to_vec()
    }
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit::USAGE
            } else {
                exit::PASSED
            });
        }
    };
    let code = match cli.command {
        Command::Validate { paths } => validate(&default_paths(&paths)),
        Command::Run(args) => with_runtime(|rt| rt.block_on(run::run(*args))),
        Command::List(args) => list::list(&args),
        Command::Report(args) => report::report(args),
        Command::Mock(args) => with_runtime(|rt| rt.block_on(mock::mock(args))),
        Command::Merge(args) => merge::merge(args),
        Command::Compare(args) => compare::compare_command(args),
        Command::Record(args) => with_runtime(|rt| rt.block_on(record::record(args))),
        Command::Accept { paths } => record::accept(&default_paths(&paths)),
        Command::Schema(args) => schema::schema(args),
    };
    ExitCode::from(code)
}

fn with_runtime(body: impl FnOnce(&tokio::runtime::Runtime) -> u8) -> u8 {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => body(&runtime),
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            exit::RUN_ERROR
        }
    }
}

/// Loads suites and prints every diagnostic; `None` when any was found.
pub(crate) fn load_suites(paths: &[PathBuf]) -> Option<Vec<crate::suite::Suite>> {
    let loaded = crate::suite::load_paths(paths);
    for diagnostic in &loaded.diagnostics {
        eprintln!("{diagnostic}\n");
    }
    if loaded.diagnostics.is_empty() {
        Some(loaded.suites)
    } else {
        eprintln!("error: {} problem(s) found", loaded.diagnostics.len());
        None
    }
}

/// A plan that cannot be built is a usage error; a suite's diagnostic (an unset
/// `${VAR}` form id) already reads `error: …` with its source line, so it is printed as
/// it is rather than prefixed twice.
pub(crate) fn plan_usage(err: crate::runner::PlanError) -> u8 {
    match err {
        crate::runner::PlanError::Suite(diagnostic) => {
            eprintln!("{diagnostic}");
            exit::USAGE
        }
        err => {
            eprintln!("error: {err}");
            exit::USAGE
        }
    }
}

fn validate(paths: &[PathBuf]) -> u8 {
    let Some(suites) = load_suites(paths) else {
        return exit::USAGE;
    };
    let conversations: usize = suites.iter().map(|s| s.conversations.len()).sum();
    let personas: usize = suites.iter().map(|s| s.personas.len()).sum();
    // Personas are named only when there are some, so a suite without them reads as before.
    let personas = match personas {
        0 => String::new(),
        n => format!(", {n} persona(s)"),
    };
    outln!(
        "ok: {} suite(s), {conversations} conversation(s){personas}",
        suites.len()
    );
    exit::PASSED
}
