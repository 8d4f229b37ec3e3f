//! The mock's latency model: a delay distribution per endpoint (fixed, uniform, or
//! log-normal given its median and p99), sampled from a seeded generator so that a run
//! is reproducible, and the `--latency ENDPOINT=SPEC` syntax that configures it.
//!
//! Owns parsing and sampling. It must not sleep (the handlers do, with `precise::sleep`,
//! so no runtime thread is ever blocked) and must not know about faults.

use super::select::EndpointSelector;
use super::stats::Endpoint;
use crate::common::duration::parse_duration;
use crate::common::rng::SplitMix64;
use std::str::FromStr;
use std::time::Duration;

/// z of the 99th percentile of the standard normal distribution.
const Z_P99: f64 = 2.326_347_874_040_841;

/// A delay distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delay {
    /// Always this long (`50ms`; `0` for none).
    Fixed(Duration),
    /// Uniform between the bounds, inclusive (`20ms..80ms`).
    Uniform(Duration, Duration),
    /// Log-normal with this median and 99th percentile (`lognormal:50ms,200ms`), p99 ≥
    /// median. Samples are capped at 100 × p99 so one draw cannot stall a run for hours.
    LogNormal { median: Duration, p99: Duration },
}

impl Default for Delay {
    fn default() -> Self {
        Delay::Fixed(Duration::ZERO)
    }
}

impl Delay {
    pub fn is_zero(&self) -> bool {
        *self == Delay::Fixed(Duration::ZERO)
    }

    /// One delay drawn from the distribution (a fixed delay draws nothing).
    pub fn sample(&self, rng: &mut SplitMix64) -> Duration {
        match *self {
            Delay::Fixed(d) => d,
            Delay::Uniform(lo, hi) => lo + (hi - lo).mul_f64(rng.next_f64()),
            Delay::LogNormal { median, p99 } => {
                let mu = median.as_secs_f64().max(1e-9).ln();
                let sigma = (p99.as_secs_f64().max(1e-9).ln() - mu).max(0.0) / Z_P99;
                let secs = (mu + sigma * rng.next_normal()).exp();
                let cap = p99.as_secs_f64() * 100.0;
                Duration::try_from_secs_f64(secs.min(cap)).unwrap_or(Duration::ZERO)
            }
        }
    }
}

impl FromStr for Delay {
    type Err = String;

    /// `50ms`, `20ms..80ms` or `lognormal:50ms,200ms`.
    fn from_str(text: &str) -> Result<Delay, String> {
        let text = text.trim();
        let duration = |s: &str| parse_duration(s).map_err(|e| format!("{e} in `{text}`"));
        if let Some(rest) = text.strip_prefix("lognormal:") {
            let (median, p99) = rest.split_once(',').ok_or_else(|| {
                format!("`{text}`: write lognormal:MEDIAN,P99, e.g. lognormal:50ms,200ms")
            })?;
            let (median, p99) = (duration(median)?, duration(p99)?);
            if p99 < median {
                return Err(format!("`{text}`: the p99 must be at least the median"));
            }
            return Ok(Delay::LogNormal { median, p99 });
        }
        if let Some((lo, hi)) = text.split_once("..") {
            let (lo, hi) = (duration(lo)?, duration(hi)?);
            if hi < lo {
                return Err(format!("`{text}`: the range ends before it starts"));
            }
            return Ok(Delay::Uniform(lo, hi));
        }
        Ok(Delay::Fixed(duration(text)?))
    }
}

/// A delay per endpoint, applied before the answer (for a streamed endpoint, before the
/// response head). Zero everywhere by default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    pub create: Delay,
    pub send: Delay,
    pub create_streamed: Delay,
    pub send_streamed: Delay,
    /// Generate Form Summary.
    pub summary: Delay,
}

impl Latency {
    /// The same delay for every endpoint.
    pub fn all(delay: Delay) -> Latency {
        Latency {
            create: delay,
            send: delay,
            create_streamed: delay,
            send_streamed: delay,
            summary: delay,
        }
    }

