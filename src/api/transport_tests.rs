//! Tests of the transport: proxy credentials, stale pooled connections, forwarding
//! proxies, connect errors, and the HTTP version ALPN settles on with a local TLS server.

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

/// `Host` is host and port only: credentials in a base URL are not sent as a header.
#[test]
fn the_host_header_has_no_userinfo() {
    let host = |url: &str| host_header(&url.parse().expect("a URI")).expect("a host");
    assert_eq!(
        host("http://user:secret-pw@api.example.test/forms"),
        "api.example.test"
    );
    assert_eq!(host("http://u:p@127.0.0.1:8080/x"), "127.0.0.1:8080");
    assert_eq!(host("https://[::1]:8443/x"), "[::1]:8443");
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
        versions: HttpVersions::default(),
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
        versions: HttpVersions::default(),
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
        versions: HttpVersions::default(),
    };
    let err = post_and_read(&Transport::new(config, &uri), &uri).await;
    assert!(matches!(err, Err(TransportError::Connect(_))), "{err:?}");
}

/// The test CA's roots, for every transport of this test binary (see
/// [`crate::api::protocol::TEST_TLS`]).
fn trust_the_test_ca() {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let ca = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).expect("the test CA") {
        roots.add(cert.expect("a PEM certificate")).expect("a root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let _ = crate::api::protocol::TEST_TLS.set(config);
}

/// A TLS server on loopback that offers `alpn` and answers every request with `{}`, in
/// HTTP/2 when ALPN chose `h2`, else in HTTP/1.1.
async fn tls_server(alpn: &[&[u8]]) -> Uri {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{dir}leaf.pem"))
            .expect("the test certificate")
            .collect::<Result<_, _>>()
            .expect("PEM certificates");
    let key = PrivateKeyDer::from_pem_file(format!("{dir}leaf.key")).expect("the test key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("a server config");
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(socket).await else {
                    return;
                };
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let io = hyper_util::rt::TokioIo::new(tls);
                let service = hyper::service::service_fn(|_request| async {
                    Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(
                        Bytes::from_static(b"{}"),
                    )))
                });
                let _ = if h2 {
                    hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service)
                        .await
                } else {
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await
                };
            });
        }
    });
    format!("https://127.0.0.1:{port}/").parse().expect("uri")
}

/// The version of the answer to one POST to a TLS server offering `alpn`.
async fn version_over_tls(alpn: &[&[u8]], versions: HttpVersions) -> http::Version {
    trust_the_test_ca();
    let uri = tls_server(alpn).await;
    let config = TransportConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        headers: HeaderMap::new(),
        no_proxy: true,
        versions,
    };
    let transport = Transport::new(config, &uri);
    let mut response = transport.post(uri, b"{}".to_vec()).await.expect("answered");
    while response.chunk().await.expect("a body").is_some() {}
    response.version
}

#[tokio::test]
async fn https_negotiates_http2_by_alpn_and_falls_back_to_http1() {
    let both: &[&[u8]] = &[b"h2", b"http/1.1"];
    let negotiate = HttpVersions::Negotiate;
    assert_eq!(
        version_over_tls(both, negotiate).await,
        http::Version::HTTP_2
    );
    let http1_only: &[&[u8]] = &[b"http/1.1"];
    assert_eq!(
        version_over_tls(http1_only, negotiate).await,
        http::Version::HTTP_11
    );
    // A server that offers no ALPN at all is spoken to in HTTP/1.1 too.
    assert_eq!(
        version_over_tls(&[], negotiate).await,
        http::Version::HTTP_11
    );
}

#[tokio::test]
async fn forced_versions_are_kept_over_tls() {
    let both: &[&[u8]] = &[b"h2", b"http/1.1"];
    assert_eq!(
        version_over_tls(both, HttpVersions::Http1).await,
        http::Version::HTTP_11
    );
    assert_eq!(
        version_over_tls(both, HttpVersions::Http2).await,
        http::Version::HTTP_2
    );
}
