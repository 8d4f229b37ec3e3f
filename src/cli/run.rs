//! `convoy run`: flags → plan → run → terminal report → exit code.

use super::formats::{FormatList, parse_format_list};
use super::load_args::LoadArgs;
use super::mock::{MockFaultArgs, StreamFormatArg};
use super::progress::ProgressView;
use super::shard_args::Sharding;
use super::{default_paths, exit, load_suites};
use crate::pipeline::output::Output;
use crate::pipeline::{Judging, Sinks};
use crate::report::console;
use crate::report::threshold::ThresholdSpec;
use crate::runner::{self, RunOptions, TargetKind};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TargetArg {
    /// The mock embedded in convoy (or any server given by --base-url), no auth.
    Mock,
    /// The real Wix API: reads WIX_API_KEY and WIX_SITE_ID (or WIX_ACCOUNT_ID).
    Wix,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Suite files or directories (default: ./suites).
    pub paths: Vec<PathBuf>,
    /// Where sessions go.
    #[arg(long, value_enum, default_value_t = TargetArg::Mock)]
    pub target: TargetArg,
    /// Service base URL; method paths are appended (any server that speaks the API).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Create sessions with dryRun: false (with --target wix, forms are really submitted).
    #[arg(long)]
    pub submit: bool,
    /// Conversations run at the same time.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,
    /// Only conversations with this tag, or whose name contains this text (repeatable).
    #[arg(long, value_name = "NAME|TAG")]
    pub filter: Vec<String>,
    /// Request timeout, e.g. 30s, 500ms.
    #[arg(long, default_value = "30s", value_parser = crate::common::parse::positive_duration, value_name = "D")]
    pub timeout: Duration,
    /// Report directory (default: reports/<UTC YYYYMMDDTHHMMSSZ>-<suite name, or `run`
    /// when several suites run>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Report files to write: comma list of json, csv, junit, md, html (csv = latency.csv,
    /// turns.csv, fields.csv and, when the run has personas, personas.csv).
    #[arg(long, default_value = "json,csv,junit,md,html", value_parser = parse_format_list, value_name = "LIST")]
    pub format: FormatList,
    /// Use the *-streamed endpoints for every request (overrides `streamed:` in suites).
    #[arg(long)]
    pub streamed: bool,
    /// Framing of the embedded mock's streamed responses (the embedded mock only).
    #[arg(long, value_enum, default_value_t = StreamFormatArg::Array, value_name = "FORMAT")]
    pub stream_format: StreamFormatArg,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Pass/fail criterion on the whole run, e.g. 'send.p95<2s', 'pass_rate>=0.99'
    /// (repeatable; added to the suites' `thresholds:`).
    #[arg(long = "threshold", value_name = "EXPR", value_parser = parse_threshold)]
    pub thresholds: Vec<crate::common::threshold::Threshold>,
    /// Retry 429, 503 and connect errors up to N times (exponential backoff with full
    /// jitter, honouring Retry-After up to 10s). Off by default.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub retries: u32,
    /// Cap on requests per second across all sessions (0: no cap). Default: 3.33 (200/min,
    /// Wix's documented limit) with --target wix, no cap otherwise.
    #[arg(long, value_parser = crate::common::parse::rate_cap, value_name = "R")]
    pub max_rps: Option<f64>,
    /// Speak HTTP/1.1 only (by default ALPN offers HTTP/2 and HTTP/1.1 to https:// targets).
    #[arg(long, conflicts_with = "http2")]
    pub http1: bool,
    /// Speak HTTP/2 only: ALPN h2 for https://, h2c with prior knowledge for http://.
    #[arg(long)]
    pub http2: bool,
    /// Body bytes of one response, streamed or not, before the request fails as
    /// `too_large` (e.g. 16MiB, 512KiB).
    #[arg(long, default_value = "16MiB", value_parser = crate::common::parse::byte_size, value_name = "SIZE")]
    pub max_response_bytes: usize,
    /// Chunks of one response (a streamed response's messages, a unary reply's
    /// `responseChunks`) before the request fails as `too_large`.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_chunks: u64,
    /// Characters of one chunk's text (or a failure's actual value) kept in the reports;
    /// longer ones are cut, with a marker giving their full length.
    #[arg(long, default_value_t = crate::report::result::DEFAULT_MAX_CHUNK_TEXT, value_name = "CHARS", value_parser = clap::value_parser!(u64).range(16..))]
    pub max_chunk_text: u64,
    /// Latency and fault flags of the embedded mock (`convoy mock --help` has them all).
    #[command(flatten)]
    pub mock: MockFaultArgs,
    #[command(flatten)]
    pub shards: super::shard_args::ShardArgs,
    /// Run every conversation N times (overrides `repeat:` in suites); each conversation
    /// then passes when its pass rate reaches its `min_pass_rate` (default 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: Option<u32>,
    /// Compare the new run.json with this saved one (as `convoy compare` does, with the
    /// comparison flags below) and exit 1 on a regression.
    #[arg(long, value_name = "BASE.json")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub compare: super::compare::ToleranceArgs,
    #[command(flatten)]
    pub metrics: super::live_metrics::MetricsArgs,
    #[command(flatten)]
    pub tracing: super::trace_args::TraceArgs,
    /// Stop at the first failed or errored conversation: none starts after it, those in
    /// flight finish, the reports say the run stopped early. Functional runs only.
    #[arg(long)]
    pub fail_fast: bool,
    /// Which rows turns.csv keeps: all, failures (turns of failed or errored
    /// conversations), sample:N (about 1 conversation in N, plus every failure) or off.
    /// Default: all for a functional run, sample:100 for a load run.
    #[arg(long, value_name = "MODE")]
    pub turns_csv: Option<crate::report::turns_mode::TurnsCsvMode>,
}

