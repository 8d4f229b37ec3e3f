//! How the transport's pooled client reaches the base URL: directly, through an HTTP
//! proxy that is sent absolute-form requests (`http://` targets), or through a CONNECT
//! tunnel of the proxy (`https://` targets), with TLS to the origin for `https`.
//!
//! It owns the route to the origin and tells the pool whether a connection is a
//! forwarding proxy's (so that hyper-util writes absolute-form request targets on it). It
//! must not hold connections (the pool does) or know of deadlines and the API.

use crate::api::protocol::HttpVersions;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Intercept;
use hyper_util::rt::TokioIo;
use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn StdError + Send + Sync>;
type Io = MaybeHttpsStream<TokioIo<TcpStream>>;

/// The route to the origin, chosen once per transport.
///
/// hyper-util clones the connector on every request, a pooled connection or not, and
/// keeps the clone in the request's future: behind an `Arc` that clone is one count and
/// the future stays small (the routes hold URIs, header maps and TLS settings).
#[derive(Clone)]
pub(crate) struct Connector(Arc<Route>);

#[derive(Clone)]
enum Route {
    /// TCP (and TLS for `https`) to the origin itself.
    Direct(HttpsConnector<HttpConnector>),
    /// TCP to the proxy, which is sent every request in absolute form (`http://` targets):
    /// the proxy reads the request, so no tunnel is needed and none is asked for.
    Forward {
        http: HttpConnector,
        proxy: http::Uri,
    },
    /// CONNECT through the proxy, then TLS to the origin inside the tunnel.
    Tunnel(HttpsConnector<Tunnel<HttpConnector>>),
}

impl Connector {
    /// The route for `target` given the proxy that applies to it, if any, offering
    /// `versions` by ALPN when TLS is spoken.
    pub fn new(
        target: &http::Uri,
        proxy: Option<&Intercept>,
        connect_timeout: Duration,
        versions: HttpVersions,
    ) -> Self {
        Connector(Arc::new(Route::new(
            target,
            proxy,
            connect_timeout,
            versions,
        )))
    }

    /// Whether requests go through a proxy (forwarded or tunnelled).
    pub fn is_proxied(&self) -> bool {
        !matches!(*self.0, Route::Direct(_))
    }

    /// Whether requests carry `Proxy-Authorization` themselves (only when forwarded: in a
    /// tunnel the origin would read it).
    pub fn is_forwarding(&self) -> bool {
        matches!(*self.0, Route::Forward { .. })
    }
}

impl Route {
    fn new(
        target: &http::Uri,
        proxy: Option<&Intercept>,
        connect_timeout: Duration,
        versions: HttpVersions,
    ) -> Self {
        let mut http = HttpConnector::new();
        // `https` URIs reach this connector too; TLS is the wrapper's business.
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(30)));
        http.set_connect_timeout(Some(connect_timeout));
        let Some(proxy) = proxy else {
            return Route::Direct(versions.tls(http));
        };
        if target.scheme() == Some(&http::uri::Scheme::HTTP) {
            return Route::Forward {
                http,
                proxy: proxy.uri().clone(),
            };
        }
        let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
        if let Some(auth) = proxy.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        Route::Tunnel(versions.tls(tunnel))
    }
}

impl Service<http::Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    /// Always ready: the connectors inside (hyper-util's `HttpConnector`, its `Tunnel`,
    /// hyper-rustls's `HttpsConnector`) are, and each connect works on a copy of its own.
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, target: http::Uri) -> Self::Future {
        // A copy per connection attempt, not per request: pooled requests never get here.
        match Route::clone(&self.0) {
            Route::Direct(mut c) => {
                let connecting = c.call(target);
                Box::pin(async move { Ok(Stream::new(connecting.await?, false)) })
            }
            Route::Forward { mut http, proxy } => {
                let connecting = http.call(proxy);
                Box::pin(async move {
                    let io = connecting.await?;
                    Ok(Stream::new(MaybeHttpsStream::Http(io), true))
                })
            }
            Route::Tunnel(mut c) => {
                let connecting = c.call(target);
                // Inside the tunnel the origin is spoken to as if directly (origin form).
                Box::pin(async move { Ok(Stream::new(connecting.await?, false)) })
            }
        }
    }
}

/// A connection to the origin or to a forwarding proxy.
pub(crate) struct Stream {
    io: Io,
    /// A forwarding proxy's connection: requests on it go out in absolute form.
    forwarded: bool,
}

impl Stream {
    fn new(io: Io, forwarded: bool) -> Stream {
        Stream { io, forwarded }
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        // Only the ALPN outcome and the proxy flag are kept: the socket addresses hyper-util
        // would add are read by no one, and it would copy them into every response's
        // extensions (a map and a box per request).
        let connected = Connected::new().proxy(self.forwarded);
        if self.io.connected().is_negotiated_h2() {
            connected.negotiated_h2()
        } else {
            connected
        }
    }
}

impl Read for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
