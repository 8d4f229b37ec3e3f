//! Which report files exist and how a [`RunResult`] becomes them on disk. Owns file names
//! and the `--format` vocabulary; renders by calling the pure writers.

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
    #[error("cannot render a CSV report: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Result(#[from] ResultError),
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
                if with_turns {
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

/// Creates `dir` if needed and writes the rendered files into it; returns their paths.
pub fn write_reports(
    result: &RunResult,
    dir: &Path,
    formats: &[Format],
    with_turns: bool,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut written = Vec::new();
    for (name, text) in render(result, formats, with_turns)? {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| ReportError::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Parses a `--format` list such as `json,md`.
pub fn parse_formats(text: &str) -> Result<Vec<Format>, String> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(Format::from_str)
        .collect()
}
