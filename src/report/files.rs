//! Which report files exist and how a [`RunResult`] becomes them on disk. Owns file names
//! and the `--format` vocabulary; renders by calling the pure writers.
//!
//! Every file is written atomically ([`write_atomically`]): a full disk or a crash leaves
//! either the whole file or none, never a truncated one that looks like a report.

use crate::report::result::{ResultError, RunResult};
use crate::report::{fields_csv, html, junit, latency_csv, personas_csv, summary_md, turns_csv};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A group of report files, as named by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `run.json`.
    Json,
    /// `latency.csv`, `turns.csv`, `fields.csv` and, when the run has personas,
    /// `personas.csv`.
    Csv,
    /// `junit.xml`.
    Junit,
    /// `summary.md`.
    Md,
    /// `report.html`.
    Html,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Csv,
        Format::Junit,
        Format::Md,
        Format::Html,
    ];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "junit" => Ok(Format::Junit),
            "md" => Ok(Format::Md),
            "html" => Ok(Format::Html),
            other => Err(format!(
                "unknown report format `{other}`: use json, csv, junit, md or html"
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot write {} in {}: {reason}; {}",
        missing.join(", "),
        dir.display(),
        written_text(written)
    )]
    Missing {
        dir: PathBuf,
        /// The files not written (nothing of them is left behind).
        missing: Vec<String>,
        /// The files that were written whole.
        written: Vec<String>,
        /// Why the first missing file could not be written.
        reason: String,
    },
    #[error("cannot render a CSV report: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Result(#[from] ResultError),
}

fn written_text(written: &[String]) -> String {
    if written.is_empty() {
        "no report file was written".to_string()
    } else {
        format!("written whole: {}", written.join(", "))
    }
}

impl ReportError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Renders the files of `formats`. `turns.csv` is included only with `with_turns`: during
/// a run it has already been streamed to disk and must not be overwritten.
pub fn render(
    result: &RunResult,
    formats: &[Format],
    with_turns: bool,
) -> Result<Vec<(&'static str, String)>, ReportError> {
    let mut files = Vec::new();
    for format in Format::ALL.into_iter().filter(|f| formats.contains(f)) {
        match format {
            Format::Json => files.push(("run.json", result.to_json()?)),
            Format::Csv => {
                files.push(("latency.csv", latency_csv::latency_csv(result)?));
                let off =
                    crate::report::turns_mode::TurnsCsvMode::recorded(&result.config.turns_csv)
                        == crate::report::turns_mode::TurnsCsvMode::Off;
                if with_turns && !off {
                    files.push(("turns.csv", turns_csv::turns_csv(result)?));
                }
                files.push(("fields.csv", fields_csv::fields_csv(result)?));
                if let Some(text) = personas_csv::personas_csv(result)? {
                    files.push(("personas.csv", text));
                }
            }
            Format::Junit => files.push(("junit.xml", junit::junit_xml(result))),
            Format::Md => files.push(("summary.md", summary_md::summary_md(result))),
            Format::Html => files.push(("report.html", html::report_html(result))),
        }
    }
    Ok(files)
}

/// Creates `dir` if needed and writes the rendered files into it, each atomically; returns
/// their paths. A file that cannot be written is left out whole, the others are still
/// written, and the error names both.
pub fn write_reports(
    result: &RunResult,
    dir: &Path,
    formats: &[Format],
    with_turns: bool,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut written = Vec::new();
    let mut failed: Vec<(&str, std::io::Error)> = Vec::new();
    for (name, text) in render(result, formats, with_turns)? {
        let path = dir.join(name);
        match write_atomically(&path, text.as_bytes()) {
            Ok(()) => written.push(path),
            Err(err) => failed.push((name, err)),
        }
    }
    let mut failed = failed.into_iter();
    let Some((first, reason)) = failed.next() else {
        return Ok(written);
    };
    Err(ReportError::Missing {
        dir: dir.to_path_buf(),
        missing: std::iter::once(first)
            .chain(failed.map(|(name, _)| name))
            .map(str::to_string)
            .collect(),
        written: file_names(&written),
        reason: reason.to_string(),
    })
}

/// The file names of `paths`, for messages.
pub fn file_names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect()
}

/// Where a file is written before it is complete: a hidden name in the same directory
/// (so the rename cannot cross file systems), which says what it is if a crash leaves it.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial"))
}

/// Writes `bytes` to [`partial_path`], flushes it to disk and renames it to `path`; on
/// any failure removes the partial file, so `path` is either whole or absent (an older
/// `path` is kept until the new one is complete).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = partial_path(path);
    let written = (|| {
        let mut file = std::fs::File::create(&partial)?;
        std::io::Write::write_all(&mut file, bytes)?;
        // A full disk may only show when the data is flushed, not at `write`.
        file.sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Parses a `--format` list such as `json,md`.
pub fn parse_formats(text: &str) -> Result<Vec<Format>, String> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(Format::from_str)
        .collect()
}
