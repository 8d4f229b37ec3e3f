//! The shard flags of `convoy run` (`--shard i/N`, or `--shards N` with Kubernetes'
//! `JOB_COMPLETION_INDEX`; `--run-id`; `--start-at`), the fingerprint the shards of one
//! run must share, and the wait until the common start.

use crate::report::result::{ShardInfo, parse_rfc3339_utc, rfc3339_utc};
use crate::report::threshold::ThresholdSpec;
use crate::runner::load::shard::{Shard, Sliced, slice_spec};
use crate::runner::load::{LoadModel, LoadSpec, Shape};
use crate::runner::plan::Plan;
use clap::Args;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Set by Kubernetes in each pod of an Indexed Job.
pub const INDEX_ENV: &str = "JOB_COMPLETION_INDEX";

#[derive(Debug, Args)]
#[command(next_help_heading = "Shards (one run over several processes; see `convoy merge`)")]
pub struct ShardArgs {
    /// Run shard INDEX of COUNT of a load run (0-based, e.g. 0/4): this process takes its
    /// slice of the VUs or the rate and of --iterations. Needs --run-id.
    #[arg(long, value_name = "INDEX/COUNT", value_parser = parse_shard, conflicts_with = "shards")]
    pub shard: Option<Shard>,
    /// Run one of N shards, its index read from $JOB_COMPLETION_INDEX (a Kubernetes
    /// Indexed Job). Needs --run-id.
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// The run id every shard shares (letters, digits, `-`, `_`, `.`); `convoy merge`
    /// refuses shards of different runs.
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
    /// Wait until this instant before starting (RFC 3339 UTC, e.g. 2026-11-26T18:00:00Z,
    /// or unix seconds), so that shards start together and their time series line up.
    #[arg(long, value_name = "TIME", value_parser = parse_start_at)]
    pub start_at: Option<SystemTime>,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text).map_err(|e| e.to_string())
}

fn parse_run_id(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 128
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a run id: use 1 to 128 letters, digits, `-`, `_` or `.`"
        ))
    }
}

/// RFC 3339 UTC, or whole (or fractional) unix seconds.
pub fn parse_start_at(text: &str) -> Result<SystemTime, String> {
    if let Ok(secs) = text.trim().parse::<f64>()
        && let Ok(since) = Duration::try_from_secs_f64(secs)
    {
        return Ok(UNIX_EPOCH + since);
    }
    parse_rfc3339_utc(text).ok_or_else(|| {
        format!(
            "`{text}` is not a start time: write RFC 3339 UTC (2026-11-26T18:00:00Z) or unix seconds"
        )
    })
}

impl ShardArgs {
    /// The shard this process runs (`None` when not sharded), checked against the rest of
    /// the flags; `index_env` reads `JOB_COMPLETION_INDEX`.
    pub fn resolve(
        &self,
        is_load: bool,
        index_env: impl Fn() -> Option<String>,
    ) -> Result<Option<Shard>, String> {
        let shard = match (self.shard, self.shards) {
            (Some(shard), _) => shard,
            (None, Some(count)) => {
                let text = index_env().ok_or_else(|| {
                    format!("--shards needs ${INDEX_ENV} (set in a Kubernetes Indexed Job), or give --shard INDEX/COUNT")
                })?;
                let index = text
                    .trim()
                    .parse()
                    .map_err(|_| format!("${INDEX_ENV} is `{text}`, not a shard index"))?;
                Shard::new(index, count).map_err(|e| e.to_string())?
            }
            (None, None) => return Ok(None),
        };
        if !is_load {
            return Err(
                "--shard splits a load run: give --vus, --rate or --ramp (a functional run is not sharded)"
                    .into(),
            );
        }
        if self.run_id.is_none() {
            return Err(format!(
                "shard {shard} needs --run-id: every shard of a run shares one id, so `convoy merge` can tell them apart from other runs"
            ));
        }
        Ok(Some(shard))
    }
}

/// What every shard of a run must agree on, hashed: the planned conversations, the
/// unsliced load spec (seed included) and the thresholds. FNV-1a: stable across builds
/// and platforms, unlike `std`'s hasher; this is a consistency check, not security.
pub fn fingerprint(plan: &Plan, spec: &LoadSpec, thresholds: &[ThresholdSpec]) -> String {
    // Worker threads are each machine's own business: shards on machines of different
    // sizes are still one run.
    let spec = LoadSpec {
        workers: None,
        ..spec.clone()
    };
    let mut text = format!("{spec:?}\n");
    for planned in &plan.conversations {
        let users: Vec<Option<&str>> = planned
            .conversation()
            .map(|c| c.turns.iter().map(|t| t.user.as_deref()).collect())
            .unwrap_or_default();
        let persona = planned.persona().map(|p| format!("{p:?}"));
        text.push_str(&format!(
            "{}|{}|{}|{users:?}|{persona:?}\n",
            planned.suite.name,
            planned.name(),
            planned.weight()
        ));
    }
    for t in thresholds {
        text.push_str(&format!("{}|{}\n", t.threshold.expression, t.source));
    }
    let hash = crate::common::rng::fnv1a(text.as_bytes());
    format!("{hash:016x}")
}

