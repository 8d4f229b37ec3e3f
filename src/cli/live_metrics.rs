//! `--metrics-listen` and `--metrics-linger`: starting the `/metrics` server of
//! [`crate::live`] beside a run (labelled with its run id and shard) or the standalone
//! mock, and stopping it when they end.
//!
//! Owns the flags, the printed address and the linger; what is counted is the library's.

use crate::live::{LiveMetrics, MetricsServer};
use crate::mock::StatsProbe;
use clap::Args;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Args)]
pub struct MetricsArgs {
    /// Serve live metrics for Prometheus (OpenMetrics text) at http://ADDR/metrics during
    /// the run, e.g. 127.0.0.1:9464 (port 0 picks a free one; the URL is printed).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// After the reports are written, keep serving /metrics this long (e.g. 15s, one
    /// scrape interval) so that a scraper gets the final counts.
    #[arg(long, default_value = "0s", value_parser = crate::common::parse::duration, value_name = "D", requires = "metrics_listen")]
    pub metrics_linger: Duration,
}

/// The live metrics of a run and their server, while it runs.
pub(super) struct RunMetrics {
    server: MetricsServer,
    linger: Duration,
}

/// Starts the server when `--metrics-listen` was given and returns the metrics for the
/// plan; the error is already printed.
pub(super) async fn start_for_run(
    args: &MetricsArgs,
    run_id: &str,
    shard: Option<String>,
) -> Result<Option<(Arc<LiveMetrics>, RunMetrics)>, String> {
    let Some(address) = args.metrics_listen else {
        return Ok(None);
    };
    // An unsharded run is the one shard of itself.
    let shard = shard.unwrap_or_else(|| "0/1".to_string());
    let live = Arc::new(LiveMetrics::new(run_id, &shard));
    let source = Arc::clone(&live);
    let server = MetricsServer::start(address, Arc::new(move || source.encode()))
        .await
        .map_err(|e| e.to_string())?;
    announce(&server);
    let linger = args.metrics_linger;
    Ok(Some((live, RunMetrics { server, linger })))
}

impl RunMetrics {
    /// Serves `--metrics-linger` longer (cut short by Ctrl-C), then stops.
    pub(super) async fn finish(self) {
        if !self.linger.is_zero() {
            tokio::select! {
                () = tokio::time::sleep(self.linger) => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        self.server.stop().await;
    }
}

/// Starts the mock's metrics server on `address`, serving `probe`'s counters.
pub(super) async fn start_for_mock(
    address: SocketAddr,
    probe: StatsProbe,
) -> Result<MetricsServer, String> {
    let exposition = move || crate::live::encode_mock_stats(&probe.snapshot());
    let server = MetricsServer::start(address, Arc::new(exposition))
        .await
        .map_err(|e| e.to_string())?;
    announce(&server);
    Ok(server)
}

/// Prints where scrapes go (tests and scripts read it, so flushed at once).
fn announce(server: &MetricsServer) {
    outln!("metrics: {}", server.url());
    let _ = std::io::stdout().flush();
}
