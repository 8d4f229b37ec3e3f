//! The JSON wire types of API.md: requests, responses and the 13 response chunk variants.
//!
//! Owns (de)serialization only. Decoding is tolerant: unknown fields are ignored, unknown
//! chunk types are kept as [`ChunkBody::Unknown`], and the type of a chunk is decided by
//! which `...Details` key is present (`chunkType` may be absent for TEXT, its proto3
//! default). Nothing here performs I/O.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

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
    #[serde(default)]
    pub current_time: String,
    #[serde(default)]
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
}

/// `interactiveFormSession` in responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(default)]
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
    #[serde(default)]
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

/// The `chunkType` enum, plus `Unknown` for names this build does not know.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChunkType {
    Text,
    TextData,
    MultiSelectInput,
    SingleSelectInput,
    NumberInput,
    Separator,
    Error,
    Submission,
    ImportantText,
    Debug,
    EndOfResponse,
    FileUpload,
    Signature,
    Unknown(String),
}

/// (chunkType name, details key) for every known chunk type, in API.md order.
pub const CHUNK_TYPES: [(&str, &str); 13] = [
    ("TEXT", "textDetails"),
    ("TEXT_DATA", "textDataDetails"),
    ("MULTI_SELECT_INPUT", "multiSelectInputDetails"),
    ("SINGLE_SELECT_INPUT", "singleSelectInputDetails"),
    ("NUMBER_INPUT", "numberInputDetails"),
    ("SEPARATOR", "separatorDetails"),
    ("ERROR", "errorDetails"),
    ("SUBMISSION", "submissionDetails"),
    ("IMPORTANT_TEXT", "importantTextDetails"),
    ("DEBUG", "debugDetails"),
    ("END_OF_RESPONSE", "endOfResponseDetails"),
    ("FILE_UPLOAD", "fileUploadDetails"),
    ("SIGNATURE", "signatureDetails"),
];

impl ChunkType {
    const KNOWN: [ChunkType; 13] = [
        ChunkType::Text,
        ChunkType::TextData,
        ChunkType::MultiSelectInput,
        ChunkType::SingleSelectInput,
        ChunkType::NumberInput,
        ChunkType::Separator,
        ChunkType::Error,
        ChunkType::Submission,
        ChunkType::ImportantText,
        ChunkType::Debug,
        ChunkType::EndOfResponse,
        ChunkType::FileUpload,
        ChunkType::Signature,
    ];

    /// The upper-case wire name (`TEXT_DATA`), or the unknown name as received.
    pub fn name(&self) -> &str {
        match self {
            ChunkType::Unknown(name) => name,
            known => Self::KNOWN
                .iter()
                .position(|k| k == known)
                .map_or("", |i| CHUNK_TYPES[i].0),
        }
    }

    /// Parses an exact upper-case wire name; anything else is `Unknown`.
    pub fn from_name(name: &str) -> ChunkType {
        match CHUNK_TYPES.iter().position(|(n, _)| *n == name) {
            Some(i) => Self::KNOWN[i].clone(),
            None => ChunkType::Unknown(name.to_string()),
        }
    }

    /// The known chunk type whose details key is `key`.
    pub fn from_details_key(key: &str) -> Option<ChunkType> {
        CHUNK_TYPES
            .iter()
            .position(|(_, k)| *k == key)
            .map(|i| Self::KNOWN[i].clone())
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, ChunkType::Unknown(_))
    }
}

