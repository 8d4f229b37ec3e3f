//! The mock's error answers over real HTTP: every error case of API.md with its status,
//! body shape, JSON content type and a fresh `x-wix-request-id`.

mod mock_common;

use convoy::mock::{MockConfig, REQUEST_ID_HEADER};
use mock_common::*;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;

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

/// A body over the server's 2 MB limit gets a JSON 413, not a bare error page.
#[tokio::test]
async fn an_oversized_body_is_413_json() {
    let mock = start(MockConfig::default()).await;
    let huge = format!("{{\"formId\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let answer = post_raw(&mock.base_url(), &huge).await;
    assert_error(
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "applicationError",
        "PAYLOAD_TOO_LARGE",
    );
}
