//! Sharding a load run over N independent processes (`--shard i/N`): which slice of the
//! virtual users, of the arrival rate and of the iteration budget shard `i` takes, and how
//! its arrivals are offset so that N shards together do not fire in lock-step.
//!
//! Pure functions of the unsliced [`LoadSpec`] and the shard: every shard computes its own
//! slice from the same flags, with no coordinator, and the slices add up exactly.

use crate::runner::load::rng::Rng;
use crate::runner::load::schedule::{Shape, Stage};
use crate::runner::load::{Arrival, LoadModel, LoadSpec};
use std::fmt;

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShardError {
    #[error("`{0}` is not a shard: write INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/4")]
    Malformed(String),
    #[error("shard index {index} is out of range for {count} shard(s): use 0..{count}")]
    OutOfRange { index: u32, count: u32 },
}

impl Shard {
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        if count == 0 || index >= count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }

    /// Parses `i/N`, e.g. `0/4`.
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let malformed = || ShardError::Malformed(text.to_string());
        let (index, count) = text.trim().split_once('/').ok_or_else(malformed)?;
        let index = index.trim().parse().map_err(|_| malformed())?;
        let count = count.trim().parse().map_err(|_| malformed())?;
        Shard::new(index, count)
    }

    /// This shard's part of `total` whole things (VUs, iterations): `total / N`, plus one
    /// for the first `total mod N` shards, so the parts add up to `total` exactly.
    pub fn slice(&self, total: u64) -> u64 {
        let (index, count) = (u64::from(self.index), u64::from(self.count));
        total / count + u64::from(index < total % count)
    }

    /// The seed of this shard's random streams (Poisson gaps, conversation picks, think
    /// times): derived from the run's seed, so shards are independent but reproducible.
    /// Shard 0 of 1 keeps the run's seed, so an unsharded run is unchanged.
    pub fn seed(&self, seed: u64) -> u64 {
        if self.count == 1 {
            return seed;
        }
        Rng::for_worker(seed, u64::from(self.index) | 1 << 32).next_u64()
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A shard's part of a load run.
#[derive(Debug, Clone, PartialEq)]
pub enum Sliced {
    /// The spec this shard runs.
    Run(LoadSpec),
    /// This shard's slice is empty (fewer VUs or iterations than shards): it runs nothing.
    Empty,
}

/// Shard `shard`'s part of `spec`.
///
/// - Closed model: `slice(V)` of the `V` VUs (`V` = the shape's highest target); a ramp's
///   every target is scaled by the shard's share `slice(V) / V`.
/// - Open model: `R / N` sessions per second each (every target of a ramp too), with
///   constant arrivals phased by `i / N` of a gap so the shards interleave, and Poisson
///   arrivals drawn from a per-shard seed.
/// - Iterations: sliced like VUs, over the shards that have any VUs (all of them in the
///   open model); a shard whose slice is 0 is [`Sliced::Empty`].
pub fn slice_spec(spec: &LoadSpec, shard: Shard) -> Sliced {
    let mut sliced = spec.clone();
    sliced.seed = shard.seed(spec.seed);
    let count = f64::from(shard.count);
    // The shards that get any VUs (the first V when there are fewer VUs than shards) share
    // the iterations, so no iteration goes to a shard that cannot run it.
    let mut active = shard;
    match &mut sliced.model {
        LoadModel::Closed { vus } => {
            let total = vus.max_value().round() as u64;
            let part = shard.slice(total);
            if part == 0 {
                return Sliced::Empty;
            }
            *vus = scaled(vus, part as f64 / total as f64);
            active.count = u32::try_from(total).map_or(shard.count, |t| t.min(shard.count));
        }
        LoadModel::Open { rate, arrival, .. } => {
            *rate = scaled(rate, 1.0 / count);
            if *arrival == Arrival::Constant {
                // Each shard's gap is N / R; shifting shard i by i/N of it interleaves the
                // shards into one evenly spaced stream at R.
                sliced.phase = (spec.phase + f64::from(shard.index)) / count;
            }
        }
    }
    if let Some(iterations) = spec.iterations {
        let part = active.slice(iterations);
        if part == 0 {
            return Sliced::Empty;
        }
        sliced.iterations = Some(part);
    }
    Sliced::Run(sliced)
}

fn scaled(shape: &Shape, factor: f64) -> Shape {
    Shape {
        start: shape.start * factor,
        stages: shape
            .stages
            .iter()
            .map(|s| Stage {
                target: s.target * factor,
                duration: s.duration,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::load::schedule::ArrivalSchedule;
    use std::time::Duration;

    fn spec(model: LoadModel, iterations: Option<u64>) -> LoadSpec {
        LoadSpec {
            model,
            duration: Some(Duration::from_secs(10)),
            iterations,
            warmup: Duration::ZERO,
            think: None,
            grace: Duration::from_secs(1),
            seed: 7,
            phase: 0.0,
            workers: None,
        }
    }

    fn closed(vus: f64) -> LoadModel {
        LoadModel::Closed {
            vus: Shape::constant(vus),
        }
    }

    fn open(rate: Shape, arrival: Arrival) -> LoadModel {
        LoadModel::Open {
            rate,
            arrival,
            max_sessions: 100,
        }
    }

    fn shards(count: u32) -> impl Iterator<Item = Shard> {
        (0..count).map(move |i| Shard::new(i, count).unwrap())
    }

    #[test]
    fn parses_and_refuses_shards() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse(" 0 / 1 "), Ok(Shard { index: 0, count: 1 }));
        assert!(matches!(
            Shard::parse("4/4"),
            Err(ShardError::OutOfRange { .. })
        ));
        assert!(matches!(
            Shard::parse("0/0"),
            Err(ShardError::OutOfRange { .. })
        ));
        assert!(matches!(Shard::parse("1"), Err(ShardError::Malformed(_))));
        assert!(matches!(
            Shard::parse("-1/4"),
            Err(ShardError::Malformed(_))
        ));
        assert_eq!(Shard::new(1, 3).unwrap().to_string(), "1/3");
    }

    #[test]
    fn slices_add_up_exactly() {
        for total in [0u64, 1, 3, 4, 10, 101] {
            for count in 1..=7 {
                let parts: Vec<u64> = shards(count).map(|s| s.slice(total)).collect();
                assert_eq!(parts.iter().sum::<u64>(), total, "{total} over {count}");
                let (min, max) = (parts.iter().min(), parts.iter().max());
                assert!(max.unwrap() - min.unwrap() <= 1, "{parts:?}");
            }
        }
    }

    #[test]
    fn vus_and_iterations_are_sliced_and_empty_slices_run_nothing() {
        let whole = spec(closed(10.0), Some(6));
        let mut vus = 0.0;
        for shard in shards(4) {
            let Sliced::Run(part) = slice_spec(&whole, shard) else {
                panic!("shard {shard} is empty");
            };
            let LoadModel::Closed { vus: shape } = &part.model else {
                panic!("closed stays closed");
            };
            vus += shape.max_value();
            let expected = if shard.index < 2 { 2 } else { 1 };
            assert_eq!(part.iterations, Some(expected));
        }
        assert!((vus - 10.0).abs() < 1e-9, "{vus}");
        assert_eq!(
            slice_spec(&spec(closed(2.0), None), Shard::new(3, 4).unwrap()),
            Sliced::Empty
        );
        assert_eq!(
            slice_spec(&spec(closed(8.0), Some(3)), Shard::new(3, 4).unwrap()),
            Sliced::Empty
        );
        // 2 VUs over 3 shards: the two shards with a VU share all 5 iterations.
        let parts: Vec<Option<u64>> = shards(3)
            .map(|s| match slice_spec(&spec(closed(2.0), Some(5)), s) {
                Sliced::Run(part) => part.iterations,
                Sliced::Empty => None,
            })
            .collect();
        assert_eq!(parts, vec![Some(3), Some(2), None]);
    }

    #[test]
    fn a_vu_ramp_scales_every_stage_by_the_share() {
        let ramp = Shape::parse_ramp("8:10s,8:10s,0:5s").unwrap();
        let whole = spec(LoadModel::Closed { vus: ramp }, None);
        let Sliced::Run(part) = slice_spec(&whole, Shard::new(1, 4).unwrap()) else {
            panic!("not empty");
        };
        let LoadModel::Closed { vus } = part.model else {
            panic!("closed");
        };
        let targets: Vec<f64> = vus.stages.iter().map(|s| s.target).collect();
        assert_eq!(targets, vec![2.0, 2.0, 0.0]);
    }

    #[test]
    fn constant_arrivals_of_the_shards_interleave_evenly() {
        let whole = spec(open(Shape::constant(40.0), Arrival::Constant), None);
        let mut times = Vec::new();
        for shard in shards(4) {
            let Sliced::Run(part) = slice_spec(&whole, shard) else {
                panic!("not empty");
            };
            let LoadModel::Open { rate, arrival, .. } = part.model else {
                panic!("open");
            };
            assert_eq!(rate.max_value(), 10.0);
            let mut schedule = ArrivalSchedule::new(rate, arrival, part.seed, part.phase);
            times.extend(std::iter::from_fn(|| {
                schedule.next_before(Duration::from_secs(2))
            }));
        }
        times.sort();
        assert_eq!(times.len(), 80);
        for pair in times.windows(2) {
            let gap = (pair[1] - pair[0]).as_secs_f64();
            assert!((gap - 0.025).abs() < 1e-6, "gap {gap}");
        }
    }

    #[test]
    fn poisson_shards_draw_different_streams() {
        let whole = spec(open(Shape::constant(40.0), Arrival::Poisson), None);
        let seeds: Vec<u64> = shards(4)
            .map(|s| match slice_spec(&whole, s) {
                Sliced::Run(part) => part.seed,
                Sliced::Empty => panic!("not empty"),
            })
            .collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 4, "{seeds:?}");
        assert_eq!(Shard::new(0, 1).unwrap().seed(7), 7);
    }
}
