//! `convoy record SUITE...` and `convoy record --accept` / `convoy accept`: run the suites'
//! turns against a target, write `SUITE.pending.yaml` beside each suite, and promote a
//! reviewed pending file over its suite. Refuses to write anything when `CI` is set.

use super::run::TargetArg;
use super::{exit, load_suites};
use crate::pipeline::{Judging, RunConfigInfo, Sinks};
use crate::record::{self, pending_path};
use crate::report::result::RunStatus;
use crate::runner::{self, RunOptions, TargetKind};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Suite files (directories are walked like `run`, skipping `*.pending.yaml`).
    pub paths: Vec<PathBuf>,
    /// Promote each suite's pending file over the suite instead of recording.
    #[arg(long)]
    pub accept: bool,
    /// Where sessions go.
    #[arg(long, value_enum, default_value_t = TargetArg::Mock)]
    pub target: TargetArg,
    /// Service base URL; method paths are appended.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Request timeout, e.g. 30s, 500ms.
    #[arg(long, default_value = "30s", value_parser = crate::common::parse::positive_duration, value_name = "D")]
    pub timeout: Duration,
}

/// Recorded expectations are reviewed by a person; a CI job must never rewrite suites.
fn refuse_in_ci() -> bool {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        eprintln!(
            "error: `CI` is set: convoy record never writes suites in CI; record locally and \
             commit the reviewed result"
        );
        return true;
    }
    false
}

pub async fn record(args: RecordArgs) -> u8 {
    let paths = super::default_paths(&args.paths);
    if args.accept {
        return accept(&paths);
    }
    if refuse_in_ci() {
        return exit::USAGE;
    }
    let Some(suites) = load_suites(&paths) else {
        return exit::USAGE;
    };
    let options = RunOptions {
        target: match args.target {
            TargetArg::Mock => TargetKind::Mock,
            TargetArg::Wix => TargetKind::Wix,
        },
        base_url: args.base_url,
        timeout: args.timeout,
        ..RunOptions::default()
    };
    let plan = match runner::build_plan(suites.clone(), &options, |n| std::env::var(n).ok()) {
        Ok(plan) => plan,
        Err(err) => return super::plan_usage(err),
    };
    let stop = super::signals::graceful_stop();
    // A recording is made of every response: the sink keeps every whole transcript.
    let mut results: Vec<runner::outcome::ConversationResult> = Vec::new();
    let mut keep = |r: &runner::outcome::ConversationResult, _: &runner::ConversationTiming| {
        results.push(r.clone())
    };
    let info = RunConfigInfo {
        run_id: "record".into(),
        name: "record".into(),
        started_at: std::time::SystemTime::now(),
        config: Default::default(),
    };
    let sinks = Sinks {
        conversation: Some(&mut keep),
        ..Sinks::default()
    };
    let result = match crate::pipeline::run(&plan, &info, &Judging::default(), stop, sinks).await {
        Ok(result) => result,
        Err(err) => {
            eprintln!("error: {err}");
            return exit::RUN_ERROR;
        }
    };
    if result.interrupted {
        eprintln!("error: interrupted; nothing written");
        return exit::RUN_ERROR;
    }
    // Recording a target that is down would write empty pending files: say so instead.
    if result.status() == RunStatus::Errored {
        eprintln!(
            "error: every conversation errored against {}; nothing written",
            result.config.base_url
        );
        return exit::RUN_ERROR;
    }
    // In plan order, as the suites are written (they finished in any order).
    let position = |r: &runner::outcome::ConversationResult| {
        plan.conversations
            .iter()
            .position(|p| p.suite.name == r.suite && p.name() == r.conversation)
    };
    results.sort_by_key(|r| (position(r), r.iteration));
    let mut code = exit::PASSED;
    for suite in &suites {
        code = code.max(write_pending(suite, &results));
    }
    code
}

