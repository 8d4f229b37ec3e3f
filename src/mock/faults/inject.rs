//! Deciding, per request, which fault (if any) the mock injects, and how long it waits.
//!
//! Owns the per-endpoint request counters and seeded generators: each endpoint has its
//! own, so for a given seed the faults and delays an endpoint's Nth request gets depend
//! only on N, never on how requests to other endpoints interleave. It must not build
//! responses or sleep.

use super::profile::{FaultKind, FaultProfile, FaultRule};
use crate::common::rng::{SplitMix64, mix};
use crate::mock::latency::Latency;
use crate::mock::stats::Endpoint;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The API endpoints, in the order of the per-endpoint state array.
const API_ENDPOINTS: [Endpoint; 5] = [
    Endpoint::Create,
    Endpoint::SendUserMessage,
    Endpoint::CreateStreamed,
    Endpoint::SendUserMessageStreamed,
    Endpoint::GenerateFormSummary,
];

/// What the mock does to one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Service time to add before answering.
    pub delay: Duration,
    /// The rule that fired, if one did.
    pub fault: Option<FaultRule>,
}

#[derive(Debug)]
struct EndpointState {
    requests: u64,
    faults: SplitMix64,
    latency: SplitMix64,
}

/// The mock's fault and latency decisions, shared by every request.
#[derive(Debug)]
pub struct Injector {
    profile: FaultProfile,
    latency: Latency,
    started: Instant,
    /// One std mutex per endpoint, held for a few arithmetic steps, never across `.await`.
    state: [Mutex<EndpointState>; API_ENDPOINTS.len()],
}

impl Injector {
    pub fn new(profile: FaultProfile, latency: Latency, seed: u64) -> Injector {
        let state = std::array::from_fn(|i| {
            let base = mix(seed ^ mix(i as u64 + 1));
            Mutex::new(EndpointState {
                requests: 0,
                faults: SplitMix64::new(base),
                latency: SplitMix64::new(mix(base ^ 0x006c_6174_656e_6379)),
            })
        });
        Injector {
            profile,
            latency,
            started: Instant::now(),
            state,
        }
    }

