//! The HTTP client against test servers on 127.0.0.1:0: paths under a base URL with a path
//! prefix, headers and JSON bodies as API.md has them, success decoding, and every error
//! class (HTTP statuses with both error body shapes, rate limiting, malformed bodies, closed
//! connections, silent servers, nothing listening). Loopback only; every wait is bounded.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use convoy::api::client::{Auth, Client, ClientConfig, Reply};
use convoy::api::error::{ApiError, ConfigError, ErrorClass, ErrorCode};
use convoy::common::wire::{ChunkBody, CreateSessionRequest, SendMessageRequest};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "IST.super-secret-key-42";
const SITE: &str = "7a1d2c3b-4e5f-4061-8a9b-0c1d2e3f4a5b";
const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";
const SESSION_ID: &str = "0f3e5b8a-7c2d-4e91-b6a4-2d9c8e1f7a35";
const PREFIX: &str = "/gw/forms/ai/v1/interactive-form-sessions";

/// A request as the test server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: HeaderMap,
    body: Value,
}

/// What the test server answers to every request.
#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn canned(status: u16, body: &str) -> Canned {
    Canned {
        status,
        headers: vec![("x-wix-request-id", "req-abc-123".into())],
        body: body.into(),
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn record(State((log, canned)): State<(Log, Canned)>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    log.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        headers: parts.headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    });
    let mut response = Response::builder().status(StatusCode::from_u16(canned.status).unwrap());
    for (name, value) in &canned.headers {
        response = response.header(*name, value);
    }
    response.body(Body::from(canned.body)).unwrap()
}

/// An axum server answering `canned`; returns the base URL (with [`PREFIX`]) and its log.
async fn serve(canned: Canned) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Log::default();
    let app = Router::new()
        .fallback(record)
        .with_state((log.clone(), canned));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}{PREFIX}/"), log)
}

/// A raw TCP server that runs `act` on each accepted connection after reading the request
/// head; returns the base URL.
async fn serve_raw<F, Fut>(act: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            tokio::spawn(act(stream));
        }
    });
    format!("http://{addr}{PREFIX}")
}

fn client(base_url: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url);
    config.auth = Some(Auth {
        api_key: KEY.into(),
        site_id: Some(SITE.into()),
        account_id: None,
    });
    config.timeout = timeout;
    config.connect_timeout = Duration::from_secs(2);
    Client::new(config).unwrap()
}

fn create_request() -> CreateSessionRequest {
    CreateSessionRequest {
        form_id: FORM_ID.into(),
        current_values: json!({"newsletter": false}).as_object().cloned(),
        dry_run: true,
        client_time: None,
    }
}

fn send_request() -> SendMessageRequest {
    SendMessageRequest {
        input: Some("Hi, I'm Dana".into()),
        ..SendMessageRequest::default()
    }
}

const SESSION_BODY: &str = r#"{"interactiveFormSession":{"id":"0f3e5b8a-7c2d-4e91-b6a4-2d9c8e1f7a35","formId":"5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10"},
 "responseChunks":[{"chunkType":"TEXT","textDetails":{"text":"What's your first name?"}}]}"#;

async fn send_once(base: &str, timeout: Duration) -> Result<Reply, ApiError> {
    let client = client(base, timeout);
    tokio::time::timeout(
        Duration::from_secs(10),
        client.send(SESSION_ID, &send_request()),
    )
    .await
    .expect("the client must give up on its own")
}

/// The error's text names the request id and never shows the API key.
fn assert_display(err: &ApiError, request_id: Option<&str>) {
    let text = err.to_string();
    assert!(!text.contains(KEY), "key leaked: {text}");
    assert!(
        !format!("{err:?}").contains(KEY),
        "key leaked in Debug: {err:?}"
    );
    if let Some(id) = request_id {
        assert!(text.contains(id), "no request id in: {text}");
        assert_eq!(err.request_id(), Some(id));
    }
}

