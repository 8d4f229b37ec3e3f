//! Traces of a run's exchanges, as files and on the terminal: every request and response
//! the client made, written as HAR 1.2 or NDJSON by `--trace FILE` ([`file`], entries
//! shaped by [`har`]) and printed by `-vv` ([`terminal`]).
//!
//! It receives exchanges that the `api` module already redacted and bounded (see
//! [`crate::api::trace`]); it must not reach into the client or widen those bounds, and
//! escapes server and suite text before it reaches a terminal.

pub mod file;
pub mod har;
pub mod terminal;

pub use file::{TraceFile, TraceSummary};

use std::path::PathBuf;

/// Exchanges a trace holds by default (`--trace-limit`).
pub const DEFAULT_TRACE_LIMIT: usize = 10_000;

/// The format of a trace file (`--trace-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceFormat {
    /// HAR 1.2: one JSON document, opened by browser devtools and HAR viewers.
    Har,
    /// One JSON object (a HAR entry) per line, readable while the run goes on.
    Ndjson,
}

impl std::str::FromStr for TraceFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "har" => Ok(TraceFormat::Har),
            "ndjson" => Ok(TraceFormat::Ndjson),
            other => Err(format!("unknown trace format `{other}`: use har or ndjson")),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("cannot write the trace {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}
