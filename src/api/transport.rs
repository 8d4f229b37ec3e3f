//! The HTTP/1.1 transport under [`crate::api::client::Client`]: hyper connections from
//! [`crate::api::pool`], rustls for `https`, a CONNECT tunnel when `HTTPS_PROXY`/`HTTP_PROXY` applies, and one
//! deadline per request that covers sending, the head and every read of the body.
//!
//! It owns connections, proxies and deadlines, and classifies what fails on the wire as
//! [`TransportError`] (connect, timeout, reset). It knows nothing of the API: statuses,
//! bodies and JSON are the client's.
//!
//! Why not reqwest: on the load hot path reqwest spent about twice hyper's CPU per request
//! (URL re-parsing, tower layers for redirects and retries that convoy does not use), which
//! capped a load generator sharing its cores with the service; see docs/decisions.md.

use crate::api::pool::{self, Idle, PoolError, Sender};
use bytes::Bytes;
use http::header::{HOST, HeaderMap, HeaderValue};
use http::uri::Parts;
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
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

enum Connector {
    Direct(HttpsConnector<HttpConnector>),
    Tunnel(HttpsConnector<Tunnel<HttpConnector>>),
}

/// A cheap-to-clone handle on one connection pool.
#[derive(Clone)]
pub(crate) struct Transport {
    connector: Arc<Connector>,
    idle: Arc<Idle>,
    /// Where connections go: the base URL (scheme, host, port).
    origin: Uri,
    /// The default headers and `Host`.
    headers: HeaderMap,
    timeout: Duration,
    /// What built it, for [`Transport::fork`].
    config: Arc<(TransportConfig, Uri)>,
    /// The proxy's credentials, to keep out of every output (see [`proxy_secrets`]).
    proxy_secrets: Vec<String>,
}

/// A response head whose body is still to be read, under the request's deadline.
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    body: Incoming,
    deadline: Instant,
    timeout: Duration,
    /// The connection, back to the pool once the body is read to its end.
    connection: Option<(Sender, Arc<Idle>)>,
}

impl Transport {
    /// A transport for requests to `base` (proxy variables are looked up for it once).
    pub fn new(config: TransportConfig, base: &Uri) -> Transport {
        let origin_config = Arc::new((config.clone(), base.clone()));
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(30)));
        http.set_connect_timeout(Some(config.connect_timeout));
        let intercept = if config.no_proxy {
            None
        } else {
            Matcher::from_env().intercept(base)
        };
        let proxy_secrets = intercept
            .as_ref()
            .and_then(|proxy| proxy.basic_auth())
            .map(proxy_secrets)
            .unwrap_or_default();
        let connector = match intercept {
            None => Connector::Direct(tls(http)),
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Connector::Tunnel(tls(tunnel))
            }
        };
        let mut headers = config.headers;
        if let Some(host) = base
            .authority()
            .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        {
            headers.insert(HOST, host);
        }
        Transport {
            connector: Arc::new(connector),
            // Servers close idle connections after a minute or so; a stale one costs a
            // resend (see `pool::send`), a fresh one a handshake.
            idle: Idle::new(Duration::from_secs(90)),
            origin: base.clone(),
            headers,
            timeout: config.timeout,
            config: origin_config,
            proxy_secrets,
        }
    }

    /// The proxy credentials in use, in every form a proxy could echo them in.
    pub fn secrets(&self) -> &[String] {
        &self.proxy_secrets
    }

    /// The same transport with a pool of its own: for a worker thread whose connections
    /// should be driven by its own runtime, not by another thread's.
    pub fn fork(&self) -> Transport {
        let (config, base) = &*self.config;
        Transport::new(config.clone(), base)
    }

    /// Whether requests go through a proxy tunnel.
    pub fn is_proxied(&self) -> bool {
        matches!(*self.connector, Connector::Tunnel(_))
    }

    /// POSTs `body` to `uri` (under the base URL's origin) and waits for the response head.
    pub async fn post(&self, uri: Uri, body: Vec<u8>) -> Result<Response, TransportError> {
        let deadline = Instant::now() + self.timeout;
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = origin_form(uri);
        *request.headers_mut() = self.headers.clone();
        let sent = async {
            match &*self.connector {
                Connector::Direct(c) => pool::send(c, &self.idle, &self.origin, request).await,
                Connector::Tunnel(c) => pool::send(c, &self.idle, &self.origin, request).await,
            }
        };
        let (response, sender) = match timeout_at(deadline, sent).await {
            Ok(Ok(sent)) => sent,
            Ok(Err(PoolError::Connect(message))) => return Err(TransportError::Connect(message)),
            Ok(Err(PoolError::Request(err))) => return Err(TransportError::Reset(chain(&err))),
            Err(_) => return Err(timed_out(self.timeout, "waiting for the response head")),
        };
        let (head, body) = response.into_parts();
        Ok(Response {
            status: head.status.as_u16(),
            headers: head.headers,
            body,
            deadline,
            timeout: self.timeout,
            connection: Some((sender, Arc::clone(&self.idle))),
        })
    }
}