/// Parses a `--threshold`; a bad one is a usage error with a caret under the bad part.
pub(super) fn parse_threshold(text: &str) -> Result<crate::common::threshold::Threshold, String> {
    crate::common::threshold::parse(text).map_err(|e| e.render())
}

/// Flags first, then each suite's `thresholds:` in file order.
fn threshold_specs(
    flags: &[crate::common::threshold::Threshold],
    suites: &[crate::suite::Suite],
) -> Vec<ThresholdSpec> {
    let from_flags = flags.iter().map(|t| ThresholdSpec {
        threshold: t.clone(),
        source: "--threshold".into(),
    });
    let from_suites = suites
        .iter()
        .flat_map(|s| &s.thresholds)
        .map(|t| ThresholdSpec {
            threshold: t.value.clone(),
            source: format!("{}:{}", t.loc.file, t.loc.line),
        });
    from_flags.chain(from_suites).collect()
}

/// Everything `run` needs once the flags and suites are understood.
struct Prepared {
    plan: runner::Plan,
    output: Output,
    judging: Judging,
    sharding: Option<Sharding>,
    start_at: Option<std::time::SystemTime>,
    quiet: bool,
    baseline: Option<(PathBuf, crate::report::compare::Tolerances)>,
    tracing: super::trace_args::Tracing,
}

/// A usage error: printed, then exit 2.
fn usage(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    exit::USAGE
}

pub async fn run(args: RunArgs) -> u8 {
    let metrics_args = args.metrics.clone();
    let mut prepared = match prepare(args) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let run_id = prepared.output.info().run_id.clone();
    let shard = prepared.sharding.as_ref().map(|s| s.shard.to_string());
    let metrics = match super::live_metrics::start_for_run(&metrics_args, &run_id, shard).await {
        Ok(Some((live, server))) => {
            prepared.plan.live = Some(live);
            Some(server)
        }
        Ok(None) => None,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::RUN_ERROR;
        }
    };
    let code = run_prepared(prepared).await;
    // Served until the reports are written (and --metrics-linger longer).
    if let Some(metrics) = metrics {
        metrics.finish().await;
    }
    code
}

async fn run_prepared(mut prepared: Prepared) -> u8 {
    // Installed before any `--start-at` wait, so a Ctrl-C while waiting still ends in a
    // report (an interrupted run with nothing in it) rather than a killed process.
    let stop = super::signals::graceful_stop();
    tokio::pin!(stop);
    let mut stopped_early = false;
    if let Some(at) = prepared.start_at {
        tokio::select! {
            () = super::shard_args::wait_until(at) => {}
            () = &mut stop => stopped_early = true,
        }
        prepared.output.restart_clock();
    }
    let stop = async {
        if !stopped_early {
            stop.await;
        }
    };
    let Prepared {
        plan,
        mut output,
        judging,
        ..
    } = prepared;
    let info = output.info().clone();
    let mut view = ProgressView::new(prepared.quiet || plan.load.is_none());
    let mut announce = |to: &runner::Announced<'_>| print_header(&plan, to);
    let mut conversation = |r: &runner::ConversationResult, t: &runner::ConversationTiming| {
        output.on_conversation(r, t)
    };
    let mut progress = |p: &runner::load::Progress| view.update(p);
    let sinks = Sinks {
        announce: Some(&mut announce),
        conversation: Some(&mut conversation),
        progress: Some(&mut progress),
    };
    let executed = crate::pipeline::run(&plan, &info, &judging, stop, sinks).await;
    view.finish();
    // Finished before anything else: whatever happens next, the exchanges are kept.
    let traced = prepared.tracing.finish();
    let result = match executed {
        Ok(result) => result,
        Err(err) => {
            eprintln!("error: {err}");
            return exit::RUN_ERROR;
        }
    };
    if prepared.tracing.transcripts {
        out!(
            "{}",
            crate::report::console_transcripts::passing_transcripts(&result)
        );
    }
    out!("{}", console::summary(&result));
    // Written even for an interrupted run: what finished is still worth keeping.
    match output.write(&result) {
        Ok(dir) => outln!("reports: {}", dir.display()),
        Err(err) => {
            eprintln!("error: could not write reports: {err}");
            return exit::RUN_ERROR;
        }
    }
    match traced {
        Some(Ok(line)) => outln!("{line}"),
        Some(Err(err)) => {
            eprintln!("error: {err}");
            return exit::RUN_ERROR;
        }
        None => {}
    }
    if let Some(sharding) = prepared.sharding.as_ref().filter(|s| s.empty) {
        return sharding.empty_exit();
    }
    let code = exit::of(result.status());
    match &prepared.baseline {
        Some((base, tolerances)) => super::compare::fold_baseline(code, base, &result, *tolerances),
        None => code,
    }
}

