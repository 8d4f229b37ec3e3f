//! The 13 response chunk variants of docs/wire-format.md and their hand-written (de)serialization.
//!
//! Decoding is tolerant: unknown fields are ignored, unknown chunk types are kept as
//! [`ChunkBody::Unknown`], and the type of a chunk is decided by which `...Details` key is
//! present (`chunkType` may be absent for TEXT, its proto3 default). No I/O.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

#[path = "chunk_de.rs"]
mod chunk_de;
#[path = "chunk_serde.rs"]
mod chunk_serde;

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

/// (chunkType name, details key) for every known chunk type, in the order docs/wire-format.md lists them.
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
    /// A free-form object; absent and `null` are both left out when written.
    #[serde(default, skip_serializing_if = "Value::is_null")]
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
    Unknown {
        chunk_type: String,
        details: Value,
    },
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
