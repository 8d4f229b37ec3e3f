//! The HTTP/1.1 and HTTP/2 transport under [`crate::api::client::Client`]: hyper-util's pooled client
//! (keep-alive, idle expiry, the safe resend of a request a stale connection refused) over
//! the routes of [`crate::api::connector`] (direct, forwarding proxy, CONNECT tunnel), and
//! one deadline per request that covers sending, the head and every read of the body.
//!
//! It owns the pool, the proxy choice and deadlines, and classifies what fails on the wire
//! as [`TransportError`] (connect, timeout, reset). It knows nothing of the API: statuses,
//! bodies and JSON are the client's.
//!
//! Why not reqwest: on the load hot path reqwest spent about twice hyper's CPU per request
//! (URL re-parsing, tower layers for redirects and retries that convoy does not use), which
//! capped a load generator sharing its cores with the service; see docs/decisions.md.

use crate::api::connector::Connector;
use crate::api::protocol::HttpVersions;
use bytes::Bytes;
use http::header::{HOST, HeaderMap, HeaderValue, PROXY_AUTHORIZATION};
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::{self, Client};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::error::Error as StdError;
use std::sync::Arc;
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
    /// HTTP/1.1, HTTP/2, or whichever ALPN settles on.
    pub versions: HttpVersions,
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

/// What a transport was built from, for [`Transport::fork`].
struct Setup {
    config: TransportConfig,
    base: Uri,
    proxy: Option<Intercept>,
}

/// A cheap-to-clone handle on one connection pool.
#[derive(Clone)]
pub(crate) struct Transport {
    client: Client<Connector, Full<Bytes>>,
    /// The default headers, `Host`, and `Proxy-Authorization` for a forwarding proxy.
    headers: HeaderMap,
    timeout: Duration,
    proxied: bool,
    setup: Arc<Setup>,
    /// The proxy's credentials, to keep out of every output (see [`proxy_secrets`]).
    proxy_secrets: Arc<[String]>,
}

/// A response head whose body is still to be read, under the request's deadline.
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    /// The HTTP version the response came in.
    pub version: http::Version,
    body: Incoming,
    deadline: Instant,
    timeout: Duration,
}

impl Transport {
    /// A transport for requests to `base`, through the proxy that `HTTP_PROXY`,
    /// `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` choose for it (looked up once).
    pub fn new(config: TransportConfig, base: &Uri) -> Transport {
        let proxy = if config.no_proxy {
            None
        } else {
            Matcher::from_env().intercept(base)
        };
        Transport::with_proxy(config, base, proxy)
    }

    /// A transport for requests to `base` through `proxy`, if any.
    pub fn with_proxy(config: TransportConfig, base: &Uri, proxy: Option<Intercept>) -> Transport {
        let connector = Connector::new(
            base,
            proxy.as_ref(),
            config.connect_timeout,
            config.versions,
        );
        let auth = proxy.as_ref().and_then(Intercept::basic_auth);
        let proxy_secrets = auth.map(proxy_secrets).unwrap_or_default();
        let mut headers = config.headers.clone();
        if let Some(host) = host_header(base) {
            headers.insert(HOST, host);
        }
        if let Some(auth) = auth.filter(|_| connector.is_forwarding()) {
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            headers.insert(PROXY_AUTHORIZATION, auth);
        }
        let proxied = connector.is_proxied();
        let mut builder = Client::builder(TokioExecutor::new());
        config.versions.configure(&mut builder);
        let client = builder
            // Servers close idle connections after a minute or so; a stale one costs a
            // resend (hyper-util retries a request no byte of which was written), a fresh
            // one a handshake.
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            // One connection per VU may sit idle between turns; a cap below the VU count
            // would close and reopen connections on every turn.
            .pool_max_idle_per_host(usize::MAX)
            // `Host` is in the default headers already, built once.
            .set_host(false)
            .build(connector);
        Transport {
            client,
            headers,
            timeout: config.timeout,
            proxied,
            setup: Arc::new(Setup {
                config,
                base: base.clone(),
                proxy,
            }),
            proxy_secrets: proxy_secrets.into(),
        }
    }

    /// The proxy credentials in use, in every form a proxy could echo them in.
    pub fn secrets(&self) -> &[String] {
        &self.proxy_secrets
    }

    /// The same transport with a pool of its own: for a worker thread whose connections
    /// should be driven by its own runtime, not by another thread's.
    pub fn fork(&self) -> Transport {
        let Setup {
            config,
            base,
            proxy,
        } = &*self.setup;
        Transport::with_proxy(config.clone(), base, proxy.clone())
    }

    /// The headers sent with every request (credentials included: redact before showing).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Whether requests go through a proxy (forwarded or tunnelled).
    pub fn is_proxied(&self) -> bool {
        self.proxied
    }

    /// POSTs `body` to `uri` (an absolute URI under the base URL) and waits for the
    /// response head.
    pub async fn post(&self, uri: Uri, body: Vec<u8>) -> Result<Response, TransportError> {
        let deadline = Instant::now() + self.timeout;
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        // hyper-util writes it in origin form, or in absolute form to a forwarding proxy.
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers.clone();
        let response = match timeout_at(deadline, self.client.request(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => return Err(classify(&err)),
            Err(_) => return Err(timed_out(self.timeout, "waiting for the response head")),
        };
        let (head, body) = response.into_parts();
        Ok(Response {
            status: head.status.as_u16(),
            headers: head.headers,
            version: head.version,
            body,
            deadline,
            timeout: self.timeout,
        })
    }
}

/// A failed request as a [`TransportError`], described by its causes ("client error
/// (Connect)" says nothing the class does not).
fn classify(err: &legacy::Error) -> TransportError {
    let message = err.source().map_or_else(|| err.to_string(), chain);
    if err.is_connect() {
        TransportError::Connect(message)
    } else {
        TransportError::Reset(message)
    }
}

impl Response {
    /// The next piece of the body as it arrives; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        loop {
            let frame = match timeout_at(self.deadline, self.body.frame()).await {
                Ok(Some(Ok(frame))) => frame,
                Ok(Some(Err(err))) => return Err(TransportError::Reset(chain(&err))),
                // hyper-util puts the connection back in the pool once it is idle.
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

fn timed_out(timeout: Duration, what: &str) -> TransportError {
    TransportError::Timeout(format!(
        "operation timed out after {} ms, {what}",
        timeout.as_millis()
    ))
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

/// `Host` for requests to `base`: its host and port, never the `user:password@` a base
/// URL may carry (which would send, and trace, the credentials as a header).
fn host_header(base: &Uri) -> Option<HeaderValue> {
    let authority = base.authority()?;
    let host = match authority.port() {
        Some(port) => format!("{}:{port}", authority.host()),
        None => authority.host().to_string(),
    };
    HeaderValue::from_str(&host).ok()
}

/// A `Proxy-Authorization` value's secret parts: the whole value, its base64 token, and
/// the password it encodes (`user:password`).
fn proxy_secrets(value: &HeaderValue) -> Vec<String> {
    use base64::Engine;
    let Ok(whole) = value.to_str() else {
        return Vec::new();
    };
    let token = whole.strip_prefix("Basic ").unwrap_or(whole).trim();
    let mut secrets = vec![whole.to_string(), token.to_string()];
    let decoded = base64::engine::general_purpose::STANDARD.decode(token);
    if let Some((_, password)) = decoded
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .as_deref()
        .and_then(|pair| pair.split_once(':'))
    {
        secrets.push(password.to_string());
    }
    secrets
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
