//! Load shapes: ramp stages (`--ramp "0:30s,200:2m"`) and the arrival schedule of the open
//! model. Pure functions of time, so they are tested without running anything.

use crate::runner::load::rng::Rng;
use std::time::Duration;

/// One ramp stage: move linearly from the previous target to `target` over `duration`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    pub target: f64,
    pub duration: Duration,
}

/// A piecewise-linear target over time (VUs or sessions per second), starting at `start`.
/// After the last stage the target stays at its last value.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub start: f64,
    pub stages: Vec<Stage>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShapeError {
    #[error("ramp stage `{0}` is not TARGET:DURATION (example: --ramp \"0:30s,200:2m,0:30s\")")]
    Malformed(String),
    #[error("ramp stage `{stage}`: {reason}")]
    Invalid { stage: String, reason: String },
    #[error("--ramp needs at least one stage")]
    Empty,
}

impl Shape {
    /// A constant target.
    pub fn constant(value: f64) -> Shape {
        Shape {
            start: value,
            stages: Vec::new(),
        }
    }

    /// Parses `T1:D1,T2:D2,...` (k6 stages): the shape starts at 0.
    pub fn parse_ramp(text: &str) -> Result<Shape, ShapeError> {
        let mut stages = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (target, duration) = part
                .split_once(':')
                .ok_or_else(|| ShapeError::Malformed(part.to_string()))?;
            let invalid = |reason: String| ShapeError::Invalid {
                stage: part.to_string(),
                reason,
            };
            let target: f64 = target
                .trim()
                .parse()
                .map_err(|_| invalid(format!("`{}` is not a number", target.trim())))?;
            if !target.is_finite() || target < 0.0 {
                return Err(invalid("the target must be 0 or more".into()));
            }
            let duration = crate::common::duration::parse_duration(duration)
                .map_err(|e| invalid(e.to_string()))?;
            stages.push(Stage { target, duration });
        }
        if stages.is_empty() {
            return Err(ShapeError::Empty);
        }
        Ok(Shape { start: 0.0, stages })
    }

    /// The total length of the stages (zero for a constant shape).
    pub fn length(&self) -> Duration {
        self.stages.iter().map(|s| s.duration).sum()
    }

    /// The target at `t` since the start.
    pub fn value_at(&self, t: Duration) -> f64 {
        let mut from = self.start;
        let mut elapsed = Duration::ZERO;
        for stage in &self.stages {
            let end = elapsed + stage.duration;
            if t < end {
                let into = (t - elapsed).as_secs_f64();
                let fraction = into / stage.duration.as_secs_f64().max(f64::MIN_POSITIVE);
                return from + (stage.target - from) * fraction;
            }
            from = stage.target;
            elapsed = end;
        }
        from
    }

    pub fn max_value(&self) -> f64 {
        self.stages
            .iter()
            .map(|s| s.target)
            .fold(self.start, f64::max)
    }
}

/// How sessions arrive in the open model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Evenly spaced at the current rate.
    Constant,
    /// Exponential gaps at the current rate (seeded).
    Poisson,
}

/// Produces intended session start times (offsets from the run start) for a rate shape.
#[derive(Debug, Clone)]
pub struct ArrivalSchedule {
    rate: Shape,
    arrival: Arrival,
    rng: Rng,
    next: Duration,
}

impl ArrivalSchedule {
    /// `phase` (in [0, 1)) shifts the evenly spaced arrivals, so that shards sharing a
    /// rate interleave instead of firing together.
    pub fn new(rate: Shape, arrival: Arrival, seed: u64, phase: f64) -> ArrivalSchedule {
        let mut schedule = ArrivalSchedule {
            rate,
            arrival,
            rng: Rng::new(seed),
            next: Duration::ZERO,
        };
        let first = schedule.area_to_next(phase.clamp(0.0, 1.0));
        schedule.next = schedule.rate.advance(Duration::ZERO, first);
        schedule
    }

    /// The next intended start, or `None` once the arrivals reach `limit` (or end, when
    /// the rate stays at zero).
    pub fn next_before(&mut self, limit: Duration) -> Option<Duration> {
        if self.next >= limit {
            return None;
        }
        let at = self.next;
        let area = self.area_to_next(1.0);
        self.next = self.rate.advance(at, area);
        Some(at)
    }

    /// Expected arrivals until the next one: `fraction` of one for evenly spaced
    /// arrivals, an exponential draw for a Poisson process (time-varying rates included,
    /// by inverting the integrated rate).
    fn area_to_next(&mut self, fraction: f64) -> f64 {
        match self.arrival {
            Arrival::Constant => fraction,
            Arrival::Poisson => self.rng.exponential(Duration::from_secs(1)).as_secs_f64(),
        }
    }
}

