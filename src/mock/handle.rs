//! The embedded mock as the runner uses it: bind a loopback port, serve in the background
//! on the current runtime, hand back the base URL, stop on request or on drop.
//!
//! Owns the background task and its shutdown. It must not configure the server (that is
//! [`serve`]'s job); this is the one place in the mock that binds a port, and only
//! `127.0.0.1:0`.

use super::config::MockConfig;
use super::server::{API_PREFIX, serve};
use super::stats::STATS_PATH;
use crate::suite::model::Form;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long [`MockHandle::shutdown`] lets requests in flight finish before aborting them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running mock. Dropping it stops the server (requests in flight finish in the
/// background); [`MockHandle::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct MockHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// Starts the mock on `127.0.0.1` with a port chosen by the OS, serving `forms` (ids
/// already resolved) on the current tokio runtime.
pub async fn spawn(forms: Vec<(String, Form)>, config: MockConfig) -> io::Result<MockHandle> {
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    // The shutdown future also completes when the sender is dropped with the handle.
    let shutdown = async {
        let _ = stopped.await;
    };
    let task = tokio::spawn(serve(listener, forms, config, shutdown));
    Ok(MockHandle {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}

impl MockHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL a client appends method paths to, like the real service's:
    /// `http://127.0.0.1:PORT/forms/ai/v1/interactive-form-sessions`.
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// `http://127.0.0.1:PORT`, which also works as a base URL.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where `GET` returns the request counts (see [`super::StatsSnapshot`]).
    pub fn stats_url(&self) -> String {
        format!("http://{}{STATS_PATH}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// [`SHUTDOWN_GRACE`], then aborts them) and returns the server's result.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_elapsed) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
