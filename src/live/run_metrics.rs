//! [`LiveMetrics`]: a run's live counters for Prometheus — requests and latency by
//! operation, errors by class, requests in flight, sessions and conversation verdicts —
//! every series labelled with the run id and the shard.
//!
//! Built only for `--metrics-listen`; the runner holds it as an `Option` and pays nothing
//! without it. Every per-label handle is resolved once here, so recording a request is an
//! atomic add, a gauge pair around it and one histogram observation; only an error looks
//! its class up in a map. It never reads the run's [`Recorder`](crate::metrics::Recorder):
//! the reports do not depend on it.

use crate::common::error_class::ErrorClass;
use crate::metrics::SessionEnd;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use std::borrow::Cow;
use std::time::Duration;

/// What a request was, as a label value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveOperation {
    Create,
    Send,
}

impl LiveOperation {
    const ALL: [LiveOperation; 2] = [LiveOperation::Create, LiveOperation::Send];

    pub fn name(self) -> &'static str {
        match self {
            LiveOperation::Create => "create",
            LiveOperation::Send => "send",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

type OneLabel = [(&'static str, &'static str); 1];
type ErrorLabels = [(&'static str, &'static str); 2];

/// Latency bucket bounds in seconds: 1 ms doubling up to ~33 s, which covers a mock's
/// sub-millisecond answers (first bucket) to an LLM's slowest turns (the last ones).
fn latency_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 16)
}

/// A run's live metrics; see the module documentation.
#[derive(Debug)]
pub struct LiveMetrics {
    registry: Registry,
    requests: [Counter; 2],
    latency: [Histogram; 2],
    errors: Family<ErrorLabels, Counter>,
    in_flight: Gauge,
    sessions_started: Counter,
    sessions_completed: Counter,
    sessions_aborted: Counter,
    sessions_dropped: Counter,
    /// Passed, failed, errored.
    verdicts: [Counter; 3],
}

impl LiveMetrics {
    /// Metrics labelled `run_id` and `shard` (`INDEX/COUNT`, `0/1` for an unsharded run).
    pub fn new(run_id: &str, shard: &str) -> LiveMetrics {
        let labels = [
            (Cow::Borrowed("run_id"), Cow::Owned(run_id.to_string())),
            (Cow::Borrowed("shard"), Cow::Owned(shard.to_string())),
        ];
        let mut registry = Registry::with_prefix_and_labels("convoy", labels.into_iter());
        let requests = Family::<OneLabel, Counter>::default();
        let latency = Family::<OneLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(latency_buckets())
        });
        let verdicts = Family::<OneLabel, Counter>::default();
        let metrics = LiveMetrics {
            requests: LiveOperation::ALL
                .map(|op| requests.get_or_create(&[("operation", op.name())]).clone()),
            latency: LiveOperation::ALL
                .map(|op| latency.get_or_create(&[("operation", op.name())]).clone()),
            errors: Family::default(),
            in_flight: Gauge::default(),
            sessions_started: Counter::default(),
            sessions_completed: Counter::default(),
            sessions_aborted: Counter::default(),
            sessions_dropped: Counter::default(),
            verdicts: ["passed", "failed", "errored"]
                .map(|verdict| verdicts.get_or_create(&[("verdict", verdict)]).clone()),
            registry: Registry::default(),
        };
        register(&mut registry, &metrics, requests, latency, verdicts);
        LiveMetrics {
            registry,
            ..metrics
        }
    }

    /// Counts a request as in flight until the returned guard is dropped (a request whose
    /// future is dropped mid-way, at the end of a load run's grace period, is no longer in
    /// flight either).
    pub fn request_started(&self) -> InFlight<'_> {
        self.in_flight.inc();
        InFlight(&self.in_flight)
    }

    /// Counts a finished request; its latency is observed only when it was answered (a
    /// refused request is not a fast one), as in the reports.
    pub fn request_finished(
        &self,
        operation: LiveOperation,
        latency: Duration,
        error: Option<ErrorClass>,
    ) {
        self.requests[operation.index()].inc();
        match error {
            None => self.latency[operation.index()].observe(latency.as_secs_f64()),
            Some(class) => {
                let labels = [("operation", operation.name()), ("class", class.as_str())];
                self.errors.get_or_create(&labels).inc();
            }
        }
    }

    /// Counts a session as started; the returned watch counts how it ends (aborted when
    /// dropped before [`SessionWatch::finished`]).
    pub fn session_started(&self) -> SessionWatch<'_> {
        self.sessions_started.inc();
        SessionWatch {
            metrics: self,
            done: false,
        }
    }

    /// Counts open-model sessions that never started before the run ended.
    pub fn sessions_dropped(&self, count: u64) {
        self.sessions_dropped.inc_by(count);
    }

    fn session_ended(&self, end: SessionEnd) {
        let verdict = match end {
            SessionEnd::Passed => 0,
            SessionEnd::Failed => 1,
            SessionEnd::Errored => 2,
            SessionEnd::Aborted => {
                self.sessions_aborted.inc();
                return;
            }
        };
        self.sessions_completed.inc();
        self.verdicts[verdict].inc();
    }

    /// The OpenMetrics text exposition of every metric, `# EOF` included.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail; an encoder error would leave a partial text,
        // which a scraper rejects rather than misreads.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

fn register(
    registry: &mut Registry,
    metrics: &LiveMetrics,
    requests: Family<OneLabel, Counter>,
    latency: Family<OneLabel, Histogram>,
    verdicts: Family<OneLabel, Counter>,
) {
    registry.register("requests", "Requests completed, by operation", requests);
    registry.register_with_unit(
        "request_duration",
        "Service time of answered requests, by operation",
        Unit::Seconds,
        latency,
    );
    registry.register(
        "request_errors",
        "Requests that got no usable response, by operation and error class",
        metrics.errors.clone(),
    );
    registry.register(
        "requests_in_flight",
        "Requests sent and not yet answered",
        metrics.in_flight.clone(),
    );
    let sessions = [
        (
            "sessions_started",
            "Sessions started",
            &metrics.sessions_started,
        ),
        (
            "sessions_completed",
            "Sessions that ran to their end",
            &metrics.sessions_completed,
        ),
        (
            "sessions_aborted",
            "Sessions cut short by the end of the run",
            &metrics.sessions_aborted,
        ),
        (
            "sessions_dropped",
            "Open model: sessions that could not start before the run ended",
            &metrics.sessions_dropped,
        ),
    ];
    for (name, help, counter) in sessions {
        registry.register(name, help, counter.clone());
    }
    registry.register(
        "conversations",
        "Completed conversations (sessions), by verdict",
        verdicts,
    );
}

/// A request in flight; see [`LiveMetrics::request_started`].
#[derive(Debug)]
pub struct InFlight<'a>(&'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// A session being run; see [`LiveMetrics::session_started`].
#[derive(Debug)]
pub struct SessionWatch<'a> {
    metrics: &'a LiveMetrics,
    done: bool,
}

impl SessionWatch<'_> {
    /// Counts how the session ended.
    pub fn finished(mut self, end: SessionEnd) {
        self.done = true;
        self.metrics.session_ended(end);
    }
}

impl Drop for SessionWatch<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.metrics.session_ended(SessionEnd::Aborted);
        }
    }
}

#[cfg(test)]
#[path = "run_metrics_tests.rs"]
mod tests;