fn write_pending(
    suite: &crate::suite::Suite,
    results: &[runner::outcome::ConversationResult],
) -> u8 {
    let path = &suite.path;
    let source = match std::fs::read_to_string(path) {
        Ok(source) => source,
        Err(err) => {
            eprintln!("error: {}: {err}", path.display());
            return exit::RUN_ERROR;
        }
    };
    let recorded = match record::record(suite, &source, results) {
        Ok(recorded) => recorded,
        Err(err) => {
            eprintln!("error: {}: {err}", path.display());
            return exit::USAGE;
        }
    };
    if let Err(message) = write_transcript(suite, results) {
        eprintln!("error: {message}");
        return exit::RUN_ERROR;
    }
    let pending = pending_path(path);
    // Never leave a pending file that `--accept` would refuse.
    if let Err(diagnostics) = crate::suite::load_str(&pending.display().to_string(), &recorded.text)
    {
        for d in diagnostics {
            eprintln!("{d}\n");
        }
        eprintln!(
            "error: the recorded suite does not validate; nothing written (a bug: please report it)"
        );
        return exit::RUN_ERROR;
    }
    if let Err(err) = std::fs::write(&pending, &recorded.text) {
        eprintln!("error: {}: {err}", pending.display());
        return exit::RUN_ERROR;
    }
    outln!(
        "recorded {} expectation block(s): {}",
        recorded.blocks,
        pending.display()
    );
    for skipped in &recorded.skipped {
        outln!("  left as written: {skipped}");
    }
    print_changes(path, &recorded.changes);
    outln!(
        "review it (diff {} {}), then `convoy record --accept {}`",
        path.display(),
        pending.display(),
        path.display()
    );
    exit::PASSED
}

/// Every hand-written check that did not hold, where it is and what came instead: the
/// pending file holds the observed value with the original commented out above it.
fn print_changes(path: &Path, changes: &[record::Change]) {
    if changes.is_empty() {
        return;
    }
    outln!(
        "  {} hand-written check(s) did not hold; the pending file proposes what was observed, \
         the original commented out above it:",
        changes.len()
    );
    for change in changes {
        outln!(
            "    {}:{}: {}, {}: `{}` — observed {}",
            path.display(),
            change.line,
            change.conversation,
            change.place,
            change.was,
            change.observed
        );
    }
}

/// `SUITE.transcript.json` beside the suite, for `convoy mock --replay`.
fn write_transcript(
    suite: &crate::suite::Suite,
    results: &[runner::outcome::ConversationResult],
) -> Result<(), String> {
    let form_id = crate::suite::resolve_form_id(&suite.form, |n| std::env::var(n).ok())
        .map_err(|d| d.to_string())?;
    let transcript = record::transcript::transcript(suite, &form_id, results);
    let path = record::transcript::transcript_path(&suite.path);
    let text = serde_json::to_string_pretty(&transcript).map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    outln!("transcript: {}", path.display());
    Ok(())
}

/// `--accept`: each suite named (directories walked) whose pending file exists.
pub fn accept(paths: &[PathBuf]) -> u8 {
    if refuse_in_ci() {
        return exit::USAGE;
    }
    let loaded = crate::suite::load_paths(paths);
    if loaded.suites.is_empty() {
        for d in &loaded.diagnostics {
            eprintln!("{d}\n");
        }
        eprintln!("error: no suites to accept into");
        return exit::USAGE;
    }
    let mut code = exit::PASSED;
    let mut accepted = 0;
    for suite in &loaded.suites {
        let pending = pending_path(&suite.path);
        if !pending.is_file() {
            continue;
        }
        code = code.max(accept_one(&suite.path, &pending));
        accepted += 1;
    }
    if accepted == 0 {
        eprintln!("error: no pending files beside these suites; run `convoy record` first");
        return exit::USAGE;
    }
    code
}

fn accept_one(suite: &Path, pending: &Path) -> u8 {
    let bytes = match std::fs::read(pending) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: {}: {err}", pending.display());
            return exit::RUN_ERROR;
        }
    };
    // The pending file may have been edited during review: accept only a valid suite.
    if let Err(diagnostics) = crate::suite::load_bytes(&pending.display().to_string(), &bytes) {
        for d in diagnostics {
            eprintln!("{d}\n");
        }
        eprintln!(
            "error: {} does not validate; not accepted",
            pending.display()
        );
        return exit::USAGE;
    }
    if let Err(err) = std::fs::rename(pending, suite) {
        eprintln!(
            "error: moving {} over {}: {err}",
            pending.display(),
            suite.display()
        );
        return exit::RUN_ERROR;
    }
    outln!("accepted: {}", suite.display());
    exit::PASSED
}
