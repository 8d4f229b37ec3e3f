//! [`TraceFile`]: the `--trace` file, streamed while the run goes on. Each exchange is
//! appended as it ends, to a partial file (`.NAME.partial` beside NAME) that is renamed
//! once the run is over, so a finished trace is whole and a crash leaves only the
//! partial file (readable as NDJSON up to its last line). At most `limit` exchanges are
//! written; the rest are counted and the count is noted at the end of the file.
//!
//! Owns the file and its bound; the entry's shape is [`crate::trace::har`]'s.

use crate::api::trace::{Exchange, ExchangeObserver};
use crate::report::files::partial_path;
use crate::trace::{TraceError, TraceFormat, har};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What a finished trace holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceSummary {
    pub path: PathBuf,
    pub traced: usize,
    pub not_traced: u64,
    pub limit: usize,
}

/// A trace file being written; shared by every task of the run as an observer.
pub struct TraceFile {
    path: PathBuf,
    partial: PathBuf,
    format: TraceFormat,
    limit: usize,
    /// Exchanges offered so far: the first `limit` are written.
    offered: AtomicUsize,
    not_traced: AtomicU64,
    state: Mutex<State>,
}

struct State {
    /// `None` after the first write error: later entries would leave a hole.
    writer: Option<BufWriter<File>>,
    error: Option<std::io::Error>,
    written: usize,
}

impl TraceFile {
    /// Creates the partial file and writes the format's opening, so a trace that cannot
    /// be written fails the run before it sends anything.
    pub fn create(path: &Path, format: TraceFormat, limit: usize) -> Result<TraceFile, TraceError> {
        let partial = partial_path(path);
        let io = |e| TraceError::Io {
            path: partial.clone(),
            source: e,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut writer = BufWriter::new(File::create(&partial).map_err(io)?);
        if format == TraceFormat::Har {
            writer
                .write_all(har::log_opening().as_bytes())
                .map_err(io)?;
        }
        Ok(TraceFile {
            path: path.to_path_buf(),
            partial: partial.clone(),
            format,
            limit,
            offered: AtomicUsize::new(0),
            not_traced: AtomicU64::new(0),
            state: Mutex::new(State {
                writer: Some(writer),
                error: None,
                written: 0,
            }),
        })
    }

    /// Closes the file (the HAR log, or NDJSON's closing note when exchanges were left
    /// out), flushes it to disk and gives it its name; removes it on failure.
    pub fn finish(&self) -> Result<TraceSummary, TraceError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let not_traced = self.not_traced.load(Ordering::Relaxed);
        let closed = match (state.error.take(), state.writer.take()) {
            (Some(err), _) => Err(err),
            (None, None) => Err(std::io::Error::other("the trace was already finished")),
            (None, Some(writer)) => self.close(writer, not_traced),
        };
        if let Err(source) = closed {
            let _ = std::fs::remove_file(&self.partial);
            return Err(TraceError::Io {
                path: self.path.clone(),
                source,
            });
        }
        Ok(TraceSummary {
            path: self.path.clone(),
            traced: state.written,
            not_traced,
            limit: self.limit,
        })
    }

    fn close(&self, mut writer: BufWriter<File>, not_traced: u64) -> std::io::Result<()> {
        match self.format {
            TraceFormat::Har => {
                writer.write_all(har::log_closing(not_traced, self.limit).as_bytes())?
            }
            TraceFormat::Ndjson if not_traced > 0 => {
                let note = serde_json::json!({
                    "_comment": har::not_traced_note(not_traced, self.limit),
                    "_notTraced": not_traced,
                });
                writeln!(writer, "{note}")?;
            }
            TraceFormat::Ndjson => {}
        }
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.partial, &self.path)
    }
}

impl ExchangeObserver for TraceFile {
    fn observe(&self, exchange: Exchange) {
        if self.offered.fetch_add(1, Ordering::Relaxed) >= self.limit {
            self.not_traced.fetch_add(1, Ordering::Relaxed);
            return;
        }
        // Rendered before taking the lock: workers only wait for each other's writes.
        let entry = har::entry(&exchange).to_string();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let separator = match (self.format, state.written) {
            (TraceFormat::Har, 1..) => ",\n",
            _ => "",
        };
        let Some(writer) = &mut state.writer else {
            return;
        };
        let written = writer
            .write_all(separator.as_bytes())
            .and_then(|()| writer.write_all(entry.as_bytes()))
            .and_then(|()| match self.format {
                TraceFormat::Ndjson => writer.write_all(b"\n"),
                TraceFormat::Har => Ok(()),
            })
            // Flushed per entry (at most --trace-limit times): the partial file can be
            // followed during the run, and a killed process loses at most one entry.
            .and_then(|()| writer.flush());
        match written {
            Ok(()) => state.written += 1,
            Err(err) => {
                state.writer = None;
                state.error = Some(err);
            }
        }
    }
}
