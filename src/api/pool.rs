//! The connection pool under [`crate::api::transport`]: HTTP/1.1 connections to the one
//! origin of the base URL, made by a connector (TCP, TLS, proxy tunnel), each driven by
//! its own task and lent to one request at a time.
//!
//! Owns checkout, check-in, idle expiry and the one retry that is always safe: a request
//! that a reused connection refused before writing a byte of it (the server had closed it
//! while it sat idle) goes out again on a new connection. It knows nothing of deadlines or
//! of the API.
//!
//! Why not hyper-util's pooled client: it keys its pool by origin (hashing and comparing
//! the authority on every checkout and check-in) and wraps every request in futures of
//! its own; for one origin a stack of idle senders does the same job for less CPU.

use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::rt::{Read, Write};
use std::error::Error as StdError;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tower_service::Service;

pub(crate) type Body = Full<Bytes>;
pub(crate) type Sender = SendRequest<Body>;

/// Why a request got no response head.
pub(crate) enum PoolError {
    /// No connection could be made.
    Connect(String),
    /// The connection failed while the request was out.
    Request(hyper::Error),
}

/// Idle connections, most recently used last.
pub(crate) struct Idle {
    senders: Mutex<Vec<(Sender, Instant)>>,
    timeout: Duration,
}

impl Idle {
    pub fn new(timeout: Duration) -> Arc<Idle> {
        Arc::new(Idle {
            senders: Mutex::new(Vec::new()),
            timeout,
        })
    }

    /// A live idle connection, if any (stale or closed ones are dropped on the way).
    fn take(&self) -> Option<Sender> {
        let mut senders = self.senders.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some((sender, since)) = senders.pop() {
            // A connection put back the moment its body ended may not have turned idle
            // yet: `send` waits for it to be ready.
            if since.elapsed() < self.timeout && !sender.is_closed() {
                return Some(sender);
            }
        }
        None
    }

    /// Returns a connection whose response was read to the end.
    pub fn put(&self, sender: Sender) {
        if sender.is_closed() {
            return;
        }
        let mut senders = self.senders.lock().unwrap_or_else(PoisonError::into_inner);
        senders.push((sender, Instant::now()));
    }
}

/// Sends `request` on an idle connection or a new one made by `connector`; returns the
/// response head and the connection, to be put back once the body is read.
pub(crate) async fn send<C>(
    connector: &C,
    idle: &Idle,
    target: &Uri,
    mut request: Request<Body>,
) -> Result<(Response<Incoming>, Sender), PoolError>
where
    C: Service<Uri> + Clone,
    C::Response: Read + Write + Unpin + Send + 'static,
    C::Error: Into<Box<dyn StdError + Send + Sync>>,
    C::Future: Send,
{
    if let Some(mut sender) = idle.take()
        && sender.ready().await.is_ok()
    {
        match sender.try_send_request(request).await {
            Ok(response) => return Ok((response, sender)),
            Err(mut refused) => match refused.take_message() {
                // Not a byte was written: safe to send on a fresh connection.
                Some(unsent) => request = unsent,
                None => return Err(PoolError::Request(refused.into_error())),
            },
        }
    }
    let mut sender = connect(connector.clone(), target).await?;
    match sender.send_request(request).await {
        Ok(response) => Ok((response, sender)),
        Err(err) => Err(PoolError::Request(err)),
    }
}

async fn connect<C>(mut connector: C, target: &Uri) -> Result<Sender, PoolError>
where
    C: Service<Uri>,
    C::Response: Read + Write + Unpin + Send + 'static,
    C::Error: Into<Box<dyn StdError + Send + Sync>>,
    C::Future: Send,
{
    let connect_error = |err: Box<dyn StdError + Send + Sync>| {
        PoolError::Connect(crate::api::transport::chain(&*err))
    };
    std::future::poll_fn(|cx| connector.poll_ready(cx))
        .await
        .map_err(|e| connect_error(e.into()))?;
    let io = connector
        .call(target.clone())
        .await
        .map_err(|e| connect_error(e.into()))?;
    let (sender, connection) = http1::handshake(io)
        .await
        .map_err(|e| connect_error(Box::new(e)))?;
    // The connection's own task: it ends when the connection closes or both the sender
    // and the response body are dropped.
    tokio::spawn(ignore_result(connection));
    Ok(sender)
}

async fn ignore_result<F: Future<Output = Result<(), E>>, E>(future: F) {
    let _ = future.await;
}
