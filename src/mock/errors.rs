//! The mock's error responses, in the exact shapes of the service (docs/wire-format.md): a status and a JSON body
//! `{"message", "details": {"applicationError" | "validationError"}}`.
//!
//! Owns the mapping from what went wrong to status, code and body. It must not decide
//! when a request is wrong (the handlers do).

use crate::common::wire::{
    ApplicationError, ErrorBody, ErrorDetailsBody, FieldViolation, ValidationError,
};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// Everything the mock answers with an error status.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MockError {
    /// The body is not JSON of the request's shape (400).
    #[error("invalid request body: {0}")]
    MalformedBody(String),
    /// A request field breaks a rule (400 validationError).
    #[error("{field}: {description}")]
    InvalidField {
        field: &'static str,
        description: String,
        rule: &'static str,
    },
    /// Send User Message with neither `input` nor `currentValues` (400 EMPTY_REQUEST).
    #[error("neither input nor currentValues was given")]
    EmptyRequest,
    /// Generate Form Summary for a form without input fields (400 INVALID_FORM).
    #[error("the form has no input fields to summarize")]
    InvalidForm,
    /// No form with this id is served (404 FORM_NOT_FOUND, code inferred).
    #[error("form {0} not found")]
    FormNotFound(String),
    /// No session with this id, or it was evicted (404 SESSION_NOT_FOUND, code inferred).
    #[error("interactive form session {0} not found")]
    SessionNotFound(String),
    /// A path the mock does not serve (404).
    #[error("no such endpoint: {0}")]
    NoSuchEndpoint(String),
    /// A served path with the wrong method (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A body over the server's size limit (413).
    #[error("request body too large")]
    BodyTooLarge,
    /// Injected `http_429` (RESOURCE_EXHAUSTED); the fault layer adds `Retry-After`.
    #[error("rate limit exceeded (injected by convoy mock)")]
    RateLimited,
    /// Injected `http_500` (INTERNAL).
    #[error("internal error (injected by convoy mock)")]
    Internal,
    /// Injected `http_504` (DEADLINE_EXCEEDED).
    #[error("deadline exceeded (injected by convoy mock)")]
    GatewayTimeout,
}

impl MockError {
    pub fn status(&self) -> StatusCode {
        match self {
            MockError::MalformedBody(_)
            | MockError::InvalidField { .. }
            | MockError::EmptyRequest
            | MockError::InvalidForm => StatusCode::BAD_REQUEST,
            MockError::FormNotFound(_)
            | MockError::SessionNotFound(_)
            | MockError::NoSuchEndpoint(_) => StatusCode::NOT_FOUND,
            MockError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            MockError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            MockError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            MockError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            MockError::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The JSON body: a validationError for request-shape problems, an applicationError
    /// with a code for everything else.
    pub fn body(&self) -> ErrorBody {
        let message = self.to_string();
        let details = match self {
            MockError::MalformedBody(reason) => validation("body", reason, "FORMAT"),
            MockError::InvalidField {
                field,
                description,
                rule,
            } => validation(field, description, rule),
            other => application(other.code(), &message),
        };
        ErrorBody {
            message,
            details: Some(details),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            MockError::EmptyRequest => "EMPTY_REQUEST",
            MockError::InvalidForm => "INVALID_FORM",
            MockError::FormNotFound(_) => "FORM_NOT_FOUND",
            MockError::SessionNotFound(_) => "SESSION_NOT_FOUND",
            MockError::NoSuchEndpoint(_) => "NOT_FOUND",
            MockError::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            MockError::BodyTooLarge => "PAYLOAD_TOO_LARGE",
            MockError::RateLimited => "RESOURCE_EXHAUSTED",
            MockError::Internal => "INTERNAL",
            MockError::GatewayTimeout => "DEADLINE_EXCEEDED",
            MockError::MalformedBody(_) | MockError::InvalidField { .. } => "INVALID_ARGUMENT",
        }
    }
}

fn validation(field: &str, description: &str, rule: &str) -> ErrorDetailsBody {
    ErrorDetailsBody {
        application_error: None,
        validation_error: Some(ValidationError {
            field_violations: vec![FieldViolation {
                field: field.to_string(),
                description: description.to_string(),
                violated_rule: rule.to_string(),
            }],
        }),
    }
}

fn application(code: &str, description: &str) -> ErrorDetailsBody {
    ErrorDetailsBody {
        application_error: Some(ApplicationError {
            code: code.to_string(),
            description: description.to_string(),
            data: Value::Object(Map::new()),
        }),
        validation_error: None,
    }
}

impl IntoResponse for MockError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn application_error_shape() {
        let body = serde_json::to_value(MockError::EmptyRequest.body()).unwrap_or_default();
        assert_eq!(
            body,
            json!({"message": "neither input nor currentValues was given", "details": {"applicationError": {
                "code": "EMPTY_REQUEST", "description": "neither input nor currentValues was given", "data": {}}}})
        );
    }

    #[test]
    fn validation_error_shape() {
        let error = MockError::InvalidField {
            field: "input",
            description: "too long".into(),
            rule: "MAX_LENGTH",
        };
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        let body = serde_json::to_value(error.body()).unwrap_or_default();
        assert_eq!(
            body["details"],
            json!({"validationError": {"fieldViolations": [{"field": "input", "description": "too long", "violatedRule": "MAX_LENGTH"}]}})
        );
    }
}
