//! Helpers shared by the mock's integration tests: the test form, starting the mock,
//! and raw-JSON requests that keep status, request id and content type.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use convoy::common::wire::CreateSessionRequest;
use convoy::mock::{self, MockConfig, MockHandle, REQUEST_ID_HEADER, StatsSnapshot};
use convoy::suite::model::{Field, FieldOption, FieldType, Form, FormId, StringFormat};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";

pub fn field(key: &str, label: &str, field_type: FieldType, required: bool) -> Field {
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

pub fn meetup() -> Form {
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

pub async fn start(config: MockConfig) -> MockHandle {
    match mock::spawn(vec![(FORM_ID.to_string(), meetup())], config).await {
        Ok(handle) => handle,
        Err(e) => panic!("mock did not start: {e}"),
    }
}

/// A response as the tests look at it.
pub struct Answer {
    pub status: StatusCode,
    pub request_id: String,
    pub content_type: String,
    pub body: Value,
}

pub async fn post_raw(url: &str, body: &str) -> Answer {
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

pub async fn post(url: &str, body: Value) -> Answer {
    post_raw(url, &body.to_string()).await
}

pub fn chunk_types(answer: &Answer) -> Vec<String> {
    let chunks = answer.body["responseChunks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    chunks
        .iter()
        .map(|c| c["chunkType"].as_str().unwrap_or("?").to_string())
        .collect()
}

pub async fn create(base: &str) -> (String, Answer) {
    let answer = post(base, json!({"formId": FORM_ID, "dryRun": false})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = answer.body["interactiveFormSession"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    (id, answer)
}

pub fn assert_error(answer: &Answer, status: StatusCode, kind: &str, code_or_field: &str) {
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

/// The mock's `/__convoy/stats`. A body that does not decode fails the test: read as
/// empty stats it could pass an assertion that nothing was counted.
pub async fn stats(mock: &MockHandle) -> StatsSnapshot {
    let response = match reqwest::get(mock.stats_url()).await {
        Ok(r) => r,
        Err(e) => panic!("stats: {e}"),
    };
    response.json().await.expect("stats decode")
}

/// The mock with one fault rule, written as `--fault` takes it.
pub async fn mock_with(rule: &str) -> MockHandle {
    let mut faults = mock::FaultProfile::default();
    if let Err(d) = faults.push_flag(rule) {
        panic!("{d}");
    }
    start(MockConfig {
        faults,
        ..MockConfig::default()
    })
    .await
}

/// A dry-run Create of the test form, with no current values.
pub fn create_request() -> CreateSessionRequest {
    CreateSessionRequest {
        form_id: FORM_ID.into(),
        current_values: None,
        dry_run: true,
        client_time: None,
    }
}