/// Flags and suites → a plan and a prepared report directory, before any request; the
/// error is the exit code (its message already printed).
fn prepare(args: RunArgs) -> Result<Prepared, u8> {
    let Some(suites) = load_suites(&default_paths(&args.paths)) else {
        return Err(exit::USAGE);
    };
    let thresholds = threshold_specs(&args.thresholds, &suites);
    let run_name = match suites.as_slice() {
        [single] => single.name.clone(),
        _ => "run".to_string(),
    };
    let mut options = run_options(&args).map_err(usage)?;
    let sharding = Sharding::from_flags(&args.shards, &mut options.load).map_err(usage)?;
    let mut plan = runner::build_plan(suites, &options, |name| std::env::var(name).ok())
        .map_err(super::plan_usage)?;
    let config = super::run_config::run_config(&args, &options, &plan, sharding.as_ref());
    let output = Output::prepare(
        args.out,
        args.format.0,
        &run_name,
        config,
        args.shards.run_id,
    )
    .map_err(|err| {
        eprintln!("error: could not prepare reports: {err}");
        exit::RUN_ERROR
    })?;
    let max_text = usize::try_from(args.max_chunk_text).unwrap_or(usize::MAX);
    let tracing = args.tracing.tracing(max_text).map_err(|err| {
        eprintln!("error: could not prepare the trace: {err}");
        exit::RUN_ERROR
    })?;
    plan.trace = tracing.hook.clone();
    let mut judging = Judging::default();
    if let Some(sharding) = &sharding {
        judging.shard = Some(sharding.info(&plan, &thresholds));
        sharding.idle(&mut plan);
    }
    judging.thresholds = thresholds;
    Ok(Prepared {
        plan,
        output,
        judging,
        sharding,
        start_at: args.shards.start_at,
        quiet: args.load.quiet,
        baseline: args.baseline.map(|b| (b, args.compare.tolerances())),
        tracing,
    })
}

/// The run options the flags describe; a message for a usage error.
fn run_options(args: &RunArgs) -> Result<RunOptions, String> {
    let (mock_latency, mock_faults, mock_seed) = args.mock.resolve()?;
    let mock_vary = args.mock.vary_profile()?;
    if args.mock.is_set() && (args.base_url.is_some() || matches!(args.target, TargetArg::Wix)) {
        return Err("--latency, --stall, --faults, --fault and --vary shape the embedded mock; give them to `convoy mock` when using --base-url or --target wix".into());
    }
    Ok(RunOptions {
        target: match args.target {
            TargetArg::Mock => TargetKind::Mock,
            TargetArg::Wix => TargetKind::Wix,
        },
        base_url: args.base_url.clone(),
        submit: args.submit,
        concurrency: args.concurrency,
        filters: args.filter.clone(),
        timeout: args.timeout,
        streamed: args.streamed,
        stream_format: args.stream_format.into(),
        load: args.load.to_spec(mock_seed)?,
        mock_latency,
        mock_faults,
        mock_seed,
        mock_vary,
        retries: crate::api::retry::RetryPolicy::new(args.retries),
        max_rps: args.max_rps,
        http: crate::api::protocol::HttpVersions::from_flags(args.http1, args.http2),
        fail_fast: args.fail_fast,
        repeat: args.repeat,
        limits: crate::api::limits::ResponseLimits {
            max_bytes: args.max_response_bytes,
            max_chunks: usize::try_from(args.max_chunks).unwrap_or(usize::MAX),
        },
    })
}

/// The first line, printed before the first request: a load run can take minutes.
fn print_header(plan: &runner::Plan, started: &runner::Announced<'_>) {
    let target = if started.embedded_mock {
        "embedded mock"
    } else {
        "target"
    };
    outln!(
        "convoy run · {} conversation(s) · {target} {}",
        plan.conversations.len(),
        crate::api::endpoint::strip_userinfo(started.base_url)
    );
}
