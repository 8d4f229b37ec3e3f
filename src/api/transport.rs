//! The HTTP/1.1 transport under [`crate::api::client::Client`]: hyper-util's pooled client
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
        let connector = Connector::new(base, proxy.as_ref(), config.connect_timeout);
        let auth = proxy.as_ref().and_then(Intercept::basic_auth);
        let proxy_secrets = auth.map(proxy_secrets).unwrap_or_default();
        let mut headers = config.headers.clone();
        if let Some(host) = base
            .authority()
            .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        {
            headers.insert(HOST, host);
        }
        if let Some(auth) = auth.filter(|_| connector.is_forwarding()) {
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            headers.insert(PROXY_AUTHORIZATION, auth);
        }
        let proxied = connector.is_proxied();
        let client = Client::builder(TokioExecutor::new())
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
    async fn an_http_target_is_sent_to_its_proxy_in_absolute_form_with_the_credentials() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let proxy = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("a connection");
            let mut head = vec![0u8; 4096];
            let read = socket.read(&mut head).await.expect("a request");
            let body = b"{}";
            let answer = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = socket.write_all(answer.as_bytes()).await;
            let _ = socket.write_all(body).await;
            String::from_utf8_lossy(&head[..read]).into_owned()
        });
        let base: Uri = "http://api.example.test/forms".parse().expect("uri");
        let intercept = Matcher::builder()
            .http(format!("http://alice:proxy-pass-99@127.0.0.1:{port}"))
            .build()
            .intercept(&base);
        let config = TransportConfig {
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            headers: HeaderMap::new(),
            no_proxy: false,
        };
        let transport = Transport::with_proxy(config, &base, intercept);
        assert!(transport.is_proxied());
        assert!(transport.secrets().iter().any(|s| s == "proxy-pass-99"));
        let read = post_and_read(&transport, &base).await.expect("answered");
        assert_eq!(read, 2);
        let head = proxy.await.expect("proxy ran").to_lowercase();
        assert!(
            head.starts_with("post http://api.example.test/forms http/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.contains("\r\nproxy-authorization: basic ywxpy2u6chjvehktcgfzcy05oq==\r\n"),
            "{head}"
        );
        assert!(head.contains("\r\nhost: api.example.test\r\n"), "{head}");
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
