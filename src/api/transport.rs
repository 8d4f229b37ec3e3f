//! The HTTP/1.1 transport under [`crate::api::client::Client`]: hyper's pooled client,
//! rustls for `https`, a CONNECT tunnel when `HTTPS_PROXY`/`HTTP_PROXY` applies, and one
//! deadline per request that covers sending, the head and every read of the body.
//!
//! It owns connections, proxies and deadlines, and classifies what fails on the wire as
//! [`TransportError`] (connect, timeout, reset). It knows nothing of the API: statuses,
//! bodies and JSON are the client's.
//!
//! Why not reqwest: on the load hot path reqwest spent about twice hyper's CPU per request
//! (URL re-parsing, tower layers for redirects and retries that convoy does not use), which
//! capped a load generator sharing its cores with the service; see docs/decisions.md.

use bytes::Bytes;
use http::header::HeaderMap;
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as PooledClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::error::Error as StdError;
use std::time::Duration;
use tokio::time::{Instant, timeout_at};

/// How the transport is set up.
#[derive(Clone)]
pub(crate) struct TransportConfig {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Sent with every request (content type, accept, user agent, credentials).
    pub headers: HeaderMap,
    /// Ignore proxy variables (a loopback base URL: the local mock).
    pub no_proxy: bool,
}

/// A failure below HTTP.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum TransportError {
    /// The server could not be reached (refused, unresolvable, connect timeout, TLS).
    #[error("{0}")]
    Connect(String),
    /// The request deadline passed.
    #[error("{0}")]
    Timeout(String),
    /// The connection closed or broke mid-request, or the server spoke bad HTTP.
    #[error("{0}")]
    Reset(String),
}

type Body = Full<Bytes>;

enum Pool {
    Direct(PooledClient<HttpsConnector<HttpConnector>, Body>),
    Tunnel(PooledClient<HttpsConnector<Tunnel<HttpConnector>>, Body>),
}

/// A cheap-to-clone handle on one connection pool.
#[derive(Clone)]
pub(crate) struct Transport {
    pool: std::sync::Arc<Pool>,
    headers: HeaderMap,
    timeout: Duration,
    /// What built it, for [`Transport::fork`].
    config: std::sync::Arc<(TransportConfig, Uri)>,
}

/// A response head whose body is still to be read, under the request's deadline.
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    body: Incoming,
    deadline: Instant,
    timeout: Duration,
}

impl Transport {
    /// A transport for requests to `base` (proxy variables are looked up for it once).
    pub fn new(config: TransportConfig, base: &Uri) -> Transport {
        let origin = std::sync::Arc::new((config.clone(), base.clone()));
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(30)));
        http.set_connect_timeout(Some(config.connect_timeout));
        let mut builder = PooledClient::builder(TokioExecutor::new());
        // One connection per in-flight request (HTTP/1.1): keep every idle one for the
        // next turn rather than reconnecting under load.
        builder
            .pool_max_idle_per_host(usize::MAX)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new());
        let intercept = if config.no_proxy {
            None
        } else {
            Matcher::from_env().intercept(base)
        };
        let pool = match intercept {
            None => Pool::Direct(builder.build(tls(http))),
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Pool::Tunnel(builder.build(tls(tunnel)))
            }
        };
        Transport {
            pool: std::sync::Arc::new(pool),
            headers: config.headers,
            timeout: config.timeout,
            config: origin,
        }
    }

    /// The same transport with a pool of its own: for a worker thread whose connections
    /// should be driven by its own runtime, not by another thread's.
    pub fn fork(&self) -> Transport {
        let (config, base) = &*self.config;
        Transport::new(config.clone(), base)
    }

    /// Whether requests go through a proxy tunnel.
    pub fn is_proxied(&self) -> bool {
        matches!(*self.pool, Pool::Tunnel(_))
    }

    /// POSTs `body` to `uri` and waits for the response head.
    pub async fn post(&self, uri: Uri, body: Vec<u8>) -> Result<Response, TransportError> {
        let deadline = Instant::now() + self.timeout;
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers.clone();
        let sent = match &*self.pool {
            Pool::Direct(client) => client.request(request),
            Pool::Tunnel(client) => client.request(request),
        };
        let response = match timeout_at(deadline, sent).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => return Err(classify_request_error(&err)),
            Err(_) => return Err(timed_out(self.timeout, "waiting for the response head")),
        };
        let (head, body) = response.into_parts();
        Ok(Response {
            status: head.status.as_u16(),
            headers: head.headers,
            body,
            deadline,
            timeout: self.timeout,
        })
    }
}

impl Response {
    /// The next piece of the body as it arrives; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        loop {
            let frame = match timeout_at(self.deadline, self.body.frame()).await {
                Ok(Some(Ok(frame))) => frame,
                Ok(Some(Err(err))) => return Err(TransportError::Reset(chain(&err))),
                Ok(None) => return Ok(None),
                Err(_) => return Err(timed_out(self.timeout, "reading the body")),
            };
            // Trailers carry nothing convoy reads; keep reading data.
            if let Ok(data) = frame.into_data() {
                return Ok(Some(data));
            }
        }
    }

    /// The body size announced by the server, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }
}

fn tls<C>(connector: C) -> HttpsConnector<C> {
    HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector)
}

fn timed_out(timeout: Duration, what: &str) -> TransportError {
    TransportError::Timeout(format!(
        "operation timed out after {} ms, {what}",
        timeout.as_millis()
    ))
}

/// A failed request as a transport class: anything before a connection was established is
/// `connect` (refused, DNS, connect timeout, TLS handshake, proxy refusal); the rest —
/// closed, reset, bad HTTP — is `reset`.
fn classify_request_error(err: &hyper_util::client::legacy::Error) -> TransportError {
    let message = chain(err);
    if err.is_connect() {
        TransportError::Connect(message)
    } else {
        TransportError::Reset(message)
    }
}

/// `err: source: source...`, skipping sources whose text the previous one already shows.
pub(crate) fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
