//! The mock server over real HTTP, driven with raw JSON to prove the wire format: the
//! create and send flow, both base paths, the stats endpoint, the session cap, the
//! configured latency and shutdown.

mod mock_common;

use convoy::mock::{self, API_PREFIX, MockConfig};
use mock_common::*;
use reqwest::StatusCode;
use serde_json::json;

/// Create answers with the session, a greeting naming the form and the first question.
#[tokio::test]
async fn create_greets_and_asks_the_first_question() {
    let mock = start(MockConfig::default()).await;
    let (id, answer) = create(&mock.base_url()).await;
    assert_eq!(
        answer.body["interactiveFormSession"]["formId"],
        json!(FORM_ID)
    );
    assert!(convoy::mock::ids::is_guid(&id), "{id}");
    assert_eq!(chunk_types(&answer), ["TEXT", "TEXT"]);
    let greeting = &answer.body["responseChunks"][0]["textDetails"]["text"];
    assert!(
        greeting
            .as_str()
            .is_some_and(|t| t.contains("Spring meetup registration")),
        "{greeting}"
    );
    assert!(answer.content_type.starts_with("application/json"));
    assert!(!answer.request_id.is_empty());
}

/// A conversation reaches SUBMISSION, with typed TEXT_DATA on the way, and the SDK's
/// extra `interactiveFormSessionId` body field is ignored.
#[tokio::test]
async fn a_conversation_reaches_submission() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    let (id, _) = create(&base).await;
    let url = format!("{base}/{id}/send-user-message");
    let turn = post(
        &url,
        json!({"input": "Hi, I'm Dana, dana@example.com", "interactiveFormSessionId": id}),
    )
    .await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);
    assert_eq!(
        chunk_types(&turn),
        ["TEXT_DATA", "TEXT_DATA", "TEXT", "SINGLE_SELECT_INPUT"]
    );
    assert_eq!(
        turn.body["responseChunks"][0],
        json!({"chunkType": "TEXT_DATA", "textDataDetails": {"fieldTarget": "first_name", "text": "First name: Dana", "value": "Dana", "displayValue": "Dana"}, "meaningfulInput": {"startOffset": 8, "length": 4}})
    );
    assert_eq!(
        turn.body["responseChunks"][3]["singleSelectInputDetails"]["options"][1],
        json!({"value": "vip", "label": "VIP"})
    );
    let turn = post(&url, json!({"input": "VIP please, two guests"})).await;
    assert_eq!(
        chunk_types(&turn),
        ["TEXT_DATA", "TEXT_DATA", "TEXT", "SUBMISSION"]
    );
    assert_eq!(
        turn.body["responseChunks"][0]["textDataDetails"]["value"],
        json!(2)
    );
    assert_eq!(
        turn.body["responseChunks"][1]["textDataDetails"]["displayValue"],
        json!("VIP")
    );
    let submission_id = turn.body["responseChunks"][3]["submissionDetails"]["submissionId"]
        .as_str()
        .unwrap_or("");
    assert!(convoy::mock::ids::is_guid(submission_id), "{}", turn.body);
    let again = post(&url, json!({"input": "hello?"})).await;
    assert_eq!(chunk_types(&again), ["TEXT"]);
}

