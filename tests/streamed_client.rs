//! The streamed methods over real HTTP: the client against the mock (TTFC, chunks,
//! errors, stats) and against a raw TCP server that cuts the body short.

mod mock_common;

use convoy::api::client::{Client, ClientConfig};
use convoy::common::error_class::ErrorClass;
use convoy::common::wire::{ChunkBody, ChunkType, SendMessageRequest};
use convoy::mock::{MockConfig, StreamFormat};
use mock_common::*;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn client(base: &str) -> Client {
    let config = ClientConfig {
        timeout: Duration::from_secs(10),
        ..ClientConfig::new(base)
    };
    Client::new(config).expect("client builds")
}

/// TTFC reflects the mock's configured delay before the first message; the session comes
/// in the first message and END_OF_RESPONSE {success: true} closes every framing.
#[tokio::test]
async fn ttfc_reflects_the_mock_delay_in_every_framing() {
    for format in [StreamFormat::Array, StreamFormat::Ndjson, StreamFormat::Sse] {
        let mock = start(MockConfig {
            stream_format: format,
            stream_ttfc: Duration::from_millis(100),
            stream_gap: Duration::from_millis(5),
            ..MockConfig::default()
        })
        .await;
        let client = client(&mock.base_url());
        let reply = client.create_streamed(&create_request()).await.unwrap();
        assert!(
            reply.ttfc.unwrap() >= Duration::from_millis(100),
            "{format:?}"
        );
        assert!(reply.is_complete(), "{format:?}");
        assert_eq!(reply.chunks.len(), reply.arrivals.len());
        assert!(reply.arrivals.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(
            reply.chunks.last().map(|c| c.chunk_type()),
            Some(ChunkType::EndOfResponse)
        );
        let session = reply.session.expect("session in the first message");
        let send = SendMessageRequest {
            input: Some("I'm Dana".into()),
            ..SendMessageRequest::default()
        };
        let turn = client.send_streamed(&session.id, &send).await.unwrap();
        assert!(turn.is_complete());
        assert!(turn.ttfc.unwrap() >= Duration::from_millis(100));
        let stats = stats(&mock).await;
        assert_eq!(stats.count("createStreamed", 200), 1);
        assert_eq!(stats.count("sendUserMessageStreamed", 200), 1);
    }
}

/// The streamed twins answer invalid requests exactly like the unary endpoints.
#[tokio::test]
async fn streamed_endpoints_reject_like_their_twins() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    let create = format!("{base}/create-streamed");
    let unknown = json!({"formId": "00000000-0000-4000-8000-000000000000"});
    let answer = post(&create, unknown).await;
    assert_error(
        &answer,
        StatusCode::NOT_FOUND,
        "applicationError",
        "FORM_NOT_FOUND",
    );
    let answer = post(&create, json!({})).await;
    assert_error(
        &answer,
        StatusCode::BAD_REQUEST,
        "validationError",
        "formId",
    );
    let answer = post_raw(&create, "{\"formId\": ").await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "validationError", "body");

    let (id, _) = create_session(&base).await;
    let send = format!("{base}/{id}/send-user-message-streamed");
    let answer = post(&send, json!({})).await;
    assert_error(
        &answer,
        StatusCode::BAD_REQUEST,
        "applicationError",
        "EMPTY_REQUEST",
    );
    let long = "x".repeat(10_001);
    let answer = post(&send, json!({ "input": long })).await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "validationError", "input");
    let missing = format!("{base}/nope/send-user-message-streamed");
    let answer = post(&missing, json!({"input": "hi"})).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);

    // The client maps them onto the same classes as for the unary methods.
    let client = client(&base);
    let err = client
        .send_streamed(
            "nope",
            &SendMessageRequest {
                input: Some("hi".into()),
                ..SendMessageRequest::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Http4xx(404));
    let stats = stats(&mock).await;
    assert_eq!(stats.count("createStreamed", 400), 2);
    assert_eq!(stats.count("createStreamed", 404), 1);
    assert_eq!(stats.count("sendUserMessageStreamed", 400), 2);
    assert_eq!(stats.count("sendUserMessageStreamed", 404), 2);
}

async fn create_session(base: &str) -> (String, Answer) {
    create(base).await
}

/// Serves one connection: reads the request head, writes `response`, then closes.
async fn serve_once(response: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        // Read until the end of the headers and the small JSON body; enough for a POST
        // from the client, which sends the body right after the head.
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    });
    format!("http://{addr}")
}