/// Create posts to the base URL itself and send to `{id}/send-user-message`, with the raw
/// key, the site id and camelCase JSON bodies.
#[tokio::test]
async fn create_and_send_paths_headers_and_bodies() {
    let (base, log) = serve(canned(200, SESSION_BODY)).await;
    let client = client(&base, Duration::from_secs(5));
    let created = client.create(&create_request()).await.unwrap();
    let sent = client.send(SESSION_ID, &send_request()).await.unwrap();

    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", PREFIX)
    );
    let send_path = format!("{PREFIX}/{SESSION_ID}/send-user-message");
    assert_eq!(
        (seen[1].method.as_str(), seen[1].path.as_str()),
        ("POST", send_path.as_str())
    );
    for request in &seen {
        assert_eq!(request.headers["authorization"], KEY);
        assert_eq!(request.headers["wix-site-id"], SITE);
        assert_eq!(request.headers["content-type"], "application/json");
        assert!(request.headers.get("wix-account-id").is_none());
    }
    assert_eq!(
        seen[0].body,
        json!({"formId": FORM_ID, "currentValues": {"newsletter": false}, "dryRun": true})
    );
    assert_eq!(seen[1].body, json!({"input": "Hi, I'm Dana"}));

    for reply in [&created, &sent] {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.request_id.as_deref(), Some("req-abc-123"));
        assert_eq!(reply.body_bytes, SESSION_BODY.len());
        assert!(reply.ttfb > Duration::ZERO);
        let session = reply.response.interactive_form_session.as_ref().unwrap();
        assert_eq!(session.id, SESSION_ID);
        assert!(
            matches!(&reply.response.response_chunks[0].body, ChunkBody::Text(t) if t.text == "What's your first name?")
        );
    }
}

/// Without auth (the mock), no credential headers are sent.
#[tokio::test]
async fn no_auth_sends_no_credentials() {
    let (base, log) = serve(canned(200, SESSION_BODY)).await;
    let client = Client::new(ClientConfig::new(base)).unwrap();
    client.create(&create_request()).await.unwrap();
    let seen = log.lock().unwrap().clone();
    assert!(seen[0].headers.get("authorization").is_none());
    assert!(seen[0].headers.get("wix-site-id").is_none());
}

/// 404 with an applicationError body: class, code, message and request id.
#[tokio::test]
async fn not_found_with_application_error() {
    let body = r#"{"message":"Interactive form session not found","details":{"applicationError":{"code":"SESSION_NOT_FOUND","description":"","data":{}}}}"#;
    let (base, _) = serve(canned(404, body)).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Http4xx(404));
    assert_eq!(err.class().as_str(), "http_404");
    let ApiError::Http(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        failure.code,
        Some(ErrorCode::Application("SESSION_NOT_FOUND".into()))
    );
    assert_eq!(failure.message, "Interactive form session not found");
    assert_display(&err, Some("req-abc-123"));
    assert!(err.to_string().contains("SESSION_NOT_FOUND"), "{err}");
}

/// 400 with a validationError body: the first violation's field and rule.
#[tokio::test]
async fn bad_request_with_validation_error() {
    let body = r#"{"message":"","details":{"validationError":{"fieldViolations":[{"field":"input","description":"must not exceed 10000 characters","violatedRule":"MAX_LENGTH"}]}}}"#;
    let (base, _) = serve(canned(400, body)).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Http4xx(400));
    let ApiError::Http(failure) = &err else {
        panic!("{err:?}")
    };
    let expected = ErrorCode::Validation {
        field: "input".into(),
        rule: "MAX_LENGTH".into(),
    };
    assert_eq!(failure.code, Some(expected));
    assert_eq!(failure.message, "must not exceed 10000 characters");
    assert_display(&err, Some("req-abc-123"));
}

/// 429 is its own class and carries Retry-After.
#[tokio::test]
async fn rate_limited_with_retry_after() {
    let mut answer = canned(429, r#"{"message":"Too many requests"}"#);
    answer.headers.push(("retry-after", "3".into()));
    let (base, _) = serve(answer).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(err.status(), Some(429));
    assert_display(&err, Some("req-abc-123"));
    assert!(err.to_string().contains("retry after 3s"), "{err}");
}

/// 503 with an empty body.
#[tokio::test]
async fn unavailable_with_empty_body() {
    let (base, _) = serve(canned(503, "")).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Http5xx(503));
    let ApiError::Http(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (failure.code.as_ref(), failure.message.as_str()),
        (None, "")
    );
    assert_display(&err, Some("req-abc-123"));
}

