//! Live metrics for Prometheus: what a run (or the standalone mock) exposes at
//! `GET /metrics` in the OpenMetrics text format while it goes on, through the official
//! `prometheus-client` crate.
//!
//! - [`run_metrics`]: [`LiveMetrics`], a run's counters, gauge and latency histograms,
//!   labelled with its run id and shard. The runner touches it only when
//!   `--metrics-listen` was given, a few atomic adds per request.
//! - [`mock_metrics`]: the standalone mock's counters (`/__convoy/stats`) as OpenMetrics,
//!   encoded from a snapshot at each scrape.
//! - [`server`]: the tiny HTTP server that answers scrapes, on its own address.
//!
//! It must not decide anything about a run: the reports (run.json and the files made
//! from it) stay the record of a run; this is a view of it while it runs.

pub mod mock_metrics;
pub mod run_metrics;
pub mod server;

pub use mock_metrics::encode_mock_stats;
pub use run_metrics::{InFlight, LiveMetrics, LiveOperation, SessionWatch};
pub use server::{MetricsServer, ServeError};

/// The content type of an OpenMetrics text exposition.
pub const OPENMETRICS_CONTENT_TYPE: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";
