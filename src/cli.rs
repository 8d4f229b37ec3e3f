//! Command-line flags and exit codes. The only place that prints results and decides the
//! process exit code; everything else returns data.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes of DESIGN.md.
pub mod exit {
    pub const PASSED: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const RUN_ERROR: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(name = "convoy", version, about = "Test and load-test AI form-filling conversations")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint suites; print every error with file:line:col; exit 2 on error.
    Validate {
        /// Suite files or directories (default: ./suites).
        paths: Vec<PathBuf>,
    },
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("suites")]
    } else {
        paths
    }
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::PASSED });
        }
    };
    let code = match cli.command {
        Command::Validate { paths } => validate(&default_paths(paths)),
    };
    ExitCode::from(code)
}

fn validate(paths: &[PathBuf]) -> u8 {
    let loaded = crate::suite::load_paths(paths);
    for diagnostic in &loaded.diagnostics {
        eprintln!("{diagnostic}\n");
    }
    if loaded.diagnostics.is_empty() {
        let conversations: usize = loaded.suites.iter().map(|s| s.conversations.len()).sum();
        println!(
            "ok: {} suite(s), {} conversation(s)",
            loaded.suites.len(),
            conversations
        );
        exit::PASSED
    } else {
        eprintln!("error: {} problem(s) found", loaded.diagnostics.len());
        exit::USAGE
    }
}