impl Shape {
    /// The time `t ≥ from` at which the integral of the shape from `from` reaches `area`
    /// (`Duration::MAX` if it never does). Exact for the piecewise-linear stages.
    pub fn advance(&self, from: Duration, area: f64) -> Duration {
        let mut need = area.max(0.0);
        let mut stage_start = 0.0;
        let mut level = self.start;
        let t0 = from.as_secs_f64();
        for stage in &self.stages {
            let length = stage.duration.as_secs_f64();
            let stage_end = stage_start + length;
            if t0 < stage_end && length > 0.0 {
                let slope = (stage.target - level) / length;
                // Area of r(x) = level + slope·x over [x0, x], x measured from stage start.
                let integral = |x: f64| level * x + slope * x * x / 2.0;
                let x0 = (t0 - stage_start).max(0.0);
                let available = integral(length) - integral(x0);
                if available >= need {
                    let total = integral(x0) + need;
                    let x = if slope.abs() < 1e-12 {
                        total / level.max(f64::MIN_POSITIVE)
                    } else {
                        let discriminant = (level * level + 2.0 * slope * total).max(0.0);
                        (-level + discriminant.sqrt()) / slope
                    };
                    return seconds(stage_start + x.clamp(x0, length));
                }
                need -= available;
            }
            stage_start = stage_end;
            level = stage.target;
        }
        // After the last stage the rate stays at `level`.
        if level <= 0.0 {
            return Duration::MAX;
        }
        seconds(t0.max(stage_start) + need / level)
    }
}

fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value).unwrap_or(Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn ramp_parses_and_interpolates() {
        let shape = Shape::parse_ramp("10:10s, 10:5s,0:5s").unwrap();
        assert_eq!(shape.length(), secs(20.0));
        assert_eq!(shape.value_at(secs(0.0)), 0.0);
        assert!((shape.value_at(secs(5.0)) - 5.0).abs() < 1e-9);
        assert_eq!(shape.value_at(secs(12.0)), 10.0);
        assert!((shape.value_at(secs(17.5)) - 5.0).abs() < 1e-9);
        assert_eq!(shape.value_at(secs(30.0)), 0.0);
        assert_eq!(shape.max_value(), 10.0);
    }

    #[test]
    fn ramp_errors_name_the_stage() {
        assert!(matches!(
            Shape::parse_ramp("10"),
            Err(ShapeError::Malformed(_))
        ));
        assert!(matches!(
            Shape::parse_ramp("x:1s"),
            Err(ShapeError::Invalid { .. })
        ));
        assert!(matches!(
            Shape::parse_ramp("5:1d"),
            Err(ShapeError::Invalid { .. })
        ));
        assert!(matches!(
            Shape::parse_ramp("-1:1s"),
            Err(ShapeError::Invalid { .. })
        ));
        assert_eq!(Shape::parse_ramp(" , "), Err(ShapeError::Empty));
    }

    #[test]
    fn constant_arrivals_are_evenly_spaced_with_a_phase() {
        let mut schedule = ArrivalSchedule::new(Shape::constant(10.0), Arrival::Constant, 1, 0.5);
        let times: Vec<Duration> = std::iter::from_fn(|| schedule.next_before(secs(1.0))).collect();
        assert_eq!(times.len(), 10);
        assert!((times[0].as_secs_f64() - 0.05).abs() < 1e-9);
        assert!((times[9].as_secs_f64() - 0.95).abs() < 1e-9);
    }

    #[test]
    fn poisson_arrivals_average_the_rate() {
        let mut schedule = ArrivalSchedule::new(Shape::constant(50.0), Arrival::Poisson, 9, 0.0);
        let count = std::iter::from_fn(|| schedule.next_before(secs(200.0))).count();
        let rate = count as f64 / 200.0;
        assert!((rate - 50.0).abs() < 1.5, "{rate}");
    }

    #[test]
    fn ramped_rate_integrates_to_the_area_under_the_ramp() {
        // 0 → 100/s over 10 s, then 100/s for 10 s: 500 + 1000 arrivals.
        let shape = Shape::parse_ramp("100:10s,100:10s").unwrap();
        let mut schedule = ArrivalSchedule::new(shape, Arrival::Constant, 1, 0.0);
        let count = std::iter::from_fn(|| schedule.next_before(secs(20.0))).count();
        assert!((count as f64 - 1500.0).abs() < 20.0, "{count}");
    }

    #[test]
    fn poisson_follows_a_ramp_too() {
        let shape = Shape::parse_ramp("100:10s,100:10s").unwrap();
        let mut schedule = ArrivalSchedule::new(shape, Arrival::Poisson, 5, 0.0);
        let count = std::iter::from_fn(|| schedule.next_before(secs(20.0))).count();
        assert!((count as f64 - 1500.0).abs() < 120.0, "{count}");
    }

    #[test]
    fn advance_integrates_linear_and_flat_segments() {
        let shape = Shape::parse_ramp("10:2s,10:1s").unwrap();
        // ∫0..t of 5t = 2.5 t² = 10 → t = 2 (the whole ramp).
        assert!((shape.advance(secs(0.0), 10.0).as_secs_f64() - 2.0).abs() < 1e-9);
        // Then 10/s on the flat stage and after it.
        assert!((shape.advance(secs(2.0), 5.0).as_secs_f64() - 2.5).abs() < 1e-9);
        assert!((shape.advance(secs(2.5), 10.0).as_secs_f64() - 3.5).abs() < 1e-9);
        let to_zero = Shape::parse_ramp("10:1s,0:1s").unwrap();
        assert_eq!(to_zero.advance(secs(0.0), 100.0), Duration::MAX);
    }

    #[test]
    fn a_ramp_to_zero_ends_the_arrivals() {
        let shape = Shape::parse_ramp("10:1s,0:1s").unwrap();
        let mut schedule = ArrivalSchedule::new(shape, Arrival::Constant, 1, 0.0);
        let count = std::iter::from_fn(|| schedule.next_before(secs(3600.0))).count();
        assert!(count > 0 && count < 20, "{count}");
    }
}
