//! The report files of a run: picks the output directory, streams `turns.csv` while the
//! run goes on (as the run's conversation sink), and writes the other files from the
//! finished [`RunResult`].
//!
//! Owns the file-system side effects of a run's reports; the rendering is `report`'s, the
//! choice of flags the CLI's.

use crate::pipeline::{RunConfigInfo, conversation_record};
use crate::report::TurnsCsvWriter;
use crate::report::files::{Format, ReportError, file_names, partial_path, write_reports};
use crate::report::result::{RunConfig, RunResult, compact_utc};
use crate::report::turns_mode::{TurnsCsvMode, TurnsFilter};
use crate::runner::{ConversationResult, ConversationTiming};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const TURNS_CSV: &str = "turns.csv";

/// Report output of one run, from before the first request to after the last.
pub struct Output {
    dir: PathBuf,
    formats: Vec<Format>,
    info: RunConfigInfo,
    turns: Option<TurnsCsvWriter<BufWriter<File>>>,
    /// The first failure to stream `turns.csv`; the run goes on, the CLI exits 3 after.
    turns_error: Option<ReportError>,
    /// Which conversations' rows `turns.csv` keeps (`--turns-csv`, from the config).
    turns_filter: TurnsFilter,
}

impl Output {
    /// Creates the directory (default `reports/<UTC timestamp>-<name>`) and, when CSV is
    /// wanted and `config.turns_csv` is not `off`, `turns.csv` with its header, so a run that cannot report fails before it
    /// sends anything. `run_id` is `--run-id` (shared by shards), else a fresh one.
    pub fn prepare(
        out: Option<PathBuf>,
        formats: Vec<Format>,
        name: &str,
        config: RunConfig,
        run_id: Option<String>,
    ) -> Result<Output, ReportError> {
        let started_at = SystemTime::now();
        let stamp = compact_utc(started_at);
        let name = file_safe(name);
        let dir = out.unwrap_or_else(|| Path::new("reports").join(format!("{stamp}-{name}")));
        std::fs::create_dir_all(&dir).map_err(|e| ReportError::io(&dir, e))?;
        let turns_filter = TurnsFilter {
            mode: TurnsCsvMode::recorded(&config.turns_csv),
            seed: config.seed,
            per_session: config.load.is_some(),
        };
        let info = RunConfigInfo {
            run_id: run_id.unwrap_or_else(|| format!("{stamp}-{}", run_suffix(started_at))),
            name,
            started_at,
            config,
        };
        let turns = if formats.contains(&Format::Csv) && turns_filter.mode != TurnsCsvMode::Off {
            // Streamed under a partial name, renamed when the run's rows are all in.
            let path = partial_path(&dir.join(TURNS_CSV));
            let file = File::create(&path).map_err(|e| ReportError::io(&path, e))?;
            Some(TurnsCsvWriter::new(BufWriter::new(file), &info.run_id)?)
        } else {
            None
        };
        Ok(Output {
            dir,
            formats,
            info,
            turns,
            turns_error: None,
            turns_filter,
        })
    }

    /// The run's identity and configuration, for [`crate::pipeline::run`].
    pub fn info(&self) -> &RunConfigInfo {
        &self.info
    }

    /// Sets the recorded start to now: after a `--start-at` wait, so that `started_at`
    /// is when the run really started and shards' time series align by wall clock.
    pub fn restart_clock(&mut self) {
        self.info.started_at = SystemTime::now();
    }

    /// The run's sink: appends the conversation's rows to `turns.csv` and flushes.
    pub fn on_conversation(&mut self, result: &ConversationResult, timing: &ConversationTiming) {
        let Some(writer) = &mut self.turns else {
            return;
        };
        let record = conversation_record(result, timing, self.info.text_limit());
        if !self.turns_filter.keeps(&record) {
            return;
        }
        if let Err(err) = writer.append(&record) {
            // Stop writing after the first failure: later rows would leave holes.
            self.turns = None;
            self.turns_error = Some(err.into());
        }
    }

    /// Completes `turns.csv` (flushed, then renamed from its partial name; removed when
    /// streaming it failed) and writes every other file of `result`; the directory they
    /// are in, or the first failure (a streaming failure of `turns.csv` first).
    pub fn write(mut self, result: &RunResult) -> Result<PathBuf, ReportError> {
        let turns = self.finish_turns();
        let others = write_reports(result, &self.dir, &self.formats, false);
        let Err(turns) = turns else {
            return others.map(|_| self.dir);
        };
        // turns.csv is missing: say so beside whatever else is.
        let (mut missing, written, reason) = match others {
            Ok(paths) => (Vec::new(), file_names(&paths), turns.to_string()),
            Err(ReportError::Missing {
                missing,
                written,
                reason,
                ..
            }) => (missing, written, reason),
            Err(other) => return Err(other),
        };
        missing.insert(0, TURNS_CSV.to_string());
        Err(ReportError::Missing {
            dir: self.dir,
            missing,
            written,
            reason,
        })
    }

    fn finish_turns(&mut self) -> Result<(), ReportError> {
        let partial = partial_path(&self.dir.join(TURNS_CSV));
        let finished = match (self.turns_error.take(), self.turns.take()) {
            (Some(err), _) => Err(err),
            (None, None) => return Ok(()),
            (None, Some(writer)) => finish_file(writer, &partial, &self.dir.join(TURNS_CSV)),
        };
        if finished.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        finished
    }
}

/// Flushes the streamed `turns.csv` to disk and gives it its name.
fn finish_file(
    writer: TurnsCsvWriter<BufWriter<File>>,
    partial: &Path,
    path: &Path,
) -> Result<(), ReportError> {
    let buffered = writer.into_inner()?;
    let file = buffered
        .into_inner()
        .map_err(|e| ReportError::io(partial, e.into_error()))?;
    file.sync_all().map_err(|e| ReportError::io(partial, e))?;
    std::fs::rename(partial, path).map_err(|e| ReportError::io(path, e))
}

/// Keeps a run name usable in a directory name on every platform.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe.is_empty() {
        "run".to_string()
    } else {
        safe
    }
}

/// Six hex digits that tell apart runs started in the same second (not a secret; no RNG
/// crate needed for it).
fn run_suffix(at: SystemTime) -> String {
    let nanos = at
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let mixed = u64::from(nanos) ^ (u64::from(std::process::id()) << 20);
    format!("{:06x}", mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40)
}
