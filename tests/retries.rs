//! Client resilience against the mock's injected faults: opt-in retries of 429, 503 and
//! connect errors (never of resets), with attempts and retry time reported, and the
//! shared client-side rate cap.

mod mock_common;

use convoy::api::client::{Client, ClientConfig};
use convoy::api::error::{ApiError, ErrorClass};
use convoy::api::retry::RetryPolicy;
use convoy::mock::MockConfig;
use mock_common::{create_request as request, mock_with, start, stats};
use std::time::{Duration, Instant};

fn client(base_url: String, retries: u32, max_rps: Option<f64>) -> Client {
    let mut config = ClientConfig::new(base_url);
    config.timeout = Duration::from_secs(10);
    config.connect_timeout = Duration::from_secs(2);
    config.retries = RetryPolicy {
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::new(retries)
    };
    config.max_rps = max_rps;
    Client::new(config).expect("client builds")
}

/// Two 429s then a success: three attempts, and the mock saw exactly those.
#[tokio::test]
async fn rate_limited_requests_are_retried_until_they_pass() {
    let mock =
        mock_with("{kind: http_429, endpoint: create, requests: [1, 2], retry_after: 0s}").await;
    let reply = client(mock.base_url(), 3, None).create(&request()).await;
    let reply = reply.expect("the third attempt passes");
    assert_eq!(reply.attempts, 3);
    let stats = stats(&mock).await;
    assert_eq!(stats.count("create", 429), 2);
    assert_eq!(stats.count("create", 200), 1);
}

/// Retry-After is honoured: the retry waits at least what the server asked.
#[tokio::test]
async fn retry_after_is_honoured_and_timed() {
    let mock = mock_with("{kind: http_429, requests: [1], retry_after: 1s}").await;
    let started = Instant::now();
    let reply = client(mock.base_url(), 1, None).create(&request()).await;
    let reply = reply.expect("the retry passes");
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(reply.retry_time >= Duration::from_secs(1));
    assert_eq!(reply.attempts, 2);
}

/// Retries used up: the last failure, wrapped with the count; its class is unchanged.
#[tokio::test]
async fn exhausted_retries_keep_the_class_and_count_attempts() {
    let mock = mock_with("{kind: http_503}").await;
    let err = client(mock.base_url(), 2, None).create(&request()).await;
    let err = err.expect_err("every attempt fails");
    assert_eq!(err.class(), ErrorClass::Http5xx(503));
    assert_eq!(err.attempts(), 3);
    assert!(matches!(err, ApiError::Attempted { .. }));
    assert_eq!(stats(&mock).await.count("create", 503), 3);
}

/// A reset may have been processed: it is never retried.
#[tokio::test]
async fn resets_are_not_retried() {
    let mock = mock_with("{kind: reset}").await;
    let err = client(mock.base_url(), 3, None).create(&request()).await;
    let err = err.expect_err("a reset");
    assert_eq!(err.class(), ErrorClass::Reset);
    assert_eq!(err.attempts(), 1);
    assert_eq!(stats(&mock).await.fault_count("reset"), 1);
}

/// Nothing listens: connect errors are retried, then reported as `connect`.
#[tokio::test]
async fn connect_errors_are_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let err = client(url, 2, None).create(&request()).await;
    let err = err.expect_err("nothing listens");
    assert_eq!(err.class(), ErrorClass::Connect);
    assert_eq!(err.attempts(), 3);
}

/// The rate cap spaces requests of every clone of the client, and reports the waits.
#[tokio::test]
async fn the_rate_cap_spaces_requests() {
    let mock = start(MockConfig::default()).await;
    let client = client(mock.base_url(), 0, Some(20.0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.create(&request()).await.map(|r| r.pacing) })
        })
        .collect();
    for task in tasks {
        assert!(matches!(task.await, Ok(Ok(_))));
    }
    assert!(started.elapsed() >= Duration::from_millis(200));
    let (waits, total) = client.pacing_totals();
    assert_eq!(waits, 4);
    // 50 + 100 + 150 + 200 ms, less the moments between the tasks starting.
    assert!(total >= Duration::from_millis(300));
}