    /// The delay of `endpoint` (zero for stats and unrouted paths).
    pub fn of(&self, endpoint: Endpoint) -> Delay {
        match endpoint {
            Endpoint::Create => self.create,
            Endpoint::SendUserMessage => self.send,
            Endpoint::CreateStreamed => self.create_streamed,
            Endpoint::SendUserMessageStreamed => self.send_streamed,
            Endpoint::GenerateFormSummary => self.summary,
            Endpoint::Stats | Endpoint::Other => Delay::default(),
        }
    }

    /// Sets `delay` on every endpoint `selector` names.
    pub fn set(&mut self, selector: EndpointSelector, delay: Delay) {
        for (endpoint, slot) in [
            (Endpoint::Create, &mut self.create),
            (Endpoint::SendUserMessage, &mut self.send),
            (Endpoint::CreateStreamed, &mut self.create_streamed),
            (Endpoint::SendUserMessageStreamed, &mut self.send_streamed),
            (Endpoint::GenerateFormSummary, &mut self.summary),
        ] {
            if selector.matches(endpoint) {
                *slot = delay;
            }
        }
    }

    /// Applies `--latency` values in order (a later one overrides an earlier one).
    pub fn from_specs<S: AsRef<str>>(specs: &[S]) -> Result<Latency, String> {
        let mut latency = Latency::default();
        for spec in specs {
            let (selector, delay) = parse_spec(spec.as_ref())?;
            latency.set(selector, delay);
        }
        Ok(latency)
    }
}

/// `ENDPOINT=SPEC`, e.g. `send=lognormal:80ms,400ms`.
pub fn parse_spec(text: &str) -> Result<(EndpointSelector, Delay), String> {
    let (endpoint, delay) = text.split_once('=').ok_or_else(|| {
        format!("`{text}`: write ENDPOINT=DELAY, e.g. send=50ms or all=lognormal:50ms,200ms")
    })?;
    Ok((endpoint.trim().parse()?, delay.parse()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_the_three_shapes() {
        assert_eq!("50ms".parse(), Ok(Delay::Fixed(ms(50))));
        assert_eq!("20ms..80ms".parse(), Ok(Delay::Uniform(ms(20), ms(80))));
        assert_eq!(
            "lognormal:50ms,200ms".parse(),
            Ok(Delay::LogNormal {
                median: ms(50),
                p99: ms(200)
            })
        );
        for bad in [
            "",
            "50",
            "80ms..20ms",
            "lognormal:50ms",
            "lognormal:2s,1s",
            "x=1",
        ] {
            assert!(bad.parse::<Delay>().is_err(), "{bad}");
        }
    }

    #[test]
    fn specs_apply_in_order_and_twins_follow() {
        let latency = Latency::from_specs(&["all=5ms", "send=10ms", "send_streamed=20ms"])
            .expect("valid specs");
        assert_eq!(latency.create, Delay::Fixed(ms(5)));
        assert_eq!(latency.create_streamed, Delay::Fixed(ms(5)));
        assert_eq!(latency.send, Delay::Fixed(ms(10)));
        assert_eq!(latency.send_streamed, Delay::Fixed(ms(20)));
        assert!(Latency::from_specs(&["bogus=1ms"]).is_err());
        assert!(Latency::from_specs(&["send"]).is_err());
    }

    #[test]
    fn uniform_samples_stay_in_bounds() {
        let mut rng = SplitMix64::new(1);
        let delay = Delay::Uniform(ms(20), ms(80));
        for _ in 0..1000 {
            let d = delay.sample(&mut rng);
            assert!(d >= ms(20) && d <= ms(80), "{d:?}");
        }
    }

    /// The sampled median and p99 land near the configured ones.
    #[test]
    fn lognormal_matches_its_median_and_p99() {
        let mut rng = SplitMix64::new(9);
        let delay = Delay::LogNormal {
            median: ms(50),
            p99: ms(200),
        };
        let mut samples: Vec<Duration> = (0..20_000).map(|_| delay.sample(&mut rng)).collect();
        samples.sort();
        let median = samples[10_000].as_secs_f64() * 1000.0;
        let p99 = samples[19_800].as_secs_f64() * 1000.0;
        assert!((median - 50.0).abs() < 3.0, "median {median}");
        assert!((p99 - 200.0).abs() < 25.0, "p99 {p99}");
    }
}