/// A sharded run: the shard, the whole run's spec, and whether its slice is empty.
#[derive(Debug, Clone)]
pub struct Sharding {
    pub shard: Shard,
    pub whole: LoadSpec,
    pub empty: bool,
}

impl Sharding {
    /// From the flags (and `JOB_COMPLETION_INDEX`): `None` when the run is not sharded;
    /// otherwise `load` becomes the shard's slice.
    pub fn from_flags(
        flags: &ShardArgs,
        load: &mut Option<LoadSpec>,
    ) -> Result<Option<Sharding>, String> {
        let shard = flags.resolve(load.is_some(), || std::env::var(INDEX_ENV).ok())?;
        Ok(shard.and_then(|s| Sharding::apply(s, load)))
    }

    /// An empty shard did what it was asked (nothing): exit 0, and the merge judges.
    pub fn empty_exit(&self) -> u8 {
        println!(
            "shard {} had nothing to run (its slice of the VUs or iterations is empty): exit 0; the merge judges the run",
            self.shard
        );
        super::exit::PASSED
    }

    /// Replaces `load` by the shard's slice. An empty slice keeps the whole spec for
    /// now, so the plan is validated exactly as on the other shards; [`Self::idle`]
    /// then makes it run nothing.
    pub fn apply(shard: Shard, load: &mut Option<LoadSpec>) -> Option<Sharding> {
        let whole = load.clone()?;
        let empty = match slice_spec(&whole, shard) {
            Sliced::Run(part) => {
                *load = Some(part);
                false
            }
            Sliced::Empty => true,
        };
        Some(Sharding {
            shard,
            whole,
            empty,
        })
    }

    /// An empty shard still runs (no sessions, no wait), so it writes a run.json that
    /// `convoy merge` counts among the N.
    pub fn idle(&self, plan: &mut Plan) {
        if self.empty {
            plan.load = Some(LoadSpec {
                model: LoadModel::Closed {
                    vus: Shape::constant(0.0),
                },
                duration: Some(Duration::ZERO),
                iterations: None,
                grace: Duration::ZERO,
                ..self.whole.clone()
            });
        }
    }

    pub fn info(&self, plan: &Plan, thresholds: &[ThresholdSpec]) -> ShardInfo {
        ShardInfo {
            index: self.shard.index,
            count: self.shard.count,
            fingerprint: fingerprint(plan, &self.whole, thresholds),
            merged: false,
        }
    }
}

/// Sleeps until `at` (printing a note first); returns at once if it has passed.
pub async fn wait_until(at: SystemTime) {
    let Ok(wait) = at.duration_since(SystemTime::now()) else {
        eprintln!(
            "note: --start-at {} has passed; starting now",
            rfc3339_utc(at)
        );
        return;
    };
    eprintln!(
        "waiting {:.1}s for --start-at {}",
        wait.as_secs_f64(),
        rfc3339_utc(at)
    );
    tokio::time::sleep(wait).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(shard: Option<&str>, shards: Option<u32>, run_id: Option<&str>) -> ShardArgs {
        ShardArgs {
            shard: shard.map(|s| parse_shard(s).unwrap()),
            shards,
            run_id: run_id.map(String::from),
            start_at: None,
        }
    }

    #[test]
    fn resolves_the_shard_from_flags_or_the_job_index() {
        let none = || None;
        assert_eq!(args(None, None, None).resolve(true, none), Ok(None));
        let two = args(Some("2/4"), None, Some("t")).resolve(true, none);
        assert_eq!(two, Ok(Some(Shard { index: 2, count: 4 })));
        let job = args(None, Some(3), Some("t")).resolve(true, || Some("1".into()));
        assert_eq!(job, Ok(Some(Shard { index: 1, count: 3 })));
        let errors = [
            args(None, Some(3), Some("t")).resolve(true, none),
            args(None, Some(3), Some("t")).resolve(true, || Some("x".into())),
            args(None, Some(3), Some("t")).resolve(true, || Some("3".into())),
            args(Some("0/2"), None, None).resolve(true, none),
            args(Some("0/2"), None, Some("t")).resolve(false, none),
        ];
        for err in errors {
            assert!(err.is_err(), "{err:?}");
        }
    }

    #[test]
    fn parses_start_times_and_run_ids() {
        let at = UNIX_EPOCH + Duration::from_secs(1_798_306_091);
        assert_eq!(parse_start_at("1798306091"), Ok(at));
        assert_eq!(parse_start_at("2026-12-26T17:28:11Z"), Ok(at));
        assert!(parse_start_at("tomorrow").is_err());
        assert!(parse_start_at("-5").is_err());
        assert!(parse_run_id("load-2026.11_26").is_ok());
        assert!(parse_run_id("a/b").is_err());
        assert!(parse_run_id("").is_err());
    }
}