/// In dry-run the SUBMISSION chunk carries no submissionId; currentValues alone count.
#[tokio::test]
async fn dry_run_submission_has_no_id() {
    let mock = start(MockConfig::default()).await;
    let base = mock.root_url();
    let created = post(
        &base,
        json!({"formId": FORM_ID, "dryRun": true, "currentValues": {"first_name": "Dana"}}),
    )
    .await;
    let id = created.body["interactiveFormSession"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let url = format!("{base}/{id}/send-user-message");
    let turn = post(
        &url,
        json!({"currentValues": {"email": "d@x.io", "ticket": "standard"}}),
    )
    .await;
    assert_eq!(chunk_types(&turn), ["TEXT", "SUBMISSION"]);
    assert_eq!(
        turn.body["responseChunks"][1],
        json!({"chunkType": "SUBMISSION", "submissionDetails": {}})
    );
}

/// Both base URLs serve the same API, and a session made under one is usable under the other.
#[tokio::test]
async fn both_base_paths_work() {
    let mock = start(MockConfig::default()).await;
    let (id, _) = create(&mock.root_url()).await;
    let (_, answer) = create(&format!("{}/", mock.base_url())).await;
    assert_eq!(chunk_types(&answer), ["TEXT", "TEXT"]);
    let turn = post(
        &format!("{}/{id}/send-user-message", mock.base_url()),
        json!({"input": "I'm Dana"}),
    )
    .await;
    assert_eq!(turn.status, StatusCode::OK);
    let turn = post(
        &format!("{}/{id}/send-user-message", mock.root_url()),
        json!({"input": "d@x.io"}),
    )
    .await;
    assert_eq!(turn.status, StatusCode::OK);
}

/// The stats endpoint counts requests by endpoint and status, also under concurrency.
#[tokio::test]
async fn stats_count_requests_by_endpoint_and_status() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    const SESSIONS: usize = 40;
    let conversations = (0..SESSIONS).map(|_| {
        let base = base.clone();
        async move {
            let (id, _) = create(&base).await;
            let url = format!("{base}/{id}/send-user-message");
            post(&url, json!({"input": "I'm Dana"})).await.status
        }
    });
    let statuses = futures_util::future::join_all(conversations).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::OK));
    post(
        &base,
        json!({"formId": "00000000-0000-4000-8000-000000000000"}),
    )
    .await;
    post(&format!("{base}/x/send-user-message"), json!({})).await;
    let snapshot = stats(&mock).await;
    assert_eq!(snapshot.count("create", 200), SESSIONS as u64);
    assert_eq!(snapshot.count("create", 404), 1);
    assert_eq!(snapshot.count("sendUserMessage", 200), SESSIONS as u64);
    assert_eq!(snapshot.count("sendUserMessage", 400), 1);
    assert_eq!(snapshot.total, 2 * SESSIONS as u64 + 2);
    assert_eq!(snapshot.sessions.live, SESSIONS as u64);
    let again = stats(&mock).await;
    assert_eq!(again.count("stats", 200), 1);
}

/// Beyond the session cap the oldest session is evicted and then unknown (404).
#[tokio::test]
async fn the_session_cap_evicts_the_oldest() {
    let mock = start(MockConfig {
        max_sessions: 2,
        ..MockConfig::default()
    })
    .await;
    let base = mock.base_url();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(create(&base).await.0);
    }
    let first = post(
        &format!("{base}/{}/send-user-message", ids[0]),
        json!({"input": "hi"}),
    )
    .await;
    assert_error(
        &first,
        StatusCode::NOT_FOUND,
        "applicationError",
        "SESSION_NOT_FOUND",
    );
    let last = post(
        &format!("{base}/{}/send-user-message", ids[2]),
        json!({"input": "hi"}),
    )
    .await;
    assert_eq!(last.status, StatusCode::OK);
    let snapshot = stats(&mock).await;
    assert_eq!(
        (
            snapshot.sessions.created,
            snapshot.sessions.live,
            snapshot.sessions.evicted
        ),
        (3, 2, 1)
    );
}

/// `serve` runs on a listener the caller bound and returns once the shutdown future ends.
#[tokio::test]
async fn serve_stops_when_the_shutdown_future_completes() {
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("bind: {e}"),
    };
    let addr = listener.local_addr().map_err(|e| e.to_string());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(mock::serve(
        listener,
        vec![(FORM_ID.into(), meetup())],
        MockConfig::default(),
        async {
            let _ = stopped.await;
        },
    ));
    let base = format!(
        "http://{}{API_PREFIX}",
        addr.unwrap_or_else(|e| panic!("{e}"))
    );
    assert_eq!(
        post(&base, json!({"formId": FORM_ID})).await.status,
        StatusCode::OK
    );
    let _ = stop.send(());
    let finished = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(matches!(finished, Ok(Ok(Ok(())))), "{finished:?}");
}

/// `MockHandle::shutdown` stops the server: new connections are refused afterwards.
#[tokio::test]
async fn handle_shutdown_stops_the_server() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    create(&base).await;
    let result = mock.shutdown().await;
    assert!(result.is_ok(), "{result:?}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap_or_default();
    assert!(client.post(&base).body("{}").send().await.is_err());
}

/// The configured per-endpoint delay is applied.
#[tokio::test]
async fn configured_latency_delays_answers() {
    let latency = mock::Latency {
        create: mock::Delay::Fixed(std::time::Duration::from_millis(120)),
        ..Default::default()
    };
    let mock = start(MockConfig {
        latency,
        ..MockConfig::default()
    })
    .await;
    let started = std::time::Instant::now();
    create(&mock.base_url()).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(120));
}
