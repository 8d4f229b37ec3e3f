//! Each injected fault, seen through convoy's own client: the class it maps to, and the
//! mock's tally of it in `/__convoy/stats`.

mod mock_common;

use convoy::api::client::{Client, ClientConfig};
use convoy::api::error::{ApiError, ErrorClass};
use convoy::common::wire::ChunkBody;
use convoy::mock::{FaultProfile, MockConfig, MockHandle, StatsSnapshot};
use mock_common::{create_request, mock_with, start, stats};
use std::time::{Duration, Instant};

fn client(mock: &MockHandle) -> Client {
    let mut config = ClientConfig::new(mock.base_url());
    config.timeout = Duration::from_secs(10);
    Client::new(config).expect("client builds")
}

async fn unary_error(rule: &str) -> (ApiError, StatsSnapshot) {
    let mock = mock_with(rule).await;
    let result = client(&mock).create(&create_request()).await;
    let Err(err) = result else {
        panic!("{rule}: expected an error, got {result:?}");
    };
    (err, stats(&mock).await)
}

/// Faults that replace or damage a unary answer map to their documented classes and are
/// counted once each by the mock.
#[tokio::test]
async fn unary_faults_map_to_their_classes() {
    let cases = [
        (
            "{kind: http_429, retry_after: 2s}",
            "http_429",
            ErrorClass::RateLimited,
        ),
        ("{kind: http_500}", "http_500", ErrorClass::Http5xx(500)),
        ("{kind: http_503}", "http_503", ErrorClass::Http5xx(503)),
        (
            "{kind: http_504, delay: 10ms}",
            "http_504",
            ErrorClass::Http5xx(504),
        ),
        ("{kind: reset}", "reset", ErrorClass::Reset),
        ("{kind: truncated}", "truncated", ErrorClass::Reset),
        (
            "{kind: malformed_json}",
            "malformed_json",
            ErrorClass::Decode,
        ),
    ];
    for (rule, kind, class) in cases {
        let (err, stats) = unary_error(rule).await;
        assert_eq!(err.class(), class, "{rule}: {err}");
        assert_eq!(stats.fault_count(kind), 1, "{rule}: {stats:?}");
        assert_eq!(stats.endpoints["create"].faults[kind], 1);
        if kind == "http_429" {
            assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        }
        if kind == "reset" {
            assert_eq!(stats.count("create", 0), 1, "a reset has no status");
            assert!(err.status().is_none());
        }
    }
}

/// Stream-shaped faults: a cut stream is `stream_incomplete`; `end_failure` and
/// `error_chunk` arrive whole but say what went wrong.
#[tokio::test]
async fn streamed_faults() {
    let mock = mock_with("{kind: stream_cut}").await;
    let err = client(&mock).create_streamed(&create_request()).await;
    assert_eq!(
        err.map_err(|e| e.class()).err(),
        Some(ErrorClass::StreamIncomplete)
    );

    let mock = mock_with("{kind: end_failure}").await;
    let reply = client(&mock)
        .create_streamed(&create_request())
        .await
        .expect("a reply");
    assert_eq!(reply.end, Some(false));

    let mock = mock_with("{kind: error_chunk, endpoint: create}").await;
    let reply = client(&mock)
        .create_streamed(&create_request())
        .await
        .expect("a reply");
    assert!(reply.is_complete());
    assert!(
        reply
            .chunks
            .iter()
            .any(|c| matches!(c.body, ChunkBody::Error(_)))
    );
    let unary = client(&mock)
        .create(&create_request())
        .await
        .expect("a reply");
    let last = unary.response.response_chunks.last().map(|c| &c.body);
    assert!(matches!(last, Some(ChunkBody::Error(_))));
    assert_eq!(stats(&mock).await.fault_count("error_chunk"), 2);

    let mock = mock_with("{kind: malformed_json}").await;
    let err = client(&mock).create_streamed(&create_request()).await;
    assert_eq!(err.map_err(|e| e.class()).err(), Some(ErrorClass::Decode));

    // Stream-only faults never fire on unary endpoints.
    let mock = mock_with("{kind: stream_cut}").await;
    assert!(client(&mock).create(&create_request()).await.is_ok());
    assert_eq!(stats(&mock).await.fault_count("stream_cut"), 0);
}

/// A trickled body takes at least its duration and still decodes.
#[tokio::test]
async fn trickle_is_slow_but_whole() {
    let mock = mock_with("{kind: trickle, duration: 300ms}").await;
    let started = Instant::now();
    let reply = client(&mock).create(&create_request()).await;
    assert!(reply.is_ok(), "{reply:?}");
    assert!(started.elapsed() >= Duration::from_millis(280));
}

/// A stall holds every response due inside its window until the window ends.
#[tokio::test]
async fn stall_holds_responses_until_the_window_ends() {
    let mut faults = FaultProfile::default();
    faults.stalls.push("400ms@0s".parse().expect("a stall"));
    let mock = start(MockConfig {
        faults,
        ..MockConfig::default()
    })
    .await;
    let started = Instant::now();
    assert!(client(&mock).create(&create_request()).await.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(350));
    assert_eq!(stats(&mock).await.fault_count("stall"), 1);
}

/// Latency distributions delay answers by at least their lower bound.
#[tokio::test]
async fn latency_lower_bounds() {
    let latency = convoy::mock::Latency::from_specs(&["create=60ms..80ms"]).expect("spec");
    let mock = start(MockConfig {
        latency,
        ..MockConfig::default()
    })
    .await;
    let started = Instant::now();
    assert!(client(&mock).create(&create_request()).await.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(60));
}
