//! The `/metrics` server of `--metrics-listen`: a tiny axum app on its own listener and
//! tokio task, answering `GET /metrics` with whatever exposition its source encodes at
//! that moment (404 elsewhere), until [`MetricsServer::stop`].
//!
//! Owns binding, serving and shutting down; it knows nothing of what it serves.

use super::OPENMETRICS_CONTENT_TYPE;
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The path scrapes are answered at.
pub const METRICS_PATH: &str = "/metrics";

/// Encodes the current exposition, at each scrape.
pub type Exposition = Arc<dyn Fn() -> String + Send + Sync>;

/// Why the metrics server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen for metrics on {address}: {source}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// A running metrics server.
#[derive(Debug)]
pub struct MetricsServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl MetricsServer {
    /// Binds `address` (port 0 picks a free one) and serves `exposition` on a task of the
    /// current runtime.
    pub async fn start(
        address: SocketAddr,
        exposition: Exposition,
    ) -> Result<MetricsServer, ServeError> {
        let bind_error = |source| ServeError::Bind { address, source };
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(bind_error)?;
        let bound = listener.local_addr().map_err(bind_error)?;
        let app =
            Router::new().route(
                METRICS_PATH,
                get(move || {
                    let exposition = Arc::clone(&exposition);
                    async move {
                        ([(CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)], exposition()).into_response()
                    }
                }),
            );
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let stopped = async {
                let _ = stopped.await;
            };
            // A server that fails mid-run loses the live view, never the run or its reports.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stopped)
                .await;
        });
        Ok(MetricsServer {
            address: bound,
            shutdown: Some(shutdown),
            task,
        })
    }

    /// The address it listens on (with the port picked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL scrapes go to.
    pub fn url(&self) -> String {
        format!("http://{}{METRICS_PATH}", self.address)
    }

    /// Stops accepting scrapes and waits for the ones in flight.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        // Not stopped (an early return): do not leave the listener behind.
        if self.shutdown.is_some() {
            self.task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    #[tokio::test]
    async fn serves_the_exposition_at_metrics_only_until_stopped() {
        let loopback = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
        let server = MetricsServer::start(loopback, Arc::new(|| "x_total 1\n# EOF\n".into()))
            .await
            .unwrap();
        assert_ne!(server.address().port(), 0);
        let body = reqwest::get(server.url()).await.unwrap();
        assert_eq!(
            body.headers()[CONTENT_TYPE].to_str().unwrap(),
            OPENMETRICS_CONTENT_TYPE
        );
        assert_eq!(body.text().await.unwrap(), "x_total 1\n# EOF\n");
        let other = format!("http://{}/other", server.address());
        assert_eq!(reqwest::get(&other).await.unwrap().status(), 404);
        let url = server.url();
        server.stop().await;
        assert!(reqwest::get(&url).await.is_err());
    }
}