fn first_message() -> String {
    json!({
        "responseChunk": {"chunkType": "TEXT", "textDetails": {"text": "Hi"}},
        "interactiveFormSession": {"id": "s1", "formId": FORM_ID}
    })
    .to_string()
}

/// A body that ends mid-message (connection closed) is `stream_incomplete`, not `decode`.
#[tokio::test]
async fn a_stream_cut_mid_message_is_stream_incomplete() {
    let body = format!("[{},{{\"responseChunk\": {{\"textDe", first_message());
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    let reply = create_streamed_from([head.as_bytes(), body.as_bytes()].concat()).await;
    assert_eq!(reply.unwrap_err().class(), ErrorClass::StreamIncomplete);
}

/// A chunked body cut before its terminating chunk is `stream_incomplete` too.
#[tokio::test]
async fn a_chunked_body_cut_short_is_stream_incomplete() {
    let line = format!("{}\n", first_message());
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\ntransfer-encoding: chunked\r\n\r\n";
    let chunk = format!("{:x}\r\n{line}\r\n", line.len());
    let reply = create_streamed_from([head, &chunk, "40\r\n{\"resp"].concat().into_bytes()).await;
    assert_eq!(reply.unwrap_err().class(), ErrorClass::StreamIncomplete);
}

/// A streamed create against a server that answers once with `response`, bounded in time.
async fn create_streamed_from(
    response: Vec<u8>,
) -> Result<convoy::api::streamed::StreamReply, convoy::api::error::ApiError> {
    let base = serve_once(response).await;
    tokio::time::timeout(
        Duration::from_secs(10),
        client(&base).create_streamed(&create_request()),
    )
    .await
    .expect("bounded")
}

/// A stream that ends cleanly without END_OF_RESPONSE is returned, flagged as not ended.
#[tokio::test]
async fn a_clean_stream_without_end_of_response_is_flagged() {
    let body = format!("{}\n", first_message());
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\nconnection: close\r\n\r\n";
    let base = serve_once([head.as_bytes(), body.as_bytes()].concat()).await;
    let reply = client(&base)
        .create_streamed(&create_request())
        .await
        .unwrap();
    assert_eq!(reply.end, None);
    assert!(!reply.is_complete());
    assert_eq!(reply.session.map(|s| s.id).as_deref(), Some("s1"));
    assert!(matches!(reply.chunks[0].body, ChunkBody::Text(_)));
}

/// A stream whose next message comes after the request deadline is a `timeout`.
#[tokio::test]
async fn a_stalled_stream_is_a_timeout() {
    let mock = start(MockConfig {
        stream_gap: Duration::from_secs(30),
        ..MockConfig::default()
    })
    .await;
    let config = ClientConfig {
        timeout: Duration::from_millis(300),
        ..ClientConfig::new(mock.base_url())
    };
    let client = Client::new(config).unwrap();
    let err = client.create_streamed(&create_request()).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Timeout, "{err}");
}

/// Through the runner: a streamed create cut mid-body errors the turn as
/// `stream_incomplete`, keeping what arrived.
#[tokio::test]
async fn the_runner_classes_a_cut_stream_as_stream_incomplete() {
    let body = format!("[{},{{\"responseChunk\": {{\"textDe", first_message());
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    let base = serve_once([head.as_bytes(), body.as_bytes()].concat()).await;
    let suite = convoy::suite::load_str(
        "cut.yaml",
        &format!(
            "version: 1\nname: cut\nform:\n  id: {FORM_ID}\n  fields:\n    - {{key: name, label: Name, type: string}}\nconversations:\n  - name: cut\n    streamed: true\n    turns:\n      - user: hi\n"
        ),
    )
    .expect("the suite loads");
    let options = convoy::runner::RunOptions {
        base_url: Some(base),
        timeout: Duration::from_secs(10),
        ..convoy::runner::RunOptions::default()
    };
    let plan = convoy::runner::build_plan(vec![suite], &options, |_| None).unwrap();
    let outcome = convoy::runner::execute(&plan, std::future::pending(), &mut |_, _| {})
        .await
        .unwrap();
    let create = &outcome.results[0].turns[0];
    let error = create.error.as_ref().expect("the create errored");
    assert_eq!(
        error.class,
        ErrorClass::StreamIncomplete,
        "{}",
        error.message
    );
    assert_eq!(
        outcome.results[0].verdict(),
        convoy::runner::Verdict::Errored
    );
}
