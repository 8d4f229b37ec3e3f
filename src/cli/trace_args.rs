//! The tracing flags of `convoy run`: `--trace FILE`, `--trace-format`, `--trace-limit`
//! and `-v`/`-vv`. Builds the client's [`TraceHook`] from them (the trace file, the
//! terminal printer of `-vv`) and finishes the trace file after the run.

use crate::api::trace::{Exchange, ExchangeObserver, TraceHook};
use crate::trace::{DEFAULT_TRACE_LIMIT, TraceFile, TraceFormat, TraceSummary};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Write every request and response of the run to FILE (HAR 1.2 by default), secrets
    /// redacted, bodies bounded by --max-response-bytes.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Format of --trace: har (one JSON document for devtools and HAR viewers) or ndjson
    /// (one HAR entry per line).
    #[arg(long, default_value = "har", value_name = "FORMAT", requires = "trace")]
    pub trace_format: TraceFormat,
    /// Exchanges --trace (and -vv) record at most; later ones are counted, not recorded.
    #[arg(long, default_value_t = DEFAULT_TRACE_LIMIT, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub trace_limit: usize,
    /// -v: print the transcript of every passing conversation too; -vv: also print each
    /// request and response as it completes (credentials redacted, bodies cut).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// What the run's client reports its exchanges to, and the file to finish afterwards.
pub struct Tracing {
    pub hook: Option<TraceHook>,
    pub file: Option<Arc<TraceFile>>,
    pub transcripts: bool,
}

impl TraceArgs {
    /// Opens the trace file (its partial name) and sets up `-vv`; `max_text_chars` is
    /// `--max-chunk-text`, the cut of each string of a streamed message.
    pub fn tracing(&self, max_text_chars: usize) -> Result<Tracing, String> {
        let mut observers: Vec<Arc<dyn ExchangeObserver>> = Vec::new();
        let file = match &self.trace {
            Some(path) => {
                let file = TraceFile::create(path, self.trace_format, self.trace_limit)
                    .map_err(|e| e.to_string())?;
                Some(Arc::new(file))
            }
            None => None,
        };
        if let Some(file) = &file {
            observers.push(file.clone());
        }
        if self.verbose >= 2 {
            observers.push(Arc::new(TerminalTrace::new(self.trace_limit)));
        }
        Ok(Tracing {
            hook: TraceHook::of(observers, max_text_chars),
            file,
            transcripts: self.verbose >= 1,
        })
    }
}

impl Tracing {
    /// Finishes the trace file, if any: its summary line, or the error to report.
    pub fn finish(&self) -> Option<Result<String, String>> {
        let file = self.file.as_ref()?;
        Some(file.finish().map(summary_line).map_err(|e| e.to_string()))
    }
}

fn summary_line(summary: TraceSummary) -> String {
    let mut line = format!(
        "trace: {} ({} exchange(s))",
        summary.path.display(),
        summary.traced
    );
    if summary.not_traced > 0 {
        line.push_str(&format!(
            "; {} more not traced (--trace-limit {})",
            summary.not_traced, summary.limit
        ));
    }
    line
}

/// `-vv`: prints each exchange as it completes, up to a limit.
struct TerminalTrace {
    limit: usize,
    shown: AtomicUsize,
}

impl TerminalTrace {
    fn new(limit: usize) -> TerminalTrace {
        TerminalTrace {
            limit,
            shown: AtomicUsize::new(0),
        }
    }
}

impl ExchangeObserver for TerminalTrace {
    fn observe(&self, exchange: Exchange) {
        let shown = self.shown.fetch_add(1, Ordering::Relaxed);
        if shown < self.limit {
            outln!("{}", crate::trace::terminal::render(&exchange));
        } else if shown == self.limit {
            outln!(
                "(further exchanges not shown: -vv shows the first {})",
                self.limit
            );
        }
    }
}
