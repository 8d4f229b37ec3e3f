//! The JSON wire types of docs/wire-format.md: requests, responses and error bodies; the response
//! chunks live in [`chunk`](super::chunk) and are re-exported here.
//!
//! Owns (de)serialization only; unknown fields are ignored. Nothing here performs I/O.

pub use super::chunk::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A JSON object of field key → value, as sent in `currentValues`.
pub type Values = Map<String, Value>;

/// Body of Create Interactive Form Session (and its streamed twin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionRequest {
    #[serde(default)]
    pub form_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_values: Option<Values>,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_time: Option<ClientTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTime {
    /// ISO-8601 UTC. Both fields are optional on the wire and have a minimum length of 1,
    /// so an empty string is left out rather than sent (the service would reject it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub current_time: String,
    /// IANA time zone, e.g. `Europe/Vilnius`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub time_zone: String,
}

/// Body of Send User Message (and its streamed twin). The official SDK also sends
/// `interactiveFormSessionId` in the body; servers ignore it, so it is optional here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_values: Option<Values>,
    /// The session id the SDK repeats beside the path parameter; the path is what counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive_form_session_id: Option<String>,
}

/// `interactiveFormSession` in responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// REST spells it `id`; the JS SDK's `_id` is accepted too.
    #[serde(default, alias = "_id")]
    pub id: String,
    #[serde(default)]
    pub form_id: String,
}

/// Response of Create and of Send User Message (non-streamed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive_form_session: Option<Session>,
    #[serde(default)]
    pub response_chunks: Vec<Chunk>,
}

/// One message of a streamed response; the session is only in the first one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamMessage {
    pub response_chunk: Chunk,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive_form_session: Option<Session>,
}

/// The error body of a non-200 response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetailsBody>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetailsBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_error: Option<ApplicationError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<ValidationError>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub description: String,
    /// Absent and `null` both mean "no data"; neither is written back.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    #[serde(default)]
    pub field_violations: Vec<FieldViolation>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldViolation {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub violated_rule: String,
}
