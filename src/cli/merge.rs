//! `convoy merge SHARD/run.json... --out DIR`: reads the shards' results, merges them
//! (refusing shards of different runs or configurations, exit 2), writes the complete
//! report set and exits like the run would have: 0 passed, 1 failed (a session or a
//! threshold), 3 nothing completed or every session errored, or the run was interrupted.

use super::exit;
use super::formats::{FormatList, parse_format_list};
use crate::report::files::write_reports;
use crate::report::merge::{ShardFile, merge as merge_shards};
use crate::report::result::RunResult;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The run.json of every shard (all N of them, in any order), or a directory whose
    /// subdirectories each hold one shard's run.json (`DIR/*/run.json`).
    #[arg(required = true, value_name = "RUN.json|DIR")]
    pub shards: Vec<PathBuf>,
    /// Where the merged reports go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Files to write: comma list of json, csv, junit, md, html (turns.csv holds the
    /// shards' sample failures, as a load run's does).
    #[arg(long, default_value = "json,csv,junit,md,html", value_parser = parse_format_list, value_name = "LIST")]
    pub format: FormatList,
}

fn read(path: &PathBuf) -> Result<ShardFile, String> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {label}: {e}"))?;
    let result = RunResult::from_json(&text).map_err(|e| format!("{label}: {e}"))?;
    Ok(ShardFile { label, result })
}

/// The files the arguments name: a file itself, a directory its `*/run.json` (sorted;
/// a shell-free way to name every shard, for distroless images and CI steps).
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read the directory {}: {e}", path.display()))?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path().join("run.json"))
            .filter(|file| file.is_file())
            .collect();
        if found.is_empty() {
            return Err(format!(
                "no */run.json in {}: give the shards' run.json files or their parent directory",
                path.display()
            ));
        }
        found.sort();
        files.append(&mut found);
    }
    Ok(files)
}

pub fn merge(args: MergeArgs) -> u8 {
    let paths = match expand(&args.shards) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::USAGE;
        }
    };
    let mut shards = Vec::with_capacity(paths.len());
    for path in &paths {
        match read(path) {
            Ok(shard) => shards.push(shard),
            Err(message) => {
                eprintln!("error: {message}");
                return exit::USAGE;
            }
        }
    }
    let count = shards.len();
    let merged = match merge_shards(shards) {
        Ok(merged) => merged,
        Err(err) => {
            eprintln!("error: {err}");
            return exit::USAGE;
        }
    };
    if let Err(err) = write_reports(&merged, &args.out, &args.format.0, true) {
        eprintln!("error: could not write reports: {err}");
        return exit::RUN_ERROR;
    }
    let c = &merged.counters;
    println!(
        "convoy merge · run {} · {count} shard(s) · {} session(s): {} passed, {} failed, {} errored · {} request(s)",
        merged.run_id, c.conversations, c.passed, c.failed, c.errored, c.requests
    );
    for t in &merged.thresholds {
        let line = crate::report::threshold::threshold_line(t);
        println!("  {}", crate::report::console::sanitize(&line));
    }
    print!("{}", crate::report::console::verdict_lines(&merged));
    println!("reports: {}", args.out.display());
    exit::of(merged.status())
}