/// A 200 whose body is not the expected JSON is `decode`, with a bounded excerpt.
#[tokio::test]
async fn success_with_malformed_json() {
    let body = format!(
        r#"{{"responseChunks": [{{"chunkType": "TEXT", "textDetails": {}"#,
        "x".repeat(500)
    );
    let (base, _) = serve(canned(200, &body)).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Decode);
    let ApiError::Decode {
        excerpt, status, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(excerpt.starts_with(r#"{"responseChunks""#), "{excerpt}");
    assert!(excerpt.chars().count() <= 200);
    assert_display(&err, Some("req-abc-123"));
}

/// A server that echoes the key in its error message gets it redacted.
#[tokio::test]
async fn echoed_key_is_redacted() {
    let body = format!(r#"{{"message":"invalid token {KEY}"}}"#);
    let (base, _) = serve(canned(401, &body)).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Http4xx(401));
    assert_display(&err, Some("req-abc-123"));
    assert!(
        err.to_string().contains("invalid token <redacted>"),
        "{err}"
    );
}

/// A server that accepts, reads the request and closes without a response: `reset`.
#[tokio::test]
async fn closed_without_response_is_reset() {
    let base = serve_raw(|stream| async move { drop(stream) }).await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Reset, "{err:?}");
    assert_display(&err, None);
}

/// Headers arrive, then the connection closes mid-body: `reset`, with the request id.
#[tokio::test]
async fn truncated_body_is_reset_with_request_id() {
    let base = serve_raw(|mut stream| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-wix-request-id: req-cut\r\ncontent-length: 500\r\n\r\n{\"responseChunks\":[";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
    let err = send_once(&base, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Reset, "{err:?}");
    assert_display(&err, Some("req-cut"));
}

/// A server that never answers: `timeout`, after the configured deadline.
#[tokio::test]
async fn silent_server_is_timeout() {
    let base = serve_raw(|stream| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let started = std::time::Instant::now();
    let err = send_once(&base, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_display(&err, None);
}

/// Nothing listening on the port: `connect`.
#[tokio::test]
async fn nothing_listening_is_connect() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = send_once(&format!("http://{addr}{PREFIX}"), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Connect, "{err:?}");
    assert_eq!(err.request_id(), None);
    assert_display(&err, None);
}

/// An unusable session id is refused before anything is sent.
#[tokio::test]
async fn dot_segment_session_id_is_refused() {
    let (base, log) = serve(canned(200, SESSION_BODY)).await;
    let err = client(&base, Duration::from_secs(5))
        .send("..", &send_request())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::InvalidSessionId { .. }), "{err:?}");
    assert!(log.lock().unwrap().is_empty());
}

/// One client serves many concurrent sessions over its pool.
#[tokio::test]
async fn concurrent_sends_share_one_client() {
    let (base, log) = serve(canned(200, SESSION_BODY)).await;
    let client = client(&base, Duration::from_secs(5));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = client.clone();
        tasks.spawn(async move { client.send(SESSION_ID, &send_request()).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap().unwrap().status, 200);
    }
    assert_eq!(log.lock().unwrap().len(), 64);
}

/// Configuration errors are typed and never show the key; neither does any Debug output.
#[test]
fn config_errors_and_debug_never_show_the_key() {
    let mut config = ClientConfig::new("http://127.0.0.1:9/x");
    config.auth = Some(Auth {
        api_key: format!("{KEY}\nX-Injected: 1"),
        site_id: None,
        account_id: None,
    });
    assert!(!format!("{config:?}").contains(KEY));
    let err = Client::new(config).unwrap_err();
    assert_eq!(err, ConfigError::InvalidHeader { what: "API key" });
    assert!(!err.to_string().contains(KEY));

    let bad_base = Client::new(ClientConfig::new("ftp://example.com/x")).unwrap_err();
    assert!(
        matches!(bad_base, ConfigError::InvalidBaseUrl { .. }),
        "{bad_base:?}"
    );

    let client = client("http://127.0.0.1:9/x/", Duration::from_secs(1));
    assert_eq!(client.base_url(), "http://127.0.0.1:9/x");
    assert!(!format!("{client:?}").contains(KEY));
}