impl fmt::Display for ChunkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkType::Unknown(name) => write!(f, "UNKNOWN({name})"),
            known => f.write_str(known.name()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeaningfulInput {
    #[serde(default)]
    pub start_offset: u32,
    #[serde(default)]
    pub length: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextDetails {
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextDataDetails {
    #[serde(default)]
    pub field_target: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SelectOption {
    #[serde(default)]
    pub value: Value,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectInputDetails {
    #[serde(default)]
    pub field_target: String,
    #[serde(default)]
    pub options: Vec<SelectOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_custom_value: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RangeLimit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_inclusive_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inclusive_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_exclusive_value: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberInputDetails {
    #[serde(default)]
    pub field_target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_limit: Option<RangeLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeparatorDetails {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub separator_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    #[serde(default)]
    pub message_text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportantTextDetails {
    #[serde(default)]
    pub field_target: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DebugDetails {
    #[serde(default)]
    pub data: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndOfResponseDetails {
    #[serde(default)]
    pub success: bool,
}

/// FILE_UPLOAD and SIGNATURE details (documented as not supported).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldTargetDetails {
    #[serde(default)]
    pub field_target: String,
}

/// The payload of a chunk: exactly one of the `...Details` variants.
#[derive(Debug, Clone, PartialEq)]
pub enum ChunkBody {
    Text(TextDetails),
    TextData(TextDataDetails),
    MultiSelectInput(SelectInputDetails),
    SingleSelectInput(SelectInputDetails),
    NumberInput(NumberInputDetails),
    Separator(SeparatorDetails),
    Error(ErrorDetails),
    Submission(SubmissionDetails),
    ImportantText(ImportantTextDetails),
    Debug(DebugDetails),
    EndOfResponse(EndOfResponseDetails),
    FileUpload(FieldTargetDetails),
    Signature(FieldTargetDetails),
    /// A chunk type this build does not know; `details` is its details object if any.
    Unknown { chunk_type: String, details: Value },
}

/// One response chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub body: ChunkBody,
    pub meaningful_input: Option<MeaningfulInput>,
}

impl From<ChunkBody> for Chunk {
    fn from(body: ChunkBody) -> Self {
        Chunk {
            body,
            meaningful_input: None,
        }
    }
}

impl Chunk {
    pub fn chunk_type(&self) -> ChunkType {
        match &self.body {
            ChunkBody::Text(_) => ChunkType::Text,
            ChunkBody::TextData(_) => ChunkType::TextData,
            ChunkBody::MultiSelectInput(_) => ChunkType::MultiSelectInput,
            ChunkBody::SingleSelectInput(_) => ChunkType::SingleSelectInput,
            ChunkBody::NumberInput(_) => ChunkType::NumberInput,
            ChunkBody::Separator(_) => ChunkType::Separator,
            ChunkBody::Error(_) => ChunkType::Error,
            ChunkBody::Submission(_) => ChunkType::Submission,
            ChunkBody::ImportantText(_) => ChunkType::ImportantText,
            ChunkBody::Debug(_) => ChunkType::Debug,
            ChunkBody::EndOfResponse(_) => ChunkType::EndOfResponse,
            ChunkBody::FileUpload(_) => ChunkType::FileUpload,
            ChunkBody::Signature(_) => ChunkType::Signature,
            ChunkBody::Unknown { chunk_type, .. } => ChunkType::Unknown(chunk_type.clone()),
        }
    }

    /// The form field this chunk is about, for the chunk types that name one.
    pub fn field_target(&self) -> Option<&str> {
        match &self.body {
            ChunkBody::TextData(d) => Some(&d.field_target),
            ChunkBody::MultiSelectInput(d) | ChunkBody::SingleSelectInput(d) => {
                Some(&d.field_target)
            }
            ChunkBody::NumberInput(d) => Some(&d.field_target),
            ChunkBody::ImportantText(d) => Some(&d.field_target),
            ChunkBody::FileUpload(d) | ChunkBody::Signature(d) => Some(&d.field_target),
            _ => None,
        }
    }
}

fn details_value<T: Serialize>(details: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(details)
}

impl Serialize for Chunk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let details = match &self.body {
            ChunkBody::Text(d) => details_value(d),
            ChunkBody::TextData(d) => details_value(d),
            ChunkBody::MultiSelectInput(d) | ChunkBody::SingleSelectInput(d) => details_value(d),
            ChunkBody::NumberInput(d) => details_value(d),
            ChunkBody::Separator(d) => details_value(d),
            ChunkBody::Error(d) => details_value(d),
            ChunkBody::Submission(d) => details_value(d),
            ChunkBody::ImportantText(d) => details_value(d),
            ChunkBody::Debug(d) => details_value(d),
            ChunkBody::EndOfResponse(d) => details_value(d),
            ChunkBody::FileUpload(d) | ChunkBody::Signature(d) => details_value(d),
            ChunkBody::Unknown { details, .. } => Ok(details.clone()),
        }
        .map_err(S::Error::custom)?;
        let chunk_type = self.chunk_type();
        let mut object = Map::new();
        object.insert("chunkType".into(), Value::String(chunk_type.name().into()));
        let key = match chunk_type {
            ChunkType::Unknown(_) if details.is_null() => None,
            ChunkType::Unknown(name) => Some(format!("{}Details", camel_case(&name))),
            known => CHUNK_TYPES
                .iter()
                .find(|(n, _)| *n == known.name())
                .map(|(_, k)| k.to_string()),
        };
        if let Some(key) = key {
            object.insert(key, details);
        }
        if let Some(mi) = &self.meaningful_input {
            let mi = serde_json::to_value(mi).map_err(S::Error::custom)?;
            object.insert("meaningfulInput".into(), mi);
        }
        object.serialize(serializer)
    }
}

/// `SOME_NAME` → `someName`, for the details key of an unknown chunk type.
fn camel_case(upper_snake: &str) -> String {
    let mut out = String::with_capacity(upper_snake.len());
    for (i, part) in upper_snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

impl<'de> Deserialize<'de> for Chunk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(deserializer)?;
        let meaningful_input = match object.remove("meaningfulInput") {
            Some(Value::Null) | None => None,
            Some(v) => Some(serde_json::from_value(v).map_err(D::Error::custom)?),
        };
        let declared = match object.get("chunkType") {
            Some(Value::String(name)) => Some(ChunkType::from_name(name)),
            _ => None,
        };
        let found = CHUNK_TYPES
            .iter()
            .find(|(_, key)| object.get(*key).is_some_and(|v| !v.is_null()));
        let body = match (found, declared) {
            (Some((_, key)), _) => {
                let details = object.remove(*key).unwrap_or(Value::Null);
                let chunk_type = ChunkType::from_details_key(key).unwrap_or(ChunkType::Text);
                known_body(&chunk_type, details).map_err(D::Error::custom)?
            }
            (None, Some(ChunkType::Unknown(name))) => {
                let key = format!("{}Details", camel_case(&name));
                let details = object.remove(&key).unwrap_or(Value::Null);
                ChunkBody::Unknown {
                    chunk_type: name,
                    details,
                }
            }
            // A known type with no details object: every details field has a default.
            (None, Some(known)) => known_body(&known, Value::Object(Map::new()))
                .map_err(D::Error::custom)?,
            // Neither key nor type: TEXT is the proto3 default of chunkType.
            (None, None) => ChunkBody::Text(TextDetails::default()),
        };
        Ok(Chunk {
            body,
            meaningful_input,
        })
    }
}

fn known_body(chunk_type: &ChunkType, details: Value) -> Result<ChunkBody, serde_json::Error> {
    use serde_json::from_value as from;
    Ok(match chunk_type {
        ChunkType::Text => ChunkBody::Text(from(details)?),
        ChunkType::TextData => ChunkBody::TextData(from(details)?),
        ChunkType::MultiSelectInput => ChunkBody::MultiSelectInput(from(details)?),
        ChunkType::SingleSelectInput => ChunkBody::SingleSelectInput(from(details)?),
        ChunkType::NumberInput => ChunkBody::NumberInput(from(details)?),
        ChunkType::Separator => ChunkBody::Separator(from(details)?),
        ChunkType::Error => ChunkBody::Error(from(details)?),
        ChunkType::Submission => ChunkBody::Submission(from(details)?),
        ChunkType::ImportantText => ChunkBody::ImportantText(from(details)?),
        ChunkType::Debug => ChunkBody::Debug(from(details)?),
        ChunkType::EndOfResponse => ChunkBody::EndOfResponse(from(details)?),
        ChunkType::FileUpload => ChunkBody::FileUpload(from(details)?),
        ChunkType::Signature => ChunkBody::Signature(from(details)?),
        ChunkType::Unknown(name) => ChunkBody::Unknown {
            chunk_type: name.clone(),
            details,
        },
    })
}