/// The request target as sent on a connection to the origin: path and query only.
fn origin_form(uri: Uri) -> Uri {
    let mut parts = Parts::default();
    parts.path_and_query = uri.into_parts().path_and_query;
    Uri::from_parts(parts).unwrap_or_else(|_| Uri::from_static("/"))
}

impl Response {
    /// The next piece of the body as it arrives; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        loop {
            let frame = match timeout_at(self.deadline, self.body.frame()).await {
                Ok(Some(Ok(frame))) => frame,
                Ok(Some(Err(err))) => return Err(TransportError::Reset(chain(&err))),
                Ok(None) => {
                    if let Some((sender, idle)) = self.connection.take() {
                        idle.put(sender);
                    }
                    return Ok(None);
                }
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
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn proxy_credentials_are_secrets_in_every_form() {
        // base64("alice:proxy-pass-99")
        let value = HeaderValue::from_static("Basic YWxpY2U6cHJveHktcGFzcy05OQ==");
        assert_eq!(
            proxy_secrets(&value),
            [
                "Basic YWxpY2U6cHJveHktcGFzcy05OQ==",
                "YWxpY2U6cHJveHktcGFzcy05OQ==",
                "proxy-pass-99"
            ]
        );
    }

    /// A server that answers one request per connection, then closes it without saying so
    /// (no `Connection: close`), like a server whose idle timeout is shorter than ours.
    async fn one_shot_server() -> (Uri, tokio::task::JoinHandle<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let server = tokio::spawn(async move {
            let mut connections = 0;
            while connections < 3 {
                let Ok((mut socket, _)) = listener.accept().await else {
                    break;
                };
                connections += 1;
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                let body = br#"{"responseChunks":[]}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
                drop(socket);
            }
            connections
        });
        (
            format!("http://127.0.0.1:{port}/").parse().expect("uri"),
            server,
        )
    }

    async fn post_and_read(transport: &Transport, uri: &Uri) -> Result<usize, TransportError> {
        let mut response = transport.post(uri.clone(), b"{}".to_vec()).await?;
        let mut read = 0;
        while let Some(piece) = response.chunk().await? {
            read += piece.len();
        }
        Ok(read)
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_while_idle_is_not_a_failed_request() {
        let (uri, server) = one_shot_server().await;
        let config = TransportConfig {
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            headers: HeaderMap::new(),
            no_proxy: true,
        };
        let transport = Transport::new(config, &uri);
        for _ in 0..3 {
            let read = post_and_read(&transport, &uri).await.expect("answered");
            assert_eq!(read, r#"{"responseChunks":[]}"#.len());
            // Let the server's close arrive while the connection sits in the pool.
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        assert_eq!(server.await.expect("server ran"), 3);
    }

    #[tokio::test]
    async fn nothing_listening_is_a_connect_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        let uri: Uri = format!("http://127.0.0.1:{port}/").parse().expect("uri");
        let config = TransportConfig {
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            headers: HeaderMap::new(),
            no_proxy: true,
        };
        let err = post_and_read(&Transport::new(config, &uri), &uri).await;
        assert!(matches!(err, Err(TransportError::Connect(_))), "{err:?}");
    }
}
