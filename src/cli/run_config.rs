//! The [`RunConfig`] recorded in run.json: the flags of `convoy run` as given, with what
//! they resolved to where a flag alone does not tell (the seed, the rate cap, the think
//! time of each suite). Never a key or header; URLs lose their user-info when the result
//! is built.

use super::load_args::{ArrivalArg, LoadArgs};
use super::mock::MockFaultArgs;
use super::run::{RunArgs, TargetArg};
use super::shard_args::Sharding;
use crate::mock::VaryProfile;
use crate::report::result::{
    LimitsConfig, LoadConfig, MockSettings, RunConfig, ShardConfig, ThinkRecord, build_version,
    git_describe,
};
use crate::runner::{Plan, RunOptions};
use crate::suite::DurationRange;
use clap::ValueEnum;
use std::time::Duration;

/// The configuration of a run about to start. `base_url` and `embedded_mock` are filled
/// in from the outcome, which knows the embedded mock's address.
pub(super) fn run_config(
    args: &RunArgs,
    options: &RunOptions,
    plan: &Plan,
    sharding: Option<&Sharding>,
) -> RunConfig {
    let load = options
        .load
        .is_some()
        .then(|| load_config(&args.load, plan));
    let model = match (&load, args.load.rate) {
        (None, _) => "functional",
        (Some(_), Some(_)) => "open",
        (Some(_), None) => "closed",
    };
    RunConfig {
        target: match args.target {
            TargetArg::Mock => "mock",
            TargetArg::Wix => "wix",
        }
        .to_string(),
        base_url: String::new(),
        embedded_mock: false,
        concurrency: options.concurrency,
        filters: options.filters.clone(),
        timeout_ms: millis(options.timeout),
        submit: options.submit,
        model: model.to_string(),
        load,
        repeat: options.repeat,
        streamed: options.streamed,
        stream_format: args
            .stream_format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default(),
        http: crate::api::protocol::HttpVersions::from_flags(args.http1, args.http2)
            .recorded()
            .to_string(),
        retries: args.retries,
        max_rps: plan.max_rps,
        seed: options.mock_seed,
        mock: mock_settings(&args.mock, &options.mock_vary),
        shard: sharding.and_then(|s| {
            Some(ShardConfig {
                index: Some(s.shard.index),
                count: s.shard.count,
                run_id: args.shards.run_id.clone()?,
                merged: false,
            })
        }),
        limits: Some(LimitsConfig {
            max_response_bytes: args.max_response_bytes as u64,
            max_chunks: args.max_chunks,
            max_chunk_text: args.max_chunk_text,
        }),
        turns_csv: crate::report::turns_mode::TurnsCsvMode::resolve(
            args.turns_csv,
            options.load.is_some(),
        )
        .to_string(),
        convoy_version: build_version().to_string(),
        git_describe: git_describe().map(str::to_string),
    }
}

/// The load flags as given (a shard records the whole run's, not its slice).
fn load_config(flags: &LoadArgs, plan: &Plan) -> LoadConfig {
    let open = flags.rate.is_some();
    LoadConfig {
        vus: flags.vus,
        rate_per_s: flags.rate,
        ramp: flags.ramp.clone(),
        arrival: open.then(|| {
            match flags.arrival {
                ArrivalArg::Constant => "constant",
                ArrivalArg::Poisson => "poisson",
            }
            .to_string()
        }),
        max_sessions: open.then_some(flags.max_sessions),
        duration_us: flags.duration.map(micros),
        iterations: flags.iterations,
        think: think(flags.think, plan),
        warmup_us: micros(flags.warmup),
        grace_us: micros(flags.grace),
    }
}

/// `--think` overrides every suite's `think_time`, so it alone is recorded when given;
/// else each planned suite's non-zero `think_time`, once per suite file.
fn think(flag: Option<DurationRange>, plan: &Plan) -> Vec<ThinkRecord> {
    let record = |source: String, range: DurationRange| ThinkRecord {
        source,
        min_us: micros(range.min),
        max_us: micros(range.max),
    };
    if let Some(range) = flag {
        return vec![record("--think".into(), range)];
    }
    let mut out: Vec<ThinkRecord> = Vec::new();
    for planned in &plan.conversations {
        let suite = &planned.suite;
        let source = suite.path.display().to_string();
        let range = suite.defaults.think_time;
        if range != DurationRange::default() && !out.iter().any(|t| t.source == source) {
            out.push(record(source, range));
        }
    }
    out
}

/// The embedded mock's flags as written (`--vary` as resolved); `None` when none was given.
fn mock_settings(flags: &MockFaultArgs, vary: &VaryProfile) -> Option<MockSettings> {
    let settings = MockSettings {
        latency: flags.latency.iter().map(|g| g.text.clone()).collect(),
        faults: flags.faults.as_ref().map(|p| p.display().to_string()),
        fault: flags.fault.clone(),
        stall: flags.stall.iter().map(|g| g.text.clone()).collect(),
        seed: flags.seed,
        vary: (!vary.is_off()).then(|| vary.to_string()),
    };
    (settings != MockSettings::default()).then_some(settings)
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
