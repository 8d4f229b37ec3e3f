//! The load flags of `convoy run` and their translation into a [`LoadSpec`].
//!
//! `--vus N` or `--rate R/s` selects the model; `--ramp` gives that model's shape (VUs,
//! or sessions per second) with the `--vus`/`--rate` number as its ceiling; `--ramp`
//! alone ramps VUs.

use crate::runner::load::{Arrival, LoadModel, LoadSpec, Shape};
use crate::suite::DurationRange;
use clap::{Args, ValueEnum};
use std::time::Duration;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ArrivalArg {
    /// Evenly spaced arrivals.
    Constant,
    /// Exponential gaps (seeded), as independent users arrive.
    Poisson,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Load")]
pub struct LoadArgs {
    /// Closed model: N virtual users running conversations back to back.
    #[arg(long, value_name = "N", conflicts_with = "rate")]
    pub vus: Option<u32>,
    /// Open model: R new sessions per second (`20` or `20/s`; `/m` for per minute).
    #[arg(long, value_name = "R/s", value_parser = crate::common::parse::arrival_rate)]
    pub rate: Option<f64>,
    /// Arrival process of the open model.
    #[arg(long, value_enum, default_value_t = ArrivalArg::Constant)]
    pub arrival: ArrivalArg,
    /// Worker threads of a load run, each with its own runtime, connections and recorder
    /// (default: the CPUs available to convoy).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub workers: Option<u32>,
    /// Open model: at most N sessions at once; later arrivals wait and count as late.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_sessions: usize,
    /// Stop starting sessions after D (e.g. 30s, 5m).
    #[arg(long, value_name = "D", value_parser = crate::common::parse::positive_duration)]
    pub duration: Option<Duration>,
    /// Stop after N sessions in total.
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
    /// Stages TARGET:DURATION,... e.g. "0:30s,200:2m,200:5m,0:30s" (linear between).
    #[arg(long, value_name = "STAGES")]
    pub ramp: Option<String>,
    /// Think time between turns, e.g. 2s or 1s..3s (overrides the suites' think_time).
    #[arg(long, value_name = "D|A..B", value_parser = crate::common::parse::duration_range)]
    pub think: Option<DurationRange>,
    /// Leave requests of the first D out of the headline figures.
    #[arg(long, value_name = "D", value_parser = crate::common::parse::duration, default_value = "0s")]
    pub warmup: Duration,
    /// After the stop (end of --duration, or Ctrl-C), how long sessions may finish.
    #[arg(long, value_name = "D", value_parser = crate::common::parse::duration, default_value = "10s")]
    pub grace: Duration,
    /// No live progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl LoadArgs {
    /// `None` for a functional run (no load flag given).
    /// `seed` is the run's `--seed` (shared with the embedded mock's draws).
    pub fn to_spec(&self, seed: u64) -> Result<Option<LoadSpec>, String> {
        if self.vus.is_none() && self.rate.is_none() && self.ramp.is_none() {
            return Ok(None);
        }
        let ceiling = self.vus.map(f64::from).or(self.rate);
        let shape = match &self.ramp {
            Some(text) => Shape::parse_ramp(text).map_err(|e| e.to_string())?,
            None => Shape::constant(ceiling.unwrap_or(0.0)),
        };
        if let Some(ceiling) = ceiling
            && shape.max_value() > ceiling + 1e-9
        {
            return Err(format!(
                "--ramp reaches {} but --{} is {ceiling}: raise the ceiling or lower the ramp",
                shape.max_value(),
                if self.rate.is_some() { "rate" } else { "vus" }
            ));
        }
        let model = match self.rate {
            Some(_) => LoadModel::Open {
                rate: shape,
                arrival: match self.arrival {
                    ArrivalArg::Constant => Arrival::Constant,
                    ArrivalArg::Poisson => Arrival::Poisson,
                },
                max_sessions: self.max_sessions,
            },
            None => LoadModel::Closed { vus: shape },
        };
        Ok(Some(LoadSpec {
            model,
            duration: self.duration,
            iterations: self.iterations,
            warmup: self.warmup,
            think: self.think,
            grace: self.grace,
            seed,
            phase: 0.0,
            workers: self.workers.map(|n| n as usize),
        }))
    }
}
