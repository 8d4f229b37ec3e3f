//! The mock server over real HTTP, driven with raw JSON to prove the wire format: the
//! create and send flow, every error case with status, body shape and request id, both
//! base paths, the stats endpoint, the session cap and shutdown.

use convoy::mock::{self, API_PREFIX, MockConfig, MockHandle, REQUEST_ID_HEADER, StatsSnapshot};
use convoy::suite::model::{Field, FieldOption, FieldType, Form, FormId, StringFormat};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;

const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";

fn field(key: &str, label: &str, field_type: FieldType, required: bool) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        field_type,
        format: None,
        required,
        options: Vec::new(),
        min: None,
        max: None,
    }
}

fn meetup() -> Form {
    let mut email = field("email", "Email", FieldType::String, true);
    email.format = Some(StringFormat::Email);
    let mut guests = field("guests", "Number of guests", FieldType::Number, false);
    (guests.min, guests.max) = (Some(0.0), Some(5.0));
    let mut ticket = field("ticket", "Ticket", FieldType::String, true);
    ticket.options = ["standard", "vip"]
        .iter()
        .map(|v| FieldOption {
            value: json!(v),
            label: v.to_uppercase(),
        })
        .collect();
    Form {
        id: FormId::Guid(FORM_ID.into()),
        name: Some("Spring meetup registration".into()),
        fields: vec![
            field("first_name", "First name", FieldType::String, true),
            email,
            guests,
            ticket,
        ],
    }
}

async fn start(config: MockConfig) -> MockHandle {
    match mock::spawn(vec![(FORM_ID.to_string(), meetup())], config).await {
        Ok(handle) => handle,
        Err(e) => panic!("mock did not start: {e}"),
    }
}

/// A response as the tests look at it.
struct Answer {
    status: StatusCode,
    request_id: String,
    content_type: String,
    body: Value,
}

async fn post_raw(url: &str, body: &str) -> Answer {
    let client = reqwest::Client::new();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await;
    let response = match response {
        Ok(r) => r,
        Err(e) => panic!("POST {url}: {e}"),
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (status, request_id, content_type) = (
        response.status(),
        header(REQUEST_ID_HEADER),
        header("content-type"),
    );
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        request_id,
        content_type,
        body,
    }
}

async fn post(url: &str, body: Value) -> Answer {
    post_raw(url, &body.to_string()).await
}