    /// The decision for the next request to `endpoint` (nothing for stats or unrouted
    /// paths). Every matching rule draws once per request, fired or not, so adding a
    /// rule never shifts what the others decide.
    pub fn decide(&self, endpoint: Endpoint) -> Decision {
        let Some(index) = API_ENDPOINTS.iter().position(|e| *e == endpoint) else {
            return Decision::default();
        };
        let since_start = self.started.elapsed();
        let delay_spec = self.latency.of(endpoint);
        let mut state = self.state[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.requests += 1;
        let number = state.requests;
        let delay = delay_spec.sample(&mut state.latency);
        let mut fault = None;
        for rule in &self.profile.rules {
            if !rule.endpoint.matches(endpoint) {
                continue;
            }
            let draw = state.faults.next_f64();
            if fault.is_none() && applies(rule, endpoint, number, since_start, draw) {
                fault = Some(rule.clone());
            }
        }
        Decision { delay, fault }
    }

    /// Whether any stall window is configured (responses need watching at all).
    pub fn has_stalls(&self) -> bool {
        !self.profile.stalls.is_empty()
    }

    /// When a response ready now must be released: the end of the stall window that
    /// contains now, if any (windows that touch are chained).
    pub fn stall_until(&self, now: Instant) -> Option<Instant> {
        let mut since = now.saturating_duration_since(self.started);
        let mut held = false;
        // Windows may overlap or chain; a handful at most, so a fixed-point loop is fine.
        for _ in 0..=self.profile.stalls.len() {
            let Some(end) = self
                .profile
                .stalls
                .iter()
                .filter(|s| s.at <= since && since < s.at + s.duration)
                .map(|s| s.at + s.duration)
                .max()
            else {
                break;
            };
            since = end;
            held = true;
        }
        held.then(|| self.started + since)
    }
}

fn applies(rule: &FaultRule, endpoint: Endpoint, number: u64, since: Duration, draw: f64) -> bool {
    let streamed = matches!(
        endpoint,
        Endpoint::CreateStreamed | Endpoint::SendUserMessageStreamed
    );
    if rule.kind.streamed_only() && !streamed {
        return false;
    }
    let send = matches!(
        endpoint,
        Endpoint::SendUserMessage | Endpoint::SendUserMessageStreamed
    );
    if rule.kind.send_only() && !send {
        return false;
    }
    if rule.kind == FaultKind::Stall {
        return false;
    }
    (rule.requests.is_empty() || rule.requests.contains(&number))
        && rule.from.is_none_or(|from| since >= from)
        && rule.until.is_none_or(|until| since < until)
        && draw < rule.rate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::faults::profile::parse_profile;

    fn injector(yaml: &str, seed: u64) -> Injector {
        let profile = parse_profile("t.yaml", yaml).expect("valid profile");
        Injector::new(profile, Latency::default(), seed)
    }

    fn kinds(injector: &Injector, endpoint: Endpoint, n: usize) -> Vec<Option<FaultKind>> {
        (0..n)
            .map(|_| injector.decide(endpoint).fault.map(|r| r.kind))
            .collect()
    }

    /// Same seed, same faults; another seed, other faults.
    #[test]
    fn rates_are_deterministic_per_seed() {
        let yaml = "faults:\n  - {kind: http_500, endpoint: send, rate: 0.3}\n";
        let a = kinds(&injector(yaml, 7), Endpoint::SendUserMessage, 200);
        let b = kinds(&injector(yaml, 7), Endpoint::SendUserMessage, 200);
        let c = kinds(&injector(yaml, 8), Endpoint::SendUserMessage, 200);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let fired = a.iter().filter(|k| k.is_some()).count();
        assert!((30..=90).contains(&fired), "{fired}");
        assert!(
            kinds(&injector(yaml, 7), Endpoint::Create, 50)
                .iter()
                .all(Option::is_none)
        );
    }

    /// Requests to another endpoint do not shift an endpoint's sequence.
    #[test]
    fn endpoints_are_independent() {
        let yaml = "faults:\n  - {kind: reset, rate: 0.5}\n";
        let alone = injector(yaml, 1);
        let mixed = injector(yaml, 1);
        let expected = kinds(&alone, Endpoint::SendUserMessage, 50);
        let mut got = Vec::new();
        for _ in 0..50 {
            mixed.decide(Endpoint::Create);
            got.push(
                mixed
                    .decide(Endpoint::SendUserMessage)
                    .fault
                    .map(|r| r.kind),
            );
        }
        assert_eq!(expected, got);
    }

    #[test]
    fn fixed_request_numbers_and_streamed_only_kinds() {
        let yaml = "faults:\n  - {kind: http_429, endpoint: create, requests: [2, 4]}\n  - {kind: stream_cut}\n";
        let inj = injector(yaml, 0);
        let got = kinds(&inj, Endpoint::Create, 5);
        let k = Some(FaultKind::Http429);
        assert_eq!(got, vec![None, k, None, k, None]);
        assert_eq!(
            kinds(&inj, Endpoint::CreateStreamed, 1),
            vec![Some(FaultKind::StreamCut)]
        );
    }

    /// Latency draws, too, depend only on the seed and the request number per endpoint.
    #[test]
    fn latency_draws_are_deterministic() {
        let latency = Latency::from_specs(&["all=lognormal:10ms,100ms"]).expect("spec");
        let draws = |seed| {
            let inj = Injector::new(FaultProfile::default(), latency, seed);
            (0..20)
                .map(|_| inj.decide(Endpoint::SendUserMessage).delay)
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(5), draws(5));
        assert_ne!(draws(5), draws(6));
    }

    #[test]
    fn stall_windows_chain() {
        let yaml = "faults:\n  - {kind: stall, at: 10s, duration: 2s}\n  - {kind: stall, at: 11s, duration: 2s}\n";
        let inj = injector(yaml, 0);
        let t = |s: u64| inj.started + Duration::from_secs(s);
        assert_eq!(inj.stall_until(t(9)), None);
        assert_eq!(inj.stall_until(t(10)), Some(t(13)));
        assert_eq!(inj.stall_until(t(12)), Some(t(13)));
        assert_eq!(inj.stall_until(t(13)), None);
    }
}
