//! Tests of the transport: proxy credentials, stale pooled connections, forwarding
//! proxies, connect errors, and HTTP/2 (h2c) against a server that speaks only that.

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