fn chunk_types(answer: &Answer) -> Vec<String> {
    let chunks = answer.body["responseChunks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    chunks
        .iter()
        .map(|c| c["chunkType"].as_str().unwrap_or("?").to_string())
        .collect()
}

async fn create(base: &str) -> (String, Answer) {
    let answer = post(base, json!({"formId": FORM_ID, "dryRun": false})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = answer.body["interactiveFormSession"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    (id, answer)
}

fn assert_error(answer: &Answer, status: StatusCode, kind: &str, code_or_field: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(!answer.request_id.is_empty(), "no {REQUEST_ID_HEADER}");
    assert!(
        answer.content_type.starts_with("application/json"),
        "{}",
        answer.content_type
    );
    assert!(
        answer.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        answer.body
    );
    let details = &answer.body["details"][kind];
    let found = match kind {
        "applicationError" => details["code"].clone(),
        _ => details["fieldViolations"][0]["field"].clone(),
    };
    assert_eq!(found, json!(code_or_field), "{}", answer.body);
}

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

/// Create errors: unknown form, missing or malformed formId, malformed JSON.
#[tokio::test]
async fn create_errors_match_the_api() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    let unknown = post(
        &base,
        json!({"formId": "00000000-0000-4000-8000-000000000000"}),
    )
    .await;
    assert_error(
        &unknown,
        StatusCode::NOT_FOUND,
        "applicationError",
        "FORM_NOT_FOUND",
    );
    assert_error(
        &post(&base, json!({})).await,
        StatusCode::BAD_REQUEST,
        "validationError",
        "formId",
    );
    assert_error(
        &post(&base, json!({"formId": "nope"})).await,
        StatusCode::BAD_REQUEST,
        "validationError",
        "formId",
    );
    assert_error(
        &post_raw(&base, "{\"formId\": ").await,
        StatusCode::BAD_REQUEST,
        "validationError",
        "body",
    );
    assert_error(
        &post(&base, json!({"formId": 7})).await,
        StatusCode::BAD_REQUEST,
        "validationError",
        "body",
    );
    // GUIDs are case-insensitive.
    let upper = post(&base, json!({"formId": FORM_ID.to_uppercase()})).await;
    assert_eq!(upper.status, StatusCode::OK);
}

/// Send errors: unknown session, empty request, input over 10,000 characters, bad JSON.
#[tokio::test]
async fn send_errors_match_the_api() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    let (id, _) = create(&base).await;
    let url = format!("{base}/{id}/send-user-message");
    let missing = post(
        &format!("{base}/00000000-0000-4000-8000-000000000000/send-user-message"),
        json!({"input": "hi"}),
    )
    .await;
    assert_error(
        &missing,
        StatusCode::NOT_FOUND,
        "applicationError",
        "SESSION_NOT_FOUND",
    );
    assert_error(
        &post(&url, json!({})).await,
        StatusCode::BAD_REQUEST,
        "applicationError",
        "EMPTY_REQUEST",
    );
    assert_error(
        &post(&url, json!({"input": ""})).await,
        StatusCode::BAD_REQUEST,
        "applicationError",
        "EMPTY_REQUEST",
    );
    assert_error(
        &post_raw(&url, "").await,
        StatusCode::BAD_REQUEST,
        "applicationError",
        "EMPTY_REQUEST",
    );
    let long = "é".repeat(10_001);
    let too_long = post(&url, json!({ "input": long })).await;
    assert_error(
        &too_long,
        StatusCode::BAD_REQUEST,
        "validationError",
        "input",
    );
    assert_eq!(
        too_long.body["details"]["validationError"]["fieldViolations"][0]["violatedRule"],
        json!("MAX_LENGTH")
    );
    // Exactly 10,000 two-byte characters are within the limit (characters, not bytes).
    let at_limit = post(&url, json!({ "input": "é".repeat(10_000) })).await;
    assert_eq!(at_limit.status, StatusCode::OK);
    assert_error(
        &post_raw(&url, "[1,").await,
        StatusCode::BAD_REQUEST,
        "validationError",
        "body",
    );
}

/// Unrouted paths and wrong methods still answer JSON with a request id.
#[tokio::test]
async fn unknown_routes_answer_json() {
    let mock = start(MockConfig::default()).await;
    let other = post(
        &format!("{}/generate-form-summary/extra", mock.base_url()),
        json!({}),
    )
    .await;
    assert_error(
        &other,
        StatusCode::NOT_FOUND,
        "applicationError",
        "NOT_FOUND",
    );
    let response = reqwest::get(mock.base_url())
        .await
        .map_err(|e| e.to_string());
    let status = response.as_ref().map(|r| r.status());
    assert_eq!(status, Ok(StatusCode::METHOD_NOT_ALLOWED));
    assert!(response.is_ok_and(|r| r.headers().contains_key(REQUEST_ID_HEADER)));
}

/// Every response carries a distinct request id.
#[tokio::test]
async fn request_ids_are_fresh() {
    let mock = start(MockConfig::default()).await;
    let mut ids = HashSet::new();
    for _ in 0..20 {
        ids.insert(
            post(&mock.base_url(), json!({"formId": FORM_ID}))
                .await
                .request_id,
        );
    }
    ids.insert(post(&mock.base_url(), json!({})).await.request_id);
    assert_eq!(ids.len(), 21);
}

async fn stats(mock: &MockHandle) -> StatsSnapshot {
    let response = match reqwest::get(mock.stats_url()).await {
        Ok(r) => r,
        Err(e) => panic!("stats: {e}"),
    };
    response.json().await.unwrap_or_default()
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
        create: std::time::Duration::from_millis(120),
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
